namespace DeviceTest.Hardware.Configuration;

/// <summary>A value from devices.yml that must never reach logs or results. Its ToString is a mask.</summary>
public sealed class Secret
{
    public Secret(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Value = value;
    }

    /// <summary>The secret itself. Use only where it is sent to the device.</summary>
    public string Value { get; }

    public override string ToString() => "***";
}
