namespace DeviceTest.Agent.Tests.Cli;

/// <summary>
/// The <c>devicetest</c> that the process-level tests (category <see cref="Category"/>) start: the executable named by
/// <c>DEVICETEST_BINARY</c> (CI runs these tests a second time against the native, NativeAOT build), else the
/// devicetest.dll built next to the tests, run with <c>dotnet</c>.
/// </summary>
internal static class DevicetestBinary
{
    /// <summary>The test category of every class whose tests start devicetest as a process.</summary>
    public const string Category = "DevicetestProcess";

    /// <summary>The environment variable naming the devicetest executable to test.</summary>
    public const string Variable = "DEVICETEST_BINARY";

    /// <summary>The devicetest.dll built next to the tests.</summary>
    public static string Dll { get; } = Path.Combine(AppContext.BaseDirectory, "devicetest.dll");

    /// <summary>The native executable under test, or null for the dll.</summary>
    public static string? Native =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    /// <summary>The program and leading arguments that start devicetest; <paramref name="dotnetHost"/> runs the dll.</summary>
    public static IReadOnlyList<string> CommandLine(string dotnetHost = "dotnet")
    {
        if (Native is { } native)
        {
            Assert.IsTrue(File.Exists(native), $"{Variable}={native}: no such file");
            return [native];
        }

        Assert.IsTrue(File.Exists(Dll), $"{Dll} is missing: the test project references src/Agent");
        return [dotnetHost, "exec", Dll];
    }
}
