#!/usr/bin/env python3
"""The report of bench/consumer-kinesis.sh, from what it left in its output directory (rerunnable on its own).

usage: bench/consumer-kinesis-report.py <out> <drain-events> <ordered-events> <flood-events> <flood-types> <flood-hours>
"""
import collections, glob, hashlib, json, os, re, sys
out, drain_events, ordered_events, flood_events, flood_types, flood_hours = sys.argv[1], *map(int, sys.argv[2:])
v = {}
for line in open(f"{out}/values.jsonl"):
    v.update(json.loads(line))
load = lambda p: json.load(open(p))
cpu = lambda t: t["user_seconds"] + t["system_seconds"]

def files_per_partition(lake, skip=()):
    parts = collections.Counter()
    for path in glob.glob(f"{lake}/[a-z]*/year=*/month=*/day=*/hour=*/*.parquet"):
        table, y, m, d, h, name = path[len(lake) + 1:].split("/")
        if table not in skip:
            shard = re.match(r"part-(shardId-\d+)-", name)
            parts[(shard.group(1) if shard else "", table, y, m, d, h)] += 1
    return sum(parts.values()), len(parts)

print("| measure | value | goal |")
print("| --- | ---: | --- |")
if "idle_cpu" in v:
    idle, wall = float(v["idle_cpu"]), float(v["idle_wall"])
    print(f"| b. idle worker holding 4 shards, {wall:.0f} s | {idle:.2f} CPU-s, {100 * idle / wall:.2f} % of a core | < 2 % |")
if "drain_rows" in v:
    drain, convert, base = load(f"{out}/time-drain.json"), load(f"{out}/time-convert.json"), cpu(load(f"{out}/time-convert-1000.json"))
    produced = load(f"{out}/produce-drain.json")
    mb = os.path.getsize(f"{out}/drain.ndjson") / 1e6
    print(f"| a. drain {drain_events:,} events ({mb:.1f} MB in {produced['records_sent']} KPL records) from 4 shards, one worker: process CPU, start-up and final flush included | "
          f"{cpu(drain):.2f} s ({mb / cpu(drain):.1f} MB per CPU-s); all records read after {float(v['drain_read_at']):.1f} s and {float(v['drain_read_cpu']):.2f} CPU-s; "
          f"{int(v['drain_rows']):,} rows in {files_per_partition(f'{out}/lake-drain')[0]} files | |")
    print(f"| a. `streaming convert` of the same lines | {cpu(convert):.2f} s ({mb / cpu(convert):.1f} MB per CPU-s), {files_per_partition(f'{out}/lake-convert')[0]} files | |")
    print(f"| a. ratio worker / convert | {cpu(drain) / cpu(convert):.2f}x | within 1.5x |")
    if "startup_cpu" in v:
        start = float(v["startup_cpu"])
        print(f"| a. the same without start-up: worker minus its start-up ({start:.2f} s until it held 4 idle leases), convert minus a 1,000-line convert ({base:.2f} s) | "
              f"{cpu(drain) - start:.2f} s against {cpu(convert) - base:.2f} s: {(cpu(drain) - start) / (cpu(convert) - base):.2f}x | within 1.5x |")
if "ordered_rows" in v:
    total, partitions = files_per_partition(f"{out}/lake-ordered")
    print(f"| c. ordered backlog, {ordered_events:,} events, 6 hours, 2 shards, default settings: files / (shard, table, hour) | {total} / {partitions} = {total / partitions:.2f} "
          f"({v['ordered_before_stop']} written by hour close before the stop); {int(v['ordered_rows']):,} rows | <= 1.25 |")
if "flood_rows" in v:
    # The partitions the flood touches, per shard as Kinesis deals them (partition key user_id, MD5 over 4 equal ranges).
    touched = collections.Counter()
    for line in open(f"{out}/flood.ndjson"):
        e = json.loads(line)
        if e["type"] == "live_tick":
            continue
        shard = int(hashlib.md5(str(e["user_id"]).encode()).hexdigest(), 16) * 4 >> 128
        touched[(shard, e["type"], e["date"][:13])] += 1
    per_shard = collections.Counter(s for s, _, _ in touched)
    landed = v["flood_landed"]
    rate = f"{flood_events / float(landed):,.0f} ({float(landed):.1f} s from the worker's start; " if landed[0].isdigit() else f"none: not landed within {landed.split()[-2]} s ("
    print(f"| d. flood, {flood_events:,} events, {flood_types} types x {flood_hours} hours, random order, 4 shards: events/s until every flood row is in the lake | "
          f"{rate}all read after {float(v['flood_read']):.1f} s); {int(v['flood_written_by_then']):,} rows written by then, {int(v['flood_rows']):,} after the stop "
          f"(+{v['flood_live']} live events) | >= 2,000/s |")
    total, partitions = files_per_partition(f"{out}/lake-flood", skip=("live_tick",))
    print(f"| d. files written / (shard, table, hour) partitions touched | {total:,} / {len(touched):,} = {total / len(touched):.2f} "
          f"({', '.join(str(per_shard[s]) for s in sorted(per_shard))} per shard) | |")
    leases = [json.loads(l) for l in open(f"{out}/leases-flood.jsonl")]
    final = {l["shard"]: l["checkpoint"] for l in leases}
    reached = {}
    for l in leases:
        if l["checkpoint"] != final[l["shard"]]:
            reached.pop(l["shard"], None)
        elif l["shard"] not in reached:
            reached[l["shard"]] = l["t"] - float(v["flood_start"])
    moved = {l["shard"] for l in leases if l["checkpoint"] != "TRIM_HORIZON" and not l["checkpoint"].endswith("/-1")}
    print(f"| d. when each shard's checkpoint reached its last position (s after the worker's start) | "
          f"{', '.join(f'{s[-2:]}: {t:.0f}' if s in moved else f'{s[-2:]}: never moved past its first record' for s, t in sorted(reached.items()))} | no shard starved |")
    errors = collections.Counter(re.sub(r"shardId-\d+", "<shard>", m.group(1))
                                 for m in re.finditer(r"warn: [^\]]+\]\s+(Writing for shard \S+ failed; retrying in about [0-9:]+ [^ ]+ [^:]+: [^-]+)", open(f"{out}/run-flood.log").read()))
    for message, n in errors.most_common(3):
        print(f"| d. worker warning, {n} times | {message.strip()} | |")
