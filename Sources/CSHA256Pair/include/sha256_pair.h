#ifndef PORTFOLIO_SHA256_PAIR_H
#define PORTFOLIO_SHA256_PAIR_H
#include <stddef.h>
#include <stdint.h>

/// Whether this CPU has the x86 SHA extensions `portfolio_sha256_pair` needs (SHA, SSE4.1, SSSE3).
int portfolio_sha256_pair_supported(void);

/// The SHA-256 digests of two whole messages, computed together: one message's rounds each wait
/// on the one before (every `sha256rnds2` needs the last one's result), two messages' do not, so
/// on a core that can start a second `sha256rnds2` before the first ends, both take little more
/// than the time of one (on the benchmark VM's AMD EPYC: 3.37 GB/s together against 1.82 for one,
/// OpenSSL's own speed). The common full blocks are hashed together, the rest of the longer one
/// and each padding apart. Only when `portfolio_sha256_pair_supported()`: elsewhere it writes
/// zeros.
void portfolio_sha256_pair(const uint8_t *a, size_t count_a, const uint8_t *b, size_t count_b, uint8_t digest_a[32],
                           uint8_t digest_b[32]);

#endif
