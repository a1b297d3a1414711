// Byte scans too hot for a loop over Swift buffer subscripts (see byte_scan.h).
#include "byte_scan.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static int begins_marker(uint8_t next) { return next != 0x00 && next != 0xFF && (next < 0xD0 || next > 0xD7); }

size_t portfolio_jpeg_marker(const uint8_t *bytes, size_t count, size_t start, size_t end) {
  // A 0xFF at the last byte of the buffer has no next byte: it begins no marker.
  size_t last = count == 0 ? 0 : count - 1;
  size_t stop = end < last ? end : last;
  size_t i = start;
#if defined(__SSE2__)
  // 64 bytes a round: one test says whether any of them is 0xFF (most rounds: none).
  const __m128i all_ones = _mm_set1_epi8((char)0xFF);
  while (i + 64 <= stop) {
    __m128i a = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(bytes + i)), all_ones);
    __m128i b = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(bytes + i + 16)), all_ones);
    __m128i c = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(bytes + i + 32)), all_ones);
    __m128i d = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(bytes + i + 48)), all_ones);
    if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d))) != 0) {
      uint64_t mask = (uint64_t)(unsigned)_mm_movemask_epi8(a) | (uint64_t)(unsigned)_mm_movemask_epi8(b) << 16
                      | (uint64_t)(unsigned)_mm_movemask_epi8(c) << 32 | (uint64_t)(unsigned)_mm_movemask_epi8(d) << 48;
      while (mask != 0) {
        size_t at = i + (size_t)__builtin_ctzll(mask);
        if (begins_marker(bytes[at + 1])) return at;  // at < stop <= count - 1
        mask &= mask - 1;
      }
    }
    i += 64;
  }
#endif
  for (; i < stop; i++) {
    if (bytes[i] == 0xFF && begins_marker(bytes[i + 1])) return i;
  }
  return end;
}
