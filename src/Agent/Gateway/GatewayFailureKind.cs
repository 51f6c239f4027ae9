namespace DeviceTest.Agent.Gateway;

/// <summary>Why a request to the device gateway did not succeed.</summary>
public enum GatewayFailureKind
{
    /// <summary>No connection (refused, reset, DNS): try again later.</summary>
    Unreachable,

    /// <summary>No answer within the timeout: try again later.</summary>
    Timeout,

    /// <summary>The TLS handshake failed (server certificate not trusted, or ours refused): try again later, and tell someone.</summary>
    Tls,

    /// <summary>5xx, 408 or 429: try again later.</summary>
    ServerError,

    /// <summary>409: the record already exists (a retried POST whose first answer was lost).</summary>
    Conflict,

    /// <summary>Another 4xx: the request will never succeed as it is.</summary>
    Refused,

    /// <summary>A success status with an answer that cannot be understood.</summary>
    BadAnswer,

    /// <summary>The request could not even be sent as it is (a value HTTP cannot carry): trying again cannot help.</summary>
    ClientError,
}
