using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Hardware.Configuration;

/// <summary>
/// Diagnostic codes for devices files (<c>devices.yml</c>): the DT1xxx range, one code per kind of problem.
/// DT10xx: reading and YAML; DT102x: keys and values; DT103x and up: device rules.
/// </summary>
public static class DeviceFileErrorCodes
{
    /// <summary>The devices file does not exist.</summary>
    public const string FileNotFound = "DT1001";

    /// <summary>The path names a directory.</summary>
    public const string IsDirectory = "DT1002";

    /// <summary>The file cannot be read (permissions, I/O).</summary>
    public const string Unreadable = "DT1003";

    /// <summary>The file is larger than 8 MiB.</summary>
    public const string TooLarge = "DT1004";

    /// <summary>The file is not valid UTF-8 (the position of the first bad byte is given).</summary>
    public const string NotUtf8 = "DT1005";

    /// <summary>The file holds no YAML document.</summary>
    public const string Empty = "DT1006";

    /// <summary>YAML syntax error.</summary>
    public const string Syntax = "DT1010";

    /// <summary>More than one YAML document.</summary>
    public const string MultipleDocuments = "DT1011";

    /// <summary>A key appears twice in one mapping.</summary>
    public const string DuplicateKey = "DT1012";

    /// <summary>A key the format does not know (with a "did you mean" when one is close).</summary>
    public const string UnknownKey = "DT1020";

    /// <summary>A value of the wrong kind.</summary>
    public const string WrongType = "DT1021";

    /// <summary>A required key is missing.</summary>
    public const string MissingKey = "DT1022";

    /// <summary>A key without a value, or an empty one.</summary>
    public const string EmptyValue = "DT1023";

    /// <summary>Not a whole number.</summary>
    public const string NotANumber = "DT1024";

    /// <summary>A number out of its range: a negative value, a port outside 1..65535.</summary>
    public const string OutOfRange = "DT1025";

    /// <summary>A duration not written 90s, 5m, 1h30m, hh:mm:ss or whole seconds.</summary>
    public const string BadDuration = "DT1026";

    /// <summary>The document is not a mapping with a <c>devices:</c> key.</summary>
    public const string NotAMapping = "DT1030";

    /// <summary>A device has none of <c>ssh</c>, <c>serial</c>, <c>qemu</c> (nor <c>flash</c>: a flashing station).</summary>
    public const string NoConnection = "DT1031";

    /// <summary>A device is named <c>local</c>, which is built in.</summary>
    public const string ReservedName = "DT1032";

    /// <summary><c>serial.port</c> is neither a path nor <c>tcp://host:port</c> / <c>rfc2217://host:port</c>, or <c>serial.driver</c> is unknown or set for a network port.</summary>
    public const string BadSerialPort = "DT1033";

    /// <summary><c>power</c> does not have exactly one of <c>command</c> and <c>pdudaemon</c>.</summary>
    public const string PowerBackend = "DT1034";

    /// <summary><c>pdudaemon.url</c> is not an absolute http(s) URL.</summary>
    public const string BadUrl = "DT1035";

    /// <summary>A prompt that is not a valid regular expression.</summary>
    public const string BadRegex = "DT1036";

    /// <summary>A <c>qemu.forwards</c> item not in QEMU's hostfwd syntax.</summary>
    public const string BadForward = "DT1037";

    /// <summary>A <c>qemu</c> section with neither <c>kernel</c> nor <c>disk</c>.</summary>
    public const string QemuNoImage = "DT1038";

    /// <summary>A <c>qemu.arch</c> other than x86_64 or aarch64.</summary>
    public const string BadArch = "DT1039";

    /// <summary>A device name with characters other than letters, digits, '.', '_' and '-'.</summary>
    public const string BadDeviceName = "DT1040";

    /// <summary>Warning: a section has no effect (e.g. <c>shell</c> without a console).</summary>
    public const string UnusedSection = "DT1041";

    /// <summary>A <c>screen</c>/<c>keyboard</c> command without its placeholder (<c>{output}</c>, <c>{key}</c>).</summary>
    public const string MissingPlaceholder = "DT1042";

    /// <summary><c>screen</c> does not have exactly one of <c>command</c> and <c>url</c>.</summary>
    public const string ScreenBackend = "DT1043";

    /// <summary>A <c>keyboard</c> without <c>command</c> on a device that is not a QEMU board.</summary>
    public const string NoKeyboardCommand = "DT1044";

    /// <summary>A <c>flash</c> section without exactly one of <c>disk</c> and <c>command</c>, a command without <c>{image}</c>, a relative disk.</summary>
    public const string FlashSection = "DT1045";

    /// <summary><c>flash</c> on a QEMU board (flashing writes <c>qemu.disk</c>).</summary>
    public const string FlashCombination = "DT1046";

    /// <summary>The code for a problem found by the shared YAML reader.</summary>
    public static string For(YamlProblem problem) => YamlProblemCodes.Code(1000, problem);
}
