namespace DeviceTest.Agent.Tests.Ota;

[TestClass]
public static class OtaAssembly
{
    [AssemblyCleanup]
    public static void RemoveBusyboxBin()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"devicetest-busybox-{Environment.ProcessId}");
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
