/*
 * payload.c - files into the bag, hashed on the way.
 *
 *   pkg_add_file()   a new payload entry of the bag being made
 *   pkg_put()        its bytes written, fsynced, with SHA-256 and SHA-512
 *
 * Shared by package.c (masters, OCR files, access copies, METS) and
 * iiif.c (the manifest and the tiles), so that every file of data/ is
 * hashed once, as it is written, for the bag's manifests and METS.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "package.h"

/* pkg_add_file: a new payload entry, owned by k. */
struct pfile *
pkg_add_file(struct pkg *k, const char *path, const char *use, const char *mime,
    const char *page)
{
	struct pfile *f;

	k->f = wq_xrealloc(k->f, (k->nf + 1) * sizeof(*k->f));
	f = &k->f[k->nf++];
	memset(f, 0, sizeof(*f));
	f->path = wq_xstrdup(path);
	f->use = use;
	f->mime = mime;
	f->page = page;
	return f;
}

/*
 * write_all: the n bytes at p to fd, through short writes (a disk that
 * fills takes part of a write, then refuses the rest with ENOSPC); -1
 * with errno set by the write that failed.
 */
static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t k;

	while (n > 0) {
		if ((k = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (k == 0) {	/* no progress and no reason: say one */
			errno = EIO;
			return -1;
		}
		p += k, n -= (size_t)k;
	}
	return 0;
}

/*
 * pkg_put: writes into DIR/f->path the bytes of the file src (buf ==
 * NULL) or of buf, fsynced, with their size and SHA-256 and SHA-512.
 */
int
pkg_put(const char *dir, struct pfile *f, const char *src, const void *buf,
    size_t len, char *err, size_t errlen)
{
	char         *dst = wq_xasprintf("%s/%s", dir, f->path), b[1 << 16];
	struct wq_md *m256 = wq_md_new("sha256"), *m512 = wq_md_new("sha512");
	int           in = -1, out = -1, r = -1;
	ssize_t       n;

	f->size = 0;
	if (wq_mkparent(dst) == -1 ||
	    (out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) == -1) {
		snprintf(err, errlen, "cannot create %s: %s", dst, strerror(errno));
		goto done;
	}
	if (src != NULL && (in = open(src, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "cannot read %s: %s", src, strerror(errno));
		goto done;
	}
	for (;;) {
		const void *p = buf;

		if (src != NULL) {
			if ((n = read(in, b, sizeof(b))) == -1 && errno == EINTR)
				continue;
			p = b;
		} else
			n = (ssize_t)len, len = 0;
		if (n == -1) {
			snprintf(err, errlen, "cannot read %s: %s", src, strerror(errno));
			goto done;
		}
		if (n == 0)
			break;
		wq_md_update(m256, p, (size_t)n);
		wq_md_update(m512, p, (size_t)n);
		if (write_all(out, p, (size_t)n) == -1) {
			snprintf(err, errlen, "cannot write %s: %s", dst, strerror(errno));
			goto done;
		}
		f->size += n;
	}
	if (fsync(out) == -1) {
		snprintf(err, errlen, "cannot write %s: %s", dst, strerror(errno));
		goto done;
	}
	r = 0;
done:
	wq_md_final(m256, f->sha256);
	wq_md_final(m512, f->sha512);
	if (in != -1)
		close(in);
	if (out != -1 && close(out) == -1 && r == 0) {
		snprintf(err, errlen, "cannot write %s: %s", dst, strerror(errno));
		r = -1;
	}
	free(dst);
	return r;
}

