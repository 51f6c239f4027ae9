namespace DeviceTest.Hardware;

/// <summary>
/// Optional capability of an <see cref="IDevice"/>: a test's command in a fresh work directory in one round trip.
/// The device makes the directory (<c>results/</c> as <c>TEST_DIR</c>, <c>artifacts/</c> as <c>ARTIFACTS_DIR</c>),
/// runs the command there and says whether either folder holds anything, all in one command on its transport; only
/// then does a test that wrote files cost a second round trip to fetch them. Without it a test costs four (make, run,
/// fetch, remove). Check with <c>device is IWorkDirectoryCommands</c>.
/// </summary>
public interface IWorkDirectoryCommands
{
    /// <summary>
    /// Removes <see cref="WorkDirectoryRequest.RemoveFirst"/>, makes a work directory (or finds the pre-made one,
    /// <see cref="WorkDirectoryRequest.Premade"/>; with those asked for ahead, <see cref="WorkDirectoryRequest.MakeAhead"/>)
    /// and runs the command in it, with
    /// the semantics of <see cref="IDevice.RunAsync"/> (timeout and cancel kill the process group). The work directory
    /// stays on the device until <see cref="FetchAndRemoveAsync"/> or a later request's
    /// <see cref="WorkDirectoryRequest.RemoveFirst"/> removes it.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled: the command was stopped and the work directory removed
    /// as far as the device answered within seconds.</exception>
    /// <exception cref="DeviceUnreachableException">The device cannot be reached at all.</exception>
    /// <exception cref="DeviceLostException">The device stopped answering while the command ran.</exception>
    Task<WorkDirectoryRun> RunInWorkDirectoryAsync(WorkDirectoryRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Copies the work directory <paramref name="workDirectory"/> (<c>results/</c>, <c>artifacts/</c>) into
    /// <paramref name="localDirectory"/> (created) and removes it on the device, in as few round trips as the transport
    /// allows (SSH: one, on the persistent session).
    /// </summary>
    Task FetchAndRemoveAsync(string workDirectory, string localDirectory, CancellationToken cancellationToken);
}
