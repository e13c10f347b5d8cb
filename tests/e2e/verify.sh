#!/bin/sh
# warraq-verify against the Library of Congress BagIt conformance suite
# (../shared/bagit-conformance): every v1.0 valid bag accepted, every v1.0
# invalid bag rejected, as folders and as tar and zip archives read
# through libarchive; usage errors.
. "$(dirname "$0")/../lib.sh"

suite="$SHARED/bagit-conformance/v1.0"
if [ ! -d "$suite" ]; then
	skip "BagIt conformance suite: $suite absent"
	exit 0
fi
acc=0 rej=0 nvalid=0 ninvalid=0
for kind in valid invalid; do
	for b in "$suite/$kind"/*/; do
		b=${b%/}
		name=$(basename "$b")
		# each bag as it is, then serialised under its own base folder
		rm -rf "$T/s" && mkdir -p "$T/s" && cp -r "$b" "$T/s/$name"
		(cd "$T/s" && tar cf "$name.tar" "$name" && zip -qr "$name.zip" "$name") ||
		    { notok "$kind/$name: serialise" "tar or zip failed"; continue; }
		for form in "$T/s/$name" "$T/s/$name.tar" "$T/s/$name.zip"; do
			warraq-verify "$form" >"$T/out" 2>"$T/err"
			st=$?
			what="$kind/$name (${form##*/})"
			if [ "$kind" = valid ]; then
				nvalid=$((nvalid + 1))
				[ "$st" = 0 ] && acc=$((acc + 1)) && ok "$what accepted" ||
				    notok "$what accepted" "status $st: $(head -n 2 "$T/err" | tr '\n' ' ')"
			else
				ninvalid=$((ninvalid + 1))
				# rejected, for the reason the suite's bag is about
				case $name in
				*whitespace*) why="bagit.txt: first line" ;;
				notAllManifests*) why="missingFromManifest.txt: not in manifest" ;;
				same-filename*) why="lists data/README twice" ;;
				*) why=": " ;;
				esac
				[ "$st" = 1 ] && grep -q "$why" "$T/err" &&
				    rej=$((rej + 1)) && ok "$what rejected: $(grep "$why" "$T/err" | head -n 1 | sed "s|^warraq-verify: $T/s/||")" ||
				    notok "$what rejected ($why)" "status $st: $(head -n 2 "$T/err" | tr '\n' ' ')"
			fi
		done
	done
done
echo "# conformance v1.0: $acc of $nvalid valid accepted, $rej of $ninvalid invalid rejected (folders, tar, zip)"

# usage: no argument, unknown option; a path that is not there
warraq-verify >/dev/null 2>&1; [ $? = 2 ] && ok "no argument: status 2" || notok "no argument: status 2" "$?"
warraq-verify --bogus x >/dev/null 2>&1; [ $? = 2 ] && ok "unknown option: status 2" || notok "unknown option: status 2" "$?"
warraq-verify "$T/none" >/dev/null 2>&1; [ $? = 1 ] && ok "missing bag: status 1" || notok "missing bag: status 1" "$?"

# a valid bag archived without folder entries (tar --no-recursion, zip -D),
# as the independent checker accepts it; and the same with one file
# changed is still refused
v=$(ls -d "$SHARED"/bagit-conformance/v1.0/valid/*/ 2>/dev/null | head -n 1)
if [ -n "$v" ]; then
	mkdir -p "$T/nd"
	cp -r "$v" "$T/nd/bag"
	(cd "$T/nd" && tar --no-recursion -cf bag.tar $(find bag -type f | sort) &&
	    zip -qD -r bag.zip bag)
	checkx "tar without folder entries: valid" \
	    "[ -z \"\$(tar tf '$T/nd/bag.tar' | grep '/\$')\" ] && warraq-verify -q '$T/nd/bag.tar'"
	checkx "zip without folder entries: valid" \
	    "[ -z \"\$(unzip -Z1 '$T/nd/bag.zip' | grep '/\$')\" ] && warraq-verify -q '$T/nd/bag.zip'"
	f=$(cd "$T/nd" && find bag/data -type f | head -n 1)
	echo x >>"$T/nd/$f"
	(cd "$T/nd" && rm bag.tar && tar --no-recursion -cf bag.tar $(find bag -type f | sort))
	warraq-verify -q "$T/nd/bag.tar" 2>/dev/null
	checkx "and a changed file in it still refused" "[ $? -eq 1 ]"
else
	skip "folder entries: ../shared/bagit-conformance absent"
fi
