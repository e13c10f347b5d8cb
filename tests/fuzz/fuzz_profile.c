/*
 * fuzz_profile.c - libFuzzer harness of the profile reader.
 *
 *   LLVMFuzzerTestOneInput()  load a profile, read every key as a stage would
 *
 * Whatever loads is then read through every typed getter and saved back
 * to memory, so that an accepted value reaches the code that uses it.
 */
#include <stdlib.h>

#include "wq.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wq_profile pr = { 0 };
	const struct wq_key *k;
	long   l;
	double d;
	int    b;

	wq_profile_load(&pr, fuzz_file(data, size));
	for (k = wq_keys; k->name != NULL; k++) {
		wq_profile_long(&pr, k->name, 0, -1000, 1000, &l);
		wq_profile_double(&pr, k->name, 0, -1e9, 1e9, &d);
		wq_profile_bool(&pr, k->name, 0, &b);
	}
	wq_stage_enabled(&pr, "ocr");
	wq_stage_input(&pr, "ocr");
	wq_profile_free(&pr);
	return 0;
}
