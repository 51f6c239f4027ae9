namespace DeviceTest.Framework.Results.Writing;

/// <summary>
/// The life of a results file that JUnit and TRX writers share: results spool next to the target under one gate,
/// <see cref="CompleteAsync"/> publishes the target in one atomic replace, and after completion or disposal no more
/// results are taken. The writer supplies what to append and how to write the final file.
/// </summary>
internal sealed class SpooledResultFile : IAsyncDisposable
{
    private readonly ResultFileSpool _spool;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _formatName;
    private readonly Type _owner;
    private readonly Action? _whenAbandoned;
    private bool _completed;
    private bool _disposed;

    /// <param name="path">The file to write (created or replaced when the run completes).</param>
    /// <param name="formatName">Names the format in error messages ("JUnit", "TRX").</param>
    /// <param name="owner">The public writer, named when it is used after disposal.</param>
    /// <param name="whenAbandoned">Runs on disposal when the file was never completed (under the gate).</param>
    public SpooledResultFile(string path, string formatName, Type owner, Action? whenAbandoned = null)
    {
        _spool = new ResultFileSpool(path, formatName);
        _formatName = formatName;
        _owner = owner;
        _whenAbandoned = whenAbandoned;
    }

    /// <summary>The absolute path of the file this produces.</summary>
    public string TargetPath => _spool.TargetPath;

    /// <summary>The folder the file is written to.</summary>
    public string TargetDirectory => _spool.TargetDirectory;

    /// <summary>Throws when the writer has been disposed (for work done before taking the gate).</summary>
    public void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, _owner);

    /// <summary>Runs <paramref name="add"/> under the gate, once it is sure the file still takes results.</summary>
    public async Task AddAsync(Func<ResultFileSpool, Task> add, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfClosed();
            await add(_spool).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Writes the target with <paramref name="write"/> in one atomic replace. A token that is already cancelled does
    /// not stop the write; a cancellation during the write stops it and leaves the target as it was.
    /// </summary>
    public async Task CompleteAsync(Func<FinalFileWriter, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            cancellationToken = CancellationToken.None;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfClosed();
            await _spool.PublishAsync(write, cancellationToken).ConfigureAwait(false);
            _completed = true;
        }
        finally
        {
            _gate.Release();
        }

        await _spool.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Removes the spool files (the target is left as it is).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            await _spool.DisposeAsync().ConfigureAwait(false);
            if (!_completed)
            {
                _whenAbandoned?.Invoke();
            }
        }
        finally
        {
            _gate.Release();
        }

        _gate.Dispose();
    }

    private void ThrowIfClosed()
    {
        ThrowIfDisposed();
        if (_completed)
        {
            throw new InvalidOperationException($"The {_formatName} file '{TargetPath}' is already complete; no more results can be added.");
        }
    }
}
