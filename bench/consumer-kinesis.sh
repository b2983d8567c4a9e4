#!/usr/bin/env bash
# The Kinesis consumer against the local emulators (docs/benchmarks.md, "Kinesis consumer"), one worker each time:
#  b. CPU of an idle worker holding 4 shards, over <idle-seconds>, from /proc/<pid>/stat once it holds them (what it
#     used until then is its start-up, the baseline of a.);
#  a. CPU of a worker draining a filled 4-shard stream (KPL-aggregated backlog), against `streaming convert` of the
#     same lines; process CPU from /usr/bin/time (%U + %S), start-up and the final flush included, and also without
#     the start-up of either (convert's measured on 1,000 lines);
#  c. files per (shard, table, hour) after an ordered backlog (6 hours of events in time order, 2 shards) is drained
#     at the default settings (buffer age 5 minutes: longer than the run, so only hour close and the stop write);
#  d. a flood: <flood-events> events over <flood-types> types and <flood-hours> past hours in random order on 4
#     shards, followed by a little live traffic (bench/flood.py): events/s until every flood row is in the lake (or
#     <flood-timeout> seconds), files written against partitions touched, and when each shard's checkpoint reached its
#     last flood record (the lease table, read as `streaming status` shows it, by bench/lease-table.py).
# The worker's /metrics endpoint (on, as in production) tells when every record has been read and how many rows landed.
# The emulator (kinesis-mock on node) takes far more CPU than the worker and shares the 2 cores with it: wall times
# are the emulator's; CPU times are the worker's own.
#
# usage: bench/consumer-kinesis.sh [drain-events=200000] [idle-seconds=60] [ordered-events=200000] [flood-events=100000]
#          [flood-types=500] [flood-hours=48] [flood-timeout=240]
# PARTS="b a c d" (the default) picks the parts to run.
set -euo pipefail
cd "$(dirname "$0")/.."
drain_events=${1:-200000}; idle_seconds=${2:-60}; ordered_events=${3:-200000}; flood_events=${4:-100000}
flood_types=${5:-500}; flood_hours=${6:-48}; flood_timeout=${7:-240}
parts=${PARTS:-b a c d}
out=bench/out/consumer-kinesis
rm -rf "$out" && mkdir -p "$out"
source bench/lib.sh
bench_prepare
timed_json='{"wall_seconds":%e,"user_seconds":%U,"system_seconds":%S,"peak_kib":%M}'

kport=45701; dport=45702; mport=45703
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1
export Streaming__Operations__HttpPort=$mport Streaming__Operations__HttpAddress=127.0.0.1
worker=""; timed=""; poller=""; kinesis=""; dynalite=""
cleanup() { kill $worker $poller $kinesis $dynalite 2>/dev/null || true; }
trap cleanup EXIT
bench_emulators $kport $dport "drain:4,idle:4,ordered:2,flood:4"
kinesis_url="http://127.0.0.1:$kport"; dynamodb_url="http://127.0.0.1:$dport"
endpoints=(--kinesis-endpoint "$kinesis_url" --dynamodb-endpoint "$dynamodb_url")
ticks=$(getconf CLK_TCK)
now() { date +%s.%N; }
calc() { python3 -c "print($1)"; }
# CPU seconds (user + system) of a live process.
cpu() { awk -v t="$ticks" '{print ($14 + $15) / t}' "/proc/$1/stat"; }
# Sum of a counter on the worker's /metrics (0 while it is not up).
metric() { curl -s "http://127.0.0.1:$mport/metrics" 2>/dev/null | awk -v m="$1" 'index($0, m) == 1 {s += $NF} END {printf "%d\n", s}'; }
produce() { $streaming produce --stream "$1" --file "$2" --aggregate --endpoint "$kinesis_url" --json; }
sent_records() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['records_sent'])" "$1"; }
# record <key> <value>: one figure for the report.
record() { echo "{\"$1\": \"$2\"}" >>"$out/values.jsonl"; }

# start_worker <name> <stream>: a worker under /usr/bin/time; sets $worker (the worker process) and $timed.
start_worker() {
  /usr/bin/time -f "$timed_json" -o "$out/time-$1.json" \
    $streaming run --stream "$2" --lake "$out/lake-$1" --lease-table "bench-$1" "${endpoints[@]}" >"$out/run-$1.log" 2>&1 &
  timed=$!
  until worker=$(pgrep -P "$timed"); do sleep 0.05; done
}
stop_worker() { kill -TERM "$worker"; wait "$timed" || true; worker=""; }
wait_for_read() { until [ "$(metric streaming_records_read)" -ge "$1" ]; do sleep 0.5; done; }

part_b() {
  start_worker idle idle
  until [ "$(python3 bench/lease-table.py "$dynamodb_url" bench-idle | grep -c '"owner": "')" -ge 4 ]; do sleep 0.2; done
  record startup_cpu "$(cpu "$worker")"
  sleep 10
  local start_cpu start
  start_cpu=$(cpu "$worker"); start=$(now)
  sleep "$idle_seconds"
  record idle_cpu "$(calc "$(cpu "$worker") - $start_cpu")"
  record idle_wall "$(calc "$(now) - $start")"
  stop_worker
}

part_a() {
  $streaming generate -n "$drain_events" --hours 24 --seed 42 -o "$out/drain.ndjson"
  produce drain "$out/drain.ndjson" >"$out/produce-drain.json"
  /usr/bin/time -f "$timed_json" -o "$out/time-convert.json" \
    $streaming convert "$out/drain.ndjson" --lake "$out/lake-convert" --quiet --json >"$out/convert.json"
  # convert's own start-up and fixed costs: the same command on the first 1,000 lines.
  head -n 1000 "$out/drain.ndjson" >"$out/drain-1000.ndjson"
  /usr/bin/time -f "$timed_json" -o "$out/time-convert-1000.json" \
    $streaming convert "$out/drain-1000.ndjson" --lake "$out/lake-convert-1000" --quiet --json >/dev/null
  local start
  start=$(now)
  start_worker drain drain
  wait_for_read "$(sent_records "$out/produce-drain.json")"
  record drain_read_at "$(calc "$(now) - $start")"
  record drain_read_cpu "$(cpu "$worker")"
  stop_worker
  record drain_rows "$($count "$out/lake-drain")"
}

part_c() {
  $streaming generate -n "$ordered_events" --hours 6 --seed 42 -o "$out/ordered.ndjson"
  # The generator writes events in time order; should that change, sort them by instant (the dates carry offsets).
  python3 - "$out/ordered.ndjson" <<'PY'
import datetime, json, sys
lines = open(sys.argv[1]).readlines()
instants = [datetime.datetime.fromisoformat(json.loads(l)["date"].replace("Z", "+00:00")) for l in lines]
if any(b < a for a, b in zip(instants, instants[1:])):
    print(f"{sys.argv[1]}: not in time order; sorting it", file=sys.stderr)
    open(sys.argv[1], "w").writelines(l for _, l in sorted(zip(instants, lines), key=lambda p: p[0]))
PY
  produce ordered "$out/ordered.ndjson" >"$out/produce-ordered.json"
  start_worker ordered ordered
  wait_for_read "$(sent_records "$out/produce-ordered.json")"
  # Let the hour-close checks (every 15 s) write what event time has closed, until nothing is written for 40 s.
  local files=-1 f quiet_since
  quiet_since=$(now)
  while [ "$(calc "$(now) - $quiet_since < 40")" = True ]; do
    f=$(metric streaming_files_written)
    if [ "$f" != "$files" ]; then files=$f; quiet_since=$(now); fi
    sleep 1
  done
  record ordered_before_stop "$(find "$out/lake-ordered" -name '*.parquet' -not -path '*/_*' | wc -l)"
  stop_worker
  record ordered_rows "$($count "$out/lake-ordered")"
}

part_d() {
  local live=400 start landed=""
  record flood_live "$live"
  python3 bench/flood.py "$flood_events" "$flood_types" "$flood_hours" 7 "$live" >"$out/flood.ndjson"
  produce flood "$out/flood.ndjson" >"$out/produce-flood.json"
  rm -f "$out/flood-done"
  python3 bench/lease-table.py "$dynamodb_url" bench-flood 1 "$out/flood-done" >"$out/leases-flood.jsonl" &
  poller=$!
  start=$(now)
  record flood_start "$start"
  start_worker flood flood
  wait_for_read "$(sent_records "$out/produce-flood.json")"
  record flood_read "$(calc "$(now) - $start")"
  while [ "$(calc "$(now) - $start < $flood_timeout")" = True ]; do
    if [ "$(metric streaming_events_written)" -ge "$flood_events" ]; then landed=$(calc "$(now) - $start"); break; fi
    sleep 0.5
  done
  record flood_landed "${landed:-not within $flood_timeout s}"
  record flood_written_by_then "$(metric streaming_events_written)"
  sleep 8  # the checkpoint follows the last files within a few seconds
  touch "$out/flood-done"; wait "$poller"; poller=""
  stop_worker
  record flood_rows "$($count "$out/lake-flood")"
}

for part in $parts; do "part_$part"; done

python3 bench/consumer-kinesis-report.py "$out" "$drain_events" "$ordered_events" "$flood_events" "$flood_types" "$flood_hours" | tee "$out/results.md"
