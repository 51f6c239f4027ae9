namespace DeviceTest.Framework.Specs;

/// <summary>
/// fiotest's <c>repeat</c>: <see cref="Total"/> runs of the step (-1 or 0: forever), with
/// <see cref="DelaySeconds"/> between runs. fiotest's defaults are total -1 and delay 3600.
/// </summary>
public sealed record RepeatPolicy(int Total = -1, int DelaySeconds = 3600)
{
    public bool IsForever => Total <= 0;
}
