# Shared by the consumer benchmarks (source it from the repository root, after setting `out`):
#   bench_prepare           installs the emulators' packages and /usr/bin/time, publishes the CLI (Native AOT, the
#                           image's build; STREAMING_BUILD=jit: the JIT build instead), builds the bench helper in
#                           Release, and sets $streaming and $count;
#   bench_emulators K D S   starts kinesis-local on port K with the streams S (INITIALIZE_STREAMS syntax) and dynalite
#                           on port D, logs in $out, sets $kinesis and $dynalite (their pids), and returns once both
#                           answer (kinesis-mock needs 5-30 s to start on a busy machine).

bench_prepare() {
  (cd tools/emulators && [ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null)
  [ -x /usr/bin/time ] || apt-get install -y time >/dev/null
  if [ "${STREAMING_BUILD:-published}" = jit ]; then
    dotnet build -c Release src/Streaming.Cli/Streaming.Cli.csproj -v quiet -nologo >/dev/null
    streaming="dotnet src/Streaming.Cli/bin/Release/net10.0/streaming.dll"
  else
    dotnet publish -c Release --use-current-runtime src/Streaming.Cli/Streaming.Cli.csproj -v quiet -nologo -o bench/out/publish >/dev/null
    streaming="bench/out/publish/streaming"
  fi
  dotnet build -c Release bench/Streaming.Benchmarks/Streaming.Benchmarks.csproj -v quiet -nologo >/dev/null
  count="dotnet bench/Streaming.Benchmarks/bin/Release/net10.0/streaming-bench.dll count"
}

bench_emulators() {
  local kport=$1 dport=$2 streams=$3
  (cd tools/emulators/node_modules/kinesis-local && KINESIS_MOCK_PLAIN_PORT=$kport KINESIS_MOCK_TLS_PORT=$((kport + 100)) \
    SHARD_LIMIT=1000 INITIALIZE_STREAMS="$streams" exec node main.js) >"$out/kinesis.log" 2>&1 &
  kinesis=$!
  tools/emulators/node_modules/.bin/dynalite --host 127.0.0.1 --port "$dport" >"$out/dynalite.log" 2>&1 &
  dynalite=$!
  local port
  for port in "$kport" "$dport"; do
    for _ in $(seq 120); do (echo >/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 1; done
  done
  sleep 2 # the port answers a moment before the streams exist
}
