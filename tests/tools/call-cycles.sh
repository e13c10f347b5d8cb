#!/bin/sh
# call-cycles.sh BUILD_DIR DIR... - the cycles among the source files of
# DIR... (stages/common, pipeline) in who calls whom, read from the
# objects' symbol tables (nm): a file calls another when it uses a symbol
# the other defines.  Prints one line a cycle found ("a.c -> b.c -> a.c");
# nothing when there is none.
set -eu
B=$1
shift
edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
for d in "$@"; do
	for o in "$B/$d"/*.o; do
		[ -f "$o" ] || continue
		f=$d/$(basename "$o" .o).c
		nm "$o" | awk -v f="$f" '$1 ~ /^[TDRB]$/ || $2 ~ /^[TDRB]$/ { print "D", f, $NF }
		    $1 == "U" { print "U", f, $2 }'
	done
done >"$edges"
# defined-by map, then file -> file edges, then a depth-first search
awk '
$1 == "D" { def[$3] = $2; next }
{ use[++n] = $2 " " $3 }
END {
	for (i = 1; i <= n; i++) {
		split(use[i], u, " ")
		if ((u[2] in def) && def[u[2]] != u[1]) {
			e = u[1] SUBSEP def[u[2]]
			if (!(e in seen)) { seen[e] = 1; out[u[1]] = out[u[1]] " " def[u[2]] }
		}
	}
	for (f in out) dfs(f, f, f, 0)
}
function dfs(start, node, path, depth,    k, m, a) {
	if (depth > 12) return
	m = split(out[node], a, " ")
	for (k = 1; k <= m; k++) {
		if (a[k] == start) { if (!(path in printed)) { printed[path] = 1; print path " -> " start } }
		else if (index(" " path " ", " " a[k] " ") == 0 && a[k] > start)
			dfs(start, a[k], path " -> " a[k], depth + 1)
	}
}' "$edges"
