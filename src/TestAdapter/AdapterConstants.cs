namespace DeviceTest.TestAdapter;

/// <summary>Names the adapter shares with VSTest and with users.</summary>
internal static class AdapterConstants
{
    /// <summary>The executor URI: ties the discoverer's test cases to the executor.</summary>
    public const string ExecutorUriString = "executor://DeviceTest/TestAdapter/v1";

    /// <summary>The namespace of YAML tests' fully qualified names: <c>DeviceTest.Specs.&lt;spec&gt;.&lt;test&gt;</c>.</summary>
    public const string SpecNamespace = "DeviceTest.Specs";

    /// <summary>The runsettings section (<c>&lt;DeviceTest&gt;</c>, or <c>-- DeviceTest.Key=value</c>).</summary>
    public const string SettingsSection = "DeviceTest";

    /// <summary>The file the build writes next to the test dll: <c>&lt;TargetName&gt;.devicetest.json</c>.</summary>
    public const string ManifestSuffix = ".devicetest.json";

    /// <summary>The <c>DeviceArtifact</c> list the build writes next to the test dll: <c>&lt;TargetName&gt;.devicetest-deploy.json</c>.</summary>
    public const string DeployListSuffix = ".devicetest-deploy.json";

    /// <summary>The <c>DeviceImage</c> list the build writes next to the test dll: <c>&lt;TargetName&gt;.devicetest-flash.json</c>.</summary>
    public const string FlashListSuffix = ".devicetest-flash.json";

    public static readonly Uri ExecutorUri = new(ExecutorUriString);
}
