#!/usr/bin/env bash
# Measures every claim of the performance guide in ONE JMH run and writes docs/BENCHMARKS.md.
#
#   heimdall-bench/run-report.sh            full run: 3 warm-up + 5 measured 1 s iterations, 1 fork
#                                           per benchmark (about 12 minutes for 74 on 2 cores)
#   heimdall-bench/run-report.sh --quick    1 warm-up + 3 measured 0.5 s iterations, without the
#                                           1M-row database benchmarks (about 5 minutes; for
#                                           development: the errors are wide)
#   options: --output FILE (default docs/BENCHMARKS.md), --include REGEX (only matching benchmarks;
#            the other claims show as not measured), and after "--" any further JMH options.
#
# Builds heimdall-bench/target/benchmarks.jar first when it is missing or older than any source or
# pom. When /tmp/heimdall-build.lock exists (the developers' shared build lock) the whole script
# holds it, so no build or other benchmark competes for the CPU; on a fresh clone it just runs.
# JMH's GC profiler (-prof gc) adds the bytes allocated per operation to every result.
# After JMH, every NumPy/SciPy peer script heimdall-bench/peers/*.py runs under the same lock (each
# prints JSON lines {"benchmark": "peer.<name>", "avgt_ms": X, "runs": N}); claims use them as
# baselines. Without python3, NumPy or SciPy the peers are skipped and the report says so.
# The raw JMH result is kept next to the report as docs/benchmarks.json.
set -euo pipefail

arguments=("$@")
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/heimdall-bench/target/benchmarks.jar"
output="$root/docs/BENCHMARKS.md"
mode=full
include=()
extra=()
while (($#)); do
  case "$1" in
    --quick) mode=quick ;;
    --output) output="$(realpath -m "${2:?--output needs a file}")"; shift ;;
    --include) include=("${2:?--include needs a regular expression}"); shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-report.sh: unknown option '$1' (expected --quick, --output FILE, --include REGEX, -- JMH options)" >&2
       exit 2 ;;
  esac
  shift
done

lock=/tmp/heimdall-build.lock
if [[ -e $lock && -z ${HEIMDALL_BUILD_LOCK_HELD:-} ]]; then
  export HEIMDALL_BUILD_LOCK_HELD=1
  exec flock "$lock" "$0" "${arguments[@]}"
fi

stale() {
  [[ -f $jar ]] || return 0
  [[ -n "$(find "$root" -path "$root/*/target" -prune -o \
      \( -name pom.xml -o -path '*/src/main/*' \) -type f -newer "$jar" -print -quit)" ]]
}

if stale; then
  echo "run-report: building $jar" >&2
  (cd "$root" && mvn -B -q -pl heimdall-bench -am package -DskipTests) >&2
fi

if [[ $mode == quick ]]; then
  # also skips the four benchmarks that seed 1M rows into PostgreSQL (about 50 s of setup each)
  settings=(-f 1 -wi 1 -w 500ms -i 3 -r 500ms -e 'PersistenceBench\.(keysetPage|offsetPage|indexedStation|unindexedStation)')
else
  settings=(-f 1 -wi 3 -w 1s -i 5 -r 1s)
fi
json="$root/heimdall-bench/target/jmh-result.json"
log="$root/heimdall-bench/target/jmh-run.log"
command=(java -jar "$jar" "${include[@]}" "${settings[@]}" -prof gc -foe false -rf json -rff "$json" "${extra[@]}")

source_state="not a git checkout"
if git -C "$root" rev-parse --git-dir > /dev/null 2>&1; then
  source_state="commit $(git -C "$root" rev-parse --short HEAD)"
  changed=$(git -C "$root" status --porcelain -- '*/src/main/*' '*pom.xml' | awk '{print $2}' \
      | cut -d/ -f1 | sort -u | paste -sd, -)
  [[ -n $changed ]] && source_state+=" with uncommitted changes in $changed"
fi
echo "run-report: $mode run, log in $log" >&2
started=$(date +%s)
date_iso=$(date -u +%Y-%m-%dT%H:%M:%SZ)
rm -f "$json"
"${command[@]}" > "$log" 2>&1 || { echo "run-report: JMH failed, see $log" >&2; tail -20 "$log" >&2; exit 1; }
elapsed=$(($(date +%s) - started))

# The NumPy/SciPy peers, on the same machine right after JMH (one thread each: the scripts pin BLAS).
peers_out="$root/heimdall-bench/target/peer-results.jsonl"
peer_notes="$root/heimdall-bench/target/peer-notes.txt"
peer_log="$root/heimdall-bench/target/peers.log"
: > "$peers_out"
: > "$peer_notes"
: > "$peer_log"
run_peers() {
  local scripts=("$root"/heimdall-bench/peers/*.py)
  if [[ ! -e ${scripts[0]} ]]; then
    echo "No peer scripts in heimdall-bench/peers/." >> "$peer_notes"
    return
  fi
  if ! command -v python3 > /dev/null 2>&1; then
    echo "NumPy/SciPy peers skipped: python3 is not installed on this machine." >> "$peer_notes"
    return
  fi
  local versions
  if ! versions=$(python3 -c 'import sys, numpy, scipy; print(f"Python {sys.version.split()[0]}, NumPy {numpy.__version__}, SciPy {scipy.__version__}")' 2>> "$peer_log"); then
    echo "NumPy/SciPy peers skipped: python3 cannot import numpy and scipy here." >> "$peer_notes"
    return
  fi
  local names
  names=$(printf '%s, ' "${scripts[@]##*/}")
  echo "Peers timed with $versions, one thread, right after JMH on the same machine: ${names%, }." >> "$peer_notes"
  local script lines
  for script in "${scripts[@]}"; do
    if lines=$(ORT_DISABLE_TELEMETRY=1 python3 "$script" 2>> "$peer_log"); then
      grep '^{' <<< "$lines" >> "$peers_out" || echo "Peer ${script##*/} printed no result." >> "$peer_notes"
    else
      echo "Peer ${script##*/} failed (see heimdall-bench/target/peers.log)." >> "$peer_notes"
    fi
  done
}
echo "run-report: timing the NumPy/SciPy peers" >&2
peers_started=$(date +%s)
run_peers
elapsed=$(($(date +%s) - started))
echo "Peers took $(($(date +%s) - peers_started)) s." >> "$peer_notes"

# A benchmark that throws is skipped (-foe false); name it and its exception in the report.
failures="$root/heimdall-bench/target/jmh-failures.txt"
awk '/^# Benchmark: /{b=$3; sub(/^io\.heimdall\.bench\./, "", b)} /^# Parameters: /{p=$0; sub(/^# Parameters: /, "", p)}
     /^# Benchmark: /{p=""} /^<failure>/{f=1; next} f && NF {print b (p ? " " p : "") ": " $0; f=0}' "$log" > "$failures"

shown="heimdall-bench/run-report.sh$([[ $mode == quick ]] && echo ' --quick') → java -jar benchmarks.jar$(printf ' %s' "${include[@]}" "${settings[@]}" -prof gc -foe false -rf json "${extra[@]}")"
java -cp "$jar" io.heimdall.bench.report.BenchmarkReport --results "$json" --output "$output" \
  --command "$shown" --duration-seconds "$elapsed" --date "$date_iso" --failures "$failures" \
  --source "$source_state" --peers "$peers_out" --peer-notes "$peer_notes"
if [[ $output == "$root/docs/BENCHMARKS.md" ]]; then
  cp "$json" "$root/docs/benchmarks.json"
fi
