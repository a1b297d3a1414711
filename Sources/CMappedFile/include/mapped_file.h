#ifndef PORTFOLIO_MAPPED_FILE_H
#define PORTFOLIO_MAPPED_FILE_H
#include <stddef.h>

/// Maps the first `length` bytes (at least 1) of the open file `fd` read-only, for reading
/// without a copy. NULL on failure, with errno set. While a file is mapped by a thread, a
/// SIGBUS on its pages — the file was cut short by someone else while it was read — does not
/// end the process: the pages from the fault to the end of the mapping read as zeros from then
/// on, and `portfolio_unmap_file` says so. One mapping per thread at a time.
const void *portfolio_map_file(int fd, size_t length);

/// Unmaps what `portfolio_map_file` mapped; 1 when the file was cut short while mapped (some
/// bytes read were zeros standing in for bytes no longer there), else 0.
int portfolio_unmap_file(const void *start, size_t length);

#endif
