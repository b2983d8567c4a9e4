'use strict';
// Reads every record of every shard of a stream from TRIM_HORIZON until caught up, deaggregates each with the
// reference deaggregator (aws-kinesis-agg's `deaggregate`) with checksum verification on, and prints one JSON line per
// user record:
//   {shardId, recordPartitionKey, partitionKey, explicitHashKey?, sequenceNumber, subSequenceNumber, data (base64)}
// subSequenceNumber is null for a record that was not aggregated (the reference gives none).
//
//   node read-deaggregated.js --stream S [--endpoint URL] [--region R]
//
// Exits with 1 if any record fails deaggregation (bad checksum, malformed protobuf), after printing the others.
const { deaggregate } = require('aws-kinesis-agg');
const { ListShardsCommand, GetShardIteratorCommand, GetRecordsCommand } = require('@aws-sdk/client-kinesis');
const { streamArgs, createClient, run } = require('./kinesis-client');

const MaxCallsPerShard = 2000;

async function listShards(client, stream) {
  const shards = [];
  let nextToken;
  do {
    const page = await client.send(new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: stream }));
    shards.push(...page.Shards);
    nextToken = page.NextToken;
  } while (nextToken);
  return shards;
}

async function* readShard(client, stream, shardId) {
  let iterator = (await client.send(new GetShardIteratorCommand({
    StreamName: stream, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON',
  }))).ShardIterator;
  for (let call = 0; call < MaxCallsPerShard; call++) {
    const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
    yield* page.Records;
    iterator = page.NextShardIterator;
    if (!iterator || (page.Records.length === 0 && !page.MillisBehindLatest)) {
      return;
    }
  }

  throw new Error(`${shardId} not caught up after ${MaxCallsPerShard} GetRecords calls`);
}

/** The reference's callbacks run synchronously; this collects what they report for one Kinesis record. */
function deaggregateOne(record) {
  // The Lambda event shape the reference documents: data as base64, keys in lower camel case.
  const input = {
    partitionKey: record.PartitionKey,
    sequenceNumber: record.SequenceNumber,
    data: Buffer.from(record.Data).toString('base64'),
  };
  const users = [];
  const errors = [];
  deaggregate(
    input,
    true,
    (error, user) => (error ? errors.push(error) : users.push(user)),
    (error) => {
      if (error) {
        errors.push(error);
      }
    });
  return { users, errors };
}

async function main() {
  const args = streamArgs(process.argv.slice(2));
  const client = createClient(args);
  let failures = 0;
  for (const shard of await listShards(client, args.stream)) {
    for await (const record of readShard(client, args.stream, shard.ShardId)) {
      const { users, errors } = deaggregateOne(record);
      for (const error of errors) {
        failures++;
        process.stderr.write(`read-deaggregated: ${shard.ShardId} ${record.SequenceNumber}: ${error.message ?? error}\n`);
      }

      for (const user of users) {
        const line = {
          shardId: shard.ShardId,
          recordPartitionKey: record.PartitionKey,
          partitionKey: user.partitionKey,
          sequenceNumber: user.sequenceNumber,
          subSequenceNumber: user.subSequenceNumber ?? null,
          data: user.data,
        };
        if (user.explicitPartitionKey !== undefined) {
          line.explicitHashKey = user.explicitPartitionKey;
        }

        process.stdout.write(`${JSON.stringify(line)}\n`);
      }
    }
  }

  client.destroy();
  return failures === 0 ? 0 : 1;
}

run(main);
