#!/usr/bin/env bash
# Lake size benchmark (docs/benchmarks.md, "Lake size"): the same NDJSON file converted with each candidate codec /
# encoding setting, and by DuckDB's partitioned COPY, in one run on one machine. Reports per lake: Parquet bytes,
# bytes per event, ratio to DuckDB's bytes, conversion time (pinned to CPU 0 with taskset, median of the runs; the
# candidates and DuckDB alternate within each round) and, per query in docs/queries, the compressed bytes of the
# column chunks the query has to read (what Athena bills; see streaming-bench query-columns / scan-bytes).
#
# usage: bench/lake-size.sh [events=1000000] [repeats=3]
#   SHUFFLED=1   convert a copy of the file with its lines in a fixed random order (rows arrive out of time order,
#                so sorting has work to do; DuckDB reads the same shuffled file)
#   SLOW=1       also the candidates too slow to be a default (Zstd level 19, Gzip smallest), timed the same way
#   CPU=n        pin to CPU n instead of 0 (when someone else's benchmark is pinned to CPU 0)
#   IDS=hex      every event's `id` rewritten as its UUID's 32 hex digits without hyphens (the same 122 random bits,
#                but no longer a UUID to DuckDB, which then stores it as text like every other writer)
#   IDS=seq      every event's `id` rewritten as `evt-<line number>` (ids from a counter, as many backends make them)
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-1000000}
repeats=${2:-3}
out=bench/out
work=$out/lake-size
mkdir -p "$work"

if [ ! -x /usr/bin/time ]; then
  apt-get install -y time >/dev/null
fi
pin=""
if command -v taskset >/dev/null; then
  pin="taskset -c ${CPU:-0}"
fi

dotnet build -c Release src/Streaming.Cli/Streaming.Cli.csproj -v quiet -nologo >/dev/null
dotnet build -c Release bench/Streaming.Benchmarks/Streaming.Benchmarks.csproj -v quiet -nologo >/dev/null
streaming="dotnet src/Streaming.Cli/bin/Release/net10.0/streaming.dll"
bench="dotnet bench/Streaming.Benchmarks/bin/Release/net10.0/streaming-bench.dll"

input="$out/events-$events.ndjson"
if [ ! -s "$input" ]; then
  $streaming generate -n "$events" -o "$input" --hours 24 --seed 42
fi
if [ "${SHUFFLED:-0}" = 1 ]; then
  shuffled="$out/events-$events-shuffled.ndjson"
  if [ ! -s "$shuffled" ]; then
    shuf --random-source=<(yes 42) "$input" >"$shuffled"
  fi
  input=$shuffled
fi
case "${IDS:-uuid}" in
  uuid) ;;
  hex|seq)
    rewritten="${input%.ndjson}-ids-$IDS.ndjson"
    if [ ! -s "$rewritten" ]; then
      python3 - "$input" "$IDS" >"$rewritten" <<'PY'
import re, sys
path, mode = sys.argv[1:]
uuid = re.compile(r'^\{"id":"([0-9a-f-]{36})"')
with open(path) as lines:
    for n, line in enumerate(lines, 1):
        m = uuid.match(line)
        if not m:
            sys.exit(f"line {n} does not start with a UUID id")
        new = m.group(1).replace("-", "") if mode == "hex" else f"evt-{n}"
        sys.stdout.write('{"id":"' + new + '"' + line[m.end():])
PY
    fi
    input=$rewritten
    ;;
  *) echo "IDS must be uuid, hex or seq" >&2; exit 2 ;;
esac

# name|settings: every lake key that differs between candidates is set explicitly, so the defaults do not matter.
candidates=(
  "snappy-plain|Compression=Snappy CompressionLevel=Fastest DeltaEncoding=false SortByEventTime=true"
  "snappy|Compression=Snappy CompressionLevel=Fastest DeltaEncoding=true SortByEventTime=true"
  "zstd1-plain|Compression=Zstd CompressionLevel=Fastest DeltaEncoding=false SortByEventTime=true"
  "zstd1|Compression=Zstd CompressionLevel=Fastest DeltaEncoding=true SortByEventTime=true"
  "zstd1-unsorted|Compression=Zstd CompressionLevel=Fastest DeltaEncoding=true SortByEventTime=false"
  "zstd3|Compression=Zstd CompressionLevel=Optimal DeltaEncoding=true SortByEventTime=true"
)
if [ "${SLOW:-0}" = 1 ]; then
  candidates+=(
    "zstd19|Compression=Zstd CompressionLevel=Smallest DeltaEncoding=true SortByEventTime=true"
    "gzip9|Compression=Gzip CompressionLevel=Smallest DeltaEncoding=true SortByEventTime=true"
  )
fi
reference=zstd1

# convert <name> <settings>: one pinned conversion; appends "<seconds> <final flush seconds>" to the name's times.
convert() {
  local name=$1 settings=$2 env=()
  for kv in $settings; do env+=("Streaming__Lake__$kv"); done
  rm -rf "$work/lake-$name"
  env "${env[@]}" /usr/bin/time -f "%e" -o "$work/time-$name" $pin \
    $streaming convert "$input" --lake "$work/lake-$name" --quiet --json >"$work/stdout-$name"
  echo "$(cat "$work/time-$name") $(python3 -c "import json;print(json.load(open('$work/stdout-$name'))['final_flush_seconds'])")" >>"$work/times-$name"
}

for c in "${candidates[@]}" "duckdb|"; do rm -f "$work/times-${c%%|*}"; done
for i in $(seq 1 "$repeats"); do
  for c in "${candidates[@]}"; do
    convert "${c%%|*}" "${c#*|}"
  done
  rm -rf "$work/lake-duckdb"
  /usr/bin/time -f "%e" -o "$work/time-duckdb" $pin $bench duckdb-copy "$input" "$work/lake-duckdb" >"$work/stdout-duckdb"
  echo "$(cat "$work/time-duckdb") 0" >>"$work/times-duckdb"
  echo "round $i: $(for c in "${candidates[@]}" "duckdb|"; do n=${c%%|*}; printf '%s %ss  ' "$n" "$(tail -1 "$work/times-$n" | cut -d' ' -f1)"; done)" >&2
done

# The columns each query reads, planned once on the reference lake; the same names are looked up in every lake.
$bench query-columns "$work/lake-$reference" docs/queries/*.sql >"$work/query-columns.tsv"
names=()
for c in "${candidates[@]}" "duckdb|"; do
  n=${c%%|*}; names+=("$n")
  $bench scan-bytes "$work/query-columns.tsv" "$work/lake-$n" >"$work/scan-$n.tsv"
  find "$work/lake-$n" -name '*.parquet' -printf '%s\n' | awk '{s+=$1; f++} END {print s, f}' >"$work/size-$n"
done

settings_of() { for c in "${candidates[@]}"; do [ "${c%%|*}" = "$1" ] && echo "${c#*|}"; done; }
for n in "${names[@]}"; do echo "$n|$(settings_of "$n")"; done >"$work/candidates"

python3 - "$work" "$events" "$input" "$repeats" "${pin:-none}" <<'PY' | tee "$out/lake-size.md"
import csv, statistics, sys
work, events, input_path, repeats, pin = sys.argv[1:]
events = int(events)
cands = [l.rstrip("\n").split("|", 1) for l in open(f"{work}/candidates")]
def times(n):
    rows = [l.split() for l in open(f"{work}/times-{n}")]
    return [float(r[0]) for r in rows], [float(r[1]) for r in rows]
def size(n):
    b, f = open(f"{work}/size-{n}").read().split()
    return int(b), int(f)
def scans(n):
    return {r["query"]: int(r["bytes"]) for r in csv.DictReader(open(f"{work}/scan-{n}.tsv"), delimiter="\t")}
d_bytes, _ = size("duckdb")
duck_id = "`id` as a 16-byte UUID" if "-ids-" not in input_path else "`id` as text"
d_time = statistics.median(times("duckdb")[0])
d_scan = scans("duckdb")
print(f"input: {input_path}, {events:,} events; median of {repeats} runs per lake, alternating; CPU pinning: {pin}")
print()
print("| lake | settings (Streaming:Lake:*) | Parquet bytes | files | bytes/event | vs DuckDB bytes | time (s) | final flush (s) | speed vs DuckDB |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for name, settings in cands:
    b, f = size(name)
    t, fl = times(name)
    mt = statistics.median(t)
    flush = f"{statistics.median(fl):.2f}" if name != "duckdb" else ""
    label = settings if name != "duckdb" else f"DuckDB COPY, threads=1 (its own defaults: Snappy, {duck_id})"
    print(f"| {name} | {label} | {b:,} | {f} | {b/events:.1f} | {b/d_bytes:.2f}x | {mt:.2f} | {flush} | {d_time/mt:.2f}x |")
print()
queries = sorted(d_scan)
print("Bytes each query reads (compressed column chunks of the columns it references, all files of its tables), and the ratio to DuckDB's lake:")
print()
print("| lake | " + " | ".join(queries) + " |")
print("| --- |" + " ---: |" * len(queries))
for name, _ in cands:
    s = scans(name)
    cells = [f"{s[q]:,} ({s[q]/d_scan[q]:.2f}x)" if name != "duckdb" else f"{s[q]:,}" for q in queries]
    print(f"| {name} | " + " | ".join(cells) + " |")
print()
print("Columns per query and table (from DuckDB's plan on the reference lake):")
print()
for r in csv.DictReader(open(f"{work}/query-columns.tsv"), delimiter="\t"):
    print(f"- {r['query']}: {r['table']} ({r['columns']})")
print()
print("runs (s, in order): " + "; ".join(f"{n} " + " ".join(f"{x:.2f}" for x in times(n)[0]) for n, _ in cands))
PY
