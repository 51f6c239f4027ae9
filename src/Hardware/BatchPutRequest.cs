namespace DeviceTest.Hardware;

/// <summary>What <see cref="IBatchCheckAndPut.CheckAndPutAsync"/> sends after the check.</summary>
/// <param name="Files">The files (distinct absolute target paths); may be empty.</param>
/// <param name="RecordPath">Where the record goes (absolute POSIX path, mode 0644); null: no record.</param>
/// <param name="RecordText">The record's content (UTF-8).</param>
/// <param name="RecordTextSource">The record's content when <paramref name="RecordText"/> is null, asked for only once
/// every file has been sent (so the files can go while the record, e.g. their hashes, is still being made).</param>
public sealed record BatchPutRequest(
    IReadOnlyList<FileUpload> Files,
    string? RecordPath = null,
    string? RecordText = null,
    Func<CancellationToken, Task<string>>? RecordTextSource = null);
