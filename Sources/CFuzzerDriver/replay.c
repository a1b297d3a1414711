// The replay driver used when libFuzzer is not linked: every regular file named on the command
// line, or found directly inside a named folder, is given to the callback once. Options that
// begin with '-' (libFuzzer's) are ignored.
#include "CFuzzerDriver.h"

#ifndef PORTFOLIO_LIBFUZZER
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int replay_file(const char *path, int (*callback)(const uint8_t *, size_t)) {
  FILE *file = fopen(path, "rb");
  if (file == NULL) return 1;
  size_t capacity = 1 << 16, size = 0;
  uint8_t *data = malloc(capacity);
  size_t got;
  while (data != NULL && (got = fread(data + size, 1, capacity - size, file)) > 0) {
    size += got;
    if (size == capacity) {
      uint8_t *bigger = realloc(data, capacity * 2);
      if (bigger == NULL) break;
      data = bigger;
      capacity *= 2;
    }
  }
  fclose(file);
  if (data == NULL) return 1;
  callback(data, size);
  free(data);
  return 0;
}

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *, size_t)) {
  int inputs = 0;
  for (int index = 1; index < *argc; index++) {
    const char *path = (*argv)[index];
    struct stat info;
    if (path[0] == '-' || stat(path, &info) != 0) continue;
    if (S_ISREG(info.st_mode)) {
      inputs += replay_file(path, callback) == 0;
    } else if (S_ISDIR(info.st_mode)) {
      DIR *folder = opendir(path);
      struct dirent *entry;
      while (folder != NULL && (entry = readdir(folder)) != NULL) {
        char child[4096];
        if (entry->d_name[0] == '.') continue;
        snprintf(child, sizeof child, "%s/%s", path, entry->d_name);
        if (stat(child, &info) == 0 && S_ISREG(info.st_mode)) inputs += replay_file(child, callback) == 0;
      }
      if (folder != NULL) closedir(folder);
    }
  }
  printf("replayed %d inputs (built without libFuzzer)\n", inputs);
  return 0;
}
#endif
