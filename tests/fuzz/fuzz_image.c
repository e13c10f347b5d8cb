/*
 * fuzz_image.c - libFuzzer harness of warraq-ingest's image reader.
 *
 *   LLVMFuzzerTestOneInput()  sniff, count and read every image of a file
 *
 * The input goes through ri_sniff(), ri_count() and ri_read() as ingest
 * calls them, and the metadata through jansson as the sidecar would.  The
 * pixel limit is far below ingest's default so that a valid but large
 * image costs a rejection, not the fuzzer's memory limit; at most four
 * images of a multi-page file are read.
 */
#include <stdlib.h>

#include "wq.h"
#include "readimage.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int       quiet;
	struct ri_limits lim = { 4e6, 300 };
	const char      *path = fuzz_file(data, size);
	enum ri_format   fmt;
	char             err[512];
	int              count = 0, i;

	if (!quiet) {
		ri_quiet();
		quiet = 1;
	}
	if ((fmt = ri_sniff(path)) == RI_UNKNOWN)
		return 0;
	if (ri_count(path, fmt, &count, err, sizeof(err)) == -1)
		return 0;
	for (i = 0; i < count && i < 4; i++) {
		json_t *meta = json_object();
		PIX    *pix = ri_read(path, fmt, i, &lim, meta, err, sizeof(err));
		char   *s = json_dumps(meta, 0);

		/* the sidecar must always serialise: text fields are cleaned */
		if (s == NULL)
			abort();
		free(s);
		pixDestroy(&pix);
		json_decref(meta);
	}
	return 0;
}
