using DeviceTest.Hardware.Serial;

namespace DeviceTest.Hardware.Tests.Serial;

[TestClass]
public sealed class TelnetCodecTests
{
    private const byte Iac = 255;

    [TestMethod]
    public void Doubled_iac_is_data_and_commands_are_removed_even_split_across_reads()
    {
        var codec = new TelnetCodec();
        _ = codec.Greeting();
        byte[] first = [(byte)'a', Iac, Iac, (byte)'b', Iac];
        byte[] second = [241, (byte)'c', Iac, 250, 44, 106, 0x60, Iac, 240, (byte)'d', Iac];
        byte[] third = [Iac];

        var output = new byte[64];
        var n = codec.Decode(first, output);
        n += codec.Decode(second, output.AsSpan(n));
        n += codec.Decode(third, output.AsSpan(n));

        CollectionAssert.AreEqual(new byte[] { (byte)'a', Iac, (byte)'b', (byte)'c', (byte)'d', Iac }, output[..n]);
        Assert.AreEqual(1, codec.ComPortMessages);
    }

    [TestMethod]
    public void Encode_doubles_iac()
    {
        var codec = new TelnetCodec();
        _ = codec.Greeting();
        var output = new byte[8];
        codec.Decode([Iac, 253, 0], output); // DO BINARY: acknowledges our WILL BINARY
        CollectionAssert.AreEqual(new byte[] { 1, Iac, Iac, (byte)'\r', 2 }, codec.Encode([1, Iac, (byte)'\r', 2]));
    }

    [TestMethod]
    public void Negotiation_answers_unknown_options_and_acknowledges_ours_once()
    {
        var codec = new TelnetCodec();
        _ = codec.Greeting();
        var output = new byte[64];
        codec.Decode([Iac, 253, 44, Iac, 251, 1, Iac, 253, 24, Iac, 251, 3], output);

        Assert.IsTrue(codec.ComPortAccepted);
        // WILL ECHO -> DO ECHO; DO TERMINAL-TYPE -> WONT; WILL SGA was asked for by us: no answer.
        CollectionAssert.AreEqual(new byte[] { Iac, 253, 1, Iac, 252, 24 }, codec.TakeReplies());
        Assert.IsNull(codec.TakeReplies());
    }

    [TestMethod]
    public void Baud_rate_answer_is_parsed_and_settings_request_is_well_formed()
    {
        var codec = new TelnetCodec();
        var output = new byte[64];
        codec.Decode([Iac, 250, 44, 101, 0x00, 0x00, 0xE1, 0x00, Iac, 240], output);
        Assert.AreEqual(57600, codec.ServerBaud);

        var request = TelnetCodec.PortSettings(57600);
        CollectionAssert.AreEqual(new byte[] { Iac, 250, 44, 1, 0x00, 0x00, 0xE1, 0x00, Iac, 240 }, request[..10]);
        CollectionAssert.AreEqual(new byte[] { Iac, 250, 44, 2, 8, Iac, 240 }, request[10..17]);
    }

    [TestMethod]
    public void Cr_nul_is_read_as_cr_until_binary_mode()
    {
        var codec = new TelnetCodec();
        var output = new byte[64];
        var n = codec.Decode([(byte)'a', (byte)'\r', 0, (byte)'b'], output);
        CollectionAssert.AreEqual(new byte[] { (byte)'a', (byte)'\r', (byte)'b' }, output[..n]);
    }
}
