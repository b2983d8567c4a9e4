#!/usr/bin/env bash
# Benchmark of the conversion path (docs/benchmarks.md): streaming convert against DuckDB's partitioned COPY
# on the same generated NDJSON file, same machine, one run. Both are pinned to one CPU (taskset) so that
# "single-threaded" also covers runtime helper threads; DuckDB additionally runs with SET threads = 1.
#
# usage: bench/convert-vs-duckdb.sh [events=1000000] [repeats=3]
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-1000000}
repeats=${2:-3}
out=bench/out
mkdir -p "$out"

if [ ! -x /usr/bin/time ]; then
  apt-get install -y time >/dev/null
fi
pin=""
if command -v taskset >/dev/null; then
  pin="taskset -c 0"
fi

dotnet build -c Release src/Streaming.Cli/Streaming.Cli.csproj -v quiet -nologo >/dev/null
dotnet build -c Release bench/Streaming.Benchmarks/Streaming.Benchmarks.csproj -v quiet -nologo >/dev/null
streaming="dotnet src/Streaming.Cli/bin/Release/net10.0/streaming.dll"
duckdb="dotnet bench/Streaming.Benchmarks/bin/Release/net10.0/streaming-bench.dll"

input="$out/events-$events.ndjson"
if [ ! -s "$input" ]; then
  $streaming generate -n "$events" -o "$input" --hours 24 --seed 42
fi
bytes=$(stat -c %s "$input")

# run <name> <command...>: prints "<seconds> <peak KiB>"
run() {
  local name=$1; shift
  rm -rf "$out/lake-$name"
  /usr/bin/time -f "%e %M" -o "$out/time-$name" $pin "$@" >"$out/stdout-$name" 2>"$out/stderr-$name"
  cat "$out/time-$name"
}

declare -a s_times s_rss d_times d_rss
for i in $(seq 1 "$repeats"); do
  read -r t m < <(run streaming $streaming convert "$input" --lake "$out/lake-streaming" --quiet --json)
  s_times+=("$t"); s_rss+=("$m")
  read -r t m < <(run duckdb $duckdb duckdb-copy "$input" "$out/lake-duckdb")
  d_times+=("$t"); d_rss+=("$m")
  echo "run $i: streaming ${s_times[-1]} s ${s_rss[-1]} KiB | duckdb ${d_times[-1]} s ${d_rss[-1]} KiB" >&2
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
st=$(median "${s_times[@]}"); sm=$(median "${s_rss[@]}")
dt=$(median "${d_times[@]}"); dm=$(median "${d_rss[@]}")
rows_s=$(python3 -c "import json;print(json.load(open('$out/stdout-streaming'))['rows'])")
rows_d=$(python3 -c "import json;print(json.load(open('$out/stdout-duckdb'))['rows'])")
files_s=$(find "$out/lake-streaming" -name '*.parquet' | wc -l)
files_d=$(find "$out/lake-duckdb" -name '*.parquet' | wc -l)
size_s=$(du -sb "$out/lake-streaming" | cut -f1)
size_d=$(du -sb "$out/lake-duckdb" | cut -f1)

# The machine may be shared: next to the medians, the results keep every run, the best run of each and the
# highest peak RSS, so that noise is visible instead of hidden.
all_s="${s_times[*]}"; all_d="${d_times[*]}"; all_sm="${s_rss[*]}"; all_dm="${d_rss[*]}"
python3 - "$events" "$bytes" "$st" "$sm" "$dt" "$dm" "$rows_s" "$rows_d" "$files_s" "$files_d" "$size_s" "$size_d" "$repeats" "${pin:-none}" "$all_s" "$all_d" "$all_sm" "$all_dm" <<'PY' | tee "$out/results.md"
import sys
ev, by, st, sm, dt, dm, rs, rd, fs, fd, zs, zd, reps, pin, all_s, all_d, all_sm, all_dm = sys.argv[1:]
all_s, all_d = [float(x) for x in all_s.split()], [float(x) for x in all_d.split()]
all_sm, all_dm = [int(x) for x in all_sm.split()], [int(x) for x in all_dm.split()]
ev, by = int(ev), int(by); st, dt = float(st), float(dt); sm, dm = int(sm), int(dm)
mb = by / 1e6
print(f"input: {ev:,} events, {mb:,.1f} MB; median of {reps} runs; CPU pinning: {pin}")
print()
print("| | events/s | MB/s | peak RSS | rows | files | lake size |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
print(f"| streaming convert | {ev/st:,.0f} | {mb/st:,.1f} | {sm/1024:,.0f} MiB | {int(rs):,} | {fs} | {int(zs)/1e6:,.1f} MB |")
print(f"| DuckDB COPY (threads=1) | {ev/dt:,.0f} | {mb/dt:,.1f} | {dm/1024:,.0f} MiB | {int(rd):,} | {fd} | {int(zd)/1e6:,.1f} MB |")
print(f"| ratio streaming / DuckDB | {dt/st:.2f}x | {dt/st:.2f}x | {sm/dm:.2f}x | | | |")
print()
bs, bd = min(all_s), min(all_d)
print(f"best run: streaming {bs:.2f} s ({ev/bs:,.0f} events/s), DuckDB {bd:.2f} s ({ev/bd:,.0f} events/s), ratio {bd/bs:.2f}x; "
      f"highest peak RSS: streaming {max(all_sm)/1024:,.0f} MiB, DuckDB {max(all_dm)/1024:,.0f} MiB")
print()
print("runs (s, in order, each streaming run followed by a DuckDB run): streaming " + " ".join(f"{x:.2f}" for x in all_s)
      + "; DuckDB " + " ".join(f"{x:.2f}" for x in all_d))
PY
