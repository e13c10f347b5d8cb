# warraq - see README.md.  `make` builds, `make test` tests, `make demo`
# runs the sample batch; the last two install missing Debian packages.

PREFIX  ?= /usr/local
BUILD   ?= build
CC      ?= cc
CFLAGS  ?= -O2 -g
PKGS     = lept tesseract libtiff-4 jansson libcrypto lcms2 libxml-2.0 hunspell libopenjp2
WFLAGS   = -std=gnu11 -Wall -Wextra -Werror
CPPFLAGS = -D_GNU_SOURCE -Istages/common -Istages/ingest
SAN      =
PKGCFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKGLIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lunistring
# cairo (PDF surface), FreeType and HarfBuzz (the text layer), qpdf and zlib
# (PDF/A): warraq-pdf only
PDFPKGS   = cairo cairo-pdf cairo-ft freetype2 harfbuzz libqpdf zlib
PDFLIBS   = $(shell pkg-config --libs $(PDFPKGS) 2>/dev/null)
# libarchive (tar, tar.zst, zip): warraq-package and warraq-verify only
ARCLIBS   = $(shell pkg-config --libs libarchive 2>/dev/null)
# SQLite (the FTS5 index): warraq-search only
SQLLIBS   = $(shell pkg-config --libs sqlite3 2>/dev/null)

ALL_CFLAGS = $(WFLAGS) $(CFLAGS) $(SAN) $(CPPFLAGS) $(PKGCFLAGS) \
             $(shell pkg-config --cflags $(PDFPKGS) 2>/dev/null)
ALL_LDFLAGS = $(SAN) -Wl,--as-needed $(LDFLAGS)

BIN = $(BUILD)/bin
LIB = $(BUILD)/libwarraq.a

COMMON_SRC = $(wildcard stages/common/*.c)
COMMON_OBJ = $(COMMON_SRC:%.c=$(BUILD)/%.o)
HEADERS    = $(wildcard stages/*/*.h pipeline/*.h)

PROGRAMS = $(BIN)/warraq $(BIN)/warraq-ingest $(BIN)/warraq-deskew \
           $(BIN)/warraq-clean $(BIN)/warraq-layout $(BIN)/warraq-ocr \
           $(BIN)/warraq-pdf \
           $(BIN)/warraq-eval $(BIN)/warraq-report $(BIN)/warraq-package \
           $(BIN)/warraq-verify $(BIN)/warraq-search
UNIT     = $(BUILD)/tests/test_common
# fuzz harnesses (tests/fuzz): libFuzzer programs in build-fuzz, and in
# every build a replay program that runs their corpora as tests
FUZZERS  = image profile pages json text alto pagexml
REPLAY   = $(FUZZERS:%=$(BUILD)/fuzz/replay_%)
FUZZ_SECONDS ?= 60

.PHONY: all man install test test-asan fuzz fuzz-smoke fuzzers valgrind demo deps fixtures \
        bench eval eval-record models clean

all: $(PROGRAMS) man

# manual pages: made from each program's --describe by man/mkman.c (so
# they cannot drift from the programs), but warraq-workdir(5), written
MAN1 = $(PROGRAMS:$(BIN)/%=$(BUILD)/man/%.1)
MAN5 = $(BUILD)/man/warraq-profile.5 $(BUILD)/man/warraq-workdir.5
man: $(MAN1) $(MAN5)

$(BUILD)/mkman: man/mkman.c
	@mkdir -p $(dir $@)
	$(CC) $(WFLAGS) $(CFLAGS) $(SAN) $(shell pkg-config --cflags jansson) \
	    -o $@ $< $(ALL_LDFLAGS) $(shell pkg-config --libs jansson)

$(BUILD)/man/%.1: $(BIN)/% $(BUILD)/mkman
	@mkdir -p $(dir $@)
	$(BIN)/$* --describe >$@.json
	$(BUILD)/mkman $@.json >$@.tmp && mv $@.tmp $@

$(BUILD)/man/warraq-profile.5: $(BUILD)/man/warraq.1
	$(BUILD)/mkman --profile $(BUILD)/man/warraq.1.json >$@.tmp && mv $@.tmp $@

$(BUILD)/man/warraq-workdir.5: man/warraq-workdir.5
	@mkdir -p $(dir $@)
	cp man/warraq-workdir.5 $@

$(BUILD)/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(COMMON_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN)/warraq-ingest: $(BUILD)/stages/ingest/ingest.o $(BUILD)/stages/ingest/readimage.o \
    $(BUILD)/stages/ingest/spread.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKGLIBS)

$(BIN)/warraq-deskew: $(BUILD)/stages/deskew/deskew.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKGLIBS) -lm

$(BIN)/warraq-clean: $(BUILD)/stages/clean/clean.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKGLIBS) -lm

$(BIN)/warraq-layout: $(BUILD)/stages/layout/layout.o $(BUILD)/stages/layout/script.o \
    $(BUILD)/stages/layout/order.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKGLIBS) -lm

$(BIN)/warraq-ocr: $(BUILD)/stages/ocr/ocr.o $(BUILD)/stages/ocr/render.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKGLIBS) -lm

$(BIN)/warraq-pdf: $(BUILD)/stages/pdf/pdf.o $(BUILD)/stages/pdf/pdfa.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKGLIBS) $(PDFLIBS) -lm

$(BIN)/warraq-eval: $(BUILD)/stages/eval/eval.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKGLIBS) -lm

$(BIN)/warraq-package: $(BUILD)/stages/package/package.o \
    $(BUILD)/stages/package/payload.o $(BUILD)/stages/package/iiif.o \
    $(BUILD)/stages/package/mets.o $(BUILD)/stages/package/bagit.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKGLIBS) $(ARCLIBS)

$(BIN)/warraq-verify: $(BUILD)/stages/package/verify.o \
    $(BUILD)/stages/package/bagit.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKGLIBS) $(ARCLIBS)

SEARCH_OBJ = $(BUILD)/stages/search/search.o $(BUILD)/stages/search/index.o \
             $(BUILD)/stages/search/query.o $(BUILD)/stages/search/fold.o

$(BIN)/warraq-search: $(SEARCH_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKGLIBS) $(SQLLIBS)

REPORT_OBJ = $(BUILD)/stages/report/report.o $(BUILD)/stages/report/measure.o \
             $(BUILD)/stages/report/html.o $(BUILD)/stages/report/assets.o

$(BIN)/warraq-report: $(REPORT_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKGLIBS) -lm

# the report's script and style sheet, kept as files, compiled in as strings
$(BUILD)/stages/report/assets.c: stages/report/report.js stages/report/report.css stages/report/embed.sh
	@mkdir -p $(dir $@)
	{ sh stages/report/embed.sh report_js stages/report/report.js && \
	  sh stages/report/embed.sh report_css stages/report/report.css; } >$@.tmp
	mv $@.tmp $@

$(BUILD)/stages/report/assets.o: $(BUILD)/stages/report/assets.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BIN)/warraq: $(patsubst %.c,$(BUILD)/%.o,$(wildcard pipeline/*.c)) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKGLIBS)

$(BUILD)/tests/test_common: $(BUILD)/tests/unit/test_common.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKGLIBS) -lcmocka

FUZZ_OBJ = $(BUILD)/tests/fuzz/fuzz_file.o $(BUILD)/stages/ingest/readimage.o $(LIB)

$(BUILD)/fuzz/replay_%: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/replay.o $(FUZZ_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKGLIBS) $(SQLLIBS) -lm

$(BUILD)/fuzz/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o $(FUZZ_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(PKGLIBS) $(SQLLIBS) -lm

# the ALTO harness also folds text as the search index does
$(BUILD)/fuzz/replay_alto $(BUILD)/fuzz/fuzz_alto: $(BUILD)/stages/search/fold.o

fuzzers: $(FUZZERS:%=$(BUILD)/fuzz/fuzz_%)

# made through the pattern rules above, they are kept, not rebuilt each time
.SECONDARY: $(FUZZERS:%=$(BUILD)/tests/fuzz/fuzz_%.o) $(BUILD)/tests/fuzz/replay.o \
            $(BUILD)/tests/fuzz/fuzz_file.o $(BUILD)/stages/search/fold.o

# programs, manual pages, the hot folder's systemd unit and the example
# profile it reads (installed once: an edited profile is kept)
SYSCONFDIR ?= /etc
UNITDIR    ?= /lib/systemd/system
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(UNITDIR) \
	    $(DESTDIR)$(SYSCONFDIR)/warraq
	install -m 755 $(PROGRAMS) $(DESTDIR)$(PREFIX)/bin
	install -m 644 $(MAN1) $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 644 $(MAN5) $(DESTDIR)$(PREFIX)/share/man/man5
	sed 's|/usr/local/bin/|$(PREFIX)/bin/|g' pipeline/warraq-watch.service \
	    >$(DESTDIR)$(UNITDIR)/warraq-watch.service
	chmod 644 $(DESTDIR)$(UNITDIR)/warraq-watch.service
	[ -e $(DESTDIR)$(SYSCONFDIR)/warraq/collection.profile ] || \
	    install -m 644 pipeline/collection.profile \
	    $(DESTDIR)$(SYSCONFDIR)/warraq/collection.profile

deps:
	@sh .ci/install-deps

test: deps
	$(MAKE) all $(UNIT) $(REPLAY)
	@sh tests/run.sh $(BUILD)

# The same tests, built and run under AddressSanitizer and UBSan.
test-asan: deps
	$(MAKE) BUILD=build-asan CFLAGS="-O1 -g" \
	    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    all build-asan/tests/test_common $(FUZZERS:%=build-asan/fuzz/replay_%)
	@ASAN_OPTIONS=detect_leaks=1 sh tests/run.sh build-asan

# libFuzzer (clang) on every reader of outside input, FUZZ_SECONDS each;
# new inputs go to build-fuzz/corpus, crashes to build-fuzz/crashes.
fuzz: deps
	$(MAKE) BUILD=build-fuzz CC=clang CFLAGS="-O1 -g" \
	    SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" \
	    fuzzers
	@sh tests/fuzz/run.sh build-fuzz $(FUZZ_SECONDS) $(FUZZERS)

# one full warraq run of the sample batch under Valgrind memcheck (slow)
valgrind: deps
	$(MAKE) all
	@sh tests/valgrind.sh $(BUILD)

# the short pass CI runs
fuzz-smoke:
	$(MAKE) fuzz FUZZ_SECONDS=20

demo: deps
	$(MAKE) all
	@sh fixtures/demo.sh $(BUILD)

models:
	@sh models/setup.sh

fixtures:
	sh fixtures/make-fixtures.sh
	sh fixtures/make-layout-fixtures.sh

# OCR quality on the real scans of ../shared/eval/data, beside plain
# Tesseract, checked against the table of record (tests/eval-baseline.tsv):
# fails when a group gets worse.  eval-record writes a gain into the table.
eval: deps
	$(MAKE) all
	@sh tests/eval.sh $(BUILD)

eval-record: deps
	$(MAKE) all
	@WARRAQ_EVAL_RECORD=1 sh tests/eval.sh $(BUILD)

bench: deps
	$(MAKE) all
	@sh tests/bench.sh $(BUILD)

clean:
	rm -rf build build-asan build-fuzz
