/*
 * warraq-verify - is a BagIt bag valid: a bag folder, or a serialised bag
 * (tar, tar.zst, zip, ...) read through libarchive without unpacking it.
 *
 *   warraq-verify [-q] BAG_OR_ARCHIVE ...
 *
 *   main()   bag_check() (bagit.c) on each argument
 *
 * Each problem goes to stderr on its own line, "warraq-verify: BAG/FILE:
 * what"; a valid bag gets one line on stdout (unless -q) with its payload
 * size and files.  Exit status: 0 every bag valid, 1 one is not (or
 * cannot be read), 2 usage error.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wq.h"
#include "bagit.h"

static const char usage[] = "usage: %s [-q] BAG_OR_ARCHIVE ...\n";

static void
print_problem(void *ctx, const char *msg)
{
	fprintf(stderr, "%s: %s/%s\n", wq_getprogname(), (const char *)ctx, msg);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "quiet",   no_argument, NULL, 'q' },
		{ "help",    no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct bag_summary sum;
	int                c, i, n, quiet = 0, status = 0;

	wq_setprogname(argv[0]);
	if (argc == 2 && strcmp(argv[1], "--describe") == 0)
		wq_describe_exit("verify");
	while ((c = getopt_long(argc, argv, "qhV", longopts, NULL)) != -1)
		switch (c) {
		case 'q':
			quiet = 1;
			break;
		case 'h':
			printf(usage, wq_getprogname());
			printf("\nChecks BagIt bags (RFC 8493): folders, or tar, "
			    "tar.zst, zip ... archives of one.\nExit status: 0 "
			    "all valid, 1 one is not, 2 usage error.\n");
			return 0;
		case 'V':
			printf("%s (warraq) %s\n", wq_getprogname(), WQ_VERSION);
			return 0;
		default:
			fprintf(stderr, usage, wq_getprogname());
			return 2;
		}
	if (optind == argc) {
		fprintf(stderr, usage, wq_getprogname());
		return 2;
	}
	for (i = optind; i < argc; i++) {
		n = bag_check(argv[i], print_problem, argv[i], &sum);
		if (n != 0)
			status = 1;
		if (n > 0)
			wq_warnx(argv[i], "not a valid bag: %d problem%s", n,
			    n == 1 ? "" : "s");
		else if (n == 0 && !quiet)
			printf("%s: valid bag, payload %llu bytes in %zu files, "
			    "manifests %s\n", argv[i], sum.octets, sum.files,
			    sum.algs);
	}
	return status;
}
