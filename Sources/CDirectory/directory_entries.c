#define _GNU_SOURCE
#include "directory_entries.h"

#include <dirent.h>
#include <unistd.h>

long portfolio_read_directory(int fd, void *buffer, size_t size) {
  return (long)getdents64(fd, buffer, size);
}
