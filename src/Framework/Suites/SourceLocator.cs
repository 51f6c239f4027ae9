using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace DeviceTest.Framework.Suites;

/// <summary>
/// Finds a method's source file and line in an assembly's portable PDB (next to the dll, at the path the dll
/// records, or embedded). Without a readable PDB every lookup answers null; nothing here throws for a missing or
/// unreadable PDB.
/// </summary>
internal sealed class SourceLocator : IDisposable
{
    private readonly PEReader? _peReader;
    private readonly MetadataReaderProvider? _pdbProvider;
    private readonly MetadataReader? _pdb;
    private Dictionary<MethodDefinitionHandle, MethodDefinitionHandle>? _moveNextByKickoff;

    private SourceLocator(PEReader? peReader, MetadataReaderProvider? pdbProvider)
    {
        _peReader = peReader;
        _pdbProvider = pdbProvider;
        _pdb = pdbProvider?.GetMetadataReader();
    }

    [UnconditionalSuppressMessage("SingleFile", "IL3000", Justification = "An empty location (single-file apps) means no source links, which is handled.")]
    public static SourceLocator Open(Assembly assembly)
    {
        string path;
        try
        {
            path = assembly.IsDynamic ? string.Empty : assembly.Location;
        }
        catch (NotSupportedException)
        {
            path = string.Empty;
        }

        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            return new SourceLocator(null, null);
        }

        PEReader? peReader = null;
        try
        {
            peReader = new PEReader(File.OpenRead(path));
            if (peReader.TryOpenAssociatedPortablePdb(path, OpenIfExists, out var provider, out _) && provider is not null)
            {
                return new SourceLocator(peReader, provider);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidOperationException)
        {
            // An unreadable dll or PDB only costs the source links.
        }

        peReader?.Dispose();
        return new SourceLocator(null, null);
    }

    /// <summary>The method's file and the first line of its body, or nulls.</summary>
    public (string? File, int? Line) Find(MethodBase method)
    {
        if (_pdb is null)
        {
            return (null, null);
        }

        try
        {
            if (MetadataTokens.EntityHandle(method.MetadataToken) is not { Kind: HandleKind.MethodDefinition } entity)
            {
                return (null, null);
            }

            var handle = (MethodDefinitionHandle)entity;
            var found = FromSequencePoints(handle);
            if (found.File is null && MoveNextByKickoff().TryGetValue(handle, out var moveNext))
            {
                // async and iterator methods: the body's sequence points belong to the state machine's MoveNext.
                found = FromSequencePoints(moveNext);
            }

            return found;
        }
        catch (Exception e) when (e is BadImageFormatException or ArgumentException or InvalidOperationException)
        {
            return (null, null);
        }
    }

    public void Dispose()
    {
        _pdbProvider?.Dispose();
        _peReader?.Dispose();
    }

    private static Stream? OpenIfExists(string path) => File.Exists(path) ? File.OpenRead(path) : null;

    private (string? File, int? Line) FromSequencePoints(MethodDefinitionHandle handle)
    {
        var pdb = _pdb!;
        var info = pdb.GetMethodDebugInformation(handle.ToDebugInformationHandle());
        DocumentHandle? document = null;
        var line = int.MaxValue;
        foreach (var point in info.GetSequencePoints())
        {
            if (point.IsHidden)
            {
                continue;
            }

            document ??= point.Document;
            if (point.Document == document && point.StartLine < line)
            {
                line = point.StartLine;
            }
        }

        if (document is not DocumentHandle found)
        {
            return (null, null);
        }

        return (pdb.GetString(pdb.GetDocument(found).Name), line);
    }

    private Dictionary<MethodDefinitionHandle, MethodDefinitionHandle> MoveNextByKickoff()
    {
        if (_moveNextByKickoff is null)
        {
            var map = new Dictionary<MethodDefinitionHandle, MethodDefinitionHandle>();
            foreach (var handle in _pdb!.MethodDebugInformation)
            {
                var kickoff = _pdb.GetMethodDebugInformation(handle).GetStateMachineKickoffMethod();
                if (!kickoff.IsNil)
                {
                    map[kickoff] = handle.ToDefinitionHandle();
                }
            }

            _moveNextByKickoff = map;
        }

        return _moveNextByKickoff;
    }
}
