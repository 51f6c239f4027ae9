namespace DeviceTest.Agent.Gateway;

/// <summary>
/// Where the on-device agent reports test records for the device gateway. Each call returns only when the record is
/// durably on disk (spooled, fsync'd); uploading happens later, with retries, in order.
/// </summary>
public interface ITestReporter
{
    /// <summary>Records that a test started (becomes <c>POST /tests</c> with <c>{"name", "test-id"}</c>).</summary>
    /// <remarks><paramref name="testId"/> is a client-made id matching <c>^[A-Za-z0-9_-]{15,48}$</c>, so a retried POST never makes a second record.</remarks>
    Task StartTestAsync(string testId, string name, string targetName, CancellationToken cancellationToken);

    /// <summary>Records that a test ended (becomes <c>PUT /tests/&lt;id&gt;</c>, then each artifact's upload).</summary>
    Task CompleteTestAsync(string testId, GatewayTestCompletion completion, CancellationToken cancellationToken);
}
