/*
 * bagit.h - checking a BagIt bag (RFC 8493), a folder or a serialised
 * one; shared by warraq-verify and warraq-package (which checks what it
 * wrote before it calls it done).
 */
#ifndef BAGIT_H
#define BAGIT_H

#include <stddef.h>

/* one problem, as "FILE: what" with FILE relative to the bag's base */
typedef void (*bag_problem_fn)(void *ctx, const char *msg);

struct bag_summary {
	unsigned long long octets;	/* of the payload */
	size_t             files;	/* in the payload */
	char               algs[64];	/* the payload manifests', "sha256,sha512" */
};

int bag_check(const char *path, bag_problem_fn fn, void *ctx,
    struct bag_summary *sum);

#endif /* BAGIT_H */
