using System.CommandLine;

namespace DeviceTest.Agent.Cli;

/// <summary>
/// The <c>devicetest</c> command line: parses arguments, maps bad usage to exit code 2, runs a command, and turns
/// an unexpected exception into one line and <see cref="ExitCodes.InternalError"/> (the trace only with
/// <c>--verbose</c> or <c>DEVICETEST_DEBUG=1</c>).
/// </summary>
internal sealed class DeviceTestCommandLine(TextWriter output, TextWriter error)
{
    /// <summary>The environment variable that turns on stack traces for internal errors.</summary>
    public const string DebugVariable = "DEVICETEST_DEBUG";

    public async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var verbose = new Option<bool>("--verbose")
        {
            Description = "Print the details (stack trace) of an internal error.",
            Recursive = true,
        };
        var root = new RootCommand("DeviceTest: run tests against devices (local, SSH, serial, QEMU).")
        {
            RunCommand.Create(output, error),
            ValidateCommand.Create(output, error),
            DevicesCommand.Create(output, error),
            LeasesCommand.Create(output, error),
            ScreenshotCommand.Create(output, error),
            KeysCommand.Create(output, error),
            AgentCommand.Create(output, error),
            FlashCommand.Create(output, error),
        };
        root.Options.Add(verbose);

        var showDetails = IsDebugEnvironment() || args.Contains("--verbose", StringComparer.Ordinal);
        try
        {
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var message in parse.Errors.Select(e => e.Message).Distinct(StringComparer.Ordinal))
                {
                    await error.WriteLineAsync($"devicetest: {message}");
                }

                await error.WriteLineAsync("Run 'devicetest --help' for usage.");
                return ExitCodes.BadInput;
            }

            var invocation = new InvocationConfiguration
            {
                Output = output,
                Error = error,
                // Exceptions come to the catch below: one line for the user, never a stack trace by default.
                EnableDefaultExceptionHandler = false,
                // We handle Ctrl+C ourselves (CancellationScope) so that results are written before exiting.
                ProcessTerminationTimeout = null,
            };
            return await parse.InvokeAsync(invocation, CancellationToken.None);
        }
        catch (Exception exception)
        {
            await error.WriteLineAsync($"devicetest: internal error: {OneLine(exception)}");
            if (showDetails)
            {
                await error.WriteLineAsync(exception.ToString());
            }
            else
            {
                await error.WriteLineAsync($"devicetest: this is a bug in devicetest; rerun with --verbose (or {DebugVariable}=1) for the details and report them.");
            }

            return ExitCodes.InternalError;
        }
    }

    private static bool IsDebugEnvironment() =>
        Environment.GetEnvironmentVariable(DebugVariable) is { } value &&
        (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("yes", StringComparison.OrdinalIgnoreCase));

    private static string OneLine(Exception exception)
    {
        return exception.Message.ReplaceLineEndings(" ");
    }
}
