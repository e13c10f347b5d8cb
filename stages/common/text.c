/*
 * text.c - measuring OCR text against ground truth.
 *
 *   wq_script_of()    Arabic, Latin or neither, of one code point
 *   wq_wrong_script_lines()
 *                     how many lines of a text are mostly letters of
 *                     the other script (make eval's wrong-script count)
 *   wq_cer()          character error rate of a text against a reference
 *   wq_wer()          word error rate of a text against a reference
 *   wq_eval_page()    CER and WER of a page's OCR text against its
 *                     ground truth (warraq-eval and warraq-report)
 *
 * Both texts are first brought to Unicode NFC (libunistring), stripped of
 * tatweel and bidi control marks (they change the look, not the text),
 * and their white space collapsed to single spaces: line breaks depend on
 * layout, not on recognition.  The distance is Levenshtein's over code
 * points (an Arabic letter counts once) or over words.
 */
#include <stdlib.h>
#include <string.h>

#include <uninorm.h>

#include "wq.h"

/*
 * wq_script_of: the two scripts warraq reads.  Arabic-Indic digits are
 * digits, not Arabic letters: they appear in French text too.
 */
enum wq_script
wq_script_of(unsigned c)
{
	if ((c >= 0x600 && c <= 0x6ff && !(c >= 0x660 && c <= 0x669)) ||
	    (c >= 0x750 && c <= 0x77f) || (c >= 0x8a0 && c <= 0x8ff) ||
	    (c >= 0xfb50 && c <= 0xfdff) || (c >= 0xfe70 && c <= 0xfeff))
		return WQ_SCRIPT_ARABIC;
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= 0xc0 && c <= 0x24f && c != 0xd7 && c != 0xf7))
		return WQ_SCRIPT_LATIN;
	return WQ_SCRIPT_NONE;
}

/*
 * wq_wrong_script_lines: takes a UTF-8 text and the script its lines
 * should be in (Latin or Arabic); returns how many of its lines are
 * mostly letters of the other script: more of them than of want's.  Only
 * lines with at least two letters of either script count, and *nlines
 * (when not NULL) gets their number.  A line of nonsense Latin on an
 * Arabic page, or invented Arabic on a French one, is what it finds.
 */
size_t
wq_wrong_script_lines(const char *text, enum wq_script want, size_t *nlines)
{
	unsigned *cp;
	size_t    n, i, lines = 0, wrong = 0, good = 0, bad = 0;

	cp = wq_utf8_decode(text, strlen(text), &n);
	for (i = 0; i <= n; i++) {
		if (i == n || cp[i] == '\n') {
			if (good + bad >= 2) {
				lines++;
				wrong += bad > good;
			}
			good = bad = 0;
			continue;
		}
		switch (wq_script_of(cp[i])) {
		case WQ_SCRIPT_NONE:
			break;
		default:
			if (wq_script_of(cp[i]) == want)
				good++;
			else
				bad++;
		}
	}
	free(cp);
	if (nlines != NULL)
		*nlines = lines;
	return wrong;
}

static int
is_ignored(unsigned c)
{
	return c == 0x640 || c == 0x61c || c == 0x200e || c == 0x200f ||
	    (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
	    c == 0xfeff;
}

static int
is_space(unsigned c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xa0 ||
	    c == '\f' || c == '\v';
}

/* collapse: white space runs to one space, trimmed, in place. */
static size_t
collapse(unsigned *cp, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (is_ignored(cp[i]))
			continue;
		if (is_space(cp[i])) {
			if (o > 0 && cp[o - 1] != ' ')
				cp[o++] = ' ';
			continue;
		}
		cp[o++] = cp[i];
	}
	if (o > 0 && cp[o - 1] == ' ')
		o--;
	return o;
}

/* canonical: NFC code points, marks removed, white space collapsed. */
static unsigned *
canonical(const char *s, size_t *np)
{
	size_t    len = 0;
	uint8_t  *n = u8_normalize(UNINORM_NFC, (const uint8_t *)s, strlen(s),
	    NULL, &len);
	unsigned *cp;

	cp = n != NULL ? wq_utf8_decode((char *)n, len, np) :
	    wq_utf8_decode(s, strlen(s), np);
	free(n);
	*np = collapse(cp, *np);
	return cp;
}

/* levenshtein: edit distance of two sequences, compared by eq(i, j). */
static size_t
levenshtein(size_t nr, size_t nh, int (*eq)(const void *, size_t, size_t),
    const void *ctx)
{
	size_t *row = wq_xmalloc((nh + 1) * sizeof(size_t)), i, j, d;

	for (j = 0; j <= nh; j++)
		row[j] = j;
	for (i = 1; i <= nr; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= nh; j++) {
			size_t up = row[j], best = diag + !eq(ctx, i - 1, j - 1);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	d = row[nh];
	free(row);
	return d;
}

struct seqs {
	const unsigned *r, *h;		/* code points */
	const size_t   *rw, *hw;	/* word starts; the last entry is n + 1 */
};

static int
eq_char(const void *ctx, size_t i, size_t j)
{
	const struct seqs *s = ctx;

	return s->r[i] == s->h[j];
}

static int
eq_word(const void *ctx, size_t i, size_t j)
{
	const struct seqs *s = ctx;
	/* a word ends one before the next word's start (its space) */
	size_t lr = s->rw[i + 1] - s->rw[i] - 1, lh = s->hw[j + 1] - s->hw[j] - 1;

	return lr == lh && memcmp(s->r + s->rw[i], s->h + s->hw[j],
	    lr * sizeof(unsigned)) == 0;
}

/* words: start offsets of the space-separated words of cp (n collapsed). */
static size_t *
words(const unsigned *cp, size_t n, size_t *nwp)
{
	size_t *w = wq_xmalloc((n + 2) * sizeof(size_t)), i, k = 0;

	for (i = 0; i < n; i++)
		if (i == 0 || cp[i - 1] == ' ')
			w[k++] = i;
	w[k] = n + 1;
	*nwp = k;
	return w;
}

static double
rate(size_t d, size_t n, size_t nh, size_t *distp, size_t *reflenp)
{
	if (distp != NULL)
		*distp = d;
	if (reflenp != NULL)
		*reflenp = n;
	if (n == 0)
		return nh == 0 ? 0.0 : 1.0;
	return (double)d / (double)n;
}

/*
 * wq_cer: edit distance / reference length in characters; *distp and
 * *reflenp (may be NULL) get the two numbers.  An empty reference gives 0
 * if the text is empty too, else 1.
 */
double
wq_cer(const char *ref, const char *hyp, size_t *distp, size_t *reflenp)
{
	size_t      nr, nh, d;
	unsigned   *r = canonical(ref, &nr), *h = canonical(hyp, &nh);
	struct seqs s = { r, h, NULL, NULL };

	d = levenshtein(nr, nh, eq_char, &s);
	free(r);
	free(h);
	return rate(d, nr, nh, distp, reflenp);
}

/* wq_wer: the same over words. */
double
wq_wer(const char *ref, const char *hyp, size_t *distp, size_t *reflenp)
{
	size_t      nr, nh, nwr, nwh, d;
	unsigned   *r = canonical(ref, &nr), *h = canonical(hyp, &nh);
	size_t     *rw = words(r, nr, &nwr), *hw = words(h, nh, &nwh);
	struct seqs s = { r, h, rw, hw };

	d = levenshtein(nwr, nwh, eq_word, &s);
	free(r), free(h), free(rw), free(hw);
	return rate(d, nwr, nwh, distp, reflenp);
}

#define TEXT_MAX (64u << 20)

/*
 * wq_eval_page: the page's OCR text (WORK/ocr/DOC/PAGE.txt) against the
 * ground truth ingest recorded for it.  Returns 1 when measured, 0 when
 * the page has no ground truth, -1 when a file cannot be read (*badpath,
 * if not NULL, gets its name, owned by the caller).
 */
int
wq_eval_page(const char *work, const struct wq_page *p, struct wq_eval *e,
    char **badpath)
{
	char       *ij = wq_sidecar(work, "ingest", p->doc, p->page, "json");
	char       *txt, *ref, *hyp;
	json_t     *j = wq_json_read(ij);
	const char *gt;
	int         r = 1;

	free(ij);
	if (badpath != NULL)
		*badpath = NULL;
	gt = j ? json_string_value(json_object_get(j, "ground_truth")) : NULL;
	if (gt == NULL) {
		json_decref(j);
		return 0;
	}
	txt = wq_sidecar(work, "ocr", p->doc, p->page, "txt");
	ref = wq_read_file(gt, TEXT_MAX, NULL);
	hyp = wq_read_file(txt, TEXT_MAX, NULL);
	if (ref == NULL || hyp == NULL) {
		if (badpath != NULL)
			*badpath = wq_xstrdup(ref == NULL ? gt : txt);
		r = -1;
	} else {
		e->cer = wq_cer(ref, hyp, &e->char_distance, &e->chars);
		e->wer = wq_wer(ref, hyp, &e->word_distance, &e->words);
	}
	free(txt);
	free(ref);
	free(hyp);
	json_decref(j);
	return r;
}
