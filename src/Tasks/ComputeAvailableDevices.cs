using System.Net.Sockets;
using System.Runtime.InteropServices;
using DeviceTest.Hardware.Configuration;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace DeviceTest.Tasks;

/// <summary>
/// The .NET SDK device contract: lists the devices of the devices file as <c>Devices</c> items (identity: the device
/// name) with <c>Description</c>, <c>Type</c> (<c>Device</c> or <c>Emulator</c>), <c>Status</c> (<c>Online</c>,
/// <c>Offline</c> or <c>Available</c> for QEMU boards, which start on demand) and, when known, <c>RuntimeIdentifier</c>.
/// Status comes from a quick TCP connect (SSH, ser2net) or the port's existence (local serial).
/// </summary>
public sealed class ComputeAvailableDevices : DeviceTaskBase
{
    /// <summary>How long a reachability probe may take, in milliseconds.</summary>
    public int ProbeTimeout { get; set; } = 1000;

    /// <summary>The devices (output).</summary>
    [Output]
    public ITaskItem[] Devices { get; set; } = [];

    internal override async Task<bool> ExecuteAsync(CancellationToken cancellationToken)
    {
        var selection = TaskDeviceSelection.From(null, DevicesFile, RunSettingsFile, RunSettingsArguments);
        var directory = string.IsNullOrEmpty(ProjectDirectory) ? Directory.GetCurrentDirectory() : ProjectDirectory;
        var location = DeviceFileLocator.Locate(selection.DevicesFile, directory);
        if (location is not null && !File.Exists(location.Path))
        {
            LogProjectError(ErrorCodes.DevicesFile, $"the devices file {location.Describe()} does not exist.");
            return false;
        }

        var loaded = DeviceFileLoader.Load(location);
        foreach (var diagnostic in loaded.Diagnostics)
        {
            var p = diagnostic.Position;
            Log.LogWarning(null, diagnostic.Code, null, p.File, p.Line, p.Column, 0, 0, diagnostic.Message + " (device left out of the list)");
        }

        var statuses = await System.Threading.Tasks.Task.WhenAll(loaded.Devices.Select(d => StatusAsync(d, cancellationToken)));
        Devices = loaded.Devices.Select((d, i) => Item(d, statuses[i])).ToArray();
        return true;
    }

    private static TaskItem Item(DeviceConfig device, string status)
    {
        var item = new TaskItem(device.Name);
        item.SetMetadata("Description", Describe(device));
        item.SetMetadata("Type", device.Qemu is null ? "Device" : "Emulator");
        item.SetMetadata("Status", status);
        if (RuntimeIdentifierOf(device) is { } rid)
        {
            item.SetMetadata("RuntimeIdentifier", rid);
        }

        item.SetMetadata("Tags", string.Join(";", device.Tags));
        return item;
    }

    private static string Describe(DeviceConfig device)
    {
        var parts = new List<string>();
        if (device.Ssh is { } ssh)
        {
            parts.Add($"ssh {(ssh.User is null ? string.Empty : ssh.User + "@")}{ssh.Host}:{ssh.Port ?? 22}");
        }

        if (device.Serial is { } serial)
        {
            parts.Add("serial " + serial.Port);
        }

        if (device.Qemu is { } qemu)
        {
            parts.Add("qemu " + qemu.Arch);
        }

        if (parts.Count == 0)
        {
            parts.Add("this machine");
        }

        var tags = device.Tags.Count == 0 ? string.Empty : " [" + string.Join(", ", device.Tags) + "]";
        return string.Join(", ", parts) + tags;
    }

    private static string? RuntimeIdentifierOf(DeviceConfig device)
    {
        if (device.Ssh is null && device.Serial is null && device.Qemu is null)
        {
            return RuntimeInformation.RuntimeIdentifier;
        }

        if (device.Qemu is { } qemu)
        {
            return qemu.Arch == "aarch64" ? "linux-arm64" : "linux-x64";
        }

        foreach (var tag in device.Tags)
        {
            switch (tag.ToUpperInvariant())
            {
                case "ARM64" or "AARCH64":
                    return "linux-arm64";
                case "X64" or "AMD64" or "X86_64":
                    return "linux-x64";
                case "ARM" or "ARMHF" or "ARMV7":
                    return "linux-arm";
                case "RISCV64":
                    return "linux-riscv64";
                default:
                    break;
            }
        }

        return null;
    }

    private async Task<string> StatusAsync(DeviceConfig device, CancellationToken cancellationToken)
    {
        if (device.Ssh is { } ssh)
        {
            return await AnswersAsync(ssh.Host, ssh.Port ?? 22, cancellationToken) ? "Online" : "Offline";
        }

        if (device.Qemu is not null)
        {
            return "Available";
        }

        if (device.Serial is { } serial)
        {
            if (Uri.TryCreate(serial.Port, UriKind.Absolute, out var uri) && uri.Scheme is "tcp" or "rfc2217")
            {
                return await AnswersAsync(uri.Host, uri.Port, cancellationToken) ? "Online" : "Offline";
            }

            return File.Exists(serial.Port) ? "Online" : "Offline";
        }

        return "Online";
    }

    private async Task<bool> AnswersAsync(string host, int port, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
