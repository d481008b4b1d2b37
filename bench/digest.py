#!/usr/bin/env python3
"""Row count and digest of a SPARQL TSV results file, comparable across engines.

The digest is the one bench/oxigraph/run.mjs computes from Oxigraph's terms,
so that kizuna, Rasqal and Oxigraph can be checked against one another.

Canonical form. Each row is its bound variables, sorted by name, written as
"name=term" and joined by tabs. A term is <iri>, _: for any blank node (labels
differ between engines), or "lexical form" with \\ \" \n \r \t escaped and
every other character as itself, followed by @lang in lower case or by
^^<datatype> (nothing for xsd:string). TSV's short forms are expanded first:
a bare 12 is "12"^^xsd:integer, 1.5 is xsd:decimal, 1e3 is xsd:double, true
and false are xsd:boolean. The rows are sorted by their UTF-8 bytes, each is
followed by a newline, and the digest is the first 16 hex digits of the
SHA-256 of the whole, so row order does not matter but multiplicity does.

Usage: digest.py FILE.tsv   prints "ROWS DIGEST"
"""

import hashlib
import re
import sys

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_DECIMAL = re.compile(r"[+-]?[0-9]*\.[0-9]+\Z")
_DOUBLE = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+\Z")


def _escape(text):
    return (text.replace("\\", "\\\\").replace('"', '\\"')
            .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t"))


def _literal(lexical, lang=None, datatype=None):
    out = '"' + _escape(lexical) + '"'
    if lang:
        return out + "@" + lang.lower()
    if datatype and datatype not in (XSD_STRING, RDF_LANG_STRING):
        return out + "^^<" + datatype + ">"
    return out


def canonical_term(cell):
    """The canonical form of one TSV cell (a term in Turtle/N-Triples syntax)."""
    if cell.startswith("<") and cell.endswith(">"):
        return cell
    if cell.startswith("_:"):
        return "_:"
    if cell.startswith('"'):
        chars = []
        i = 1
        while i < len(cell) and cell[i] != '"':
            c = cell[i]
            if c == "\\" and i + 1 < len(cell):
                e = cell[i + 1]
                if e == "u":
                    chars.append(chr(int(cell[i + 2:i + 6], 16)))
                    i += 6
                    continue
                if e == "U":
                    chars.append(chr(int(cell[i + 2:i + 10], 16)))
                    i += 10
                    continue
                chars.append(_ESCAPES.get(e, e))
                i += 2
                continue
            chars.append(c)
            i += 1
        rest = cell[i + 1:]
        lexical = "".join(chars)
        if rest.startswith("@"):
            return _literal(lexical, lang=rest[1:])
        if rest.startswith("^^<") and rest.endswith(">"):
            return _literal(lexical, datatype=rest[3:-1])
        return _literal(lexical)
    if cell in ("true", "false"):
        return _literal(cell, datatype=XSD + "boolean")
    if _INTEGER.match(cell):
        return _literal(cell, datatype=XSD + "integer")
    if _DECIMAL.match(cell):
        return _literal(cell, datatype=XSD + "decimal")
    if _DOUBLE.match(cell):
        return _literal(cell, datatype=XSD + "double")
    return "?" + cell  # not a term: keeps the digest honest about it


def digest_rows(rows):
    """rows: lists of (name, canonical term) pairs for the bound variables."""
    encoded = sorted("\t".join(f"{name}={term}" for name, term in sorted(row)).encode("utf-8")
                     for row in rows)
    hasher = hashlib.sha256()
    for row in encoded:
        hasher.update(row)
        hasher.update(b"\n")
    return hasher.hexdigest()[:16]


def digest_tsv(path):
    """(row count, digest) of a SPARQL TSV results file."""
    with open(path, encoding="utf-8", newline="\n") as f:
        header = f.readline().rstrip("\n")
        names = [name[1:] if name[:1] in "?$" else name for name in header.split("\t")] if header else []
        rows = []
        for line in f:
            line = line.rstrip("\n")
            if line.endswith("\r"):
                line = line[:-1]
            cells = line.split("\t") if names else []
            rows.append([(names[i], canonical_term(cell)) for i, cell in enumerate(cells)
                         if cell != "" and i < len(names)])
    return len(rows), digest_rows(rows)


def main():
    if len(sys.argv) != 2:
        print("usage: digest.py FILE.tsv", file=sys.stderr)
        return 2
    count, digest = digest_tsv(sys.argv[1])
    print(count, digest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
