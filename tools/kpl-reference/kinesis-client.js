'use strict';
// The one place the scripts build a Kinesis client, so that both talk to kinesis-local the same way.
const { parseArgs } = require('node:util');
// Node 20 is what the machine offers; the SDK's notice that later versions will want Node 22 is noise on stderr.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { KinesisClient } = require('@aws-sdk/client-kinesis');
const { NodeHttpHandler } = require('@smithy/node-http-handler');

/** --stream, --endpoint and --region, falling back to the environment the AWS tools read. */
function streamArgs(argv, extra = {}) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      stream: { type: 'string' },
      endpoint: { type: 'string' },
      region: { type: 'string' },
      ...extra,
    },
  });
  const stream = values.stream ?? process.env.KINESIS_STREAM;
  const endpoint = values.endpoint ?? process.env.AWS_ENDPOINT_URL_KINESIS ?? process.env.AWS_ENDPOINT_URL;
  const region = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!stream) {
    throw new Error('give --stream <name> (or KINESIS_STREAM)');
  }

  if (!region) {
    throw new Error('give --region <region> (or AWS_REGION)');
  }

  return { stream, endpoint, region, values, positionals };
}

function createClient({ endpoint, region }) {
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    // Explicit, so that a missing variable fails at once instead of the SDK probing profiles and instance metadata.
    throw new Error('set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
  }

  return new KinesisClient({
    endpoint,
    region,
    credentials: { accessKeyId, secretAccessKey, sessionToken: process.env.AWS_SESSION_TOKEN },
    maxAttempts: 10,
    // The SDK speaks HTTP/2 to Kinesis by default, which kinesis-local's plain port does not.
    requestHandler: new NodeHttpHandler({ connectionTimeout: 5000, requestTimeout: 30000 }),
  });
}

/** Runs an async main, printing a failure on stderr with exit code 1 (2 for usage errors thrown before any I/O). */
function run(main) {
  main().then(
    (code) => {
      process.exitCode = code ?? 0;
    },
    (error) => {
      process.stderr.write(`${error.stack ?? error}\n`);
      process.exitCode = 1;
    },
  );
}

module.exports = { streamArgs, createClient, run };
