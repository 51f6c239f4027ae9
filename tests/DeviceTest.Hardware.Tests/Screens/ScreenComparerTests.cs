using DeviceTest.Hardware.Screens;

namespace DeviceTest.Hardware.Tests.Screens;

/// <summary>Matching a frame against a reference as openQA's needles do: threshold, ignored areas, search margin.</summary>
[TestClass]
public sealed class ScreenComparerTests
{
    private const int Width = 160;
    private const int Height = 100;

    /// <summary>A dark image with a white 40x20 block at (x, y).</summary>
    private static ScreenImage Block(int x, int y, byte shade = 255)
    {
        var rgba = new byte[Width * Height * 4];
        for (var i = 0; i < Width * Height; i++)
        {
            var (px, py) = (i % Width, i / Width);
            var value = px >= x && px < x + 40 && py >= y && py < y + 20 ? shade : (byte)20;
            (rgba[i * 4], rgba[(i * 4) + 1], rgba[(i * 4) + 2], rgba[(i * 4) + 3]) = (value, value, value, 255);
        }

        return new ScreenImage(Width, Height, rgba);
    }

    [TestMethod]
    public void An_identical_frame_has_similarity_one_and_no_differing_pixels()
    {
        var reference = ScreenReference.Create("ref.png", Block(10, 10), null, null);

        var comparison = reference.Compare(Block(10, 10));

        Assert.AreEqual(1.0, comparison.Similarity);
        Assert.AreEqual(0, comparison.DifferingPixels);
        Assert.IsNull(comparison.DifferenceBox);
        Assert.IsTrue(comparison.Matches(0.96));
    }

    [TestMethod]
    public void Similarity_follows_openqa_scale_of_the_mean_squared_error()
    {
        Assert.AreEqual(1.0, ScreenComparer.SimilarityOf(0));
        Assert.AreEqual(0.9, ScreenComparer.SimilarityOf(40), 1e-9);
        Assert.AreEqual(0.96, ScreenComparer.SimilarityOf(17.2), 1e-9);
        Assert.AreEqual(0.0, ScreenComparer.SimilarityOf(10_000));
    }

    [TestMethod]
    public void A_moved_block_fails_in_place_and_the_difference_box_covers_both_places()
    {
        var reference = ScreenReference.Create("ref.png", Block(10, 10), null, null);

        var comparison = reference.Compare(Block(30, 50));

        Assert.IsFalse(comparison.Matches(0.96), comparison.Similarity.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.IsNotNull(comparison.DifferenceBox);
        var box = comparison.DifferenceBox.Value;
        Assert.IsTrue(box.X <= 10 && box.Y <= 10 && box.Right >= 70 && box.Bottom >= 70, box.ToString());
        Assert.IsGreaterThan(200, comparison.LargestDifference);
    }

    [TestMethod]
    public void An_area_is_found_within_its_margin_and_not_beyond()
    {
        var mask = new ScreenMask { Areas = [new ScreenRegion(5, 5, 50, 30)], Margin = 12 };
        var reference = ScreenReference.Create("ref.png", Block(10, 10), null, mask);

        var near = reference.Compare(Block(18, 16));
        var far = reference.Compare(Block(40, 40));

        Assert.IsTrue(near.Matches(0.96), near.Similarity.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.AreEqual((8, 6), (near.Areas[0].OffsetX, near.Areas[0].OffsetY));
        Assert.IsFalse(far.Matches(0.96));
    }

    [TestMethod]
    public void Changes_in_ignored_rectangles_and_black_mask_pixels_do_not_count()
    {
        var ignore = new ScreenMask { Ignore = [new ScreenRegion(90, 40, 60, 40)] };
        var byRectangle = ScreenReference.Create("ref.png", Block(10, 10), null, ignore);
        // white (compared) everywhere except a black frame around where the block appears, 2 pixels wider than it
        var maskImage = new ScreenImage(Width, Height, Enumerable.Repeat((byte)255, Width * Height * 4).ToArray());
        for (var y = 48; y < 72; y++)
        {
            for (var x = 98; x < 142; x++)
            {
                var p = ((y * Width) + x) * 4;
                (maskImage.Rgba[p], maskImage.Rgba[p + 1], maskImage.Rgba[p + 2]) = ((byte)0, (byte)0, (byte)0);
            }
        }

        var byImage = ScreenReference.Create("ref.png", Block(10, 10), maskImage, new ScreenMask { Image = "mask.png" });
        var frame = Block(10, 10);
        var changed = Block(100, 50);
        for (var p = 0; p < frame.Rgba.Length; p++)
        {
            frame.Rgba[p] = Math.Max(frame.Rgba[p], changed.Rgba[p]);
        }

        Assert.AreEqual(1.0, byRectangle.Compare(frame).Similarity);
        Assert.AreEqual(1.0, byImage.Compare(frame).Similarity);
        Assert.IsFalse(ScreenReference.Create("ref.png", Block(10, 10), null, null).Compare(frame).Matches(0.96));
    }

    [TestMethod]
    public void A_frame_of_another_size_does_not_match_and_says_so()
    {
        var reference = ScreenReference.Create("ref.png", Block(10, 10), null, null);

        var comparison = reference.Compare(new ScreenImage(20, 10, new byte[20 * 10 * 4]));

        Assert.IsFalse(comparison.SizeMatches);
        Assert.AreEqual("20x10", comparison.FrameSize);
        Assert.IsFalse(comparison.Matches(0.01));
    }

    [TestMethod]
    public void A_mask_of_another_size_or_a_rectangle_outside_the_reference_is_refused()
    {
        var wrongMask = new ScreenImage(10, 10, new byte[400]);
        var sizeError = Assert.ThrowsExactly<ScreenException>(() => ScreenReference.Create("ref.png", Block(0, 0), wrongMask, new ScreenMask { Image = "m.png" }));
        StringAssert.Contains(sizeError.Message, "is 10x10 but the reference ref.png is 160x100");

        var outside = Assert.ThrowsExactly<ScreenException>(() =>
            ScreenReference.Create("ref.png", Block(0, 0), null, new ScreenMask { Ignore = [new ScreenRegion(150, 0, 20, 10)] }));
        StringAssert.Contains(outside.Message, "x=150 y=0 20x10 is not within the reference ref.png (160x100)");
    }

    [TestMethod]
    public void Png_round_trips_and_garbage_is_refused_with_what_it_starts_with()
    {
        var image = Block(10, 10);

        var decoded = ScreenImage.Decode(image.ToPng(), "block");

        CollectionAssert.AreEqual(image.Rgba, decoded.Rgba);
        var error = Assert.ThrowsExactly<ScreenException>(() => ScreenImage.Decode("not an image"u8.ToArray(), "reference x.png"));
        StringAssert.Contains(error.Message, "reference x.png is not an image DeviceTest reads (PNG, JPEG, BMP, GIF, TGA or PPM): it starts with 6E6F7420616E2069");
        var empty = Assert.ThrowsExactly<ScreenException>(() => ScreenImage.Decode([], "frame"));
        StringAssert.Contains(empty.Message, "it is empty");
    }

    [TestMethod]
    public void The_difference_picture_paints_differing_pixels_red_and_ignored_ones_blue()
    {
        var reference = ScreenReference.Create("ref.png", Block(10, 10), null, new ScreenMask { Ignore = [new ScreenRegion(120, 80, 10, 10)] });
        var frame = Block(60, 10);

        var picture = ScreenImage.Decode(DifferenceImage.Render(frame, reference.Compare(frame)), "difference");

        Assert.AreEqual((255, 0, 0), Pixel(picture, 80, 20), "inside the moved block");
        Assert.AreEqual(255, Pixel(picture, 125, 85).B, "ignored");
        var (r, g, b) = Pixel(picture, 5, 95);
        Assert.IsTrue(r == g && g == b, "unchanged pixels stay grey");
    }

    private static (int R, int G, int B) Pixel(ScreenImage image, int x, int y)
    {
        var p = ((y * image.Width) + x) * 4;
        return (image.Rgba[p], image.Rgba[p + 1], image.Rgba[p + 2]);
    }
}
