#ifndef PORTFOLIO_BYTE_SCAN_H
#define PORTFOLIO_BYTE_SCAN_H
#include <stddef.h>
#include <stdint.h>

/// In a JPEG's entropy-coded data, the first index i in [start, end) where bytes[i] is 0xFF and
/// bytes[i + 1] begins a marker — anything but a stuffed 0x00, a restart (0xD0–0xD7) or another
/// 0xFF — reading bytes[i + 1] only when i + 1 < count; `end` when there is none. The bytes are
/// compared 64 at a time: in entropy-coded data a stuffed 0xFF comes every few hundred bytes, so
/// a search that stops at each one (memchr) costs a call per stuffed byte.
size_t portfolio_jpeg_marker(const uint8_t *bytes, size_t count, size_t start, size_t end);

#endif
