#!/usr/bin/env python3
"""Prints the lease table as `streaming status --json` shows it (shard, owner, checkpoint, counter), one JSON line per
lease, read straight from the local DynamoDB emulator: cheap enough to poll every second next to a worker, where a
`streaming status` process (a .NET start each time) would take CPU from it.

usage: bench/lease-table.py <dynamodb-endpoint> <table> [interval-seconds] [until-file]
With an interval, polls until <until-file> exists, each line with "t" (seconds since the epoch).
"""
import json
import os
import sys
import time
import urllib.request

endpoint, table = sys.argv[1], sys.argv[2]
interval = float(sys.argv[3]) if len(sys.argv) > 3 else 0
until = sys.argv[4] if len(sys.argv) > 4 else None

def scan():
    body = json.dumps({"TableName": table, "ConsistentRead": True}).encode()
    request = urllib.request.Request(endpoint, data=body, method="POST", headers={
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": "DynamoDB_20120810.Scan",
        # The emulator wants a signed-looking request; it does not check the signature.
        "Authorization": "AWS4-HMAC-SHA256 Credential=bench/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0",
        "X-Amz-Date": "20240101T000000Z",
    })
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            items = json.load(answer).get("Items", [])
    except Exception:  # the table may not exist yet
        return []
    return [{"shard": i["shard_id"]["S"], "owner": i.get("owner", {}).get("S"), "checkpoint": i.get("checkpoint", {}).get("S"),
             "counter": int(i.get("counter", {}).get("N", "0"))} for i in items]

while True:
    now = time.time()
    for lease in sorted(scan(), key=lambda l: l["shard"]):
        if interval:
            lease["t"] = round(now, 3)
        print(json.dumps(lease), flush=True)
    if not interval or (until and os.path.exists(until)):
        break
    time.sleep(interval)
