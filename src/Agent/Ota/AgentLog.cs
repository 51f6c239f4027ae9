using System.Globalization;

namespace DeviceTest.Agent.Ota;

/// <summary>The agent's log: one line per event, UTC time, level; written to the container's/journal's stdout.</summary>
internal sealed class AgentLog(TextWriter output)
{
    private readonly Lock _gate = new();

    public void Info(string message) => Write("INFO", message);

    public void Warning(string message) => Write("WARNING", message);

    public void Error(string message) => Write("ERROR", message);

    private void Write(string level, string message)
    {
        var time = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        lock (_gate)
        {
            foreach (var line in message.Split('\n'))
            {
                output.WriteLine($"{time} {level} {line.TrimEnd('\r')}");
            }

            output.Flush();
        }
    }
}
