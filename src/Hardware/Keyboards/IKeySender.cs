namespace DeviceTest.Hardware.Keyboards;

/// <summary>How a <see cref="Keyboard"/> gets one key combination to the device (QMP, a command).</summary>
internal interface IKeySender
{
    string Description { get; }

    /// <summary>Presses the keys together and releases them.</summary>
    Task SendAsync(KeyCombo keys, CancellationToken cancellationToken);
}
