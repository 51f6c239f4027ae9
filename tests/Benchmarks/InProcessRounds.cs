using System.Diagnostics;
using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Ssh;

namespace DeviceTest.Benchmarks;

/// <summary>
/// The in-process rows of <c>spec-tests</c>, on one <see cref="SshDevice"/> (one persistent session), measured in
/// interleaved rounds so that a change in a shared machine's load hits them alike: a bare command (builtin
/// <c>true</c>, <c>[/bin/true]</c>), the device's part of a trivial test (<see cref="IWorkDirectoryCommands"/> as the
/// runner uses it, with one <c>mkdir</c> per test as before and with work directories made 32 at a time), and
/// <see cref="SpecRunner"/> running a spec of trivial tests, both ways too. Each round runs count/rounds of each.
/// </summary>
internal sealed class InProcessRounds
{
    private const int Rounds = 5;

    public TimeSpan Builtin { get; private set; }

    public TimeSpan Exec { get; private set; }

    public TimeSpan DevicePartEach { get; private set; }

    public TimeSpan DevicePart { get; private set; }

    public TimeSpan SpecRunner { get; private set; }

    public TimeSpan SpecRunnerEach { get; private set; }

    /// <summary>Runs <paramref name="count"/> of each (a multiple of 5) in 5 rounds, after a warm-up run of the spec.</summary>
    /// <param name="device">The device, on the board.</param>
    /// <param name="count">How many of each.</param>
    /// <param name="chunkSpec">A spec of count/5 trivial tests.</param>
    /// <param name="results">Where the runs' results go (a new folder per run).</param>
    public static async Task<InProcessRounds> MeasureAsync(SshDevice device, int count, string chunkSpec, string results)
    {
        await device.EnsureReadyAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        var spec = SpecLoader.Load(chunkSpec).Spec!;
        var each = new OneMkdirPerTestDevice<SshDevice>(device);
        SpecRunner Runner(IDevice on, string name) => new(on, new RunOptions { ResultsDirectory = Path.Combine(results, name) }, new SilentObserver());
        await Runner(device, "warm-up").RunAsync(spec, CancellationToken.None); // the runner's code compiled before timing
        await Runner(each, "warm-up-each").RunAsync(spec, CancellationToken.None);
        var builtin = CommandRequest.Shell("true");
        var exec = CommandRequest.Arguments("/bin/true");
        await device.RunAsync(exec, CancellationToken.None);
        var eachLoop = new WorkDirectoryLoop(device, makeBatch: 1);
        var batchedLoop = new WorkDirectoryLoop(device, makeBatch: 32);
        var times = new InProcessRounds();
        var chunk = count / Rounds;
        for (var round = 0; round < Rounds; round++)
        {
            times.Builtin += await TimeAsync(chunk, () => device.RunAsync(builtin, CancellationToken.None));
            times.Exec += await TimeAsync(chunk, () => device.RunAsync(exec, CancellationToken.None));
            // Before and after take turns going first.
            var name = round.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (round % 2 == 0)
            {
                times.DevicePartEach += await eachLoop.RunAsync(chunk);
                times.DevicePart += await batchedLoop.RunAsync(chunk);
                times.SpecRunnerEach += await RunSpecAsync(Runner(each, "each-" + name), spec, chunk);
                times.SpecRunner += await RunSpecAsync(Runner(device, "round-" + name), spec, chunk);
            }
            else
            {
                times.DevicePart += await batchedLoop.RunAsync(chunk);
                times.DevicePartEach += await eachLoop.RunAsync(chunk);
                times.SpecRunner += await RunSpecAsync(Runner(device, "round-" + name), spec, chunk);
                times.SpecRunnerEach += await RunSpecAsync(Runner(each, "each-" + name), spec, chunk);
            }
        }

        await eachLoop.FinishAsync();
        await batchedLoop.FinishAsync();
        return times;
    }

    private static async Task<TimeSpan> RunSpecAsync(SpecRunner runner, TestSpec spec, int tests)
    {
        var stopwatch = Stopwatch.StartNew();
        var summary = await runner.RunAsync(spec, CancellationToken.None);
        var elapsed = stopwatch.Elapsed;
        if (summary.Passed != tests)
        {
            throw new InvalidOperationException($"in process: {summary.Passed} of {tests} passed");
        }

        return elapsed;
    }

    private static async Task<TimeSpan> TimeAsync(int count, Func<Task> action)
    {
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await action();
        }

        return stopwatch.Elapsed;
    }

    /// <summary>Trivial tests through <see cref="IWorkDirectoryCommands"/> alone, with the runner's batches.</summary>
    private sealed class WorkDirectoryLoop(SshDevice device, int makeBatch)
    {
        private readonly List<string> _pending = [];
        private readonly Queue<string> _premade = new();

        public async Task<TimeSpan> RunAsync(int count)
        {
            var stopwatch = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                var removals = _pending.Count >= 32 ? _pending.ToArray() : [];
                var premade = _premade.TryDequeue(out var path) ? path : null;
                var run = await device.RunInWorkDirectoryAsync(
                    new WorkDirectoryRequest(CommandRequest.Arguments("/bin/true"))
                    {
                        RemoveFirst = removals,
                        Premade = premade,
                        MakeAhead = premade is null ? makeBatch - 1 : 0,
                    },
                    CancellationToken.None);
                _pending.RemoveRange(0, removals.Length);
                _pending.Add(run.Path!);
                foreach (var ahead in run.MadeAhead)
                {
                    _premade.Enqueue(ahead);
                }
            }

            return stopwatch.Elapsed;
        }

        public async Task FinishAsync() =>
            await device.RunAsync(new CommandRequest(CommandLine.FromArguments(["rm", "-rf", "--", .. _pending, .. _premade])), CancellationToken.None);
    }
}
