namespace DeviceTest.Hardware.Screens;

/// <summary>
/// What of a reference image counts when a frame is matched against it, as openQA's needles say it: areas to ignore
/// (a mask image and/or rectangles), the areas that must match (default: the whole image), and how far those areas
/// may have moved (a search margin).
/// </summary>
public sealed class ScreenMask
{
    /// <summary>
    /// A black-and-white image of the reference's size: black (or transparent) pixels are ignored, the others
    /// compared. A relative path is taken from the current directory. Null: no mask image.
    /// </summary>
    public string? Image { get; init; }

    /// <summary>Rectangles to ignore (a clock, a cursor, a serial number).</summary>
    public IReadOnlyList<ScreenRegion> Ignore { get; init; } = [];

    /// <summary>
    /// The areas of the reference that must be found on the screen, each on its own (openQA's match areas). Empty:
    /// the whole reference, in place.
    /// </summary>
    public IReadOnlyList<ScreenRegion> Areas { get; init; } = [];

    /// <summary>
    /// How many pixels each of <see cref="Areas"/> may have moved in any direction (openQA's margin). Not used
    /// without areas: the whole reference is compared in place.
    /// </summary>
    public int Margin { get; init; }
}
