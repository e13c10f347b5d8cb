#!/bin/sh
# warraq run: a page that makes a stage crash, hang or fail is recorded
# with its reason, its later stages are skipped, every other page
# completes, and the run exits 1 naming the failed pages.
. "$(dirname "$0")/../lib.sh"

make_batch "$T/scans" 5
export WARRAQ_FAULT="deskew:p02/0001:crash,deskew:p03/0001:hang,deskew:p04/0001:fail"
warraq run -j 2 --timeout 3 "$T/scans" "$T/w" >"$T/out" 2>&1
st=$?
unset WARRAQ_FAULT
[ "$st" -eq 1 ] && ok "exit status 1 when pages fail" || notok "exit status 1 when pages fail" "got $st"

for p in p01 p05; do
	if [ -f "$T/w/deskew/$p/0001.json" ] && [ -f "$T/w/deskew/$p/0001.tif" ]; then
		ok "healthy page $p completed"
	else
		notok "healthy page $p completed" "no deskew output"
	fi
done
reason() { cat "$T/w/deskew/$1/0001.error" 2>/dev/null; }
case $(reason p02) in *signal\ 11*) ok "crash recorded with its signal";;
	*) notok "crash recorded with its signal" "$(reason p02)";; esac
case $(reason p03) in *timed\ out*) ok "hang killed after the timeout";;
	*) notok "hang killed after the timeout" "$(reason p03)";; esac
case $(reason p04) in *injected\ failure*) ok "stage's own failure reason kept";;
	*) notok "stage's own failure reason kept" "$(reason p04)";; esac
for p in p02 p03 p04; do
	if grep -q "deskew $p/0001" "$T/out"; then ok "summary names failed page $p"
	else notok "summary names failed page $p" "$(tail -5 "$T/out")"; fi
done
[ ! -e "$T/w/deskew/p02/0001.tif" ] && ok "no output for the crashed page" ||
    notok "no output for the crashed page" "deskew/p02/0001.tif exists"

warraq status "$T/w" >"$T/status"
if grep -Eq '^deskew +2 +3 +0 +0' "$T/status" && grep -q 'p03/0001: timed out' "$T/status"; then
	ok "status counts and reasons"
else
	notok "status counts and reasons" "$(cat "$T/status")"
fi

# once the fault is gone, the same command finishes the failed pages only
touch -d '1 minute ago' "$T/w/deskew/p01/0001.tif"
check "rerun after the fault is fixed succeeds" warraq run -q -j 2 "$T/scans" "$T/w"
[ -f "$T/w/deskew/p02/0001.json" ] && [ ! -e "$T/w/deskew/p02/0001.error" ] &&
    ok "failed page redone, its error cleared" || notok "failed page redone, its error cleared" "state wrong"
[ -z "$(find "$T/w/deskew/p01" -name '*.tif' -newermt '30 seconds ago')" ] &&
    ok "finished pages not redone" || notok "finished pages not redone" "p01 rewritten"
