using System.CommandLine;
using DeviceTest.Framework.Specs;

namespace DeviceTest.Agent.Cli;

/// <summary><c>devicetest validate SPEC...</c>: prints every problem of every file, exit 0 or 2.</summary>
internal static class ValidateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var specs = SpecArgument.Create("Spec files to check.");
        var command = new Command("validate", "Check specs and print every problem as file:line:col.") { specs };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var results = SpecLoader.LoadMany(parse.GetValue(specs)!);
            var errors = 0;
            foreach (var result in results)
            {
                foreach (var diagnostic in result.Diagnostics)
                {
                    await error.WriteLineAsync(diagnostic.ToString());
                    if (diagnostic.Severity == DiagnosticSeverity.Error)
                    {
                        errors++;
                    }
                }
            }

            var valid = results.Count(r => !r.HasErrors);
            await output.WriteLineAsync($"{valid} of {results.Count} spec(s) valid, {errors} error(s)");
            return errors == 0 ? ExitCodes.Success : ExitCodes.BadInput;
        });
        return command;
    }
}
