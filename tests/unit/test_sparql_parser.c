/* Unit tests for the SPARQL front end: lexer tokens and escapes, IRI
 * resolution, the algebra of each construct (compared as printed
 * S-expressions), the static rules with their positions, the depth limits,
 * and inputs that must give errors rather than crashes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kizuna/query.h"
#include "sparql/algebra.h"
#include "sparql/iri.h"
#include "sparql/lexer.h"
#include "sparql/parser.h"

#define BASE "http://ex/"
#define RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

/* ---- helpers ------------------------------------------------------------ */

/* The compact algebra of a query that must be valid; caller frees. */
static char *algebra_of(const char *text) {
  kz_ast_query *ast = NULL;
  kz_algebra *alg = NULL;
  kz_error err;
  kz_error_clear(&err);
  if (kz_sparql_parse(&ast, text, BASE, "q", &err) != KZ_OK)
    fail_msg("%s: %ld:%ld: %s", text, err.line, err.column, err.message);
  assert_int_equal(kz_algebra_translate(&alg, ast, "q", &err), KZ_OK);
  kz_ast_free(ast);
  char *s = kz_algebra_to_string(alg, KZ_ALGEBRA_COMPACT);
  assert_non_null(s);
  kz_algebra_free(alg);
  size_t n = strlen(s);
  if (n && s[n - 1] == '\n')
    s[n - 1] = '\0';
  return s;
}

static void expect_algebra(const char *text, const char *expected) {
  char *got = algebra_of(text);
  int same = strcmp(got, expected) == 0;
  if (!same)
    print_error("query:    %s\nexpected: %s\ngot:      %s\n", text, expected, got);
  free(got);
  if (!same)
    fail();
}

/* Parses text, which must be invalid; returns the error. */
static kz_error error_of(const char *text) {
  kz_ast_query *ast = NULL;
  kz_error err;
  kz_error_clear(&err);
  kz_status status = kz_sparql_parse(&ast, text, BASE, "q", &err);
  if (status == KZ_OK) {
    kz_ast_free(ast);
    fail_msg("accepted: %s", text);
  }
  assert_null(ast);
  assert_int_equal(status, err.status);
  return err;
}

static void expect_error(const char *text, long line, long column, const char *part) {
  kz_error err = error_of(text);
  if (err.status != KZ_ERR_QUERY || err.line != line || err.column != column ||
      !strstr(err.message, part)) {
    print_error("query: %s\nexpected %ld:%ld ...%s...\ngot %ld:%ld %s\n", text, line, column,
                part, err.line, err.column, err.message);
    fail();
  }
}

static char *repeat(const char *unit, size_t times, const char *prefix, const char *suffix) {
  size_t n = strlen(unit);
  char *s = malloc(strlen(prefix) + n * times + strlen(suffix) + 1);
  assert_non_null(s);
  strcpy(s, prefix);
  char *p = s + strlen(prefix);
  for (size_t i = 0; i < times; i++, p += n)
    memcpy(p, unit, n);
  strcpy(p, suffix);
  return s;
}

/* ---- the lexer -------------------------------------------------------------- */

typedef struct lexed {
  kz_arena *arena;
  kz_lexer lex;
} lexed;

static void lex_open(lexed *l, const char *text) {
  l->arena = kz_arena_new();
  assert_non_null(l->arena);
  kz_error err;
  assert_int_equal(kz_lexer_init(&l->lex, l->arena, text, "t", &err), KZ_OK);
}

static kz_token lex_next(lexed *l) {
  kz_token t;
  kz_lexer_next(&l->lex, &t);
  return t;
}

static void test_token_kinds(void **state) {
  (void)state;
  lexed l;
  lex_open(&l, "SELECT ?x $y <http://a> ex:b :c ex: _:b1 @en-US 12 -3.5 +.5e3 1.e2 "
               "'a' \"b\" '''c''' \"\"\"d\"\"\" ( ) [ ] { } ( [ ^^ || && != <= >= ^ / | * + ? "
               ". , ; = < > ! - a # comment\n");
  static const kz_token_kind expected[] = {
      KZ_TOK_KEYWORD, KZ_TOK_VAR1, KZ_TOK_VAR2, KZ_TOK_IRIREF, KZ_TOK_PNAME_LN,
      KZ_TOK_PNAME_LN, KZ_TOK_PNAME_NS, KZ_TOK_BLANK_NODE_LABEL, KZ_TOK_LANGTAG,
      KZ_TOK_INTEGER, KZ_TOK_DECIMAL_NEGATIVE, KZ_TOK_DOUBLE_POSITIVE, KZ_TOK_DOUBLE,
      KZ_TOK_STRING_LITERAL1, KZ_TOK_STRING_LITERAL2, KZ_TOK_STRING_LITERAL_LONG1,
      KZ_TOK_STRING_LITERAL_LONG2, KZ_TOK_NIL, KZ_TOK_ANON, KZ_TOK_LBRACE, KZ_TOK_RBRACE,
      KZ_TOK_LPAREN, KZ_TOK_LBRACKET, KZ_TOK_DCARET, KZ_TOK_OR, KZ_TOK_AND, KZ_TOK_NE,
      KZ_TOK_LE, KZ_TOK_GE, KZ_TOK_CARET, KZ_TOK_SLASH, KZ_TOK_PIPE, KZ_TOK_STAR,
      KZ_TOK_PLUS, KZ_TOK_QUESTION, KZ_TOK_DOT, KZ_TOK_COMMA, KZ_TOK_SEMICOLON, KZ_TOK_EQ,
      KZ_TOK_LT, KZ_TOK_GT, KZ_TOK_BANG, KZ_TOK_MINUS, KZ_TOK_KEYWORD, KZ_TOK_EOF};
  for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
    kz_token t = lex_next(&l);
    if (t.kind != expected[i])
      fail_msg("token %zu ('%.*s'): kind %d, expected %d", i, (int)t.text_length, t.text,
               t.kind, expected[i]);
  }
  assert_int_equal(lex_next(&l).kind, KZ_TOK_EOF); /* and stays there */
  kz_arena_free(l.arena);
}

static void test_token_values(void **state) {
  (void)state;
  lexed l;
  lex_open(&l, "ex:a\\.b\\-c%20d ex:a. ?name \"\\t\\n\\\"\\\\x\" '''a''b''' @de-CH-1996 "
               "_:x.y. -12 <a b> 1.");
  kz_token t = lex_next(&l);
  assert_int_equal(t.kind, KZ_TOK_PNAME_LN);
  assert_string_equal(t.value, "ex");
  assert_string_equal(t.local, "a.b-c%20d");
  t = lex_next(&l); /* a local name does not end with '.' */
  assert_string_equal(t.local, "a");
  assert_int_equal(lex_next(&l).kind, KZ_TOK_DOT);
  assert_string_equal(lex_next(&l).value, "name");
  t = lex_next(&l);
  assert_string_equal(t.value, "\t\n\"\\x");
  assert_string_equal(lex_next(&l).value, "a''b");
  assert_string_equal(lex_next(&l).value, "de-CH-1996");
  t = lex_next(&l);
  assert_int_equal(t.kind, KZ_TOK_BLANK_NODE_LABEL);
  assert_string_equal(t.value, "x.y");
  assert_int_equal(lex_next(&l).kind, KZ_TOK_DOT);
  t = lex_next(&l);
  assert_int_equal(t.kind, KZ_TOK_INTEGER_NEGATIVE);
  assert_string_equal(t.value, "-12");
  /* "<a b>" is no IRI: '<' then a keyword */
  assert_int_equal(lex_next(&l).kind, KZ_TOK_LT);
  assert_int_equal(lex_next(&l).kind, KZ_TOK_KEYWORD);
  assert_int_equal(lex_next(&l).kind, KZ_TOK_KEYWORD);
  assert_int_equal(lex_next(&l).kind, KZ_TOK_GT);
  t = lex_next(&l); /* "1." is 1 then '.' */
  assert_int_equal(t.kind, KZ_TOK_INTEGER);
  assert_int_equal(lex_next(&l).kind, KZ_TOK_DOT);
  kz_arena_free(l.arena);
}

static void test_token_positions(void **state) {
  (void)state;
  lexed l;
  lex_open(&l, "SELECT\n\t\xc3\xa9t\xc3\xa9:x  ?y # c\n\n  }");
  kz_token t = lex_next(&l);
  assert_int_equal(t.line, 1);
  assert_int_equal(t.column, 1);
  t = lex_next(&l);
  assert_int_equal(t.kind, KZ_TOK_PNAME_LN);
  assert_string_equal(t.value, "\xc3\xa9t\xc3\xa9");
  assert_int_equal(t.line, 2);
  assert_int_equal(t.column, 2);
  t = lex_next(&l);
  assert_int_equal(t.column, 9); /* columns count characters, not bytes */
  t = lex_next(&l);
  assert_int_equal(t.kind, KZ_TOK_RBRACE);
  assert_int_equal(t.line, 4);
  assert_int_equal(t.column, 3);
  kz_arena_free(l.arena);
}

static void test_codepoint_escapes(void **state) {
  (void)state;
  lexed l;
  lex_open(&l, "\"\\u00e9\\U0001F46A\\uD83D\\uDE00\" \"\\u0022\" \"\\u005cn\" \"\\\\u0041\" "
               "\\u003Fx ?z");
  kz_token t = lex_next(&l);
  assert_string_equal(t.value, "\xc3\xa9\xf0\x9f\x91\xaa\xf0\x9f\x98\x80");
  t = lex_next(&l); /* an escaped quote is content */
  assert_string_equal(t.value, "\"");
  t = lex_next(&l); /* an escaped backslash starts no escape */
  assert_string_equal(t.value, "\\n");
  t = lex_next(&l); /* "\\u0041" is a backslash and u0041 */
  assert_string_equal(t.value, "\\u0041");
  t = lex_next(&l); /* outside strings an escape is the character */
  assert_int_equal(t.kind, KZ_TOK_VAR1);
  assert_string_equal(t.value, "x");
  assert_int_equal(t.column, 61);
  t = lex_next(&l); /* positions are those of the original text */
  assert_int_equal(t.column, 69);
  kz_arena_free(l.arena);

  static const struct {
    const char *text;
    long column;
    const char *message;
  } bad[] = {
      {"SELECT * { ?s ?p '\\uD800' }", 19, "unpaired surrogate"},
      {"SELECT * { ?s ?p '\\uDC00\\uD800' }", 19, "unpaired surrogate"},
      {"SELECT * { ?s ?p '\\U00110000' }", 19, "beyond U+10FFFF"},
      {"SELECT * { ?s ?p '\\u0000' }", 19, "U+0000"},
      {"SELECT * { ?s ?p \\u005cU00000031 }", 18, "unexpected character '\\'"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    expect_error(bad[i].text, 1, bad[i].column, bad[i].message);
}

static void test_lexical_errors(void **state) {
  (void)state;
  expect_error("SELECT * { ?s ?p \"abc }", 1, 18, "unterminated string");
  expect_error("SELECT * { ?s ?p 'a\nb' }", 1, 18, "line break in a string");
  expect_error("SELECT * { ?s ?p \"a\\qb\" }", 1, 20, "bad escape sequence");
  expect_error("SELECT * { FILTER(?a & ?b) }", 1, 22, "'&&'");
  expect_error("SELECT $ { }", 1, 8, "'$' must start a variable");
  expect_error("SELECT * { ?s ?p \xff }", 1, 18, "not valid UTF-8");
  expect_error("SELECT * { ?s ?p ?o } ~", 1, 23, "unexpected character '~'");
  expect_error("SELECT * { _: ?p ?o }", 1, 12, "blank node label");
  expect_error("SELECT * { ?s ?p \"x\"@ }", 1, 21, "language tag");
}

/* The pieces kz_sparql_scan cuts text into, as KIND:text joined by '|'
 * (spaces left out), must be expected. */
static void expect_scan(const char *text, const char *expected) {
  char got[512] = "";
  kz_scan_kind kind;
  for (size_t n; (n = kz_sparql_scan(text, &kind)); text += n)
    if (kind != KZ_SCAN_OTHER || *text != ' ')
      snprintf(got + strlen(got), sizeof got - strlen(got), "%s%c:%.*s", *got ? "|" : "",
               "CSIVWO"[kind], (int)n, text);
  assert_string_equal(got, expected);
}

static void test_scan(void **state) {
  (void)state;
  expect_scan("", "");
  expect_scan("SELECT ?x $y WHERE{", "W:SELECT|V:?x|V:$y|W:WHERE|O:{");
  expect_scan("\"a ?b \\\" ?c\" ?d", "S:\"a ?b \\\" ?c\"|V:?d");
  expect_scan("'''x'' ?y''' ?z ''", "S:'''x'' ?y'''|V:?z|S:''");
  expect_scan("<http://a/?b> ?c < ?d <a b>", "I:<http://a/?b>|V:?c|O:<|V:?d|O:<|W:a|W:b|O:>");
  expect_scan("# ?a\n?b", "C:# ?a|O:\n|V:?b");
  expect_scan("\"abc\n?d", "S:\"abc|O:\n|V:?d"); /* unterminated: ends with its line */
  expect_scan("'ab\r?d", "S:'ab|O:\r|V:?d");
  expect_scan("\"\"\"a\n?b", "S:\"\"\"a\n?b");
  expect_scan("\"a\\", "S:\"a\\");
  expect_scan("? $ ?( ex:a-b.c?d ?\xc3\xa9", "O:?|O:$|O:?|O:(|W:ex:a-b.c|V:?d|V:?\xc3\xa9");
}

/* ---- IRIs ------------------------------------------------------------------- */

static void test_iri_resolution(void **state) {
  (void)state;
  /* RFC 3986 section 5.4 */
  static const char *const cases[][2] = {
      {"g:h", "g:h"}, {"g", "http://a/b/c/g"}, {"./g", "http://a/b/c/g"},
      {"g/", "http://a/b/c/g/"}, {"/g", "http://a/g"}, {"//g", "http://g"},
      {"?y", "http://a/b/c/d;p?y"}, {"g?y", "http://a/b/c/g?y"},
      {"#s", "http://a/b/c/d;p?q#s"}, {"g#s", "http://a/b/c/g#s"},
      {"g?y#s", "http://a/b/c/g?y#s"}, {";x", "http://a/b/c/;x"}, {"g;x", "http://a/b/c/g;x"},
      {"g;x?y#s", "http://a/b/c/g;x?y#s"}, {"", "http://a/b/c/d;p?q"}, {".", "http://a/b/c/"},
      {"./", "http://a/b/c/"}, {"..", "http://a/b/"}, {"../", "http://a/b/"},
      {"../g", "http://a/b/g"}, {"../..", "http://a/"}, {"../../", "http://a/"},
      {"../../g", "http://a/g"}, {"../../../g", "http://a/g"}, {"../../../../g", "http://a/g"},
      {"/./g", "http://a/g"}, {"/../g", "http://a/g"}, {"g.", "http://a/b/c/g."},
      {".g", "http://a/b/c/.g"}, {"g..", "http://a/b/c/g.."}, {"..g", "http://a/b/c/..g"},
      {"./../g", "http://a/b/g"}, {"./g/.", "http://a/b/c/g/"}, {"g/./h", "http://a/b/c/g/h"},
      {"g/../h", "http://a/b/c/h"}, {"g;x=1/./y", "http://a/b/c/g;x=1/y"},
      {"g;x=1/../y", "http://a/b/c/y"}, {"g?y/./x", "http://a/b/c/g?y/./x"},
      {"g?y/../x", "http://a/b/c/g?y/../x"}, {"g#s/./x", "http://a/b/c/g#s/./x"},
      {"g#s/../x", "http://a/b/c/g#s/../x"}, {"http:g", "http:g"},
  };
  kz_arena *arena = kz_arena_new();
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *got = kz_iri_resolve(arena, "http://a/b/c/d;p?q", cases[i][0]);
    if (strcmp(got, cases[i][1]) != 0)
      fail_msg("resolve '%s': got '%s', expected '%s'", cases[i][0], got, cases[i][1]);
  }
  assert_string_equal(kz_iri_resolve(arena, "http://a", "b"), "http://a/b");
  assert_string_equal(kz_iri_resolve(arena, NULL, "rel"), "rel");
  kz_arena_free(arena);
  /* BASE and PREFIX in the query: each PREFIX resolves against the BASE
   * declared before it, and BASE against the one before. */
  expect_algebra("BASE <http://a/b/c> PREFIX x: <d/> BASE <e/f> SELECT * { <g> x:h <#i> }",
                 "(project () (bgp (triple <http://a/b/e/g> <http://a/b/d/h> <http://a/b/e/f#i>)))");
}

/* ---- the algebra of each construct ---------------------------------------- */

static void test_algebra_basic(void **state) {
  (void)state;
  expect_algebra("SELECT ?x WHERE { ?x <p> ?o }",
                 "(project (?x) (bgp (triple ?x <http://ex/p> ?o)))");
  expect_algebra("select * { ?s ?p ?o }", "(project (?s ?p ?o) (bgp (triple ?s ?p ?o)))");
  expect_algebra("SELECT * {}", "(project () (table unit))");
  expect_algebra("SELECT * { {} }", "(project () (table unit))");
  expect_algebra("ASK { ?s ?p ?o }", "(bgp (triple ?s ?p ?o))");
  expect_algebra("ASK FROM <g1> FROM NAMED <g2> { ?s ?p ?o }", "(bgp (triple ?s ?p ?o))");
  expect_algebra("PREFIX : <http://ex/> SELECT * { ?s a :C ; :p 1, 2.5, -3e2, true, "
                 "\"x\"@en-GB, \"y\"^^:t, 'z' }",
                 "(project (?s) (bgp (triple ?s <" RDF "type> <http://ex/C>) "
                 "(triple ?s <http://ex/p> 1) (triple ?s <http://ex/p> 2.5) "
                 "(triple ?s <http://ex/p> -3e2) (triple ?s <http://ex/p> true) "
                 "(triple ?s <http://ex/p> \"x\"@en-GB) "
                 "(triple ?s <http://ex/p> \"y\"^^<http://ex/t>) (triple ?s <http://ex/p> \"z\")))");
}

static void test_algebra_triples(void **state) {
  (void)state;
  expect_algebra("SELECT * { ?s <p> [ <q> ?o ] }",
                 "(project (?s ?o) (bgp (triple ?s <http://ex/p> ??0) (triple ??0 <http://ex/q> ?o)))");
  expect_algebra("SELECT * { [ <p> 1 ] <q> 2 }",
                 "(project () (bgp (triple ??0 <http://ex/p> 1) (triple ??0 <http://ex/q> 2)))");
  expect_algebra("SELECT * { [ <p> 1 ] }", "(project () (bgp (triple ??0 <http://ex/p> 1)))");
  expect_algebra("SELECT * { ?s <p> ( 1 ?x ) }",
                 "(project (?s ?x) (bgp (triple ?s <http://ex/p> ??0) (triple ??0 <" RDF "first> 1) "
                 "(triple ??0 <" RDF "rest> ??1) (triple ??1 <" RDF "first> ?x) "
                 "(triple ??1 <" RDF "rest> <" RDF "nil>)))");
  expect_algebra("SELECT * { ?s <p> () }", "(project (?s) (bgp (triple ?s <http://ex/p> <" RDF "nil>)))");
  expect_algebra("SELECT * { ( 1 ) }",
                 "(project () (bgp (triple ??0 <" RDF "first> 1) (triple ??0 <" RDF "rest> <" RDF "nil>)))");
  /* one BGP across FILTERs; a label is one blank node */
  expect_algebra("SELECT * { _:a <p> ?x . _:a <q> ?y FILTER(?x) _:a <r> ?z }",
                 "(project (?x ?y ?z) (filter ?x (bgp (triple ??0 <http://ex/p> ?x) "
                 "(triple ??0 <http://ex/q> ?y) (triple ??0 <http://ex/r> ?z))))");
  expect_algebra("SELECT * { ?s <p> ?o ; ; <q> ?o . }",
                 "(project (?s ?o) (bgp (triple ?s <http://ex/p> ?o) (triple ?s <http://ex/q> ?o)))");
}

static void test_algebra_patterns(void **state) {
  (void)state;
  expect_algebra("SELECT * { ?s <p> ?o OPTIONAL { ?o <q> ?r } }",
                 "(project (?s ?o ?r) (leftjoin (bgp (triple ?s <http://ex/p> ?o)) "
                 "(bgp (triple ?o <http://ex/q> ?r))))");
  expect_algebra("SELECT * { ?s <p> ?o OPTIONAL { ?o <q> ?r FILTER(?r > 1) } }",
                 "(project (?s ?o ?r) (leftjoin (bgp (triple ?s <http://ex/p> ?o)) "
                 "(bgp (triple ?o <http://ex/q> ?r)) (> ?r 1)))");
  expect_algebra("SELECT * { OPTIONAL { ?o <q> ?r } }",
                 "(project (?o ?r) (leftjoin (table unit) (bgp (triple ?o <http://ex/q> ?r))))");
  expect_algebra("SELECT * { ?s <p> ?o FILTER(?o > 1) FILTER(?o < 5) }",
                 "(project (?s ?o) (filter (exprlist (> ?o 1) (< ?o 5)) "
                 "(bgp (triple ?s <http://ex/p> ?o))))");
  expect_algebra("SELECT * { { ?s <a> ?o } UNION { ?s <b> ?o } UNION { ?s <c> ?o } }",
                 "(project (?s ?o) (union (union (bgp (triple ?s <http://ex/a> ?o)) "
                 "(bgp (triple ?s <http://ex/b> ?o))) (bgp (triple ?s <http://ex/c> ?o))))");
  expect_algebra("SELECT * { ?s <p> ?o MINUS { ?s <q> ?o } }",
                 "(project (?s ?o) (minus (bgp (triple ?s <http://ex/p> ?o)) "
                 "(bgp (triple ?s <http://ex/q> ?o))))");
  expect_algebra("SELECT * { GRAPH ?g { ?s <p> ?o } GRAPH <g> { ?s <q> ?r } }",
                 "(project (?g ?s ?o ?r) (join (graph ?g (bgp (triple ?s <http://ex/p> ?o))) "
                 "(graph <http://ex/g> (bgp (triple ?s <http://ex/q> ?r)))))");
  expect_algebra("SELECT * { SERVICE SILENT <http://s/> { ?s <p> ?o } }",
                 "(project (?s ?o) (service silent <http://s/> (bgp (triple ?s <http://ex/p> ?o))))");
  expect_algebra("SELECT * { ?s <p> ?o BIND(?o + 1 AS ?n) ?n <q> ?z }",
                 "(project (?s ?o ?n ?z) (join (extend ((?n (+ ?o 1))) "
                 "(bgp (triple ?s <http://ex/p> ?o))) (bgp (triple ?n <http://ex/q> ?z))))");
  expect_algebra("SELECT * { BIND(1 AS ?x) }", "(project (?x) (extend ((?x 1)) (table unit)))");
  expect_algebra("SELECT * { ?s <p> ?o VALUES ?o { 1 2 UNDEF } }",
                 "(project (?s ?o) (join (bgp (triple ?s <http://ex/p> ?o)) "
                 "(table (vars ?o) (row [?o 1]) (row [?o 2]) (row))))");
  expect_algebra("SELECT * { VALUES (?a ?b) { (1 UNDEF) (UNDEF \"x\") } }",
                 "(project (?a ?b) (table (vars ?a ?b) (row [?a 1]) (row [?b \"x\"])))");
  expect_algebra("SELECT * { VALUES () { () } ?s <p> ?o }",
                 "(project (?s ?o) (bgp (triple ?s <http://ex/p> ?o)))");
  expect_algebra("SELECT ?s { ?s <p> ?o } VALUES ?s { <a> }",
                 "(project (?s) (join (bgp (triple ?s <http://ex/p> ?o)) "
                 "(table (vars ?s) (row [?s <http://ex/a>]))))");
  expect_algebra("SELECT * { ?s <p> ?o { SELECT ?o { ?o <q> ?z } ORDER BY ?z LIMIT 2 } }",
                 "(project (?s ?o) (join (bgp (triple ?s <http://ex/p> ?o)) (slice _ 2 "
                 "(project (?o) (order (?z) (bgp (triple ?o <http://ex/q> ?z)))))))");
  expect_algebra("SELECT * { ?s ?p ?o FILTER EXISTS { ?o ?q ?r } FILTER NOT EXISTS { ?o <x> 1 } }",
                 "(project (?s ?p ?o) (filter (exprlist (exists (bgp (triple ?o ?q ?r))) "
                 "(notexists (bgp (triple ?o <http://ex/x> 1)))) (bgp (triple ?s ?p ?o))))");
}

static void test_algebra_paths(void **state) {
  (void)state;
  /* A plain triple after a group that flushed a path pattern stays a triple. */
  expect_algebra("BASE <http://x/> SELECT * { ?a <p>|<q> ?b . { } ?c <s> ?d }",
                 "(project (?a ?b ?c ?d) (join (path ?a (alt <http://x/p> <http://x/q>) ?b) "
                 "(bgp (triple ?c <http://x/s> ?d))))");
  static const char *const cases[][2] = {
      {"<p>/<q>/<r>",
       "(bgp (triple ?s <http://ex/p> ??P0) (triple ??P0 <http://ex/q> ??P1) (triple ??P1 <http://ex/r> ?o))"},
      {"^<p>", "(bgp (triple ?o <http://ex/p> ?s))"},
      {"^<p>/<q>", "(bgp (triple ??P0 <http://ex/p> ?s) (triple ??P0 <http://ex/q> ?o))"},
      {"(<p>)", "(bgp (triple ?s <http://ex/p> ?o))"},
      {"^(<p>/<q>)", "(path ?s (reverse (seq <http://ex/p> <http://ex/q>)) ?o)"},
      {"<p>|<q>", "(path ?s (alt <http://ex/p> <http://ex/q>) ?o)"},
      {"<p>*", "(path ?s (path* <http://ex/p>) ?o)"},
      {"<p>+/<q>", "(join (path ?s (path+ <http://ex/p>) ??P0) (bgp (triple ??P0 <http://ex/q> ?o)))"},
      {"(<p>/<q>)?", "(path ?s (path? (seq <http://ex/p> <http://ex/q>)) ?o)"},
      {"!<p>", "(path ?s (notoneof <http://ex/p>) ?o)"},
      {"!^<p>", "(path ?s (reverse (notoneof <http://ex/p>)) ?o)"},
      {"!(<p>|^<q>|a)",
       "(path ?s (alt (notoneof <http://ex/p> <" RDF "type>) (reverse (notoneof <http://ex/q>))) ?o)"},
      {"!()", "(path ?s (notoneof) ?o)"},
      {"?v", "(bgp (triple ?s ?v ?o))"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char query[256], expected[512];
    snprintf(query, sizeof query, "SELECT ?s ?o { ?s %s ?o }", cases[i][0]);
    snprintf(expected, sizeof expected, "(project (?s ?o) %s)", cases[i][1]);
    expect_algebra(query, expected);
  }
  expect_algebra("SELECT * { ?s <p>* ?o . ?s <q> ?o . ?o <r> ?z }",
                 "(project (?s ?o ?z) (join (path ?s (path* <http://ex/p>) ?o) "
                 "(bgp (triple ?s <http://ex/q> ?o) (triple ?o <http://ex/r> ?z))))");
  expect_algebra("SELECT * { ?s <p> [ <q>/<r> ?o ] }",
                 "(project (?s ?o) (bgp (triple ?s <http://ex/p> ??0) "
                 "(triple ??0 <http://ex/q> ??P0) (triple ??P0 <http://ex/r> ?o)))");
}

static void test_algebra_expressions(void **state) {
  (void)state;
  static const char *const cases[][2] = {
      {"?o IN (1, 2) || ?o NOT IN ()", "(|| (in ?o 1 2) (notin ?o))"},
      {"!BOUND(?o) && -?o = +?o * 2 / 3 - 1",
       "(&& (! (bound ?o)) (= (- ?o) (- (/ (* (+ ?o) 2) 3) 1)))"},
      /* a signed number after an operand is the operator (grammar note) */
      {"?o +1 > ?o -2 * 3", "(> (+ ?o 1) (- ?o (* 2 3)))"},
      {"?a || ?b || ?c", "(|| (|| ?a ?b) ?c)"},
      {"?a && ?b && ?c && ?d", "(&& (&& ?a ?b) (&& ?c ?d))"},
      {"<http://www.w3.org/2001/XMLSchema#integer>(?o) > 1",
       "(> (<http://www.w3.org/2001/XMLSchema#integer> ?o) 1)"},
      {"<f>(DISTINCT ?o, 2)", "(<http://ex/f> distinct ?o 2)"},
      {"regex(str(?o), \"a\\\"b\\n\", \"i\")", "(regex (str ?o) \"a\\\"b\\n\" \"i\")"},
      {"langMatches(lang(?o), '*') && sameTerm(?s, ?o)",
       "(&& (langMatches (lang ?o) \"*\") (sameTerm ?s ?o))"},
      {"IF(true, RAND(), NOW())", "(if true (rand) (now))"},
      {"COALESCE() || CONCAT(\"a\", ?o) || BNODE() || BNODE(?o) || STRUUID()",
       "(|| (|| (|| (coalesce) (concat \"a\" ?o)) (bnode)) (|| (bnode ?o) (struuid)))"},
      {"SUBSTR(?o, 1) = REPLACE(?o, 'a', 'b', 'i')", "(= (substr ?o 1) (replace ?o \"a\" \"b\" \"i\"))"},
      {"isIRI(?s) && isBlank(?s) && isLiteral(?o) && isNumeric(?o)",
       "(&& (&& (isIRI ?s) (isBlank ?s)) (&& (isLiteral ?o) (isNumeric ?o)))"},
      {"STRLEN(UCASE(LCASE(ENCODE_FOR_URI(?o)))) >= YEAR(NOW())",
       "(>= (strlen (ucase (lcase (encode_for_uri ?o)))) (year (now)))"},
      {"\"1\"^^<http://www.w3.org/2001/XMLSchema#integer> = 01.50",
       "(= 1 01.50)"},
      {"\"x\"^^<http://www.w3.org/2001/XMLSchema#integer> != 1.5E+3",
       "(!= \"x\"^^<http://www.w3.org/2001/XMLSchema#integer> 1.5E+3)"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char query[512], expected[512];
    snprintf(query, sizeof query, "SELECT ?s { ?s ?p ?o FILTER(%s) }", cases[i][0]);
    snprintf(expected, sizeof expected, "(project (?s) (filter %s (bgp (triple ?s ?p ?o))))",
             cases[i][1]);
    expect_algebra(query, expected);
  }
}

static void test_algebra_aggregates(void **state) {
  (void)state;
  expect_algebra("SELECT (COUNT(*) AS ?c) {}",
                 "(project (?c) (extend ((?c ?.0)) (group () ((?.0 (count))) (table unit))))");
  expect_algebra("SELECT (COUNT(DISTINCT *) AS ?c) (COUNT(?x) AS ?d) { ?x ?y ?z }",
                 "(project (?c ?d) (extend ((?d ?.1)) (extend ((?c ?.0)) (group () "
                 "((?.0 (count distinct)) (?.1 (count ?x))) (bgp (triple ?x ?y ?z))))))");
  /* aggregates with the same function stay apart; GROUP_CONCAT keeps its separator */
  expect_algebra("SELECT ?x (SUM(?v) AS ?s) (SUM(?w) AS ?t) (GROUP_CONCAT(?v) AS ?g) "
                 "(GROUP_CONCAT(DISTINCT ?v; SEPARATOR=\"|\") AS ?h) { ?x <p> ?v ; <q> ?w } GROUP BY ?x",
                 "(project (?x ?s ?t ?g ?h) (extend ((?h ?.3)) (extend ((?g ?.2)) "
                 "(extend ((?t ?.1)) (extend ((?s ?.0)) (group (?x) ((?.0 (sum ?v)) (?.1 (sum ?w)) "
                 "(?.2 (group_concat ?v)) (?.3 (group_concat distinct (separator \"|\") ?v))) "
                 "(bgp (triple ?x <http://ex/p> ?v) (triple ?x <http://ex/q> ?w))))))))");
  expect_algebra("SELECT (AVG(?v) AS ?a) (MIN(?v) AS ?b) (MAX(?v) AS ?c) (SAMPLE(?v) AS ?d) { ?x <p> ?v }",
                 "(project (?a ?b ?c ?d) (extend ((?d ?.3)) (extend ((?c ?.2)) (extend ((?b ?.1)) "
                 "(extend ((?a ?.0)) (group () ((?.0 (avg ?v)) (?.1 (min ?v)) (?.2 (max ?v)) "
                 "(?.3 (sample ?v))) (bgp (triple ?x <http://ex/p> ?v))))))))");
  /* GROUP BY expressions, with and without AS; HAVING before the SELECT expressions */
  expect_algebra("SELECT ?k (COUNT(*) AS ?c) { ?x <p> ?v } GROUP BY (str(?v) AS ?k) (lcase(?x)) "
                 "HAVING (COUNT(*) > 1)",
                 "(project (?k ?c) (extend ((?c ?.1)) (filter (> ?.1 1) (group ((?k (str ?v)) "
                 "(?.0 (lcase ?x))) ((?.1 (count))) (bgp (triple ?x <http://ex/p> ?v))))))");
  /* one aggregate shared by SELECT, HAVING and ORDER BY; ORDER BY after GROUP BY */
  expect_algebra("SELECT (COUNT(*) AS ?c) (COUNT(*) + 1 AS ?d) { ?x <p> ?v } "
                 "HAVING (COUNT(*) > 1) ORDER BY DESC(COUNT(*))",
                 "(project (?c ?d) (order ((desc ?.0)) (extend ((?d (+ ?.0 1))) (extend ((?c ?.0)) "
                 "(filter (> ?.0 1) (group () ((?.0 (count))) (bgp (triple ?x <http://ex/p> ?v))))))))");
  /* ungrouped variables in HAVING and ORDER BY are sampled (18.2.4.1) */
  expect_algebra("SELECT ?x (COUNT(*) AS ?c) { ?x <p> ?v } GROUP BY ?x HAVING (?v > 1) ORDER BY ?c ?v",
                 "(project (?x ?c) (order (?c ?.1) (extend ((?c ?.0)) (filter (> ?.1 1) "
                 "(group (?x) ((?.0 (count)) (?.1 (sample ?v))) (bgp (triple ?x <http://ex/p> ?v)))))))");
  expect_algebra("SELECT (COUNT(*) AS ?c) (?c * 2 AS ?d) { ?x <p> ?v }",
                 "(project (?c ?d) (extend ((?d (* ?c 2))) (extend ((?c ?.0)) (group () "
                 "((?.0 (count))) (bgp (triple ?x <http://ex/p> ?v))))))");
  expect_algebra("SELECT ?x { ?x <p> ?v } GROUP BY ?x",
                 "(project (?x) (group (?x) () (bgp (triple ?x <http://ex/p> ?v))))");
  expect_algebra("SELECT (?o + 1 AS ?n) { ?s ?p ?o }",
                 "(project (?n) (extend ((?n (+ ?o 1))) (bgp (triple ?s ?p ?o))))");
}

static void test_algebra_modifiers_and_forms(void **state) {
  (void)state;
  expect_algebra("SELECT DISTINCT ?s { ?s ?p ?o } ORDER BY ASC(?o) DESC(?s) LIMIT 10 OFFSET 5",
                 "(slice 5 10 (distinct (project (?s) (order (?o (desc ?s)) (bgp (triple ?s ?p ?o))))))");
  expect_algebra("SELECT REDUCED ?s { ?s ?p ?o } OFFSET 5",
                 "(slice 5 _ (reduced (project (?s) (bgp (triple ?s ?p ?o)))))");
  expect_algebra("SELECT ?s { ?s ?p ?o } LIMIT 0", "(slice _ 0 (project (?s) (bgp (triple ?s ?p ?o))))");
  expect_algebra("CONSTRUCT { ?s <q> [ <r> ?o ] } WHERE { ?s <p> ?o }",
                 "(bgp (triple ?s <http://ex/p> ?o))");
  expect_algebra("CONSTRUCT WHERE { ?s <p> ?o }", "(bgp (triple ?s <http://ex/p> ?o))");
  expect_algebra("DESCRIBE ?s <x> { ?s ?p ?o }", "(project (?s) (bgp (triple ?s ?p ?o)))");
  expect_algebra("DESCRIBE * { ?s ?p ?o }", "(project (?s ?p ?o) (bgp (triple ?s ?p ?o)))");
  expect_algebra("DESCRIBE <x>", "(table unit)");
}

/* What an evaluator gets besides the root: variables, template, dataset. */
static void test_algebra_structure(void **state) {
  (void)state;
  kz_ast_query *ast = NULL;
  kz_algebra *alg = NULL;
  kz_error err;
  assert_int_equal(kz_sparql_parse(&ast, "CONSTRUCT { ?s <q> _:n . _:n <r> [] } FROM <g> "
                                         "WHERE { ?s <p>/<p> _:b }", BASE, "q", &err), KZ_OK);
  assert_int_equal(kz_algebra_translate(&alg, ast, "q", &err), KZ_OK);
  kz_ast_free(ast); /* the algebra keeps copies */
  assert_int_equal(alg->form, KZ_AST_CONSTRUCT);
  assert_int_equal(alg->from_count, 1);
  assert_string_equal(alg->from[0], "http://ex/g");
  assert_int_equal(alg->construct_count, 2);
  assert_int_equal(alg->construct_blank_count, 2);
  assert_int_equal(alg->construct[0].object.kind, KZ_SPARQL_BLANK);
  assert_int_equal(alg->construct[1].subject.var, alg->construct[0].object.var);
  assert_int_not_equal(alg->construct[1].object.var, alg->construct[0].object.var);
  const kz_alg_op *bgp = alg->root->input; /* under ToList */
  assert_int_equal(alg->root->kind, KZ_ALG_TO_LIST);
  assert_int_equal(bgp->kind, KZ_ALG_BGP);
  assert_int_equal(bgp->bgp.count, 2);
  const kz_sparql_term *s = &bgp->bgp.triples[0].subject, *b = &bgp->bgp.triples[1].object;
  assert_int_equal(s->kind, KZ_SPARQL_VAR);
  assert_int_equal(alg->vars[s->var].kind, KZ_ALG_VAR_NAMED);
  assert_string_equal(alg->vars[s->var].name, "s");
  assert_int_equal(alg->vars[b->var].kind, KZ_ALG_VAR_BLANK);
  assert_int_equal(alg->vars[bgp->bgp.triples[0].object.var].kind, KZ_ALG_VAR_PATH);
  assert_int_equal(alg->construct[0].subject.var, s->var); /* same variable, same number */
  kz_algebra_free(alg);
  kz_algebra_free(NULL);
  kz_ast_free(NULL);
}

/* ---- static rules ------------------------------------------------------- */

static void test_static_rules(void **state) {
  (void)state;
  /* grouping */
  expect_error("SELECT * { ?s ?p ?o } GROUP BY ?s", 1, 8, "SELECT * is not allowed");
  expect_error("SELECT ?o { ?s ?p ?o } GROUP BY ?s", 1, 8, "?o is selected but not grouped");
  expect_error("SELECT ?p (COUNT(?o) AS ?c) { ?s ?p ?o }", 1, 8, "?p is selected but not grouped");
  expect_error("SELECT ((?a + ?b) AS ?c) (COUNT(?a) AS ?n) { ?s <p> ?a ; <q> ?b } GROUP BY (?a + ?b)",
               1, 10, "?a is neither grouped nor aggregated");
  expect_error("SELECT ?x (COUNT(*) AS ?n) { ?x ?p ?o } ORDER BY COUNT(*)", 1, 8,
               "?x is selected but not grouped");
  /* AS and BIND may not reuse a variable in scope */
  expect_error("SELECT (1 AS ?X) (1 AS ?X) {}", 1, 24, "AS ?X");
  expect_error("SELECT (1 AS ?s) { ?s ?p ?o }", 1, 14, "already in scope");
  expect_error("SELECT (1 AS ?X) { SELECT (2 AS ?X) {} }", 1, 14, "already in scope");
  expect_error("SELECT * { ?s <p> ?o .\n BIND(1 AS ?o) }", 2, 12, "BIND cannot assign ?o");
  expect_error("SELECT * { { ?s <p> ?y } UNION { ?s <q> ?z }\n  BIND(1 AS ?z) }", 2, 13,
               "already in scope");
  /* aggregates: only in SELECT, HAVING, ORDER BY, never nested */
  expect_error("SELECT * { ?s ?p ?o FILTER(COUNT(?o) > 1) }", 1, 28, "only allowed in SELECT");
  expect_error("SELECT * { ?s ?p ?o BIND(SUM(?o) AS ?t) }", 1, 26, "only allowed in SELECT");
  expect_error("SELECT ?s { ?s ?p ?o } GROUP BY (COUNT(?o))", 1, 34, "only allowed in SELECT");
  expect_error("SELECT (SUM(COUNT(?o)) AS ?t) { ?s ?p ?o }", 1, 13, "cannot be nested");
  expect_error("SELECT (COUNT(?o) AS ?n) { ?s ?p ?o FILTER EXISTS { ?s ?p ?o FILTER(MAX(?o)) } }",
               1, 69, "only allowed in SELECT");
  /* blank node labels belong to one basic graph pattern */
  expect_error("SELECT * { _:a ?p ?v . OPTIONAL { _:a ?q 1 } }", 1, 35, "_:a is used in two");
  expect_error("SELECT * { _:a ?p ?v .\n GRAPH ?g { ?s ?p ?v } _:a ?q 1 }", 2, 24, "_:a is used in two");
  expect_error("SELECT * { _:a ?p ?v BIND(1 AS ?x) _:a ?q 1 }", 1, 36, "_:a is used in two");
  expect_error("SELECT * { _:a ?p ?v { SELECT * { _:a ?q 1 } } }", 1, 35, "_:a is used in two");
  /* VALUES arity */
  expect_error("SELECT * { VALUES (?a ?b) { (1 2 3) } }", 1, 29, "3 values for 2 variables");
  expect_error("SELECT * { VALUES (?a ?b) { (1) } }", 1, 29, "1 value for 2 variables");
  expect_error("SELECT * {} VALUES () { (1) }", 1, 25, "1 value for 0 variables");
  /* and what stays valid */
  free(algebra_of("SELECT * { _:a <p> ?x FILTER(true) _:a <q> ?y }"));
  free(algebra_of("CONSTRUCT { _:a <p> ?x } WHERE { _:a <q> ?x }"));
  free(algebra_of("SELECT * { BIND(1 AS ?x) { BIND(2 AS ?x) } }"));
  free(algebra_of("SELECT (COUNT(*) AS ?c) ?c { ?s ?p ?o }"));
  free(algebra_of("SELECT ?x (?x AS ?y) { ?x <p> ?v } GROUP BY ?x"));
  free(algebra_of("SELECT * { ?s ?p ?o FILTER(?o) BIND(?o AS ?b) }"));
}

static void test_syntax_errors(void **state) {
  (void)state;
  expect_error("SELECT * WHERE { ?s ?p ?o ", 1, 27, "expected '}' but found end of query");
  expect_error("SELECT * {\n ?s ?p ?o\n WHERE }", 3, 2, "but found 'WHERE'");
  expect_error("SELECT * { ?s ex:p ?o }", 1, 15, "unknown prefix 'ex:'");
  expect_error("SELECT ?x", 1, 10, "expected '{' but found end of query");
  expect_error("SELECT COUNT(*) {}", 1, 8, "expected a variable, '(' or '*'");
  expect_error("SELECT (?x + 1) {}", 1, 15, "expected 'AS' but found ')'");
  expect_error("SELECT * { ?s ?p ?o . . }", 1, 23, "found '.'");
  expect_error("SELECT * { ?s ?p ?o FILTER ?o }", 1, 28, "expected '(' or a function call");
  expect_error("SELECT * { ?s ?p ?o FILTER(STRLEN(?o, 1)) }", 1, 28, "STRLEN takes 1 argument, not 2");
  expect_error("SELECT * { ?s ?p ?o FILTER(BOUND(1)) }", 1, 34, "BOUND takes a variable");
  expect_error("SELECT * { ?s ?p ?o FILTER(FOO(1)) }", 1, 28, "unknown function or keyword 'FOO'");
  expect_error("SELECT * { ?s ?p ?o } LIMIT -1", 1, 29, "an integer after LIMIT");
  expect_error("SELECT * { ?s ?p ?o } LIMIT 99999999999999999999", 1, 29, "too large");
  expect_error("SELECT * { ?s ?p ?o } junk", 1, 23, "expected the end of the query");
  expect_error("INSERT DATA { <a> <b> <c> }", 1, 1, "SPARQL Update is not supported");
  expect_error("CONSTRUCT WHERE { ?s ?p ?o FILTER(true) }", 1, 28, "CONSTRUCT WHERE takes only");
  expect_error("CONSTRUCT { ?s <p>/<q> ?o } WHERE {}", 1, 19, "but found '/'");
  expect_error("SELECT * { ?s ?p ?o } GROUP BY", 1, 31, "a GROUP BY condition");
  expect_error("PREFIX ex:ex: <x> ASK {}", 1, 8, "a prefix such as 'ex:'");
}

/* ---- limits and nasty inputs ------------------------------------------ */

static void test_depth_limit(void **state) {
  (void)state;
  char *ok = repeat("{", 200, "SELECT * ", "");
  char *tail = repeat("}", 200, ok, "");
  free(algebra_of(tail));
  free(ok);
  free(tail);
  char *deep = repeat("{", 300, "SELECT * ", "");
  kz_error err = error_of(deep);
  assert_int_equal(err.line, 1);
  assert_non_null(strstr(err.message, "nests deeper than 256 levels"));
  free(deep);
  char *parens = repeat("(", 10000, "SELECT * { FILTER", "");
  err = error_of(parens);
  assert_non_null(strstr(err.message, "nests deeper than 256 levels"));
  free(parens);
  /* long chains stay within the limits: || is balanced, + is bounded */
  char *ors = repeat("?x || ", 20000, "SELECT * { ?x ?p ?o FILTER(", "?x) }");
  free(algebra_of(ors));
  free(ors);
  char *sums = repeat("?x + ", 5000, "SELECT * { ?x ?p ?o FILTER(", "?x) }");
  err = error_of(sums);
  assert_non_null(strstr(err.message, "expression is too deep"));
  free(sums);
  char *seq = repeat("<p>/", 20000, "SELECT * { ?s ", "<p> ?o }");
  free(algebra_of(seq));
  free(seq);
  char *unions = repeat("{ ?s <p> ?o } UNION ", 20000, "SELECT * { ", "{} }");
  free(algebra_of(unions));
  free(unions);
  /* thousands of OPTIONALs in one group: an algebra too tall to walk */
  char *optionals = repeat("OPTIONAL { ?s <p> ?o } ", 5000, "SELECT * { ", "}");
  kz_ast_query *ast = NULL;
  kz_algebra *alg = NULL;
  assert_int_equal(kz_sparql_parse(&ast, optionals, NULL, "q", &err), KZ_OK);
  assert_int_equal(kz_algebra_translate(&alg, ast, "q", &err), KZ_ERR_QUERY);
  assert_non_null(strstr(err.message, "too complex"));
  assert_null(alg);
  kz_ast_free(ast);
  free(optionals);
}

static void test_nasty_inputs(void **state) {
  (void)state;
  static const char *const inputs[] = {
      "", " ", "#", "SELECT", "{", "}", "SELECT * {", "SELECT * { ?s ?p \"abc",
      "SELECT * { ?s ?p '''abc", "SELECT * { <http://a ?p ?o }", "SELECT * { ?s ?p ?o } }",
      "\xef\xbb\xbfSELECT * {}", "\xc0\x80", "\xed\xa0\x80", "SELECT * { ?s ?p \\u12 }",
      "SELECT * { ?s ?p \"\\U0000", "PREFIX", "PREFIX : ", "BASE", "SELECT ((((?x", "ASK { ( }",
      "ASK { [ }", "ASK { ?s <p> ( [ <q> ( ) ] ", "ASK { ?s !(^", "SELECT * { VALUES (?x) { (",
      "SELECT (COUNT(DISTINCT", "SELECT * { FILTER(NOT", "SELECT * { FILTER(NOT IN", "ASK {} VALUES",
      "DESCRIBE", "CONSTRUCT {", "SELECT * { SERVICE", "SELECT * { GRAPH [] {} }", "ASK { ?s ?p 1e }",
      "ASK { ?s ?p -. }", "ASK { ?s ?p @en }", "ASK { ?s ?p 'x'^^ }", "ASK { ?s ?p 'x'@ }",
      "SELECT * WHERE { ?s ?p ?o } GROUP BY ?s HAVING", "ASK { ?s ?p ?o } ORDER BY",
      "SELECT (1 AS) {}", "SELECT * { BIND(1 AS ?x", "SELECT * { ?s ?p ?o FILTER(?o IN (1,",
  };
  for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
    kz_ast_query *ast = NULL;
    kz_error err;
    kz_error_clear(&err);
    kz_status status = kz_sparql_parse(&ast, inputs[i], NULL, "q", &err);
    if (status == KZ_OK) {
      kz_ast_free(ast);
      if (strcmp(inputs[i], "\xef\xbb\xbfSELECT * {}") == 0)
        continue;
      fail_msg("accepted: '%s'", inputs[i]);
    }
    assert_int_equal(status, KZ_ERR_QUERY);
    assert_true(err.line >= 1);
    assert_true(err.column >= 1);
    assert_null(strchr(err.message, '\n'));
  }
  static const char *const units[] = {"(", "{", "[", "[ <p> ", "( ", "!(", "{ OPTIONAL ", "EXISTS {"};
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
    char *text = repeat(units[i], 10000, "SELECT * { ?s ?p ", "");
    kz_error err = error_of(text);
    assert_int_equal(err.status, KZ_ERR_QUERY);
    free(text);
  }
}

/* ---- the query API ------------------------------------------------------ */

static void test_query_check_and_explain(void **state) {
  (void)state;
  kz_error err;
  assert_int_equal(kz_query_check("SELECT * { ?s ?p ?o }", NULL, &err), KZ_OK);
  kz_query_options options = KZ_QUERY_OPTIONS_INIT;
  options.source = "q.rq";
  options.base = "http://base/";
  assert_int_equal(kz_query_check("SELECT * {\n ?s ?p }", &options, &err), KZ_ERR_QUERY);
  char line[1200];
  assert_string_equal(kz_error_format(&err, line, sizeof line),
                      "q.rq:2:8: expected an RDF term or a variable but found '}'");
  assert_int_equal(kz_query_check("SELECT * { ?s ?p ?o }", &options, NULL), KZ_OK);
  char *text = NULL;
  assert_int_equal(kz_query_explain(&text, "SELECT ?s { ?s <p> ?o FILTER(?o > 1) }", &options, &err),
                   KZ_OK);
  assert_string_equal(text, "(project (?s)\n"
                            "  (filter (> ?o 1)\n"
                            "    (bgp (triple ?s <http://base/p> ?o))))\n");
  free(text);
  assert_int_equal(kz_query_explain(&text, "SELECT", NULL, &err), KZ_ERR_QUERY);
  assert_null(text);
  assert_string_equal(err.source, "query");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_token_kinds),
      cmocka_unit_test(test_token_values),
      cmocka_unit_test(test_token_positions),
      cmocka_unit_test(test_codepoint_escapes),
      cmocka_unit_test(test_lexical_errors),
      cmocka_unit_test(test_scan),
      cmocka_unit_test(test_iri_resolution),
      cmocka_unit_test(test_algebra_basic),
      cmocka_unit_test(test_algebra_triples),
      cmocka_unit_test(test_algebra_patterns),
      cmocka_unit_test(test_algebra_paths),
      cmocka_unit_test(test_algebra_expressions),
      cmocka_unit_test(test_algebra_aggregates),
      cmocka_unit_test(test_algebra_modifiers_and_forms),
      cmocka_unit_test(test_algebra_structure),
      cmocka_unit_test(test_static_rules),
      cmocka_unit_test(test_syntax_errors),
      cmocka_unit_test(test_depth_limit),
      cmocka_unit_test(test_nasty_inputs),
      cmocka_unit_test(test_query_check_and_explain),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
