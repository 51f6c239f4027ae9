using DeviceTest.Agent.Tests.Cli;
using DeviceTest.Lab.Serial;

namespace DeviceTest.Agent.Tests.Devices;

/// <summary>
/// <c>devicetest run</c> on a serial board (a pty with a shell behind it): a test's line is in its console.log while
/// the test still runs, not only when it ends.
/// </summary>
[TestClass]
[TestCategory(DevicetestBinary.Category)]
public sealed class LiveConsoleLogTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    /// <summary>How long the line may take to reach console.log (devicetest starting, the board's login, a loaded machine).</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [TestMethod]
    public async Task A_serial_boards_line_is_in_console_log_before_its_test_ends()
    {
        await using var board = await PtyShellBoard.StartAsync();
        using var workspace = new BoardWorkspace();
        workspace.WriteDevice("pty-board", $"serial: {{ port: {BoardWorkspace.Quote(board.TtyPath)}, baud: 115200 }}", $"shell: {{ prompt: '{PtyShellBoard.PromptPattern}' }}");
        var release = Path.Combine(workspace.Directory, "release");
        var spec = workspace.WriteSpec("live.spec.yml", $"""
            name: live
            sequence:
              - tests:
                  - name: waits
                    command: 'echo live-line; until [ -e {release} ]; do sleep 0.05; done; echo released'
                    timeout: 2m
            """);

        var running = workspace.RunAsync("pty-board", RunTimeout, spec);
        string? log = null;
        try
        {
            var deadline = DateTime.UtcNow + Bound;
            while ((log = ConsoleLog(workspace)) is null || !log.Contains("live-line\n", StringComparison.Ordinal))
            {
                if (running.IsCompleted)
                {
                    Assert.Fail($"devicetest ended before the test was released (console.log: '{log}')\n{await running}");
                }

                Assert.IsLessThan(deadline, DateTime.UtcNow, $"console.log never showed 'live-line' while the test ran (it has: '{log}')");
                await Task.Delay(50);
            }

            Assert.IsFalse(running.IsCompleted, "the test is still waiting for the release file");
        }
        finally
        {
            await File.WriteAllTextAsync(release, string.Empty);
        }

        var run = await running;
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.AreEqual("live-line\nreleased\n", ConsoleLog(workspace), "console.log holds the test's output, as before");
    }

    /// <summary>The text of the one test's console.log, or null while there is none.</summary>
    private static string? ConsoleLog(BoardWorkspace workspace)
    {
        if (!Directory.Exists(workspace.ResultsDirectory))
        {
            return null;
        }

        var path = Directory.EnumerateFiles(workspace.ResultsDirectory, "console.log", SearchOption.AllDirectories).SingleOrDefault();
        if (path is null)
        {
            return null;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
