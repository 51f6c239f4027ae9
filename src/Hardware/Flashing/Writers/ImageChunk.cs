namespace DeviceTest.Hardware.Flashing.Writers;

/// <summary>
/// A buffer read from the image, on its way to the medium: <see cref="Length"/> bytes of <see cref="Buffer"/> belong at
/// <see cref="Offset"/>. A class, not a tuple: the channel it travels in then shares the native devicetest's code for
/// channels of objects instead of compiling a copy for the tuple (docs/native.md).
/// </summary>
internal sealed record ImageChunk(long Offset, AlignedBuffer Buffer, int Length);
