#!/usr/bin/env bash
# Benchmark of the conversion path (docs/benchmarks.md): streaming convert against DuckDB's partitioned COPY
# on the same generated NDJSON file, same machine, one run, in two settings measured side by side:
#   single core: both pinned to CPU 0 (taskset), so that "single-threaded" also covers runtime helper threads;
#                DuckDB with SET threads = 1;
#   all cores:   both unpinned; DuckDB with its default threads; streaming convert with --threads $(nproc) when
#                its --help lists that option (without it, convert runs as it always does).
#
# usage: bench/convert-vs-duckdb.sh [events=1000000] [repeats=3]       (STREAMING_BUILD=jit: the JIT build instead)
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
cores=$(nproc)

# streaming: the executable the image ships, `dotnet publish` of the CLI (Native AOT, docker/Dockerfile);
# STREAMING_BUILD=jit measures the JIT build (`dotnet streaming.dll`, what `dotnet run` starts) instead.
if [ "${STREAMING_BUILD:-published}" = jit ]; then
  dotnet build -c Release src/Streaming.Cli/Streaming.Cli.csproj -v quiet -nologo >/dev/null
  streaming="dotnet src/Streaming.Cli/bin/Release/net10.0/streaming.dll"
else
  dotnet publish -c Release --use-current-runtime src/Streaming.Cli/Streaming.Cli.csproj -v quiet -nologo -o "$out/publish" >/dev/null
  streaming="$out/publish/streaming"
fi
dotnet build -c Release bench/Streaming.Benchmarks/Streaming.Benchmarks.csproj -v quiet -nologo >/dev/null
duckdb="dotnet bench/Streaming.Benchmarks/bin/Release/net10.0/streaming-bench.dll"

# Parallel convert is optional: pass --threads only to a build that has it.
threads_opt=""
help=$($streaming convert --help 2>&1 || true)
if grep -q -- '--threads' <<<"$help"; then
  threads_opt="--threads $cores"
fi

input="$out/events-$events.ndjson"
if [ ! -s "$input" ]; then
  $streaming generate -n "$events" -o "$input" --hours 24 --seed 42
fi
bytes=$(stat -L -c %s "$input")

# run <name> <pin-or-empty> <command...>: prints "<seconds> <peak KiB> <CPU seconds, user + system>"
run() {
  local name=$1 cpu=$2; shift 2
  rm -rf "$out/lake-$name"
  /usr/bin/time -f "%e %M %U %S" -o "$out/time-$name" $cpu "$@" >"$out/stdout-$name" 2>"$out/stderr-$name"
  awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}' "$out/time-$name"
}

# Each repeat runs all four, alternating, so that a noisy neighbour hits every side alike.
declare -a s1_t s1_m s1_c d1_t d1_m d1_c sn_t sn_m sn_c dn_t dn_m dn_c
for i in $(seq 1 "$repeats"); do
  read -r t m c < <(run streaming-1 "$pin" $streaming convert "$input" --lake "$out/lake-streaming-1" --quiet --json)
  s1_t+=("$t"); s1_m+=("$m"); s1_c+=("$c")
  read -r t m c < <(run duckdb-1 "$pin" $duckdb duckdb-copy "$input" "$out/lake-duckdb-1" --threads 1)
  d1_t+=("$t"); d1_m+=("$m"); d1_c+=("$c")
  # shellcheck disable=SC2086 # threads_opt is empty or two words
  read -r t m c < <(run streaming-n "" $streaming convert "$input" --lake "$out/lake-streaming-n" --quiet --json $threads_opt)
  sn_t+=("$t"); sn_m+=("$m"); sn_c+=("$c")
  read -r t m c < <(run duckdb-n "" $duckdb duckdb-copy "$input" "$out/lake-duckdb-n" --threads default)
  dn_t+=("$t"); dn_m+=("$m"); dn_c+=("$c")
  echo "run $i: single core: streaming ${s1_t[-1]} s ${s1_m[-1]} KiB | duckdb ${d1_t[-1]} s ${d1_m[-1]} KiB;" \
       "all cores: streaming ${sn_t[-1]} s ${sn_m[-1]} KiB | duckdb ${dn_t[-1]} s ${dn_m[-1]} KiB" >&2
done

# facts <name>: "<rows> <files> <lake bytes>" of the last run
facts() {
  local name=$1
  echo "$(python3 -c "import json;print(json.load(open('$out/stdout-$name'))['rows'])")" \
       "$(find "$out/lake-$name" -name '*.parquet' | wc -l)" \
       "$(du -sb "$out/lake-$name" | cut -f1)"
}

# The machine may be shared: next to the medians, the results keep every run, the best run of each and the
# highest peak RSS, so that noise is visible instead of hidden.
python3 - "$events" "$bytes" "$repeats" "${pin:-none}" "$cores" "${threads_opt:-(no --threads option: one thread)}" \
  "${s1_t[*]}" "${s1_m[*]}" "${s1_c[*]}" "$(facts streaming-1)" "${d1_t[*]}" "${d1_m[*]}" "${d1_c[*]}" "$(facts duckdb-1)" \
  "${sn_t[*]}" "${sn_m[*]}" "${sn_c[*]}" "$(facts streaming-n)" "${dn_t[*]}" "${dn_m[*]}" "${dn_c[*]}" "$(facts duckdb-n)" \
  "${STREAMING_BUILD:-published (Native AOT)}" <<'PY' | tee "$out/results.md"
import statistics
import sys

ev, by, reps, pin, cores, threads_opt = sys.argv[1:7]
build = sys.argv[23]
ev, by = int(ev), int(by)
mb = by / 1e6
sides = []
for i in range(4):
    times, rss, cpu, facts = sys.argv[7 + 4 * i: 11 + 4 * i]
    times = [float(x) for x in times.split()]
    rss = [int(x) for x in rss.split()]
    cpu = [float(x) for x in cpu.split()]
    rows, files, size = (int(x) for x in facts.split())
    sides.append((times, rss, rows, files, size, cpu))

median = statistics.median

print(f"input: {ev:,} events, {mb:,.1f} MB; median of {reps} runs; {cores} cores; streaming build: {build}")

def section(title, names, streaming, duckdb):
    (st_all, sm_all, rs, fs, zs, sc_all), (dt_all, dm_all, rd, fd, zd, dc_all) = streaming, duckdb
    st, dt = median(st_all), median(dt_all)
    sm, dm = median(sm_all), median(dm_all)
    print()
    print(f"### {title}")
    print()
    print("| | events/s | MB/s | peak RSS | rows | files | lake size |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(f"| {names[0]} | {ev/st:,.0f} | {mb/st:,.1f} | {sm/1024:,.0f} MiB | {rs:,} | {fs} | {zs/1e6:,.1f} MB |")
    print(f"| {names[1]} | {ev/dt:,.0f} | {mb/dt:,.1f} | {dm/1024:,.0f} MiB | {rd:,} | {fd} | {zd/1e6:,.1f} MB |")
    print(f"| ratio streaming / DuckDB | {dt/st:.2f}x | {dt/st:.2f}x | {sm/dm:.2f}x | | | {zs/zd:.2f}x |")
    print()
    bs, bd = min(st_all), min(dt_all)
    print(f"best run: streaming {bs:.2f} s ({ev/bs:,.0f} events/s), DuckDB {bd:.2f} s ({ev/bd:,.0f} events/s), ratio {bd/bs:.2f}x; "
          f"highest peak RSS: streaming {max(sm_all)/1024:,.0f} MiB, DuckDB {max(dm_all)/1024:,.0f} MiB")
    print()
    print("runs (s, in order): streaming " + " ".join(f"{x:.2f}" for x in st_all)
          + "; DuckDB " + " ".join(f"{x:.2f}" for x in dt_all))
    # CPU time moves much less than wall time when a neighbour takes the same CPU: the runs wait, they do not work more.
    sc, dc = median(sc_all), median(dc_all)
    print()
    print(f"CPU time (user + system, median): streaming {sc:.2f} s, DuckDB {dc:.2f} s, ratio {dc/sc:.2f}x; "
          "runs: streaming " + " ".join(f"{x:.2f}" for x in sc_all) + "; DuckDB " + " ".join(f"{x:.2f}" for x in dc_all))

section(f"Single core (CPU pinning: {pin})", ["streaming convert", "DuckDB COPY (threads=1)"], sides[0], sides[1])
section(f"All cores (unpinned; convert {threads_opt})", ["streaming convert", "DuckDB COPY (default threads)"], sides[2], sides[3])
PY
