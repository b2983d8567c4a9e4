#!/usr/bin/env python3
"""A flood of partitions for docs/benchmarks.md ("Kinesis consumer"): events of many types spread over many past
hours, in random order, so that consecutive events land in different (table, hour) partitions.

usage: bench/flood.py [events=100000] [types=500] [hours=48] [seed=7] [live=400] > flood.ndjson
The hours end one hour before the current one. Then come <live> events of type live_tick stamped now, as live
traffic follows a burst: they move every shard's event-time watermark past the flood's hours, so that all of them
close on event time (an hour closes only once a later event has been seen) instead of waiting for the buffer age.
The live events stay buffered in the current hour; the flood's rows are the ones to count.
"""
import datetime
import json
import random
import sys

events, types, hours, seed, live = (int(a) for a in (sys.argv[1:] + ["100000", "500", "48", "7", "400"][len(sys.argv) - 1:])[:5])
random.seed(seed)
end = datetime.datetime.now(datetime.timezone.utc).replace(minute=0, second=0, microsecond=0) - datetime.timedelta(hours=1)
start = end - datetime.timedelta(hours=hours)
for i in range(events):
    t = random.randrange(types)
    when = start + datetime.timedelta(seconds=random.randrange(hours * 3600))
    # Each type has its own fields (3 to 9 of them, of fixed kinds), as real event types do.
    params = {}
    for k in range(t % 7 + 3):
        kind = (t + k) % 4
        params[f"f{k}"] = (random.randrange(10**6) if kind == 0 else round(random.random() * 1000, 3) if kind == 1
                           else "v" * random.randrange(5, 40) if kind == 2 else random.random() < 0.5)
    print(json.dumps({"id": f"flood-{i}", "date": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "type": f"flood_type_{t}",
                      "user_id": random.randrange(50_000), "locale": "ja", "country_code": "JP", "params": params},
                     separators=(",", ":")))
now = datetime.datetime.now(datetime.timezone.utc)
for i in range(live):
    print(json.dumps({"id": f"live-{i}", "date": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "type": "live_tick",
                      "user_id": random.randrange(50_000), "locale": "ja", "country_code": "JP", "params": {"n": i}},
                     separators=(",", ":")))
