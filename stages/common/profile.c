/*
 * profile.c - a collection's settings, as "key = value" lines.
 *
 *   wq_profile_load()    read a profile file; later lines win
 *   wq_profile_set()     set one key (checked against the known keys)
 *   wq_profile_setkv()   the same from "key=value" (a -o option)
 *   wq_profile_get()     a value, or def
 *   wq_profile_long()    a whole number in [min, max], or def
 *   wq_profile_double()  a number in [min, max], or def
 *   wq_profile_bool()    on/off, yes/no, true/false, 1/0, or def
 *   wq_profile_save()    write the settings back as a profile
 *   wq_profile_free()
 *
 * Lines are "key = value"; '#' starts a comment line.  Keys must be among
 * wq_keys[] (stage.c), so that a misspelt setting is an error, not a
 * setting silently ignored for a whole collection.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "wq.h"

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int
wq_profile_set(struct wq_profile *pr, const char *key, const char *val)
{
	size_t i;

	if (!wq_key_known(key)) {
		wq_warnx(key, "unknown setting (see --help for the list)");
		return -1;
	}
	if (strlen(val) > 4096 || strpbrk(val, "\n\r") != NULL) {
		wq_warnx(key, "value too long or not on one line");
		return -1;
	}
	for (i = 0; i < pr->n; i++)
		if (strcmp(pr->key[i], key) == 0) {
			free(pr->val[i]);
			pr->val[i] = wq_xstrdup(val);
			return 0;
		}
	pr->key = wq_xrealloc(pr->key, (pr->n + 1) * sizeof(char *));
	pr->val = wq_xrealloc(pr->val, (pr->n + 1) * sizeof(char *));
	pr->key[pr->n] = wq_xstrdup(key);
	pr->val[pr->n] = wq_xstrdup(val);
	pr->n++;
	return 0;
}

int
wq_profile_setkv(struct wq_profile *pr, const char *kv)
{
	char *s = wq_xstrdup(kv), *eq = strchr(s, '=');
	int   r;

	if (eq == NULL) {
		wq_warnx(kv, "expected KEY=VALUE");
		free(s);
		return -1;
	}
	*eq = '\0';
	r = wq_profile_set(pr, trim(s), trim(eq + 1));
	free(s);
	return r;
}

int
wq_profile_load(struct wq_profile *pr, const char *path)
{
	char  *buf = wq_read_file(path, 1 << 20, NULL), *line, *next;
	int    lineno = 0, r = 0;

	if (buf == NULL) {
		wq_warn(path, "cannot read profile");
		return -1;
	}
	for (line = buf; line != NULL && *line != '\0'; line = next) {
		char *eq, *l;

		lineno++;
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		l = trim(line);
		if (*l == '\0' || *l == '#')
			continue;
		eq = strchr(l, '=');
		if (eq == NULL) {
			wq_warnx(path, "line %d: expected key = value", lineno);
			r = -1;
			continue;
		}
		*eq = '\0';
		if (wq_profile_set(pr, trim(l), trim(eq + 1)) == -1) {
			wq_warnx(path, "line %d: setting refused", lineno);
			r = -1;
		}
	}
	free(buf);
	return r;
}

const char *
wq_profile_get(const struct wq_profile *pr, const char *key, const char *def)
{
	size_t i;

	for (i = pr->n; i-- > 0; )
		if (strcmp(pr->key[i], key) == 0)
			return pr->val[i];
	return def;
}

int
wq_profile_long(const struct wq_profile *pr, const char *key, long def,
    long min, long max, long *out)
{
	const char *v = wq_profile_get(pr, key, NULL);
	char       *end;
	long        n;

	if (v == NULL) {
		*out = def;
		return 0;
	}
	errno = 0;
	n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno != 0 || n < min || n > max) {
		wq_warnx(key, "'%s' is not a whole number from %ld to %ld",
		    v, min, max);
		return -1;
	}
	*out = n;
	return 0;
}

int
wq_profile_double(const struct wq_profile *pr, const char *key, double def,
    double min, double max, double *out)
{
	const char *v = wq_profile_get(pr, key, NULL);
	char       *end;
	double      d;

	if (v == NULL) {
		*out = def;
		return 0;
	}
	errno = 0;
	d = strtod(v, &end);
	if (*v == '\0' || *end != '\0' || errno != 0 || !(d >= min && d <= max)) {
		wq_warnx(key, "'%s' is not a number from %g to %g", v, min, max);
		return -1;
	}
	*out = d;
	return 0;
}

int
wq_profile_bool(const struct wq_profile *pr, const char *key, int def,
    int *out)
{
	static const char *yes[] = { "on", "yes", "true", "1" };
	static const char *no[] = { "off", "no", "false", "0" };
	const char *v = wq_profile_get(pr, key, NULL);
	size_t      i;

	if (v == NULL) {
		*out = def;
		return 0;
	}
	for (i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	wq_warnx(key, "'%s' is not on or off", v);
	return -1;
}

int
wq_profile_save(const struct wq_profile *pr, const char *path)
{
	char  *buf = NULL;
	size_t len = 0, i;
	FILE  *f = open_memstream(&buf, &len);
	int    r;

	if (f == NULL)
		abort();
	fprintf(f, "# settings of this batch, written by warraq %s\n",
	    WQ_VERSION);
	for (i = 0; i < pr->n; i++)
		fprintf(f, "%s = %s\n", pr->key[i], pr->val[i]);
	fclose(f);
	r = wq_write_atomic(path, buf, len);
	free(buf);
	return r;
}

void
wq_profile_free(struct wq_profile *pr)
{
	size_t i;

	for (i = 0; i < pr->n; i++) {
		free(pr->key[i]);
		free(pr->val[i]);
	}
	free(pr->key);
	free(pr->val);
	memset(pr, 0, sizeof(*pr));
}
