using DeviceTest.Hardware.Configuration;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>
/// Which devices of the pool may run a work item: those with all its required tags. A suite whose tests ask for
/// more tags goes to a device that has them too when the pool has one; otherwise its tests that need them are
/// skipped by the suite runner on whatever device it gets.
/// </summary>
internal static class TagRouting
{
    /// <summary>The tags that decide where <paramref name="item"/> runs, given <paramref name="pool"/>.</summary>
    public static IReadOnlyList<string> RoutingTags(PlannedWorkItem item, IReadOnlyList<DeviceConfig> pool) =>
        item.WantedTags.Count > item.RequiredTags.Count && pool.Any(d => Has(d, item.WantedTags))
            ? item.WantedTags
            : item.RequiredTags;

    public static bool Has(DeviceConfig device, IReadOnlyList<string> tags) =>
        tags.All(tag => device.Tags.Contains(tag, StringComparer.OrdinalIgnoreCase));

    /// <summary>Why no device of the pool can run an item that needs <paramref name="tags"/>, for its skipped results.</summary>
    public static string NoDeviceReason(IReadOnlyList<string> tags, IReadOnlyList<DeviceConfig> pool)
    {
        var needed = string.Join(", ", tags);
        var devices = string.Join(", ", pool.Select(d => d.Tags.Count == 0 ? $"'{d.Name}' (no tags)" : $"'{d.Name}' [{string.Join(", ", d.Tags)}]"));
        return pool.Count == 1
            ? $"requires tags: {needed}; the run's device {devices} does not have them. Pick a device that has them " +
              "(dotnet test -- DeviceTest.Device=<name>) or a pool (DeviceTest.Tags=<tags>)."
            : $"requires tags: {needed}; no device of the run's pool has them: {devices}. Add a device with these tags " +
              "to the devices file, or choose another pool (<DeviceTest><Tags>).";
    }
}
