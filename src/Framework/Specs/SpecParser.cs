using System.Globalization;
using DeviceTest.Hardware.Yaml;
using YamlDotNet.RepresentationModel;

namespace DeviceTest.Framework.Specs;

/// <summary>
/// Turns one parsed spec document into a <see cref="TestSpec"/>, reporting every problem on the way. The top level
/// (<c>name</c>, <c>requires</c>, <c>sequence</c>) and a step's <c>repeat</c> are read here; each step's own key is
/// read by its <see cref="StepKind"/>.
/// </summary>
internal sealed class SpecParser(YamlDocumentReader reader, StepKinds kinds)
{
    private const string RepeatKey = "repeat";
    private static readonly string[] TopKeys = ["name", "requires", "sequence"];
    private static readonly string[] RequiresKeys = ["tags"];
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
        var steps = new List<SpecStep>();
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
                    $"`sequence` must be a list of steps ({string.Join(" or ", kinds.All.Select(k => $"`- {k.Key}:`"))}), not {YamlDocumentReader.Describe(sequenceNode)}");
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
            Sequence = WithUniqueTestNames(steps),
        };
    }

    private static IReadOnlyList<string> ReadRequires(YamlMappingReader requires)
    {
        requires.CheckKeys(RequiresKeys);
        return requires.StringList("tags") ?? [];
    }

    /// <summary>
    /// One step: every kind it names is read (so that all problems are reported), and the step is the one kind it
    /// names. fiotest's rule: <c>reboot</c> beside <c>tests</c> wins, with a warning; any other pair is an error. A
    /// step that names no kind is an empty <c>tests</c> step, as in fiotest.
    /// </summary>
    private SpecStep? ReadStep(YamlNode node, int index)
    {
        var step = reader.AsMapping(node, $"step {index + 1} of `sequence`");
        if (step is null)
        {
            return null;
        }

        step.CheckKeys([.. kinds.All.Select(k => k.Key), RepeatKey]);
        var position = Position(node);
        var repeatNode = step.Value(RepeatKey, allowNull: true);
        var named = kinds.All
            .Select(kind => (Kind: kind, Value: step.Value(kind.Key, allowNull: true)))
            .Where(k => k.Value is not null)
            .Select(k => (k.Kind, Value: k.Value!))
            .ToList();
        var repeat = repeatNode is null ? null : ReadRepeat(repeatNode);
        var read = named.Select(k => (k.Kind, k.Value, Step: k.Kind.Read(new StepSource(reader, k.Value, index, position, repeat)))).ToList();

        if (read.Count == 0 || read is [{ Value: YamlSequenceNode { Children.Count: 0 } }])
        {
            reader.Warning(node, SpecErrorCodes.EmptyStep, $"step {index + 1} has {NoKindText()}; it does nothing");
        }

        if (read.Count == 0)
        {
            return new TestsStep { Index = index, Position = position, Tests = [], Repeat = repeat };
        }

        var chosen = read[0];
        if (read.Count > 1)
        {
            if (read.Count == 2 && read[0].Kind == TestsStep.StepKind && read[1].Kind == RebootStep.StepKind)
            {
                reader.Warning(step.KeyNode(TestsStep.StepKind.Key)!, SpecErrorCodes.RebootAndTests,
                    $"step {index + 1} has both `reboot` and `tests`: as in fiotest, the reboot runs and these tests are ignored; " +
                    "put them in a step of their own");
                chosen = read[1];
            }
            else
            {
                var keys = read.Select(k => step.KeyNode(k.Kind.Key)!).OrderBy(key => key.Start.Line).ThenBy(key => key.Start.Column).ToList();
                reader.Error(keys[1], SpecErrorCodes.SeveralStepKinds,
                    $"step {index + 1} has both `{keys[0].Value}` and `{keys[1].Value}`; a step does one thing: " +
                    $"put `{keys[1].Value}` in a step of its own");
                return null;
            }
        }

        if (repeatNode is not null && !chosen.Kind.Repeats)
        {
            reader.Warning(step.KeyNode(RepeatKey)!, SpecErrorCodes.RepeatIgnored,
                $"step {index + 1} is a {chosen.Kind.Key} step; `repeat` has no effect on it");
        }

        return chosen.Step;
    }

    private string NoKindText()
    {
        var keys = kinds.All.Select(k => $"`{k.Key}`").ToList();
        return keys.Count == 2 ? $"neither {keys[0]} nor {keys[1]}" : $"none of {string.Join(", ", keys)}";
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

    private SourcePosition Position(YamlNode node)
    {
        var position = reader.PositionOf(node);
        return new SourcePosition(position.File, position.Line, position.Column);
    }

    /// <summary>Names used in more than one step get "(step N)", so that every test has a unique name in the spec.</summary>
    private static List<SpecStep> WithUniqueTestNames(List<SpecStep> steps)
    {
        var stepsByName = steps
            .OfType<TestsStep>()
            .SelectMany(s => s.Tests.Select(t => (t.Name, s.Index)))
            .GroupBy(x => x.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Index).Distinct().Count(), StringComparer.Ordinal);
        return
        [
            .. steps.Select(step => step is TestsStep tests
                ? tests.WithUniqueNames(t => stepsByName[t.Name] > 1
                    ? string.Create(CultureInfo.InvariantCulture, $"{t.Name} (step {tests.Index + 1})")
                    : t.Name)
                : step),
        ];
    }
}
