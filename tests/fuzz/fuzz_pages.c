/*
 * fuzz_pages.c - libFuzzer harness of the pages.tsv reader.
 *
 *   LLVMFuzzerTestOneInput()  the input as WORK/pages.tsv
 *
 * A work directory is made once with pages.tsv a link to the input's
 * file.  What loads must survive the trip back: each row's escaped
 * fields unescape to what was read, and rows are found by DOC/PAGE.
 */
#include <stdlib.h>
#include <string.h>

#include "wq.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const rel[] = { "pages.tsv", NULL };
	const char     *work;
	struct wq_pages pp = { 0 };
	size_t          i;

	work = fuzz_work(fuzz_file(data, size), rel);
	if (wq_pages_load(work, &pp) == -1)
		return 0;
	for (i = 0; i < pp.n; i++) {
		const struct wq_page *p = &pp.v[i];
		char *e = wq_tsv_escape(p->source), *u = wq_tsv_unescape(e);

		if (u == NULL || strcmp(u, p->source) != 0 ||
		    wq_pages_find(&pp, p->doc, p->page) == NULL)
			abort();
		free(e);
		free(u);
	}
	wq_pages_free(&pp);
	return 0;
}
