using System.Text;

namespace DeviceTest.Hardware.Ssh;

/// <summary>
/// Where each file of a batch put is staged on the device, and the shell script that commits or aborts it.
/// Files for a directory that exists go to <c>DIR/.devicetest-stage-ID/NAME</c> and are moved in with one <c>mv</c> per
/// directory. A directory tree that does not exist yet is built whole under <c>PARENT/.devicetest-new-ID-N</c> and
/// renamed into place with one <c>mv</c>, so a fresh deploy of thousands of files costs a handful of processes.
/// </summary>
internal sealed class SshBatchPlan
{
    /// <summary>Starts the stdout line that says why the record could not be written.</summary>
    public const string RecordFailed = "devicetest-record-failed: ";

    private const int NamesPerCommand = 256;

    private SshBatchPlan(List<(FileUpload File, string Staged)> entries, string script)
    {
        Entries = entries;
        Script = script;
    }

    /// <summary>Each file and its absolute staging path on the device.</summary>
    public IReadOnlyList<(FileUpload File, string Staged)> Entries { get; }

    /// <summary>The script: <c>sh SCRIPT commit</c> moves everything into place, anything else removes the staging.</summary>
    public string Script { get; }

    /// <param name="files">The files (distinct absolute target paths).</param>
    /// <param name="modeOf">The permission bits of a file.</param>
    /// <param name="id">Unique to this batch.</param>
    /// <param name="existingDirectories">Directories known to exist; null: assume every target directory exists.</param>
    /// <param name="record">A record file to install (best effort) after everything is in place: its target path and
    /// where the archive puts its content. A failure prints <see cref="RecordFailed"/> and the reason on stdout.</param>
    public static SshBatchPlan Create(
        IReadOnlyList<FileUpload> files, Func<FileUpload, int> modeOf, string id, IReadOnlySet<string>? existingDirectories, (string Path, string Staged)? record = null)
    {
        var stageName = ".devicetest-stage-" + id;
        var entries = new List<(FileUpload File, string Staged)>(files.Count);
        var existingGroups = new Dictionary<string, List<(string Name, FileUpload File)>>(StringComparer.Ordinal);
        var newRoots = new Dictionary<string, string>(StringComparer.Ordinal); // missing top directory -> its staging name
        foreach (var file in files)
        {
            var directory = DirectoryOf(file.RemotePath);
            var name = file.RemotePath[(file.RemotePath.LastIndexOf('/') + 1)..];
            var top = existingDirectories is null ? null : TopMissing(directory, existingDirectories);
            if (top is null)
            {
                if (!existingGroups.TryGetValue(directory, out var group))
                {
                    existingGroups[directory] = group = [];
                }

                group.Add((name, file));
                entries.Add((file, Join(directory, stageName) + "/" + name));
            }
            else
            {
                if (!newRoots.TryGetValue(top, out var staged))
                {
                    newRoots[top] = staged = Join(DirectoryOf(top), ".devicetest-new-" + id + "-" + newRoots.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                entries.Add((file, staged + file.RemotePath[top.Length..]));
            }
        }

        var stages = existingGroups.Keys.Select(d => ShellQuoting.Quote(Join(d, stageName))).ToList();
        var script = new StringBuilder();
        script.Append("abort() { rm -rf --");
        foreach (var stage in stages.Concat(newRoots.Values.Select(ShellQuoting.Quote)))
        {
            script.Append(' ').Append(stage);
        }

        if (record is { } r)
        {
            script.Append(' ').Append(ShellQuoting.Quote(r.Staged));
        }

        script.Append("; }\n");
        script.Append("if [ \"$1\" != commit ]; then abort; exit 1; fi\n");

        // As root, tar already gave every file its mode from the archive; others get the umask, so set it explicitly.
        script.Append("if [ \"$(id -u)\" != 0 ]; then\n");
        foreach (var byMode in entries.GroupBy(e => modeOf(e.File)))
        {
            foreach (var chunk in byMode.Chunk(NamesPerCommand))
            {
                script.Append("chmod ").Append(Convert.ToString(byMode.Key, 8)).Append(" --");
                foreach (var (_, staged) in chunk)
                {
                    script.Append(' ').Append(ShellQuoting.Quote(staged));
                }

                script.Append(" || { abort; exit 1; }\n");
            }
        }

        script.Append("fi\n");
        foreach (var (top, staged) in newRoots)
        {
            script.Append("if [ -e ").Append(ShellQuoting.Quote(top)).Append(" ]; then echo ").Append(ShellQuoting.Quote(top + " appeared during the deploy")).Append(" >&2; abort; exit 1; fi\n");
            script.Append("mv -f -- ").Append(ShellQuoting.Quote(staged)).Append(' ').Append(ShellQuoting.Quote(top)).Append(" || { abort; exit 1; }\n");
        }

        var index = 0;
        foreach (var (directory, group) in existingGroups)
        {
            script.Append("cd -- ").Append(stages[index++]).Append(" || { abort; exit 1; }\n");
            foreach (var chunk in group.Chunk(NamesPerCommand))
            {
                script.Append("mv -f --");
                foreach (var (name, _) in chunk)
                {
                    script.Append(' ').Append(ShellQuoting.Quote("./" + name));
                }

                script.Append(' ').Append(ShellQuoting.Quote(directory == "/" ? "/" : directory + "/")).Append(" || { abort; exit 1; }\n");
            }
        }

        script.Append("cd /\n");
        foreach (var chunk in stages.Chunk(NamesPerCommand))
        {
            script.Append("rmdir -- ").AppendJoin(' ', chunk).Append('\n');
        }

        if (record is { } rec)
        {
            var directory = ShellQuoting.Quote(DirectoryOf(rec.Path));
            var temporary = ShellQuoting.Quote(rec.Path + ".devicetest-tmp-" + id);
            var staged = ShellQuoting.Quote(rec.Staged);
            script.Append("rec() { mkdir -p -- ").Append(directory).Append(" && cat -- ").Append(staged).Append(" > ").Append(temporary)
                .Append(" && chmod 644 ").Append(temporary).Append(" && mv -f -- ").Append(temporary).Append(' ').Append(ShellQuoting.Quote(rec.Path)).Append("; }\n");
            script.Append("if ! e=$(rec 2>&1); then rm -f -- ").Append(temporary).Append(" 2>/dev/null; printf '").Append(RecordFailed)
                .Append("%s\\n' \"$(printf '%s' \"$e\" | tr '\\n' ' ')\"; fi\n");
            script.Append("rm -f -- ").Append(staged).Append('\n');
        }

        script.Append("exit 0\n");
        return new SshBatchPlan(entries, script.ToString());
    }

    /// <summary>The directories whose existence decides the plan: every target directory and its ancestors.</summary>
    public static IReadOnlyCollection<string> DirectoriesToCheck(IEnumerable<FileUpload> files)
    {
        var all = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            for (var directory = DirectoryOf(file.RemotePath); directory != "/" && all.Add(directory); directory = DirectoryOf(directory))
            {
            }
        }

        return all;
    }

    private static string? TopMissing(string directory, IReadOnlySet<string> existing)
    {
        string? top = null;
        for (var d = directory; d != "/"; d = DirectoryOf(d))
        {
            if (existing.Contains(d))
            {
                break;
            }

            top = d;
        }

        return top;
    }

    private static string DirectoryOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    private static string Join(string directory, string name) => directory == "/" ? "/" + name : directory + "/" + name;
}
