/*
 * hash.c - SHA-256 fixity, through libcrypto's EVP interface.
 *
 *   wq_sha256_file()  hex digest and size of a file, read once
 *   wq_sha256_buf()   hex digest of a buffer
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "wq.h"

static void
tohex(const unsigned char *md, unsigned len, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	unsigned i;

	for (i = 0; i < len && i < 32; i++) {
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
