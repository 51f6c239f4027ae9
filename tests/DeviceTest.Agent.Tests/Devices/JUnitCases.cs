using System.Xml.Linq;

namespace DeviceTest.Agent.Tests.Devices;

/// <summary>The test cases of a JUnit file: name and failure message (null when passed).</summary>
internal static class JUnitCases
{
    public static IReadOnlyList<(string Name, string? Failure)> Read(string path)
    {
        Assert.IsTrue(File.Exists(path), $"no JUnit file at {path}");
        return XDocument.Load(path).Descendants("testcase")
            .Select(c => ((string)c.Attribute("name")!, c.Element("failure") is { } f ? (string?)f.Attribute("message") ?? f.Value : null))
            .ToList();
    }

    public static void AllPassed(string path, int expected, string context)
    {
        var cases = Read(path);
        Assert.AreEqual(expected, cases.Count, $"test cases in {path}: {string.Join(", ", cases.Select(c => c.Name))}\n{context}");
        foreach (var (name, failure) in cases)
        {
            Assert.IsNull(failure, $"{name} failed: {failure}\n{context}");
        }
    }
}
