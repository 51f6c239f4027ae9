using System.Globalization;

namespace DeviceTest.Hardware.Screens;

/// <summary>A rectangle of a screen in pixels: its top-left corner and its size.</summary>
public readonly record struct ScreenRegion(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;

    public int Bottom => Y + Height;

    /// <summary>True when the region lies within an image of <paramref name="width"/> x <paramref name="height"/>.</summary>
    public bool FitsIn(int width, int height) => X >= 0 && Y >= 0 && Width > 0 && Height > 0 && Right <= width && Bottom <= height;

    /// <summary>"x=10 y=20 100x50".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"x={X} y={Y} {Width}x{Height}");
}
