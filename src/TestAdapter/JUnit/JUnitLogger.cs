using DeviceTest.Framework.Results;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Client;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Logging;
using VsTestOutcome = Microsoft.VisualStudio.TestPlatform.ObjectModel.TestOutcome;

namespace DeviceTest.TestAdapter.JUnit;

/// <summary>
/// <c>dotnet test --logger devicetest-junit</c> (or <c>"devicetest-junit;LogFilePath=out/junit.xml"</c>,
/// <c>"devicetest-junit;LogFileName=x.xml"</c>, <c>"devicetest-junit;SubResults=properties"</c>): writes JUnit XML with
/// the Framework's writer, as results arrive. <c>{assembly}</c> and <c>{framework}</c> in the path are replaced by the
/// test dll's name and target framework. Default: <c>TEST-{assembly}.xml</c> in the results directory. Where no other
/// JUnit logger is installed, <c>--logger junit</c> reaches it too (<c>JUnitAliasLogger</c>, in its own dll).
/// </summary>
[FriendlyName(JUnitLoggerConstants.FriendlyName)]
[ExtensionUri(JUnitLoggerConstants.ExtensionUri)]
public sealed class JUnitLogger : ITestLoggerWithParameters
{
    public const string LogFilePathKey = "LogFilePath";
    public const string LogFileNameKey = "LogFileName";

    /// <summary><c>SubResults=testcases</c> (default: each sub-result is also a testcase) or <c>SubResults=properties</c>.</summary>
    public const string SubResultsKey = "SubResults";

    private readonly Func<string, JUnitSubResults, IResultSink> _createSink;
    private readonly Lock _gate = new();
    private string _runDirectory = Directory.GetCurrentDirectory();
    private string? _pathPattern;
    private JUnitSubResults _subResults = JUnitSubResults.TestCases;
    private IResultSink? _sink;
    private string? _assembly;
    private string? _framework;
    private string? _device;
    private DateTimeOffset? _start;
    private int _passed;
    private int _failed;
    private int _skipped;

    public JUnitLogger()
        : this(JUnitSinks.Create)
    {
    }

    internal JUnitLogger(Func<string, JUnitSubResults, IResultSink> createSink)
    {
        _createSink = createSink;
    }

    /// <summary>The file written, once known.</summary>
    public string? FilePath { get; private set; }

    public void Initialize(TestLoggerEvents events, string testRunDirectory)
    {
        Initialize(events, new Dictionary<string, string?> { [DefaultLoggerParameterNames.TestRunDirectory] = testRunDirectory });
    }

    public void Initialize(TestLoggerEvents events, Dictionary<string, string?> parameters)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.TryGetValue(DefaultLoggerParameterNames.TestRunDirectory, out var directory) && !string.IsNullOrEmpty(directory))
        {
            _runDirectory = directory;
        }

        _pathPattern = Parameter(parameters, LogFilePathKey) is { } path
            ? path
            : Path.Combine(_runDirectory, Parameter(parameters, LogFileNameKey) ?? JUnitLoggerConstants.DefaultFileNamePattern);
        _subResults = Parameter(parameters, SubResultsKey) switch
        {
            null => JUnitSubResults.TestCases,
            { } text when text.Equals("testcases", StringComparison.OrdinalIgnoreCase) => JUnitSubResults.TestCases,
            { } text when text.Equals("properties", StringComparison.OrdinalIgnoreCase) => JUnitSubResults.Properties,
            { } text => throw new ArgumentException(
                $"{JUnitLoggerConstants.FriendlyName} logger: {SubResultsKey}={text} is not known; use {SubResultsKey}=testcases (each sub-result is also a testcase, the default) or {SubResultsKey}=properties.",
                nameof(parameters)),
        };
        if (parameters.TryGetValue(DefaultLoggerParameterNames.TargetFramework, out var framework))
        {
            _framework = framework;
        }

        events.TestRunStart += (_, _) => _start ??= DateTimeOffset.Now;
        events.TestResult += (_, e) => OnResult(e.Result);
        events.TestRunComplete += (_, e) => OnComplete(e.IsCanceled || e.IsAborted);
    }

    private static string? Parameter(Dictionary<string, string?> parameters, string key) =>
        parameters.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } value
            ? value
            : null;

    private void OnResult(Microsoft.VisualStudio.TestPlatform.ObjectModel.TestResult result)
    {
        if (VsTestResultConverter.IsDeviceTestSubResult(result))
        {
            return; // written with its parent, from the parent's DeviceTest.SubResults
        }

        var converted = VsTestResultConverter.Convert(result);
        lock (_gate)
        {
            _start ??= converted.StartTime;
            _assembly ??= Path.GetFileNameWithoutExtension(result.TestCase.Source);
            _device ??= converted.Properties.FirstOrDefault(p => p.Key == "device").Value;
            switch (result.Outcome)
            {
                case VsTestOutcome.Passed:
                    _passed++;
                    break;
                case VsTestOutcome.Failed:
                    _failed++;
                    break;
                default:
                    _skipped++;
                    break;
            }

            var sink = Sink();
            SyncBridge.Run(() => sink.AddAsync(converted, CancellationToken.None));
        }
    }

    private void OnComplete(bool cancelled)
    {
        lock (_gate)
        {
            var sink = Sink();
            var summary = new RunSummary
            {
                RunName = _assembly ?? "DeviceTest",
                DeviceName = _device ?? string.Empty,
                StartTime = _start ?? DateTimeOffset.Now,
                EndTime = DateTimeOffset.Now,
                Passed = _passed,
                Failed = _failed,
                Skipped = _skipped,
                Cancelled = cancelled,
            };
            SyncBridge.Run(async () =>
            {
                await using (sink.ConfigureAwait(false))
                {
                    await sink.CompleteAsync(summary, CancellationToken.None).ConfigureAwait(false);
                }
            });
            _sink = null;
        }

        Console.WriteLine($"Results File (junit): {FilePath}");
    }

    private IResultSink Sink()
    {
        if (_sink is not null)
        {
            return _sink;
        }

        var path = Path.GetFullPath(_pathPattern!
            .Replace("{assembly}", _assembly ?? "results", StringComparison.OrdinalIgnoreCase)
            .Replace("{framework}", FrameworkName(), StringComparison.OrdinalIgnoreCase));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        FilePath = path;
        _sink = _createSink(path, _subResults);
        return _sink;
    }

    private string FrameworkName()
    {
        // ".NETCoreApp,Version=v10.0" → "net10.0"
        var text = _framework ?? string.Empty;
        var version = text.LastIndexOf("Version=v", StringComparison.Ordinal);
        return version < 0 ? (text.Length == 0 ? "unknown" : text) : "net" + text[(version + 9)..];
    }
}
