namespace DeviceTest.Framework.Running;

/// <summary>How a step ended, what happened in a few words (e.g. "went down, shell ready") and how long it took.</summary>
public sealed record StepOutcome(StepStatus Status, string Details, TimeSpan Duration);
