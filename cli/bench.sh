#!/usr/bin/env bash
# Start-up cost of the jitsu CLI: median wall time (hyperfine) and peak RSS (/usr/bin/time -v)
# of `jitsu config get username` and `jitsu tokens list` (JITSU_PASSWORD) against a local
# release-built `jitsu server` with a temporary data directory.
#
# Usage: bash cli/bench.sh            (wired as `cargo xtask bench cli`)
# Env:   RUNS (default 30), SKIP_BUILD=1 to reuse target/release/jitsu.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUNS="${RUNS:-30}"

command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install -y hyperfine" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing: apt-get install -y time" >&2; exit 1; }

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    cargo build --release --quiet -p jitsu-cli --bin jitsu
fi
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
JITSU="$TARGET_DIR/release/jitsu"

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

"$JITSU" server --listen 127.0.0.1:0 --data "$WORK/data" >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
for _ in $(seq 1 100); do
    grep -q "listening on http://" "$WORK/server.out" 2>/dev/null && break
    sleep 0.1
done
ADDR="$(sed -n 's/.*listening on http:\/\///p' "$WORK/server.out" | head -1)"
[ -n "$ADDR" ] || { echo "server did not start:" >&2; cat "$WORK/server.err" >&2; exit 1; }
PORT="${ADDR##*:}"

export HOME="$WORK/home"
mkdir -p "$HOME"
export JITSU_PASSWORD="bench password 123"
"$JITSU" config set remoteHost 127.0.0.1 >/dev/null
"$JITSU" config set port "$PORT" >/dev/null
"$JITSU" config set protocol http >/dev/null
"$JITSU" signup benchuser bench@example.com >/dev/null
for i in 1 2 3 4 5; do "$JITSU" tokens create "token$i" >/dev/null; done

CONFIG_GET="$JITSU config get username"
TOKENS_LIST="$JITSU tokens list"

hyperfine --shell=none --warmup 3 --runs "$RUNS" --export-json "$WORK/hf.json" \
    -n "config get username" "$CONFIG_GET" \
    -n "tokens list" "$TOKENS_LIST" >"$WORK/hf.txt"

# Median peak RSS over 9 runs, in KiB.
peak_rss() {
    for _ in 1 2 3 4 5 6 7 8 9; do
        /usr/bin/time -v "$@" 2>&1 >/dev/null | sed -n 's/.*Maximum resident set size (kbytes): //p'
    done | sort -n | sed -n 5p
}
RSS_GET="$(peak_rss $CONFIG_GET)"
RSS_LIST="$(peak_rss $TOKENS_LIST)"

python3 - "$WORK/hf.json" "$RSS_GET" "$RSS_LIST" "$RUNS" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))["results"]
rss = {"config get username": int(sys.argv[2]), "tokens list": int(sys.argv[3])}
print(f"jitsu CLI start-up ({sys.argv[4]} runs each, release build, local server)")
print(f"{'command':<22}{'median':>10}{'mean':>10}{'min':>10}{'max':>10}{'peak RSS':>12}")
for r in data:
    ms = lambda v: f"{v * 1000:.2f} ms"
    print(f"{r['command']:<22}{ms(r['median']):>10}{ms(r['mean']):>10}{ms(r['min']):>10}{ms(r['max']):>10}"
          f"{rss[r['command']] / 1024:>9.1f} MiB")
get = next(r for r in data if r["command"] == "config get username")
ok_time = get["median"] < 0.005
ok_mem = rss["config get username"] < 10 * 1024
print(f"target `config get`: < 5 ms -> {'met' if ok_time else 'NOT met'}; < 10 MiB -> {'met' if ok_mem else 'NOT met'}")
PY
