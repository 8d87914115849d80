#!/usr/bin/env bash
# Proof that the test command does not depend on machine speed: N fresh clones of the committed
# HEAD, each running `.ci/run` (the README's install + test commands, CI=true), one after the other,
# while CPU-bound processes run beside them for the whole time. Not part of `pnpm test`.
#
#   bash scripts/test-under-load.sh [runs=5] [hogs=2]
#
# Env: PER_RUN_TIMEOUT (default 45m) bounds each run; LOAD_LOG_DIR (default .cache/test-under-load)
# keeps one log per run. The hogs are started and killed by pid, also on Ctrl-C or a failed run.
# Exit status: 0 only when every run passed. The last lines are one summary line per run and a total.
set -euo pipefail

runs=${1:-5}
hogs=${2:-2}
per_run=${PER_RUN_TIMEOUT:-45m}
repo=$(cd "$(dirname "$0")/.." && pwd)
shared="$repo/../shared"
logs=${LOAD_LOG_DIR:-$repo/.cache/test-under-load}
work=$(mktemp -d "${TMPDIR:-/tmp}/test-under-load.XXXXXX")
mkdir -p "$logs"

pids=()
run_pid=
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  # `timeout` leads its own process group: killing the group ends the run in progress and all it started.
  if [ -n "$run_pid" ]; then kill -TERM -- "-$run_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for _ in $(seq "$hogs"); do
  node -e 'for (;;) {}' &
  pids+=("$!")
done
# Every run tests the same commit: HEAD when the script started, whatever is committed meanwhile.
commit=$(git -C "$repo" rev-parse HEAD)
echo "test-under-load: $hogs CPU hog(s) running (pids ${pids[*]}), $runs fresh clone(s) of ${commit:0:7}, logs in $logs"

summary=()
failed=0
for i in $(seq "$runs"); do
  dir="$work/run-$i"
  mkdir -p "$dir"
  git clone --quiet "$repo" "$dir/main"
  git -C "$dir/main" checkout --quiet --detach "$commit"
  # CI has a copy of shared/ beside the clone: so does each run.
  if [ -d "$shared" ]; then cp -r "$shared" "$dir/shared"; fi
  log="$logs/run-$i.log"
  start=$(date +%s)
  status=0
  (cd "$dir/main" && exec timeout --kill-after=30s "$per_run" bash .ci/run) >"$log" 2>&1 &
  run_pid=$!
  wait "$run_pid" || status=$?
  run_pid=
  seconds=$(($(date +%s) - start))
  count=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^tests: ' | tail -n 1 || true)
  line="run $i: exit $status in ${seconds}s — ${count:-no count line}"
  echo "test-under-load: $line"
  summary+=("$line")
  [ "$status" -eq 0 ] || failed=$((failed + 1))
  rm -rf "$dir"
done

echo "test-under-load: summary ($hogs hogs, load average now $(cut -d' ' -f1-3 /proc/loadavg))"
printf '  %s\n' "${summary[@]}"
echo "test-under-load: $((runs - failed))/$runs runs passed"
[ "$failed" -eq 0 ]
