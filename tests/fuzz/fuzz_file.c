/*
 * fuzz_file.c - the fuzz input as a file.
 *
 *   fuzz_file()  write the input to one memfd, kept open, and name it
 *   fuzz_work()  once: a temporary work directory, removed at exit,
 *                whose files named in rel[] are links to input
 *
 * The same memfd is rewritten for every input; readers open it afresh by
 * its /proc name, so each gets its own file offset.
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "wq.h"
#include "fuzz.h"

static char work[] = "/tmp/warraq-fuzz.XXXXXX";

const char *
fuzz_file(const uint8_t *data, size_t size)
{
	static int  fd = -1;
	static char name[64];
	size_t      off = 0;

	if (fd == -1) {
		if ((fd = memfd_create("fuzz-input", MFD_CLOEXEC)) == -1)
			abort();
		snprintf(name, sizeof(name), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) == -1)
		abort();
	while (off < size) {
		ssize_t n = pwrite(fd, data + off, size - off, (off_t)off);

		if (n <= 0)
			abort();
		off += (size_t)n;
	}
	return name;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void
rm_work(void)
{
	nftw(work, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *
fuzz_work(const char *input, const char *const *rel)
{
	static int made;

	/* not by the template's last letter: mkdtemp may well write an X */
	if (made)
		return work;
	if (mkdtemp(work) == NULL)
		abort();
	made = 1;
	atexit(rm_work);
	for (; *rel != NULL; rel++) {
		char *p = wq_xasprintf("%s/%s", work, *rel);

		if (wq_mkparent(p) == -1 || symlink(input, p) == -1)
			abort();
		free(p);
	}
	return work;
}
