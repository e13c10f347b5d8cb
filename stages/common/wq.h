/*
 * wq.h - the small library every warraq stage and the driver link.
 *
 * It holds what the stages share and nothing else: error messages in one
 * format, atomic file writes, JSON sidecars (jansson), SHA-256 (libcrypto),
 * document and page ids, pages.tsv, the profile (key = value settings),
 * the list of stages and the argument shape every stage takes, and the
 * reader of the OCR text back from ALTO.
 *
 * Conventions: functions return 0 on success and -1 on failure unless
 * they say otherwise; strings they return are malloc'ed and owned by the
 * caller; out-of-memory aborts (a batch tool cannot do better).
 */
#ifndef WQ_H
#define WQ_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include <hunspell/hunspell.h>
#include <jansson.h>
#include <leptonica/allheaders.h>

#define WQ_VERSION "0.1.0"

/* ---- err.c: messages as "warraq-STAGE: FILE: reason" ---- */
void        wq_setprogname(const char *name);
const char *wq_getprogname(void);
void        wq_warnx(const char *file, const char *fmt, ...)
                __attribute__((format(printf, 2, 3)));
void        wq_warn(const char *file, const char *fmt, ...)
                __attribute__((format(printf, 2, 3)));
void        wq_errx(int status, const char *file, const char *fmt, ...)
                __attribute__((format(printf, 3, 4), noreturn));
void       *wq_xmalloc(size_t n);
void       *wq_xrealloc(void *p, size_t n);
char       *wq_xstrdup(const char *s);
char       *wq_xasprintf(const char *fmt, ...)
                __attribute__((format(printf, 1, 2)));
char       *wq_ctl_escape(const char *s);
unsigned   *wq_utf8_decode(const char *s, size_t len, size_t *np);
/* exit status of a stage (and of warraq run) stopped by a full disk */
#define WQ_EXIT_FULL 3
/* exit status of warraq run refused because another run holds WORK_DIR */
#define WQ_EXIT_BUSY 4
int         wq_full(int errnum);
void        wq_full_exit(const char *work) __attribute__((noreturn));

/* ---- fs.c: paths and atomic writes ---- */
int   wq_mkdirs(const char *path);
int   wq_mkparent(const char *path);
int   wq_exists(const char *path);
char *wq_tmpname(const char *path);
int   wq_commit(const char *tmp, const char *path);
int   wq_write_atomic(const char *path, const void *buf, size_t len);
char *wq_read_file(const char *path, size_t max, size_t *lenp);
int   wq_open_regular(const char *path, int nofollow);
void  wq_rm_rf(const char *path);
size_t wq_clear_dead_tmp(const char *dir);
int   wq_remove(const char *path);
int   wq_workdir(const char *work, int writing);
int   wq_resolve_new(const char *path, char *out);
int   wq_dirs_check(const char *scans, const char *work, char *rscans);
char **wq_list_dir(const char *dir, int (*keep)(const char *), size_t *np);
void  wq_names_free(char **v, size_t n);

/* ---- text.c: OCR text against ground truth ---- */
enum wq_script { WQ_SCRIPT_NONE, WQ_SCRIPT_LATIN, WQ_SCRIPT_ARABIC };

enum wq_script wq_script_of(unsigned c);
size_t         wq_wrong_script_lines(const char *text, enum wq_script want,
                   size_t *nlines);
double         wq_cer(const char *ref, const char *hyp, size_t *distp,
                   size_t *reflenp);
double         wq_wer(const char *ref, const char *hyp, size_t *distp,
                   size_t *reflenp);

struct wq_page;
struct wq_eval {		/* a page's OCR text against its ground truth */
	double cer, wer;
	size_t char_distance, chars, word_distance, words;
};

int            wq_eval_page(const char *work, const struct wq_page *p,
                   struct wq_eval *e, char **badpath);

/* ---- dict.c: the hunspell word lists ---- */
struct wq_dicts {		/* NULL where a list is missing */
	Hunhandle *ar, *fr;
};

void wq_dicts_open(struct wq_dicts *d, const char *dir, json_t *notes);
void wq_dicts_close(struct wq_dicts *d);
int  wq_dict_spell(Hunhandle *h, const char *w);
int  wq_is_letter(unsigned c);

/* ---- osd.c: Tesseract's orientation and script detection ---- */
int  wq_osd_detect(PIX *bin, float *conf, const char **script, float *sconf);
void wq_osd_done(void);

/* ---- pixio.c: page images ---- */
PIX *wq_pix_read(const char *path, char *err, size_t errlen);
int  wq_pix_write(const char *path, PIX *pix, char *err, size_t errlen);

/* ---- json.c: sidecars ---- */
int     wq_json_write(const char *path, json_t *obj);
json_t *wq_json_read(const char *path);
json_t *wq_json_text(const char *s, size_t max);
json_t *wq_json_textn(const char *s, size_t len, size_t max);
char   *wq_text_clean(const char *s, size_t len, size_t max, size_t *lenp);
json_t *wq_box_json(BOX *b);

/* ---- alto.c: a page's OCR text back from its ALTO file ---- */
struct wq_word {
	char   *text;		/* UTF-8 as ALTO holds it (untrusted) */
	double  conf;		/* 0..100; negative when ALTO had none */
	int     x, y, w, h;	/* box in pixels of the page OCR read */
};

struct wq_line {
	struct wq_word *w;
	size_t          nw;
	char           *lang;	/* ALTO LANG ("ar", "fr"), or NULL */
	int             rtl;	/* BASEDIRECTION="rtl" */
};

struct wq_alto {
	struct wq_line *l;
	size_t          nl, nwords;
	int             width, height;	/* of the page image OCR read */
};

int  wq_alto_read(const char *path, struct wq_alto *t, char *err,
         size_t errlen);
void wq_alto_free(struct wq_alto *t);

/* ---- pagexml.c: a page's layout, as PAGE-XML 2019 ---- */
enum wq_rkind {		/* what a region holds */
	WQ_R_TEXT, WQ_R_IMAGE, WQ_R_GRAPHIC, WQ_R_SEPARATOR, WQ_R_NOISE,
	WQ_R_UNREAD		/* ink of text size that no line took */
};

struct wq_box {			/* pixels; x1, y1 one past the last */
	int x0, y0, x1, y1;
};

struct wq_tline {
	struct wq_box  b;
	enum wq_script script;	/* decided from the pixels */
	int            base[4];	/* baseline x0 y0 x1 y1; base[0] < 0: none */
	int            xh;	/* letter height found by the layout (0: unknown) */
	int            recovered;	/* ink the analysis had left out */
	int            cut;	/* a part of a line cut at a gap */
};

struct wq_region {
	enum wq_rkind    kind;
	char            *type;	/* PAGE's type: paragraph, heading, ... or NULL */
	char            *reason;	/* why a region is unread, or NULL */
	char            *origin;	/* PAGE's custom attribute, or NULL */
	struct wq_box    b;
	enum wq_script   script;
	struct wq_tline *l;
	size_t           nl, cap;
};

struct wq_layout {
	struct wq_region *r;	/* text regions first, in reading order */
	size_t            nr, cap;
	int               width, height;
	char             *image;	/* the image it describes, or NULL */
	char             *corrected;	/* by whom or what, or NULL */
};

struct wq_region *wq_layout_add(struct wq_layout *L, enum wq_rkind k);
struct wq_tline  *wq_region_add_line(struct wq_region *r);
int               wq_layout_write(const char *path, const struct wq_layout *L,
                      const char *creator, time_t when, char *err,
                      size_t errlen);
int               wq_layout_read(const char *path, struct wq_layout *L,
                      char *err, size_t errlen);
void              wq_layout_free(struct wq_layout *L);

/* ---- hash.c: fixity ---- */
int  wq_sha256_file(const char *path, char hex[65], off_t *sizep);
void wq_sha256_buf(const void *buf, size_t len, char hex[65]);

#define WQ_HEX_MAX 129		/* a SHA-512 in hex, and its NUL */
struct wq_md;
struct wq_md *wq_md_new(const char *alg);
void          wq_md_update(struct wq_md *m, const void *buf, size_t len);
void          wq_md_final(struct wq_md *m, char hex[WQ_HEX_MAX]);

/* ---- ids.c: document and page ids, natural order ---- */
#define WQ_DOCID_MAX 64
char *wq_docid_from_name(const char *name);
int   wq_docid_valid(const char *id);
int   wq_pageid_valid(const char *id);
void  wq_pageid(unsigned n, char out[16]);
int   wq_natcmp(const char *a, const char *b);
int   wq_image_name(const char *name);
const char *wq_image_refused(const char *name);

/* ---- pages.c: WORK/pages.tsv ---- */
struct wq_page {
	char     *doc;
	char     *page;
	char     *source;	/* absolute path of the source file */
	unsigned  index;	/* 0-based image index inside the source */
	char      sha256[65];	/* of the whole source file */
	char     *status;	/* "ok", "duplicate:DOC/PAGE" */
	char     *part;		/* of the image: "full", or "left"/"right" of a spread */
};

struct wq_pages {
	struct wq_page *v;
	size_t          n, cap;
};

int             wq_pages_load(const char *work, struct wq_pages *pp);
int             wq_pages_save(const char *work, const struct wq_pages *pp);
struct wq_page *wq_pages_add(struct wq_pages *pp);
struct wq_page *wq_pages_find(const struct wq_pages *pp, const char *doc,
                    const char *page);
void            wq_pages_free(struct wq_pages *pp);
int             wq_source_in(const char *scans, const char *name,
                    const char *source);
char           *wq_tsv_escape(const char *s);
char           *wq_tsv_unescape(const char *s);

/* ---- settings.c: every setting, typed (the one table) ---- */
enum wq_type { WQ_T_TEXT, WQ_T_INT, WQ_T_REAL, WQ_T_BOOL, WQ_T_CHOICE,
    WQ_T_LANGS, WQ_T_STAGES };

struct wq_key {
	const char   *name;
	enum wq_type  type;
	const char   *def;	/* as text; NULL: no default */
	double        min, max;	/* WQ_T_INT, WQ_T_REAL */
	const char   *choices;	/* WQ_T_CHOICE, WQ_T_STAGES: space-separated */
	const char   *readers;	/* programs that read it ("clean", "run"), or "*" */
	const char   *help;
};

struct wq_profile;
extern const struct wq_key wq_keys[];
const struct wq_key *wq_key_find(const char *name);
int         wq_key_known(const char *name);
int         wq_key_applies(const struct wq_key *k, const char *prog);
int         wq_key_check(const struct wq_key *k, const char *v, char *why,
                size_t len);
void        wq_keys_print(FILE *f, const char *prog);
json_t     *wq_keys_json(const char *prog);
int         wq_parse_bool(const char *v);
const char *wq_tessdata_dir(void);
int         wq_langs_check(const char *v, char *why, size_t len);

/* ---- profile.c: key = value settings ---- */
struct wq_profile {
	char  **key;
	char  **val;
	size_t  n;
};

int         wq_profile_load(struct wq_profile *pr, const char *path);
int         wq_profile_set(struct wq_profile *pr, const char *key,
                const char *val);
int         wq_profile_setkv(struct wq_profile *pr, const char *kv);
const char *wq_profile_get(const struct wq_profile *pr, const char *key,
                const char *def);
int         wq_profile_save(const struct wq_profile *pr, const char *path);
const char *wq_set_text(const struct wq_profile *pr, const char *name);
long        wq_set_long(const struct wq_profile *pr, const char *name);
double      wq_set_real(const struct wq_profile *pr, const char *name);
int         wq_set_bool(const struct wq_profile *pr, const char *name);
void        wq_profile_free(struct wq_profile *pr);

/* ---- programs.c: every program's description ---- */
/* WQ_DOC: one result per document, once all its pages are done upstream;
 * WQ_BATCH: one run over the whole batch (the report); WQ_TOOL: not a
 * stage (the driver, warraq-eval, -verify, -search) */
enum wq_kind { WQ_SOURCE, WQ_PAGE, WQ_DOC, WQ_BATCH, WQ_TOOL };

struct wq_stagedef {
	const char   *name;	/* "deskew": program warraq-deskew, folder WORK/deskew */
	enum wq_kind  kind;
	const char   *summary;
	int           image;	/* makes a page image (WORK/STAGE/DOC/PAGE.tif) */
	const char   *optin;	/* setting that turns it on with stages = all,
				 * or NULL: on */
	const char   *usage;	/* arguments after the name; a line a form */
	const char   *reads;	/* what it reads */
	const char   *writes;	/* what it writes */
	const char   *options;	/* "OPTION\tHELP" lines */
	const char   *exits;	/* the statuses of wq_exits[] it returns: "0 1 2" */
};

struct wq_exit {
	int         code;
	const char *text;
};

extern const struct wq_stagedef wq_stages[];
extern const size_t             wq_nstages;
extern const struct wq_stagedef wq_tools[];
extern const size_t             wq_ntools;
extern const struct wq_exit     wq_exits[];

const struct wq_stagedef *wq_stage_find(const char *name);
const struct wq_stagedef *wq_program_find(const char *name);
const char *wq_kind_name(enum wq_kind k);
json_t     *wq_describe_json(const struct wq_stagedef *s);
void        wq_describe_exit(const char *name) __attribute__((noreturn));
void        wq_help_print(FILE *f, const char *name);

/* ---- stage.c: the shape every stage takes ---- */
int         wq_stage_per_page(const struct wq_stagedef *s);
int         wq_stage_enabled(const struct wq_profile *pr, const char *name);
const char *wq_stage_input(const struct wq_profile *pr, const char *name);
const char *wq_stage_image(const struct wq_profile *pr, const char *name);

enum wq_state { WQ_PENDING, WQ_DONE, WQ_FAILED, WQ_BLOCKED };

json_t       *wq_meta_new(const char *stage, const struct wq_page *p);
json_t       *wq_outputs(const char *json);
int           wq_outputs_whole(const char *json, json_t *j);
char         *wq_sidecar(const char *work, const char *stage, const char *doc,
                  const char *page, const char *ext);
enum wq_state wq_page_state(const char *work, const char *stage,
                  const struct wq_page *p, char **reason);
struct wq_args;
void          wq_state_profile(const struct wq_profile *pr);
void          wq_state_asis(const char *stage);
char         *wq_stage_extra(const char *stage, const struct wq_profile *pr);
json_t       *wq_stage_settings(const char *stage, const struct wq_profile *pr);
void          wq_made_with(const char *stage, const struct wq_args *a,
                  const char *input, json_t *meta);
int           wq_made_current(const char *stage, json_t *j, const char *input);
char         *wq_page_fingerprint(const char *work, const char *stage,
                  const struct wq_page *p);
const struct wq_page **wq_doc_pages(const struct wq_pages *pp,
                  const char *doc, size_t *np);
char         *wq_doc_sidecar(const char *work, const char *stage,
                  const char *doc, const char *ext);
enum wq_state wq_doc_state(const char *work, const char *stage,
                  const struct wq_pages *pp, const char *doc, char **reason);
enum wq_state wq_doc_input_state(const char *work,
                  const struct wq_profile *pr, const char *input,
                  const struct wq_pages *pp, const char *doc, char **reason);

/* Options every stage shares; argv handling lives in one place. */
struct wq_args {
	struct wq_profile   profile;
	char              **pos;	/* positional arguments */
	int                 npos;
	int                 force;
	int                 dry_run;	/* -n: list the units, do nothing */
	int                 quiet;
	const char         *work;	/* set by wq_stage_main */
	const char         *input;	/* stage this one waits on */
	const char         *image;	/* stage whose page image this one reads */
	char               *extra;	/* what else results are made from (the
					 * OCR's models), set by the init; owned */
	struct wq_profile   batch;	/* the batch's settings, WORK/profile.conf */
};

typedef int (*wq_page_fn)(const struct wq_args *a, const struct wq_page *p,
    json_t *meta, char *err, size_t errlen);

typedef int (*wq_doc_fn)(const struct wq_args *a, const char *doc,
    const struct wq_page **pages, size_t npages, json_t *meta, char *err,
    size_t errlen);

typedef int (*wq_unit_fn)(void *ctx, json_t *meta, char *err, size_t errlen);

/* a program's start, before any unit: -1 with err set when it cannot
 * work at all (a model missing) */
typedef int (*wq_init_fn)(struct wq_args *a, char *err, size_t errlen);

int  wq_run_unit(const char *stage, const char *unit, const char *json,
         const char *errpath, const char *label, json_t *meta, wq_unit_fn fn,
         void *ctx);
void wq_meta_note(json_t *meta, const char *fmt, ...)
         __attribute__((format(printf, 2, 3)));
void wq_unit_note(const char *unit, json_t *meta);
int  wq_args_parse(struct wq_args *a, int argc, char **argv,
         const char *prog, int minpos);
int  wq_stage_init(struct wq_args *a, wq_init_fn init);
int  wq_stage_main(const char *stage, int argc, char **argv,
         wq_init_fn init, wq_page_fn fn);
int  wq_doc_main(const char *stage, int argc, char **argv,
         wq_init_fn init, wq_doc_fn fn);
int  wq_args_batch(struct wq_args *a, const char *stage);
void wq_args_free(struct wq_args *a);

#endif /* WQ_H */
