namespace DeviceTest.TestAdapter.JUnit;

/// <summary>
/// The one place where async work is waited for synchronously: VSTest's entry points (<c>ITestExecutor.RunTests</c>,
/// logger events) are synchronous and must not return before the work is done. The work runs on the thread pool,
/// so no synchronization context can deadlock it.
/// </summary>
internal static class SyncBridge
{
    public static void Run(Func<Task> work) => Task.Run(work).GetAwaiter().GetResult();

    public static T Run<T>(Func<Task<T>> work) => Task.Run(work).GetAwaiter().GetResult();
}
