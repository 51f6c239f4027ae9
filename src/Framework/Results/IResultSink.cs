namespace DeviceTest.Framework.Results;

/// <summary>
/// Receives results as tests finish, and is completed at the end of a run. Implementations keep memory constant
/// in the number of results (soak runs produce thousands), writing as they go.
/// </summary>
public interface IResultSink : IAsyncDisposable
{
    Task AddAsync(TestResult result, CancellationToken cancellationToken);

    /// <summary>Writes the final file. Called once, also after a cancelled run (results so far).</summary>
    Task CompleteAsync(RunSummary summary, CancellationToken cancellationToken);
}
