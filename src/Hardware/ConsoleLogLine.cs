namespace DeviceTest.Hardware;

/// <summary>One line of a console log.</summary>
public readonly record struct ConsoleLogLine(DateTimeOffset Time, string Text);
