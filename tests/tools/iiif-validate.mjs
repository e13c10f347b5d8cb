// iiif-validate.mjs - IIIF Presentation 3.0 documents by the IIIF JSON
// Schema, and IIIF Image API 3.0 info.json files by the rules of a static
// level 0 image service, with the tile and size files they promise.
//   node iiif-validate.mjs SCHEMA.json [--files DIR] FILE...
// SCHEMA.json: the IIIF Presentation 3 JSON Schema (shared/schemas/
// iiif_3_0.json, from IIIF/presentation-validator), draft-07.  ajv and
// ajv-formats are taken from $IIIF_NODE_DIR/node_modules (default:
// build/node-iiif of this checkout; see iiif-setup.sh).
// Each FILE, by its "type":
//   Manifest        validated against #/classes/manifest of the schema;
//   AnnotationPage  (a page referenced from a canvas, in a file of its
//                   own) against #/classes/annotationPage;
//   Collection      against #/classes/collection;
//   ImageService3   with "protocol": "http://iiif.io/api/image": the
//                   rules below; with --files DIR (the folder holding
//                   that info.json: the service's id maps to DIR) every
//                   file the info.json implies must be in DIR.
// A Manifest must also keep two rules of Mirador 3 (the schema allows
// what they forbid): an image service embedded in a painting annotation's
// body with "width"/"height" must have "sizes" too (else Mirador asks for
// the thumbnail {id}/full//0/default.jpg), and a canvas's "annotations"
// lists {"id", "type": "AnnotationPage"} objects, not bare URL strings
// (which Mirador ignores).
// Prints "ok FILE" or "not ok FILE: reason; reason..." (then each schema
// error on a line of its own: instancePath and message); exits 1 when any
// failed, 2 on a usage error.
//
// info.json rules (Image API 3.0, sections 5.2-5.4, level 0):
//   "@context" "http://iiif.io/api/image/3/context.json" (or an array
//   ending with it); "id" an absolute http(s) URL without a trailing
//   slash; "type" "ImageService3"; "protocol" "http://iiif.io/api/image";
//   "profile" "level0"; "width", "height" positive integers; "sizes" an
//   array of {width, height} (positive integers, each at most the full
//   size), required here (optional in the spec, but a level 0 service
//   has no other way to tell a client which whole-image sizes it may ask
//   for: thumbnails); "tiles" an array of
//   {width, height?, scaleFactors}, scaleFactors ascending positive
//   integers starting at 1, each doubling the one before (1, 2, 4, ...):
//   OpenSeadragon (Mirador's image viewer) numbers its levels by powers
//   of two from the largest scale factor and would ask for tiles of
//   scales that are not there; the largest must bring the whole image
//   within one tile (else its smallest level is missing).
//
// Tile files (--files): the canonical URI syntax of Image API 3.0
// (section 4.8): region "full" when it is the whole image, else "x,y,w,h";
// size "max" when it is the full size, else "w,h" (both numbers: 3.0
// dropped the "w," form that 2.x used as canonical); rotation 0; quality
// default; format jpg.  Region and size per tile as in the Image API 3.0
// implementation notes (section 3), which OpenSeadragon 5 (the one inside
// Mirador 3.4) requests verbatim for a version 3 service:
//   for scale factor s and tile size tw x th, level size
//   lw = ceil(width/s), lh = ceil(height/s);
//   when lw <= tw and lh <= th (the level is one tile):
//     DIR/full/{lw},{lh}/0/default.jpg   (DIR/full/max/0/default.jpg when s = 1)
//   else for x = 0, tw*s, 2*tw*s... < width, y likewise with th*s:
//     rw = min(tw*s, width - x), rh = min(th*s, height - y)
//     DIR/{x},{y},{rw},{rh}/{ceil(rw/s)},{ceil(rh/s)}/0/default.jpg
// and for every "sizes" entry DIR/full/{width},{height}/0/default.jpg.
// When "sizes" has as many entries as there are levels (or one fewer),
// OpenSeadragon takes them as its level sizes: they must then be exactly
// the ceil(width/s) x ceil(height/s) above, else it asks for tiles of other
// sizes than the files have.
import { readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const usage = "usage: node iiif-validate.mjs SCHEMA.json [--files DIR] FILE...";
const args = process.argv.slice(2);
let schemaPath = null, filesDir = null;
const files = [];
for (let i = 0; i < args.length; i++) {
	const a = args[i];
	if (a === "--files") {
		if (i + 1 >= args.length) {
			console.error(usage);
			process.exit(2);
		}
		filesDir = args[++i];
	} else if (a === "-h" || a === "--help") {
		console.log(usage);
		process.exit(0);
	} else if (a.startsWith("--")) {
		console.error(`unknown option ${a}\n${usage}`);
		process.exit(2);
	} else if (schemaPath === null) {
		schemaPath = a;
	} else {
		files.push(a);
	}
}
if (schemaPath === null || files.length === 0) {
	console.error(usage);
	process.exit(2);
}

const nodeDir = resolve(process.env.IIIF_NODE_DIR ||
    fileURLToPath(new URL("../../build/node-iiif", import.meta.url)));
let validators = null; // compiled on the first Presentation document
function presentationValidators() {
	if (validators)
		return validators;
	const require = createRequire(join(nodeDir, "node_modules", "x.js"));
	let Ajv, addFormats;
	try {
		Ajv = require("ajv").default;	// draft-07, the schema's
		addFormats = require("ajv-formats").default;
	} catch (e) {
		console.error(`ajv not found under ${nodeDir} (run tests/tools/iiif-setup.sh): ${e.message.split("\n")[0]}`);
		process.exit(2);
	}
	let schema;
	try {
		schema = JSON.parse(readFileSync(schemaPath, "utf8"));
	} catch (e) {
		console.error(`${schemaPath}: ${e.message}`);
		process.exit(2);
	}
	// strict off: the schema keeps its definitions under "types" and
	// "classes" (not "definitions") and has "type:" typos in selectors
	const ajv = new Ajv({ allErrors: true, strict: false });
	addFormats(ajv);
	ajv.addSchema(schema, "iiif");
	const id = schema.$id || "iiif";
	const get = (p) => ajv.getSchema(`${id}#/classes/${p}`);
	validators = { Manifest: get("manifest"), AnnotationPage: get("annotationPage"),
	    Collection: get("collection") };
	return validators;
}

// ajv's errors, each once (with allErrors, a failed oneOf/anyOf reports
// every branch's error: the one that matters is among them)
function schemaErrors(errors) {
	const out = [];
	const seen = new Set();
	for (const e of errors) {
		let m = `${e.instancePath || "/"}: ${e.message}`;
		if (e.params && e.params.additionalProperty)
			m += ` (${e.params.additionalProperty})`;
		else if (e.params && e.params.allowedValues)
			m += ` (${e.params.allowedValues.join(", ")})`;
		if (!seen.has(m)) {
			seen.add(m);
			out.push(m);
		}
	}
	return out;
}

const isPosInt = (v) => Number.isInteger(v) && v > 0;
const CONTEXT3 = "http://iiif.io/api/image/3/context.json";

function exists(p) {
	try {
		return statSync(p).isFile();
	} catch {
		return false;
	}
}

// The files a level 0 service must have: [path relative to its folder, why]
export function impliedFiles(info) {
	const W = info.width, H = info.height, out = [];
	const tiles = info.tiles || [];
	const sfs = [];
	for (const t of tiles)
		for (const s of t.scaleFactors)
			sfs.push([s, t.width, t.height || t.width]);
	sfs.sort((a, b) => a[0] - b[0]);
	// OpenSeadragon's level sizes (see the head of this file)
	const maxLevel = sfs.length ? Math.round(Math.log2(sfs[sfs.length - 1][0])) : 0;
	const sizes = Array.isArray(info.sizes) ? info.sizes : [];
	let levelSizes = null;
	if (sizes.length && (sizes.length === maxLevel || sizes.length === maxLevel + 1)) {
		levelSizes = sizes.slice().sort((a, b) => a.width - b.width);
		if (sizes.length === maxLevel)
			levelSizes.push({ width: W, height: H });
	}
	for (const [s, tw, th] of sfs) {
		const lw = Math.ceil(W / s), lh = Math.ceil(H / s);
		if (levelSizes) {
			const ls = levelSizes[maxLevel - Math.round(Math.log2(s))];
			if (ls && (ls.width !== lw || ls.height !== lh))
				out.push([null, `sizes entry ${ls.width}x${ls.height} is taken by OpenSeadragon as the level of scale factor ${s}, which is ${lw}x${lh}`]);
		}
		if (lw <= tw && lh <= th) {
			out.push([`full/${s === 1 ? "max" : `${lw},${lh}`}/0/default.jpg`, `scale factor ${s}, the whole image in one tile`]);
			continue;
		}
		for (let y = 0; y < H; y += th * s) {
			for (let x = 0; x < W; x += tw * s) {
				const rw = Math.min(tw * s, W - x), rh = Math.min(th * s, H - y);
				const sw = Math.ceil(rw / s), sh = Math.ceil(rh / s);
				out.push([`${x},${y},${rw},${rh}/${sw},${sh}/0/default.jpg`, `tile of scale factor ${s}`]);
			}
		}
	}
	for (const z of sizes)
		out.push([`full/${z.width},${z.height}/0/default.jpg`, "sizes entry"]);
	return out;
}

function checkInfo(info, dir) {
	const why = [];
	const ctx = info["@context"];
	if (!(ctx === CONTEXT3 || (Array.isArray(ctx) && ctx[ctx.length - 1] === CONTEXT3)))
		why.push(`@context is not "${CONTEXT3}"`);
	if (typeof info.id !== "string" || !/^https?:\/\/[^/]+/.test(info.id))
		why.push("id is not an absolute http(s) URL");
	else if (info.id.endsWith("/"))
		why.push("id ends with a slash");
	if (info.type !== "ImageService3")
		why.push("type is not ImageService3");
	if (info.protocol !== "http://iiif.io/api/image")
		why.push("protocol is not http://iiif.io/api/image");
	if (info.profile !== "level0")
		why.push(`profile is ${JSON.stringify(info.profile)}, not "level0"`);
	const W = info.width, H = info.height;
	if (!isPosInt(W) || !isPosInt(H)) {
		why.push("width and height are not positive integers");
		return why;
	}
	if (!Array.isArray(info.sizes) || info.sizes.length === 0) {
		why.push("no sizes (a level 0 service's only whole-image sizes a client may ask for)");
	} else {
		info.sizes.forEach((z, i) => {
			if (!z || !isPosInt(z.width) || !isPosInt(z.height))
				why.push(`sizes[${i}] has no positive integer width and height`);
			else if (z.width > W || z.height > H)
				why.push(`sizes[${i}] ${z.width}x${z.height} is larger than the image`);
			else if (z.type !== undefined && z.type !== "Size")
				why.push(`sizes[${i}].type is not "Size"`);
		});
	}
	if (!Array.isArray(info.tiles) || info.tiles.length === 0) {
		why.push("no tiles");
		return why;
	}
	const all = [];
	const dims = new Set();
	let tilesOk = true;
	info.tiles.forEach((t, i) => {
		if (!t || !isPosInt(t.width) || (t.height !== undefined && !isPosInt(t.height))) {
			tilesOk = false;
			return why.push(`tiles[${i}] has no positive integer width (and height)`);
		}
		if (t.type !== undefined && t.type !== "Tile")
			why.push(`tiles[${i}].type is not "Tile"`);
		const d = `${t.width}x${t.height || t.width}`;
		if (dims.has(d))
			why.push(`tiles[${i}]: a second entry of ${d} tiles`);
		dims.add(d);
		const sf = t.scaleFactors;
		if (!Array.isArray(sf) || sf.length === 0 || !sf.every(isPosInt)) {
			tilesOk = false;
			return why.push(`tiles[${i}].scaleFactors is not an array of positive integers`);
		}
		if (sf.some((s, k) => k > 0 && s <= sf[k - 1]))
			why.push(`tiles[${i}].scaleFactors not ascending`);
		all.push(...sf);
	});
	if (!tilesOk)
		return why;
	all.sort((a, b) => a - b);
	if (new Set(all).size !== all.length)
		why.push("a scale factor given twice");
	else if (all.some((s, k) => s !== 2 ** k))
		why.push(`scale factors ${all.join(",")} are not 1, 2, 4, ... each twice the one before`);
	const top = all[all.length - 1];
	const big = info.tiles.find((t) => t.scaleFactors.includes(top));
	if (Math.ceil(W / top) > big.width || Math.ceil(H / top) > (big.height || big.width))
		why.push(`the largest scale factor ${top} leaves ${Math.ceil(W / top)}x${Math.ceil(H / top)}, more than one tile`);
	if (why.length || dir === null)
		return why;
	const missing = new Map();	// path -> why it is needed
	for (const [rel, what] of impliedFiles(info)) {
		if (rel === null)
			why.push(what);
		else if (!exists(join(dir, rel)))
			missing.set(rel, missing.has(rel) ? `${missing.get(rel)}, ${what}` : what);
	}
	const m = [...missing].map(([rel, what]) => `${rel} (${what})`);
	if (m.length)
		why.push(`${m.length} file(s) missing: ${m.slice(0, 10).join(", ")}${m.length > 10 ? ", ..." : ""}`);
	return why;
}

// the two Mirador 3 rules (see the head of this file)
function miradorRules(m) {
	const why = [];
	const arr = (v) => (Array.isArray(v) ? v : v ? [v] : []);
	arr(m.items).forEach((c, i) => {
		if (!c || typeof c !== "object")
			return;
		arr(c.annotations).forEach((p, k) => {
			if (typeof p === "string")
				why.push(`Mirador 3: /items/${i}/annotations/${k} is a bare string, give {"id", "type": "AnnotationPage"}`);
		});
		for (const page of arr(c.items))
			for (const a of arr(page && page.items))
				for (const b of arr(a && a.body))
					for (const sv of arr(b && b.service))
						if (sv && (sv.width !== undefined || sv.height !== undefined) && !Array.isArray(sv.sizes))
							why.push(`Mirador 3: canvas ${i + 1}'s image service ${sv.id || sv["@id"]} has width/height but no sizes (thumbnail URL .../full//0/default.jpg)`);
	});
	return why;
}

let failed = 0;
for (const f of files) {
	let doc;
	try {
		doc = JSON.parse(readFileSync(f, "utf8"));
	} catch (e) {
		console.log(`not ok ${f}: ${e.message}`);
		failed++;
		continue;
	}
	let why = [], detail = [];
	const type = doc && typeof doc === "object" ? doc.type : undefined;
	if (doc && doc.protocol === "http://iiif.io/api/image" && type === "ImageService3") {
		why = checkInfo(doc, filesDir);
	} else if (type === "Manifest" || type === "AnnotationPage" || type === "Collection") {
		const v = presentationValidators()[type];
		if (!v(doc)) {
			detail = schemaErrors(v.errors);
			why.push(`not valid as a ${type} by ${schemaPath} (${detail.length} error(s))`);
		}
		if (type === "Manifest")
			why.push(...miradorRules(doc));
	} else {
		why.push(`neither a Manifest, AnnotationPage, Collection nor an ImageService3 info.json (type ${JSON.stringify(type)})`);
	}
	if (why.length) {
		failed++;
		console.log(`not ok ${f}: ${why.join("; ")}`);
		for (const d of detail)
			console.log(`#   ${d}`);
	} else {
		console.log(`ok ${f}`);
	}
}
process.exit(failed ? 1 : 0);
