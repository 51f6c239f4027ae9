using System.Globalization;

namespace DeviceTest.Agent.Gateway;

/// <summary>The agent's log: one timestamped line per event (UTC, ISO 8601), to stderr by default. Thread-safe.</summary>
public sealed class AgentLog
{
    private readonly TextWriter _writer;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();

    public AgentLog(TextWriter writer, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>A log that writes to the process's standard error.</summary>
    public static AgentLog StandardError { get; } = new(Console.Error);

    /// <summary>A log that drops everything.</summary>
    public static AgentLog None { get; } = new(TextWriter.Null);

    public void Info(string message) => Write("INFO ", message);

    public void Warning(string message) => Write("WARN ", message);

    public void Error(string message) => Write("ERROR", message);

    private void Write(string level, string message)
    {
        var stamp = _time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var text = message.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", "\n    ", StringComparison.Ordinal);
        lock (_lock)
        {
            try
            {
                _writer.WriteLine($"{stamp} {level} {text}");
                _writer.Flush();
            }
            catch (IOException)
            {
                // A closed stderr must not stop the agent.
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
