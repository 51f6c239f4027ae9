using System.Reflection;

namespace DeviceTest.Framework.Suites;

/// <summary>
/// Runs user code (a test, setup, teardown or constructor) on the thread pool with a timeout: on timeout or run
/// cancellation its token is cancelled, it gets a grace period to stop, and after that it is left running and reported.
/// </summary>
internal static class GuardedCall
{
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(40);

    public static async Task<GuardedOutcome> RunAsync(
        Func<CancellationToken, Task> body,
        TimeSpan timeout,
        SuiteRunOptions options,
        CancellationToken runToken)
    {
        // CancellationTokenSource takes at most ~49 days; longer limits mean "no limit".
        var limit = timeout > MaxTimeout ? Timeout.InfiniteTimeSpan : timeout;
        var timeoutSource = new CancellationTokenSource(limit, options.TimeProvider);
        var linked = CancellationTokenSource.CreateLinkedTokenSource(runToken, timeoutSource.Token);
        var abandoned = false;
        try
        {
            var token = linked.Token;
            var timedOutBeforeEnd = false;
            var task = Task.Run(
                async () =>
                {
                    try
                    {
                        await body(token).ConfigureAwait(false);
                    }
                    finally
                    {
                        // Read when the call ended: a call that ends (even successfully) after its time is up timed out.
                        timedOutBeforeEnd = timeoutSource.IsCancellationRequested;
                    }
                },
                CancellationToken.None);
            await task.WaitAsync(token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (!task.IsCompleted)
            {
                await task.WaitAsync(options.CancelGracePeriod, options.TimeProvider, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            if (!task.IsCompleted)
            {
                // It ignores its token: leave it behind (observing its eventual exception) and go on.
                abandoned = true;
                _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                var kind = runToken.IsCancellationRequested && !timeoutSource.IsCancellationRequested ? GuardedKind.Cancelled : GuardedKind.TimedOut;
                return new GuardedOutcome(kind, null, Abandoned: true, timeout);
            }

            Exception? exception = null;
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (Exception e)
            {
                exception = Unwrap(e);
            }

            var timedOut = timedOutBeforeEnd && !runToken.IsCancellationRequested;
            if (exception is null && !timedOut)
            {
                return new GuardedOutcome(GuardedKind.Passed, null, Abandoned: false, timeout);
            }

            if (exception is SkipTestException)
            {
                return new GuardedOutcome(GuardedKind.Skipped, exception, Abandoned: false, timeout);
            }

            if (timedOut)
            {
                return new GuardedOutcome(GuardedKind.TimedOut, exception, Abandoned: false, timeout);
            }

            if (runToken.IsCancellationRequested && exception is OperationCanceledException)
            {
                return new GuardedOutcome(GuardedKind.Cancelled, exception, Abandoned: false, timeout);
            }

            return new GuardedOutcome(GuardedKind.Failed, exception, Abandoned: false, timeout);
        }
        finally
        {
            // A test left running may still use its token; its sources then stay undisposed.
            if (!abandoned)
            {
                linked.Dispose();
                timeoutSource.Dispose();
            }
        }
    }

    /// <summary>Calls a suite method with its token when it takes one, awaiting what it returns.</summary>
    public static async Task InvokeAsync(object instance, MethodInfo method, CancellationToken cancellationToken)
    {
        object?[]? arguments = method.GetParameters().Length == 1 ? [cancellationToken] : null;
        var returned = method.Invoke(instance, BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null);
        switch (returned)
        {
            case Task task:
                await task.ConfigureAwait(false);
                break;
            case ValueTask valueTask:
                await valueTask.ConfigureAwait(false);
                break;
        }
    }

    public static Exception Unwrap(Exception exception)
    {
        while (true)
        {
            switch (exception)
            {
                case TargetInvocationException { InnerException: { } inner }:
                    exception = inner;
                    continue;
                case AggregateException aggregate:
                    var flat = aggregate.Flatten();
                    if (flat.InnerExceptions.Count == 1)
                    {
                        exception = flat.InnerExceptions[0];
                        continue;
                    }

                    return flat.InnerExceptions.FirstOrDefault(e => e is SkipTestException) ?? aggregate;
                default:
                    return exception;
            }
        }
    }
}
