using System.Globalization;
using System.Text.RegularExpressions;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Yaml;
using YamlDotNet.RepresentationModel;

namespace DeviceTest.Framework.Specs;

/// <summary>Turns one parsed spec document into a <see cref="TestSpec"/>, reporting every problem on the way.</summary>
internal sealed partial class SpecParser(YamlDocumentReader reader)
{
    private static readonly string[] TopKeys = ["name", "requires", "sequence"];
    private static readonly string[] RequiresKeys = ["tags"];
    private static readonly string[] StepKeys = ["tests", "reboot", "repeat"];
    private static readonly string[] TestKeys = ["name", "command", "timeout", "env", "on_host"];
    private static readonly string[] RebootKeys = ["command", "timeout"];
    private static readonly string[] RepeatKeys = ["total", "delay_seconds"];

    public TestSpec? Parse(YamlNode root)
    {
        if (root is not YamlMappingNode rootMapping)
        {
            reader.Error(root, SpecErrorCodes.NotAMapping,
                $"a spec must be a mapping with a `sequence:` list of steps, not {YamlDocumentReader.Describe(root)}");
            return null;
        }

        var top = reader.AsMapping(rootMapping, "the spec")!;
        top.CheckKeys(TopKeys);
        var name = top.Text("name");
        var tags = top.Mapping("requires") is { } requires ? ReadRequires(requires) : [];
        var sequenceNode = top.Value("sequence", required: true);
        var steps = new List<RawStep>();
        if (sequenceNode is not null)
        {
            if (sequenceNode is YamlSequenceNode sequence)
            {
                if (sequence.Children.Count == 0)
                {
                    reader.Warning(sequence, SpecErrorCodes.EmptySequence, "`sequence` is empty; the spec runs nothing");
                }

                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    if (ReadStep(sequence.Children[i], i) is { } step)
                    {
                        steps.Add(step);
                    }
                }
            }
            else
            {
                reader.Error(sequenceNode, SpecErrorCodes.WrongType,
                    $"`sequence` must be a list of steps (`- tests:` or `- reboot:`), not {YamlDocumentReader.Describe(sequenceNode)}");
            }
        }

        if (reader.HasErrors)
        {
            return null;
        }

        return new TestSpec
        {
            Name = name ?? SpecLoader.DefaultName(reader.FilePath),
            FilePath = reader.FilePath,
            RequiredTags = tags,
            Sequence = Build(steps),
        };
    }

    private static IReadOnlyList<string> ReadRequires(YamlMappingReader requires)
    {
        requires.CheckKeys(RequiresKeys);
        return requires.StringList("tags") ?? [];
    }

    private RawStep? ReadStep(YamlNode node, int index)
    {
        var what = $"step {index + 1} of `sequence`";
        var step = reader.AsMapping(node, what);
        if (step is null)
        {
            return null;
        }

        step.CheckKeys(StepKeys);
        var position = Position(node);
        var testsNode = step.Value("tests", allowNull: true);
        var rebootNode = step.Value("reboot", allowNull: true);
        var repeatNode = step.Value("repeat", allowNull: true);

        var tests = testsNode is null ? null : ReadTests(testsNode, index);
        var reboot = rebootNode is null ? null : ReadReboot(rebootNode);
        var repeat = repeatNode is null ? null : ReadRepeat(repeatNode);

        if (rebootNode is not null)
        {
            if (testsNode is not null)
            {
                reader.Warning(step.KeyNode("tests")!, SpecErrorCodes.RebootAndTests,
                    $"step {index + 1} has both `reboot` and `tests`: as in fiotest, the reboot runs and these tests are ignored; " +
                    "put them in a step of their own");
            }

            if (repeatNode is not null)
            {
                reader.Warning(step.KeyNode("repeat")!, SpecErrorCodes.RepeatIgnored,
                    $"step {index + 1} is a reboot step; `repeat` has no effect on it");
            }

            return reboot is null ? null : new RawStep(index, position, reboot.Value.Command, reboot.Value.Timeout, null, null);
        }

        if (testsNode is null || testsNode is YamlSequenceNode { Children.Count: 0 })
        {
            reader.Warning(node, SpecErrorCodes.EmptyStep,
                $"step {index + 1} has neither `tests` nor `reboot`; it does nothing");
        }

        return new RawStep(index, position, null, null, tests ?? [], repeat);
    }

    private List<RawTest>? ReadTests(YamlNode node, int stepIndex)
    {
        var sequence = reader.AsSequence(node, "`tests`");
        if (sequence is null)
        {
            return null;
        }

        var tests = new List<RawTest>();
        var seen = new Dictionary<string, ConfigPosition>(StringComparer.Ordinal);
        foreach (var item in sequence.Children)
        {
            var test = ReadTest(item);
            if (test is null)
            {
                continue;
            }

            if (seen.TryGetValue(test.Name, out var first))
            {
                reader.Error(item, SpecErrorCodes.DuplicateTestName,
                    $"duplicate test name `{test.Name}` in step {stepIndex + 1} (first at line {first.Line}); " +
                    "test names must be unique within a step");
                continue;
            }

            seen[test.Name] = reader.PositionOf(item);
            tests.Add(test);
        }

        return tests;
    }

    private RawTest? ReadTest(YamlNode node)
    {
        var test = reader.AsMapping(node, "a test");
        if (test is null)
        {
            return null;
        }

        test.CheckKeys(TestKeys);
        var nameNode = test.Value("name", required: true);
        var name = nameNode is null ? null : ScalarText(nameNode, "`name`", allowWords: true);
        if (name is not null && name.Trim().Length == 0)
        {
            reader.Error(nameNode!, SpecErrorCodes.EmptyValue, "a test's `name` must not be empty");
            name = null;
        }

        var command = ReadCommand(test);
        var timeout = test.Duration("timeout");
        var env = ReadEnvironment(test);
        var onHost = test.Flag("on_host");
        if (name is null || command is null)
        {
            return null;
        }

        return new RawTest(name, command, timeout, env ?? new Dictionary<string, string>(), onHost ?? false, Position(node));
    }

    private IReadOnlyDictionary<string, string>? ReadEnvironment(YamlMappingReader test)
    {
        var env = test.StringMap("env");
        if (env is null || test.Get("env") is not YamlMappingNode envNode)
        {
            return env;
        }

        foreach (var key in envNode.Children.Keys.OfType<YamlScalarNode>())
        {
            if (key.Value is not null && !EnvironmentName().IsMatch(key.Value))
            {
                reader.Error(key, SpecErrorCodes.BadEnvironmentName,
                    $"`{key.Value}` is not a valid environment variable name (letters, digits and '_', not starting with a digit)");
            }
        }

        return env;
    }

    private (CommandLine Command, TimeSpan? Timeout)? ReadReboot(YamlNode node)
    {
        var reboot = reader.AsMapping(node, "`reboot`");
        if (reboot is null)
        {
            return null;
        }

        reboot.CheckKeys(RebootKeys);
        var command = ReadCommand(reboot);
        var timeout = reboot.Duration("timeout");
        return command is null ? null : (command, timeout);
    }

    private RepeatPolicy? ReadRepeat(YamlNode node)
    {
        var repeat = reader.AsMapping(node, "`repeat`");
        if (repeat is null)
        {
            return null;
        }

        repeat.CheckKeys(RepeatKeys);
        var defaults = new RepeatPolicy();
        int? total = null;
        if (repeat.Value("total") is { } totalNode)
        {
            total = repeat.AsNumber(totalNode, "`total`", int.MinValue);
            if (total < -1)
            {
                reader.Error(totalNode, SpecErrorCodes.OutOfRange,
                    $"`total` must be a number of runs, or -1 or 0 to repeat forever, not {total.Value.ToString(CultureInfo.InvariantCulture)}");
                total = null;
            }
        }

        var delay = repeat.Number("delay_seconds");
        return new RepeatPolicy(total ?? defaults.Total, delay ?? defaults.DelaySeconds);
    }

    private CommandLine? ReadCommand(YamlMappingReader owner)
    {
        var node = owner.Value("command", required: true);
        switch (node)
        {
            case null:
                return null;
            case YamlScalarNode:
                var text = reader.AsString(node, "`command`");
                if (text is null)
                {
                    return null;
                }

                if (text.Trim().Length == 0)
                {
                    reader.Error(node, SpecErrorCodes.EmptyValue, "`command` must not be empty");
                    return null;
                }

                return CommandLine.FromShell(text);
            case YamlSequenceNode list:
                if (list.Children.Count == 0)
                {
                    reader.Error(node, SpecErrorCodes.EmptyValue,
                        "`command` must not be an empty list; give the program and its arguments, e.g. [uname, -a]");
                    return null;
                }

                var arguments = new List<string>();
                foreach (var item in list.Children)
                {
                    var argument = ScalarText(item, "an item of `command`", allowWords: true);
                    if (argument is null)
                    {
                        return ReportRemaining(list, item);
                    }

                    arguments.Add(argument);
                }

                if (arguments[0].Trim().Length == 0)
                {
                    reader.Error(list.Children[0], SpecErrorCodes.EmptyValue, "the program (first item of `command`) must not be empty");
                    return null;
                }

                return CommandLine.FromArguments(arguments);
            default:
                reader.Error(node, SpecErrorCodes.WrongType,
                    $"`command` must be a list (argv) or a string (for the shell), not {YamlDocumentReader.Describe(node)}");
                return null;
        }
    }

    // After one bad item of a command list, still report the other bad items of the same list.
    private CommandLine? ReportRemaining(YamlSequenceNode list, YamlNode failed)
    {
        foreach (var item in list.Children.SkipWhile(i => !ReferenceEquals(i, failed)).Skip(1))
        {
            _ = ScalarText(item, "an item of `command`", allowWords: true);
        }

        return null;
    }

    // A scalar as fiotest turns it into text; lists, mappings and nulls are errors.
    private string? ScalarText(YamlNode node, string what, bool allowWords)
    {
        if (node is not YamlScalarNode scalar)
        {
            reader.Error(node, SpecErrorCodes.WrongType, $"{what} must be a string, not {YamlDocumentReader.Describe(node)}");
            return null;
        }

        if (YamlDocumentReader.IsNull(scalar))
        {
            reader.Error(node, SpecErrorCodes.EmptyValue, $"{what} has no value; write '' for an empty string");
            return null;
        }

        var written = reader.AsString(scalar, what);
        if (written is null || !allowWords)
        {
            return written;
        }

        var text = FiotestScalar.ToText(scalar);
        if (!string.Equals(text, written, StringComparison.Ordinal))
        {
            reader.Warning(scalar, SpecErrorCodes.ValueCoerced,
                $"{what}: unquoted `{written}` is read as `{text}` (YAML 1.1, as fiotest reads it); write '{written}' to keep the text");
        }

        return text;
    }

    private SourcePosition Position(YamlNode node)
    {
        var position = reader.PositionOf(node);
        return new SourcePosition(position.File, position.Line, position.Column);
    }

    private static List<SpecStep> Build(List<RawStep> steps)
    {
        // Names used in more than one step get "(step N)" so that every test has a unique name in the spec.
        var stepsByName = steps
            .Where(s => s.Tests is not null)
            .SelectMany(s => s.Tests!.Select(t => (t.Name, s.Index)))
            .GroupBy(x => x.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Index).Distinct().Count(), StringComparer.Ordinal);

        var result = new List<SpecStep>();
        foreach (var step in steps)
        {
            if (step.RebootCommand is not null)
            {
                result.Add(new RebootStep { Index = step.Index, Position = step.Position, Command = step.RebootCommand, Timeout = step.RebootTimeout });
                continue;
            }

            var tests = step.Tests!.Select(t => new SpecTest
            {
                Name = t.Name,
                Command = t.Command,
                Timeout = t.Timeout,
                Environment = t.Environment,
                OnHost = t.OnHost,
                Position = t.Position,
                StepIndex = step.Index,
                UniqueName = stepsByName[t.Name] > 1
                    ? string.Create(CultureInfo.InvariantCulture, $"{t.Name} (step {step.Index + 1})")
                    : t.Name,
            }).ToList();
            result.Add(new TestsStep { Index = step.Index, Position = step.Position, Tests = tests, Repeat = step.Repeat });
        }

        return result;
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvironmentName();

    private sealed record RawTest(
        string Name,
        CommandLine Command,
        TimeSpan? Timeout,
        IReadOnlyDictionary<string, string> Environment,
        bool OnHost,
        SourcePosition Position);

    private sealed record RawStep(
        int Index,
        SourcePosition Position,
        CommandLine? RebootCommand,
        TimeSpan? RebootTimeout,
        List<RawTest>? Tests,
        RepeatPolicy? Repeat);
}
