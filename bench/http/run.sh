#!/usr/bin/env bash
# The load benchmark of `kizuna serve` (issue 8): requests per second and
# p50/p99 latency for a catalogue query and for GET /.well-known/void (the
# HTTP floor: a precomputed document), with 1, 8 and 64 keep-alive
# connections, 4 s each (24 s in all), on loopback, against one server.
# Every request must succeed: the exit code is 1 if any failed.
#
#   bench/http/run.sh [BUILD_DIR]      (default: build)
#
# Needs a C compiler and libcurl's headers (libcurl4-gnutls-dev or
# libcurl4-openssl-dev). Prints a Markdown table; bench/http/README.md
# keeps the figures of a run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
kizuna=$build/kizuna
[ -x "$kizuna" ] || { echo "bench/http: no $kizuna (build first)" >&2; exit 2; }
pkg-config --exists libcurl || { echo "bench/http: needs libcurl's headers (apt-get install libcurl4-gnutls-dev)" >&2; exit 2; }
seconds=${KZ_BENCH_SECONDS:-4}
work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill -KILL "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

cc -O2 -Wall -Wextra -o "$work/loadgen" "$here/loadgen.c" $(pkg-config --cflags --libs libcurl)

# Enough query slots and connections for 64 clients: the limits are not
# what is measured.
"$kizuna" serve --port 0 --quiet --max-concurrent 128 --max-connections 512 2>"$work/log" &
server=$!
url=""
for _ in $(seq 600); do
  url=$(sed -n 's/^kizuna serve: listening on //p' "$work/log")
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "bench/http: the server did not start: $(cat "$work/log")" >&2; exit 1; }

catalogue="${url}queries/joint-labs-involving?agency=IIT%20Hyderabad"
floor="${url}.well-known/void"
# warm up
curl -s -o /dev/null "$catalogue"
curl -s -o /dev/null "$floor"

echo "| target | connections | requests | failed | req/s | p50 ms | p99 ms |"
echo "|---|---:|---:|---:|---:|---:|---:|"
failures=0
declare -A rps p50 p99
for target in catalogue floor; do
  for c in 1 8 64; do
    if [ "$target" = catalogue ]; then
      line=$("$work/loadgen" "$catalogue" "$c" "$seconds" application/sparql-results+json) || true
    else
      line=$("$work/loadgen" "$floor" "$c" "$seconds" text/turtle) || true
    fi
    eval "$(tr ' ' '\n' <<<"$line" | sed -n 's/^\([a-z0-9_]*\)=\(.*\)$/r_\1=\2/p')"
    failures=$((failures + ${r_failed:-1}))
    rps[$target$c]=$r_rps
    p50[$target$c]=$r_p50_ms
    p99[$target$c]=$r_p99_ms
    label=$([ "$target" = catalogue ] && echo "catalogue: joint-labs-involving(IIT Hyderabad)" || echo "floor: GET /.well-known/void")
    echo "| $label | $c | $r_requests | $r_failed | $r_rps | $r_p50_ms | $r_p99_ms |"
  done
done

kill -TERM "$server"
code=0
wait "$server" || code=$?
server=""
[ "$code" -eq 0 ] || { echo "bench/http: the server exited $code" >&2; failures=$((failures + 1)); }

echo
python3 - "${rps[catalogue8]}" "${rps[floor8]}" "${p50[catalogue64]}" "${p99[catalogue64]}" "$failures" <<'PY'
import sys
cat8, floor8, p50, p99, failures = map(float, sys.argv[1:])
print(f"- catalogue at 8 connections: {cat8 / floor8:.0%} of the floor's requests/s (target: at least 50%)")
print(f"- catalogue at 64 connections: p99 is {p99 / p50:.1f} x p50 (target: under 10 x)")
print(f"- failed requests: {int(failures)} (target: 0)")
PY
[ "$failures" -eq 0 ]
