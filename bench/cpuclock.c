/* cpuclock.c: an LD_PRELOAD shim for bench/run.py --clock cpu.
 *
 * kizuna's --time reads CLOCK_MONOTONIC. Under this shim that clock reads
 * the calling thread's CPU time instead, so the load, plan and evaluation
 * times it prints are CPU milliseconds: on a shared machine other processes
 * stretch elapsed time but not the CPU time a query uses. kizuna (and Rasqal
 * in it) evaluates on one thread. The thread's clock, not the process's: once
 * a CPU limit is set (run.py sets one for Rasqal), Linux reads the process
 * clock only to the scheduler tick. Every other clock passes through
 * untouched. Not part of kizuna: it
 * is built by run.py into bench/data/ and loaded only into the processes it
 * times. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <time.h>

typedef int (*clock_gettime_fn)(clockid_t, struct timespec *);

int clock_gettime(clockid_t clock, struct timespec *out) {
  static clock_gettime_fn real;
  if (!real)
    real = (clock_gettime_fn)dlsym(RTLD_NEXT, "clock_gettime");
  if (clock == CLOCK_MONOTONIC)
    clock = CLOCK_THREAD_CPUTIME_ID;
  return real(clock, out);
}
