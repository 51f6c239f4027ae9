using System.Diagnostics;
using System.Globalization;

namespace DeviceTest.Lab;

/// <summary>
/// Starts programs that a test interrupts with SIGINT (Ctrl+C) as a terminal would find them: with SIGINT at its
/// default disposition, whatever the test run inherited.
/// A test run started as a background job of a non-interactive shell (<c>build/test.sh &gt; log &amp;</c>, a loop of
/// <c>dotnet test ... &amp;</c>, some CI steps) starts with SIGINT ignored; an ignored signal stays ignored across fork and
/// exec, .NET's Process.Start keeps it so, and the .NET runtime then installs no SIGINT handler at all: MSBuild never
/// says "Attempting to cancel the build", devicetest never stops, and a test that sends SIGINT waits in vain.
/// The program is therefore started through <c>env --default-signal=INT</c> (GNU coreutils 8.31+), which resets SIGINT
/// and execs it: the same process id, nothing left in between. Always, not only when SIGINT is ignored, so the path the
/// tests take is the same in every run.
/// </summary>
public static class Interruptible
{
    /// <summary>Rewrites <paramref name="start"/> (program and ArgumentList) to run its program with SIGINT at the default.</summary>
    public static void ResetSigint(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (!string.IsNullOrEmpty(start.Arguments))
        {
            throw new ArgumentException("give the arguments as ArgumentList, not as one string", nameof(start));
        }

        var command = new List<string> { "--default-signal=INT", "--", start.FileName };
        command.AddRange(start.ArgumentList);
        start.FileName = "env";
        start.ArgumentList.Clear();
        foreach (var word in command)
        {
            start.ArgumentList.Add(word);
        }
    }

    /// <summary>Whether process <paramref name="pid"/> ignores SIGINT (its SigIgn mask in /proc).</summary>
    public static bool SigintIgnored(int pid)
    {
        var line = File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status")
            .FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null
            && ulong.TryParse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask)
            && (mask & (1UL << (2 - 1))) != 0;
    }
}
