namespace DeviceTest.Agent.Ota;

/// <summary>The kernel's id of the current boot (changes at every boot); null where there is none.</summary>
internal static class BootId
{
    public static string? Read()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
