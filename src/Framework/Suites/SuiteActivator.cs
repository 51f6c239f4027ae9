using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using DeviceTest.Hardware;

namespace DeviceTest.Framework.Suites;

/// <summary>
/// Picks a suite's public constructor and its arguments: the one with the most parameters that can all be supplied.
/// The result is either a plan (constructor + arguments), a skip reason (the device lacks a console or power the
/// suite needs) or an error users can act on.
/// </summary>
internal static class SuiteActivator
{
    internal sealed record Plan(ConstructorInfo? Constructor, object?[] Arguments, string? SkipReason, string? Error);

    public static Plan Resolve(
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] Type type,
        IDevice device,
        TextWriter log,
        IServiceProvider? services)
    {
        var typeName = SuiteNames.TypeName(type);
        var constructors = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .OrderByDescending(c => c.GetParameters().Length)
            .ToArray();
        if (constructors.Length == 0)
        {
            return new Plan(null, [], null, $"suite {typeName} has no public constructor; add one (it may take IDevice)");
        }

        string? firstError = null;
        string? firstSkip = null;
        foreach (var constructor in constructors)
        {
            var parameters = constructor.GetParameters();
            var arguments = new object?[parameters.Length];
            string? error = null;
            string? skip = null;
            for (var i = 0; i < parameters.Length && error is null && skip is null; i++)
            {
                (arguments[i], error, skip) = Argument(parameters[i], typeName, device, log, services);
            }

            if (error is null && skip is null)
            {
                return new Plan(constructor, arguments, null, null);
            }

            firstError ??= error;
            firstSkip ??= skip;
        }

        return firstSkip is not null ? new Plan(null, [], firstSkip, null) : new Plan(null, [], null, firstError);
    }

    private static (object? Value, string? Error, string? Skip) Argument(
        ParameterInfo parameter, string typeName, IDevice device, TextWriter log, IServiceProvider? services)
    {
        var type = parameter.ParameterType;
        if (type == typeof(IDevice))
        {
            return (device, null, null);
        }

        if (type == typeof(IFileTransfer))
        {
            return (device.Files, null, null);
        }

        if (type == typeof(TextWriter))
        {
            return (log, null, null);
        }

        if (type == typeof(IDeviceConsole))
        {
            return device.Console is not null || IsNullable(parameter)
                ? (device.Console, null, null)
                : (null, null, $"suite needs a console (constructor parameter '{parameter.Name}') and device '{device.Name}' has none; declare it 'IDeviceConsole?' if the suite can do without");
        }

        if (type == typeof(IPower))
        {
            return device.Power is not null || IsNullable(parameter)
                ? (device.Power, null, null)
                : (null, null, $"suite needs power control (constructor parameter '{parameter.Name}') and device '{device.Name}' has none; declare it 'IPower?' if the suite can do without");
        }

        if (services?.GetService(type) is { } service)
        {
            return (service, null, null);
        }

        if (parameter.HasDefaultValue)
        {
            return (parameter.DefaultValue, null, null);
        }

        return (null, $"cannot create suite {typeName}: its constructor parameter '{parameter.Name}' of type {type.Name} cannot be supplied; " +
            "a suite's constructor can take IDevice, IDeviceConsole, IPower, IFileTransfer and TextWriter (the test's output)" +
            (services is null ? string.Empty : ", and what SuiteRunOptions.Services provides"), null);
    }

    private static bool IsNullable(ParameterInfo parameter)
    {
        try
        {
            return new NullabilityInfoContext().Create(parameter).WriteState == NullabilityState.Nullable;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
