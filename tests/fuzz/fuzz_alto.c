/*
 * fuzz_alto.c - libFuzzer harness of the ALTO reader and of the search
 * folding.
 *
 *   LLVMFuzzerTestOneInput()  the input as an ALTO file, and as text cut
 *                             into tokens and folded
 *
 * wq_alto_read() reads bags that may come from elsewhere (warraq-search,
 * warraq-report, warraq-pdf): whatever the file, every word it gives has
 * a text, a box within bounds and a confidence of at most 100.  The input
 * is also tokenized and folded as the search index and its queries are
 * (tokenize(), stages/search/fold.c): every token non-empty, its offsets
 * within the input.
 */
#include <stdlib.h>

#include "wq.h"
#include "fuzz.h"
#include "../../stages/search/search.h"

static int
bounded(int v)
{
	return v >= 0 && v <= 1000000;
}

static int
check_token(void *ctx, const char *tok, size_t len, size_t start, size_t end)
{
	size_t size = *(size_t *)ctx;

	if (tok == NULL || len == 0 || start >= end || end > size)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char    *path = fuzz_file(data, size);
	struct wq_alto t;
	char           err[256];
	size_t         i, j, n = 0;

	wq_alto_read(path, &t, err, sizeof(err));
	for (i = 0; i < t.nl; i++)
		for (j = 0; j < t.l[i].nw; j++, n++) {
			const struct wq_word *w = &t.l[i].w[j];

			if (w->text == NULL || !bounded(w->x) || !bounded(w->y) ||
			    !bounded(w->w) || !bounded(w->h) || !(w->conf <= 100))
				abort();
		}
	if (n != t.nwords || !bounded(t.width) || !bounded(t.height))
		abort();
	wq_alto_free(&t);
	tokenize((const char *)data, size, check_token, &size);
	return 0;
}
