#!/usr/bin/env bash
# The query page in a real browser: headless Chromium (Debian's chromium)
# loads /?q=all joint labs involving IIT Hyderabad from a server the test
# started; the page's script asks /ask and renders the answer, and the DOM
# it dumps must hold the table of the two joint labs, with their IRIs linked
# to the local resource pages, and the catalogue's examples. Skipped when
# Chromium is not installed.
. "$(dirname "$0")/lib.sh"
browser=""
for b in chromium chromium-browser google-chrome; do
  command -v "$b" >/dev/null 2>&1 && { browser=$b; break; }
done
[ -n "$browser" ] || { echo "SKIP: Chromium is not installed (apt-get install chromium)"; exit 77; }

start_server --quiet

# dump PATH: the DOM after the page's scripts ran (virtual time lets the
# fetches finish before the dump).
dump() {
  HOME=$WORK timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --no-first-run --user-data-dir="$WORK/profile" --virtual-time-budget=30000 \
    --dump-dom "$URL$1" >"$WORK/body" 2>"$WORK/browser.log"
}

dump "?q=$(urlencode 'all joint labs involving IIT Hyderabad')"
check; [ -s "$WORK/body" ] || fail "Chromium dumped nothing: $(tail -5 "$WORK/browser.log")"
expect_body '<table id="answer">' "the answer is a table"
expect_body "IITH-NIMS Joint Research Center" "the IITH-NIMS lab"
expect_body "India-Japan Joint Laboratory: Data Science-based Farming Support System" "the farming lab"
expect_body 'href="/id/lab/iith-nims-joint-research-center"' "IRIs open their resource pages"
expect_body "2 rows" "the status line"
expect_body "answered by joint-labs-involving" "the query that answered"
rows=$(python3 - "$WORK/body" <<'PY'
import html.parser, sys
class Rows(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.inside = False; self.rows = 0
    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("id", "answer") in attrs: self.inside = True
        if self.inside and tag == "tr": self.rows += 1
    def handle_endtag(self, tag):
        if tag == "table": self.inside = False
p = Rows(); p.feed(open(sys.argv[1]).read()); print(p.rows - 1)
PY
)
expect_eq "$rows" 2 "two rows under the header"
expect_body '<option value="all joint labs involving IIT Hyderabad">' "the catalogue's examples"
expect_body 'data-sparql=' "the catalogue's queries in the editor's list"

# a resource page, as a browser sees it
dump "id/lab/iith-nims-joint-research-center"
expect_body "<h1>IITH-NIMS Joint Research Center</h1>" "a resource page"
expect_body 'href="/id/agency/iit-hyderabad"' "its links stay on the server"

stop_server
finish
