namespace DeviceTest.Framework.Results.Writing;

/// <summary>A TRX test definition (one per distinct test, however often it ran): bounded by the specs' size.</summary>
internal sealed record TrxDefinition(
    Guid Id,
    string Name,
    string ClassName,
    string Storage,
    Guid FirstExecutionId,
    IReadOnlyList<KeyValuePair<string, string>> Properties);
