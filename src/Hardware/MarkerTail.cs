namespace DeviceTest.Hardware;

/// <summary>
/// How much of the end of output read so far could be the start of a marker: what a reader of framed output holds back
/// until more comes (and passes on everything else at once), for bytes (SSH) and for text (console shells, reports).
/// </summary>
internal static class MarkerTail
{
    /// <summary>The length of the longest end of <paramref name="text"/> that is the start of <paramref name="marker"/>, shorter than the marker.</summary>
    public static int Length<T>(ReadOnlySpan<T> text, ReadOnlySpan<T> marker)
        where T : IEquatable<T>
    {
        for (var length = Math.Min(text.Length, marker.Length - 1); length > 0; length--)
        {
            if (marker.StartsWith(text[^length..]))
            {
                return length;
            }
        }

        return 0;
    }
}
