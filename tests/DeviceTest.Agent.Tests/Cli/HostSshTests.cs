using DeviceTest.Agent.Cli;

namespace DeviceTest.Agent.Tests.Cli;

/// <summary>The agent's <c>--host-ssh user@host[:port]</c> (on_host tests over SSH).</summary>
[TestClass]
public sealed class HostSshTests
{
    [TestMethod]
    public void Host_ssh_leaves_host_key_checking_to_the_users_ssh_config()
    {
        var config = AgentCommand.HostSshConfig("fio@192.0.2.5:2222");

        Assert.IsNotNull(config?.Ssh);
        Assert.AreEqual("192.0.2.5", config.Ssh.Host);
        Assert.AreEqual(2222, config.Ssh.Port);
        Assert.AreEqual("fio", config.Ssh.User);
        Assert.IsEmpty(config.Ssh.Options, "no option given on ssh's command line overrides the user's ssh_config (StrictHostKeyChecking yes stays yes)");
    }

    [TestMethod]
    public void Host_ssh_that_is_not_user_at_host_is_refused()
    {
        Assert.IsNull(AgentCommand.HostSshConfig("root@"));
        Assert.IsNull(AgentCommand.HostSshConfig("root@host:port"));
    }
}
