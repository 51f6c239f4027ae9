namespace DeviceTest.Framework.Suites;

internal static class SuiteNames
{
    /// <summary><c>Namespace.Outer.Inner</c>: nested types joined by dots so that ids split on dots.</summary>
    public static string TypeName(Type type) => (type.FullName ?? type.Name).Replace('+', '.');
}
