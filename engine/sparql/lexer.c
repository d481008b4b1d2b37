/*
 * The SPARQL 1.1 lexer. kz_lexer_init validates the text as UTF-8 and
 * applies codepoint escapes in one pass into a new buffer, remembering for
 * each byte of the buffer where it came from (origin) and whether an escape
 * produced it (escaped); when the text has no escape the buffer is the text
 * itself and both maps are NULL. kz_lexer_next then scans that buffer.
 *
 * Invariants: the buffer is valid UTF-8 and holds no NUL before its end;
 * lex->pos only moves forward; the position cursor (cursor, cursor_line,
 * cursor_column) is the line and column of byte `cursor` of the original
 * text and also only moves forward, so positions cost O(n) over a whole
 * query. A produced byte is never the backslash of an escape, and inside a
 * string or an IRI it is content (see lexer.h).
 */
#include "sparql/lexer.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/internal.h"
#include "core/text.h"

/* ---- UTF-8 --------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (at most `available` bytes), with
 * its codepoint in *cp; 0 when invalid or truncated. */
static size_t utf8_decode(const unsigned char *s, size_t available, uint32_t *cp) {
  if (available == 0)
    return 0;
  unsigned char b = s[0];
  if (b < 0x80) {
    *cp = b;
    return 1;
  }
  size_t n;
  uint32_t c, min;
  if (b >= 0xC2 && b <= 0xDF) {
    n = 2, c = b & 0x1F, min = 0x80;
  } else if (b >= 0xE0 && b <= 0xEF) {
    n = 3, c = b & 0x0F, min = 0x800;
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4, c = b & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (available < n)
    return 0;
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;
    c = (c << 6) | (s[i] & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
    return 0;
  *cp = c;
  return n;
}

static size_t utf8_encode(uint32_t cp, char *out) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* ---- character classes (section 19.8) -------------------------------- */

static bool is_digit(uint32_t c) { return c >= '0' && c <= '9'; }
static bool is_alpha(uint32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_ws(uint32_t c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static bool pn_chars_base(uint32_t c) {
  return is_alpha(c) || (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) ||
         (c >= 0xF8 && c <= 0x2FF) || (c >= 0x370 && c <= 0x37D) ||
         (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D) ||
         (c >= 0x2070 && c <= 0x218F) || (c >= 0x2C00 && c <= 0x2FEF) ||
         (c >= 0x3001 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF) ||
         (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
}
static bool pn_chars_u(uint32_t c) { return pn_chars_base(c) || c == '_'; }
static bool name_extra(uint32_t c) {
  return c == 0xB7 || (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);
}
static bool pn_chars(uint32_t c) { return pn_chars_u(c) || c == '-' || is_digit(c) || name_extra(c); }
static bool varname_start(uint32_t c) { return pn_chars_u(c) || is_digit(c); }
static bool varname_char(uint32_t c) { return pn_chars_u(c) || is_digit(c) || name_extra(c); }
static bool local_escapable(uint32_t c) { return c && strchr("_~.-!$&'()*+,;=/?#@%", (int)c) != NULL; }

/* ---- positions ------------------------------------------------------- */

static size_t original_offset(const kz_lexer *lex, size_t pos) {
  if (!lex->origin)
    return pos;
  return pos < lex->length ? lex->origin[pos] : strlen(lex->original);
}

/* Line and column (of the original text) of byte `offset` of the original. */
static void position_at_original(kz_lexer *lex, size_t offset, long *line, long *column) {
  if (offset < lex->cursor) { /* only for errors found behind the cursor */
    lex->cursor = 0;
    lex->cursor_line = 1;
    lex->cursor_column = 1;
  }
  const unsigned char *s = (const unsigned char *)lex->original;
  for (; lex->cursor < offset && s[lex->cursor]; lex->cursor++) {
    if (s[lex->cursor] == '\n') {
      lex->cursor_line++;
      lex->cursor_column = 1;
    } else if ((s[lex->cursor] & 0xC0) != 0x80) {
      lex->cursor_column++;
    }
  }
  *line = lex->cursor_line;
  *column = lex->cursor_column;
}

static void position_at(kz_lexer *lex, size_t pos, long *line, long *column) {
  position_at_original(lex, original_offset(lex, pos), line, column);
}

/* ---- the codepoint-escape pass --------------------------------------- */

static kz_status init_fail(kz_lexer *lex, kz_error *err, size_t offset, const char *message) {
  long line, column;
  position_at_original(lex, offset, &line, &column);
  return kz_fail(err, KZ_ERR_QUERY, lex->source, line, column, "%s", message);
}

/* Reads `digits` hex digits at s; -1 if they are not all there. */
static long read_hex(const char *s, int digits) {
  long value = 0;
  for (int i = 0; i < digits; i++) {
    int digit = kz_hex_value(s[i]);
    if (digit < 0)
      return -1;
    value = value * 16 + digit;
  }
  return value;
}

/* If an escape starts at original[i], its codepoint and length; 0 if none.
 * Sets *bad to a message for an escape of an invalid codepoint. */
static size_t escape_at(const char *s, size_t i, uint32_t *cp, const char **bad) {
  *bad = NULL;
  if (s[i] != '\\' || (s[i + 1] != 'u' && s[i + 1] != 'U'))
    return 0;
  int digits = s[i + 1] == 'u' ? 4 : 8;
  long value = read_hex(s + i + 2, digits);
  if (value < 0)
    return 0;
  size_t length = 2 + (size_t)digits;
  if (value >= 0xD800 && value <= 0xDBFF) {
    /* a high surrogate must be followed by an escaped low one: a pair */
    long low = s[i + length] == '\\' && s[i + length + 1] == 'u' ? read_hex(s + i + length + 2, 4) : -1;
    if (low < 0xDC00 || low > 0xDFFF) {
      *bad = "codepoint escape of an unpaired surrogate";
      return length;
    }
    *cp = 0x10000 + (((uint32_t)value - 0xD800) << 10) + ((uint32_t)low - 0xDC00);
    return length + 6;
  }
  if (value >= 0xDC00 && value <= 0xDFFF)
    *bad = "codepoint escape of an unpaired surrogate";
  else if (value > 0x10FFFF)
    *bad = "codepoint escape beyond U+10FFFF";
  else if (value == 0)
    *bad = "codepoint escape of U+0000";
  *cp = (uint32_t)value;
  return length;
}

kz_status kz_lexer_init(kz_lexer *lex, kz_arena *arena, const char *text, const char *source,
                        kz_error *err) {
  memset(lex, 0, sizeof *lex);
  lex->arena = arena;
  lex->source = source;
  lex->original = text;
  lex->cursor_line = 1;
  lex->cursor_column = 1;
  size_t length = strlen(text);
  bool has_escape = false;
  for (size_t i = 0; i < length;) {
    uint32_t cp;
    size_t n = utf8_decode((const unsigned char *)text + i, length - i, &cp);
    if (n == 0)
      return init_fail(lex, err, i, "the query is not valid UTF-8");
    if (cp == '\\' && (text[i + 1] == 'u' || text[i + 1] == 'U'))
      has_escape = true;
    i += n;
  }
  if (!has_escape) {
    lex->text = (char *)text; /* never written through: see the NULL maps */
    lex->length = length;
    return KZ_OK;
  }
  /* An escape's UTF-8 is never longer than the escape itself. */
  lex->text = kz_arena_alloc(arena, length + 1);
  lex->origin = kz_arena_alloc(arena, (length + 1) * sizeof *lex->origin);
  lex->escaped = kz_arena_alloc(arena, length + 1);
  if (!lex->text || !lex->origin || !lex->escaped)
    return kz_fail(err, KZ_ERR_NOMEM, source, 0, 0, "out of memory");
  size_t out = 0;
  for (size_t i = 0; i < length;) {
    uint32_t cp;
    const char *bad;
    size_t n = escape_at(text, i, &cp, &bad);
    if (bad)
      return init_fail(lex, err, i, bad);
    if (n) {
      char utf8[4];
      size_t k = utf8_encode(cp, utf8);
      for (size_t j = 0; j < k; j++) {
        lex->text[out] = utf8[j];
        lex->origin[out] = i;
        lex->escaped[out++] = 1;
      }
      i += n;
      continue;
    }
    /* "\\" is copied as a pair, so that in "\\u0041" the u is not escaped */
    size_t copy = text[i] == '\\' && text[i + 1] == '\\' ? 2 : 1;
    for (size_t j = 0; j < copy; j++) {
      lex->text[out] = text[i + j];
      lex->origin[out++] = i + j;
    }
    i += copy;
  }
  lex->text[out] = '\0';
  lex->origin[out] = length;
  lex->length = out;
  return KZ_OK;
}

/* ---- scanning helpers ------------------------------------------------ */

static bool escaped_at(const kz_lexer *lex, size_t pos) {
  return lex->escaped && pos < lex->length && lex->escaped[pos];
}

/* The codepoint at pos and its length in bytes; 0 at the end. */
static uint32_t cp_at(const kz_lexer *lex, size_t pos, size_t *length) {
  uint32_t cp = 0;
  *length = pos < lex->length
                ? utf8_decode((const unsigned char *)lex->text + pos, lex->length - pos, &cp)
                : 0;
  return *length ? cp : 0;
}

static unsigned char byte_at(const kz_lexer *lex, size_t pos) {
  return pos < lex->length ? (unsigned char)lex->text[pos] : 0;
}

/* A raw (not escape-produced) byte. */
static bool raw_is(const kz_lexer *lex, size_t pos, char c) {
  return byte_at(lex, pos) == (unsigned char)c && !escaped_at(lex, pos);
}

static void finish(kz_lexer *lex, kz_token *token, kz_token_kind kind, size_t start) {
  token->kind = kind;
  token->text = lex->text + start;
  token->text_length = lex->pos - start;
  position_at(lex, start, &token->line, &token->column);
}

static void error_at(kz_lexer *lex, kz_token *token, size_t pos, const char *format, ...)
    KZ_PRINTF(4, 5);

static void error_at(kz_lexer *lex, kz_token *token, size_t pos, const char *format, ...) {
  char message[512];
  va_list args;
  va_start(args, format);
  vsnprintf(message, sizeof message, format, args);
  va_end(args);
  long line, column;
  position_at(lex, pos, &line, &column);
  kz_fail(&lex->error, KZ_ERR_QUERY, lex->source, line, column, "%s", message);
  token->kind = KZ_TOK_ERROR;
  token->text = lex->text + pos;
  token->text_length = 0;
  token->line = line;
  token->column = column;
  lex->pos = lex->length; /* stay at the error */
}

static void nomem(kz_lexer *lex, kz_token *token) {
  kz_fail(&lex->error, KZ_ERR_NOMEM, lex->source, 0, 0, "out of memory");
  token->kind = KZ_TOK_ERROR;
  lex->pos = lex->length;
}

/* Sets the token's value to a copy of text[from, to). */
static bool set_value(kz_lexer *lex, kz_token *token, size_t from, size_t to) {
  char *value = kz_arena_strndup(lex->arena, lex->text + from, to - from);
  if (!value)
    return false;
  token->value = value;
  return true;
}

/* Shows one character for a message: 'x', or U+XXXX for controls. */
static const char *show_char(uint32_t c, char buf[16]) {
  if (c < 0x20 || c == 0x7F)
    snprintf(buf, 16, "U+%04X", (unsigned)c);
  else if (c < 0x80)
    snprintf(buf, 16, "'%c'", (char)c);
  else
    snprintf(buf, 16, "U+%04X", (unsigned)c);
  return buf;
}

/* ---- tokens ---------------------------------------------------------- */

static void scan_iri_or_less(kz_lexer *lex, kz_token *token, size_t start) {
  size_t pos = start + 1;
  for (;;) {
    size_t n;
    uint32_t c = cp_at(lex, pos, &n);
    if (n == 0)
      break;
    if (c == '>' && !escaped_at(lex, pos)) {
      lex->pos = pos + 1;
      if (!set_value(lex, token, start + 1, pos))
        return nomem(lex, token);
      return finish(lex, token, KZ_TOK_IRIREF, start);
    }
    if (c <= 0x20 || (c < 0x80 && strchr("<>\"{}|^`\\", (int)c)))
      break;
    pos += n;
  }
  if (raw_is(lex, start + 1, '=')) {
    lex->pos = start + 2;
    return finish(lex, token, KZ_TOK_LE, start);
  }
  lex->pos = start + 1;
  finish(lex, token, KZ_TOK_LT, start);
}

static bool exponent_at(const kz_lexer *lex, size_t pos) {
  unsigned char e = byte_at(lex, pos);
  if (e != 'e' && e != 'E')
    return false;
  unsigned char next = byte_at(lex, pos + 1);
  if (next == '+' || next == '-')
    next = byte_at(lex, pos + 2);
  return is_digit(next);
}

static void scan_number(kz_lexer *lex, kz_token *token, size_t start) {
  size_t pos = start;
  int sign = 0;
  if (byte_at(lex, pos) == '+' || byte_at(lex, pos) == '-')
    sign = byte_at(lex, pos++) == '+' ? 1 : 2;
  size_t int_digits = 0;
  while (is_digit(byte_at(lex, pos)))
    pos++, int_digits++;
  int kind = 0; /* 0 integer, 1 decimal, 2 double */
  if (byte_at(lex, pos) == '.' && is_digit(byte_at(lex, pos + 1))) {
    pos++;
    while (is_digit(byte_at(lex, pos)))
      pos++;
    kind = 1;
  } else if (byte_at(lex, pos) == '.' && int_digits > 0 && exponent_at(lex, pos + 1)) {
    pos++; /* "1.e5" */
    kind = 1;
  }
  if (exponent_at(lex, pos)) {
    pos++;
    if (byte_at(lex, pos) == '+' || byte_at(lex, pos) == '-')
      pos++;
    while (is_digit(byte_at(lex, pos)))
      pos++;
    kind = 2;
  }
  static const kz_token_kind kinds[3][3] = {
      {KZ_TOK_INTEGER, KZ_TOK_DECIMAL, KZ_TOK_DOUBLE},
      {KZ_TOK_INTEGER_POSITIVE, KZ_TOK_DECIMAL_POSITIVE, KZ_TOK_DOUBLE_POSITIVE},
      {KZ_TOK_INTEGER_NEGATIVE, KZ_TOK_DECIMAL_NEGATIVE, KZ_TOK_DOUBLE_NEGATIVE}};
  lex->pos = pos;
  if (!set_value(lex, token, start, pos))
    return nomem(lex, token);
  finish(lex, token, kinds[sign][kind], start);
}

static void scan_string(kz_lexer *lex, kz_token *token, size_t start) {
  char quote = lex->text[start];
  bool is_long = raw_is(lex, start + 1, quote) && raw_is(lex, start + 2, quote);
  size_t pos = start + (is_long ? 3 : 1);
  /* the content is never longer than the text it comes from */
  char *value = kz_arena_alloc(lex->arena, lex->length - start + 1);
  if (!value)
    return nomem(lex, token);
  size_t length = 0;
  for (;;) {
    if (pos >= lex->length)
      return error_at(lex, token, start, "unterminated string");
    char c = lex->text[pos];
    if (escaped_at(lex, pos)) {
      value[length++] = c;
      pos++;
      continue;
    }
    if (c == quote) {
      if (!is_long) {
        pos++;
        break;
      }
      if (raw_is(lex, pos + 1, quote) && raw_is(lex, pos + 2, quote)) {
        pos += 3;
        break;
      }
      value[length++] = c;
      pos++;
      continue;
    }
    if (c == '\\') {
      char e = (char)byte_at(lex, pos + 1);
      const char *from = "tbnrf\"'\\", *to = "\t\b\n\r\f\"'\\";
      const char *found = e ? strchr(from, e) : NULL;
      if (!found) {
        char shown[16];
        size_t n;
        uint32_t next = cp_at(lex, pos + 1, &n);
        if (n == 0)
          return error_at(lex, token, start, "unterminated string");
        return error_at(lex, token, pos, "bad escape sequence: backslash before %s",
                        show_char(next, shown));
      }
      value[length++] = to[found - from];
      pos += 2;
      continue;
    }
    if ((c == '\n' || c == '\r') && !is_long)
      return error_at(lex, token, start, "line break in a string (use \"\"\" for long strings)");
    value[length++] = c;
    pos++;
  }
  value[length] = '\0';
  token->value = value;
  lex->pos = pos;
  static const kz_token_kind kinds[2][2] = {
      {KZ_TOK_STRING_LITERAL1, KZ_TOK_STRING_LITERAL_LONG1},
      {KZ_TOK_STRING_LITERAL2, KZ_TOK_STRING_LITERAL_LONG2}};
  finish(lex, token, kinds[quote == '"'][is_long], start);
}

static void scan_var(kz_lexer *lex, kz_token *token, size_t start, kz_token_kind kind) {
  size_t pos = start + 1, n;
  while (varname_char(cp_at(lex, pos, &n)) && n)
    pos += n;
  lex->pos = pos;
  if (!set_value(lex, token, start + 1, pos))
    return nomem(lex, token);
  finish(lex, token, kind, start);
}

static void scan_langtag(kz_lexer *lex, kz_token *token, size_t start) {
  size_t pos = start + 1;
  if (!is_alpha(byte_at(lex, pos)))
    return error_at(lex, token, start, "'@' must start a language tag such as @en");
  while (is_alpha(byte_at(lex, pos)))
    pos++;
  while (byte_at(lex, pos) == '-' && (is_alpha(byte_at(lex, pos + 1)) || is_digit(byte_at(lex, pos + 1)))) {
    pos++;
    while (is_alpha(byte_at(lex, pos)) || is_digit(byte_at(lex, pos)))
      pos++;
  }
  lex->pos = pos;
  if (!set_value(lex, token, start + 1, pos))
    return nomem(lex, token);
  finish(lex, token, KZ_TOK_LANGTAG, start);
}

static void scan_blank_label(kz_lexer *lex, kz_token *token, size_t start) {
  size_t pos = start + 2, n;
  uint32_t c = cp_at(lex, pos, &n);
  if (!n || !(pn_chars_u(c) || is_digit(c)))
    return error_at(lex, token, start, "a blank node label needs a name after '_:'");
  pos += n;
  size_t end = pos;
  for (;;) {
    c = cp_at(lex, pos, &n);
    if (!n || !(pn_chars(c) || c == '.'))
      break;
    pos += n;
    if (c != '.')
      end = pos; /* a label does not end with '.' */
  }
  lex->pos = end;
  if (!set_value(lex, token, start + 2, end))
    return nomem(lex, token);
  finish(lex, token, KZ_TOK_BLANK_NODE_LABEL, start);
}

/* PN_LOCAL after the ':' at pos - 1; sets token->local. */
static bool scan_local(kz_lexer *lex, kz_token *token, size_t pos) {
  char *local = kz_arena_alloc(lex->arena, lex->length - pos + 1);
  if (!local)
    return false;
  size_t length = 0, end = pos, end_length = 0;
  bool first = true;
  for (;;) {
    size_t n;
    uint32_t c = cp_at(lex, pos, &n);
    if (!n)
      break;
    if (c == '%' && kz_hex_value(byte_at(lex, pos + 1)) >= 0 &&
        kz_hex_value(byte_at(lex, pos + 2)) >= 0) {
      memcpy(local + length, lex->text + pos, 3);
      length += 3, pos += 3;
    } else if (c == '\\' && !escaped_at(lex, pos) && local_escapable(byte_at(lex, pos + 1)) &&
               !escaped_at(lex, pos + 1)) {
      local[length++] = lex->text[pos + 1];
      pos += 2;
    } else if (first ? (pn_chars_u(c) || c == ':' || is_digit(c))
                     : (pn_chars(c) || c == '.' || c == ':')) {
      memcpy(local + length, lex->text + pos, n);
      length += n, pos += n;
      if (c == '.') {
        first = false;
        continue; /* a local name does not end with '.' */
      }
    } else {
      break;
    }
    first = false;
    end = pos;
    end_length = length;
  }
  local[end_length] = '\0';
  token->local = local;
  lex->pos = end;
  return true;
}

static void scan_word(kz_lexer *lex, kz_token *token, size_t start) {
  size_t pos = start, end = start, n;
  uint32_t c = cp_at(lex, pos, &n);
  if (c != ':') {
    /* PN_PREFIX: PN_CHARS_BASE ((PN_CHARS|'.')* PN_CHARS)? */
    pos += n;
    end = pos;
    for (;;) {
      c = cp_at(lex, pos, &n);
      if (!n || !(pn_chars(c) || c == '.'))
        break;
      pos += n;
      if (c != '.')
        end = pos;
    }
  }
  if (raw_is(lex, end, ':')) {
    if (!set_value(lex, token, start, end) || !scan_local(lex, token, end + 1))
      return nomem(lex, token);
    finish(lex, token, token->local[0] ? KZ_TOK_PNAME_LN : KZ_TOK_PNAME_NS, start);
    return;
  }
  /* A keyword: every SPARQL keyword is made of ASCII letters, digits and '_'. */
  pos = start;
  while (is_alpha(byte_at(lex, pos)) || is_digit(byte_at(lex, pos)) || byte_at(lex, pos) == '_')
    pos++;
  if (pos == start) {
    char shown[16];
    return error_at(lex, token, start, "unexpected character %s", show_char(cp_at(lex, start, &n), shown));
  }
  lex->pos = pos;
  if (!set_value(lex, token, start, pos))
    return nomem(lex, token);
  finish(lex, token, KZ_TOK_KEYWORD, start);
}

/* '(' or '[' followed by only white space and the closing bracket. */
static bool empty_brackets(const kz_lexer *lex, size_t start, char close, size_t *end) {
  size_t pos = start + 1;
  while (is_ws(byte_at(lex, pos)))
    pos++;
  if (byte_at(lex, pos) != (unsigned char)close)
    return false;
  *end = pos + 1;
  return true;
}

static void skip_space_and_comments(kz_lexer *lex) {
  for (;;) {
    unsigned char c = byte_at(lex, lex->pos);
    if (is_ws(c)) {
      lex->pos++;
    } else if (c == '#') {
      while (lex->pos < lex->length && lex->text[lex->pos] != '\n')
        lex->pos++;
    } else {
      return;
    }
  }
}

void kz_lexer_next(kz_lexer *lex, kz_token *token) {
  memset(token, 0, sizeof *token);
  if (lex->error.status != KZ_OK) {
    token->kind = KZ_TOK_ERROR;
    token->line = lex->error.line;
    token->column = lex->error.column;
    token->text = lex->text + lex->length;
    return;
  }
  skip_space_and_comments(lex);
  size_t start = lex->pos;
  token->value = "";
  if (start >= lex->length) {
    finish(lex, token, KZ_TOK_EOF, start);
    return;
  }
  unsigned char c = (unsigned char)lex->text[start];
  unsigned char next = byte_at(lex, start + 1);
  kz_token_kind simple = KZ_TOK_EOF;
  size_t width = 1;
  if (c == '\\' && escaped_at(lex, start))
    return error_at(lex, token, start, "unexpected character '\\' (from a codepoint escape)");
  switch (c) {
  case '<': return scan_iri_or_less(lex, token, start);
  case '"':
  case '\'': return scan_string(lex, token, start);
  case '?':
  case '$': {
    size_t n;
    if (varname_start(cp_at(lex, start + 1, &n)) && n)
      return scan_var(lex, token, start, c == '?' ? KZ_TOK_VAR1 : KZ_TOK_VAR2);
    if (c == '$')
      return error_at(lex, token, start, "'$' must start a variable name");
    simple = KZ_TOK_QUESTION;
    break;
  }
  case '@': return scan_langtag(lex, token, start);
  case '_':
    if (next == ':')
      return scan_blank_label(lex, token, start);
    return error_at(lex, token, start, "unexpected character '_'");
  case '(':
  case '[': {
    size_t end;
    if (empty_brackets(lex, start, c == '(' ? ')' : ']', &end)) {
      lex->pos = end;
      if (!set_value(lex, token, start, end))
        return nomem(lex, token);
      return finish(lex, token, c == '(' ? KZ_TOK_NIL : KZ_TOK_ANON, start);
    }
    simple = c == '(' ? KZ_TOK_LPAREN : KZ_TOK_LBRACKET;
    break;
  }
  case '.':
    if (is_digit(next))
      return scan_number(lex, token, start);
    simple = KZ_TOK_DOT;
    break;
  case '+':
  case '-':
    if (is_digit(next) || (next == '.' && is_digit(byte_at(lex, start + 2))))
      return scan_number(lex, token, start);
    simple = c == '+' ? KZ_TOK_PLUS : KZ_TOK_MINUS;
    break;
  case '{': simple = KZ_TOK_LBRACE; break;
  case '}': simple = KZ_TOK_RBRACE; break;
  case ')': simple = KZ_TOK_RPAREN; break;
  case ']': simple = KZ_TOK_RBRACKET; break;
  case ',': simple = KZ_TOK_COMMA; break;
  case ';': simple = KZ_TOK_SEMICOLON; break;
  case '*': simple = KZ_TOK_STAR; break;
  case '/': simple = KZ_TOK_SLASH; break;
  case '=': simple = KZ_TOK_EQ; break;
  case '>':
    simple = next == '=' ? KZ_TOK_GE : KZ_TOK_GT;
    width = next == '=' ? 2 : 1;
    break;
  case '!':
    simple = next == '=' ? KZ_TOK_NE : KZ_TOK_BANG;
    width = next == '=' ? 2 : 1;
    break;
  case '^':
    simple = next == '^' ? KZ_TOK_DCARET : KZ_TOK_CARET;
    width = next == '^' ? 2 : 1;
    break;
  case '|':
    simple = next == '|' ? KZ_TOK_OR : KZ_TOK_PIPE;
    width = next == '|' ? 2 : 1;
    break;
  case '&':
    if (next != '&')
      return error_at(lex, token, start, "'&' must be doubled: '&&'");
    simple = KZ_TOK_AND;
    width = 2;
    break;
  default:
    if (is_digit(c))
      return scan_number(lex, token, start);
    size_t n;
    uint32_t cp = cp_at(lex, start, &n);
    if (cp == ':' || pn_chars_base(cp))
      return scan_word(lex, token, start);
    char shown[16];
    return error_at(lex, token, start, "unexpected character %s", show_char(cp, shown));
  }
  lex->pos = start + width;
  if (!set_value(lex, token, start, lex->pos))
    return nomem(lex, token);
  finish(lex, token, simple, start);
}

const char *kz_token_kind_name(kz_token_kind kind) {
  switch (kind) {
  case KZ_TOK_EOF: return "end of query";
  case KZ_TOK_ERROR: return "error";
  case KZ_TOK_IRIREF: return "IRI";
  case KZ_TOK_PNAME_NS: return "prefix";
  case KZ_TOK_PNAME_LN: return "prefixed name";
  case KZ_TOK_BLANK_NODE_LABEL: return "blank node";
  case KZ_TOK_VAR1:
  case KZ_TOK_VAR2: return "variable";
  case KZ_TOK_LANGTAG: return "language tag";
  case KZ_TOK_INTEGER: return "INTEGER";
  case KZ_TOK_DECIMAL: return "DECIMAL";
  case KZ_TOK_DOUBLE: return "DOUBLE";
  case KZ_TOK_INTEGER_POSITIVE: return "INTEGER_POSITIVE";
  case KZ_TOK_DECIMAL_POSITIVE: return "DECIMAL_POSITIVE";
  case KZ_TOK_DOUBLE_POSITIVE: return "DOUBLE_POSITIVE";
  case KZ_TOK_INTEGER_NEGATIVE: return "INTEGER_NEGATIVE";
  case KZ_TOK_DECIMAL_NEGATIVE: return "DECIMAL_NEGATIVE";
  case KZ_TOK_DOUBLE_NEGATIVE: return "DOUBLE_NEGATIVE";
  case KZ_TOK_STRING_LITERAL1:
  case KZ_TOK_STRING_LITERAL2:
  case KZ_TOK_STRING_LITERAL_LONG1:
  case KZ_TOK_STRING_LITERAL_LONG2: return "string";
  case KZ_TOK_NIL: return "'()'";
  case KZ_TOK_ANON: return "'[]'";
  case KZ_TOK_KEYWORD: return "keyword";
  case KZ_TOK_LBRACE: return "'{'";
  case KZ_TOK_RBRACE: return "'}'";
  case KZ_TOK_LPAREN: return "'('";
  case KZ_TOK_RPAREN: return "')'";
  case KZ_TOK_LBRACKET: return "'['";
  case KZ_TOK_RBRACKET: return "']'";
  case KZ_TOK_DOT: return "'.'";
  case KZ_TOK_COMMA: return "','";
  case KZ_TOK_SEMICOLON: return "';'";
  case KZ_TOK_EQ: return "'='";
  case KZ_TOK_NE: return "'!='";
  case KZ_TOK_LT: return "'<'";
  case KZ_TOK_GT: return "'>'";
  case KZ_TOK_LE: return "'<='";
  case KZ_TOK_GE: return "'>='";
  case KZ_TOK_AND: return "'&&'";
  case KZ_TOK_OR: return "'||'";
  case KZ_TOK_BANG: return "'!'";
  case KZ_TOK_PLUS: return "'+'";
  case KZ_TOK_MINUS: return "'-'";
  case KZ_TOK_STAR: return "'*'";
  case KZ_TOK_SLASH: return "'/'";
  case KZ_TOK_CARET: return "'^'";
  case KZ_TOK_DCARET: return "'^^'";
  case KZ_TOK_PIPE: return "'|'";
  case KZ_TOK_QUESTION: return "'?'";
  }
  return "token";
}

/* ---- a scan without the lexer ----------------------------------------- */

static bool scan_name_char(unsigned char c) {
  return is_alpha(c) || is_digit(c) || c == '_' || c >= 0x80;
}

static bool iriref_char(unsigned char c) { return c > 0x20 && !strchr("<>\"{}|^`\\", c); }

size_t kz_sparql_scan(const char *p, kz_scan_kind *kind) {
  size_t n = 1;
  *kind = KZ_SCAN_OTHER;
  if (*p == '#') {
    *kind = KZ_SCAN_COMMENT;
    n = strcspn(p, "\n");
  } else if (*p == '"' || *p == '\'') {
    *kind = KZ_SCAN_STRING;
    char quote = *p;
    bool long_form = p[1] == quote && p[2] == quote;
    for (n = long_form ? 3 : 1; p[n]; n++) {
      if (p[n] == '\\' && p[n + 1])
        n++;
      else if (p[n] == quote && (!long_form || (p[n + 1] == quote && p[n + 2] == quote)))
        return n + (long_form ? 3 : 1);
      else if (!long_form && (p[n] == '\n' || p[n] == '\r'))
        break;
    }
  } else if (*p == '<') {
    while (iriref_char((unsigned char)p[n]))
      n++;
    *kind = p[n] == '>' ? KZ_SCAN_IRI : KZ_SCAN_OTHER;
    n = p[n] == '>' ? n + 1 : 1;
  } else if ((*p == '?' || *p == '$') && scan_name_char((unsigned char)p[1])) {
    *kind = KZ_SCAN_VARIABLE;
    while (scan_name_char((unsigned char)p[n]))
      n++;
  } else if (scan_name_char((unsigned char)*p)) {
    *kind = KZ_SCAN_WORD;
    while (scan_name_char((unsigned char)p[n]) || p[n] == ':' || p[n] == '-' || p[n] == '.')
      n++;
  } else if (!*p) {
    n = 0;
  }
  return n;
}
