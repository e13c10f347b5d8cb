/*
 * bagit.c - is this a valid BagIt bag (RFC 8493): a folder, or a tar,
 * tar.zst, zip ... of one, read through libarchive without unpacking it.
 *
 *   bag_check()   the number of problems found (0: valid), each given to
 *                 a callback on its own; -1 when the bag cannot be read
 *
 * Checked: the bag declaration (bagit.txt, exactly two lines, version
 * 1.0 or 0.97), at least one payload manifest in an algorithm known
 * (md5, sha1, sha224, sha256, sha384, sha512), every manifest line well
 * formed, no path listed twice in a manifest, none outside the bag,
 * every listed file present with the right checksum, every payload file
 * listed in every payload manifest, Payload-Oxum, the tag manifests, no
 * byte-order mark, no file that is not a regular file, no fetch.txt path
 * outside the payload.  A serialised
 * bag must hold one top-level folder, the bag's base (RFC 8493 4.2).
 *
 * The bag is read twice, as it streams: first every file's name and size
 * and the small files at the top (the tag files), then the files a
 * manifest lists, each hashed once in every algorithm that lists it.
 * Paths from manifests are looked up among the files found, never opened,
 * so a hostile manifest cannot make the checker read outside the bag.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "wq.h"
#include "bagit.h"

#define TAG_MAX (64 << 20)	/* largest tag file read into memory */

struct want {			/* a manifest's checksum of a file */
	size_t      m;		/* which manifest */
	const char *hex;
};

struct entry {
	char        *path;	/* relative to the base */
	long long    size;
	int          type;	/* 'f' file, 'd' folder, 'o' other */
	char        *data;	/* a top-level file's bytes */
	size_t       len;
	struct want *w;
	size_t       nw;
};

struct manifest {
	char  *name;		/* "manifest-sha512.txt" */
	char  *alg;
	int    tag;		/* a tag manifest */
	char **hex;		/* the checksums, owned */
	size_t nhex;
};

struct bag {
	const char      *path;
	int              archive;
	char            *base;	/* an archive's top folder */
	struct entry    *e;
	size_t           n;
	json_t          *index;	/* path -> entry */
	struct manifest *m;
	size_t           nm;
	int              pass;
	bag_problem_fn   fn;
	void            *ctx;
	int              problems;
};

static void
problem(struct bag *b, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
problem(struct bag *b, const char *file, const char *fmt, ...)
{
	va_list ap;
	char   *msg, *line;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		abort();
	va_end(ap);
	line = wq_xasprintf("%s: %s", file, msg);
	b->fn(b->ctx, line);
	free(line);
	free(msg);
	b->problems++;
}

static struct entry *
find(struct bag *b, const char *path)
{
	json_t *i = json_object_get(b->index, path);

	return i ? &b->e[json_integer_value(i)] : NULL;
}

/* ---- reading the bag: a folder or an archive, the same way ---- */

struct reader {
	int             fd;
	struct archive *ar;
};

static ssize_t
rd(struct reader *r, void *buf, size_t n)
{
	ssize_t k;

	if (r->ar != NULL)
		return archive_read_data(r->ar, buf, n);
	while ((k = read(r->fd, buf, n)) == -1 && errno == EINTR)
		;
	return k;
}

/*
 * read_all: a top-level file's bytes, for parsing.  Read to its end,
 * whatever size the archive announced (a streamed zip may announce none).
 */
static void
read_all(struct bag *b, struct entry *e, struct reader *r)
{
	char    buf[1 << 16];
	size_t  cap = 0;
	ssize_t k;

	while ((k = rd(r, buf, sizeof(buf))) > 0) {
		if (e->len + (size_t)k > TAG_MAX) {
			problem(b, e->path, "tag file larger than %d bytes", TAG_MAX);
			free(e->data);
			e->data = NULL;
			return;
		}
		if (e->len + (size_t)k + 1 > cap) {
			cap = 2 * (e->len + (size_t)k + 1);
			e->data = wq_xrealloc(e->data, cap);
		}
		memcpy(e->data + e->len, buf, (size_t)k);
		e->len += (size_t)k;
	}
	if (e->data == NULL)
		e->data = wq_xstrdup("");
	e->data[e->len] = '\0';
	e->size = (long long)e->len;
	if (k < 0)
		problem(b, e->path, "cannot be read");
}

/* count_all: the size of a file an archive did not announce. */
static void
count_all(struct entry *e, struct reader *r)
{
	char    buf[1 << 16];
	ssize_t k;

	e->size = 0;
	while ((k = rd(r, buf, sizeof(buf))) > 0)
		e->size += k;
}

/* hash_entry: every checksum the manifests give for this file. */
static void
hash_entry(struct bag *b, struct entry *e, struct reader *r)
{
	struct wq_md *md[16];
	const char   *alg[16];
	char          buf[1 << 16], hex[WQ_HEX_MAX];
	size_t        i, k, na = 0;
	ssize_t       n;

	for (i = 0; i < e->nw; i++) {
		for (k = 0; k < na; k++)
			if (strcmp(alg[k], b->m[e->w[i].m].alg) == 0)
				break;
		if (k == na && na < 16) {
			alg[na] = b->m[e->w[i].m].alg;
			md[na] = wq_md_new(alg[na]);
			na++;
		}
	}
	while ((n = rd(r, buf, sizeof(buf))) > 0)
		for (k = 0; k < na; k++)
			wq_md_update(md[k], buf, (size_t)n);
	if (n < 0)
		problem(b, e->path, "cannot be read");
	for (k = 0; k < na; k++) {
		wq_md_final(md[k], hex);
		for (i = 0; i < e->nw && n >= 0; i++)
			if (strcmp(b->m[e->w[i].m].alg, alg[k]) == 0 &&
			    strcasecmp(e->w[i].hex, hex) != 0)
				problem(b, e->path, "%s checksum is %s, %s says %s",
				    alg[k], hex, b->m[e->w[i].m].name, e->w[i].hex);
	}
}

/* visit: one file of the bag; pass 1 records it, pass 2 checks it. */
static void
visit(struct bag *b, const char *path, int type, long long size,
    struct reader *r)
{
	struct entry *e;

	if (b->pass == 2) {
		if (type == 'f' && (e = find(b, path)) != NULL && e->nw > 0)
			hash_entry(b, e, r);
		return;
	}
	if ((e = find(b, path)) != NULL) {
		/* a folder may come after the files in it (whose entries
		 * implied it) */
		if (!(type == 'd' && e->type == 'd'))
			problem(b, path, "found twice");
		return;
	}
	b->e = wq_xrealloc(b->e, (b->n + 1) * sizeof(*b->e));
	e = &b->e[b->n];
	memset(e, 0, sizeof(*e));
	e->path = wq_xstrdup(path);
	e->size = size;
	e->type = type;
	json_object_set_new_nocheck(b->index, path, json_integer((json_int_t)b->n));
	b->n++;
	if (type == 'o')
		problem(b, path, "not a regular file or folder");
	if (type == 'f' && strchr(path, '/') == NULL)
		read_all(b, e, r);
	else if (type == 'f' && size < 0)
		count_all(e, r);
}

static struct bag *walking;	/* nftw has no context argument */

static int
walk_one(const char *fpath, const struct stat *st, int flag, struct FTW *ftw)
{
	struct reader r = { -1, NULL };
	const char   *rel = fpath + strlen(walking->path) + 1;
	int           type = flag == FTW_F ? (S_ISREG(st->st_mode) ? 'f' : 'o') :
	    flag == FTW_D ? 'd' : 'o';

	if (ftw->level == 0)
		return 0;
	if (type == 'f' && (walking->pass == 1 ? strchr(rel, '/') == NULL :
	    find(walking, rel) != NULL)) {
		if ((r.fd = open(fpath, O_RDONLY | O_CLOEXEC)) == -1) {
			problem(walking, rel, "cannot open: %s", strerror(errno));
			return 0;
		}
	}
	visit(walking, rel, type, (long long)st->st_size, &r);
	if (r.fd != -1)
		close(r.fd);
	return 0;
}

/* out_of_scope: an absolute path, or one with a "." or ".." segment. */
static int
out_of_scope(const char *p)
{
	const char *s;

	if (*p == '/' || *p == '\0')
		return 1;
	for (s = p; s != NULL; s = strchr(s, '/') ? strchr(s, '/') + 1 : NULL)
		if ((s[0] == '.' && (s[1] == '/' || s[1] == '\0')) ||
		    (s[0] == '.' && s[1] == '.' && (s[2] == '/' || s[2] == '\0')) ||
		    s[0] == '/')
			return 1;
	return 0;
}

/* in_base: an archive entry's path inside the base folder, or NULL. */
static const char *
in_base(struct bag *b, const char *name)
{
	size_t n;

	while (name[0] == '.' && name[1] == '/')
		name += 2;
	if (name[0] == '\0')	/* "./", the archive's root */
		return NULL;
	if (out_of_scope(name)) {	/* never resolved: it would leave the bag */
		if (b->pass == 1)
			problem(b, name, "unsafe path in the archive (absolute, "
			    "or with a . or .. segment)");
		return NULL;
	}
	n = strcspn(name, "/");
	if (b->base == NULL)
		b->base = wq_xasprintf("%.*s", (int)n, name);
	if (strlen(b->base) != n || strncmp(name, b->base, n) != 0) {
		if (b->pass == 1)
			problem(b, name, "outside the bag's base folder %s/", b->base);
		return NULL;
	}
	name += n;
	while (*name == '/')
		name++;
	return name;
}

/*
 * implied_folders: the folders above an archive entry, as entries of
 * their own when the archive has none for them (tar --no-recursion,
 * zip -D): a bag is valid without them (RFC 8493 names files only).
 */
static void
implied_folders(struct bag *b, const char *path, struct reader *r)
{
	char *p = wq_xstrdup(path), *s;

	for (s = strchr(p, '/'); s != NULL; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (find(b, p) == NULL)
			visit(b, p, 'd', 0, r);
		*s = '/';
	}
	free(p);
}

static int
walk_archive(struct bag *b)
{
	struct archive       *ar = archive_read_new();
	struct archive_entry *ae;
	struct reader         r = { -1, ar };
	int                   k;

	archive_read_support_filter_all(ar);
	archive_read_support_format_all(ar);
	if (archive_read_open_filename(ar, b->path, 1 << 16) != ARCHIVE_OK) {
		wq_warnx(b->path, "%s", archive_error_string(ar));
		archive_read_free(ar);
		return -1;
	}
	while ((k = archive_read_next_header(ar, &ae)) == ARCHIVE_OK ||
	    k == ARCHIVE_WARN) {
		const char *name = archive_entry_pathname(ae);
		const char *rel = name ? in_base(b, name) : NULL;
		char       *p;
		mode_t      t = archive_entry_filetype(ae);

		if (rel == NULL || rel[0] == '\0')
			continue;
		p = wq_xstrdup(rel);
		if (p[strlen(p) - 1] == '/')	/* a folder named with a slash */
			p[strlen(p) - 1] = '\0';
		implied_folders(b, p, &r);
		visit(b, p, t == AE_IFREG ? 'f' : t == AE_IFDIR ? 'd' : 'o',
		    archive_entry_size_is_set(ae) ? (long long)archive_entry_size(ae) :
		    -1, &r);
		free(p);
	}
	if (k != ARCHIVE_EOF) {
		problem(b, b->path, "archive damaged: %s", archive_error_string(ar));
		archive_read_free(ar);
		return 0;
	}
	archive_read_free(ar);
	return 0;
}

static int
walk(struct bag *b)
{
	if (b->archive)
		return walk_archive(b);
	walking = b;
	if (nftw(b->path, walk_one, 32, FTW_PHYS) == -1) {
		wq_warn(b->path, "cannot read");
		return -1;
	}
	return 0;
}

/* ---- the tag files ---- */

/* next_line: splits at LF, CRLF or CR; NULL at the end. */
static char *
next_line(char **sp)
{
	char *s = *sp, *e;

	if (s == NULL || *s == '\0')
		return NULL;
	e = s + strcspn(s, "\r\n");
	if (*e == '\r' && e[1] == '\n')
		*e++ = '\0';
	*sp = *e ? e + 1 : NULL;
	*e = '\0';
	return s;
}

/* tag_text: a tag file's bytes as a string to cut (owned), or NULL. */
static char *
tag_text(struct bag *b, const char *name)
{
	struct entry *e = find(b, name);

	if (e == NULL || e->type != 'f' || e->data == NULL)
		return NULL;
	if (e->len >= 3 && memcmp(e->data, "\xef\xbb\xbf", 3) == 0)
		problem(b, name, "starts with a byte-order mark");
	if (memchr(e->data, '\0', e->len) != NULL)
		problem(b, name, "holds a NUL byte");
	return wq_xstrdup(e->data);
}

static int
is_version(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n > 0 && s[n] == '.' && strspn(s + n + 1, "0123456789") > 0 &&
	    s[n + 1 + strspn(s + n + 1, "0123456789")] == '\0';
}

static void
check_declaration(struct bag *b)
{
	char *text = tag_text(b, "bagit.txt"), *s = text, *l1, *l2;

	if (text == NULL) {
		problem(b, "bagit.txt", "missing: not a bag");
		return;
	}
	l1 = next_line(&s);
	l2 = next_line(&s);
	if (l1 == NULL || strncmp(l1, "BagIt-Version: ", 15) != 0 ||
	    !is_version(l1 + 15))
		problem(b, "bagit.txt", "first line is not \"BagIt-Version: M.N\"");
	else if (strcmp(l1 + 15, "1.0") != 0 && strcmp(l1 + 15, "0.97") != 0)
		problem(b, "bagit.txt", "BagIt version %s not supported", l1 + 15);
	if (l2 == NULL || strncmp(l2, "Tag-File-Character-Encoding: ", 29) != 0 ||
	    l2[29] == '\0' || strpbrk(l2 + 29, " \t") != NULL)
		problem(b, "bagit.txt", "second line is not "
		    "\"Tag-File-Character-Encoding: ENCODING\"");
	while ((l1 = next_line(&s)) != NULL)
		if (*l1 != '\0') {
			problem(b, "bagit.txt", "more than two lines");
			break;
		}
	free(text);
}

/* check_info: bag-info.txt's shape and its Payload-Oxum. */
static void
check_info(struct bag *b, unsigned long long octets, size_t files)
{
	char *text = tag_text(b, "bag-info.txt"), *s = text, *l;
	int   noxum = 0;

	if (text == NULL)
		return;		/* optional */
	while ((l = next_line(&s)) != NULL) {
		char  *colon = strchr(l, ':');
		size_t n = colon ? (size_t)(colon - l) : 0;

		if (*l == ' ' || *l == '\t' || *l == '\0')
			continue;	/* a value's continuation */
		if (colon == NULL || n == 0 || l[n - 1] == ' ' || l[n - 1] == '\t') {
			problem(b, "bag-info.txt", "not \"Label: value\": %.60s", l);
			continue;
		}
		if (n == 12 && strncasecmp(l, "Payload-Oxum", 12) == 0) {
			unsigned long long o;
			size_t             f;
			char               tail;

			if (noxum++ == 1)
				problem(b, "bag-info.txt", "Payload-Oxum given twice");
			if (sscanf(colon + 1, " %llu.%zu%c", &o, &f, &tail) != 2)
				problem(b, "bag-info.txt", "Payload-Oxum is not "
				    "OCTETS.FILES: %.40s", colon + 1);
			else if (o != octets || f != files)
				problem(b, "bag-info.txt", "Payload-Oxum %llu.%zu, "
				    "payload has %llu.%zu", o, f, octets, files);
		}
	}
	free(text);
}

/* decode_path: a manifest path with %0A %0D %25 decoded (RFC 8493 2.1.3). */
static char *
decode_path(const char *s)
{
	char  *out = wq_xmalloc(strlen(s) + 1);
	size_t o = 0;

	while (*s) {
		if (s[0] == '%' && (strncasecmp(s + 1, "0a", 2) == 0 ||
		    strncasecmp(s + 1, "0d", 2) == 0 || strncmp(s + 1, "25", 2) == 0)) {
			out[o++] = strncmp(s + 1, "25", 2) == 0 ? '%' :
			    (s[2] == 'a' || s[2] == 'A') ? '\n' : '\r';
			s += 3;
		} else
			out[o++] = *s++;
	}
	out[o] = '\0';
	return out;
}

static size_t
hex_len(const char *alg)
{
	return strcmp(alg, "md5") == 0 ? 32 : strcmp(alg, "sha1") == 0 ? 40 :
	    strcmp(alg, "sha224") == 0 ? 56 : strcmp(alg, "sha256") == 0 ? 64 :
	    strcmp(alg, "sha384") == 0 ? 96 : 128;
}

/* read_manifest: its lines become wants of the files they name. */
static void
read_manifest(struct bag *b, size_t mi)
{
	struct manifest *m = &b->m[mi];
	char            *text = tag_text(b, m->name), *s = text, *l;
	json_t          *seen = json_object();
	size_t           lineno = 0;

	while ((l = next_line(&s)) != NULL) {
		size_t        k = strcspn(l, " \t");
		char         *path, *p;
		struct entry *e;

		lineno++;
		if (*l == '\0')
			continue;
		if (l[k] == '\0' || k != hex_len(m->alg) ||
		    strspn(l, "0123456789abcdefABCDEF") != k) {
			problem(b, m->name, "line %zu is not \"CHECKSUM PATH\" "
			    "with a %s checksum", lineno, m->alg);
			continue;
		}
		l[k] = '\0';
		p = l + k + 1 + strspn(l + k + 1, " \t");
		if (p[0] == '.' && p[1] == '/')	/* the base, said twice */
			p += 2;
		path = decode_path(p);
		if (out_of_scope(path))
			problem(b, m->name, "line %zu: path %s outside the bag",
			    lineno, path);
		else if (json_object_get(seen, path) != NULL)
			problem(b, m->name, "lists %s twice", path);
		else if (!m->tag && strncmp(path, "data/", 5) != 0)
			problem(b, m->name, "lists %s, not in the payload", path);
		else if ((e = find(b, path)) == NULL || e->type != 'f')
			problem(b, path, "listed in %s, missing", m->name);
		else {
			m->hex = wq_xrealloc(m->hex, (m->nhex + 1) * sizeof(char *));
			m->hex[m->nhex] = wq_xstrdup(l);
			e->w = wq_xrealloc(e->w, (e->nw + 1) * sizeof(*e->w));
			e->w[e->nw].m = mi;
			e->w[e->nw++].hex = m->hex[m->nhex++];
		}
		json_object_set_new_nocheck(seen, path, json_true());
		free(path);
	}
	json_decref(seen);
	free(text);
}

/*
 * check_fetch: fetch.txt's paths (URL LENGTH PATH) must be payload paths
 * inside the bag; the files it lists must be here anyway (a bag to be
 * fetched is not complete, so not valid), which the manifests check.
 */
static void
check_fetch(struct bag *b)
{
	char  *text = tag_text(b, "fetch.txt"), *s = text, *l;
	size_t lineno = 0;

	while ((l = next_line(&s)) != NULL) {
		char *path;

		lineno++;
		if (*l == '\0')
			continue;
		l += strcspn(l, " \t");		/* the URL */
		l += strspn(l, " \t");
		l += strcspn(l, " \t");		/* the length */
		l += strspn(l, " \t");
		path = decode_path(l);
		if (out_of_scope(path) || path[0] == '~' ||
		    strncmp(path, "data/", 5) != 0)
			problem(b, "fetch.txt", "line %zu: path %s outside the "
			    "payload", lineno, path);
		free(path);
	}
	free(text);
}

/* find_manifests: manifest-ALG.txt and tagmanifest-ALG.txt at the top. */
static void
find_manifests(struct bag *b, struct bag_summary *sum)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		const char *p = b->e[i].path;
		int         tag = strncmp(p, "tag", 3) == 0;
		size_t      n = strlen(p);
		struct wq_md *md;
		char       *alg, scratch[WQ_HEX_MAX];

		if (strchr(p, '/') != NULL || n < 13 || strcmp(p + n - 4, ".txt") != 0 ||
		    strncmp(p + 3 * tag, "manifest-", 9) != 0)
			continue;
		alg = wq_xasprintf("%.*s", (int)(n - 4 - 9 - 3 * tag), p + 9 + 3 * tag);
		if ((md = wq_md_new(alg)) == NULL) {
			problem(b, p, "algorithm %s not supported", alg);
			free(alg);
			continue;
		}
		wq_md_final(md, scratch);	/* known: that was the question */
		b->m = wq_xrealloc(b->m, (b->nm + 1) * sizeof(*b->m));
		memset(&b->m[b->nm], 0, sizeof(*b->m));
		b->m[b->nm].name = wq_xstrdup(p);
		b->m[b->nm].alg = alg;
		b->m[b->nm].tag = tag;
		if (!tag && strlen(sum->algs) + n < sizeof(sum->algs) - 1)
			snprintf(sum->algs + strlen(sum->algs), sizeof(sum->algs) -
			    strlen(sum->algs), "%s%s", sum->algs[0] ? "," : "", alg);
		b->nm++;
	}
}

static void
bag_free(struct bag *b)
{
	size_t i, k;

	for (i = 0; i < b->n; i++) {
		free(b->e[i].path);
		free(b->e[i].data);
		free(b->e[i].w);
	}
	for (i = 0; i < b->nm; i++) {
		for (k = 0; k < b->m[i].nhex; k++)
			free(b->m[i].hex[k]);
		free(b->m[i].hex);
		free(b->m[i].name);
		free(b->m[i].alg);
	}
	free(b->e);
	free(b->m);
	free(b->base);
	json_decref(b->index);
}

/*
 * bag_check: fn gets each problem; sum (may be NULL) the payload's size
 * and files and the payload manifests' algorithms.
 */
int
bag_check(const char *path, bag_problem_fn fn, void *ctx,
    struct bag_summary *sum)
{
	struct bag         b;
	struct bag_summary s;
	struct stat        st;
	char              *root = wq_xstrdup(path);
	size_t             i, k, npayload = 0;
	int                r;

	memset(&b, 0, sizeof(b));
	memset(&s, 0, sizeof(s));
	while (strlen(root) > 1 && root[strlen(root) - 1] == '/')
		root[strlen(root) - 1] = '\0';
	if (stat(root, &st) == -1) {
		wq_warn(path, "cannot read");
		free(root);
		return -1;
	}
	b.path = root;
	b.archive = !S_ISDIR(st.st_mode);
	b.fn = fn;
	b.ctx = ctx;
	b.index = json_object();
	b.pass = 1;
	if (walk(&b) == -1) {
		bag_free(&b);
		free(root);
		return -1;
	}
	check_declaration(&b);
	if (find(&b, "data") == NULL || find(&b, "data")->type != 'd')
		problem(&b, "data", "no payload folder");
	for (i = 0; i < b.n; i++)
		if (b.e[i].type == 'f' && strncmp(b.e[i].path, "data/", 5) == 0) {
			s.octets += (unsigned long long)b.e[i].size;
			s.files++;
		}
	check_info(&b, s.octets, s.files);
	check_fetch(&b);
	find_manifests(&b, &s);
	for (i = 0; i < b.nm; i++) {
		npayload += !b.m[i].tag;
		read_manifest(&b, i);
	}
	if (npayload == 0)
		problem(&b, "manifest-sha512.txt", "no payload manifest");
	/* every payload file in every payload manifest */
	for (i = 0; i < b.n; i++) {
		struct entry *e = &b.e[i];

		if (e->type != 'f' || strncmp(e->path, "data/", 5) != 0)
			continue;
		for (k = 0; k < b.nm; k++) {
			size_t j;

			for (j = 0; j < e->nw && e->w[j].m != k; j++)
				;
			if (!b.m[k].tag && j == e->nw)
				problem(&b, e->path, "not in %s", b.m[k].name);
		}
	}
	b.pass = 2;
	if (walk(&b) == -1)
		b.problems++;
	if (sum != NULL)
		*sum = s;
	r = b.problems;
	bag_free(&b);
	free(root);
	return r;
}
