#!/bin/sh
# IIIF: the manifests and tiles warraq-package writes, judged by the IIIF
# Presentation 3.0 JSON Schema (ajv), the Image API 3.0 rules a static
# level 0 service needs, a real viewer (Mirador in headless Chromium, from
# a static HTTP server of the test's own), the bag checkers, and the
# search index's canvases.  A French volume and an Arabic volume of three
# pages each, and a document with a hostile name whose OCR text is then
# made hostile too.
. "$(dirname "$0")/../lib.sh"
TOOLS=$TOP/tests/tools
NODE_DIR=$TOP/build/node-iiif
SCHEMA=$SHARED/schemas/iiif_3_0.json

# vol DIR SRC: a volume of three pages cut from the fixture SRC
vol() {
	mkdir -p "$1"
	for i in 1 2 3; do
		convert "$FIX/$2" -crop "100%x34%+0+$(((i - 1) * 300))" +repage \
		    -compress zip "$1/000$i.tif"
	done
}
vol "$T/scans/vol-fr" fr-seed.tif
vol "$T/scans/vol-ar" ar-seed.tif
hostile="q\"<img src=x onerror=alert(1)>' مكتبة"
cp "$FIX/ar-seed.tif" "$T/scans/$hostile.tif"

# the address the bags are published under: PUB/DOC is the bag's data/
PORT=$((20000 + $$ % 20000))
BASE=http://127.0.0.1:$PORT/pub
W=$T/w
warraq run -q -o iiif_base_url="$BASE/" "$T/scans" "$W" >"$T/run.log" 2>&1
checkx "the batch runs with IIIF on by default" "[ $? -eq 0 ]"
hdoc=$(ls "$W/bags" | grep -v '^vol-')
mkdir -p "$T/pub"
for d in "$W"/bags/*/; do
	d=${d%/}
	ln -s "$d/data" "$T/pub/${d##*/}"
done

for d in vol-fr vol-ar "$hdoc"; do
	m=$W/bags/$d/data/iiif/manifest.json
	checkx "$d: manifest in the bag and in WORK/iiif, the same" \
	    "cmp -s '$m' '$W/iiif/$d/manifest.json'"
	checkx "$d: manifest listed in METS and in the bag's manifests" \
	    "grep -q 'xlink:href=\"iiif/manifest.json\"' '$W/bags/$d/data/mets.xml' &&
	     grep -q ' data/iiif/manifest.json\$' '$W/bags/$d/manifest-sha512.txt'"
	check "$d: bag valid (warraq-verify)" warraq-verify -q "$W/bags/$d"
	if [ -x "$SHARED/tools/bagit-check.sh" ] || [ -f "$SHARED/tools/bagit-check.sh" ]; then
		check "$d: bag valid (bagit-check.sh)" sh "$SHARED/tools/bagit-check.sh" "$W/bags/$d"
	else
		skip "$d: ../shared/tools/bagit-check.sh absent"
	fi
done

# the manifests, read by jq
mf=$W/iiif/vol-fr/manifest.json ma=$W/iiif/vol-ar/manifest.json
checkx "three canvases in page order" \
    "[ \"\$(jq -c '[.items[].label.none[0]]' '$ma')\" = '[\"0001\",\"0002\",\"0003\"]' ]"
checkx "Arabic volume viewed right to left, French left to right" \
    "[ \"\$(jq -r .viewingDirection '$ma')\" = right-to-left ] &&
     [ \"\$(jq -r .viewingDirection '$mf')\" = left-to-right ]"
checkx "addresses under iiif_base_url" \
    "[ \"\$(jq -r .id '$mf')\" = '$BASE/vol-fr/iiif/manifest.json' ] &&
     [ \"\$(jq -r '.items[0].items[0].items[0].body.service[0].id' '$mf')\" = '$BASE/vol-fr/iiif/0001' ] &&
     [ \"\$(jq -r '.items[0].seeAlso[0].id' '$mf')\" = '$BASE/vol-fr/alto/0001.xml' ] &&
     [ \"\$(jq -r '.items[0].rendering[0].id' '$mf')\" = '$BASE/vol-fr/hocr/0001.hocr' ]"
checkx "MODS title and languages in the metadata" \
    "jq -e '.metadata | map(.value.none[0]) | index(\"ara\") != null' '$ma' >/dev/null &&
     [ \"\$(jq -r .label.none[0] '$ma')\" = vol-ar ]"
a=$W/iiif/vol-ar/annotations/0001.json
checkx "Arabic lines: supplementing, in Arabic, right to left, boxed on the canvas" \
    "jq -e --argjson w \"\$(jq .items[0].width '$ma')\" '.items | length > 0 and all(.motivation == \"supplementing\" and .body.language == \"ar\" and .body.textDirection == \"rtl\" and (.target | test(\"#xywh=[0-9]+,[0-9]+,[0-9]+,[0-9]+\$\")) and ((.target | capture(\"xywh=(?<x>[0-9]+),[0-9]+,(?<w>[0-9]+)\") | (.x|tonumber) + (.w|tonumber)) <= \$w))' '$a' >/dev/null"
line1=$(head -n 1 "$W/ocr/vol-ar/0001.txt")
checkx "the first line's text is the OCR's" \
    "[ \"\$(jq -r '.items[0].body.value' '$a')\" = \"\$line1\" ] && [ -n \"\$line1\" ]"
checkx "hostile name: valid JSON, the name as it was" \
    "[ \"\$(jq -r .label.none[0] '$W/iiif/$hdoc/manifest.json')\" = \"\$hostile.tif\" ]"

# hostile OCR text: a line of the hostile document's ALTO says so, the
# bag is made again from it
alto=$W/ocr/$hdoc/0001.alto.xml
sed -i '0,/CONTENT="[^"]*"/s//CONTENT="\&lt;script\&gt;alert(2)\&lt;\/script\&gt;\&quot;onerror=x"/' "$alto"
warraq-package -q -f --profile "$W/profile.conf" "$W" "$hdoc" >"$T/pkg.log" 2>&1
# Mirador renders annotation bodies and metadata values as HTML, whatever
# they declare: text with markup characters goes in HTML-escaped, in a span
checkx "hostile text: the annotation holds it escaped, as HTML that shows the text" \
    "jq -e '.items[] | select(.body.format == \"text/html\") | .body.value | startswith(\"<span>&lt;script&gt;alert(2)&lt;/script&gt;&quot;onerror=x \")' '$W/iiif/$hdoc/annotations/0001.json' | grep -q true"
checkx "hostile name: the metadata's title escaped too" \
    "jq -e '.metadata[0].value.none[0] | startswith(\"<span>q&quot;&lt;img src=x onerror=alert(1)&gt;\")' '$W/iiif/$hdoc/manifest.json' >/dev/null"
check "hostile text: bag still valid" warraq-verify -q "$W/bags/$hdoc"

# search: each page's canvas, each hit's target on it
warraq index -q "$T/ix.db" "$W"/bags/vol-fr/ >/dev/null 2>&1
q=$(head -n 1 "$W/ocr/vol-fr/0001.txt" | tr -s ' ' '\n' | awk 'length >= 6' | head -n 1)
checkx "search --json: the canvas and the hit's target" \
    "warraq search --json '$T/ix.db' '$q' | jq -e --arg c '$BASE/vol-fr/iiif/canvas/0001' \
       '.pages[] | select(.page == \"0001\") | .canvas == \$c and (.lines[0].target | startswith(\$c + \"#xywh=\")) and (.lines[0].box | length == 4)' >/dev/null"

# the settings: no tiles (an image server of the collection's own), no IIIF
warraq-package -q -f --profile "$W/profile.conf" -o iiif_tiles=no -o iiif_image_base_url=https://img.example.org/iiif3 \
    "$W" vol-fr >/dev/null 2>&1
checkx "iiif_tiles = no: no tiles, the image server's service" \
    "[ ! -d '$W/bags/vol-fr/data/iiif/0001' ] &&
     [ \"\$(jq -r '.items[0].items[0].items[0].body.service[0].id' '$W/iiif/vol-fr/manifest.json')\" = https://img.example.org/iiif3/vol-fr_0001 ] &&
     [ \"\$(jq -r '.items[0].items[0].items[0].body.id' '$W/iiif/vol-fr/manifest.json')\" = '$BASE/vol-fr/access/0001.jpg' ]"
warraq-package -q -f --profile "$W/profile.conf" -o iiif=no "$W" vol-fr >/dev/null 2>&1
checkx "iiif = no: none in the bag, none in WORK/iiif" \
    "[ ! -e '$W/bags/vol-fr/data/iiif' ] && [ ! -e '$W/iiif/vol-fr' ] && ! grep -q IIIF '$W/bags/vol-fr/data/mets.xml'"
warraq-package -q -f --profile "$W/profile.conf" "$W" vol-fr >/dev/null 2>&1
checkx "and back" "[ -f '$W/iiif/vol-fr/manifest.json' ] && [ -d '$W/bags/vol-fr/data/iiif/0001' ]"

# schema, image service rules and a real viewer: need Node.js and npm
if [ ! -f "$SCHEMA" ]; then
	skip "IIIF schema: ../shared/schemas/iiif_3_0.json absent"
	exit 0
fi
if ! why=$(sh "$TOOLS/iiif-setup.sh" "$NODE_DIR"); then
	skip "IIIF schema and Mirador: $why"
	exit 0
fi
for d in vol-fr vol-ar "$hdoc"; do
	check "$d: manifest valid against the IIIF 3.0 schema" \
	    node "$TOOLS/iiif-validate.mjs" "$SCHEMA" "$W/iiif/$d/manifest.json"
done
for p in 0001 0002 0003; do
	check "vol-ar/$p: info.json and every tile and size it names" \
	    node "$TOOLS/iiif-validate.mjs" "$SCHEMA" --files "$W/iiif/vol-ar/$p" \
	    "$W/iiif/vol-ar/$p/info.json"
done
IIIF_NODE_DIR=$NODE_DIR
export IIIF_NODE_DIR
for d in vol-ar vol-fr; do
	dir=left-to-right
	[ "$d" = vol-ar ] && dir=right-to-left
	t=$(jq -r '.items[1].body.value' "$W/iiif/$d/annotations/0002.json")
	check "$d in Mirador: three canvases in order, $dir, a line's text, no error" \
	    node "$TOOLS/mirador-check.mjs" --root "$T" --port "$PORT" \
	    --manifest "pub/$d/iiif/manifest.json" --expect-canvases 3 \
	    --expect-first-label 0001 --expect-direction "$dir" --expect-text "$t" \
	    ${IIIF_SHOTS:+--screenshot "$IIIF_SHOTS/$d.png"}
done
check "hostile name and text in Mirador: inert" \
    node "$TOOLS/mirador-check.mjs" --root "$T" --port "$PORT" \
    --manifest "pub/$hdoc/iiif/manifest.json" --expect-canvases 1 \
    --expect-text '<script>alert(2)</script>"onerror=x' \
    ${IIIF_SHOTS:+--screenshot "$IIIF_SHOTS/hostile.png"}
