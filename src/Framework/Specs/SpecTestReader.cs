using System.Text.RegularExpressions;
using DeviceTest.Hardware.Yaml;
using YamlDotNet.RepresentationModel;

namespace DeviceTest.Framework.Specs;

/// <summary>Reads the list of a <c>tests:</c> step: each test's mapping, and names unique within the step.</summary>
internal static class SpecTestReader
{
    private static readonly string[] TestKeys = ["name", "command", "timeout", "env", "on_host"];

    /// <summary>The step's tests (each with its own name as unique name for now); null when the value is not a list.</summary>
    public static IReadOnlyList<SpecTest>? ReadList(StepSource source)
    {
        var document = source.Document;
        var sequence = document.AsSequence(source.Value, "`tests`");
        if (sequence is null)
        {
            return null;
        }

        var tests = new List<SpecTest>();
        var seen = new Dictionary<string, ConfigPosition>(StringComparer.Ordinal);
        foreach (var item in sequence.Children)
        {
            var test = Read(source, item);
            if (test is null)
            {
                continue;
            }

            if (seen.TryGetValue(test.Name, out var first))
            {
                document.Error(item, SpecErrorCodes.DuplicateTestName,
                    $"duplicate test name `{test.Name}` in step {source.Index + 1} (first at line {first.Line}); " +
                    "test names must be unique within a step");
                continue;
            }

            seen[test.Name] = document.PositionOf(item);
            tests.Add(test);
        }

        return tests;
    }

    private static SpecTest? Read(StepSource source, YamlNode node)
    {
        var document = source.Document;
        var test = document.AsMapping(node, "a test");
        if (test is null)
        {
            return null;
        }

        test.CheckKeys(TestKeys);
        var nameNode = test.Value("name", required: true);
        var name = nameNode is null ? null : source.ReadText(nameNode, "`name`");
        if (name is not null && name.Trim().Length == 0)
        {
            document.Error(nameNode!, SpecErrorCodes.EmptyValue, "a test's `name` must not be empty");
            name = null;
        }

        var command = source.ReadCommand(test);
        var timeout = test.Duration("timeout");
        var env = ReadEnvironment(document, test);
        var onHost = test.Flag("on_host");
        if (name is null || command is null)
        {
            return null;
        }

        return new SpecTest
        {
            Name = name,
            Command = command,
            Timeout = timeout,
            Environment = env ?? new Dictionary<string, string>(),
            OnHost = onHost ?? false,
            Position = source.PositionOf(node),
            StepIndex = source.Index,
            UniqueName = name,
        };
    }

    private static IReadOnlyDictionary<string, string>? ReadEnvironment(YamlDocumentReader document, YamlMappingReader test)
    {
        var env = test.StringMap("env");
        if (env is null || test.Get("env") is not YamlMappingNode envNode)
        {
            return env;
        }

        foreach (var key in envNode.Children.Keys.OfType<YamlScalarNode>())
        {
            if (key.Value is not null && !EnvironmentName.IsMatch(key.Value))
            {
                document.Error(key, SpecErrorCodes.BadEnvironmentName,
                    $"`{key.Value}` is not a valid environment variable name (letters, digits and '_', not starting with a digit)");
            }
        }

        return env;
    }

    private static readonly Regex EnvironmentName = new(@"^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);
}
