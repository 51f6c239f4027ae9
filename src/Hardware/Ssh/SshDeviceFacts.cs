using System.Text;

namespace DeviceTest.Hardware.Ssh;

/// <summary>
/// What earlier connections learned about the device behind a shared control socket, kept next to the socket
/// (<c>SOCKET.facts</c>, in the user's 0700 folder) for the next connection to use. Today one fact: whether the
/// device's CPU has AES instructions (see <see cref="SshCipherPreference"/>). A fact is a hint for speed only: if the
/// address now leads to another device, the next check-and-put learns it again.
/// </summary>
internal sealed class SshDeviceFacts
{
    private const string CpuAesKey = "cpu-aes";
    private readonly string _path;

    public SshDeviceFacts(string path)
    {
        _path = path;
    }

    /// <summary>Whether the device's CPU has AES instructions; null when no connection found out yet.</summary>
    public bool? CpuAes
    {
        get
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(_path, Encoding.UTF8);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }

            var line = lines.FirstOrDefault(l => l.StartsWith(CpuAesKey + " ", StringComparison.Ordinal));
            return line?[(CpuAesKey.Length + 1)..] switch
            {
                "yes" => true,
                "no" => false,
                _ => null,
            };
        }
    }

    /// <summary>Records whether the device's CPU has AES instructions (best effort: a folder that cannot be written
    /// only means the next connection does not know).</summary>
    public void RecordCpuAes(bool aes)
    {
        if (CpuAes == aes)
        {
            return;
        }

        var temporary = _path + ".tmp-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            File.WriteAllText(temporary, $"{CpuAesKey} {(aes ? "yes" : "no")}\n", new UTF8Encoding(false));
            File.Move(temporary, _path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
            }
        }
    }
}
