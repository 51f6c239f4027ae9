using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using DeviceTest.Framework.Specs;
using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Framework.Suites;

/// <summary>
/// Finds <see cref="DeviceSuiteAttribute"/> classes and their tests by reflection, without running any of them
/// (no suite is instantiated). Problems become <see cref="SuiteDiagnostic"/>s, never exceptions.
/// </summary>
/// <remarks>
/// Tests are listed in declaration order: the order of their metadata tokens, which the C# compiler assigns in source
/// order within a class (for a partial class, file by file in the order the compiler saw the files). Methods inherited
/// from base classes come first, base class by base class. Source files and lines come from the assembly's portable
/// PDB (beside the dll, at the path the dll names, or embedded); without one they are null.
/// </remarks>
public static class SuiteDiscoverer
{
    internal const string ReflectionMessage = "C# device suites are found and run by reflection over the test assembly.";

    private const BindingFlags DeclaredMethods =
        BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    /// <summary>Loads the assembly at <paramref name="assemblyPath"/> and discovers its suites.</summary>
    /// <remarks>A file that cannot be loaded gives an empty result with one error diagnostic.</remarks>
    [RequiresUnreferencedCode(ReflectionMessage)]
    public static SuiteDiscoveryResult Discover(string assemblyPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(assemblyPath);
        Assembly assembly;
        try
        {
            assembly = Assembly.LoadFrom(Path.GetFullPath(assemblyPath));
        }
        catch (Exception e) when (e is IOException or BadImageFormatException or UnauthorizedAccessException or ArgumentException)
        {
            return new SuiteDiscoveryResult(
                [],
                [new SuiteDiagnostic(DiagnosticSeverity.Error, "DT1000", $"cannot load '{assemblyPath}': {e.Message}", null, null, assemblyPath, null)]);
        }

        return Discover(assembly);
    }

    /// <summary>Discovers the suites of an assembly, ordered by type name.</summary>
    [RequiresUnreferencedCode(ReflectionMessage)]
    public static SuiteDiscoveryResult Discover(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var diagnostics = new List<SuiteDiagnostic>();
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = [.. e.Types.OfType<Type>()];
            var first = e.LoaderExceptions.FirstOrDefault(x => x is not null)?.Message ?? e.Message;
            diagnostics.Add(new SuiteDiagnostic(
                DiagnosticSeverity.Warning, "DT1001", $"some types of {assembly.GetName().Name} could not be loaded ({first}); their suites are missing", null, null, null, null));
        }

        using var locator = SourceLocator.Open(assembly);
        var suites = new List<SuiteDescriptor>();
        foreach (var type in types.OrderBy(t => SuiteNames.TypeName(t), StringComparer.Ordinal))
        {
            if (DiscoverType(type, locator, diagnostics) is { } suite)
            {
                suites.Add(suite);
            }
        }

        return new SuiteDiscoveryResult(suites, diagnostics);
    }

    /// <summary>Discovers one suite class (a type without <see cref="DeviceSuiteAttribute"/> gives an empty result).</summary>
    [RequiresUnreferencedCode(ReflectionMessage)]
    public static SuiteDiscoveryResult Discover([DynamicallyAccessedMembers(SuiteDescriptor.SuiteMembers)] Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var diagnostics = new List<SuiteDiagnostic>();
        using var locator = SourceLocator.Open(type.Assembly);
        var suite = DiscoverType(type, locator, diagnostics);
        return new SuiteDiscoveryResult(suite is null ? [] : [suite], diagnostics);
    }

    [RequiresUnreferencedCode(ReflectionMessage)]
    private static SuiteDescriptor? DiscoverType(Type type, SourceLocator locator, List<SuiteDiagnostic> diagnostics)
    {
        if (!type.IsClass || type.IsAbstract)
        {
            return null;
        }

        DeviceSuiteAttribute? attribute;
        try
        {
            attribute = type.GetCustomAttribute<DeviceSuiteAttribute>(inherit: true);
        }
        catch (Exception e) when (e is TypeLoadException or FileNotFoundException or CustomAttributeFormatException)
        {
            return null;
        }

        if (attribute is null)
        {
            WarnAboutTestsOutsideSuites(type, locator, diagnostics);
            return null;
        }

        var typeName = SuiteNames.TypeName(type);
        if (type.ContainsGenericParameters)
        {
            diagnostics.Add(new SuiteDiagnostic(
                DiagnosticSeverity.Error, "DT1002", $"suite {typeName} is generic; a suite must be a concrete, non-generic class", typeName, null, null, null));
            return null;
        }

        var classTags = Tags(type.GetCustomAttributes<RequiresTagsAttribute>(inherit: true));
        var suite = new SuiteDescriptor(type, string.IsNullOrWhiteSpace(attribute.Name) ? typeName : attribute.Name, classTags);

        var setups = new List<SuiteHookDescriptor>();
        var teardowns = new List<SuiteHookDescriptor>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var displayNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var method in MethodsInDeclarationOrder(type))
        {
            var test = method.GetCustomAttribute<DeviceTestAttribute>(inherit: true);
            var setup = method.GetCustomAttribute<DeviceSetupAttribute>(inherit: true);
            var teardown = method.GetCustomAttribute<DeviceTeardownAttribute>(inherit: true);
            var roles = (test is null ? 0 : 1) + (setup is null ? 0 : 1) + (teardown is null ? 0 : 1);
            if (roles == 0)
            {
                continue;
            }

            var (file, line) = locator.Find(method);
            void Report(DiagnosticSeverity severity, string code, string message) =>
                diagnostics.Add(new SuiteDiagnostic(severity, code, message, typeName, method.Name, file, line));

            if (roles > 1)
            {
                Report(DiagnosticSeverity.Error, "DT1003", $"{typeName}.{method.Name} has more than one of [DeviceTest], [DeviceSetup] and [DeviceTeardown]; it is ignored");
                continue;
            }

            var role = test is not null ? "test" : setup is not null ? "setup" : "teardown";
            var problem = SignatureProblem(method, role);
            var timeoutText = test?.Timeout ?? setup?.Timeout ?? teardown?.Timeout;
            TimeSpan? timeout = null;
            if (timeoutText is not null)
            {
                if (DurationText.TryParseWithUnit(timeoutText, out var parsed) && parsed > TimeSpan.Zero)
                {
                    timeout = parsed;
                }
                else
                {
                    problem ??= $"{role} {typeName}.{method.Name} has Timeout = \"{timeoutText}\", which is not a positive duration; write it as {DurationText.UnitForms}";
                }
            }

            if (problem is not null)
            {
                Report(DiagnosticSeverity.Error, "DT1004", problem);
            }

            if (test is null)
            {
                var hook = new SuiteHookDescriptor(suite, method) { Timeout = timeout, Problem = problem, SourceFile = file, SourceLine = line };
                (setup is not null ? setups : teardowns).Add(hook);
                continue;
            }

            if (!names.Add(method.Name))
            {
                Report(DiagnosticSeverity.Error, "DT1005", $"{typeName} has more than one test method named {method.Name}; test names must be unique in a suite, so this overload is ignored");
                continue;
            }

            var displayName = string.IsNullOrWhiteSpace(test.Name) ? method.Name : test.Name;
            if (!displayNames.Add(displayName))
            {
                Report(DiagnosticSeverity.Warning, "DT1006", $"{typeName} has more than one test shown as \"{displayName}\"; give them different names");
            }

            var methodTags = Tags(method.GetCustomAttributes<RequiresTagsAttribute>(inherit: true));
            suite.Add(new SuiteTestDescriptor(suite, method, suite.Tests.Count)
            {
                DisplayName = displayName,
                Timeout = timeout,
                RequiredTags = [.. classTags.Concat(methodTags).Distinct(StringComparer.Ordinal)],
                SkipReason = string.IsNullOrWhiteSpace(test.Skip) ? null : test.Skip,
                Problem = problem,
                SourceFile = file,
                SourceLine = line,
            });
        }

        suite.Setups = setups;
        suite.Teardowns = teardowns;
        return suite;
    }

    /// <summary>Base classes first; within a class, metadata token order (= source order). Overridden methods appear once, where first declared.</summary>
    [RequiresUnreferencedCode(ReflectionMessage)]
    private static List<MethodInfo> MethodsInDeclarationOrder(Type type)
    {
        var chain = new List<Type>();
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            chain.Add(t);
        }

        chain.Reverse();
        var result = new List<MethodInfo>();
        var positionByBase = new Dictionary<MethodInfo, int>();
        foreach (var t in chain)
        {
            foreach (var method in t.GetMethods(DeclaredMethods).OrderBy(m => m.MetadataToken))
            {
                var baseDefinition = method.GetBaseDefinition();
                if (!method.IsStatic && baseDefinition != method && positionByBase.TryGetValue(baseDefinition, out var position))
                {
                    result[position] = method;
                    continue;
                }

                positionByBase[baseDefinition] = result.Count;
                result.Add(method);
            }
        }

        return result;
    }

    [RequiresUnreferencedCode(ReflectionMessage)]
    private static void WarnAboutTestsOutsideSuites(Type type, SourceLocator locator, List<SuiteDiagnostic> diagnostics)
    {
        MethodInfo[] methods;
        try
        {
            methods = type.GetMethods(DeclaredMethods);
        }
        catch (Exception e) when (e is TypeLoadException or FileNotFoundException)
        {
            return;
        }

        var method = methods.OrderBy(m => m.MetadataToken).FirstOrDefault(m => m.IsDefined(typeof(DeviceTestAttribute), inherit: true));
        if (method is not null)
        {
            var typeName = SuiteNames.TypeName(type);
            var (file, line) = locator.Find(method);
            diagnostics.Add(new SuiteDiagnostic(
                DiagnosticSeverity.Warning,
                "DT1007",
                $"{typeName}.{method.Name} has [DeviceTest] but {typeName} has no [DeviceSuite]; add [DeviceSuite] to the class, or its tests are not run",
                typeName,
                method.Name,
                file,
                line));
        }
    }

    private static string? SignatureProblem(MethodInfo method, string role)
    {
        var what = $"{role} {SuiteNames.TypeName(method.DeclaringType!)}.{method.Name}";
        const string Shapes = "write it as 'public async Task Name(CancellationToken ct)' (also allowed: no parameter, ValueTask or void)";
        if (method.IsStatic)
        {
            return $"{what} is static; device tests are instance methods: {Shapes}";
        }

        if (method.IsGenericMethodDefinition)
        {
            return $"{what} is generic; {Shapes}";
        }

        var parameters = method.GetParameters();
        if (parameters.Length > 1 || (parameters.Length == 1 && parameters[0].ParameterType != typeof(CancellationToken)))
        {
            var list = string.Join(", ", parameters.Select(p => $"{p.ParameterType.Name} {p.Name}"));
            return $"{what} takes ({list}); a device test takes no parameter or one CancellationToken: {Shapes}";
        }

        var returns = method.ReturnType;
        if (returns == typeof(void))
        {
            return method.GetCustomAttribute<AsyncStateMachineAttribute>() is not null
                ? $"{what} is 'async void', which cannot be awaited; return Task instead: {Shapes}"
                : null;
        }

        if (typeof(Task).IsAssignableFrom(returns) || returns == typeof(ValueTask))
        {
            return null;
        }

        return $"{what} returns {returns.Name}; {Shapes}";
    }

    private static string[] Tags(IEnumerable<RequiresTagsAttribute> attributes) =>
        [.. attributes.SelectMany(a => a.Tags).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).Distinct(StringComparer.Ordinal)];
}
