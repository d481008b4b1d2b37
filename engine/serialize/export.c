/*
 * kz_store_export: the store through a graph writer. Quad formats (N-Quads,
 * TriG, JSON-LD) keep each quad's graph; triple formats write each distinct
 * triple once.
 */
#include <string.h>

#include "core/internal.h"
#include "serialize/serialize.h"
#include "store/graphs.h"

typedef struct export_state {
  kz_graph_writer *writer;
  int quads;
} export_state;

static kz_status export_quad(const kz_term *subject, const kz_term *predicate,
                             const kz_term *object, const kz_term *graph, void *user,
                             kz_error *err) {
  export_state *state = user;
  if (kz_graph_writer_add(state->writer, subject, predicate, object,
                          state->quads ? graph : NULL) != 0)
    return kz_fail(err, KZ_ERR_IO, "output", 0, 0, "cannot write the export");
  return KZ_OK;
}

kz_status kz_store_export(kz_store *store, FILE *out, const char *format,
                          const char *graph, kz_error *err) {
  if (!format)
    format = "turtle";
  if (!kz_graph_format_supported(format))
    return kz_fail(err, KZ_ERR_ARGUMENT, format, 0, 0,
                   "unknown export format (expected turtle, ntriples, nquads, trig, rdfxml or jsonld)");
  export_state state = {kz_graph_writer_new(out, format),
                        strcmp(format, "nquads") == 0 || strcmp(format, "trig") == 0 ||
                            strcmp(format, "jsonld") == 0};
  if (!state.writer)
    return kz_fail(err, KZ_ERR_NOMEM, format, 0, 0, "cannot start the writer");
  kz_status status = kz_store_visit(store, graph, !state.quads, export_quad, &state, err);
  if (kz_graph_writer_finish(state.writer) != 0 && status == KZ_OK)
    status = kz_fail(err, KZ_ERR_IO, "output", 0, 0, "cannot write the export");
  return status;
}
