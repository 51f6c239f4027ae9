using System.Globalization;
using System.Text;

namespace DeviceTest.Hardware.Deployment;

/// <summary>
/// Batch operations for devices whose file transfer has none (e.g. a console shell): <c>stat</c> of many paths in a
/// few commands, and one <see cref="IFileTransfer.PutAsync"/> per file.
/// </summary>
internal sealed class FallbackBatchTransfer(IDevice device) : IBatchFileTransfer
{
    private const int PathsPerCommand = 100;

    public async Task<IReadOnlyDictionary<string, RemoteFileState>> StatAsync(IReadOnlyCollection<string> remotePaths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(remotePaths);
        var found = new Dictionary<string, RemoteFileState>(StringComparer.Ordinal);
        foreach (var chunk in remotePaths.Chunk(PathsPerCommand))
        {
            var script = new StringBuilder("for p in");
            foreach (var path in chunk)
            {
                script.Append(' ').Append(ShellQuoting.Quote(path));
            }

            script.Append("; do [ -f \"$p\" ] && stat -c '%s|%Y|%a|%n' -- \"$p\"; done; true");
            var result = await device.RunAsync(new CommandRequest(CommandLine.FromShell(script.ToString())) { Timeout = TimeSpan.FromMinutes(2) }, cancellationToken);
            foreach (var line in result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = line.TrimEnd('\r').Split('|', 4);
                if (parts.Length == 4 &&
                    long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var size) &&
                    long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var modified) &&
                    Octal.TryParseMode(parts[2], out var mode))
                {
                    found[parts[3]] = new RemoteFileState(size, modified, mode);
                }
            }
        }

        return found;
    }

    public async Task PutManyAsync(IReadOnlyList<FileUpload> files, Action<FileUpload>? sent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach (var file in files)
        {
            var mode = file.Mode ?? (OperatingSystem.IsWindows() ? null : (int)File.GetUnixFileMode(file.LocalPath) & 0xFFF);
            await device.Files.PutAsync(file.LocalPath, file.RemotePath, mode, cancellationToken);
            sent?.Invoke(file);
        }
    }
}
