namespace DeviceTest.Hardware.Screens;

/// <summary>
/// The matching arithmetic, as os-autoinst's tinycv does it for openQA's needles: both images in grey levels with a
/// 3x3 Gaussian blur; each area of the reference is looked for within its search margin by the least sum of squared
/// differences (the nearest place wins a tie); its mean squared error <c>mse</c> becomes openQA's similarity
/// <c>0.9 + (40 - mse) / 380</c>, clamped to 0..1, so a threshold of 0.96 means what it means in openQA (an
/// <c>mse</c> of about 17). Kept here rather than taken from OpenCV: the search is a few loops, and OpenCV's native
/// libraries would be most of the shipped <c>devicetest</c>.
/// </summary>
public static class ScreenComparer
{
    /// <summary>A compared pixel whose grey level differs by more than this (after the blur) counts as differing.</summary>
    public const int DifferenceTolerance = 32;

    /// <summary>openQA's similarity for a mean squared grey-level error.</summary>
    public static double SimilarityOf(double meanSquaredError) => Math.Clamp(0.9 + ((40 - meanSquaredError) / 380), 0, 1);

    internal static ScreenComparison Compare(ScreenReference reference, ScreenImage frame)
    {
        if (frame.Width != reference.Width || frame.Height != reference.Height)
        {
            return new ScreenComparison { FrameSize = frame.Size, SizeMatches = false, Similarity = 0, ComparedPixels = reference.ComparedPixels };
        }

        var width = frame.Width;
        var scene = Blur(frame.ToGray(), width, frame.Height);
        var map = new byte[scene.Length];
        Array.Fill(map, (byte)3);
        var areas = new List<AreaComparison>();
        int compared = 0, differing = 0, largest = 0;
        int left = int.MaxValue, top = int.MaxValue, right = -1, bottom = -1;
        foreach (var area in reference.Areas)
        {
            var (dx, dy, sse, count) = Search(reference, scene, width, frame.Height, area);
            var mse = count == 0 ? 0 : (double)sse / count;
            areas.Add(new AreaComparison(area, dx, dy, mse, SimilarityOf(mse)));
            for (var y = area.Y; y < area.Bottom; y++)
            {
                for (var x = area.X; x < area.Right; x++)
                {
                    var r = (y * width) + x;
                    var s = ((y + dy) * width) + x + dx;
                    if (reference.Weights[r] == 0)
                    {
                        map[s] = Math.Min(map[s], (byte)2);
                        continue;
                    }

                    compared++;
                    var difference = Math.Abs(scene[s] - reference.Gray[r]);
                    largest = Math.Max(largest, difference);
                    if (difference <= DifferenceTolerance)
                    {
                        map[s] = 0;
                        continue;
                    }

                    map[s] = 1;
                    differing++;
                    (left, top) = (Math.Min(left, x + dx), Math.Min(top, y + dy));
                    (right, bottom) = (Math.Max(right, x + dx), Math.Max(bottom, y + dy));
                }
            }
        }

        return new ScreenComparison
        {
            FrameSize = frame.Size,
            SizeMatches = true,
            Similarity = areas.Min(a => a.Similarity),
            Areas = areas,
            ComparedPixels = compared,
            DifferingPixels = differing,
            DifferenceBox = right < 0 ? null : new ScreenRegion(left, top, right - left + 1, bottom - top + 1),
            LargestDifference = largest,
            Map = map,
        };
    }

    /// <summary>A 3x3 Gaussian blur (1-2-1 in each direction) with the border pixels repeated, as tinycv blurs.</summary>
    internal static byte[] Blur(byte[] gray, int width, int height)
    {
        var rows = new int[gray.Length];
        for (var y = 0; y < height; y++)
        {
            var row = y * width;
            for (var x = 0; x < width; x++)
            {
                rows[row + x] = gray[row + Math.Max(x - 1, 0)] + (2 * gray[row + x]) + gray[row + Math.Min(x + 1, width - 1)];
            }
        }

        var blurred = new byte[gray.Length];
        for (var y = 0; y < height; y++)
        {
            var above = Math.Max(y - 1, 0) * width;
            var below = Math.Min(y + 1, height - 1) * width;
            var row = y * width;
            for (var x = 0; x < width; x++)
            {
                blurred[row + x] = (byte)((rows[above + x] + (2 * rows[row + x]) + rows[below + x] + 8) / 16);
            }
        }

        return blurred;
    }

    /// <summary>
    /// The offset within the margin where <paramref name="area"/> differs least, its sum of squared differences and
    /// the number of pixels compared. Offsets are tried nearest first, and a row's sum stops once it is worse than the
    /// best so far, so an area that is in place costs one pass.
    /// </summary>
    private static (int Dx, int Dy, long Sse, int Count) Search(ScreenReference reference, byte[] scene, int width, int height, ScreenRegion area)
    {
        var margin = reference.Margin;
        var best = (Dx: 0, Dy: 0, Sse: long.MaxValue, Count: 0);
        for (var ring = 0; ring <= margin; ring++)
        {
            for (var dy = -ring; dy <= ring; dy++)
            {
                for (var dx = -ring; dx <= ring; dx++)
                {
                    if (Math.Max(Math.Abs(dx), Math.Abs(dy)) != ring
                        || area.X + dx < 0 || area.Y + dy < 0 || area.Right + dx > width || area.Bottom + dy > height)
                    {
                        continue;
                    }

                    var (sse, count) = SquaredDifferences(reference, scene, width, area, dx, dy, best.Sse);
                    if (sse < best.Sse)
                    {
                        best = (dx, dy, sse, count);
                    }
                }
            }

            if (best.Sse == 0)
            {
                break;
            }
        }

        return best;
    }

    private static (long Sse, int Count) SquaredDifferences(
        ScreenReference reference, byte[] scene, int width, ScreenRegion area, int dx, int dy, long giveUpAt)
    {
        long sse = 0;
        var count = 0;
        var gray = reference.Gray;
        var weights = reference.Weights;
        for (var y = area.Y; y < area.Bottom; y++)
        {
            var r = (y * width) + area.X;
            var s = ((y + dy) * width) + area.X + dx;
            for (var i = 0; i < area.Width; i++, r++, s++)
            {
                if (weights[r] != 0)
                {
                    var d = scene[s] - gray[r];
                    sse += d * d;
                    count++;
                }
            }

            if (sse >= giveUpAt)
            {
                return (long.MaxValue, count);
            }
        }

        return (sse, count);
    }
}
