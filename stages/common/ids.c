/*
 * ids.c - document and page ids, and the natural order of page files.
 *
 *   wq_docid_from_name()  a safe DOC id from a source file or folder name
 *   wq_docid_valid()      1 if a string is a DOC id this library makes
 *   wq_pageid_valid()     1 if a string is a PAGE id ("0001")
 *   wq_pageid()           the PAGE id of page n (1-based)
 *   wq_natcmp()           strcmp, but runs of digits compare as numbers
 *   wq_image_name()       1 if a file name is a page image ingest takes
 *   wq_image_refused()    the format of a file that looks like a scan
 *                         ingest does not take (PDF, ...), or NULL
 *
 * DOC ids become folder names, XML ids and tar entry names, so they are
 * plain ASCII: letters, digits, '.', '_' and '-', never starting with a
 * dot, at most WQ_DOCID_MAX bytes.  A name that had to be changed gets a
 * short hash of the original appended, so that two Arabic names do not
 * both become "_" and collide.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "wq.h"

static int
idchar(int c)
{
	return isascii(c) && (isalnum(c) || c == '-' || c == '_' || c == '.');
}

char *
wq_docid_from_name(const char *name)
{
	size_t n = strlen(name), i, o = 0;
	char  *id = wq_xmalloc(WQ_DOCID_MAX + 1);
	char   hex[65];
	int    changed = 0;

	for (i = 0; i < n && o < WQ_DOCID_MAX - 9; i++) {
		unsigned char c = (unsigned char)name[i];

		if (idchar(c) && !(o == 0 && (c == '.' || c == '-')) &&
		    !(c == '.' && o > 0 && id[o - 1] == '.')) {
			id[o++] = (char)c;
			continue;
		}
		changed = 1;
		if (o > 0 && id[o - 1] != '_')
			id[o++] = '_';
	}
	if (i < n)
		changed = 1;
	while (o > 0 && (id[o - 1] == '_' || id[o - 1] == '.'))
		o--;
	id[o] = '\0';
	if (changed || o == 0) {
		wq_sha256_buf(name, n, hex);
		hex[8] = '\0';
		if (o == 0)
			strcpy(id, "doc");
		strcat(id, "-");
		strcat(id, hex);
	}
	return id;
}

int
wq_docid_valid(const char *id)
{
	size_t i, n = strlen(id);

	if (n == 0 || n > WQ_DOCID_MAX || id[0] == '.' || id[0] == '-' ||
	    strstr(id, "..") != NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (!idchar((unsigned char)id[i]))
			return 0;
	return 1;
}

int
wq_pageid_valid(const char *id)
{
	size_t i, n = strlen(id);

	if (n < 4 || n > 9)
		return 0;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)id[i]))
			return 0;
	return 1;
}

void
wq_pageid(unsigned n, char out[16])
{
	snprintf(out, 16, "%04u", n);
}

/* natcmp: the comparison; 0 for names that differ only in leading zeros */
static int
natcmp(const char *a, const char *b)
{
	while (*a != '\0' && *b != '\0') {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			const char *ea, *eb;
			size_t      la, lb;

			while (*a == '0' && isdigit((unsigned char)a[1]))
				a++;
			while (*b == '0' && isdigit((unsigned char)b[1]))
				b++;
			for (ea = a; isdigit((unsigned char)*ea); ea++)
				;
			for (eb = b; isdigit((unsigned char)*eb); eb++)
				;
			la = (size_t)(ea - a);
			lb = (size_t)(eb - b);
			if (la != lb)
				return la < lb ? -1 : 1;
			if (memcmp(a, b, la) != 0)
				return memcmp(a, b, la) < 0 ? -1 : 1;
			a = ea;
			b = eb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	if (*a == *b)
		return 0;
	return *a == '\0' ? -1 : 1;
}

/* wq_natcmp: a total order: ties (01 and 1) are broken bytewise. */
int
wq_natcmp(const char *a, const char *b)
{
	int r = natcmp(a, b);

	return r != 0 ? r : strcmp(a, b);
}

/*
 * wq_image_refused: a scanner's or a camera's output that is not taken
 * (by extension, any case): said, not skipped silently; NULL for a file
 * that is no image (ground truth, checksums, notes).
 */
const char *
wq_image_refused(const char *name)
{
	static const char *ext[][2] = {
		{ ".pdf", "PDF" }, { ".bmp", "BMP" }, { ".gif", "GIF" },
		{ ".webp", "WebP" }, { ".heic", "HEIC" }, { ".djvu", "DjVu" },
		{ ".dng", "camera raw (DNG)" }, { ".cr2", "camera raw (CR2)" },
		{ ".nef", "camera raw (NEF)" }, { ".psd", "Photoshop" },
	};
	const char *dot = strrchr(name, '.');
	size_t      i;

	for (i = 0; dot != NULL && i < sizeof(ext) / sizeof(ext[0]); i++)
		if (strcasecmp(dot, ext[i][0]) == 0)
			return ext[i][1];
	return NULL;
}

/*
 * wq_image_name: page images are taken by extension, any case; other
 * files beside them (ground truth, checksums, notes) are left alone.
 */
int
wq_image_name(const char *name)
{
	static const char *ext[] = { ".tif", ".tiff", ".jpg", ".jpeg", ".png",
	    ".jp2", ".j2k", ".j2c" };
	const char *dot = strrchr(name, '.');
	size_t      i;

	for (i = 0; dot != NULL && i < sizeof(ext) / sizeof(ext[0]); i++)
		if (strcasecmp(dot, ext[i]) == 0)
			return 1;
	return 0;
}
