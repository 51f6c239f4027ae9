using DeviceTest.Hardware;
using DeviceTest.Hardware.Deployment;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Logging;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>
/// Puts the run's <c>DeviceArtifact</c> lists on a device before its first test, with the same deployer as the
/// MSBuild task (changed files only, by content hash, checked against the device; the same local cache), so a
/// second deploy of unchanged files costs one round trip.
/// </summary>
internal sealed class ArtifactDeployment(IReadOnlyList<DeployList> lists, ResultRecorder recorder)
{
    public bool IsEmpty => lists.All(l => l.Artifacts.Count == 0);

    /// <summary>Null when every artifact is in place on the device, else why not (a message that names the device and the DT code).</summary>
    /// <exception cref="DeviceUnreachableException">The device stopped answering.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public async Task<string?> DeployAsync(IDevice device, string deviceName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        foreach (var list in lists.Where(l => l.Artifacts.Count > 0))
        {
            var (artifacts, problems) = ArtifactRules.Check(list.Artifacts);
            if (problems.Count > 0)
            {
                return $"cannot deploy the DeviceArtifact items of {list.Project ?? list.ListPath} to '{deviceName}':\n  " +
                    string.Join("\n  ", problems.Select(p => p.ToString()));
            }

            if (ManifestLocation.Check(list.Manifest) is { } manifestProblem)
            {
                return $"cannot deploy to '{deviceName}': {manifestProblem}";
            }

            var deployer = new Deployer(device, new Log(recorder, deviceName))
            {
                CacheFile = list.Cache?.Replace("{device}", deviceName, StringComparison.Ordinal),
                ManifestPath = ManifestLocation.Resolve(list.Manifest, deviceName, list.Project),
            };
            try
            {
                var summary = await deployer.DeployAsync(artifacts, cancellationToken).ConfigureAwait(false);
                recorder.Message(TestMessageLevel.Informational, $"DeviceTest: DeviceArtifact items on '{deviceName}': {summary}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException && !cancellationToken.IsCancellationRequested)
            {
                var (code, message) = DeployFailure.Describe(e, deviceName);
                return $"{code}: {message}";
            }
        }

        return null;
    }

    private sealed class Log(ResultRecorder recorder, string deviceName) : IDeployLog
    {
        public void Sent(ArtifactSpec artifact, long bytes)
        {
        }

        public void Detail(string message)
        {
        }

        public void Warning(string code, string message) =>
            recorder.Message(TestMessageLevel.Warning, $"DeviceTest: {deviceName}: warning {code}: {message}");
    }
}
