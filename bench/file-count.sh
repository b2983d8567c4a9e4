#!/usr/bin/env bash
# Files per (shard, table, hour) that `streaming run` writes under live traffic, measured on a simulated clock
# (`streaming-bench live-files`: the real ShardConsumer / LakeRouter / LakePublisher, default options, 1% of events
# up to 2 minutes late). docs/benchmarks.md, "Files per (table, hour) on the stream path".
# Each run takes well under a minute of CPU; the faster ones cover three whole hours (00:00-03:00), the 2,000
# events/s ones one steady hour with five minutes before it and a quarter of an hour after it (00:55-02:15), enough
# for that hour's late events to be written.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/Streaming.Benchmarks/Streaming.Benchmarks.csproj -v quiet -nologo >/dev/null
bench="dotnet bench/Streaming.Benchmarks/bin/Release/net10.0/streaming-bench.dll live-files"

run() {
  echo "== streaming-bench live-files $*"
  $bench "$@" 2>/dev/null
  echo
}

run --shards 4 --types 7 --events-per-second 100 --hours 3
run --shards 4 --types 7 --events-per-second 100 --hours 3 --late-share 0
run --shards 4 --types 7 --events-per-second 2000 --from 00:55 --hours 1.3334
run --shards 16 --types 7 --events-per-second 2000 --from 00:55 --hours 1.3334
run --shards 4 --types 7 --events-per-second 100 --hours 3 --max-buffer-age 00:30:00
run --shards 4 --types 7 --events-per-second 100 --hours 3 --max-buffer-age 01:00:00
