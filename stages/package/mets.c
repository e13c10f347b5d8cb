/*
 * mets.c - data/mets.xml of a bag: METS 1.12 with MODS 3.8 and PREMIS 3.
 *
 *   mets_write()   the whole document into a buffer
 *
 * Written with libxml2's xmlTextWriter, which escapes every name and
 * value (original file names and settings are untrusted text).  Layout:
 * a MODS record (title: the document's original name, identifier: its
 * id, languages found by OCR); one PREMIS container with an object per
 * payload file (its SHA-512, and for a master the SHA-256 ingest recorded
 * and its original name), an event per stage with the tool, its version
 * and settings, and an agent per program; a file group per use; and a
 * physical structure map, one div per page pointing into its master (the
 * image of a multi-page file, the part of a cut spread) and at its
 * derived files.  No creation time is written, so that packaging the
 * same work twice gives the same file; dates are the stages' own.
 */
#include <string.h>

#include "package.h"

#define NS_METS	 "http://www.loc.gov/METS/"
#define NS_MODS	 "http://www.loc.gov/mods/v3"
#define NS_PREM	 "http://www.loc.gov/premis/v3"
#define NS_XLINK "http://www.w3.org/1999/xlink"
#define NS_XSI	 "http://www.w3.org/2001/XMLSchema-instance"

#define X(s)	((const xmlChar *)(s))

static int rc;			/* any writer call failed */

static void
start(xmlTextWriterPtr w, const char *name)
{
	rc |= xmlTextWriterStartElement(w, X(name)) < 0;
}

static void
end(xmlTextWriterPtr w)
{
	rc |= xmlTextWriterEndElement(w) < 0;
}

static void
attr(xmlTextWriterPtr w, const char *name, const char *val)
{
	rc |= xmlTextWriterWriteAttribute(w, X(name), X(val)) < 0;
}

static void
elem(xmlTextWriterPtr w, const char *name, const char *text)
{
	rc |= xmlTextWriterWriteElement(w, X(name), X(text)) < 0;
}

/* ident: PREMIS's TYPE/VALUE pair under a wrapper, local ids. */
static void
ident(xmlTextWriterPtr w, const char *wrap, const char *kind,
    const char *value)
{
	char *t = wq_xasprintf("premis:%sType", kind);
	char *v = wq_xasprintf("premis:%sValue", kind);

	start(w, wrap);
	elem(w, t, "local");
	elem(w, v, value);
	end(w);
	free(t);
	free(v);
}

static void
mods(xmlTextWriterPtr w, const struct pkg *k)
{
	char   extent[32];
	size_t i;

	start(w, "mets:dmdSec");
	attr(w, "ID", "dmd-1");
	start(w, "mets:mdWrap");
	attr(w, "MDTYPE", "MODS");
	start(w, "mets:xmlData");
	start(w, "mods:mods");
	attr(w, "version", "3.8");
	start(w, "mods:titleInfo");
	elem(w, "mods:title", k->title);
	end(w);
	elem(w, "mods:typeOfResource", "text");
	for (i = 0; i < k->nlang; i++) {
		start(w, "mods:language");
		start(w, "mods:languageTerm");
		attr(w, "type", "code");
		attr(w, "authority", "iso639-2b");
		rc |= xmlTextWriterWriteString(w, X(k->lang[i])) < 0;
		end(w);
		end(w);
	}
	start(w, "mods:physicalDescription");
	elem(w, "mods:digitalOrigin", "reformatted digital");
	snprintf(extent, sizeof(extent), "%zu page%s", k->npg, k->npg == 1 ? "" : "s");
	elem(w, "mods:extent", extent);
	end(w);
	start(w, "mods:identifier");
	attr(w, "type", "local");
	rc |= xmlTextWriterWriteString(w, X(k->doc)) < 0;
	end(w);
	end(w);
	end(w);
	end(w);
	end(w);
}

static void
fixity(xmlTextWriterPtr w, const char *alg, const char *hex, const char *who)
{
	start(w, "premis:fixity");
	elem(w, "premis:messageDigestAlgorithm", alg);
	elem(w, "premis:messageDigest", hex);
	elem(w, "premis:messageDigestOriginator", who);
	end(w);
}

static void
premis_object(xmlTextWriterPtr w, const struct pfile *f)
{
	char size[32];

	start(w, "premis:object");
	rc |= xmlTextWriterWriteAttributeNS(w, X("xsi"), X("type"), NULL,
	    X("premis:file")) < 0;
	ident(w, "premis:objectIdentifier", "objectIdentifier", f->path);
	start(w, "premis:objectCharacteristics");
	elem(w, "premis:compositionLevel", "0");
	fixity(w, "SHA-512", f->sha512, "warraq-package");
	/* a master's SHA-256 is the one recorded at ingest: checked equal */
	fixity(w, "SHA-256", f->sha256, f->orig ? "warraq-ingest" :
	    "warraq-package");
	snprintf(size, sizeof(size), "%lld", f->size);
	elem(w, "premis:size", size);
	start(w, "premis:format");
	start(w, "premis:formatDesignation");
	elem(w, "premis:formatName", f->mime);
	end(w);
	end(w);
	end(w);
	if (f->orig != NULL)
		elem(w, "premis:originalName", f->orig);
	end(w);
}

static void
premis_event(xmlTextWriterPtr w, const struct pevent *e)
{
	char *id = wq_xasprintf("event-%s", e->stage);
	char *agent = wq_xasprintf("agent-%s", e->stage);

	start(w, "premis:event");
	ident(w, "premis:eventIdentifier", "eventIdentifier", id);
	elem(w, "premis:eventType", e->type);
	elem(w, "premis:eventDateTime", e->date);
	start(w, "premis:eventDetailInformation");
	elem(w, "premis:eventDetail", e->detail);
	end(w);
	start(w, "premis:eventOutcomeInformation");
	elem(w, "premis:eventOutcome", e->outcome);
	end(w);
	start(w, "premis:linkingAgentIdentifier");
	elem(w, "premis:linkingAgentIdentifierType", "local");
	elem(w, "premis:linkingAgentIdentifierValue", agent);
	elem(w, "premis:linkingAgentRole", "executing program");
	end(w);
	end(w);
	free(id);
	free(agent);
}

static void
premis_agent(xmlTextWriterPtr w, const struct pevent *e)
{
	char *id = wq_xasprintf("agent-%s", e->stage);

	start(w, "premis:agent");
	ident(w, "premis:agentIdentifier", "agentIdentifier", id);
	elem(w, "premis:agentName", e->tool);
	elem(w, "premis:agentType", "software");
	elem(w, "premis:agentVersion", e->version);
	if (e->note != NULL && e->note[0] != '\0')
		elem(w, "premis:agentNote", e->note);
	end(w);
	free(id);
}

static void
premis(xmlTextWriterPtr w, const struct pkg *k)
{
	size_t i;

	start(w, "mets:amdSec");
	attr(w, "ID", "amd-1");
	start(w, "mets:digiprovMD");
	attr(w, "ID", "premis-1");
	start(w, "mets:mdWrap");
	attr(w, "MDTYPE", "PREMIS");
	start(w, "mets:xmlData");
	start(w, "premis:premis");
	attr(w, "version", "3.0");
	for (i = 0; i < k->nf; i++)
		premis_object(w, &k->f[i]);
	for (i = 0; i < k->nev; i++)
		premis_event(w, &k->ev[i]);
	for (i = 0; i < k->nev; i++)
		premis_agent(w, &k->ev[i]);
	end(w);
	end(w);
	end(w);
	end(w);
	end(w);
}

/* file_id: an XML ID from a payload path ("master/0001.tif" -> f-master-0001-tif). */
static char *
file_id(const char *path)
{
	char *id = wq_xasprintf("f-%s", path), *s;

	for (s = id; *s; s++)
		if (*s == '/' || *s == '.')
			*s = '-';
	return id;
}

/* the file groups, in order; not the IIIF tiles (use TILE): hundreds of
 * files a volume, listed in the bag's manifests only */
static const char *const uses[] = { "MASTER", "ACCESS", "ALTO", "HOCR",
    "TEXT", "REPORT", "IIIF" };

/* in_file_sec: 1 when files of this use are in the file section */
static int
in_file_sec(const char *use)
{
	size_t u;

	for (u = 0; u < sizeof(uses) / sizeof(uses[0]); u++)
		if (strcmp(use, uses[u]) == 0)
			return 1;
	return 0;
}

static void
file_sec(xmlTextWriterPtr w, const struct pkg *k)
{
	size_t u, i;

	start(w, "mets:fileSec");
	for (u = 0; u < sizeof(uses) / sizeof(uses[0]); u++) {
		int open = 0;

		for (i = 0; i < k->nf; i++) {
			const struct pfile *f = &k->f[i];
			char               *id, size[32];

			if (strcmp(f->use, uses[u]) != 0)
				continue;
			if (!open++) {
				start(w, "mets:fileGrp");
				attr(w, "USE", uses[u]);
			}
			id = file_id(f->path);
			snprintf(size, sizeof(size), "%lld", f->size);
			start(w, "mets:file");
			attr(w, "ID", id);
			attr(w, "MIMETYPE", f->mime);
			attr(w, "SIZE", size);
			attr(w, "CHECKSUM", f->sha512);
			attr(w, "CHECKSUMTYPE", "SHA-512");
			attr(w, "ADMID", "premis-1");
			start(w, "mets:FLocat");
			attr(w, "LOCTYPE", "URL");
			rc |= xmlTextWriterWriteAttributeNS(w, X("xlink"), X("href"),
			    NULL, X(f->path)) < 0;
			end(w);
			end(w);
			free(id);
		}
		if (open)
			end(w);
	}
	end(w);
}

/* fptr_area: a page's pointer into its master: which image, which part. */
static void
fptr_area(xmlTextWriterPtr w, const struct pkg *k, const struct ppage *pg)
{
	char *id = file_id(k->f[pg->master].path), buf[64];

	start(w, "mets:fptr");
	if (pg->nimages > 1 || pg->cropped) {
		start(w, "mets:area");
		attr(w, "FILEID", id);
		if (pg->nimages > 1) {	/* the Nth image of the file */
			snprintf(buf, sizeof(buf), "%d", pg->image);
			attr(w, "BEGIN", buf);
			attr(w, "END", buf);
		}
		if (pg->cropped) {
			snprintf(buf, sizeof(buf), "%d,%d,%d,%d", pg->crop[0],
			    pg->crop[1], pg->crop[2], pg->crop[3]);
			attr(w, "SHAPE", "RECT");
			attr(w, "COORDS", buf);
		}
		end(w);
	} else
		attr(w, "FILEID", id);
	end(w);
	free(id);
}

static void
struct_map(xmlTextWriterPtr w, const struct pkg *k)
{
	size_t i, j;

	start(w, "mets:structMap");
	attr(w, "TYPE", "PHYSICAL");
	start(w, "mets:div");
	attr(w, "TYPE", "document");
	attr(w, "LABEL", k->title);
	attr(w, "DMDID", "dmd-1");
	for (j = 0; j < k->nf; j++)	/* the document's own files */
		if (k->f[j].page == NULL && in_file_sec(k->f[j].use)) {
			char *id = file_id(k->f[j].path);

			start(w, "mets:fptr");
			attr(w, "FILEID", id);
			end(w);
			free(id);
		}
	for (i = 0; i < k->npg; i++) {
		char order[32];

		snprintf(order, sizeof(order), "%zu", i + 1);
		start(w, "mets:div");
		attr(w, "TYPE", "page");
		attr(w, "ORDER", order);
		attr(w, "ORDERLABEL", k->pg[i].p->page);
		fptr_area(w, k, &k->pg[i]);
		for (j = 0; j < k->nf; j++)
			if (k->f[j].page != NULL && j != k->pg[i].master &&
			    in_file_sec(k->f[j].use) &&
			    strcmp(k->f[j].page, k->pg[i].p->page) == 0) {
				char *id = file_id(k->f[j].path);

				start(w, "mets:fptr");
				attr(w, "FILEID", id);
				end(w);
				free(id);
			}
		end(w);
	}
	end(w);
	end(w);
}

/* mets_write: the document into buf; -1 if libxml2 failed. */
int
mets_write(const struct pkg *k, xmlBufferPtr buf)
{
	xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);

	if (w == NULL)
		return -1;
	rc = 0;
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, X("  "));
	rc |= xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0;
	start(w, "mets:mets");
	attr(w, "xmlns:mets", NS_METS);
	attr(w, "xmlns:mods", NS_MODS);
	attr(w, "xmlns:premis", NS_PREM);
	attr(w, "xmlns:xlink", NS_XLINK);
	attr(w, "xmlns:xsi", NS_XSI);
	attr(w, "xsi:schemaLocation", NS_METS
	    " http://www.loc.gov/standards/mets/mets.xsd " NS_MODS
	    " http://www.loc.gov/standards/mods/v3/mods-3-8.xsd " NS_PREM
	    " http://www.loc.gov/standards/premis/v3/premis.xsd");
	attr(w, "OBJID", k->doc);
	attr(w, "LABEL", k->title);
	attr(w, "TYPE", "document");
	start(w, "mets:metsHdr");
	start(w, "mets:agent");
	attr(w, "ROLE", "CREATOR");
	attr(w, "TYPE", "OTHER");
	attr(w, "OTHERTYPE", "SOFTWARE");
	elem(w, "mets:name", "warraq-package " WQ_VERSION);
	end(w);
	end(w);
	mods(w, k);
	premis(w, k);
	file_sec(w, k);
	struct_map(w, k);
	end(w);
	rc |= xmlTextWriterEndDocument(w) < 0;
	xmlFreeTextWriter(w);
	return rc ? -1 : 0;
}
