namespace DeviceTest.Agent.Tests.Devices;

/// <summary>
/// The specs the boards run, written to files unchanged for every board. <see cref="Smoke"/> runs on every device;
/// <see cref="Reboot"/> has a reboot step in the middle and runs only on the QEMU boards: the local device and the
/// sshd board are this machine, which is never rebooted (local skips reboot steps; the sshd board would really run
/// `reboot`), and the pty board has nothing to reboot.
/// </summary>
internal static class BoardSpecs
{
    public const string Smoke = """
        name: board-smoke
        sequence:
          - tests:
              - name: kernel
                command: [uname, -s]
              - name: shell
                command: 'test "$(echo hello | tr a-z A-Z)" = HELLO'
              - name: environment
                command: 'test "$MODE" = quick && test -d "$TEST_DIR" && test -d "$ARTIFACTS_DIR"'
                env: { MODE: quick }
              - name: artifact
                command: 'echo 42 > "$ARTIFACTS_DIR/answer.txt"'
        """;

    public const int SmokeTests = 4;

    public const string Reboot = """
        name: board-reboot
        sequence:
          - tests:
              - name: mark
                command: touch /tmp/devicetest-before-reboot
          - reboot: { command: reboot, timeout: 2m }
          - tests:
              - name: rebooted
                command: 'test ! -e /tmp/devicetest-before-reboot'
              - name: kernel
                command: [uname, -s]
        """;

    public const int RebootTests = 3;

    public static string Write(string directory, string name, string text)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, text + "\n");
        return path;
    }
}
