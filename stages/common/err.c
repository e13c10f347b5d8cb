/*
 * err.c - error messages in one format, and allocation that cannot fail.
 *
 *   wq_setprogname(), wq_getprogname()  the name messages start with
 *   wq_warnx(), wq_warn()               "PROG: FILE: reason[: strerror]"
 *   wq_errx()                           the same, then exit(status)
 *   wq_ctl_escape()                     control characters as \n, \xNN,
 *                                       C1 and bidi controls as \uXXXX
 *   wq_full()                           1 if errnum means the disk is full
 *   wq_full_exit()                      say so, exit(WQ_EXIT_FULL)
 *   wq_xmalloc(), wq_xrealloc(), wq_xstrdup(), wq_xasprintf()
 *                                       abort with a message on ENOMEM
 *   wq_utf8_decode()                    UTF-8 to code points (bad bytes
 *                                       become U+FFFD): the escaping here
 *                                       and the measures of text.c use it
 *
 * Like err(3), but with the file first: an operator greps a batch log
 * for a scan's name and finds every complaint about it.  A message is one
 * line of text whatever it quotes: control characters in a file name (a
 * newline, a terminal's escape sequences, C1 controls, bidi overrides
 * that would turn "gpj.tif" around) are written escaped.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wq.h"

static const char *progname = "warraq";

/* wq_setprogname: name is kept, not copied (pass a literal or argv[0]). */
void
wq_setprogname(const char *name)
{
	const char *slash = strrchr(name, '/');

	progname = slash ? slash + 1 : name;
}

const char *
wq_getprogname(void)
{
	return progname;
}

/*
 * wq_ctl_escape: s with everything that could act on a terminal or
 * reorder a line escaped; owned.  C0 controls and DEL as \n, \t, \r or
 * \xNN; bytes that are not UTF-8 (a raw 0x9b is a terminal's CSI) as
 * \xNN; the C1 controls U+0080-U+009F and the bidi controls (embeddings
 * and overrides U+202A-U+202E, isolates U+2066-U+2069, the marks
 * U+200E, U+200F, U+061C) as \uXXXX.  Letters of any script are kept.
 */
char *
wq_ctl_escape(const char *s)
{
	size_t len = strlen(s), i = 0, n, k;
	char  *o = wq_xmalloc(4 * len + 1), *p = o;
	unsigned *cp;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80) {
			if (c == '\n')
				*p++ = '\\', *p++ = 'n';
			else if (c == '\t')
				*p++ = '\\', *p++ = 't';
			else if (c == '\r')
				*p++ = '\\', *p++ = 'r';
			else if (c < 0x20 || c == 0x7f)
				p += sprintf(p, "\\x%02x", c);
			else
				*p++ = (char)c;
			i++;
			continue;
		}
		/* one sequence: its length, and whether it is UTF-8 */
		k = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 :
		    c >= 0xf0 && c <= 0xf4 ? 4 : 1;
		if (i + k > len)
			k = 1;
		cp = wq_utf8_decode(s + i, k, &n);
		if (n != 1 || cp[0] == 0xfffd) {	/* not UTF-8: a byte */
			p += sprintf(p, "\\x%02x", c);
			i++;
		} else if ((cp[0] >= 0x80 && cp[0] <= 0x9f) ||
		    (cp[0] >= 0x202a && cp[0] <= 0x202e) ||
		    (cp[0] >= 0x2066 && cp[0] <= 0x2069) ||
		    cp[0] == 0x200e || cp[0] == 0x200f || cp[0] == 0x61c) {
			p += sprintf(p, "\\u%04x", cp[0]);
			i += k;
		} else {
			memcpy(p, s + i, k);
			p += k;
			i += k;
		}
		free(cp);
	}
	*p = '\0';
	return o;
}

static void
vwarnmsg(const char *file, int errnum, const char *fmt, va_list ap)
{
	char *msg = NULL, *e;

	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	fprintf(stderr, "%s: ", progname);
	if (file != NULL) {
		e = wq_ctl_escape(file);
		fprintf(stderr, "%s: ", e);
		free(e);
	}
	e = wq_ctl_escape(msg != NULL ? msg : fmt);
	fputs(e, stderr);
	free(e);
	free(msg);
	if (errnum != 0)
		fprintf(stderr, ": %s", strerror(errnum));
	fputc('\n', stderr);
}

/* wq_warnx: file may be NULL when the message is about no file. */
void
wq_warnx(const char *file, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnmsg(file, 0, fmt, ap);
	va_end(ap);
}

/* wq_warn: as wq_warnx, with strerror(errno) appended. */
void
wq_warn(const char *file, const char *fmt, ...)
{
	int     errnum = errno;
	va_list ap;

	va_start(ap, fmt);
	vwarnmsg(file, errnum, fmt, ap);
	va_end(ap);
}

/*
 * wq_full: a full file system (or quota) is not a fault of the page being
 * written: every later page would fail the same way.  A stage stops on it
 * with WQ_EXIT_FULL, leaving the page pending, and warraq run stops too.
 */
int
wq_full(int errnum)
{
	return errnum == ENOSPC || errnum == EDQUOT;
}

void
wq_full_exit(const char *work)
{
	wq_errx(WQ_EXIT_FULL, work, "no space left on the work directory's "
	    "file system: stopped, nothing half-written kept; free space and "
	    "run again");
}

void
wq_errx(int status, const char *file, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnmsg(file, 0, fmt, ap);
	va_end(ap);
	exit(status);
}

static void
nomem(void)
{
	fprintf(stderr, "%s: out of memory\n", progname);
	abort();
}

void *
wq_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		nomem();
	return p;
}

void *
wq_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		nomem();
	return p;
}

char *
wq_xstrdup(const char *s)
{
	char *d = strdup(s);

	if (d == NULL)
		nomem();
	return d;
}

char *
wq_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char   *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		nomem();
	va_end(ap);
	return s;
}

/*
 * wq_utf8_decode: returns a new array of *np code points, each a Unicode
 * scalar value: what is not valid UTF-8 becomes U+FFFD, a byte each.
 */
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
		/* overlong forms, surrogates and values past U+10FFFF are
		 * not characters: each of their bytes is one bad byte */
		if ((k == 3 && c < 0x800) || (k == 4 && c < 0x10000) ||
		    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
			k = 0;
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
