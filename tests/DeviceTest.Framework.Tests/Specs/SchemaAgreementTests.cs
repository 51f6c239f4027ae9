using System.Diagnostics;
using DeviceTest.Framework.Specs;
using DeviceTest.Hardware.Screens;
using DeviceTest.Lab;

namespace DeviceTest.Framework.Tests.Specs;

/// <summary>
/// The JSON Schema (schemas/spec.schema.json) and the loader describe the same format: every example spec passes
/// both, and invalid specs fail both. The schema side uses Debian's python3-jsonschema on PyYAML's reading of the
/// file, as an editor or CI job would.
/// </summary>
[TestClass]
public sealed class SchemaAgreementTests
{
    private const string Python = "/usr/bin/python3";

    // argv: schema, then spec files. Prints "VALID" or "INVALID <reasons>" per file, one line each.
    private const string ValidatorScript = """
        import json, sys, yaml, jsonschema
        schema = json.load(open(sys.argv[1], encoding='utf-8'))
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema)
        for path in sys.argv[2:]:
            try:
                with open(path, encoding='utf-8') as f:
                    document = yaml.safe_load(f)
            except Exception as e:
                print('INVALID yaml: ' + str(e).replace('\n', ' '))
                continue
            errors = [e.message for e in validator.iter_errors(document)]
            print(('INVALID ' + '; '.join(errors)).replace('\n', ' ') if errors else 'VALID')
        """;

    private string directory = string.Empty;

    [TestInitialize]
    public void CreateDirectory()
    {
        directory = Path.Combine(Path.GetTempPath(), "devicetest-schema-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
    }

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(directory, recursive: true);

    [TestMethod]
    public async Task Every_example_spec_passes_the_loader_and_the_schema()
    {
        var files = RepoFiles.ExampleSpecs();
        Assert.IsGreaterThanOrEqualTo(4 + 3, files.Count, "fiotest's 4 examples and the samples: " + string.Join(", ", files));

        foreach (var file in files)
        {
            var result = SpecLoader.Load(file);
            Assert.IsFalse(result.HasErrors, $"{file}:\n{string.Join('\n', result.Diagnostics)}");
        }

        var verdicts = await ValidateWithSchemaAsync(files);
        for (var i = 0; i < files.Count; i++)
        {
            Assert.AreEqual("VALID", verdicts[i], files[i]);
        }
    }

    [TestMethod]
    public async Task Valid_specs_in_every_form_pass_both()
    {
        string[] specs =
        [
            "sequence: []\n",
            "name: n\nrequires: { tags: [a, 1] }\nsequence:\n  - tests:\n      - { name: a, command: [/bin/sleep, 10] }\n",
            "sequence:\n  - tests:\n      - { name: yes, command: true, on_host: yes, timeout: 1:30:00 }\n",
            "sequence:\n  - tests:\n      - { name: a, command: 'echo hi', timeout: 90, env: { A: 1, B: true, C: x } }\n",
            "sequence:\n  - tests:\n      - { name: a, command: [x], timeout: 01:30:00 }\n      - { name: b, command: [x], timeout: 1h30m }\n",
            "sequence:\n  - reboot: { command: [/sbin/reboot], timeout: 5m }\n    tests: [{ name: a, command: [x] }]\n",
            "sequence:\n  - tests:\n    repeat:\n  - tests: []\n    repeat: { total: -1, delay_seconds: 0 }\n",
            "sequence:\n  - reboot:\n    tests: [{ name: a, command: [x, '', 1.5] }]\n",
        ];

        var files = specs.Select((text, i) => Write($"valid{i}.spec.yml", text)).ToList();
        var verdicts = await ValidateWithSchemaAsync(files);
        for (var i = 0; i < files.Count; i++)
        {
            var result = SpecLoader.Load(files[i]);
            Assert.IsFalse(result.HasErrors, $"loader rejects {specs[i]}\n{string.Join('\n', result.Diagnostics)}");
            Assert.AreEqual("VALID", verdicts[i], $"schema rejects {specs[i]}");
        }
    }

    [TestMethod]
    public async Task Invalid_specs_fail_both()
    {
        (string Yaml, string Code)[] cases =
        [
            ("name: x\n", SpecErrorCodes.MissingKey),
            ("- tests: []\n", SpecErrorCodes.NotAMapping),
            ("sequence:\n  tests:\n    - { name: ltp, command: [x] }\n", SpecErrorCodes.WrongType),
            ("sequense: []\n", SpecErrorCodes.UnknownKey),
            ("sequence:\n  - tests:\n      - { name: a, comand: [x] }\n", SpecErrorCodes.UnknownKey),
            ("sequence:\n  - tests:\n      - { command: [x] }\n", SpecErrorCodes.MissingKey),
            ("sequence:\n  - reboot: { timeout: 5m }\n", SpecErrorCodes.MissingKey),
            ("sequence:\n  - tests: [{ name: a, command: [] }]\n", SpecErrorCodes.EmptyValue),
            ("sequence:\n  - tests: [{ name: a, command: ['', x] }]\n", SpecErrorCodes.EmptyValue),
            ("sequence:\n  - tests: [{ name: a, command: { run: x } }]\n", SpecErrorCodes.WrongType),
            ("sequence:\n  - tests: [{ name: a, command: [x, [y]] }]\n", SpecErrorCodes.WrongType),
            ("sequence:\n  - tests: [{ name: a, command: [x], on_host: maybe }]\n", SpecErrorCodes.WrongType),
            ("sequence:\n  - tests: [{ name: a, command: [x], timeout: soon }]\n", SpecErrorCodes.BadDuration),
            ("sequence:\n  - tests: [{ name: a, command: [x], timeout: 0s }]\n", SpecErrorCodes.OutOfRange),
            ("sequence:\n  - tests: [{ name: a, command: [x], timeout: -5 }]\n", SpecErrorCodes.OutOfRange),
            ("sequence:\n  - tests: [{ name: a, command: [x], env: [A=1] }]\n", SpecErrorCodes.WrongType),
            ("sequence:\n  - tests: [{ name: a, command: [x], env: { 1A: x } }]\n", SpecErrorCodes.BadEnvironmentName),
            ("sequence:\n  - tests: [{ name: a, command: [x], env: { A: } }]\n", SpecErrorCodes.EmptyValue),
            ("sequence:\n  - tests: [{ name: a, command: [x] }]\n    repeat: { total: -2 }\n", SpecErrorCodes.OutOfRange),
            ("sequence:\n  - tests: [{ name: a, command: [x] }]\n    repeat: { delay_seconds: -1 }\n", SpecErrorCodes.OutOfRange),
            ("sequence:\n  - tests: [{ name: a, command: [x] }]\n    repeat: { total: many }\n", SpecErrorCodes.NotANumber),
            ("sequence:\n  - tests: [{ name: a, command: [x] }]\n    repeat: { total: 4, every: 5 }\n", SpecErrorCodes.UnknownKey),
            ("sequence:\n  - tests: [{ name: '', command: [x] }]\n", SpecErrorCodes.EmptyValue),
            ("requires: { tags: wifi }\nsequence: []\n", SpecErrorCodes.WrongType),
            ("requires: { tag: [wifi] }\nsequence: []\n", SpecErrorCodes.UnknownKey),
            ("name: [a]\nsequence: []\n", SpecErrorCodes.WrongType),
            ("sequence:\n  - just-a-string\n", SpecErrorCodes.WrongType),
        ];

        var files = cases.Select((c, i) => Write($"invalid{i}.spec.yml", c.Yaml)).ToList();
        var verdicts = await ValidateWithSchemaAsync(files);
        for (var i = 0; i < files.Count; i++)
        {
            var result = SpecLoader.Load(files[i]);
            Assert.IsTrue(result.HasErrors, $"loader accepts {cases[i].Yaml}");
            Assert.IsTrue(
                result.Diagnostics.Any(d => d.Code == cases[i].Code && d.Severity == DiagnosticSeverity.Error),
                $"expected {cases[i].Code} for {cases[i].Yaml}, got:\n{string.Join('\n', result.Diagnostics)}");
            StringAssert.StartsWith(verdicts[i], "INVALID", $"schema accepts {cases[i].Yaml}");
        }
    }

    [TestMethod]
    public async Task Screen_keys_and_network_steps_pass_both_and_their_mistakes_fail_both()
    {
        await File.WriteAllBytesAsync(Path.Combine(directory, "ref.png"), new ScreenImage(16, 8, new byte[16 * 8 * 4]).ToPng());
        string[] valid =
        [
            "sequence:\n  - screenshot: { name: boot }\n  - network: { link: down }\n  - network: { link: up }\n",
            "sequence:\n  - screen: { expect: ref.png }\n  - screen: { expect: ref.png, timeout: 2m, threshold: 0.9, mask: ref.png, ignore: [[0, 0, 16, 2]], areas: [[2, 2, 4, 4]], margin: 3 }\n",
            "sequence:\n  - keys: { press: [ctrl-alt-delete, ret] }\n  - keys: { press: f1 }\n  - keys: { type: \"root\\n\" }\n",
        ];
        (string Yaml, string Code)[] invalid =
        [
            ("sequence:\n  - screenshot: {}\n", SpecErrorCodes.MissingKey),
            ("sequence:\n  - screen: { timeout: 2m }\n", SpecErrorCodes.MissingKey),
            ("sequence:\n  - screen: { expect: ref.png, threshold: 96 }\n", SpecErrorCodes.OutOfRange),
            ("sequence:\n  - screen: { expect: ref.png, margin: -1 }\n", SpecErrorCodes.OutOfRange),
            ("sequence:\n  - screen: { expect: ref.png, ignore: [[0, 0, 2]] }\n", SpecErrorCodes.WrongType),
            ("sequence:\n  - screen: { expect: ref.png, expected: x }\n", SpecErrorCodes.UnknownKey),
            ("sequence:\n  - keys: { press: [ret], type: x }\n", SpecErrorCodes.OneOfKeys),
            ("sequence:\n  - keys: { press: [] }\n", SpecErrorCodes.EmptyValue),
            ("sequence:\n  - network: { link: sideways }\n", SpecErrorCodes.OutOfRange),
            ("sequence:\n  - network: {}\n", SpecErrorCodes.MissingKey),
        ];

        var validFiles = valid.Select((text, i) => Write($"device-valid{i}.spec.yml", text)).ToList();
        var invalidFiles = invalid.Select((c, i) => Write($"device-invalid{i}.spec.yml", c.Yaml)).ToList();
        var verdicts = await ValidateWithSchemaAsync([.. validFiles, .. invalidFiles]);

        for (var i = 0; i < validFiles.Count; i++)
        {
            var result = SpecLoader.Load(validFiles[i]);
            Assert.IsFalse(result.HasErrors, $"loader rejects {valid[i]}\n{string.Join('\n', result.Diagnostics)}");
            Assert.AreEqual("VALID", verdicts[i], $"schema rejects {valid[i]}");
        }

        for (var i = 0; i < invalidFiles.Count; i++)
        {
            var result = SpecLoader.Load(invalidFiles[i]);
            Assert.IsTrue(
                result.Diagnostics.Any(d => d.Code == invalid[i].Code && d.Severity == DiagnosticSeverity.Error),
                $"expected {invalid[i].Code} for {invalid[i].Yaml}, got:\n{string.Join('\n', result.Diagnostics)}");
            StringAssert.StartsWith(verdicts[validFiles.Count + i], "INVALID", $"schema accepts {invalid[i].Yaml}");
        }
    }

    private static async Task<IReadOnlyList<string>> ValidateWithSchemaAsync(IReadOnlyList<string> files)
    {
        LabRequirement.Programs(Python);
        var (probeExit, _, probeError) = await RunPythonAsync(["-c", "import jsonschema, yaml"]);
        if (probeExit != 0)
        {
            LabRequirement.Missing($"python3-jsonschema and python3-yaml are needed to check the JSON Schema: {probeError.Trim()}");
        }

        var (exit, stdout, stderr) = await RunPythonAsync(["-c", ValidatorScript, RepoFiles.SchemaPath, .. files]);
        Assert.AreEqual(0, exit, $"the schema validator failed: {stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(files.Count, lines, stdout);
        return lines;
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunPythonAsync(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
