#!/bin/sh
# embed.sh NAME FILE: FILE as a C string constant NAME, for warraq-report,
# which writes its script and style sheet beside the report it makes.
set -eu
printf '/* made from %s by stages/report/embed.sh */\nconst char %s[] =\n' "$2" "$1"
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$/\\n"/' "$2"
printf ';\n'
