using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace DeviceTest.Lab;

/// <summary>
/// Lab parts a test needs. Where the lab is required (<see cref="RequiredBecause"/>: a CI system, or
/// <c>DEVICETEST_REQUIRE_LAB=1</c>) a missing part fails the test; on a developer's machine the test is skipped with
/// the reason and how to install the part.
/// </summary>
public static class LabRequirement
{
    /// <summary>Set to 1 to make a missing lab part a failure outside CI too (e.g. a lab machine's own checks).</summary>
    public const string RequireVariable = "DEVICETEST_REQUIRE_LAB";

    /// <summary>
    /// The variables CI systems set, with the value that shows it (null: any non-empty value): generic <c>CI</c>,
    /// Azure Pipelines, Jenkins, GitHub Actions, GitLab CI. <c>build/test.sh</c> checks the same list.
    /// </summary>
    private static readonly (string Name, string? Value)[] CiVariables =
    [
        ("CI", "true"), ("TF_BUILD", "true"), ("JENKINS_URL", null), ("GITHUB_ACTIONS", "true"), ("GITLAB_CI", "true"),
    ];

    /// <summary>True when a missing lab part fails the test (see <see cref="RequiredBecause"/>).</summary>
    public static bool IsCi => RequiredBecause(Environment.GetEnvironmentVariable) is not null;

    /// <summary>
    /// Why the lab is required here ("GITHUB_ACTIONS=true", "DEVICETEST_REQUIRE_LAB=1"), or null when a missing part
    /// may be skipped. <paramref name="environment"/> reads a variable.
    /// </summary>
    public static string? RequiredBecause(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var forced = environment(RequireVariable);
        if (forced is "1" || string.Equals(forced, "true", StringComparison.OrdinalIgnoreCase))
        {
            return $"{RequireVariable}={forced}";
        }

        foreach (var (name, value) in CiVariables)
        {
            var actual = environment(name);
            if (string.IsNullOrWhiteSpace(actual))
            {
                continue;
            }

            if (value is null || string.Equals(actual.Trim(), value, StringComparison.OrdinalIgnoreCase))
            {
                return value is null ? $"{name} is set" : $"{name}={actual.Trim()}";
            }
        }

        return null;
    }

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

    /// <summary>Fails (where the lab is required) or skips (elsewhere) the current test with <paramref name="reason"/>.</summary>
    public static void Missing(string reason)
    {
        if (RequiredBecause(Environment.GetEnvironmentVariable) is { } because)
        {
            Assert.Fail($"{reason} [{because}: lab parts are required]");
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
