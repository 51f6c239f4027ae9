namespace DeviceTest.Agent.Gateway.Toml;

public enum TomlValueKind
{
    Text,
    WholeNumber,
    FloatingPoint,
    Boolean,
    Array,
}
