/*
 * RFC 3986 reference resolution (section 5.2): a reference is split into
 * its five components (the regular expression of appendix B, done by hand),
 * combined with the base's by the algorithm of 5.2.2, and the path is
 * cleaned by remove_dot_segments (5.2.4). Components are (pointer, length)
 * views into the input strings; `defined` tells an absent component from an
 * empty one, as the RFC requires ("http://a?" has an empty query).
 */
#include "sparql/iri.h"

#include <stdbool.h>
#include <string.h>

typedef struct part {
  const char *s;
  size_t n;
  bool defined;
} part;

typedef struct iri_parts {
  part scheme, authority, path, query, fragment;
} iri_parts;

static void split(const char *iri, iri_parts *out) {
  memset(out, 0, sizeof *out);
  const char *p = iri;
  size_t n = strcspn(p, ":/?#");
  if (n > 0 && p[n] == ':') {
    out->scheme = (part){p, n, true};
    p += n + 1;
  }
  if (p[0] == '/' && p[1] == '/') {
    p += 2;
    n = strcspn(p, "/?#");
    out->authority = (part){p, n, true};
    p += n;
  }
  n = strcspn(p, "?#");
  out->path = (part){p, n, true};
  p += n;
  if (*p == '?') {
    p++;
    n = strcspn(p, "#");
    out->query = (part){p, n, true};
    p += n;
  }
  if (*p == '#')
    out->fragment = (part){p + 1, strlen(p + 1), true};
}

/* remove_dot_segments over buf[0, n), in place; returns the new length. */
static size_t remove_dot_segments(char *buf, size_t n) {
  size_t in = 0, out = 0;
  while (in < n) {
    const char *s = buf + in;
    size_t left = n - in;
    if (left >= 3 && memcmp(s, "../", 3) == 0) {
      in += 3;
    } else if (left >= 2 && memcmp(s, "./", 2) == 0) {
      in += 2;
    } else if (left >= 3 && memcmp(s, "/./", 3) == 0) {
      in += 2; /* "/./x" becomes "/x" */
    } else if (left == 2 && memcmp(s, "/.", 2) == 0) {
      in += 1;
      buf[in] = '/';
    } else if ((left >= 4 && memcmp(s, "/../", 4) == 0) || (left == 3 && memcmp(s, "/..", 3) == 0)) {
      in += 3;
      if (left == 3) {
        in--;
        buf[in] = '/';
      }
      while (out > 0 && buf[out - 1] != '/')
        out--;
      if (out > 0)
        out--;
    } else if ((left == 1 && s[0] == '.') || (left == 2 && memcmp(s, "..", 2) == 0)) {
      in = n;
    } else {
      /* move the first segment, with its leading '/', to the output */
      size_t k = 1;
      while (k < left && s[k] != '/')
        k++;
      memmove(buf + out, s, k);
      out += k;
      in += k;
    }
  }
  return out;
}

static void append(char *buf, size_t *n, const char *s, size_t k) {
  memcpy(buf + *n, s, k);
  *n += k;
}

char *kz_iri_resolve(kz_arena *arena, const char *base, const char *reference) {
  if (!base)
    return kz_arena_strdup(arena, reference);
  iri_parts r, b;
  split(reference, &r);
  split(base, &b);
  /* the target is never longer than base + reference + a few separators */
  size_t room = strlen(base) + strlen(reference) + 8;
  char *path = kz_arena_alloc(arena, room);
  char *out = kz_arena_alloc(arena, room);
  if (!path || !out)
    return NULL;
  size_t path_n = 0;
  part scheme, authority, query;
  if (r.scheme.defined) {
    scheme = r.scheme, authority = r.authority, query = r.query;
    append(path, &path_n, r.path.s, r.path.n);
  } else {
    scheme = b.scheme;
    if (r.authority.defined) {
      authority = r.authority, query = r.query;
      append(path, &path_n, r.path.s, r.path.n);
    } else {
      authority = b.authority;
      if (r.path.n == 0) {
        append(path, &path_n, b.path.s, b.path.n);
        query = r.query.defined ? r.query : b.query;
      } else {
        if (r.path.s[0] != '/') {
          /* merge (5.2.3) */
          if (b.authority.defined && b.path.n == 0) {
            append(path, &path_n, "/", 1);
          } else {
            size_t keep = b.path.n;
            while (keep > 0 && b.path.s[keep - 1] != '/')
              keep--;
            append(path, &path_n, b.path.s, keep);
          }
        }
        append(path, &path_n, r.path.s, r.path.n);
        query = r.query;
      }
    }
  }
  path_n = remove_dot_segments(path, path_n);
  size_t n = 0;
  if (scheme.defined) {
    append(out, &n, scheme.s, scheme.n);
    append(out, &n, ":", 1);
  }
  if (authority.defined) {
    append(out, &n, "//", 2);
    append(out, &n, authority.s, authority.n);
  }
  append(out, &n, path, path_n);
  if (query.defined) {
    append(out, &n, "?", 1);
    append(out, &n, query.s, query.n);
  }
  if (r.fragment.defined) {
    append(out, &n, "#", 1);
    append(out, &n, r.fragment.s, r.fragment.n);
  }
  out[n] = '\0';
  return out;
}
