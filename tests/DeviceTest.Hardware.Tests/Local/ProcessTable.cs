using System.Globalization;

namespace DeviceTest.Hardware.Tests.Local;

/// <summary>Reads /proc to see which processes run: those left in a process group, or the descendants of one.</summary>
internal static class ProcessTable
{
    public static IReadOnlyList<int> MembersOfGroup(int processGroupId) =>
        Entries().Where(e => e.State != "Z" && e.Group == processGroupId).Select(e => e.Pid).ToList();

    /// <summary>Descendants of <paramref name="ancestor"/> whose command name (comm) is <paramref name="name"/>.</summary>
    public static IReadOnlyList<int> DescendantsNamed(int ancestor, string name)
    {
        var entries = Entries().ToDictionary(e => e.Pid);
        bool Descends(int pid)
        {
            for (var p = pid; entries.TryGetValue(p, out var entry) && p > 1; p = entry.Parent)
            {
                if (entry.Parent == ancestor)
                {
                    return true;
                }
            }

            return false;
        }

        return entries.Values.Where(e => e.State != "Z" && e.Name == name && Descends(e.Pid)).Select(e => e.Pid).ToList();
    }

    /// <summary>Waits (generously) until the group is empty; returns what is left.</summary>
    public static async Task<IReadOnlyList<int>> WaitUntilGoneAsync(int processGroupId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var left = MembersOfGroup(processGroupId);
        while (left.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            left = MembersOfGroup(processGroupId);
        }

        return left;
    }

    private static IEnumerable<(int Pid, string Name, string State, int Parent, int Group)> Entries()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // pid (comm) state ppid pgrp ...; comm may contain spaces, so parse after the last ')'.
            var close = stat.LastIndexOf(')');
            var fields = stat[(close + 2)..].Split(' ');
            yield return (pid, stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..close], fields[0],
                int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[2], CultureInfo.InvariantCulture));
        }
    }
}
