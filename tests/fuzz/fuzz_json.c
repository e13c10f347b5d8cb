/*
 * fuzz_json.c - libFuzzer harness of the JSON sidecar readers.
 *
 *   LLVMFuzzerTestOneInput()  the input as a page's and a document's sidecar
 *
 * A work directory is made once, its sidecars WORK/ocr/d/0001.json and
 * WORK/pdf/d.json links to the input's file, and wq_page_state() and
 * wq_doc_state() judge them as the driver and the stages do.  The input is
 * also passed through wq_json_textn(), which must always give a string
 * that serialises and reads back.
 */
#include <stdlib.h>
#include <string.h>

#include "wq.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char      sha[] =
	    "0000000000000000000000000000000000000000000000000000000000000000";
	struct wq_page   page = { "d", "0001", "/s/d.tif", 0, "", "ok", "full" };
	struct wq_pages  pp = { &page, 1, 1 };
	static const char *const rel[] =
	    { "ocr/d/0001.json", "pdf/d.json", NULL };
	const char      *path = fuzz_file(data, size);
	const char      *work = fuzz_work(path, rel);
	json_t          *j, *back;
	char            *s, *why;

	memcpy(page.sha256, sha, sizeof(sha));
	j = wq_json_read(path);
	json_decref(j);
	wq_page_state(work, "ocr", &page, &why);
	free(why);
	wq_doc_state(work, "pdf", &pp, "d", &why);
	free(why);

	j = wq_json_textn((const char *)data, size, 256);
	if (j == NULL || json_string_length(j) > 256)
		abort();
	s = json_dumps(j, JSON_ENCODE_ANY);
	back = s ? json_loads(s, JSON_DECODE_ANY, NULL) : NULL;
	if (back == NULL || !json_equal(j, back))
		abort();
	free(s);
	json_decref(back);
	json_decref(j);
	return 0;
}
