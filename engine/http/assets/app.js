// kizuna serve: the query page. Fills the examples from /queries, sends
// questions to /ask and queries to /sparql, and shows the answers as a
// table whose IRIs open their resource pages. No dependencies.
"use strict";

const base = document.body.dataset.base;
const results = document.getElementById("results");
const statusLine = document.getElementById("status");
const RESULTS_JSON = "application/sparql-results+json";

// An IRI under the published base opens on this server.
function link(iri) {
  return base && iri.startsWith(base) && base.endsWith("/") ? "/" + iri.slice(base.length) : iri;
}

function cell(term) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") {
    const a = document.createElement("a");
    a.href = link(term.value);
    a.textContent = term.value;
    td.appendChild(a);
  } else if (term.type === "bnode") {
    td.textContent = "_:" + term.value;
    td.className = "blank";
  } else {
    td.textContent = term.value;
    if (term["xml:lang"]) td.title = "@" + term["xml:lang"];
    else if (term.datatype) td.title = term.datatype;
  }
  return td;
}

function show(json) {
  results.textContent = "";
  if ("boolean" in json) {
    statusLine.textContent = "Answer: " + (json.boolean ? "yes" : "no");
    return;
  }
  const vars = json.head.vars, rows = json.results.bindings;
  const table = document.createElement("table");
  table.id = "answer";
  const head = table.createTHead().insertRow();
  for (const v of vars) {
    const th = document.createElement("th");
    th.textContent = v;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const v of vars) tr.appendChild(cell(row[v]));
  }
  results.appendChild(table);
  statusLine.textContent = rows.length + (rows.length === 1 ? " row" : " rows");
}

function fail(text) {
  results.textContent = "";
  statusLine.textContent = text;
  statusLine.className = "error";
}

async function answer(response) {
  statusLine.className = "";
  const type = response.headers.get("Content-Type") || "";
  if (!response.ok) {
    const text = await response.text();
    let message = text;
    try { message = JSON.parse(text).error; } catch (e) { /* plain text */ }
    fail(response.status + ": " + message);
  } else if (type.includes("json")) {
    show(await response.json());
  } else {
    results.textContent = "";
    const pre = document.createElement("pre");
    pre.textContent = await response.text();
    results.appendChild(pre);
    statusLine.textContent = "A graph (" + type.split(";")[0] + ")";
  }
}

async function ask(question) {
  statusLine.textContent = "Asking…";
  const response = await fetch("/ask?q=" + encodeURIComponent(question),
                               { headers: { Accept: RESULTS_JSON } });
  const query = response.headers.get("X-Kizuna-Query");
  await answer(response);
  if (query && response.ok) statusLine.textContent += " · answered by " + query;
}

async function run(query) {
  statusLine.textContent = "Running…";
  const response = await fetch("/sparql", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded",
               Accept: RESULTS_JSON + ", text/turtle;q=0.9" },
    body: "query=" + encodeURIComponent(query)
  });
  await answer(response);
}

async function loadCatalogue() {
  const response = await fetch("/queries", { headers: { Accept: "application/json" } });
  if (!response.ok) return;
  const queries = await response.json();
  const examples = document.getElementById("examples");
  const select = document.getElementById("catalogue");
  for (const q of queries) {
    for (const example of q.examples) {
      const option = document.createElement("option");
      option.value = example;
      examples.appendChild(option);
    }
    const option = document.createElement("option");
    option.value = q.name;
    option.textContent = q.name + " — " + q.description;
    option.dataset.sparql = q.sparql;
    select.appendChild(option);
  }
  select.addEventListener("change", () => {
    const chosen = select.selectedOptions[0];
    if (chosen && chosen.dataset.sparql) document.getElementById("sparql").value = chosen.dataset.sparql;
  });
}

document.getElementById("ask-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const question = document.getElementById("question").value.trim();
  if (question) ask(question).catch((e) => fail(String(e)));
});

document.getElementById("sparql-form").addEventListener("submit", (event) => {
  event.preventDefault();
  run(document.getElementById("sparql").value).catch((e) => fail(String(e)));
});

loadCatalogue().catch(() => {});

// /?q=QUESTION asks at once (links can share a question).
const initial = new URLSearchParams(location.search).get("q");
if (initial) {
  document.getElementById("question").value = initial;
  ask(initial).catch((e) => fail(String(e)));
}
