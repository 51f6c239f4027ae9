namespace DeviceTest.TestAdapter.Discovery;

/// <summary>Hands out name segments unique within one scope (case-insensitive): <c>x</c>, <c>x_2</c>, <c>x_3</c>.</summary>
internal sealed class NameScope
{
    private readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);

    public string Take(string text)
    {
        var segment = TestNames.Segment(text);
        if (_used.Add(segment))
        {
            return segment;
        }

        for (var n = 2; ; n++)
        {
            var candidate = $"{segment}_{n}";
            if (_used.Add(candidate))
            {
                return candidate;
            }
        }
    }
}
