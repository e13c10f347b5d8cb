/*
 * fold.c - text as search sees it: the normalisation applied alike to
 * every indexed word and to every query, and the FTS5 tokenizer that
 * applies it inside SQLite.
 *
 *   fold_token()     one token folded: compatibility decomposition, case
 *                    folding, marks dropped, the Arabic folds
 *   tokenize()       the tokens of a text, folded, with their byte offsets
 *                    in the text as it was
 *   fold_register()  tokenize() as the FTS5 tokenizer "warraq"
 *
 * The record keeps the faithful text; only the index and the query are
 * folded, so that a reader finds a word however it was written:
 *
 *   - libunistring's case folding with NFKD (u8_casefold) does what a
 *     table need not: é -> e + accent, ſ -> s, ß -> ss, ligatures and the
 *     Arabic presentation forms to their letters, أ إ آ to ا + a hamza or
 *     madda mark, ؤ ئ to و ي + hamza;
 *   - a hamza on و or ي (ؤ ئ) becomes the hamza ء alone, so that the
 *     spellings of one word that put it on another seat meet (مسؤول,
 *     مسئول); on alef it goes with the other marks;
 *   - then every combining mark goes (accents, tashkeel, the hamza and
 *     madda left by the decomposition), and so do format characters
 *     (ZWJ, ZWNJ, bidi marks) and tatweel, which change the look only;
 *   - the project's Arabic folds (fold_char): ٱ -> ا, ى and ی -> ي,
 *     ة -> ه, Arabic-Indic and Eastern Arabic-Indic digits -> 0-9; and
 *     œ æ -> oe ae.
 *
 * A token is a run of letters, digits, marks and format characters, so
 * that a mark or a ZWNJ does not cut a word, while an apostrophe or a
 * hyphen does (l'église is l + eglise).  Offsets are those of the text
 * given, so that FTS5's highlight() marks the faithful text.
 */
#include <stdlib.h>
#include <string.h>

#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "search.h"

#define TOKEN_CHARS	(UC_CATEGORY_MASK_L | UC_CATEGORY_MASK_N | \
			 UC_CATEGORY_MASK_M | UC_CATEGORY_MASK_Cf)
#define DROPPED_CHARS	(UC_CATEGORY_MASK_M | UC_CATEGORY_MASK_Cf)
#define TATWEEL		0x0640
#define HAMZA_ABOVE	0x0654

/*
 * fold_char: what a code point left by case folding and decomposition
 * becomes: NULL when it stays as it is, else its replacement.
 */
static const char *
fold_char(ucs4_t c)
{
	static const char *digits[] = { "0", "1", "2", "3", "4", "5", "6",
	    "7", "8", "9" };

	if (c >= 0x0660 && c <= 0x0669)	/* Arabic-Indic digits */
		return digits[c - 0x0660];
	if (c >= 0x06f0 && c <= 0x06f9)	/* Eastern Arabic-Indic digits */
		return digits[c - 0x06f0];
	switch (c) {
	case 0x0671:			/* alef wasla */
		return "\u0627";
	case 0x0649:			/* alef maksura */
	case 0x06cc:			/* Farsi yeh */
		return "\u064a";
	case 0x0629:			/* ta marbuta */
		return "\u0647";
	case 0x0153:			/* œ */
		return "oe";
	case 0x00e6:			/* æ */
		return "ae";
	}
	return NULL;
}

static void
put(char **buf, size_t *cap, size_t *len, const void *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*buf = wq_xrealloc(*buf, *cap);
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
}

/*
 * fold_token: the folded form of the n bytes of UTF-8 at s, written to
 * *buf (grown as needed, *cap its size; the caller frees it); returns its
 * length, 0 when nothing is left (a lone mark).
 */
size_t
fold_token(const char *s, size_t n, char **buf, size_t *cap)
{
	uint8_t *f;
	size_t   flen, len = 0, i;
	int      k;
	ucs4_t   c;

	for (i = 0; i < n && (unsigned char)s[i] < 0x80; i++)
		;
	if (i == n) {		/* ASCII, most Latin words: case only */
		put(buf, cap, &len, s, n);
		for (i = 0; i < n; i++)
			if ((*buf)[i] >= 'A' && (*buf)[i] <= 'Z')
				(*buf)[i] += 'a' - 'A';
		return len;
	}
	f = u8_casefold((const uint8_t *)s, n, NULL, UNINORM_NFKD, NULL, &flen);
	if (f == NULL)		/* only on ENOMEM */
		abort();
	for (i = 0; i < flen; i += (size_t)k) {
		const char *r;
		ucs4_t      next = 0;

		k = u8_mbtouc(&c, f + i, flen - i);
		if (i + (size_t)k < flen)
			u8_mbtouc(&next, f + i + k, flen - i - (size_t)k);
		if ((c == 0x0648 || c == 0x064a || c == 0x0649) &&
		    next == HAMZA_ABOVE) {	/* ؤ ئ: the hamza alone */
			put(buf, cap, &len, "\u0621", strlen("\u0621"));
			continue;	/* its mark is dropped next */
		}
		if (uc_is_general_category_withtable(c, DROPPED_CHARS) ||
		    c == TATWEEL)
			continue;
		if ((r = fold_char(c)) != NULL)
			put(buf, cap, &len, r, strlen(r));
		else
			put(buf, cap, &len, f + i, (size_t)k);
	}
	free(f);
	return len;
}

/*
 * tokenize: calls fn(ctx, folded, length, start, end) for each token of
 * the n bytes at text, start and end its byte offsets in text; stops at,
 * and returns, the first nonzero value fn returns (else 0).
 */
int
tokenize(const char *text, size_t n, token_fn fn, void *ctx)
{
	const uint8_t *u = (const uint8_t *)text;
	char          *buf = NULL;
	size_t         cap = 0, i = 0, start, len;
	int            k, r = 0;
	ucs4_t         c;

	while (i < n && r == 0) {
		k = u8_mbtouc(&c, u + i, n - i);
		if (!uc_is_general_category_withtable(c, TOKEN_CHARS)) {
			i += (size_t)k;
			continue;
		}
		start = i;
		do {
			i += (size_t)k;
			k = i < n ? u8_mbtouc(&c, u + i, n - i) : 0;
		} while (i < n && uc_is_general_category_withtable(c,
		    TOKEN_CHARS));
		len = fold_token(text + start, i - start, &buf, &cap);
		if (len > 0)
			r = fn(ctx, buf, len, start, i);
	}
	free(buf);
	return r;
}

/* ---- the FTS5 tokenizer ---- */

typedef int (*fts5_token_fn)(void *, int, const char *, int, int, int);

struct fts5_call {
	void          *ctx;
	fts5_token_fn  emit;
};

static int
fts5_emit(void *ctx, const char *tok, size_t len, size_t start, size_t end)
{
	struct fts5_call *c = ctx;

	return c->emit(c->ctx, 0, tok, (int)len, (int)start, (int)end);
}

/* the tokenizer has no settings: one static instance serves all */
static int fts5_instance;

static int
fts5_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	(void)ctx, (void)argv, (void)argc;
	*out = (Fts5Tokenizer *)&fts5_instance;
	return SQLITE_OK;
}

static void
fts5_delete(Fts5Tokenizer *t)
{
	(void)t;
}

/* documents and queries alike: that is the point */
static int
fts5_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text,
    int n, fts5_token_fn emit)
{
	struct fts5_call c = { ctx, emit };

	(void)t, (void)flags;
	return n > 0 ? tokenize(text, (size_t)n, fts5_emit, &c) : SQLITE_OK;
}

/* fold_register: makes the tokenizer "warraq" known to db. */
int
fold_register(sqlite3 *db)
{
	static fts5_tokenizer tok = { fts5_create, fts5_delete, fts5_tokenize };
	fts5_api     *api = NULL;
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	if (api == NULL || api->xCreateTokenizer(api, "warraq", NULL, &tok,
	    NULL) != SQLITE_OK)
		return -1;
	return 0;
}
