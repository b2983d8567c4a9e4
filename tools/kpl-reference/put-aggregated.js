'use strict';
// Aggregates user records with the reference aggregator (aws-kinesis-agg's `aggregate`) and puts every aggregated
// record into a stream, one PutRecord after the other so that the stream holds them in the order they were made.
//
//   node put-aggregated.js <records.ndjson> --stream S [--endpoint URL] [--region R]
//
// Each input line is one user record: {"partitionKey": "...", "explicitHashKey": "..." (optional), and either
// "data": "<base64>" or "text": "<utf-8 text>"}. Prints one JSON line per aggregated record put:
// {partitionKey, explicitHashKey, bytes, shardId, sequenceNumber}. Credentials: AWS_ACCESS_KEY_ID/SECRET.
const fs = require('node:fs');
const { aggregate } = require('aws-kinesis-agg');
const { PutRecordCommand } = require('@aws-sdk/client-kinesis');
const { streamArgs, createClient, run } = require('./kinesis-client');

function readUserRecords(path) {
  const records = [];
  const lines = fs.readFileSync(path, 'utf8').split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') {
      continue;
    }

    const input = JSON.parse(line);
    if (typeof input.partitionKey !== 'string' || (input.data === undefined) === (input.text === undefined)) {
      throw new Error(`${path}:${index + 1}: want partitionKey and exactly one of data (base64) and text`);
    }

    // A Buffer, never a string: the aggregator rejects an empty string as "no data", but not an empty Buffer.
    const record = {
      partitionKey: input.partitionKey,
      data: input.data !== undefined ? Buffer.from(input.data, 'base64') : Buffer.from(input.text, 'utf8'),
    };
    if (input.explicitHashKey !== undefined) {
      record.explicitHashKey = input.explicitHashKey;
    }

    records.push(record);
  }

  return records;
}

async function main() {
  const args = streamArgs(process.argv.slice(2));
  if (args.positionals.length !== 1) {
    throw new Error('usage: node put-aggregated.js <records.ndjson> --stream S [--endpoint URL] [--region R]');
  }

  const records = readUserRecords(args.positionals[0]);
  const client = createClient(args);
  const errors = [];
  await new Promise((resolve) => {
    aggregate(
      records,
      (encoded, done) => {
        // The aggregator hands the hash key over as `ExplicitHashKey`, not the `explicitHashKey` its README shows.
        const explicitHashKey = encoded.explicitHashKey ?? encoded.ExplicitHashKey;
        const put = { StreamName: args.stream, PartitionKey: encoded.partitionKey, Data: encoded.data };
        if (explicitHashKey !== undefined) {
          put.ExplicitHashKey = explicitHashKey;
        }

        client.send(new PutRecordCommand(put)).then(
          (result) => {
            process.stdout.write(`${JSON.stringify({
              partitionKey: encoded.partitionKey,
              explicitHashKey: explicitHashKey ?? null,
              bytes: encoded.data.length,
              shardId: result.ShardId,
              sequenceNumber: result.SequenceNumber,
            })}\n`);
            done();
          },
          (error) => done(error));
      },
      resolve,
      (error) => errors.push(error),
    );
  });
  client.destroy();
  for (const error of errors) {
    process.stderr.write(`put-aggregated: ${error.stack ?? error}\n`);
  }

  return errors.length === 0 ? 0 : 1;
}

run(main);
