#!/usr/bin/env bash
# Benchmark of the Kinesis consumer against the local emulators (docs/benchmarks.md, "Kinesis consumer"):
#  1. records/s through one shard (kinesis-local -> streaming run -> local lake);
#  2. how long a SIGKILLed worker's shards take to resume on another worker;
#  3. DynamoDB lease writes per shard-hour at the default timings, counted from the lease counters.
# usage: bench/consumer.sh [events=20000] [quiet-seconds=60]
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-20000}
quiet=${2:-60}
out=bench/out/consumer
rm -rf "$out" && mkdir -p "$out"
(cd tools/emulators && [ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null)

dotnet build -c Release src/Streaming.Cli/Streaming.Cli.csproj -v quiet -nologo >/dev/null
dotnet build -c Release bench/Streaming.Benchmarks/Streaming.Benchmarks.csproj -v quiet -nologo >/dev/null
streaming="dotnet src/Streaming.Cli/bin/Release/net10.0/streaming.dll"
count="dotnet bench/Streaming.Benchmarks/bin/Release/net10.0/streaming-bench.dll count"

kport=45681; dport=45682
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1 Streaming__Operations__HttpPort=0
(cd tools/emulators/node_modules/kinesis-local && KINESIS_MOCK_PLAIN_PORT=$kport KINESIS_MOCK_TLS_PORT=$((kport + 100)) \
  SHARD_LIMIT=1000 INITIALIZE_STREAMS="one:1,four:4,idle:4" exec node main.js) >"$out/kinesis.log" 2>&1 &
kinesis=$!
tools/emulators/node_modules/.bin/dynalite --host 127.0.0.1 --port $dport >"$out/dynalite.log" 2>&1 &
dynalite=$!
pids=()
cleanup() { kill "${pids[@]}" "$kinesis" "$dynalite" 2>/dev/null || true; }
trap cleanup EXIT
sleep 8
endpoints=(--kinesis-endpoint "http://127.0.0.1:$kport" --dynamodb-endpoint "http://127.0.0.1:$dport")
now() { date +%s.%N; }

# 1. Throughput of one shard: a backlog of events, one worker, time until every row is in the lake.
$streaming produce --stream one --generate "$events" --aggregate --endpoint "http://127.0.0.1:$kport" --json >"$out/produce.json"
start=$(now)
Streaming__Consumer__MaxBufferAge=00:00:02 $streaming run --stream one --lake "$out/lake-one" --lease-table bench-one "${endpoints[@]}" >"$out/run-one.log" 2>&1 &
pids+=($!)
while [ "$($count "$out/lake-one")" -lt "$events" ]; do sleep 0.5; done
elapsed=$(python3 -c "print($(now) - $start)")
kill -TERM "${pids[-1]}"; wait "${pids[-1]}" || true

# 2. Failover: two workers share four shards; SIGKILL one; time until the other holds all four.
fast=(env Streaming__Leases__FailoverTime=00:00:10 Streaming__Leases__RenewInterval=00:00:03 Streaming__Leases__TakeInterval=00:00:02)
"${fast[@]}" $streaming run --stream four --lake "$out/lake-four" --lease-table bench-four --worker-id victim "${endpoints[@]}" >"$out/run-victim.log" 2>&1 &
victim=$!; pids+=($victim)
"${fast[@]}" $streaming run --stream four --lake "$out/lake-four" --lease-table bench-four --worker-id survivor "${endpoints[@]}" >"$out/run-survivor.log" 2>&1 &
pids+=($!)
owned() { $streaming status --stream four --lease-table bench-four "${endpoints[@]}" --json | grep -c "\"owner\":\"$1\"" || true; }
until [ "$(owned victim)" -ge 1 ] && [ "$(( $(owned victim) + $(owned survivor) ))" -eq 4 ]; do sleep 0.5; done
kill -9 "$victim"
killed=$(now)
until [ "$(owned survivor)" -eq 4 ]; do sleep 0.2; done
failover=$(python3 -c "print($(now) - $killed)")

# 3. Lease writes at the defaults: one worker on four quiet shards for a while, then sum the lease counters.
$streaming run --stream idle --lake "$out/lake-idle" --lease-table bench-idle "${endpoints[@]}" >"$out/run-idle.log" 2>&1 &
pids+=($!)
sleep "$quiet"
$streaming status --stream idle --lease-table bench-idle "${endpoints[@]}" --json >"$out/status-idle.json"
python3 - "$events" "$elapsed" "$failover" "$quiet" "$out" <<'PY' | tee "$out/results.md"
import json, subprocess, sys
events, elapsed, failover, quiet, out = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
leases = [json.loads(l) for l in open(f"{out}/status-idle.json") if l.strip()]
writes = sum(l["counter"] for l in leases)
print(f"| measure | value |")
print(f"| --- | ---: |")
print(f"| one shard, {events:,} events (KPL-aggregated backlog), worker start to last row in the lake | {elapsed:.1f} s, {events/elapsed:,.0f} events/s |")
print(f"| SIGKILLed worker's 4 shards held by the other worker after (failover 10 s, take every 2 s) | {failover:.1f} s |")
print(f"| lease writes on {len(leases)} quiet shards over {quiet:.0f} s at the defaults (renew every 3 s) | {writes} writes, {writes / len(leases) * 3600 / quiet:,.0f} per shard-hour |")
PY
kill -TERM "${pids[-1]}"; wait "${pids[-1]}" || true
