namespace DeviceTest.Fakes;

/// <summary>One write to a <see cref="FakeConsole"/>: when (fake time) and what.</summary>
public readonly record struct FakeConsoleWrite(DateTimeOffset Time, string Text);
