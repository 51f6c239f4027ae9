namespace DeviceTest.Agent.Gateway.Config;

/// <summary>One <c>key = value</c> line of an aktualizr configuration file, as aktualizr reads it.</summary>
/// <param name="Name">The text before the first <c>=</c>, without the blanks around it (quotes, if any, stay: aktualizr keeps them too).</param>
/// <param name="Value">
/// The text after the first <c>=</c>, without the blanks around it and with every <c>"</c> removed, as aktualizr reads a
/// string: <c>server = "https://gw" # gw</c> is <c>https://gw # gw</c> (there are no comments after a value).
/// </param>
/// <param name="Line">1-based line of the key.</param>
/// <param name="Column">1-based column of the key's first character.</param>
public sealed record AktualizrConfigKey(string Name, string Value, int Line, int Column);
