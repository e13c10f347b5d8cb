#!/bin/sh
# Every program describes itself (--describe), and --help, the manual
# pages and the up-front checks of settings all come from that one
# description: a wrong setting is refused with exit 2 before anything is
# written anywhere; a refused run writes nothing; make install puts the
# programs, the manuals, the systemd unit and an example profile in place.
. "$(dirname "$0")/../lib.sh"

B=$(cd "$WARRAQ_BIN/.." && pwd)
progs="warraq warraq-ingest warraq-deskew warraq-clean warraq-layout warraq-ocr
warraq-pdf warraq-report warraq-package warraq-eval warraq-verify warraq-search"

# --describe: JSON, naming the program, with its settings and exit statuses
for p in $progs; do
	if "$p" --describe >"$T/$p.json" 2>"$T/err" &&
	    [ "$(jq -r .name "$T/$p.json")" = "$p" ] &&
	    [ "$(jq -r .version "$T/$p.json")" = "$("$p" --version 2>/dev/null |
	        grep -o '[0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*' | head -n 1)" ] &&
	    jq -e '(.usage | length > 0) and (.options | length > 0) and
	        (.exit_status["0"] | type == "string") and
	        (.exit_status["2"] | type == "string") and
	        (.settings | type == "object")' "$T/$p.json" >/dev/null; then
		ok "$p --describe"
	else
		notok "$p --describe" "$(head -c 300 "$T/$p.json") $(cat "$T/err")"
	fi
done
# every stage reads settings of its own and says which stage it follows
for s in deskew clean layout ocr pdf report package; do
	jq -e '.after | type == "string"' "$T/warraq-$s.json" >/dev/null &&
	    ok "warraq-$s --describe names the stage before it" ||
	    notok "warraq-$s --describe names the stage before it" "$(jq .after "$T/warraq-$s.json")"
done
# the driver's description lists every setting; each with type and help
n=$(jq '.settings | length' "$T/warraq.json")
bad=$(jq -r '.settings | to_entries[] | select((.value.type | type) != "string" or
    (.value.help | length) < 5 or (.value.read_by | length) < 1) | .key' "$T/warraq.json")
[ "$n" -ge 30 ] && [ -z "$bad" ] && ok "warraq --describe: $n settings, typed" ||
    notok "warraq --describe: settings typed" "$n; $bad"

# --help lists a program's own settings only
warraq-clean --help >"$T/h.clean"
warraq-pdf --help >"$T/h.pdf"
checkx "warraq-clean --help: its settings, not the PDF's" \
    'grep -q "sauvola_k = 0.34" "$T/h.clean" && ! grep -q pdf_image "$T/h.clean" &&
     ! grep -q bag_archive "$T/h.clean"'
checkx "warraq-pdf --help: its settings, not cleaning's" \
    'grep -q "pdf_image = gray" "$T/h.pdf" && ! grep -q sauvola "$T/h.pdf"'
for p in status cancel; do
	warraq "$p" --help >"$T/h" 2>&1 && grep -q "usage: warraq $p" "$T/h" &&
	    ok "warraq $p --help" || notok "warraq $p --help" "$(cat "$T/h")"
done

# settings refused up front, exit 2, nothing written anywhere
cp -r "$FIX" "$T/scans"
refused() {	# refused NAME EXPECT-IN-STDERR warraq ARGS...
	name=$1 want=$2
	shift 2
	before=$(find "$T/scans" | sort | sha256sum)
	"$@" >/dev/null 2>"$T/err"; st=$?
	after=$(find "$T/scans" | sort | sha256sum)
	if [ $st -eq 2 ] && grep -q -- "$want" "$T/err" && [ ! -e "$T/w" ] &&
	    [ "$before" = "$after" ]; then
		ok "$name: exit 2, nothing written"
	else
		notok "$name" "status $st, $(ls "$T/w" 2>&1 | head -n 3 | tr '\n' ' ') $(cat "$T/err")"
	fi
	rm -rf "$T/w"
}
refused "a report threshold that is no number" "report_min_confidence: 'abc'" \
    warraq run -o report_min_confidence=abc "$T/scans" "$T/w"
refused "an OCR model that is not installed" "no OCR model 'arabic'" \
    warraq run --lang arabic "$T/scans" "$T/w"
refused "a cleaning setting out of range" "sauvola_k: '7'" \
    warraq run -o sauvola_k=7 "$T/scans" "$T/w"
refused "a PDF setting misspelt" "pdf_image: 'grey' is not one of" \
    warraq run -o pdf_image=grey "$T/scans" "$T/w"
refused "a stage that is not one" "'deskw' is not a stage" \
    warraq run --stages ingest,deskw "$T/scans" "$T/w"
printf 'languages = ara\nspeckle_px = lots\n' >"$T/bad.profile"
refused "a profile with a bad value" "speckle_px" \
    warraq run -p "$T/bad.profile" "$T/scans" "$T/w"
refused "a stage program given a bad value" "binarize" \
    warraq-ingest -o binarize=x "$T/scans" "$T/w"
# the work directory inside the scans: refused before anything is made
before=$(find "$T/scans" | sort | sha256sum)
warraq run "$T/scans" "$T/scans/work" >/dev/null 2>"$T/err"; st=$?
after=$(find "$T/scans" | sort | sha256sum)
[ $st -eq 2 ] && [ "$before" = "$after" ] && grep -q "inside SCANS_DIR" "$T/err" &&
    ok "WORK_DIR inside SCANS_DIR: exit 2, nothing made in the scans" ||
    notok "WORK_DIR inside SCANS_DIR" "status $st; $(cat "$T/err"); $(ls -a "$T/scans/work" 2>&1)"
warraq watch "$T/scans" "$T/scans/w2" >/dev/null 2>&1; st=$?
[ $st -eq 2 ] && [ ! -e "$T/scans/w2" ] && ok "warraq watch: WORK_DIR inside SCANS_DIR refused" ||
    notok "warraq watch: WORK_DIR inside SCANS_DIR refused" "status $st"
warraq-ocr -o languages=xyz "$T/nowork" >/dev/null 2>"$T/err"; st=$?
[ $st -eq 2 ] && [ ! -e "$T/nowork" ] && ok "warraq-ocr: no such work directory, exit 2" ||
    notok "warraq-ocr: no such work directory, exit 2" "status $st: $(cat "$T/err")"

# the manual pages: one per program and two of section 5, each rendered
# by man(1) without a warning, each program's settings in its page
for p in $progs; do
	f=$B/man/$p.1
	if [ -f "$f" ] && LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$f" >"$T/m" 2>"$T/merr" &&
	    [ ! -s "$T/merr" ] &&
	    [ -z "$(LC_ALL=C.UTF-8 groff -mandoc -ww -z -Tutf8 "$f" 2>&1)" ] &&
	    grep -q "EXIT STATUS" "$T/m"; then
		missing=""
		for k in $(jq -r '.settings | keys[]' "$T/$p.json"); do
			grep -q "^ *$k = " "$T/m" || missing="$missing $k"
		done
		[ -z "$missing" ] && ok "man $p" || notok "man $p" "settings missing:$missing"
	else
		notok "man $p" "$(cat "$T/merr" 2>/dev/null)"
	fi
done
for p in warraq-profile warraq-workdir; do
	f=$B/man/$p.5
	[ -f "$f" ] && LC_ALL=C.UTF-8 man -l "$f" >"$T/m" 2>"$T/merr" && [ ! -s "$T/merr" ] &&
	    [ -z "$(LC_ALL=C.UTF-8 groff -mandoc -ww -z -Tutf8 "$f" 2>&1)" ] &&
	    [ "$(wc -l <"$T/m")" -gt 40 ] && ok "man $p(5)" || notok "man $p(5)" "$(cat "$T/merr")"
done
missing=""
LC_ALL=C.UTF-8 MANWIDTH=100 man -l "$B/man/warraq-profile.5" >"$T/m" 2>/dev/null
for k in $(jq -r '.settings | keys[]' "$T/warraq.json"); do
	grep -q "^ *$k = " "$T/m" || missing="$missing $k"
done
[ -z "$missing" ] && ok "warraq-profile(5) has every setting" ||
    notok "warraq-profile(5) has every setting" "missing:$missing"

# make install: programs, manuals, the unit (pointed at PREFIX) and a
# profile the unit reads, which a later install keeps
if make -s -C "$TOP" BUILD="$B" DESTDIR="$T/inst" PREFIX=/opt/wq install >"$T/inst.log" 2>&1; then
	u=$T/inst/lib/systemd/system/warraq-watch.service
	checkx "make install: programs, manuals, systemd unit, profile" \
	    '[ -x "$T/inst/opt/wq/bin/warraq" ] && [ -x "$T/inst/opt/wq/bin/warraq-ocr" ] &&
	     [ -f "$T/inst/opt/wq/share/man/man1/warraq-pdf.1" ] &&
	     [ -f "$T/inst/opt/wq/share/man/man5/warraq-profile.5" ] &&
	     grep -q "^ExecStart=/opt/wq/bin/warraq watch -p /etc/warraq/collection.profile" "$u" &&
	     [ -f "$T/inst/etc/warraq/collection.profile" ]'
	"$T/inst/opt/wq/bin/warraq" run -n -p "$T/inst/etc/warraq/collection.profile" \
	    "$T/scans" "$T/w" >/dev/null 2>"$T/err" && [ ! -e "$T/w" ] &&
	    ok "the installed example profile is one warraq accepts" ||
	    notok "the installed example profile is one warraq accepts" "$(cat "$T/err")"
	echo "languages = ara" >"$T/inst/etc/warraq/collection.profile"
	make -s -C "$TOP" BUILD="$B" DESTDIR="$T/inst" PREFIX=/opt/wq install >/dev/null 2>&1
	[ "$(cat "$T/inst/etc/warraq/collection.profile")" = "languages = ara" ] &&
	    ok "make install keeps an edited profile" ||
	    notok "make install keeps an edited profile" "overwritten"
else
	notok "make install" "$(tail -n 5 "$T/inst.log")"
fi
