# Checking JSON-LD that kizuna writes, for the CLI and HTTP tests. Sourced
# after tests/cli/lib.sh or tests/http/lib.sh (it needs KIZUNA). Two checkers:
#
#   jsonld_shape FILE [--nquads NQ] [--without PREFIX]...
#       check.py: JSON, the shape kizuna writes, and (with --nquads) the same
#       statements as an N-Quads file. Needs only python3, so it always runs.
#   jsonld_processor && jsonld_same FILE NQ
#       a real JSON-LD processor, the npm package jsonld (jsonld.js), installed
#       on first use into the build tree (npm/ beside the kizuna binary, or
#       $KZ_JSONLD_NPM) and reused after. jsonld_same reads FILE with
#       jsonld.toRDF (safe mode: nothing may be dropped) and NQ as N-Quads, and
#       compares them canonicalized (URDNA2015); prints the difference.
#       jsonld_processor returns 1, after printing why, when node or npm is
#       missing or the install fails; the caller then skips that part.
JSONLD_TOOLS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JSONLD_NODE_PATH=""

jsonld_shape() { python3 "$JSONLD_TOOLS/check.py" "$@"; }

jsonld_processor() {
  [ -n "$JSONLD_NODE_PATH" ] && return 0
  if ! command -v node >/dev/null 2>&1; then
    echo "SKIP: the JSON-LD processor check (node is not installed)"
    return 1
  fi
  local dir=${KZ_JSONLD_NPM:-$(dirname "$KIZUNA")/npm}
  # .ready is written once an install has finished: node_modules alone may be
  # half there while another test installs.
  if [ ! -f "$dir/.ready" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "SKIP: the JSON-LD processor check (npm is not installed)"
      return 1
    fi
    mkdir -p "$dir" || return 1
    local log=$dir/install.$$.log
    (
      # Tests may run in parallel: one installs, the others wait for it.
      command -v flock >/dev/null 2>&1 && flock 9
      [ -f "$dir/.ready" ] && exit 0
      timeout 600 npm install --no-audit --no-fund --prefix "$dir" jsonld@8 &&
        [ -f "$dir/node_modules/jsonld/package.json" ] && touch "$dir/.ready"
    ) 9>"$dir/.lock" >"$log" 2>&1
    if [ ! -f "$dir/.ready" ]; then
      echo "SKIP: the JSON-LD processor check (npm install jsonld@8 failed: $(tail -n 1 "$log"))"
      return 1
    fi
    rm -f "$log"
  fi
  JSONLD_NODE_PATH=$dir/node_modules
}

# jsonld_canon jsonld|nquads FILE: canonical N-Quads on stdout.
jsonld_canon() { NODE_PATH=$JSONLD_NODE_PATH node "$JSONLD_TOOLS/canon.js" "$@"; }

# jsonld_same FILE.jsonld FILE.nq: 0 when they hold the same quads.
jsonld_same() {
  local a b
  a=$(mktemp) b=$(mktemp)
  if ! jsonld_canon jsonld "$1" >"$a" || ! jsonld_canon nquads "$2" >"$b"; then
    rm -f "$a" "$b"
    return 1
  fi
  local rc=0
  if ! cmp -s "$a" "$b"; then
    echo "JSON-LD $1 (<) and N-Quads $2 (>) differ:"
    diff "$a" "$b" | head -20
    rc=1
  elif [ ! -s "$a" ] && [ -s "$2" ]; then
    echo "no quads read from $1"
    rc=1
  fi
  rm -f "$a" "$b"
  return $rc
}
