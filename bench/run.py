#!/usr/bin/env python3
"""Runs the benchmark: kizuna, kizuna --engine rasqal and Oxigraph on the same
generated files, in one run, and writes bench/report.md.

For each size it
  1. generates bench/data/kz-SIZE.nt with generate.py if missing or older
     than the generator;
  2. times `rapper -c` on it (parsing alone: the reference rate);
  3. times processes that only load the file (kizuna and Oxigraph, taking
     turns, --load-repeat times): wall and CPU time and peak RSS from
     /usr/bin/time -v, and the load time the engine reports itself;
  4. runs each query on the three engines in turn (kizuna, Rasqal, then the
     Oxigraph process that keeps the file loaded), so that all three see the
     same machine load: kizuna with `--time --repeat N --timeout BUDGET`,
     Rasqal with --repeat 1 under `timeout` and again with --repeat N when
     N runs fit in the budget, Oxigraph through run.mjs --serve;
  5. digests every result (digest.py, run.mjs: same canonical form) and flags
     a row count or digest that differs from Oxigraph's (from kizuna's where
     Oxigraph has no answer) as MISMATCH.

Times are medians of the evaluation alone (kizuna's --time covers planning
and producing every row, not writing them; run.mjs times store.query()). By
default (--clock cpu) they are CPU time, which a busy shared machine does not
stretch as it does elapsed time: kizuna runs with cpuclock.c preloaded, so its
--time reads its thread's CPU clock, and run.mjs reads process.cpuUsage().
--clock wall times elapsed time instead. Ratios are engine / Oxigraph: below
1 is faster.

Usage: run.py [--sizes 10k,100k] [--repeat 5] [--budget 10] [--kizuna PATH]
              [--clock cpu|wall] [--engines kizuna,rasqal,oxigraph]
              [--queries SUBSTRING,...] [--load-repeat 3] [--seed S]
              [--report FILE]
       run.py --report-only    rewrite the report from bench/data/results.json
"""

import argparse
import datetime
import json
import math
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)

import digest  # noqa: E402  (bench/digest.py)
import generate  # noqa: E402  (bench/generate.py)

ENGINES = ("kizuna", "rasqal", "oxigraph")
TIME_LINE = re.compile(
    r"load (?P<load>[\d.]+) ms, parse (?P<parse>[\d.]+) ms, plan (?P<plan>[\d.]+) ms, "
    r"evaluate (?P<median>[\d.]+) ms(?: \(median of (?P<runs>\d+); min (?P<min>[\d.]+), max (?P<max>[\d.]+)\))?, "
    r"(?P<rows>\d+) rows")
# Times below this are taken as this when forming ratios: kizuna prints
# milliseconds with one decimal, so 0.0 means "under 0.05 ms".
TIME_FLOOR_MS = 0.05


def log(message):
    print(message, file=sys.stderr, flush=True)


# ---- processes ----

def run_timed(argv, stdout=subprocess.DEVNULL, timeout=None, stdin=None, cpu_limit=None):
    """Runs argv under /usr/bin/time -v (and `timeout` when given; with
    cpu_limit, a limit of that many CPU seconds on each process: SIGXCPU,
    then SIGKILL).

    Returns {rc, wall, cpu, rss_kb, stderr, timed_out}: wall seconds, CPU
    seconds (user + system), peak resident set in KiB."""
    with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as tf:
        time_path = tf.name
    inner = list(argv)
    if timeout:
        inner = ["timeout", "-s", "KILL", f"{timeout:.0f}"] + inner
    start = time.monotonic()
    def limit_cpu():
        seconds = int(math.ceil(cpu_limit))
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))

    proc = subprocess.run(["/usr/bin/time", "-v", "-o", time_path] + inner, stdout=stdout,
                          stderr=subprocess.PIPE, stdin=stdin, preexec_fn=limit_cpu if cpu_limit else None)
    wall = time.monotonic() - start
    stats = parse_time_v(time_path)
    os.unlink(time_path)
    return {
        "rc": proc.returncode,
        "wall": stats.get("wall", wall),
        "cpu": stats.get("user", 0.0) + stats.get("sys", 0.0),
        "rss_kb": stats.get("rss_kb", 0),
        "stderr": proc.stderr.decode("utf-8", "replace"),
        # timeout's own code, or a process killed by SIGKILL or SIGXCPU
        "timed_out": proc.returncode in (124, 137, 152, -9, -24) or "signal 24" in stats.get("status", "")
                     or (bool(timeout) and "signal 9" in stats.get("status", "")),
    }


def parse_time_v(path):
    stats = {}
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                key, _, value = line.strip().partition(": ")
                if key.startswith("Command terminated by signal"):
                    stats["status"] = key.replace("Command terminated by ", "")
                elif key == "User time (seconds)":
                    stats["user"] = float(value)
                elif key == "System time (seconds)":
                    stats["sys"] = float(value)
                elif key == "Maximum resident set size (kbytes)":
                    stats["rss_kb"] = int(value)
                elif key.startswith("Elapsed (wall clock) time"):
                    # the value itself holds colons: h:mm:ss or m:ss.ss
                    clock = line.strip().rsplit(": ", 1)[1]
                    seconds = 0.0
                    for part in clock.split(":"):
                        seconds = seconds * 60 + float(part)
                    stats["wall"] = seconds
    except OSError:
        pass
    return stats


def median(values):
    values = sorted(values)
    n = len(values)
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


def geomean(values):
    values = [v for v in values if v and v > 0]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


# ---- the engines ----

# Node.js flags for the process that answers the timed queries: compile all of
# Oxigraph's WebAssembly with V8's optimising tier at once (--no-liftoff: no
# baseline code, no tier-up while timing) and collect garbage on the main
# thread only (--single-threaded-gc: no helper threads whose CPU time would
# land in the measurement). Both make Oxigraph faster and steadier here; the
# load-only runs use plain `node`, as a user would.
NODE_QUERY_FLAGS = ["--no-liftoff", "--single-threaded-gc"]


class Oxigraph:
    """run.mjs --serve under /usr/bin/time -v: one process per data file."""

    def __init__(self, data_path):
        self.time_path = tempfile.NamedTemporaryFile("r", suffix=".time", delete=False).name
        self.proc = subprocess.Popen(
            ["/usr/bin/time", "-v", "-o", self.time_path, "node"] + NODE_QUERY_FLAGS +
            [os.path.join(BENCH, "oxigraph", "run.mjs"), "--serve", data_path],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=os.path.join(BENCH, "oxigraph"))
        self.loaded = json.loads(self.proc.stdout.readline() or "{}")

    def warm_up(self, paths):
        self.proc.stdin.write(json.dumps({"warmup": paths}) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline() or "{}").get("warmed_ms")

    def query(self, path, repeat, budget_ms, clock):
        request = {"query": path, "repeat": repeat, "budget_ms": budget_ms, "clock": clock}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        return json.loads(line) if line else {"error": "oxigraph process ended"}

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()
        stats = parse_time_v(self.time_path)
        os.unlink(self.time_path)
        return stats


def kizuna_query(kizuna, engine, data, query, repeat, budget, load_s, load_cpu_s, out_path, preload):
    """Runs one query with kizuna's --time; returns a result dict."""
    base = (["env", f"LD_PRELOAD={preload}"] if preload else []) + [kizuna, "query", "--no-infer", "--data", data, "-f", "tsv", "--time"]
    if engine == "rasqal":
        base += ["--engine", "rasqal"]
    # kizuna's own engine stops a query itself after --timeout (CPU seconds
    # under cpuclock.so). Rasqal cannot be told, so its process gets a CPU
    # limit that covers the load, the untimed run that writes the rows and one
    # timed run. A wall-clock timeout, far above either, catches a hang.
    if engine == "kizuna":
        argv = base + ["--repeat", str(repeat), "--timeout", str(budget), query]
        cpu_limit = None
    else:
        argv = base + ["--repeat", "1", query]
        cpu_limit = load_cpu_s * 1.5 + budget * 2 + 5
    outer = 10 * (load_s + budget * (repeat + 1)) + 120
    with open(out_path, "wb") as out:
        run = run_timed(argv, stdout=out, timeout=outer, cpu_limit=cpu_limit)
    result = {"rss_kb": run["rss_kb"], "process_wall_s": run["wall"], "process_cpu_s": run["cpu"]}
    match = TIME_LINE.search(run["stderr"])
    if run["timed_out"] or "ran out of time" in run["stderr"]:
        result["status"] = "timeout"
        return result
    if run["rc"] != 0 or not match:
        message = run["stderr"].strip().splitlines()
        message = message[-1] if message else f"exit {run['rc']}"
        result["status"] = "unsupported" if "syntax error" in message else "error"
        result["error"] = message
        return result
    result.update(status="ok", rows=int(match["rows"]), median_ms=float(match["median"]),
                  min_ms=float(match["min"] or match["median"]), max_ms=float(match["max"] or match["median"]),
                  runs=int(match["runs"] or 1), load_ms=float(match["load"]))
    # The written rows are the ones compared; --time's count must agree.
    result["rows_timed"] = result["rows"]
    result["rows"], result["digest"] = digest.digest_tsv(out_path)
    if result["rows"] != result["rows_timed"]:
        result["status"] = "error"
        result["error"] = f"{result['rows']} rows written but {result['rows_timed']} counted by --time"
    if engine == "rasqal" and repeat > 1 and result["median_ms"] * repeat <= budget * 1000:
        again = run_timed(base + ["--repeat", str(repeat), query], timeout=outer, cpu_limit=cpu_limit + budget)
        m = TIME_LINE.search(again["stderr"])
        if again["rc"] == 0 and m:
            result.update(median_ms=float(m["median"]), min_ms=float(m["min"] or m["median"]),
                          max_ms=float(m["max"] or m["median"]), runs=int(m["runs"] or 1))
            result["rss_kb"] = max(result["rss_kb"], again["rss_kb"])
    return result


# ---- one size ----

def data_file(size, seed):
    os.makedirs(os.path.join(BENCH, "data"), exist_ok=True)
    suffix = "" if seed == generate.DEFAULT_SEED else f"-s{seed}"
    path = os.path.join(BENCH, "data", f"kz-{size}{suffix}.nt")
    stale = not os.path.exists(path) or os.path.getmtime(path) < os.path.getmtime(generate.__file__)
    if stale:
        log(f"generating {path}")
        tmp = path + ".tmp"
        subprocess.run([sys.executable, generate.__file__, "--triples", size, "--seed", str(seed), "-o", tmp],
                       check=True)
        os.replace(tmp, path)
    return path


def bench_size(size, args, queries):
    triples = generate.parse_count(size)
    data = data_file(size, args.seed)
    result = {"size": size, "triples": triples, "file": os.path.relpath(data, ROOT),
              "file_mb": os.path.getsize(data) / 1e6, "loadavg_start": loadavg()}
    log(f"== {size}: {data}")

    # Parsing alone.
    if shutil.which("rapper"):
        run = run_timed(["rapper", "-q", "-i", "ntriples", "-c", data])
        result["rapper"] = {"wall": run["wall"], "cpu": run["cpu"], "rss_kb": run["rss_kb"]}

    # Loading alone, the engines taking turns.
    loads = {e: [] for e in ("kizuna", "oxigraph") if e in args.engines or (e == "kizuna" and "rasqal" in args.engines)}
    for _ in range(args.load_repeat):
        if "kizuna" in loads:
            run = run_timed([args.kizuna, "query", "--no-infer", "--data", data, "--time", "-e", "ASK {}"])
            m = TIME_LINE.search(run["stderr"])
            run["inner_ms"] = float(m["load"]) if m else None
            loads["kizuna"].append(run)
        if "oxigraph" in loads:
            with tempfile.TemporaryFile() as out:
                run = run_timed(["node", os.path.join(BENCH, "oxigraph", "run.mjs"), "--load-only", data], stdout=out)
                out.seek(0)
                try:
                    run["inner_ms"] = json.loads(out.read().decode() or "{}").get("load_ms")
                except ValueError:
                    run["inner_ms"] = None
            loads["oxigraph"].append(run)
    result["load"] = {}
    for engine, runs in loads.items():
        inner = [r["inner_ms"] for r in runs if r.get("inner_ms") is not None]
        result["load"][engine] = {
            "wall": median([r["wall"] for r in runs]), "cpu": median([r["cpu"] for r in runs]),
            "rss_kb": max(r["rss_kb"] for r in runs), "inner_ms": median(inner) if inner else None,
            "ok": all(r["rc"] == 0 for r in runs)}
        log(f"   load {engine}: {result['load'][engine]['wall']:.2f} s wall, "
            f"{result['load'][engine]['cpu']:.2f} s CPU, {result['load'][engine]['rss_kb'] / 1024:.0f} MB")
    load_s = result["load"].get("kizuna", {}).get("wall", 60.0)
    load_cpu_s = result["load"].get("kizuna", {}).get("cpu", 60.0)

    # The queries, engine after engine for each query.
    oxigraph = Oxigraph(data) if "oxigraph" in args.engines else None
    if oxigraph:
        result["oxigraph_serve_load_ms"] = oxigraph.loaded.get("load_ms")
        result["oxigraph_warmup_ms"] = oxigraph.warm_up(queries)
    result["queries"] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for query in queries:
            name = os.path.basename(query)[:-3]
            row = {}
            for engine in ("kizuna", "rasqal"):
                if engine in args.engines:
                    row[engine] = kizuna_query(args.kizuna, engine, data, query, args.repeat, args.budget, load_s,
                                               load_cpu_s, os.path.join(tmp, f"{engine}.tsv"), args.preload)
            if oxigraph:
                reply = oxigraph.query(query, args.repeat, args.budget * 1000, args.clock)
                if "error" in reply:
                    row["oxigraph"] = {"status": "error", "error": reply["error"]}
                else:
                    row["oxigraph"] = dict(reply, status="ok")
            result["queries"][name] = row
            log("   " + name + ": " + ", ".join(
                f"{e} {r['median_ms']:.1f} ms/{r['rows']}" if r["status"] == "ok" else f"{e} {r['status']}"
                for e, r in row.items()))
    if oxigraph:
        stats = oxigraph.close()
        result["oxigraph_serve_rss_kb"] = stats.get("rss_kb")
    result["loadavg_end"] = loadavg()
    return result


# ---- the report ----

def fmt_ms(r, budget):
    if not r:
        return "–"
    if r["status"] == "timeout":
        return f"> {budget:g} s"
    if r["status"] == "unsupported":
        return "unsupported"
    if r["status"] != "ok":
        return "error"
    if r["median_ms"] < TIME_FLOOR_MS:
        text = f"< {TIME_FLOOR_MS}"
    else:
        text = f"{r['median_ms']:.1f}" if r["median_ms"] >= 0.1 else f"{r['median_ms']:.2f}"
    if r.get("runs", 1) == 1:
        text += " (1 run)"
    return text


def ratio(r, ref):
    if not r or not ref or r.get("status") != "ok" or ref.get("status") != "ok":
        return None
    return max(r["median_ms"], TIME_FLOOR_MS) / max(ref["median_ms"], TIME_FLOOR_MS)


def fmt_ratio(x):
    return "–" if x is None else f"{x:.2f}"


def check(row):
    """The agreement column: every engine that answered, against the reference."""
    answered = {e: r for e, r in row.items() if r.get("status") == "ok"}
    if not answered:
        return "no answer"
    ref_engine = "oxigraph" if "oxigraph" in answered else next(iter(answered))
    ref = answered[ref_engine]
    bad = [e for e, r in answered.items() if (r["rows"], r["digest"]) != (ref["rows"], ref["digest"])]
    if bad:
        return "**MISMATCH**: " + "; ".join(
            f"{e} {answered[e]['rows']} rows {answered[e]['digest'][:8]}" for e in bad) + \
            f" vs {ref_engine} {ref['rows']} rows {ref['digest'][:8]}"
    return f"ok ({len(answered)}): {ref['rows']} rows, {ref['digest'][:8]}"


def mb(kb):
    return f"{kb / 1024:.0f}" if kb else "–"


def machine_lines():
    lines = []
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_gib = "?"
    try:
        with open("/proc/meminfo") as f:
            mem_gib = f"{int(f.readline().split()[1]) / 1024 / 1024:.1f}"
    except (OSError, ValueError, IndexError):
        pass
    lines.append(f"- machine: {os.cpu_count()} CPUs ({model}), {mem_gib} GiB memory, "
                 f"{platform.system()} {platform.release()}")
    return lines


def tool_version(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "?"


def source_revision():
    """The commit the work tree is on, read from .git (no git process)."""
    git = os.path.join(ROOT, ".git")
    try:
        with open(os.path.join(git, "HEAD")) as f:
            head = f.read().strip()
        if not head.startswith("ref: "):
            return head[:12]
        ref = head[5:]
        if os.path.exists(os.path.join(git, ref)):
            with open(os.path.join(git, ref)) as f:
                return f.read().strip()[:12]
        with open(os.path.join(git, "packed-refs")) as f:
            for line in f:
                if line.strip().endswith(" " + ref):
                    return line.split()[0][:12]
    except OSError:
        pass
    return "?"


def oxigraph_version():
    try:
        with open(os.path.join(BENCH, "oxigraph", "node_modules", "oxigraph", "package.json")) as f:
            return json.load(f)["version"]
    except (OSError, ValueError, KeyError):
        return "?"


def write_report(results, args, started, path):
    engines = [e for e in ENGINES if e in args.engines]
    out = []
    out.append("# Benchmark report")
    out.append("")
    out.append(f"Written by `bench/run.py` on {started:%Y-%m-%d %H:%M} UTC: "
               f"`--sizes {','.join(args.sizes)} --repeat {args.repeat} --budget {args.budget:g} "
               f"--load-repeat {args.load_repeat}`, seed {args.seed}.")
    out.append("")
    out.extend(machine_lines())
    out.append(f"- kizuna: {tool_version([args.kizuna, '--version'])} (`{os.path.relpath(args.kizuna, ROOT)}`, "
               f"work tree at commit {getattr(args, 'revision', None) or source_revision()}), "
               f"its own engine and `--engine rasqal` (Rasqal over the same store), both with `--no-infer`")
    out.append(f"- Oxigraph: npm package oxigraph {oxigraph_version()} (WebAssembly, in-memory Store) "
               f"on Node.js {tool_version(['node', '--version'])}")
    out.append(f"- parse reference: {tool_version(['rapper', '--version'])} (`rapper -c`)")
    out.append("")
    clock = ("CPU milliseconds (kizuna and Rasqal: the evaluating thread's; Oxigraph: the Node.js "
             "process's; see bench/README.md)" if args.clock == "cpu" else "wall-clock milliseconds")
    out.append(f"Query times are {clock}, the median of the timed runs of each query after one "
               "untimed run; ratios are engine / Oxigraph, so below 1 is faster than Oxigraph. "
               f"Times under {TIME_FLOOR_MS} ms count as {TIME_FLOOR_MS} ms in ratios. "
               "The results column compares the row count and a digest of the rows (bench/digest.py) "
               "of every engine that answered with Oxigraph's. See bench/README.md for what each "
               "query measures and for the caveats.")
    for res in results:
        out.append("")
        out.append(f"## {res['size']} triples")
        out.append("")
        out.append(f"`{res['file']}`: {res['triples']:,} triples, {res['file_mb']:.1f} MB. "
                   f"Load average (1, 5, 15 min) at the start: {res['loadavg_start']}; at the end: "
                   f"{res['loadavg_end']}.")
        out.append("")
        out.append("### Load")
        out.append("")
        out.append("| what | wall s | triples/s (wall) | CPU s | triples/s (CPU) | own load time ms (wall) | peak RSS MB "
                   "| rate vs Oxigraph (wall, CPU) |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|")
        oxi = res["load"].get("oxigraph")
        n = res["triples"]
        for engine, label in (("kizuna", "kizuna (load only)"), ("oxigraph", "Oxigraph (load only)")):
            ld = res["load"].get(engine)
            if not ld:
                continue
            vs = "–"
            if oxi and engine != "oxigraph":
                vs = f"{oxi['wall'] / ld['wall']:.2f}×, {oxi['cpu'] / ld['cpu']:.2f}×"
            inner = f"{ld['inner_ms']:.0f}" if ld.get("inner_ms") is not None else "–"
            out.append(f"| {label} | {ld['wall']:.2f} | {n / ld['wall']:,.0f} | {ld['cpu']:.2f} | "
                       f"{n / max(ld['cpu'], 1e-3):,.0f} | {inner} | {mb(ld['rss_kb'])} | {vs} |")
        if "rapper" in res:
            rp = res["rapper"]
            out.append(f"| rapper -c (parse only) | {rp['wall']:.2f} | {n / rp['wall']:,.0f} | {rp['cpu']:.2f} | "
                       f"{n / max(rp['cpu'], 1e-3):,.0f} | – | {mb(rp['rss_kb'])} | – |")
        kl, rp = res["load"].get("kizuna"), res.get("rapper")
        if kl and rp:
            out.append("")
            out.append(f"kizuna's load takes {kl['cpu'] / max(rp['cpu'], 1e-3):.1f}× the CPU time of parsing the "
                       "file alone (`rapper -c`).")
        out.append("")
        out.append("### Queries")
        out.append("")
        header = "| query | " + " | ".join(f"{e} ms" for e in engines)
        ratio_engines = [e for e in engines if e != "oxigraph"] if "oxigraph" in engines else []
        header += "".join(f" | {e} / Oxigraph" for e in ratio_engines) + " | results |"
        out.append(header)
        out.append("|---|" + "---:|" * (len(engines) + len(ratio_engines)) + "---|")
        ratios = {e: [] for e in ratio_engines}
        for name, row in res["queries"].items():
            cells = [fmt_ms(row.get(e), args.budget) for e in engines]
            for e in ratio_engines:
                x = ratio(row.get(e), row.get("oxigraph"))
                ratios[e].append(x)
                cells.append(fmt_ratio(x))
            out.append(f"| {name} | " + " | ".join(cells) + f" | {check(row)} |")
        if ratio_engines:
            cells = [""] * len(engines)
            for e in ratio_engines:
                answered = [x for x in ratios[e] if x is not None]
                g = geomean(answered)
                cells.append(f"**{fmt_ratio(g)}**" + (f" ({len(answered)} of {len(ratios[e])})"
                                                        if len(answered) != len(ratios[e]) else ""))
            out.append("| **geometric mean** | " + " | ".join(cells) + " | |")
        twins = res["queries"].get("q12-not-exists", {}), res["queries"].get("q13-optional-not-bound", {})
        twin_notes = []
        for e in engines:
            a, b = twins[0].get(e), twins[1].get(e)
            if a and b and a.get("status") == "ok" and b.get("status") == "ok" and a["digest"] != b["digest"]:
                twin_notes.append(e)
        if twin_notes:
            out.append("")
            out.append(f"**MISMATCH**: q12 (NOT EXISTS) and q13 (OPTIONAL/!bound) differ for {', '.join(twin_notes)}.")
        out.append("")
        out.append("### Peak memory (RSS, MB)")
        out.append("")
        out.append("| engine | load only | highest over the query processes |")
        out.append("|---|---:|---:|")
        for e in engines:
            if e == "oxigraph":
                load = res["load"].get("oxigraph", {}).get("rss_kb")
                serve = res.get("oxigraph_serve_rss_kb")
                out.append(f"| Oxigraph | {mb(load)} | {mb(serve)} (one process for all queries) |")
            else:
                peaks = [r.get("rss_kb", 0) for r in (row.get(e, {}) for row in res["queries"].values())]
                load = res["load"].get("kizuna", {}).get("rss_kb")
                out.append(f"| {e} | {mb(load)} | {mb(max(peaks) if peaks else 0)} |")
    out.append("")
    out.append("## Against the targets")
    out.append("")
    out.append("| size | every query no slower than Oxigraph | geomean kizuna / Oxigraph ≤ 0.5 | "
               "load ≥ 3× Oxigraph's rate (wall; CPU) | kizuna peak RSS MB (target at 1M: ≤ 200) | "
               "kizuna answers every query as Oxigraph does |")
    out.append("|---|---|---|---|---|---|")
    for res in results:
        rows = res["queries"]
        rs = [ratio(r.get("kizuna"), r.get("oxigraph")) for r in rows.values()]
        slower = [name for name, x in zip(rows, rs) if x is None or x > 1]
        g = geomean([x for x in rs if x is not None])
        kl, ol = res["load"].get("kizuna"), res["load"].get("oxigraph")
        load_cell = "–"
        if kl and ol:
            load_cell = f"{ol['wall'] / kl['wall']:.2f}×; {ol['cpu'] / kl['cpu']:.2f}×"
        peak = max([kl["rss_kb"] if kl else 0] + [r.get("kizuna", {}).get("rss_kb", 0) for r in rows.values()])
        mismatches = [name for name, row in rows.items()
                      if not row.get("kizuna", {}).get("status") == "ok"
                      or (row.get("oxigraph", {}).get("status") == "ok"
                          and (row["kizuna"]["rows"], row["kizuna"]["digest"])
                          != (row["oxigraph"]["rows"], row["oxigraph"]["digest"]))]
        out.append(f"| {res['size']} | " + ("yes" if not slower else "no: " + ", ".join(s[:3] for s in slower)) +
                   f" | {fmt_ratio(g)} | {load_cell} | {mb(peak)} | " +
                   ("yes" if not mismatches else "**no**: " + ", ".join(mismatches)) + " |")
    out.append("")
    text = "\n".join(out)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return text


# ---- main ----

def find_kizuna(given):
    for candidate in [given, os.environ.get("KIZUNA"), os.path.join(ROOT, "build", "kizuna")]:
        if candidate and os.access(candidate, os.X_OK):
            return os.path.abspath(candidate)
    sys.exit("run.py: no kizuna binary: build it (cmake -S . -B build && cmake --build build) "
             "or pass --kizuna PATH")


def build_cpuclock():
    """Builds cpuclock.c into bench/data/cpuclock.so when missing or stale."""
    source = os.path.join(BENCH, "cpuclock.c")
    target = os.path.join(BENCH, "data", "cpuclock.so")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if not os.path.exists(target) or os.path.getmtime(target) < os.path.getmtime(source):
        subprocess.run([os.environ.get("CC", "cc"), "-std=c11", "-O2", "-Wall", "-Wextra", "-shared", "-fPIC",
                        "-o", target, source, "-ldl"], check=True)
    return target


def ensure_oxigraph():
    directory = os.path.join(BENCH, "oxigraph")
    if os.path.isdir(os.path.join(directory, "node_modules", "oxigraph")):
        return
    if not shutil.which("npm"):
        sys.exit("run.py: Oxigraph needs node and npm (or leave it out: --engines kizuna,rasqal)")
    log("installing oxigraph (npm ci in bench/oxigraph)")
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=directory, check=True)


def main():
    parser = argparse.ArgumentParser(description="Benchmarks kizuna against Rasqal and Oxigraph.")
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated sizes (10k,100k,1M,10M)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each query (default 5)")
    parser.add_argument("--budget", type=float, default=10, help="seconds allowed for one evaluation (default 10)")
    parser.add_argument("--load-repeat", type=int, default=3, help="load-only runs per engine (default 3)")
    parser.add_argument("--kizuna", help="the kizuna binary (default: $KIZUNA or build/kizuna)")
    parser.add_argument("--engines", default=",".join(ENGINES), help="any of kizuna,rasqal,oxigraph")
    parser.add_argument("--queries", help="only the queries whose file name contains one of these (comma-separated)")
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu",
                        help="time queries by CPU time (default) or elapsed time")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED, help="generator seed")
    parser.add_argument("--report", default=os.path.join(BENCH, "report.md"), help="where to write the report")
    parser.add_argument("--report-only", action="store_true",
                        help="rewrite the report from the last run's bench/data/results.json")
    args = parser.parse_args()
    if args.report_only:
        with open(os.path.join(BENCH, "data", "results.json")) as f:
            saved = json.load(f)
        report_path = args.report
        args = argparse.Namespace(**saved["args"])
        started = datetime.datetime.fromisoformat(saved["started"])
        print(write_report(saved["results"], args, started, report_path))
        return
    args.sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    args.engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = [e for e in args.engines if e not in ENGINES]
    if unknown or args.repeat < 1 or args.load_repeat < 1 or args.budget <= 0:
        parser.error(f"bad --engines {unknown}" if unknown else "--repeat and --load-repeat need 1 or more, "
                     "--budget more than 0")
    args.kizuna = find_kizuna(args.kizuna)
    if not os.access("/usr/bin/time", os.X_OK):
        sys.exit("run.py: needs GNU time at /usr/bin/time (Debian package: time)")
    if "oxigraph" in args.engines:
        ensure_oxigraph()
    args.preload = build_cpuclock() if args.clock == "cpu" else None
    args.revision = source_revision()
    queries = sorted(os.path.join(BENCH, "queries", q) for q in os.listdir(os.path.join(BENCH, "queries"))
                     if q.endswith(".rq"))
    if args.queries:
        wanted = args.queries.split(",")
        queries = [q for q in queries if any(w in os.path.basename(q) for w in wanted)]
    started = datetime.datetime.now(datetime.timezone.utc)
    results = [bench_size(size, args, queries) for size in args.sizes]
    with open(os.path.join(BENCH, "data", "results.json"), "w") as f:
        json.dump({"started": started.isoformat(), "args": vars(args), "results": results}, f, indent=1)
    print(write_report(results, args, started, args.report))


if __name__ == "__main__":
    main()
