using DeviceTest.Hardware.Flashing;

namespace DeviceTest.Hardware.Tests.Flashing;

/// <summary>
/// Records a flash's progress synchronously (<see cref="Progress{T}"/> would post to the thread pool, so a test could
/// look before the last report arrived); <paramref name="seen"/> sees each report as it comes.
/// </summary>
internal sealed class RecordedProgress(Action<FlashProgress>? seen = null) : IProgress<FlashProgress>
{
    private readonly List<FlashProgress> _reports = [];

    /// <summary>The steps' messages so far.</summary>
    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_reports)
            {
                return _reports.Where(r => r.Message is not null).Select(r => r.Message!).ToList();
            }
        }
    }

    /// <summary>The stages that said something, in order, each once.</summary>
    public IReadOnlyList<FlashStage> Stages
    {
        get
        {
            lock (_reports)
            {
                return _reports.Where(r => r.Message is not null).Select(r => r.Stage).Distinct().ToList();
            }
        }
    }

    public void Report(FlashProgress value)
    {
        lock (_reports)
        {
            _reports.Add(value);
        }

        seen?.Invoke(value);
    }
}
