using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Serialization;

namespace DeviceTest.Agent.Gateway.Toml;

/// <summary>
/// Tomlyn's source-generated reader for its untyped model (<see cref="TomlTable"/>): no reflection, so the native
/// (NativeAOT, trimmed) <c>devicetest</c> reads TOML exactly as the JIT build does.
/// </summary>
[TomlSerializable(typeof(TomlTable))]
internal sealed partial class TomlModelContext : TomlSerializerContext
{
    /// <summary>A context for one read: <paramref name="options"/> carry the file name and the position store.</summary>
    public TomlModelContext(TomlSerializerOptions options)
        : base(options)
    {
    }
}
