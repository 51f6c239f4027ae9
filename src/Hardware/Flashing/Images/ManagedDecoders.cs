using System.Diagnostics.CodeAnalysis;

namespace DeviceTest.Hardware.Flashing.Images;

/// <summary>
/// Whether this build decompresses images itself (System.IO.Compression for gzip, SharpCompress, ZstdSharp). The .NET
/// tool and the library do; the native devicetest does not: its project sets the switch to false (a
/// RuntimeHostConfigurationOption with Trim="true", for PublishAot only), so the compiler leaves the managed decoders out
/// (0.7 MB for xz, zstd and bzip2, 0.17 MB for gzip with its zlib-ng: docs/native.md) and it runs xz, zstd, bzip2 and
/// pigz or gzip instead, as bmaptool does; without the program an image in that format is refused before anything is
/// written, naming the package to install.
/// </summary>
internal static class ManagedDecoders
{
    public const string SwitchName = "DeviceTest.Flashing.ManagedDecoders";

    [FeatureSwitchDefinition(SwitchName)]
    public static bool IsSupported => !AppContext.TryGetSwitch(SwitchName, out var enabled) || enabled;
}
