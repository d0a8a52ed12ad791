# SPDX-License-Identifier: GPL-2.0
# Hostile inputs: a guest channel, result files, configs and options made
# to break the runner (lengths that wrap, names that escape OUTDIR, strings
# that are gnuplot code, numbers that are not what they look like). Each is
# refused with a message or handled as plain data. Sourced by tests/run.sh.

# bad_input_exit COMMAND...: the exit code of bad usage or input: 2, and
# the gate's 5 (kselftest reads 2 as XFAIL).
bad_input_exit() {
	case ${1%% *} in gate) echo 5 ;; *) echo 2 ;; esac
}

# frame NAME BYTES CRC: a channel frame header as the guest writes one.
hostile_frame() {
	printf '\n@@DMABENCH-FRAME v1 name=%s bytes=%s crc32=%s@@\n' "$1" "$2" "$3"
}

hostile_tests() {
	local ref=$TOP/results/reference h=$T/hostile out rc n name b t kv v
	mkdir -p "$h"

	echo "# hostile: the guest channel"
	# The length wraps pos + bytes; the end marker sits where a wrapped
	# index finds it, so only a bounds check against what remains stops
	# the CRC from reading 16 EiB.
	{ hostile_frame evil.json 18446744073709551615 00000000
	  printf '@@DMABENCH-END@@\n'; } >"$h/wrap.chan"
	mkdir -p "$h/wrap"
	"$RUNNER" unpack "$h/wrap.chan" "$h/wrap" >"$h/wrap.out" 2>&1
	check_eq "a frame claiming 2^64-1 bytes fails cleanly (exit 2, no crash)" 2 $?
	check_grep "... naming the frame and what arrived" \
		"frame 'evil.json' truncated: [0-9]+ of 18446744073709551615 bytes" "$h/wrap.out"
	check_eq "... and writes nothing" "" "$(ls -A "$h/wrap")"
	{ hostile_frame big 4294967312 00000000; printf 'x\n@@DMABENCH-END@@\n'; } >"$h/big.chan"
	"$RUNNER" unpack "$h/big.chan" "$h/wrap" >"$h/big.out" 2>&1
	check_grep "a frame longer than the rest of the capture is refused" \
		"frame 'big' truncated: [0-9]+ of 4294967312 bytes" "$h/big.out"
	{ hostile_frame big 99999999999999999999999 00000000; printf 'x\n@@DMABENCH-END@@\n'; } >"$h/huge.chan"
	"$RUNNER" unpack "$h/huge.chan" "$h/wrap" >"$h/huge.out" 2>&1
	check_grep "a length beyond 64 bits is refused" \
		"frame 1 'big': malformed header: bytes=99999999999999999999999 is not a length" "$h/huge.out"
	for b in -1 +1 1x " 1" 0x1 ""; do
		{ hostile_frame a "$b" 8587d865; printf 'x\n@@DMABENCH-END@@\n'; } >"$h/len.chan"
		"$RUNNER" unpack "$h/len.chan" "$h/wrap" >"$h/len.out" 2>&1
		rc=$?
		if [ $rc -eq 2 ] && grep -q "malformed header" "$h/len.out"; then
			pass "a length of '$b' is refused"
		else
			fail "a length of '$b' is refused" "exit $rc: $(cat "$h/len.out")"
		fi
	done
	for name in ../evil.json a/b . .. "" "a$(printf '\033')b" "a$(printf '\r')b"; do
		{ hostile_frame "$name" 1 8587d865; printf 'x\n@@DMABENCH-END@@\n'; } >"$h/name.chan"
		"$RUNNER" unpack "$h/name.chan" "$h/wrap" >"$h/name.out" 2>&1
		rc=$?
		if [ $rc -eq 2 ] && grep -q "frame 1: bad name" "$h/name.out" &&
		   [ -z "$(ls -A "$h/wrap")" ] && [ ! -e "$h/evil.json" ]; then
			pass "a frame named '$(printf %q "$name")' is refused, nothing written"
		else
			fail "a frame named '$(printf %q "$name")' is refused, nothing written" \
				"exit $rc: $(cat -v "$h/name.out")"
		fi
	done
	check_eq "... and no control byte reaches the message" 0 \
		"$(grep -c "$(printf '\r')" "$h/name.out")"
	# A good frame, then a bad one: the channel is refused as a whole.
	printf 'good\n' >"$h/good.txt"
	rm -f "$h/mixed.chan"
	"$RUNNER" send "$h/mixed.chan" "$h/good.txt"
	{ hostile_frame ../evil.json 1 8587d865; printf 'x\n@@DMABENCH-END@@\n'; } >>"$h/mixed.chan"
	"$RUNNER" unpack "$h/mixed.chan" "$h/wrap" >"$h/mixed.out" 2>&1
	check_eq "a good frame then a bad one: the channel fails (exit 2)" 2 $?
	check_eq "... and not even the good frame is written" "" "$(ls -A "$h/wrap")"
	"$RUNNER" send "$h/mixed2.chan" "$h/good.txt"
	"$RUNNER" unpack "$h/mixed2.chan" "$h/wrap" >/dev/null 2>&1 &&
		cmp -s "$h/good.txt" "$h/wrap/good.txt"
	check_eq "a good channel still unpacks byte for byte" 0 $?

	echo "# hostile: result strings in gnuplot scripts"
	mkdir -p "$h/b" "$h/a"
	cp "$ref/before/direct.json" "$h/b/"
	# A kernel release that closes the string and calls system(); a job
	# with backquotes, @, a quote and a bang, in a size sweep so that it is
	# plotted. (An API name is one of the ABI's, or the result is refused:
	# below.)
	jq --arg k "x'; system(\"touch $T/pwned\"); '" \
	   --arg j "j@b\`touch $T/pwned-job\`'x!touch $T/pwned-bang" '
		.system.kernel_release = $k |
		.cells += [.cells[] | select(.api == "phys") | .job = $j |
			   (.size = 8192, .size = 16384)]' \
		"$ref/after/direct.json" >"$h/a/direct.json"
	out=$h/plot
	"$RUNNER" plot -o "$out" "$h/b" "$h/a" >"$h/plot.out" 2>&1
	check_eq "plot of hostile strings exits 0" 0 $?
	check_eq "... and runs none of them" "" "$(find "$T" -maxdepth 1 -name 'pwned*' -printf '%f ')"
	check_fgrep "the kernel release is one gnuplot string, its quotes doubled" \
		"title 'after x''; system(\"touch $T/pwned\"); '''" "$out/direct-bars.gp"
	check_fgrep "the job is one string in the sweep" \
		"[j@b\`touch $T/pwned-job\`''x!touch $T/pwned-bang]'" "$out/direct-sweep.gp"
	check_eq "no result string starts a script line of its own" 0 \
		"$(cat "$out"/*.gp | grep -c '^\(system\|!\|`\)')"
	mkdir -p "$h/api"
	jq --arg a "pa'ge
system('touch $T/pwned-api')
\`touch $T/pwned-bq\` #?" '(.cells[] | select(.api == "page") | .api) = $a' \
		"$ref/after/direct.json" >"$h/api/direct.json"
	"$RUNNER" plot -o "$h/api-plot" "$h/b" "$h/api" >"$h/api.out" 2>&1
	check_eq "an API name that is none of the ABI's: the result is refused (exit 2)" \
		"2 1" "$? $(grep -cF "unknown api, pattern or dir ('pa'ge\\x0asystem('tou...', 'pair'" "$h/api.out")"
	check_eq "... nothing plotted, nothing run" "" \
		"$(ls "$h/api-plot" 2>/dev/null; find "$T" -maxdepth 1 -name 'pwned*' -printf '%f ')"
	check_grep "the plot was drawn" "<svg" "$out/direct-sweep.svg"
	# A folder name that would break out of shell quotes, run from $T.
	out="$h/x'\$(touch pwned-dir)'y"
	(cd "$T" && "$RUNNER" plot -o "$out" "$ref/before" "$ref/after") >"$h/plot.out" 2>&1
	check_eq "plot into a folder named like shell code exits 0" 0 $?
	check_eq "... runs none of it" "" "$(find "$T" -maxdepth 1 -name 'pwned*' -printf '%f ')"
	check "... and draws there" test -s "$out/summary.txt"

	echo "# hostile: plotting again into a folder"
	mkdir -p "$h/again"
	printf 'mine\n' >"$h/again/notes.txt"
	printf 'system("touch %s/mine-ran")\n' "$T" >"$h/again/mine.gp"
	"$RUNNER" plot -o "$h/again" "$ref/before" "$ref/after" >"$h/again1.out" 2>&1
	check_eq "a plot of four modes exits 0" 0 $?
	"$RUNNER" plot -o "$h/again" "$h/b" "$h/a" >"$h/again2.out" 2>&1
	check_eq "plotting one mode into the same folder exits 0" 0 $?
	check_eq "... and leaves no stale file of the first plot" "" \
		"$(find "$h/again" -name 'lazy-*' -o -name 'strict-*' -o -name 'swiotlb-*')"
	check "... keeps other files" test -s "$h/again/notes.txt" -a -s "$h/again/mine.gp"
	check_eq "... and runs no script it did not write" "" "$(find "$T" -maxdepth 1 -name mine-ran)"
	check "... and still draws its own" test -s "$h/again/direct-sweep.png"

	echo "# hostile: many jobs and sizes"
	jq '.cells += [range(200) as $i | .cells[] | select(.api == "phys") |
		       .job = "a-rather-long-job-name-\($i)" | (.size = 8192, .size = 16384)]' \
		"$ref/after/direct.json" >"$h/many.json"
	"$RUNNER" plot --no-render -o "$h/many" "$ref/before/direct.json" "$h/many.json" >"$h/many.out" 2>&1
	check_eq "a sweep of 200 jobs exits 0" 0 $?
	check_fgrep "... and its script names every series" \
		"index 204 using 1:2 with linespoints title 'after phys [a-rather-long-job-name-199]'" \
		"$h/many/direct-sweep.gp"

	echo "# hostile: a change too large for its column"
	jq '(.cells[] | select(.api == "page") | .samples.map) |= map(. * 100000000000000)' \
		"$ref/after/direct.json" >"$h/huge.json"
	"$RUNNER" compare "$ref/before/direct.json" "$h/huge.json" >"$h/huge.out" 2>&1
	check_eq "compare of a huge change exits 0" 0 $?
	check_grep "... and its change keeps a percent sign in 15 characters" \
		"^direct  page      map +[0-9.]+ +[0-9.]+ +\+[0-9]{13}%( |$)" "$h/huge.out"

	echo "# hostile: gate thresholds"
	for t in nan NaN inf -inf infinity 1e999 -1; do
		"$RUNNER" gate --threshold "$t" "$ref/after" "$ref/after" >"$h/gate.out" 2>&1
		rc=$?
		if [ $rc -eq 5 ] && grep -q "threshold '$t' is not a percentage" "$h/gate.out"; then
			pass "gate --threshold $t is refused with exit 5"
		else
			fail "gate --threshold $t is refused with exit 5" "exit $rc: $(cat "$h/gate.out")"
		fi
	done

	echo "# hostile: configs"
	mkdir -p "$h/cfgdir"
	"$RUNNER" config "$h/cfgdir" >"$h/cfg.out" 2>&1
	check_eq "a directory as the config is refused with exit 2" 2 $?
	check_grep "... naming it" "cfgdir: a directory, not a config file" "$h/cfg.out"
	"$RUNNER" config /dev/null >"$h/cfg.out" 2>&1
	check_eq "a device as the config is refused with exit 2" 2 $?
	check_grep "... naming it" "/dev/null: not a regular file .*not a config file" "$h/cfg.out"
	for kv in "batch = 010" "batches = 0x10" "size = 0x1000" "size = 010k" "offset = 00" \
		  "warmup = 07" "size = 17592186044417M" "size = 18014398509481985k" \
		  "size = 99999999999999999999999"; do
		printf '[global]\n%s\n' "$kv" >"$h/num.ini"
		"$RUNNER" config "$h/num.ini" >"$h/cfg.out" 2>&1
		rc=$?
		if [ $rc -eq 2 ] && grep -q "num.ini:2: key '${kv%% *}': '${kv##* }'" "$h/cfg.out"; then
			pass "config '$kv' is refused with its line and key"
		else
			fail "config '$kv' is refused with its line and key" "exit $rc: $(cat "$h/cfg.out")"
		fi
	done
	printf '[global]\nsize = 1024k\nwarmup = 0\noffset = 0\nbatch = 10\n' >"$h/num.ini"
	check "decimal numbers, 0 and suffixes still parse" "$RUNNER" config "$h/num.ini"
	check_grep "... to what they say" " 1048576 +0 +10 " <("$RUNNER" config "$h/num.ini")
	# inih reads 200-byte lines: the rest of a longer one became a line of
	# its own, here a key hidden at the end of a comment.
	{ echo "[global]"; printf ';%0198d' 0; echo "batch = 7"; } >"$h/long.ini"
	"$RUNNER" config "$h/long.ini" >"$h/cfg.out" 2>&1
	check_eq "an over-long line is refused with exit 2" 2 $?
	check_grep "... naming the file and line" "long.ini:2: line longer than [0-9]+ bytes" "$h/cfg.out"
	{ echo "[global]"; printf 'description = %0150d\n' 0; echo "batch = 7"; } >"$h/long.ini"
	check "a long line within the limit parses" "$RUNNER" config "$h/long.ini"
	printf '[global]\nbatch = 8\0batch = 9\nbatches = 3\n' >"$h/nul.ini"
	"$RUNNER" config "$h/nul.ini" >"$h/cfg.out" 2>&1
	check_grep "a NUL byte in a line is refused" "nul.ini:2: a NUL byte" "$h/cfg.out"

	echo "# hostile: export"
	jq --arg k 'rel,ease "x"
next' --arg j 'jo,b"1' '.system.kernel_release = $k | .cells[0].job = $j' \
		"$ref/after/direct.json" >"$h/csv.json"
	"$RUNNER" export --csv -o "$h/out.csv" "$h/csv.json"
	check_eq "export --csv of fields with commas, quotes and newlines exits 0" 0 $?
	check_fgrep "... quotes them per RFC 4180" "\"rel,ease \"\"x\"\"" "$h/out.csv"
	check_fgrep "... doubling quotes inside" ",\"jo,b\"\"1\",null," "$h/out.csv"
	n=$(python3 -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
print(len(rows), len(set(map(len, rows))), rows[1][0], rows[1][3])' "$h/out.csv")
	check_eq "... so a CSV reader gets one row per cell, every row as wide" \
		"$(($(jq '.cells | length' "$h/csv.json") + 1)) 1 rel,ease \"x\"
next jo,b\"1" "$n"
	"$RUNNER" export --csv "$ref/after/direct.json" | cmp -s - "$ref/after/direct.csv"
	check_eq "plain fields are written as before" 0 $?
	check_eq "the CSV's key columns are the config keys a cell records as values" \
		"$(jq -r '.cells[0] | to_entries[] | select(.value | type != "object" and type != "array") | .key' "$ref/after/direct.json" | grep -xF -f <("$RUNNER" config --keys |
			sed -n 's/^| `\([a-z_]*\)` .*/\1/p') | sort | paste -sd,)" \
		"$("$RUNNER" export --csv "$ref/after/direct.json" | head -n 1 | sed 's/^kernel,accel,mode,job,//; s/,status,.*//' | tr , '\n' | sort | paste -sd,)"
	local tcg1=$TOP/tests/data/tcg-runs3/runs/after-direct.r1.json
	for v in 0 null; do
		jq ".module.cycles_per_sec = $v" "$tcg1" >"$h/cps.json"
		rm -f "$h/hf.json"
		"$RUNNER" export --hyperfine -o "$h/hf.json" "$h/cps.json" >"$h/hf.out" 2>&1
		rc=$?
		if [ $rc -eq 2 ] && grep -q "cannot be given in seconds" "$h/hf.out" && [ ! -e "$h/hf.json" ]; then
			pass "export --hyperfine with cycles_per_sec $v fails with exit 2, writing nothing"
		else
			fail "export --hyperfine with cycles_per_sec $v fails with exit 2, writing nothing" \
				"exit $rc: $(cat "$h/hf.out")"
		fi
	done
	"$RUNNER" export --hyperfine "$tcg1" >"$h/hf.json"
	check_eq "export --hyperfine of a good result has an entry per cell and op" \
		"$(jq '[.cells[] | select(.status == "ok")] | length * 2' "$tcg1")" \
		"$(jq '.results | length' "$h/hf.json")"
	check_eq "... its median, in cycles, is the result's net figure (null twins taken off, as compare's)" \
		"$(jq -c '[.cells[] | .map_cycles_per_op_net, .unmap_cycles_per_op_net | . * 1000 | round]' "$tcg1")" \
		"$(jq -c --slurpfile r "$tcg1" '[.results[] | .median * $r[0].module.cycles_per_sec * 1000 | round]' "$h/hf.json")"
	"$RUNNER" export --hyperfine -o "$h/hf-icount.json" "$ref/after" >"$h/hf-icount.out" 2>&1
	check_eq "export --hyperfine of tcg-icount results: exit 2, instructions are not seconds, nothing written" "2 1 no" \
		"$? $(grep -c 'tcg-icount figures are instructions, not time' "$h/hf-icount.out") $([ -e "$h/hf-icount.json" ] && echo yes || echo no)"
	"$RUNNER" export --csv "$ref/after" >"$h/folder.csv"
	check_eq "export --csv of a folder: one header, a line per cell of every result in it" \
		"1 $(jq '.cells | length' "$ref"/after/*.json | awk '{ s += $1 } END { print s }')" \
		"$(grep -c '^kernel,' "$h/folder.csv") $(grep -vc '^kernel,' "$h/folder.csv")"
	check_eq "... the lines of each file's own export, in the folder's order" \
		"$(for f in "$ref"/after/*.json; do "$RUNNER" export --csv "$f" | tail -n +2; done | md5sum)" \
		"$(tail -n +2 "$h/folder.csv" | md5sum)"

	echo "# hostile: result files with the right keys and the wrong types"
	local ref=$TOP/results/reference d=$T/typed f
	mkdir -p "$d/jq/before" "$d/jq/after"
	for f in "$ref"/before/*.json; do jq . "$f" >"$d/jq/before/$(basename "$f")"; done
	for f in "$ref"/after/*.json; do jq . "$f" >"$d/jq/after/$(basename "$f")"; done
	check_eq "a jq round trip writes integers for whole reals (16.0 -> 16)" true \
		"$([ "$(grep -c '"map_cycles_per_op": 16,' "$d/jq/before/direct.json")" -ge 1 ] && echo true)"
	"$RUNNER" compare "$d/jq/before" "$d/jq/after" >"$d/jq.txt" 2>&1
	check "... and compare gives the same figures as on the originals" cmp "$ref/compare.txt" "$d/jq.txt"
	for edit in '.cells[1].api = 5' '.cells[1].job = {}' '.cells[1].batch = 0' \
		    '.cells[1].samples.map[0] = "x"' '.cells[1].baseline.map_cycles_per_op = "12"' \
		    '.cells[1].size = 4096.5' '.cells[1].threads = 0'; do
		mkdir -p "$d/bad"
		jq "$edit" "$ref/before/direct.json" >"$d/bad/direct.json"
		"$RUNNER" check "$d/bad/direct.json" >"$d/bad.out" 2>&1
		check_eq "check refuses a result with $edit (exit 1)" 1 $?
		check_grep "... naming the cell" "cells\[1\]" "$d/bad.out"
		"$RUNNER" gate "$d/bad" "$ref/after" >"$d/bad.out" 2>&1
		check_eq "gate refuses it as bad input (exit 5: not kselftest's 2), no crash" 5 $?
		"$RUNNER" report "$d/bad" "$ref/after" >"$d/bad.out" 2>&1
		rc=$?
		check_eq "report refuses it, no crash" true "$([ $rc -ne 0 ] && [ $rc -lt 128 ] && echo true)"
	done

	echo "# hostile: a result that cannot be written"
	"$RUNNER" run -o /nonexistent/dir/r.json "$TOP/configs/quick.ini" >"$T/run-o.out" 2>&1
	check_eq "run with an unwritable -o exits 2" 2 $?
	check_grep "... before measuring anything, naming the path" "/nonexistent/dir/r.json: cannot write the result there .*nothing measured" "$T/run-o.out"

	echo "# hostile: one exit code per cause, in every command"
	local ref=$TOP/results/reference cmd
	for cmd in "compare -o /nonexistent/o $ref/before $ref/after" "report -o /nonexistent/o $ref/before $ref/after" \
		   "kcidb -o /nonexistent/o $ref/before $ref/after" "export --csv -o /nonexistent/o $ref/after/direct.json" \
		   "plot -o /nonexistent/o $ref/before $ref/after" "check -o /nonexistent/o $ref/after/direct.json" \
		   "merge -o /nonexistent/o $ref/after/direct.json $ref/after/direct.json"; do
		# shellcheck disable=SC2086
		"$RUNNER" $cmd >"$T/cause.out" 2>&1
		check_eq "${cmd%% *}: an output in a missing folder exits 2" 2 $?
	done
	for cmd in "compare $ref/before /nonexistent" "report /nonexistent $ref/after" "gate $ref/before /nonexistent" \
		   "kcidb /nonexistent $ref/after" "export --csv /nonexistent/r.json" "plot -n -o $T/cause $ref/before /nonexistent" \
		   "check /nonexistent/r.json" "merge -o $T/cause.json /nonexistent/a.json /nonexistent/b.json" \
		   "explain $ref/before /nonexistent" "mapbench --result /nonexistent/r.json" "unpack /nonexistent $T/cause" \
		   "config /nonexistent.ini" "mapbench --device /nonexistent"; do
		# shellcheck disable=SC2086
		"$RUNNER" $cmd >"$T/cause.out" 2>&1
		rc=$?
		check_eq "${cmd%% *}: an input that is not there exits $(bad_input_exit "$cmd")" \
			"$(bad_input_exit "$cmd") 1" "$rc $(grep -m1 -c 'nonexistent' "$T/cause.out")"
	done

	echo "# hostile: a full disk under standard output"
	for cmd in "compare $ref/before $ref/after" "report $ref/before $ref/after" \
		   "gate $ref/before $ref/after" "export --csv $ref/after/direct.json" \
		   "kcidb $ref/before $ref/after" "check $ref/after/direct.json"; do
		# shellcheck disable=SC2086
		"$RUNNER" $cmd >/dev/full 2>"$T/full.err"
		check_eq "${cmd%% *} > /dev/full: exit 2, the output is not lost in silence" \
			"2 1" "$? $(grep -c 'writing standard output failed.*the output is incomplete' "$T/full.err")"
	done
	echo "# hostile: result strings in KTAP, terminals and CSV"
	mkdir -p "$T/inj/b" "$T/inj/a"
	cp "$ref"/before/*.json "$T/inj/b/"
	for f in "$ref"/after/*.json; do
		jq '(.cells[] | select(.api == "page")) |= (.status = "error" |
			.error = "EIO\nok 99 forged\n# \u001b[2J </failure>&") |
		    .system.kernel_release += "\u001b]0;retitled\u0007\u001b[8m\rhidden" |
		    (.cells[] | select(.api == "phys") | .job) = "=HYPERLINK(\"x\")"' \
			"$f" >"$T/inj/a/$(basename "$f")"
	done
	"$RUNNER" gate "$T/inj/b" "$T/inj/a" >"$T/inj/gate.ktap" 2>&1
	check_eq "gate: a newline in a cell's error text forges no KTAP line" \
		"0 $(sed -n 's/^1\.\.//p' "$T/inj/gate.ktap")" \
		"$(grep -c '^ok 99' "$T/inj/gate.ktap") $(grep -cE '^(not )?ok [0-9]+ ' "$T/inj/gate.ktap")"
	check_fgrep "... the text shown on its diagnostic line, escaped" \
		'# after: EIO\x0aok 99 forged\x0a# \x1b[2J' "$T/inj/gate.ktap"
	"$RUNNER" gate --format junit "$T/inj/b" "$T/inj/a" >"$T/inj/gate.xml" 2>/dev/null
	check_eq "gate --format junit: markup, quotes and control bytes from a result stay text (XML parses, as many testcases as KTAP results)" \
		"$(grep -cE '^(not )?ok [0-9]+ ' "$T/inj/gate.ktap")" \
		"$(python3 -c 'import sys, xml.etree.ElementTree as E; print(len(list(E.parse(sys.argv[1]).getroot().iter("testcase"))))' "$T/inj/gate.xml" 2>&1)"
	check_fgrep "... the error text shown escaped in its message" \
		'message="after: EIO\x0aok 99 forged\x0a# \x1b[2J &lt;/failure&gt;&amp;"' "$T/inj/gate.xml"
	for cmd in compare report gate check; do
		if [ "$cmd" = check ]; then
			"$RUNNER" check "$T"/inj/a/*.json >"$T/inj/$cmd.out" 2>&1
		else
			"$RUNNER" "$cmd" "$T/inj/b" "$T/inj/a" >"$T/inj/$cmd.out" 2>&1
		fi
		check_eq "$cmd: no escape, BEL or CR byte from a result reaches the terminal" 0 \
			"$(tr -d '\n' <"$T/inj/$cmd.out" | tr -cd '\033\007\r' | wc -c)"
	done
	check_fgrep "... report shows them as \\xNN" 'deb13-amd64\x1b]0;retitled\x07\x1b[8m\x0dhidden' \
		"$T/inj/report.out"
	"$RUNNER" export --csv "$T/inj/a/direct.json" >"$T/inj/a.csv" 2>&1
	check_eq "export --csv: a job that a spreadsheet would run as a formula starts with a quote" \
		"0 1" "$(cut -d, -f4- "$T/inj/a.csv" | grep -c '^=') $(grep -c ",\"'=HYPERLINK(\"\"x\"\")\"," "$T/inj/a.csv")"

	echo "# hostile: results the loader refuses"
	local bad
	for bad in '.cells = "none"|cells. is not an array' \
		   '.mode.detected = "bogus"|mode.detected .bogus. is not a mode' \
		   '.cells[0].threads = 4611686018427387904|threads must be an integer from 1 to 4096' \
		   '.cells[0].batches = 2000000|batches 1..1048576' \
		   '.cells[0].ops = -5|ops must be a count' \
		   '.cells[0].job = "a\u001bb"|job name .a\\x1bb. holds a control character'; do
		jq "${bad%%|*}" "$ref/after/direct.json" >"$T/inj/bad.json"
		"$RUNNER" check "$T/inj/bad.json" >"$T/inj/bad.out" 2>&1
		check_eq "check refuses ${bad%%|*} (exit 1), saying why" "1 1" \
			"$? $(grep -cE "${bad#*|}" "$T/inj/bad.out")"
	done

	# strings too long for a 72-column mail: folded, nothing of them lost
	local x150 cmd
	x150=$(printf 'x%.0s' $(seq 150))
	mkdir -p "$T/long/b" "$T/long/a"
	for f in "$ref"/before/*.json; do
		jq --arg x "$x150" '.system.kernel_release += $x | .cells |= map(.job += $x)' \
			"$f" >"$T/long/b/$(basename "$f")"
	done
	for cmd in compare report; do
		"$RUNNER" "$cmd" "$T/long/b" "$ref/after" >"$T/long/$cmd.txt" 2>&1
		check_eq "$cmd: a 150-character kernel release and job: exit 0, every line within 72 columns" \
			"0 0" "$? $(awk 'length($0) > 72' "$T/long/$cmd.txt" | wc -l)"
		check_eq "... and the whole release is there, folded with an indent of 8" 1 \
			"$(sed -z 's/\n        //g' "$T/long/$cmd.txt" | grep -c -- "-amd64$x150 ")"
	done

	# a side of two kernels, or of two accels, would be named after its first
	mkdir -p "$T/mix/k" "$T/mix/a"
	cp "$ref/before/direct.json" "$T/mix/k/direct.json"
	cp "$ref/after/strict.json" "$T/mix/k/strict.json"
	cp "$ref/before/direct.json" "$T/mix/a/direct.json"
	jq '.system.accel = "tcg"' "$ref/before/strict.json" >"$T/mix/a/strict.json"
	for cmd in compare report gate; do
		"$RUNNER" "$cmd" "$T/mix/k" "$ref/after" >"$T/mix.out" 2>&1
		rc=$?
		check_eq "$cmd: a side of two kernels is refused (exit $(bad_input_exit "$cmd")), naming both" "$(bad_input_exit "$cmd") 1" \
			"$rc $(grep -m1 -c "before: its files mix kernels ($(jq -r .system.kernel_release "$ref/before/direct.json"), $(jq -r .system.kernel_release "$ref/after/strict.json"))" "$T/mix.out")"
		"$RUNNER" "$cmd" "$ref/before" "$T/mix/a" >"$T/mix.out" 2>&1
		rc=$?
		check_eq "$cmd: a side of two accels is refused as a whole (exit $(bad_input_exit "$cmd"))" "$(bad_input_exit "$cmd") 1" \
			"$rc $(grep -m1 -c 'after: its files mix accels (tcg-icount, tcg)' "$T/mix.out")"
	done

	# a figure below one instruction still has an exact change under icount
	mkdir -p "$T/tiny/b" "$T/tiny/a"
	jq '.cells[1].samples.map |= map(100 * $b) | .cells[1].baseline.map_cycles_per_op = 99.5' \
		--argjson b "$(jq .cells[1].batch "$ref/before/direct.json")" \
		"$ref/before/direct.json" >"$T/tiny/b/direct.json"
	jq '.cells[1].baseline.map_cycles_per_op = -300.5' "$T/tiny/b/direct.json" >"$T/tiny/a/direct.json"
	"$RUNNER" gate -t 20insn "$T/tiny/b" "$T/tiny/a" >"$T/tiny.out" 2>&1
	check_eq "gate -t 20insn: 0.5 -> 400.5 instructions per op is a regression (exit 1), not a SKIP" \
		"1 1 0" "$? $(grep -c '^not ok 1 page-vs-phys.direct.page.map$' "$T/tiny.out") $(grep -c "page.map # SKIP" "$T/tiny.out")"
	"$RUNNER" gate "$T/tiny/b" "$T/tiny/a" >"$T/tiny.out" 2>&1
	check_eq "gate (5 %): ... judged against one instruction, a regression too" \
		"1 1" "$? $(grep -c 'judged against one instruction' "$T/tiny.out")"
	jq '.cells[1].baseline.map_cycles_per_op = 99.6' "$T/tiny/b/direct.json" >"$T/tiny/a/direct.json"
	"$RUNNER" gate -t 1insn "$T/tiny/b" "$T/tiny/a" >"$T/tiny.out" 2>&1
	check_eq "gate -t 1insn: 0.5 -> 0.4 passes (exit 0)" 0 $?

	echo "# hostile: a FIFO or a device where a result should be"
	mkdir -p "$T/fifo"
	cp -r "$ref/before" "$T/fifo/b"
	mkfifo "$T/fifo/b/zz.json"
	for cmd in compare report gate plot kcidb; do
		local args=("$T/fifo/b" "$ref/after")
		[ "$cmd" = plot ] && args=(-o "$T/fifo/plots" "${args[@]}")
		timeout 60 "$RUNNER" "$cmd" "${args[@]}" >"$T/fifo.out" 2>&1
		rc=$?
		check_eq "$cmd: a FIFO named like a result in a folder is refused at once (exit $(bad_input_exit "$cmd")), not waited on" \
			"$(bad_input_exit "$cmd") 1" "$rc $(grep -m1 -c 'zz.json: not a regular file.*not a result file' "$T/fifo.out")"
	done
	timeout 60 "$RUNNER" check /dev/zero >"$T/fifo.out" 2>&1
	check_eq "check /dev/zero: not a valid result (exit 1), not read forever" "1 1" \
		"$? $(grep -c 'not a regular file' "$T/fifo.out")"
	timeout 60 "$RUNNER" report --commits "$T/fifo/b/zz.json" "$ref/before" "$ref/after" >"$T/fifo.out" 2>&1
	check_eq "report --commits FIFO: refused (exit 2)" "2 1" \
		"$? $(grep -c 'not a regular file.*not a commit list' "$T/fifo.out")"
	truncate -s 300M "$T/fifo/huge.json"
	"$RUNNER" check "$T/fifo/huge.json" >"$T/fifo.out" 2>&1
	check_eq "check on a 300 MB result file: refused by its size (exit 1), not loaded" "1 1" \
		"$? $(grep -c 'more than the 268435456 this reads' "$T/fifo.out")"
	rm -f "$T/fifo/huge.json"

	echo "# hostile: files written beside a planted link"
	mkdir -p "$T/plant"
	echo keep >"$T/plant-victim"
	# a link at the name the old pattern (PATH.tmp.PID) gave, and more
	for n in $(seq 1 16); do ln -sf "$T/plant-victim" "$T/plant/report.txt.tmp.$n"; done
	sh -c 'ln -s "$1" "$2.tmp.$$"; exec "$3" report -o "$2" "$4/before" "$4/after"' \
		sh "$T/plant-victim" "$T/plant/report.txt" "$RUNNER" "$ref" >"$T/plant.out" 2>&1
	check_eq "report -o beside links named like its temporary files: exit 0, the link's target untouched" \
		"0 keep" "$? $(cat "$T/plant-victim")"
	check_eq "... the report written, mode 0644, no temporary file left" "-rw-r--r-- 17" \
		"$(stat -c %A "$T/plant/report.txt") $(ls "$T/plant" | grep -c '\.tmp\.')"

	echo "# hostile: an output name as long as the system takes"
	local long
	long=$(printf 'n%.0s' $(seq 250))
	mkdir -p "$T/longname"
	"$RUNNER" report -o "$T/longname/$long" "$ref/before" "$ref/after" >"$T/longname.out" 2>&1
	check_eq "report -o a 250-character name: exit 0, written, no temporary file left" "0 $long" \
		"$? $(ls "$T/longname")"

	echo "# hostile: outputs the system owns, written in place"
	"$RUNNER" report "$ref/before" "$ref/after" >"$T/ref-report.txt" 2>&1
	"$RUNNER" report -o /proc/self/fd/3 "$ref/before" "$ref/after" 3>"$T/fd3.txt" >"$T/fd3.out" 2>&1
	check_eq "report -o /proc/self/fd/3: exit 0, the report written into the descriptor" \
		"0 same" "$? $(cmp -s "$T/ref-report.txt" "$T/fd3.txt" && echo same)"
	"$RUNNER" report -o /dev/full "$ref/before" "$ref/after" >"$T/devfull.out" 2>&1
	check_eq "report -o /dev/full: exit 2, naming it" "2 1" "$? $(grep -c '^dmabench: error: /dev/full: No space left' "$T/devfull.out")"
	check_eq "... /dev/full is still the device, not a file renamed over it" "character special file" \
		"$(stat -c %F /dev/full)"
	# a broken build replaced the device: put it back for the rest of the machine
	[ -c /dev/full ] || { rm -f /dev/full; mknod -m 666 /dev/full c 1 7; }

	echo "# hostile: two runs writing one folder"
	mkdir -p "$T/busy"
	# -o: the lock is flock's own, gone when it is killed
	flock -x -o "$T/busy" sleep 60 &
	local holder=$!
	while flock -n "$T/busy" true; do sleep 0.1; done
	"$RUNNER" plot -o "$T/busy" "$ref/before" "$ref/after" >"$T/busy-plot.out" 2>&1
	check_eq "plot into a folder another run holds: exit 2, saying so" "2 1" \
		"$? $(grep -c "$T/busy: another dmabench run is writing into this folder" "$T/busy-plot.out")"
	"$RUNNER" unpack "$ref/before/direct.json" "$T/busy" >"$T/busy-unpack.out" 2>&1
	check_eq "unpack into it: exit 2, saying so" "2 1" \
		"$? $(grep -c 'another dmabench run is writing into this folder' "$T/busy-unpack.out")"
	check_eq "... and neither wrote a file there" "" "$(ls -A "$T/busy")"
	kill "$holder"
	wait "$holder" 2>/dev/null
	"$RUNNER" plot -n -o "$T/busy" "$ref/before" "$ref/after" >"$T/busy-plot2.out" 2>&1
	check_eq "once the other run ended: plot exits 0 and writes there" "0 yes" \
		"$? $([ -n "$(ls -A "$T/busy")" ] && echo yes)"

	echo "# hostile: raw requests and the guest-side tools' options"
	# Parsed before the device is opened: a value that does not fit its
	# field, or reads two ways (octal?), never reaches the module.
	for kv in batch=010 batch=4294967296 cpu=-2147483649 attrs=0x10000000000000000 \
		  api=nosuch size=5G batches=-1 batch=0x; do
		"$RUNNER" request -d /nonexistent "$kv" >"$T/req.out" 2>&1
		rc=$?
		if [ $rc -eq 2 ] && grep -q "key '${kv%%=*}': '${kv#*=}' is not" "$T/req.out"; then
			pass "request refuses $kv (exit 2, naming key and value)"
		else
			fail "request refuses $kv (exit 2, naming key and value)" "rc $rc: $(head -c 200 "$T/req.out")"
		fi
	done
	"$RUNNER" request -d /nonexistent batch=0x10 cpu=-1 attrs=0xffffffffffffffff cpu=2147483647 >"$T/req.out" 2>&1
	check_grep "request takes 0x hex, a negative cpu and full-width values (then looks for the device)" \
		"/nonexistent: no such device" "$T/req.out"
	"$RUNNER" request -d /nonexistent nosuch=1 >"$T/req.out" 2>&1
	check_eq "request refuses an unknown key (exit 2)" 2 $?
	check_grep "... listing the known ones" "unknown key 'nosuch' \\(known: api size" "$T/req.out"
	"$RUNNER" fuzz --count 010 >"$T/fuzz.out" 2>&1
	check_eq "fuzz --count 010 is refused (exit 2)" 2 $?
	"$RUNNER" fuzz --seed 1 extra >"$T/fuzz.out" 2>&1
	check_eq "fuzz with a stray argument is refused (exit 2)" 2 $?
	"$RUNNER" selftest -x >"$T/st.out" 2>&1
	check_eq "selftest with an unknown option is refused (exit 2)" 2 $?
	for cmd in request fuzz selftest; do
		"$RUNNER" "$cmd" --help >"$T/help.out" 2>&1
		check_eq "$cmd --help exits 0 with its usage" "0 1" "$? $(grep -c "^usage: dmabench $cmd" "$T/help.out")"
	done
}
