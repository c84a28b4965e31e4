#!/usr/bin/env bash
# A new user's first ten minutes, rehearsed: clones the current commit into a temporary folder,
# points VIGIL_ASSETS at an empty folder, and runs the README's two commands there, the demo
# (shortened to --seconds N) and then the tests, printing each one's result and time.
#
#   deploy/bin/fresh-clone-check.sh [--demo-seconds N] [--keep]
#
# Uncommitted changes are not in the clone: commit first. The Maven and npm caches stay as they
# are (as on CI); only Vigil's asset cache starts empty. Exit 0 only if both commands pass.
set -uo pipefail

seconds=10
keep=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --demo-seconds) seconds="${2:?--demo-seconds needs a number}"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fresh-clone-check: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

repo="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)" || exit 2
commit="$(git -C "$repo" rev-parse HEAD)" || exit 2
if [[ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]]; then
  echo "fresh-clone-check: uncommitted changes are not checked (commit ${commit:0:12} is)" >&2
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/vigil-fresh.XXXXXX")"
clone="$work/vigil"
assets="$work/assets"
mkdir -p "$assets"
if [[ -z "$keep" ]]; then
  trap 'rm -rf "$work"' EXIT
fi
git clone -q "$repo" "$clone" && git -C "$clone" checkout -q --detach "$commit" || exit 2
echo "fresh-clone-check: commit ${commit:0:12} in $clone, empty VIGIL_ASSETS=$assets"

# step NAME LOG COMMAND...: runs it in the clone; prints PASS/FAIL, the time and the log's tail.
status=0
step() {
  local name=$1 log=$2
  shift 2
  local start=$SECONDS rc
  (cd "$clone" && VIGIL_ASSETS="$assets" "$@") >"$log" 2>&1
  rc=$?
  local took=$((SECONDS - start))
  if [[ $rc -eq 0 ]]; then
    printf '%-6s %-40s PASS in %d:%02d\n' "$name" "($*)" $((took / 60)) $((took % 60))
  else
    printf '%-6s %-40s FAIL (exit %d) in %d:%02d; last lines of %s:\n' \
      "$name" "($*)" "$rc" $((took / 60)) $((took % 60)) "$log"
    tail -n 25 "$log" | sed 's/^/    /'
    status=1
  fi
  return $rc
}

demo_log="$work/demo.log"
if step demo "$demo_log" ./vigil demo --seconds "$seconds"; then
  # The demo's own summary: the enrolled person's camera alerts, the stranger's does not.
  grep -E '^(ALERT|UPDATE|CLOSED) ' "$demo_log" | sed 's/^/    /' | head -n 10
  if ! grep -qE '^ALERT .*camera=cam-franck ' "$demo_log"; then
    echo "demo   FAIL: no alert for the enrolled person on cam-franck"
    status=1
  fi
  if grep -qE '^ALERT .*camera=cam-webcam ' "$demo_log"; then
    echo "demo   FAIL: an alert on cam-webcam, whose person is not enrolled"
    status=1
  fi
fi
step tests "$work/tests.log" mvn -B verify
if [[ -n "$keep" ]]; then
  echo "fresh-clone-check: kept $work (logs demo.log, tests.log)"
fi
exit $status
