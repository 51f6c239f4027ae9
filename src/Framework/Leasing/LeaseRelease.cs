namespace DeviceTest.Framework.Leasing;

/// <summary>What an operator's <see cref="ILeaseStore.ReleaseAsync"/> did.</summary>
/// <param name="Done">False when it was refused (a live holder, no force).</param>
/// <param name="Message">One line for the operator.</param>
public sealed record LeaseRelease(bool Done, string Message);
