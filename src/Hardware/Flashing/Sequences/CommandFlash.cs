using System.Diagnostics;
using DeviceTest.Hardware.Boards;
using DeviceTest.Hardware.Configuration;

namespace DeviceTest.Hardware.Flashing.Sequences;

/// <summary>
/// <c>flash: { command }</c>: the vendor's own tool (fastboot, uuu, a script) with <c>{image}</c> replaced by the
/// image's full path (quoted), run on this machine with its output streamed to the progress as it comes; then the
/// board is brought up through its boot strategy (power-cycled first when it has power).
/// </summary>
internal sealed class CommandFlash(string deviceName, FlashConfig config, IBootStrategy? strategy, IDevice host) : IDeviceFlash
{
    private static readonly TimeSpan DefaultCommandTimeout = TimeSpan.FromMinutes(30);

    public string Description => $"command `{config.Command}`";

    public async Task<FlashOutcome> FlashAsync(string image, FlashOptions? options, IProgress<FlashProgress>? progress, CancellationToken cancellationToken)
    {
        options ??= new FlashOptions();
        var started = Stopwatch.StartNew();
        var full = Path.GetFullPath(image);
        if (!File.Exists(full))
        {
            throw new FlashException(FlashFailure.BadImage, FlashStage.Image, $"image {full} does not exist");
        }

        var command = config.Command!.Replace(FlashConfig.ImagePlaceholder, ShellQuoting.Quote(full), StringComparison.Ordinal);
        FlashSteps.Say(progress, FlashStage.Command, $"running {command}");
        var timeout = config.TimeoutGiven ? config.Timeout : DefaultCommandTimeout;
        await FlashSteps.RunCommandAsync(host, command, FlashStage.Command, timeout, new Lines(progress), cancellationToken).ConfigureAwait(false);
        var booted = false;
        if (strategy is not null)
        {
            if (strategy.BoardPower is not null)
            {
                await FlashSteps.PowerOffAsync(strategy, deviceName, progress, cancellationToken).ConfigureAwait(false);
            }

            await FlashSteps.BootAsync(strategy, deviceName, options.BootTimeout, progress, cancellationToken).ConfigureAwait(false);
            booted = true;
        }

        var size = new FileInfo(full).Length;
        return new FlashOutcome
        {
            ImageSize = size,
            BytesWritten = size,
            Verified = false,
            Booted = booted,
            Duration = started.Elapsed,
            Summary = $"`{command}` succeeded in {started.Elapsed.TotalSeconds:0.0} s{(booted ? ", booted" : string.Empty)} (the vendor tool verifies, if it does)",
        };
    }

    /// <summary>The command's output, line by line, as progress messages.</summary>
    private sealed class Lines(IProgress<FlashProgress>? progress) : IOutputObserver
    {
        private readonly System.Text.StringBuilder _partial = new();

        public void OnOutput(OutputKind stream, ReadOnlySpan<char> text)
        {
            foreach (var c in text)
            {
                if (c is '\n' or '\r')
                {
                    if (_partial.Length > 0)
                    {
                        progress?.Report(new FlashProgress { Stage = FlashStage.Command, Message = "  " + _partial });
                        _partial.Clear();
                    }
                }
                else
                {
                    _partial.Append(c);
                }
            }
        }
    }
}
