using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DeviceTest.Framework.Leasing.Etcd;

/// <summary>
/// A streamed answer of etcd's JSON gateway (a watch, a keep-alive): one JSON object a line, each
/// <c>{"result": ...}</c> or the <c>{"error": ...}</c> that ended the stream. Disposing it closes the HTTP connection,
/// which ends the call on etcd's side.
/// </summary>
internal sealed class EtcdStream(HttpResponseMessage response) : IDisposable
{
    private StreamReader? _reader;

    /// <summary>The next message's result; null when the stream ended.</summary>
    /// <exception cref="EtcdCallException">etcd ended the stream with an error, or the connection broke.</exception>
    public async Task<JsonNode?> ReadAsync(CancellationToken cancellationToken)
    {
        string? line;
        try
        {
            _reader ??= new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
            do
            {
                line = await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }
            while (line is { Length: 0 });
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            // Giving up on a read closes the connection, which the read may report as a broken connection.
            cancellationToken.ThrowIfCancellationRequested();
            throw new EtcdCallException(EtcdCallException.Unavailable, "the connection to the member broke", e) { Unreached = true };
        }

        if (line is null)
        {
            return null;
        }

        JsonNode? item;
        try
        {
            item = JsonNode.Parse(line);
        }
        catch (JsonException e)
        {
            throw EtcdCallException.NotJson(line, e);
        }

        if (item?["error"] is JsonObject error)
        {
            throw new EtcdCallException((int)EtcdMessages.Long(error["grpc_code"]), error["message"]?.GetValue<string>() ?? "the stream ended with an error");
        }

        return item?["result"] as JsonObject ?? throw EtcdCallException.NotJson(line);
    }

    public void Dispose()
    {
        _reader?.Dispose();
        response.Dispose();
    }
}
