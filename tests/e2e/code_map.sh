#!/bin/sh
# The shape of the code: no two files of the driver (pipeline/) or of the
# shared library (stages/common/) call each other in a loop, read from the
# built objects' symbol tables; every header is a prerequisite of the
# objects (a changed header rebuilds what includes it).
. "$(dirname "$0")/../lib.sh"

B=$(cd "$WARRAQ_BIN/.." && pwd)
if [ -f "$B/pipeline/run.o" ] && [ -f "$B/stages/common/stage.o" ]; then
	sh "$TOP/tests/tools/call-cycles.sh" "$B" stages/common pipeline >"$T/cycles"
	[ ! -s "$T/cycles" ] && ok "no call cycles among pipeline/ and stages/common/" ||
	    notok "no call cycles among pipeline/ and stages/common/" "$(head -n 3 "$T/cycles")"
	# the checker itself finds a loop when there is one
	mkdir -p "$T/o/x"
	printf 'int b(void);\nint a(void) { return b(); }\n' >"$T/a.c"
	printf 'int a(void);\nint b(void) { return a(); }\n' >"$T/b.c"
	cc -c -o "$T/o/x/a.o" "$T/a.c" && cc -c -o "$T/o/x/b.o" "$T/b.c"
	sh "$TOP/tests/tools/call-cycles.sh" "$T/o" x | grep -q "x/a.c -> x/b.c -> x/a.c" &&
	    ok "the cycle checker finds a loop" || notok "the cycle checker finds a loop" "not found"
else
	skip "no objects in $B"
fi
# every header under stages/ and pipeline/ is a prerequisite: touching it
# makes make want to rebuild (make -n: nothing is built)
for h in "$TOP"/stages/*/*.h "$TOP"/pipeline/*.h; do
	rel=${h#"$TOP"/}
	if make -s -C "$TOP" -n -W "$rel" BUILD="$B" all 2>/dev/null | grep -q " -c "; then
		:
	else
		notok "make tracks $rel" "touching it rebuilds nothing"
		continue
	fi
	ok "make tracks $rel"
done
# each program is linked with the libraries it uses, no more: the bag
# checker needs no OCR nor image library, the search no OCR, cleaning no
# PDF nor archive library
needed() { readelf -d "$WARRAQ_BIN/$1" 2>/dev/null | sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p' | tr '\n' ' '; }
if command -v readelf >/dev/null 2>&1; then
	n=$(needed warraq-verify)
	checkx "warraq-verify: libarchive, no Tesseract nor Leptonica" \
	    'echo "$n" | grep -q libarchive && ! echo "$n" | grep -q "libtesseract\|liblept"'
	n=$(needed warraq-search)
	checkx "warraq-search: SQLite, no Tesseract" \
	    'echo "$n" | grep -q libsqlite3 && ! echo "$n" | grep -q libtesseract'
	n=$(needed warraq-clean)
	checkx "warraq-clean: no cairo, qpdf, libarchive nor SQLite" \
	    '! echo "$n" | grep -q "libcairo\|libqpdf\|libarchive\|libsqlite"'
else
	skip "readelf absent"
fi
