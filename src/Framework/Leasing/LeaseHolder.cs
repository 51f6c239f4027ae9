using System.Diagnostics;
using System.Globalization;

namespace DeviceTest.Framework.Leasing;

/// <summary>Who holds (or waits for) a device: the machine, the process, the user and since when.</summary>
public sealed record LeaseHolder
{
    public required string Host { get; init; }

    public required int ProcessId { get; init; }

    public required string User { get; init; }

    public required DateTimeOffset Since { get; init; }

    /// <summary>The program that holds it (devicetest, testhost, ...), for messages.</summary>
    public string? Program { get; init; }

    /// <summary>This process, from now.</summary>
    public static LeaseHolder Current(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        string? program = null;
        try
        {
            using var process = Process.GetCurrentProcess();
            program = process.ProcessName;
        }
        catch (InvalidOperationException)
        {
            // Only for messages.
        }

        return new LeaseHolder
        {
            Host = Environment.MachineName,
            ProcessId = Environment.ProcessId,
            User = Environment.UserName,
            Since = time.GetUtcNow(),
            Program = program,
        };
    }

    /// <summary>"alice on lab-2 (process 1234, devicetest) for 2m13s".</summary>
    public string Describe(DateTimeOffset now)
    {
        var held = now - Since;
        var duration = Hardware.Yaml.DurationText.Format(TimeSpan.FromSeconds(Math.Max(0, Math.Round(held.TotalSeconds))));
        var program = Program is { Length: > 0 } name ? $", {name}" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{User} on {Host} (process {ProcessId}{program}) for {duration}");
    }
}
