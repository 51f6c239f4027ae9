using DeviceTest.Agent.Gateway;
using System.Security.Cryptography;
using DeviceTest.Framework.Specs;

namespace DeviceTest.Agent.Ota;

/// <summary>Loads the agent's spec, logging every problem with file:line:column.</summary>
internal static class SpecFile
{
    public static (TestSpec Spec, string Sha256)? Load(string path, AgentLog log)
    {
        var full = Path.GetFullPath(path);
        var hash = Sha256(full);
        var loaded = SpecLoader.Load(full);
        foreach (var diagnostic in loaded.Diagnostics)
        {
            if (diagnostic.Severity == DiagnosticSeverity.Error)
            {
                log.Error(diagnostic.ToString());
            }
            else
            {
                log.Warning(diagnostic.ToString());
            }
        }

        if (loaded.Spec is null || hash is null)
        {
            log.Error($"no tests run: the spec {full} has errors (above); fix it, then restart the agent or wait for the next install");
            return null;
        }

        return (loaded.Spec, hash);
    }

    public static string? Sha256(string path)
    {
        try
        {
            return Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
