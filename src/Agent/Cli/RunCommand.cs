using System.CommandLine;
using DeviceTest.Agent.Progress;
using DeviceTest.Framework.Results;
using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;
using DeviceTest.Hardware;

namespace DeviceTest.Agent.Cli;

/// <summary><c>devicetest run SPEC...</c>: runs specs on one device with live progress and result files.</summary>
internal static class RunCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var specs = SpecArgument.Create("Spec files to run, in order.");
        var device = new Option<string?>("--device", "-d") { Description = "The device to run on (default: local)." };
        var devices = new Option<string?>("--devices") { Description = "The devices file (default: $DEVICETEST_DEVICES, then ./devices.yml)." };
        var junit = new Option<string?>("--junit") { Description = "Write a JUnit XML file." };
        var junitSubResults = new Option<JUnitSubResults>("--junit-subresults")
        {
            Description = "How --junit shows sub-results: testcases (each is also a testcase named test/sub, the default) or properties (only).",
            DefaultValueFactory = _ => JUnitSubResults.TestCases,
        };
        var trx = new Option<string?>("--trx") { Description = "Write a TRX file (Visual Studio, Azure DevOps)." };
        var results = new Option<string?>("--results") { Description = "Keep console logs and artifacts here, one folder per test." };
        var timeout = new Option<string?>("--timeout") { Description = "Default test timeout (e.g. 90s, 10m, 1h30m); default 10m." };
        var leases = LeasesCommand.LeasesOption();
        var leaseTimeout = new Option<string?>("--lease-timeout") { Description = "How long to wait for the device when another run holds it (e.g. 30m); default: as long as it takes." };

        var command = new Command("run", "Run specs on a device.") { specs, device, devices, junit, junitSubResults, trx, results, timeout, leases, leaseTimeout };
        command.SetAction(async (parse, _) =>
        {
            var request = new RunRequest(
                parse.GetValue(specs)!,
                parse.GetValue(device),
                parse.GetValue(devices),
                parse.GetValue(junit),
                parse.GetValue(trx),
                parse.GetValue(results),
                parse.GetValue(timeout))
            {
                Leases = parse.GetValue(leases),
                LeaseTimeout = parse.GetValue(leaseTimeout),
                JUnitSubResults = parse.GetValue(junitSubResults),
            };
            using var cancellation = new CancellationScope(error);
            return await new RunSession(output, error, !Console.IsOutputRedirected).RunAsync(request, cancellation.Token);
        });
        return command;
    }
}
