using DeviceTest.Hardware;

namespace DeviceTest.Framework.Running;

/// <summary>The one place that picks how a test's command and its files travel to and from a device.</summary>
internal static class TestCommandRunners
{
    /// <summary>
    /// Per test for a device made of several (<see cref="IRoutingDevice"/>); one round trip for a device that can
    /// (<see cref="IWorkDirectoryCommands"/>); else the portable four steps.
    /// </summary>
    public static ITestCommandRunner For(IDevice device) => device switch
    {
        IRoutingDevice routing => new RoutedTestRunner(routing),
        IWorkDirectoryCommands commands => new OneRoundTripTestRunner(device, commands),
        _ => new WorkDirectoryTestRunner(device),
    };
}
