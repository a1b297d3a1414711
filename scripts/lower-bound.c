// The lower bound of the work the drop contract asks for each upload, and nothing else: read it
// (mapped from 1 MiB), SHA-256, libmagic on its first 64 KiB, and for a PNG the IDAT stream
// inflated to the size IHDR implies. scripts/bench-lower-bound.sh times it against the baselines
// of scripts/bench.sh, in the same run. Environment: NOPNG=1 or NOMAGIC=1 leave that step out;
// PAIRS=1 hashes the uploads two at a time, their SHA-256 rounds interleaved (the pipeline's own
// Sources/CSHA256Pair, on a CPU with the SHA extensions), and CHECK=1 then compares each digest
// with OpenSSL's (exit 3 on a difference). A measuring stick for the benchmark corpora, not a
// validator: it judges nothing.
#include "../Sources/CSHA256Pair/include/sha256_pair.h"

#include <fcntl.h>
#include <libdeflate.h>
#include <magic.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static uint32_t big_endian_32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

struct buffers {
  unsigned char *joined, *output;
  size_t joined_size, output_size;
};

// Grows `*buffer` to at least `size` bytes (doubling, so that joining a PNG's many IDAT chunks
// copies each byte a bounded number of times); 0 when it cannot.
static int grow(unsigned char **buffer, size_t *capacity, size_t size) {
  if (size <= *capacity) return 1;
  size_t wanted = *capacity * 2 > size ? *capacity * 2 : size;
  unsigned char *bigger = realloc(*buffer, wanted);
  if (bigger == NULL) return 0;
  *buffer = bigger;
  *capacity = wanted;
  return 1;
}

// A PNG's IDAT chunks joined and inflated into a buffer of the size IHDR implies.
static void inflate_png(const unsigned char *bytes, size_t count, struct libdeflate_decompressor *inflater,
                        struct buffers *buffers) {
  if (count < 33 || memcmp(bytes, "\x89PNG\r\n\x1a\n", 8) != 0) return;
  size_t at = 8, joined = 0;
  uint32_t width = 0, height = 0;
  int depth = 0, colour = 0;
  while (at + 12 <= count) {
    uint32_t length = big_endian_32(bytes + at);
    if (length > count - at - 12) break;
    const unsigned char *type = bytes + at + 4, *body = bytes + at + 8;
    if (memcmp(type, "IHDR", 4) == 0 && length >= 13) {
      width = big_endian_32(body);
      height = big_endian_32(body + 4);
      depth = body[8];
      colour = body[9];
    } else if (memcmp(type, "IDAT", 4) == 0) {
      if (!grow(&buffers->joined, &buffers->joined_size, joined + length)) return;
      memcpy(buffers->joined + joined, body, length);
      joined += length;
    }
    at += 12 + (size_t)length;
  }
  int samples = colour == 2 ? 3 : colour == 4 ? 2 : colour == 6 ? 4 : 1;
  size_t expected = (size_t)height * (1 + ((size_t)width * depth * samples + 7) / 8);
  if (expected > ((size_t)1 << 30)) return;
  if (expected + 1 > buffers->output_size) {  // what it held is not needed: no copy
    free(buffers->output);
    buffers->output_size = 0;
    buffers->output = malloc(expected + 1);
    if (buffers->output == NULL) return;
    buffers->output_size = expected + 1;
  }
  size_t consumed = 0, produced = 0;
  libdeflate_zlib_decompress_ex(inflater, buffers->joined, joined, buffers->output, expected + 1, &consumed, &produced);
}

// One upload's bytes: read into `buffer` below `capacity`, mapped from it; `count` 0 and no
// bytes when it cannot be opened or is not a regular file.
struct upload {
  const unsigned char *bytes;
  size_t count;
  void *mapped;
};

static struct upload load(const char *path, unsigned char *buffer, size_t capacity) {
  struct upload upload = {NULL, 0, NULL};
  int fd = open(path, O_RDONLY | O_NOFOLLOW);
  if (fd < 0) return upload;
  struct stat info;
  if (fstat(fd, &info) == 0 && S_ISREG(info.st_mode)) {
    size_t count = (size_t)info.st_size;
    if (count >= capacity) {
      void *mapped = mmap(NULL, count, PROT_READ, MAP_PRIVATE, fd, 0);
      if (mapped != MAP_FAILED) upload = (struct upload){mapped, count, mapped};
    } else {
      size_t got = 0;
      ssize_t read_now;
      while (got < count && (read_now = read(fd, buffer + got, count - got)) > 0) got += (size_t)read_now;
      upload = (struct upload){buffer, got, NULL};
    }
  }
  close(fd);
  return upload;
}

static void release(struct upload *upload) {
  if (upload->mapped != NULL) munmap(upload->mapped, upload->count);
}

static void openssl_sha256(EVP_MD_CTX *digest, const unsigned char *bytes, size_t count, unsigned char *hash) {
  unsigned int hash_size = 0;
  EVP_DigestInit_ex(digest, EVP_sha256(), NULL);
  EVP_DigestUpdate(digest, bytes, count);
  EVP_DigestFinal_ex(digest, hash, &hash_size);
}

int main(int argc, char **argv) {
  int sniff = getenv("NOMAGIC") == NULL, inflate = getenv("NOPNG") == NULL;
  int pairs = getenv("PAIRS") != NULL && portfolio_sha256_pair_supported(), check = getenv("CHECK") != NULL;
  magic_t magic = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
  if (magic == NULL || magic_load(magic, NULL) != 0) return 2;
  struct libdeflate_decompressor *inflater = libdeflate_alloc_decompressor();
  EVP_MD_CTX *digest = EVP_MD_CTX_new();
  if (inflater == NULL || digest == NULL) return 2;
  size_t capacity = (size_t)1 << 20;
  unsigned char *buffers_read[2] = {malloc(capacity), malloc(capacity)};
  struct buffers buffers = {NULL, NULL, 0, 0};
  unsigned char hash[2][EVP_MAX_MD_SIZE], again[EVP_MAX_MD_SIZE];
  size_t answers = 0, differences = 0;
  for (int index = 1; index < argc; index += pairs ? 2 : 1) {
    struct upload uploads[2] = {load(argv[index], buffers_read[0], capacity), {NULL, 0, NULL}};
    int count = 1;
    if (pairs && index + 1 < argc) {
      uploads[1] = load(argv[index + 1], buffers_read[1], capacity);
      count = 2;
    }
    if (count == 2 && uploads[0].bytes != NULL && uploads[1].bytes != NULL) {
      portfolio_sha256_pair(uploads[0].bytes, uploads[0].count, uploads[1].bytes, uploads[1].count, hash[0], hash[1]);
      for (int i = 0; check && i < 2; i++) {
        openssl_sha256(digest, uploads[i].bytes, uploads[i].count, again);
        differences += memcmp(hash[i], again, 32) != 0;
      }
    } else {
      for (int i = 0; i < count; i++)
        if (uploads[i].bytes != NULL) openssl_sha256(digest, uploads[i].bytes, uploads[i].count, hash[i]);
    }
    for (int i = 0; i < count; i++) {
      const unsigned char *bytes = uploads[i].bytes;
      if (bytes == NULL) continue;
      size_t size = uploads[i].count;
      if (sniff && magic_buffer(magic, bytes, size < 65536 ? size : 65536) != NULL) answers++;
      if (inflate) inflate_png(bytes, size, inflater, &buffers);
      release(&uploads[i]);
    }
  }
  if (differences > 0) return 3;
  return answers == (size_t)-1;
}
