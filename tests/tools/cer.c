/*
 * cer - character error rate of a text file against a reference file,
 * for the tests: prints "CER DISTANCE REFLEN".
 *
 *   cer REFERENCE HYPOTHESIS
 */
#include <stdio.h>
#include <stdlib.h>

#include "wq.h"

int
main(int argc, char **argv)
{
	char  *ref, *hyp;
	size_t d, n;
	double cer;

	wq_setprogname("cer");
	if (argc != 3)
		wq_errx(2, NULL, "usage: cer REFERENCE HYPOTHESIS");
	if ((ref = wq_read_file(argv[1], 64u << 20, NULL)) == NULL)
		wq_errx(1, argv[1], "cannot read");
	if ((hyp = wq_read_file(argv[2], 64u << 20, NULL)) == NULL)
		wq_errx(1, argv[2], "cannot read");
	cer = wq_cer(ref, hyp, &d, &n);
	printf("%.4f %zu %zu\n", cer, d, n);
	free(ref);
	free(hyp);
	return 0;
}
