namespace DeviceTest.Agent;

internal static class Program
{
    public static Task<int> Main(string[] args) => Task.FromResult(0);
}
