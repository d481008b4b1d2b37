#!/usr/bin/env bash
# The limits and the life of the server: --timeout (503 with a message),
# --max-concurrent (503 with Retry-After), --max-rows (X-SPARQL-MaxRows),
# --max-body (413), a slow client that trickles its body, a stalled client
# closed after --idle-timeout while others are served, start-up errors
# (unknown host, address in use, bad options: one line, exit 1 or 2), and
# shutdown by SIGINT or SIGTERM letting the request under way finish.
. "$(dirname "$0")/lib.sh"

slow='SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }'
quick='ASK { ?s ?p ?o }'

# --- timeout ------------------------------------------------------------------------
start_server --timeout 1 --quiet
started=$(date +%s)
get sparql -G --data-urlencode "query=$slow"
expect_status 503 "a query over --timeout"
expect_body "ran out of time" "timeout: the message"
expect_body "1 s" "timeout: the limit"
check; [ $(($(date +%s) - started)) -lt 20 ] || fail "the timeout stops the query"
get sparql -G --data-urlencode "query=$quick"
expect_status 200 "a quick query after a timeout"
stop_server

# start_slow OUT: runs the slow query in the background (its body in
# OUT.out, its status in OUT.status, its pid in $slow_pid) and waits, for up
# to 20 s, until a quick query is refused as busy: the slow one has the only
# slot. On a loaded machine a probe can win the slot first, and then the slow
# query is the one refused: it is started again.
start_slow() {
  local i
  slow_pid=""
  for i in $(seq 100); do
    if [ -z "$slow_pid" ] || ! kill -0 "$slow_pid" 2>/dev/null; then
      [ -n "$slow_pid" ] && wait "$slow_pid"
      curl -s -o "$1.out" -w '%{http_code}' -G --data-urlencode "query=$slow" "${URL}sparql" >"$1.status" &
      slow_pid=$!
      sleep 0.3
    fi
    get sparql -G --data-urlencode "query=$quick"
    [ "$status" = 503 ] && return 0
    sleep 0.2
  done
  return 1
}

# --- max-concurrent ---------------------------------------------------------------------
start_server --timeout 12 --max-concurrent 1 --quiet
start_slow "$WORK/slow"
expect_status 503 "a query over --max-concurrent"
expect_header "Retry-After: 1" "busy: Retry-After"
expect_body "too many queries at once" "busy: the message"
get "ask?q=$(urlencode 'all joint labs involving IIT Hyderabad')"
expect_status 503 "the catalogue counts too"
expect_json "busy /ask: JSON"
get .well-known/void
expect_status 200 "what needs no query is served while busy"
wait "$slow_pid"
expect_eq "$(cat "$WORK/slow.status")" 503 "the slow query ran out of time"
check; grep -q "ran out of time" "$WORK/slow.out" || fail "the slow query: $(cat "$WORK/slow.out")"
get sparql -G --data-urlencode "query=$quick"
expect_status 200 "a slot is free again"
stop_server

# --- max-rows, max-body ------------------------------------------------------------------
start_server --max-rows 5 --max-body 200 --quiet
get sparql -G --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o }'
expect_status 200 "more rows than --max-rows"
expect_header "X-SPARQL-MaxRows: 5" "the cut is said in a header"
expect_eq "$(json_eval 'len(j["results"]["bindings"])')" 5 "five rows"
get sparql -G --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 5'
expect_no_header X-SPARQL-MaxRows "exactly --max-rows rows: not cut"
get sparql -G --data-urlencode 'query=CONSTRUCT WHERE { ?s ?p ?o }' -H 'Accept: application/n-triples'
expect_header "X-SPARQL-MaxRows: 5" "CONSTRUCT is cut too"
expect_eq "$(grep -c . "$WORK/body")" 5 "five triples"
get sparql --data-urlencode "query=$quick"
expect_status 200 "a small body"
get sparql --data-urlencode "query=$quick $(printf '%0300d' 0 | tr 0 ' ')"
expect_status 413 "a body over --max-body"
expect_body "larger than 200 bytes" "413: the message"
stop_server

# --- slow and stalled clients -------------------------------------------------------------
start_server --idle-timeout 2 --quiet
{ head -c 6000 /dev/zero | tr '\0' ' '; echo "$quick"; } >"$WORK/padded.rq"
# A client that sends its body at 2 KiB/s (3 s) is answered in full...
curl -s -o "$WORK/trickle.out" -w '%{http_code}' --limit-rate 2K \
  -H 'Content-Type: application/sparql-query' --data-binary "@$WORK/padded.rq" "${URL}sparql" >"$WORK/trickle.status" &
trickle_pid=$!
# ...and a stalled one (headers sent, body never finished) is closed after
# --idle-timeout, while other clients are served meanwhile.
python3 - "$URL" >"$WORK/stalled" 2>&1 <<'EOF' &
import socket, sys, time, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1])
s = socket.create_connection((u.hostname, u.port))
s.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
          b"Content-Length: 100\r\n\r\nASK")
start = time.time()
s.settimeout(30)
data = s.recv(4096)
print("closed after %.1f s with %d bytes" % (time.time() - start, len(data)))
EOF
stalled_pid=$!
sleep 0.5
started=$(date +%s%N)
get sparql -G --data-urlencode "query=$quick"
expect_status 200 "served while a client trickles and another stalls"
check; [ $((($(date +%s%N) - started) / 1000000)) -lt 5000 ] || fail "not held up by slow clients"
wait "$trickle_pid"
expect_eq "$(cat "$WORK/trickle.status")" 200 "the slow client's query"
check; grep -q '"boolean": true' "$WORK/trickle.out" || fail "the slow client's answer"
wait "$stalled_pid"
# (libmicrohttpd's clock may close a hair before 2 s)
check; grep -Eq '^closed after (1\.[5-9]|[2-9]\.[0-9]|1[0-9]\.[0-9]) s' "$WORK/stalled" || fail "the stalled client is closed after --idle-timeout: $(cat "$WORK/stalled")"
# a client that trickles its headers is closed too
python3 - "$URL" >"$WORK/slowloris" 2>&1 <<'EOF'
import socket, sys, time, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1])
s = socket.create_connection((u.hostname, u.port))
s.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\n")
start = time.time()
s.settimeout(30)
data = s.recv(4096)
print("closed after %.1f s with %d bytes" % (time.time() - start, len(data)))
EOF
check; grep -Eq '^closed after (1\.[5-9]|[2-9]\.[0-9]|1[0-9]\.[0-9]) s with 0 bytes' "$WORK/slowloris" || fail "half a request is closed: $(cat "$WORK/slowloris")"
get sparql -G --data-urlencode "query=$quick"
expect_status 200 "still serving"

# --- start-up errors -------------------------------------------------------------------------
port=${URL##*:}
port=${port%/}
"$KIZUNA" serve --port "$port" >"$WORK/out" 2>"$WORK/err"
code=$?
expect_eq "$code" 1 "a port in use: exit 1"
check; grep -q "address already in use\|Address already in use" "$WORK/err" || fail "a port in use: the message ($(cat "$WORK/err"))"
expect_eq "$(wc -l <"$WORK/err")" 1 "a port in use: one line"
stop_server
"$KIZUNA" serve --host no-such-host.invalid --port 0 >"$WORK/out" 2>"$WORK/err"
expect_eq "$?" 1 "an unknown host: exit 1"
check; grep -q "^kizuna serve: cannot listen on 'no-such-host.invalid'" "$WORK/err" || fail "unknown host: the message ($(cat "$WORK/err"))"
expect_eq "$(wc -l <"$WORK/err")" 1 "an unknown host: one line"
"$KIZUNA" serve --host 192.0.2.1 --port 0 >"$WORK/out" 2>"$WORK/err"
expect_eq "$?" 1 "an address not of this machine: exit 1"
expect_eq "$(wc -l <"$WORK/err")" 1 "an address not of this machine: one line"
"$KIZUNA" serve --port 70000 >"$WORK/out" 2>"$WORK/err"
expect_eq "$?" 2 "a bad port: usage error"
"$KIZUNA" serve --max-concurrent 0 >"$WORK/out" 2>"$WORK/err"
expect_eq "$?" 2 "a bad --max-concurrent: usage error"
"$KIZUNA" serve extra >"$WORK/out" 2>"$WORK/err"
expect_eq "$?" 2 "an extra argument: usage error"
"$KIZUNA" serve --help >"$WORK/out" 2>"$WORK/err"
expect_eq "$?" 0 "--help"
check; grep -q -- "--max-concurrent" "$WORK/out" || fail "--help lists the options"

# --- shutdown ------------------------------------------------------------------------------------
start_server --quiet
kill -INT "$SERVER_PID"
code=0
wait "$SERVER_PID" || code=$?
expect_eq "$code" 0 "SIGINT: exit 0"
SERVER_PID=""
# SIGTERM while a query runs: it finishes (here, by its own timeout) and
# its client gets a whole answer before the server exits 0.
start_server --timeout 4 --max-concurrent 1 --quiet
start_slow "$WORK/inflight" || fail "the slow query did not start"
stop_server
wait "$slow_pid"
expect_eq "$(cat "$WORK/inflight.status")" 503 "the request under way got its answer"
check; grep -q "ran out of time" "$WORK/inflight.out" || fail "the request under way: its message"
check; ! curl -s -o /dev/null --max-time 5 "${URL}queries" || fail "nothing listens after the stop"

finish
