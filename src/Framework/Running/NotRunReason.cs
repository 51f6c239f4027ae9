using DeviceTest.Framework.Results;

namespace DeviceTest.Framework.Running;

/// <summary>
/// Why the tests of the steps still to come are reported without running: skipped (the device lacks a tag the spec
/// requires) or failed (a step left the device unusable, e.g. it did not come back after a reboot).
/// </summary>
public sealed record NotRunReason(TestOutcome Outcome, string Message);
