using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace DeviceTest.Hardware.Configuration;

/// <summary>
/// Loads <c>devices.yml</c> (DESIGN.md §2) into <see cref="DeviceConfig"/>s with every problem reported as
/// <c>file:line:col: error DT1xxx: message</c> (codes: <see cref="DeviceFileErrorCodes"/>). Never throws for
/// mistakes in the file. Passwords become <see cref="Secret"/>s and never appear in messages.
/// </summary>
public static partial class DeviceFileLoader
{
    /// <summary>The built-in device: this machine, commands run as local processes.</summary>
    public const string LocalDeviceName = "local";

    private static readonly string[] DeviceKeys = ["tags", "ssh", "serial", "shell", "power", "qemu"];
    private static readonly string[] SshKeys = ["host", "port", "user", "identity", "options", "connect_timeout"];
    private static readonly string[] SerialKeys = ["port", "baud", "driver"];
    private static readonly string[] ShellKeys = ["prompt", "login", "boot_timeout"];
    private static readonly string[] LoginKeys = ["user", "password", "login_prompt", "password_prompt"];
    private static readonly string[] PowerKeys = ["command", "pdudaemon"];
    private static readonly string[] CommandPowerKeys = ["on", "off", "cycle", "cycle_delay"];
    private static readonly string[] PdudaemonKeys = ["url", "hostname", "port", "cycle_delay"];
    private static readonly string[] QemuKeys =
        ["arch", "binary", "kernel", "initrd", "append", "disk", "memory", "cpus", "forwards", "machine", "extra_args"];

    private static readonly string[] Arches = ["x86_64", "aarch64"];

    /// <summary>A new <see cref="DeviceConfig"/> for the built-in <c>local</c> device.</summary>
    public static DeviceConfig CreateLocal(string? baseDirectory = null) => new()
    {
        Name = LocalDeviceName,
        BaseDirectory = baseDirectory ?? Directory.GetCurrentDirectory(),
    };

    /// <summary>Loads the devices file at <paramref name="path"/>.</summary>
    public static DeviceFileLoadResult Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var reader = NewReader(path);
        return Build(reader, reader.ReadFile());
    }

    /// <summary>Loads the devices file at <paramref name="path"/>, reading it asynchronously.</summary>
    public static async Task<DeviceFileLoadResult> LoadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        var reader = NewReader(path);
        return Build(reader, await reader.ReadFileAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Loads devices from YAML text; <paramref name="filePath"/> names it in diagnostics.</summary>
    public static DeviceFileLoadResult LoadText(string text, string filePath)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(filePath);
        var reader = NewReader(filePath);
        return Build(reader, reader.ReadText(text));
    }

    /// <summary>
    /// Loads the file <see cref="DeviceFileLocator.Locate"/> found; null (no devices file): only <c>local</c>.
    /// </summary>
    public static DeviceFileLoadResult Load(DeviceFileLocation? location) =>
        location is null
            ? new DeviceFileLoadResult { Devices = [CreateLocal()], Diagnostics = [] }
            : Load(location.Path);

    private static YamlDocumentReader NewReader(string path) => new(path, DeviceFileErrorCodes.For);

    private static DeviceFileLoadResult Build(YamlDocumentReader reader, YamlNode? root)
    {
        var baseDirectory = BaseDirectoryOf(reader.FilePath);
        var devices = new List<DeviceConfig> { CreateLocal(baseDirectory) };
        if (root is not null)
        {
            ReadRoot(reader, root, baseDirectory, devices);
        }

        var diagnostics = reader.Diagnostics.OrderBy(d => d.Position.Line).ThenBy(d => d.Position.Column).ToList();
        return new DeviceFileLoadResult { FilePath = reader.FilePath, Devices = devices, Diagnostics = diagnostics };
    }

    private static string BaseDirectoryOf(string filePath)
    {
        try
        {
            return Path.GetDirectoryName(Path.GetFullPath(filePath)) ?? Directory.GetCurrentDirectory();
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return Directory.GetCurrentDirectory();
        }
    }

    private static void ReadRoot(YamlDocumentReader reader, YamlNode root, string baseDirectory, List<DeviceConfig> devices)
    {
        if (root is not YamlMappingNode rootMapping)
        {
            reader.Error(root, DeviceFileErrorCodes.NotAMapping,
                $"a devices file must be a mapping with a `devices:` key, not {YamlDocumentReader.Describe(root)}");
            return;
        }

        var top = new YamlMappingReader(reader, rootMapping, "the devices file");
        top.CheckKeys("devices");
        if (!top.Contains("devices"))
        {
            reader.Error(rootMapping, DeviceFileErrorCodes.MissingKey,
                "the devices file has no `devices:` mapping; list devices under `devices:`");
            return;
        }

        var devicesNode = top.Value("devices", allowNull: true);
        if (devicesNode is null)
        {
            return; // `devices:` with nothing under it: no devices besides local.
        }

        var mapping = reader.AsMapping(devicesNode, "`devices`");
        if (mapping is null)
        {
            return;
        }

        foreach (var (keyNode, valueNode) in mapping.Node.Children)
        {
            var name = reader.AsString(keyNode, "a device name");
            if (name is null)
            {
                continue;
            }

            var errorsBefore = reader.Diagnostics.Count(d => d.IsError);
            if (name == LocalDeviceName)
            {
                reader.Error(keyNode, DeviceFileErrorCodes.ReservedName,
                    "`local` is built in (this machine, commands run as local processes); give this device another name");
                continue;
            }

            if (!DeviceNamePattern().IsMatch(name))
            {
                reader.Error(keyNode, DeviceFileErrorCodes.BadDeviceName,
                    $"device name `{name}` may use only letters, digits, '.', '_' and '-'");
            }

            var device = ReadDevice(reader, name, keyNode, valueNode, baseDirectory);
            if (device is not null && reader.Diagnostics.Count(d => d.IsError) == errorsBefore)
            {
                devices.Add(device);
            }
        }
    }

    private static DeviceConfig? ReadDevice(YamlDocumentReader reader, string name, YamlNode keyNode, YamlNode node, string baseDirectory)
    {
        var map = reader.AsMapping(node, $"device `{name}`");
        if (map is null)
        {
            return null;
        }

        map.CheckKeys(DeviceKeys);
        var tags = map.StringList("tags") ?? [];
        var ssh = map.Mapping("ssh") is { } sshMap ? ReadSsh(sshMap) : null;
        var serial = map.Mapping("serial") is { } serialMap ? ReadSerial(serialMap) : null;
        var shell = map.Mapping("shell") is { } shellMap ? ReadShell(shellMap) : null;
        var power = map.Mapping("power") is { } powerMap ? ReadPower(powerMap) : null;
        var qemu = map.Mapping("qemu") is { } qemuMap ? ReadQemu(qemuMap) : null;

        if (!map.Contains("ssh") && !map.Contains("serial") && !map.Contains("qemu"))
        {
            reader.Error(keyNode, DeviceFileErrorCodes.NoConnection,
                $"device `{name}` has no way to reach it: add an `ssh`, `serial` or `qemu` section");
        }
        else if (map.Contains("shell") && !map.Contains("serial") && !map.Contains("qemu"))
        {
            reader.Warning(map.KeyNode("shell")!, DeviceFileErrorCodes.UnusedSection,
                $"device `{name}`: `shell` is used only with a console (`serial` or `qemu`); it has no effect here");
        }

        return new DeviceConfig
        {
            Name = name,
            Tags = tags,
            Ssh = ssh,
            Serial = serial,
            Shell = shell,
            Power = power,
            Qemu = qemu,
            Position = reader.PositionOf(keyNode),
            BaseDirectory = baseDirectory,
        };
    }

    private static SshConfig? ReadSsh(YamlMappingReader map)
    {
        map.CheckKeys(SshKeys);
        var host = map.Text("host", required: true);
        var port = map.Number("port", 1, 65535);
        var user = map.Text("user");
        var identity = map.Text("identity");
        var options = map.StringMap("options");
        var connectTimeout = map.Duration("connect_timeout");
        if (host is null)
        {
            return null;
        }

        return new SshConfig
        {
            Host = host,
            Port = port,
            User = user,
            Identity = identity is null ? null : ExpandHome(identity),
            Options = options ?? new Dictionary<string, string>(),
            ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(10),
        };
    }

    private static SerialConfig? ReadSerial(YamlMappingReader map)
    {
        map.CheckKeys(SerialKeys);
        var port = map.Text("port", required: true);
        var baud = map.Number("baud", 1);
        if (port is null)
        {
            return null;
        }

        if (!IsValidSerialPort(port, out var problem))
        {
            map.Document.Error(map.Get("port")!, DeviceFileErrorCodes.BadSerialPort, problem);
            return null;
        }

        var driver = ReadSerialDriver(map, port);
        return new SerialConfig { Port = port, Baud = baud ?? 115200, Driver = driver };
    }

    /// <summary><c>driver: termios | system-io-ports</c>, for a local port only.</summary>
    private static SerialDriver? ReadSerialDriver(YamlMappingReader map, string port)
    {
        var text = map.Text("driver");
        if (text is null)
        {
            return null;
        }

        SerialDriver? driver = text switch
        {
            "termios" => SerialDriver.Termios,
            "system-io-ports" => SerialDriver.SystemIoPorts,
            _ => null,
        };
        if (driver is null)
        {
            map.Document.Error(map.Get("driver")!, DeviceFileErrorCodes.BadSerialPort, $"serial `driver` `{text}` is not known; use termios (Linux) or system-io-ports");
        }
        else if (port.Contains("://", StringComparison.Ordinal))
        {
            map.Document.Error(
                map.Get("driver")!,
                DeviceFileErrorCodes.BadSerialPort,
                $"serial `driver` applies to a local port (a tty path or COM port); `{port}` is a network port, which System.IO.Ports cannot open: leave `driver` out");
            driver = null;
        }

        return driver;
    }

    private static bool IsValidSerialPort(string port, out string problem)
    {
        const string Forms = "a device path (/dev/ttyUSB0), tcp://host:port (ser2net raw) or rfc2217://host:port";
        problem = string.Empty;
        if (port.Contains("://", StringComparison.Ordinal))
        {
            var scheme = port[..port.IndexOf("://", StringComparison.Ordinal)];
            if (scheme is not ("tcp" or "rfc2217"))
            {
                problem = $"serial `port` scheme `{scheme}` is not supported; use {Forms}";
                return false;
            }

            var match = NetworkPortPattern().Match(port);
            if (!match.Success || !int.TryParse(match.Groups[2].Value, out var number) || number is < 1 or > 65535)
            {
                problem = $"serial `port` `{port}` must be {scheme}://host:port with a port between 1 and 65535";
                return false;
            }

            return true;
        }

        if (HostPortPattern().IsMatch(port))
        {
            problem = $"serial `port` `{port}` looks like host:port; write tcp://{port} (ser2net raw) or rfc2217://{port}";
            return false;
        }

        if (port.Any(char.IsWhiteSpace))
        {
            problem = $"serial `port` must be {Forms}, not `{port}`";
            return false;
        }

        return true;
    }

    private static ShellConfig ReadShell(YamlMappingReader map)
    {
        map.CheckKeys(ShellKeys);
        var prompt = Pattern(map, "prompt");
        var login = map.Mapping("login") is { } loginMap ? ReadLogin(loginMap) : null;
        var bootTimeout = map.Duration("boot_timeout");
        var defaults = new ShellConfig();
        return new ShellConfig
        {
            Prompt = prompt ?? defaults.Prompt,
            Login = login,
            BootTimeout = bootTimeout ?? defaults.BootTimeout,
        };
    }

    private static LoginConfig? ReadLogin(YamlMappingReader map)
    {
        map.CheckKeys(LoginKeys);
        var user = map.Text("user", required: true);
        var password = map.Text("password", allowEmpty: true);
        var loginPrompt = Pattern(map, "login_prompt");
        var passwordPrompt = Pattern(map, "password_prompt");
        if (user is null)
        {
            return null;
        }

        var defaults = new LoginConfig { User = user };
        return new LoginConfig
        {
            User = user,
            Password = password is null ? null : new Secret(password),
            LoginPrompt = loginPrompt ?? defaults.LoginPrompt,
            PasswordPrompt = passwordPrompt ?? defaults.PasswordPrompt,
        };
    }

    private static string? Pattern(YamlMappingReader map, string key)
    {
        var text = map.Text(key);
        if (text is null)
        {
            return null;
        }

        try
        {
            _ = new Regex(text, RegexOptions.None, TimeSpan.FromSeconds(1));
            return text;
        }
        catch (ArgumentException ex)
        {
            map.Document.Error(map.Get(key)!, DeviceFileErrorCodes.BadRegex,
                $"`{key}` is not a valid regular expression: {ex.Message}");
            return null;
        }
    }

    private static PowerConfig? ReadPower(YamlMappingReader map)
    {
        map.CheckKeys(PowerKeys);
        var command = map.Mapping("command") is { } commandMap ? ReadCommandPower(commandMap) : null;
        var pdudaemon = map.Mapping("pdudaemon") is { } pduMap ? ReadPdudaemon(pduMap) : null;
        var count = (map.Contains("command") ? 1 : 0) + (map.Contains("pdudaemon") ? 1 : 0);
        if (count != 1)
        {
            map.Document.Error(map.Node, DeviceFileErrorCodes.PowerBackend,
                count == 0
                    ? "`power` needs one of `command` (shell commands) or `pdudaemon`"
                    : "`power` must have only one of `command` and `pdudaemon`; remove one");
            return null;
        }

        return command is null && pdudaemon is null ? null : new PowerConfig { Command = command, Pdudaemon = pdudaemon };
    }

    private static CommandPowerConfig? ReadCommandPower(YamlMappingReader map)
    {
        map.CheckKeys(CommandPowerKeys);
        var on = map.Text("on", required: true);
        var off = map.Text("off", required: true);
        var cycle = map.Text("cycle");
        var delay = map.Duration("cycle_delay");
        if (on is null || off is null)
        {
            return null;
        }

        return new CommandPowerConfig { On = on, Off = off, Cycle = cycle, CycleDelay = delay ?? TimeSpan.FromSeconds(1) };
    }

    private static PdudaemonConfig? ReadPdudaemon(YamlMappingReader map)
    {
        map.CheckKeys(PdudaemonKeys);
        var urlText = map.Text("url", required: true);
        var hostname = map.Text("hostname", required: true);
        var port = map.Number("port", 0, required: true);
        var delay = map.Duration("cycle_delay");
        Uri? url = null;
        if (urlText is not null)
        {
            if (Uri.TryCreate(urlText, UriKind.Absolute, out var parsed) &&
                (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps) &&
                parsed.Host.Length > 0)
            {
                url = parsed;
            }
            else
            {
                map.Document.Error(map.Get("url")!, DeviceFileErrorCodes.BadUrl,
                    $"pdudaemon `url` must be an absolute http:// or https:// URL such as http://127.0.0.1:16421, not `{urlText}`");
            }
        }

        if (url is null || hostname is null || port is null)
        {
            return null;
        }

        return new PdudaemonConfig { Url = url, Hostname = hostname, Port = port.Value, CycleDelay = delay ?? TimeSpan.FromSeconds(1) };
    }

    private static QemuConfig? ReadQemu(YamlMappingReader map)
    {
        map.CheckKeys(QemuKeys);
        var arch = map.Text("arch");
        var binary = map.Text("binary");
        var kernel = map.Text("kernel");
        var initrd = map.Text("initrd");
        var append = map.Text("append", allowEmpty: true);
        var disk = map.Text("disk");
        var memory = map.Number("memory", 16);
        var cpus = map.Number("cpus", 1, 64);
        var forwards = map.StringList("forwards");
        var machine = map.Text("machine");
        var extraArgs = map.StringList("extra_args");
        var ok = true;

        if (arch is not null && !Arches.Contains(arch, StringComparer.Ordinal))
        {
            map.Document.Error(map.Get("arch")!, DeviceFileErrorCodes.BadArch,
                $"qemu `arch` must be one of {string.Join(", ", Arches)}, not `{arch}`");
            ok = false;
        }

        if (map.Get("forwards") is YamlSequenceNode forwardNodes && forwards is not null)
        {
            for (var i = 0; i < forwards.Count; i++)
            {
                if (!ForwardPattern().IsMatch(forwards[i]))
                {
                    map.Document.Error(forwardNodes.Children[i], DeviceFileErrorCodes.BadForward,
                        $"qemu forward `{forwards[i]}` is not in QEMU's hostfwd syntax, e.g. tcp:127.0.0.1:2222-:22");
                    ok = false;
                }
            }
        }

        if (!map.Contains("kernel") && !map.Contains("disk"))
        {
            map.Document.Error(map.Node, DeviceFileErrorCodes.QemuNoImage, "`qemu` needs a `kernel` or a `disk` to boot");
            ok = false;
        }

        if (!ok)
        {
            return null;
        }

        var defaults = new QemuConfig();
        return new QemuConfig
        {
            Arch = arch ?? defaults.Arch,
            Binary = binary,
            Kernel = kernel,
            Initrd = initrd,
            Append = append,
            Disk = disk,
            Memory = memory ?? defaults.Memory,
            Cpus = cpus ?? defaults.Cpus,
            Forwards = forwards ?? [],
            Machine = machine,
            ExtraArgs = extraArgs ?? [],
        };
    }

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~').TrimStart('/'))
            : path;

    [GeneratedRegex(@"^[A-Za-z0-9._-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex DeviceNamePattern();

    [GeneratedRegex(@"^[a-z0-9]+://(\[[0-9A-Fa-f:.]+\]|[^/:\[\]\s]+):([0-9]{1,5})/?$", RegexOptions.CultureInvariant)]
    private static partial Regex NetworkPortPattern();

    [GeneratedRegex(@"^[^/\s:]+:[0-9]{1,5}$", RegexOptions.CultureInvariant)]
    private static partial Regex HostPortPattern();

    [GeneratedRegex(@"^(tcp|udp):[^:\s-]*:[0-9]{1,5}-[^:\s-]*:[0-9]{1,5}$", RegexOptions.CultureInvariant)]
    private static partial Regex ForwardPattern();
}
