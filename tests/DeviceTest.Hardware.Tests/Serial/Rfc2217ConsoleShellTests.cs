using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Serial;
using DeviceTest.Hardware.Tests.Consoles;
using DeviceTest.Lab.Serial;

namespace DeviceTest.Hardware.Tests.Serial;

/// <summary>The console shell over ser2net's telnet RFC 2217 port (<c>rfc2217://</c>).</summary>
[TestClass]
public sealed class Rfc2217ConsoleShellTests : ConsoleShellContractTests
{
    protected override async Task<Lab> StartAsync(string? user, string? password, int baud, bool jobControl)
    {
        var lab = await Ser2NetBoard.StartAsync(user, password, jobControl);
        return new Lab(lab.Board, new SerialConfig { Port = lab.Rfc2217Url, Baud = baud }, lab);
    }

    [TestMethod]
    public async Task The_baud_rate_is_negotiated_and_applied_to_the_device_side()
    {
        var (lab, device) = await StartDeviceAsync(baud: 57600);
        await using var _ = lab;
        await using var __ = device;
        await device.EnsureReadyAsync(Ready, CancellationToken.None);

        var speed = await RunAsync(device, $"stty -F {lab.Board.TtyPath} speed");
        Assert.AreEqual("57600\n", speed.Stdout);
    }

    [TestMethod]
    public async Task The_server_confirms_the_baud_rate()
    {
        await using var lab = await Ser2NetBoard.StartAsync();
        await using var transport = new Rfc2217Transport("127.0.0.1", lab.Rfc2217Port, 38400);
        await transport.OpenAsync(CancellationToken.None);
        Assert.AreEqual(38400, transport.ConfirmedBaud);
    }

    [TestMethod]
    public async Task A_refused_connection_is_unreachable_with_the_address()
    {
        using var closed = DeviceTest.Lab.LoopbackPort.Reserve();
        var port = closed.Number;
        await using var transport = new Rfc2217Transport("127.0.0.1", port, 115200);
        var error = await Assert.ThrowsExactlyAsync<DeviceUnreachableException>(() => transport.OpenAsync(CancellationToken.None));
        StringAssert.Contains(error.Message, $"rfc2217://127.0.0.1:{port}");
    }
}
