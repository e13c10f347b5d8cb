/*
 * json.c - JSON sidecars, through jansson.
 *
 *   wq_json_write()   write an object atomically, indented, newline-ended
 *   wq_json_read()    read an object, NULL if absent or not an object
 *   wq_json_text()    a JSON string from untrusted bytes (TIFF tags, names)
 *   wq_json_textn()   the same for a counted buffer
 *   wq_text_clean()   the same text as a C string (for XML, which cannot
 *                     hold control characters even escaped)
 *   wq_box_json()     a Leptonica box as {x, y, w, h}, null for none
 *
 * Untrusted text is made valid UTF-8 (bad bytes become U+FFFD), control
 * characters other than tab and newline are dropped and the result is cut
 * at max bytes on a character boundary, so a hostile tag cannot make a
 * sidecar invalid or huge.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wq.h"

int
wq_json_write(const char *path, json_t *obj)
{
	char *s = json_dumps(obj, JSON_INDENT(2));
	char *t;
	int   r;

	if (s == NULL) {
		errno = EINVAL;
		return -1;
	}
	t = wq_xasprintf("%s\n", s);
	free(s);
	r = wq_write_atomic(path, t, strlen(t));
	free(t);
	return r;
}

json_t *
wq_json_read(const char *path)
{
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, NULL);

	if (j != NULL && !json_is_object(j)) {
		json_decref(j);
		return NULL;
	}
	return j;
}

/* utf8len: length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t
utf8len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/* wq_text_clean: NUL-terminated, owned; *lenp (may be NULL) its length. */
char *
wq_text_clean(const char *s, size_t n, size_t max, size_t *lenp)
{
	const unsigned char *u = (const unsigned char *)s;
	char   *out = wq_xmalloc(max + 4);
	size_t  i = 0, o = 0, k;

	while (i < n) {
		k = utf8len(u + i, n - i);
		if (k == 0) {
			if (o + 3 > max)
				break;
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
			continue;
		}
		if (k == 1 && (u[i] < 0x20 || u[i] == 0x7f) &&
		    u[i] != '\t' && u[i] != '\n') {
			i++;
			continue;
		}
		if (o + k > max)
			break;
		memcpy(out + o, s + i, k);
		o += k;
		i += k;
	}
	out[o] = '\0';
	if (lenp != NULL)
		*lenp = o;
	return out;
}

json_t *
wq_json_textn(const char *s, size_t n, size_t max)
{
	size_t  len;
	char   *t = wq_text_clean(s, n, max, &len);
	json_t *j = json_stringn(t, len);

	free(t);
	return j;
}

json_t *
wq_json_text(const char *s, size_t max)
{
	if (s == NULL)
		return json_null();
	return wq_json_textn(s, strlen(s), max);
}

json_t *
wq_box_json(BOX *b)
{
	l_int32 x, y, w, h;

	if (b == NULL)
		return json_null();
	boxGetGeometry(b, &x, &y, &w, &h);
	return json_pack("{s:i, s:i, s:i, s:i}", "x", x, "y", y, "w", w, "h", h);
}
