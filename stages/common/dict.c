/*
 * dict.c - the Arabic and French hunspell word lists (Debian's), for the
 * stages that judge a reading by how many of its words are words.
 *
 *   wq_dicts_open()   both lists from a folder; a missing one is a note
 *   wq_dicts_close()
 *   wq_dict_spell()   is a word, stripped of its punctuation, in a list
 *   wq_is_letter()    a letter or a mark that goes with one
 *
 * The OCR keeps, of two readings of a page, the one with more words the
 * lists know; the report measures the share of such words.
 */
#include <stdlib.h>
#include <string.h>

#include <unictype.h>
#include <unistr.h>

#include "wq.h"

#define WORD_MAX	256	/* bytes of a word given to hunspell */

/* dict_open: lang's list in dir, NULL with a note when it is missing. */
static Hunhandle *
dict_open(const char *dir, const char *lang, json_t *notes)
{
	char      *aff = wq_xasprintf("%s/%s.aff", dir, lang);
	char      *dic = wq_xasprintf("%s/%s.dic", dir, lang);
	Hunhandle *h = NULL;

	/* hunspell does not say when it cannot read its files */
	if (wq_exists(aff) && wq_exists(dic))
		h = Hunspell_create(aff, dic);
	if (h != NULL && strcmp(Hunspell_get_dic_encoding(h), "UTF-8") != 0) {
		Hunspell_destroy(h);
		h = NULL;
	}
	if (h == NULL && notes != NULL)
		json_array_append_new(notes, json_pack("s+++", "no UTF-8 "
		    "hunspell word list ", dic, "; the dictionary share of ",
		    strcmp(lang, "ar") == 0 ? "Arabic lines is null" :
		    "French lines is null"));
	free(aff);
	free(dic);
	return h;
}

/*
 * wq_dicts_open: the lists ar and fr of dir into d (close with
 * wq_dicts_close()); a missing list is NULL and, when notes is not NULL,
 * a note in it, not an error.
 */
void
wq_dicts_open(struct wq_dicts *d, const char *dir, json_t *notes)
{
	d->ar = dict_open(dir, "ar", notes);
	d->fr = dict_open(dir, "fr", notes);
}

void
wq_dicts_close(struct wq_dicts *d)
{
	if (d->ar != NULL)
		Hunspell_destroy(d->ar);
	if (d->fr != NULL)
		Hunspell_destroy(d->fr);
	memset(d, 0, sizeof(*d));
}

int
wq_is_letter(unsigned c)
{
	return uc_is_general_category(c, UC_CATEGORY_L) ||
	    uc_is_general_category(c, UC_CATEGORY_M);
}

/*
 * wq_dict_spell: 1 when the word w, stripped of the punctuation around
 * it, is in the list h, 0 when not; -1 when it is not a word to check
 * (no letters, digits inside, too long).
 */
int
wq_dict_spell(Hunhandle *h, const char *w)
{
	const uint8_t *s = (const uint8_t *)w, *p, *first = NULL, *end = NULL;
	char           buf[WORD_MAX];
	ucs4_t         c;
	size_t         n;
	int            k;

	for (p = s; *p != '\0'; p += k) {
		k = u8_mbtouc(&c, p, strlen((const char *)p));
		if (uc_is_general_category(c, UC_CATEGORY_N))
			return -1;
		if (wq_is_letter(c)) {
			if (first == NULL)
				first = p;
			end = p + k;
		}
	}
	if (first == NULL || (n = end - first) >= sizeof(buf))
		return -1;
	memcpy(buf, first, n);
	buf[n] = '\0';
	return Hunspell_spell(h, buf) != 0;
}
