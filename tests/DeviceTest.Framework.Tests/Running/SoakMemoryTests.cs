using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;
using DeviceTest.Framework.Tests.Doubles;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace DeviceTest.Framework.Tests.Running;

[TestClass]
[DoNotParallelize] // the managed heap is shared with tests running beside it
public sealed class SoakMemoryTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Ten_thousand_iterations_keep_memory_flat()
    {
        var Iterations = int.Parse(Environment.GetEnvironmentVariable("SOAK_N") ?? "10000", System.Globalization.CultureInfo.InvariantCulture);
        var spec = SpecBuilder.Named("soak").Tests(new RepeatPolicy(Iterations, 0), SpecBuilder.Test("trivial", "true")).Build();
        await using var device = new RecordingDevice { Record = false, RealFiles = false };
        var observer = new RecordingObserver { Keep = false };
        long before = 0;
        long after = 0;
        observer.OnResult = _ =>
        {
            if (observer.FinishedCount == 200)
            {
                before = ManagedHeapAfterGc();
            }
            else if (observer.FinishedCount == Iterations)
            {
                after = ManagedHeapAfterGc();
            }
        };

        var outcome = await new SpecRunner(device, new RunOptions(), observer).RunAsync(spec, TestContext.CancellationToken);

        Assert.AreEqual(Iterations, outcome.Passed);
        Assert.AreEqual(Iterations, device.TestCommandCount);
        var growth = after - before;
        TestContext.WriteLine($"managed heap: {before / 1024} KiB after 200 iterations, {after / 1024} KiB after {Iterations}");
        Assert.IsLessThan(2 * 1024 * 1024, growth, $"managed heap grew by {growth / 1024} KiB over {Iterations - 200} iterations");
    }

    private static long ManagedHeapAfterGc()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
