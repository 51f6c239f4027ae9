namespace DeviceTest.Hardware;

/// <summary>What <see cref="IBatchCheckAndPut.CheckAndPutAsync"/> sends after the check.</summary>
/// <param name="Files">The files (distinct absolute target paths); may be empty.</param>
/// <param name="RecordPath">Where the record goes (absolute POSIX path, mode 0644); null: no record.</param>
/// <param name="RecordText">The record's content (UTF-8).</param>
public sealed record BatchPutRequest(IReadOnlyList<FileUpload> Files, string? RecordPath = null, string? RecordText = null);
