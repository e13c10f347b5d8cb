/*
 * warraq - the driver: runs the stage programs over a batch.
 *
 *   warraq run [options] SCANS_DIR WORK_DIR   every stage, in order
 *   warraq watch [options] SCANS_DIR WORK_DIR each document once complete
 *   warraq status WORK_DIR                    where a batch stands
 *   warraq cancel WORK_DIR                    cancel its Slurm jobs
 *   warraq index | search ...                 warraq-search's commands
 *
 * main() only reads the command line; run.c and watch.c do the work,
 * slurm.c on a cluster (`warraq slurm-task` is what a Slurm task runs).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driver.h"

static void
usage(int status)
{
	if (status == 0) {
		wq_help_print(stdout, "warraq");
		fprintf(stdout, "\nwarraq watch takes the run options but -n, "
		    "--only, --from and --engine, and\nruns every stage on each "
		    "document of SCANS_DIR once it is complete\n(watch_marker, "
		    "watch_quiet), until SIGTERM.  A run killed at any point is\n"
		    "finished by running the same command again.\n");
		exit(0);
	}
	fprintf(stderr, "usage: warraq run [options] SCANS_DIR WORK_DIR\n"
	    "       warraq watch [options] SCANS_DIR WORK_DIR\n"
	    "       warraq status | cancel WORK_DIR\n"
	    "       warraq index | search ...\n"
	    "(warraq --help for more)\n");
	exit(status);
}

static void
set_or_exit(struct wq_profile *pr, const char *key, const char *val)
{
	if (wq_profile_set(pr, key, val) == -1)
		exit(2);
}

static int
run_main(int argc, char **argv)
{
	enum { O_ONLY = 256, O_FROM, O_LANG, O_DPI, O_PIXELS, O_STAGES, O_TIMEOUT,
	    O_ENGINE, O_REDO };
	static const struct option longopts[] = {
		{ "jobs",        required_argument, NULL, 'j' },
		{ "dry-run",     no_argument,       NULL, 'n' },
		{ "engine",      required_argument, NULL, O_ENGINE },
		{ "redo",        required_argument, NULL, O_REDO },
		{ "only",        required_argument, NULL, O_ONLY },
		{ "from",        required_argument, NULL, O_FROM },
		{ "profile",     required_argument, NULL, 'p' },
		{ "set",         required_argument, NULL, 'o' },
		{ "lang",        required_argument, NULL, O_LANG },
		{ "dpi",         required_argument, NULL, O_DPI },
		{ "pixel-limit", required_argument, NULL, O_PIXELS },
		{ "stages",      required_argument, NULL, O_STAGES },
		{ "timeout",     required_argument, NULL, O_TIMEOUT },
		{ "quiet",       no_argument,       NULL, 'q' },
		{ "verbose",     no_argument,       NULL, 'v' },
		{ "help",        no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct run_opts o;
	size_t          i;
	const char     *jobs = NULL;
	char           *end;
	int             c, r;

	memset(&o, 0, sizeof(o));
	while ((c = getopt_long(argc, argv, "j:np:o:qvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':	jobs = optarg; break;
		case 'n':	o.dry_run = 1; break;
		case O_ENGINE:
			if (strcmp(optarg, "slurm") != 0 && strcmp(optarg, "local") != 0)
				wq_errx(2, optarg, "--engine is local or slurm");
			o.slurm = strcmp(optarg, "slurm") == 0;
			break;
		case O_ONLY:	o.only = optarg; break;
		case O_REDO:	o.redo = optarg; break;
		case O_FROM:	o.from = optarg; break;
		case 'p':
			if (wq_profile_load(&o.profile, optarg) == -1)
				goto refused;
			break;
		case 'o':
			if (wq_profile_setkv(&o.profile, optarg) == -1)
				goto refused;
			break;
		case O_LANG:	set_or_exit(&o.profile, "languages", optarg); break;
		case O_DPI:	set_or_exit(&o.profile, "assume_dpi", optarg); break;
		case O_PIXELS:	set_or_exit(&o.profile, "max_pixels", optarg); break;
		case O_STAGES:	set_or_exit(&o.profile, "stages", optarg); break;
		case O_TIMEOUT:	set_or_exit(&o.profile, "timeout", optarg); break;
		case 'q':	o.quiet = 1; break;
		case 'v':	o.verbose = 1; break;
		case 'h':	usage(0); break;
		default:	usage(2);
		}
	}
	if (argc - optind < 2 || (argc - optind > 2 && o.redo == NULL) ||
	    (strcmp(argv[0], "watch") == 0 && (o.dry_run || o.only != NULL ||
	    o.from != NULL || o.slurm || o.redo != NULL)))
		usage(2);
	o.scans = argv[optind];
	o.work = argv[optind + 1];
	o.redo_units = argv + optind + 2;
	o.nredo_units = argc - optind - 2;
	if (o.redo != NULL && (wq_stage_find(o.redo) == NULL ||
	    wq_stage_find(o.redo)->kind == WQ_SOURCE ||
	    wq_stage_find(o.redo)->kind == WQ_BATCH))
		wq_errx(2, o.redo, "--redo takes a stage of pages or documents "
		    "(deskew ... package; ingest takes changed scans by itself, "
		    "the report is made on every run)");
	if ((o.only && !wq_stage_find(o.only)) || (o.from && !wq_stage_find(o.from)))
		wq_errx(2, o.only ? o.only : o.from, "no such stage (see --help)");
	o.jobs = sysconf(_SC_NPROCESSORS_ONLN);
	if (jobs != NULL) {
		o.jobs = strtol(jobs, &end, 10);
		if (*jobs == '\0' || *end != '\0' || o.jobs < 1 || o.jobs > 1024)
			wq_errx(2, jobs, "-j takes a number of jobs from 1 to 1024");
	}
	if (o.jobs < 1)
		o.jobs = 1;
	if (run_settings(&o) == -1 || wq_dirs_check(o.scans, o.work, NULL) == -1)
		goto refused;
	wq_state_profile(&o.profile);	/* results are held to this run's */
	for (i = 0; i < wq_nstages; i++)	/* but those it does not make, */
		if (!run_selected(&o, i) || wq_stages[i].kind == WQ_SOURCE)
			wq_state_asis(wq_stages[i].name);	/* and ingest's: it
						 * knows which pages to take again */
	r = strcmp(argv[0], "watch") == 0 ? watch_batch(&o) : run_batch(&o);
	wq_state_profile(NULL);
	wq_profile_free(&o.profile);
	return r;

refused:		/* nothing done */
	wq_profile_free(&o.profile);
	return 2;
}

/* search_exec: warraq index|search ... is warraq-search index|search ... */
static void
search_exec(char **argv)
{
	char *prog = stage_program("search");

	if (prog == NULL)
		wq_errx(2, "warraq-search", "not found beside warraq or in PATH");
	argv[0] = prog;
	execv(prog, argv);
	wq_errx(2, prog, "cannot run: %s", strerror(errno));
}

int
main(int argc, char **argv)
{
	wq_setprogname("warraq");
	/* the pool parallelises pages; Tesseract's OpenMP threads would only
	 * fight it for the cores */
	setenv("OMP_THREAD_LIMIT", "1", 0);
	if (argc < 2)
		usage(2);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		usage(0);
	if (strcmp(argv[1], "--describe") == 0)
		wq_describe_exit("warraq");
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("warraq %s\n", WQ_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "run") == 0 || strcmp(argv[1], "watch") == 0)
		return run_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "index") == 0 || strcmp(argv[1], "search") == 0)
		search_exec(argv);
	if ((strcmp(argv[1], "status") == 0 || strcmp(argv[1], "cancel") == 0) &&
	    argc == 3 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
		printf("usage: warraq %s WORK_DIR\n\n%s\n", argv[1],
		    strcmp(argv[1], "status") == 0 ?
		    "Where a batch stands: pages per stage done, failed, pending and\n"
		    "blocked, the failures with their reasons, and a Slurm batch's jobs.\n"
		    "Exit status: 0 shown, 1 its files cannot be read, 2 WORK_DIR is not\n"
		    "a work directory." :
		    "Cancels the Slurm jobs of a batch run with --engine slurm (scancel);\n"
		    "the same warraq run command later resumes it.");
		return 0;
	}
	if ((strcmp(argv[1], "status") == 0 || strcmp(argv[1], "cancel") == 0) &&
	    argc != 3)
		usage(2);
	if (strcmp(argv[1], "status") == 0)
		return status_main(argv[2]);
	if (strcmp(argv[1], "cancel") == 0)
		return slurm_cancel(argv[2]);
	if (strcmp(argv[1], "slurm-task") == 0)
		return slurm_task(argc - 1, argv + 1);
	wq_warnx(argv[1], "unknown command");
	usage(2);
}
