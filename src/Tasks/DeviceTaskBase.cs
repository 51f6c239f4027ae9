using DeviceTest.Hardware;
using DeviceTest.Hardware.Configuration;
using Microsoft.Build.Framework;
using MSBuildTask = Microsoft.Build.Utilities.Task;

namespace DeviceTest.Tasks;

/// <summary>
/// The common part of DeviceTest's tasks: cancellation (<see cref="ICancelableTask"/>), choosing the device from
/// <c>Device</c>/<c>DeviceTestDevice</c>, the runsettings and the devices file, and turning device errors into coded
/// MSBuild errors without stack traces.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Cancel() may come from MSBuild at any time, even after Execute returned; a CancellationTokenSource without timers or wait handles holds nothing to release.")]
public abstract class DeviceTaskBase : MSBuildTask, ICancelableTask
{
    private readonly CancellationTokenSource _cancel = new();

    /// <summary>The device's name in devices.yml (<c>-p:Device=NAME</c> or <c>DeviceTestDevice</c>); empty: from the
    /// runsettings, else <c>local</c>.</summary>
    public string? Device { get; set; }

    /// <summary>The devices file (<c>DeviceTestDevicesFile</c>); empty: runsettings, <c>DEVICETEST_DEVICES</c>,
    /// then <c>devices.yml</c> in <see cref="ProjectDirectory"/>.</summary>
    public string? DevicesFile { get; set; }

    /// <summary>Where a relative devices file and <c>devices.yml</c> are looked up (the project's directory).</summary>
    public string? ProjectDirectory { get; set; }

    /// <summary>The runsettings file of <c>dotnet test</c> (<c>$(RunSettingsFilePath)</c>/<c>$(VSTestSetting)</c>), if any.</summary>
    public string? RunSettingsFile { get; set; }

    /// <summary>Runsettings given after <c>--</c> on <c>dotnet test</c> (<c>$(VSTestCLIRunSettings)</c>).</summary>
    public string[]? RunSettingsArguments { get; set; }

    /// <summary>The device's name as chosen (output).</summary>
    [Output]
    public string? ResolvedDevice { get; set; }

    /// <summary>Stops what the task does on the device; returns at once.</summary>
    public void Cancel() => _cancel.Cancel();

    public sealed override bool Execute()
    {
        try
        {
            // MSBuild calls tasks synchronously: this is the one place where the async work is waited for.
            return ExecuteAsync(_cancel.Token).GetAwaiter().GetResult() && !Log.HasLoggedErrors;
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
            Log.LogError(null, ErrorCodes.Cancelled, null, ProjectFile, 0, 0, 0, 0,
                $"{GetType().Name} was cancelled{(ResolvedDevice is null ? string.Empty : $" (device '{ResolvedDevice}')")}; nothing partial was left in place.");
            return false;
        }
        catch (DeviceUnreachableException e)
        {
            LogDeviceError(ErrorCodes.Unreachable, $"device '{ResolvedDevice}' cannot be reached: {e.Message} Check that it is on and reachable, or pick another device with -p:Device=NAME.");
            return false;
        }
        catch (DeviceLostException e)
        {
            LogDeviceError(ErrorCodes.DeviceLost, $"device '{ResolvedDevice}' stopped answering: {e.Message}");
            return false;
        }
        catch (NotSupportedException e)
        {
            LogDeviceError(ErrorCodes.NotSupported, e.Message);
            return false;
        }
    }

    /// <summary>The task's work; log errors through <see cref="LogDeviceError"/> and friends.</summary>
    internal abstract Task<bool> ExecuteAsync(CancellationToken cancellationToken);

    /// <summary>The project file that runs the task (for error locations).</summary>
    internal string ProjectFile => BuildEngine?.ProjectFileOfTaskNode ?? string.Empty;

    /// <summary>Where the chosen device is defined (devices file and line), for error locations.</summary>
    internal (string File, int Line) DeviceLocation { get; private set; }

    internal void LogDeviceError(string code, string message)
    {
        var (file, line) = DeviceLocation;
        Log.LogError(null, code, null, string.IsNullOrEmpty(file) ? ProjectFile : file, line, 0, 0, 0, message);
    }

    internal void LogProjectError(string code, string message) =>
        Log.LogError(null, code, null, ProjectFile, 0, 0, 0, 0, message);

    /// <summary>Loads the devices file and finds the chosen device; logs a coded error and returns null when it cannot.</summary>
    internal DeviceConfig? ResolveDeviceConfig()
    {
        var selection = TaskDeviceSelection.From(Device, DevicesFile, RunSettingsFile, RunSettingsArguments);
        var directory = string.IsNullOrEmpty(ProjectDirectory) ? Directory.GetCurrentDirectory() : ProjectDirectory;
        var location = DeviceFileLocator.Locate(selection.DevicesFile, directory);
        var name = selection.Device ?? DeviceFileLoader.LocalDeviceName;
        ResolvedDevice = name;
        if (location is not null && !File.Exists(location.Path))
        {
            LogProjectError(ErrorCodes.DevicesFile, $"the devices file {location.Describe()} does not exist. Fix DeviceTestDevicesFile / {DeviceFileLocator.EnvironmentVariable}, or remove it to use only 'local'.");
            return null;
        }

        var loaded = DeviceFileLoader.Load(location);
        foreach (var diagnostic in loaded.Diagnostics)
        {
            var position = diagnostic.Position;
            if (diagnostic.IsError)
            {
                Log.LogError(null, diagnostic.Code, null, position.File, position.Line, position.Column, 0, 0, diagnostic.Message);
            }
            else
            {
                Log.LogWarning(null, diagnostic.Code, null, position.File, position.Line, position.Column, 0, 0, diagnostic.Message);
            }
        }

        if (loaded.HasErrors)
        {
            LogProjectError(ErrorCodes.DevicesFile, $"the devices file {location?.Path} has errors (above); fix them first.");
            return null;
        }

        var config = loaded.Find(name);
        if (config is null)
        {
            var known = string.Join(", ", loaded.Devices.Select(d => d.Name));
            var where = location is null ? "no devices file was found (only 'local' exists)" : $"{location.Describe()} defines: {known}";
            LogProjectError(ErrorCodes.UnknownDevice, $"unknown device '{name}': {where}. Use -p:Device=NAME with one of them, or add '{name}' to the devices file.");
            return null;
        }

        DeviceLocation = config.Position is { } p ? (p.File, p.Line) : (location?.Path ?? string.Empty, 0);
        return config;
    }

    /// <summary>Creates the chosen device; null (error logged) when it cannot.</summary>
    internal IDevice? CreateDevice()
    {
        var config = ResolveDeviceConfig();
        return config is null ? null : DeviceFactory.Create(config);
    }
}
