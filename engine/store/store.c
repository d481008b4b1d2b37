/*
 * Stores: a Redland world, storage and model with contexts, plus a process
 * lock for persistent stores. The default "memory" store is the kizuna
 * storage (kizuna_storage.c), registered with the world when it is made;
 * "hashes" is Redland's hashes storage in memory, kept for comparison.
 *
 * The logger swallows every message (the library never prints): while a
 * capture is active the first error is kept, otherwise messages are dropped.
 *
 * Locking: a persistent store's lock file (PATH.lock) is flock()ed for as
 * long as the store is open, shared for readers and exclusive for writers,
 * never blocking. SQLite's own POSIX locks are a different kind and do not
 * interfere.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/internal.h"
#include "core/raptor_worlds.h"
#include "store/kizuna_storage.h"
#include "store/store_internal.h"

/*
 * One librdf_world for the whole process: Redland's storage modules are
 * registered per world, and a second live world cannot open an "sqlite"
 * storage. Stores share it, counted; it is freed with the last store.
 * Its raptor_world is not its own but the process's (core/raptor_worlds.c),
 * never freed: freeing a raptor world cleans up libxml2's global state,
 * which would break other threads that parse or write RDF at that moment.
 * The logger writes into the capture of the store working on the calling
 * thread (set by kz_store_log_begin).
 */
static pthread_mutex_t world_lock = PTHREAD_MUTEX_INITIALIZER;
static librdf_world *shared_world;
static size_t world_users;
static _Thread_local kz_log_capture *current_capture;

static int log_handler(void *user_data, librdf_log_message *message) {
  (void)user_data;
  kz_log_capture *capture = current_capture;
  if (!capture || !capture->active || capture->have_error)
    return 1;
  if (librdf_log_message_level(message) < LIBRDF_LOG_ERROR)
    return 1;
  raptor_locator *locator = librdf_log_message_locator(message);
  const char *text = librdf_log_message_message(message);
  capture->have_error = 1;
  kz_fail(&capture->error, KZ_ERR_SYNTAX, NULL, locator ? locator->line : 0,
          locator ? locator->column : 0, "%s", text ? text : "unknown error");
  return 1;
}

/* Rasqal, used directly to check queries, logs through its own handler. */
static void rasqal_log_handler(void *user_data, raptor_log_message *message) {
  (void)user_data;
  kz_log_capture *capture = current_capture;
  if (!capture || !capture->active || capture->have_error ||
      message->level < RAPTOR_LOG_LEVEL_ERROR)
    return;
  capture->have_error = 1;
  kz_fail(&capture->error, KZ_ERR_SYNTAX, NULL, message->locator ? message->locator->line : 0,
          message->locator ? message->locator->column : 0, "%s",
          message->text ? message->text : "unknown error");
}

static librdf_world *world_acquire(void) {
  pthread_mutex_lock(&world_lock);
  if (!shared_world) {
    shared_world = librdf_new_world();
    raptor_world *raptor = shared_world ? kz_raptor_world_for_librdf() : NULL;
    if (raptor) /* else librdf makes one of its own */
      librdf_world_set_raptor(shared_world, raptor);
    if (shared_world) {
      librdf_world_set_logger(shared_world, NULL, log_handler);
      librdf_world_open(shared_world);
      rasqal_world_set_log_handler(librdf_world_get_rasqal(shared_world), NULL,
                                   rasqal_log_handler);
      if (kz_storage_register(shared_world) != KZ_OK) {
        librdf_free_world(shared_world);
        shared_world = NULL;
      }
    }
  }
  librdf_world *world = shared_world;
  if (world)
    world_users++;
  pthread_mutex_unlock(&world_lock);
  return world;
}

static void world_release(void) {
  pthread_mutex_lock(&world_lock);
  if (world_users > 0 && --world_users == 0) {
    librdf_free_world(shared_world);
    shared_world = NULL;
  }
  pthread_mutex_unlock(&world_lock);
}

void kz_store_log_begin(kz_store *store) {
  kz_error_clear(&store->log.error);
  store->log.have_error = 0;
  store->log.active = 1;
  current_capture = &store->log;
}

int kz_store_log_end(kz_store *store) {
  store->log.active = 0;
  if (current_capture == &store->log)
    current_capture = NULL;
  return store->log.have_error;
}

/* Takes the store's lock: PATH.lock, flock()ed shared by readers and
 * exclusively by the writer, never waiting. A lock file beside the store
 * (rather than the store file itself) because Redland re-creates a new
 * SQLite file under its name. */
static kz_status lock_store(kz_store *store, const char *path, kz_error *err) {
  char lock_path[4096];
  snprintf(lock_path, sizeof lock_path, "%s.lock", path);
  int fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0 && store->read_only)
    fd = open(lock_path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return kz_fail(err, KZ_ERR_IO, store->spec, 0, 0, "cannot open the lock file %s: %s",
                   lock_path, strerror(errno));
  if (flock(fd, (store->read_only ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0) {
    int saved = errno;
    close(fd);
    if (saved == EWOULDBLOCK)
      return kz_fail(err, KZ_ERR_LOCKED, store->spec, 0, 0,
                     store->read_only ? "store is being written by another process; try again when it is done"
                                      : "store is in use by another process; try again when it is done");
    return kz_fail(err, KZ_ERR_IO, store->spec, 0, 0, "cannot lock: %s", strerror(saved));
  }
  store->lock_fd = fd;
  return KZ_OK;
}

/* Decides whether path is a new store or an existing SQLite file, refusing
 * anything else before Redland or SQLite gets to touch it. */
static kz_status check_store_file(kz_store *store, const char *path, int *is_new,
                                  kz_error *err) {
  struct stat info;
  if (stat(path, &info) != 0) {
    if (errno != ENOENT)
      return kz_fail(err, KZ_ERR_IO, store->spec, 0, 0, "cannot open: %s", strerror(errno));
    if (store->read_only)
      return kz_fail(err, KZ_ERR_NOT_FOUND, store->spec, 0, 0,
                     "no such store (create it with: kizuna load --store %s FILE)", store->spec);
    *is_new = 1;
    return KZ_OK;
  }
  if (!S_ISREG(info.st_mode))
    return kz_fail(err, KZ_ERR_ARGUMENT, store->spec, 0, 0, "not a regular file");
  *is_new = info.st_size == 0;
  if (*is_new)
    return KZ_OK;
  char header[16];
  FILE *f = fopen(path, "rb");
  if (!f)
    return kz_fail(err, KZ_ERR_IO, store->spec, 0, 0, "cannot open: %s", strerror(errno));
  size_t n = fread(header, 1, sizeof header, f);
  fclose(f);
  if (n != sizeof header || memcmp(header, "SQLite format 3", 16) != 0)
    return kz_fail(err, KZ_ERR_ARGUMENT, store->spec, 0, 0,
                   "not an SQLite store file (refusing to touch it)");
  return KZ_OK;
}

/* kizuna:PATH: Kizuna's own storage, saved as one file (index.c's format)
 * that opens by mmap. Readers share the lock, the writer holds it alone;
 * the writer saves with kz_store_save (a new file renamed over the old
 * one, so a crash leaves the old store whole). */
static kz_status open_kizuna_file(kz_store *store, const char *path, kz_error *err) {
  if (!*path)
    return kz_fail(err, KZ_ERR_ARGUMENT, store->spec, 0, 0,
                   "missing file name (expected kizuna:PATH)");
  struct stat info;
  int exists = stat(path, &info) == 0;
  if (!exists && store->read_only)
    return kz_fail(err, KZ_ERR_NOT_FOUND, store->spec, 0, 0,
                   "no such store (create it with: kizuna load --store %s FILE)", store->spec);
  if (exists && !S_ISREG(info.st_mode))
    return kz_fail(err, KZ_ERR_ARGUMENT, store->spec, 0, 0, "not a regular file");
  TRY(lock_store(store, path, err));
  store->storage = librdf_new_storage(store->world, KZ_STORAGE_NAME, "file", NULL);
  if (!store->storage)
    return kz_fail(err, KZ_ERR_INTERNAL, store->spec, 0, 0, "cannot create the storage");
  store->save_path = kz_strdup(path);
  if (!store->save_path)
    return kz_fail(err, KZ_ERR_NOMEM, store->spec, 0, 0, "out of memory");
  if (!exists)
    return KZ_OK;
  kz_index *index = NULL;
  kz_status status = kz_index_open_file(&index, path, err);
  if (status != KZ_OK) {
    /* name the store as the user gave it */
    if (err) {
      char message[sizeof err->message];
      snprintf(message, sizeof message, "%s", err->message);
      kz_fail(err, status, store->spec, 0, 0, "%s", message);
    }
    return status;
  }
  if (kz_storage_adopt_index(store->storage, index) != KZ_OK)
    return kz_fail(err, KZ_ERR_INTERNAL, store->spec, 0, 0, "cannot attach the store file");
  return KZ_OK;
}

kz_status kz_store_save(kz_store *store, kz_error *err) {
  if (!store->save_path || !store->dirty)
    return KZ_OK;
  if (store->read_only)
    return kz_fail(err, KZ_ERR_ARGUMENT, store->spec, 0, 0, "store is open read-only");
  kz_index *index = kz_storage_index(store->storage);
  if (!index)
    return kz_fail(err, KZ_ERR_INTERNAL, store->spec, 0, 0, "not a kizuna storage");
  kz_status status = kz_index_flush(index);
  if (status == KZ_OK)
    status = kz_index_save(index, store->save_path, err);
  if (status == KZ_OK)
    store->dirty = 0;
  else if (err && !err->message[0])
    kz_fail(err, status, store->spec, 0, 0, "cannot save the store");
  return status;
}

static kz_status open_storage(kz_store *store, kz_error *err) {
  const char *spec = store->spec;
  if (strcmp(spec, "memory") == 0) {
    store->storage = librdf_new_storage(store->world, KZ_STORAGE_NAME, "memory", NULL);
  } else if (strcmp(spec, "hashes") == 0) {
    store->storage = librdf_new_storage(store->world, "hashes", "kizuna",
                                        "hash-type='memory',contexts='yes'");
    store->quad_set = kz_strset_new();
    if (!store->quad_set)
      return kz_fail(err, KZ_ERR_NOMEM, spec, 0, 0, "out of memory");
  } else if (strncmp(spec, "kizuna:", 7) == 0) {
    TRY(open_kizuna_file(store, spec + 7, err));
  } else if (strncmp(spec, "sqlite:", 7) == 0) {
    const char *path = spec + 7;
    if (!*path)
      return kz_fail(err, KZ_ERR_ARGUMENT, spec, 0, 0,
                     "missing file name (expected sqlite:PATH)");
    int is_new = 0;
    if (store->read_only)
      TRY(check_store_file(store, path, &is_new, err)); /* no lock file for nothing */
    TRY(lock_store(store, path, err));
    TRY(check_store_file(store, path, &is_new, err));
    if (is_new && store->read_only)
      return kz_fail(err, KZ_ERR_NOT_FOUND, store->spec, 0, 0, "store is empty");
    store->storage = librdf_new_storage(store->world, "sqlite", path,
                                        is_new ? "new='yes',contexts='yes'" : "contexts='yes'");
  } else {
    return kz_fail(err, KZ_ERR_ARGUMENT, spec, 0, 0,
                   "unknown store (expected memory, hashes or sqlite:PATH)");
  }
  if (!store->storage)
    return kz_fail(err, KZ_ERR_IO, spec, 0, 0, "cannot open storage%s%s",
                   store->log.have_error ? ": " : "", store->log.error.message);
  store->model = librdf_new_model(store->world, store->storage, NULL);
  if (!store->model)
    return kz_fail(err, KZ_ERR_INTERNAL, spec, 0, 0, "cannot create a model");
  return KZ_OK;
}

kz_status kz_store_open(kz_store **out, const char *spec,
                        const kz_store_options *options, kz_error *err) {
  *out = NULL;
  kz_store *store = calloc(1, sizeof *store);
  if (!store)
    return kz_fail(err, KZ_ERR_NOMEM, spec, 0, 0, "out of memory");
  store->lock_fd = -1;
  store->read_only = options ? options->read_only : 0;
  store->spec = kz_strdup(spec ? spec : "memory");
  store->world = world_acquire();
  if (!store->spec || !store->world) {
    kz_store_free(store);
    return kz_fail(err, KZ_ERR_NOMEM, spec, 0, 0, "out of memory");
  }
  kz_store_log_begin(store);
  kz_status status = open_storage(store, err);
  kz_store_log_end(store);
  if (status != KZ_OK) {
    kz_store_free(store);
    return status;
  }
  *out = store;
  return KZ_OK;
}

void kz_store_free(kz_store *store) {
  if (!store)
    return;
  if (store->model)
    librdf_free_model(store->model);
  if (store->storage)
    librdf_free_storage(store->storage);
  if (store->world)
    world_release();
  if (store->lock_fd >= 0)
    close(store->lock_fd); /* releases the flock */
  kz_strset_free(store->quad_set);
  kz_index_free(store->snapshot);
  free(store->save_path);
  free(store->spec);
  free(store);
}

void kz_store_changed(kz_store *store) {
  store->dirty = 1;
  kz_index_free(store->snapshot);
  store->snapshot = NULL;
}

/* Copies every quad of the model (with its context) into a new index. The
 * storages Kizuna opens report each statement's context on their serialise
 * streams. */
static kz_status build_snapshot(kz_store *store, kz_index **out, kz_error *err) {
  *out = NULL;
  kz_index *index = NULL;
  if (kz_index_new(&index) != KZ_OK)
    return kz_fail(err, KZ_ERR_NOMEM, store->spec, 0, 0, "out of memory");
  librdf_stream *stream = librdf_model_as_stream(store->model);
  kz_status status = stream ? KZ_OK : KZ_ERR_INTERNAL;
  for (; status == KZ_OK && !librdf_stream_end(stream); librdf_stream_next(stream)) {
    librdf_statement *statement = librdf_stream_get_object(stream);
    librdf_node *context = librdf_stream_get_context2(stream);
    librdf_node *nodes[4] = {librdf_statement_get_subject(statement),
                             librdf_statement_get_predicate(statement),
                             librdf_statement_get_object(statement), context};
    kz_id ids[4] = {KZ_ID_NONE, KZ_ID_NONE, KZ_ID_NONE, KZ_ID_NONE};
    for (int i = 0; status == KZ_OK && i < 4; i++) {
      if (!nodes[i])
        continue;
      kz_term term;
      kz_store_node_to_term(nodes[i], &term);
      status = kz_index_intern(index, &term, &ids[i]);
    }
    if (status == KZ_OK)
      status = kz_index_add(index, ids[0], ids[1], ids[2], ids[3]);
  }
  if (stream)
    librdf_free_stream(stream);
  if (status == KZ_OK)
    status = kz_index_flush(index);
  if (status != KZ_OK) {
    kz_index_free(index);
    return kz_fail(err, status, store->spec, 0, 0,
                   status == KZ_ERR_NOMEM ? "out of memory" : "cannot read the store");
  }
  *out = index;
  return KZ_OK;
}

kz_status kz_store_get_index(kz_store *store, kz_index **out, kz_error *err) {
  *out = NULL;
  kz_index *own = kz_storage_index(store->storage);
  if (own) {
    if (kz_index_flush(own) != KZ_OK)
      return kz_fail(err, KZ_ERR_NOMEM, store->spec, 0, 0, "out of memory");
    *out = own;
    return KZ_OK;
  }
  if (!store->snapshot)
    TRY(build_snapshot(store, &store->snapshot, err));
  *out = store->snapshot;
  return KZ_OK;
}

#define XSD_STRING "http://www.w3.org/2001/XMLSchema#string"
#define RDF_LANGSTRING "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

/* Fills term from node; its strings are borrowed from node. */
void kz_store_node_to_term(librdf_node *node, kz_term *term) {
  memset(term, 0, sizeof *term);
  if (librdf_node_is_resource(node)) {
    term->kind = KZ_TERM_IRI;
    term->value = (const char *)librdf_uri_as_string(librdf_node_get_uri(node));
  } else if (librdf_node_is_blank(node)) {
    term->kind = KZ_TERM_BLANK;
    term->value = (const char *)librdf_node_get_blank_identifier(node);
  } else {
    term->kind = KZ_TERM_LITERAL;
    term->value = (const char *)librdf_node_get_literal_value(node);
    const char *language = librdf_node_get_literal_value_language(node);
    term->language = language && *language ? language : NULL;
    librdf_uri *datatype = librdf_node_get_literal_value_datatype_uri(node);
    const char *dt = datatype ? (const char *)librdf_uri_as_string(datatype) : NULL;
    if (dt && strcmp(dt, XSD_STRING) != 0 && strcmp(dt, RDF_LANGSTRING) != 0)
      term->datatype = dt;
  }
  if (!term->value)
    term->value = "";
}

/* Appends the N-Triples form of a term to buf; returns 0 on failure. */
static int append_term(raptor_stringbuffer *buf, librdf_node *node) {
  if (!node)
    return raptor_stringbuffer_append_string(buf, (const unsigned char *)"-", 1) == 0;
  unsigned char *text = raptor_term_to_string(node);
  if (!text)
    return 0;
  int ok = raptor_stringbuffer_append_string(buf, text, 1) == 0;
  raptor_free_memory(text);
  return ok;
}

char *kz_store_quad_key(librdf_statement *statement, librdf_node *graph) {
  raptor_stringbuffer *buf = raptor_new_stringbuffer();
  if (!buf)
    return NULL;
  int ok = append_term(buf, statement->subject) &&
           raptor_stringbuffer_append_string(buf, (const unsigned char *)" ", 1) == 0 &&
           append_term(buf, statement->predicate) &&
           raptor_stringbuffer_append_string(buf, (const unsigned char *)" ", 1) == 0 &&
           append_term(buf, statement->object) &&
           raptor_stringbuffer_append_string(buf, (const unsigned char *)" ", 1) == 0 &&
           append_term(buf, graph);
  char *key = ok ? kz_strdup((const char *)raptor_stringbuffer_as_string(buf)) : NULL;
  raptor_free_stringbuffer(buf);
  return key;
}
