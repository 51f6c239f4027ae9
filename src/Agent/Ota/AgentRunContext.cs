using DeviceTest.Agent.Gateway;

namespace DeviceTest.Agent.Ota;

/// <summary>What every run of one agent process shares.</summary>
internal sealed class AgentRunContext
{
    public required AgentLog Log { get; init; }

    public required ITestReporter Reporter { get; init; }

    public required RunStateStore Store { get; init; }

    public required AgentDevice Device { get; init; }
}
