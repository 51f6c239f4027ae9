namespace DeviceTest.Hardware.Qemu;

/// <summary>The files one QEMU run uses (the sockets in the run's private folder).</summary>
internal sealed record QemuPaths(string? Kernel, string? Initrd, string? Overlay, string QmpSocket, string PidFile, string ConsoleSocket);
