// Two SHA-256 digests at once with the x86 SHA extensions (see sha256_pair.h).
#include "include/sha256_pair.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

int portfolio_sha256_pair_supported(void) {
  return __builtin_cpu_supports("sha") && __builtin_cpu_supports("sse4.1") && __builtin_cpu_supports("ssse3");
}

static const uint32_t sha256_k[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2};
static const uint32_t sha256_initial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                           0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

#define SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))

// The state (a…h) as the instructions want it: ABEF in one register, CDGH in the other.
SHA_TARGET static inline void sha256_load(const uint32_t *state, __m128i *abef, __m128i *cdgh) {
  __m128i dcba = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)state), 0xB1);
  __m128i efgh = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(state + 4)), 0x1B);
  *abef = _mm_alignr_epi8(dcba, efgh, 8);
  *cdgh = _mm_blend_epi16(efgh, dcba, 0xF0);
}

SHA_TARGET static inline void sha256_store(uint32_t *state, __m128i abef, __m128i cdgh) {
  __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
  __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
  _mm_storeu_si128((__m128i *)state, _mm_blend_epi16(feba, dchg, 0xF0));
  _mm_storeu_si128((__m128i *)(state + 4), _mm_alignr_epi8(dchg, feba, 8));
}

// Four rounds (group g of 16) of one message: w[g % 4] holds its schedule words 4g…4g+3. After
// them, the words of group g + 1 are completed (sha256msg2) and group g − 1's are started
// (sha256msg1) for group g + 3, in the order the instructions need.
#define SHA256_GROUP(g, w, abef, cdgh)                                                                         \
  do {                                                                                                          \
    __m128i m_ = _mm_add_epi32(w[(g) & 3], _mm_loadu_si128((const __m128i *)(sha256_k + 4 * (g))));             \
    cdgh = _mm_sha256rnds2_epu32(cdgh, abef, m_);                                                               \
    abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(m_, 0x0E));                                      \
    if ((g) >= 3 && (g) < 15)                                                                                   \
      w[((g) + 1) & 3] = _mm_sha256msg2_epu32(                                                                  \
        _mm_add_epi32(w[((g) + 1) & 3], _mm_alignr_epi8(w[(g) & 3], w[((g) - 1) & 3], 4)), w[(g) & 3]);         \
    if ((g) >= 1 && (g) <= 12) w[((g) - 1) & 3] = _mm_sha256msg1_epu32(w[((g) - 1) & 3], w[(g) & 3]);           \
  } while (0)

SHA_TARGET static inline void sha256_words(const uint8_t *block, __m128i *w) {
  const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  for (int i = 0; i < 4; i++) w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 16 * i)), swap);
}

// `blocks` 64-byte blocks of one message.
SHA_TARGET static void sha256_blocks(uint32_t *state, const uint8_t *bytes, size_t blocks) {
  __m128i abef, cdgh;
  sha256_load(state, &abef, &cdgh);
  for (size_t b = 0; b < blocks; b++, bytes += 64) {
    __m128i abef_before = abef, cdgh_before = cdgh, w[4];
    sha256_words(bytes, w);
#pragma GCC unroll 16
    for (int g = 0; g < 16; g++) SHA256_GROUP(g, w, abef, cdgh);
    abef = _mm_add_epi32(abef, abef_before);
    cdgh = _mm_add_epi32(cdgh, cdgh_before);
  }
  sha256_store(state, abef, cdgh);
}

// `blocks` 64-byte blocks of each of two messages, their rounds interleaved.
SHA_TARGET static void sha256_blocks_pair(uint32_t *state_a, const uint8_t *a, uint32_t *state_b, const uint8_t *b,
                                          size_t blocks) {
  __m128i abef_a, cdgh_a, abef_b, cdgh_b;
  sha256_load(state_a, &abef_a, &cdgh_a);
  sha256_load(state_b, &abef_b, &cdgh_b);
  for (size_t n = 0; n < blocks; n++, a += 64, b += 64) {
    __m128i before[4] = {abef_a, cdgh_a, abef_b, cdgh_b}, wa[4], wb[4];
    sha256_words(a, wa);
    sha256_words(b, wb);
#pragma GCC unroll 16
    for (int g = 0; g < 16; g++) {
      SHA256_GROUP(g, wa, abef_a, cdgh_a);
      SHA256_GROUP(g, wb, abef_b, cdgh_b);
    }
    abef_a = _mm_add_epi32(abef_a, before[0]);
    cdgh_a = _mm_add_epi32(cdgh_a, before[1]);
    abef_b = _mm_add_epi32(abef_b, before[2]);
    cdgh_b = _mm_add_epi32(cdgh_b, before[3]);
  }
  sha256_store(state_a, abef_a, cdgh_a);
  sha256_store(state_b, abef_b, cdgh_b);
}

// The last partial block, the 0x80, the zeros and the length in bits; the digest, big-endian.
static void sha256_finish(uint32_t *state, const uint8_t *bytes, size_t count, uint8_t digest[32]) {
  uint8_t tail[128] = {0};
  size_t full = count / 64 * 64, rest = count - full;
  memcpy(tail, bytes + full, rest);
  tail[rest] = 0x80;
  size_t blocks = rest < 56 ? 1 : 2;
  uint64_t bits = (uint64_t)count * 8;
  for (int i = 0; i < 8; i++) tail[blocks * 64 - 1 - i] = (uint8_t)(bits >> (8 * i));
  sha256_blocks(state, tail, blocks);
  for (int i = 0; i < 8; i++)
    for (int j = 0; j < 4; j++) digest[4 * i + j] = (uint8_t)(state[i] >> (24 - 8 * j));
}

// The SHA-256 of two whole messages: their common full blocks together, the rest apart.
void portfolio_sha256_pair(const uint8_t *a, size_t count_a, const uint8_t *b, size_t count_b, uint8_t digest_a[32],
                           uint8_t digest_b[32]) {
  uint32_t state_a[8], state_b[8];
  memcpy(state_a, sha256_initial, sizeof state_a);
  memcpy(state_b, sha256_initial, sizeof state_b);
  size_t blocks_a = count_a / 64, blocks_b = count_b / 64, common = blocks_a < blocks_b ? blocks_a : blocks_b;
  sha256_blocks_pair(state_a, a, state_b, b, common);
  sha256_blocks(state_a, a + common * 64, blocks_a - common);
  sha256_blocks(state_b, b + common * 64, blocks_b - common);
  sha256_finish(state_a, a, count_a, digest_a);
  sha256_finish(state_b, b, count_b, digest_b);
}

#else
int portfolio_sha256_pair_supported(void) { return 0; }

void portfolio_sha256_pair(const uint8_t *a, size_t count_a, const uint8_t *b, size_t count_b, uint8_t digest_a[32],
                           uint8_t digest_b[32]) {
  (void)a, (void)count_a, (void)b, (void)count_b;
  memset(digest_a, 0, 32);
  memset(digest_b, 0, 32);
}
#endif
