/*
 * fuzz.h - what the fuzz harnesses share.
 *
 *   fuzz_file()  the input as a file: a memfd, named /proc/self/fd/N
 *   fuzz_work()  a work directory whose named files are that input
 *
 * The readers under test take paths, not buffers, as the stages do; a
 * memfd gives them a real file without touching the disk on every run.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *fuzz_file(const uint8_t *data, size_t size);
const char *fuzz_work(const char *input, const char *const *rel);

#endif
