using System.Text.RegularExpressions;
using System.Text;

namespace DeviceTest.Agent.Tests.Cli;

/// <summary>
/// Every kind of bad spec from issue 2, given to <c>devicetest run</c> and <c>validate</c>: one line per problem
/// (<c>file:line:col: error DT0xxx: message</c>), exit code 2, no stack trace, and nothing runs.
/// </summary>
[TestClass]
[TestCategory(DevicetestBinary.Category)]
public sealed partial class BadSpecTests
{
    private const string Valid = "sequence:\n  - tests:\n      - name: a\n        command: [x]\n";

    [TestMethod]
    [DataRow("malformed", "sequence:\n  - tests: [\n", "malformed.yml:3:1: error DT0010: ")]
    [DataRow("unknown-key", "sequence:\n  - tests:\n      - name: a\n        comand: [x]\n", "unknown-key.yml:4:9: error DT0020: unknown key `comand` in a test; did you mean `command`?")]
    [DataRow("wrong-type", "sequence:\n  - tests:\n      - name: a\n        command: [x]\n        on_host: maybe\n", "wrong-type.yml:5:18: error DT0021: ")]
    [DataRow("no-name", "sequence:\n  - tests:\n      - command: [x]\n", "no-name.yml:3:9: error DT0022: a test has no `name`")]
    [DataRow("no-command", "sequence:\n  - tests:\n      - name: a\n", "no-command.yml:3:9: error DT0022: a test has no `command`")]
    [DataRow("negative-total", "sequence:\n  - tests:\n      - name: a\n        command: [x]\n    repeat: { total: -5 }\n", "negative-total.yml:5:22: error DT0025: ")]
    [DataRow("negative-delay", "sequence:\n  - tests:\n      - name: a\n        command: [x]\n    repeat: { delay_seconds: -1 }\n", "negative-delay.yml:5:30: error DT0025: ")]
    [DataRow("text-total", "sequence:\n  - tests:\n      - name: a\n        command: [x]\n    repeat: { total: lots }\n", "text-total.yml:5:22: error DT0024: ")]
    [DataRow("text-delay", "sequence:\n  - tests:\n      - name: a\n        command: [x]\n    repeat: { delay_seconds: soon }\n", "text-delay.yml:5:30: error DT0024: ")]
    [DataRow("duplicate", "sequence:\n  - tests:\n      - name: a\n        command: [x]\n      - name: a\n        command: [y]\n", "duplicate.yml:5:9: error DT0031: duplicate test name `a`")]
    [DataRow("empty", "", "empty.yml:1:1: error DT0006: ")]
    public async Task Bad_spec_is_one_line_per_problem_and_exit_two(string name, string text, string expected)
    {
        using var work = new WorkFolder();
        work.Write(name + ".yml", text);

        var result = await work.RunAsync("run", name + ".yml", "--junit", "junit.xml");

        AssertBadInput(result, expected);
        Assert.IsFalse(File.Exists(work.File("junit.xml")), "nothing runs, so no results file");
    }

    [TestMethod]
    public async Task Missing_file_directory_non_UTF8_and_huge_file_are_bad_input()
    {
        using var work = new WorkFolder();
        Directory.CreateDirectory(work.File("folder.yml"));
        File.WriteAllBytes(work.File("latin1.yml"), [.. Encoding.ASCII.GetBytes("sequence:\n  - tests:\n      - name: caf"), 0xE9, .. Encoding.ASCII.GetBytes("\n        command: [x]\n")]);
        WriteHugeSpec(work.File("huge.yml"), 50L * 1024 * 1024);

        AssertBadInput(await work.RunAsync("run", "nothere.yml"), "nothere.yml:1:1: error DT0001: file not found");
        AssertBadInput(await work.RunAsync("run", "folder.yml"), "folder.yml:1:1: error DT0002: ");
        AssertBadInput(await work.RunAsync("run", "latin1.yml"), "latin1.yml:3:18: error DT0005: the file is not valid UTF-8");
        AssertBadInput(await work.RunAsync("run", "huge.yml"), "huge.yml:1:1: error DT0004: the file is too large");
    }

    [TestMethod]
    public async Task Validate_reports_every_problem_of_every_file_at_once()
    {
        using var work = new WorkFolder();
        work.Write("good.yml", Valid);
        work.Write("two-problems.yml", "sequence:\n  - tests:\n      - name: a\n        comand: [x]\n    repeat: { total: lots }\n");
        work.Write("duplicate.yml", "sequence:\n  - tests:\n      - name: a\n        command: [x]\n      - name: a\n        command: [y]\n");
        work.Write("empty.yml", string.Empty);

        var result = await work.RunAsync("validate", "good.yml", "two-problems.yml", "duplicate.yml", "empty.yml", "nothere.yml");

        result.ExpectExit(2).ExpectNoStackTrace();
        var lines = ProblemLines(result.Stderr);
        CollectionAssert.AreEqual(
            new[]
            {
                "two-problems.yml:3:9: error DT0022",
                "two-problems.yml:4:9: error DT0020",
                "two-problems.yml:5:22: error DT0024",
                "duplicate.yml:5:9: error DT0031",
                "empty.yml:1:1: error DT0006",
                "nothere.yml:1:1: error DT0001",
            },
            lines.Select(l => l[..l.IndexOf(": ", l.IndexOf("error", StringComparison.Ordinal), StringComparison.Ordinal)]).ToArray(),
            result.Stderr);
        StringAssert.Contains(result.Stdout, "1 of 5 spec(s) valid, 6 error(s)");

        var valid = await work.RunAsync("validate", "good.yml", RepositoryFiles.Path("samples", "specs", "smoke.spec.yml"));
        valid.ExpectExit(0);
        Assert.AreEqual(string.Empty, valid.Stderr);
    }

    private static void AssertBadInput(CliResult result, string expected)
    {
        result.ExpectExit(2).ExpectNoStackTrace();
        var lines = ProblemLines(result.Stderr);
        Assert.IsNotEmpty(lines, result.Both);
        Assert.IsTrue(lines.Any(l => l.StartsWith(expected, StringComparison.Ordinal)), $"expected a line starting with\n{expected}\ngot:\n{result.Stderr}");
        foreach (var line in result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.IsTrue(ProblemLine().IsMatch(line), $"not a file:line:col problem line: {line}");
        }

        Assert.DoesNotContain("RUN", result.Stdout, "no test may start");
    }

    private static List<string> ProblemLines(string stderr) =>
        [.. stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => ProblemLine().IsMatch(l))];

    private static void WriteHugeSpec(string path, long size)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        writer.Write("sequence:\n  - tests:\n");
        var filler = new string('x', 200);
        for (var i = 0; writer.BaseStream.Length < size; i++)
        {
            writer.Write($"      - name: t{i}\n        command: [echo, {filler}]\n");
            if (i % 1000 == 0)
            {
                writer.Flush();
            }
        }
    }

    [GeneratedRegex(@"^[^:\n]+:\d+:\d+: error DT\d{4}: \S.*$")]
    private static partial Regex ProblemLine();
}
