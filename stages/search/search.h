/*
 * search.h - what the parts of warraq-search share: the normalisation of
 * text for search (and the SQLite FTS5 tokenizer made of it), the index
 * file, and the two commands.
 */
#ifndef SEARCH_H
#define SEARCH_H

#include <sqlite3.h>

#include "wq.h"

/* bumped whenever fold_token() changes: an index made under other rules
 * would miss words, so search refuses it until it is made again */
#define FOLD_VERSION	"1"

/* pages.boxes: for each word of the page's text, in order, its box x, y,
 * w, h as 32-bit little-endian numbers and its confidence as one byte
 * (0..100; 255: none) */
#define BOX_BYTES	17

/* fold.c */
typedef int (*token_fn)(void *ctx, const char *tok, size_t len,
    size_t start, size_t end);

size_t fold_token(const char *s, size_t n, char **buf, size_t *cap);
int    tokenize(const char *text, size_t n, token_fn fn, void *ctx);
int    fold_register(sqlite3 *db);

/* search.c */
sqlite3 *db_open(const char *path, int writing);
int      db_fail(sqlite3 *db, const char *path);
int      db_exec(sqlite3 *db, const char *path, const char *sql);
int      db_has_canvas(sqlite3 *db);

/* index.c, query.c */
int index_main(int argc, char **argv);
int search_main(int argc, char **argv);

#endif
