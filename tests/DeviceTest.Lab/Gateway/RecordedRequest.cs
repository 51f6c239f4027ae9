using System.Text;

namespace DeviceTest.Lab.Gateway;

/// <summary>One request the stand-in received, in arrival order.</summary>
public sealed class RecordedRequest
{
    internal RecordedRequest(int index, string method, string path, string query, bool signedEndpoint, bool clientCertificate, IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        Index = index;
        Method = method;
        Path = path;
        Query = query;
        SignedEndpoint = signedEndpoint;
        HadClientCertificate = clientCertificate;
        Headers = headers;
        Body = body;
    }

    public int Index { get; }

    public string Method { get; }

    public string Path { get; }

    public string Query { get; }

    /// <summary>True when it came to the plain-HTTP "signed URL" endpoint.</summary>
    public bool SignedEndpoint { get; }

    public bool HadClientCertificate { get; }

    /// <summary>Header names in lower case.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    public byte[] Body { get; }

    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>The status answered; 0 while (or when never) answered; minus the status when handled but the answer was cut.</summary>
    public int Status { get; internal set; }

    public override string ToString() => $"#{Index} {Method} {Path} -> {Status}";
}
