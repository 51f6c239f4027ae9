namespace DeviceTest.Hardware.Deployment;

/// <summary>What is wrong with one <c>DeviceArtifact</c> item: a <c>DT20xx</c> code and a message that names the item.</summary>
internal sealed record ArtifactProblem(ArtifactItem Item, string Code, string Message)
{
    public override string ToString() => Item.DefinedIn is { Length: > 0 } file ? $"{file}: error {Code}: {Message}" : $"error {Code}: {Message}";
}
