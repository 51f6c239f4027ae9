namespace DeviceTest.Framework.Running;

/// <summary>
/// A test execution that has just started: a spec's test or a C# suite's. The names are those its
/// <see cref="Results.TestResult"/> will carry.
/// </summary>
public sealed record TestStarted
{
    /// <summary>The result's <c>TestId</c>: <c>spec/stepIndex/name</c>, or the C# method's id.</summary>
    public required string TestId { get; init; }

    /// <summary>The spec or suite.</summary>
    public required string SuiteName { get; init; }

    /// <summary>The test's name, without the iteration.</summary>
    public required string Name { get; init; }

    /// <summary>1-based iteration for repeated steps; 1 otherwise.</summary>
    public int Iteration { get; init; } = 1;

    public bool IsRepeated { get; init; }

    public required DateTimeOffset StartTime { get; init; }

    /// <summary><see cref="Name"/>, or <c>Name #Iteration</c> when repeated (as results show it).</summary>
    public string DisplayName => IsRepeated ? $"{Name} #{Iteration}" : Name;
}
