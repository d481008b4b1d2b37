/*
 * The operators that need all of their input before the first solution:
 * GROUP (grouping and aggregates, 18.5) and ORDER BY.
 *
 * GROUP streams its input once: each solution's key (the IDs of its
 * grouping expressions' values, KZ_ID_NONE for an error) finds its group in
 * a hash table, and the group's aggregators (expr.h) fold the solution in;
 * the solutions themselves are not kept. A query with aggregates and no
 * GROUP BY has one group, even over no solutions.
 *
 * ORDER BY keeps the solutions with their sort keys (the conditions'
 * values as IDs) and sorts them by kz_term_order, stably so that equal
 * keys keep the input's order. Under a LIMIT (Slice over Project over
 * OrderBy) it keeps only the first offset+limit solutions in a bounded
 * max-heap, so memory stays bounded by the limit whatever the input size.
 */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "eval/exec.h"

/* ---- GROUP ---------------------------------------------------------------------- */

typedef struct group_iter {
  kz_iter base;
  kz_iter *input;
  kz_arena *arena; /* the aggregators of one open */
  size_t key_count, aggregate_count;
  kz_id *keys;               /* group g's key at keys + g * key_count */
  kz_aggregator **aggregators; /* group g's at aggregators + g * aggregate_count */
  size_t group_count, group_capacity;
  size_t *heads, *next, bucket_count;
  size_t position;
  kz_id *seed;
  kz_id *key; /* scratch */
  /* COUNT(DISTINCT *): the distinct (group, solution) pairs seen, and the
   * count per group of each such aggregate (they all count the same). */
  kz_rowbuf *distinct_rows;
  size_t *distinct_groups; /* group of each row of distinct_rows */
  size_t *distinct_slots, distinct_slot_count; /* row + 1 */
  size_t *distinct_counts; /* per group */
  size_t distinct_capacity;
  bool counts_rows;
} group_iter;

static void group_free(void *data) {
  group_iter *it = data;
  free(it->distinct_groups);
  free(it->distinct_slots);
  free(it->distinct_counts);
  kz_arena_free(it->arena);
  free(it->keys);
  free(it->aggregators);
  free(it->heads);
  free(it->next);
}

static uint64_t key_hash(const kz_id *key, size_t n) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; i++) {
    h ^= key[i];
    h *= 1099511628211ULL;
    h ^= h >> 29;
  }
  return h;
}

static bool rehash(group_iter *it) {
  size_t buckets = it->bucket_count ? it->bucket_count * 2 : 64;
  size_t *heads = calloc(buckets, sizeof *heads);
  if (!heads)
    return kz_exec_fail(it->base.exec, KZ_ERR_NOMEM, "out of memory");
  free(it->heads);
  it->heads = heads;
  it->bucket_count = buckets;
  for (size_t g = 0; g < it->group_count; g++) {
    size_t b = key_hash(it->keys + g * it->key_count, it->key_count) & (buckets - 1);
    it->next[g] = heads[b];
    heads[b] = g + 1;
  }
  return true;
}

/* The group of key, created if new: its number, or SIZE_MAX on OOM. */
static size_t group_of(group_iter *it, const kz_id *key) {
  kz_exec *exec = it->base.exec;
  size_t b = it->bucket_count ? key_hash(key, it->key_count) & (it->bucket_count - 1) : 0;
  for (size_t c = it->bucket_count ? it->heads[b] : 0; c; c = it->next[c - 1])
    if (!it->key_count ||
        memcmp(it->keys + (c - 1) * it->key_count, key, it->key_count * sizeof *key) == 0)
      return c - 1;
  if (it->group_count == it->group_capacity) {
    size_t capacity = it->group_capacity ? it->group_capacity * 2 : 16;
    kz_id *keys = realloc(it->keys, capacity * (it->key_count ? it->key_count : 1) * sizeof *keys);
    if (keys)
      it->keys = keys;
    kz_aggregator **aggs = realloc(it->aggregators, capacity * (it->aggregate_count ? it->aggregate_count : 1) * sizeof *aggs);
    if (aggs)
      it->aggregators = aggs;
    size_t *next = realloc(it->next, capacity * sizeof *next);
    if (next)
      it->next = next;
    size_t *counts = realloc(it->distinct_counts, capacity * sizeof *counts);
    if (counts)
      it->distinct_counts = counts;
    if (!keys || !aggs || !next || !counts) {
      kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
      return SIZE_MAX;
    }
    it->group_capacity = capacity;
  }
  size_t g = it->group_count++;
  it->distinct_counts[g] = 0;
  if (it->key_count)
    memcpy(it->keys + g * it->key_count, key, it->key_count * sizeof *key);
  for (size_t a = 0; a < it->aggregate_count; a++) {
    kz_aggregator *agg = kz_aggregator_new(&it->base.op->group.aggregates[a], it->arena);
    if (!agg) {
      kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
      return SIZE_MAX;
    }
    it->aggregators[g * it->aggregate_count + a] = agg;
  }
  if (it->group_count * 2 > it->bucket_count) {
    if (!rehash(it))
      return SIZE_MAX;
  } else {
    b = key_hash(key, it->key_count) & (it->bucket_count - 1);
    it->next[g] = it->heads[b];
    it->heads[b] = g + 1;
  }
  return g;
}

static bool counts_distinct_rows(const kz_alg_aggregate *a) {
  return a->op == KZ_OP_COUNT && !a->arg && a->distinct;
}

static uint64_t row_key_hash(const kz_id *row, size_t width, size_t group) {
  uint64_t h = 1469598103934665603ULL ^ group;
  for (size_t i = 0; i < width; i++) {
    h ^= row[i];
    h *= 1099511628211ULL;
  }
  return h ^ (h >> 31);
}

/* Counts row in group g once: false on OOM. */
static bool count_distinct_row(group_iter *it, size_t g, const kz_id *row) {
  kz_exec *exec = it->base.exec;
  size_t width = exec->width;
  kz_rowbuf *rows = it->distinct_rows;
  if ((rows->count + 1) * 2 > it->distinct_slot_count) {
    size_t count = it->distinct_slot_count ? it->distinct_slot_count * 2 : 64;
    size_t *slots = calloc(count, sizeof *slots);
    if (!slots)
      return kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
    for (size_t r = 0; r < rows->count; r++) {
      size_t j = row_key_hash(kz_rowbuf_at(exec, rows, r), width, it->distinct_groups[r]) & (count - 1);
      while (slots[j])
        j = (j + 1) & (count - 1);
      slots[j] = r + 1;
    }
    free(it->distinct_slots);
    it->distinct_slots = slots;
    it->distinct_slot_count = count;
  }
  size_t mask = it->distinct_slot_count - 1, j = row_key_hash(row, width, g) & mask;
  for (; it->distinct_slots[j]; j = (j + 1) & mask) {
    size_t r = it->distinct_slots[j] - 1;
    if (it->distinct_groups[r] == g &&
        memcmp(kz_rowbuf_at(exec, rows, r), row, width * sizeof *row) == 0)
      return true;
  }
  size_t *groups =
      kz_grow(it->distinct_groups, &it->distinct_capacity, rows->count + 1, sizeof *groups, 64);
  if (!groups)
    return kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
  it->distinct_groups = groups;
  it->distinct_groups[rows->count] = g;
  if (!kz_rowbuf_push(exec, rows, row))
    return false;
  it->distinct_slots[j] = rows->count;
  if (g >= it->group_capacity || !it->distinct_counts)
    return kz_exec_fail(exec, KZ_ERR_INTERNAL, "group counts out of step");
  it->distinct_counts[g]++;
  return true;
}

static void group_open(kz_iter *iter, const kz_id *seed, bool substitute) {
  (void)substitute;
  group_iter *it = (group_iter *)iter;
  kz_exec *exec = iter->exec;
  const kz_alg_op *op = iter->op;
  iter->opens++;
  kz_row_set(exec, it->seed, seed);
  it->group_count = it->position = 0;
  it->distinct_rows->count = 0;
  if (it->distinct_slots)
    memset(it->distinct_slots, 0, it->distinct_slot_count * sizeof *it->distinct_slots);
  if (it->heads)
    memset(it->heads, 0, it->bucket_count * sizeof *it->heads);
  kz_arena_reset(it->arena);
  if (it->key_count == 0 && group_of(it, NULL) == SIZE_MAX)
    return;
  it->input->open(it->input, NULL, false);
  while (it->input->next(it->input)) {
    if (!kz_exec_tick(exec))
      return;
    const kz_id *row = it->input->row;
    for (size_t k = 0; k < it->key_count; k++) {
      const kz_alg_expr *e = op->group.keys[k].expr;
      it->key[k] = e->op == KZ_OP_VARIABLE ? row[e->term.var]
                                           : kz_exec_value(exec, e, row, iter->graph);
    }
    size_t g = group_of(it, it->key);
    if (g == SIZE_MAX || (it->counts_rows && !count_distinct_row(it, g, row)))
      return;
    if (it->aggregate_count) {
      kz_env_user user;
      kz_expr_env env;
      kz_exec_env(exec, &env, &user, row, iter->graph);
      exec->expr_depth++;
      for (size_t a = 0; a < it->aggregate_count; a++)
        if (!kz_aggregator_add(it->aggregators[g * it->aggregate_count + a], &env)) {
          exec->expr_depth--;
          kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
          return;
        }
      exec->expr_depth--;
      kz_exec_scratch_done(exec);
    }
  }
}

static bool group_next(kz_iter *iter) {
  group_iter *it = (group_iter *)iter;
  kz_exec *exec = iter->exec;
  const kz_alg_op *op = iter->op;
  while (exec->status == KZ_OK && it->position < it->group_count) {
    size_t g = it->position++;
    memset(iter->row, 0, exec->width * sizeof *iter->row);
    for (size_t k = 0; k < it->key_count; k++)
      iter->row[op->group.keys[k].var] = it->keys[g * it->key_count + k];
    for (size_t a = 0; a < it->aggregate_count; a++) {
      kz_term value;
      if (counts_distinct_rows(&op->group.aggregates[a])) {
        char digits[32];
        snprintf(digits, sizeof digits, "%zu", it->distinct_counts[g]);
        kz_term count = {KZ_TERM_LITERAL, digits, NULL, KZ_XSD_NS "integer"};
        iter->row[op->group.aggregates[a].var] = kz_exec_intern(exec, &count);
      } else if (kz_aggregator_result(it->aggregators[g * it->aggregate_count + a], exec->scratch, &value))
        iter->row[op->group.aggregates[a].var] = kz_exec_intern(exec, &value);
    }
    kz_exec_scratch_done(exec);
    if (exec->status != KZ_OK)
      return false;
    if (!kz_row_merge(iter->row, it->seed, exec->width))
      continue;
    iter->rows_out++;
    exec->solution_counter++;
    return true;
  }
  return false;
}

kz_iter *kz_group_new(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph) {
  group_iter *it = kz_arena_alloc(exec->arena, sizeof *it);
  if (!it || !kz_iter_init(&it->base, exec, op, graph, "group (hash)") ||
      !(it->seed = kz_row_new(exec)) || !(it->arena = kz_arena_new()) ||
      !kz_exec_on_free(exec, group_free, it)) {
    if (it && it->arena && !exec->cleanups)
      kz_arena_free(it->arena);
    kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
    return NULL;
  }
  it->key_count = op->group.key_count;
  it->aggregate_count = op->group.aggregate_count;
  for (size_t a = 0; a < it->aggregate_count; a++)
    it->counts_rows |= counts_distinct_rows(&op->group.aggregates[a]);
  if (!(it->distinct_rows = kz_rowbuf_new(exec)))
    return NULL;
  it->key = kz_arena_alloc(exec->arena, (it->key_count + 1) * sizeof *it->key);
  it->input = kz_plan(exec, op->input, graph);
  if (!it->key || !it->input)
    return NULL;
  it->base.children[0] = it->input;
  it->base.open = group_open;
  it->base.next = group_next;
  for (size_t k = 0; k < it->key_count; k++) {
    const kz_alg_expr *e = op->group.keys[k].expr;
    kz_varset_add(&it->base.maybe, op->group.keys[k].var);
    if (e->op == KZ_OP_VARIABLE && kz_varset_has(&it->input->certain, e->term.var))
      kz_varset_add(&it->base.certain, op->group.keys[k].var);
  }
  for (size_t a = 0; a < it->aggregate_count; a++) {
    kz_varset_add(&it->base.maybe, op->group.aggregates[a].var);
    if (op->group.aggregates[a].op == KZ_OP_COUNT)
      kz_varset_add(&it->base.certain, op->group.aggregates[a].var);
  }
  /* accept stays empty: a seed would change the groups. */
  it->base.estimate = it->key_count ? it->input->estimate / 4 + 1 : 1;
  return &it->base;
}

/* ---- ORDER BY -------------------------------------------------------------------- */

/* A record is a solution, then its sort keys, then its input position. */
typedef struct order_iter {
  kz_iter base;
  kz_iter *input;
  size_t condition_count;
  long long limit; /* keep this many at most; -1: all */
  size_t record_width;
  kz_id *records;
  size_t *order; /* record numbers: sorted, or a heap while reading */
  size_t count, capacity, position;
  kz_id *seed;
  kz_id *record; /* scratch */
} order_iter;

static void order_free(void *data) {
  order_iter *it = data;
  free(it->records);
  free(it->order);
}

static kz_id *record_at(order_iter *it, size_t i) { return it->records + i * it->record_width; }

/* Compares two records by the conditions, then by input position. */
static int compare_records(order_iter *it, const kz_id *a, const kz_id *b) {
  kz_exec *exec = it->base.exec;
  const kz_alg_op *op = it->base.op;
  for (size_t c = 0; c < it->condition_count; c++) {
    kz_id x = a[exec->width + c], y = b[exec->width + c];
    if (x == y)
      continue;
    int r = kz_term_order(kz_exec_term(exec, x), kz_exec_term(exec, y));
    if (r != 0)
      return op->order.conditions[c].descending ? -r : r;
  }
  kz_id pa = a[exec->width + it->condition_count], pb = b[exec->width + it->condition_count];
  return pa < pb ? -1 : pa > pb;
}

static int compare_at(order_iter *it, size_t i, size_t j) {
  return compare_records(it, record_at(it, it->order[i]), record_at(it, it->order[j]));
}

static void swap_at(order_iter *it, size_t i, size_t j) {
  size_t t = it->order[i];
  it->order[i] = it->order[j];
  it->order[j] = t;
}

/* The bounded heap keeps the `limit` smallest records, the largest on top. */
static void sift_down(order_iter *it, size_t i, size_t n) {
  for (;;) {
    size_t largest = i, l = 2 * i + 1, r = l + 1;
    if (l < n && compare_at(it, l, largest) > 0)
      largest = l;
    if (r < n && compare_at(it, r, largest) > 0)
      largest = r;
    if (largest == i)
      return;
    swap_at(it, i, largest);
    i = largest;
  }
}

static void sift_up(order_iter *it, size_t i) {
  while (i > 0 && compare_at(it, i, (i - 1) / 2) > 0) {
    swap_at(it, i, (i - 1) / 2);
    i = (i - 1) / 2;
  }
}

static _Thread_local order_iter *sorting;

static int compare_numbers(const void *x, const void *y) {
  return compare_records(sorting, record_at(sorting, *(const size_t *)x),
                         record_at(sorting, *(const size_t *)y));
}

static bool order_add(order_iter *it, size_t position) {
  kz_exec *exec = it->base.exec;
  const kz_alg_op *op = it->base.op;
  kz_id *rec = it->record;
  for (size_t c = 0; c < it->condition_count; c++) {
    const kz_alg_expr *e = op->order.conditions[c].expr;
    rec[exec->width + c] = e->op == KZ_OP_VARIABLE ? rec[e->term.var]
                                                   : kz_exec_value(exec, e, rec, it->base.graph);
  }
  rec[exec->width + it->condition_count] = (kz_id)position;
  if (exec->status != KZ_OK)
    return false;
  size_t bounded = it->limit >= 0 ? (size_t)it->limit : SIZE_MAX;
  if (bounded == 0)
    return true;
  if (it->count < bounded) {
    if (it->count == it->capacity) {
      size_t capacity = it->capacity ? it->capacity * 2 : 64;
      kz_id *records = realloc(it->records, capacity * it->record_width * sizeof *records);
      if (records)
        it->records = records;
      size_t *order = realloc(it->order, capacity * sizeof *order);
      if (order)
        it->order = order;
      if (!records || !order)
        return kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
      it->capacity = capacity;
    }
    memcpy(record_at(it, it->count), rec, it->record_width * sizeof *rec);
    it->order[it->count] = it->count;
    it->count++;
    if (it->limit >= 0)
      sift_up(it, it->count - 1);
    return true;
  }
  /* A full heap: replace its largest record if this one is smaller. */
  kz_id *top = record_at(it, it->order[0]);
  if (compare_records(it, rec, top) >= 0)
    return true;
  memcpy(top, rec, it->record_width * sizeof *rec);
  sift_down(it, 0, it->count);
  return true;
}

static void order_open(kz_iter *iter, const kz_id *seed, bool substitute) {
  order_iter *it = (order_iter *)iter;
  kz_exec *exec = iter->exec;
  iter->opens++;
  kz_row_set(exec, it->seed, seed);
  it->count = it->position = 0;
  kz_id *child_seed = it->record; /* free until the first solution */
  kz_iter_open_child(it->input, it->seed, substitute, child_seed);
  size_t position = 0;
  while (it->input->next(it->input)) {
    if (!kz_exec_tick(exec))
      return;
    memcpy(it->record, it->input->row, exec->width * sizeof *it->record);
    if (!kz_row_merge(it->record, it->seed, exec->width))
      continue;
    if (!order_add(it, position++))
      return;
  }
  if (exec->status != KZ_OK || it->count == 0)
    return;
  sorting = it;
  qsort(it->order, it->count, sizeof *it->order, compare_numbers);
  sorting = NULL;
}

static bool order_next(kz_iter *iter) {
  order_iter *it = (order_iter *)iter;
  if (iter->exec->status != KZ_OK || it->position >= it->count)
    return false;
  memcpy(iter->row, record_at(it, it->order[it->position++]), iter->exec->width * sizeof *iter->row);
  iter->rows_out++;
  return true;
}

kz_iter *kz_order_new(kz_exec *exec, const kz_alg_op *op, const kz_active_graph *graph,
                      long long limit) {
  order_iter *it = kz_arena_alloc(exec->arena, sizeof *it);
  if (!it || !kz_iter_init(&it->base, exec, op, graph, limit >= 0 ? "order (top-k heap)" : "order (sort)") ||
      !(it->seed = kz_row_new(exec)) || !kz_exec_on_free(exec, order_free, it)) {
    kz_exec_fail(exec, KZ_ERR_NOMEM, "out of memory");
    return NULL;
  }
  it->condition_count = op->order.count;
  it->limit = limit;
  it->record_width = exec->width + it->condition_count + 1;
  it->record = kz_arena_alloc(exec->arena, it->record_width * sizeof *it->record);
  it->input = kz_plan(exec, op->input, graph);
  if (!it->record || !it->input)
    return NULL;
  it->base.children[0] = it->input;
  it->base.open = order_open;
  it->base.next = order_next;
  kz_varset_copy(&it->base.certain, &it->input->certain);
  kz_varset_copy(&it->base.maybe, &it->input->maybe);
  kz_varset_copy(&it->base.accept, &it->input->accept);
  it->base.estimate = it->input->estimate;
  if (limit >= 0 && it->base.estimate > (double)limit)
    it->base.estimate = (double)limit;
  return &it->base;
}
