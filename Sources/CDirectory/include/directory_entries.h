#ifndef PORTFOLIO_DIRECTORY_ENTRIES_H
#define PORTFOLIO_DIRECTORY_ENTRIES_H
#include <stddef.h>

/// Reads the next entries of the open folder `fd` into `buffer` as `struct linux_dirent64`
/// records (getdents64(2), which glibc declares only for _GNU_SOURCE): the bytes filled, 0 at
/// the end of the folder, -1 with errno set. Unlike `fdopendir`, nothing is checked or changed
/// on the descriptor first (no fstat, no fcntl): listing a folder costs its getdents64 calls.
long portfolio_read_directory(int fd, void *buffer, size_t size);

#endif
