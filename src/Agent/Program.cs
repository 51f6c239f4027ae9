using DeviceTest.Agent.Cli;

namespace DeviceTest.Agent;

internal static class Program
{
    public static Task<int> Main(string[] args) => new DeviceTestCommandLine(Console.Out, Console.Error).RunAsync(args);
}
