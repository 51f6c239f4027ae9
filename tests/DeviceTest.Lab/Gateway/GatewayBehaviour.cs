namespace DeviceTest.Lab.Gateway;

/// <summary>How the stand-in answers requests on its mTLS endpoint.</summary>
public enum GatewayBehaviour
{
    /// <summary>Like a device gateway.</summary>
    Normal,

    /// <summary>500 to everything (the request is recorded, nothing is stored).</summary>
    Fail,

    /// <summary>Never answers (until the client gives up or the stand-in stops).</summary>
    Hang,

    /// <summary>Answers <see cref="GatewayStandIn.RefuseStatus"/> (a 4xx) to everything.</summary>
    Refuse,
}
