# Helpers for the tests of `kizuna serve`: start the real binary on a free
# loopback port, drive it with curl, stop it with SIGTERM and check that it
# exits 0. Sourced by every tests/http/test_*.sh. A server is never left
# running: the EXIT trap kills any that a failing test leaves behind.
set -u
: "${KIZUNA:?KIZUNA must name the kizuna binary (ctest sets it)}"
: "${KZ_SOURCE_DIR:?KZ_SOURCE_DIR must name the source tree (ctest sets it)}"
FX=${KZ_FIXTURES:-$KZ_SOURCE_DIR/tests/fixtures}
WORK=$(mktemp -d)
SERVER_PID=""
URL=""
failures=0
checks=0

cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -KILL "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

need() { command -v "$1" >/dev/null 2>&1 || { echo "SKIP: $1 is not installed"; exit 77; }; }
need curl
need python3

fail() {
  failures=$((failures + 1))
  echo "FAIL: $*" >&2
  echo "  status: ${status:-}" >&2
  echo "  body: $(head -c 600 "$WORK/body" 2>/dev/null)" >&2
}
check() { checks=$((checks + 1)); }

finish() {
  echo "$checks checks, $failures failed"
  [ "$failures" -eq 0 ]
}

# start_server [ARGS...]: starts kizuna serve on a free port (--port 0; the
# server prints the address it took) and waits until it answers. Sets URL
# (ending in '/') and SERVER_PID; the log is $WORK/server.log.
start_server() {
  "$KIZUNA" serve --port 0 "$@" 2>"$WORK/server.log" &
  SERVER_PID=$!
  local i
  for i in $(seq 600); do
    URL=$(sed -n 's/^kizuna serve: listening on //p' "$WORK/server.log")
    [ -n "$URL" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$URL" ]; then
    echo "FAIL: the server did not start: $(cat "$WORK/server.log")" >&2
    exit 1
  fi
  # it answers
  curl -s -o /dev/null --max-time 10 "${URL}queries" || { echo "FAIL: no answer at $URL" >&2; exit 1; }
}

# stop_server: SIGTERM, then the exit code must be 0 and the log must say so.
stop_server() {
  kill -TERM "$SERVER_PID"
  local code=0
  wait "$SERVER_PID" || code=$?
  check
  [ "$code" -eq 0 ] || fail "the server exited $code after SIGTERM: $(tail -3 "$WORK/server.log")"
  check
  grep -q "^kizuna serve: stopped" "$WORK/server.log" || fail "the server did not say it stopped"
  SERVER_PID=""
}

# fetch [CURL ARGS...] URL: one request; sets status, keeps the body in
# $WORK/body and the headers in $WORK/headers.
fetch() {
  status=$(curl -s -g --max-time 60 -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' "$@")
}

# get PATH [CURL ARGS...]: fetch a path of the server.
get() {
  local path=$1
  shift
  fetch "$@" "$URL${path#/}"
}

expect_status() { check; [ "$status" = "$1" ] || fail "$2: expected status $1"; }
expect_body() { check; grep -qF -- "$1" "$WORK/body" || fail "$2: the body lacks '$1'"; }
expect_no_body() { check; ! grep -qF -- "$1" "$WORK/body" || fail "$2: the body has '$1'"; }
# expect_header 'Name: value' LABEL (name case-insensitive, value a prefix)
expect_header() {
  check
  local name=${1%%:*} value=${1#*: }
  grep -i "^$name: " "$WORK/headers" | tr -d '\r' | grep -qF -- ": $value" ||
    fail "$2: no header '$1' (headers: $(tr -d '\r' <"$WORK/headers" | tr '\n' '|'))"
}
expect_no_header() {
  check
  ! grep -qi "^$1:" "$WORK/headers" || fail "$2: unexpected header $1"
}
expect_eq() { check; [ "$1" = "$2" ] || fail "$3: '$1' != '$2'"; }

# The body parses as JSON / XML; prints nothing, fails otherwise.
expect_json() { check; python3 -m json.tool "$WORK/body" >/dev/null 2>&1 || fail "$1: not JSON"; }
expect_xml() {
  check
  python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$WORK/body" 2>/dev/null ||
    fail "$1: not XML"
}

# rdf_count SYNTAX [FILE]: triples rapper parses from FILE (default the
# body), or "error".
rdf_count() {
  local log
  log=$(rapper -i "$1" -c "${2:-$WORK/body}" http://example.org/base/ 2>&1) || { echo error; return; }
  if grep -q "Error" <<<"$log"; then echo error; return; fi
  sed -n 's/.*returned \([0-9]*\) triple.*/\1/p' <<<"$log"
}
expect_rdf() {
  check
  local n
  n=$(rdf_count "$1")
  [ "$n" != error ] && [ "${n:-0}" -gt 0 ] || fail "$2: the body is not $1 with triples ($n)"
}

# json_eval EXPR: evaluates a Python expression on the JSON body (as j).
json_eval() {
  python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
    "$WORK/body" "$1" 2>&1
}

# Percent-encodes a string for a query string.
urlencode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }

# server_writes_jsonld: whether the running server offers JSON-LD (it does
# once the library writes it, and then says so in its service description).
server_writes_jsonld() {
  curl -s -H 'Accept: application/n-triples' "$URL" | grep -q '<http://www.w3.org/ns/formats/JSON-LD>'
}
