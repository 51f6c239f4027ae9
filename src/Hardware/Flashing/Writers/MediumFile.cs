using Microsoft.Win32.SafeHandles;

namespace DeviceTest.Hardware.Flashing.Writers;

/// <summary>
/// The medium opened for writing on this machine: a block device opened exclusively with O_DIRECT (refused with
/// EBUSY when it or a partition of it is mounted or held), or a regular file (a QEMU board's disk, emptied and grown
/// to the image's size, so unmapped blocks read as zeros and take no space).
/// </summary>
internal sealed class MediumFile : IDisposable
{
    private MediumFile(string path, SafeFileHandle handle, bool isBlockDevice, bool direct)
    {
        Path = path;
        Handle = handle;
        IsBlockDevice = isBlockDevice;
        Direct = direct;
    }

    public string Path { get; }

    public SafeFileHandle Handle { get; }

    public bool IsBlockDevice { get; }

    /// <summary>Whether writes bypass the page cache (O_DIRECT) now.</summary>
    public bool Direct { get; private set; }

    /// <summary>The block device behind <paramref name="path"/> (symlinks such as /dev/disk/by-id/... followed), or null for a file.</summary>
    public static string? BlockDeviceName(string path)
    {
        var resolved = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        var name = System.IO.Path.GetFileName(resolved);
        return resolved.StartsWith("/dev/", StringComparison.Ordinal) && Directory.Exists("/sys/class/block/" + name) ? name : null;
    }

    /// <summary>The size of the medium at <paramref name="path"/> in bytes.</summary>
    public static long SizeOf(string path) =>
        BlockDeviceName(path) is { } name
            ? long.Parse(File.ReadAllText($"/sys/class/block/{name}/size").Trim(), System.Globalization.CultureInfo.InvariantCulture) * 512
            : new FileInfo(path).Length;

    /// <summary>Opens a block device to write.</summary>
    /// <exception cref="FlashException">In use (EBUSY), not allowed (EACCES), or another error.</exception>
    public static MediumFile OpenDevice(string path)
    {
        var handle = NativeDisk.OpenBlockDevice(path, write: true, direct: true, out var error);
        var direct = true;
        if (handle is null && error == NativeDisk.Einval)
        {
            handle = NativeDisk.OpenBlockDevice(path, write: true, direct: false, out error);
            direct = false;
        }

        if (handle is null)
        {
            throw error switch
            {
                NativeDisk.Ebusy => new FlashException(FlashFailure.Refused, FlashStage.Write,
                    $"medium {path} is in use on this machine (mounted, or held by another device such as LVM or RAID): refused before writing; unmount it first"),
                NativeDisk.Eacces => new FlashException(FlashFailure.Refused, FlashStage.Write,
                    $"medium {path} cannot be opened for writing: permission denied; run as a user allowed to write it (group disk)"),
                _ => new FlashException(FlashFailure.Unreachable, FlashStage.Write,
                    $"medium {path} cannot be opened for writing: {new System.ComponentModel.Win32Exception(error).Message}"),
            };
        }

        return new MediumFile(path, handle, isBlockDevice: true, direct);
    }

    /// <summary>Opens (creates) a disk image file to write, empty and <paramref name="size"/> bytes long (sparse) when the size is known.</summary>
    public static MediumFile OpenFile(string path, long? size)
    {
        try
        {
            var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            RandomAccess.SetLength(handle, 0);
            if (size is { } length)
            {
                RandomAccess.SetLength(handle, length);
            }
            return new MediumFile(path, handle, isBlockDevice: false, direct: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FlashException(FlashFailure.WriteFailed, FlashStage.Write, $"disk {path} cannot be written: {e.Message}", e);
        }
    }

    /// <summary>Writes go through the page cache from now on (a last piece that is not a whole number of sectors).</summary>
    public void StopDirect()
    {
        if (Direct && NativeDisk.ClearDirect(Handle))
        {
            Direct = false;
        }
    }

    public void Dispose() => Handle.Dispose();
}
