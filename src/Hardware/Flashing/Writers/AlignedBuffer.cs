namespace DeviceTest.Hardware.Flashing.Writers;

/// <summary>
/// A buffer whose memory starts on a 4 KiB boundary and never moves (a pinned array, sliced at the boundary), as
/// O_DIRECT reads and writes need.
/// </summary>
internal sealed class AlignedBuffer
{
    public const int Alignment = 4096;
    private readonly byte[] _array;
    private readonly int _start;

    public unsafe AlignedBuffer(int size)
    {
        _array = GC.AllocateUninitializedArray<byte>(size + Alignment, pinned: true);
        fixed (byte* p = _array)
        {
            var address = (long)p;
            _start = (int)((Alignment - (address % Alignment)) % Alignment);
        }

        Size = size;
    }

    public int Size { get; }

    public Memory<byte> Memory => _array.AsMemory(_start, Size);
}
