# warraq collection profile: one "key = value" a line; `man warraq-profile`
# lists every setting, its default and the values it takes.  A wrong key
# or value stops warraq before any work (exit status 2).  The hot folder's
# unit (warraq-watch.service) reads /etc/warraq/collection.profile.

# OCR models: auto reads each line with the French or the Arabic model,
# as its script asks; ara, fra, or a + list fixes them.
languages = auto

# the layout stage (regions, each line's script from its pixels)
#layout_stage = yes

# scans without a resolution tag
#assume_dpi = 300

# PDF page images: gray (JPEG) or bitonal (CCITT G4, small)
#pdf_image = gray

# bags: bag-info.txt, and a tar beside each bag for the repository
bag_source_organization = unspecified
#bag_contact_name =
#bag_contact_email =
#bag_archive = tar

# a document folder is complete once it holds this file (else: after
# watch_quiet seconds without a change)
#watch_marker = READY
#watch_quiet = 60
