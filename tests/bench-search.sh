#!/bin/sh
# bench-search.sh - the search index on a collection: BENCH_SEARCH_PAGES
# (10,000, or more) synthetic pages of generated text, no images: 100
# bags, each page 25 lines of 12 words, French or Arabic (half the pages
# each), drawn with a skewed, Zipf-like frequency from a vocabulary of
# 30,000 words a language: the words of the seed texts (seeds/) first,
# the commonest, then words of Debian's hunspell lists (hunspell-fr,
# hunspell-ar; the report's dependency); as ALTO with word boxes and
# confidences.  It
# measures `warraq index` (pages indexed per second, index bytes per
# page) and query latency inside warraq-search (`--json -f`, its "ms":
# the query, the ranking and the hits' lines and boxes of the best 20
# pages), median and 99th percentile, for single words (common and rare)
# and two-word phrases taken from the pages; and one `warraq search`
# command from start to end.  Part of `make bench`; alone:
# sh tests/bench-search.sh BUILD.  About a minute on 2 cores.  A measure,
# not a test: it always exits 0.
set -u
cd "$(dirname "$0")/.."
BIN=$(cd "${1:-build}/bin" 2>/dev/null && pwd) || { echo "bench-search: no build"; exit 0; }
NPAGES=${BENCH_SEARCH_PAGES:-10000}
[ "$NPAGES" -ge 10000 ] 2>/dev/null || NPAGES=10000
NBAGS=100
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"${2:-%.2f}\", $1 }"; }

echo "search index: $NPAGES synthetic pages in $NBAGS bags (SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1))"
# the vocabularies, most frequent first
for l in fr ar; do
	f=seeds/000_e89a506d2b243588.txt
	[ $l = ar ] && f=seeds/seed-translation.ar.txt
	tr -s ' \t\r\n' '\n' <"$f" | sed 's/^[[:punct:]«»،؛؟]*//; s/[[:punct:]«»،؛؟]*$//' |
	    grep -v '^$' | sort | uniq -c | sort -rn | awk '{ print $2 }' >"$T/$l.seed"
	# hunspell words: the stem before its flags, letters only, in an
	# order of their own (every other one, shuffled)
	tail -n +2 "/usr/share/hunspell/$l.dic" 2>/dev/null | cut -d/ -f1 | cut -f1 |
	    cut -d' ' -f1 | grep -v '[[:punct:][:digit:]]' | awk 'NR % 2 == 0' |
	    sort -u | awk 'BEGIN { srand(7) } { print rand() "\t" $0 }' | sort |
	    cut -f2 >"$T/$l.dic"
	{ cat "$T/$l.seed"; grep -vxFf "$T/$l.seed" "$T/$l.dic"; } | head -n 30000 >"$T/$l.words"
done
echo "  vocabulary: $(wc -l <"$T/fr.words") French and $(wc -l <"$T/ar.words") Arabic words"
t0=$(now)
awk -v n="$NPAGES" -v nb="$NBAGS" -v dir="$T/bags" -v frf="$T/fr.words" \
    -v arf="$T/ar.words" -v ph="$T/phrases" '
function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/"/, "\\&quot;", s); return s }
BEGIN {
	srand(1)
	while ((getline w <frf) > 0) fr[nf++] = w
	while ((getline w <arf) > 0) ar[na++] = w
	per = int(n / nb)
	for (b = 0; b < nb; b++) {
		bag = sprintf("%s/b%03d", dir, b)
		system("mkdir -p " bag "/data/alto")
		printf "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n" >(bag "/bagit.txt")
		printf "External-Identifier: b%03d\n", b >(bag "/bag-info.txt")
		close(bag "/bagit.txt"); close(bag "/bag-info.txt")
		np = b < nb - 1 ? per : n - per * (nb - 1)
		for (p = 1; p <= np; p++) {
			f = sprintf("%s/data/alto/%04d.xml", bag, p)
			arabic = (b * per + p) % 2
			printf "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<alto xmlns=\"http://www.loc.gov/standards/alto/ns-v4#\"><Layout><Page WIDTH=\"2480\" HEIGHT=\"3508\"><PrintSpace><TextBlock>\n" >f
			for (l = 0; l < 25; l++) {
				printf "<TextLine BASEDIRECTION=\"%s\" LANG=\"%s\">\n", arabic ? "rtl" : "ltr", arabic ? "ar" : "fr" >f
				for (i = 0; i < 12; i++) {
					r = rand() ^ 3
					w = arabic ? ar[int(r * na)] : fr[int(r * nf)]
					if (l == 3 && i == 1 && p % 20 == 0)
						print prev " " w >ph
					prev = w
					printf "<String CONTENT=\"%s\" HPOS=\"%d\" VPOS=\"%d\" WIDTH=\"150\" HEIGHT=\"50\" WC=\"0.%02d\"/>\n", esc(w), 100 + 190 * i, 150 + 130 * l, 50 + int(rand() * 50) >f
				}
				print "</TextLine>" >f
			}
			print "</TextBlock></PrintSpace></Page></Layout></alto>" >f
			close(f)
		}
	}
}'
echo "  generated in $(calc "$(now) - $t0" %.1f) s: $(du -sm "$T/bags" | cut -f1) MB of ALTO"

DB=$T/index.db
t0=$(now)
"$BIN/warraq" index -q "$DB" "$T"/bags/* || echo "  warning: warraq index exited $?"
ti=$(calc "$(now) - $t0" %.3f)
n=$(sqlite3 "$DB" 'SELECT count(*) FROM pages' 2>/dev/null || echo 0)
size=$(stat -c %s "$DB")
printf '  warraq index:   %d pages in %.1f s, %.0f pages/s\n' "$n" "$ti" "$(calc "$n / $ti")"
printf '  index size:     %.1f MB, %.0f bytes per page (%d words a page)\n' \
    "$(calc "$size / 1048576")" "$(calc "$size / $n")" 300
t0=$(now)
"$BIN/warraq" index -q "$DB" "$T"/bags/b000 >/dev/null
printf '  re-indexing one bag of %d pages: %.2f s\n' "$((NPAGES / NBAGS))" "$(calc "$(now) - $t0")"

# the queries: the 100 commonest words, 200 others (every 150th of each
# vocabulary past them), prefixes of 4 letters of these, and two-word
# phrases written down while generating
{ head -n 50 "$T/fr.words"; head -n 50 "$T/ar.words"; } >"$T/common"
{ tail -n +51 "$T/fr.words" | awk 'NR % 150 == 0' | head -n 100
  tail -n +51 "$T/ar.words" | awk 'NR % 150 == 0' | head -n 100; } >"$T/rare"
awk 'length($0) > 4 { print substr($0, 1, 4) "*" }' "$T/rare" >"$T/prefix"
head -n 200 "$T/phrases" | sed 's/.*/"&"/' >"$T/phrase"
# lat NAME FILE: median and 99th percentile of the in-process times
lat() {
	"$BIN/warraq" search --json -f "$2" "$DB" >"$T/res" 2>/dev/null
	jq -r '.ms' "$T/res" | sort -n >"$T/ms"
	jq -r '.pages | length' "$T/res" | awk '{ s += $1; n++ } END { if (n) printf "%.1f", s / n }' >"$T/hits"
	awk -v name="$1" -v hits="$(cat "$T/hits")" '{ v[NR] = $1 } END {
	    if (NR == 0) { printf "  %-28s no result\n", name; exit }
	    m = v[int((NR + 1) / 2)]; p = v[int(NR * 0.99 + 0.999)]
	    printf "  %-28s median %6.2f ms   p99 %6.2f ms   (%d queries, %s pages shown each, at most 20)\n",
	        name, m, p, NR, hits }' "$T/ms"
}
echo "  query latency (inside warraq-search, best 20 pages with lines and boxes):"
lat "common words" "$T/common"
lat "other words" "$T/rare"
lat "prefixes (4 letters*)" "$T/prefix"
lat "two-word phrases" "$T/phrase"
w=$(head -n 1 "$T/common")
: >"$T/cmd"
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	t0=$(now)
	"$BIN/warraq" search "$DB" "$w" >/dev/null 2>&1
	calc "($(now) - $t0) * 1000" >>"$T/cmd"
	echo >>"$T/cmd"
done
sort -n "$T/cmd" | awk -v w="$w" '{ v[NR] = $1 } END {
    printf "  one warraq search command, start to end (the commonest word, \"%s\"): median %.1f ms of 20\n", w, v[int((NR + 1) / 2)] }'
exit 0
