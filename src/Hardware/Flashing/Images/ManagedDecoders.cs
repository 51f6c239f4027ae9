using System.Diagnostics.CodeAnalysis;

namespace DeviceTest.Hardware.Flashing.Images;

/// <summary>
/// Whether this build decompresses xz, zstd and bzip2 images itself (SharpCompress, ZstdSharp) where the system's
/// tools are missing. The .NET tool and the library do; the native devicetest does not: its project sets the switch
/// to false (a RuntimeHostConfigurationOption with Trim="true", for PublishAot only), so the compiler leaves the
/// managed decoders out (0.7 MB of the file, docs/native.md) and it runs xz, zstd and bzip2 instead; without the tool
/// an image in that format is refused before anything is written, naming the package to install. gzip is always
/// decompressed in-process (System.IO.Compression, part of .NET).
/// </summary>
internal static class ManagedDecoders
{
    public const string SwitchName = "DeviceTest.Flashing.ManagedDecoders";

    [FeatureSwitchDefinition(SwitchName)]
    public static bool IsSupported => !AppContext.TryGetSwitch(SwitchName, out var enabled) || enabled;
}
