using System.Diagnostics;
using DeviceTest.Lab;
using DeviceTest.Lab.Qemu;

namespace DeviceTest.Hardware.Tests.LabRules;

/// <summary>
/// A missing lab part skips a test on a developer's machine and fails it where the lab is required: on every common CI
/// system and with DEVICETEST_REQUIRE_LAB=1. Runs alone (it changes the process environment).
/// </summary>
[TestClass]
[DoNotParallelize]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LabRequirementTests
{
    private static readonly string[] Variables = ["CI", "TF_BUILD", "JENKINS_URL", "GITHUB_ACTIONS", "GITLAB_CI", "DEVICETEST_REQUIRE_LAB"];

    [TestMethod]
    [DataRow("CI", "true")]
    [DataRow("TF_BUILD", "True")]
    [DataRow("JENKINS_URL", "https://jenkins.example/")]
    [DataRow("GITHUB_ACTIONS", "true")]
    [DataRow("GITLAB_CI", "true")]
    [DataRow("DEVICETEST_REQUIRE_LAB", "1")]
    public void A_missing_lab_part_fails_the_test_where_the_lab_is_required(string name, string value)
    {
        WithOnly(name, value, () =>
        {
            var failure = Assert.ThrowsExactly<AssertFailedException>(() => LabRequirement.Missing("lab part missing: frobnicator"));
            StringAssert.Contains(failure.Message, "lab part missing: frobnicator");
            StringAssert.Contains(failure.Message, name);
        });
    }

    [TestMethod]
    public void A_missing_lab_part_skips_the_test_elsewhere()
    {
        WithOnly("CI", "false", () =>
        {
            var skip = Assert.ThrowsExactly<AssertInconclusiveException>(() => LabRequirement.Missing("lab part missing: frobnicator"));
            StringAssert.Contains(skip.Message, "frobnicator");
        });
    }

    [TestMethod]
    [DataRow("CI", "true")]
    [DataRow("GITHUB_ACTIONS", "true")]
    [DataRow("TF_BUILD", "True")]
    [DataRow("JENKINS_URL", "https://jenkins.example/")]
    [DataRow("DEVICETEST_REQUIRE_LAB", "1")]
    public async Task The_test_command_fails_when_the_lab_cannot_be_prepared_where_it_is_required(string name, string value)
    {
        using var root = new ScriptRoot();
        var (code, output) = await root.RunAsync(name, value);

        Assert.AreEqual(1, code, output);
        StringAssert.Contains(output, "lab: preparing the lab failed");
        StringAssert.Contains(output, name);
        StringAssert.Contains(output, "0 passed, 1 failed");
        Assert.IsFalse(File.Exists(root.DotnetCalls), "no build or test run after the lab failed");
    }

    [TestMethod]
    public async Task Without_CI_the_test_command_runs_the_tests_when_the_lab_cannot_be_prepared()
    {
        using var root = new ScriptRoot();
        var (code, output) = await root.RunAsync(null, null);

        Assert.AreEqual(0, code, output);
        StringAssert.Contains(output, "native devicetest: skipped (the lab could not be prepared");
        StringAssert.Contains(output, "1 passed, 0 failed, 2 skipped", "the native linux-x64 and linux-arm64 checks count as skipped");
    }

    [TestMethod]
    public void No_test_skips_itself_around_the_lab_rule()
    {
        var tests = Path.Combine(QemuBoard.RepositoryRoot, "tests");
        var offenders = Directory.EnumerateFiles(tests, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(p => Path.GetFileName(p) is not ("LabRequirement.cs" or "LabRequirementTests.cs"))
            .Where(p => File.ReadAllText(p).Contains("Assert.Inconclusive(", StringComparison.Ordinal))
            .Select(p => Path.GetRelativePath(QemuBoard.RepositoryRoot, p))
            .ToList();

        Assert.IsEmpty(offenders, "these skip with Assert.Inconclusive instead of LabRequirement (which fails on CI): " + string.Join(", ", offenders));
    }

    private static void WithOnly(string name, string value, Action action)
    {
        var saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var variable in Variables)
            {
                Environment.SetEnvironmentVariable(variable, null);
            }

            Environment.SetEnvironmentVariable(name, value);
            action();
        }
        finally
        {
            foreach (var (variable, old) in saved)
            {
                Environment.SetEnvironmentVariable(variable, old);
            }
        }
    }

    /// <summary>
    /// A copy of build/test.sh in a folder whose build/lab/install.sh fails (as apt-get does without a network), with
    /// a <c>dotnet</c> on PATH that records its calls and reports one passing test for the solution.
    /// </summary>
    private sealed class ScriptRoot : IDisposable
    {
        private readonly string _root = Directory.CreateTempSubdirectory("devicetest-testsh-").FullName;

        public ScriptRoot()
        {
            Directory.CreateDirectory(Path.Combine(_root, "build", "lab"));
            Directory.CreateDirectory(Path.Combine(_root, "bin"));
            File.Copy(Path.Combine(QemuBoard.RepositoryRoot, "build", "test.sh"), Path.Combine(_root, "build", "test.sh"));
            File.WriteAllText(Path.Combine(_root, "build", "lab", "install.sh"), "echo 'install: E: Unable to locate package qemu-system-x86' >&2\nexit 100\n");
            var dotnet = Path.Combine(_root, "bin", "dotnet");
            File.WriteAllText(dotnet, $"""
                #!/bin/sh
                echo "$*" >> '{DotnetCalls}'
                if [ "$1" = test ] && [ "$2" = Adapter.sln ]; then
                  printf 'Total tests: 1\n     Passed: 1\n'
                fi
                exit 0

                """);
            File.SetUnixFileMode(dotnet, (UnixFileMode)0x1ed);
        }

        public string DotnetCalls => Path.Combine(_root, "dotnet-calls.txt");

        public async Task<(int Code, string Output)> RunAsync(string? name, string? value)
        {
            var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Path.Combine(_root, "build", "test.sh"));
            foreach (var variable in Variables)
            {
                start.Environment.Remove(variable);
            }

            start.Environment["PATH"] = Path.Combine(_root, "bin") + ":/usr/bin:/bin";
            if (name is not null)
            {
                start.Environment[name] = value;
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(limit.Token);
            return (process.ExitCode, await stdout + await stderr);
        }

        public void Dispose() => Directory.Delete(_root, recursive: true);
    }
}
