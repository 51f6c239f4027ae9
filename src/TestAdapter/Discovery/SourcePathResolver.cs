namespace DeviceTest.TestAdapter.Discovery;

/// <summary>
/// Turns the document paths a PDB records into files on this machine, for test cases' source links. A build with
/// <c>-p:ContinuousIntegrationBuild=true</c> (deterministic source paths) or <c>-p:PathMap=...</c> records paths such as
/// <c>/_/tests/MySuite.cs</c>, <c>/_1/...</c> or <c>/agent/src/...</c> that exist nowhere here (a Windows build adds
/// <c>\</c> separators: <c>/_/tests\MySuite.cs</c>, <c>C:\a\s\tests\MySuite.cs</c>). Such a path is resolved by finding
/// the directory whose files it names: walking up from the test dll's directory, then from the project directory the
/// build's manifest names, the first ancestor under which the rest of the path exists.
/// </summary>
/// <remarks>
/// Cheap on purpose: every document is resolved once (tests share documents), and a mapped root found once
/// (<c>/_/</c> is the repository root) serves the other documents under it with one file check each. A path that
/// exists, a relative path and a path that resolves nowhere are kept as the PDB has them: a source link is never
/// invented. Not thread-safe: one resolver serves one test dll's discovery.
/// </remarks>
internal sealed class SourcePathResolver
{
    private readonly string _source;
    private readonly string? _projectDirectory;
    private readonly Func<string, bool> _fileExists;
    private readonly Dictionary<string, string> _documents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _roots = new(StringComparer.Ordinal);
    private List<string>? _bases;

    /// <param name="source">The test dll.</param>
    /// <param name="projectDirectory">The project directory from the build's manifest, or null.</param>
    /// <param name="fileExists">The file check (tests count the calls); <see cref="File.Exists(string)"/> by default.</param>
    public SourcePathResolver(string source, string? projectDirectory, Func<string, bool>? fileExists = null)
    {
        _source = source;
        _projectDirectory = projectDirectory;
        _fileExists = fileExists ?? File.Exists;
    }

    /// <summary>The file on this machine that <paramref name="documentPath"/> names, or the path itself.</summary>
    public string? Resolve(string? documentPath)
    {
        if (string.IsNullOrEmpty(documentPath))
        {
            return documentPath;
        }

        if (!_documents.TryGetValue(documentPath, out var resolved))
        {
            resolved = Find(documentPath) ?? documentPath;
            _documents.Add(documentPath, resolved);
        }

        return resolved;
    }

    private string? Find(string documentPath)
    {
        if (!IsRooted(documentPath) || _fileExists(documentPath))
        {
            return null;
        }

        var segments = documentPath.Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries);
        var first = segments.Length > 0 && IsDrive(segments[0]) ? 1 : 0;
        if (segments.Length - first < 2)
        {
            return null;
        }

        // /_/, /_1/, ...: the compiler's names for source roots, so the rest is relative to that root. Any other
        // path: the root could end after any directory, so the longest rest is tried first (the most specific).
        var mappedRoot = IsMappedRootName(segments[first]);
        var lastRootEnd = mappedRoot ? first + 1 : segments.Length - 1;
        for (var rootEnd = first + 1; rootEnd <= lastRootEnd; rootEnd++)
        {
            if (_roots.TryGetValue(RootKey(segments, rootEnd), out var directory)
                && Probe(directory, segments, rootEnd) is { } known)
            {
                return known;
            }
        }

        for (var rootEnd = first + 1; rootEnd <= lastRootEnd; rootEnd++)
        {
            foreach (var directory in Bases())
            {
                if (Probe(directory, segments, rootEnd) is { } found)
                {
                    _roots[RootKey(segments, rootEnd)] = directory;
                    return found;
                }
            }
        }

        return null;
    }

    private string? Probe(string directory, string[] segments, int rootEnd)
    {
        var candidate = Path.Join(directory, string.Join(Path.DirectorySeparatorChar, segments, rootEnd, segments.Length - rootEnd));
        return _fileExists(candidate) ? candidate : null;
    }

    /// <summary>The directories a mapped root may stand for: the dll's ancestors, then the project's, nearest first.</summary>
    private List<string> Bases()
    {
        if (_bases is not null)
        {
            return _bases;
        }

        _bases = [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in new[] { Path.GetDirectoryName(Path.GetFullPath(_source)), _projectDirectory })
        {
            if (string.IsNullOrEmpty(start))
            {
                continue;
            }

            for (var directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(start));
                 !string.IsNullOrEmpty(directory);
                 directory = Path.GetDirectoryName(directory))
            {
                if (seen.Add(directory))
                {
                    _bases.Add(directory);
                }
            }
        }

        return _bases;
    }

    private static string RootKey(string[] segments, int rootEnd) => string.Join('/', segments, 0, rootEnd);

    private static bool IsRooted(string path) =>
        path[0] is '/' or '\\' || (path.Length >= 3 && char.IsAsciiLetter(path[0]) && path[1] == ':' && path[2] is '/' or '\\');

    private static bool IsDrive(string segment) => segment.Length == 2 && char.IsAsciiLetter(segment[0]) && segment[1] == ':';

    /// <summary><c>_</c>, <c>_1</c>, <c>_2</c>...: the names the compiler gives source roots when it maps paths.</summary>
    private static bool IsMappedRootName(string segment) =>
        segment.Length >= 1 && segment[0] == '_' && segment.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;
}
