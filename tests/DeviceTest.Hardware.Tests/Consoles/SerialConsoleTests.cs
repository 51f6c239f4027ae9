using System.Text;
using System.Text.RegularExpressions;
using DeviceTest.Hardware.Consoles;

namespace DeviceTest.Hardware.Tests.Consoles;

[TestClass]
public sealed class SerialConsoleTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    [TestMethod]
    public async Task Expect_matches_text_without_ansi_escapes_and_carriage_returns_and_consumes_it()
    {
        var transport = new FakeTransport();
        await using var console = new SerialConsole("board", () => transport);
        await console.OpenAsync(CancellationToken.None);

        transport.Feed("\u001b[1;32mboot\u001b[0m ok\r\nfirst\r\n\u001b]0;title\u0007second\r\n");
        var match = await console.ExpectAsync(new Regex("boot ok\nfirst\n"), Long, CancellationToken.None);
        Assert.AreEqual("boot ok\nfirst\n", match.Value);

        // "first" was consumed: only "second" is left.
        var next = await console.ExpectAsync(new Regex(@"\w+\n"), Long, CancellationToken.None);
        Assert.AreEqual("second\n", next.Value);
        Assert.AreEqual("boot\u001b[0m ok", console.Log.Lines[0].Text[7..]);
    }

    [TestMethod]
    public async Task Expect_finds_text_split_across_reads()
    {
        var transport = new FakeTransport();
        await using var console = new SerialConsole("board", () => transport);
        await console.OpenAsync(CancellationToken.None);
        var waiting = console.ExpectAsync(new Regex("login: $", RegexOptions.Multiline), Long, CancellationToken.None);
        transport.Feed("board lo");
        transport.Feed("gin: ");
        Assert.AreEqual("login: ", (await waiting).Value);
    }

    [TestMethod]
    public async Task Timeout_message_shows_the_escaped_tail_of_what_was_seen()
    {
        var transport = new FakeTransport();
        await using var console = new SerialConsole("board", () => transport);
        await console.OpenAsync(CancellationToken.None);
        transport.Feed(new string('x', 500) + "\r\nlast line\ttab \u0001\r\n");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!console.Tail().Contains("last line", StringComparison.Ordinal))
        {
            Assert.IsLessThan(deadline, DateTime.UtcNow, "the console never read the text");
            await Task.Delay(10);
        }

        var error = await Assert.ThrowsExactlyAsync<TimeoutException>(
            () => console.ExpectAsync(new Regex("never"), TimeSpan.FromMilliseconds(300), CancellationToken.None));

        StringAssert.Contains(error.Message, "board");
        StringAssert.Contains(error.Message, "/never/");
        StringAssert.Contains(error.Message, "last line\\ttab \\u0001\\n\"");
        Assert.IsLessThan(400, error.Message.Length, error.Message);
    }

    [TestMethod]
    public async Task Invalid_utf8_and_binary_do_not_throw_and_matching_goes_on()
    {
        var transport = new FakeTransport();
        await using var console = new SerialConsole("board", () => transport);
        await console.OpenAsync(CancellationToken.None);
        var random = new Random(42);
        for (var i = 0; i < 20; i++)
        {
            var garbage = new byte[8000];
            random.NextBytes(garbage);
            transport.Feed(garbage);
        }

        transport.Feed([0xff, 0xfe, 0xc3]);
        transport.Feed("\nREADY\n");
        var match = await console.ExpectAsync(new Regex("READY\n"), Long, CancellationToken.None);
        Assert.AreEqual("READY\n", match.Value);
    }

    [TestMethod]
    public async Task A_flood_without_a_match_keeps_only_the_newest_text()
    {
        var transport = new FakeTransport();
        await using var console = new SerialConsole("board", () => transport) { MaxBufferedChars = 64 * 1024 };
        await console.OpenAsync(CancellationToken.None);
        var line = Encoding.ASCII.GetBytes(new string('g', 8000));
        for (var i = 0; i < 1000; i++)
        {
            transport.Feed(line);
        }

        transport.Feed("END\n");
        var match = await console.ExpectAsync(new Regex("(?s)^(.*)END\n"), Long, CancellationToken.None);

        Assert.IsLessThanOrEqualTo(64 * 1024, match.Groups[1].Length);
        Assert.IsGreaterThan(7_000_000L, console.DiscardedChars);
        // The log keeps everything, in lines no longer than 16 Ki characters.
        Assert.IsTrue(console.Log.Lines.All(l => l.Text.Length <= 16 * 1024));
    }

    [TestMethod]
    public async Task A_closed_console_is_reported_as_device_lost()
    {
        var transport = new FakeTransport();
        await using var console = new SerialConsole("board", () => transport);
        await console.OpenAsync(CancellationToken.None);
        var waiting = console.ExpectAsync(new Regex("never"), Long, CancellationToken.None);
        transport.Feed("bye\n");
        transport.Close();

        var error = await Assert.ThrowsExactlyAsync<DeviceLostException>(() => waiting);
        StringAssert.StartsWith(error.Message, "device lost:");
        StringAssert.Contains(error.Message, "board");
        Assert.IsFalse(console.IsOpen);
    }

    [TestMethod]
    public async Task Writes_reach_the_transport()
    {
        var transport = new FakeTransport();
        await using var console = new SerialConsole("board", () => transport);
        await console.OpenAsync(CancellationToken.None);
        await console.WriteLineAsync("root", CancellationToken.None);
        await console.WriteAsync("\u0003", CancellationToken.None);
        Assert.AreEqual("root\n\u0003", transport.Written);
    }
}
