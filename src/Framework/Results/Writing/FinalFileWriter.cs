using System.Text;

namespace DeviceTest.Framework.Results.Writing;

/// <summary>Writes the final file: text pieces (header, footer, bounded sections) and spooled bodies copied as bytes.</summary>
internal sealed class FinalFileWriter
{
    private readonly Stream _stream;
    private readonly ResultFileSpool _spool;
    private readonly StringBuilder _pending = new();

    public FinalFileWriter(Stream stream, ResultFileSpool spool)
    {
        _stream = stream;
        _spool = spool;
    }

    /// <summary>Queues text; it is written before the next spooled part or at the end.</summary>
    public FinalFileWriter Write(string text)
    {
        _pending.Append(text);
        return this;
    }

    public async Task WritePartAsync(string part, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        await _spool.CopyPartAsync(part, _stream, cancellationToken).ConfigureAwait(false);
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.Length == 0)
        {
            return;
        }

        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(_pending.ToString());
        _pending.Clear();
        await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }
}
