namespace DeviceTest.Agent.Ota;

/// <summary>
/// The program aktualizr-lite runs for each callback (POSIX sh; works with busybox). It sends the callback's
/// environment to the agent as one HTTP POST whose body is <c>application/x-www-form-urlencoded</c> with every byte of
/// every value percent-encoded (so commas, quotes, newlines and any other byte survive), retrying with backoff
/// (1, 2, 4, 8, 16, 32 s) while the agent is not up yet (after a reboot aktualizr-lite may start before it). The body
/// starts with the callback secret (<see cref="CallbackSecret"/>) and goes to curl or wget on stdin (a here-document),
/// so the secret is in no process's argv; the script itself is 0700.
/// </summary>
internal static class CallbackScript
{
    public const string FileName = "devicetest-callback.sh";

    /// <summary>The callback variables aktualizr-lite sets, in the order they are sent.</summary>
    public static readonly IReadOnlyList<string> Variables =
        ["MESSAGE", "CURRENT_TARGET", "CURRENT_TARGET_NAME", "INSTALL_TARGET_NAME", "RESULT"];

    public static string Render(Uri callbackUrl, CallbackSecret secret)
    {
        ArgumentNullException.ThrowIfNull(callbackUrl);
        ArgumentNullException.ThrowIfNull(secret);
        var url = callbackUrl.AbsoluteUri;
        if (url.Contains('\'', StringComparison.Ordinal))
        {
            throw new ArgumentException($"the callback URL '{url}' must not contain a single quote", nameof(callbackUrl));
        }

        return $$"""
            #!/bin/sh
            # Written by 'devicetest agent' at every start; edits are overwritten.
            # aktualizr-lite runs this program for each callback ([pacman] callback_program in
            # z-90-devicetest.toml). It hands the callback to the agent listening at the URL below and
            # exits 0 once the agent has it.
            url='{{url}}'
            # Proves to the agent that the callback comes from here (this file is readable by its owner only).
            {{secret.ScriptLine()}}

            # Percent-encode every byte of $1 (so commas, quotes, newlines, anything, survive).
            if od -An -v -tx1 </dev/null >/dev/null 2>&1; then
            	hex() { od -An -v -tx1; }
            else
            	hex() { hexdump -v -e '1/1 "%02x"'; }
            fi
            enc() {
            	printf '%s' "$1" | hex | tr -d ' \n' | sed 's/../%&/g'
            }

            body="v=1&{{CallbackSecret.BodyField}}=$secret"
            for name in {{string.Join(' ', Variables)}}; do
            	eval "isset=\${$name+x}"
            	if [ -n "$isset" ]; then
            		eval "value=\$$name"
            		body="$body&$name=$(enc "$value")"
            	fi
            done

            send() {
            	if command -v curl >/dev/null 2>&1; then
            		curl -fsS -m 90 -o /dev/null -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @- "$url" <<EOF
            $body
            EOF
            	elif command -v wget >/dev/null 2>&1; then
            		# No -T: Debian's busybox 1.35 wget crashes with it; bound the wait with timeout(1) where there is one.
            		if command -v timeout >/dev/null 2>&1; then
            			timeout 90 wget -q -O /dev/null --post-file=/dev/stdin "$url" <<EOF
            $body
            EOF
            		else
            			wget -q -O /dev/null --post-file=/dev/stdin "$url" <<EOF
            $body
            EOF
            		fi
            	else
            		echo "devicetest-callback: neither curl nor wget is installed; cannot reach the agent at $url" >&2
            		return 1
            	fi
            }

            for delay in 1 2 4 8 16 32; do
            	if send 2>/dev/null; then
            		exit 0
            	fi
            	sleep "$delay"
            done
            if send; then
            	exit 0
            fi
            echo "devicetest-callback: could not deliver '$MESSAGE' to $url after 7 tries over 63 s; is the devicetest agent running (docker ps, docker logs)?" >&2
            exit 1

            """.Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
