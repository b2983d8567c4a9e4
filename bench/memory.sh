#!/usr/bin/env bash
# Memory under a burst (docs/benchmarks.md, "Memory under a burst"): a backlog of events of many types spread
# over many hours is pushed through one `streaming run` with a given memory budget; reports the peak RSS of the
# worker against the budget, and how many files the pressure produced.
# usage: bench/memory.sh [events=100000] [types=60] [hours=48] [budget=128MiB] [pad=0] [shards=2]
# pad: bytes of filler text added to every event (large events); shards: the stream's shard count.
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-100000}; types=${2:-60}; hours=${3:-48}; budget=${4:-128MiB}; pad=${5:-0}; shards=${6:-2}
out=bench/out/memory
rm -rf "$out" && mkdir -p "$out"
source bench/lib.sh
bench_prepare

python3 - "$events" "$types" "$hours" "$pad" >"$out/burst.ndjson" <<'PY'
import datetime, json, random, sys
events, types, hours, pad = map(int, sys.argv[1:])
random.seed(7)
# Hours from now on: none of them closes during the run, so only the memory budget (and the partition cap)
# can make the worker write early. Past hours would be written at once by the hour-close rule.
start = datetime.datetime.now(datetime.timezone.utc).replace(minute=0, second=0, microsecond=0)
for i in range(events):
    t = random.randrange(types); h = random.randrange(hours)
    params = {f"f{k}": random.choice([random.randrange(10**6), random.random(), "v" * random.randrange(5, 40), True]) for k in range(t % 7 + 3)}
    if pad:
        params["pad"] = "".join(random.choice("abcdefghij") for _ in range(64)) * (pad // 64)
    when = (start + datetime.timedelta(hours=h, minutes=i % 60)).strftime("%Y-%m-%dT%H:%M:00Z")
    print(json.dumps({"id": f"e-{i}", "date": when, "type": f"burst_type_{t}",
                      "user_id": i % 997, "locale": "ja", "country_code": "JP", "params": params}, separators=(",", ":")))
PY

kport=45691; dport=45692; mport=45693
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1 Streaming__Operations__HttpPort=$mport
trap 'kill ${kinesis:-} ${dynalite:-} ${sampler:-} 2>/dev/null || true' EXIT
bench_emulators $kport $dport "burst:$shards"
$streaming produce --stream burst --file "$out/burst.ndjson" --aggregate --endpoint "http://127.0.0.1:$kport" --json >"$out/produce.json"

/usr/bin/time -f "%M" -o "$out/peak-kib" $streaming run --stream burst --lake "$out/lake" --lease-table bench-burst \
  --kinesis-endpoint "http://127.0.0.1:$kport" --dynamodb-endpoint "http://127.0.0.1:$dport" --memory-budget "$budget" -v >"$out/run.log" 2>&1 &
worker=$!
# Once a second, the worker's own figures from /metrics: the managed heap after the last collection per generation
# and its fragmented part (the runtime's System.Runtime meter), committed memory, and the bytes the budget counts.
(
  while kill -0 $worker 2>/dev/null; do
    curl -s --max-time 1 "http://127.0.0.1:$mport/metrics" 2>/dev/null \
      | grep -E '^(dotnet_gc_last_collection_(heap_size|heap_fragmentation_size|memory_committed_size)_bytes|streaming_buffers_bytes)' \
      | sed "s/^/$(date +%s) /" || true
    sleep 1
  done
) >"$out/gc-samples.txt" &
sampler=$!
# (A count can race with a file being renamed into place: it counts as not there yet. A worker that died ends the wait.)
while kill -0 $worker 2>/dev/null && [ "$($count "$out/lake" 2>/dev/null || echo 0)" -lt "$events" ]; do sleep 1; done
kill -TERM "$(pgrep -P $worker | head -1 || echo $worker)" 2>/dev/null || true
wait $worker || true
wait $sampler 2>/dev/null || true
files=$(find "$out/lake" -name '*.parquet' -not -path '*/_*' | wc -l)
# The heap limit follows the shards held (past four): the last one announced is the one that held at the end.
heap=$(grep -oE 'Managed heap (limited to|limit now) [0-9]+ MiB' "$out/run.log" | tail -1 | grep -oE '[0-9]+' || echo '?')
bound=$(grep -o 'stays under about [0-9]* MiB' "$out/run.log" | tail -1 | grep -o '[0-9]*' || echo '?')
python3 - "$events" "$types" "$hours" "$budget" "$(tail -1 "$out/peak-kib")" "$files" "$pad" "$shards" "$heap" "$bound" <<'PY' | tee "$out/results.md"
import sys
events, types, hours, budget, peak, files, pad, shards, heap, bound = sys.argv[1:]
size = f", {int(pad) // 1024:,} KiB each" if int(pad) else ""
print(f"| burst | memory budget | heap limit | bound (budget + 256 MiB, + 25 MiB a shard past 4) | peak RSS of the worker | files |")
print(f"| --- | --- | ---: | ---: | ---: | ---: |")
print(f"| {int(events):,} events{size}, {types} types x {hours} hours (up to {int(types) * int(hours):,} partitions), {shards} shards | {budget} | {heap} MiB | {bound} MiB | {int(peak) / 1024:,.0f} MiB | {int(files):,} |")
PY
# The largest of each figure over the run (MiB), and whether the worker stopped on OutOfMemoryException.
python3 - "$out/gc-samples.txt" "$out/run.log" <<'PY' | tee -a "$out/results.md"
import re, sys
peaks = {}
for line in open(sys.argv[1]):
    m = re.match(r'\d+ (\w+)(\{[^}]*\})? ([0-9.e+]+)', line)
    if not m:
        continue
    name = m.group(1).replace("dotnet_gc_last_collection_", "").replace("_bytes", "")
    gen = re.search(r'gc_heap_generation="(\w+)"', m.group(2) or "")
    key = name + (f" {gen.group(1)}" if gen else "")
    peaks[key] = max(peaks.get(key, 0), float(m.group(3)))
print()
print("largest over the run (MiB): " + ", ".join(f"{k} {v / 2**20:.1f}" for k, v in sorted(peaks.items())) if peaks else "no /metrics sample was taken")
oom = sum("OutOfMemoryException" in l for l in open(sys.argv[2]))
print(f"OutOfMemoryException in the log: {'yes, see event 213 in run.log' if oom else 'no'}")
PY
