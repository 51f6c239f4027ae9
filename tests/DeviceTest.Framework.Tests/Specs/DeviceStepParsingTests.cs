using DeviceTest.Framework.Specs;
using DeviceTest.Framework.Tests.Doubles;
using DeviceTest.Hardware.Screens;

namespace DeviceTest.Framework.Tests.Specs;

/// <summary>
/// The <c>screenshot</c>, <c>screen</c>, <c>keys</c> and <c>network</c> steps as the loader reads them, and every
/// mistake with its position: reference files checked at load time, key names and text checked before anything runs.
/// </summary>
[TestClass]
public sealed class DeviceStepParsingTests
{
    private static LabBench _bench = null!;
    private static string _reference = null!;

    [ClassInitialize]
    public static async Task MakeReferences(TestContext context)
    {
        _bench = new LabBench();
        _reference = Path.Combine(_bench.Folder, "splash.png");
        await File.WriteAllBytesAsync(_reference, new ScreenImage(64, 32, new byte[64 * 32 * 4]).ToPng(), context.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(_bench.Folder, "small-mask.png"), new ScreenImage(8, 8, new byte[256]).ToPng(), context.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(_bench.Folder, "notes.png"), "not a picture", context.CancellationToken);
    }

    [ClassCleanup]
    public static void DeleteReferences() => _bench.Delete();

    private static string SpecPath => Path.Combine(_bench.Folder, "screens.spec.yml");

    private static (string Code, int Line, int Column, string Message) Only(string yaml)
    {
        var result = SpecLoader.LoadText(yaml, SpecPath);
        Assert.HasCount(1, result.Diagnostics, string.Join('\n', result.Diagnostics));
        var d = result.Diagnostics[0];
        return (d.Code, d.Position.Line, d.Position.Column, d.Message);
    }

    [TestMethod]
    public void The_four_steps_load_with_paths_relative_to_the_spec()
    {
        var result = SpecLoader.LoadText("""
            sequence:
              - screenshot: { name: boot }
              - screen: { expect: splash.png, timeout: 2m, threshold: 0.9, ignore: [[0, 0, 64, 4]], areas: [[8, 8, 16, 8]], margin: 4 }
              - keys: { press: [ctrl-alt-delete, Enter] }
              - keys: { type: "root\n" }
              - network: { link: down }
            """, SpecPath);

        Assert.IsFalse(result.HasErrors, string.Join('\n', result.Diagnostics));
        var steps = result.Spec!.Sequence;
        Assert.AreEqual("boot", ((ScreenshotStep)steps[0]).Name);
        var screen = (ScreenStep)steps[1];
        Assert.AreEqual(_reference, screen.Expect);
        Assert.AreEqual(TimeSpan.FromMinutes(2), screen.Timeout);
        Assert.AreEqual(0.9, screen.Threshold);
        Assert.AreEqual(new ScreenRegion(0, 0, 64, 4), screen.Mask.Ignore[0]);
        Assert.AreEqual(new ScreenRegion(8, 8, 16, 8), screen.Mask.Areas[0]);
        Assert.AreEqual(4, screen.Mask.Margin);
        CollectionAssert.AreEqual(new[] { "ctrl-alt-delete", "Enter" }, ((KeysStep)steps[2]).Press.ToArray());
        Assert.AreEqual("root\n", ((KeysStep)steps[3]).Type);
        Assert.IsFalse(((NetworkStep)steps[4]).Up);
        Assert.AreEqual("type \"root\\n\"", steps[3].Summary);
    }

    [TestMethod]
    public void A_reference_that_is_missing_or_not_an_image_is_reported_at_its_value()
    {
        var missing = Only("sequence:\n  - screen: { expect: gone.png }\n");
        var notImage = Only("sequence:\n  - screen: { expect: notes.png }\n");

        Assert.AreEqual((SpecErrorCodes.FileNotReadable, 2, 23), (missing.Code, missing.Line, missing.Column));
        StringAssert.Contains(missing.Message, "`expect` names gone.png, which cannot be read");
        StringAssert.Contains(missing.Message, "devicetest screenshot --device D -o gone.png");
        Assert.AreEqual((SpecErrorCodes.BadImage, 2, 23), (notImage.Code, notImage.Line, notImage.Column));
        StringAssert.Contains(notImage.Message, "notes.png is not an image DeviceTest reads");
    }

    [TestMethod]
    public void A_mask_of_another_size_or_a_rectangle_outside_the_reference_is_an_error()
    {
        var mask = Only("sequence:\n  - screen: { expect: splash.png, mask: small-mask.png }\n");
        var outside = Only("sequence:\n  - screen: { expect: splash.png, ignore: [[60, 0, 10, 10]] }\n");
        var shape = Only("sequence:\n  - screen: { expect: splash.png, areas: [[1, 2, 3]] }\n");

        Assert.AreEqual((SpecErrorCodes.BadImage, 2, 41), (mask.Code, mask.Line, mask.Column));
        StringAssert.Contains(mask.Message, "the mask small-mask.png is 8x8 but the reference splash.png is 64x32");
        Assert.AreEqual((SpecErrorCodes.BadImage, 2, 44), (outside.Code, outside.Line, outside.Column));
        StringAssert.Contains(outside.Message, "x=60 y=0 10x10 of `ignore` is not within the reference (64x32)");
        Assert.AreEqual(SpecErrorCodes.WrongType, shape.Code);
        StringAssert.Contains(shape.Message, "[x, y, width, height]");
    }

    [TestMethod]
    public void A_threshold_written_as_a_percentage_gets_a_hint()
    {
        var percent = Only("sequence:\n  - screen: { expect: splash.png, threshold: 96 }\n");

        Assert.AreEqual((SpecErrorCodes.OutOfRange, 2, 46), (percent.Code, percent.Line, percent.Column));
        StringAssert.Contains(percent.Message, "for 96% write 0.96");
    }

    [TestMethod]
    public void Unknown_keys_untypable_text_and_both_press_and_type_are_errors_at_their_place()
    {
        var unknown = Only("sequence:\n  - keys: { press: [ret, ctrl-alt-dlete] }\n");
        var untypable = Only("sequence:\n  - keys: { type: \"naïve\" }\n");
        var both = Only("sequence:\n  - keys: { press: [ret], type: x }\n");
        var link = Only("sequence:\n  - network: { link: sideways }\n");

        Assert.AreEqual((SpecErrorCodes.BadKey, 2, 26), (unknown.Code, unknown.Line, unknown.Column));
        StringAssert.Contains(unknown.Message, "unknown key `dlete` in `ctrl-alt-dlete`; did you mean `delete`?");
        StringAssert.Contains(unknown.Message, "Known keys: a-z, 0-9");
        Assert.AreEqual(SpecErrorCodes.BadKey, untypable.Code);
        StringAssert.Contains(untypable.Message, "character 3 of the text, 'ï'");
        Assert.AreEqual((SpecErrorCodes.OneOfKeys, 2, 11), (both.Code, both.Line, both.Column));
        Assert.AreEqual((SpecErrorCodes.OutOfRange, 2, 22), (link.Code, link.Line, link.Column));
    }
}
