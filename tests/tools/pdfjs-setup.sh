#!/bin/sh
# pdfjs-setup.sh DIR: pdf.js (npm package pdfjs-dist) installed under DIR
# (git-ignored: build/node), for tests/tools/pdfjs-text.mjs.  Installs it
# once with npm when missing; exits 1 with the reason on stdout when
# Node.js, npm or the registry is not available, so that a caller can
# skip its pdf.js checks offline.
# 4.6: a pdf.js that declares Node.js 18 (Debian 12) supported.
VERSION=4.6.82
dir=$1
if ! command -v node >/dev/null 2>&1; then
	echo "node not installed (Debian package nodejs)"
	exit 1
fi
[ -f "$dir/node_modules/pdfjs-dist/legacy/build/pdf.mjs" ] && exit 0
if ! command -v npm >/dev/null 2>&1; then
	echo "npm not installed (Debian package npm)"
	exit 1
fi
mkdir -p "$dir" || exit 1
if ! (cd "$dir" && timeout 300 npm install --silent --no-audit --no-fund \
    --no-save "pdfjs-dist@$VERSION") >"$dir/npm.log" 2>&1; then
	echo "npm install pdfjs-dist@$VERSION failed (offline?): $(tail -n 1 "$dir/npm.log")"
	exit 1
fi
[ -f "$dir/node_modules/pdfjs-dist/legacy/build/pdf.mjs" ] ||
    { echo "pdfjs-dist installed without its legacy build"; exit 1; }
