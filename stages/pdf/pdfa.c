/*
 * pdfa.c - the PDF cairo wrote, finished through libqpdf: its text made
 * invisible, and the file made PDF/A-2b.
 *
 *   pdfa_finish()   reads a PDF, adds what cairo 1.16 cannot write,
 *                   writes it again
 *
 * cairo has no invisible text rendering mode, so warraq-pdf draws the
 * text layer under the opaque page image.  Each page's content here gets
 * a first stream that sets rendering mode 3 (neither fill nor stroke),
 * which holds for all its text (cairo never sets a mode): the text stays
 * invisible where the image is not drawn, as in a reader that hides
 * images or a tool that lifts them out.
 *
 * cairo 1.16 writes embedded font subsets, but no XMP metadata, no output
 * intent, an Info dictionary whose dates lack the "D:" prefix and Type 2
 * CID fonts without a CIDToGIDMap.  qpdf (a well-kept PDF library, in
 * Debian) reads the file cairo wrote and adds them:
 *
 *   - an output intent with an sRGB ICC profile made by Little CMS (the
 *     page images are DeviceGray and the page groups DeviceRGB, which
 *     PDF/A allows only under an output intent);
 *   - XMP metadata (pdfaid part 2, conformance B; title, creator tool,
 *     producer and creation date) in an unfiltered stream, and the same
 *     values in the Info dictionary, as PDF/A wants them to agree;
 *   - /CIDToGIDMap /Identity in every Type 2 CID font (cairo's subsets
 *     number their glyphs by CID, which is what Identity means and what
 *     readers assume when the key is missing, but PDF/A wants it said);
 *   - a file identifier (qpdf's deterministic one, so that the same input
 *     gives the same bytes) and an end of line before every endstream.
 *
 * The stream data cairo compressed is copied as it is, not re-encoded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <lcms2.h>
#include <libxml/xmlwriter.h>
#include <qpdf/qpdf-c.h>
#include <zlib.h>

#include "wq.h"
#include "pdfa.h"

#define SRGB	"sRGB IEC61966-2.1"

/* qpdf_fail: the error (or first warning) qpdf holds, into err. */
static void
qpdf_fail(qpdf_data q, const char *what, char *err, size_t errlen)
{
	qpdf_error e = qpdf_has_error(q) ? qpdf_get_error(q) :
	    qpdf_more_warnings(q) ? qpdf_next_warning(q) : NULL;

	snprintf(err, errlen, "qpdf: %s: %s", what,
	    e != NULL ? qpdf_get_error_full_text(q, e) : "failed");
}

/*
 * date_fields: an ISO 8601 UTC date (YYYY-MM-DDTHH:MM:SSZ) as year,
 * month, day, hour, minute and second; what is missing is 0.
 */
static void
date_fields(const char *iso, int t[6])
{
	memset(t, 0, 6 * sizeof(*t));
	sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d", &t[0], &t[1], &t[2], &t[3],
	    &t[4], &t[5]);
}

/*
 * srgb_profile: an sRGB ICC profile (version 2, which every PDF/A reader
 * takes), made by Little CMS, dated t (date_fields()) rather than now, so
 * that the same document gives the same bytes; *len its size.  The
 * caller frees it.
 */
static unsigned char *
srgb_profile(const int t[6], cmsUInt32Number *len)
{
	cmsHPROFILE    h = cmsCreate_sRGBProfile();
	unsigned char *buf = NULL;
	int            i;

	*len = 0;
	if (h == NULL)
		return NULL;
	cmsSetProfileVersion(h, 2.1);
	if (cmsSaveProfileToMem(h, NULL, len) && *len >= 128) {
		buf = wq_xmalloc(*len);
		if (!cmsSaveProfileToMem(h, buf, len)) {
			free(buf);
			buf = NULL;
		}
	}
	cmsCloseProfile(h);
	/* the header's creation date: six big-endian 16-bit numbers at 24
	 * (a version 2 profile has no checksum over the header to redo) */
	for (i = 0; i < 6 && buf != NULL; i++) {
		buf[24 + 2 * i] = (unsigned char)(t[i] >> 8);
		buf[25 + 2 * i] = (unsigned char)t[i];
	}
	return buf;
}

/*
 * xmp_packet: the XMP metadata of the document, written by libxml2 (which
 * escapes the title, a document id from outside).  Returns a buffer the
 * caller frees with xmlBufferFree, or NULL.
 */
static xmlBufferPtr
xmp_packet(const struct pdfa_info *m, const char *producer)
{
	static const char *ns[][2] = {
		{ "xmlns:pdfaid", "http://www.aiim.org/pdfa/ns/id/" },
		{ "xmlns:dc", "http://purl.org/dc/elements/1.1/" },
		{ "xmlns:xmp", "http://ns.adobe.com/xap/1.0/" },
		{ "xmlns:pdf", "http://ns.adobe.com/pdf/1.3/" },
	};
	xmlBufferPtr     b = xmlBufferCreate();
	xmlTextWriterPtr w = b != NULL ? xmlNewTextWriterMemory(b, 0) : NULL;
	size_t           i;
	int              r = 0;

	if (w == NULL) {
		xmlBufferFree(b);
		return NULL;
	}
	/* the packet wrapper lets a reader find the metadata in the file */
	r |= xmlTextWriterWritePI(w, BAD_CAST "xpacket",
	    BAD_CAST "begin=\"\xef\xbb\xbf\" id=\"W5M0MpCehiHzreSzNTczkc9d\"") < 0;
	r |= xmlTextWriterStartElement(w, BAD_CAST "x:xmpmeta") < 0;
	r |= xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns:x",
	    BAD_CAST "adobe:ns:meta/") < 0;
	r |= xmlTextWriterStartElement(w, BAD_CAST "rdf:RDF") < 0;
	r |= xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns:rdf",
	    BAD_CAST "http://www.w3.org/1999/02/22-rdf-syntax-ns#") < 0;
	r |= xmlTextWriterStartElement(w, BAD_CAST "rdf:Description") < 0;
	r |= xmlTextWriterWriteAttribute(w, BAD_CAST "rdf:about", BAD_CAST "") < 0;
	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		r |= xmlTextWriterWriteAttribute(w, BAD_CAST ns[i][0],
		    BAD_CAST ns[i][1]) < 0;
	r |= xmlTextWriterWriteElement(w, BAD_CAST "pdfaid:part", BAD_CAST "2") < 0;
	r |= xmlTextWriterWriteElement(w, BAD_CAST "pdfaid:conformance",
	    BAD_CAST "B") < 0;
	r |= xmlTextWriterStartElement(w, BAD_CAST "dc:title") < 0;
	r |= xmlTextWriterStartElement(w, BAD_CAST "rdf:Alt") < 0;
	r |= xmlTextWriterStartElement(w, BAD_CAST "rdf:li") < 0;
	r |= xmlTextWriterWriteAttribute(w, BAD_CAST "xml:lang",
	    BAD_CAST "x-default") < 0;
	r |= xmlTextWriterWriteString(w, BAD_CAST m->title) < 0;
	r |= xmlTextWriterEndElement(w) < 0;
	r |= xmlTextWriterEndElement(w) < 0;
	r |= xmlTextWriterEndElement(w) < 0;
	r |= xmlTextWriterWriteElement(w, BAD_CAST "dc:format",
	    BAD_CAST "application/pdf") < 0;
	r |= xmlTextWriterWriteElement(w, BAD_CAST "xmp:CreateDate",
	    BAD_CAST m->date) < 0;
	r |= xmlTextWriterWriteElement(w, BAD_CAST "xmp:CreatorTool",
	    BAD_CAST m->creator) < 0;
	r |= xmlTextWriterWriteElement(w, BAD_CAST "pdf:Producer",
	    BAD_CAST producer) < 0;
	r |= xmlTextWriterEndElement(w) < 0;	/* rdf:Description */
	r |= xmlTextWriterEndElement(w) < 0;	/* rdf:RDF */
	r |= xmlTextWriterEndElement(w) < 0;	/* x:xmpmeta */
	r |= xmlTextWriterWritePI(w, BAD_CAST "xpacket", BAD_CAST "end=\"w\"") < 0;
	r |= xmlTextWriterEndDocument(w) < 0;
	xmlFreeTextWriter(w);
	if (r) {
		xmlBufferFree(b);
		return NULL;
	}
	return b;
}

/*
 * new_stream: a new stream of the len bytes at data, compressed with zlib
 * when flate is set (qpdf writes new streams as they are given), else
 * unfiltered, as PDF/A wants metadata.  Returns 0 when zlib fails.
 */
static qpdf_oh
new_stream(qpdf_data q, const unsigned char *data, size_t len, int flate)
{
	qpdf_oh        s = qpdf_oh_new_stream(q);
	uLongf         zlen;
	unsigned char *z;

	if (!flate) {
		qpdf_oh_replace_stream_data(q, s, data, len, qpdf_oh_new_null(q),
		    qpdf_oh_new_null(q));
		return s;
	}
	zlen = compressBound(len);
	z = wq_xmalloc(zlen);
	if (compress2(z, &zlen, data, len, Z_BEST_COMPRESSION) != Z_OK) {
		free(z);
		return 0;
	}
	qpdf_oh_replace_stream_data(q, s, z, zlen, qpdf_oh_new_name(q,
	    "/FlateDecode"), qpdf_oh_new_null(q));
	free(z);
	return s;
}

/* output_intent: the catalog's /OutputIntents, sRGB, its profile dated t. */
static int
output_intent(qpdf_data q, qpdf_oh root, const int t[6])
{
	cmsUInt32Number len;
	unsigned char  *icc = srgb_profile(t, &len);
	qpdf_oh         s, oi, arr;

	if (icc == NULL)
		return -1;
	s = new_stream(q, icc, len, 1);
	free(icc);
	if (s == 0)
		return -1;
	qpdf_oh_replace_key(q, qpdf_oh_get_dict(q, s), "/N",
	    qpdf_oh_new_integer(q, 3));
	oi = qpdf_oh_new_dictionary(q);
	qpdf_oh_replace_key(q, oi, "/Type", qpdf_oh_new_name(q, "/OutputIntent"));
	qpdf_oh_replace_key(q, oi, "/S", qpdf_oh_new_name(q, "/GTS_PDFA1"));
	qpdf_oh_replace_key(q, oi, "/OutputConditionIdentifier",
	    qpdf_oh_new_string(q, SRGB));
	qpdf_oh_replace_key(q, oi, "/Info", qpdf_oh_new_string(q, SRGB));
	qpdf_oh_replace_key(q, oi, "/RegistryName",
	    qpdf_oh_new_string(q, "http://www.color.org"));
	qpdf_oh_replace_key(q, oi, "/DestOutputProfile", s);
	arr = qpdf_oh_new_array(q);
	qpdf_oh_append_item(q, arr, oi);
	qpdf_oh_replace_key(q, root, "/OutputIntents", arr);
	return 0;
}

/* cid_map: /CIDToGIDMap /Identity in the Type 2 CID fonts of font f. */
static void
cid_map(qpdf_data q, qpdf_oh f)
{
	qpdf_oh desc = qpdf_oh_get_key(q, f, "/DescendantFonts"), d;
	int     i;

	for (i = 0; i < qpdf_oh_get_array_n_items(q, desc); i++) {
		d = qpdf_oh_get_array_item(q, desc, i);
		if (qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, d, "/Subtype"),
		    "/CIDFontType2") && !qpdf_oh_has_key(q, d, "/CIDToGIDMap"))
			qpdf_oh_replace_key(q, d, "/CIDToGIDMap",
			    qpdf_oh_new_name(q, "/Identity"));
	}
}

/*
 * cid_maps: cid_map() for every font of every page.  The font names are
 * taken first: qpdf has one key iterator, which the calls on each font
 * would disturb.
 */
static void
cid_maps(qpdf_data q)
{
	int     p, n = qpdf_get_num_pages(q);
	size_t  k, nk;
	char  **keys;
	qpdf_oh fonts;

	for (p = 0; p < n; p++) {
		fonts = qpdf_oh_get_key(q, qpdf_oh_get_key(q, qpdf_get_page_n(q,
		    (size_t)p), "/Resources"), "/Font");
		if (!qpdf_oh_is_dictionary(q, fonts))
			continue;
		keys = NULL, nk = 0;
		qpdf_oh_begin_dict_key_iter(q, fonts);
		while (qpdf_oh_dict_more_keys(q)) {
			keys = wq_xrealloc(keys, (nk + 1) * sizeof(*keys));
			keys[nk++] = wq_xstrdup(qpdf_oh_dict_next_key(q));
		}
		for (k = 0; k < nk; k++) {
			cid_map(q, qpdf_oh_get_key(q, fonts, keys[k]));
			free(keys[k]);
		}
		free(keys);
	}
}

/* invisible_text: "3 Tr" before the content of every page. */
static void
invisible_text(qpdf_data q)
{
	static const unsigned char mode3[] = "3 Tr\n";
	qpdf_oh first = new_stream(q, mode3, sizeof(mode3) - 1, 0), page, c, arr;
	int     p, n = qpdf_get_num_pages(q), i;

	for (p = 0; p < n; p++) {
		page = qpdf_get_page_n(q, (size_t)p);
		c = qpdf_oh_get_key(q, page, "/Contents");
		arr = qpdf_oh_new_array(q);
		qpdf_oh_append_item(q, arr, first);
		if (qpdf_oh_is_array(q, c))
			for (i = 0; i < qpdf_oh_get_array_n_items(q, c); i++)
				qpdf_oh_append_item(q, arr, qpdf_oh_get_array_item(q, c, i));
		else
			qpdf_oh_append_item(q, arr, c);
		qpdf_oh_replace_key(q, page, "/Contents", arr);
	}
}

int
pdfa_finish(const char *in, const char *out, const struct pdfa_info *m,
    char *err, size_t errlen)
{
	qpdf_data    q = qpdf_init();
	qpdf_oh      root, trailer, info, xs;
	xmlBufferPtr xmp = NULL;
	char        *producer, date[40];
	int          r = -1, t[6];

	qpdf_silence_errors(q);
	qpdf_set_suppress_warnings(q, QPDF_TRUE);
	producer = wq_xasprintf("warraq-pdf %s (cairo %s, qpdf %s)", WQ_VERSION,
	    cairo_version_string(), qpdf_get_qpdf_version());
	if (qpdf_read(q, in, NULL) & QPDF_ERRORS) {
		qpdf_fail(q, in, err, errlen);
		goto done;
	}
	root = qpdf_get_root(q);
	trailer = qpdf_get_trailer(q);
	info = qpdf_oh_get_key(q, trailer, "/Info");
	if (!qpdf_oh_is_dictionary(q, info)) {
		info = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q));
		qpdf_oh_replace_key(q, trailer, "/Info", info);
	}
	date_fields(m->date, t);
	snprintf(date, sizeof(date), "D:%04d%02d%02d%02d%02d%02d+00'00'", t[0],
	    t[1], t[2], t[3], t[4], t[5]);
	qpdf_oh_replace_key(q, info, "/Title", qpdf_oh_new_unicode_string(q,
	    m->title));
	qpdf_oh_replace_key(q, info, "/Creator", qpdf_oh_new_unicode_string(q,
	    m->creator));
	qpdf_oh_replace_key(q, info, "/Producer", qpdf_oh_new_unicode_string(q,
	    producer));
	qpdf_oh_replace_key(q, info, "/CreationDate", qpdf_oh_new_string(q, date));
	if ((xmp = xmp_packet(m, producer)) == NULL) {
		snprintf(err, errlen, "cannot make the XMP metadata");
		goto done;
	}
	xs = new_stream(q, xmlBufferContent(xmp), (size_t)xmlBufferLength(xmp), 0);
	qpdf_oh_replace_key(q, qpdf_oh_get_dict(q, xs), "/Type",
	    qpdf_oh_new_name(q, "/Metadata"));
	qpdf_oh_replace_key(q, qpdf_oh_get_dict(q, xs), "/Subtype",
	    qpdf_oh_new_name(q, "/XML"));
	qpdf_oh_replace_key(q, root, "/Metadata", xs);
	if (output_intent(q, root, t) == -1) {
		snprintf(err, errlen, "cannot make the sRGB profile (Little CMS, zlib)");
		goto done;
	}
	cid_maps(q);
	invisible_text(q);
	if (qpdf_has_error(q)) {
		qpdf_fail(q, in, err, errlen);
		goto done;
	}
	if (qpdf_init_write(q, out) & QPDF_ERRORS) {
		qpdf_fail(q, out, err, errlen);
		goto done;
	}
	qpdf_set_stream_data_mode(q, qpdf_s_preserve);
	qpdf_set_object_stream_mode(q, qpdf_o_preserve);
	qpdf_set_deterministic_ID(q, QPDF_TRUE);
	qpdf_set_newline_before_endstream(q, QPDF_TRUE);
	if (qpdf_write(q) & QPDF_ERRORS) {
		qpdf_fail(q, out, err, errlen);
		goto done;
	}
	r = 0;
done:
	if (xmp != NULL)
		xmlBufferFree(xmp);
	free(producer);
	qpdf_cleanup(&q);
	return r;
}
