/*
 * hash.c - fixity, through libcrypto's EVP interface.
 *
 *   wq_sha256_file()  hex digest and size of a file, read once
 *   wq_sha256_buf()   hex digest of a buffer
 *   wq_md_new()       a running digest by its BagIt name (md5 ... sha512)
 *   wq_md_update()    more bytes into it
 *   wq_md_final()     its hex digest; frees it
 *
 * The running digests serve BagIt, whose manifests name the algorithm:
 * a bag is hashed as it is copied or read, in one pass, whatever the
 * number of manifests.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "wq.h"

/* tohex: hex must hold 2 * len + 1 bytes (at most WQ_HEX_MAX). */
static void
tohex(const unsigned char *md, unsigned len, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	unsigned i;

	for (i = 0; i < len && i < (WQ_HEX_MAX - 1) / 2; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[2 * i] = '\0';
}

/* wq_sha256_file: the file is opened read-only; *sizep may be NULL. */
int
wq_sha256_file(const char *path, char hex[65], off_t *sizep)
{
	unsigned char buf[1 << 16], md[EVP_MAX_MD_SIZE];
	unsigned      mdlen;
	EVP_MD_CTX   *ctx;
	off_t         total = 0;
	ssize_t       n;
	int           fd, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return -1;
	ctx = EVP_MD_CTX_new();
	if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		goto fail;
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (EVP_DigestUpdate(ctx, buf, (size_t)n) != 1)
			goto fail;
		total += n;
	}
	if (EVP_DigestFinal_ex(ctx, md, &mdlen) != 1)
		goto fail;
	EVP_MD_CTX_free(ctx);
	close(fd);
	tohex(md, mdlen, hex);
	if (sizep != NULL)
		*sizep = total;
	return 0;
fail:
	saved = errno ? errno : EIO;
	EVP_MD_CTX_free(ctx);
	close(fd);
	errno = saved;
	return -1;
}

void
wq_sha256_buf(const void *buf, size_t len, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned      mdlen = 0;

	EVP_Digest(buf, len, md, &mdlen, EVP_sha256(), NULL);
	tohex(md, mdlen, hex);
}

/*
 * wq_md_new: NULL for a name BagIt does not use.  The names are matched
 * here rather than by EVP_get_digestbyname, which knows many more.
 */
struct wq_md *
wq_md_new(const char *alg)
{
	static const struct {
		const char   *name;
		const EVP_MD *(*md)(void);
	} algs[] = {
		{ "md5", EVP_md5 }, { "sha1", EVP_sha1 }, { "sha224", EVP_sha224 },
		{ "sha256", EVP_sha256 }, { "sha384", EVP_sha384 },
		{ "sha512", EVP_sha512 },
	};
	EVP_MD_CTX *ctx;
	size_t      i;

	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
		if (strcmp(alg, algs[i].name) == 0)
			break;
	if (i == sizeof(algs) / sizeof(algs[0]))
		return NULL;
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(ctx, algs[i].md(), NULL) != 1)
		abort();
	return (struct wq_md *)ctx;
}

void
wq_md_update(struct wq_md *m, const void *buf, size_t len)
{
	if (EVP_DigestUpdate((EVP_MD_CTX *)m, buf, len) != 1)
		abort();
}

/* wq_md_final: hex gets the lowercase digest; m is freed. */
void
wq_md_final(struct wq_md *m, char hex[WQ_HEX_MAX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned      mdlen = 0;

	EVP_DigestFinal_ex((EVP_MD_CTX *)m, md, &mdlen);
	EVP_MD_CTX_free((EVP_MD_CTX *)m);
	tohex(md, mdlen, hex);
}
