/*
 * The SPARQL 1.1 lexer: turns query text into the terminals of the grammar
 * (SPARQL 1.1 Query Language, section 19.8), one token at a time.
 *
 * Codepoint escapes (\uXXXX, \UXXXXXXXX) are applied to the whole text
 * first, as section 19.2 says, in a single pass: a character produced by an
 * escape never starts another escape, and inside a string or an IRI it is
 * always content (an escaped quote does not end the string, an escaped
 * backslash is a backslash). Positions always refer to the original text:
 * 1-based lines, and columns counted in characters.
 */
#ifndef KZ_SPARQL_LEXER_H
#define KZ_SPARQL_LEXER_H

#include <stddef.h>

#include "kizuna/status.h"
#include "sparql/arena.h"

typedef enum kz_token_kind {
  KZ_TOK_EOF = 0,
  KZ_TOK_ERROR, /* a lexical error: the lexer's err says which */
  KZ_TOK_IRIREF,
  KZ_TOK_PNAME_NS,
  KZ_TOK_PNAME_LN,
  KZ_TOK_BLANK_NODE_LABEL,
  KZ_TOK_VAR1,
  KZ_TOK_VAR2,
  KZ_TOK_LANGTAG,
  KZ_TOK_INTEGER,
  KZ_TOK_DECIMAL,
  KZ_TOK_DOUBLE,
  KZ_TOK_INTEGER_POSITIVE,
  KZ_TOK_DECIMAL_POSITIVE,
  KZ_TOK_DOUBLE_POSITIVE,
  KZ_TOK_INTEGER_NEGATIVE,
  KZ_TOK_DECIMAL_NEGATIVE,
  KZ_TOK_DOUBLE_NEGATIVE,
  KZ_TOK_STRING_LITERAL1,
  KZ_TOK_STRING_LITERAL2,
  KZ_TOK_STRING_LITERAL_LONG1,
  KZ_TOK_STRING_LITERAL_LONG2,
  KZ_TOK_NIL,     /* ( ) */
  KZ_TOK_ANON,    /* [ ] */
  KZ_TOK_KEYWORD, /* a bare word: SELECT, a, true, STRLEN... (any case) */
  KZ_TOK_LBRACE,
  KZ_TOK_RBRACE,
  KZ_TOK_LPAREN,
  KZ_TOK_RPAREN,
  KZ_TOK_LBRACKET,
  KZ_TOK_RBRACKET,
  KZ_TOK_DOT,
  KZ_TOK_COMMA,
  KZ_TOK_SEMICOLON,
  KZ_TOK_EQ,       /* = */
  KZ_TOK_NE,       /* != */
  KZ_TOK_LT,       /* < */
  KZ_TOK_GT,       /* > */
  KZ_TOK_LE,       /* <= */
  KZ_TOK_GE,       /* >= */
  KZ_TOK_AND,      /* && */
  KZ_TOK_OR,       /* || */
  KZ_TOK_BANG,     /* ! */
  KZ_TOK_PLUS,     /* + */
  KZ_TOK_MINUS,    /* - */
  KZ_TOK_STAR,     /* * */
  KZ_TOK_SLASH,    /* / */
  KZ_TOK_CARET,    /* ^ */
  KZ_TOK_DCARET,   /* ^^ */
  KZ_TOK_PIPE,     /* | */
  KZ_TOK_QUESTION  /* ? (a path modifier; ?name is a VAR1) */
} kz_token_kind;

/*
 * One token. value is NUL-terminated and borrowed from the lexer's arena:
 *   IRIREF            the IRI between < and >, as written (not resolved)
 *   PNAME_NS/PNAME_LN the prefix without ':' ("" for the empty prefix);
 *                     local is the local part with \-escapes removed
 *   BLANK_NODE_LABEL  the label after "_:"
 *   VAR1/VAR2         the name without ? or $
 *   LANGTAG           the tag without @
 *   numbers           the lexical form, sign included
 *   strings           the content, escapes applied
 *   KEYWORD           the word as written
 *   others            the token's text
 * text/text_length give the token's own (decoded) text, for messages.
 */
typedef struct kz_token {
  kz_token_kind kind;
  const char *value;
  const char *local;
  const char *text;
  size_t text_length;
  long line;
  long column;
} kz_token;

typedef struct kz_lexer {
  kz_arena *arena;     /* borrowed */
  const char *source;  /* the input's name, for errors; borrowed */
  const char *original;
  char *text;          /* the text after codepoint escapes */
  size_t length;
  size_t *origin;      /* byte of text -> byte of original; NULL: identical */
  unsigned char *escaped; /* 1 where a byte came from an escape; NULL: none */
  size_t pos;
  /* position cursor over the original text, moved forward only */
  size_t cursor;
  long cursor_line;
  long cursor_column;
  kz_error error;      /* filled when a KZ_TOK_ERROR is returned */
} kz_lexer;

/*
 * Prepares lex over text (NUL-terminated, UTF-8), allocating from arena.
 * text, source and arena are borrowed and must outlive the lexer. Fails with
 * KZ_ERR_QUERY (and a position) on invalid UTF-8 or a bad codepoint escape,
 * or KZ_ERR_NOMEM.
 */
kz_status kz_lexer_init(kz_lexer *lex, kz_arena *arena, const char *text, const char *source,
                        kz_error *err);

/* The next token. At the end it keeps returning KZ_TOK_EOF; after an error,
 * KZ_TOK_ERROR, with lex->error describing it. */
void kz_lexer_next(kz_lexer *lex, kz_token *token);

/* A static name for a token kind: "IRIREF", "'{'", "end of query"... */
const char *kz_token_kind_name(kz_token_kind kind);

/* The pieces of query text that kz_sparql_scan tells apart. */
typedef enum kz_scan_kind {
  KZ_SCAN_COMMENT,  /* '#' to the end of the line */
  KZ_SCAN_STRING,   /* quotes included; an unterminated one ends with its line */
  KZ_SCAN_IRI,      /* an IRIREF, '<' and '>' included */
  KZ_SCAN_VARIABLE, /* ?name or $name, the sigil included */
  KZ_SCAN_WORD,     /* a keyword, a prefixed name, a number */
  KZ_SCAN_OTHER     /* one byte: white space, punctuation, an operator */
} kz_scan_kind;

/*
 * The length of the piece of SPARQL text at text, and its kind in *kind; 0
 * at the end of the text. A scan without the lexer, for rewriting query text
 * without parsing it (binding a variable by substitution), so that a ?name
 * inside a string, an IRI or a comment is never taken for a variable. It
 * applies no codepoint escapes and never fails: a malformed query scans as
 * something, and its parser reports it later.
 */
size_t kz_sparql_scan(const char *text, kz_scan_kind *kind);

#endif
