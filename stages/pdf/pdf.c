/*
 * warraq-pdf - one searchable PDF per document: the cleaned page images
 * with an invisible text layer from the OCR words.
 *
 *   warraq-pdf [options] WORK_DIR [DOC ...]
 *
 *   main()        the document stage (wq_doc_main) over make_pdf()
 *
 * Each page is the cleaned page at its physical size (pixels * 72 / dpi
 * points): the 8-bit page as JPEG (pdf_image = gray, quality
 * pdf_jpeg_quality, encoded by Leptonica through libjpeg-turbo) or the
 * 1-bit page as the very CCITT G4 bytes the clean stage wrote
 * (pdf_image = bitonal).  Both go into the PDF as they are, through
 * cairo's MIME data, not decoded and re-encoded.
 *
 * The text layer comes from the ALTO file, drawn with cairo in DejaVu
 * Sans (Arabic and Latin) under the page image, which is opaque and hides
 * it: cairo has no invisible text rendering mode (pdfa.c adds it), and
 * text it is asked to draw fully transparent it drops.  What readers
 * (poppler, pdf.js) make of it is the point, and they rebuild the text
 * from glyph positions:
 *
 *   - a line is drawn left to right as it lies on the page, every word
 *     over its box, an Arabic word shaped by HarfBuzz (its glyphs right
 *     to left, one glyph a character, so that cairo writes a clean
 *     ToUnicode map; a bracket in its own glyph, not the mirrored one), a
 *     word of a right-to-left line laid out as the bidi algorithm lays it
 *     (visual), a space glyph in each gap; readers apply the bidi
 *     algorithm to that visual order and get the reading order back;
 *   - the whole line has one font matrix (pdf.js cuts the line where it
 *     changes), and the words' glyphs are spread over their boxes only as
 *     far as both readers still read them as one word, the gaps between
 *     words kept where both read a space and pdf.js keeps the line one
 *     piece of text, words moved along the line where that takes it
 *     (line_unit, line_place, line_relax, run_place; the bounds are set
 *     out above them);
 *   - a paragraph's lines have one font size, lines the OCR found
 *     overlapping a smaller one, for poppler's blocks (line_sizes);
 *   - every glyph of a right-to-left line is in one font (claim_latin);
 *   - poppler's simpler bidi needs a RIGHT-TO-LEFT MARK after a word
 *     ending in a full stop or a digit (ends_weak) and left of a run of
 *     digits within a word (visual), and a page with an Arabic line
 *     read right to left (rtl_tip, draw_tip).
 *
 * Where two readers cannot both be satisfied, pdf.js, which reads the
 * text in the order of the PDF, is: poppler orders a page's blocks by its
 * own reading of the layout, and its bidi takes full stops and signs next
 * to digits for part of a number ("-.8" after an Arabic word).
 *
 * cairo writes the PDF to a temporary file, whose text pdfa_finish()
 * (pdfa.c, through qpdf) makes invisible and the file PDF/A-2b.
 *
 * Writes WORK/pdf/DOC.pdf; the sidecar DOC.json lists the pages (and the
 * checksums of their sources), the image mode and sizes, and for each
 * page its text_cuts: the gaps of right-to-left lines too wide for pdf.js
 * to keep the line whole, where it loses the space between two words.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cairo.h>
#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <hb.h>
#include <libxml/parser.h>
#include <qpdf/qpdf-c.h>

#include "wq.h"
#include "pdfa.h"

#define FONT_PATH	"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

struct font {
	FT_Library          lib;
	FT_Face             face;
	cairo_font_face_t  *cf;
	hb_font_t          *hb;
	double              upem, ascent, descent;	/* font units */
	unsigned           *spare;	/* glyphs no character maps to */
	size_t              nspare;
	unsigned            tip;	/* a spare one, for rtl_tip(); 0: none */
};

static struct font font;

static const cairo_user_data_key_t ft_key;

static void
done_face(void *face)
{
	FT_Done_Face(face);
}

/* find_spare: the glyphs of the font that no character maps to. */
static void
find_spare(void)
{
	char    *mapped = calloc((size_t)font.face->num_glyphs + 1, 1);
	FT_ULong c;
	FT_UInt  g;
	long     i;

	if (mapped == NULL)
		abort();
	for (c = FT_Get_First_Char(font.face, &g); g != 0;
	    c = FT_Get_Next_Char(font.face, c, &g))
		if (g < (FT_UInt)font.face->num_glyphs)
			mapped[g] = 1;
	font.spare = wq_xmalloc((size_t)font.face->num_glyphs * sizeof(unsigned));
	/* with an outline: cairo drops what draws nothing */
	for (i = 1; i < font.face->num_glyphs; i++)
		if (!mapped[i] && FT_Load_Glyph(font.face, (FT_UInt)i,
		    FT_LOAD_NO_SCALE) == 0 && font.face->glyph->outline.n_points > 0)
			font.spare[font.nspare++] = (unsigned)i;
	if (font.nspare > 0)
		font.tip = font.spare[--font.nspare];
	free(mapped);
}

/*
 * font_init: the program's init (wq_doc_main): DejaVu Sans, loaded once
 * for all the documents this process is given; it has Arabic and Latin.
 * -1 (exit 2) when it is not installed.
 */
static int
font_init(struct wq_args *a, char *err, size_t errlen)
{
	hb_blob_t *blob;
	hb_face_t *face;

	(void)a;
	if (FT_Init_FreeType(&font.lib) != 0 ||
	    FT_New_Face(font.lib, FONT_PATH, 0, &font.face) != 0) {
		snprintf(err, errlen, "cannot load the font %s (Debian package "
		    "fonts-dejavu-core)", FONT_PATH);
		return -1;
	}
	font.upem = font.face->units_per_EM;
	font.ascent = font.face->ascender;
	font.descent = font.face->descender;
	font.cf = cairo_ft_font_face_create_for_ft_face(font.face, 0);
	cairo_font_face_set_user_data(font.cf, &ft_key, font.face, done_face);
	/* HarfBuzz's own font functions: advances in font units */
	blob = hb_blob_create_from_file(FONT_PATH);
	face = hb_face_create(blob, 0);
	font.hb = hb_font_create(face);
	hb_face_destroy(face);
	hb_blob_destroy(blob);
	find_spare();
	return 0;
}

static void
font_free(void)
{
	free(font.spare);
	if (font.hb != NULL)
		hb_font_destroy(font.hb);
	if (font.cf != NULL)
		cairo_font_face_destroy(font.cf);	/* and the FT face with it */
	else if (font.face != NULL)
		FT_Done_Face(font.face);
	if (font.lib != NULL) {
		cairo_debug_reset_static_data();
		FT_Done_FreeType(font.lib);
	}
}

/* advance: of a glyph, in font units. */
static double
advance(unsigned gid)
{
	if (FT_Load_Glyph(font.face, gid, FT_LOAD_NO_SCALE) != 0)
		return 0;
	return font.face->glyph->advance.x;
}

/* ---- the text layer ---- */

/* is_rtl_letter: strong right-to-left; the Arabic comma, per mille and
 * percent signs and number separators are weak in the bidi algorithm */
static int
is_rtl_letter(unsigned c)
{
	return (c >= 0x590 && c <= 0x6ff && !(c >= 0x660 && c <= 0x66c) &&
	    !(c >= 0x6f0 && c <= 0x6f9) && c != 0x609 && c != 0x60a &&
	    c != 0x60c) || (c >= 0x750 && c <= 0x8ff) ||
	    (c >= 0xfb1d && c <= 0xfdff) || (c >= 0xfe70 && c <= 0xfefc);
}

/* is_ltr_run: digits and Latin letters keep their order in an RTL word. */
static int
is_ltr_run(unsigned c)
{
	return (c >= '0' && c <= '9') || (c >= 0x660 && c <= 0x669) ||
	    (c >= 0x6f0 && c <= 0x6f9) || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z') || (c >= 0xc0 && c <= 0x24f && c != 0xd7 &&
	    c != 0xf7);
}

/* is_sep: what joins two digits into one number (1.5, 12:30, 2/3, 5-6). */
static int
is_sep(unsigned c)
{
	return c == '.' || c == ',' || c == ':' || c == '/' || c == '-' ||
	    c == '+' || c == 0x66b || c == 0x66c;
}

/*
 * visual: the code points of a word as they lie on the page from left to
 * right, into out (room for 2n), and how many.  A word with an Arabic
 * (or Hebrew) letter, and any word of a right-to-left line, is right to
 * left but for its runs of digits and Latin letters, as the bidi
 * algorithm lays it out (so "('1" on an Arabic line lies as "1'("); any
 * other word is as it is.  poppler, reading a right-to-left line, takes
 * every character left of a run of digits or Latin letters that is not a
 * right-to-left letter into that run, so a RIGHT-TO-LEFT MARK (which
 * pdf.js skips) goes just left of such a run with something on its left.
 */
static size_t
visual(const unsigned *cp, size_t n, int rtl, unsigned *out)
{
	size_t *start = wq_xmalloc((n + 1) * sizeof(*start)), np = 0, i, j, m = 0;

	for (i = 0; i < n && !rtl; i++)
		rtl = is_rtl_letter(cp[i]);
	if (!rtl) {
		memcpy(out, cp, n * sizeof(*out));
		free(start);
		return n;
	}
	for (i = 0; i < n; np++) {	/* the pieces, in reading order */
		start[np] = i++;
		if (is_ltr_run(cp[start[np]]))
			while (i < n && (is_ltr_run(cp[i]) || (is_sep(cp[i]) &&
			    i + 1 < n && is_ltr_run(cp[i + 1]))))
				i++;
	}
	start[np] = n;
	for (j = np; j-- > 0; ) {	/* laid from the left: the last first */
		if (j + 1 < np && is_ltr_run(cp[start[j]]))
			out[m++] = 0x200f;
		for (i = start[j]; i < start[j + 1]; i++)
			out[m++] = cp[i];
	}
	free(start);
	return m;
}

/* put_utf8: c as UTF-8 at out (room for 4 bytes); returns the length. */
static int
put_utf8(unsigned c, char *out)
{
	int len = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4, i;

	if (len == 1) {
		out[0] = (char)c;
		return 1;
	}
	out[0] = (char)((len == 2 ? 0xc0 : len == 3 ? 0xe0 : 0xf0) |
	    (c >> (6 * (len - 1))));
	for (i = 1; i < len; i++)
		out[i] = (char)(0x80 | ((c >> (6 * (len - 1 - i))) & 0x3f));
	return len;
}

/* a run of glyphs, one a character, with the text each one stands for */
struct run {
	cairo_glyph_t        *g;
	cairo_text_cluster_t *cl;
	double               *adv;	/* of each glyph, in em */
	char                 *utf8;
	int                   nbytes;
	size_t                n;
	double                em;	/* of them all */
	double                x0, x1;	/* where placed (run_place) */
	double                shift;	/* and moved by (line_place, line_relax) */
	int                   marked;	/* a RIGHT-TO-LEFT MARK after it (ends_weak) */
};

/* run_add: one glyph standing for the character c. */
static void
run_add(struct run *r, unsigned gid, double adv, unsigned c)
{
	r->g[r->n].index = gid;
	r->adv[r->n] = adv;
	r->em += adv;
	r->cl[r->n].num_bytes = put_utf8(c, r->utf8 + r->nbytes);
	r->cl[r->n].num_glyphs = 1;
	r->nbytes += r->cl[r->n].num_bytes;
	r->n++;
}

/*
 * shape: an Arabic word shaped by HarfBuzz, in visual order, when each
 * glyph stands for one character (ligatures are turned off for that),
 * which makes a clean map from glyphs to text.  Shaping matters although
 * nobody sees the glyphs: joined letters are narrower than letters
 * standing alone, and the glyphs' widths must be near the word's for
 * pdf.js (see line_unit).  Returns -1 when it cannot be done.
 */
static int
shape(struct run *r, const unsigned *cp, size_t n)
{
	static const char *feat[] = { "liga=0", "rlig=0", "dlig=0", "ccmp=0" };
	hb_feature_t         f[4];
	hb_buffer_t         *b = hb_buffer_create();
	hb_glyph_info_t     *gi;
	hb_glyph_position_t *gp;
	unsigned             gn, i;
	char                *seen = calloc(n + 1, 1);
	int                  ok = 1;

	if (seen == NULL)
		abort();
	for (i = 0; i < 4; i++)
		hb_feature_from_string(feat[i], -1, &f[i]);
	hb_buffer_add_codepoints(b, cp, (int)n, 0, (int)n);
	hb_buffer_set_direction(b, HB_DIRECTION_RTL);
	hb_buffer_set_script(b, HB_SCRIPT_ARABIC);
	hb_buffer_set_cluster_level(b, HB_BUFFER_CLUSTER_LEVEL_CHARACTERS);
	hb_shape(font.hb, b, f, 4);
	gi = hb_buffer_get_glyph_infos(b, &gn);
	gp = hb_buffer_get_glyph_positions(b, &gn);
	if (gn != n)
		ok = 0;
	for (i = 0; i < gn && ok; i++) {
		if (gi[i].cluster >= n || seen[gi[i].cluster] || gi[i].codepoint == 0)
			ok = 0;
		else
			seen[gi[i].cluster] = 1;
	}
	for (i = 0; i < gn && ok; i++) {
		unsigned c = cp[gi[i].cluster], gid;

		/* a bracket or quote HarfBuzz mirrored: its own glyph, which
		 * stands for it alone (readers' bidi puts it right) */
		if (hb_unicode_mirroring(hb_unicode_funcs_get_default(), c) != c) {
			gid = FT_Get_Char_Index(font.face, c);
			run_add(r, gid, advance(gid) / font.upem, c);
		} else
			run_add(r, gi[i].codepoint, gp[i].x_advance / font.upem, c);
	}
	hb_buffer_destroy(b);
	free(seen);
	return ok ? 0 : -1;
}

/*
 * run_make: the glyphs of a word as they lie on the page, left to
 * right: an Arabic word shaped, any other as its characters come, but in
 * visual order (see visual(); rtl_line: the word is on a right-to-left
 * line).
 */
static void
run_make(struct run *r, const unsigned *cp, size_t n, int rtl_line)
{
	unsigned *v = wq_xmalloc((2 * n + 1) * sizeof(*v));
	size_t    i, m;
	int       rtl = 0, ltr = 0;

	r->g = wq_xmalloc((2 * n + 1) * sizeof(*r->g));
	r->cl = wq_xmalloc((2 * n + 1) * sizeof(*r->cl));
	r->adv = wq_xmalloc((2 * n + 1) * sizeof(*r->adv));
	r->utf8 = wq_xmalloc(8 * n + 1);
	r->marked = 0;
	r->shift = 0;
	r->n = 0;
	r->nbytes = 0;
	r->em = 0;
	for (i = 0; i < n; i++) {
		rtl |= is_rtl_letter(cp[i]);
		ltr |= is_ltr_run(cp[i]);
	}
	if (rtl && !ltr && shape(r, cp, n) == 0)
		goto out;
	r->n = 0, r->nbytes = 0, r->em = 0;
	m = visual(cp, n, rtl_line, v);
	for (i = 0; i < m; i++) {
		unsigned gid = FT_Get_Char_Index(font.face, v[i]);

		run_add(r, gid, advance(gid) / font.upem, v[i]);
	}
out:
	free(v);
}

static void
run_free(struct run *r)
{
	free(r->g);
	free(r->cl);
	free(r->adv);
	free(r->utf8);
}

/*
 * The text layer is laid out for what the two readers make of glyph
 * positions (u: the width of an em of the line's font matrix; s: the
 * line's font size, its height):
 *
 *   - pdf.js keeps a line one piece of text, to which it then applies the
 *     bidi algorithm, as long as each glyph starts from 0.2 u before to
 *     0.6 u after the end of the glyph before; it reads a space across a
 *     gap wider than 0.102 u, even within a word, and cuts the line
 *     across a space glyph in a narrower gap, or where the font matrix
 *     changes.  Zero-width marks it does not measure.  A right-to-left
 *     line in pieces comes out with its pieces in visual order.
 *   - poppler ends a word at a space glyph, and where a glyph starts more
 *     than 0.1 s after the end of the one before or less than 0.1 s after
 *     the start of the one before (joining the pieces back when less than
 *     0.03 s apart); it orders a line's words by where they begin and puts
 *     a space between two 0.03 s apart or more; a word more than 0.7 s
 *     from the one before it puts in another block, and it orders blocks
 *     by its own reading of the page's layout.
 *
 * So a line has one font matrix; within a word a glyph starts from
 * SQUEEZE_EM u before the end of the one before to SPREAD_EM u (and
 * SPREAD_S s; MARK_SPREAD_S s in a word with a mark) after it, a mark
 * just before its base; between two words the gap is at least GAP_MIN_EM
 * u and GAP_MIN_S s and at most GAP_CUT_EM u on a right-to-left line,
 * GAP_BLOCK_S s on a left-to-right one.  line_unit() chooses the u that
 * meets that best, line_relax() moves words where it is not met.
 */
#define SQUEEZE_EM	0.18
#define SPREAD_EM	0.09
#define SPREAD_S	0.09
#define MARK_SPREAD_S	0.025
#define GAP_MIN_EM	0.12
#define GAP_MIN_S	0.04
#define GAP_CUT_EM	0.55
#define GAP_BLOCK_S	0.6
#define MARK_S		0.002	/* a mark this far left of its base */
#define OVER_S		0.5	/* most a word is spread past its box into a gap */

/* steps: the glyphs of a run that advance, less one. */
static double
steps(const struct run *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++)
		n += r->adv[i] > 0;
	return n > 1 ? (double)(n - 1) : 0;
}

/*
 * run_place: the run's glyphs over x0..x1 (pixels) on the baseline, with
 * the line's font matrix, whose em is u pixels wide, in a line whose
 * font size is s pixels: the first glyph at x0 and the last one ending at
 * x1, so that a reader's box of the word is its box on the image, unless
 * that would take the glyphs out of the bounds above; then they go as
 * near as they may, centred on the box.  A glyph of no advance (a mark,
 * or a RIGHT-TO-LEFT MARK) goes just left of the glyph after it, where
 * poppler orders it first; only just, as pdf.js skips a format character
 * together with the move that follows it in the content stream.  Sets
 * r->x0 and r->x1 to where the readers will see the run begin and end.
 */
static void
run_place(struct run *r, double x0, double x1, double base, double u,
    double s)
{
	double d = 0, x, k = steps(r), hi = SPREAD_EM * u;
	size_t i;
	int    marks = 0;

	for (i = 0; i < r->n; i++)
		marks |= r->adv[i] <= 0;
	marks |= r->marked;
	if (hi > (marks ? MARK_SPREAD_S : SPREAD_S) * s)
		hi = (marks ? MARK_SPREAD_S : SPREAD_S) * s;
	if (k > 0) {
		d = (x1 - x0 - r->em * u) / k;
		if (d > hi)
			d = hi;
		if (d < -SQUEEZE_EM * u)
			d = -SQUEEZE_EM * u;
	}
	x = (x0 + x1) / 2 - (r->em * u + d * k) / 2;
	r->x0 = r->x1 = x;
	r->shift = 0;
	for (i = 0; i < r->n; i++) {
		r->g[i].y = base;
		if (r->adv[i] <= 0) {
			r->g[i].x = x - MARK_S * s;
			continue;
		}
		r->g[i].x = x;
		r->x1 = x + r->adv[i] * u;
		x = r->x1 + d;
	}
}

/* gap_min: the narrowest gap between two words both readers read as a
 * space, in pixels. */
static double
gap_min(double u, double s)
{
	return GAP_MIN_EM * u > GAP_MIN_S * s ? GAP_MIN_EM * u : GAP_MIN_S * s;
}

/* gap_fault: 1 where the gap from run a to run b (right of it) loses
 * the space (too narrow) or, on a right-to-left line, where pdf.js cuts
 * the line (too wide, or going back); else 0. */
static int
gap_fault(const struct run *a, const struct run *b, double u, double s,
    int rtl)
{
	double gap = b->x0 - a->x1;

	if (gap < gap_min(u, s))
		return 1;
	return rtl && gap > GAP_CUT_EM * u;
}

/*
 * line_place: the words of a line (left to right as they lie: vis) placed
 * with the unit u, each over its box, but for the gaps: one too narrow is
 * widened by taking half of what is missing from each side (the words
 * squeezed), one too wide for pdf.js on a right-to-left line narrowed by
 * spreading both words into it, at most OVER_S s.  Writes the spans
 * given (sx0, sx1) and returns the cost of the placing: a million for
 * each gap still at fault, plus the pixels by which the words' ends miss
 * their boxes.
 */
static double
line_place(const struct wq_line *l, struct run *runs, const size_t *vis,
    double u, double s, double *sx0, double *sx1)
{
	double cost = 0, lo = gap_min(u, s), gap, need;
	size_t k;

	for (k = 0; k < l->nw; k++) {
		const struct wq_word *w = &l->w[vis[k]];

		sx0[k] = w->x;
		sx1[k] = (double)w->x + (w->w > 1 ? w->w : 1);
	}
	for (k = 1; k < l->nw; k++) {
		gap = sx0[k] - sx1[k - 1];
		if (gap < lo * 1.1) {
			need = lo * 1.1 - gap;
			sx1[k - 1] -= need / 2;
			sx0[k] += need / 2;
		} else if (l->rtl && gap > GAP_CUT_EM * u * 0.9) {
			need = gap - GAP_CUT_EM * u * 0.9;
			if (need > OVER_S * s)
				need = OVER_S * s;
			sx1[k - 1] += need / 2;
			sx0[k] -= need / 2;
		}
	}
	for (k = 0; k < l->nw; k++) {
		if (sx1[k] - sx0[k] < 1)
			sx0[k] = sx1[k] - 1;
		run_place(&runs[vis[k]], sx0[k], sx1[k], 0, u, s);
	}
	/* on a right-to-left line, a word narrower than its span moved
	 * within it to even the gaps on either side */
	for (k = 0; l->rtl && k < l->nw; k++) {
		struct run *r = &runs[vis[k]];
		double      gl, gr, t;

		if (k == 0 || k + 1 == l->nw)
			continue;
		gl = r->x0 - runs[vis[k - 1]].x1;
		gr = runs[vis[k + 1]].x0 - r->x1;
		t = (gr - gl) / 2;
		if (t > sx1[k] - r->x1)
			t = sx1[k] - r->x1;
		if (t < sx0[k] - r->x0)
			t = sx0[k] - r->x0;
		if ((t > 0 && r->x1 < sx1[k]) || (t < 0 && r->x0 > sx0[k])) {
			r->shift = t;
			r->x0 += t;
			r->x1 += t;
		}
	}
	for (k = 0; k < l->nw; k++) {
		const struct wq_word *w = &l->w[vis[k]];
		struct run           *r = &runs[vis[k]];

		cost += fabs(r->x0 - w->x) + fabs(r->x1 - ((double)w->x + w->w));
		if (k > 0)
			cost += 1e6 * gap_fault(&runs[vis[k - 1]], r, u, s, l->rtl);
	}
	return cost;
}

/*
 * line_relax: the words placed by line_place() moved along the line, each
 * at most RELAX_S s, until every gap is within bounds where it can be: a
 * gap too wide brings its two words together by half what is too much
 * each, one too narrow takes them apart, and so on over the line until
 * nothing moves.  Too wide is GAP_CUT_EM u on a right-to-left line, which
 * pdf.js would cut there and lose the space, and GAP_BLOCK_S s on a
 * left-to-right one, which poppler would break into blocks that it may
 * then read out of order.  A word's box in the readers is off by as much
 * as it moved; a gap wider than the moves can close, or than WIDE_S s (a
 * column's gutter, a margin the OCR took into a line), is left to
 * draw_line to cut.
 */
#define RELAX_S		1.0
#define WIDE_S		1.2

static void
line_relax(const struct wq_line *l, struct run *runs, const size_t *vis,
    double u, double s)
{
	double *t = calloc(l->nw + 1, sizeof(*t)), lo = gap_min(u, s) * 1.05;
	double  hi, gap, d;
	size_t  k;
	int     it, moved = 1;

	if (t == NULL)
		abort();
	hi = l->rtl ? GAP_CUT_EM * u * 0.95 : GAP_BLOCK_S * s;
	for (it = 0; it < 100 && moved; it++) {
		moved = 0;
		for (k = 1; k < l->nw; k++) {
			if (runs[vis[k]].x0 - runs[vis[k - 1]].x1 > WIDE_S * s)
				continue;	/* a column's gutter, a margin */
			gap = runs[vis[k]].x0 + t[k] - runs[vis[k - 1]].x1 - t[k - 1];
			if (gap > hi + 0.01)
				d = (gap - hi) / 2;
			else if (gap < lo - 0.01)
				d = (gap - lo) / 2;
			else
				continue;
			if (fabs(t[k - 1] + d) > RELAX_S * s ||
			    fabs(t[k] - d) > RELAX_S * s)
				continue;
			t[k - 1] += d;
			t[k] -= d;
			moved = 1;
		}
	}
	for (k = 0; k < l->nw; k++) {
		runs[vis[k]].shift += t[k];
		runs[vis[k]].x0 += t[k];
		runs[vis[k]].x1 += t[k];
	}
	free(t);
}

/*
 * line_unit: the width in pixels of an em of the line's font matrix,
 * found by trying: the one at which line_place() costs least.
 */
static double
line_unit(const struct wq_line *l, struct run *runs, const size_t *vis,
    double s, double *sx0, double *sx1)
{
	double em = 0, w = 0, fit, u, best = 0, cost, least = 1e300;
	size_t j;
	int    step;

	for (j = 0; j < l->nw; j++) {
		em += runs[j].em;
		w += l->w[j].w;
	}
	fit = em > 0 && w > 0 ? w / em : s / 2;
	for (step = 0; step <= 80; step++) {
		u = fit * (0.6 + step * 0.015);
		cost = line_place(l, runs, vis, u, s, sx0, sx1);
		if (cost < least)
			least = cost, best = u;
	}
	return best;
}

/* run_show: the run placed (run_place) and moved by the shift
 * line_place() and line_relax() gave it, and drawn. */
static void
run_show(cairo_t *cr, struct run *r, double x0, double x1, double base,
    double u, double s)
{
	double shift = r->shift;
	size_t i;

	run_place(r, x0, x1, base, u, s);
	for (i = 0; i < r->n; i++)
		r->g[i].x += shift;
	r->x0 += shift;
	r->x1 += shift;
	r->shift = shift;
	cairo_show_text_glyphs(cr, r->utf8, r->nbytes, r->g, (int)r->n, r->cl,
	    (int)r->n, 0);
}

/* is_winansi: is c one of the characters of Windows code page 1252. */
static int
is_winansi(unsigned c)
{
	static const unsigned extra[] = { 0x152, 0x153, 0x160, 0x161, 0x178,
	    0x17d, 0x17e, 0x192, 0x2c6, 0x2dc, 0x2013, 0x2014, 0x2018, 0x2019,
	    0x201a, 0x201c, 0x201d, 0x201e, 0x2020, 0x2021, 0x2022, 0x2026,
	    0x2030, 0x2039, 0x203a, 0x20ac, 0x2122 };
	size_t i;

	if ((c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff))
		return 1;
	for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		if (c == extra[i])
			return 1;
	return 0;
}

/*
 * claim_latin: cairo puts the first glyph it meets for each character of
 * code page 1252 into a separate 8-bit "latin" font and every other glyph
 * into a CID font, and cannot be told not to.  pdf.js ends a run of text
 * at every change of font, so a right-to-left line with a space, a full
 * stop or a digit in it would come out of pdf.js in pieces, each put in
 * logical order on its own, the pieces in visual order.  So before any
 * text, for every such character of a right-to-left line of the
 * document, a spare glyph (one no character maps to, so never drawn as
 * text) is drawn for it; the real glyph of that character then lands in
 * the CID font with the rest of the line.  The spare glyph must not be
 * read as text, so it goes just left of the page: its advance, which is
 * what readers go by, ends outside the page (poppler and pdf.js drop such
 * characters); but cairo drops what it does not see on the page, so the
 * glyph is slanted far to the right, onto the page, where the page image
 * hides it.
 */
static void
claim_latin(cairo_t *cr, const struct wq_alto *pg, size_t npg)
{
	char                 claimed[0x2200] = "";
	cairo_glyph_t        g;
	cairo_text_cluster_t cl = { 0, 1 };
	char                 u[4];
	unsigned             c, *cp;
	size_t               p, i, j, k, n, next = 0;
	cairo_matrix_t       m;

	cairo_set_font_face(cr, font.cf);
	cairo_matrix_init(&m, 10, 0, -20, 10, 0, 0);
	cairo_set_font_matrix(cr, &m);
	for (p = 0; p < npg; p++)
		for (i = 0; i < pg[p].nl; i++) {
			if (!pg[p].l[i].rtl)
				continue;
			for (j = 0; j <= pg[p].l[i].nw; j++) {
				cp = j < pg[p].l[i].nw ? wq_utf8_decode(pg[p].l[i].w[j].text,
				    strlen(pg[p].l[i].w[j].text), &n) : NULL;
				if (cp == NULL) {	/* the space between words */
					cp = wq_xmalloc(sizeof(*cp));
					cp[0] = ' ', n = 1;
				}
				for (k = 0; k < n; k++) {
					c = cp[k];
					if (!is_winansi(c) || claimed[c] ||
					    next == font.nspare)
						continue;
					claimed[c] = 1;
					g.index = font.spare[next++];
					g.x = -advance(g.index) * 10 / font.upem - 1;
					g.y = 20 + (double)(next % 40) * 12;
					cl.num_bytes = put_utf8(c, u);
					cairo_show_text_glyphs(cr, u, cl.num_bytes, &g, 1,
					    &cl, 1, 0);
				}
				free(cp);
			}
		}
}

/*
 * ends_weak: does a word of a right-to-left line end in a character that
 * is not a right-to-left letter (a full stop, a digit, a Latin letter).
 * poppler orders such a character and the space after it as one
 * left-to-right run and so puts the space before the full stop; a
 * RIGHT-TO-LEFT MARK after the word ends the run where it should end.
 * pdf.js, which applies the whole bidi algorithm, is not affected.
 */
static int
ends_weak(const char *text)
{
	size_t    n;
	unsigned *cp = wq_utf8_decode(text, strlen(text), &n);
	int       weak = n > 0 && !is_rtl_letter(cp[n - 1]);

	free(cp);
	return weak;
}

/*
 * draw_line: the words of a line from left to right as they lie on the
 * page, a space between two words over the gap, with one font matrix:
 * its height the font size, the width of its em from line_unit().
 * Readers take a line drawn left to right as the visual order of its
 * text and apply the bidi algorithm to it, as a person reading the page
 * does.  Where pdf.js will cut a right-to-left line (a gap too wide, or
 * going back), the pieces are drawn from the right one to the left one,
 * so that they come out in reading order; the space at the cut is lost
 * to pdf.js.  Returns the unit, and the number of such cuts in *cuts.
 */
static double
draw_line(cairo_t *cr, const struct wq_line *l, struct run *runs, double base,
    double size, struct run *sp, struct run *mark, size_t *cuts)
{
	size_t        *vis = wq_xmalloc(l->nw * sizeof(*vis)), k, s, e, j;
	double        *sx0 = wq_xmalloc(2 * l->nw * sizeof(*sx0)), *sx1 = sx0 + l->nw;
	double         u, gap;
	cairo_matrix_t m;

	for (k = 0; k < l->nw; k++) {
		vis[k] = l->rtl ? l->nw - 1 - k : k;
		runs[k].marked = l->rtl && k + 1 < l->nw && ends_weak(l->w[k].text);
	}
	u = line_unit(l, runs, vis, size, sx0, sx1);
	line_place(l, runs, vis, u, size, sx0, sx1);
	line_relax(l, runs, vis, u, size);
	cairo_matrix_init_scale(&m, u, size);
	cairo_set_font_matrix(cr, &m);
	for (e = l->nw; e > 0; e = s) {	/* pieces [s, e), last first */
		for (s = e - 1; s > 0 && l->rtl; s--) {
			gap = runs[vis[s]].x0 - runs[vis[s - 1]].x1;
			if (gap > GAP_CUT_EM * u || gap < -SQUEEZE_EM * u)
				break;
		}
		if (!l->rtl)
			s = 0;
		*cuts += s > 0;
		for (k = s; k < e; k++) {
			j = vis[k];
			if (k > 0) {
				run_show(cr, sp, runs[vis[k - 1]].x1, runs[j].x0, base,
				    u, size);
				if (runs[j].marked)
					run_show(cr, mark, runs[j].x0, runs[j].x0, base,
					    u, size);
			}
			run_show(cr, &runs[j], sx0[k], sx1[k], base, u, size);
		}
	}
	free(sx0);
	free(vis);
	return u;
}

/*
 * rtl_tip: how many RIGHT-TO-LEFT MARKs the page needs for poppler to read
 * it right to left; 0 for a page without a right-to-left line.  poppler
 * gives a whole page one direction, left to right unless its
 * right-to-left characters outnumber its left-to-right letters.  Read
 * left to right, a right-to-left line is cut at every full stop, comma
 * and digit, and its pieces come out in visual order; read right to
 * left, a left-to-right line keeps its order whole.  So a page with
 * right-to-left lines is tipped right to left, with a margin for the
 * letters counted differently here and in poppler's tables.  Not a page
 * with only a few: read right to left, poppler also takes columns from
 * the right, which would scramble a French page in two columns with an
 * Arabic stamp; a fifth of the letters in Arabic makes a bilingual page.
 */
static size_t
rtl_tip(const struct wq_alto *pg)
{
	size_t    i, j, k, n, ltr = 0, rtl = 0, lines = 0, margin;
	unsigned *cp;

	for (i = 0; i < pg->nl; i++) {
		lines += pg->l[i].rtl && pg->l[i].nw > 0;
		for (j = 0; j < pg->l[i].nw; j++) {
			const char *t = pg->l[i].w[j].text;

			cp = wq_utf8_decode(t, strlen(t), &n);
			for (k = 0; k < n; k++) {
				if (is_rtl_letter(cp[k]))
					rtl++;
				else if (wq_is_letter(cp[k]))
					ltr++;
			}
			free(cp);
		}
	}
	margin = ltr / 10 + 8;
	if (lines == 0 || rtl * 4 < ltr || rtl >= ltr + margin)
		return 0;
	return ltr + margin - rtl;
}

/*
 * draw_tip: the marks of rtl_tip() just right of the line whose first
 * word (the rightmost) ends at x, where both readers take them for the
 * start of the line; TIP_GAP font sizes away, a word space, so that
 * poppler does not take them into the word and widen its box.  Marks
 * drawn many times over at one place poppler takes for one mark printed
 * twice and drops (within a tenth of the font size), so each glyph here
 * is the reserved spare glyph, standing for TIP_MARKS marks, and the
 * glyphs are TIP_STEP font sizes apart.  What would go past the page's
 * right edge (width pixels) both cairo and poppler drop, so on a page
 * cropped tight the marks move left, over the line's first word.  The
 * glyph's text is fixed for the whole document: cairo keeps the first
 * text it is given for a glyph.
 */
#define TIP_MARKS	32	/* poppler refused 64 in one ToUnicode entry */
#define TIP_STEP	0.15
#define TIP_GAP		0.3

static void
draw_tip(cairo_t *cr, size_t marks, double x, int width, double base,
    double size, double unit)
{
	char                  u[TIP_MARKS * 3];
	cairo_glyph_t         g;
	cairo_matrix_t        m;
	cairo_text_cluster_t  cl = { sizeof(u), 1 };
	size_t                i, n = (marks + TIP_MARKS - 1) / TIP_MARKS;
	double                span;

	if (font.tip == 0 || n == 0)
		return;
	cairo_matrix_init_scale(&m, unit, size);
	cairo_set_font_matrix(cr, &m);
	for (i = 0; i < TIP_MARKS; i++)
		put_utf8(0x200f, u + 3 * i);
	x += TIP_GAP * size;
	span = (double)(n - 1) * TIP_STEP * size +
	    advance(font.tip) / font.upem * unit;
	if (width > 0 && x + span > width)
		x = width - span;
	g.index = font.tip;
	g.y = base;
	for (i = 0; i < n; i++) {
		g.x = x + (double)i * TIP_STEP * size;
		cairo_show_text_glyphs(cr, u, (int)sizeof(u), &g, 1, &cl, 1, 0);
	}
}

/*
 * line_sizes: the baseline and the font size of each line of a page, in
 * pixels, from the top and bottom of its words' boxes (the font's ascent
 * and descent over them), with two corrections for lines above or below
 * each other (OVER of the narrower one's width in common; two pieces of
 * one row, or a note beside a line, are not):
 *
 *   - the lines of a paragraph (baselines less than PARA font sizes apart,
 *     sizes within SAME of each other) get the largest of their sizes,
 *     and a baseline that keeps their box over the line's: a line without
 *     descenders or ascenders has a lower box than the others, and
 *     poppler puts lines whose sizes differ by more than 5% in blocks of
 *     their own, which it may read across a page's columns;
 *   - a line whose baseline lies near that of another (lines the OCR found
 *     overlapping) gets a font size under NEAR times the distance: both
 *     readers take words whose baselines are nearer than half the font
 *     size for one line, and would interleave the two.
 */
#define OVER	0.5
#define PARA	2.5
#define SAME	1.5
#define NEAR	1.8

/* beside: do lines i and j lie above or below each other (see above) */
static int
beside(const double *x0, const double *x1, size_t i, size_t j)
{
	double over = (x1[i] < x1[j] ? x1[i] : x1[j]) - (x0[i] > x0[j] ? x0[i] : x0[j]);
	double narrow = x1[i] - x0[i] < x1[j] - x0[j] ? x1[i] - x0[i] : x1[j] - x0[j];

	return over >= OVER * narrow;
}

static void
line_sizes(const struct wq_alto *pg, double *base, double *size)
{
	size_t  n = pg->nl + 1, i, j;
	double *x0 = wq_xmalloc(4 * n * sizeof(*x0)), *x1 = x0 + n, *top = x1 + n;
	double *bottom = top + n, d, asc = font.ascent / font.upem;
	double  desc = -font.descent / font.upem;
	int     it, grew = 1;

	for (i = 0; i < pg->nl; i++) {
		const struct wq_line *l = &pg->l[i];

		x0[i] = top[i] = 1e30, x1[i] = bottom[i] = -1e30;
		for (j = 0; j < l->nw; j++) {
			if (l->w[j].x < x0[i]) x0[i] = l->w[j].x;
			if (l->w[j].x + l->w[j].w > x1[i]) x1[i] = l->w[j].x + l->w[j].w;
			if (l->w[j].y < top[i]) top[i] = l->w[j].y;
			if (l->w[j].y + l->w[j].h > bottom[i]) bottom[i] = l->w[j].y + l->w[j].h;
		}
		if (bottom[i] <= top[i])
			bottom[i] = top[i] + 1;
		size[i] = (bottom[i] - top[i]) * font.upem / (font.ascent - font.descent);
		base[i] = top[i] + size[i] * asc;
	}
	for (it = 0; it < 16 && grew; it++) {	/* a paragraph's one size */
		grew = 0;
		for (i = 0; i < pg->nl; i++)
			for (j = 0; j < pg->nl; j++) {
				if (j == i || pg->l[i].nw == 0 || pg->l[j].nw == 0 ||
				    size[j] <= size[i] || size[j] > SAME * size[i] ||
				    fabs(base[i] - base[j]) > PARA * size[j] ||
				    !beside(x0, x1, i, j))
					continue;
				size[i] = size[j];
				base[i] = (top[i] + bottom[i]) / 2 + size[i] * (asc - desc) / 2;
				grew = 1;
			}
	}
	for (i = 0; i < pg->nl; i++)
		for (j = 0; j < pg->nl; j++) {
			if (j == i || pg->l[i].nw == 0 || pg->l[j].nw == 0 ||
			    !beside(x0, x1, i, j))
				continue;
			d = fabs(base[i] - base[j]);
			if (d >= 1 && size[i] > NEAR * d)
				size[i] = NEAR * d;
		}
	free(x0);
}

/* is_blank: white space, or a format character (bidi marks, joiners) */
static int
is_blank(unsigned c)
{
	return c == ' ' || c == '\t' || c == 0xa0 || (c >= 0x200b && c <= 0x200f) ||
	    (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
	    c == 0x61c || c == 0xfeff;
}

/*
 * trim: the characters of a word that draw something, without the white
 * space and bidi marks Tesseract leaves at either end of some: a space
 * glyph ending a word's glyphs would end it, for pdf.js, before where its
 * box says.  Returns the first, and the count in *n (0: nothing to draw).
 */
static const unsigned *
trim(const unsigned *cp, size_t *n)
{
	while (*n > 0 && is_blank(cp[*n - 1]))
		(*n)--;
	while (*n > 0 && is_blank(cp[0]))
		cp++, (*n)--;
	return cp;
}

/*
 * draw_text: every line in reading order, its font size from the line
 * box, the width of each word's em from draw_line().  Returns the number
 * of places where pdf.js will cut a right-to-left line (draw_line).
 */
static size_t
draw_text(cairo_t *cr, const struct wq_alto *pg)
{
	static const unsigned space = ' ', rlm = 0x200f;
	struct run     *runs, sp, mark;
	size_t          i, j, n, tip = rtl_tip(pg), cuts = 0;
	unsigned       *cp;
	double         *base = wq_xmalloc(2 * (pg->nl + 1) * sizeof(*base));
	double         *size = base + pg->nl + 1;

	line_sizes(pg, base, size);
	cairo_set_font_face(cr, font.cf);
	cairo_set_source_rgb(cr, 0, 0, 0);
	run_make(&sp, &space, 1, 0);
	run_make(&mark, &rlm, 1, 0);
	for (i = 0; i < pg->nl; i++) {
		struct wq_line line = pg->l[i], *l = &line;
		double         u;

		/* the words that draw something: a word of bidi marks alone
		 * (Tesseract writes some) would only take a gap apart */
		l->w = wq_xmalloc((pg->l[i].nw + 1) * sizeof(*l->w));
		runs = wq_xmalloc((pg->l[i].nw + 1) * sizeof(*runs));
		for (l->nw = 0, j = 0; j < pg->l[i].nw; j++) {
			const struct wq_word *t = &pg->l[i].w[j];
			const unsigned       *c;

			cp = wq_utf8_decode(t->text, strlen(t->text), &n);
			c = trim(cp, &n);
			if (n > 0) {
				run_make(&runs[l->nw], c, n, l->rtl);
				l->w[l->nw++] = *t;
			}
			free(cp);
		}
		if (l->nw == 0) {
			free(runs);
			free(l->w);
			continue;
		}
		u = draw_line(cr, l, runs, base[i], size[i], &sp, &mark, &cuts);
		if (l->rtl && tip > 0) {
			draw_tip(cr, tip, runs[0].x1, pg->width, base[i], size[i], u);
			tip = 0;
		}
		for (j = 0; j < l->nw; j++)
			run_free(&runs[j]);
		free(runs);
		free(l->w);
	}
	run_free(&sp);
	run_free(&mark);
	free(base);
	return cuts;
}

/* ---- page images ---- */

struct image {
	L_COMP_DATA *cid;
	const char  *mime;
	char        *params;	/* CCITT parameters for cairo, or NULL */
};

/* load_image: the page's compressed image as it goes into the PDF. */
static int
load_image(const struct wq_args *a, const struct wq_page *p, int bitonal,
    long quality, struct image *im, char *err, size_t errlen)
{
	char *path = wq_sidecar(a->work, "clean", p->doc, p->page,
	    bitonal ? "tif" : "gray.tif");
	PIX  *pix = NULL;

	memset(im, 0, sizeof(*im));
	if (bitonal)	/* G4 as the clean stage wrote it */
		im->cid = l_generateG4Data(path, 0);
	else if ((pix = wq_pix_read(path, err, errlen)) != NULL)
		pixGenerateCIData(pix, L_JPEG_ENCODE, (l_int32)quality, 0, &im->cid);
	pixDestroy(&pix);
	if (im->cid == NULL) {
		snprintf(err, errlen, "cannot read or encode the page image %s",
		    path);
		free(path);
		return -1;
	}
	free(path);
	im->mime = bitonal ? CAIRO_MIME_TYPE_CCITT_FAX : CAIRO_MIME_TYPE_JPEG;
	if (bitonal)
		im->params = wq_xasprintf("Columns=%d Rows=%d K=-1 BlackIs1=%s",
		    im->cid->w, im->cid->h, im->cid->minisblack ? "true" : "false");
	return 0;
}

static void
free_image(struct image *im)
{
	l_CIDataDestroy(&im->cid);
	free(im->params);
}

/*
 * paint_image: the image over the whole page.  The surface's pixels are
 * never used (cairo embeds the MIME data), but cairo needs a surface of
 * the image's size; RGB16 is the smallest opaque format.
 */
static int
paint_image(cairo_t *cr, const struct image *im)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB16_565,
	    im->cid->w, im->cid->h);
	int r = 0;

	if (cairo_surface_set_mime_data(s, im->mime, im->cid->datacomp,
	    im->cid->nbytescomp, NULL, NULL) != CAIRO_STATUS_SUCCESS ||
	    (im->params != NULL && cairo_surface_set_mime_data(s,
	    CAIRO_MIME_TYPE_CCITT_FAX_PARAMS, (unsigned char *)im->params,
	    strlen(im->params), NULL, NULL) != CAIRO_STATUS_SUCCESS))
		r = -1;
	cairo_set_source_surface(cr, s, 0, 0);
	/* no /Interpolate true, which PDF/A forbids */
	cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_FAST);
	cairo_paint(cr);
	cairo_surface_destroy(s);
	return r;
}

/* ---- the document ---- */

/*
 * source_date: the newest modification time of the document's scans, as
 * cairo wants a date.  The PDF's creation date is the scan's, not the
 * run's, so that a run resumed after a kill writes the same bytes.
 */
static void
source_date(const struct wq_page **v, size_t n, char *buf, size_t len)
{
	struct stat st;
	struct tm   tm;
	time_t      t = 0;
	size_t      i;

	for (i = 0; i < n; i++)
		if (stat(v[i]->source, &st) == 0 && st.st_mtime > t)
			t = st.st_mtime;
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int
make_pdf(const struct wq_args *a, const char *doc, const struct wq_page **v,
    size_t n, json_t *meta, char *err, size_t errlen)
{
	char            *out = wq_doc_sidecar(a->work, "pdf", doc, "pdf");
	char            *tmp = wq_tmpname(out), *drawn = wq_tmpname(tmp), date[32];
	struct pdfa_info info = { doc, "warraq-pdf " WQ_VERSION, date };
	const char      *mode = wq_set_text(&a->profile, "pdf_image");
	json_t          *pages = json_object_get(meta, "pages");
	cairo_surface_t *surf = NULL;
	cairo_t         *cr = NULL;
	struct wq_alto    *pg = wq_xmalloc(n * sizeof(*pg));
	long             quality;
	size_t           i, npg = 0, imgbytes = 0;
	int              bitonal = strcmp(mode, "bitonal") == 0, r = -1;
	struct stat      st;

	quality = wq_set_long(&a->profile, "pdf_jpeg_quality");
	if (a->input == NULL || strcmp(a->input, "ocr") != 0 ||
	    !wq_stage_enabled(&a->profile, "clean")) {
		snprintf(err, errlen, "the pdf stage needs the clean and ocr stages");
		goto done;
	}
	for (npg = 0; npg < n; npg++) {	/* all the text first: claim_latin */
		char *alto = wq_sidecar(a->work, "ocr", v[npg]->doc, v[npg]->page,
		    "alto.xml");
		int   rr = wq_alto_read(alto, &pg[npg], err, errlen);

		free(alto);
		if (rr == -1)
			goto done;
	}
	if (wq_mkparent(out) == -1)
		goto done;
	surf = cairo_pdf_surface_create(drawn, 595, 842);
	cr = cairo_create(surf);
	source_date(v, n, date, sizeof(date));
	for (i = 0; i < n; i++) {
		struct image im;
		double       dpi;
		size_t       cuts;
		int          rr;

		if (load_image(a, v[i], bitonal, quality, &im, err, errlen) == -1)
			goto done;
		dpi = im.cid->res > 0 ? im.cid->res : 300;
		cairo_pdf_surface_set_size(surf, im.cid->w * 72.0 / dpi,
		    im.cid->h * 72.0 / dpi);
		cairo_save(cr);
		if (i == 0)	/* after the page size, which drops what was drawn */
			claim_latin(cr, pg, n);
		cairo_scale(cr, 72.0 / dpi, 72.0 / dpi);
		cuts = draw_text(cr, &pg[i]);	/* first: the image hides it */
		rr = paint_image(cr, &im);
		cairo_restore(cr);
		cairo_show_page(cr);
		imgbytes += im.cid->nbytescomp;
		json_object_update_new(json_array_get(pages, i), json_pack(
		    "{s:i, s:i, s:f, s:I, s:I, s:I}", "width", im.cid->w, "height",
		    im.cid->h, "dpi", dpi, "image_bytes", (json_int_t)im.cid->nbytescomp,
		    "words", (json_int_t)pg[i].nwords, "text_cuts", (json_int_t)cuts));
		free_image(&im);
		if (rr == -1 || cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
			snprintf(err, errlen, "cairo: %s", cairo_status_to_string(
			    cairo_status(cr)));
			goto done;
		}
	}
	cairo_destroy(cr);
	cr = NULL;
	cairo_surface_finish(surf);
	if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
		snprintf(err, errlen, "cannot write %s: %s", drawn,
		    cairo_status_to_string(cairo_surface_status(surf)));
		goto done;
	}
	if (pdfa_finish(drawn, tmp, &info, err, errlen) == -1)
		goto done;
	if (wq_commit(tmp, out) == -1 || stat(out, &st) == -1) {
		snprintf(err, errlen, "cannot write %s: %s", out, strerror(errno));
		goto done;
	}
	json_object_set_new(meta, "file", json_sprintf("%s.pdf", doc));
	json_object_set_new(meta, "image", json_string(bitonal ?
	    "bitonal (CCITT G4)" : "gray (JPEG)"));
	if (!bitonal)
		json_object_set_new(meta, "jpeg_quality", json_integer(quality));
	json_object_set_new(meta, "image_bytes", json_integer((json_int_t)imgbytes));
	json_object_set_new(meta, "pdf_bytes", json_integer((json_int_t)st.st_size));
	json_object_set_new(meta, "font", json_string(FONT_PATH));
	json_object_set_new(meta, "library", json_sprintf("cairo %s, qpdf %s",
	    cairo_version_string(), qpdf_get_qpdf_version()));
	json_object_set_new(meta, "declares", json_string("PDF/A-2b"));
	json_object_set_new(meta, "creation_date", json_string(date));
	r = 0;
done:
	for (i = 0; i < npg; i++)
		wq_alto_free(&pg[i]);
	free(pg);
	if (cr != NULL)
		cairo_destroy(cr);
	if (surf != NULL)
		cairo_surface_destroy(surf);
	if (r != 0)
		unlink(tmp);
	unlink(drawn);
	free(drawn);
	free(tmp);
	free(out);
	return r;
}

int
main(int argc, char **argv)
{
	int r;

	setMsgSeverity(L_SEVERITY_NONE);
	r = wq_doc_main("pdf", argc, argv, font_init, make_pdf);
	font_free();
	xmlCleanupParser();
	return r;
}
