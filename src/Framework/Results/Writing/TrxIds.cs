using System.Security.Cryptography;
using System.Text;

namespace DeviceTest.Framework.Results.Writing;

/// <summary>The fixed GUIDs of the TRX format, and stable test ids derived from names.</summary>
internal static class TrxIds
{
    /// <summary>VSTest's unit test type.</summary>
    public static readonly Guid UnitTestType = new("13cdc9d9-ddb5-4fa4-a97d-d965ccfc6d4b");

    /// <summary>The standard list "Results Not in a List"; every result belongs to it.</summary>
    public static readonly Guid UncategorizedList = new("8c84fa94-04c1-424b-9868-57a2d4851a1d");

    /// <summary>The standard list "All Loaded Results".</summary>
    public static readonly Guid AllResultsList = new("19431567-8539-422a-85d7-44ee4e166bda");

    // DeviceTest's own namespace for name-based ids; never change it, or every test id changes.
    private static readonly Guid TestNamespace = new("2b032729-08a0-4113-a6ac-d23ec7ca56e1");

    /// <summary>The TRX test id of a <see cref="TestResult.TestId"/>: the same on every run and machine.</summary>
    public static Guid ForTest(string testId) => NameBased(TestNamespace, testId);

    /// <summary>
    /// A name-based GUID (RFC 9562 version 8 built from SHA-256, the RFC's own example of a name-based custom id):
    /// SHA-256 over the namespace and the UTF-8 name, first 16 bytes, version and variant bits set.
    /// </summary>
    public static Guid NameBased(Guid @namespace, string name)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        _ = @namespace.TryWriteBytes(input, bigEndian: true, out _);
        nameBytes.CopyTo(input, 16);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
