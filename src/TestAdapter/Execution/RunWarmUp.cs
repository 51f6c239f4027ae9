using DeviceTest.Framework.Specs;
using DeviceTest.Hardware.Configuration;
using DeviceTest.TestAdapter.Discovery;
using DeviceTest.TestAdapter.Settings;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>
/// Runs the code a run starts with (the runsettings, devices-file and spec readers, test case construction) once on a
/// made-up runsettings, devices file and spec, on the thread pool, as soon as the test host creates the executor. The
/// host spends about 50 ms of its own between creating the executor and calling it, and most of discovery's time is the
/// first use of that code (loading and compiling it: 200 tests took 60-70 ms the first time, 5 ms the second), so the
/// run finds it ready. Nothing is read from disk, written or reported; once per process.
/// </summary>
internal static class RunWarmUp
{
    private const string RunSettings = "<RunSettings><DeviceTest><Device>board</Device><Tags>lab</Tags></DeviceTest></RunSettings>";

    private const string Devices = """
        devices:
          board:
            tags: [lab]
            ssh: { host: 192.0.2.1, port: 22, user: root, options: { StrictHostKeyChecking: 'yes' } }
        """;

    private const string Spec = """
        name: warm-up
        sequence:
          - tests:
              - name: first
                command: [/bin/true]
              - name: second
                command: ./run.sh --fast
                timeout: 10s
        """;

    private static int _started;

    /// <summary>Starts the warm-up in the background, the first time only.</summary>
    public static void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _ = Task.Run(Run);
        }
    }

    private static void Run()
    {
        try
        {
            var directory = Path.GetTempPath();
            RunSettingsReader.Read(RunSettings);
            DeviceFileLoader.LoadText(Devices, Path.Combine(directory, "devices.yml"));
            var path = Path.Combine(directory, "warm-up.spec.yml");
            if (SpecLoader.LoadText(Spec, path).Spec is { } spec)
            {
                SpecDiscovery.Build(Path.Combine(directory, "WarmUp.dll"), spec, path, new NameScope());
            }
        }
#pragma warning disable CA1031 // Only a head start: whatever fails here fails (and is reported) again where it counts.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
