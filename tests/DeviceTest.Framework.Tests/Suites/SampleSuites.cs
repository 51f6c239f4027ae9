#pragma warning disable CA1812 // instantiated by the suite runner through reflection
#pragma warning disable CA1822 // test methods are instance methods by contract
#pragma warning disable IDE0060 // unused parameters are part of the shapes under test
using System.Runtime.CompilerServices;
using DeviceTest.Framework.Suites;
using DeviceTest.Hardware;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace DeviceTest.Framework.Tests.Suites.Samples;

/// <summary>Where this file is, for computing expected source lines.</summary>
internal static class SampleSource
{
    public static string Path { get; } = Here();

    private static string Here([CallerFilePath] string path = "") => path;
}

[DeviceSuite(Name = "ordered")]
internal sealed class OrderedSuite(IDevice device, TextWriter log, Journal journal)
{
    [DeviceTest(Timeout = "30s")]
    public async Task Zeta_runs_first(CancellationToken ct)
    {
        var result = await device.RunAsync("ip -4 addr show eth0", ct);
        await log.WriteLineAsync("zeta saw: " + result.Stdout.Trim());
        journal.Add("Zeta_runs_first");
    }

    [DeviceTest(Name = "alpha runs second")]
    public void Alpha_runs_second()
    {
        journal.Add("Alpha_runs_second");
    }

    [DeviceTest]
    public ValueTask Middle_runs_third(CancellationToken ct)
    {
        journal.Add("Middle_runs_third");
        return ValueTask.CompletedTask;
    }

    [DeviceTest]
    public Task Expression_bodied() => Task.Run(() => journal.Add("Expression_bodied"));
}

[DeviceSuite]
internal sealed class TimeoutSuite(Journal journal)
{
    [DeviceTest(Timeout = "1s")]
    public async Task Honors_its_token(CancellationToken ct)
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, ct);
    }

    [DeviceTest(Timeout = "1s")]
    public async Task Ignores_its_token(CancellationToken ct)
    {
        await journal.Gate.Task;
        journal.Add("ignorer ended");
    }

    [DeviceTest]
    public void Runs_after_the_timeouts() => journal.Add("after");
}

[DeviceSuite]
[RequiresTags("arm64")]
internal sealed class SkippingSuite(Journal journal)
{
    [DeviceTest(Skip = "not today")]
    public void Skipped_by_attribute() => journal.Add("attribute");

    [DeviceTest]
    public void Skips_itself() => throw new SkipTestException("no modem on this board");

    [DeviceTest, RequiresTags("wifi", "bt")]
    public void Needs_wifi() => journal.Add("wifi");

    [DeviceTest]
    public void Needs_only_the_class_tags() => journal.Add("plain");
}

[DeviceSuite]
internal sealed class FailingSuite(Journal journal) : IAsyncDisposable
{
    [DeviceTest]
    public async Task Throws(CancellationToken ct)
    {
        await Task.Yield();
        CheckAddress(string.Empty);
    }

    [DeviceTest]
    public void Asserts() => Assert.AreEqual(3, journal.Entries.Count + 4, "two and two");

    [DeviceTest]
    public void Passes() => journal.Add("passes");

    [DeviceTeardown]
    public Task Cleanup(CancellationToken ct)
    {
        journal.Add("teardown");
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        journal.Add("disposed");
        return ValueTask.CompletedTask;
    }

    private static void CheckAddress(string output)
    {
        if (!output.Contains("inet ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("no IPv4 address on eth0");
        }
    }
}

[DeviceSuite]
internal sealed class BrokenTeardownSuite(Journal journal) : IDisposable
{
    [DeviceSetup]
    public void Prepare() => journal.Add("setup");

    [DeviceTest]
    public void Works() => journal.Add("works");

    [DeviceTeardown]
    public void Restore()
    {
        throw new IOException("could not restore /etc/network/interfaces");
    }

    public void Dispose() => journal.Add("disposed");
}

[DeviceSuite]
internal sealed class FailingSetupSuite(Journal journal)
{
    [DeviceSetup(Timeout = "10s")]
    public Task Connect(CancellationToken ct) => throw new TimeoutException("modem did not answer");

    [DeviceTest]
    public void First() => journal.Add("first");

    [DeviceTest]
    public void Second() => journal.Add("second");

    [DeviceTeardown]
    public void Cleanup() => journal.Add("teardown");
}

[DeviceSuite]
internal sealed class ConsoleSuite(IDevice device, IDeviceConsole console)
{
    [DeviceTest]
    public Task Boots(CancellationToken ct) => console.WriteLineAsync(device.Name, ct);
}

[DeviceSuite]
internal sealed class OptionalPowerSuite(IPower? power, IFileTransfer files, Journal journal)
{
    [DeviceTest]
    public void Reports_power() => journal.Add((power is null ? "no power" : power.Description) + (files is null ? string.Empty : " + files"));
}

[DeviceSuite]
internal sealed class UnsatisfiableSuite(Uri endpoint)
{
    [DeviceTest]
    public void One() => _ = endpoint;

    [DeviceTest]
    public void Two() => _ = endpoint;
}

[DeviceSuite]
internal sealed class ThrowingConstructorSuite
{
    public ThrowingConstructorSuite(IDevice device) => throw new InvalidOperationException($"{device.Name} is not configured");

    [DeviceTest]
    public void One()
    {
    }
}

[DeviceSuite]
internal sealed class InvalidSuite
{
    [DeviceTest]
    public static void Static_test()
    {
    }

    [DeviceTest]
    public void Generic_test<T>()
    {
    }

    [DeviceTest]
    public Task Takes_a_number(int count) => Task.CompletedTask;

    [DeviceTest]
    public int Returns_a_number() => 1;

    [DeviceTest]
    public async void Async_void()
    {
        await Task.Yield();
    }

    [DeviceTest(Timeout = "soon")]
    public void Bad_timeout()
    {
    }

    [DeviceTest]
    public void Valid()
    {
    }
}

internal abstract class BaseSuite
{
    [DeviceTest]
    public virtual void Inherited_first()
    {
    }
}

[DeviceSuite]
internal sealed class DerivedSuite : BaseSuite
{
    [DeviceTest]
    public void Own_second()
    {
    }
}

internal sealed class ForgotTheSuiteAttribute
{
    [DeviceTest]
    public void Never_runs()
    {
    }
}

[DeviceSuite]
internal sealed class LateFinisherSuite(Journal journal)
{
    [DeviceTest(Timeout = "1s")]
    public async Task Swallows_its_cancellation(CancellationToken ct)
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
        }
        catch (OperationCanceledException)
        {
            journal.Add("swallowed");
        }
    }
}
