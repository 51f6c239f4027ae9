namespace DeviceTest.Hardware.Qemu;

/// <summary>The files one QEMU run uses.</summary>
internal sealed record QemuPaths(string? Kernel, string? Initrd, string? Overlay, string QmpSocket, string PidFile);
