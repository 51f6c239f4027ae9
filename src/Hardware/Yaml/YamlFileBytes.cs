namespace DeviceTest.Hardware.Yaml;

/// <summary>
/// Reads the bytes of the file a <see cref="YamlDocumentReader"/> stands for, reporting to it instead of throwing: a
/// bad path, a missing file, a directory, an unreadable file, and a file over the reader's size limit (refused before
/// it is read, and never read past the limit when the file system does not know its length: pipes, /proc).
/// </summary>
internal sealed class YamlFileBytes(YamlDocumentReader document)
{
    private const int ChunkSize = 81920;

    /// <summary>The file's bytes, or null after reporting why not.</summary>
    public byte[]? Read()
    {
        if (!CanRead())
        {
            return null;
        }

        try
        {
            using var stream = new FileStream(document.FilePath, FileMode.Open, FileAccess.Read, FileShare.Read);
            using var buffer = new MemoryStream();
            var chunk = new byte[ChunkSize];
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (!Append(buffer, chunk, read))
                {
                    return null;
                }
            }

            return buffer.ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ReportUnreadable(ex);
            return null;
        }
    }

    /// <summary>Like <see cref="Read"/>, reading asynchronously.</summary>
    public async Task<byte[]?> ReadAsync(CancellationToken cancellationToken)
    {
        if (!CanRead())
        {
            return null;
        }

        try
        {
            var stream = new FileStream(document.FilePath, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                using var buffer = new MemoryStream();
                var chunk = new byte[ChunkSize];
                int read;
                while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (!Append(buffer, chunk, read))
                    {
                        return null;
                    }
                }

                return buffer.ToArray();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ReportUnreadable(ex);
            return null;
        }
    }

    // False (after reporting) once the buffer holds more than the limit: at most MaxBytes + one chunk is ever read.
    private bool Append(MemoryStream buffer, byte[] chunk, int count)
    {
        buffer.Write(chunk, 0, count);
        if (buffer.Length <= document.MaxBytes)
        {
            return true;
        }

        document.ReportTooLarge(buffer.Length);
        return false;
    }

    private bool CanRead()
    {
        var start = new ConfigPosition(document.FilePath, 1, 1);
        if (Directory.Exists(document.FilePath))
        {
            document.Add(start, ConfigSeverity.Error, document.CodeFor(YamlProblem.IsDirectory),
                "this is a directory, not a file; name the YAML file itself");
            return false;
        }

        FileInfo info;
        try
        {
            info = new FileInfo(document.FilePath);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException or UnauthorizedAccessException)
        {
            document.Add(start, ConfigSeverity.Error, document.CodeFor(YamlProblem.FileNotFound), $"not a valid file path: {ex.Message}");
            return false;
        }

        if (!info.Exists)
        {
            document.Add(start, ConfigSeverity.Error, document.CodeFor(YamlProblem.FileNotFound),
                $"file not found (looked for {info.FullName}); check the path");
            return false;
        }

        if (info.Length > document.MaxBytes)
        {
            document.ReportTooLarge(info.Length);
            return false;
        }

        return true;
    }

    private void ReportUnreadable(Exception ex) =>
        document.Add(new ConfigPosition(document.FilePath, 1, 1), ConfigSeverity.Error, document.CodeFor(YamlProblem.Unreadable),
            $"cannot read the file: {ex.Message}");
}
