# Shell helpers for the end-to-end tests; sourced by tests/e2e/*.sh.
#   ok NAME / notok NAME WHY    one TAP line
#   check NAME CMD...           ok if CMD succeeds
#   checkx NAME 'EXPR'          ok if the shell expression (A && B) holds
#   skip WHY                    a skipped test (counts as neither)
#   sha FILE                    the SHA-256 of FILE
# Programs come from $WARRAQ_BIN (set by tests/run.sh), put first on PATH.
set -u
: "${WARRAQ_BIN:?run through tests/run.sh}"
: "${TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
PATH="$WARRAQ_BIN:$PATH"
# Tesseract's own threads fight the tests' processes for two cores
OMP_THREAD_LIMIT=1
export OMP_THREAD_LIMIT
FIX="$TOP/fixtures/sample"
SHARED="$TOP/../shared"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

ok()    { echo "ok - $1"; }
notok() { echo "not ok - $1: $2"; }
skip()  { echo "# SKIP $1"; }
check() {
	name=$1
	shift
	if "$@" >"$T/.out" 2>&1; then
		ok "$name"
	else
		notok "$name" "$(tail -n 3 "$T/.out" | tr '\n' ' ')"
	fi
}
# (check NAME [ A ] && B would test only A: the && is the caller's)
checkx() {
	if eval "$2" >"$T/.out" 2>&1; then
		ok "$1"
	else
		notok "$1" "$(tail -n 3 "$T/.out" | tr '\n' ' ')"
	fi
}
sha() { sha256sum "$1" | cut -d' ' -f1; }

# make_batch DIR N: N distinct small pages (crops of the fixtures, each
# slightly rotated), as one-page TIFF documents p01.tif ... in DIR.
make_batch() {
	mkdir -p "$1"
	i=1
	while [ "$i" -le "$2" ]; do
		src=$FIX/fr-seed.tif
		[ $((i % 2)) -eq 0 ] && src=$FIX/ar-seed.tif
		convert "$src" -crop 1100x800+$((i * 23 % 200))+$((i * 37 % 120)) +repage \
		    -background white -rotate "$((i % 5 - 2)).$((i % 10))" +repage \
		    -compress zip "$1/p$(printf %02d "$i").tif"
		i=$((i + 1))
	done
}

# same_outputs A B: the stage outputs of two work directories are the
# same, byte for byte, but for what describes one run rather than the
# batch: JSON "timing" and "run" objects, logs, Slurm jobs.
same_outputs() {
	# logs and the report describe a run (its times), not its results;
	# so do the bags, which carry the report's figures and the stages'
	# dates (tests/e2e/package.sh checks that they are reproducible), and
	# the Slurm engine's job ids and task lists
	(cd "$1" && find . \( -path ./logs -o -path ./report -o -path ./bags -o \
	    -path ./package -o -path ./slurm -o -path ./slurm.json \) -prune -o \
	    -type f ! -name '.*' -print | sort) >"$T/.a"
	(cd "$2" && find . \( -path ./logs -o -path ./report -o -path ./bags -o \
	    -path ./package -o -path ./slurm -o -path ./slurm.json \) -prune -o \
	    -type f ! -name '.*' -print | sort) >"$T/.b"
	if ! cmp -s "$T/.a" "$T/.b"; then
		echo "file lists differ:"; diff "$T/.a" "$T/.b" | head
		return 1
	fi
	while read -r f; do
		case "$f" in
		*.json)
			jq -S 'del(.timing, .run)' "$1/$f" >"$T/.ja"
			jq -S 'del(.timing, .run)' "$2/$f" >"$T/.jb"
			cmp -s "$T/.ja" "$T/.jb" || { echo "differs: $f"; return 1; } ;;
		*)
			cmp -s "$1/$f" "$2/$f" || { echo "differs: $f"; return 1; } ;;
		esac
	done <"$T/.a"
}

# mk NAME CMD...: runs CMD to make a test input; a failure is a test
# failure (and sets mkfail)
mkfail=0
mk() {
	n=$1
	shift
	if ! "$@" >"$T/.mk" 2>&1; then
		notok "make $n" "$(tail -n 2 "$T/.mk" | tr '\n' ' ')"
		mkfail=1
	fi
}
