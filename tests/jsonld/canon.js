// Reads RDF with the JSON-LD processor jsonld.js and prints it as canonical
// N-Quads (RDF Dataset Canonicalization, URDNA2015), so that two datasets are
// equal exactly when the outputs are: `node canon.js jsonld FILE` converts a
// JSON-LD document with jsonld.toRDF in safe mode (any key or value the
// processor would drop is an error), `node canon.js nquads FILE` reads
// N-Quads. Language tags are lower-cased on both sides: they compare without
// case in RDF, and jsonld.js lower-cases them when it expands.
'use strict';
const fs = require('fs');
const jsonld = require('jsonld');
const canonize = require(require.resolve('rdf-canonize', {paths: [require.resolve('jsonld')]}));

// rdf-canonize's N-Quads reader takes no \U escapes and does not unescape
// IRIs, and Raptor writes every character beyond ASCII escaped; N-Quads may
// hold them as UTF-8 instead. (ASCII escapes stay: \u0022 must not become a
// quote.)
function unescapeNonAscii(text) {
  return text.replace(/\\(\\|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))/g, (all, escaped, u, U) => {
    const code = parseInt(u || U || '0', 16);
    return code >= 0x80 ? String.fromCodePoint(code) : all;
  });
}

async function main() {
  const [mode, file] = process.argv.slice(2);
  if (!['jsonld', 'nquads'].includes(mode) || !file) {
    throw new Error('usage: node canon.js jsonld|nquads FILE');
  }
  const text = fs.readFileSync(file, 'utf8');
  const nquads = mode === 'jsonld'
    ? await jsonld.toRDF(JSON.parse(text), {format: 'application/n-quads', safe: true})
    : unescapeNonAscii(text);
  const dataset = canonize.NQuads.parse(nquads);
  for (const quad of dataset) {
    if (quad.object.language) {
      quad.object.language = quad.object.language.toLowerCase();
    }
  }
  process.stdout.write(await canonize.canonize(dataset, {algorithm: 'URDNA2015'}));
}

main().catch(e => {
  console.error(`canon.js: ${e && e.message ? e.message : e}`);
  process.exit(1);
});
