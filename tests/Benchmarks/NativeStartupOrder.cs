using System.Diagnostics;
using System.Globalization;
using System.Text;
using DeviceTest.Lab;

namespace DeviceTest.Benchmarks;

/// <summary>
/// Writes <c>src/Agent/NativeAot.StartupOrder.txt</c>: the managed methods the native devicetest runs, in the order
/// it first runs them, which the native publish gives ILC (<c>IlcOrderFile</c>) so that they sit together in the file.
/// The kernel maps an executable's code in whole chunks (64 KB and more) around each page touched: with the compiler's
/// own order, the 2,600 methods an idle agent ran (0.6 MB) were spread over 4.4 MB of code, all of it resident.
/// </summary>
/// <remarks>
/// Which methods run is seen by running the native binary under valgrind's lackey (every block of code it enters;
/// <c>--vex-guest-chase=no</c>, or a called method's first block is folded into its caller's) and naming the addresses
/// with the symbols of <c>devicetest.dbg</c>. First the agent's idle start (what stays resident all day), then what
/// its first start runs (the smoke spec, from a callback-free first start), then <c>devicetest run</c> of the smoke spec.
/// </remarks>
internal static class NativeStartupOrder
{
    public static async Task<int> RunAsync(string[] args)
    {
        var index = Array.IndexOf(args, "--binary");
        var binary = index >= 0 && index + 1 < args.Length ? Path.GetFullPath(args[index + 1]) : null;
        var output = RepositoryRoot.Combine("src", "Agent", "NativeAot.StartupOrder.txt");
        if (binary is null || !File.Exists(binary) || !File.Exists(binary + ".dbg"))
        {
            Console.Error.WriteLine("native-order --binary DIR/devicetest: a native publish with its devicetest.dbg " +
                "(dotnet publish src/Agent -c Release -r linux-x64 -p:PublishAot=true -o DIR); needs valgrind, nm, readelf");
            return 2;
        }

        var work = Directory.CreateTempSubdirectory("dt-native-order-").FullName;
        try
        {
            // valgrind gives up on devicetest.dbg's debug information: run a copy without it.
            var copy = Path.Combine(work, "devicetest");
            File.Copy(binary, copy);
            var symbols = await ManagedCodeSymbols.ReadAsync(binary + ".dbg");
            List<string> order = [];
            HashSet<string> listed = new(StringComparer.Ordinal);
            var (idle, firstStart) = await AgentTracesAsync(copy, work);
            var run = await TraceAsync(copy, ["run", RepositoryRoot.Combine("samples", "specs", "smoke.spec.yml")], Path.Combine(work, "run.log"), null);
            foreach (var trace in new[] { idle, firstStart, run })
            {
                foreach (var name in symbols.Names(trace))
                {
                    if (listed.Add(name))
                    {
                        order.Add(name);
                    }
                }
            }

            await File.WriteAllLinesAsync(output, order);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"native-order: {order.Count} methods ({symbols.Bytes(order) / 1024} kB of code) -> {output}"));
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The agent's first start (it tests the current Target) and its second, idle, start, each under valgrind.</summary>
    private static async Task<(IReadOnlyList<ulong> Idle, IReadOnlyList<ulong> FirstStart)> AgentTracesAsync(string binary, string work)
    {
        using var workspace = await AgentWorkspace.CreateAsync(work, "lmp-order-1");
        var (records, runState) = (workspace.Records, workspace.RunState);
        string[] arguments = [.. workspace.Arguments];
        var firstStart = await TraceAsync(binary, arguments, Path.Combine(work, "first.log"),
            _ => File.Exists(records) && File.ReadLines(records).Count(l => l.Contains("\"complete\"", StringComparison.Ordinal)) >= 4 && !File.Exists(runState));
        var idleSince = DateTime.MaxValue;
        var idle = await TraceAsync(binary, arguments, Path.Combine(work, "idle.log"), output =>
        {
            if (idleSince == DateTime.MaxValue && output.Contains("waiting for aktualizr-lite's callbacks", StringComparison.Ordinal))
            {
                idleSince = DateTime.UtcNow;
            }

            return DateTime.UtcNow - idleSince > TimeSpan.FromSeconds(2);
        });
        return (idle, firstStart);
    }

    /// <summary>
    /// Runs the binary under lackey until it exits, or until <paramref name="done"/> holds (then SIGTERM, which the
    /// agent answers by stopping, so that valgrind writes all of its log); the addresses of the code blocks it entered.
    /// </summary>
    private static async Task<IReadOnlyList<ulong>> TraceAsync(string binary, string[] arguments, string log, Func<string, bool>? done)
    {
        var start = new ProcessStartInfo("valgrind") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var word in (string[])["--tool=lackey", "--vex-guest-chase=no", "--trace-superblocks=yes", $"--log-file={log}", binary, .. arguments])
        {
            start.ArgumentList.Add(word);
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        void Line(string? line)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }

        process.OutputDataReceived += (_, e) => Line(e.Data);
        process.ErrorDataReceived += (_, e) => Line(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        bool Done()
        {
            lock (output)
            {
                return done?.Invoke(output.ToString()) == true;
            }
        }

        try
        {
            while (!process.HasExited && !Done())
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"devicetest {string.Join(' ', arguments)} under valgrind did not get there in 5 minutes (log {log})");
                }

                await Task.Delay(100);
            }

            if (!process.HasExited)
            {
                await BenchmarkProcess.CheckedAsync("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        }
        finally
        {
            // Never left behind, whatever went wrong (an agent under valgrind would keep its port and its directory).
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        List<ulong> blocks = [];
        foreach (var line in File.ReadLines(log))
        {
            if (line.StartsWith("SB ", StringComparison.Ordinal))
            {
                blocks.Add(ulong.Parse(line.AsSpan(3), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }

        return blocks;
    }
}
