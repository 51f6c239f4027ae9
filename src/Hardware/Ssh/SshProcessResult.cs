namespace DeviceTest.Hardware.Ssh;

/// <summary>How a short ssh/scp run ended.</summary>
internal sealed record SshProcessResult(int ExitCode, string Stdout, string Stderr, bool TimedOut);
