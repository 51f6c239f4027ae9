#!/usr/bin/env bash
# The README's test command: prepares the lab when it can, builds, runs every test, prints one summary line.
#   build/test.sh [extra dotnet test arguments]
# Where the lab is required (a CI system: CI, TF_BUILD, JENKINS_URL, GITHUB_ACTIONS, GITLAB_CI; or
# DEVICETEST_REQUIRE_LAB=1) a lab that cannot be prepared fails the run at once, and a test that finds a lab part
# missing fails; elsewhere those tests skip with the reason.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The same rule as tests/DeviceTest.Lab/LabRequirement.cs.
lower() { printf '%s' "$1" | tr '[:upper:]' '[:lower:]'; }
required=""
case "$(lower "${DEVICETEST_REQUIRE_LAB:-}")" in 1|true) required="DEVICETEST_REQUIRE_LAB=${DEVICETEST_REQUIRE_LAB}" ;; esac
for pair in CI=true TF_BUILD=true GITHUB_ACTIONS=true GITLAB_CI=true; do
  name="${pair%%=*}"
  value="${!name:-}"
  if [ -z "$required" ] && [ "$(lower "$value")" = "${pair#*=}" ]; then
    required="$name=$value"
  fi
done
if [ -z "$required" ] && [ -n "${JENKINS_URL:-}" ]; then
  required="JENKINS_URL is set"
fi

lab_ok=true
if [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null 2>&1; then
  bash build/lab/install.sh || lab_ok=false
else
  echo "lab: not root and no sudo: tests that need lab parts will be skipped (run build/lab/install.sh as root)"
  lab_ok=false
fi
if [ -x build/lab/qemu-board.sh ] && [ "$lab_ok" = true ]; then
  bash build/lab/qemu-board.sh || lab_ok=false
fi
if [ -x build/lab/flash-images.sh ] && [ "$lab_ok" = true ]; then
  bash build/lab/flash-images.sh || lab_ok=false
fi
if [ -n "$required" ] && [ "$lab_ok" != true ]; then
  echo "lab: preparing the lab failed, and the lab is required here ($required): the run fails. See the output of build/lab/install.sh and build/lab/qemu-board.sh above."
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

results="$root/TestResults"
rm -rf "$results"
mkdir -p "$results"

dotnet build Adapter.sln -c Release -nologo -v:q -clp:ErrorsOnly
build_rc=$?
if [ $build_rc -ne 0 ]; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test Adapter.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@" \
  > "$results/dotnet-test.log" 2>&1
test_rc=$?
# --- The native devicetest (NativeAOT: what users get, docs/native.md) ----------------------------------------------
# Published once; then the smoke sample and every test that starts devicetest as a process (test category
# DevicetestProcess) run again against it. Their results join the summary below. The native toolchain (clang, the
# arm64 cross libc, qemu-user) is a lab part: where the lab could not be prepared and is not required, both skip.
native_failures=0
native_skipped=0
if [ "$lab_ok" != true ] && [ -z "$required" ]; then
  echo "native devicetest: skipped (the lab could not be prepared: clang, the arm64 cross toolchain and qemu-user come with build/lab/install.sh)"
  native_skipped=2
else
  native="$root/artifacts/native/linux-x64"
  rm -rf "$native"
  if dotnet publish src/Agent -c Release -r linux-x64 -p:PublishAot=true -o "$native" -nologo -v:q -clp:ErrorsOnly \
       > "$results/native-publish.log" 2>&1 \
     && "$native/devicetest" run samples/specs/smoke.spec.yml --junit "$results/native-smoke/junit.xml" \
       > "$results/native-smoke.log" 2>&1; then
    echo "native devicetest: $(stat -c %s "$native/devicetest") bytes, smoke spec passed"
    DEVICETEST_BINARY="$native/devicetest" dotnet test tests/DeviceTest.Agent.Tests -c Release --no-build -nologo \
      --filter "TestCategory=DevicetestProcess" --logger "trx;LogFileName=native-devicetest.trx" \
      --logger "console;verbosity=normal" --results-directory "$results" >> "$results/dotnet-test.log" 2>&1 || test_rc=1
  else
    echo "native devicetest: the NativeAOT publish or the smoke spec failed:"
    tail -30 "$results/native-publish.log" "$results/native-smoke.log" 2>/dev/null
    native_failures=1
  fi
  # linux-arm64, cross-compiled (clang, lld, Debian's arm64 cross libc), its smoke spec run under qemu-aarch64.
  native_arm64="$root/artifacts/native/linux-arm64"
  rm -rf "$native_arm64"
  if dotnet publish src/Agent -c Release -r linux-arm64 -p:PublishAot=true -o "$native_arm64" -nologo -v:q -clp:ErrorsOnly \
       > "$results/native-arm64-publish.log" 2>&1 \
     && qemu-aarch64 -L /usr/aarch64-linux-gnu "$native_arm64/devicetest" run samples/specs/smoke.spec.yml \
       > "$results/native-arm64-smoke.log" 2>&1; then
    echo "native devicetest linux-arm64: $(stat -c %s "$native_arm64/devicetest") bytes, smoke spec passed under qemu-aarch64"
  else
    echo "native devicetest linux-arm64: the cross-compiled publish or its smoke spec failed:"
    tail -30 "$results/native-arm64-publish.log" "$results/native-arm64-smoke.log" 2>/dev/null
    native_failures=$((native_failures + 1))
  fi
fi
# --- end of the native devicetest ---------------------------------------------------------------------------------

# Show failures and per-assembly summaries, not every passing test.
grep -E "^\s*(Failed|Skipped) |Error Message|^\s*(Passed!|Failed!)|error" "$results/dotnet-test.log" | head -400

# Sum the per-assembly summaries vstest prints ("Total tests: N", then "Passed: N", "Failed: N", "Skipped: N").
read -r passed failed skipped runs < <(awk '
  /^Total tests:/ { runs++ }
  /^[[:space:]]+Passed:[[:space:]]+[0-9]+$/  { p += $2 }
  /^[[:space:]]+Failed:[[:space:]]+[0-9]+$/  { f += $2 }
  /^[[:space:]]+Skipped:[[:space:]]+[0-9]+$/ { s += $2 }
  END { print p + 0, f + 0, s + 0, runs + 0 }' "$results/dotnet-test.log")
failed=$((failed + native_failures))
skipped=$((skipped + native_skipped))
if [ "$runs" -eq 0 ] || { [ $test_rc -ne 0 ] && [ "$failed" -eq 0 ]; }; then
  echo "dotnet test exited $test_rc after $runs test run(s); see $results/dotnet-test.log"
  tail -40 "$results/dotnet-test.log"
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
