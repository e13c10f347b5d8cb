/*
 * test_common.c - unit tests of the common library (stages/common).
 *
 *   make build/tests/test_common && CMOCKA_MESSAGE_OUTPUT=TAP build/tests/test_common
 *
 * Every test checks values, not just return codes.  Behaviour known to
 * be wrong in the library is tested by the known_bug_* tests: main()
 * first probes each bug; while it is there the test is left out with a
 * "# SKIP known bug: ..." line (tests/run.sh lists those), and once it is
 * fixed the test runs like any other.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "wq.h"

/* ---- helpers ---- */

static void unquiet(void);

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

/* tmpdir fixture: a fresh directory in *state, removed afterwards. */
static int
tmpdir_setup(void **state)
{
	char *d = wq_xstrdup("/tmp/wq-test-XXXXXX");

	if (mkdtemp(d) == NULL) {
		free(d);
		return -1;
	}
	*state = d;
	return 0;
}

static int
tmpdir_teardown(void **state)
{
	char *d = *state;

	unquiet();
	nftw(d, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(d);
	return 0;
}

static void
put_file(const char *path, const char *s, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(s, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* count_entries: names in dir (dotfiles included, . and .. not). */
static int
count_entries(const char *dir, const char *prefix)
{
	DIR           *d = opendir(dir);
	struct dirent *e;
	int            n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (prefix == NULL || strncmp(e->d_name, prefix, strlen(prefix)) == 0)
			n++;
	}
	closedir(d);
	return n;
}

/* quiet/unquiet: the library's expected warnings kept out of the log */
static int saved_stderr = -1;

static void
quiet(void)
{
	int fd = open("/dev/null", O_WRONLY);

	fflush(stderr);
	saved_stderr = dup(2);
	dup2(fd, 2);
	close(fd);
}

static void
unquiet(void)
{
	if (saved_stderr == -1)
		return;
	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	saved_stderr = -1;
}

/* unquiet_teardown: stderr back even when an assertion jumped out */
static int
unquiet_teardown(void **state)
{
	(void)state;
	unquiet();
	return 0;
}

static int
sign(int x)
{
	return (x > 0) - (x < 0);
}


/* ---- ids.c: natural order ---- */

static void
natcmp_numbers(void **state)
{
	(void)state;
	assert_true(wq_natcmp("2", "10") < 0);
	assert_true(wq_natcmp("10", "2") > 0);
	assert_true(wq_natcmp("page2.tif", "page10.tif") < 0);
	assert_true(wq_natcmp("page10.tif", "page9.tif") > 0);
	assert_true(wq_natcmp("1.tif", "2.tif") < 0);
	assert_true(wq_natcmp("v1.10", "v1.9") > 0);
	assert_true(wq_natcmp("99999999999999999999999", "100000000000000000000000") < 0);
	assert_int_equal(wq_natcmp("scan12", "scan12"), 0);
	assert_int_equal(wq_natcmp("", ""), 0);
	/* letters still compare bytewise */
	assert_true(wq_natcmp("a", "b") < 0);
	assert_true(wq_natcmp("b1", "a2") > 0);
	assert_true(wq_natcmp("page2", "page") > 0);
}

static void
natcmp_leading_zeros(void **state)
{
	(void)state;
	assert_true(wq_natcmp("007", "8") < 0);
	assert_true(wq_natcmp("p010", "p9") > 0);
	assert_true(wq_natcmp("p0002", "p10") < 0);
	assert_true(wq_natcmp("p000", "p1") < 0);
	assert_true(wq_natcmp("0", "00") <= 0 || wq_natcmp("00", "0") <= 0);
}

static void
natcmp_prefix(void **state)
{
	(void)state;
	assert_true(wq_natcmp("abc", "abcd") < 0);
	assert_true(wq_natcmp("abcd", "abc") > 0);
	assert_true(wq_natcmp("", "a") < 0);
	assert_true(wq_natcmp("a", "") > 0);
	assert_true(wq_natcmp("page", "page1") < 0);
	assert_true(wq_natcmp("page1", "page1a") < 0);
	assert_true(wq_natcmp("1", "1.tif") < 0);
}

/* natcmp_order: antisymmetric and transitive over a mixed set. */
static void
natcmp_order(void **state)
{
	static const char *v[] = {
		"", "a", "a1", "a2", "a10", "a010x", "a11", "b", "1", "2", "10",
		"page2.tif", "page10.tif", "page10.tiff", "z9", "z09a", "\xd9\xa1",
	};
	size_t n = sizeof(v) / sizeof(v[0]), i, j, k;

	(void)state;
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			assert_int_equal(sign(wq_natcmp(v[i], v[j])),
			    -sign(wq_natcmp(v[j], v[i])));
			for (k = 0; k < n; k++)
				if (wq_natcmp(v[i], v[j]) < 0 &&
				    wq_natcmp(v[j], v[k]) < 0)
					assert_true(wq_natcmp(v[i], v[k]) < 0);
		}
}

/*
 * Two different names must not compare equal, or qsort() puts "01.tif"
 * and "1.tif" in readdir order and page numbers change from run to run.
 */
static int
natcmp_total_ok(void)
{
	return wq_natcmp("01.tif", "1.tif") != 0 && wq_natcmp("a007", "a7") != 0;
}

static void
known_bug_natcmp_total(void **state)
{
	(void)state;
	assert_int_not_equal(wq_natcmp("01.tif", "1.tif"), 0);
	assert_int_equal(sign(wq_natcmp("01.tif", "1.tif")),
	    -sign(wq_natcmp("1.tif", "01.tif")));
	assert_int_not_equal(wq_natcmp("a007", "a7"), 0);
	assert_int_not_equal(wq_natcmp("p0", "p00"), 0);
	/* numbers first: "01" and "1" still sort before "2" */
	assert_true(wq_natcmp("01.tif", "2.tif") < 0);
	assert_true(wq_natcmp("1.tif", "02.tif") < 0);
}

/* ---- ids.c: document ids ---- */

static void
docid_check(const char *name, const char *want)
{
	char *id = wq_docid_from_name(name);

	assert_non_null(id);
	assert_true(wq_docid_valid(id));
	assert_true(strlen(id) <= WQ_DOCID_MAX);
	assert_int_not_equal(id[0], '.');
	assert_int_not_equal(id[0], '-');
	assert_null(strchr(id, '/'));
	assert_null(strstr(id, ".."));
	if (want != NULL)
		assert_string_equal(id, want);
	free(id);
}

static void
docid_ascii_kept(void **state)
{
	(void)state;
	docid_check("fr-seed", "fr-seed");
	docid_check("Book_001", "Book_001");
	docid_check("ms.2024.v2", "ms.2024.v2");
	docid_check("A", "A");
}

static void
docid_made_safe(void **state)
{
	static const char *bad[] = {
		"my scan", "a/b", "..", "../../etc/passwd", ".hidden", "-rf",
		"tab\there", "new\nline", "\x01\x02\x1f\x7f", "quote\"s'and`",
		"trailing.", "trailing_", "a b/c d", "", " ", "/", "*?<>|:",
		"\xff\xfe", "caf\xc3\xa9", "\xd9\x85\xd8\xae\xd8\xb7\xd9\x88\xd8\xb7",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *id = wq_docid_from_name(bad[i]);

		if (!wq_docid_valid(id))
			fail_msg("name #%zu gives invalid id '%s'", i, id);
		/* an altered name is never left looking unaltered */
		assert_string_not_equal(id, bad[i]);
		free(id);
		docid_check(bad[i], NULL);
	}
	/* the readable part survives */
	{
		char *id = wq_docid_from_name("my scan");

		assert_memory_equal(id, "my_scan-", 8);
		assert_int_equal(strlen(id), 16);
		free(id);
	}
}

static void
docid_arabic_distinct(void **state)
{
	/* "مخطوط" and "رسالة": no ASCII at all */
	char *a = wq_docid_from_name("\xd9\x85\xd8\xae\xd8\xb7\xd9\x88\xd8\xb7");
	char *b = wq_docid_from_name("\xd8\xb1\xd8\xb3\xd8\xa7\xd9\x84\xd8\xa9");
	char *a2 = wq_docid_from_name("\xd9\x85\xd8\xae\xd8\xb7\xd9\x88\xd8\xb7");
	char *c = wq_docid_from_name("a b");
	char *d = wq_docid_from_name("a/b");
	char *e = wq_docid_from_name("a_b");

	(void)state;
	assert_true(wq_docid_valid(a));
	assert_true(wq_docid_valid(b));
	assert_string_not_equal(a, b);
	assert_string_equal(a, a2);	/* deterministic */
	/* names that sanitize alike still differ */
	assert_string_not_equal(c, d);
	assert_string_not_equal(c, e);
	assert_string_not_equal(d, e);
	free(a), free(a2), free(b), free(c), free(d), free(e);
}

static void
docid_length_bounded(void **state)
{
	char long1[1000], long2[1000], ar[1200];
	char *a, *b, *c;
	size_t i;

	(void)state;
	memset(long1, 'x', sizeof(long1) - 1);
	long1[sizeof(long1) - 1] = '\0';
	memcpy(long2, long1, sizeof(long2));
	long2[sizeof(long2) - 2] = 'y';	/* differs only at the end */
	for (i = 0; i + 2 < sizeof(ar); i += 2)
		memcpy(ar + i, "\xd8\xb3", 2);
	ar[i] = '\0';
	a = wq_docid_from_name(long1);
	b = wq_docid_from_name(long2);
	c = wq_docid_from_name(ar);
	assert_true(strlen(a) <= WQ_DOCID_MAX);
	assert_true(strlen(b) <= WQ_DOCID_MAX);
	assert_true(strlen(c) <= WQ_DOCID_MAX);
	assert_true(wq_docid_valid(a) && wq_docid_valid(b) && wq_docid_valid(c));
	assert_string_not_equal(a, b);
	/* exactly 64 plain characters fit as they are? then kept or hashed, but valid */
	memset(long1, 'k', WQ_DOCID_MAX);
	long1[WQ_DOCID_MAX] = '\0';
	free(a);
	a = wq_docid_from_name(long1);
	assert_true(wq_docid_valid(a) && strlen(a) <= WQ_DOCID_MAX);
	free(a), free(b), free(c);
}

static void
docid_valid_rejects(void **state)
{
	char big[WQ_DOCID_MAX + 2];

	(void)state;
	assert_false(wq_docid_valid(""));
	assert_false(wq_docid_valid("."));
	assert_false(wq_docid_valid(".."));
	assert_false(wq_docid_valid(".x"));
	assert_false(wq_docid_valid("-x"));
	assert_false(wq_docid_valid("a/b"));
	assert_false(wq_docid_valid("a b"));
	assert_false(wq_docid_valid("a..b"));
	assert_false(wq_docid_valid("caf\xc3\xa9"));
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_false(wq_docid_valid(big));
	big[WQ_DOCID_MAX] = '\0';
	assert_true(wq_docid_valid(big));
	assert_true(wq_docid_valid("a.b-c_d9"));
}

/*
 * "scan..2.tif" is a plain ASCII name, "ms ..1" and "x/../y" are made
 * safe: the ids of all must still be valid.
 */
static const char *dotdot_names[] = { "scan..2", "ms ..1", "x/../y", "a...b", "a_.b..c" };

static int
docid_dotdot_ok(void)
{
	size_t i;
	int    ok = 1;

	for (i = 0; i < sizeof(dotdot_names) / sizeof(dotdot_names[0]); i++) {
		char *id = wq_docid_from_name(dotdot_names[i]);

		ok &= wq_docid_valid(id);
		free(id);
	}
	return ok;
}

static void
known_bug_docid_dotdot(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(dotdot_names) / sizeof(dotdot_names[0]); i++)
		docid_check(dotdot_names[i], NULL);
}

/* ---- ids.c: page ids ---- */

static void
pageid(void **state)
{
	char     id[16];
	unsigned n[] = { 1, 9, 10, 999, 1000, 9999, 10000, 123456, 999999999 };
	size_t   i;

	(void)state;
	wq_pageid(1, id);
	assert_string_equal(id, "0001");
	wq_pageid(42, id);
	assert_string_equal(id, "0042");
	wq_pageid(12345, id);
	assert_string_equal(id, "12345");
	for (i = 0; i < sizeof(n) / sizeof(n[0]); i++) {
		wq_pageid(n[i], id);
		assert_true(wq_pageid_valid(id));
		assert_int_equal(strtoul(id, NULL, 10), n[i]);
	}
	/* natural order of page ids is their number order */
	assert_true(wq_natcmp("0999", "1000") < 0);
	assert_true(wq_natcmp("9999", "10000") < 0);
}

static void
pageid_valid(void **state)
{
	(void)state;
	assert_true(wq_pageid_valid("0001"));
	assert_true(wq_pageid_valid("123456789"));
	assert_false(wq_pageid_valid(""));
	assert_false(wq_pageid_valid("1"));
	assert_false(wq_pageid_valid("001"));
	assert_false(wq_pageid_valid("00a1"));
	assert_false(wq_pageid_valid("0001 "));
	assert_false(wq_pageid_valid("-001"));
	assert_false(wq_pageid_valid("+0001"));
	assert_false(wq_pageid_valid("1234567890"));
	assert_false(wq_pageid_valid("0001/"));
	assert_false(wq_pageid_valid("\xd9\xa1\xd9\xa1"));	/* Arabic-Indic digits */
}

/* ---- pages.c: TSV escapes ---- */

static void
tsv_roundtrip(void **state)
{
	static const char *v[] = {
		"", "plain", "a\tb", "line1\nline2", "back\\slash", "\\t",
		"\\\\n\\", "cr\r\n", "\t\t\n\n\\\\", "/scans/my scan \"1\".tif",
		"\xd9\x85\xd8\xae\xd8\xb7\xd9\x88\xd8\xb7.tif", "end\\",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char *e = wq_tsv_escape(v[i]), *u;

		assert_null(strchr(e, '\t'));
		assert_null(strchr(e, '\n'));
		assert_null(strchr(e, '\r'));
		u = wq_tsv_unescape(e);
		assert_non_null(u);
		assert_string_equal(u, v[i]);
		free(e);
		free(u);
	}
}

static void
tsv_escape_values(void **state)
{
	char *e = wq_tsv_escape("a\tb\nc\\d\re");

	(void)state;
	assert_string_equal(e, "a\\tb\\nc\\\\d\\re");
	free(e);
	e = wq_tsv_unescape("x\\\\t");
	assert_string_equal(e, "x\\t");
	free(e);
}

static void
tsv_unescape_rejects(void **state)
{
	static const char *bad[] = { "a\\", "\\x", "a\\0", "\\ ", "\\T", "ok\\\\\\" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (wq_tsv_unescape(bad[i]) != NULL)
			fail_msg("bad escape #%zu accepted", i);
}

/* ---- pages.c: pages.tsv ---- */

static void
fill_page(struct wq_page *p, const char *doc, const char *page,
    const char *src, unsigned idx, char hexc, const char *status)
{
	p->part = wq_xstrdup(idx == 3 ? "right" : idx == 4 ? "left" : "full");
	p->doc = wq_xstrdup(doc);
	p->page = wq_xstrdup(page);
	p->source = wq_xstrdup(src);
	p->index = idx;
	memset(p->sha256, hexc, 64);
	p->sha256[64] = '\0';
	p->status = wq_xstrdup(status);
}

static void
pages_roundtrip(void **state)
{
	const char     *dir = *state;
	struct wq_pages pp = { 0 }, in = { 0 };
	struct wq_page *f;
	size_t          i;

	fill_page(wq_pages_add(&pp), "fr-seed", "0001", "/s/fr-seed.tif", 0, 'a', "ok");
	fill_page(wq_pages_add(&pp), "book", "0002", "/s/book/p\t2\n\\x.tif", 3, '0', "ok");
	fill_page(wq_pages_add(&pp), "book", "0003", "/s/book/p\t2\n\\x.tif", 4, '0', "ok");
	fill_page(wq_pages_add(&pp), "dup", "0001", "/s/\xd9\x85 \"q\".tif", 0, 'f',
	    "duplicate:book/0002");
	for (i = 0; i < 200; i++) {
		char page[16];

		wq_pageid((unsigned)i + 1, page);
		fill_page(wq_pages_add(&pp), "many", page, "/s/many.tif",
		    (unsigned)i, '9', "ok");
	}
	assert_int_equal(wq_pages_save(dir, &pp), 0);
	assert_int_equal(wq_pages_load(dir, &in), 0);
	assert_int_equal(in.n, pp.n);
	for (i = 0; i < pp.n; i++) {
		assert_string_equal(in.v[i].doc, pp.v[i].doc);
		assert_string_equal(in.v[i].page, pp.v[i].page);
		assert_string_equal(in.v[i].source, pp.v[i].source);
		assert_int_equal(in.v[i].index, pp.v[i].index);
		assert_string_equal(in.v[i].sha256, pp.v[i].sha256);
		assert_string_equal(in.v[i].status, pp.v[i].status);
		assert_string_equal(in.v[i].part, pp.v[i].part);
	}
	f = wq_pages_find(&in, "book", "0002");
	assert_non_null(f);
	assert_string_equal(f->source, "/s/book/p\t2\n\\x.tif");
	f = wq_pages_find(&in, "many", "0200");
	assert_non_null(f);
	assert_int_equal(f->index, 199);
	assert_null(wq_pages_find(&in, "book", "0001"));
	assert_null(wq_pages_find(&in, "nope", "0001"));
	/* one row a line, plus the header */
	{
		char  *path = wq_xasprintf("%s/pages.tsv", dir);
		size_t len, lines = 0;
		char  *s = wq_read_file(path, 1 << 20, &len), *c;

		assert_non_null(s);
		assert_memory_equal(s, "doc\tpage\tsource\tindex\tsha256\tstatus\tpart\n", 41);
		for (c = s; *c; c++)
			lines += *c == '\n';
		assert_int_equal(lines, pp.n + 1);
		free(s);
		free(path);
	}
	wq_pages_free(&pp);
	wq_pages_free(&in);
	assert_int_equal(pp.n, 0);
	assert_null(pp.v);
	/* an empty list saves and loads as empty */
	assert_int_equal(wq_pages_save(dir, &pp), 0);
	assert_int_equal(wq_pages_load(dir, &in), 0);
	assert_int_equal(in.n, 0);
	wq_pages_free(&in);
}

static void
pages_absent_is_empty(void **state)
{
	const char     *dir = *state;
	struct wq_pages pp = { 0 };

	assert_int_equal(wq_pages_load(dir, &pp), 0);
	assert_int_equal(pp.n, 0);
	wq_pages_free(&pp);
}

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HDR   "doc\tpage\tsource\tindex\tsha256\tstatus\tpart\n"
#define GOOD  "d\t0001\t/s/a.tif\t0\t" SHA_A "\tok\tfull\n"
#define HDR6  "doc\tpage\tsource\tindex\tsha256\tstatus\n"

static void
pages_rejects_malformed(void **state)
{
	static const struct { const char *s; size_t n; } bad[] = {
#define B(x) { x, sizeof(x) - 1 }
		B(HDR GOOD "d\t0002\t/s/a.tif\t1\t" SHA_A "\tok\tfull"),	/* cut: no newline */
		B(HDR GOOD "d\t0002\t/s/a.tif\t1\t" SHA_A),	/* cut in a row */
		B(HDR GOOD "d\t0002\t/s/a.t"),
		B(HDR "d\t0001\t/s/a.tif\t0\tabc\tok\n"),	/* short sha */
		B(HDR "d\t0001\t/s/a.tif\t0\t" SHA_A "X\tok\n"),
		B(HDR "d\t0001\t/s/a.tif\t0\t" "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" "\tok\tfull\n"),
		B(HDR "../x\t0001\t/s/a.tif\t0\t" SHA_A "\tok\tfull\n"),	/* bad doc */
		B(HDR "\t0001\t/s/a.tif\t0\t" SHA_A "\tok\tfull\n"),
		B(HDR "d\t1\t/s/a.tif\t0\t" SHA_A "\tok\tfull\n"),	/* bad page */
		B(HDR "d\t0001\t/s/a.tif\tx\t" SHA_A "\tok\tfull\n"),	/* bad index */
		B(HDR "d\t0001\t/s/a.tif\t\t" SHA_A "\tok\tfull\n"),
		B(HDR "d\t0001\t/s/a.tif\t-1\t" SHA_A "\tok\tfull\n"),
		B(HDR "d\t0001\t/s/a.tif\t99999999999999999999\t" SHA_A "\tok\tfull\n"),
		B(HDR "d\t0001\t/s/a\\q.tif\t0\t" SHA_A "\tok\tfull\n"),	/* bad escape */
		B(HDR "d\t0001\t/s/a.tif\t0\t" SHA_A "\t\tfull\n"),	/* empty status */
		B(HDR "d\t0001\t/s/a.tif\t0\t" SHA_A "\tok\tfull\textra\n"),
		B(HDR "d\t0001\t/s/a.tif\t0\t" SHA_A "\tok\n"),	/* 6 fields */
		B(HDR "d\t0001\t/s/a.tif\t0\t" SHA_A "\tok\tmiddle\n"),	/* bad part */
		B(HDR "d\t0001\t/s/a.tif\t0\t" SHA_A "\tok\t\n"),
		B(HDR "garbage\n"),
		B(HDR GOOD "\n"),	/* blank line */
		B(HDR "d\t0001\t/s/a\0.tif\t0\t" SHA_A "\tok\tfull\n"),	/* NUL byte */
#undef B
	};
	const char *dir = *state;
	char       *path = wq_xasprintf("%s/pages.tsv", dir);
	size_t      i;

	/* the good rows alone load, with or without the header */
	{
		struct wq_pages pp = { 0 };

		put_file(path, HDR GOOD, strlen(HDR GOOD));
		assert_int_equal(wq_pages_load(dir, &pp), 0);
		assert_int_equal(pp.n, 1);
		assert_string_equal(pp.v[0].source, "/s/a.tif");
		wq_pages_free(&pp);
		put_file(path, GOOD GOOD, 2 * strlen(GOOD));
		assert_int_equal(wq_pages_load(dir, &pp), 0);
		assert_int_equal(pp.n, 2);
		wq_pages_free(&pp);
	}
	/* a work directory from before the part column: whole images */
	{
		static const char old[] = HDR6 "d\t0001\t/s/a.tif\t0\t" SHA_A "\tok\n";
		struct wq_pages pp = { 0 };

		put_file(path, old, strlen(old));
		assert_int_equal(wq_pages_load(dir, &pp), 0);
		assert_int_equal(pp.n, 1);
		assert_string_equal(pp.v[0].part, "full");
		assert_string_equal(pp.v[0].status, "ok");
		wq_pages_free(&pp);
		put_file(path, HDR6 GOOD, strlen(HDR6 GOOD));	/* 7 fields there */
		assert_int_equal(wq_pages_load(dir, &pp), -1);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct wq_pages pp = { 0 };
		int             r;

		put_file(path, bad[i].s, bad[i].n);
		errno = 0;
		r = wq_pages_load(dir, &pp);
		if (r != -1)
			fail_msg("malformed pages.tsv #%zu accepted (%zu rows)", i, pp.n);
		assert_int_equal(errno, EINVAL);
		assert_int_equal(pp.n, 0);	/* the list is freed */
		assert_null(pp.v);
	}
	free(path);
}

/* a pages.tsv truncated anywhere (as by a crash) is never read in silence */
static void
pages_rejects_truncated(void **state)
{
	const char     *dir = *state;
	struct wq_pages pp = { 0 };
	char           *path = wq_xasprintf("%s/pages.tsv", dir);
	char           *full;
	size_t          len, cut;

	fill_page(wq_pages_add(&pp), "a", "0001", "/s/a.tif", 0, 'b', "ok");
	fill_page(wq_pages_add(&pp), "a", "0002", "/s/a.tif", 1, 'b', "ok");
	fill_page(wq_pages_add(&pp), "b", "0001", "/s/b.tif", 0, 'c', "duplicate:a/0001");
	assert_int_equal(wq_pages_save(dir, &pp), 0);
	wq_pages_free(&pp);
	full = wq_read_file(path, 1 << 20, &len);
	assert_non_null(full);
	for (cut = strlen(HDR) + 1; cut < len; cut++) {
		struct wq_pages in = { 0 };

		put_file(path, full, cut);
		if (full[cut - 1] == '\n') {	/* cut at a row boundary: fewer rows */
			assert_int_equal(wq_pages_load(dir, &in), 0);
			assert_true(in.n < 3);
			wq_pages_free(&in);
			continue;
		}
		if (wq_pages_load(dir, &in) != -1)
			fail_msg("pages.tsv cut at byte %zu of %zu accepted", cut, len);
	}
	free(full);
	free(path);
}

/* ---- fs.c ---- */

static void
write_atomic(void **state)
{
	const char *dir = *state;
	char       *path = wq_xasprintf("%s/sub/dir/out.txt", dir);
	char       *sub = wq_xasprintf("%s/sub/dir", dir);
	char       *s;
	size_t      len;
	char        big[100000];
	size_t      i;

	assert_int_equal(wq_write_atomic(path, "hello\n", 6), 0);
	s = wq_read_file(path, 1024, &len);
	assert_non_null(s);
	assert_int_equal(len, 6);
	assert_string_equal(s, "hello\n");
	free(s);
	/* replaced whole by shorter content */
	assert_int_equal(wq_write_atomic(path, "hi", 2), 0);
	s = wq_read_file(path, 1024, &len);
	assert_int_equal(len, 2);
	assert_memory_equal(s, "hi", 2);
	free(s);
	/* binary content, larger than one write */
	for (i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7);
	assert_int_equal(wq_write_atomic(path, big, sizeof(big)), 0);
	s = wq_read_file(path, sizeof(big), &len);
	assert_non_null(s);
	assert_int_equal(len, sizeof(big));
	assert_memory_equal(s, big, sizeof(big));
	free(s);
	/* empty */
	assert_int_equal(wq_write_atomic(path, "", 0), 0);
	s = wq_read_file(path, 10, &len);
	assert_int_equal(len, 0);
	free(s);
	/* nothing but the output is left in the folder */
	assert_int_equal(count_entries(sub, NULL), 1);
	assert_int_equal(count_entries(sub, ".out.txt.tmp"), 0);
	free(path);
	free(sub);
}

static void
write_atomic_failure_leaves_nothing(void **state)
{
	const char *dir = *state;
	char       *file = wq_xasprintf("%s/plain", dir);
	char       *under = wq_xasprintf("%s/plain/x.txt", dir);
	char       *ro = wq_xasprintf("%s/ro", dir);
	char       *inro = wq_xasprintf("%s/ro/x.txt", dir);

	put_file(file, "x", 1);
	errno = 0;
	assert_int_equal(wq_write_atomic(under, "abc", 3), -1);
	assert_int_not_equal(errno, 0);
	/* replacing a directory fails and keeps it */
	assert_int_equal(mkdir(ro, 0755), 0);
	assert_int_equal(wq_write_atomic(ro, "abc", 3), -1);
	assert_int_equal(count_entries(dir, NULL), 2);	/* plain, ro */
	assert_int_equal(count_entries(ro, NULL), 0);
	(void)inro;
	free(file), free(under), free(ro), free(inro);
}

static void
tmpname_and_mkdirs(void **state)
{
	const char *dir = *state;
	char       *t = wq_tmpname("/a/b/c.json");
	char       *want = wq_xasprintf("/a/b/.c.json.tmp.%ld", (long)getpid());
	char       *deep = wq_xasprintf("%s/x/y/z", dir);
	char       *f;

	assert_string_equal(t, want);
	free(t), free(want);
	t = wq_tmpname("c.json");
	want = wq_xasprintf(".c.json.tmp.%ld", (long)getpid());
	assert_string_equal(t, want);
	free(t), free(want);
	assert_int_equal(wq_mkdirs(deep), 0);
	assert_true(wq_exists(deep));
	assert_int_equal(wq_mkdirs(deep), 0);	/* again: fine */
	f = wq_xasprintf("%s/x/file", dir);
	put_file(f, "", 0);
	free(deep);
	deep = wq_xasprintf("%s/x/file/sub", dir);
	assert_int_equal(wq_mkdirs(deep), -1);
	assert_int_equal(wq_remove(f), 0);
	assert_false(wq_exists(f));
	assert_int_equal(wq_remove(f), 0);	/* absent: fine */
	free(deep), free(f);
}

static void
read_file_bounded(void **state)
{
	const char *dir = *state;
	char       *path = wq_xasprintf("%s/f", dir);
	char        buf[20000];
	char       *s;
	size_t      len = 99;

	memset(buf, 'q', sizeof(buf));
	put_file(path, buf, sizeof(buf));
	errno = 0;
	assert_null(wq_read_file(path, sizeof(buf) - 1, &len));
	assert_int_equal(errno, EFBIG);
	s = wq_read_file(path, sizeof(buf), &len);
	assert_non_null(s);
	assert_int_equal(len, sizeof(buf));
	assert_int_equal(s[len], '\0');
	free(s);
	free(path);
	path = wq_xasprintf("%s/absent", dir);
	errno = 0;
	assert_null(wq_read_file(path, 100, &len));
	assert_int_equal(errno, ENOENT);
	free(path);
}

/* ---- hash.c ---- */

#define SHA_ABC   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define SHA_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define SHA_448   "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
#define SHA_MILLION_A \
	"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"

static void
sha256_buf(void **state)
{
	char hex[65];
	const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	(void)state;
	wq_sha256_buf("abc", 3, hex);
	assert_string_equal(hex, SHA_ABC);
	wq_sha256_buf("", 0, hex);
	assert_string_equal(hex, SHA_EMPTY);
	wq_sha256_buf(m448, strlen(m448), hex);
	assert_string_equal(hex, SHA_448);
}

static void
sha256_file(void **state)
{
	const char *dir = *state;
	char       *path = wq_xasprintf("%s/million", dir);
	char       *a = wq_xmalloc(1000000);
	char        hex[65];
	off_t       size = -1;

	memset(a, 'a', 1000000);
	put_file(path, a, 1000000);	/* more than one read buffer */
	assert_int_equal(wq_sha256_file(path, hex, &size), 0);
	assert_string_equal(hex, SHA_MILLION_A);
	assert_int_equal(size, 1000000);
	put_file(path, "abc", 3);
	assert_int_equal(wq_sha256_file(path, hex, NULL), 0);
	assert_string_equal(hex, SHA_ABC);
	put_file(path, "", 0);
	assert_int_equal(wq_sha256_file(path, hex, &size), 0);
	assert_string_equal(hex, SHA_EMPTY);
	assert_int_equal(size, 0);
	free(path);
	path = wq_xasprintf("%s/absent", dir);
	errno = 0;
	assert_int_equal(wq_sha256_file(path, hex, &size), -1);
	assert_int_equal(errno, ENOENT);
	free(path);
	free(a);
}

/* ---- json.c ---- */

/* text: the string wq_json_textn makes of n bytes; checked valid. */
static char *
text(const char *s, size_t n, size_t max)
{
	json_t *j = wq_json_textn(s, n, max);
	char   *dump, *r;
	json_t *back;

	assert_non_null(j);
	assert_true(json_is_string(j));
	assert_true(json_string_length(j) <= max);
	/* it serializes and parses back to the same string */
	dump = json_dumps(j, JSON_ENCODE_ANY);
	assert_non_null(dump);
	back = json_loads(dump, JSON_DECODE_ANY, NULL);
	assert_non_null(back);
	assert_true(json_equal(j, back));
	r = wq_xstrdup(json_string_value(j));
	assert_int_equal(strlen(r), json_string_length(j));	/* no NUL inside */
	free(dump);
	json_decref(back);
	json_decref(j);
	return r;
}

#define FFFD "\xef\xbf\xbd"

static void
json_text_utf8(void **state)
{
	static const struct { const char *in; size_t n; const char *want; } v[] = {
#define T(x, w) { x, sizeof(x) - 1, w }
		T("plain", "plain"),
		T("caf\xc3\xa9", "caf\xc3\xa9"),
		T("\xd9\x85\xd8\xae\xd8\xb7\xd9\x88\xd8\xb7", "\xd9\x85\xd8\xae\xd8\xb7\xd9\x88\xd8\xb7"),
		T("\xf0\x9f\x93\x9c", "\xf0\x9f\x93\x9c"),
		T("caf\xe9", "caf" FFFD),		/* Latin-1 */
		T("\xff\xfe", FFFD FFFD),
		T("\xc0\xaf", FFFD FFFD),		/* overlong '/' */
		T("\xe0\x80\xaf", FFFD FFFD FFFD),	/* overlong */
		T("\xed\xa0\x80", FFFD FFFD FFFD),	/* surrogate */
		T("\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD),	/* > U+10FFFF */
		T("a\xe2\x82", "a" FFFD FFFD),	/* cut short */
		T("\x80x", FFFD "x"),
		T("a\x01" "b\x1f" "c\x7f" "d\r", "abcd"),	/* control chars dropped */
		T("tab\tnl\n", "tab\tnl\n"),
		T("nul\0byte", "nulbyte"),
		T("\"quote\\", "\"quote\\"),
#undef T
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char *r = text(v[i].in, v[i].n, 100);

		if (strcmp(r, v[i].want) != 0)
			fail_msg("json text #%zu: got \"%s\"", i, r);
		free(r);
	}
}

static void
json_text_bounded(void **state)
{
	char  big[5000];
	char *r;
	size_t i;

	(void)state;
	memset(big, 'x', sizeof(big));
	r = text(big, sizeof(big), 256);
	assert_int_equal(strlen(r), 256);
	free(r);
	/* cut on a character boundary, never inside one */
	r = text("\xc3\xa9\xc3\xa9\xc3\xa9", 6, 5);
	assert_string_equal(r, "\xc3\xa9\xc3\xa9");
	free(r);
	r = text("ab\xf0\x9f\x93\x9c", 6, 5);
	assert_string_equal(r, "ab");
	free(r);
	r = text("a\xff\xff", 3, 5);	/* a FFFD does not fit twice */
	assert_string_equal(r, "a" FFFD);
	free(r);
	r = text("abc", 3, 0);
	assert_string_equal(r, "");
	free(r);
	/* pseudo-random bytes: always valid, always bounded */
	{
		uint32_t x = 12345;
		char     buf[300];
		size_t   j;

		for (i = 0; i < 3000; i++) {
			size_t n = i % sizeof(buf), max = i % 41;

			for (j = 0; j < n; j++) {
				x = x * 1103515245u + 12345u;
				buf[j] = (char)(x >> 16);
			}
			free(text(buf, n, max));
		}
	}
	/* wq_json_text: NULL becomes null, a string is bounded */
	{
		json_t *j = wq_json_text(NULL, 10);

		assert_true(json_is_null(j));
		json_decref(j);
		j = wq_json_text("abcdefgh", 3);
		assert_string_equal(json_string_value(j), "abc");
		json_decref(j);
	}
}

static void
json_write_read(void **state)
{
	const char *dir = *state;
	char       *path = wq_xasprintf("%s/j/x.json", dir);
	json_t     *o = json_pack("{s:i, s:s}", "width", 600, "name", "a\tb");
	json_t     *back;
	char       *s;
	size_t      len;

	assert_int_equal(wq_json_write(path, o), 0);
	s = wq_read_file(path, 1 << 16, &len);
	assert_non_null(s);
	assert_true(len > 0 && s[len - 1] == '\n');
	free(s);
	back = wq_json_read(path);
	assert_non_null(back);
	assert_true(json_equal(o, back));
	json_decref(back);
	json_decref(o);
	/* not an object, duplicate keys, garbage, absent: NULL */
	put_file(path, "[1]\n", 4);
	assert_null(wq_json_read(path));
	put_file(path, "{\"a\":1,\"a\":2}", 13);
	assert_null(wq_json_read(path));
	put_file(path, "{\"a\":", 5);
	assert_null(wq_json_read(path));
	free(path);
	path = wq_xasprintf("%s/absent.json", dir);
	assert_null(wq_json_read(path));
	free(path);
}

/* ---- profile.c ---- */

static void
profile_parse(void **state)
{
	const char       *dir = *state;
	char             *path = wq_xasprintf("%s/profile", dir);
	struct wq_profile pr = { 0 };
	const char       *txt =
	    "# a collection of Arabic manuscripts\n"
	    "   # indented comment = not a setting\n"
	    "\n"
	    "languages = ara\n"
	    "assume_dpi=200\r\n"
	    "  timeout   =   30   \n"
	    "languages = ara+fra\n"
	    "stages = ingest, deskew\n"
	    "chunk = 4";	/* no final newline */

	put_file(path, txt, strlen(txt));
	assert_int_equal(wq_profile_load(&pr, path), 0);
	assert_string_equal(wq_profile_get(&pr, "languages", NULL), "ara+fra");
	assert_string_equal(wq_profile_get(&pr, "assume_dpi", NULL), "200");
	assert_string_equal(wq_profile_get(&pr, "timeout", NULL), "30");
	assert_string_equal(wq_profile_get(&pr, "stages", NULL), "ingest, deskew");
	assert_string_equal(wq_profile_get(&pr, "chunk", NULL), "4");
	assert_string_equal(wq_profile_get(&pr, "max_pixels", "dflt"), "dflt");
	assert_null(wq_profile_get(&pr, "# indented comment", NULL));
	assert_int_equal(pr.n, 5);	/* a key set twice is one setting */
	/* -o after the profile wins too */
	assert_int_equal(wq_profile_setkv(&pr, " languages = fra "), 0);
	assert_string_equal(wq_profile_get(&pr, "languages", NULL), "fra");
	assert_int_equal(wq_profile_setkv(&pr, "slurm_sbatch=a=b"), 0);
	assert_string_equal(wq_profile_get(&pr, "slurm_sbatch", NULL), "a=b");
	wq_profile_free(&pr);
	assert_int_equal(pr.n, 0);
	free(path);
}

static void
profile_rejects(void **state)
{
	const char       *dir = *state;
	char             *path = wq_xasprintf("%s/profile", dir);
	struct wq_profile pr = { 0 };
	const char       *unknown = "languages = ara\nlanguage = fra\n";
	const char       *noeq = "languages ara\n";
	char              longv[5000];

	quiet();
	put_file(path, unknown, strlen(unknown));
	assert_int_equal(wq_profile_load(&pr, path), -1);
	assert_null(wq_profile_get(&pr, "language", NULL));
	wq_profile_free(&pr);
	put_file(path, noeq, strlen(noeq));
	assert_int_equal(wq_profile_load(&pr, path), -1);
	wq_profile_free(&pr);
	free(path);
	path = wq_xasprintf("%s/absent", dir);
	assert_int_equal(wq_profile_load(&pr, path), -1);
	free(path);
	assert_int_equal(wq_profile_setkv(&pr, "bogus=1"), -1);
	assert_int_equal(wq_profile_setkv(&pr, "max_pixels"), -1);
	assert_int_equal(wq_profile_setkv(&pr, "=1"), -1);
	assert_int_equal(wq_profile_set(&pr, "timeout", "1\n2"), -1);
	memset(longv, '9', sizeof(longv) - 1);
	longv[sizeof(longv) - 1] = '\0';
	assert_int_equal(wq_profile_set(&pr, "timeout", longv), -1);
	assert_int_equal(pr.n, 0);
	assert_true(wq_key_known("max_pixels"));
	assert_true(wq_key_known("stages"));
	assert_false(wq_key_known("max_pixel"));
	assert_false(wq_key_known(""));
	wq_profile_free(&pr);
	unquiet();
}

/* a whole-number setting: checked when set, read with its default */
static void
profile_long(void **state)
{
	struct wq_profile pr = { 0 };
	static const char *bad[] = {
		"", "abc", "5x", "0x10", "1.5", "99999999999999999999999", "-1",
		"0", "604801", " ", "1 2",
	};
	size_t i;

	quiet();
	(void)state;
	assert_int_equal(wq_set_long(&pr, "timeout"), 600);	/* the default */
	assert_int_equal(wq_profile_set(&pr, "timeout", "42"), 0);
	assert_int_equal(wq_set_long(&pr, "timeout"), 42);
	assert_int_equal(wq_profile_set(&pr, "timeout", "1"), 0);
	assert_int_equal(wq_set_long(&pr, "timeout"), 1);
	assert_int_equal(wq_profile_set(&pr, "timeout", "604800"), 0);
	assert_int_equal(wq_set_long(&pr, "timeout"), 604800);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (wq_profile_set(&pr, "timeout", bad[i]) != -1)
			fail_msg("'%s' accepted as a timeout", bad[i]);
		assert_int_equal(wq_set_long(&pr, "timeout"), 604800);	/* kept */
	}
	wq_profile_free(&pr);
	unquiet();
}

/* a number setting */
static void
profile_double(void **state)
{
	struct wq_profile pr = { 0 };
	static const char *bad[] = { "nan", "0", "1e13", "12abc", "", "inf" };
	size_t i;

	quiet();
	(void)state;
	assert_true(wq_set_real(&pr, "max_pixels") == 1.6e9);
	assert_int_equal(wq_profile_set(&pr, "max_pixels", "1000"), 0);
	assert_true(wq_set_real(&pr, "max_pixels") == 1000);
	assert_int_equal(wq_profile_set(&pr, "max_pixels", "2.5e3"), 0);
	assert_true(wq_set_real(&pr, "max_pixels") == 2500);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (wq_profile_set(&pr, "max_pixels", bad[i]) != -1)
			fail_msg("'%s' accepted as max_pixels", bad[i]);
	assert_true(wq_set_real(&pr, "max_pixels") == 2500);
	wq_profile_free(&pr);
	unquiet();
}

/* an on/off setting, a choice, a list of stages, a list of models */
static void
profile_bool(void **state)
{
	static const char *yes[] = { "on", "yes", "true", "1", "ON", "Yes", "TRUE" };
	static const char *no[] = { "off", "no", "false", "0", "OFF", "No", "False" };
	static const char *bad[] = { "", "2", "maybe", "y", "n", "onn", "of" };
	struct wq_profile pr = { 0 };
	size_t            i;

	quiet();
	(void)state;
	assert_int_equal(wq_set_bool(&pr, "iiif"), 1);		/* default yes */
	assert_int_equal(wq_set_bool(&pr, "follow_symlinks"), 0);	/* no */
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		assert_int_equal(wq_profile_set(&pr, "follow_symlinks", yes[i]), 0);
		assert_int_equal(wq_set_bool(&pr, "follow_symlinks"), 1);
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		assert_int_equal(wq_profile_set(&pr, "follow_symlinks", no[i]), 0);
		assert_int_equal(wq_set_bool(&pr, "follow_symlinks"), 0);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (wq_profile_set(&pr, "follow_symlinks", bad[i]) != -1)
			fail_msg("'%s' accepted as a boolean", bad[i]);
	assert_int_equal(wq_profile_set(&pr, "binarize", "otsu"), 0);
	assert_int_equal(wq_profile_set(&pr, "binarize", "Otsu"), -1);
	assert_int_equal(wq_profile_set(&pr, "binarize", "sauvol"), -1);
	assert_int_equal(wq_profile_set(&pr, "bag_archive", "tar.zst"), 0);
	assert_int_equal(wq_profile_set(&pr, "bag_archive", "tar"), 0);
	assert_int_equal(wq_profile_set(&pr, "bag_archive", "rar"), -1);
	assert_string_equal(wq_set_text(&pr, "bag_archive"), "tar");
	assert_int_equal(wq_profile_set(&pr, "stages", "ingest, deskew,ocr"), 0);
	assert_int_equal(wq_profile_set(&pr, "stages", "ingest,deskw"), -1);
	assert_int_equal(wq_profile_set(&pr, "stages", " , "), 0);	/* ingest */
	assert_int_equal(wq_profile_set(&pr, "languages", "ara+fra"), 0);
	assert_int_equal(wq_profile_set(&pr, "languages", "arabic"), 0);
	assert_int_equal(wq_profile_set(&pr, "languages", "ara+"), -1);
	assert_int_equal(wq_profile_set(&pr, "languages", "../x"), -1);
	assert_int_equal(wq_profile_set(&pr, "languages", "ara++fra"), -1);
	assert_null(wq_set_text(&pr, "slurm_mem"));	/* no default */
	wq_profile_free(&pr);
	unquiet();
}

static void
profile_save_load(void **state)
{
	const char       *dir = *state;
	char             *path = wq_xasprintf("%s/saved.profile", dir);
	struct wq_profile pr = { 0 }, in = { 0 };

	assert_int_equal(wq_profile_set(&pr, "languages", "ara+fra"), 0);
	assert_int_equal(wq_profile_set(&pr, "assume_dpi", "400"), 0);
	assert_int_equal(wq_profile_set(&pr, "stages", "ingest,deskew"), 0);
	assert_int_equal(wq_profile_save(&pr, path), 0);
	assert_int_equal(wq_profile_load(&in, path), 0);
	assert_int_equal(in.n, 3);
	assert_string_equal(wq_profile_get(&in, "languages", NULL), "ara+fra");
	assert_string_equal(wq_profile_get(&in, "assume_dpi", NULL), "400");
	assert_string_equal(wq_profile_get(&in, "stages", NULL), "ingest,deskew");
	wq_profile_free(&pr);
	wq_profile_free(&in);
	free(path);
}

/* ---- stage.c ---- */

static void
stage_enabled(void **state)
{
	struct wq_profile pr = { 0 };

	(void)state;
	/* no "stages" setting: everything on */
	assert_true(wq_stage_enabled(&pr, "ingest"));
	assert_true(wq_stage_enabled(&pr, "deskew"));
	assert_int_equal(wq_profile_set(&pr, "stages", "all"), 0);
	assert_true(wq_stage_enabled(&pr, "binarize"));
	assert_int_equal(wq_profile_set(&pr, "stages", "deskew,ocr"), 0);
	assert_true(wq_stage_enabled(&pr, "deskew"));
	assert_true(wq_stage_enabled(&pr, "ocr"));
	assert_true(wq_stage_enabled(&pr, "ingest"));	/* always on */
	assert_false(wq_stage_enabled(&pr, "binarize"));
	assert_false(wq_stage_enabled(&pr, "desk"));	/* no substrings */
	assert_false(wq_stage_enabled(&pr, "skew"));
	assert_false(wq_stage_enabled(&pr, "oc"));
	assert_false(wq_stage_enabled(&pr, "all"));
	/* a name that is no stage is refused when set */
	assert_int_equal(wq_profile_set(&pr, "stages", "ocr-alto, deskew2 , ocr"), -1);
	assert_int_equal(wq_profile_set(&pr, "stages", "clean , ocr,pdf"), 0);
	assert_true(wq_stage_enabled(&pr, "ocr"));
	assert_true(wq_stage_enabled(&pr, "clean"));
	assert_true(wq_stage_enabled(&pr, "pdf"));
	assert_false(wq_stage_enabled(&pr, "deskew"));
	assert_int_equal(wq_profile_set(&pr, "stages", "ingest"), 0);
	assert_false(wq_stage_enabled(&pr, "deskew"));
	assert_int_equal(wq_profile_set(&pr, "stages", ""), 0);
	assert_true(wq_stage_enabled(&pr, "ingest"));
	assert_false(wq_stage_enabled(&pr, "deskew"));
	wq_profile_free(&pr);
}

static void
stage_list_and_input(void **state)
{
	struct wq_profile pr = { 0 };
	size_t            i;

	(void)state;
	assert_true(wq_nstages >= 1);
	assert_string_equal(wq_stages[0].name, "ingest");
	assert_int_equal(wq_stages[0].kind, WQ_SOURCE);
	assert_ptr_equal(wq_stage_find("ingest"), &wq_stages[0]);
	assert_null(wq_stage_find("no-such-stage"));
	assert_null(wq_stage_find(""));
	/* the layout stage is off unless asked for: the OCR waits on clean */
	assert_false(wq_stage_enabled(&pr, "layout"));
	assert_string_equal(wq_stage_input(&pr, "ocr"), "clean");
	assert_int_equal(wq_profile_set(&pr, "layout_stage", "yes"), 0);
	assert_true(wq_stage_enabled(&pr, "layout"));
	assert_string_equal(wq_stage_input(&pr, "ocr"), "layout");
	/* ... and makes no image: the OCR still reads clean's */
	assert_string_equal(wq_stage_image(&pr, "ocr"), "clean");
	/* the first stage reads no other stage's image */
	assert_null(wq_stage_input(&pr, "ingest"));
	for (i = 1; i < wq_nstages; i++) {
		const char *in = wq_stage_input(&pr, wq_stages[i].name);
		size_t      j = i - 1;

		/* a batch stage (the report) is nobody's input */
		while (j > 0 && wq_stages[j].kind == WQ_BATCH)
			j--;
		assert_non_null(in);
		assert_string_equal(in, wq_stages[j].name);
		assert_ptr_equal(wq_stage_find(wq_stages[i].name), &wq_stages[i]);
	}
	/* with only ingest on, every later stage reads ingest's pages */
	assert_int_equal(wq_profile_set(&pr, "stages", "ingest"), 0);
	assert_null(wq_stage_input(&pr, "ingest"));
	for (i = 1; i < wq_nstages; i++)
		assert_string_equal(wq_stage_input(&pr, wq_stages[i].name), "ingest");
	/* a stage turned off is skipped over: the input of stage i is the
	 * nearest earlier stage that is on */
	if (wq_nstages >= 3) {
		char *list = wq_xasprintf("%s", wq_stages[wq_nstages - 1].name);

		assert_int_equal(wq_profile_set(&pr, "stages", list), 0);
		assert_string_equal(wq_stage_input(&pr, wq_stages[wq_nstages - 1].name),
		    "ingest");
		free(list);
	}
	wq_profile_free(&pr);
}

/* wq_md_*: the BagIt algorithms, against their published test vectors */
static void
md_digests(void **state)
{
	static const struct { const char *alg, *hex; } v[] = {
		{ "md5", "900150983cd24fb0d6963f7d28e17f72" },
		{ "sha1", "a9993e364706816aba3e25717850c26c9cd0d89d" },
		{ "sha256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "sha512", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
		    "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f" },
	};
	char          hex[WQ_HEX_MAX];
	struct wq_md *m;
	size_t        i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		m = wq_md_new(v[i].alg);
		assert_non_null(m);
		wq_md_update(m, "a", 1);	/* in two pieces: a running digest */
		wq_md_update(m, "bc", 2);
		wq_md_final(m, hex);
		assert_string_equal(hex, v[i].hex);
	}
	assert_null(wq_md_new("sha3-256"));
	assert_null(wq_md_new("SHA256"));
}

/* wq_key_applies: a setting bears on the stage its help names */
static void
key_applies(void **state)
{
	const struct wq_key *k;
	int                  seen = 0;

	(void)state;
	for (k = wq_keys; k->name != NULL; k++) {
		if (strcmp(k->name, "speckle_px") == 0) {
			assert_true(wq_key_applies(k, "clean"));
			assert_false(wq_key_applies(k, "ocr"));
			seen++;
		}
		if (strcmp(k->name, "languages") == 0) {	/* every stage's */
			assert_true(wq_key_applies(k, "ocr"));
			assert_true(wq_key_applies(k, "ingest"));
			seen++;
		}
		if (strcmp(k->name, "layout") == 0) {	/* "OCR: ..." */
			assert_true(wq_key_applies(k, "ocr"));
			seen++;
		}
		if (strcmp(k->name, "timeout") == 0) {	/* the driver's */
			assert_false(wq_key_applies(k, "ocr"));
			seen++;
		}
	}
	assert_int_equal(seen, 4);
}

static int
stage_input_unknown_ok(void)
{
	struct wq_profile pr = { 0 };

	return wq_stage_input(&pr, "no-such-stage") == NULL;
}

static void
known_bug_stage_input_unknown(void **state)
{
	struct wq_profile pr = { 0 };

	(void)state;
	assert_null(wq_stage_input(&pr, "no-such-stage"));
	assert_null(wq_stage_input(&pr, ""));
}

static void
sidecar_and_meta(void **state)
{
	struct wq_page p = { 0 };
	char          *s = wq_sidecar("/w", "ingest", "doc", "0001", "json");
	json_t        *m;

	(void)state;
	assert_string_equal(s, "/w/ingest/doc/0001.json");
	free(s);
	fill_page(&p, "doc", "0003", "/s/x.tif", 2, 'e', "ok");
	m = wq_meta_new("ingest", &p);
	assert_string_equal(json_string_value(json_object_get(m, "doc")), "doc");
	assert_string_equal(json_string_value(json_object_get(m, "page")), "0003");
	assert_string_equal(json_string_value(json_object_get(m, "stage")), "ingest");
	assert_string_equal(json_string_value(json_object_get(m, "source_sha256")),
	    p.sha256);
	assert_string_equal(json_string_value(json_object_get(m, "warraq_version")),
	    WQ_VERSION);
	json_decref(m);
	free(p.doc), free(p.page), free(p.source), free(p.status), free(p.part);
}

static void
page_state(void **state)
{
	const char    *dir = *state;
	struct wq_page p = { 0 };
	char          *json, *err, *reason = (char *)"x";
	json_t        *m;

	fill_page(&p, "doc", "0001", "/s/x.tif", 0, 'e', "ok");
	json = wq_sidecar(dir, "deskew", p.doc, p.page, "json");
	err = wq_sidecar(dir, "deskew", p.doc, p.page, "error");
	assert_int_equal(wq_page_state(dir, "deskew", &p, &reason), WQ_PENDING);
	assert_null(reason);
	assert_int_equal(wq_write_atomic(err, "skew too large\nmore\n", 20), 0);
	assert_int_equal(wq_page_state(dir, "deskew", &p, &reason), WQ_FAILED);
	assert_string_equal(reason, "skew too large");
	free(reason);
	m = wq_meta_new("deskew", &p);
	assert_int_equal(wq_json_write(json, m), 0);
	json_decref(m);
	assert_int_equal(wq_page_state(dir, "deskew", &p, NULL), WQ_DONE);
	/* a rescanned source makes the result stale */
	memset(p.sha256, 'f', 64);
	assert_int_equal(wq_page_state(dir, "deskew", &p, &reason), WQ_FAILED);
	free(reason);
	wq_remove(err);
	assert_int_equal(wq_page_state(dir, "deskew", &p, NULL), WQ_PENDING);
	free(json), free(err);
	free(p.doc), free(p.page), free(p.source), free(p.status), free(p.part);
}

struct known {
	const char *test;	/* the known_bug_* test */
	int       (*fixed)(void);
	const char *why;
};

static const struct known known[] = {
	{ "known_bug_natcmp_total", natcmp_total_ok,
	    "ids.c wq_natcmp: \"01.tif\" and \"1.tif\" compare equal (no tie-break)" },
	{ "known_bug_docid_dotdot", docid_dotdot_ok,
	    "ids.c wq_docid_from_name: \"scan..2\" gives an id with \"..\" that "
	    "wq_docid_valid() refuses" },
	{ "known_bug_stage_input_unknown", stage_input_unknown_ok,
	    "stage.c wq_stage_input: an unknown stage gets the last enabled "
	    "stage as input, not NULL" },
};

/* ---- err.c: a message is one line of inert text ---- */

/* ctl_escape: C0 and DEL, C1 (raw and UTF-8), bidi controls and bad
 * UTF-8 escaped; letters, Arabic included, kept. */
static void
ctl_escape(void **state)
{
	static const struct { const char *in, *out; } t[] = {
		{ "a\nb\tc", "a\\nb\\tc" },
		{ "\x1b[31m", "\\x1b[31m" },
		{ "x\x9b" "31m", "x\\x9b31m" },		/* a raw CSI byte */
		{ "x\xc2\x9b" "31m", "x\\u009b31m" },	/* U+009B, CSI */
		{ "abc\xe2\x80\xaegpj.tif", "abc\\u202egpj.tif" },	/* RLO */
		{ "\xe2\x81\xa6x", "\\u2066x" },		/* LRI */
		{ "\xd9\x85\xd9\x83\xd8\xaa\xd8\xa8\xd8\xa9 \xc3\xa9", "\xd9\x85\xd9\x83\xd8\xaa\xd8\xa8\xd8\xa9 \xc3\xa9" },
		{ "\xe2\x80", "\\xe2\\x80" },			/* cut short */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char *o = wq_ctl_escape(t[i].in);

		assert_string_equal(o, t[i].out);
		free(o);
	}
}

/* ---- text.c: scripts and one page against its ground truth ---- */

static void
script_of(void **state)
{
	(void)state;
	assert_int_equal(wq_script_of(0x628), WQ_SCRIPT_ARABIC);	/* beh */
	assert_int_equal(wq_script_of(0xfefb), WQ_SCRIPT_ARABIC);	/* lam-alef */
	assert_int_equal(wq_script_of(0x663), WQ_SCRIPT_NONE);	/* Arabic-Indic 3 */
	assert_int_equal(wq_script_of('e'), WQ_SCRIPT_LATIN);
	assert_int_equal(wq_script_of(0xe9), WQ_SCRIPT_LATIN);	/* e acute */
	assert_int_equal(wq_script_of(0xd7), WQ_SCRIPT_NONE);		/* times */
	assert_int_equal(wq_script_of('7'), WQ_SCRIPT_NONE);
}

/* wrong_script: lines mostly of the other script are counted, lines
 * without letters or of the wanted script are not. */
static void
wrong_script(void **state)
{
	size_t n = 99;

	(void)state;
	assert_int_equal(wq_wrong_script_lines("", WQ_SCRIPT_ARABIC, &n), 0);
	assert_int_equal(n, 0);
	/* an Arabic line, a line of nonsense Latin, a line of digits */
	assert_int_equal(wq_wrong_script_lines("\u0642\u0627\u0644 \u0627\u0644\u0634\u064a\u062e\n"
	    "59 NI Lui ct &s\n1234 - 56\n", WQ_SCRIPT_ARABIC, &n), 1);
	assert_int_equal(n, 2);
	/* mostly Arabic with one Latin word is right; the reverse on a
	 * French page is wrong; a last line without a newline counts */
	assert_int_equal(wq_wrong_script_lines("Royaume du Maroc\n"
	    "\u0627\u0644\u0645\u0645\u0644\u0643\u0629 \u0627\u0644\u0645\u063a\u0631\u0628\u064a\u0629 du", WQ_SCRIPT_LATIN, &n), 1);
	assert_int_equal(n, 2);
	assert_int_equal(wq_wrong_script_lines("\u0627\u0644\u0645\u0645\u0644\u0643\u0629 du",
	    WQ_SCRIPT_ARABIC, &n), 0);
	/* one stray letter is not a line of text */
	assert_int_equal(wq_wrong_script_lines("x\n", WQ_SCRIPT_ARABIC, &n), 0);
	assert_int_equal(n, 0);
}

/* put_under: a small file under dir, its folders made. */
static void
put_under(const char *dir, const char *rel, const char *text)
{
	char *p = wq_xasprintf("%s/%s", dir, rel);

	assert_int_equal(wq_mkparent(p), 0);
	put_file(p, text, strlen(text));
	free(p);
}

static void
eval_page(void **state)
{
	const char    *d = *state;
	struct wq_page p = { .doc = "d", .page = "0001", .status = "ok" };
	struct wq_eval e;
	char          *gt = wq_xasprintf("%s/d.gt.txt", d), *js, *bad;

	put_under(d, "ingest/d/0001.json", "{}");
	assert_int_equal(wq_eval_page(d, &p, &e, &bad), 0);	/* no ground truth */
	js = wq_xasprintf("{\"ground_truth\": \"%s\"}", gt);
	put_under(d, "ingest/d/0001.json", js);
	assert_int_equal(wq_eval_page(d, &p, &e, &bad), -1);	/* no files yet */
	assert_non_null(bad);
	free(bad);
	put_under(d, "d.gt.txt", "abcd efgh\n");
	put_under(d, "ocr/d/0001.txt", "abXd\nefgh");
	assert_int_equal(wq_eval_page(d, &p, &e, &bad), 1);
	assert_null(bad);
	assert_int_equal(e.char_distance, 1);
	assert_int_equal(e.chars, 9);
	assert_int_equal(e.word_distance, 1);
	assert_int_equal(e.words, 2);
	assert_true(e.cer == wq_cer("abcd efgh", "abXd efgh", NULL, NULL));
	free(js);
	free(gt);
}

/*
 * pix_roundtrip: a page written by wq_pix_write() and read back by
 * wq_pix_read() (its own scanline reader for 8 and 32 bpp, Leptonica's for
 * 1 bpp) is the same image at the same resolution, each depth.
 */
static void
pix_roundtrip(void **state)
{
	const char *dir = *state;
	static const int depths[] = { 1, 8, 32 };
	char        err[256], *path;
	size_t      i;
	l_int32     same, x, y;

	for (i = 0; i < sizeof(depths) / sizeof(depths[0]); i++) {
		PIX *pix = pixCreate(317, 211, depths[i]), *back;

		for (y = 0; y < 211; y++)
			for (x = 0; x < 317; x++)
				pixSetPixel(pix, x, y, depths[i] == 1 ? (x * y) % 3 == 0 :
				    depths[i] == 8 ? (l_uint32)(x + 3 * y) & 0xff :
				    (l_uint32)(x & 0xff) << L_RED_SHIFT |
				    (l_uint32)(y & 0xff) << L_GREEN_SHIFT |
				    (l_uint32)((x ^ y) & 0xff) << L_BLUE_SHIFT);
		pixSetResolution(pix, 400, 300);
		path = wq_xasprintf("%s/p%d.tif", dir, depths[i]);
		assert_int_equal(wq_pix_write(path, pix, err, sizeof(err)), 0);
		back = wq_pix_read(path, err, sizeof(err));
		assert_non_null(back);
		assert_int_equal(pixGetDepth(back), depths[i]);
		assert_int_equal(pixGetXRes(back), 400);
		assert_int_equal(pixGetYRes(back), 300);
		assert_int_equal(pixEqual(pix, back, &same), 0);
		assert_true(same);
		pixDestroy(&back);
		pixDestroy(&pix);
		free(path);
	}
	path = wq_xasprintf("%s/none.tif", dir);
	assert_null(wq_pix_read(path, err, sizeof(err)));
	assert_non_null(strstr(err, "none.tif"));
	free(path);
}

int
main(void)
{
	struct CMUnitTest run[64];
	size_t            nrun = 0, i, k;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(natcmp_numbers),
		cmocka_unit_test(natcmp_leading_zeros),
		cmocka_unit_test(natcmp_prefix),
		cmocka_unit_test(natcmp_order),
		cmocka_unit_test(known_bug_natcmp_total),
		cmocka_unit_test(docid_ascii_kept),
		cmocka_unit_test(docid_made_safe),
		cmocka_unit_test(docid_arabic_distinct),
		cmocka_unit_test(docid_length_bounded),
		cmocka_unit_test(docid_valid_rejects),
		cmocka_unit_test(known_bug_docid_dotdot),
		cmocka_unit_test(pageid),
		cmocka_unit_test(pageid_valid),
		cmocka_unit_test(tsv_roundtrip),
		cmocka_unit_test(tsv_escape_values),
		cmocka_unit_test(tsv_unescape_rejects),
		cmocka_unit_test(ctl_escape),
		cmocka_unit_test(script_of),
		cmocka_unit_test(wrong_script),
		cmocka_unit_test_setup_teardown(eval_page, tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(pages_roundtrip, tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(pages_absent_is_empty, tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(pages_rejects_malformed, tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(pages_rejects_truncated, tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(write_atomic, tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(write_atomic_failure_leaves_nothing, tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(tmpname_and_mkdirs, tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(read_file_bounded, tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test(sha256_buf),
		cmocka_unit_test_setup_teardown(sha256_file, tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test(json_text_utf8),
		cmocka_unit_test(json_text_bounded),
		cmocka_unit_test_setup_teardown(json_write_read, tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(profile_parse, tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(profile_rejects, tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_teardown(profile_long, unquiet_teardown),
		cmocka_unit_test_teardown(profile_double, unquiet_teardown),
		cmocka_unit_test_teardown(profile_bool, unquiet_teardown),
		cmocka_unit_test_setup_teardown(profile_save_load, tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test(stage_enabled),
		cmocka_unit_test(stage_list_and_input),
		cmocka_unit_test(md_digests),
		cmocka_unit_test(key_applies),
		cmocka_unit_test(known_bug_stage_input_unknown),
		cmocka_unit_test(sidecar_and_meta),
		cmocka_unit_test_setup_teardown(page_state, tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(pix_roundtrip, tmpdir_setup, tmpdir_teardown),
	};

	wq_setprogname("test_common");
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]) && nrun < 64; i++) {
		for (k = 0; k < sizeof(known) / sizeof(known[0]); k++)
			if (strcmp(tests[i].name, known[k].test) == 0 &&
			    !known[k].fixed())
				break;
		if (k < sizeof(known) / sizeof(known[0])) {
			printf("# SKIP known bug: %s\n", known[k].why);
			continue;
		}
		run[nrun++] = tests[i];
	}
	fflush(stdout);
	return _cmocka_run_group_tests("test_common", run, nrun, NULL, NULL);
}
