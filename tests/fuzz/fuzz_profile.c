/*
 * fuzz_profile.c - libFuzzer harness of the profile reader.
 *
 *   LLVMFuzzerTestOneInput()  load a profile, read every key as a stage would
 *
 * Whatever loads is then read through the reader of its type, so that an
 * accepted value reaches the code that uses it, and checked again: a
 * value the profile took must be one its setting allows (abort if not).
 */
#include <stdlib.h>

#include "wq.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wq_profile pr = { 0 };
	const struct wq_key *k;
	char   why[512];
	volatile double sink = 0;

	wq_profile_load(&pr, fuzz_file(data, size));
	for (k = wq_keys; k->name != NULL; k++) {
		const char *v = wq_profile_get(&pr, k->name, NULL);

		if (v != NULL && wq_key_check(k, v, why, sizeof(why)) != 0)
			abort();
		switch (k->type) {
		case WQ_T_INT:
			sink += (double)wq_set_long(&pr, k->name);
			break;
		case WQ_T_REAL:
			sink += wq_set_real(&pr, k->name);
			break;
		case WQ_T_BOOL:
			sink += wq_set_bool(&pr, k->name);
			break;
		default:
			sink += wq_set_text(&pr, k->name) != NULL;
		}
	}
	(void)sink;
	wq_stage_enabled(&pr, "ocr");
	wq_stage_input(&pr, "ocr");
	wq_profile_free(&pr);
	return 0;
}
