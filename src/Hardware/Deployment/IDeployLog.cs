namespace DeviceTest.Hardware.Deployment;

/// <summary>Where <see cref="Deployer"/> reports progress (MSBuild's log in the task, the console in the benchmark).</summary>
internal interface IDeployLog
{
    /// <summary>A file went to the device.</summary>
    void Sent(ArtifactSpec artifact, long bytes);

    /// <summary>A detail (low importance).</summary>
    void Detail(string message);

    /// <summary>Something the user may want to fix, with its DT code.</summary>
    void Warning(string code, string message);
}
