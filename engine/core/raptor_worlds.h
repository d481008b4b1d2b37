/*
 * Every raptor_world of libkizuna, made here and never freed (see
 * raptor_worlds.c for why): one for librdf, and a pool that lends a world to
 * one graph writer at a time. Never installed.
 */
#ifndef KZ_CORE_RAPTOR_WORLDS_H
#define KZ_CORE_RAPTOR_WORLDS_H

#include <raptor2.h>

/* A raptor world lent to one user (a graph writer) until it gives it back. */
typedef struct kz_raptor_lease kz_raptor_lease;

/* Lends an opened world from the pool, making one when none is idle; NULL
 * on out of memory. While it is lent, an error Raptor logs through it sets
 * *failed (when failed is not NULL) to 1. Thread-safe. Give it back with
 * kz_raptor_lease_return, from any thread. */
kz_raptor_lease *kz_raptor_lease_take(int *failed);

/* The world of a lease; borrowed, valid until the lease is given back. */
raptor_world *kz_raptor_lease_world(const kz_raptor_lease *lease);

/* Gives a lease back to the pool. Accepts NULL. The world must be left as
 * it was lent: every serializer, URI and term made in it freed. */
void kz_raptor_lease_return(kz_raptor_lease *lease);

/* The raptor world that librdf's worlds use (librdf_world_set_raptor),
 * made and opened on first call, never freed; NULL on out of memory.
 * Thread-safe; using it is as thread-safe as librdf is (not at all). */
raptor_world *kz_raptor_world_for_librdf(void);

#endif
