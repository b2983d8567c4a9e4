'use strict';
// The reference aggregator and deaggregator without a stream, for byte-level interop tests: reads one JSON request
// per line on stdin and answers each with one JSON line on stdout, in order, so one process serves a whole test.
//
//   {"op":"deaggregate","data":"<base64>"}
//     -> {"ok":true,"records":[{partitionKey, explicitHashKey?, subSequenceNumber, data}]}  (checksums verified)
//     -> {"ok":false,"error":"..."}
//   {"op":"aggregate","records":[{partitionKey, explicitHashKey?, data}]}   (data base64)
//     -> {"ok":true,"aggregates":[{partitionKey, explicitHashKey?, data}]}
//     -> {"ok":false,"error":"..."}
const readline = require('node:readline');
const { deaggregate, RecordAggregator } = require('aws-kinesis-agg');

function deaggregateRequest(request) {
  const records = [];
  const errors = [];
  deaggregate(
    { partitionKey: 'codec', sequenceNumber: '0', data: request.data },
    true,
    (error, user) => (error ? errors.push(error) : records.push(user)),
    (error) => {
      if (error) {
        errors.push(error);
      }
    });
  if (errors.length > 0) {
    return { ok: false, error: errors.map((e) => e.message ?? String(e)).join('; ') };
  }

  return {
    ok: true,
    records: records.map((r) => ({
      partitionKey: r.partitionKey,
      explicitHashKey: r.explicitPartitionKey,
      subSequenceNumber: r.subSequenceNumber ?? null,
      data: r.data,
    })),
  };
}

function aggregateRequest(request) {
  const aggregates = [];
  const errors = [];
  const records = request.records.map((r) => {
    const record = { partitionKey: r.partitionKey, data: Buffer.from(r.data, 'base64') };
    if (r.explicitHashKey !== undefined && r.explicitHashKey !== null) {
      record.explicitHashKey = r.explicitHashKey;
    }

    return record;
  });
  new RecordAggregator().aggregateRecords(records, true, (error, encoded) => {
    if (error) {
      errors.push(error);
      return;
    }

    aggregates.push({
      partitionKey: encoded.partitionKey,
      // The aggregator hands the hash key over as `ExplicitHashKey`, not the `explicitHashKey` its README shows.
      explicitHashKey: encoded.explicitHashKey ?? encoded.ExplicitHashKey,
      data: encoded.data.toString('base64'),
    });
  });
  return errors.length > 0
    ? { ok: false, error: errors.map((e) => e.message ?? String(e)).join('; ') }
    : { ok: true, aggregates };
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  if (line.trim() === '') {
    return;
  }

  let answer;
  try {
    const request = JSON.parse(line);
    switch (request.op) {
      case 'deaggregate':
        answer = deaggregateRequest(request);
        break;
      case 'aggregate':
        answer = aggregateRequest(request);
        break;
      default:
        answer = { ok: false, error: `unknown op ${request.op}` };
    }
  } catch (error) {
    answer = { ok: false, error: error.message ?? String(error) };
  }

  process.stdout.write(`${JSON.stringify(answer)}\n`);
});
