/*
 * driver.h - the parts of the warraq driver (pipeline/).
 */
#ifndef DRIVER_H
#define DRIVER_H

#include "wq.h"

struct run_opts {
	struct wq_profile  profile;
	const char        *scans, *work;
	const char        *only, *from;
	long               jobs, timeout, chunk;
	int                dry_run, quiet;
	/* when set: the run takes only these entries of scans, which must
	 * then be a resolved path (realpath), as pages.tsv's sources are */
	char             **docs;
	int                ndocs;
	int                drain;	/* interrupted, pages in hand finish */
};

/* run.c */
int  run_batch(struct run_opts *o);
int  run_stages(struct run_opts *o);
int  lock_work(const char *work);
void run_signals(void);
int  run_interrupted(void);

/* watch.c */
int  watch_batch(struct run_opts *o);

/* status.c */
int  status_main(const char *work);
/* what stage_counts() finds: pages (documents for a document stage) */
struct stage_count {
	unsigned done, failed, pending, blocked;
};

int  stage_counts(const char *work, const struct wq_stagedef *s,
         const struct wq_profile *pr, struct stage_count *c, FILE *list);
unsigned quarantine_count(const char *work);

/* batch.c */
int  batch_record(const struct run_opts *o);
char *stage_program(const char *name);

#endif
