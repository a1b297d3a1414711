#ifndef PORTFOLIO_CFUZZERDRIVER_H
#define PORTFOLIO_CFUZZERDRIVER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's entry point when the program has its own main (libclang_rt.fuzzer_no_main).
/// Without libFuzzer (PORTFOLIO_LIBFUZZER undefined) the same name replays the files and
/// folders named on the command line once each, so the harness builds and runs everywhere.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
