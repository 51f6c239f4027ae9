namespace DeviceTest.Hardware.Flashing;

/// <summary>The steps of a flash, in order; an error names the one that failed.</summary>
public enum FlashStage
{
    /// <summary>Opening the image and its block map, checking them against the medium.</summary>
    Image,

    /// <summary>Switching the device off.</summary>
    PowerOff,

    /// <summary>Switching the SD-mux to the writing machine.</summary>
    MuxToHost,

    /// <summary>Waiting for the medium to appear (and settle).</summary>
    WaitForMedium,

    /// <summary>Writing (and flushing) the image.</summary>
    Write,

    /// <summary>Reading the written data back and comparing hashes.</summary>
    Verify,

    /// <summary>Switching the SD-mux back to the device.</summary>
    MuxToDevice,

    /// <summary>Running the vendor's flashing command.</summary>
    Command,

    /// <summary>Powering on and waiting for the device through its boot strategy.</summary>
    Boot,
}
