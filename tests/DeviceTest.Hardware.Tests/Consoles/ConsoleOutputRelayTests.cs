using DeviceTest.Hardware.Consoles.Shell;
using DeviceTest.Hardware.Tests.Local;

namespace DeviceTest.Hardware.Tests.Consoles;

/// <summary>
/// What a console command's observer gets from the console's unmatched text as it grows (the way
/// <see cref="Hardware.Consoles.SerialConsole"/> shows it while it waits for the end marker).
/// </summary>
[TestClass]
public sealed class ConsoleOutputRelayTests
{
    private const string End = "\u001e\nDTE_0a1b_";
    private const string Sync = "DTY_0a1b\n";

    [TestMethod]
    public void A_line_is_passed_on_with_its_newline_as_soon_as_it_is_seen()
    {
        var output = new RecordingOutput();
        var relay = new ConsoleOutputRelay(output, End, Sync);

        relay.Seen("first\n", 0);
        Assert.AreEqual("first\n", output.Stdout);
        relay.Seen("first\nsec", 0);
        Assert.AreEqual("first\nsec", output.Stdout, "a line split across reads goes on in pieces, in order");
    }

    [TestMethod]
    public void Text_that_could_start_a_marker_waits_until_it_is_known_not_to()
    {
        var output = new RecordingOutput();
        var relay = new ConsoleOutputRelay(output, End, Sync);

        relay.Seen("a\u001e", 0);
        Assert.AreEqual("a", output.Stdout);
        relay.Seen("a\u001e\nDTE_0a", 0);
        Assert.AreEqual("a", output.Stdout);
        relay.Seen("a\u001e\nDTE_0aXY\n", 0);
        Assert.AreEqual("a\u001e\nDTE_0aXY\n", output.Stdout, "not this command's marker: output");
        relay.Seen("a\u001e\nDTE_0aXY\nDTY_", 0);
        Assert.AreEqual("a\u001e\nDTE_0aXY\n", output.Stdout);
    }

    [TestMethod]
    public void Nothing_from_the_marker_on_is_passed_on_and_the_end_passes_on_the_rest_once()
    {
        var output = new RecordingOutput();
        var relay = new ConsoleOutputRelay(output, End, Sync);

        relay.Seen("out\u001e\nDTE_0a1b_", 0);
        relay.Seen("out\u001e\nDTE_0a1b_0\nDTY_0a1b\nboard# ", 0);
        Assert.AreEqual("out", output.Stdout);
        relay.Finish("out");
        Assert.AreEqual("out", output.Stdout);
    }

    [TestMethod]
    public void Text_held_back_at_the_end_goes_on_when_the_marker_matches()
    {
        var output = new RecordingOutput();
        var relay = new ConsoleOutputRelay(output, End, Sync);

        relay.Seen("partial D", 0);
        Assert.AreEqual("partial ", output.Stdout);
        relay.Finish("partial D");
        Assert.AreEqual("partial D", output.Stdout, "a timed-out command's output ended in what could have been the stop's reply");
    }

    [TestMethod]
    public void Text_the_console_dropped_before_it_was_seen_is_skipped_and_nothing_is_passed_twice()
    {
        var output = new RecordingOutput();
        var relay = new ConsoleOutputRelay(output, End, Sync);

        relay.Seen("0123", 100);
        relay.Seen("2345", 102);
        relay.Seen("89", 108);
        relay.Finish("89");
        Assert.AreEqual("0123" + "45" + "89", output.Stdout);
    }

    [TestMethod]
    public void Without_text_seen_the_end_passes_on_the_whole_output()
    {
        var output = new RecordingOutput();
        var relay = new ConsoleOutputRelay(output, End, Sync);

        relay.Finish("all of it\n");
        Assert.AreEqual("all of it\n", output.Stdout);
        Assert.AreEqual(0, output.StderrChars);
    }
}
