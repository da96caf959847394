#!/usr/bin/env bash
# Start to ready of one worker (ocr-cls by default): a container of the image vs the same worker as a process of
# the same build, alternating, N runs each. "Ready" is the first 200 from /v2/health/ready (model loaded and
# warmed). Both start without the optimised-model cache, so both pay ONNX Runtime's graph optimisation.
#   container/bench-start.sh [RUNS] [MODEL]      (after ./stratus image build; needs JAVA_HOME, curl, bc)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-5}" model="${2:-ocr-cls}"
models="${STRATUS_MODELS_DIR:-$HOME/.cache/stratus/models}"
java="${JAVA_HOME:?set JAVA_HOME to the JDK that built the application}/bin/java"
major="$("$java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')"
flags=()
[ "${major%%.*}" -ge 22 ] && flags+=(--enable-native-access=ALL-UNNAMED)
[ "${major%%.*}" -ge 24 ] && flags+=(--sun-misc-unsafe-memory-access=allow --add-opens=java.base/java.lang=ALL-UNNAMED)
port=19131
args=(worker --models "$model" --port "$port" --host 127.0.0.1 --threads 1 --optimized-model-cache none)

ready_after() { # seconds from $1 (epoch, fractional) until the worker answers ready
  for _ in $(seq 1 2400); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/health/ready")" = 200 ] && break
    sleep 0.05
  done
  echo "$(date +%s.%N) - $1" | bc
}
cleanup() { docker rm -f stratus-bench-start >/dev/null 2>&1 || true; [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true; }
trap cleanup EXIT
echo "start to ready, $model, $runs runs each (container: read-only root and models; process: java -jar)"
for i in $(seq 1 "$runs"); do
  t=$(date +%s.%N)
  docker run -d --rm --name stratus-bench-start --network host --read-only --tmpfs /tmp \
    -v "$models:/models:ro" stratus:latest "${args[@]}" >/dev/null
  c=$(ready_after "$t"); docker stop stratus-bench-start >/dev/null
  t=$(date +%s.%N)
  STRATUS_MODELS_DIR="$models" "$java" "${flags[@]}" -jar "$root/target/quarkus-app/quarkus-run.jar" "${args[@]}" \
    >/dev/null 2>&1 &
  pid=$!
  p=$(ready_after "$t"); kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  printf 'run %d: container %.2f s, process %.2f s\n' "$i" "$c" "$p"
done
