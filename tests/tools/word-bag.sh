#!/bin/sh
# word-bag.sh REF TEXT: the words of REF that TEXT lacks, counted as a
# multiset (order left out), and REF's words: "MISSING TOTAL".  For a
# reader that orders what it reads by its own analysis of the page
# (pdftotext): every word there, in whatever order.  Bidi marks and
# embeddings are left out of both.
bag() {
	LC_ALL=C sed 's/\xe2\x80[\x8e\x8f\xaa-\xae]//g; s/\xd8\x9c//g' "$1" |
	    tr -s ' \t\n\f' '\n\n\n\n' | grep -v '^$' | LC_ALL=C sort
}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
bag "$1" >"$tmp/ref"
bag "$2" >"$tmp/text"
echo "$(LC_ALL=C comm -23 "$tmp/ref" "$tmp/text" | wc -l) $(wc -l <"$tmp/ref")"
