/*
 * fuzz_pagexml.c - libFuzzer harness of the PAGE-XML layout reader.
 *
 *   LLVMFuzzerTestOneInput()  the input as a PAGE-XML file
 *
 * wq_layout_read() reads layouts a person corrected, in warraq's tools or
 * elsewhere (Transkribus, eScriptorium), before warraq-layout keeps them
 * and warraq-ocr reads their lines: whatever the file, every region and
 * line it gives lies on the page, its kind and script are known values,
 * and a layout read back is written again and read the same.
 */
#include <stdlib.h>
#include <unistd.h>

#include "wq.h"
#include "fuzz.h"

static void
check_box(const struct wq_box *b, const struct wq_layout *L)
{
	if (b->x0 < 0 || b->y0 < 0 || b->x1 > L->width || b->y1 > L->height ||
	    b->x0 > b->x1 || b->y0 > b->y1)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char      *path = fuzz_file(data, size);
	struct wq_layout L, M;
	char             err[256], out[] = "/tmp/fuzz_pagexml.XXXXXX";
	size_t           i, j, n = 0;
	int              fd;

	if (wq_layout_read(path, &L, err, sizeof(err)) == 0) {
		for (i = 0; i < L.nr; i++) {
			if (L.r[i].kind > WQ_R_UNREAD ||
			    L.r[i].script > WQ_SCRIPT_ARABIC)
				abort();
			check_box(&L.r[i].b, &L);
			for (j = 0; j < L.r[i].nl; j++, n++) {
				if (L.r[i].l[j].script > WQ_SCRIPT_ARABIC)
					abort();
				check_box(&L.r[i].l[j].b, &L);
			}
		}
		/* written and read again: the same regions and lines */
		if ((fd = mkstemp(out)) != -1) {
			close(fd);
			if (wq_layout_write(out, &L, "warraq-fuzz", 0, err,
			    sizeof(err)) == 0 &&
			    wq_layout_read(out, &M, err, sizeof(err)) == 0) {
				size_t m = 0;

				for (i = 0; i < M.nr; i++)
					m += M.r[i].nl;
				if (M.nr != L.nr || m != n)
					abort();
			}
			wq_layout_free(&M);
			unlink(out);
		}
	}
	wq_layout_free(&L);
	return 0;
}
