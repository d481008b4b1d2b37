/*
 * A small HTTP load generator for `kizuna serve` (bench/http/run.sh): N
 * keep-alive connections, each sending GET URL again as soon as its answer
 * is in, for a fixed time, on libcurl's multi interface (one thread). It
 * prints one line:
 *
 *   requests=R failed=F seconds=S rps=X p50_ms=A p99_ms=B
 *
 * A request fails when curl reports an error or the status is not 200.
 * Latencies are per request, from the moment it is handed to curl to the
 * moment its answer is complete; every latency is kept (the runs are short)
 * and sorted for the percentiles.
 *
 * Usage: loadgen URL CONNECTIONS SECONDS [ACCEPT]
 * Build: cc -O2 -o loadgen loadgen.c $(pkg-config --cflags --libs libcurl)
 */
#define _POSIX_C_SOURCE 200809L
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static size_t discard(char *data, size_t size, size_t count, void *user) {
  (void)data;
  (void)user;
  return size * count;
}

typedef struct slot {
  CURL *easy;
  double started;
} slot;

typedef struct latencies {
  double *items;
  size_t count, capacity;
} latencies;

static void keep(latencies *l, double value) {
  if (l->count == l->capacity) {
    l->capacity = l->capacity ? l->capacity * 2 : 4096;
    l->items = realloc(l->items, l->capacity * sizeof *l->items);
    if (!l->items) {
      fprintf(stderr, "loadgen: out of memory\n");
      exit(2);
    }
  }
  l->items[l->count++] = value;
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double percentile(const latencies *l, double p) {
  if (!l->count)
    return 0;
  size_t i = (size_t)(p * (double)(l->count - 1) + 0.5);
  return l->items[i];
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: loadgen URL CONNECTIONS SECONDS [ACCEPT]\n");
    return 2;
  }
  const char *url = argv[1];
  int connections = atoi(argv[2]);
  double seconds = atof(argv[3]);
  if (connections < 1 || seconds <= 0) {
    fprintf(stderr, "loadgen: bad connections or seconds\n");
    return 2;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURLM *multi = curl_multi_init();
  curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)connections);
  struct curl_slist *headers = NULL;
  if (argc > 4) {
    char accept[512];
    snprintf(accept, sizeof accept, "Accept: %s", argv[4]);
    headers = curl_slist_append(headers, accept);
  }
  slot *slots = calloc((size_t)connections, sizeof *slots);
  latencies done = {0};
  long failed = 0;
  double start = now(), end = start + seconds;
  for (int i = 0; i < connections; i++) {
    slots[i].easy = curl_easy_init();
    curl_easy_setopt(slots[i].easy, CURLOPT_URL, url);
    curl_easy_setopt(slots[i].easy, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(slots[i].easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(slots[i].easy, CURLOPT_PRIVATE, &slots[i]);
    curl_easy_setopt(slots[i].easy, CURLOPT_TIMEOUT, 60L);
    slots[i].started = now();
    curl_multi_add_handle(multi, slots[i].easy);
  }
  int running = connections;
  while (running) {
    curl_multi_perform(multi, &running);
    CURLMsg *message;
    int left;
    while ((message = curl_multi_info_read(multi, &left))) {
      if (message->msg != CURLMSG_DONE)
        continue;
      CURL *easy = message->easy_handle;
      slot *s = NULL;
      curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&s);
      long status = 0;
      curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
      double finished = now();
      if (message->data.result != CURLE_OK || status != 200) {
        failed++;
        if (failed <= 5)
          fprintf(stderr, "loadgen: failed: %s (status %ld)\n",
                  curl_easy_strerror(message->data.result), status);
      }
      keep(&done, (finished - s->started) * 1e3);
      curl_multi_remove_handle(multi, easy);
      if (finished < end) {
        s->started = now();
        curl_multi_add_handle(multi, easy);
        running++;
      }
    }
    if (running)
      curl_multi_poll(multi, NULL, 0, 100, NULL);
  }
  double elapsed = now() - start;
  qsort(done.items, done.count, sizeof *done.items, compare);
  printf("requests=%zu failed=%ld seconds=%.2f rps=%.1f p50_ms=%.2f p99_ms=%.2f\n", done.count,
         failed, elapsed, (double)done.count / elapsed, percentile(&done, 0.5),
         percentile(&done, 0.99));
  for (int i = 0; i < connections; i++)
    curl_easy_cleanup(slots[i].easy);
  free(slots);
  free(done.items);
  curl_slist_free_all(headers);
  curl_multi_cleanup(multi);
  curl_global_cleanup();
  return failed ? 1 : 0;
}
