namespace DeviceTest.Framework.Results.Writing;

/// <summary>
/// The attachments a TRX result kept: the folder they were copied to (<c>In/&lt;executionId&gt;</c>) and where its
/// <c>ResultFiles</c> element sits in the results spool (bytes), so that both can be removed later.
/// </summary>
internal sealed record KeptFiles(string Directory, long Offset, int Length);
