using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Ssh;
using Microsoft.Build.Framework;
using MSBuildTask = Microsoft.Build.Utilities.Task;

namespace DeviceTest.Tasks;

/// <summary>
/// Starts the SSH device's shared ControlMaster in the background at the start of a build that is going to deploy,
/// so the key exchange and login overlap the compiler and <c>DeployToDevice</c> finds the connection up (or being
/// started under the socket's lock, which it waits for). Returns at once and never fails the build: anything that
/// goes wrong is left to the deploy, which reports it as it always does. Only shared sockets are started
/// (<c>DEVICETEST_SSH_SHARE=0</c>: nothing to share, nothing is done); only ssh's own master stays behind, ending
/// by ControlPersist. See docs/deploy.md ("Connecting while the project compiles").
/// </summary>
public sealed class ConnectToDevice : MSBuildTask
{
    /// <summary>The device's name (<c>DeviceTestDevice</c>); empty: runsettings, else <c>local</c> (nothing to do).</summary>
    public string? Device { get; set; }

    /// <summary>The devices file, as for <see cref="DeployToDevice"/>.</summary>
    public string? DevicesFile { get; set; }

    /// <summary>Where a relative devices file and <c>devices.yml</c> are looked up (the project's directory).</summary>
    public string? ProjectDirectory { get; set; }

    /// <summary>The runsettings file of <c>dotnet test</c>, if any.</summary>
    public string? RunSettingsFile { get; set; }

    /// <summary>Runsettings given after <c>--</c> on <c>dotnet test</c>.</summary>
    public string[]? RunSettingsArguments { get; set; }

    public override bool Execute()
    {
        try
        {
            // MSBuild calls tasks synchronously; what is waited for here is a few ms (reading devices.yml, ssh -G).
            var why = TryStartAsync().GetAwaiter().GetResult();
            Log.LogMessage(MessageImportance.Low, $"ConnectToDevice: {why}");
        }
#pragma warning disable CA1031 // Only a head start: the deploy connects (and reports any problem) itself.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.LogMessage(MessageImportance.Low, $"ConnectToDevice: not connecting early ({e.GetType().Name}: {e.Message}); the deploy connects itself.");
        }

        return true;
    }

    /// <summary>Starts the master when there is one to start; says what it did.</summary>
    private async Task<string> TryStartAsync()
    {
        var selection = TaskDeviceSelection.From(Device, DevicesFile, RunSettingsFile, RunSettingsArguments);
        if (selection.Device is not { } name)
        {
            return "no device named; nothing to connect to.";
        }

        var directory = string.IsNullOrEmpty(ProjectDirectory) ? Directory.GetCurrentDirectory() : ProjectDirectory;
        var location = DeviceFileLocator.Locate(selection.DevicesFile, directory);
        if (location is null || !File.Exists(location.Path))
        {
            return "no devices file; the deploy reports it.";
        }

        // Errors in the file are the deploy's to report, once, with their positions.
        var loaded = DeviceFileLoader.Load(location);
        if (loaded.HasErrors || loaded.Find(name) is not { } config)
        {
            return $"'{name}' is not usable in {location.Path}; the deploy reports why.";
        }

        if (config.Ssh is not { } ssh || config.Qemu is not null)
        {
            return $"'{name}' is not an SSH device that is up during the build; nothing to connect to.";
        }

        var socket = SshControlSocket.For(ssh, config.BaseDirectory);
        if (!socket.IsShared)
        {
            socket.Dispose();
            return $"connections are not shared ({SshControlSocket.ShareVariable}=0 or no private folder for sockets): the deploy connects itself.";
        }

        var how = await EarlyMaster.StartAsync(new SshArguments(config.Name, ssh, config.BaseDirectory, socket.Path), socket);
        return $"connecting to '{name}' in the background, {how} (shared master {socket.Path}).";
    }
}
