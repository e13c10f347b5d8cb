/*
 * profile.c - a collection's settings, as "key = value" lines.
 *
 *   wq_profile_load()    read a profile file; later lines win
 *   wq_profile_set()     set one key (known, its value of the right type)
 *   wq_profile_setkv()   the same from "key=value" (a -o option)
 *   wq_profile_get()     a value, or def
 *   wq_set_text()        a setting's value, or its default (wq_keys[])
 *   wq_set_long()        a whole-number setting
 *   wq_set_real()        a number setting
 *   wq_set_bool()        an on/off setting
 *   wq_profile_save()    write the settings back as a profile
 *   wq_profile_free()
 *
 * Lines are "key = value"; '#' starts a comment line.  Keys must be among
 * wq_keys[] (settings.c), so that a misspelt setting is an error, not a
 * setting silently ignored for a whole collection, and a value must be
 * of the key's type, in its range or among its choices: a wrong value is
 * refused here, once, before any program does any work with it.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

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
	const struct wq_key *k = wq_key_find(key);
	char                 why[512];
	size_t               i;

	if (k == NULL) {
		wq_warnx(key, "unknown setting (man warraq-profile, or --help, "
		    "lists them)");
		return -1;
	}
	if (strlen(val) > 4096 || strpbrk(val, "\n\r") != NULL) {
		wq_warnx(key, "value too long or not on one line");
		return -1;
	}
	if (wq_key_check(k, val, why, sizeof(why)) == -1) {
		wq_warnx(key, "%s", why);
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

/* key: the table's entry of a setting a program reads; a name missing
 * from the table is a programming error */
static const struct wq_key *
key(const char *name)
{
	const struct wq_key *k = wq_key_find(name);

	if (k == NULL) {
		wq_warnx(name, "setting not in wq_keys[]");
		abort();
	}
	return k;
}

/* wq_set_text: the value, or the default (NULL for a setting without) */
const char *
wq_set_text(const struct wq_profile *pr, const char *name)
{
	return wq_profile_get(pr, name, key(name)->def);
}

/* wq_set_long, wq_set_real, wq_set_bool: values were checked when set */
long
wq_set_long(const struct wq_profile *pr, const char *name)
{
	const char *v = wq_set_text(pr, name);

	return v != NULL ? strtol(v, NULL, 10) : 0;
}

double
wq_set_real(const struct wq_profile *pr, const char *name)
{
	const char *v = wq_set_text(pr, name);

	return v != NULL ? strtod(v, NULL) : 0;
}

int
wq_set_bool(const struct wq_profile *pr, const char *name)
{
	const char *v = wq_set_text(pr, name);

	return v != NULL && wq_parse_bool(v) == 1;
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
