namespace DeviceTest.Agent.Gateway;

/// <summary>The device's aktualizr-lite configuration cannot be used to reach the device gateway; the message says why and what to do.</summary>
public sealed class SotaConfigException : Exception
{
    public SotaConfigException()
    {
    }

    public SotaConfigException(string message)
        : base(message)
    {
    }

    public SotaConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
