using System.Text;

namespace DeviceTest.Framework.Results.Writing;

/// <summary>
/// The shared core of the result writers: serialized results go to spool files in a folder next to the target
/// (<c>&lt;target&gt;.partial-&lt;random&gt;</c>, so the final rename stays on one file system), and the final file is
/// assembled from a header, the spooled bodies and a footer into a temporary file that then replaces the target in
/// one rename. Memory does not grow with the number of results: each result is appended to disk as it arrives.
/// </summary>
internal sealed class ResultFileSpool : IAsyncDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly string _formatName;
    private string? _directory;

    /// <param name="targetPath">The file to produce.</param>
    /// <param name="formatName">Names the format in error messages ("JUnit", "TRX").</param>
    public ResultFileSpool(string targetPath, string formatName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(targetPath);
        TargetPath = Path.GetFullPath(targetPath);
        _formatName = formatName;
    }

    public string TargetPath { get; }

    public string TargetDirectory => Path.GetDirectoryName(TargetPath) ?? Directory.GetCurrentDirectory();

    /// <summary>
    /// Appends text (UTF-8) to a spool part and returns the byte offset it starts at. Not cancellable: a half-written
    /// fragment would corrupt the file.
    /// </summary>
    public async Task<long> AppendAsync(string part, string text)
    {
        var path = Path.Combine(EnsureDirectory(), part);
        try
        {
            var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                var offset = stream.Position;
                var bytes = Utf8.GetBytes(text);
                await stream.WriteAsync(bytes, CancellationToken.None).ConfigureAwait(false);
                return offset;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotWrite(e);
        }
    }

    /// <summary>
    /// Overwrites <paramref name="length"/> bytes of a spool part at <paramref name="offset"/> with spaces (whitespace
    /// between XML elements), so that an element written earlier disappears without moving anything after it.
    /// Not cancellable, as <see cref="AppendAsync"/>.
    /// </summary>
    public async Task BlankAsync(string part, long offset, int length)
    {
        var path = Path.Combine(EnsureDirectory(), part);
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read, 4096, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                stream.Seek(offset, SeekOrigin.Begin);
                var spaces = new byte[length];
                Array.Fill(spaces, (byte)' ');
                await stream.WriteAsync(spaces, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotWrite(e);
        }
    }

    /// <summary>Copies a spool part's bytes to the destination; nothing when the part was never written.</summary>
    public async Task CopyPartAsync(string part, Stream destination, CancellationToken cancellationToken)
    {
        if (_directory is null)
        {
            return;
        }

        var path = Path.Combine(_directory, part);
        if (!File.Exists(path))
        {
            return;
        }

        var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        await using (source.ConfigureAwait(false))
        {
            await source.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes the final file through <paramref name="write"/> into a temporary file, then moves it over the target.
    /// The target is either the old file or the complete new one, never a partial one.
    /// </summary>
    public async Task PublishAsync(Func<FinalFileWriter, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(EnsureDirectory(), "final.tmp");
        try
        {
            var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                var writer = new FinalFileWriter(stream, this);
                await write(writer, cancellationToken).ConfigureAwait(false);
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, TargetPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotWrite(e);
        }
    }

    /// <summary>Removes the spool folder and everything in it.</summary>
    public ValueTask DisposeAsync()
    {
        var directory = _directory;
        _directory = null;
        if (directory is not null)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A leftover temporary folder is harmless; the result file itself is complete or untouched.
            }
        }

        return ValueTask.CompletedTask;
    }

    private string EnsureDirectory()
    {
        if (_directory is not null)
        {
            return _directory;
        }

        var directory = $"{TargetPath}.partial-{Guid.NewGuid().ToString("N")[..12]}";
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotWrite(e);
        }

        _directory = directory;
        return directory;
    }

    private IOException CannotWrite(Exception inner) => new(
        $"Cannot write the {_formatName} results file '{TargetPath}': {inner.Message} " +
        "Check that the folder exists, is writable and has free space.",
        inner);
}
