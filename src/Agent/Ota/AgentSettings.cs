namespace DeviceTest.Agent.Ota;

/// <summary>What <c>devicetest agent</c> was told on its command line.</summary>
internal sealed class AgentSettings
{
    public required string SpecPath { get; init; }

    /// <summary>Address the listener binds (127.0.0.1 by default, also in the container, which uses host networking).</summary>
    public required string ListenHost { get; init; }

    public required int ListenPort { get; init; }

    /// <summary>The URL the callback script posts to (differs from the listen address when a container publishes the port elsewhere).</summary>
    public required Uri CallbackUrl { get; init; }

    public required string SotaDirectory { get; init; }

    public required string ConfDirectory { get; init; }

    public required string StateDirectory { get; init; }

    public TimeSpan CallbackWarningAfter { get; init; } = TimeSpan.FromMinutes(10);
}
