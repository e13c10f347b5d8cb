#!/bin/sh
# make models: sets up the default OCR models from Debian's tessdata
# packages and checks each against models/manifest.tsv (size, SHA-256).
# With TESSDATA_PREFIX set, checks the models there instead: a result's
# JSON records the model checksum, so a model that differs from the
# manifest is reported, not silently used.
set -eu
cd "$(dirname "$0")"
dir=${TESSDATA_PREFIX:-/usr/share/tesseract-ocr/5/tessdata}
if [ -z "${TESSDATA_PREFIX:-}" ]; then
	sh ../.ci/install-deps
	dpkg-query -W tesseract-ocr-osd >/dev/null 2>&1 || {
		echo "models: tesseract-ocr-osd missing" >&2; exit 1; }
fi
tail -n +2 manifest.tsv | {
status=0
while IFS="$(printf '\t')" read -r name size sum src; do
	f="$dir/$name.traineddata"
	if [ ! -f "$f" ]; then
		echo "models: $f: missing ($src)" >&2
		exit 1
	fi
	got=$(sha256sum "$f" | cut -d' ' -f1)
	if [ "$got" != "$sum" ] || [ "$(stat -c %s "$f")" != "$size" ]; then
		echo "models: $f: differs from the manifest (sha256 $got); update manifest.tsv if this model is intended" >&2
		status=1
	else
		echo "models: $name ok ($size bytes, sha256 ${sum%${sum#????????????}}...)"
	fi
done
exit $status
}
