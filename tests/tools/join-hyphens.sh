#!/bin/sh
# join-hyphens.sh FILE: the text of FILE with each line that ends in a
# hyphen joined to the next line, the hyphen dropped ("quel-" "ques"
# gives "quelques"), as pdftotext joins them on purpose: the text to
# compare pdftotext's with.
exec awk '{ if (held != "") {
		if ($0 != "") { sub(/-$/, "", held); $0 = held $0 } else print held
		held = "" }
	    if ($0 ~ /-$/) held = $0; else print }
	END { if (held != "") print held }' "$1"
