namespace DeviceTest.Agent.Gateway;

/// <summary>A request to the device gateway failed; <see cref="IsTransient"/> says whether trying again may help.</summary>
public sealed class GatewayException : Exception
{
    public GatewayException()
    {
    }

    public GatewayException(string message)
        : base(message)
    {
    }

    public GatewayException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public GatewayException(GatewayFailureKind kind, int? statusCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        StatusCode = statusCode;
    }

    public GatewayFailureKind Kind { get; }

    /// <summary>The HTTP status, when the gateway answered.</summary>
    public int? StatusCode { get; }

    /// <summary>True when the same request may succeed later (gateway down, 5xx, timeout, TLS trouble).</summary>
    public bool IsTransient => Kind is GatewayFailureKind.Unreachable or GatewayFailureKind.Timeout or GatewayFailureKind.Tls or GatewayFailureKind.ServerError;
}
