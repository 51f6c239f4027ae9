using System.Globalization;

namespace DeviceTest.Benchmarks;

/// <summary>
/// The native devicetest's functions by address, from its <c>devicetest.dbg</c> (<c>nm</c>), and which of them ILC
/// compiled (the <c>__managedcode</c> and <c>__unbox</c> sections, from <c>readelf</c>): the names ILC's order file takes.
/// </summary>
internal sealed class ManagedCodeSymbols
{
    private readonly ulong[] _addresses;
    private readonly Dictionary<ulong, List<string>> _names;
    private readonly List<(ulong Start, ulong End)> _managed;
    private readonly ulong _main;
    private readonly ulong _entry;

    private ManagedCodeSymbols(Dictionary<ulong, List<string>> names, List<(ulong Start, ulong End)> managed)
    {
        _names = names;
        _addresses = [.. names.Keys.Order()];
        _managed = managed;
        _main = names.First(p => p.Value.Contains("main")).Key;
        _entry = names.First(p => p.Value.Contains("_start")).Key;
    }

    public static async Task<ManagedCodeSymbols> ReadAsync(string debugFile)
    {
        var (code, symbols, stderr) = await BenchmarkProcess.RunAsync("nm", ["-n", debugFile]);
        if (code != 0)
        {
            throw new InvalidOperationException($"nm {debugFile}: {stderr}");
        }

        Dictionary<ulong, List<string>> names = [];
        foreach (var line in symbols.Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 3 && fields[1] is "t" or "T")
            {
                var address = ulong.Parse(fields[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                (names.TryGetValue(address, out var list) ? list : names[address] = []).Add(fields[2]);
            }
        }

        (code, var sections, stderr) = await BenchmarkProcess.RunAsync("readelf", ["-SW", debugFile]);
        if (code != 0)
        {
            throw new InvalidOperationException($"readelf {debugFile}: {stderr}");
        }

        // "  [18] __managedcode     NOBITS          00000000000993e0 0993e0 4b6acb 00  AX  0   0 32"
        List<(ulong, ulong)> managed = [];
        foreach (var line in sections.Split('\n'))
        {
            var fields = line.Replace("[ ", "[", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 5 && fields[1] is "__managedcode" or "__unbox")
            {
                var start = ulong.Parse(fields[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                managed.Add((start, start + ulong.Parse(fields[5], NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            }
        }

        return managed.Count > 0 ? new ManagedCodeSymbols(names, managed) : throw new InvalidOperationException($"{debugFile} has no __managedcode section");
    }

    /// <summary>The managed methods a trace entered, each once, in the order it first entered them.</summary>
    public IEnumerable<string> Names(IReadOnlyList<ulong> trace)
    {
        // valgrind loads the executable where it likes: the offset at which main and _start are both in the trace.
        var entered = trace.ToHashSet();
        var load = entered.Select(a => a - _main).First(b => b % 4096 == 0 && entered.Contains(b + _entry));
        HashSet<ulong> seen = [];
        foreach (var address in trace)
        {
            var offset = address - load;
            var index = Array.BinarySearch(_addresses, offset);
            index = index >= 0 ? index : ~index - 1;
            if (index < 0 || !_managed.Any(m => offset >= m.Start && offset < m.End) || !seen.Add(_addresses[index]))
            {
                continue;
            }

            foreach (var name in _names[_addresses[index]])
            {
                yield return name;
            }
        }
    }

    /// <summary>How much code the named methods are (up to the next symbol).</summary>
    public long Bytes(IEnumerable<string> names)
    {
        var wanted = names.ToHashSet(StringComparer.Ordinal);
        long bytes = 0;
        for (var i = 0; i + 1 < _addresses.Length; i++)
        {
            if (_names[_addresses[i]].Any(wanted.Contains))
            {
                bytes += (long)(_addresses[i + 1] - _addresses[i]);
            }
        }

        return bytes;
    }
}
