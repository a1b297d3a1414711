// A fault-injection shim for the isolation tests (LD_PRELOAD; built by the tests with gcc).
// It stands in for libmagic's magic_buffer: a buffer holding one of the markers below makes
// the calling process fail the way a defective C library would; any other buffer goes to the
// real libmagic, so every other file gets its usual answer.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int holds(const void *buffer, size_t length, const char *marker) {
  return memmem(buffer, length, marker, strlen(marker)) != NULL;
}

const char *magic_buffer(void *cookie, const void *buffer, size_t length) {
  if (holds(buffer, length, "FAULT:SEGV")) raise(SIGSEGV);
  if (holds(buffer, length, "FAULT:ABRT")) abort();
  // A SIGBUS that is no mapped upload's (sent, not a fault): the mapping's handler must leave
  // it to what would have happened without it.
  if (holds(buffer, length, "FAULT:SIGBUS")) raise(SIGBUS);
  if (holds(buffer, length, "FAULT:SPIN")) {
    for (volatile unsigned long spin = 0;; spin++) {}
  }
  if (holds(buffer, length, "FAULT:STALL")) {
    for (;;) pause();
  }
  if (holds(buffer, length, "FAULT:MEMORY")) {
    // Allocate and touch 16 MiB blocks until the address-space limit refuses one, then give
    // up like a C library out of memory: free what it took and report an error.
    void *blocks[4096];
    int count = 0;
    while (count < 4096) {
      void *block = malloc(16 << 20);
      if (block == NULL) break;
      memset(block, 1, 16 << 20);
      blocks[count++] = block;
    }
    while (count > 0) free(blocks[--count]);
    return NULL;
  }
  const char *(*real)(void *, const void *, size_t) =
      (const char *(*)(void *, const void *, size_t))dlsym(RTLD_NEXT, "magic_buffer");
  return real(cookie, buffer, length);
}
