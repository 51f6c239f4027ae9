namespace DeviceTest.Framework.Leasing.Etcd;

/// <summary>
/// One etcd call that failed: the member was not reached (<see cref="Unreached"/>), did not answer in time, or answered
/// with an error (gRPC's status <see cref="Code"/> and etcd's message, as the JSON gateway passes them on).
/// <see cref="EtcdConnection"/> retries the ones that may succeed on another member or a moment later
/// (<see cref="IsTransient"/>) and turns the others into a <see cref="LeaseStoreException"/> users can act on.
/// </summary>
internal sealed class EtcdCallException : Exception
{
    public const int Cancelled = 1;
    public const int Unknown = 2;
    public const int DeadlineExceeded = 4;
    public const int PermissionDenied = 7;
    public const int ResourceExhausted = 8;
    public const int Aborted = 10;
    public const int Internal = 13;
    public const int Unavailable = 14;
    public const int Unauthenticated = 16;

    public EtcdCallException()
    {
    }

    public EtcdCallException(string message)
        : base(message)
    {
    }

    public EtcdCallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EtcdCallException(int code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>gRPC's status code (etcd's error kinds); <see cref="Unavailable"/> when no answer came.</summary>
    public int Code { get; } = Unknown;

    /// <summary>The member could not be reached (refused, down, out of reach, or the connection broke).</summary>
    public bool Unreached { get; init; }

    /// <summary>Why the TLS connection failed (the certificate was refused, by either side), when that is why the member was not reached.</summary>
    public string? Tls { get; init; }

    /// <summary>The member's session token expired (etcd's "invalid auth token"): authenticate again and retry.</summary>
    public bool IsExpiredToken => Code == Unauthenticated && Message.Contains("invalid auth token", StringComparison.OrdinalIgnoreCase);

    /// <summary>An answer that is not etcd's API's JSON (another server on that port, or a proxy).</summary>
    public static EtcdCallException NotJson(string text, Exception? innerException = null) =>
        new(Unknown, $"etcd answered what is not its API's JSON: {(text.Length <= 200 ? text : text[..200] + "...")}", innerException);

    /// <summary>Whether the call may succeed on another member or a moment later (a member down, a leader election).</summary>
    public bool IsTransient => Tls is null && (Unreached || IsExpiredToken || Code switch
    {
        Unavailable or DeadlineExceeded or Aborted or ResourceExhausted or Cancelled => true,
        Unknown or Internal => Message.Contains("leader", StringComparison.OrdinalIgnoreCase)
            || Message.Contains("timed out", StringComparison.OrdinalIgnoreCase)
            || Message.Contains("too many requests", StringComparison.OrdinalIgnoreCase)
            || Message.Contains("stopped", StringComparison.OrdinalIgnoreCase),
        _ => false,
    });
}
