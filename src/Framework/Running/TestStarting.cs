using DeviceTest.Framework.Specs;

namespace DeviceTest.Framework.Running;

/// <summary>
/// A result about to be produced, for <see cref="RunOptions.BeforeTest"/>: a test of a tests step, or a step's own
/// result (<see cref="StepContext.ReportAsync"/>).
/// </summary>
/// <param name="Name">The result's name: the test's unique name, or the name the step reports under.</param>
/// <param name="Position">Where the run is: the step, the test's index in it (0 for a step's own result), the iteration.</param>
/// <param name="Test">The test; null for a step's own result.</param>
public sealed record TestStarting(string Name, RunPosition Position, SpecTest? Test);
