#!/bin/sh
# ingest_bad.sh - warraq-ingest on a batch of good files mixed with bad
# ones: truncated TIFF and JPEG, a text file named .tif, an empty file, a
# zero-sized image, a broken IFD offset, a broken IFD chain, a strip past
# the end of the file, an image above the pixel limit.  Each bad file is
# quarantined with a one-line reason and a "warraq-ingest: FILE: reason"
# line on stderr, the good ones are still ingested, the exit status is 1
# and no source changes.  Also --help, --version and the usage errors.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

S=$T/scans
W=$T/work
B=$T/base
mkdir -p "$S" "$B"

# tiffpatch FILE WHAT VALUE: rewrites one field of a classic TIFF in place:
#   header     the offset of the first IFD
#   next       the offset of the IFD after the first
#   TAG        (a number) the value of that tag in the first IFD
tiffpatch() {
	python3 - "$@" <<'EOF'
import struct, sys
path, what, value = sys.argv[1], sys.argv[2], int(sys.argv[3])
b = bytearray(open(path, "rb").read())
bo = "<" if b[:2] == b"II" else ">"
assert struct.unpack(bo + "H", b[2:4])[0] == 42, "classic TIFF only"
ifd = struct.unpack(bo + "I", b[4:8])[0]
n = struct.unpack(bo + "H", b[ifd:ifd + 2])[0]
if what == "header":
    b[4:8] = struct.pack(bo + "I", value)
elif what == "next":
    e = ifd + 2 + 12 * n
    b[e:e + 4] = struct.pack(bo + "I", value)
else:
    for i in range(n):
        e = ifd + 2 + 12 * i
        tag, typ, cnt = struct.unpack(bo + "HHI", b[e:e + 8])
        if tag == int(what):
            assert cnt == 1, "tag with one value only"
            if typ == 3:
                b[e + 8:e + 10] = struct.pack(bo + "H", value)
            else:
                b[e + 8:e + 12] = struct.pack(bo + "I", value)
            break
    else:
        sys.exit("tag %s not found" % what)
open(path, "wb").write(b)
EOF
}


# ---- good files (named so that they sort before most bad ones) ----------
mk base convert "$FIX/fr-seed.tif" -resize 500x -depth 8 -compress none "$B/g8.tif"
mk good-g8 tiffcp -c lzw "$B/g8.tif" "$S/a-good-gray.tif"
mk b1 convert "$B/g8.tif" -threshold 60% -depth 1 -compress none "$B/b1.tif"
mk good-g4 tiffcp -c g4 "$B/b1.tif" "$S/a-good-g4.tif"
mk good-jpg convert "$B/g8.tif" -quality 85 "$S/a-good.jpg"
mk good-multi tiffcp "$S/a-good-g4.tif" "$B/g8.tif" "$S/m-good-multi.tif"
mk good-late tiffcp -c zip "$B/b1.tif" "$S/zzz-good-last.tif"

# ---- bad files -----------------------------------------------------------
size() { wc -c <"$1" | tr -d ' '; }
# truncated: the first half of a real TIFF (libtiff writes the IFD last)
head -c $(($(size "$S/a-good-gray.tif") / 2)) "$S/a-good-gray.tif" >"$S/truncated.tif"
# a multi-page TIFF cut inside its last IFD: the first page alone is fine
head -c $(($(size "$S/m-good-multi.tif") - 100)) "$S/m-good-multi.tif" >"$S/zz-cut-multi.tif"
# text named .tif, and an empty .tif
echo "scanner log: 12 pages" >"$S/notatiff.tif"
: >"$S/empty.tif"
# zero width, patched into a real file
mk zero tiffcp -c none "$B/b1.tif" "$S/zero-width.tif"
mk zero-patch tiffpatch "$S/zero-width.tif" 256 0
# the header points past the end of the file
mk badifd tiffcp -c packbits "$B/g8.tif" "$S/bad-ifd.tif"
mk badifd-patch tiffpatch "$S/bad-ifd.tif" header $(($(size "$S/bad-ifd.tif") + 4096))
# a two-page file whose second IFD lies past the end: must not be read
# as a one-page file (sorted after good pages have been written)
mk badnext tiffcp -c lzw "$B/b1.tif" "$B/g8.tif" "$S/zz-bad-next-ifd.tif"
mk badnext-patch tiffpatch "$S/zz-bad-next-ifd.tif" next 99999999
# the strip lies (mostly) past the end of the file: a decoding error
mk strip tiffcp -c none -r 100000 "$B/g8.tif" "$S/zz-strip-past-end.tif"
mk strip-patch tiffpatch "$S/zz-strip-past-end.tif" 273 $(($(size "$S/zz-strip-past-end.tif") - 1000))
# truncated JPEG
head -c $(($(size "$S/a-good.jpg") / 2)) "$S/a-good.jpg" >"$S/truncated.jpg"
# a bad file whose name holds a newline: its reason must stay one line
nl=$(printf '\nx')
nl=${nl%x}
echo "not an image" >"$S/odd${nl}name.tif"
[ "$mkfail" -eq 0 ] && ok "bad files made"

SR=$(cd "$S" && pwd -P)
(cd "$S" && find . -type f -exec sha256sum {} + | sort) >"$T/sums.before"

warraq-ingest "$S" "$W" >"$T/out" 2>"$T/err"
rc=$?
check "a batch with bad files exits 1" [ "$rc" -eq 1 ]

# bad FILE PATTERN: quarantined, one-line reason matching PATTERN, the same
# reason on stderr as "warraq-ingest: FILE: reason", nothing ingested
bad() {
	f=$1 pat=$2
	doc=$(awk -F'\t' -v f="$f" '$2 == f { print $1 }' "$W/docs.tsv")
	r=$W/quarantine/$f.reason
	if [ ! -f "$r" ]; then
		notok "$f: quarantined" "no quarantine/$f.reason"
		return
	fi
	lines=$(wc -l <"$r" | tr -d ' ')
	line=$(cat "$r")
	reason=${line#"$f: "}
	if [ "$lines" = 1 ] && [ "$reason" != "$line" ] && [ -n "$reason" ] &&
	    echo "$reason" | grep -qE "$pat"; then
		ok "$f: quarantined, one-line reason ($reason)"
	else
		notok "$f: quarantined, one-line reason" "$lines lines: '$line' (want /$pat/)"
	fi
	if grep -qxF "warraq-ingest: $SR/$f: $reason" "$T/err"; then
		ok "$f: stderr names it with its reason"
	else
		notok "$f: stderr names it with its reason" "no line 'warraq-ingest: $SR/$f: $reason'"
	fi
	if [ -z "$doc" ] ||
	    awk -F'\t' -v s="$SR/$f" '$3 == s { found = 1 } END { exit !found }' "$W/pages.tsv" ||
	    [ -n "$(ls -A "$W/ingest/$doc" 2>/dev/null)" ]; then
		notok "$f: nothing of it ingested" "no docs.tsv entry, or a pages.tsv row or output exists"
	else
		ok "$f: nothing of it ingested"
	fi
}

bad truncated.tif "^unreadable TIFF: .+"
bad zz-cut-multi.tif "^unreadable (TIFF|IFD)"
bad notatiff.tif "^not a TIFF, JPEG, PNG or JPEG 2000 file$"
bad empty.tif "^empty file$"
bad zero-width.tif "(zero|scanline)"
bad bad-ifd.tif "^unreadable TIFF: .+"
bad zz-bad-next-ifd.tif "^unreadable IFD after image 1: .+"
bad zz-strip-past-end.tif "^cannot decode image 0: .+"
bad truncated.jpg "JPEG"

# the file named with a newline: one quarantine record, one line, escaped
r=$(grep -l 'odd\\nname.tif: not a TIFF, JPEG, PNG or JPEG 2000 file' "$W/quarantine"/*.reason 2>/dev/null)
if [ -n "$r" ] && [ "$(wc -l <"$r")" -eq 1 ] &&
    [ "$(cat "$r")" = 'odd\nname.tif: not a TIFF, JPEG, PNG or JPEG 2000 file' ]; then
	ok "a bad file named with a newline: one-line reason, name escaped"
else
	notok "a bad file named with a newline: one-line reason, name escaped" \
	    "record: ${r:-none}: $(cat "$r" 2>/dev/null | head -n 2 | tr '\n' '|')"
fi

# good FILE DOC NPAGES: ingested whole, rows ok, outputs there
good() {
	f=$1 doc=$2 n=$3
	rows=$(awk -F'\t' -v s="$SR/$f" -v d="$doc" -v h="$(sha "$S/$f")" \
	    '$3 == s && $1 == d && $5 == h && $6 == "ok"' "$W/pages.tsv" | wc -l)
	outs=$(ls "$W/ingest/$doc"/*.tif 2>/dev/null | wc -l)
	if [ "$rows" -eq "$n" ] && [ "$outs" -eq "$n" ] && [ ! -e "$W/quarantine/$f.reason" ]; then
		ok "$f: good file still ingested ($n pages)"
	else
		notok "$f: good file still ingested ($n pages)" "$rows rows, $outs outputs"
	fi
}

good a-good-gray.tif a-good-gray 1
good a-good-g4.tif a-good-g4 1
good a-good.jpg a-good 1
good m-good-multi.tif m-good-multi 2
good zzz-good-last.tif zzz-good-last 1

nq=$(ls "$W/quarantine" | wc -l)
check "exactly the 10 bad files quarantined" [ "$nq" -eq 10 ]
check "summary.json lists the 10 with their reasons" jq -e \
    '(.quarantined | length) == 10 and
     ([.quarantined[].file] | sort) == (["bad-ifd.tif", "empty.tif", "notatiff.tif",
       "odd\nname.tif", "truncated.jpg", "truncated.tif", "zero-width.tif",
       "zz-bad-next-ifd.tif", "zz-cut-multi.tif", "zz-strip-past-end.tif"]) and
     all(.quarantined[]; .reason | length > 0) and .pages == 6' "$W/ingest/summary.json"
check "the summary line counts them" grep -q "10 files quarantined" "$T/err"

(cd "$S" && find . -type f -exec sha256sum {} + | sort) >"$T/sums.after"
check "sources unchanged" cmp -s "$T/sums.before" "$T/sums.after"
warraq-ingest -q "$S" "$W" 2>"$T/err1"
rc=$?
if [ "$rc" -eq 1 ] && ! grep -q "pages.tsv" "$T/err1" &&
    jq -e '.run.unchanged // .unchanged | . == 6' "$W/ingest/summary.json" >/dev/null; then
	ok "a second run reads pages.tsv back: 6 pages unchanged"
else
	notok "a second run reads pages.tsv back: 6 pages unchanged" \
	    "status $rc: $(head -n 1 "$T/err1")"
fi

# a file fixed by the operator leaves quarantine on the next run
tiffcp -c packbits "$B/g8.tif" "$S/truncated.tif"
warraq-ingest -q "$S" "$W" 2>"$T/err2"
doc=$(awk -F'\t' '$2 == "truncated.tif" { print $1 }' "$W/docs.tsv")
if [ ! -e "$W/quarantine/truncated.tif.reason" ] && [ -n "$doc" ] &&
    [ -f "$W/ingest/$doc/0001.tif" ] && ! grep -qF "truncated.tif" "$T/err2"; then
	ok "a fixed file leaves quarantine and is ingested"
else
	notok "a fixed file leaves quarantine and is ingested" "$(head -n 2 "$T/err2" | tr '\n' ' ')"
fi

# ---- the pixel limit ---------------------------------------------------
mkdir -p "$T/big"
cp "$S/a-good-g4.tif" "$T/big/page.tif"
warraq-ingest -o max_pixels=1000 "$T/big" "$T/wbig" 2>"$T/errbig"
rc=$?
check "above the pixel limit: exit 1" [ "$rc" -eq 1 ]
check "above the pixel limit: quarantined with the sizes and the limit" \
    grep -qE "^page.tif: image of [0-9]+ x [0-9]+ pixels is above the limit of 1000 pixels$" \
    "$T/wbig/quarantine/page.tif.reason"
check "above the pixel limit: nothing ingested" \
    sh -c "[ -z \"\$(find '$T/wbig/ingest' -name '*.tif')\" ]"
check "below the limit, the same file is fine" \
    warraq-ingest -q -o max_pixels=1000000 "$T/big" "$T/wbig2"

# ---- command line ------------------------------------------------------
warraq-ingest --help >"$T/help" 2>&1
rc=$?
check "--help exits 0" [ "$rc" -eq 0 ]
check "--help shows usage and the settings" sh -c \
    "grep -q '^usage: warraq-ingest .*SCANS_DIR WORK_DIR' '$T/help' && grep -q max_pixels '$T/help'"
v=$(sed -n 's/^#define WQ_VERSION "\(.*\)"/\1/p' "$TOP/stages/common/wq.h")
out=$(warraq-ingest --version 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && [ -n "$v" ] && [ "$out" = "warraq-ingest (warraq) $v" ]; then
	ok "--version prints the version and exits 0"
else
	notok "--version prints the version and exits 0" "status $rc: '$out' (want $v)"
fi

# usage NAME ARGS...: exit status 2, a message on stderr, nothing on stdout
usage() {
	name=$1
	shift
	warraq-ingest "$@" >"$T/uout" 2>"$T/uerr"
	rc=$?
	if [ "$rc" -eq 2 ] && [ -s "$T/uerr" ] && [ ! -s "$T/uout" ]; then
		ok "usage error, exit 2: $name"
	else
		notok "usage error, exit 2: $name" "status $rc: $(head -n 1 "$T/uerr")"
	fi
}
mkdir -p "$T/s2"
cp "$S/a-good-g4.tif" "$T/s2/"
(cd "$T/s2" && find . | sort) >"$T/s2.before"
usage "no arguments"
usage "one argument" "$T/s2"
usage "a third argument that is a path, not a NAME in SCANS" "$T/s2" "$T/w2" "$T/w3"
usage "WORK inside SCANS" "$T/s2" "$T/s2/work"
usage "WORK inside SCANS, through .." "$T/s2" "$T/s2/new/../work"
usage "WORK is SCANS" "$T/s2" "$T/s2/"
usage "SCANS does not exist" "$T/nosuch" "$T/w2"
usage "unknown -o key" -o max_pixel=5 "$T/s2" "$T/w2"
usage "-o without =" -o max_pixels "$T/s2" "$T/w2"
usage "-o bad number" -o max_pixels=lots "$T/s2" "$T/w2"
usage "-o assume_dpi out of range" -o assume_dpi=0 "$T/s2" "$T/w2"
usage "unknown option" --bogus "$T/s2" "$T/w2"
usage "missing profile" -p "$T/nosuch.profile" "$T/s2" "$T/w2"
(cd "$T/s2" && find . | sort) >"$T/s2.after"
check "a refused WORK inside SCANS is not created there" cmp -s "$T/s2.before" "$T/s2.after"
check "usage errors write no WORK" [ ! -e "$T/w2" ]

# an empty SCANS folder, and a document folder with no page image: a clear
# word, exit 0, nothing quarantined (an empty listing once reached qsort()
# as a null pointer, which UBSan stops on)
mkdir -p "$T/empty" "$T/nopages/doc"
warraq-ingest "$T/empty" "$T/we" >"$T/e.out" 2>&1; st=$?
[ $st -eq 0 ] && grep -q "0 documents, 0 pages" "$T/e.out" &&
    ok "empty SCANS folder: 0 documents, exit 0" || notok "empty SCANS folder" "status $st: $(cat "$T/e.out")"
warraq-ingest "$T/nopages" "$T/wn" >"$T/n.out" 2>&1; st=$?
[ $st -eq 0 ] && grep -q "doc: folder holds no page images; skipped" "$T/n.out" &&
    ok "document folder without page images: skipped with the reason" ||
    notok "document folder without page images" "status $st: $(cat "$T/n.out")"

# what is not a regular file is never read: a FIFO named like a page inside
# a volume (once hung ingest for ever) and a link to /dev/zero taken with
# follow_symlinks (once spun for ever) are quarantined as such, in bounded
# time, and the good neighbour is ingested
mkdir -p "$T/odd/vol"
cp "$S/a-good-g4.tif" "$T/odd/vol/p1.tif"
mkfifo "$T/odd/vol/p0.tif"
ln -s /dev/zero "$T/odd/zero.tif"
ln -s /dev/zero "$T/odd/vol/p2.tif"
timeout 60 warraq-ingest -o follow_symlinks=yes "$T/odd" "$T/wo" >"$T/odd.out" 2>&1; st=$?
checkx "FIFO and /dev/zero: not read, done in bounded time, exit 1 ($st)" "[ $st -eq 1 ]"
checkx "the FIFO is quarantined as not a regular file" \
    "grep -q 'vol/p0.tif: not a regular file' '$T/odd.out'"
checkx "the links to /dev/zero too" "grep -q 'zero.tif: not a regular file' '$T/odd.out' && grep -q 'vol/p2.tif: not a regular file' '$T/odd.out'"
checkx "the good page beside them is ingested" "[ -f '$T/wo/ingest/vol/0001.json' ]"

# a TIFF whose first directory points back to itself (an IFD loop, which
# libtiff flags) is not a 1-page document: quarantined with the reason
mkdir -p "$T/loop"
cp "$B/b1.tif" "$T/loop/loop.tif"
off=$(python3 -c "import struct,sys; b=open(sys.argv[1],'rb').read(8); print(struct.unpack(('<' if b[:2]==b'II' else '>')+'I', b[4:8])[0])" "$T/loop/loop.tif")
tiffpatch "$T/loop/loop.tif" next "$off"
warraq-ingest "$T/loop" "$T/wl" >"$T/loop.out" 2>&1; st=$?
checkx "IFD loop: quarantined, exit 1 ($st)" \
    "[ $st -eq 1 ] && grep -qi 'loop' '$T/loop.out' && [ ! -f '$T/wl/ingest/loop/0001.json' ]"
