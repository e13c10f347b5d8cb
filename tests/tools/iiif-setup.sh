#!/bin/sh
# iiif-setup.sh DIR: the npm packages tests/tools/iiif-validate.mjs and
# tests/tools/mirador-check.mjs need, installed under DIR (git-ignored:
# build/node-iiif).  Installs them once; exits 0 at once when they are
# there already; exits 1 with the reason on stdout when Node.js, npm or
# the registry is not available, so that a caller can skip its IIIF
# schema and viewer checks offline.
#   DIR/node_modules/ajv, ajv-formats   JSON Schema draft-07 validation
#   DIR/node_modules/playwright-core    drives the system's Chromium
#                                       (/usr/bin/chromium); downloads
#                                       no browser of its own
#   DIR/mirador/dist/mirador.min.js     Mirador 3's UMD bundle (React,
#                                       OpenSeadragon 5 and all inside)
# Mirador is taken as its registry tarball (npm pack) and only the bundle
# is unpacked: an npm install of it would pull some 400 packages of
# React 16 sources that the bundle already contains.
# Pins: Node.js 18 (Debian 12) is the oldest Node to run them.
# playwright-core 1.61 is the last to support Node 18 (1.62 wants 20).
MIRADOR=3.4.3
AJV=8.17.1
AJV_FORMATS=3.0.1
PLAYWRIGHT=1.61.1
stamp="mirador@$MIRADOR ajv@$AJV ajv-formats@$AJV_FORMATS playwright-core@$PLAYWRIGHT"
dir=$1
if [ -z "$dir" ]; then
	echo "usage: iiif-setup.sh DIR"
	exit 2
fi
if ! command -v node >/dev/null 2>&1; then
	echo "node not installed (Debian package nodejs)"
	exit 1
fi
installed() {
	[ -f "$dir/mirador/dist/mirador.min.js" ] &&
	    [ -f "$dir/node_modules/ajv/dist/ajv.js" ] &&
	    [ -f "$dir/node_modules/ajv-formats/dist/index.js" ] &&
	    [ -f "$dir/node_modules/playwright-core/index.js" ] &&
	    [ "$(cat "$dir/.iiif-setup" 2>/dev/null)" = "$stamp" ]
}
installed && exit 0
if ! command -v npm >/dev/null 2>&1; then
	echo "npm not installed (Debian package npm)"
	exit 1
fi
mkdir -p "$dir" || exit 1
rm -f "$dir/.iiif-setup"
# few retries: offline, npm's defaults take minutes to give up
npm_config_fetch_retries=1 npm_config_fetch_retry_mintimeout=2000
npm_config_fetch_retry_maxtimeout=10000 npm_config_loglevel=error
npm_config_audit=false npm_config_fund=false
export npm_config_fetch_retries npm_config_fetch_retry_mintimeout \
    npm_config_fetch_retry_maxtimeout npm_config_loglevel npm_config_audit \
    npm_config_fund
# what npm said went wrong: its fetch error, else its last line
why() {
	grep -m 1 -E 'FetchError|ETARGET|E404|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ENOSPC' "$dir/npm.log" ||
	    grep -v -e '^[[:space:]]*$' -e 'A complete log' "$dir/npm.log" | tail -n 1
}
# one npm install for all three: a later "npm install --no-save" removes
# what an earlier one installed
if ! (cd "$dir" && timeout 300 npm install --no-save --no-package-lock \
    --ignore-scripts "ajv@$AJV" "ajv-formats@$AJV_FORMATS" \
    "playwright-core@$PLAYWRIGHT") >"$dir/npm.log" 2>&1; then
	echo "npm install ajv, ajv-formats, playwright-core failed (offline?): $(why)"
	exit 1
fi
rm -rf "$dir/mirador" "$dir/pack"
mkdir -p "$dir/pack" || exit 1
if ! (cd "$dir/pack" && timeout 300 npm pack "mirador@$MIRADOR") \
    >"$dir/npm.log" 2>&1; then
	echo "npm pack mirador@$MIRADOR failed (offline?): $(why)"
	exit 1
fi
mkdir -p "$dir/mirador" || exit 1
if ! tar -xzf "$dir/pack/mirador-$MIRADOR.tgz" -C "$dir/mirador" \
    --strip-components=1 package/package.json package/LICENSE \
    package/dist/mirador.min.js package/dist/mirador.min.js.LICENSE.txt; then
	echo "mirador-$MIRADOR.tgz: could not unpack its dist/mirador.min.js"
	exit 1
fi
rm -rf "$dir/pack"
[ -f "$dir/mirador/dist/mirador.min.js" ] ||
    { echo "mirador@$MIRADOR has no dist/mirador.min.js"; exit 1; }
for m in ajv/dist/ajv.js ajv-formats/dist/index.js playwright-core/index.js; do
	[ -f "$dir/node_modules/$m" ] || { echo "npm install left no $m"; exit 1; }
done
echo "$stamp" >"$dir/.iiif-setup"
