using DeviceTest.Hardware.Deployment;

namespace DeviceTest.Tasks;

/// <summary>
/// The <c>DT2xxx</c> codes the MSBuild tasks report (DT1xxx come from the devices file loader). The codes of the deploy
/// itself (DT2010-DT2021, DT2090) are in <see cref="DeployCodes"/>, shared with the test adapter.
/// </summary>
internal static class ErrorCodes
{
    /// <summary>The devices file has errors or cannot be read.</summary>
    public const string DevicesFile = "DT2001";

    /// <summary>The device named is not in the devices file.</summary>
    public const string UnknownDevice = "DT2002";

    /// <summary>The device could not be reached.</summary>
    public const string Unreachable = DeployCodes.Unreachable;

    /// <summary>The device stopped answering during the task.</summary>
    public const string DeviceLost = "DT2004";

    /// <summary>The device's kind is not supported by this task (e.g. not wired yet in the device factory).</summary>
    public const string NotSupported = "DT2005";

    /// <summary>This MSBuild (.NET Framework, before MSBuild 18) cannot run .NET tasks (reported by the targets).</summary>
    public const string NoTaskHost = "DT2006";

    /// <summary>WaitForDevice ran out of time.</summary>
    public const string WaitTimedOut = "DT2030";

    /// <summary>RunOnDevice: the command exited non-zero.</summary>
    public const string CommandFailed = "DT2040";

    /// <summary>RunOnDevice: the command timed out.</summary>
    public const string CommandTimedOut = "DT2041";

    /// <summary>A task parameter is missing or malformed.</summary>
    public const string BadParameter = "DT2050";

    /// <summary>FlashDevice: the device has no way to be flashed (no <c>flash</c>, no <c>qemu.disk</c>).</summary>
    public const string NotFlashable = "DT2060";

    /// <summary>FlashDevice: the image or its block map cannot be used (missing, unknown format, larger than the medium).</summary>
    public const string FlashImage = "DT2061";

    /// <summary>FlashDevice: refused before writing (the medium is mounted or in use on the writing machine).</summary>
    public const string FlashRefused = "DT2062";

    /// <summary>FlashDevice: the medium or the device never appeared, or the mux or vendor command failed.</summary>
    public const string FlashUnreachable = "DT2063";

    /// <summary>FlashDevice: writing or verification failed (a corrupt stream included), or the flash ran out of time.</summary>
    public const string FlashWriteFailed = "DT2064";

    /// <summary>The build was cancelled during the task.</summary>
    public const string Cancelled = "DT2099";
}
