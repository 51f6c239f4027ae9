using System.Collections.Concurrent;
using DeviceTest.Hardware;

namespace DeviceTest.Framework.Tests.Suites;

/// <summary>A device double for suite tests: records shell commands and answers them from a table.</summary>
internal sealed class RecordingDevice(string name = "bench", params string[] tags) : IDevice
{
    private readonly ConcurrentQueue<string> _commands = new();
    private readonly ConcurrentQueue<CommandRequest> _requests = new();

    public string Name { get; } = name;

    public IReadOnlyList<string> Tags { get; } = tags;

    public IReadOnlyList<string> Transports { get; } = ["recording"];

    public IFileTransfer Files { get; } = new NoFiles();

    public IDeviceConsole? Console => null;

    public IPower? Power { get; init; }

    /// <summary>Stdout for a command (by its shell text); others answer with an empty stdout and exit 0.</summary>
    public Dictionary<string, string> Answers { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Commands => [.. _commands];

    public IReadOnlyList<CommandRequest> Requests => [.. _requests];

    public bool Disposed { get; private set; }

    public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var text = request.Command.ToShellString();
        _commands.Enqueue(text);
        _requests.Enqueue(request);
        return Task.FromResult(new CommandResult
        {
            ExitCode = 0,
            Stdout = Answers.GetValueOrDefault(text, string.Empty),
            Stderr = string.Empty,
            Duration = TimeSpan.FromMilliseconds(3),
        });
    }

    public Task EnsureReadyAsync(TimeSpan timeout, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken) =>
        Task.FromResult(new RebootOutcome { Rebooted = false, Skipped = true, Details = "recording device", Duration = TimeSpan.Zero });

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }

    private sealed class NoFiles : IFileTransfer
    {
        public Task PutAsync(string localPath, string remotePath, int? mode, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task GetAsync(string remotePath, string localPath, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task GetDirectoryAsync(string remoteDirectory, string localDirectory, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
