#!/bin/sh
# warraq index / warraq search: the bags and the work directory of a real
# batch (two sample pages through warraq run) indexed, searched in Arabic
# and French with the hits' boxes on the page; the normalisation (alef,
# hamza, ya, ta marbuta, tashkeel, tatweel, digits; accents, case, ſ, œ)
# both ways on an ALTO page written for it; a phrase across a line
# break; prefixes; indexing twice adds nothing; a damaged ALTO and a
# missing bag are said and the others indexed; --json and --html (escaped).
. "$(dirname "$0")/../lib.sh"

mkdir -p "$T/scans"
cp "$FIX/fr-seed.tif" "$FIX/ar-seed.tif" "$T/scans/"
check "warraq run on two sample pages" warraq run -q "$T/scans" "$T/w"
W=$T/w
DB=$T/index.db

# alto_bag BAG DOC LINE...: a bag of one ALTO page, each LINE a line of
# words; word i of line l at x = 100 i, y = 100 l, 90 x 40, WC 0.87
alto_bag() {
	bag=$1
	mkdir -p "$bag/data/alto"
	printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' >"$bag/bagit.txt"
	printf 'External-Identifier: %s\n' "$2" >"$bag/bag-info.txt"
	shift 2
	{
		echo '<?xml version="1.0" encoding="UTF-8"?>'
		echo '<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout>'
		echo '<Page WIDTH="2000" HEIGHT="3000"><PrintSpace><TextBlock>'
		l=1
		for line in "$@"; do
			echo "<TextLine BASEDIRECTION=\"rtl\">"
			i=1
			for w in $line; do
				echo "<String CONTENT=\"$w\" HPOS=\"$((i * 100))\" VPOS=\"$((l * 100))\" WIDTH=\"90\" HEIGHT=\"40\" WC=\"0.87\"/>"
				i=$((i + 1))
			done
			echo "</TextLine>"
			l=$((l + 1))
		done
		echo '</TextBlock></PrintSpace></Page></Layout></alto>'
	} >"$bag/data/alto/0001.xml"
}

# the forms written on the page; each is searched the other way below
alto_bag "$T/norm" norm \
    'مَكْتَبَةٌ أحمد إسلام آثار ٱلكتاب مصطفى مسؤول كـتـاب ١٨٥٠ ۱۹۰۵' \
    'Église ÉTÉ ſoleil œuvre la Bibliothèque' \
    'nationale du Maroc &lt;b&gt;&amp;x'
alto_bag "$T/plain" plain 'مكتبة احمد اسلام اثار الكتاب مصطفي مسئول كتاب 1850' \
    'eglise été soleil oeuvre'

check "warraq index: bags and a work directory" \
    warraq index "$DB" "$W"/bags/* "$T/norm" "$T/plain"
n1=$(sqlite3 "$DB" 'SELECT count(*) FROM pages')
check "warraq index again (the same documents)" \
    warraq index "$DB" "$W"/bags/* "$T/norm" "$T/plain" "$W"
n2=$(sqlite3 "$DB" 'SELECT count(*) FROM pages')
d2=$(sqlite3 "$DB" 'SELECT count(*) FROM docs')
checkx "indexing twice adds nothing (pages $n1 then $n2, documents $d2)" \
    '[ "$n1" = 4 ] && [ "$n2" = 4 ] && [ "$d2" = 4 ]'

# hits QUERY: the pages written for these tests that QUERY finds
hits() {
	warraq search --json "$DB" "$@" |
	    jq -r '.pages[].doc | select(. == "norm" or . == "plain" or . == "broken")' |
	    sort | tr '\n' ' '
}
# finds NAME QUERY DOC...: QUERY finds exactly those of them
finds() {
	name=$1 q=$2
	shift 2
	got=$(hits "$q")
	want=$(for d; do echo "$d"; done | sort | tr '\n' ' ')
	[ "$got" = "$want" ] && ok "$name" || notok "$name" "'$q' found '$got', not '$want'"
}

finds "tashkeel in the text, none in the query" 'مكتبه' norm plain
finds "ta marbuta and heh" 'مكتبة' norm plain
finds "alef with hamza above" 'احمد' norm plain
finds "alef with hamza above, in the query" 'أحمد' norm plain
finds "alef with hamza below" 'إسلام' norm plain
finds "alef with madda" 'آثار' norm plain
finds "alef wasla" 'الكتاب' norm plain
finds "alef maksura and ya" 'مصطفي' norm plain
finds "alef maksura in the query" 'مصطفى' norm plain
finds "hamza on waw and on ya" 'مسئول' norm plain
finds "tatweel" 'كتاب' norm plain
finds "tashkeel in the query" 'كِتَابٌ' norm plain
finds "Arabic-Indic digits" '1850' norm plain
finds "Eastern Arabic-Indic digits" '1905' norm
finds "digits in the query" '١٩٠٥' norm
finds "French without accents" 'eglise' norm plain
finds "French with accents, in capitals" 'ÉGLISE' norm plain
finds "accents and case" 'ete' norm plain
finds "long s" 'soleil' norm plain
finds "oe ligature" 'oeuvre' norm plain
finds "phrase across a line break" '"bibliotheque nationale du"' norm
finds "phrase in the wrong order" '"nationale bibliotheque"'
finds "prefix" 'biblio*' norm
finds "prefix of a phrase" '"bibliotheque nat"*' norm
finds "all the words" 'eglise maroc' norm
finds "query syntax is text" 'OR' 

# the hit, its line, its box and confidence as the ALTO has them
r=$(warraq search --json "$DB" 'kitab OR احمد')
checkx "no page has both 'kitab' and 'احمد'" '[ "$(echo "$r" | jq ".pages | length")" = 0 ]'
r=$(warraq search --json "$DB" 'احمد' | jq -c '.pages[] | select(.doc == "norm") | .lines[0]')
checkx "the word hit, with its box and confidence" \
    '[ "$(echo "$r" | jq -c "[.line, .words[0].text, .words[0].box, .words[0].confidence]")" = "[1,\"أحمد\",[200,100,90,40],87]" ]'
r=$(warraq search --json "$DB" '"bibliotheque nationale"' | jq -c '.pages[0].lines | map([.line, (.words | map(.box)), .spans])')
checkx "a phrase across lines: both lines, each with its part" \
    '[ "$r" = "[[2,[[600,200,90,40]],[[32,45]]],[3,[[100,300,90,40]],[[0,9]]]]" ]'

# the real batch: Arabic and French found on their pages, boxes inside them
r=$(warraq search --json "$DB" 'المكتبه')
checkx "Arabic search finds the sample's Arabic page" \
    '[ "$(echo "$r" | jq -r ".pages[0].doc")" = ar-seed ]'
checkx "its words boxed within the page, with a confidence" \
    'echo "$r" | jq -e ".pages[0] as \$p | \$p.lines[0].words[0] | .box[0] + .box[2] <= \$p.width and .box[1] + .box[3] <= \$p.height and .confidence > 0"'
checkx "the hit is marked on its line" \
    'echo "$r" | jq -e ".pages[0].lines[0] | (.text[.spans[0][0]:.spans[0][1]] | length) > 0"'
checkx "French search finds the French page, best first" \
    '[ "$(warraq search --json "$DB" bibliotheques numeriques | jq -r ".pages[0].doc")" = fr-seed ]'
warraq search "$DB" 'bibliotheques' >"$T/out" 2>&1
checkx "plain output: document, page, the line with [the hit], boxes, confidence" \
    'grep -q "^fr-seed page 0001  confidence [0-9]" "$T/out" &&
     grep -q "line [0-9]*: .*\[bibliothèques\]" "$T/out" && grep -q "boxes (x,y,w,h): [0-9]*,[0-9]*,[0-9]*,[0-9]*" "$T/out"'
checkx "nothing found: no page, status 0" \
    '[ "$(warraq search --json "$DB" zzzyxw | jq ".pages | length")" = 0 ]'
printf 'eglise\n\n"bibliotheque nationale"\nمكتبه\n' >"$T/queries"
checkx "-f: one JSON line a query, each timed" \
    '[ "$(warraq search --json -f "$T/queries" "$DB" | jq -s "map(select(.ms >= 0 and (.pages | length) > 0)) | length")" = 3 ]'

# --html: the page image with the hit boxed; the index's text escaped
warraq search --html "$DB" 'المكتبه' >"$T/a.html"
checkx "--html: the access copy with the word boxed" \
    'grep -q "<image [^>]*href=\"file://$W/bags/ar-seed/data/access/0001.jpg\"" "$T/a.html" &&
     grep -q "<rect class=\"hit\"" "$T/a.html" && grep -q "<mark>" "$T/a.html"'
check "--html is well-formed XML" xmllint --noout "$T/a.html"
warraq search --html "$DB" maroc >"$T/b.html"
checkx "--html escapes the OCR text" \
    'grep -q "&lt;b&gt;&amp;x" "$T/b.html" && ! grep -q "<b>" "$T/b.html"'

# bad input: said, naming the file; the others indexed
cp -r "$T/plain" "$T/broken"
printf 'External-Identifier: broken\n' >"$T/broken/bag-info.txt"
cp "$T/broken/data/alto/0001.xml" "$T/broken/data/alto/0002.xml"
head -c 300 "$T/plain/data/alto/0001.xml" >"$T/broken/data/alto/0001.xml"
warraq index "$DB" "$T/broken" "$T/missing" "$T/norm" >"$T/out" 2>"$T/err"
s=$?
checkx "a damaged ALTO and a missing bag: status 1" '[ $s = 1 ]'
checkx "the damaged ALTO is named" 'grep -q "^warraq-search: $T/broken/data/alto/0001.xml: .*left out" "$T/err"'
checkx "the missing bag is named" 'grep -q "^warraq-search: $T/missing: " "$T/err"'
checkx "the other page and bags indexed" \
    '[ "$(hits eglise)" = "broken norm plain " ]'
rm "$T/broken/data/alto/0002.xml"
warraq index "$DB" "$T/broken" >"$T/out" 2>"$T/err"
s=$?
checkx "a bag none of whose pages can be read: status 1, its earlier pages kept" \
    '[ $s = 1 ] && grep -q "broken: no page could be read" "$T/err" && [ "$(hits eglise)" = "broken norm plain " ]'
echo 'not a database' >"$T/bad.db"
warraq search "$DB.none" x 2>"$T/err"
s=$?
checkx "a missing index: status 1, said" '[ $s = 1 ] && grep -q "no such index" "$T/err"'
warraq search "$T/bad.db" x 2>"$T/err"
s=$?
checkx "a file that is no index: status 1, said" '[ $s = 1 ] && grep -q "bad.db" "$T/err"'

check "warraq-search --version" warraq-search --version
check "warraq-search --help" warraq-search --help
check "warraq search --help" warraq search --help
warraq search "$DB" >/dev/null 2>&1
s=$?
checkx "no query: usage, status 2" '[ $s = 2 ]'
warraq index "$DB" >/dev/null 2>&1
s=$?
checkx "nothing to index: usage, status 2" '[ $s = 2 ]'
