using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Tests.Consoles;
using DeviceTest.Lab.Serial;

namespace DeviceTest.Hardware.Tests.Serial;

/// <summary>The console shell over ser2net in raw TCP mode (<c>tcp://</c>).</summary>
[TestClass]
public sealed class Ser2NetRawConsoleShellTests : ConsoleShellContractTests
{
    protected override async Task<Lab> StartAsync(string? user, string? password, int baud, bool jobControl)
    {
        var lab = await Ser2NetBoard.StartAsync(user, password, jobControl);
        return new Lab(lab.Board, new SerialConfig { Port = lab.RawUrl, Baud = baud }, lab);
    }
}
