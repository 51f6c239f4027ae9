using System.CommandLine;

namespace DeviceTest.Agent.Cli;

/// <summary>The <c>devicetest</c> command line: parses arguments, maps bad usage to exit code 2, runs a command.</summary>
internal sealed class DeviceTestCommandLine(TextWriter output, TextWriter error)
{
    public async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("DeviceTest: run tests against devices (local, SSH, serial, QEMU).")
        {
            RunCommand.Create(output, error),
            ValidateCommand.Create(output, error),
            DevicesCommand.Create(output, error),
            AgentCommand.Create(output, error),
        };

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync($"devicetest: {problem.Message}");
            }

            await error.WriteLineAsync("Run 'devicetest --help' for usage.");
            return ExitCodes.BadInput;
        }

        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // We handle Ctrl+C ourselves (CancellationScope) so that results are written before exiting.
            ProcessTerminationTimeout = null,
        };
        return await parse.InvokeAsync(invocation, CancellationToken.None);
    }
}
