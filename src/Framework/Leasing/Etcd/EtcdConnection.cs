using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using dotnet_etcd;
using Etcdserverpb;
using Grpc.Core;

namespace DeviceTest.Framework.Leasing.Etcd;

/// <summary>
/// The gRPC connection to etcd's members (dotnet-etcd's <see cref="EtcdClient"/>: one channel balanced round robin over
/// the members, TLS, user/password tokens) and one way to call it: <see cref="CallAsync"/> retries what etcd may
/// answer while a member is down or a leader is being elected, within <see cref="EtcdLeaseOptions.RequestTimeout"/>,
/// then fails with one message that names etcd and what to check. dotnet-etcd's own keep-alive and watch helpers are
/// not used: they neither reopen a broken stream nor tell when the lease's time to live ran out (see EtcdSession).
/// </summary>
internal sealed class EtcdConnection : IDisposable
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    private readonly EtcdClient _client;

    public EtcdConnection(EtcdLeaseOptions options, TimeProvider time)
    {
        Options = options;
        Time = time;
        var connection = string.Join(",", options.Endpoints.Select(e => (options.UseTls ? "https://" : "http://") + e));
        _client = options.UseTls
            ? new EtcdClient(connection, ssl => ConfigureTls(ssl, options), configureChannelOptions: Configure)
            : new EtcdClient(connection, configureChannelOptions: Configure);
        if (options.User is { } user)
        {
            _client.SetCredentials(user, options.Password ?? string.Empty);
        }
    }

    public EtcdLeaseOptions Options { get; }

    public TimeProvider Time { get; }

    public KV.KVClient KV => _client.GetConnection().KVClient;

    public Lease.LeaseClient Lease => _client.GetConnection().LeaseClient;

    public Watch.WatchClient Watch => _client.GetConnection().WatchClient;

    /// <summary>
    /// etcd's "require leader" metadata on streams: a member that loses its leader ends the stream instead of
    /// keeping it open with nothing to say, so a keep-alive or watch moves to a member that has one.
    /// </summary>
    public static Metadata RequireLeader { get; } = new() { { "hasleader", "true" } };

    public string Describe() => Options.Describe();

    /// <summary>
    /// Runs one unary etcd call (idempotent: it may have been applied although its answer was lost), retrying
    /// unavailable members, leader elections and timeouts until <paramref name="timeout"/> (default
    /// <see cref="EtcdLeaseOptions.RequestTimeout"/>) runs out.
    /// </summary>
    /// <exception cref="LeaseStoreException">etcd did not answer in time, or refused the call.</exception>
    public async Task<T> CallAsync<T>(string what, Func<CallOptions, AsyncUnaryCall<T>> call, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Options.RequestTimeout;
        var started = Time.GetTimestamp();
        RpcException? last = null;
        while (true)
        {
            var left = limit - Time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                throw new LeaseStoreException(
                    $"{Describe()} did not answer ({what}) within {limit.TotalSeconds:0} s{(last is null ? string.Empty : $": {Reason(last)}")}. " +
                    "Check that a majority of its members run and that this host reaches them.",
                    last!);
            }

            var attempt = left < AttemptTimeout ? left : AttemptTimeout;
            try
            {
                using var response = call(new CallOptions(RequireLeader, DateTime.UtcNow + attempt, cancellationToken));
                return await response.ResponseAsync.ConfigureAwait(false);
            }
            catch (RpcException e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                last = e;
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw Refused(what, e);
            }
            catch (RpcException e)
            {
                // gRPC's retrying calls report a cancellation as a status, not as OperationCanceledException.
                throw new OperationCanceledException(e.Status.Detail, e, cancellationToken);
            }

            await Task.Delay(RetryDelay, Time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>What etcd said when it refused a call, as the store's error (no .NET exception names for the user).</summary>
    public LeaseStoreException Refused(string what, RpcException e)
    {
        var detail = e.Status.Detail;
        if (Tls(e.Status.DebugException) is { } tls)
        {
            return new LeaseStoreException(
                $"{Describe()}: no TLS connection for {what}: {tls.Message.TrimEnd('.')}. Give the CA that signed etcd's certificate with " +
                "?cacert=FILE (and a client certificate with &cert=FILE&key=FILE if etcd asks for one).", e);
        }

        if (e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied
            || detail.Contains("authentication", StringComparison.OrdinalIgnoreCase) || detail.Contains("permission denied", StringComparison.OrdinalIgnoreCase))
        {
            return new LeaseStoreException(
                $"{Describe()} refused {what}: {detail}. Check the user and password (etcd://user:password@... or " +
                $"{EtcdLeaseOptions.PasswordVariable}) and that the user's role may read and write /devicetest/.", e);
        }

        if (!Options.UseTls && detail.Contains("HTTP/2 handshake", StringComparison.OrdinalIgnoreCase))
        {
            return new LeaseStoreException($"{Describe()} does not speak plain gRPC for {what}: if its members use TLS, write etcds://.", e);
        }

        return new LeaseStoreException($"{Describe()} refused {what}: {detail} ({e.StatusCode}).", e);
    }

    /// <summary>The TLS handshake's failure among <paramref name="error"/> and its inner exceptions, if that is what failed.</summary>
    private static System.Security.Authentication.AuthenticationException? Tls(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is System.Security.Authentication.AuthenticationException tls)
            {
                return tls;
            }
        }

        return null;
    }

    /// <summary>What went wrong, in words (gRPC's details of an unreachable member name .NET exception types).</summary>
    private static string Reason(RpcException e) => e.StatusCode switch
    {
        StatusCode.Unavailable => "no member could be reached (refused, down, or out of reach)",
        StatusCode.DeadlineExceeded => "the members did not answer in time (no leader, or overloaded)",
        _ => e.Status.Detail,
    };

    /// <summary>Whether a call that failed this way may succeed on another member or a moment later.</summary>
    public static bool IsTransient(RpcException e) => e.StatusCode switch
    {
        StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Aborted or StatusCode.ResourceExhausted or StatusCode.Cancelled => true,
        StatusCode.Unknown or StatusCode.Internal => e.Status.Detail.Contains("leader", StringComparison.OrdinalIgnoreCase)
            || e.Status.Detail.Contains("timed out", StringComparison.OrdinalIgnoreCase)
            || e.Status.Detail.Contains("too many requests", StringComparison.OrdinalIgnoreCase)
            || e.Status.Detail.Contains("stopped", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    public void Dispose() => _client.Dispose();

    private static void Configure(Grpc.Net.Client.GrpcChannelOptions channel)
    {
        // A member that is down answers a connect on its host at once; one behind a partition does not: give up on it
        // soon, and find dead connections within seconds rather than dotnet-etcd's 30 s.
        if (channel.HttpHandler is SocketsHttpHandler sockets)
        {
            sockets.ConnectTimeout = TimeSpan.FromSeconds(3);
            sockets.KeepAlivePingDelay = TimeSpan.FromSeconds(5);
            sockets.KeepAlivePingTimeout = TimeSpan.FromSeconds(5);
        }
    }

    private static void ConfigureTls(SslClientAuthenticationOptions ssl, EtcdLeaseOptions options)
    {
        if (options.ClientCertificateFile is { } certificate && options.ClientKeyFile is { } key)
        {
            ssl.ClientCertificates = [X509Certificate2.CreateFromPemFile(certificate, key)];
        }

        if (options.CaCertificateFile is { } caFile)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(caFile);
            ssl.RemoteCertificateValidationCallback = (_, presented, _, errors) =>
                presented is X509Certificate2 server && TrustedBy(server, authorities, errors);
        }
    }

    /// <summary>The server's certificate chains to one of <paramref name="authorities"/> and names the host.</summary>
    private static bool TrustedBy(X509Certificate2 server, X509Certificate2Collection authorities, SslPolicyErrors errors)
    {
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0 || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(server);
    }
}
