#!/bin/sh
# warraq-deskew accuracy, on the real programs: French and Arabic pages
# turned by known angles come back straight (residual skew <= 0.1 degree,
# also re-measured on the output) and pages turned by quarter turns come
# back upright pixel for pixel; pages without text are left alone with a
# low confidence; degenerate images (all black, 1 pixel wide or high) do
# not crash it; the new canvas keeps the whole page and its new corners
# take the paper's colour.
#
# Sign conventions, as the JSON sidecar records them: ImageMagick's
# `-rotate A` turns a page A degrees clockwise; deskew's skew_deg is the
# angle it removed (Leptonica's sense, clockwise positive), so a page
# turned by A is reported as about -A; orientation_deg is how the page
# was turned, clockwise, so `-rotate 90` is reported as 90.
. "$(dirname "$0")/../lib.sh"

TOL=0.1				# degrees of residual skew allowed
SKEWS="0.5 -0.5 2 -2 7 -7 14 -14"
# and per language an odd angle and one near the documented limit (15)
SKEWS_fr="$SKEWS 3.3 14.8"
SKEWS_ar="$SKEWS -10.6 -14.8"
TURNS="90 180 270"

S=$T/scans
W=$T/work
UP=$T/upright
mkdir -p "$S" "$UP"

# The upright pages: the upper part of the French page (16 lines of text:
# plenty to measure, and more only costs time) and the Arabic page (9
# lines), 8-bit gray, at 300 ppi.
convert "$FIX/fr-seed.tif" -crop 2163x1200+0+0 +repage -depth 8 "$UP/fr.tif"
convert "$FIX/ar-seed.tif" -depth 8 "$UP/ar.tif"

# skews LANG: the skew angles tried on LANG
skews() { eval "echo \$SKEWS_$1"; }
# rot IN A OUT: IN turned A degrees clockwise onto a white canvas
rot() { convert "$1" -background white -rotate "$2" +repage -depth 8 -compress zip "$3"; }

for lang in fr ar; do
	for a in $(skews "$lang"); do rot "$UP/$lang.tif" "$a" "$S/${lang}_skew_$a.tif" & done
	for a in $TURNS; do rot "$UP/$lang.tif" "$a" "$S/${lang}_turn_$a.tif" & done
	wait
done
# pages without text, and degenerate images
convert -size 1700x2400 xc:white -depth 8 -type Grayscale "$S/blank.tif"
convert -size 1700x2400 xc:white -fill black -draw 'circle 300,400 304,404' \
    -draw 'circle 1200,900 1203,903' -draw 'circle 800,2000 805,2005' \
    -draw 'rectangle 1500,300 1502,302' -draw 'point 900,1500' \
    -depth 8 -type Grayscale "$S/nearblank.tif"
convert -size 1700x2400 xc:black -depth 8 -type Grayscale "$S/black.tif"
convert -size 1700x2400 xc:black -type Bilevel -compress group4 "$S/black1bit.tif"
convert -size 1x1 xc:white -depth 8 "$S/tiny_1x1.tif"
convert -size 1x600 xc:white -depth 8 "$S/tiny_1x600.tif"
convert -size 600x1 xc:black -depth 8 "$S/tiny_600x1.tif"
# colour pages: the scanned page (RGB, yellowed paper, scanned skewed),
# and an RGB page on white paper, turned 5 degrees
cp "$FIX/fr-seed-scanned.tif" "$S/colour_scan.tif"
convert "$UP/fr.tif" -crop 1500x1500+0+0 +repage -background white -rotate 5 \
    +repage -type TrueColor -depth 8 "$S/colour_white.tif"

check "ingest of the test pages" warraq-ingest -q "$S" "$W"

# js DOC FILTER: a field of DOC's deskew sidecar ("" when there is none)
js() { jq -r "$2" "$W/deskew/$1/0001.json" 2>/dev/null; }
# le X Y: X <= Y, as numbers
le() { awk -v x="$1" -v y="$2" 'BEGIN { exit !(x + 0 <= y + 0) }'; }
# absdiff X Y
absdiff() { awk -v x="$1" -v y="$2" 'BEGIN { d = x - y; print d < 0 ? -d : d }'; }
# dims FILE: "W H"
dims() { identify -ping -format '%w %h' "$1" 2>/dev/null; }
# ae A B: how many pixels differ (compare writes its figure to stderr)
ae() { compare -metric AE "$1" "$2" null: 2>&1; }
# why DOC: the reason a page has no deskew result
why() {
	if [ -f "$W/deskew/$1/0001.error" ]; then
		echo "failed: $(cat "$W/deskew/$1/0001.error")"
	else
		echo "no deskew result"
	fi
}

# whole DOC: the deskewed canvas is at least as large as the page it came
# from (the rotation keeps every corner)
whole() {
	set -- "$1" $(dims "$W/ingest/$1/0001.tif") $(dims "$W/deskew/$1/0001.tif")
	if [ $# -eq 5 ] && [ "$4" -ge "$2" ] && [ "$5" -ge "$3" ]; then
		ok "$1: the output keeps the whole page (${2}x$3 -> ${4}x$5)"
	else
		notok "$1: the output keeps the whole page" "sizes in, out: $*"
	fi
}

# deskew_split WORK PAGE...: warraq-deskew -q over the pages, split between
# two processes (the program itself is serial); fails if either does
deskew_split() {
	w=$1
	shift
	half=$((($# + 1) / 2))
	i=0 first="" second=""
	for p in "$@"; do
		i=$((i + 1))
		if [ "$i" -le "$half" ]; then first="$first $p"; else second="$second $p"; fi
	done
	# shellcheck disable=SC2086
	warraq-deskew -q "$w" $first &
	p1=$!
	# shellcheck disable=SC2086
	warraq-deskew -q "$w" $second
	s2=$?
	wait "$p1" && [ "$s2" -eq 0 ] && return 0
	# one page's crash must not hide how the others fare: the pages left
	# without a result are run again one by one (the failure stands)
	for p in "$@"; do
		[ -f "$w/deskew/$p.json" ] || [ -f "$w/deskew/$p.error" ] ||
		    warraq-deskew -q "$w" "$p" >/dev/null 2>&1
	done
	return 1
}

set -- colour_scan/0001 colour_white/0001 blank/0001 nearblank/0001
for lang in fr ar; do
	for a in $(skews "$lang"); do set -- "$@" "${lang}_skew_$a/0001"; done
	for a in $TURNS; do set -- "$@" "${lang}_turn_$a/0001"; done
done
check "warraq-deskew on the text, colour and blank pages exits 0" \
    deskew_split "$W" "$@"

# --- skew: residual within TOL, sign as documented, whole page kept
mkdir -p "$T/again"
for lang in fr ar; do
	for a in $(skews "$lang"); do
		d=${lang}_skew_$a
		s=$(js "$d" .skew_deg)
		if [ -z "$s" ]; then
			notok "$d: residual skew <= $TOL deg" "$(why "$d")"
			continue
		fi
		r=$(awk -v s="$s" -v a="$a" 'BEGIN { d = s + a; print d < 0 ? -d : d }')
		if le "$r" "$TOL"; then
			ok "$d: residual skew <= $TOL deg (removed $s, residual $r)"
		else
			notok "$d: residual skew <= $TOL deg" \
			    "turned $a clockwise, skew_deg $s (expected about $(awk -v a="$a" 'BEGIN { print -a }')), residual $r"
		fi
		o=$(js "$d" .orientation_deg)
		if [ "$o" = 0 ]; then
			ok "$d: not turned by a quarter"
		else
			notok "$d: not turned by a quarter" "orientation_deg $o"
		fi
		whole "$d"
		cp "$W/deskew/$d/0001.tif" "$T/again/$d.tif"
	done
done

# The outputs measured again (by the same program, from scratch): what is
# left must be under TOL, which also proves the rotation went the way the
# JSON says.
if ! ls "$T"/again/*.tif >/dev/null 2>&1; then
	notok "deskewed pages measured again" "no deskewed page to measure"
elif ! warraq-ingest -q "$T/again" "$T/work2" >"$T/i2.log" 2>&1; then
	notok "deskewed pages measured again" "ingest: $(tail -n 3 "$T/i2.log" | tr '\n' ' ')"
else
	if deskew_split "$T/work2" $(awk -F'\t' 'NR > 1 { print $1 "/" $2 }' "$T/work2/pages.tsv") \
	    >"$T/d3.log" 2>&1; then
		ok "warraq-deskew on the deskewed pages exits 0"
	else
		notok "warraq-deskew on the deskewed pages exits 0" "$(tail -n 3 "$T/d3.log" | tr '\n' ' ')"
	fi
	for f in "$T"/again/*.tif; do
		d=$(basename "$f" .tif)
		j=$T/work2/deskew/$d/0001.json
		m=$(jq -r .skew_measured_deg "$j" 2>/dev/null)
		c=$(jq -r .skew_confidence "$j" 2>/dev/null)
		# a measure that cannot tell (confidence under 3) proves nothing
		if [ -n "$m" ] && le "$(absdiff "$m" 0)" "$TOL" && le 3 "$c"; then
			ok "$d: the deskewed page measures straight ($m deg)"
		else
			notok "$d: the deskewed page measures straight" \
			    "skew measured on the output: ${m:-none}, confidence ${c:-none}"
		fi
	done
fi

# --- orientation: the quarter turn found and undone pixel for pixel
for lang in fr ar; do
	for a in $TURNS; do
		d=${lang}_turn_$a
		o=$(js "$d" .orientation_deg)
		if [ "$o" = "$a" ]; then
			ok "$d: orientation_deg $a"
		else
			notok "$d: orientation_deg $a" "got ${o:-nothing} ($(why "$d"))"
		fi
		n=$(ae "$UP/$lang.tif" "$W/deskew/$d/0001.tif")
		if [ "$n" = 0 ]; then
			ok "$d: output identical to the upright page"
		else
			notok "$d: output identical to the upright page" \
			    "compare -metric AE: $n (skew_deg $(js "$d" .skew_deg))"
		fi
	done
done

# --- no text: not rotated at random, low confidence, image untouched
for d in blank nearblank; do
	s=$(js "$d" .skew_deg) c=$(js "$d" .skew_confidence) o=$(js "$d" .orientation_deg)
	if [ -z "$s" ]; then
		notok "$d: passed through unrotated" "$(why "$d")"
		continue
	fi
	if [ "$s" = 0 ] && [ "$o" = 0 ]; then
		ok "$d: skew_deg 0, orientation_deg 0"
	else
		notok "$d: skew_deg 0, orientation_deg 0" "skew_deg $s, orientation_deg $o"
	fi
	if le "$c" 2.999999; then
		ok "$d: low skew_confidence ($c)"
	else
		notok "$d: low skew_confidence" "skew_confidence $c (>= 3)"
	fi
	n=$(ae "$W/ingest/$d/0001.tif" "$W/deskew/$d/0001.tif")
	if [ "$n" = 0 ]; then
		ok "$d: output identical to the input"
	else
		notok "$d: output identical to the input" "compare -metric AE: $n"
	fi
done

# --- degenerate images: exit 0 or 1, never a crash, and a result or a reason
for d in black black1bit tiny_1x1 tiny_1x600 tiny_600x1; do
	warraq-deskew "$W" "$d/0001" >"$T/$d.out" 2>"$T/$d.err"
	st=$?
	j=$W/deskew/$d/0001.json e=$W/deskew/$d/0001.error
	if [ "$st" -eq 0 ] && [ -f "$j" ] && [ -f "$W/deskew/$d/0001.tif" ]; then
		set -- $(dims "$W/ingest/$d/0001.tif") $(dims "$W/deskew/$d/0001.tif")
		if [ $# -eq 4 ] && [ "$1" = "$3" ] && [ "$2" = "$4" ] &&
		    [ "$(js "$d" .skew_deg)" = 0 ]; then
			ok "$d: exit 0, passed through unrotated"
		else
			notok "$d: exit 0, passed through unrotated" \
			    "sizes in, out: $*; skew_deg $(js "$d" .skew_deg)"
		fi
	elif [ "$st" -eq 1 ] && [ -s "$e" ] && grep -q "^warraq-deskew: " "$T/$d.err"; then
		ok "$d: exit 1 with a reason ($(cat "$e"))"
	else
		notok "$d: exit 0 with a result or 1 with a reason" \
		    "status $st, json $([ -f "$j" ] && echo yes || echo no), error file $([ -f "$e" ] && echo yes || echo no): $(tail -n 2 "$T/$d.err" | tr '\n' ' ')"
	fi
done

# --- colour pages: the new corners are the paper's colour
# corners DOC: "R G B" of the four corner pixels (5 pixels in) of DOC's
# output, one a line, read in one pass
corners() {
	f=$W/deskew/$1/0001.tif
	fmt=""
	for xy in "5,5" "w-6,5" "5,h-6" "w-6,h-6"; do
		fmt="$fmt%[fx:int(255*p{$xy}.r+.5)] %[fx:int(255*p{$xy}.g+.5)] %[fx:int(255*p{$xy}.b+.5)]\n"
	done
	convert "$f" -format "$fmt" info: 2>/dev/null
}

d=colour_scan
s=$(js "$d" .skew_deg)
if [ -n "$s" ] && ! le "$(absdiff "$s" 0)" 0.2; then
	ok "$d: the scanned page's skew is removed ($s deg)"
else
	notok "$d: the scanned page's skew is removed" "skew_deg ${s:-none} ($(why "$d"))"
fi
whole "$d"
# the paper's colour, measured on a blank part of the scan (lower half)
paper=$(convert "$FIX/fr-seed-scanned.tif" -crop 600x600+1400+3000 +repage \
    -format '%[fx:int(255*mean.r+.5)] %[fx:int(255*mean.g+.5)] %[fx:int(255*mean.b+.5)]' info:)
bad=$(corners "$d" | awk -v paper="$paper" '
	BEGIN { split(paper, p, " ") }
	{ n++
	  if (($1 < 64 && $2 < 64 && $3 < 64) || ($1 > 250 && $2 > 250 && $3 > 250))
		{ print "corner " n " is " $1 "," $2 "," $3 " (black or white)"; next }
	  for (i = 1; i <= 3; i++) if ($i - p[i] > 24 || p[i] - $i > 24)
		{ print "corner " n " is " $1 "," $2 "," $3 ", paper " paper; next } }
	END { if (n != 4) print "corners unreadable" }')
if [ -z "$bad" ]; then
	ok "$d: corners are the paper's colour (paper $paper, background $(js "$d" .background))"
else
	notok "$d: corners are the paper's colour" "$(echo "$bad" | tr '\n' ';') background $(js "$d" .background)"
fi

d=colour_white
whole "$d"
bad=$(corners "$d" | awk '{ n++; if ($1 < 250 || $2 < 250 || $3 < 250)
	print "corner " n " is " $1 "," $2 "," $3 }
	END { if (n != 4) print "corners unreadable" }')
if [ -z "$bad" ]; then
	ok "$d: an RGB page on white paper gets white corners"
else
	notok "$d: an RGB page on white paper gets white corners" \
	    "$(echo "$bad" | tr '\n' ';') background $(js "$d" .background)"
fi
