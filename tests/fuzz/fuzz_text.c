/*
 * fuzz_text.c - libFuzzer harness of the ground-truth text measures.
 *
 *   LLVMFuzzerTestOneInput()  a reference and a text, split at the first NUL
 *
 * The two halves are read back from a file as warraq-eval reads ground
 * truth (wq_read_file), decoded, scripted, and compared by wq_cer() and
 * wq_wer(), whose results must be rates a report can show.  Inputs are
 * bounded (-max_len) as Levenshtein is quadratic.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wq.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t    nref = nul ? (size_t)(nul - data) : size, len, n, i, d, rl;
	char     *ref, *hyp;
	unsigned *cp;
	double    cer, wer;

	ref = wq_read_file(fuzz_file(data, nref), 1 << 20, &len);
	if (ref == NULL || len != nref)
		abort();
	hyp = wq_xmalloc(size - nref + 1);
	memcpy(hyp, nul ? nul + 1 : data + size, nul ? size - nref - 1 : 0);
	hyp[nul ? size - nref - 1 : 0] = '\0';

	cp = wq_utf8_decode(ref, len, &n);
	if (n > len)
		abort();
	for (i = 0; i < n; i++)
		if (cp[i] > 0x10ffff)
			abort();
		else
			(void)wq_script_of(cp[i]);
	free(cp);
	cer = wq_cer(ref, hyp, &d, &rl);
	if (!isfinite(cer) || cer < 0 || (rl > 0 && cer != (double)d / rl))
		abort();
	wer = wq_wer(ref, hyp, &d, &rl);
	if (!isfinite(wer) || wer < 0)
		abort();
	free(ref);
	free(hyp);
	return 0;
}
