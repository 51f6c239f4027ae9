using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace DeviceTest.Lab;

/// <summary>
/// Lab parts a test needs. On CI (<c>CI=true</c>) a missing part fails the test; on a developer's machine the test
/// is skipped with the reason and how to install the part.
/// </summary>
public static class LabRequirement
{
    public static bool IsCi =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Requires programs on PATH (e.g. "sshd", "socat").</summary>
    public static void Programs(params string[] programs)
    {
        ArgumentNullException.ThrowIfNull(programs);
        var missing = programs.Where(p => FindProgram(p) is null).ToArray();
        if (missing.Length > 0)
        {
            Missing($"lab part missing: {string.Join(", ", missing)} (run: sudo build/lab/install.sh)");
        }
    }

    /// <summary>Requires files (e.g. the QEMU board's kernel and initramfs).</summary>
    public static void Files(string what, params string[] paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var missing = paths.Where(p => !File.Exists(p)).ToArray();
        if (missing.Length > 0)
        {
            Missing($"lab part missing: {what} ({string.Join(", ", missing)})");
        }
    }

    /// <summary>Fails (CI) or skips (elsewhere) the current test with <paramref name="reason"/>.</summary>
    public static void Missing(string reason)
    {
        if (IsCi)
        {
            Assert.Fail(reason + " [CI=true: lab parts are required]");
        }

        Assert.Inconclusive(reason);
    }

    /// <summary>The full path of <paramref name="program"/> on PATH (also /usr/sbin and /sbin), or null.</summary>
    public static string? FindProgram(string program)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(program) ? program : null;
        }

        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
            .Concat(["/usr/sbin", "/sbin", "/usr/local/sbin"]);
        return path.Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);
    }
}
