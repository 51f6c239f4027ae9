using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Yaml;
using DeviceTest.Lab;

namespace DeviceTest.Hardware.Tests.Configuration;

[TestClass]
public sealed class DeviceFileLoaderTests
{
    // The example of docs/devices.md, verbatim.
    private const string DocsExample = """
        devices:
          board-ssh:
            tags: [arm64, wifi]
            ssh: { host: 192.0.2.10, port: 22, user: root, identity: ~/.ssh/id_ed25519,
                   options: { StrictHostKeyChecking: accept-new } }
          board-serial:
            serial: { port: /dev/ttyUSB0, baud: 115200 }   # also tcp://host:port (raw) or rfc2217://host:port
            shell: { prompt: '[#$] $', login: { user: root, password: secret } }
            power: { command: { on: "relay on 3", off: "relay off 3" } }
          board-pdu:
            serial: { port: "rfc2217://127.0.0.1:7000" }
            power: { pdudaemon: { url: "http://127.0.0.1:16421", hostname: pdu1, port: 3 } }
          qemu-x86:
            qemu: { kernel: vmlinuz, initrd: initramfs.cpio.gz, append: "console=ttyS0", memory: 256 }
            shell: { prompt: '/ # ' }
          qemu-ssh:                       # QEMU for power and console, SSH (through a port forward) for commands
            qemu: { kernel: vmlinuz, initrd: initramfs.cpio.gz, append: "console=ttyS0", memory: 256,
                    forwards: ["tcp:127.0.0.1:2222-:22"] }       # QEMU's own hostfwd syntax; adds a virtio NIC
            shell: { prompt: '/ # ' }
            ssh: { host: 127.0.0.1, port: 2222, user: root, identity: ~/.ssh/id_ed25519 }
        """;

    private static DeviceFileLoadResult Load(string yaml) => DeviceFileLoader.LoadText(yaml, "devices.yml");

    private static YamlDiagnostic Has(DeviceFileLoadResult result, string code, int line, int column)
    {
        var all = string.Join('\n', result.Diagnostics);
        var matches = result.Diagnostics.Where(d => d.Code == code).ToList();
        Assert.HasCount(1, matches, $"expected one {code}, got:\n{all}");
        Assert.AreEqual((line, column), (matches[0].Position.Line, matches[0].Position.Column), all);
        return matches[0];
    }

    private static YamlDiagnostic Only(string yaml, string code, int line, int column)
    {
        var result = Load(yaml);
        Assert.HasCount(1, result.Diagnostics, string.Join('\n', result.Diagnostics));
        return Has(result, code, line, column);
    }

    [TestMethod]
    public void Loads_the_example_of_the_docs()
    {
        var result = Load(DocsExample);
        Assert.IsEmpty(result.Diagnostics, string.Join('\n', result.Diagnostics));
        CollectionAssert.AreEqual(
            new[] { "local", "board-ssh", "board-serial", "board-pdu", "qemu-x86", "qemu-ssh" },
            result.Devices.Select(d => d.Name).ToArray());

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var ssh = result.Find("board-ssh")!;
        CollectionAssert.AreEqual(new[] { "arm64", "wifi" }, ssh.Tags.ToArray());
        Assert.AreEqual("192.0.2.10", ssh.Ssh!.Host);
        Assert.AreEqual(22, ssh.Ssh.Port);
        Assert.AreEqual("root", ssh.Ssh.User);
        Assert.AreEqual(Path.Combine(home, ".ssh/id_ed25519"), ssh.Ssh.Identity);
        Assert.AreEqual("accept-new", ssh.Ssh.Options["StrictHostKeyChecking"]);
        Assert.AreEqual(TimeSpan.FromSeconds(10), ssh.Ssh.ConnectTimeout);
        Assert.AreEqual(new ConfigPosition("devices.yml", 2, 3), ssh.Position);

        var serial = result.Find("board-serial")!;
        Assert.AreEqual("/dev/ttyUSB0", serial.Serial!.Port);
        Assert.AreEqual(115200, serial.Serial.Baud);
        Assert.AreEqual("[#$] $", serial.Shell!.Prompt);
        Assert.AreEqual("root", serial.Shell.Login!.User);
        Assert.AreEqual("secret", serial.Shell.Login.Password!.Value);
        Assert.AreEqual("***", serial.Shell.Login.Password.ToString());
        Assert.AreEqual("relay on 3", serial.Power!.Command!.On);
        Assert.AreEqual("relay off 3", serial.Power.Command.Off);
        Assert.IsNull(serial.Power.Pdudaemon);

        var pdu = result.Find("board-pdu")!;
        Assert.AreEqual("rfc2217://127.0.0.1:7000", pdu.Serial!.Port);
        Assert.AreEqual(new Uri("http://127.0.0.1:16421"), pdu.Power!.Pdudaemon!.Url);
        Assert.AreEqual("pdu1", pdu.Power.Pdudaemon.Hostname);
        Assert.AreEqual(3, pdu.Power.Pdudaemon.Port);
        Assert.IsNull(pdu.Shell);

        var qemu = result.Find("qemu-x86")!;
        Assert.AreEqual("vmlinuz", qemu.Qemu!.Kernel);
        Assert.AreEqual("initramfs.cpio.gz", qemu.Qemu.Initrd);
        Assert.AreEqual("console=ttyS0", qemu.Qemu.Append);
        Assert.AreEqual(256, qemu.Qemu.Memory);
        Assert.AreEqual("x86_64", qemu.Qemu.Arch);
        Assert.AreEqual("/ # ", qemu.Shell!.Prompt);

        var qemuSsh = result.Find("qemu-ssh")!;
        CollectionAssert.AreEqual(new[] { "tcp:127.0.0.1:2222-:22" }, qemuSsh.Qemu!.Forwards.ToArray());
        Assert.AreEqual(2222, qemuSsh.Ssh!.Port);
    }

    [TestMethod]
    public void The_docs_show_this_example()
    {
        var docs = File.ReadAllText(RepositoryRoot.Combine("docs", "devices.md")).ReplaceLineEndings("\n");
        Assert.Contains("```yaml\n" + DocsExample.ReplaceLineEndings("\n") + "\n```", docs);
    }

    [TestMethod]
    public void Local_always_exists_and_is_reserved()
    {
        var result = Load("devices: {}\n");
        Assert.IsEmpty(result.Diagnostics);
        Assert.AreEqual("local", result.Devices.Single().Name);
        Assert.IsNull(result.Devices[0].Position);
        Assert.IsNull(result.Devices[0].Ssh);

        var diagnostic = Only("devices:\n  local:\n    ssh: { host: x }\n", DeviceFileErrorCodes.ReservedName, 2, 3);
        StringAssert.Contains(diagnostic.Message, "built in");

        var none = DeviceFileLoader.Load((DeviceFileLocation?)null);
        Assert.IsFalse(none.HasErrors);
        Assert.IsNull(none.FilePath);
        Assert.AreEqual("local", none.Devices.Single().Name);
        Assert.IsNotNull(none.Find("local"));
        Assert.IsNull(none.Find("board"));
    }

    [TestMethod]
    public void Optional_extra_keys_are_read()
    {
        var result = Load("""
            devices:
              b:
                ssh: { host: h, connect_timeout: 30s }
                serial: { port: "tcp://127.0.0.1:3000" }
                shell: { boot_timeout: 5m, login: { user: u, login_prompt: 'Login: $', password_prompt: 'pw: $' } }
                power: { command: { on: a, off: b, cycle: c, cycle_delay: 3s } }
              q:
                qemu: { arch: aarch64, binary: /opt/qemu, disk: d.qcow2, cpus: 2, machine: virt, extra_args: [-nographic] }
                power: { pdudaemon: { url: "https://pdu.example:16421/", hostname: p, port: 0, cycle_delay: 2 } }
            """);
        Assert.IsEmpty(result.Diagnostics, string.Join('\n', result.Diagnostics));
        var b = result.Find("b")!;
        Assert.AreEqual(TimeSpan.FromSeconds(30), b.Ssh!.ConnectTimeout);
        Assert.IsNull(b.Ssh.Port);
        Assert.AreEqual(TimeSpan.FromMinutes(5), b.Shell!.BootTimeout);
        Assert.AreEqual("[#$] $", b.Shell.Prompt);
        Assert.IsNull(b.Shell.Login!.Password);
        Assert.AreEqual("Login: $", b.Shell.Login.LoginPrompt);
        Assert.AreEqual("pw: $", b.Shell.Login.PasswordPrompt);
        Assert.AreEqual("c", b.Power!.Command!.Cycle);
        Assert.AreEqual(TimeSpan.FromSeconds(3), b.Power.Command.CycleDelay);
        var q = result.Find("q")!;
        Assert.AreEqual("aarch64", q.Qemu!.Arch);
        Assert.AreEqual("/opt/qemu", q.Qemu.Binary);
        Assert.AreEqual("d.qcow2", q.Qemu.Disk);
        Assert.AreEqual(2, q.Qemu.Cpus);
        Assert.AreEqual("virt", q.Qemu.Machine);
        CollectionAssert.AreEqual(new[] { "-nographic" }, q.Qemu.ExtraArgs.ToArray());
        Assert.AreEqual(TimeSpan.FromSeconds(2), q.Power!.Pdudaemon!.CycleDelay);
    }

    [TestMethod]
    public void The_devices_mapping_is_required()
    {
        var missing = Load("boards: {}\n");
        Has(missing, DeviceFileErrorCodes.UnknownKey, 1, 1);
        StringAssert.Contains(Has(missing, DeviceFileErrorCodes.MissingKey, 1, 1).Message, "`devices:`");
        Only("[a, b]\n", DeviceFileErrorCodes.NotAMapping, 1, 1);
        Only("devices: [a]\n", DeviceFileErrorCodes.WrongType, 1, 10);
        Only("devices:\n  b: ssh\n", DeviceFileErrorCodes.WrongType, 2, 6);
        Assert.IsFalse(Load("devices:\n").HasErrors, "an empty devices: leaves only local");
    }

    [TestMethod]
    public void A_device_needs_a_way_to_reach_it()
    {
        var diagnostic = Only("devices:\n  b:\n    tags: [x]\n", DeviceFileErrorCodes.NoConnection, 2, 3);
        StringAssert.Contains(diagnostic.Message, "`ssh`, `serial` or `qemu`");
        Only("devices:\n  b:\n    power: { command: { on: a, off: b } }\n", DeviceFileErrorCodes.NoConnection, 2, 3);
    }

    [TestMethod]
    public void Ssh_needs_a_host_and_a_valid_port()
    {
        Only("devices:\n  b:\n    ssh: { user: root }\n", DeviceFileErrorCodes.MissingKey, 3, 10);
        Only("devices:\n  b:\n    ssh: { host: h, port: 0 }\n", DeviceFileErrorCodes.OutOfRange, 3, 27);
        Only("devices:\n  b:\n    ssh: { host: h, port: 65536 }\n", DeviceFileErrorCodes.OutOfRange, 3, 27);
        Only("devices:\n  b:\n    ssh: { host: h, port: -22 }\n", DeviceFileErrorCodes.OutOfRange, 3, 27);
        Only("devices:\n  b:\n    ssh: { host: h, port: ssh }\n", DeviceFileErrorCodes.NotANumber, 3, 27);
        Only("devices:\n  b:\n    ssh: { host: h, connect_timeout: later }\n", DeviceFileErrorCodes.BadDuration, 3, 38);
        Only("devices:\n  b:\n    ssh: { host: '' }\n", DeviceFileErrorCodes.EmptyValue, 3, 18);
        Only("devices:\n  b:\n    ssh: { host: h, options: [a] }\n", DeviceFileErrorCodes.WrongType, 3, 30);
        var result = Load("devices:\n  b:\n    ssh: { host: h, port: 65535 }\n");
        Assert.AreEqual(65535, result.Find("b")!.Ssh!.Port);
    }

    [TestMethod]
    [DataRow("/dev/ttyUSB0")]
    [DataRow("/dev/serial/by-id/usb-FTDI-if00-port0")]
    [DataRow("tcp://127.0.0.1:3000")]
    [DataRow("tcp://lab-host.example:2001")]
    [DataRow("rfc2217://127.0.0.1:7000")]
    [DataRow("rfc2217://[::1]:7000")]
    public void Serial_ports_accept_paths_and_network_forms(string port)
    {
        var result = Load($"devices:\n  b:\n    serial: {{ port: '{port}' }}\n");
        Assert.IsEmpty(result.Diagnostics, string.Join('\n', result.Diagnostics));
        Assert.AreEqual(port, result.Find("b")!.Serial!.Port);
    }

    [TestMethod]
    [DataRow("telnet://127.0.0.1:3000", "scheme `telnet`")]
    [DataRow("tcp://127.0.0.1", "tcp://host:port")]
    [DataRow("tcp://127.0.0.1:0", "between 1 and 65535")]
    [DataRow("rfc2217://127.0.0.1:99999", "between 1 and 65535")]
    [DataRow("localhost:3000", "write tcp://localhost:3000")]
    [DataRow("/dev/tty USB0", "device path")]
    public void Bad_serial_ports_are_errors(string port, string hint)
    {
        var diagnostic = Only($"devices:\n  b:\n    serial: {{ port: '{port}' }}\n", DeviceFileErrorCodes.BadSerialPort, 3, 21);
        StringAssert.Contains(diagnostic.Message, hint);
    }

    [TestMethod]
    public void Serial_needs_a_port_and_a_positive_baud()
    {
        Only("devices:\n  b:\n    serial: { baud: 9600 }\n", DeviceFileErrorCodes.MissingKey, 3, 13);
        Only("devices:\n  b:\n    serial: { port: /dev/ttyS0, baud: 0 }\n", DeviceFileErrorCodes.OutOfRange, 3, 39);
    }

    [TestMethod]
    public void Power_has_exactly_one_backend()
    {
        const string Serial = "    serial: { port: /dev/ttyS0 }\n";
        var both = Only("devices:\n  b:\n" + Serial +
            "    power:\n      command: { on: a, off: b }\n      pdudaemon: { url: 'http://h:16421', hostname: p, port: 1 }\n",
            DeviceFileErrorCodes.PowerBackend, 5, 7);
        StringAssert.Contains(both.Message, "only one");
        var none = Only("devices:\n  b:\n" + Serial + "    power: {}\n", DeviceFileErrorCodes.PowerBackend, 4, 12);
        StringAssert.Contains(none.Message, "needs one");
        Only("devices:\n  b:\n" + Serial + "    power: { command: { on: a } }\n", DeviceFileErrorCodes.MissingKey, 4, 23);
    }

    [TestMethod]
    [DataRow("ftp://h:16421")]
    [DataRow("127.0.0.1:16421")]
    [DataRow("/pdu")]
    [DataRow("http://")]
    public void Pdudaemon_urls_must_be_absolute_http(string url)
    {
        var diagnostic = Only(
            $"devices:\n  b:\n    serial: {{ port: /dev/ttyS0 }}\n    power: {{ pdudaemon: {{ url: '{url}', hostname: p, port: 1 }} }}\n",
            DeviceFileErrorCodes.BadUrl, 4, 32);
        StringAssert.Contains(diagnostic.Message, "http://");
    }

    [TestMethod]
    public void Pdudaemon_needs_hostname_and_port()
    {
        var result = Load("devices:\n  b:\n    serial: { port: /dev/ttyS0 }\n    power: { pdudaemon: { url: 'http://h' } }\n");
        var missing = result.Diagnostics.Where(d => d.Code == DeviceFileErrorCodes.MissingKey).ToList();
        Assert.HasCount(2, missing, string.Join('\n', result.Diagnostics));
        StringAssert.Contains(missing[0].Message, "`hostname`");
        StringAssert.Contains(missing[1].Message, "`port`");
        Assert.AreEqual((4, 25), (missing[0].Position.Line, missing[0].Position.Column));
    }

    [TestMethod]
    public void Passwords_become_secrets_and_never_reach_messages()
    {
        var result = Load("""
            devices:
              b:
                serial: { port: /dev/ttyS0 }
                shell: { login: { user: root, password: hunter2-top-secret, pasword: hunter2-top-secret } }
            """);
        Has(result, DeviceFileErrorCodes.UnknownKey, 4, 65);
        Assert.IsFalse(result.Diagnostics.Any(d => d.ToString().Contains("hunter2", StringComparison.Ordinal)));

        var ok = Load("devices:\n  b:\n    serial: { port: /dev/ttyS0 }\n    shell: { login: { user: root, password: '' } }\n");
        Assert.IsEmpty(ok.Diagnostics);
        Assert.AreEqual(string.Empty, ok.Find("b")!.Shell!.Login!.Password!.Value);

        var wrong = Load("devices:\n  b:\n    serial: { port: /dev/ttyS0 }\n    shell: { login: { user: root, password: [hunter2] } }\n");
        Has(wrong, DeviceFileErrorCodes.WrongType, 4, 45);
        Assert.IsFalse(wrong.Diagnostics.Any(d => d.ToString().Contains("hunter2", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Unknown_keys_are_errors_with_a_suggestion()
    {
        var result = Load("""
            devices:
              b:
                tag: [x]
                ssh: { hostname: h, host: h, prot: 22 }
                sreial: { port: /dev/ttyS0 }
            """);
        var unknown = result.Diagnostics.Where(d => d.Code == DeviceFileErrorCodes.UnknownKey).ToList();
        Assert.HasCount(4, unknown, string.Join('\n', result.Diagnostics));
        Assert.AreEqual("devices.yml:3:5: error DT1020: unknown key `tag` in device `b`; did you mean `tags`?", unknown[0].ToString());
        Assert.AreEqual((4, 12), (unknown[1].Position.Line, unknown[1].Position.Column));
        StringAssert.Contains(unknown[1].Message, "`hostname`");
        Assert.AreEqual((4, 34), (unknown[2].Position.Line, unknown[2].Position.Column));
        StringAssert.Contains(unknown[2].Message, "did you mean `port`?");
        Assert.AreEqual((5, 5), (unknown[3].Position.Line, unknown[3].Position.Column));
        StringAssert.Contains(unknown[3].Message, "did you mean `serial`?");
        Assert.IsNull(result.Find("b"), "a device with errors is left out");
    }

    [TestMethod]
    public void An_unknown_key_without_a_close_match_lists_every_section()
    {
        var diagnostic = Only("devices:\n  b:\n    ssh: { host: h }\n    zzzzzzzz: 1\n", DeviceFileErrorCodes.UnknownKey, 4, 5);
        StringAssert.EndsWith(diagnostic.Message, "allowed keys: tags, ssh, serial, shell, power, qemu, flash, screen, keyboard, network, lab");
    }

    [TestMethod]
    public void Shell_prompts_must_be_regular_expressions()
    {
        var diagnostic = Only("devices:\n  b:\n    serial: { port: /dev/ttyS0 }\n    shell: { prompt: '[#$ $' }\n",
            DeviceFileErrorCodes.BadRegex, 4, 22);
        StringAssert.Contains(diagnostic.Message, "regular expression");
    }

    [TestMethod]
    public void Shell_without_a_console_is_a_warning()
    {
        var result = Load("devices:\n  b:\n    ssh: { host: h }\n    shell: { prompt: '# $' }\n");
        Assert.IsFalse(result.HasErrors);
        var warning = Has(result, DeviceFileErrorCodes.UnusedSection, 4, 5);
        Assert.AreEqual(ConfigSeverity.Warning, warning.Severity);
        Assert.IsNotNull(result.Find("b"));
    }

    [TestMethod]
    public void Qemu_is_checked()
    {
        Only("devices:\n  q:\n    qemu: { append: x }\n", DeviceFileErrorCodes.QemuNoImage, 3, 11);
        Only("devices:\n  q:\n    qemu: { kernel: k, arch: riscv64 }\n", DeviceFileErrorCodes.BadArch, 3, 30);
        Only("devices:\n  q:\n    qemu: { kernel: k, forwards: ['tcp:2222:22'] }\n", DeviceFileErrorCodes.BadForward, 3, 35);
        Only("devices:\n  q:\n    qemu: { kernel: k, memory: lots }\n", DeviceFileErrorCodes.NotANumber, 3, 32);
        Only("devices:\n  q:\n    qemu: { kernel: k, memory: -256 }\n", DeviceFileErrorCodes.OutOfRange, 3, 32);
        Only("devices:\n  q:\n    qemu: { kernel: k, forwards: tcp }\n", DeviceFileErrorCodes.WrongType, 3, 34);
    }

    [TestMethod]
    public void Arm64_is_read_as_aarch64_as_the_docs_say()
    {
        var result = Load("devices:\n  q:\n    qemu: { arch: arm64, kernel: Image }\n");
        Assert.IsEmpty(result.Diagnostics, string.Join('\n', result.Diagnostics));
        Assert.AreEqual("aarch64", result.Find("q")!.Qemu!.Arch);
    }

    [TestMethod]
    public void Device_names_are_checked()
    {
        Only("devices:\n  'my board':\n    ssh: { host: h }\n", DeviceFileErrorCodes.BadDeviceName, 2, 3);
        Only("devices:\n  b:\n    ssh: { host: h }\n  b:\n    ssh: { host: i }\n", DeviceFileErrorCodes.DuplicateKey, 4, 3);
    }

    [TestMethod]
    public void Every_problem_is_reported_in_one_pass()
    {
        var result = Load("""
            devices:
              a:
                tags: x
              b:
                ssh: { port: 0 }
              c:
                serial: { port: 'ftp://x:1' }
            """);
        var codes = result.Diagnostics.Select(d => $"{d.Position.Line}:{d.Position.Column} {d.Code}").ToArray();
        CollectionAssert.AreEqual(
            new[] { "2:3 DT1031", "3:11 DT1021", "5:10 DT1022", "5:18 DT1025", "7:21 DT1033" },
            codes,
            string.Join('\n', result.Diagnostics));
        CollectionAssert.AreEqual(new[] { "local" }, result.Devices.Select(d => d.Name).ToArray());
    }

    [TestMethod]
    public void Every_code_is_distinct_and_in_the_device_range()
    {
        var codes = typeof(DeviceFileErrorCodes).GetFields()
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        Assert.HasCount(codes.Count, codes.Distinct());
        Assert.IsTrue(codes.All(c => c.StartsWith("DT1", StringComparison.Ordinal) && c.Length == 6), string.Join(", ", codes));
        foreach (var problem in Enum.GetValues<YamlProblem>())
        {
            Assert.Contains(DeviceFileErrorCodes.For(problem), codes);
        }
    }
}
