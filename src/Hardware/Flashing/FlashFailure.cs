namespace DeviceTest.Hardware.Flashing;

/// <summary>What kind of failure stopped a flash; <c>devicetest flash</c> exits with the code in brackets.</summary>
public enum FlashFailure
{
    /// <summary>[2] The image or its block map cannot be used: missing, unreadable, unknown format, larger than the medium.</summary>
    BadImage,

    /// <summary>[2] Refused before a byte was written: the medium (or a partition of it) is mounted or in use here.</summary>
    Refused,

    /// <summary>[3] The medium or the device never appeared, or the mux or vendor command failed.</summary>
    Unreachable,

    /// <summary>[1] Writing or verification failed, or the compressed stream was found corrupt while writing.</summary>
    WriteFailed,
}
