using YamlDotNet.Serialization;

namespace DeviceTest.Tasks.Tests;

/// <summary>
/// The pipeline files users copy (samples/pipelines) and the ones <c>dotnet new devicetest</c> writes, parsed as YAML:
/// the board is chosen by an agent demand or a runner label, <c>dotnet test</c> writes TRX and JUnit into the folder that
/// is published, and publishing and uploads run even when the tests failed.
/// </summary>
[TestClass]
public sealed class PipelineFileTests
{
    private static readonly string Template = Path.Combine(TempProject.RepositoryRoot, "templates", "content", "devicetest");
    private static readonly string Samples = Path.Combine(TempProject.RepositoryRoot, "samples", "pipelines");

    public static IEnumerable<object[]> AzurePipelines =>
    [
        [Path.Combine(Template, "azure-pipelines.yml")],
        [Path.Combine(Samples, "azure-pipelines.yml")],
    ];

    public static IEnumerable<object[]> GitHubWorkflows =>
    [
        [Path.Combine(Template, ".github", "workflows", "devicetest.yml")],
        [Path.Combine(Samples, "github-actions.yml")],
    ];

    [TestMethod]
    [DynamicData(nameof(AzurePipelines))]
    public void Azure_pipeline_demands_the_board_tests_with_trx_and_publishes_always(string path)
    {
        var pipeline = Load(path);
        var job = pipeline.TryGetValue("jobs", out var jobs) ? Map(List(jobs)[0]) : pipeline;

        var demands = List(Map(job["pool"])["demands"]).Select(d => (string)d).ToList();
        Assert.IsTrue(demands.Any(d => d.StartsWith("devicetest.board -equals ", StringComparison.Ordinal)), string.Join(", ", demands));
        var steps = List(job["steps"]).Select(Map).ToList();
        var test = steps.Single(s => s.TryGetValue("script", out var script) && ((string)script).Contains("dotnet test", StringComparison.Ordinal));
        var command = (string)test["script"];
        StringAssert.Contains(command, "--logger trx");
        StringAssert.Contains(command, "--logger \"devicetest-junit;LogFilePath=$(resultsDirectory)/");
        StringAssert.Contains(command, "--results-directory \"$(resultsDirectory)\"");
        StringAssert.Contains(command, "-p:Device=");

        var publish = steps.Single(s => Text(s, "task") == "PublishTestResults@2");
        CollectionAssert.Contains(new[] { "always()", "succeededOrFailed()" }, Text(publish, "condition"), "results are published when tests fail");
        var inputs = Map(publish["inputs"]);
        Assert.AreEqual("VSTest", Text(inputs, "testResultsFormat"));
        StringAssert.EndsWith(Text(inputs, "testResultsFiles"), "*.trx");
        Assert.AreEqual("$(resultsDirectory)", Text(inputs, "searchFolder"), "it searches where dotnet test wrote");
        Assert.AreEqual("true", Text(inputs, "publishRunAttachments"), "the attachments (console logs, artifacts) go with the run");

        var artifact = steps.Single(s => Text(s, "task") == "PublishPipelineArtifact@1");
        Assert.AreEqual("always()", Text(artifact, "condition"));
        Assert.AreEqual("$(resultsDirectory)", Text(Map(artifact["inputs"]), "targetPath"));
    }

    [TestMethod]
    [DynamicData(nameof(GitHubWorkflows))]
    public void GitHub_workflow_runs_on_the_boards_runner_and_uploads_and_reports_always(string path)
    {
        var workflow = Load(path);
        var job = Map(Map(workflow["jobs"]).Values.Single());

        var runsOn = List(job["runs-on"]).Select(l => (string)l).ToList();
        CollectionAssert.Contains(runsOn, "self-hosted");
        CollectionAssert.Contains(runsOn, "${{ matrix.device }}", "a runner label per board");
        var strategy = Map(job["strategy"]);
        Assert.AreEqual("false", Text(strategy, "fail-fast"), "one board's failure does not cancel the others");
        Assert.IsNotEmpty(List(Map(strategy["matrix"])["device"]));
        Assert.AreEqual("write", Text(Map(workflow["permissions"]), "checks"), "the report is a check run");

        var steps = List(job["steps"]).Select(Map).ToList();
        var test = (string)steps.Single(s => s.TryGetValue("run", out var run) && ((string)run).Contains("dotnet test", StringComparison.Ordinal))["run"];
        StringAssert.Contains(test, "--logger trx");
        StringAssert.Contains(test, "--logger \"devicetest-junit;LogFilePath=TestResults/");
        StringAssert.Contains(test, "--results-directory TestResults");
        StringAssert.Contains(test, "-p:Device=${{ matrix.device }}");

        var upload = steps.Single(s => Text(s, "uses").StartsWith("actions/upload-artifact@", StringComparison.Ordinal));
        Assert.AreEqual("always()", Text(upload, "if"));
        Assert.AreEqual("TestResults/", Text(Map(upload["with"]), "path"));
        var report = steps.Single(s => Text(s, "uses").StartsWith("dorny/test-reporter@", StringComparison.Ordinal));
        Assert.AreEqual("always()", Text(report, "if"));
        Assert.AreEqual("dotnet-trx", Text(Map(report["with"]), "reporter"));
        Assert.AreEqual("TestResults/*.trx", Text(Map(report["with"]), "path"));
    }

    private static Dictionary<string, object> Load(string path) =>
        Map(new DeserializerBuilder().Build().Deserialize<object>(File.ReadAllText(path)));

    private static Dictionary<string, object> Map(object? node) =>
        ((Dictionary<object, object>)node!).ToDictionary(p => (string)p.Key, p => p.Value);

    private static List<object> List(object? node) => (List<object>)node!;

    private static string Text(Dictionary<string, object> map, string key) => map.TryGetValue(key, out var value) ? (string)value : string.Empty;
}
