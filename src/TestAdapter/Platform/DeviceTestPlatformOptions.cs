using System.Globalization;
using DeviceTest.Hardware.Yaml;
using DeviceTest.TestAdapter.Settings;
using Microsoft.Testing.Platform.CommandLine;
using Microsoft.Testing.Platform.Extensions;
using Microsoft.Testing.Platform.Extensions.CommandLine;

namespace DeviceTest.TestAdapter.Platform;

/// <summary>
/// The runsettings keys of <c>&lt;DeviceTest&gt;</c> as options of the test app (Microsoft.Testing.Platform mode):
/// <c>--devicetest-device NAME</c> and so on. An option wins over the same key in <c>--settings</c>.
/// </summary>
internal sealed class DeviceTestPlatformOptions : ICommandLineOptionsProvider
{
    public const string DeviceOption = "devicetest-device";
    public const string TagsOption = "devicetest-tags";
    public const string DevicesFileOption = "devicetest-devices-file";
    public const string DefaultTimeoutOption = "devicetest-default-timeout";
    public const string ParallelOption = "devicetest-parallel";
    public const string LeaseTimeoutOption = "devicetest-lease-timeout";
    public const string LeasesOption = "devicetest-leases";

    /// <summary>Each option and the runsettings key it sets.</summary>
    public static IReadOnlyList<(string Option, string Key)> Keys { get; } =
    [
        (DeviceOption, RunSettingsReader.DeviceKey),
        (TagsOption, RunSettingsReader.TagsKey),
        (DevicesFileOption, RunSettingsReader.DevicesFileKey),
        (DefaultTimeoutOption, RunSettingsReader.DefaultTimeoutKey),
        (ParallelOption, RunSettingsReader.ParallelKey),
        (LeaseTimeoutOption, RunSettingsReader.LeaseTimeoutKey),
        (LeasesOption, RunSettingsReader.LeasesKey),
    ];

    private readonly DeviceTestExtension _extension;

    public DeviceTestPlatformOptions(DeviceTestExtension extension)
    {
        _extension = extension;
    }

    public string Uid => _extension.Uid + ".CommandLine";

    public string Version => _extension.Version;

    public string DisplayName => _extension.DisplayName;

    public string Description => _extension.Description;

    public Task<bool> IsEnabledAsync() => _extension.IsEnabledAsync();

    public IReadOnlyCollection<CommandLineOption> GetCommandLineOptions() =>
    [
        new(DeviceOption, "The devices.yml entry to run on (runsettings <DeviceTest><Device>). Default: any device with --devicetest-tags, else 'local'.", ArgumentArity.ExactlyOne, isHidden: false),
        new(TagsOption, "Tags a device must have; every matching device forms the pool (<Tags>), e.g. arm64,wifi.", ArgumentArity.ExactlyOne, isHidden: false),
        new(DevicesFileOption, "The devices file (<DevicesFile>). Default: DEVICETEST_DEVICES, then devices.yml next to the project.", ArgumentArity.ExactlyOne, isHidden: false),
        new(DefaultTimeoutOption, $"A test's timeout when its spec gives none (<DefaultTimeout>): {DurationText.Forms}.", ArgumentArity.ExactlyOne, isHidden: false),
        new(ParallelOption, "How many devices of the pool run at once (<Parallel>), 1 or more.", ArgumentArity.ExactlyOne, isHidden: false),
        new(LeaseTimeoutOption, $"How long to wait for a leased device (<LeaseTimeout>): {DurationText.Forms}.", ArgumentArity.ExactlyOne, isHidden: false),
        new(LeasesOption, "Where device leases live (<Leases>): etcd://h1:2379,h2:2379,h3:2379 (etcds:// for TLS). Default: DEVICETEST_LEASES, then lock files on this machine.", ArgumentArity.ExactlyOne, isHidden: false),
    ];

    public Task<ValidationResult> ValidateOptionArgumentsAsync(CommandLineOption commandOption, string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(commandOption);
        ArgumentNullException.ThrowIfNull(arguments);
        var value = arguments.Length == 1 ? arguments[0].Trim() : string.Empty;
        if (value.Length == 0)
        {
            return ValidationResult.InvalidTask($"--{commandOption.Name} needs a value.");
        }

        return commandOption.Name switch
        {
            ParallelOption when !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parallel) || parallel < 1 =>
                ValidationResult.InvalidTask($"--{ParallelOption} '{value}' is not valid: give a whole number of devices, 1 or more (e.g. --{ParallelOption} 2)."),
            DefaultTimeoutOption or LeaseTimeoutOption when !DurationText.TryParse(value, out var duration) || duration <= TimeSpan.Zero =>
                ValidationResult.InvalidTask($"--{commandOption.Name} '{value}' is not valid: give a positive duration ({DurationText.Forms})."),
            _ => ValidationResult.ValidTask,
        };
    }

    public Task<ValidationResult> ValidateCommandLineOptionsAsync(ICommandLineOptions commandLineOptions) => ValidationResult.ValidTask;

    /// <summary>The keys set on the command line, in <see cref="Keys"/> order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Read(ICommandLineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var values = new List<KeyValuePair<string, string>>();
        foreach (var (option, key) in Keys)
        {
            if (options.TryGetOptionArgumentList(option, out var arguments) && arguments is [var value])
            {
                values.Add(new(key, value.Trim()));
            }
        }

        return values;
    }
}
