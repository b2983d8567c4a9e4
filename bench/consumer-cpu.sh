#!/usr/bin/env bash
# CPU of the Kinesis consumer per MB, in process and without an emulator (docs/benchmarks.md, "Kinesis consumer"):
# the events of `streaming generate` are dealt into 1, 4 and 16 shards by partition key and recorded as GetRecords
# answers (plain records, one event each, or KPL aggregates), then `streaming-bench consumer` runs one ShardConsumer
# per shard over them, all concurrently, into a local lake. Each consumer run is paired with a `streaming convert` of
# the same file just before it (CPU from /usr/bin/time, %U + %S), so that the ratio compares runs of the same moment
# on a shared machine. The first round also checks each consumer lake against the convert lake, every column by name.
#
# usage: bench/consumer-cpu.sh [events=1000000] [repeats=3] [cases="1:plain 4:plain 16:plain 1:aggregated 4:aggregated 16:aggregated"]
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-1000000}
repeats=${2:-3}
cases=${3:-"1:plain 4:plain 16:plain 1:aggregated 4:aggregated 16:aggregated"}
out=bench/out/consumer-cpu
rm -rf "$out" && mkdir -p "$out"
[ -x /usr/bin/time ] || apt-get install -y time >/dev/null

dotnet build -c Release src/Streaming.Cli/Streaming.Cli.csproj -v quiet -nologo >/dev/null
dotnet build -c Release bench/Streaming.Benchmarks/Streaming.Benchmarks.csproj -v quiet -nologo >/dev/null
streaming="dotnet src/Streaming.Cli/bin/Release/net10.0/streaming.dll"
bench="dotnet bench/Streaming.Benchmarks/bin/Release/net10.0/streaming-bench.dll"

input="bench/out/events-$events.ndjson"
if [ ! -s "$input" ]; then
  $streaming generate -n "$events" -o "$input" --hours 24 --seed 42
fi

for round in $(seq 1 "$repeats"); do
  for case in $cases; do
    shards=${case%%:*}; format=${case##*:}
    name="$shards-$format"
    flags=(--shards "$shards"); [ "$format" = aggregated ] && flags+=(--aggregate)

    rm -rf "$out/lake-convert"
    /usr/bin/time -f '{"wall_seconds":%e,"user_seconds":%U,"system_seconds":%S,"peak_kib":%M}' -o "$out/convert-$round-$name.json" \
      $streaming convert "$input" --lake "$out/lake-convert" --quiet --json >"$out/convert-summary.json"

    rm -rf "$out/lake-$name"
    $bench consumer "$input" "${flags[@]}" --lake "$out/lake-$name" >"$out/consumer-$round-$name.json"

    if [ "$round" = 1 ]; then
      $bench compare "$out/lake-convert" "$out/lake-$name" >"$out/compare-$name.json" 2>"$out/compare-$name.err" || true
      find "$out/lake-$name" -name '*.parquet' -not -path '*/_*' -printf '%f\n' >"$out/files-$name.txt"
    fi
    rm -rf "$out/lake-$name"
    echo "round $round $name: consumer $(python3 -c "import json;d=json.load(open('$out/consumer-$round-$name.json'));print(d['cpu_seconds'],'CPU-s',d['wall_seconds'],'s')"), convert $(python3 -c "import json;d=json.load(open('$out/convert-$round-$name.json'));print(round(d['user_seconds']+d['system_seconds'],2),'CPU-s')")" >&2
  done
done

python3 - "$out" "$repeats" "$cases" "$input" <<'PY' | tee "$out/results.md"
import json, os, statistics, sys
out, repeats, cases, input_path = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(), sys.argv[4]
load = lambda p: json.load(open(p))
med = statistics.median
input_mb = os.path.getsize(input_path) / 1e6
print(f"input: {input_path}, {input_mb:,.1f} MB; median of {repeats} rounds; each consumer run paired with a convert run just before it")
print()
print("| shards | records | record data | wall | CPU | CPU / wall | runnable / wall | MB per CPU-s | convert CPU | CPU ratio consumer / convert | rows, lake = convert's |")
print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
detail = []
for case in cases:
    shards, fmt = case.split(":")
    name = f"{shards}-{fmt}"
    runs = [load(f"{out}/consumer-{r}-{name}.json") for r in range(1, repeats + 1)]
    converts = [load(f"{out}/convert-{r}-{name}.json") for r in range(1, repeats + 1)]
    convert_cpu = [c["user_seconds"] + c["system_seconds"] for c in converts]
    ratios = [r["cpu_seconds"] / c for r, c in zip(runs, convert_cpu)]
    first = runs[0]
    compare = load(f"{out}/compare-{name}.json") if os.path.getsize(f"{out}/compare-{name}.json") else {"differences": "?", "rows": 0}
    same = "same rows" if compare["differences"] == 0 else f"{compare['differences']} tables differ"
    ok = "yes" if all(r["all_shards_ended"] and r["rows_written"] + r["rejected"] == r["events"] for r in runs) else "NO"
    records = f"{first['records']:,} {'aggregates' if fmt == 'aggregated' else 'plain'}"
    print(f"| {shards} | {records} | {first['record_bytes'] / 1e6:,.1f} MB | {med(r['wall_seconds'] for r in runs):.2f} s | {med(r['cpu_seconds'] for r in runs):.2f} s "
          f"| {med(r['cpu_per_wall'] for r in runs):.2f} | {med(r['runnable_per_wall'] for r in runs):.2f} | {med(r['record_mb_per_cpu_second'] for r in runs):.1f} "
          f"| {med(convert_cpu):.2f} s | {med(ratios):.2f}x ({min(ratios):.2f}-{max(ratios):.2f}) | {first['rows_written']:,} {ok}, {same} |")
    files = open(f"{out}/files-{name}.txt").read().split()
    detail.append((shards, fmt, runs, files))
print()
print("Where the consumer's CPU went (medians, thread CPU of each part; the rest is routing: payload decoding, normalising, buffering, the consumer's per-record work, GC, JIT):")
print()
print("| shards | records | parse answers | encode Parquet | create files (fsync) | rest | JIT (wall) | GC pauses (wall) | files | allocated |")
print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for shards, fmt, runs, files in detail:
    parts = {k: med(r[k] for r in runs) for k in ["cpu_seconds", "parse_cpu_seconds", "encode_cpu_seconds", "store_cpu_seconds", "jit_seconds", "gc_pause_seconds", "allocated_mb"]}
    rest = parts["cpu_seconds"] - parts["parse_cpu_seconds"] - parts["encode_cpu_seconds"] - parts["store_cpu_seconds"]
    print(f"| {shards} | {fmt} | {parts['parse_cpu_seconds']:.2f} s | {parts['encode_cpu_seconds']:.2f} s | {parts['store_cpu_seconds']:.2f} s | {rest:.2f} s "
          f"| {parts['jit_seconds']:.2f} s | {parts['gc_pause_seconds']:.2f} s | {len(files):,} | {parts['allocated_mb']:,.0f} MB |")
print()
all_convert = [c["user_seconds"] + c["system_seconds"] for case in cases for c in [load(f"{out}/convert-{r}-{case.replace(':', '-')}.json") for r in range(1, repeats + 1)]]
print(f"convert of the same file, all {len(all_convert)} runs: CPU {min(all_convert):.2f}-{max(all_convert):.2f} s, median {med(all_convert):.2f} s "
      f"({input_mb / med(all_convert):.1f} MB per CPU-s)")
print()
print("every run (consumer CPU-s / paired convert CPU-s):")
for shards, fmt, runs, _ in detail:
    name = f"{shards}-{fmt}"
    converts = [load(f"{out}/convert-{r}-{name}.json") for r in range(1, repeats + 1)]
    print(f"- {shards} {fmt}: " + ", ".join(f"{r['cpu_seconds']:.2f}/{c['user_seconds'] + c['system_seconds']:.2f}" for r, c in zip(runs, converts)))
PY
