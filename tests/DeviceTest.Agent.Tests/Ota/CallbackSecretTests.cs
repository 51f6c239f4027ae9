using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DeviceTest.Agent.Ota;
using DeviceTest.Lab;

namespace DeviceTest.Agent.Tests.Ota;

/// <summary>
/// Only the agent's own callback script may start or stop runs: it proves itself with a per-install secret that is
/// in the script (0700) only and never in an argv; anything else gets 401 or 403. The listener is bounded in request
/// size, time and concurrency.
/// </summary>
[TestClass]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CallbackSecretTests
{
    private const string QuickSpec = """
        sequence:
          - tests:
              - name: hello
                command: [sh, -c, "echo hello"]
        """;

    [TestInitialize]
    public void RequireBusybox() => LabRequirement.Programs("busybox", "curl");

    [TestMethod]
    public void Only_the_whole_secret_matches_not_a_prefix_a_longer_text_or_another_secret()
    {
        var secret = CallbackSecret.New();

        Assert.IsTrue(secret.Matches(secret.Value));
        Assert.IsFalse(secret.Matches(secret.Value[..63]));
        Assert.IsFalse(secret.Matches(secret.Value + "0"));
        Assert.IsFalse(secret.Matches(secret.Value.ToUpperInvariant()));
        Assert.IsFalse(secret.Matches(CallbackSecret.New().Value));
        Assert.IsFalse(secret.Matches(string.Empty));
        Assert.IsFalse(secret.Matches(null));
    }

    [TestMethod]
    public async Task The_script_is_private_and_keeps_its_secret_across_restarts()
    {
        await using var lab = new AgentLab(QuickSpec);
        File.WriteAllText(Path.Combine(lab.ConfDir, "z-90-devicetest.toml"), "# earlier\n");
        var agent = lab.Start();
        await agent.WaitForListeningAsync();

        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(lab.ScriptPath));
        var secret = lab.Secret;
        Assert.MatchesRegex("^[0-9a-f]{64}$", secret);
        Assert.DoesNotContain(secret, agent.Log, "the secret never reaches the log");

        await agent.TerminateAsync();
        var again = lab.Start();
        await again.WaitForListeningAsync();
        Assert.AreEqual(secret, lab.Secret, "a callback retrying across a restart still gets in");
        var (code, stderr) = await lab.CallbackAsync(lab.CallbackEnvironment("check-for-update-pre"));
        Assert.AreEqual(0, code, stderr);
        await again.WaitForLogTextAsync("callback: check-for-update-pre");
    }

    [TestMethod]
    public async Task Requests_without_the_secret_get_401_and_with_a_wrong_one_403_and_start_nothing()
    {
        await using var lab = new AgentLab(QuickSpec);
        File.WriteAllText(Path.Combine(lab.ConfDir, "z-90-devicetest.toml"), "# earlier\n");
        var agent = lab.Start();
        await agent.WaitForListeningAsync();
        var installPost = Encoding.UTF8.GetBytes("v=1&MESSAGE=install-post&RESULT=OK");
        var wrong = new string('0', 64);

        var missing = await lab.SendAsync(HttpMethod.Post, "/callback", installPost, null);
        var wrongInBody = await lab.SendAsync(HttpMethod.Post, "/callback", Encoding.UTF8.GetBytes($"v=1&secret={wrong}&MESSAGE=install-post&RESULT=OK"), null);
        var wrongHeader = await lab.SendAsync(HttpMethod.Post, "/callback", installPost, $"Bearer {wrong}");
        var statusWithout = await lab.SendAsync(HttpMethod.Get, "/", null, null);
        var statusWrong = await lab.SendAsync(HttpMethod.Get, "/", null, "Bearer nope");

        Assert.AreEqual(HttpStatusCode.Unauthorized, missing.Status, missing.Body);
        Assert.AreEqual(HttpStatusCode.Forbidden, wrongInBody.Status, wrongInBody.Body);
        Assert.AreEqual(HttpStatusCode.Forbidden, wrongHeader.Status, wrongHeader.Body);
        Assert.AreEqual(HttpStatusCode.Unauthorized, statusWithout.Status, statusWithout.Body);
        Assert.AreEqual(HttpStatusCode.Forbidden, statusWrong.Status, statusWrong.Body);
        await agent.WaitForLogTextAsync("refused a request (401)");
        await agent.WaitForLogTextAsync("refused a request (403): wrong callback secret");

        // With the secret (as the script sends it, in the body) the same request starts the run.
        var right = await lab.SendAsync(HttpMethod.Post, "/callback", Encoding.UTF8.GetBytes($"v=1&secret={lab.Secret}&MESSAGE=install-post&RESULT=OK"), null);
        Assert.AreEqual(HttpStatusCode.OK, right.Status, right.Body);
        await agent.WaitForLogAsync("run .*: finished");
        Assert.HasCount(1, lab.Starts(), "only the request with the secret started a run");
    }

    [TestMethod]
    [DataRow(true, DisplayName = "busybox sh and wget")]
    [DataRow(false, DisplayName = "sh and curl")]
    public async Task The_script_sends_the_secret_in_the_body_and_never_in_an_argv(bool busybox)
    {
        await using var lab = new AgentLab(QuickSpec);
        var agent = lab.Start();
        await agent.WaitForListeningAsync();
        var secret = lab.Secret;
        await agent.TerminateAsync();

        // Stand in for the agent on its port and hold the request while looking at every process's argv.
        using var listener = new TcpListener(IPAddress.Loopback, lab.Port);
        listener.Start();
        var callback = lab.CallbackAsync(lab.CallbackEnvironment("check-for-update-pre"), busybox);
        using var client = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var stream = client.GetStream();
        var request = await ReadRequestAsync(stream);
        var argvs = AllArgv();
        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n"u8.ToArray());
        client.Close();
        var (code, stderr) = await callback;

        Assert.AreEqual(0, code, stderr);
        StringAssert.Contains(request, $"v=1&secret={secret}&MESSAGE=");
        Assert.IsFalse(argvs.Any(a => a.Contains(secret, StringComparison.Ordinal)), "the secret was in an argv: " + string.Join("\n", argvs.Where(a => a.Contains(secret, StringComparison.Ordinal))));
        Assert.IsTrue(argvs.Any(a => a.Contains(busybox ? "wget" : "curl", StringComparison.Ordinal)), "the client ran while the argvs were read");
    }

    [TestMethod]
    public async Task A_slow_client_gets_408_too_many_at_once_get_503_and_the_agent_keeps_serving()
    {
        await using var lab = new AgentLab(QuickSpec);
        File.WriteAllText(Path.Combine(lab.ConfDir, "z-90-devicetest.toml"), "# earlier\n");
        var agent = lab.Start();
        await agent.WaitForListeningAsync();

        // Eight clients that send their headers and never all of their body.
        var slow = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 8; i++)
            {
                var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, lab.Port);
                await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes($"POST /callback HTTP/1.1\r\nHost: 127.0.0.1:{lab.Port}\r\nContent-Length: 100\r\n\r\nv=1&"));
                slow.Add(client);
            }

            // A ninth request is answered at once with 503, not queued (asked again until the eight are all being handled).
            var secret = lab.Secret;
            (HttpStatusCode Status, string Body) busy;
            var clock = Stopwatch.StartNew();
            do
            {
                busy = await lab.SendAsync(HttpMethod.Get, "/", null, $"Bearer {secret}");
            }
            while (busy.Status == HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(3));

            Assert.AreEqual(HttpStatusCode.ServiceUnavailable, busy.Status, busy.Body);

            var answer = await ReadAnswerAsync(slow[0].GetStream()).WaitAsync(TimeSpan.FromSeconds(30));
            StringAssert.StartsWith(answer, "HTTP/1.1 408");
        }
        finally
        {
            slow.ForEach(c => c.Dispose());
        }

        await agent.WaitForLogTextAsync("did not send its body within 5 s");
        StringAssert.Contains(await lab.GetStatusAsync(), "idle");
        Assert.IsFalse(agent.HasExited);
    }

    [TestMethod]
    public void The_packaged_container_listens_on_the_hosts_loopback_only()
    {
        static string Settings(string file) => string.Join('\n', File.ReadAllLines(DeviceTest.Agent.Tests.Cli.RepositoryFiles.Path("packaging", file))
            .Where(l => !l.TrimStart().StartsWith('#')));
        var dockerfile = Settings("Dockerfile");
        var compose = Settings("docker-compose.yml");

        Assert.DoesNotContain("0.0.0.0", dockerfile);
        Assert.DoesNotContain("EXPOSE", dockerfile);
        StringAssert.Contains(dockerfile, "\"--listen\", \"127.0.0.1:8000\"");
        Assert.DoesNotContain("0.0.0.0", compose);
        Assert.DoesNotContain("ports:", compose);
        StringAssert.Contains(compose, "network_mode: host");
        StringAssert.Contains(compose, "- 127.0.0.1:${PORT-8000}");
    }

    /// <summary>Every process's argv on this machine, one string each.</summary>
    private static List<string> AllArgv()
    {
        var list = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _))
            {
                continue;
            }

            try
            {
                list.Add(File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' '));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended.
            }
        }

        return list;
    }

    /// <summary>Reads an HTTP request (headers and the Content-Length body) as text.</summary>
    private static async Task<string> ReadRequestAsync(NetworkStream stream)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        while (true)
        {
            var all = text.ToString();
            var end = all.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var length = System.Text.RegularExpressions.Regex.Match(all, @"(?i)content-length:\s*(\d+)") is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
                if (Encoding.UTF8.GetByteCount(all) >= end + 4 + length)
                {
                    return all;
                }
            }

            var n = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            if (n == 0)
            {
                return text.ToString();
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
    }

    private static async Task<string> ReadAnswerAsync(NetworkStream stream)
    {
        var buffer = new byte[4096];
        var n = await stream.ReadAsync(buffer);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }
}
