using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using DeviceTest.Hardware.Consoles;
using DeviceTest.Hardware.Serial;

namespace DeviceTest.Hardware.Tests.Serial;

[TestClass]
public sealed class StreamTransportTests
{
    [TestMethod]
    public async Task A_console_works_over_a_unix_socket()
    {
        var path = Path.Combine(Path.GetTempPath(), "devicetest-" + Guid.NewGuid().ToString("N")[..8] + ".sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        try
        {
            var transport = new StreamTransport($"unix:{path}", async ct =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
                return new NetworkStream(socket, ownsSocket: true);
            });
            await using var console = new SerialConsole("qemu", () => transport);
            await console.OpenAsync(CancellationToken.None);
            using var server = await listener.AcceptAsync();

            await server.SendAsync(Encoding.UTF8.GetBytes("Welcome\r\n/ # "));
            Assert.AreEqual("/ # ", (await console.ExpectAsync(new Regex("/ # $"), TimeSpan.FromSeconds(10), CancellationToken.None)).Value);
            await console.WriteLineAsync("ls", CancellationToken.None);
            var buffer = new byte[16];
            var n = await server.ReceiveAsync(buffer);
            Assert.AreEqual("ls\n", Encoding.UTF8.GetString(buffer, 0, n));
            Assert.AreEqual("unix:" + path, console.Description);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
