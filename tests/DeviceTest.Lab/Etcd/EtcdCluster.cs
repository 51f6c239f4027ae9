using System.Globalization;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using DeviceTest.Lab.Gateway;
using DeviceTest.Lab.Serial;

namespace DeviceTest.Lab.Etcd;

/// <summary>
/// A real etcd cluster (Debian's etcd-server) of 3 members on 127.0.0.1, each with a client and a peer port held for
/// the cluster's life (<see cref="LoopbackPort"/>) and a data folder in a temporary folder. Members are killed by pid
/// (SIGKILL); disposing kills the rest and removes the folder. <see cref="StartSecuredAsync"/> starts one whose members
/// serve clients over TLS only, ask for client certificates, and have etcd's authentication on.
/// </summary>
public sealed class EtcdCluster : IAsyncDisposable
{
    /// <summary>The user of a secured cluster that may read and write <c>/devicetest/</c>.</summary>
    public const string User = "devicetest";

    private readonly List<Member> _members;
    private readonly DirectoryInfo _directory;
    private readonly EtcdClusterTls? _tls;

    private EtcdCluster(List<Member> members, DirectoryInfo directory, EtcdClusterTls? tls)
    {
        _members = members;
        _directory = directory;
        _tls = tls;
    }

    /// <summary>The leases URL of the whole cluster: <c>etcd://127.0.0.1:C1,127.0.0.1:C2,127.0.0.1:C3</c>.</summary>
    public string Url => "etcd://" + string.Join(",", _members.Select(m => m.ClientEndpoint));

    /// <summary>A secured cluster's files: the CA, client certificates with and without a Common Name (PEM).</summary>
    public EtcdClusterTls Tls => _tls ?? throw new InvalidOperationException("the cluster does not use TLS (StartSecuredAsync)");

    /// <summary>The password of <see cref="User"/> in a secured cluster.</summary>
    public string Password { get; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    /// <summary>
    /// A secured cluster's leases URL: <c>etcds://user:password@...?cacert=...&amp;cert=...&amp;key=...</c> with the client
    /// certificate without a Common Name (<paramref name="query"/> replaces the query when given).
    /// </summary>
    public string SecuredUrl(string user, string password, string? query = null) =>
        $"etcds://{user}:{password}@{string.Join(",", _members.Select(m => m.ClientEndpoint))}?" +
        (query ?? $"cacert={Tls.CaFile}&cert={Tls.ClientCertificateFile}&key={Tls.ClientKeyFile}");

    /// <summary>The leases URL with a time to live: <c>etcd://...?ttl=5s</c>.</summary>
    public string UrlWithTimeToLive(TimeSpan ttl) => string.Create(CultureInfo.InvariantCulture, $"{Url}?ttl={(int)ttl.TotalSeconds}s");

    public int Count => _members.Count;

    /// <summary>Starts the members and waits until the cluster has a leader and answers (60 s at most).</summary>
    public static Task<EtcdCluster> StartAsync(int count = 3) => StartAsync(count, null, null);

    /// <summary>
    /// Starts members that serve clients over TLS only with <paramref name="pki"/>'s server certificate, require a client
    /// certificate signed by its CA, and have etcd's authentication on: <c>root</c>, and <see cref="User"/> with
    /// <see cref="Password"/> and read and write on <c>/devicetest/</c>. A session token expires after
    /// <paramref name="tokenTimeToLive"/> without use (etcd's default: 5 minutes).
    /// </summary>
    public static async Task<EtcdCluster> StartSecuredAsync(GatewayPki pki, int count = 1, TimeSpan? tokenTimeToLive = null)
    {
        ArgumentNullException.ThrowIfNull(pki);
        var cluster = await StartAsync(count, pki, tokenTimeToLive);
        try
        {
            await cluster.EnableAuthenticationAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private static async Task<EtcdCluster> StartAsync(int count, GatewayPki? pki, TimeSpan? tokenTimeToLive)
    {
        LabRequirement.Programs("etcd");
        var directory = Directory.CreateTempSubdirectory("devicetest-etcd-");
        var members = new List<Member>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                members.Add(new Member($"m{i + 1}", LoopbackPort.Reserve(), LoopbackPort.Reserve()));
            }

            var tls = pki is null ? null : EtcdClusterTls.Write(pki, directory.FullName);
            var token = "devicetest-" + Guid.NewGuid().ToString("N");
            var initial = string.Join(",", members.Select(m => $"{m.Name}=http://127.0.0.1:{m.Peer.Number}"));
            foreach (var member in members)
            {
                member.Start(directory.FullName, initial, token, tls, tokenTimeToLive);
            }

            var cluster = new EtcdCluster(members, directory, tls);
            await cluster.WaitHealthyAsync(TimeSpan.FromSeconds(60));
            return cluster;
        }
        catch
        {
            foreach (var member in members)
            {
                await member.StopAsync();
            }

            TryDelete(directory);
            throw;
        }
    }

    /// <summary>The process id of member <paramref name="index"/> (0-based).</summary>
    public int ProcessId(int index) => _members[index].Process!.Id;

    /// <summary>Which member leads now (asked of each running member until one answers).</summary>
    public async Task<int> LeaderAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            foreach (var member in _members.Where(m => m.IsRunning))
            {
                try
                {
                    using var content = new StringContent("{}", Encoding.UTF8, "application/json");
                    using var response = await http.PostAsync(new Uri($"http://{member.ClientEndpoint}/v3/maintenance/status"), content);
                    var status = JsonNode.Parse(await response.Content.ReadAsStringAsync());
                    var leader = status?["leader"]?.GetValue<string>();
                    var self = status?["header"]?["member_id"]?.GetValue<string>();
                    if (leader is { Length: > 0 } && leader != "0" && self is not null)
                    {
                        if (leader == self)
                        {
                            return _members.IndexOf(member);
                        }
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
                {
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"no etcd member says it leads:\n{Logs()}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>etcd's revision now (it grows with every change: a claim, a release, a waiter queueing).</summary>
    public async Task<long> RevisionAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var member = _members.First(m => m.IsRunning);
        using var content = new StringContent("{\"key\":\"AA==\"}", Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri($"http://{member.ClientEndpoint}/v3/kv/range"), content);
        var range = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        return long.Parse(range?["header"]?["revision"]?.GetValue<string>() ?? "0", CultureInfo.InvariantCulture);
    }

    /// <summary>Kills member <paramref name="index"/> with SIGKILL (by its pid) and waits until it is gone.</summary>
    public Task KillAsync(int index) => _members[index].StopAsync();

    /// <summary>Every member's log, for failure messages.</summary>
    public string Logs() => string.Join("\n", _members.Select(m => $"--- {m.Name}:\n{Tail(m.Process?.ReadLog() ?? string.Empty)}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var member in _members)
        {
            await member.StopAsync();
            member.Client.Dispose();
            member.Peer.Dispose();
        }

        TryDelete(_directory);
    }

    private async Task EnableAuthenticationAsync()
    {
        using var http = Http();
        var member = _members[0].BaseUrl(_tls);
        string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        foreach (var (path, body) in new[]
        {
            ("user/add", $"{{\"name\":\"root\",\"password\":\"{Password}-root\"}}"),
            ("role/add", "{\"name\":\"root\"}"),
            ("user/grant", "{\"user\":\"root\",\"role\":\"root\"}"),
            ("user/add", $"{{\"name\":\"{User}\",\"password\":\"{Password}\"}}"),
            ("role/add", $"{{\"name\":\"{User}\"}}"),
            ("role/grant", $"{{\"name\":\"{User}\",\"perm\":{{\"permType\":\"READWRITE\",\"key\":\"{Base64("/devicetest/")}\",\"range_end\":\"{Base64("/devicetest0")}\"}}}}"),
            ("user/grant", $"{{\"user\":\"{User}\",\"role\":\"{User}\"}}"),
            ("enable", "{}"),
        })
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri($"{member}/v3/auth/{path}"), content);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"etcd refused auth/{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
    }

    /// <summary>An HTTP client for the members (with a secured cluster's CA and client certificate without a Common Name).</summary>
    private HttpClient Http()
    {
        if (_tls is null)
        {
            return new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        }

        var handler = new SocketsHttpHandler();
        handler.SslOptions.ClientCertificates = [X509Certificate2.CreateFromPemFile(_tls.ClientCertificateFile, _tls.ClientKeyFile)];
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(_tls.CaFile);
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return certificate is X509Certificate2 server && chain.Build(server);
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = Http();
        var deadline = DateTime.UtcNow + timeout;
        foreach (var member in _members)
        {
            while (true)
            {
                if (!member.IsRunning)
                {
                    throw new InvalidOperationException($"etcd member {member.Name} exited at start:\n{Logs()}");
                }

                try
                {
                    var health = await http.GetStringAsync(new Uri($"{member.BaseUrl(_tls)}/health"));
                    if (health.Contains("\"true\"", StringComparison.Ordinal))
                    {
                        break;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"etcd member {member.Name} is not healthy within {timeout}:\n{Logs()}");
                }

                await Task.Delay(100);
            }
        }
    }

    private static string Tail(string text) => text.Length <= 3000 ? text : "..." + text[^3000..];

    private static void TryDelete(DirectoryInfo directory)
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed class Member(string name, LoopbackPort client, LoopbackPort peer)
    {
        public string Name { get; } = name;

        public LoopbackPort Client { get; } = client;

        public LoopbackPort Peer { get; } = peer;

        public LabProcess? Process { get; private set; }

        public string ClientEndpoint => $"127.0.0.1:{Client.Number}";

        public bool IsRunning => Process is { HasExited: false };

        public string BaseUrl(EtcdClusterTls? tls) => $"{(tls is null ? "http" : "https")}://{ClientEndpoint}";

        public void Start(string root, string initialCluster, string token, EtcdClusterTls? tls, TimeSpan? tokenTimeToLive)
        {
            var data = Path.Combine(root, Name);
            var clientUrl = BaseUrl(tls);
            var peerUrl = $"http://127.0.0.1:{Peer.Number}";
            string[] security = tls is null
                ? []
                : ["--cert-file", tls.ServerCertificateFile, "--key-file", tls.ServerKeyFile, "--trusted-ca-file", tls.CaFile, "--client-cert-auth"];
            string[] tokens = tokenTimeToLive is { } ttl ? ["--auth-token-ttl", ((int)ttl.TotalSeconds).ToString(CultureInfo.InvariantCulture)] : [];
            Process = LabProcess.Start(
                LabRequirement.FindProgram("etcd")!,
                [
                    "--name", Name, "--data-dir", data,
                    "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
                    "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
                    "--initial-cluster", initialCluster, "--initial-cluster-token", token, "--initial-cluster-state", "new",
                    "--heartbeat-interval", "100", "--election-timeout", "1000",
                    "--logger", "zap", "--log-outputs", "stderr", "--log-level", "warn",
                    .. security,
                    .. tokens,
                ],
                Path.Combine(root, Name + ".log"),
                root);
        }

        public async Task StopAsync()
        {
            if (Process is { } process)
            {
                await process.KillAsync();
            }
        }
    }
}
