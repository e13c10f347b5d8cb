/*
 * text.c - measuring OCR text against ground truth.
 *
 *   wq_utf8_decode()  UTF-8 to code points (bad bytes become U+FFFD)
 *   wq_cer()          character error rate of a text against a reference
 *
 * Both texts have their white space collapsed to single spaces and trimmed
 * first: line breaks depend on layout, not on recognition.  The distance
 * is Levenshtein's over code points, so an Arabic letter counts once.
 */
#include <stdlib.h>
#include <string.h>

#include "wq.h"

/* wq_utf8_decode: returns a new array of *np code points. */
unsigned *
wq_utf8_decode(const char *s, size_t len, size_t *np)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned *cp = wq_xmalloc((len + 1) * sizeof(unsigned));
	size_t    i = 0, n = 0, k, j;

	while (i < len) {
		unsigned c = u[i];

		if (c < 0x80)
			k = 1;
		else if (c >= 0xc2 && c <= 0xdf)
			k = 2, c &= 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			k = 3, c &= 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			k = 4, c &= 0x07;
		else
			k = 0;
		for (j = 1; k > 0 && j < k; j++) {
			if (i + j >= len || (u[i + j] & 0xc0) != 0x80) {
				k = 0;
				break;
			}
			c = (c << 6) | (u[i + j] & 0x3f);
		}
		if (k == 0) {
			cp[n++] = 0xfffd;
			i++;
			continue;
		}
		cp[n++] = c;
		i += k;
	}
	*np = n;
	return cp;
}

static int
is_space(unsigned c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xa0 ||
	    c == 0x200f || c == 0x200e || c == '\f' || c == '\v';
}

/* collapse: white space runs to one space, trimmed, in place. */
static size_t
collapse(unsigned *cp, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
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

/*
 * wq_cer: edit distance / reference length; *distp and *reflenp (may be
 * NULL) get the two numbers.  An empty reference gives 0 if the text is
 * empty too, else 1.
 */
double
wq_cer(const char *ref, const char *hyp, size_t *distp, size_t *reflenp)
{
	size_t    nr, nh, i, j, *row, d;
	unsigned *r = wq_utf8_decode(ref, strlen(ref), &nr);
	unsigned *h = wq_utf8_decode(hyp, strlen(hyp), &nh);

	nr = collapse(r, nr);
	nh = collapse(h, nh);
	row = wq_xmalloc((nh + 1) * sizeof(size_t));
	for (j = 0; j <= nh; j++)
		row[j] = j;
	for (i = 1; i <= nr; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= nh; j++) {
			size_t up = row[j], best = diag + (r[i - 1] != h[j - 1]);

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
	free(r);
	free(h);
	if (distp != NULL)
		*distp = d;
	if (reflenp != NULL)
		*reflenp = nr;
	if (nr == 0)
		return nh == 0 ? 0.0 : 1.0;
	return (double)d / (double)nr;
}
