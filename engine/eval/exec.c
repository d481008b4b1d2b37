/*
 * The evaluator's execution context: terms by ID, the query's own term
 * table, variable sets, expression environments, FILTER and EXISTS, the
 * timeout.
 *
 * The term table holds the terms a query makes (a BIND result, a VALUES
 * constant) that the store's dictionary does not have, under IDs from
 * KZ_LOCAL_ID_BASE up. It is an open-addressing hash table of local IDs
 * keyed by the term's kind and strings, normalised as the store's
 * dictionary normalises them (xsd:string dropped, language tags lower
 * case), so that the store ID, when there is one, and the local ID never
 * both exist for one term: a term is looked up in the store first.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "eval/exec.h"

#define XSD_STRING KZ_XSD_NS "string"

/* ---- failures and the clock ---------------------------------------------- */

bool kz_exec_fail(kz_exec *exec, kz_status status, const char *format, ...) {
  if (exec->status != KZ_OK)
    return false;
  exec->status = status;
  if (exec->err) {
    char message[sizeof exec->err->message];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    kz_fail(exec->err, status, exec->source, 0, 0, "%s", message);
  }
  return false;
}

bool kz_exec_tick(kz_exec *exec) {
  if (exec->status != KZ_OK)
    return false;
  if ((++exec->tick & 1023u) != 0)
    return true;
  if (exec->cancel && *exec->cancel)
    return kz_exec_fail(exec, KZ_ERR_TIMEOUT, "the query was cancelled");
  if (exec->deadline.tv_sec) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec > exec->deadline.tv_sec ||
        (now.tv_sec == exec->deadline.tv_sec && now.tv_nsec >= exec->deadline.tv_nsec))
      return kz_exec_fail(exec, KZ_ERR_TIMEOUT, "the query ran out of time");
  }
  return true;
}

/* ---- the query's term table ------------------------------------------------ */

struct kz_termtab {
  kz_arena *arena; /* the strings */
  kz_term *terms;  /* local ID - KZ_LOCAL_ID_BASE - 1 -> term */
  size_t count, capacity;
  uint32_t *slots; /* 0 empty, else index + 1 into terms */
  size_t slot_count;
};

kz_termtab *kz_termtab_new(kz_arena *arena) {
  kz_termtab *table = calloc(1, sizeof *table);
  if (table)
    table->arena = arena;
  return table;
}

void kz_termtab_free(kz_termtab *table) {
  if (!table)
    return;
  free(table->terms);
  free(table->slots);
  free(table);
}

static uint64_t hash_bytes(uint64_t h, const char *s) {
  for (; s && *s; s++) {
    h ^= (unsigned char)*s;
    h *= 0x100000001b3ULL;
  }
  return h * 0x100000001b3ULL;
}

static uint64_t term_hash(const kz_term *t) {
  uint64_t h = 0xcbf29ce484222325ULL ^ (uint64_t)t->kind;
  h = hash_bytes(h, t->value);
  h = hash_bytes(h, t->language);
  return hash_bytes(h, t->datatype);
}

static bool same_string(const char *a, const char *b) {
  if (!a || !b)
    return a == b;
  return strcmp(a, b) == 0;
}

static bool terms_identical(const kz_term *a, const kz_term *b) {
  return a->kind == b->kind && same_string(a->value, b->value) &&
         same_string(a->language, b->language) && same_string(a->datatype, b->datatype);
}

/* term as the dictionaries store it: into buffer for the language tag. */
static kz_term normalised(const kz_term *term, char *lang, size_t lang_size, bool *too_long) {
  kz_term t = *term;
  *too_long = false;
  if (t.kind != KZ_TERM_LITERAL) {
    t.language = t.datatype = NULL;
    return t;
  }
  if (t.language && *t.language) {
    size_t n = strlen(t.language);
    if (n >= lang_size) {
      *too_long = true;
      return t;
    }
    for (size_t i = 0; i <= n; i++) {
      char c = t.language[i];
      lang[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    t.language = lang;
    t.datatype = NULL;
  } else {
    t.language = NULL;
    if (t.datatype && strcmp(t.datatype, XSD_STRING) == 0)
      t.datatype = NULL;
  }
  return t;
}

static size_t table_find(const kz_termtab *table, const kz_term *t, uint64_t hash) {
  size_t mask = table->slot_count - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    uint32_t slot = table->slots[i];
    if (!slot || terms_identical(&table->terms[slot - 1], t))
      return i;
  }
}

static bool table_grow(kz_termtab *table) {
  size_t count = table->slot_count ? table->slot_count * 2 : 256;
  uint32_t *slots = calloc(count, sizeof *slots);
  if (!slots)
    return false;
  free(table->slots);
  table->slots = slots;
  table->slot_count = count;
  for (size_t k = 0; k < table->count; k++) {
    size_t i = table_find(table, &table->terms[k], term_hash(&table->terms[k]));
    table->slots[i] = (uint32_t)(k + 1);
  }
  return true;
}

static kz_id table_lookup(const kz_termtab *table, const kz_term *t) {
  if (!table->slot_count)
    return KZ_ID_NONE;
  uint32_t slot = table->slots[table_find(table, t, term_hash(t))];
  return slot ? KZ_LOCAL_ID_BASE + slot : KZ_ID_NONE;
}

static kz_id table_add(kz_termtab *table, const kz_term *t) {
  if ((table->count + 1) * 2 > table->slot_count && !table_grow(table))
    return KZ_ID_NONE;
  kz_term *terms = kz_grow(table->terms, &table->capacity, table->count + 1, sizeof *terms, 64);
  if (!terms)
    return KZ_ID_NONE;
  table->terms = terms;
  kz_term copy = {t->kind, kz_arena_strdup(table->arena, t->value ? t->value : ""),
                  kz_arena_strdup(table->arena, t->language),
                  kz_arena_strdup(table->arena, t->datatype)};
  if (!copy.value || (t->language && !copy.language) || (t->datatype && !copy.datatype))
    return KZ_ID_NONE;
  table->terms[table->count++] = copy;
  table->slots[table_find(table, &copy, term_hash(&copy))] = (uint32_t)table->count;
  return KZ_LOCAL_ID_BASE + (kz_id)table->count;
}

/* ---- terms by ID ------------------------------------------------------------- */

const kz_term *kz_exec_term(kz_exec *exec, kz_id id) {
  if (id == KZ_ID_NONE)
    return NULL;
  if (id < KZ_LOCAL_ID_BASE)
    return kz_index_term(exec->index, id);
  size_t k = id - KZ_LOCAL_ID_BASE - 1;
  return k < exec->terms->count ? &exec->terms->terms[k] : NULL;
}

kz_id kz_exec_lookup(kz_exec *exec, const kz_term *term) {
  char lang[128];
  bool too_long;
  kz_term t = normalised(term, lang, sizeof lang, &too_long);
  if (too_long)
    return KZ_ID_NONE; /* no tag is that long in practice; treat as unknown */
  kz_id id = kz_index_lookup(exec->index, &t);
  return id ? id : table_lookup(exec->terms, &t);
}

kz_id kz_exec_intern(kz_exec *exec, const kz_term *term) {
  char lang[128];
  bool too_long;
  kz_term t = normalised(term, lang, sizeof lang, &too_long);
  if (too_long) {
    kz_exec_fail(exec, KZ_ERR_QUERY, "a language tag is too long");
    return KZ_ID_NONE;
  }
  kz_id id = kz_index_lookup(exec->index, &t);
  if (!id)
    id = table_lookup(exec->terms, &t);
  if (!id && !(id = table_add(exec->terms, &t)))
    kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
  return id;
}

static kz_term term_of_constant(const kz_sparql_term *c) {
  kz_term t = {0};
  switch (c->kind) {
  case KZ_SPARQL_IRI: t.kind = KZ_TERM_IRI; break;
  case KZ_SPARQL_BLANK: t.kind = KZ_TERM_BLANK; break;
  default: t.kind = KZ_TERM_LITERAL; break;
  }
  t.value = c->lexical;
  t.language = c->lang;
  t.datatype = c->datatype;
  return t;
}

kz_id kz_exec_constant(kz_exec *exec, const kz_sparql_term *term) {
  kz_term t = term_of_constant(term);
  return kz_exec_lookup(exec, &t);
}

/* ---- rows and variable sets ---------------------------------------------------- */

kz_id *kz_row_new(kz_exec *exec) {
  kz_id *row = kz_arena_alloc(exec->arena, (exec->width ? exec->width : 1) * sizeof *row);
  if (!row)
    kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
  return row;
}

void kz_row_set(kz_exec *exec, kz_id *row, const kz_id *seed) {
  if (seed)
    memcpy(row, seed, exec->width * sizeof *row);
  else
    memset(row, 0, exec->width * sizeof *row);
}

bool kz_varset_init(kz_exec *exec, kz_varset *set) {
  set->word_count = exec->width / 64 + 1;
  set->words = kz_arena_alloc(exec->arena, set->word_count * sizeof *set->words);
  if (!set->words)
    return kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
  return true;
}

void kz_varset_copy(kz_varset *to, const kz_varset *from) {
  memcpy(to->words, from->words, to->word_count * sizeof *to->words);
}

void kz_varset_union(kz_varset *to, const kz_varset *from) {
  for (size_t i = 0; i < to->word_count; i++)
    to->words[i] |= from->words[i];
}

void kz_varset_intersect(kz_varset *to, const kz_varset *from) {
  for (size_t i = 0; i < to->word_count; i++)
    to->words[i] &= from->words[i];
}

struct kz_cleanup {
  void (*fn)(void *);
  void *data;
  struct kz_cleanup *next;
};

bool kz_exec_on_free(kz_exec *exec, void (*fn)(void *), void *data) {
  struct kz_cleanup *c = kz_arena_alloc(exec->arena, sizeof *c);
  if (!c)
    return kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
  c->fn = fn;
  c->data = data;
  c->next = exec->cleanups;
  exec->cleanups = c;
  return true;
}

void kz_exec_cleanup(kz_exec *exec) {
  for (struct kz_cleanup *c = exec->cleanups; c; c = c->next)
    c->fn(c->data);
  exec->cleanups = NULL;
  for (kz_rowbuf *b = exec->rowbufs; b; b = b->next_owned) {
    free(b->rows);
    b->rows = NULL;
  }
  exec->rowbufs = NULL;
}

kz_rowbuf *kz_rowbuf_new(kz_exec *exec) {
  kz_rowbuf *buf = kz_arena_alloc(exec->arena, sizeof *buf);
  if (!buf) {
    kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
    return NULL;
  }
  buf->next_owned = exec->rowbufs;
  exec->rowbufs = buf;
  return buf;
}

kz_id *kz_rowbuf_push(kz_exec *exec, kz_rowbuf *buf, const kz_id *row) {
  size_t width = exec->width ? exec->width : 1;
  kz_id *rows = kz_grow(buf->rows, &buf->capacity, buf->count + 1, width * sizeof *rows, 64);
  if (!rows) {
    kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
    return NULL;
  }
  buf->rows = rows;
  kz_id *slot = buf->rows + buf->count++ * width;
  memcpy(slot, row, width * sizeof *slot);
  return slot;
}

static uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  return h ^ (h >> 33);
}

int kz_idset_add(kz_exec *exec, kz_idset *set, kz_id id) {
  if ((set->count + 1) * 2 > set->slot_count) {
    size_t count = set->slot_count ? set->slot_count * 2 : 64;
    kz_id *slots = calloc(count, sizeof *slots);
    if (!slots) {
      kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
      return -1;
    }
    for (size_t i = 0; i < set->slot_count; i++) {
      kz_id v = set->slots[i];
      if (!v)
        continue;
      size_t j = mix(v) & (count - 1);
      while (slots[j])
        j = (j + 1) & (count - 1);
      slots[j] = v;
    }
    free(set->slots);
    set->slots = slots;
    set->slot_count = count;
  }
  size_t mask = set->slot_count - 1;
  for (size_t j = mix(id) & mask;; j = (j + 1) & mask) {
    if (set->slots[j] == id)
      return 0;
    if (!set->slots[j]) {
      set->slots[j] = id;
      set->count++;
      return 1;
    }
  }
}

bool kz_idset_has(const kz_idset *set, kz_id id) {
  if (!set->slot_count)
    return false;
  size_t mask = set->slot_count - 1;
  for (size_t j = mix(id) & mask; set->slots[j]; j = (j + 1) & mask)
    if (set->slots[j] == id)
      return true;
  return false;
}

void kz_idset_clear(kz_idset *set) {
  if (set->slots)
    memset(set->slots, 0, set->slot_count * sizeof *set->slots);
  set->count = 0;
}

void kz_idset_free(kz_idset *set) {
  free(set->slots);
  memset(set, 0, sizeof *set);
}

uint64_t kz_row_hash(const kz_id *row, const int *vars, size_t var_count, size_t width) {
  uint64_t h = 0x9e3779b97f4a7c15ULL;
  size_t n = vars ? var_count : width;
  for (size_t i = 0; i < n; i++)
    h = mix(h ^ (row[vars ? (size_t)vars[i] : i] + 0x9e3779b97f4a7c15ULL * (i + 1)));
  return h;
}

bool kz_row_merge(kz_id *a, const kz_id *b, size_t width) {
  for (size_t i = 0; i < width; i++) {
    if (!b[i])
      continue;
    if (!a[i])
      a[i] = b[i];
    else if (a[i] != b[i])
      return false;
  }
  return true;
}

bool kz_rows_compatible(const kz_id *a, const kz_id *b, size_t width) {
  for (size_t i = 0; i < width; i++)
    if (a[i] && b[i] && a[i] != b[i])
      return false;
  return true;
}

bool kz_iter_init(kz_iter *iter, kz_exec *exec, const kz_alg_op *op,
                  const kz_active_graph *graph, const char *name) {
  iter->exec = exec;
  iter->op = op;
  iter->graph = graph;
  iter->name = name;
  return (iter->row = kz_row_new(exec)) && kz_varset_init(exec, &iter->certain) &&
         kz_varset_init(exec, &iter->maybe) && kz_varset_init(exec, &iter->accept);
}

void kz_iter_open_child(kz_iter *child, const kz_id *seed, bool substitute, kz_id *buffer) {
  if (!seed || substitute) {
    child->open(child, seed, substitute);
    return;
  }
  size_t width = child->exec->width;
  for (size_t i = 0; i < width; i++)
    buffer[i] = seed[i] && kz_varset_has(&child->accept, (int)i) ? seed[i] : KZ_ID_NONE;
  child->open(child, buffer, false);
}

/* ---- expressions --------------------------------------------------------------- */

static const kz_active_graph default_graph = {true, KZ_ID_NONE};

static const kz_term *env_var(void *user, int var) {
  kz_env_user *u = user;
  return kz_exec_term(u->exec, u->row[var]);
}

static int env_exists(void *user, const kz_alg_op *pattern) {
  kz_env_user *u = user;
  return kz_exec_exists(u->exec, pattern, u->graph, u->row);
}

void kz_exec_env(kz_exec *exec, kz_expr_env *env, kz_env_user *user, const kz_id *row,
                 const kz_active_graph *graph) {
  user->exec = exec;
  user->row = row;
  user->graph = graph ? graph : &default_graph;
  memset(env, 0, sizeof *env);
  env->var = env_var;
  env->exists = env_exists;
  env->user = user;
  env->scratch = exec->scratch;
  env->now = exec->now;
  env->base = exec->base;
  env->bnode_counter = &exec->bnode_counter;
  env->solution_id = exec->solution_counter;
  env->regex_cache = exec->regex_cache;
  env->var_count = (int)exec->width; /* bumped by the operators that make solutions */
}

static void env_done(kz_exec *exec, const kz_expr_env *env) {
  if (env->failed && exec->status == KZ_OK)
    kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
}

bool kz_exec_filter(kz_exec *exec, kz_alg_expr *const *exprs, size_t count, const kz_id *row,
                    const kz_active_graph *graph) {
  kz_env_user user;
  kz_expr_env env;
  kz_exec_env(exec, &env, &user, row, graph);
  bool pass = true;
  exec->expr_depth++;
  for (size_t i = 0; pass && i < count; i++)
    pass = kz_expr_ebv(exprs[i], &env) == 1;
  exec->expr_depth--;
  env_done(exec, &env);
  kz_exec_scratch_done(exec);
  return pass && exec->status == KZ_OK;
}

kz_id kz_exec_value(kz_exec *exec, const kz_alg_expr *expr, const kz_id *row,
                    const kz_active_graph *graph) {
  kz_env_user user;
  kz_expr_env env;
  kz_exec_env(exec, &env, &user, row, graph);
  kz_term value;
  exec->expr_depth++;
  bool ok = kz_expr_eval(expr, &env, &value);
  exec->expr_depth--;
  env_done(exec, &env);
  kz_id id = ok && exec->status == KZ_OK ? kz_exec_intern(exec, &value) : KZ_ID_NONE;
  kz_exec_scratch_done(exec);
  return id;
}

void kz_exec_scratch_done(kz_exec *exec) {
  if (exec->expr_depth == 0)
    kz_arena_reset(exec->scratch);
}

/* EXISTS patterns are planned once per (pattern, graph) and re-opened for
 * each solution with the solution as a substituting seed. */
typedef struct exists_plan {
  const kz_alg_op *pattern;
  const kz_active_graph *graph;
  kz_iter *iter;
  struct exists_plan *next;
} exists_plan;

int kz_exec_exists(kz_exec *exec, const kz_alg_op *pattern, const kz_active_graph *graph,
                   const kz_id *row) {
  if (!graph)
    graph = &default_graph;
  exists_plan *plan = exec->exists_plans;
  while (plan && (plan->pattern != pattern || plan->graph != graph))
    plan = plan->next;
  if (!plan) {
    plan = kz_arena_alloc(exec->arena, sizeof *plan);
    if (!plan) {
      kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
      return -1;
    }
    plan->pattern = pattern;
    plan->graph = graph;
    plan->iter = kz_plan(exec, pattern, graph);
    if (!plan->iter)
      return -1;
    plan->next = exec->exists_plans;
    exec->exists_plans = plan;
  }
  plan->iter->open(plan->iter, row, true);
  bool found = plan->iter->next(plan->iter);
  if (exec->status != KZ_OK)
    return -1;
  return found ? 1 : 0;
}
