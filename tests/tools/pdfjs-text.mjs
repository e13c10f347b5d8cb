// pdfjs-text.mjs - the text of a PDF as pdf.js (Firefox's PDF reader)
// extracts it, one page after another, a form feed after each page.
//   node pdfjs-text.mjs PDFJS_DIR FILE.pdf [PAGE]
// PDFJS_DIR is an npm install of pdfjs-dist (its legacy build runs on
// the Node.js of Debian 12).  Items are joined as pdf.js's own text
// layer lays them out: in stream order, a newline where pdf.js marks the
// end of a line.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { join } from "node:path";

const [dir, file, only] = process.argv.slice(2);
const pdfjs = await import(pathToFileURL(join(dir,
    "node_modules/pdfjs-dist/legacy/build/pdf.mjs")).href);
const doc = await pdfjs.getDocument({ data: new Uint8Array(readFileSync(file)),
    verbosity: 0, useSystemFonts: false }).promise;
let out = "";
for (let n = 1; n <= doc.numPages; n++) {
	if (only && Number(only) !== n)
		continue;
	const page = await doc.getPage(n);
	const tc = await page.getTextContent();
	for (const it of tc.items) {
		out += it.str;
		if (it.hasEOL)
			out += "\n";
	}
	out += "\n\f";
}
process.stdout.write(out);
