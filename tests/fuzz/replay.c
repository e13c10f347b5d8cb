/*
 * replay.c - runs a fuzz harness on files, without libFuzzer.
 *
 *   main()  LLVMFuzzerTestOneInput() once on each file named
 *
 * Linked with each harness by every build (gcc, ASan), so that the seed
 * corpora and the inputs that once crashed run in `make test` as
 * regression tests (tests/e2e/fuzz_replay.sh).
 */
#include <stdio.h>
#include <stdlib.h>

#include "wq.h"
#include "fuzz.h"

int
main(int argc, char **argv)
{
	int i;

	wq_setprogname("fuzz-replay");
	for (i = 1; i < argc; i++) {
		size_t len;
		char  *buf = wq_read_file(argv[i], 64u << 20, &len);

		if (buf == NULL) {
			wq_warn(argv[i], "cannot read");
			return 2;
		}
		LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
		free(buf);
	}
	return 0;
}
