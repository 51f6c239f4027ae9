using DeviceTest.Agent.Gateway;
using DeviceTest.Lab.Gateway;

namespace DeviceTest.Agent.Tests.Gateway;

/// <summary>A temp folder with a sota directory and a state directory, a test PKI, and a running gateway stand-in.</summary>
internal sealed class GatewayLab : IAsyncDisposable
{
    private readonly StringWriter _logText = new();

    private GatewayLab(string root, GatewayPki pki, GatewayStandIn gateway)
    {
        Root = root;
        Pki = pki;
        Gateway = gateway;
        Log = new AgentLog(TextWriter.Synchronized(_logText));
    }

    public string Root { get; }

    public string SotaDirectory => Path.Combine(Root, "sota");

    public string StateDirectory => Path.Combine(Root, "state");

    public GatewayPki Pki { get; }

    public GatewayStandIn Gateway { get; }

    public AgentLog Log { get; }

    public string LogText => _logText.ToString();

    public static GatewayClientOptions ShortTimeouts => new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(5),
        RequestTimeout = TimeSpan.FromSeconds(2),
        ArtifactTimeout = TimeSpan.FromSeconds(5),
    };

    public static SpoolUploaderOptions FastRetries => new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        RetryMaxDelay = TimeSpan.FromMilliseconds(200),
        PollInterval = TimeSpan.FromSeconds(1),
        JitterSeed = 42,
    };

    public static async Task<GatewayLab> StartAsync()
    {
        var root = Directory.CreateTempSubdirectory("devicetest-gateway-").FullName;
        var pki = GatewayPki.Create();
        var gateway = await GatewayStandIn.StartAsync(pki);
        var lab = new GatewayLab(root, pki, gateway);
        pki.WriteSotaDirectory(lab.SotaDirectory, gateway.Server);
        Directory.CreateDirectory(lab.StateDirectory);
        return lab;
    }

    public GatewayClient NewClient(GatewayClientOptions? options = null) =>
        new(SotaConfig.Load(SotaDirectory), options ?? ShortTimeouts);

    public string WriteFile(string name, string content)
    {
        var dir = Path.Combine(Root, "work");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        Pki.Dispose();
        await _logText.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
