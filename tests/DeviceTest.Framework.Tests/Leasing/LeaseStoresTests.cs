using DeviceTest.Framework.Leasing;
using DeviceTest.Framework.Leasing.Etcd;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace DeviceTest.Framework.Tests.Leasing;

/// <summary>Which store a run uses, and how a leases URL is read.</summary>
[TestClass]
public sealed class LeaseStoresTests
{
    [TestMethod]
    public async Task The_option_wins_over_the_environment_and_lock_files_are_the_default()
    {
        var folder = Path.Combine(Path.GetTempPath(), "devicetest-stores-" + Guid.NewGuid().ToString("N"));
        await using (var fromOption = LeaseStores.Open("etcd://h1:2379", environment: _ => folder))
        {
            Assert.AreEqual("etcd at h1:2379", fromOption.Location);
        }

        await using (var fromEnvironment = LeaseStores.Open(null, environment: name => name == LeaseStores.EnvironmentVariable ? folder : null))
        {
            Assert.AreEqual($"lock files in {folder}", fromEnvironment.Location);
        }

        await using var byDefault = LeaseStores.Open(null, new LeaseDirectory(folder), _ => null);
        Assert.IsInstanceOfType<LockFileLeaseStore>(byDefault);
    }

    [TestMethod]
    public void An_etcd_url_gives_members_tls_credentials_and_time_to_live()
    {
        var options = EtcdLeaseOptions.Parse(
            "etcds://ci:s%40cret@h1:2379,h2:2379,[::1]:2379/?ttl=15s&cacert=/ca.pem&cert=/c.pem&key=/k.pem", _ => null);

        CollectionAssert.AreEqual(new[] { "h1:2379", "h2:2379", "[::1]:2379" }, options.Endpoints.ToArray());
        Assert.IsTrue(options.UseTls);
        Assert.AreEqual(("ci", "s@cret"), (options.User, options.Password));
        Assert.AreEqual(TimeSpan.FromSeconds(15), options.TimeToLive);
        Assert.AreEqual(("/ca.pem", "/c.pem", "/k.pem"), (options.CaCertificateFile, options.ClientCertificateFile, options.ClientKeyFile));
        Assert.AreEqual("etcds at h1:2379,h2:2379,[::1]:2379", options.Describe());
    }

    [TestMethod]
    public void A_user_without_a_password_in_the_url_takes_it_from_the_environment()
    {
        var options = EtcdLeaseOptions.Parse("etcd://ci@h1:2379", name => name == EtcdLeaseOptions.PasswordVariable ? "pw" : null);

        Assert.AreEqual("pw", options.Password);
    }

    [TestMethod]
    [DataRow("etcd://", "names no etcd member")]
    [DataRow("etcd://h1", "needs host:port")]
    [DataRow("etcd://h1:2379?ttl=1s", "whole seconds from 3s")]
    [DataRow("etcd://h1:2379?cacert=/ca.pem", "need TLS")]
    [DataRow("etcd://h1:2379?color=blue", "unknown setting 'color'")]
    [DataRow("etcd://ci@h1:2379", "has no password")]
    [DataRow("http://h1:2379", "names no lease store")]
    public void A_bad_leases_value_says_what_is_wrong_and_never_shows_the_password(string value, string expected)
    {
        var error = Assert.ThrowsExactly<FormatException>(() => LeaseStores.Open(value, environment: _ => null));
        StringAssert.Contains(error.Message, expected);

        var withPassword = Assert.ThrowsExactly<FormatException>(() => EtcdLeaseOptions.Parse("etcd://ci:hunter2@h1", _ => null));
        Assert.IsFalse(withPassword.Message.Contains("hunter2", StringComparison.Ordinal), withPassword.Message);
    }
}
