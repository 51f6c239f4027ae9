using DeviceTest.Hardware.Deployment;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace DeviceTest.Tasks;

/// <summary>Deploy progress into MSBuild's log: each file at normal importance, details at low.</summary>
internal sealed class MSBuildDeployLog(TaskLoggingHelper log) : IDeployLog
{
    public void Sent(ArtifactSpec artifact, long bytes) =>
        log.LogMessage(MessageImportance.Normal, $"  sent {artifact.TargetPath} ({DeploySummary.Size(bytes)})");

    public void Detail(string message) => log.LogMessage(MessageImportance.Low, "  " + message);

    public void Warning(string code, string message) => log.LogWarning(null, code, null, null, 0, 0, 0, 0, message);
}
