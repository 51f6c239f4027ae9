using System.Globalization;

namespace DeviceTest.Hardware.Flashing.Sequences;

/// <summary>
/// Looks at the medium on the machine that writes it (this one, or the lab host over SSH) with one POSIX sh script:
/// whether it is there, its size, and whether it or one of its partitions is in use there (mounted per
/// /proc/self/mountinfo, held per /sys/class/block/*/holders, or swap). The same script runs on both, so a lab host
/// needs nothing but sh, readlink, awk and cat.
/// </summary>
internal static class MediumProbe
{
    private const string Script = """
        d="$1"
        [ -e "$d" ] || { echo missing; exit 0; }
        r=$(readlink -f -- "$d")
        n=${r##*/}
        s=/sys/class/block/$n
        if [ -b "$r" ] && [ -d "$s" ]; then
          echo "size=$(( $(cat "$s/size") * 512 ))"
          for p in "$s" "$s"/"$n"*; do
            [ -f "$p/dev" ] || continue
            pn=${p##*/}
            mm=$(cat "$p/dev")
            awk -v mm="$mm" -v pn="$pn" '$3 == mm { print "busy=/dev/" pn " is mounted on " $5 }' /proc/self/mountinfo
            for h in "$p"/holders/*; do [ -e "$h" ] && echo "busy=/dev/$pn is held by ${h##*/}"; done
            grep -q "^/dev/$pn " /proc/swaps 2>/dev/null && echo "busy=/dev/$pn is used as swap"
          done
          exit 0
        fi
        if [ -f "$r" ]; then echo "size=$(wc -c < "$r")"; exit 0; fi
        echo "other=$r"
        """;

    /// <summary>What the probe saw: null size when the medium is not there; what uses it.</summary>
    public sealed record Reading(long? Size, IReadOnlyList<string> Busy, string? Other);

    public static async Task<Reading> ReadAsync(IDevice host, string disk, CancellationToken cancellationToken)
    {
        var request = new CommandRequest(CommandLine.FromArguments("sh", "-c", Script, "probe", disk)) { Timeout = TimeSpan.FromSeconds(30) };
        var result = await host.RunAsync(request, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new FlashException(FlashFailure.Unreachable, FlashStage.WaitForMedium,
                $"cannot look at {disk} on {host.Name}: {(result.TimedOut ? "timed out" : "exit code " + result.ExitCode)} {result.Stderr.Trim()}");
        }

        long? size = null;
        string? other = null;
        var busy = new List<string>();
        foreach (var line in result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("size=", StringComparison.Ordinal) && long.TryParse(line[5..], NumberStyles.None, CultureInfo.InvariantCulture, out var bytes))
            {
                size = bytes;
            }
            else if (line.StartsWith("busy=", StringComparison.Ordinal))
            {
                busy.Add(line[5..]);
            }
            else if (line.StartsWith("other=", StringComparison.Ordinal))
            {
                other = line[6..];
            }
        }

        return new Reading(size, busy, other);
    }
}
