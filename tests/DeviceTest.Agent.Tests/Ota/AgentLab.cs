using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text;
using DeviceTest.Lab;

namespace DeviceTest.Agent.Tests.Ota;

/// <summary>
/// A device's directories for one agent (sota dir with current-target, conf.d, state dir, the spec, a results
/// file), a loopback port held for the lab's whole life (<see cref="LoopbackPort"/>: no other process can take it
/// before the agent listens, nor between restarts), and the agent itself as a real process
/// (<c>devicetest agent ...</c>, see <see cref="Cli.DevicetestBinary"/>).
/// </summary>
internal sealed class AgentLab : IAsyncDisposable
{
    private readonly List<AgentProcess> _processes = [];
    private readonly LoopbackPort _port;

    public AgentLab(string spec, string? currentTarget = "TARGET_NAME=\"lmp-x86-64-42\"\nCUSTOM_VERSION=\"42\"\n")
    {
        _port = LoopbackPort.Reserve();
        Root = Directory.CreateTempSubdirectory("devicetest-agent-").FullName;
        Directory.CreateDirectory(SotaDir);
        Directory.CreateDirectory(ConfDir);
        File.WriteAllText(SpecPath, spec);
        if (currentTarget is not null)
        {
            File.WriteAllText(CurrentTargetPath, currentTarget);
        }
    }

    public string Root { get; }

    public string SotaDir => Path.Combine(Root, "sota");

    public string ConfDir => Path.Combine(Root, "conf.d");

    public string StateDir => Path.Combine(Root, "state");

    public string SpecPath => Path.Combine(Root, "test-spec.yml");

    public string ResultsFile => Path.Combine(Root, "records.jsonl");

    public string CurrentTargetPath => Path.Combine(SotaDir, "current-target");

    public string ScriptPath => Path.Combine(SotaDir, "devicetest-callback.sh");

    public string StatePath => Path.Combine(StateDir, "run-state.json");

    public int Port => _port.Number;

    /// <summary>True: records go to <see cref="ResultsFile"/>; false: to the gateway named in the sota dir's sota.toml.</summary>
    public bool UseResultsFile { get; set; } = true;

    public AgentProcess Start(params string[] extra)
    {
        string[] reporting = UseResultsFile ? ["--results-file", ResultsFile] : [];
        var process = AgentProcess.Start(Root,
        [
            "agent", "--spec", SpecPath, "--listen", $"127.0.0.1:{Port}", "--sota-dir", SotaDir, "--conf-d", ConfDir,
            "--state-dir", StateDir, .. reporting, .. extra,
        ]);
        _processes.Add(process);
        return process;
    }

    /// <summary>Runs the generated callback script as aktualizr-lite would (its environment only), under busybox sh with busybox's wget when <paramref name="busybox"/>.</summary>
    public async Task<(int ExitCode, string Stderr)> CallbackAsync(IReadOnlyDictionary<string, string> environment, bool busybox = true, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(busybox ? BusyboxBin.Shell : "/bin/sh") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (busybox)
        {
            start.ArgumentList.Add("sh");
        }

        start.ArgumentList.Add(ScriptPath);
        start.Environment.Clear();
        start.Environment["PATH"] = busybox ? BusyboxBin.Directory : "/usr/local/bin:/usr/bin:/bin";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await stderr);
    }

    /// <summary>aktualizr-lite's environment for a callback <paramref name="message"/> on Target lmp-x86-64-42.</summary>
    public Dictionary<string, string> CallbackEnvironment(string message, string? result = null)
    {
        var env = new Dictionary<string, string>
        {
            ["MESSAGE"] = message,
            ["CURRENT_TARGET"] = CurrentTargetPath,
            ["CURRENT_TARGET_NAME"] = "lmp-x86-64-42",
        };
        if (result is not null)
        {
            env["RESULT"] = result;
        }

        return env;
    }

    public IReadOnlyList<JsonElement> Records()
    {
        if (!File.Exists(ResultsFile))
        {
            return [];
        }

        return [.. File.ReadAllLines(ResultsFile).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }

    public IReadOnlyList<JsonElement> Completions() => [.. Records().Where(r => r.GetProperty("event").GetString() == "complete")];

    public IReadOnlyList<JsonElement> Starts() => [.. Records().Where(r => r.GetProperty("event").GetString() == "start")];

    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {what}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The callback secret in the generated script (which root, running the tests, may read).</summary>
    public string Secret =>
        System.Text.RegularExpressions.Regex.Match(File.ReadAllText(ScriptPath), "^secret='([0-9a-f]+)'$", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Groups[1].Value;

    public async Task<string> GetStatusAsync()
    {
        var (status, body) = await SendAsync(HttpMethod.Get, "/", null, $"Bearer {Secret}");
        Assert.AreEqual(HttpStatusCode.OK, status, body);
        return body;
    }

    /// <summary>Posts <paramref name="body"/> with the right secret (as an Authorization header).</summary>
    public Task<(HttpStatusCode Status, string Body)> PostAsync(byte[] body) => SendAsync(HttpMethod.Post, "/callback", body, $"Bearer {Secret}");

    public Task<(HttpStatusCode Status, string Body)> PostAsync(string body) => PostAsync(Encoding.UTF8.GetBytes(body));

    /// <summary>One request to the agent's listener with the given Authorization header (null: none).</summary>
    public async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, byte[]? body, string? authorization)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(method, new Uri($"http://127.0.0.1:{Port}{path}"));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
        }

        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        _port.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
