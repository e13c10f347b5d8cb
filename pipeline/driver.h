/*
 * driver.h - the parts of the warraq driver (pipeline/).
 */
#ifndef DRIVER_H
#define DRIVER_H

#include "wq.h"

/* plan.c: which units (pages, or documents) a stage has to run */
struct plan {
	char     *rows;		/* per row of pages.tsv: 1 when the stage runs
				 * that unit (a document: at its first row) */
	unsigned  n, blocked;	/* units planned; units waiting for input */
};

struct run_opts {
	struct wq_profile  profile;
	const char        *scans, *work;
	const char        *only, *from;
	const char        *redo;	/* --redo STAGE */
	char             **redo_units;	/* DOC or DOC/PAGE; none: all */
	int                nredo_units;
	long               jobs, timeout, chunk;
	int                dry_run, quiet, verbose;
	int                slurm;	/* --engine slurm */
	json_t            *units;	/* run only these units (a Slurm task's) */
	/* when set: the run takes only these entries of scans, which must
	 * then be a resolved path (realpath), as pages.tsv's sources are */
	char             **docs;
	int                ndocs;
	int                drain;	/* interrupted, pages in hand finish */
	struct plan       *dry_up;	/* a dry run: the plan of the stage
					 * before, which has not run */
};

/* engine.c: the stages in order, by the engine chosen there */
int  run_batch(struct run_opts *o);
int  run_stages(struct run_opts *o);

/* run.c: the local engine */
int  lock_work(const char *work);
void run_signals(void);
int  run_interrupted(void);
int  run_settings(struct run_opts *o);
int  run_selected(const struct run_opts *o, size_t i);
int  run_stage(struct run_opts *o, const struct wq_stagedef *s);
int  run_stopped(void);
double run_clock(void);
void run_sleep_ms(long ms);
void run_argv_free(char **av);
void run_reset(void);
unsigned run_failed(void);
void run_full(void);
void run_fmt_time(double s, char *buf, size_t len);


char          *plan_unit_name(const struct wq_stagedef *s,
                   const struct wq_pages *pp, size_t i);
enum wq_state  plan_unit_state(const char *work, const struct wq_stagedef *s,
                   const struct wq_pages *pp, size_t i, char **why);
char          *plan_unit_file(const char *work, const struct wq_stagedef *s,
                   const struct wq_pages *pp, size_t i, const char *ext);
enum wq_state  plan_input_state(const struct run_opts *o,
                   const struct wq_stagedef *s, const struct wq_pages *pp,
                   size_t i, const struct plan *up, char **why);
void           plan_stage(const struct run_opts *o, const struct wq_stagedef *s,
                   const struct wq_pages *pp, const struct plan *up,
                   struct plan *pl);
void           plan_free(struct plan *pl);

/* slurm.c: the Slurm engine */
int  slurm_run(struct run_opts *o);
int  slurm_task(int argc, char **argv);
int  slurm_cancel(const char *work);
void slurm_status(const char *work);

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
