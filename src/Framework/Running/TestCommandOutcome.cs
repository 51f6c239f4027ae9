using DeviceTest.Hardware;

namespace DeviceTest.Framework.Running;

/// <summary>What happened to a <see cref="TestCommand"/> on the device.</summary>
internal sealed class TestCommandOutcome
{
    /// <summary>The command's result; null when it did not run to the end (no work directory, a lost device...).</summary>
    public CommandResult? Result { get; init; }

    /// <summary>Why the test could not run or its files could not be fetched, for the result's message; null: it ran.</summary>
    public string? Failure { get; init; }

    /// <summary>Set when the device stopped answering: the run ends after this test is reported.</summary>
    public DeviceUnreachableException? Unreachable { get; init; }

    /// <summary>True when the device was lost during the test: it is brought back before the run goes on.</summary>
    public bool Lost { get; init; }

    /// <summary>The local folder holding the fetched <c>results/</c> and <c>artifacts/</c>; null when nothing was fetched.</summary>
    public string? Fetched { get; init; }

    /// <summary>Problems to show with the result (e.g. the fetch failed).</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>Warnings for the run's messages (e.g. the work directory could not be removed).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
