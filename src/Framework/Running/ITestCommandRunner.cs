namespace DeviceTest.Framework.Running;

/// <summary>
/// How one test's command runs on the device and its files come back: a fresh work directory with <c>results/</c> as
/// <c>TEST_DIR</c> and <c>artifacts/</c> as <c>ARTIFACTS_DIR</c>, the command with the test's environment, the two
/// folders fetched to <see cref="TestCommand.FetchTo"/>, the work directory removed. <see cref="TestExecution"/>
/// turns the outcome into a result; a transport that can do this in fewer round trips implements this interface
/// without the sequence or the result changing (<see cref="OneRoundTripTestRunner"/>).
/// </summary>
internal interface ITestCommandRunner
{
    /// <summary>
    /// Runs <paramref name="command"/>. Failures of the device or the work directory are in the outcome, not thrown.
    /// </summary>
    /// <exception cref="OperationCanceledException">The run was cancelled: the command was stopped, the work
    /// directory removed as far as possible within seconds, nothing fetched.</exception>
    Task<TestCommandOutcome> RunAsync(TestCommand command, CancellationToken cancellationToken);

    /// <summary>
    /// Removes what earlier tests left on the device for later (work directories batched for removal). Called before
    /// a step that is not a tests step (a reboot may take the device's /tmp along, or keep it) and when the run ends,
    /// however it ends; bounded to seconds after Ctrl+C (<paramref name="cancelled"/>). Never throws.
    /// </summary>
    /// <returns>Warnings for the run's messages.</returns>
    Task<IReadOnlyList<string>> FinishAsync(bool cancelled);
}
