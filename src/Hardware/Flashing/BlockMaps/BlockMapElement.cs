using System.Text;

namespace DeviceTest.Hardware.Flashing.BlockMaps;

/// <summary>
/// One element of a block map's XML as <see cref="BlockMapXml"/> reads it: its name, attributes, child elements, the
/// text inside it and the line it starts on.
/// </summary>
internal sealed class BlockMapElement(string name, int line)
{
    private readonly List<KeyValuePair<string, string>> _attributes = [];
    private readonly List<BlockMapElement> _children = [];
    private readonly StringBuilder _text = new();

    public string Name { get; } = name;

    /// <summary>The line of the element's start tag (1-based).</summary>
    public int Line { get; } = line;

    /// <summary>The attributes, in the order written.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Attributes => _attributes;

    /// <summary>The child elements, in order.</summary>
    public IReadOnlyList<BlockMapElement> Children => _children;

    /// <summary>The text inside the element and all its descendants, in document order (as XElement.Value).</summary>
    public string Value => _text.ToString();

    /// <summary>The value of attribute <paramref name="attributeName"/>, or null.</summary>
    public string? Attribute(string attributeName)
    {
        foreach (var attribute in _attributes)
        {
            if (attribute.Key == attributeName)
            {
                return attribute.Value;
            }
        }

        return null;
    }

    /// <summary>The first child element named <paramref name="elementName"/>, or null.</summary>
    public BlockMapElement? Element(string elementName)
    {
        foreach (var child in _children)
        {
            if (child.Name == elementName)
            {
                return child;
            }
        }

        return null;
    }

    /// <summary>The child elements named <paramref name="elementName"/>, in order.</summary>
    public IEnumerable<BlockMapElement> Elements(string elementName)
    {
        foreach (var child in _children)
        {
            if (child.Name == elementName)
            {
                yield return child;
            }
        }
    }

    /// <summary>Adds an attribute; false when the element has one of that name already.</summary>
    internal bool AddAttribute(string attributeName, string value)
    {
        if (Attribute(attributeName) is not null)
        {
            return false;
        }

        _attributes.Add(new(attributeName, value));
        return true;
    }

    internal void AddChild(BlockMapElement child) => _children.Add(child);

    internal void AddText(string text) => _text.Append(text);
}
