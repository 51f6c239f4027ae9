using System.Globalization;
using DeviceTest.Hardware;
using Microsoft.Build.Framework;

namespace DeviceTest.Tasks;

/// <summary>Waits until the device is "shell ready" through its boot strategy (power on, prompt or SSH, login).</summary>
public sealed class WaitForDevice : DeviceTaskBase
{
    /// <summary>How long to wait: <c>90s</c>, <c>5m</c>, <c>hh:mm:ss</c> or seconds; default 5 minutes.</summary>
    public string? Timeout { get; set; }

    internal override async Task<bool> ExecuteAsync(CancellationToken cancellationToken)
    {
        if (!Durations.TryParse(Timeout, TimeSpan.FromMinutes(5), out var timeout))
        {
            LogProjectError(ErrorCodes.BadParameter, $"WaitForDevice Timeout '{Timeout}' is not a duration such as 90s, 5m or 00:05:00.");
            return false;
        }

        var config = ResolveDeviceConfig();
        if (config is null)
        {
            return false;
        }

        await using var device = DeviceFactory.Create(config);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout + TimeSpan.FromSeconds(5));
        try
        {
            await device.EnsureReadyAsync(timeout, limit.Token);
        }
        catch (Exception e) when ((e is OperationCanceledException or TimeoutException) && !cancellationToken.IsCancellationRequested)
        {
            LogDeviceError(ErrorCodes.WaitTimedOut, string.Create(CultureInfo.InvariantCulture, $"device '{config.Name}' was not ready within {timeout.TotalSeconds:F0} s. Check its power and connection, or raise Timeout."));
            return false;
        }

        Log.LogMessage(MessageImportance.High, $"WaitForDevice: '{config.Name}' is ready.");
        return true;
    }
}
