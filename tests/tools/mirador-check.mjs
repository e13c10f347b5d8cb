// mirador-check.mjs - a IIIF Presentation 3 manifest as a real viewer
// shows it: Mirador 3 in headless Chromium, from a static HTTP server of
// its own, with nothing fetched from outside.
//   node mirador-check.mjs --root DIR --manifest REL_PATH [--port N]
//       [--base-url URL] [--expect-canvases N] [--expect-first-label L]
//       [--expect-text TEXT]... [--expect-direction DIR]
//       [--screenshot OUT.png] [--timeout SECONDS]
// --root DIR       served at http://127.0.0.1:PORT/ (symbolic links are
//                  followed as long as they stay inside DIR)
// --manifest REL   DIR/REL is the manifest, opened as
//                  http://127.0.0.1:PORT/REL (or URL/REL with --base-url)
// --port N         the server's port (default: one the system picks);
//                  give it when the manifest's ids are http://127.0.0.1:N/...
// --base-url URL   the manifest's ids start with URL (say
//                  https://example.org/iiif/): the browser's requests for
//                  URL/x are answered with DIR/x, without any network
// --expect-text    a line's text that Mirador must have: in the annotation
//                  pages it loaded (embedded in the manifest or fetched
//                  from their URL; each canvas is shown in turn so that
//                  Mirador fetches them all) and in its annotations side
//                  panel, as that text reads once rendered (Mirador renders
//                  a TextualBody's value as HTML through DOMPurify, whatever
//                  its "format": markup in it is dropped, a <script> with its
//                  content, an <img> kept).  A value that holds the text
//                  HTML-escaped ("<span>&lt;b&gt;</span>" for "<b>") matches
//                  too, and must then show it literally.
// Environment: IIIF_NODE_DIR (default: build/node-iiif of this checkout): where
// tests/tools/iiif-setup.sh put Mirador and playwright-core; CHROMIUM
// (default /usr/bin/chromium); MIRADOR_CHECK_VERBOSE=1: each request the
// server answers, on stderr.
// The page goes through: every canvas in turn (single view), the text
// sought in the annotations panel, the information panel (label, summary,
// metadata), the gallery view (all thumbnails), then the canvas of the
// last --expect-text (else the first), annotations panel open and
// OpenSeadragon's tiles drawn, for the screenshot.
// Prints a JSON report on stdout: {manifest, canvases, labels (the first
// ten), viewingDirection, annotationPages, consoleErrors, failedRequests,
// dialogs, textFound, textFoundIn, problems, screenshot}.  Exits 0 when
// every expectation holds and there was no console error, no failed or
// refused request (other than a favicon) and no dialog (alert(), say,
// from hostile text); 1 otherwise; 2 on a usage error or when the tools
// (Mirador bundle, playwright-core, Chromium) are not there.
// Mirador is configured as a deployment would have to be to show OCR
// lines: "supplementing" added to annotations.filteredMotivations (not in
// Mirador 3's default list), one window, side bar open on annotations.
import { createServer } from "node:http";
import { createReadStream, existsSync, mkdtempSync, realpathSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const usage = `usage: node mirador-check.mjs --root DIR --manifest REL_PATH [--port N]
    [--base-url URL] [--expect-canvases N] [--expect-first-label L]
    [--expect-text TEXT]... [--expect-direction DIR] [--screenshot OUT.png]
    [--timeout SECONDS]`;
function die(msg, code = 2) {
	console.error(msg);
	process.exit(code);
}

const opt = { texts: [], port: 0, timeout: 60 };
const argv = process.argv.slice(2);
const takes = { "--root": "root", "--manifest": "manifest", "--port": "port",
    "--base-url": "baseUrl", "--expect-canvases": "canvases",
    "--expect-first-label": "firstLabel", "--expect-text": "text",
    "--expect-direction": "direction", "--screenshot": "screenshot",
    "--timeout": "timeout" };
for (let i = 0; i < argv.length; i++) {
	const a = argv[i];
	if (a === "-h" || a === "--help") {
		console.log(usage);
		process.exit(0);
	}
	const k = takes[a];
	if (!k || i + 1 >= argv.length)
		die(`${k ? `${a} needs a value` : `unknown argument ${a}`}\n${usage}`);
	const v = argv[++i];
	if (k === "text")
		opt.texts.push(v);
	else
		opt[k] = v;
}
if (!opt.root || !opt.manifest)
	die(usage);
opt.port = Number(opt.port);
opt.timeout = Number(opt.timeout);
if (!Number.isInteger(opt.port) || opt.port < 0 || opt.port > 65535)
	die("--port: not a port number");
if (!(opt.timeout > 0))
	die("--timeout: not a number of seconds");
if (opt.canvases !== undefined && !/^\d+$/.test(opt.canvases))
	die("--expect-canvases: not a number");
if (opt.baseUrl !== undefined && !/^https?:\/\/[^/]+/.test(opt.baseUrl))
	die("--base-url: not an http(s) URL");
if (opt.baseUrl && !opt.baseUrl.endsWith("/"))
	opt.baseUrl += "/";
let root;
try {
	root = realpathSync(opt.root);
} catch (e) {
	die(`--root: ${e.message}`);
}
if (!statSync(root).isDirectory())
	die(`--root ${opt.root}: not a directory`);
const manifestRel = opt.manifest.replace(/^\/+/, "");
if (!existsSync(join(root, manifestRel)))
	die(`${join(opt.root, manifestRel)}: no such file`);

const nodeDir = resolve(process.env.IIIF_NODE_DIR ||
    fileURLToPath(new URL("../../build/node-iiif", import.meta.url)));
const bundle = [join(nodeDir, "mirador/dist/mirador.min.js"),
    join(nodeDir, "node_modules/mirador/dist/mirador.min.js")].find((p) => existsSync(p));
if (!bundle)
	die(`no Mirador bundle under ${nodeDir} (run tests/tools/iiif-setup.sh)`);
let chromium;
try {
	chromium = createRequire(join(nodeDir, "node_modules", "x.js"))("playwright-core").chromium;
} catch (e) {
	die(`playwright-core not found under ${nodeDir} (run tests/tools/iiif-setup.sh): ${e.message.split("\n")[0]}`);
}
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
if (!existsSync(chromiumPath))
	die(`${chromiumPath}: no Chromium (Debian package chromium)`);

// ---- the static server -------------------------------------------------
const TYPES = { ".json": "application/json", ".jsonld": "application/ld+json",
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
    ".gif": "image/gif", ".webp": "image/webp", ".tif": "image/tiff",
    ".tiff": "image/tiff", ".jp2": "image/jp2", ".js": "text/javascript",
    ".mjs": "text/javascript", ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8", ".hocr": "text/html; charset=utf-8",
    ".xml": "application/xml", ".txt": "text/plain; charset=utf-8",
    ".pdf": "application/pdf", ".css": "text/css", ".map": "application/json",
    ".svg": "image/svg+xml" };
const SELF = "/__mirador-check__/";

// the file under DIR a URL path names, or null: each segment
// percent-decoded, none of them "", "." or "..", none holding "/", "\" or
// NUL once decoded, and the real path (links followed) inside DIR
export function fileFor(top, urlPath) {
	const segs = urlPath.replace(/^\//, "").split("/");
	const parts = [];
	for (const s of segs) {
		let d;
		try {
			d = decodeURIComponent(s);
		} catch {
			return null;
		}
		if (d === "" || d === "." || d === ".." || /[/\\\0]/.test(d))
			return null;
		parts.push(d);
	}
	let real;
	try {
		real = realpathSync(join(top, ...parts));
	} catch {
		return null;
	}
	if (!real.startsWith(top.endsWith(sep) ? top : top + sep))
		return null;
	try {
		return statSync(real).isFile() ? real : null;
	} catch {
		return null;
	}
}

let pageHtml = "";
const served = { ok: 0, missing: [] };
const verbose = Boolean(process.env.MIRADOR_CHECK_VERBOSE);
function answer(res, status, type, body, headOnly) {
	res.writeHead(status, { "Content-Type": type, "Access-Control-Allow-Origin": "*",
	    "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store" });
	res.end(headOnly ? undefined : body);
}
function serveFile(path, res, headOnly) {
	const type = TYPES[extname(path).toLowerCase()] || "application/octet-stream";
	res.writeHead(200, { "Content-Type": type, "Content-Length": statSync(path).size,
	    "Access-Control-Allow-Origin": "*", "X-Content-Type-Options": "nosniff",
	    "Cache-Control": "no-store" });
	if (headOnly)
		return res.end();
	createReadStream(path).on("error", () => res.destroy()).pipe(res);
}
// one request, by its URL path; returns the status
function handle(path, method, res) {
	if (method === "OPTIONS") {
		res.writeHead(204, { "Access-Control-Allow-Origin": "*",
		    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
		    "Access-Control-Allow-Headers": "*", "Access-Control-Max-Age": "600" });
		res.end();
		return 204;
	}
	const head = method === "HEAD";
	if (method !== "GET" && !head) {
		answer(res, 405, "text/plain", "method not allowed\n", head);
		return 405;
	}
	if (path === SELF + "index.html") {
		answer(res, 200, "text/html; charset=utf-8", pageHtml, head);
		return 200;
	}
	if (path === SELF + "mirador.min.js") {
		serveFile(bundle, res, head);
		return 200;
	}
	const f = path.startsWith(SELF) ? null : fileFor(root, path);
	if (!f) {
		answer(res, 404, "text/plain", "not found\n", head);
		return 404;
	}
	serveFile(f, res, head);
	return 200;
}
const server = createServer((req, res) => {
	let path;
	try {
		path = new URL(req.url, "http://127.0.0.1").pathname;
	} catch {
		path = "/";
	}
	const st = handle(path, req.method, res);
	if (verbose)
		console.error(`${st} ${req.method} ${path}`);
	if (st === 404 && !path.endsWith("/favicon.ico"))
		served.missing.push(path);
	else
		served.ok++;
});
await new Promise((ok, ko) => {
	server.once("error", (e) => ko(e));
	server.listen(opt.port, "127.0.0.1", ok);
}).catch((e) => die(`cannot listen on 127.0.0.1:${opt.port}: ${e.message}`));
const origin = `http://127.0.0.1:${server.address().port}`;
const manifestUrl = (opt.baseUrl || origin + "/") + manifestRel;

// ---- the page -----------------------------------------------------------
const MOTIVATIONS = ["oa:commenting", "oa:tagging", "sc:painting", "commenting",
    "tagging", "supplementing"];
const config = {
	id: "mirador",
	annotations: { filteredMotivations: MOTIVATIONS },
	window: { sideBarOpenByDefault: true, defaultSideBarPanel: "annotations",
	    defaultView: "single", allowClose: false },
	windows: [{ id: "w1", manifestId: manifestUrl, view: "single",
	    sideBarOpen: true, sideBarPanel: "annotations" }],
	workspaceControlPanel: { enabled: false },
	thumbnailNavigation: { defaultPosition: "off" },
};
// JSON in a <script>: "<" escaped, so that no value can close the element
const json = (v) => JSON.stringify(v).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
pageHtml = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>mirador-check</title>
<style>html, body { margin: 0; height: 100%; } #mirador { position: absolute; inset: 0; }</style>
</head><body><div id="mirador"></div>
<script src="${SELF}mirador.min.js"></script>
<script>window.miradorInstance = Mirador.viewer(${json(config)});</script>
</body></html>
`;

// ---- the browser ----------------------------------------------------------
const report = { manifest: manifestUrl, canvases: null, labels: [], viewingDirection: null,
    annotationPages: 0, consoleErrors: [], failedRequests: [], dialogs: [],
    textFound: opt.texts.length ? false : null, textFoundIn: [], problems: [] };
const isFavicon = (u) => /\/favicon\.ico(\?|$)/.test(u);
const userDir = mkdtempSync(join(tmpdir(), "mirador-check-"));
let context = null, finished = false;
async function finish(code) {
	if (finished)
		return;
	finished = true;
	try {
		if (context)
			await Promise.race([context.close(), new Promise((r) => setTimeout(r, 5000))]);
	} catch { /* closing anyway */ }
	server.close();
	server.closeAllConnections?.();
	rmSync(userDir, { recursive: true, force: true });
	if (code !== 2 && (report.problems.length || report.consoleErrors.length ||
	    report.failedRequests.length || report.dialogs.length))
		code = 1;
	process.stdout.write(JSON.stringify(report, null, 1) + "\n");
	process.exit(code);
}
const deadline = Date.now() + opt.timeout * 1000;
const left = () => Math.max(1000, deadline - Date.now());
const timer = setTimeout(() => {
	report.problems.push(`timed out after ${opt.timeout} s`);
	finish(1);
}, opt.timeout * 1000 + 2000);
timer.unref();

try {
	context = await chromium.launchPersistentContext(userDir, {
		executablePath: chromiumPath,
		headless: true,
		args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		    "--no-first-run", "--disable-background-networking",
		    "--disable-component-update", "--disable-sync"],
		viewport: { width: 1280, height: 900 },
		timeout: 30000,
	});
} catch (e) {
	report.problems.push(`Chromium did not start: ${e.message.split("\n")[0]}`);
	await finish(2);
}
const page = context.pages()[0] || await context.newPage();
let inflight = 0, lastNet = Date.now();
page.on("console", (m) => {
	if (m.type() === "error" && !isFavicon(m.location()?.url || "") &&
	    !/favicon\.ico|ERR_BLOCKED_BY_CLIENT/.test(m.text()))
		report.consoleErrors.push(m.text().slice(0, 500));
});
page.on("pageerror", (e) => report.consoleErrors.push(`page error: ${String(e.message || e).slice(0, 500)}`));
page.on("dialog", (d) => {
	report.dialogs.push(`${d.type()}: ${d.message().slice(0, 200)}`);
	d.dismiss().catch(() => {});
});
page.on("request", () => {
	inflight++;
	lastNet = Date.now();
});
const done = () => {
	inflight = Math.max(0, inflight - 1);
	lastNet = Date.now();
};
page.on("requestfinished", done);
page.on("requestfailed", (r) => {
	done();
	// refused by the route below: already told
	if (!isFavicon(r.url()) && !/ERR_BLOCKED_BY_CLIENT/.test(r.failure()?.errorText || ""))
		report.failedRequests.push(`${r.url()} (${r.failure()?.errorText || "failed"})`);
});
page.on("response", (r) => {
	if (r.status() >= 400 && !isFavicon(r.url()))
		report.failedRequests.push(`${r.url()} (HTTP ${r.status()})`);
});
// nothing leaves the machine: our server's origin goes through, URLs
// under --base-url are answered from DIR, anything else is refused
await context.route("**/*", async (route) => {
	const url = route.request().url();
	if (url.startsWith(origin + "/"))
		return route.continue();
	if (opt.baseUrl && url.startsWith(opt.baseUrl)) {
		const rest = new URL(url).pathname.slice(new URL(opt.baseUrl).pathname.length - 1);
		const f = fileFor(root, rest);
		if (!f)
			return route.fulfill({ status: 404, body: "not found\n",
			    headers: { "Access-Control-Allow-Origin": "*" } });
		return route.fulfill({ status: 200, path: f, headers: {
		    "Content-Type": TYPES[extname(f).toLowerCase()] || "application/octet-stream",
		    "Access-Control-Allow-Origin": "*" } });
	}
	if (url.startsWith("data:") || url.startsWith("blob:"))
		return route.continue();
	report.failedRequests.push(`${url} (refused: outside the test)`);
	return route.abort("blockedbyclient");
});

// wait for FN (run in the page) to return a true value
function until(fn, arg, ms) {
	return page.waitForFunction(fn, arg, { timeout: Math.min(ms || left(), left()), polling: 100 });
}
// until no request has been under way for QUIET ms (at most MS)
async function quiet(quietMs, ms) {
	const end = Date.now() + Math.min(ms, left());
	while (Date.now() < end) {
		if (inflight === 0 && Date.now() - lastNet >= quietMs)
			return true;
		await new Promise((r) => setTimeout(r, 100));
	}
	return false;
}

// nothing injected: no script element or event handler attribute in
// what Mirador rendered, no image or the like in the side panel (where
// the annotations' text and the metadata are: Mirador's own icons there
// are SVG)
const injectedSeen = new Set();
async function injected(where) {
	const bad = await page.evaluate(() => {
		const root = document.getElementById("mirador");
		const out = [...root.querySelectorAll("script, iframe, object, embed"),
		    ...root.querySelectorAll('[class*="mirador-companion-window"] :is(img, video, audio, form, input, textarea)')]
		    .map((e) => e.outerHTML.slice(0, 100));
		for (const e of root.querySelectorAll("*"))
			for (const a of e.attributes)
				if (/^on/i.test(a.name))
					out.push(`${e.tagName.toLowerCase()} ${a.name}="${a.value.slice(0, 60)}"`);
		return out;
	});
	for (const b of bad)
		if (!injectedSeen.has(b)) {
			injectedSeen.add(b);
			report.problems.push(`markup from the data became live in the page (${where}): ${b}`);
		}
}

try {
	await page.goto(`${origin}${SELF}index.html`, { timeout: left(), waitUntil: "load" });
	await until(() => window.Mirador && window.miradorInstance && window.miradorInstance.store);
	// the manifest loaded, or failed
	await until((url) => {
		const m = window.miradorInstance.store.getState().manifests[url];
		return m && !m.isFetching && (m.json || m.error);
	}, manifestUrl);
	const st = await page.evaluate((url) => {
		const state = window.miradorInstance.store.getState();
		const m = state.manifests[url];
		if (m.error)
			return { error: String(m.error.message || m.error) };
		const windowId = Object.keys(state.windows)[0];
		const S = window.Mirador.selectors || {};
		let canvases = null, dir = null;
		try {
			canvases = S.getCanvases(state, { windowId }).map((c) => c.id);
		} catch (e) { /* older or newer Mirador: read the JSON */ }
		try {
			dir = S.getSequenceViewingDirection(state, { windowId });
		} catch (e) { /* idem */ }
		const items = Array.isArray(m.json.items) ? m.json.items : [];
		const label = (l) => {
			if (!l || typeof l !== "object")
				return l === undefined ? null : String(l);
			const k = ["none", "en"].find((x) => Array.isArray(l[x])) || Object.keys(l)[0];
			return k && Array.isArray(l[k]) ? l[k].join(" ") : null;
		};
		return { windowId, canvases: canvases || items.map((c) => c.id),
		    labels: items.slice(0, 10).map((c) => label(c.label)),
		    viewingDirection: dir || m.json.viewingDirection || null,
		    pages: items.map((c) => (Array.isArray(c.annotations) ? c.annotations : [])
		        .map((p) => (p && typeof p === "object" ? p.id : `bare:${String(p)}`))) };
	}, manifestUrl);
	if (st.error) {
		report.problems.push(`Mirador could not load the manifest: ${st.error}`);
		await finish(1);
	}
	report.canvases = st.canvases.length;
	report.labels = st.labels;
	report.viewingDirection = st.viewingDirection;
	const windowId = st.windowId;

	// each canvas in turn, so that Mirador loads its image service and
	// fetches its annotation pages
	const perCanvas = Math.max(5000, Math.floor(left() / (st.canvases.length + 2)));
	for (let i = 0; i < st.canvases.length; i++) {
		const cid = st.canvases[i];
		// Mirador 3 follows only {"id": ..., "type": "AnnotationPage"}
		const pages = (st.pages[i] || []).filter((id) => {
			if (!id || id.startsWith("bare:"))
				report.problems.push(`canvas ${i + 1}: annotation page ${id ? JSON.stringify(id.slice(5)) : "without an id"} is not an {id, type: "AnnotationPage"} object: Mirador 3 ignores it`);
			return id && !id.startsWith("bare:");
		});
		if (i > 0)
			await page.evaluate(([w, c]) => window.miradorInstance.store.dispatch(
			    window.Mirador.actions.setCanvas(w, c)), [windowId, cid]);
		try {
			await until(([c, ids]) => {
				const a = window.miradorInstance.store.getState().annotations[c] || {};
				return ids.every((id) => a[id] && !a[id].isFetching && (a[id].json || a[id].error));
			}, [cid, pages], perCanvas);
		} catch {
			report.problems.push(`canvas ${i + 1} (${cid}): its annotation pages did not load in time`);
		}
		await quiet(300, 3000);
		await injected(`annotations of canvas ${i + 1}`);
	}
	// what Mirador holds: every annotation page of every canvas
	const held = await page.evaluate(() => {
		const out = { pages: 0, errors: [], values: [] };
		const ann = window.miradorInstance.store.getState().annotations;
		const bodies = (b) => (Array.isArray(b) ? b : b ? [b] : []);
		for (const [c, pages] of Object.entries(ann))
			for (const [id, p] of Object.entries(pages)) {
				out.pages++;
				if (p.error)
					out.errors.push(`${id} (canvas ${c}): ${String(p.error.message || p.error)}`);
				for (const a of (p.json && Array.isArray(p.json.items) ? p.json.items : []))
					for (const b of bodies(a.body))
						if (b && typeof b.value === "string")
							// the value, and the text it has read as HTML
							out.values.push([c, b.value, new DOMParser()
							    .parseFromString("<body>" + b.value, "text/html").body.textContent]);
			}
		return out;
	});
	report.annotationPages = held.pages;
	for (const e of held.errors)
		report.problems.push(`annotation page not loaded: ${e}`);
	const manifestText = await page.evaluate((url) =>
	    JSON.stringify(window.miradorInstance.store.getState().manifests[url].json), manifestUrl);

	const norm = (s) => s.normalize("NFC").replace(/\s+/g, " ").trim();
	let shotCanvas = st.canvases[0];
	const found = { manifest: 0, annotations: 0, panel: 0 };
	for (const t of opt.texts) {
		const nt = norm(t);
		if (manifestText.includes(JSON.stringify(t).slice(1, -1)))
			found.manifest++;
		// the text as it is in the value, or as the value's HTML reads
		// (a value written HTML-escaped: "&lt;" for "<")
		let hit = held.values.find(([, v]) => norm(v).includes(nt));
		const asHtml = !hit;
		if (!hit)
			hit = held.values.find(([, , h]) => norm(h).includes(nt));
		if (!hit) {
			report.problems.push(`text not in the annotations Mirador loaded: ${JSON.stringify(t)}`);
			continue;
		}
		found.annotations++;
		// the canvas that has it, its annotations panel open
		shotCanvas = hit[0];
		await page.evaluate(([w, c]) => window.miradorInstance.store.dispatch(
		    window.Mirador.actions.setCanvas(w, c)), [windowId, hit[0]]);
		try {
			await until(([text, escaped]) => {
				// the text as Mirador renders it: parsed as HTML (inert,
				// in a document of its own), script and the like dropped;
				// as it is when the value had it HTML-escaped
				const d = new DOMParser().parseFromString("<body>" +
				    (escaped ? text.replace(/&/g, "&amp;").replace(/</g, "&lt;") : text), "text/html");
				d.querySelectorAll("script, style, template, noscript, iframe, object, embed, title")
				    .forEach((e) => e.remove());
				const want = d.body.textContent.normalize("NFC").replace(/\s+/g, " ").trim();
				const cw = [...document.querySelectorAll('[class*="mirador-companion-window"]')];
				const have = (cw.length ? cw : [document.body]).map((e) => e.innerText).join("\n")
				    .normalize("NFC").replace(/\s+/g, " ");
				return want === "" || have.includes(want);
			}, [t, asHtml], 10000);
			found.panel++;
		} catch {
			report.problems.push(`text not shown in Mirador's annotations panel: ${JSON.stringify(t)}`);
		}
	}
	if (opt.texts.length) {
		report.textFound = found.annotations === opt.texts.length && found.panel === opt.texts.length;
		report.textFoundIn = Object.keys(found).filter((k) => found[k] === opt.texts.length);
	}
	// the information panel: Mirador renders metadata values and the
	// summary as HTML (sanitized), as it does annotation text
	await page.evaluate((w) => window.miradorInstance.store.dispatch(
	    window.Mirador.actions.addOrUpdateCompanionWindow(w, { content: "info", position: "left" })), windowId);
	try {
		await until(() => document.querySelector(".mirador-window-sidebar-info-panel"), null, 10000);
	} catch {
		report.problems.push("the information panel did not open");
	}
	await quiet(300, 5000);
	await injected("information panel");
	await page.evaluate((w) => window.miradorInstance.store.dispatch(
	    window.Mirador.actions.addOrUpdateCompanionWindow(w, { content: "annotations", position: "left" })), windowId);

	if (opt.canvases !== undefined && report.canvases !== Number(opt.canvases))
		report.problems.push(`${report.canvases} canvases, expected ${opt.canvases}`);
	if (opt.firstLabel !== undefined && report.labels[0] !== opt.firstLabel)
		report.problems.push(`first canvas label ${JSON.stringify(report.labels[0])}, expected ${JSON.stringify(opt.firstLabel)}`);
	if (opt.direction !== undefined && report.viewingDirection !== opt.direction)
		report.problems.push(`viewingDirection ${JSON.stringify(report.viewingDirection)}, expected ${JSON.stringify(opt.direction)}`);

	// the thumbnails, as the gallery view asks for them (a level 0
	// service's from its "sizes" in the manifest, if any)
	if (report.canvases > 0) {
		await page.evaluate((w) => window.miradorInstance.store.dispatch(
		    window.Mirador.actions.setWindowViewType(w, "gallery")), windowId);
		try {
			await until((w) => window.miradorInstance.store.getState().windows[w].view === "gallery" &&
			    document.querySelector(".mirador-primary-window img"), windowId, 10000);
		} catch {
			report.problems.push("the gallery view showed no thumbnail");
		}
		await quiet(500, 10000);
		await page.evaluate((w) => window.miradorInstance.store.dispatch(
		    window.Mirador.actions.setWindowViewType(w, "single")), windowId);
	}
	// the image drawn: OpenSeadragon's canvas there and the tiles in
	if (report.canvases > 0) {
		await page.evaluate(([w, c]) => window.miradorInstance.store.dispatch(
		    window.Mirador.actions.setCanvas(w, c)), [windowId, shotCanvas]);
		try {
			await until(() => document.querySelector(".openseadragon-canvas canvas"), null, 15000);
		} catch {
			report.problems.push("no OpenSeadragon canvas: the image was not drawn");
		}
		await quiet(800, 15000);
	}
	if (opt.screenshot) {
		await page.waitForTimeout(Math.min(1500, left()));	// OpenSeadragon's zoom animation
		await page.screenshot({ path: opt.screenshot, timeout: left() });
		report.screenshot = opt.screenshot;
	}
	if (served.missing.length)
		for (const p of served.missing)
			if (!report.failedRequests.some((f) => f.includes(p)))
				report.failedRequests.push(`${origin}${p} (HTTP 404)`);
} catch (e) {
	report.problems.push(`${e.name === "TimeoutError" ? "timed out" : "error"}: ${String(e.message).split("\n")[0]}`);
}
await finish(0);
