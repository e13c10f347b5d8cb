/*
 * warraq-search - a full-text index of the OCR text of a collection, and
 * searches in it.
 *
 *   warraq-search index [-q] INDEX.db BAG_OR_WORK_DIR ...
 *   warraq-search search [options] INDEX.db QUERY ...
 *
 *   main()       the command: index_main() (index.c) or search_main()
 *                (query.c)
 *   db_open()    the index file, with the warraq tokenizer, its tables
 *                made when it is new
 *   db_fail()    why the last SQLite call failed, said
 *   db_exec()    one SQL statement, its failure said
 *
 * The index is an SQLite database (Debian's libsqlite3) with an FTS5
 * table of the pages' text: one file that any machine reads, updated in
 * transactions, searched with ranking (BM25), phrases and prefixes.  The
 * text is folded for search by the tokenizer "warraq" (fold.c), which
 * must be registered on every connection: the faithful text is what the
 * table stores, the folded one only what its index holds.  The driver
 * runs this program for `warraq index` and `warraq search`.
 */
#include <string.h>

#include "search.h"

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
    "INSERT OR IGNORE INTO meta VALUES('fold', '" FOLD_VERSION "');"
    "CREATE TABLE IF NOT EXISTS docs(id INTEGER PRIMARY KEY,"
    " doc TEXT UNIQUE NOT NULL, source TEXT NOT NULL);"
    /* boxes: the words' boxes and confidences (index.c, query.c) */
    "CREATE TABLE IF NOT EXISTS pages(id INTEGER PRIMARY KEY,"
    " doc INTEGER NOT NULL REFERENCES docs(id), page TEXT NOT NULL,"
    " image TEXT, width INTEGER, height INTEGER, boxes BLOB NOT NULL,"
    " canvas TEXT);"
    "CREATE INDEX IF NOT EXISTS pages_doc ON pages(doc);"
    "CREATE VIRTUAL TABLE IF NOT EXISTS text USING fts5(body,"
    " tokenize = 'warraq');";

/*
 * db_fail: says why the last call on db failed, naming path, and returns
 * -1; a full disk stops the program (WQ_EXIT_FULL), since every later
 * document would fail the same way.
 */
int
db_fail(sqlite3 *db, const char *path)
{
	if (sqlite3_errcode(db) == SQLITE_FULL)
		wq_errx(WQ_EXIT_FULL, path, "no space left on its file system: "
		    "what was indexed before is kept; free space and run again");
	wq_warnx(path, "%s", sqlite3_errmsg(db));
	return -1;
}

/* db_exec: runs sql (no results); -1, said, when it fails. */
int
db_exec(sqlite3 *db, const char *path, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	return db_fail(db, path);
}

/* fold_version: 0 when the index was made under the rules of this
 * program's fold_token(), -1 (said) when not, or not an index at all */
static int
fold_version(sqlite3 *db, const char *path)
{
	sqlite3_stmt *st;
	int           r = -1;

	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'fold'",
	    -1, &st, NULL) != SQLITE_OK) {
		wq_warnx(path, "not a warraq index (%s)", sqlite3_errmsg(db));
		return -1;
	}
	if (sqlite3_step(st) == SQLITE_ROW && strcmp((const char *)
	    sqlite3_column_text(st, 0), FOLD_VERSION) == 0)
		r = 0;
	else
		wq_warnx(path, "made by another version of warraq, which folds "
		    "text for search otherwise: remove it and index again");
	sqlite3_finalize(st);
	return r;
}

/*
 * db_has_canvas: 1 when the index's pages have the IIIF canvas column
 * (indexes made before it have not: they answer without canvases until
 * written again, when db_open() adds it).
 */
int
db_has_canvas(sqlite3 *db)
{
	sqlite3_stmt *st;
	int           r = 0;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info('pages') "
	    "WHERE name = 'canvas'", -1, &st, NULL) != SQLITE_OK)
		return 0;
	r = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return r;
}

/*
 * db_open: the index at path, for writing (made when missing) or for
 * reading (it must exist); NULL, said, when it cannot be.  The caller
 * closes it with sqlite3_close().
 */
sqlite3 *
db_open(const char *path, int writing)
{
	sqlite3 *db = NULL;
	int      flags = writing ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE :
	    SQLITE_OPEN_READONLY;

	if (!writing && !wq_exists(path)) {
		wq_warnx(path, "no such index (make it with warraq index)");
		return NULL;
	}
	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		wq_warnx(path, "cannot open: %s", sqlite3_errmsg(db));
		goto fail;
	}
	/* a search while a batch is indexed waits for its transaction */
	sqlite3_busy_timeout(db, 60000);
	if (fold_register(db) == -1) {
		wq_warnx(path, "SQLite without FTS5: cannot index");
		goto fail;
	}
	if ((writing && db_exec(db, path, schema) == -1) ||
	    fold_version(db, path) == -1)
		goto fail;
	if (writing && !db_has_canvas(db) && db_exec(db, path,
	    "ALTER TABLE pages ADD COLUMN canvas TEXT") == -1)
		goto fail;
	return db;
fail:
	sqlite3_close(db);
	return NULL;
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: %s index [-q] INDEX.db BAG_OR_WORK_DIR ...\n"
	    "       %s search [-n PAGES] [--json | --html] INDEX.db QUERY ...\n"
	    "       %s search [-n PAGES] [--json | --html] -f QUERIES INDEX.db\n",
	    wq_getprogname(), wq_getprogname(), wq_getprogname());
}

int
main(int argc, char **argv)
{
	wq_setprogname("warraq-search");
	if (argc >= 2 && strcmp(argv[1], "index") == 0)
		return index_main(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "search") == 0)
		return search_main(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		printf("\nwarraq-search index --help, warraq-search search "
		    "--help: each command's options.\n");
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "--describe") == 0)
		wq_describe_exit("search");
	if (argc >= 2 && (strcmp(argv[1], "--version") == 0 ||
	    strcmp(argv[1], "-V") == 0)) {
		printf("warraq-search (warraq) %s, SQLite %s\n", WQ_VERSION,
		    sqlite3_libversion());
		return 0;
	}
	usage(stderr);
	return 2;
}
