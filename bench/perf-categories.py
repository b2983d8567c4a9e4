#!/usr/bin/env python3
"""Sums `perf script` samples into the parts of the consumer (or of `convert`), for docs/benchmarks.md.

usage: perf script -i p.data -F ip,sym,dso [--time a,b] | bench/perf-categories.py
Each sample goes to the category of the frame nearest the leaf that names one; samples whose leaf is in the
runtime (libcoreclr: GC, allocation, stubs), the JIT (libclrjit) or the kernel go there whatever called them.
Prints each category's share of the samples.
"""
import re
import sys
from collections import Counter

# (category, pattern on "symbol (dso)"), tried leaf first, first match wins.
LEAF = [
    ("JIT compiler", re.compile(r"libclrjit")),
    ("runtime: GC, allocation, stubs (libcoreclr)", re.compile(r"libcoreclr")),
    ("hashing in libcrypto: MD5 of KPL aggregates (convert: SHA-256 of file names)", re.compile(r"libcrypto")),
    ("sequence numbers: BigInteger.Parse", re.compile(r"System\.Runtime\.Numerics")),
]
STORE = re.compile(r"LocalLakeStore|TimedLakeStore")
FRAMES = [
    ("store: local file create + fsync", re.compile(r"LocalLakeStore|TimedLakeStore")),
    ("encode: Parquet", re.compile(r"Parquet|Snappier|ParquetFileWriter|IronCompress")),
    ("schema save", re.compile(r"SchemaRegistry")),
    ("normalise: EventNormalizer", re.compile(r"EventNormalizer|EventTimeParser|PathCache|NormalizedEvent")),
    ("buffer append", re.compile(r"PartitionBuffer|ColumnBuffer|ChunkedList|ChunkedBitmap|LakeRouter::Append\(|LakeRouter::IndexesOf")),
    ("wire parse: JSON 1.1 body, base64, records", re.compile(r"KinesisWire|JsonDocument|RecordedStreamReader\+<>c|RecordedStreamReader\+<GetRecordsAsync>")),
    ("consumer per record: payload decode, KPL check, watermark, positions", re.compile(r"PayloadDecoder|KplAggregate|KplParser|CheckpointWatermark|ShardConsumer|LakeRouter|ShardPosition|EventPosition|SourcePosition|ShardCheckpointer|LeaseStore")),
    ("convert: reading lines", re.compile(r"NdjsonIngest|LineReader|FileStream|RandomAccess")),
]

def classify(stack):
    leaf = stack[0]
    if "kernel.kallsyms" in leaf:
        # System calls and page faults: file creation and fsync when a lake store frame is on the stack.
        return "store: local file create + fsync" if any(STORE.search(f) for f in stack) else "kernel: page faults of fresh memory, reading input, scheduling"
    for name, pattern in LEAF:
        if pattern.search(leaf):
            return name
    for frame in stack:
        for name, pattern in FRAMES:
            if pattern.search(frame):
                return name
    if "System.Text.Json" in leaf:
        return "wire parse: JSON 1.1 body, base64, records"
    return "other: " + re.sub(r"\(.*", "", leaf)[:90]

def samples(lines):
    stack = []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if stack:
                yield stack
            stack = []
            continue
        if line.startswith("\t") or line.startswith(" "):
            parts = line.strip().split(" ", 1)
            stack.append(parts[1] if len(parts) > 1 else parts[0])
    if stack:
        yield stack

import signal
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
counts = Counter()
total = 0
for stack in samples(sys.stdin):
    counts[classify(stack)] += 1
    total += 1
others = sum(c for k, c in counts.items() if k.startswith("other: "))
for name, count in sorted(((k, c) for k, c in counts.items() if not k.startswith("other: ")), key=lambda kc: -kc[1]):
    print(f"{100 * count / total:5.1f} %  {name}")
print(f"{100 * others / total:5.1f} %  other (largest below)")
for name, count in sorted(((k, c) for k, c in counts.items() if k.startswith("other: ")), key=lambda kc: -kc[1])[:8]:
    print(f"          {100 * count / total:5.1f} %  {name[7:]}")
print(f"samples: {total}")
