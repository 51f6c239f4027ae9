using System.Diagnostics;
using System.Globalization;

namespace DeviceTest.Hardware.Deployment;

/// <summary>
/// Puts artifacts on a device, sending only what changed. For each target path the last deploy's record (SHA-256,
/// size, time, mode) comes from the local cache or, failing that, from the manifest on the device; a file is skipped
/// only when its record has the local file's hash and the device (asked in one round trip) still has a file of that
/// size, time and mode there. So a re-flashed device, or one where a file was removed or edited, gets it again.
/// </summary>
internal sealed class Deployer
{
    private readonly IDevice _device;
    private readonly IDeployLog _log;
    private readonly IBatchFileTransfer _batch;

    public Deployer(IDevice device, IDeployLog log)
    {
        _device = device;
        _log = log;
        _batch = device.Files as IBatchFileTransfer ?? new FallbackBatchTransfer(device);
    }

    /// <summary>The local cache file (null: none).</summary>
    public string? CacheFile { get; init; }

    /// <summary>Absolute path of the manifest on the device (null: none).</summary>
    public string? ManifestPath { get; init; }

    /// <summary>Identifies the device in the cache (name and transport), so a cache for another device is not used.</summary>
    public string DeviceKey => _device.Name + " " + string.Join(",", _device.Transports);

    public async Task<DeploySummary> DeployAsync(IReadOnlyList<ArtifactSpec> artifacts, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var cache = DeployCache.Load(CacheFile, DeviceKey);
        var paths = artifacts.Select(a => a.TargetPath).ToList();
        if (ManifestPath is not null)
        {
            paths.Add(ManifestPath);
        }

        // Only the one-round-trip path below needs the sizes before it sends; the combined path gets them from hashing
        // or from the list of what to send, so the connection starts without stat-ing every local file first.
        Dictionary<string, long> sizes = [];
        var records = new Dictionary<string, DeployRecord>(cache.Device, StringComparer.Ordinal);
        List<ArtifactSpec> changed = [];
        Dictionary<string, LocalHashEntry> hashes;
        long bytes = 0;
        var manifestOnDevice = false;
        var sendStarted = TimeSpan.Zero;
        void Sent(Dictionary<string, ArtifactSpec> byTarget, FileUpload upload)
        {
            var local = byTarget[upload.RemotePath].LocalPath;
            var size = sizes.TryGetValue(local, out var known) ? known : new FileInfo(local).Length;
            bytes += size;
            _log.Sent(byTarget[upload.RemotePath], size);
        }

        if (_batch is IBatchCheckAndPut combined)
        {
            // One channel: the device is checked while every file is hashed here; then what changed goes, with the new
            // record, in the same stream. Hashing leaves one core to ssh and sshd: on two cores, hashing on both made
            // the key exchange ~25% slower and the decision later, not sooner.
            var hashTask = HashAsync(artifacts, cache, cancellationToken, Math.Max(1, Environment.ProcessorCount - 1));
            Dictionary<string, ArtifactSpec> byTarget = [];
            List<FileUpload> uploads = [];
            var problem = await combined.CheckAndPutAsync(
                paths,
                async (onDevice, ct) =>
                {
                    manifestOnDevice = ManifestPath is not null && onDevice.ContainsKey(ManifestPath);
                    await MergeManifestAsync(artifacts, onDevice, manifestOnDevice, cache, records, ct);

                    // Only a file the device may still hold needs its hash to decide; when there is none (a first
                    // deploy, a re-flashed device) everything goes at once, and the hashes are needed only for the
                    // record at the end of the stream.
                    if (artifacts.Any(a => MayBeOnDevice(a, onDevice, records)))
                    {
                        var hashed = await hashTask;
                        foreach (var (path, entry) in hashed)
                        {
                            sizes[path] = entry.Size;
                        }

                        changed = artifacts.Where(a => !Same(a, hashed[a.LocalPath], onDevice, records)).ToList();
                    }
                    else
                    {
                        changed = [.. artifacts];
                    }

                    uploads = Uploads(changed, sizes);
                    _log.Detail(string.Create(CultureInfo.InvariantCulture, $"checked {artifacts.Count} file(s) here and on the device in {stopwatch.ElapsedMilliseconds} ms: {artifacts.Count - changed.Count} unchanged on '{_device.Name}'"));
                    byTarget = changed.ToDictionary(a => a.TargetPath, StringComparer.Ordinal);
                    sendStarted = stopwatch.Elapsed;
                    var sent = uploads;
                    return ManifestPath is not null && (changed.Count > 0 || !manifestOnDevice)
                        ? new BatchPutRequest(sent, ManifestPath, RecordTextSource: async _ =>
                        {
                            Record(sent, await hashTask, records);
                            return DeviceManifest.Format(Current(artifacts, records));
                        })
                        : new BatchPutRequest(sent);
                },
                upload => Sent(byTarget, upload),
                cancellationToken);
            hashes = await hashTask;
            Record(uploads, hashes, records);
            if (changed.Count > 0)
            {
                _log.Detail(string.Create(CultureInfo.InvariantCulture, $"sent {changed.Count} file(s) in {(stopwatch.Elapsed - sendStarted).TotalMilliseconds:F0} ms"));
            }

            if (problem is not null)
            {
                _log.Warning(
                    DeployCodes.ManifestNotWritten,
                    $"cannot write the deploy manifest {ManifestPath} on device '{_device.Name}' ({problem}); the local cache still avoids resending. Set DeviceTestDeployManifest to a writable path on the device.");
            }
        }
        else
        {
            // Ask the device (one round trip) while looking at the files here.
            sizes = artifacts.Select(a => a.LocalPath).Distinct(StringComparer.Ordinal).ToDictionary(p => p, p => new FileInfo(p).Length, StringComparer.Ordinal);
            var onDevice = await _batch.StatAsync(paths, cancellationToken);
            manifestOnDevice = ManifestPath is not null && onDevice.ContainsKey(ManifestPath);
            await MergeManifestAsync(artifacts, onDevice, manifestOnDevice, cache, records, cancellationToken);

            // Only files the device may already hold need their hash now; the others go anyway and are hashed meanwhile.
            var candidates = artifacts.Where(a => Candidate(a, sizes, onDevice, records)).ToList();
            hashes = await HashAsync(candidates, cache, cancellationToken);
            changed = artifacts.Where(a => !hashes.ContainsKey(a.LocalPath) || !Same(a, hashes[a.LocalPath], onDevice, records)).ToList();
            _log.Detail(string.Create(CultureInfo.InvariantCulture, $"checked {artifacts.Count} file(s) here and on the device in {stopwatch.ElapsedMilliseconds} ms: {artifacts.Count - changed.Count} unchanged on '{_device.Name}'"));
            if (changed.Count > 0)
            {
                var byTarget = changed.ToDictionary(a => a.TargetPath, StringComparer.Ordinal);
                var uploads = Uploads(changed, sizes);
                var putStarted = stopwatch.Elapsed;
                var hashRest = HashAsync(changed.Where(a => !hashes.ContainsKey(a.LocalPath)).ToList(), cache, cancellationToken);
                await _batch.PutManyAsync(uploads, upload => Sent(byTarget, upload), cancellationToken);
                foreach (var (path, hash) in await hashRest)
                {
                    hashes[path] = hash;
                }

                _log.Detail(string.Create(CultureInfo.InvariantCulture, $"sent {changed.Count} file(s) in {(stopwatch.Elapsed - putStarted).TotalMilliseconds:F0} ms"));
                if (_batch is FallbackBatchTransfer)
                {
                    // Plain puts do not keep the modification time: ask the device what it now holds.
                    var after = await _batch.StatAsync(changed.Select(a => a.TargetPath).ToList(), cancellationToken);
                    foreach (var artifact in changed)
                    {
                        if (after.TryGetValue(artifact.TargetPath, out var state))
                        {
                            records[artifact.TargetPath] = new DeployRecord(hashes[artifact.LocalPath].Sha256, state.Size, state.ModifiedUnixSeconds, state.Mode);
                        }
                    }
                }
                else
                {
                    Record(uploads, hashes, records);
                }
            }

            if (ManifestPath is not null && (changed.Count > 0 || !manifestOnDevice))
            {
                await WriteManifestAsync(Current(artifacts, records), cancellationToken);
            }
        }

        cache.Local.Clear();
        foreach (var (path, hash) in hashes)
        {
            cache.Local[path] = hash;
        }

        cache.Device.Clear();
        foreach (var (target, record) in Current(artifacts, records))
        {
            cache.Device[target] = record;
        }

        if (CacheFile is not null)
        {
            try
            {
                cache.Save(CacheFile, DeviceKey);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _log.Warning(DeployCodes.ManifestNotWritten, $"cannot write the deploy cache {CacheFile}: {e.Message}");
            }
        }

        return new DeploySummary(changed.Count, artifacts.Count - changed.Count, bytes, stopwatch.Elapsed);
    }

    /// <summary>Files the local cache knows nothing of are on the device: maybe another machine deployed them, so the
    /// device's manifest (if any) supplies their records.</summary>
    private async Task MergeManifestAsync(
        IReadOnlyList<ArtifactSpec> artifacts,
        IReadOnlyDictionary<string, RemoteFileState> onDevice,
        bool manifestOnDevice,
        DeployCache cache,
        Dictionary<string, DeployRecord> records,
        CancellationToken cancellationToken)
    {
        if (manifestOnDevice && artifacts.Any(a => onDevice.ContainsKey(a.TargetPath) && !cache.Device.ContainsKey(a.TargetPath)))
        {
            foreach (var (target, record) in await ReadManifestAsync(cancellationToken))
            {
                records.TryAdd(target, record);
            }
        }
    }

    /// <summary>What to send, with each file's mode and time; its size goes into <paramref name="sizes"/> (one stat
    /// per file for all three: for 2,000 files, 4,000 fewer system calls than asking for each).</summary>
    private static List<FileUpload> Uploads(List<ArtifactSpec> changed, Dictionary<string, long> sizes)
    {
        var uploads = new List<FileUpload>(changed.Count);
        foreach (var artifact in changed)
        {
            var info = new FileInfo(artifact.LocalPath);
            var mode = artifact.Mode ?? (OperatingSystem.IsWindows() ? 0x1A4 : (int)info.UnixFileMode & 0xFFF);
            sizes[artifact.LocalPath] = info.Length;
            uploads.Add(new FileUpload(artifact.LocalPath, artifact.TargetPath, mode, info.LastWriteTimeUtc));
        }

        return uploads;
    }

    /// <summary>Batch transfers give the copies the mode and the modification time (to the second) they were given.</summary>
    private static void Record(List<FileUpload> uploads, Dictionary<string, LocalHashEntry> hashes, Dictionary<string, DeployRecord> records)
    {
        foreach (var upload in uploads)
        {
            var hash = hashes[upload.LocalPath];
            records[upload.RemotePath] = new DeployRecord(
                hash.Sha256, hash.Size, new DateTimeOffset(upload.LastWriteTimeUtc!.Value).ToUnixTimeSeconds(), upload.Mode!.Value);
        }
    }

    /// <summary>The records of the artifacts deployed now (records of other paths are dropped).</summary>
    private static List<KeyValuePair<string, DeployRecord>> Current(IReadOnlyList<ArtifactSpec> artifacts, Dictionary<string, DeployRecord> records) =>
        artifacts.Where(a => records.ContainsKey(a.TargetPath)).Select(a => new KeyValuePair<string, DeployRecord>(a.TargetPath, records[a.TargetPath])).ToList();

    /// <summary>True when the device has a file of the recorded size at the target: it may be the same (the hash decides).</summary>
    private static bool MayBeOnDevice(ArtifactSpec artifact, IReadOnlyDictionary<string, RemoteFileState> onDevice, Dictionary<string, DeployRecord> records) =>
        records.TryGetValue(artifact.TargetPath, out var record) &&
        onDevice.TryGetValue(artifact.TargetPath, out var state) &&
        record.Size == state.Size;

    /// <summary>True when the device has a file at the target whose record and size could make it the same.</summary>
    private static bool Candidate(
        ArtifactSpec artifact,
        Dictionary<string, long> sizes,
        IReadOnlyDictionary<string, RemoteFileState> onDevice,
        Dictionary<string, DeployRecord> records) =>
        records.TryGetValue(artifact.TargetPath, out var record) &&
        onDevice.TryGetValue(artifact.TargetPath, out var state) &&
        record.Size == state.Size && state.Size == sizes[artifact.LocalPath];

    /// <summary>True when the device still holds what the record says, and the record has this content and mode.</summary>
    private static bool Same(
        ArtifactSpec artifact,
        LocalHashEntry hash,
        IReadOnlyDictionary<string, RemoteFileState> onDevice,
        Dictionary<string, DeployRecord> records)
    {
        var wanted = artifact.Mode ?? hash.Mode;
        return records.TryGetValue(artifact.TargetPath, out var record) &&
            onDevice.TryGetValue(artifact.TargetPath, out var state) &&
            record.Sha256 == hash.Sha256 &&
            record.Size == state.Size && state.Size == hash.Size &&
            record.ModifiedUnixSeconds == state.ModifiedUnixSeconds &&
            record.Mode == state.Mode && state.Mode == wanted;
    }

    private static Task<Dictionary<string, LocalHashEntry>> HashAsync(
        IReadOnlyList<ArtifactSpec> artifacts, DeployCache cache, CancellationToken cancellationToken, int parallelism = 0) =>
        LocalHashes.ComputeAsync(
            artifacts.Select(a => a.LocalPath).Distinct(StringComparer.Ordinal).ToList(),
            cache,
            parallelism > 0 ? parallelism : Environment.ProcessorCount,
            cancellationToken);

    private async Task<Dictionary<string, DeployRecord>> ReadManifestAsync(CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(Path.GetTempPath(), "devicetest-manifest-" + Guid.NewGuid().ToString("N"));
        try
        {
            await _device.Files.GetAsync(ManifestPath!, temporary, cancellationToken);
            return DeviceManifest.Parse(await File.ReadAllTextAsync(temporary, cancellationToken));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Detail($"cannot read the deploy manifest {ManifestPath} on '{_device.Name}': {e.Message}");
            return [];
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private async Task WriteManifestAsync(List<KeyValuePair<string, DeployRecord>> records, CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(Path.GetTempPath(), "devicetest-manifest-" + Guid.NewGuid().ToString("N"));
        try
        {
            await File.WriteAllTextAsync(temporary, DeviceManifest.Format(records), cancellationToken);
            await _device.Files.PutAsync(temporary, ManifestPath!, 0x1A4, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Warning(
                DeployCodes.ManifestNotWritten,
                $"cannot write the deploy manifest {ManifestPath} on device '{_device.Name}' ({e.Message}); the local cache still avoids resending. Set DeviceTestDeployManifest to a writable path on the device.");
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
