#!/usr/bin/env bash
# A local AWS stack for trying Streaming without an account: kinesis-local (Kinesis), dynalite (DynamoDB) and
# s3rver (S3), the pinned npm packages of tools/emulators, on loopback. Creates a stream and a bucket and prints
# the environment to export.
#
#   docker/local-stack.sh up [stream=events] [shards=4] [bucket=lake]
#   docker/local-stack.sh down
#   docker/local-stack.sh env        print the exports again
#
# State (logs, pids, S3 and DynamoDB data) lives in .local-stack/ at the repository root.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
state="$root/.local-stack"
kinesis_port=${KINESIS_PORT:-4567}
dynamodb_port=${DYNAMODB_PORT:-4569}
s3_port=${S3_PORT:-4570}

exports() {
  cat <<ENV
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1
export AWS_ENDPOINT_URL_KINESIS=http://127.0.0.1:$kinesis_port
export AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:$dynamodb_port
export AWS_ENDPOINT_URL_S3=http://127.0.0.1:$s3_port
ENV
}

wait_for_port() {
  for _ in $(seq 1 120); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "local-stack: nothing answers on port $1; see $state/*.log" >&2
  return 1
}

start() {
  local name=$1; shift
  "$@" >"$state/$name.log" 2>&1 &
  echo $! >"$state/$name.pid"
}

case "${1:-}" in
  up)
    stream=${2:-events}; shards=${3:-4}; bucket=${4:-lake}
    command -v node >/dev/null || { echo "local-stack: Node.js 20 is needed (node not found)" >&2; exit 1; }
    mkdir -p "$state/s3" "$state/dynamodb"
    if [ ! -d "$root/tools/emulators/node_modules" ]; then
      (cd "$root/tools/emulators" && npm ci --no-audit --no-fund)
    fi
    modules="$root/tools/emulators/node_modules"
    (cd "$modules/kinesis-local" && KINESIS_MOCK_PLAIN_PORT=$kinesis_port KINESIS_MOCK_TLS_PORT=$((kinesis_port + 1000)) \
      SHARD_LIMIT=1000 INITIALIZE_STREAMS="$stream:$shards" start kinesis node main.js)
    start dynamodb "$modules/.bin/dynalite" --host 127.0.0.1 --port "$dynamodb_port" --path "$state/dynamodb"
    NODE_OPTIONS=--openssl-legacy-provider start s3 "$modules/.bin/s3rver" --directory "$state/s3" --address 127.0.0.1 --port "$s3_port" --configure-bucket "$bucket" --no-vhost-buckets
    wait_for_port "$kinesis_port"; wait_for_port "$dynamodb_port"; wait_for_port "$s3_port"
    echo "local-stack: Kinesis stream '$stream' ($shards shards), DynamoDB and S3 bucket '$bucket' are up. Export:" >&2
    exports
    ;;
  down)
    for name in kinesis dynamodb s3; do
      if [ -f "$state/$name.pid" ]; then
        kill "$(cat "$state/$name.pid")" 2>/dev/null || true
        rm -f "$state/$name.pid"
      fi
    done
    echo "local-stack: stopped (data kept in $state; delete it to start clean)" >&2
    ;;
  env)
    exports
    ;;
  *)
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
