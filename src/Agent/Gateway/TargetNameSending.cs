namespace DeviceTest.Agent.Gateway;

/// <summary>How <c>POST /tests</c> carries the Target name.</summary>
public enum TargetNameSending
{
    /// <summary>
    /// Both the <c>x-ats-target</c> header (what fiotest sends and dg-satellite reads) and a <c>"target"</c> body field
    /// (what the docs show and fioconfig sends since 2026-02). Gateways ignore the one they do not know.
    /// </summary>
    HeaderAndBody,

    /// <summary>Only the <c>x-ats-target</c> header.</summary>
    Header,

    /// <summary>Only the <c>"target"</c> body field.</summary>
    Body,
}
