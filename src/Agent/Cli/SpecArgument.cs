using System.CommandLine;

namespace DeviceTest.Agent.Cli;

/// <summary>
/// The <c>SPEC...</c> argument of <c>run</c> and <c>validate</c>. A word that starts with <c>-</c> and is not one of
/// the command's options is reported as an unknown option (bad usage), not looked up as a file.
/// </summary>
internal static class SpecArgument
{
    public static Argument<string[]> Create(string description)
    {
        var argument = new Argument<string[]>("spec") { Description = description, Arity = ArgumentArity.OneOrMore };
        argument.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (token.Value.Length > 1 && token.Value[0] == '-')
                {
                    result.AddError($"unknown option '{token.Value}' (a spec file whose name starts with '-' is written ./{token.Value})");
                }
            }
        });
        return argument;
    }
}
