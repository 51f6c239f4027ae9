using DeviceTest.Framework.Specs;
using DeviceTest.Hardware;

namespace DeviceTest.Framework.Tests.Doubles;

/// <summary>Builds specs by hand (the way the loader would), with made-up but consistent positions.</summary>
public sealed class SpecBuilder
{
    private readonly List<SpecStep> _steps = [];
    private int _line = 2;

    private SpecBuilder(string name, string file)
    {
        Name = name;
        File = file;
    }

    public string Name { get; }

    public string File { get; }

    public IReadOnlyList<string> RequiredTags { get; private set; } = [];

    public static SpecBuilder Named(string name, string file = "specs/test.spec.yml") => new(name, file);

    public static SpecTest Test(string name, string command, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? env = null) =>
        new()
        {
            Name = name,
            Command = CommandLine.FromShell(command),
            Timeout = timeout,
            Environment = env ?? new Dictionary<string, string>(),
            Position = default,
            StepIndex = -1,
            UniqueName = name,
        };

    public static SpecTest Argv(string name, params string[] argv) => new()
    {
        Name = name,
        Command = CommandLine.FromArguments(argv),
        Position = default,
        StepIndex = -1,
        UniqueName = name,
    };

    public SpecBuilder Requires(params string[] tags)
    {
        RequiredTags = tags;
        return this;
    }

    public SpecBuilder Tests(RepeatPolicy? repeat, params SpecTest[] tests)
    {
        var index = _steps.Count;
        var stepLine = _line++;
        var placed = new List<SpecTest>();
        foreach (var test in tests)
        {
            placed.Add(new SpecTest
            {
                Name = test.Name,
                Command = test.Command,
                Timeout = test.Timeout,
                Environment = test.Environment,
                OnHost = test.OnHost,
                Position = new SourcePosition(File, _line, 9),
                StepIndex = index,
                UniqueName = test.Name,
            });
            _line += 2;
        }

        _steps.Add(new TestsStep { Index = index, Position = new SourcePosition(File, stepLine, 5), Tests = placed, Repeat = repeat });
        return this;
    }

    public SpecBuilder Tests(params SpecTest[] tests) => Tests(null, tests);

    public SpecBuilder Reboot(string command = "/sbin/reboot", TimeSpan? timeout = null)
    {
        _steps.Add(new RebootStep
        {
            Index = _steps.Count,
            Position = new SourcePosition(File, _line, 5),
            Command = CommandLine.FromShell(command),
            Timeout = timeout,
        });
        _line += 2;
        return this;
    }

    /// <summary>The spec; names used in more than one step become "name (step N)", as the loader does.</summary>
    public TestSpec Build()
    {
        var steps = _steps.Select(step => step is TestsStep tests
            ? new TestsStep
            {
                Index = tests.Index,
                Position = tests.Position,
                Repeat = tests.Repeat,
                Tests = [.. tests.Tests.Select(t => Unique(t, tests.Index))],
            }
            : step).ToList();
        return new TestSpec { Name = Name, FilePath = File, RequiredTags = RequiredTags, Sequence = steps };
    }

    private SpecTest Unique(SpecTest test, int stepIndex)
    {
        var stepsUsingName = _steps.OfType<TestsStep>().Count(s => s.Tests.Any(t => t.Name == test.Name));
        return new SpecTest
        {
            Name = test.Name,
            Command = test.Command,
            Timeout = test.Timeout,
            Environment = test.Environment,
            OnHost = test.OnHost,
            Position = test.Position,
            StepIndex = stepIndex,
            UniqueName = stepsUsingName > 1 ? $"{test.Name} (step {stepIndex + 1})" : test.Name,
        };
    }
}
