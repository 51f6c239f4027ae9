namespace DeviceTest.Agent.Ota;

/// <summary>One aktualizr-lite callback as the script delivered it (values as aktualizr-lite set them; null when unset).</summary>
internal sealed class CallbackMessage
{
    public required string Message { get; init; }

    /// <summary>The path of the <c>current-target</c> file (not a name).</summary>
    public string? CurrentTarget { get; init; }

    public string? CurrentTargetName { get; init; }

    public string? InstallTargetName { get; init; }

    public string? Result { get; init; }

    public override string ToString() =>
        $"{Message}" +
        (Result is null ? string.Empty : $" RESULT={Quote(Result)}") +
        (CurrentTargetName is null ? string.Empty : $" CURRENT_TARGET_NAME={Quote(CurrentTargetName)}") +
        (InstallTargetName is null ? string.Empty : $" INSTALL_TARGET_NAME={Quote(InstallTargetName)}");

    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal) + "\"";
}
