#!/usr/bin/env bash
# Many clients at once: 16 threads, each over its own keep-alive connection,
# mix SPARQL (SELECT and CONSTRUCT in every format), catalogue queries,
# questions, resource pages and the VoID document. Every answer must be the
# one the same request gets alone: queries run concurrently on the shared
# store, and the parts of the library that are not thread-safe are
# serialised by the server (see engine/http/server.c). Run under the
# sanitizers too (the ASan build), where a data race shows as corruption.
. "$(dirname "$0")/lib.sh"

start_server --quiet --max-concurrent 64

rc=0
python3 - "$URL" <<'EOF' || rc=$?
import http.client, sys, threading, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1])
q = urllib.parse.quote
requests = [
    ("/sparql?query=" + q("SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?s ?label LIMIT 200"), "application/sparql-results+json"),
    ("/sparql?query=" + q("SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?s ?label LIMIT 200"), "application/sparql-results+xml"),
    ("/sparql?query=" + q("CONSTRUCT WHERE { ?s a <https://w3id.org/kizuna/ontology#JointLab> }"), "application/n-triples"),
    ("/sparql?query=" + q("CONSTRUCT WHERE { ?s a <https://w3id.org/kizuna/ontology#JointLab> }"), "application/rdf+xml"),
    ("/sparql?query=" + q("CONSTRUCT WHERE { ?s a <https://w3id.org/kizuna/ontology#Agreement> }"), "text/turtle"),
    ("/queries/joint-labs-involving?agency=" + q("IIT Hyderabad"), "text/csv"),
    ("/queries/agreements-of?agency=ISRO", "application/sparql-results+json"),
    ("/ask?q=" + q("all joint labs involving IIT Hyderabad"), "application/sparql-results+json"),
    ("/ask?q=" + q("which labs does NIMS take part in"), "text/tab-separated-values"),
    ("/id/agency/iit-hyderabad", "text/turtle"),
    ("/id/agency/iit-hyderabad", "text/html"),
    ("/id/country/japan", "application/n-triples"),
    ("/.well-known/void", "application/n-triples"),
]

def fetch(conn, path, accept):
    conn.request("GET", path, headers={"Accept": accept})
    r = conn.getresponse()
    return r.status, r.read()

# The answers alone, one after another.
alone = {}
conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
for path, accept in requests:
    status, body = fetch(conn, path, accept)
    assert status == 200, (path, accept, status, body[:200])
    alone[(path, accept)] = body

def normal(body):
    # blank node labels and Turtle's ordering may differ between runs
    return sorted(body.split(b"\n")) if b"_:" not in body else len(body.split(b"\n"))

errors = []
def client(n):
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
    for i in range(25):
        path, accept = requests[(n + i) % len(requests)]
        try:
            status, body = fetch(conn, path, accept)
        except Exception as e:
            errors.append(f"{path} {accept}: {e}")
            conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
            continue
        if status != 200 or normal(body) != normal(alone[(path, accept)]):
            errors.append(f"{path} {accept}: {status}, {len(body)} bytes instead of {len(alone[(path, accept)])}")

threads = [threading.Thread(target=client, args=(n,)) for n in range(16)]
for t in threads: t.start()
for t in threads: t.join()
print(f"{16 * 25} concurrent requests, {len(errors)} wrong")
for e in errors[:10]: print("  " + e)
sys.exit(1 if errors else 0)
EOF
check
[ "$rc" -eq 0 ] || fail "concurrent answers differ from lone ones"
stop_server
finish
