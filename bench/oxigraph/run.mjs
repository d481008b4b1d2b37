// Drives Oxigraph (the npm package, an in-memory Store) on the benchmark's
// N-Triples files and queries, for comparison with kizuna.
//
//   node run.mjs [--repeat N] [--budget S] [--clock cpu|wall] DATA.nt QUERY.rq...
//                                                             time each query, print a table
//   node run.mjs --load-only DATA.nt                          load, print one JSON line
//   node run.mjs --serve DATA.nt                              load, then answer requests
//
// --serve prints one JSON line after the load ({"load_ms", "triples"}), then
// reads one JSON request a line from stdin ({"query": PATH, "repeat": N,
// "budget_ms": B, "clock": "cpu" or "wall"}) and answers each with one JSON
// line ({"rows", "digest", "median_ms", "min_ms", "max_ms", "runs",
// "wall_median_ms", "over_budget"} or {"error"}). A request {"warmup":
// [PATH...]} runs each of those queries twice, untimed, so that V8 has
// compiled Oxigraph's hot code with its optimising tier before any timing,
// and answers {"warmed_ms"}.
// bench/run.py uses it so that the three engines take turns query by query
// and see the same load on a shared machine.
//
// Timing: store.query() is called once untimed (a warm-up, which also gives
// the rows, as JS Maps, for the digest), then `repeat` times timed, asking
// for SPARQL TSV: every row is produced and serialised inside Oxigraph, which
// costs less than building a JS Map per row and so favours Oxigraph a little
// over kizuna's --time (every row produced, none written). The clock is the
// process's CPU time (user + system, process.cpuUsage(): every thread of
// Node.js) or, with --clock wall, elapsed time. A query whose warm-up takes
// more than budget/repeat is timed once only (runs: 1). Oxigraph cannot be
// interrupted mid-query: a query over budget still finishes and is reported
// with over_budget.
//
// Digest: the same as bench/digest.py computes from a TSV file. Each row is
// its bound variables, sorted by name, as "name=term" joined by tabs; a term
// is <iri>, _: for any blank node, or "lex" with escapes \\ \" \n \r \t
// followed by @lang (lower case) or ^^<datatype> (none for xsd:string). The
// rows are sorted by their UTF-8 bytes, each ends with \n, and the digest is
// the first 16 hex digits of the SHA-256 of them all.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import oxigraph from "oxigraph";

const XSD_STRING = "http://www.w3.org/2001/XMLSchema#string";
const RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

function escapeLexical(text) {
  return text.replace(/[\\"\n\r\t]/g, (c) => ({ "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t" })[c]);
}

function canonicalTerm(term) {
  switch (term.termType) {
    case "NamedNode":
      return `<${term.value}>`;
    case "BlankNode":
      return "_:";
    case "Literal": {
      const lexical = `"${escapeLexical(term.value)}"`;
      if (term.language) return `${lexical}@${term.language.toLowerCase()}`;
      const datatype = term.datatype ? term.datatype.value : XSD_STRING;
      return datatype === XSD_STRING || datatype === RDF_LANG_STRING ? lexical : `${lexical}^^<${datatype}>`;
    }
    default:
      return `?${term.termType}`;
  }
}

export function digestRows(bindingsList) {
  const rows = bindingsList.map((bindings) =>
    Buffer.from(
      [...bindings.keys()]
        .sort()
        .map((name) => `${name}=${canonicalTerm(bindings.get(name))}`)
        .join("\t"),
      "utf8",
    ),
  );
  rows.sort(Buffer.compare);
  const hash = createHash("sha256");
  for (const row of rows) {
    hash.update(row);
    hash.update("\n");
  }
  return hash.digest("hex").slice(0, 16);
}

function now() {
  return Number(process.hrtime.bigint()) / 1e6;
}

function cpuMs() {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function load(path) {
  const store = new oxigraph.Store();
  const start = now();
  // Read and parse in one timed step: the other engines' load times include
  // reading the file too.
  const text = readFileSync(path);
  store.load(text, { format: "application/n-triples", no_transaction: true });
  return { store, load_ms: now() - start, triples: store.size };
}

function countLines(text) {
  let lines = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lines++;
  return lines;
}

function runQuery(store, text, repeat, budgetMs, clock) {
  const clockMs = clock === "wall" ? now : cpuMs;
  const warmStart = clockMs();
  const result = store.query(text);
  const warmMs = clockMs() - warmStart;
  if (!Array.isArray(result)) throw new Error("only SELECT queries are supported");
  const rows = result.length;
  const digest = digestRows(result);
  const times = [];
  const wallTimes = [];
  const runs = warmMs * repeat <= budgetMs ? repeat : 1;
  for (let i = 0; i < runs; i++) {
    const wallStart = now();
    const start = clockMs();
    const timed = store.query(text, { results_format: "text/tab-separated-values" });
    times.push(clockMs() - start);
    wallTimes.push(now() - wallStart);
    const timedRows = countLines(timed) - 1; // less the header
    if (timedRows !== rows) throw new Error(`row count differs between runs: ${rows} then ${timedRows}`);
  }
  return {
    rows,
    digest,
    median_ms: median(times),
    min_ms: Math.min(...times),
    max_ms: Math.max(...times),
    wall_median_ms: median(wallTimes),
    runs,
    over_budget: Math.min(...times) > budgetMs,
  };
}

function parseArguments(argv) {
  const options = { mode: "table", repeat: 5, budget: 10, clock: "cpu", files: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--load-only") options.mode = "load";
    else if (arg === "--serve") options.mode = "serve";
    else if (arg === "--repeat") options.repeat = Number(argv[++i]);
    else if (arg === "--budget") options.budget = Number(argv[++i]);
    else if (arg === "--clock") options.clock = argv[++i];
    else if (arg === "-h" || arg === "--help") options.mode = "help";
    else options.files.push(arg);
  }
  if (!(options.repeat >= 1) || !(options.budget > 0)) throw new Error("--repeat needs a count from 1, --budget seconds above 0");
  if (options.clock !== "cpu" && options.clock !== "wall") throw new Error("--clock is cpu or wall");
  return options;
}

function warmUp(store, paths) {
  const start = now();
  for (let round = 0; round < 2; round++)
    for (const path of paths) {
      try {
        store.query(readFileSync(path, "utf8"), { results_format: "text/tab-separated-values" });
      } catch {
        // a query Oxigraph rejects is reported when it is run for real
      }
    }
  return now() - start;
}

async function serve(store) {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    let reply;
    try {
      const request = JSON.parse(line);
      if (request.warmup) {
        reply = { warmed_ms: warmUp(store, request.warmup) };
        process.stdout.write(JSON.stringify(reply) + "\n");
        continue;
      }
      const text = readFileSync(request.query, "utf8");
      reply = runQuery(store, text, request.repeat ?? 5, request.budget_ms ?? 10000, request.clock ?? "cpu");
    } catch (error) {
      reply = { error: String(error && error.message ? error.message : error) };
    }
    process.stdout.write(JSON.stringify(reply) + "\n");
  }
}

function printTable(store, loaded, options) {
  console.log(`load ${loaded.load_ms.toFixed(1)} ms, ${loaded.triples} triples`);
  warmUp(store, options.files.slice(1));
  console.log(["query", "rows", "digest", `median ms (${options.clock})`, "min ms", "max ms", "runs"].join("\t"));
  for (const path of options.files.slice(1)) {
    const r = runQuery(store, readFileSync(path, "utf8"), options.repeat, options.budget * 1000, options.clock);
    const name = path.replace(/^.*\//, "").replace(/\.rq$/, "");
    console.log([name, r.rows, r.digest, r.median_ms.toFixed(1), r.min_ms.toFixed(1), r.max_ms.toFixed(1), r.runs].join("\t"));
  }
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  if (options.mode === "help" || options.files.length === 0) {
    console.log("usage: node run.mjs [--repeat N] [--budget S] [--clock cpu|wall] DATA.nt QUERY.rq...\n       node run.mjs --load-only DATA.nt\n       node run.mjs --serve DATA.nt");
    process.exit(options.mode === "help" ? 0 : 2);
  }
  const loaded = load(options.files[0]);
  if (options.mode === "load") {
    console.log(JSON.stringify({ load_ms: loaded.load_ms, triples: loaded.triples }));
  } else if (options.mode === "serve") {
    process.stdout.write(JSON.stringify({ load_ms: loaded.load_ms, triples: loaded.triples }) + "\n");
    await serve(loaded.store);
  } else {
    printTable(loaded.store, loaded, options);
  }
}

main().catch((error) => {
  console.error(`run.mjs: ${error && error.message ? error.message : error}`);
  process.exit(1);
});
