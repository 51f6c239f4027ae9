using System.Formats.Tar;
using System.Text;

namespace DeviceTest.Hardware.Ssh;

/// <summary>
/// Writes a batch put's tar stream into ssh's stdin: the commit script, every file under its staging name, then the
/// record. The files go on a thread of their own with blocking writes and each file's data by sendfile(2)
/// (<see cref="FileSendStream"/>): no thread hop per write and no copy of the data through this process.
/// <para>
/// The archive gets its end (two zero blocks) only after every entry went whole. When something fails first (a file
/// changed size or cannot be read, cancellation), the stream is left so that the device's tar, GNU or busybox, exits
/// non-zero and the script removes the staging: cut inside a file's data, or, anywhere else, followed by a block that
/// is not a tar header. Both tars take a stream that simply stops between entries as a complete archive, and the commit
/// would then move in the files that came.
/// </para>
/// </summary>
internal sealed class BatchArchive
{
    private const int BlockSize = 512;

    private readonly Stream _bulk;

    /// <summary>The file whose entry is being written (null between entries).</summary>
    private FileSendStream? _current;

    private BatchArchive(Stream bulk)
    {
        _bulk = bulk;
    }

    /// <param name="stdin">ssh's stdin.</param>
    /// <param name="script">The commit script: its path on the device and its text.</param>
    /// <param name="files">Each file and its absolute staging path on the device.</param>
    /// <param name="modeOf">The permission bits of a file.</param>
    /// <param name="record">The record's staging path and its text (asked for after the last file went out); null: none.</param>
    /// <param name="sent">Called on the files' thread after each file's data went out.</param>
    /// <param name="cancellationToken">Stops between files (the caller kills ssh to stop one in flight).</param>
    /// <exception cref="SourceFileException">A local file changed size or cannot be read; the device's tar was made to fail.</exception>
    public static async Task WriteAsync(
        Stream stdin,
        (string Path, string Text) script,
        IReadOnlyList<(FileUpload File, string Staged)> files,
        Func<FileUpload, int> modeOf,
        (string Staged, Func<CancellationToken, Task<string>> Text)? record,
        Action<FileUpload>? sent,
        CancellationToken cancellationToken)
    {
        // A 1 MiB pipe instead of 64 KiB: each sendfile moves up to 1 MiB per wake-up instead of 64 KiB (200 MB into a
        // reader of 16 KiB reads, as ssh's: 25-35 ms of this process's CPU instead of 40-70, 40-60 ms machine-wide instead of 60-110).
        var bulk = BulkPipe.Writer(stdin, capacity: 1 << 20);
        var archive = new BatchArchive(bulk);

        // Not disposed on failure: disposing writes the end of the archive (leaveOpen: the pipe stays ours).
        var writer = new TarWriter(bulk, TarEntryFormat.Gnu, leaveOpen: true);
        var complete = false;
        try
        {
            await writer.WriteEntryAsync(SmallEntry(script.Path, script.Text), cancellationToken);
            await Task.Factory.StartNew(
                () => archive.WriteFiles(writer, files, modeOf, sent, cancellationToken),
                cancellationToken,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
            if (record is { } r)
            {
                await writer.WriteEntryAsync(SmallEntry(r.Staged, await RecordTextAsync(r.Text, cancellationToken)), cancellationToken);
            }

            await writer.DisposeAsync();
            complete = true;
        }
        finally
        {
            if (!complete)
            {
                archive.Break();
            }

            if (!ReferenceEquals(bulk, stdin))
            {
                await bulk.DisposeAsync();
            }
        }
    }

    /// <summary>Blocking writes, each straight into the pipe (the headers are not buffered, so the order holds).</summary>
    private void WriteFiles(TarWriter writer, IReadOnlyList<(FileUpload File, string Staged)> files, Func<FileUpload, int> modeOf, Action<FileUpload>? sent, CancellationToken cancellationToken)
    {
        foreach (var (file, staged) in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var data = FileSendStream.Open(file.LocalPath);
            _current = data;
            writer.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, staged.TrimStart('/'))
            {
                DataStream = data,
                Mode = (UnixFileMode)modeOf(file),
                ModificationTime = file.LastWriteTimeUtc ?? File.GetLastWriteTimeUtc(file.LocalPath),
                Uid = 0,
                Gid = 0,
            });
            _current = null;
            sent?.Invoke(file);
        }
    }

    /// <summary>Leaves the stream so that no tar takes it for a complete archive (see the class summary).</summary>
    private void Break()
    {
        var current = _current;
        if (current is not null && current.Position < current.Length)
        {
            return;
        }

        // After a file's data its padding may be missing: pad, then a block whose checksum cannot match.
        var padding = current is null ? 0 : (int)((BlockSize - (current.Length % BlockSize)) % BlockSize);
        var block = new byte[padding + BlockSize];
        block.AsSpan(padding).Fill(0xFF);
        try
        {
            _bulk.Write(block);
        }
        catch (IOException)
        {
            // The device already went away: its tar saw the stream end inside an entry, or nothing.
        }
    }

    /// <summary>The record's text; what fails making it (e.g. hashing a file that went away) is a problem here.</summary>
    private static async Task<string> RecordTextAsync(Func<CancellationToken, Task<string>> text, CancellationToken cancellationToken)
    {
        try
        {
            return await text(cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SourceFileException("cannot make the record of the files sent: " + e.Message, e);
        }
    }

    private static GnuTarEntry SmallEntry(string path, string text) =>
        new(TarEntryType.RegularFile, path.TrimStart('/'))
        {
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)),
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            ModificationTime = DateTimeOffset.UtcNow,
        };
}
