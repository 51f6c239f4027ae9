using System.Globalization;
using System.Text;
using DeviceTest.Hardware.Flashing.Images;
using DeviceTest.Hardware.Lab;

namespace DeviceTest.Hardware.Flashing.Writers;

/// <summary>
/// Writes the medium on the lab host over SSH (system OpenSSH client, as every SSH in DeviceTest): the image file
/// travels as it is (compressed when it is: a raw image travels raw, so compress it to send less), on the stdin of one command channel, into a POSIX sh script that decompresses it
/// (xz, zstd, gzip, bzip2: whichever the image needs) and writes it with dd (O_DIRECT, fsync). With a block map only
/// the mapped ranges are written (one dd per range, the gaps read and dropped), and verification reads each range back
/// with dd and checks it against the map's checksum (sha256sum and friends); without one, a tee into sha256sum hashes
/// what was written and the read-back is compared with it. Nothing stays on the lab host: no daemon, no copy.
/// The device's <see cref="LabConnection"/> carries it all: the mux commands and the medium probe run in its persistent
/// shell (the one the screen, keyboard and network commands use), the image goes on a channel of its own (the shell's
/// stdin is the command stream) over the same master. The device owns and disposes the connection.
/// </summary>
internal sealed class LabMediumWriter : IMediumWriter
{
    private readonly LabConnection _lab;

    public LabMediumWriter(LabConnection lab)
    {
        ArgumentNullException.ThrowIfNull(lab);
        _lab = lab;
        Description = "lab host " + string.Join(", ", lab.Shell.Transports);
    }

    public IDevice Host => _lab.Shell;

    public string Description { get; }

    public async Task<(long Written, bool Verified)> WriteAsync(FlashImage image, string disk, bool verify, IProgress<FlashProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var script = BuildScript(image, verify);
        progress?.Report(new FlashProgress { Stage = FlashStage.Write, Message = $"sending {image.Describe()} to {Description}, written there to {disk}" });
        var meter = new ProgressMeter(progress, FlashStage.Write, image.FileSize, TimeProvider.System);
        await using var file = new FileStream(image.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        await using var sent = new MeteredStream(file, meter);
        var request = new CommandRequest(CommandLine.FromArguments("sh", "-c", script, "devicetest-flash", disk));
        var result = await _lab.Shell.RunInNewChannelAsync(request, sent, cancellationToken).ConfigureAwait(false);
        meter.Report(last: true);
        long written = 0;
        var verified = false;
        foreach (var line in result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("written=", StringComparison.Ordinal))
            {
                _ = long.TryParse(line[8..], NumberStyles.None, CultureInfo.InvariantCulture, out written);
            }
            else if (line == "verified")
            {
                verified = true;
            }
            else if (line.StartsWith("mismatch=", StringComparison.Ordinal))
            {
                throw new FlashException(FlashFailure.WriteFailed, FlashStage.Verify,
                    $"verification on {Description} failed: {disk} {line[9..]} read back differs from {(image.BlockMap is null ? "what was written" : "the block map " + image.BlockMap.Path + " (the map does not match the image, or the medium is faulty)")}");
            }
        }

        if (result.ExitCode != 0)
        {
            var stage = result.Stdout.Contains("stage=verify", StringComparison.Ordinal) ? FlashStage.Verify : FlashStage.Write;
            throw new FlashException(FlashFailure.WriteFailed, stage,
                $"writing {image.Path} to {disk} on {Description} failed (exit code {result.ExitCode}): {result.Stderr.Trim()}; the medium is incomplete");
        }

        if (verify && !verified)
        {
            progress?.Report(new FlashProgress { Stage = FlashStage.Verify, Message = $"not verified: the block map {image.BlockMap?.Path} has no checksums (format {image.BlockMap?.Version})" });
        }

        return (written, verified);
    }

    /// <summary>Nothing to check here: the lab host decompresses with its own programs, and its script says which one is missing.</summary>
    public void CheckDecoder(FlashImage image)
    {
    }

    /// <summary>The remote script: decompress, write (only mapped ranges with a block map), sync, verify.</summary>
    internal static string BuildScript(FlashImage image, bool verify)
    {
        var decoder = image.Compression switch
        {
            ImageCompression.None => "cat",
            ImageCompression.Gzip => "$(command -v pigz || echo gzip) -dc",
            ImageCompression.Xz => "xz -dc -T0",
            ImageCompression.Zstd => "zstd -dcq",
            _ => "$(command -v lbzip2 || command -v pbzip2 || echo bzip2) -dc",
        };
        var tool = image.Compression switch
        {
            ImageCompression.Gzip => "gzip",
            ImageCompression.Xz => "xz",
            ImageCompression.Zstd => "zstd",
            ImageCompression.Bzip2 => "bzip2",
            _ => "dd",
        };
        var s = new StringBuilder();
        s.AppendLine("set -e; d=\"$1\"; t=$(mktemp -d); trap 'rm -rf \"$t\"' EXIT");
        s.AppendLine(CultureInfo.InvariantCulture, $"command -v {tool} >/dev/null || {{ echo \"{tool} is not installed on the lab host\" >&2; exit 5; }}");
        s.AppendLine(CultureInfo.InvariantCulture, $"dec() {{ {decoder} && echo 0 > \"$t/dec\" || echo $? > \"$t/dec\"; }}");
        s.AppendLine("check_dec() { [ \"$(cat \"$t/dec\" 2>/dev/null)\" = 0 ] || { echo \"the compressed stream is corrupt (the decompressor failed with $(cat \"$t/dec\"))\" >&2; exit 6; }; }");
        if (image.BlockMap is { } map)
        {
            var ranges = new StringBuilder();
            foreach (var range in map.Ranges)
            {
                ranges.Append(CultureInfo.InvariantCulture, $"{range.First} {range.Last - range.First + 1} {map.ByteLength(range)} {range.Checksum ?? "-"}\n");
            }

            s.AppendLine(CultureInfo.InvariantCulture, $"bs={map.BlockSize}");
            s.AppendLine(CultureInfo.InvariantCulture, $"cat > \"$t/ranges\" <<'RANGES'\n{ranges}RANGES");
            s.AppendLine("""
                dec | {
                  pos=0; n=0
                  while read -r first count len sum <&3; do
                    gap=$((first - pos))
                    if [ "$gap" -gt 0 ]; then dd of=/dev/null bs=$bs count=$gap iflag=fullblock status=none; fi
                    dd of="$d" bs=$bs seek=$first count=$count iflag=fullblock oflag=direct conv=notrunc status=none
                    pos=$((first + count)); n=$((n + len))
                  done 3< "$t/ranges"
                  echo "written=$n"
                  cat > /dev/null
                }
                check_dec
                sync "$d" 2>/dev/null || sync
                """);
            if (verify && map.ChecksumType is { } type)
            {
                s.AppendLine(CultureInfo.InvariantCulture, $"echo stage=verify; sumtool={type}sum");
                s.AppendLine("""
                    while read -r first count len sum <&3; do
                      got=$(dd if="$d" bs=$bs skip=$first count=$count iflag=direct status=none | head -c "$len" | $sumtool | cut -d' ' -f1)
                      if [ "$got" != "$sum" ]; then echo "mismatch=blocks $first+$count"; exit 7; fi
                    done 3< "$t/ranges"
                    echo verified
                    """);
            }
        }
        else
        {
            s.AppendLine("""
                mkfifo "$t/f"
                sha256sum < "$t/f" | cut -d' ' -f1 > "$t/sum" &
                dec | tee "$t/f" | dd of="$d" bs=4M iflag=fullblock oflag=direct conv=fsync,notrunc 2> "$t/dd"
                wait
                check_dec
                n=$(sed -n 's/^\([0-9][0-9]*\) bytes.*/\1/p' "$t/dd")
                echo "written=$n"
                """);
            if (verify)
            {
                s.AppendLine("""
                    echo stage=verify
                    got=$(dd if="$d" bs=4M iflag=direct,count_bytes count=$(( (n + 511) / 512 * 512 )) status=none | head -c "$n" | sha256sum | cut -d' ' -f1)
                    if [ "$got" != "$(cat "$t/sum")" ]; then echo "mismatch=bytes 0-$n"; exit 7; fi
                    echo verified
                    """);
            }
        }

        return s.ToString();
    }

    /// <summary>A read-only view of the image file that counts what was sent.</summary>
    private sealed class MeteredStream(Stream inner, ProgressMeter meter) : ReadOnlyStream
    {
        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            meter.Add(read);
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            meter.Add(read);
            return read;
        }
    }
}
