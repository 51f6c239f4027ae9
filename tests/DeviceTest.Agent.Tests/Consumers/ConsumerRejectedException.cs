namespace DeviceTest.Agent.Tests.Consumers;

/// <summary>The consumer would fail on the file (dorny/test-reporter throws and the report step fails).</summary>
internal sealed class ConsumerRejectedException(string message) : Exception(message);
