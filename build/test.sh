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
# Show failures and per-assembly summaries, not every passing test.
grep -E "^\s*(Failed|Skipped) |Error Message|^\s*(Passed!|Failed!)|error" "$results/dotnet-test.log" | head -400

# Sum the per-assembly summaries vstest prints ("Total tests: N", then "Passed: N", "Failed: N", "Skipped: N").
read -r passed failed skipped runs < <(awk '
  /^Total tests:/ { runs++ }
  /^[[:space:]]+Passed:[[:space:]]+[0-9]+$/  { p += $2 }
  /^[[:space:]]+Failed:[[:space:]]+[0-9]+$/  { f += $2 }
  /^[[:space:]]+Skipped:[[:space:]]+[0-9]+$/ { s += $2 }
  END { print p + 0, f + 0, s + 0, runs + 0 }' "$results/dotnet-test.log")
if [ "$runs" -eq 0 ] || { [ $test_rc -ne 0 ] && [ "$failed" -eq 0 ]; }; then
  echo "dotnet test exited $test_rc after $runs test run(s); see $results/dotnet-test.log"
  tail -40 "$results/dotnet-test.log"
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
