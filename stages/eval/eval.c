/*
 * warraq-eval - character and word error rates against ground truth.
 *
 *   warraq-eval [options] WORK_DIR [DOC/PAGE ...]
 *   warraq-eval --text REFERENCE HYPOTHESIS
 *   warraq-eval --script ara|fra TEXT
 *
 * In a work directory: every page whose source had a NAME.gt.txt beside it
 * (recorded by ingest) is measured against its OCR text; per page and for
 * the batch (total distance over total length) into WORK/eval.json, and
 * as a table on stdout.  With --text: two files, one line
 * "CER WER CHAR_DISTANCE CHARS WORD_DISTANCE WORDS".  With --script: the
 * lines of TEXT in the wrong script for a page in that language (mostly
 * Latin letters on an Arabic page, mostly Arabic on a French one), one
 * line "WRONG LINES" (make eval's wrong-script count).
 * Texts are compared as wq_cer() says: NFC, tatweel and bidi marks
 * removed, white space collapsed.  The quality report uses the same code.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "wq.h"

static const char usage[] = "[options] WORK_DIR [DOC/PAGE ...]\n"
    "       warraq-eval --text REFERENCE HYPOTHESIS\n"
    "       warraq-eval --script ara|fra TEXT";

#define TEXT_MAX (64u << 20)

static int
eval_text(const char *refpath, const char *hyppath)
{
	char  *ref = wq_read_file(refpath, TEXT_MAX, NULL);
	char  *hyp = wq_read_file(hyppath, TEXT_MAX, NULL);
	size_t cd, cn, wd, wn;
	double cer, wer;

	if (ref == NULL || hyp == NULL) {
		wq_warn(ref == NULL ? refpath : hyppath, "cannot read");
		free(ref);
		free(hyp);
		return 1;
	}
	cer = wq_cer(ref, hyp, &cd, &cn);
	wer = wq_wer(ref, hyp, &wd, &wn);
	printf("%.4f %.4f %zu %zu %zu %zu\n", cer, wer, cd, cn, wd, wn);
	free(ref);
	free(hyp);
	return 0;
}

static int
eval_script(const char *lang, const char *path)
{
	enum wq_script want;
	char          *text;
	size_t         lines, wrong;

	if (strcmp(lang, "ara") == 0)
		want = WQ_SCRIPT_ARABIC;
	else if (strcmp(lang, "fra") == 0 || strcmp(lang, "eng") == 0)
		want = WQ_SCRIPT_LATIN;
	else {
		wq_warnx(lang, "unknown language (ara, fra or eng)");
		return 2;
	}
	if ((text = wq_read_file(path, TEXT_MAX, NULL)) == NULL) {
		wq_warn(path, "cannot read");
		return 1;
	}
	wrong = wq_wrong_script_lines(text, want, &lines);
	printf("%zu %zu\n", wrong, lines);
	free(text);
	return 0;
}

/* selected: with no pages named, every page; else the named ones. */
static int
selected(const struct wq_args *a, const struct wq_page *p)
{
	char id[WQ_DOCID_MAX + 16];
	int  k;

	if (a->npos == 1)
		return 1;
	snprintf(id, sizeof(id), "%s/%s", p->doc, p->page);
	for (k = 1; k < a->npos; k++)
		if (strcmp(a->pos[k], id) == 0 || strcmp(a->pos[k], p->doc) == 0)
			return 1;
	return 0;
}

static int
eval_work(const struct wq_args *a)
{
	const char     *work = a->pos[0];
	struct wq_pages pp = { 0 };
	json_t         *pages = json_array(), *out = json_object();
	size_t          i, tcd = 0, tcn = 0, twd = 0, twn = 0, n = 0;
	char           *path;
	int             status = 0;

	if (wq_pages_load(work, &pp) == -1) {
		wq_warn(work, "cannot read pages.tsv");
		return 1;
	}
	printf("%-32s %8s %8s %8s\n", "page", "CER", "WER", "chars");
	for (i = 0; i < pp.n; i++) {
		const struct wq_page *p = &pp.v[i];
		struct wq_eval e;
		char  *bad;
		int    pad;

		if (strcmp(p->status, "ok") != 0 || !selected(a, p))
			continue;
		switch (wq_eval_page(work, p, &e, &bad)) {
		case 0:
			continue;
		case -1:
			wq_warnx(bad, "cannot read; page not measured");
			free(bad);
			status = 1;
			continue;
		}
		tcd += e.char_distance, tcn += e.chars;
		twd += e.word_distance, twn += e.words, n++;
		pad = 27 - (int)strlen(p->doc);
		printf("%s/%s%*s %8.4f %8.4f %8zu\n", p->doc, p->page,
		    pad > 0 ? pad : 0, "", e.cer, e.wer, e.chars);
		json_array_append_new(pages, json_pack("{s:s, s:s, s:f, s:f, "
		    "s:I, s:I, s:I, s:I}", "doc", p->doc, "page", p->page,
		    "cer", e.cer, "wer", e.wer,
		    "char_distance", (json_int_t)e.char_distance,
		    "chars", (json_int_t)e.chars,
		    "word_distance", (json_int_t)e.word_distance,
		    "words", (json_int_t)e.words));
	}
	printf("%-32s %8.4f %8.4f %8zu   (%zu pages)\n", "batch",
	    tcn ? (double)tcd / tcn : 0.0, twn ? (double)twd / twn : 0.0, tcn, n);
	json_object_set_new(out, "pages", pages);
	json_object_set_new(out, "batch", json_pack("{s:I, s:f, s:f, s:I, s:I}",
	    "pages", (json_int_t)n, "cer", tcn ? (double)tcd / tcn : 0.0,
	    "wer", twn ? (double)twd / twn : 0.0, "chars", (json_int_t)tcn,
	    "words", (json_int_t)twn));
	path = wq_xasprintf("%s/eval.json", work);
	if (wq_json_write(path, out) == -1) {
		wq_warn(path, "cannot write");
		status = 1;
	}
	free(path);
	json_decref(out);
	wq_pages_free(&pp);
	return status;
}

int
main(int argc, char **argv)
{
	struct wq_args a;
	int            r;

	if (argc == 4 && strcmp(argv[1], "--text") == 0) {
		wq_setprogname(argv[0]);
		return eval_text(argv[2], argv[3]);
	}
	if (argc == 4 && strcmp(argv[1], "--script") == 0) {
		wq_setprogname(argv[0]);
		return eval_script(argv[2], argv[3]);
	}
	wq_args_parse(&a, argc, argv, usage, 1);
	r = eval_work(&a);
	wq_args_free(&a);
	return r;
}
