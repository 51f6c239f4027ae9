using System.Globalization;

namespace DeviceTest.Hardware.Tests.Local;

/// <summary>Reads /proc to see which processes are left in a process group.</summary>
internal static class ProcessTable
{
    public static IReadOnlyList<int> MembersOfGroup(int processGroupId)
    {
        var members = new List<int>();
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
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[0] != "Z" && int.Parse(fields[2], CultureInfo.InvariantCulture) == processGroupId)
            {
                members.Add(pid);
            }
        }

        return members;
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
}
