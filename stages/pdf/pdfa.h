/*
 * pdfa.h - the finishing of warraq-pdf's output (pdfa.c).
 */
#ifndef PDFA_H
#define PDFA_H

#include <stddef.h>

struct pdfa_info {
	const char *title;	/* UTF-8 */
	const char *creator;	/* the program that made the document */
	const char *date;	/* creation, ISO 8601 UTC: YYYY-MM-DDTHH:MM:SSZ */
};

/*
 * pdfa_finish: reads the PDF in, writes it to out with its text invisible
 * and as PDF/A-2b (see pdfa.c).  Returns 0, or -1 with the reason in err.
 */
int pdfa_finish(const char *in, const char *out, const struct pdfa_info *m,
    char *err, size_t errlen);

#endif
