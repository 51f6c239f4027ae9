using System.Runtime.InteropServices;

namespace DeviceTest.Agent.Cli;

/// <summary>
/// Turns the first Ctrl+C or SIGTERM into a cancellation (the run stops cleanly and writes its results);
/// a second Ctrl+C lets the process die at once.
/// </summary>
internal sealed class CancellationScope : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private readonly TextWriter _error;
    private readonly string _stopping;

    /// <param name="error">Where the signal is said.</param>
    /// <param name="stopping">What stopping means for the command ("results so far are being written").</param>
    public CancellationScope(TextWriter error, string stopping = "results so far are being written")
    {
        _error = error;
        _stopping = stopping;
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _source.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (_source.IsCancellationRequested)
        {
            // Second signal: default handling (terminate now).
            return;
        }

        context.Cancel = true;
        _error.WriteLine($"{context.Signal}: stopping; {_stopping} (press Ctrl+C again to abort)");
        _source.Cancel();
    }
}
