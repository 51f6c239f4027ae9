using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using DeviceTest.Hardware.Qemu;

namespace DeviceTest.Hardware.Tests.Qemu;

/// <summary>QmpClient against a scripted QMP server on a unix socket (no QEMU needed).</summary>
[TestClass]
public sealed class QmpClientTests
{
    [TestMethod]
    public async Task Replies_are_matched_by_id_and_events_go_to_subscribers()
    {
        await using var server = await FakeQmp.StartAsync(async (request, send) =>
        {
            var command = request["execute"]!.GetValue<string>();
            var id = request["id"]!.GetValue<string>();
            if (command == "system_reset")
            {
                // an event arrives before the reply, as QEMU may send it
                await send("{\"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 5}, \"event\": \"RESET\", \"data\": {\"guest\": false}}");
            }

            if (command == "query-status")
            {
                await send($"{{\"return\": {{\"status\": \"paused\", \"singlestep\": false, \"running\": false}}, \"id\": \"{id}\"}}");
                return;
            }

            await send($"{{\"return\": {{}}, \"id\": \"{id}\"}}");
        });
        await using var qmp = await QmpClient.ConnectAsync(server.Path, CancellationToken.None);
        using var events = qmp.SubscribeEvents();

        await qmp.SystemResetAsync(CancellationToken.None);
        var status = await qmp.QueryStatusAsync(CancellationToken.None);
        var reset = await events.WaitForAsync("RESET", CancellationToken.None);

        Assert.AreEqual("7.2.0", qmp.Version);
        Assert.AreEqual(new QmpStatus("paused", false), status);
        Assert.AreEqual(DateTimeOffset.FromUnixTimeSeconds(1700000000).AddTicks(50), reset.Timestamp);
        Assert.IsFalse(reset.Data!["guest"]!.GetValue<bool>());
        CollectionAssert.AreEqual(new[] { "qmp_capabilities", "system_reset", "query-status" }, server.Commands.ToArray());
    }

    [TestMethod]
    public async Task An_error_reply_throws_QmpException_with_the_command_and_class()
    {
        await using var server = await FakeQmp.StartAsync((request, send) =>
            send($"{{\"error\": {{\"class\": \"CommandNotFound\", \"desc\": \"The command nope has not been found\"}}, \"id\": \"{request["id"]}\"}}"),
            answerCapabilities: true);
        await using var qmp = await QmpClient.ConnectAsync(server.Path, CancellationToken.None);

        var e = await Assert.ThrowsExactlyAsync<QmpException>(() => qmp.ExecuteAsync("nope", null, CancellationToken.None));

        Assert.AreEqual("nope", e.Command);
        Assert.AreEqual("CommandNotFound", e.ErrorClass);
        StringAssert.Contains(e.Message, "has not been found");
    }

    [TestMethod]
    public async Task A_closed_connection_fails_pending_commands_and_quit_counts_it_as_done()
    {
        await using var server = await FakeQmp.StartAsync((request, send) => Task.CompletedTask, closeOnCommand: true);
        await using var qmp = await QmpClient.ConnectAsync(server.Path, CancellationToken.None);

        await qmp.QuitAsync(CancellationToken.None);
        await qmp.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        var e = await Assert.ThrowsExactlyAsync<IOException>(() => qmp.StopAsync(CancellationToken.None));

        StringAssert.Contains(e.Message, "stop");
    }

    [TestMethod]
    public async Task A_pending_command_can_be_cancelled()
    {
        await using var server = await FakeQmp.StartAsync((request, send) => Task.CompletedTask); // never answers
        await using var qmp = await QmpClient.ConnectAsync(server.Path, CancellationToken.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAsync<OperationCanceledException>(() => qmp.QueryStatusAsync(cts.Token));
    }

    private sealed class FakeQmp : IAsyncDisposable
    {
        private readonly Socket _listener;
        private readonly DirectoryInfo _dir;
        private readonly Task _serve;
        private Socket? _connection;

        private FakeQmp(Socket listener, DirectoryInfo dir, Func<JsonObject, Func<string, Task>, Task> handle, bool answerCapabilities, bool closeOnCommand)
        {
            _listener = listener;
            _dir = dir;
            _serve = ServeAsync(handle, answerCapabilities, closeOnCommand);
        }

        public string Path => System.IO.Path.Combine(_dir.FullName, "qmp.sock");

        public List<string> Commands { get; } = [];

        public static Task<FakeQmp> StartAsync(
            Func<JsonObject, Func<string, Task>, Task> handle, bool answerCapabilities = true, bool closeOnCommand = false)
        {
            var dir = Directory.CreateTempSubdirectory("devicetest-qmp-");
            var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(System.IO.Path.Combine(dir.FullName, "qmp.sock")));
            listener.Listen(1);
            return Task.FromResult(new FakeQmp(listener, dir, handle, answerCapabilities, closeOnCommand));
        }

        public async ValueTask DisposeAsync()
        {
            _connection?.Dispose();
            _listener.Dispose();
            try
            {
                await _serve;
            }
            catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
            {
            }

            _dir.Delete(recursive: true);
        }

        private async Task ServeAsync(Func<JsonObject, Func<string, Task>, Task> handle, bool answerCapabilities, bool closeOnCommand)
        {
            _connection = await _listener.AcceptAsync();
            await using var stream = new NetworkStream(_connection);
            using var reader = new StreamReader(stream);
            async Task Send(string line) => await stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"));
            await Send("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, \"package\": \"\"}, \"capabilities\": [\"oob\"]}}");
            while (await reader.ReadLineAsync() is { } line)
            {
                var request = (JsonObject)JsonNode.Parse(line)!;
                var command = request["execute"]!.GetValue<string>();
                Commands.Add(command);
                if (command == "qmp_capabilities" && answerCapabilities)
                {
                    await Send($"{{\"return\": {{}}, \"id\": \"{request["id"]}\"}}");
                    continue;
                }

                if (closeOnCommand)
                {
                    _connection.Shutdown(SocketShutdown.Both);
                    return;
                }

                await handle(request, Send);
            }
        }
    }
}
