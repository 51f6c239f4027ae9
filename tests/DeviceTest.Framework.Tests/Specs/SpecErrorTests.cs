using DeviceTest.Framework.Specs;

namespace DeviceTest.Framework.Tests.Specs;

/// <summary>Mistakes in keys, values and YAML: each reported once, with its code, file, line and column, all in one pass.</summary>
[TestClass]
public sealed class SpecErrorTests
{
    [TestMethod]
    public void Negative_and_non_numeric_repeat_values_are_errors()
    {
        var result = SpecAssert.Load("""
            sequence:
              - tests: [{ name: a, command: [x] }]
                repeat: { total: -2, delay_seconds: -1 }
              - tests: [{ name: b, command: [x] }]
                repeat:
                  total: many
                  delay_seconds: "5"
              - tests: [{ name: c, command: [x] }]
                repeat: { total: 1.5, delay_seconds: [1] }
            """);
        var outOfRange = result.Diagnostics.Where(d => d.Code == SpecErrorCodes.OutOfRange).ToList();
        Assert.HasCount(2, outOfRange, string.Join('\n', result.Diagnostics));
        Assert.AreEqual((3, 22), (outOfRange[0].Position.Line, outOfRange[0].Position.Column));
        StringAssert.Contains(outOfRange[0].Message, "-1 or 0 to repeat forever");
        Assert.AreEqual((3, 41), (outOfRange[1].Position.Line, outOfRange[1].Position.Column));
        StringAssert.Contains(outOfRange[1].Message, "must not be negative");

        var notNumbers = result.Diagnostics.Where(d => d.Code == SpecErrorCodes.NotANumber).ToList();
        Assert.HasCount(3, notNumbers, string.Join('\n', result.Diagnostics));
        Assert.AreEqual((6, 14), (notNumbers[0].Position.Line, notNumbers[0].Position.Column));
        Assert.AreEqual((7, 22), (notNumbers[1].Position.Line, notNumbers[1].Position.Column));
        Assert.AreEqual((9, 22), (notNumbers[2].Position.Line, notNumbers[2].Position.Column));
        SpecAssert.Has(result, SpecErrorCodes.WrongType, 9, 42);
        Assert.HasCount(6, result.Diagnostics);
    }

    [TestMethod]
    public void Unknown_keys_are_errors_with_a_suggestion()
    {
        var result = SpecAssert.Load("""
            name: x
            sequense: []
            sequence:
              - tests:
                  - name: a
                    comand: [x]
                    command: [x]
                    timout: 5s
                    frobnicate: 1
                repeat: { totl: 3 }
              - reboot: { command: x, timeout: 1m, delay: 2 }
            """);
        var unknown = result.Diagnostics.Where(d => d.Code == SpecErrorCodes.UnknownKey).ToList();
        Assert.HasCount(6, unknown, string.Join('\n', result.Diagnostics));
        Assert.AreEqual((2, 1), (unknown[0].Position.Line, unknown[0].Position.Column));
        StringAssert.Contains(unknown[0].Message, "did you mean `sequence`?");
        Assert.AreEqual((6, 9), (unknown[1].Position.Line, unknown[1].Position.Column));
        StringAssert.Contains(unknown[1].Message, "unknown key `comand`");
        StringAssert.Contains(unknown[1].Message, "did you mean `command`?");
        Assert.AreEqual((8, 9), (unknown[2].Position.Line, unknown[2].Position.Column));
        StringAssert.Contains(unknown[2].Message, "did you mean `timeout`?");
        Assert.AreEqual((9, 9), (unknown[3].Position.Line, unknown[3].Position.Column));
        StringAssert.Contains(unknown[3].Message, "allowed keys: name, command, timeout, env, on_host");
        Assert.AreEqual((10, 15), (unknown[4].Position.Line, unknown[4].Position.Column));
        StringAssert.Contains(unknown[4].Message, "did you mean `total`?");
        Assert.AreEqual((11, 40), (unknown[5].Position.Line, unknown[5].Position.Column));
        Assert.IsNull(result.Spec);
    }

    [TestMethod]
    public void Wrong_types_are_reported_at_the_value()
    {
        var result = SpecAssert.Load("""
            name: [a]
            requires: { tags: wifi }
            sequence:
              - tests:
                  - name: { a: 1 }
                    command: { run: x }
                    on_host: maybe
                    env: [A=1]
                  - name: b
                    command: [x, [y]]
              - tests: { name: c, command: [x] }
              - just-a-string
            """);
        var wrong = result.Diagnostics.Where(d => d.Code == SpecErrorCodes.WrongType)
            .Select(d => (d.Position.Line, d.Position.Column)).ToArray();
        CollectionAssert.AreEqual(
            new[] { (1, 7), (2, 19), (5, 15), (6, 18), (7, 18), (8, 14), (10, 22), (11, 12), (12, 5) },
            wrong,
            string.Join('\n', result.Diagnostics));
        Assert.HasCount(9, result.Diagnostics);
    }

    [TestMethod]
    public void Empty_values_are_errors()
    {
        var result = SpecAssert.Load("""
            sequence:
              - tests:
                  - name: ''
                    command: []
                  - name: b
                    command: '  '
                  - name: c
                    command: [x, ~]
                  - name:
                    command: ['', x]
                    timeout:
                    env: { A: }
            """);
        var empty = result.Diagnostics.Where(d => d.Code == SpecErrorCodes.EmptyValue)
            .Select(d => (d.Position.Line, d.Position.Column)).ToArray();
        CollectionAssert.AreEqual(
            new[] { (3, 15), (4, 18), (6, 18), (8, 22), (9, 14), (10, 19), (11, 17), (12, 19) },
            empty,
            string.Join('\n', result.Diagnostics));
    }

    [TestMethod]
    public void Environment_names_must_be_valid()
    {
        SpecAssert.Only("sequence:\n  - tests:\n      - name: a\n        command: [x]\n        env: { 1BAD: x }\n",
            SpecErrorCodes.BadEnvironmentName, 5, 16);
    }

    [TestMethod]
    [DataRow("abc", "DT0026")]
    [DataRow("5 minutes", "DT0026")]
    [DataRow("1.5m", "DT0026")]
    [DataRow("90:00", "DT0026")]
    [DataRow("0s", "DT0025")]
    [DataRow("0", "DT0025")]
    [DataRow("-5s", "DT0025")]
    [DataRow("[5s]", "DT0021")]
    public void Bad_timeouts_are_errors(string written, string code)
    {
        SpecAssert.Only($"sequence:\n  - tests:\n      - name: a\n        command: [x]\n        timeout: {written}\n", code, 5, 18);
    }

    [TestMethod]
    public void Every_problem_of_a_file_is_reported_in_one_pass_in_file_order()
    {
        var result = SpecAssert.Load("""
            sequence:
              - tests:
                  - name: a
                    comand: [x]
                  - name: b
                    command: [x]
                    timeout: soon
                repeat: { total: -5 }
              - reboot: { command: [] }
            """);
        var summary = result.Diagnostics.Select(d => $"{d.Position.Line}:{d.Position.Column} {d.Code}").ToArray();
        CollectionAssert.AreEqual(
            new[] { "3:9 DT0022", "4:9 DT0020", "7:18 DT0026", "8:22 DT0025", "9:24 DT0023" },
            summary,
            string.Join('\n', result.Diagnostics));
        Assert.IsNull(result.Spec);
        Assert.IsTrue(result.HasErrors);
    }

    [TestMethod]
    public void Yaml_syntax_errors_carry_the_parser_position()
    {
        var diagnostic = SpecAssert.Only("sequence:\n  - tests: [ { name: a, command: [x] }\n  - reboot: x\n", SpecErrorCodes.Syntax, 3, 3);
        StringAssert.StartsWith(diagnostic.Message, "YAML syntax error: ");
        var unterminated = SpecAssert.Only("name: 'open\n", SpecErrorCodes.Syntax, 1, 7);
        StringAssert.Contains(unterminated.Message, "quoted scalar");
    }

    [TestMethod]
    public void Duplicate_keys_and_several_documents_are_errors()
    {
        var duplicate = SpecAssert.Only("name: a\nname: b\nsequence: []\n", SpecErrorCodes.DuplicateKey, 2, 1);
        StringAssert.Contains(duplicate.Message, "`name`");
        var result = SpecAssert.Load("sequence: []\n---\nsequence: []\n");
        SpecAssert.Has(result, SpecErrorCodes.MultipleDocuments, 3, 1);
    }

    [TestMethod]
    public void A_syntax_error_or_deep_nesting_later_in_the_file_wins_over_an_earlier_duplicate_key()
    {
        // The whole text is checked before the nodes are built: one error, the one that makes the file unreadable.
        SpecAssert.Only("name: a\nname: b\nsequence:\n  - tests: [ { name: a, command: [x] }\n  - reboot: x\n", SpecErrorCodes.Syntax, 5, 3);
        var deep = SpecAssert.Only("name: a\nname: b\nsequence: " + new string('[', 100) + new string(']', 100) + "\n", SpecErrorCodes.Syntax, 3, 74);
        StringAssert.Contains(deep.Message, "nested more than 64 levels");
        var duplicateAfterDeep = SpecAssert.Only("name: a\nsequence: " + new string('[', 100) + new string(']', 100) + "\nname: b\n", SpecErrorCodes.Syntax, 2, 74);
        StringAssert.Contains(duplicateAfterDeep.Message, "nested more than 64 levels");
    }

    [TestMethod]
    public void Diagnostics_print_as_file_line_column_severity_code_message()
    {
        var result = SpecAssert.Load("sequence:\n  - tests:\n      - { name: a, comand: [x], command: [x] }\n", "specs/net.spec.yml");
        Assert.AreEqual(
            "specs/net.spec.yml:3:20: error DT0020: unknown key `comand` in a test; did you mean `command`?",
            result.Diagnostics.Single().ToString());
    }

    [TestMethod]
    public void Every_code_is_distinct_and_in_the_spec_range()
    {
        var codes = typeof(SpecErrorCodes).GetFields()
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        Assert.HasCount(codes.Count, codes.Distinct());
        foreach (var code in codes)
        {
            StringAssert.Matches(code, new System.Text.RegularExpressions.Regex("^DT0[0-9]{3}$"));
        }
    }
}
