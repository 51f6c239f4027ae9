using System.Diagnostics;
using DeviceTest.Hardware.Ssh;

namespace DeviceTest.Hardware.Flashing.Images;

/// <summary>
/// A system decompressor (xz, lbzip2...) as a stream: the compressed file is fed to its stdin by a background task
/// that counts what it fed (so a corrupt stream is reported with where it broke), its stdout is read. When it exits
/// with an error, the read that sees the end throws with its stderr.
/// </summary>
internal sealed class PipeDecoder : ReadOnlyStream
{
    private readonly Process _process;
    private readonly Stream _stdout;
    private readonly Task _feeding;
    private readonly Task<string> _stderr;
    private readonly CancellationTokenSource _stop = new();
    private readonly string _program;
    private long _fed;
    private bool _ended;

    private PipeDecoder(Process process, Stream source, string program)
    {
        _process = process;
        _program = program;
        _stdout = BulkPipe.Reader(process.StandardOutput.BaseStream);
        _stderr = process.StandardError.ReadToEndAsync();
        _feeding = Task.Run(() => FeedAsync(source, process.StandardInput.BaseStream, _stop.Token));
    }

    /// <summary>Compressed bytes handed to the decompressor so far.</summary>
    public long Fed => Interlocked.Read(ref _fed);

    public static PipeDecoder Start(string program, IReadOnlyList<string> arguments, Stream source, string imagePath, ImageCompression compression)
    {
        try
        {
            return new PipeDecoder(ToolProcess.Start(program, arguments, redirectInput: true), source, program);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            source.Dispose();
            throw new FlashException(FlashFailure.BadImage, FlashStage.Image,
                $"image {imagePath} is {compression.ToString().ToLowerInvariant()}-compressed and {program} cannot be run: {e.Message}", e);
        }
    }

    /// <summary>Not used: the decompressor's end is awaited (read asynchronously).</summary>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("read a pipe decoder asynchronously");

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _stdout.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (read == 0 && buffer.Length > 0)
        {
            await EndAsync(cancellationToken).ConfigureAwait(false);
        }

        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stop.Cancel();
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                }

                _process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            _stdout.Dispose();
            _process.Dispose();
            _stop.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The decompressor closed its output: it must have exited with 0, else the stream was corrupt.</summary>
    private async Task EndAsync(CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var message = (await _stderr.ConfigureAwait(false)).Trim();
        if (_process.ExitCode != 0)
        {
            throw new IOException($"{Path.GetFileName(_program)} exited with {_process.ExitCode}: {message}");
        }
    }

    private async Task FeedAsync(Stream source, Stream stdin, CancellationToken cancellationToken)
    {
        var writer = BulkPipe.Writer(stdin);
        var buffer = new byte[1 << 20];
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await writer.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref _fed, read);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The decompressor stopped reading (it failed, or we stopped it): its exit code tells.
        }
        finally
        {
            if (writer != stdin)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }

            await stdin.DisposeAsync().ConfigureAwait(false);
            await source.DisposeAsync().ConfigureAwait(false);
        }
    }
}
