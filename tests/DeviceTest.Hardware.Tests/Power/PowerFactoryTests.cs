using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Power;
using DeviceTest.Hardware.Qemu;

namespace DeviceTest.Hardware.Tests.Power;

[TestClass]
public sealed class PowerFactoryTests
{
    [TestMethod]
    public void Each_power_section_gets_its_backend()
    {
        Assert.IsInstanceOfType<CommandPower>(PowerFactory.Create(new PowerConfig
        {
            Command = new CommandPowerConfig { On = "a", Off = "b" },
        }));
        Assert.IsInstanceOfType<PdudaemonPower>(PowerFactory.Create(new PowerConfig
        {
            Pdudaemon = new PdudaemonConfig { Url = new Uri("http://127.0.0.1:16421"), Hostname = "pdu", Port = 1 },
        }));
    }

    [TestMethod]
    public void A_section_without_a_backend_says_what_to_write()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => PowerFactory.Create(new PowerConfig()));

        StringAssert.Contains(e.Message, "command: { on, off }");
    }

    [TestMethod]
    public async Task A_qemu_board_without_a_power_section_uses_qmp()
    {
        await using var machine = new QemuMachine(new QemuConfig(), new QemuMachineOptions { Name = "b" });

        Assert.IsInstanceOfType<QmpPower>(PowerFactory.Create(null, machine));
        Assert.IsInstanceOfType<CommandPower>(PowerFactory.Create(
            new PowerConfig { Command = new CommandPowerConfig { On = "a", Off = "b" } }, machine));
        Assert.IsNull(PowerFactory.Create(null, null));
    }
}
