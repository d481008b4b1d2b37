/*
 * Raptor worlds, made once and kept for the life of the process, so that
 * libkizuna is safe to use from several threads at once wherever it writes
 * or parses RDF through Raptor.
 *
 * Why never freed. Opening a raptor_world (Raptor 2.0.15, raptor_general.c
 * and raptor_libxml.c) calls libxml2's xmlInitParser, points the calling
 * thread's libxml2 error handlers at the world, and calls
 * curl_global_init; freeing it calls xmlCleanupParser and
 * curl_global_cleanup. xmlCleanupParser tears down libxml2's global state
 * (its thread keys, dictionaries, mutexes): libxml2 documents that in a
 * multithreaded program it "may crash the application if another thread ...
 * is still using libxml2" and should only be called just before exit. So a
 * world made and freed per use, as graph writers once did, broke whatever
 * another thread was doing with libxml2 or Raptor at that moment. Here no
 * world is ever freed: libxml2 is initialised once, on the first world, and
 * never cleaned up. The worlds stay reachable from the statics below, so
 * leak checkers count them as still reachable, not lost.
 *
 * Why a pool and not one world for all writers. A raptor_world is not safe
 * to use from two threads at once: URIs are interned in the world's AVL
 * tree and reference-counted without locks (raptor_uri.c), and serializers
 * take copies of the world's own concept terms by bumping their counts
 * (RDF/XML-abbrev copies rdf:type). So each writer borrows a world of its
 * own (kz_raptor_lease_take) and gives it back when done. The pool grows to
 * the largest number of writers alive at once, and worlds are reused
 * after that. Writer worlds touch neither libxml2's error handlers
 * (RAPTOR_WORLD_FLAG_LIBXML_*_ERROR_SAVE off: writers never use libxml2)
 * nor libcurl (RAPTOR_WORLD_FLAG_WWW_SKIP_INIT_FINISH: they fetch nothing).
 *
 * librdf's world. librdf makes a raptor world of its own for each
 * librdf_world, and frees it (so calls xmlCleanupParser) with it, which
 * happens when the last kz_store is freed. Given one with
 * librdf_world_set_raptor, it uses that one and leaves it alone
 * (librdf_finish_raptor frees only a world it made), so the stores are
 * given the single world below, which keeps Raptor's defaults (librdf may
 * parse RDF/XML through libxml2) and is never freed either.
 *
 * Every world is made under one mutex, so libxml2's first initialisation
 * never runs on two threads at once.
 */
#include <pthread.h>
#include <stdlib.h>

#include "core/raptor_worlds.h"

struct kz_raptor_lease {
  raptor_world *world;
  int *failed;                  /* the borrower's flag, or NULL */
  struct kz_raptor_lease *next; /* the next idle lease */
};

static pthread_mutex_t worlds_lock = PTHREAD_MUTEX_INITIALIZER;
static kz_raptor_lease *idle;      /* under worlds_lock */
static raptor_world *librdf_world; /* under worlds_lock */

static void lease_log(void *user_data, raptor_log_message *message) {
  kz_raptor_lease *lease = user_data;
  if (message->level >= RAPTOR_LOG_LEVEL_ERROR && lease->failed)
    *lease->failed = 1;
}

/* A new opened world; writer: the settings of writer worlds. Called under
 * worlds_lock. */
static raptor_world *open_world(int writer) {
  raptor_world *world = raptor_new_world();
  if (!world)
    return NULL;
  if (writer) {
    raptor_world_set_flag(world, RAPTOR_WORLD_FLAG_LIBXML_GENERIC_ERROR_SAVE, 0);
    raptor_world_set_flag(world, RAPTOR_WORLD_FLAG_LIBXML_STRUCTURED_ERROR_SAVE, 0);
    raptor_world_set_flag(world, RAPTOR_WORLD_FLAG_WWW_SKIP_INIT_FINISH, 1);
  }
  /* A world that fails to open (out of memory) is dropped, not freed:
   * freeing it would call xmlCleanupParser, the very thing avoided here. */
  return raptor_world_open(world) == 0 ? world : NULL;
}

kz_raptor_lease *kz_raptor_lease_take(int *failed) {
  pthread_mutex_lock(&worlds_lock);
  kz_raptor_lease *lease = idle;
  if (lease) {
    idle = lease->next;
  } else if ((lease = calloc(1, sizeof *lease)) != NULL) {
    if ((lease->world = open_world(1)) != NULL) {
      raptor_world_set_log_handler(lease->world, lease, lease_log);
    } else {
      free(lease);
      lease = NULL;
    }
  }
  pthread_mutex_unlock(&worlds_lock);
  if (lease) {
    lease->failed = failed;
    lease->next = NULL;
  }
  return lease;
}

raptor_world *kz_raptor_lease_world(const kz_raptor_lease *lease) { return lease->world; }

void kz_raptor_lease_return(kz_raptor_lease *lease) {
  if (!lease)
    return;
  lease->failed = NULL;
  pthread_mutex_lock(&worlds_lock);
  lease->next = idle;
  idle = lease;
  pthread_mutex_unlock(&worlds_lock);
}

raptor_world *kz_raptor_world_for_librdf(void) {
  pthread_mutex_lock(&worlds_lock);
  if (!librdf_world)
    librdf_world = open_world(0);
  raptor_world *world = librdf_world;
  pthread_mutex_unlock(&worlds_lock);
  return world;
}
