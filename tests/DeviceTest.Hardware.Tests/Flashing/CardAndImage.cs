using DeviceTest.Hardware.Configuration;
using DeviceTest.Lab.Flash;

namespace DeviceTest.Hardware.Tests.Flashing;

/// <summary>What each flash test starts from: a card (a loop device behind a mux of shell commands) and a sparse image in a temp folder.</summary>
internal sealed class CardAndImage : IDisposable
{
    private CardAndImage(LoopMedium card, string folder, string image)
    {
        Card = card;
        Folder = folder;
        Image = image;
    }

    public LoopMedium Card { get; }

    public string Folder { get; }

    /// <summary>The raw image (data at its start, holes, data at its end: <see cref="FlashImages.MakeSparse"/>).</summary>
    public string Image { get; }

    public static CardAndImage Create(long cardSize, long imageSize, string imageName = "os.img")
    {
        var card = LoopMedium.Create(cardSize);
        var folder = Directory.CreateTempSubdirectory("dt-flash-").FullName;
        return new CardAndImage(card, folder, FlashImages.MakeSparse(folder, imageName, imageSize));
    }

    /// <summary>The <c>flash</c> section for the card: its mux (or <paramref name="muxHost"/> to switch to the host; none without <paramref name="withMux"/>), a short settle.</summary>
    public FlashConfig Flash(string? muxHost = null, TimeSpan? timeout = null, bool withMux = true) => new()
    {
        Disk = Card.CardPath,
        Mux = withMux ? new MuxConfig { Host = muxHost ?? Card.MuxHost, Dut = Card.MuxDut } : null,
        Settle = TimeSpan.FromMilliseconds(100),
        Timeout = timeout ?? TimeSpan.FromSeconds(20),
    };

    public void Dispose()
    {
        Card.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
