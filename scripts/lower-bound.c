// The lower bound of the work the drop contract asks for each upload, and nothing else: read it
// (mapped from 1 MiB), SHA-256, libmagic on its first 64 KiB, and for a PNG the IDAT stream
// inflated to the size IHDR implies. scripts/bench-lower-bound.sh times it against the baselines
// of scripts/bench.sh, in the same run. Environment: NOPNG=1 or NOMAGIC=1 leave that step out.
// A measuring stick for the benchmark corpora, not a validator: it judges nothing.
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

int main(int argc, char **argv) {
  int sniff = getenv("NOMAGIC") == NULL, inflate = getenv("NOPNG") == NULL;
  magic_t magic = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
  if (magic == NULL || magic_load(magic, NULL) != 0) return 2;
  struct libdeflate_decompressor *inflater = libdeflate_alloc_decompressor();
  EVP_MD_CTX *digest = EVP_MD_CTX_new();
  if (inflater == NULL || digest == NULL) return 2;
  size_t capacity = (size_t)1 << 20;
  unsigned char *buffer = malloc(capacity);
  struct buffers buffers = {NULL, NULL, 0, 0};
  unsigned char hash[EVP_MAX_MD_SIZE];
  unsigned int hash_size = 0;
  size_t answers = 0;
  for (int index = 1; index < argc; index++) {
    int fd = open(argv[index], O_RDONLY | O_NOFOLLOW);
    if (fd < 0) continue;
    struct stat info;
    if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
      close(fd);
      continue;
    }
    size_t count = (size_t)info.st_size;
    const unsigned char *bytes = buffer;
    void *mapped = NULL;
    if (count >= capacity) {
      mapped = mmap(NULL, count, PROT_READ, MAP_PRIVATE, fd, 0);
      if (mapped == MAP_FAILED) {
        close(fd);
        continue;
      }
      bytes = mapped;
    } else {
      size_t got = 0;
      ssize_t read_now;
      while (got < count && (read_now = read(fd, buffer + got, count - got)) > 0) got += (size_t)read_now;
      count = got;
    }
    EVP_DigestInit_ex(digest, EVP_sha256(), NULL);
    EVP_DigestUpdate(digest, bytes, count);
    EVP_DigestFinal_ex(digest, hash, &hash_size);
    if (sniff && magic_buffer(magic, bytes, count < 65536 ? count : 65536) != NULL) answers++;
    if (inflate) inflate_png(bytes, count, inflater, &buffers);
    if (mapped != NULL) munmap(mapped, count);
    close(fd);
  }
  return answers == (size_t)-1;
}
