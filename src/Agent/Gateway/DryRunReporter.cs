using System.Text;
using System.Text.Json;

namespace DeviceTest.Agent.Gateway;

/// <summary>
/// <c>--dry-run</c>: prints each request the agent would send to the device gateway (method, URL, the Target header,
/// the JSON body, the artifacts) instead of spooling and sending it.
/// </summary>
public sealed class DryRunReporter : ITestReporter
{
    private readonly TextWriter _output;
    private readonly string _testsUrl;
    private readonly TargetNameSending _targetName;
    private readonly Lock _lock = new();

    /// <param name="output">Where to print (stdout in the agent).</param>
    /// <param name="testsUrl">The gateway's <c>/tests</c> URL when <c>sota.toml</c> could be read, else null.</param>
    /// <param name="targetName">How the Target name would be carried.</param>
    public DryRunReporter(TextWriter output, Uri? testsUrl = null, TargetNameSending targetName = TargetNameSending.HeaderAndBody)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _testsUrl = testsUrl?.AbsoluteUri.TrimEnd('/') ?? "https://<[tls] server from sota.toml>/tests";
        _targetName = targetName;
    }

    public Task StartTestAsync(string testId, string name, string targetName, CancellationToken cancellationToken)
    {
        WireFormat.CheckTestId(testId);
        ArgumentNullException.ThrowIfNull(name);
        var body = new TestCreateBody
        {
            Name = name,
            TestId = testId,
            Target = _targetName != TargetNameSending.Header && !string.IsNullOrEmpty(targetName) ? targetName : null,
        };
        var text = new StringBuilder()
            .Append("dry-run: would send POST ").Append(_testsUrl).Append('\n');
        if (_targetName != TargetNameSending.Body && !string.IsNullOrEmpty(targetName))
        {
            text.Append("x-ats-target: ").Append(targetName).Append('\n');
        }

        text.Append(Encoding.UTF8.GetString(GatewayJson.Write(body, indented: true))).Append('\n');
        return PrintAsync(text.ToString(), cancellationToken);
    }

    public Task CompleteTestAsync(string testId, GatewayTestCompletion completion, CancellationToken cancellationToken)
    {
        WireFormat.CheckTestId(testId);
        ArgumentNullException.ThrowIfNull(completion);
        var body = WireFormat.ToBody(completion, AgentLog.None);
        var text = new StringBuilder()
            .Append("dry-run: would send PUT ").Append(_testsUrl).Append('/').Append(testId).Append('\n')
            .Append(Encoding.UTF8.GetString(GatewayJson.Write(body, indented: true))).Append('\n');
        foreach (var path in completion.ArtifactPaths)
        {
            var size = File.Exists(path) ? $"{new FileInfo(path).Length} bytes" : "missing: would be left out";
            text.Append("dry-run: would upload artifact ").Append(Path.GetFileName(path)).Append(" (").Append(path).Append(", ").Append(size)
                .Append(") to the URL the gateway answers\n");
        }

        return PrintAsync(text.ToString(), cancellationToken);
    }

    private Task PrintAsync(string text, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            _output.Write(text);
            _output.Flush();
        }

        return Task.CompletedTask;
    }
}
