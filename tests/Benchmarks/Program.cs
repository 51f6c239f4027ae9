using DeviceTest.Benchmarks;

return args.FirstOrDefault() switch
{
    "ssh-roundtrip" => await SshRoundTrip.RunAsync(args.Skip(1).ToArray()),
    "discovery" => await Discovery.RunAsync(args.Skip(1).ToArray()),
    "deploy" => await Deploy.RunAsync(args.Skip(1).ToArray()),
    "deploy-cold" => await ColdDeploy.RunAsync(args.Skip(1).ToArray()),
    "deploy-build" => await BuildDeploy.RunAsync(args.Skip(1).ToArray()),
    "spec-tests" => await SpecTests.RunAsync(args.Skip(1).ToArray()),
    "leases" => await Leases.RunAsync(args.Skip(1).ToArray()),
    "native" => await NativeBuild.RunAsync(args.Skip(1).ToArray()),
    "native-order" => await NativeStartupOrder.RunAsync(args.Skip(1).ToArray()),
    "ssh-share" => await SshShare.RunAsync(args.Skip(1).ToArray()),
    "flash" => await Flash.RunAsync(args.Skip(1).ToArray()),
    "lab-connection" => await LabConnectionCost.RunAsync(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project tests/Benchmarks -- ssh-roundtrip [--count N] | discovery [--list-tests] | deploy [--files N] [--mb N] [--runs N] | deploy-cold [--files N] [--mb N] [--runs N] [--tasks DIR] | deploy-build [--files N] [--mb N] [--runs N] [--connect-delay S] | spec-tests [--count N] [--tmpdir DIR] | leases [--seconds N] | native [--binary F] [--dll F] [--runs N] | native-order --binary F | ssh-share [--runs N] | flash [--mb N] [--data-mb N] [--runs N] | lab-connection [--runs N]");
    return 2;
}
