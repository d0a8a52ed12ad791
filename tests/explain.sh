# SPDX-License-Identifier: GPL-2.0
# dmabench explain: per-function instruction figures from QEMU's explain
# plugin (harness/plugin/explain.c). Host tests on a recorded pair and on
# hand-made plugin output; guest tests boot real kernels under tcg-icount
# with boot.sh --explain. Sourced by tests/run.sh.

explain_host_tests() {
	local d=$TOP/tests/data/explain e=$T/explain
	echo "# explain: recorded pair, hostile input"
	mkdir -p "$e"
	"$RUNNER" explain "$d/before" "$d/after" >"$e/out" 2>&1
	check_eq "explain BEFORE AFTER on the recorded pair exits 0" 0 $?
	check_eq "... every line within 72 columns" 0 "$(awk 'length($0) > 72' "$e/out" | wc -l)"
	check_eq "... no addresses in it" 0 "$(grep -cE '0x[0-9a-f]{6}|ffffffff' "$e/out")"
	check_grep "... the page map row moved by 400" '^direct +page +map .*\+400\.0' "$e/out"
	check_eq "... under each map row one line: +400 in dma_map_phys" \
		"2 2" "$(grep -c '^ *+400\.0 dma_map_phys$' "$e/out") $(grep -c '^  ' "$e/out")"
	"$RUNNER" report "$d/before" "$d/after" >"$e/report" 2>&1
	check_eq "report on the recorded pair exits 0" 0 $?
	check_eq "... its explain section: the two map rows that changed, each with +400 in dma_map_phys" \
		"direct page map [pair]|+400.0 dma_map_phys|direct phys map [pair]|+400.0 dma_map_phys" \
		"$(sed -n '/^explain:/,/^$/p' "$e/report" | grep -E '^  [a-z]|^ +[-+][0-9]' | tr -s ' ' | sed 's/^ //' | paste -sd'|')"
	"$RUNNER" report "$TOP/results/reference/before" "$TOP/results/reference/after" >"$e/report0" 2>&1
	check_eq "... and none on results without an explain pass" 0 "$(grep -c '^explain:' "$e/report0")"
	# The sums the attach step checked, read back from the recorded files.
	check_eq "recorded: per-function map and unmap totals add up to the pass's counter totals" \
		"true" "$(jq -s '[.[].cells[] | select(.explain) | .explain |
			([.functions[].map_total] | add) == .map_cycles_total and
			([.functions[].unmap_total] | add) == .unmap_cycles_total] | all' \
			"$d"/before/direct.json "$d"/after/direct.json)"

	# Hostile: results without explain data, garbled figures.
	"$RUNNER" explain "$TOP/results/reference/before" "$TOP/results/reference/after" >"$e/noex" 2>&1
	check_eq "explain on results without an explain pass exits 2" 2 $?
	check_grep "... and says how to get one" "measure with --explain" "$e/noex"
	jq '.cells[1].explain.functions[0].map = "lots"' "$d/after/direct.json" >"$e/garbled.json"
	"$RUNNER" explain "$d/before/direct.json" "$e/garbled.json" >"$e/garb" 2>&1
	check_eq "explain with garbled per-function figures exits 2" 2 $?
	check_grep "... naming the row and what is wrong" "direct pair page: function 0: garbled figures" "$e/garb"
	jq '.cells[2].explain |= {session: 1, ops: 640, map_cycles_total: 1, unmap_cycles_total: 1}' \
		"$d/after/direct.json" >"$e/unattached.json"
	"$RUNNER" explain "$d/before/direct.json" "$e/unattached.json" >"$e/unatt" 2>&1
	check_eq "explain with an explain pass never attached exits 2" 2 $?
	check_grep "... and says so" "not attached" "$e/unatt"
	"$RUNNER" explain "$d/before/direct.json" "$e/nosuch.json" >"$e/nofile" 2>&1
	check_eq "explain with a missing result exits 2" 2 $?

	# --attach on hand-made plugin output: two symbols, two sessions.
	jq '.cells |= map(del(.explain)) | .cells[0].explain = {session: 0, ops: 2, map_cycles_total: 10, unmap_cycles_total: 4}
		| .cells[1].explain = {session: 1, ops: 2, map_cycles_total: 6, unmap_cycles_total: 0}' \
		"$d/before/direct.json" >"$e/r.json"
	printf 'ffffffff81000000 T alpha\nffffffff81000100 t beta\nffffffffc0000000 t loop [dmabench]\n' |
		gzip >"$e/syms.gz"
	printf 'session 0 windows 4\nffffffff81000000 2 0 0\nffffffff81000004 6 0 9\nffffffffc0000010 2 4 3\nend 0\nsession 1 windows 4\nffffffff81000100 6 0 0\nend 1\n' >"$e/raw"
	cp "$e/r.json" "$e/r1.json"
	"$RUNNER" explain --attach "$e/r1.json" "$e/raw" "$e/syms.gz" >"$e/att" 2>&1
	check_eq "attach: hand-made plugin output attaches" 0 $?
	check_eq "... per function and op, divided by the ops, calls at the first instruction" \
		'alpha 4 0 1 0|loop [dmabench] 1 2 0 0|beta 3 0 3 0' \
		"$(jq -r '[.cells[0,1].explain.functions[] | "\(.name) \(.map) \(.unmap) \(.map_calls) \(.unmap_calls)"] | join("|")' "$e/r1.json")"
	check_eq "... outside the windows kept apart, per op" "6" "$(jq '.cells[0].explain.outside_per_op' "$e/r1.json")"
	# Another vCPU's instructions inside a window (six columns): apart.
	printf 'session 0 windows 4\nffffffff81000000 2 0 0 4 2\nffffffff81000004 4 0 9 0 0\nffffffffc0000010 0 2 3 0 0\nend 0\nsession 1 windows 4\nffffffff81000100 6 0 0\nend 1\n' >"$e/raw6"
	cp "$e/r.json" "$e/r6.json"
	"$RUNNER" explain --attach "$e/r6.json" "$e/raw6" "$e/syms.gz" >"$e/att6" 2>&1
	check_eq "attach: another vCPU's instructions in a window are a function of their own" \
		'alpha 3 0 1 0|alpha (other CPU) 2 1 2 1|loop [dmabench] 0 1 0 0' \
		"$(jq -r '[.cells[0].explain.functions[] | "\(.name) \(.map) \(.unmap) \(.map_calls) \(.unmap_calls)"] | join("|")' "$e/r6.json")"
	# Call contexts: loop calls alpha, alpha calls beta, beta tail-jumps
	# into gamma (its frame stays beta's); in unmap loop calls beta.
	printf 'ffffffff81000000 T alpha\nffffffff81000100 t beta\nffffffff81000200 t gamma\nffffffffc0000000 t loop [dmabench]\n' |
		gzip >"$e/syms4.gz"
	printf '%s\n' 'session 0 windows 4' 'ffffffffc0000010 2 2 3' 'ffffffff81000000 2 0 0' \
		'ffffffff81000004 2 0 0' 'ffffffff81000100 1 2 0' 'ffffffff81000200 3 0 0' \
		'node 0 -1 0 ffffffffc0000010' 'node 1 0 ffffffffc0000014 ffffffff81000000' \
		'node 2 1 ffffffff81000004 ffffffff81000100' 'node 3 0 ffffffffc0000014 ffffffff81000100' \
		'ctx 0 ffffffffc0000010 2 2' 'ctx 1 ffffffff81000000 2 0' 'ctx 1 ffffffff81000004 2 0' \
		'ctx 2 ffffffff81000100 1 0' 'ctx 2 ffffffff81000200 3 0' 'ctx 3 ffffffff81000100 0 2' \
		'end 0' 'session 1 windows 4' 'ffffffff81000100 6 0 0' 'end 1' >"$e/rawc"
	cp "$e/r.json" "$e/rc.json"
	"$RUNNER" explain --attach "$e/rc.json" "$e/rawc" "$e/syms4.gz" >"$e/attc" 2>&1
	check_eq "attach: call contexts attach" 0 $?
	check_eq "... each function with its callees: all on its path, a tail call's in its caller's" \
		'alpha 2 0 4 0|loop [dmabench] 1 1 5 2|beta 0.5 1 2 1|gamma 1.5 0 1.5 0' \
		"$(jq -r '[.cells[0].explain.functions[] | "\(.name) \(.map) \(.unmap) \(.map_with_callees) \(.unmap_with_callees)"] | join("|")' "$e/rc.json")"
	check_eq "... and a session without contexts has no such figures" false \
		"$(jq '.cells[1].explain.functions | any(has("map_with_callees"))' "$e/rc.json")"
	sed 's/^ctx 2 ffffffff81000200 3 0$/ctx 2 ffffffff81000200 2 0/' "$e/rawc" >"$e/rawc2"
	cp "$e/r.json" "$e/rc2.json"
	"$RUNNER" explain --attach "$e/rc2.json" "$e/rawc2" "$e/syms4.gz" >"$e/attc2" 2>&1
	check_eq "attach refuses call contexts that miss an instruction (exit 2)" 2 $?
	check_grep "... saying so" "call contexts hold 9 map and 4 unmap instructions, the windows 10 and 4" "$e/attc2"
	sed 's/^node 2 1 /node 2 2 /' "$e/rawc" >"$e/rawc3"
	cp "$e/r.json" "$e/rc3.json"
	"$RUNNER" explain --attach "$e/rc3.json" "$e/rawc3" "$e/syms4.gz" >"$e/attc3" 2>&1
	check_eq "attach refuses a context that is its own parent (exit 2)" 2 $?
	check_grep "... as a garbled line" "rawc3:9: garbled line" "$e/attc3"
	attach_refused() { # NAME RAW-TEXT PATTERN [SYMS]
		cp "$e/r.json" "$e/r2.json"
		printf "$2" >"$e/raw2"
		"$RUNNER" explain --attach "$e/r2.json" "$e/raw2" "${4:-$e/syms.gz}" >"$e/att2" 2>&1
		check_eq "attach refuses $1 (exit 2)" 2 $?
		check_grep "... saying so" "$3" "$e/att2"
		check "... and leaves the result as it was" cmp -s "$e/r.json" "$e/r2.json"
	}
	attach_refused "an empty plugin output" '' 'no session 0'
	attach_refused "a garbled line" 'session 0 windows 4\nffffffff81000000 two 0 0\nend 0\n' 'raw2:2: garbled line'
	attach_refused "a truncated session" 'session 0 windows 4\nffffffff81000000 10 4 0\n' 'session 0 has no end'
	attach_refused "counts that do not add up to the counter" \
		'session 0 windows 4\nffffffff81000000 9 4 0\nend 0\nsession 1 windows 4\nffffffff81000100 6 0 0\nend 1\n' \
		'counted 9 map and 4 unmap instructions, the pass.s counter 10 and 4'
	attach_refused "sessions out of order" 'session 1 windows 4\nend 1\n' 'session 1 where session 0 was due'
	attach_refused "more sessions than cells" \
		'session 0 windows 4\nffffffff81000000 10 4 0\nend 0\nsession 1 windows 4\nffffffff81000100 6 0 0\nend 1\nsession 2 windows 0\nend 2\n' \
		'more sessions than explained cells'
	printf 'not gzip at all' >"$e/bad.gz"
	attach_refused "garbled symbols" 'session 0 windows 4\nend 0\n' 'bad.gz:1: not a text symbol line' "$e/bad.gz"
	attach_refused "missing symbols" 'session 0 windows 4\nend 0\n' 'nosuch.gz' "$e/nosuch.gz"
	cp "$e/r.json" "$e/r3.json"
	"$RUNNER" explain --attach "$e/r3.json" "$e/nosuch.raw" "$e/syms.gz" >"$e/att3" 2>&1
	check_eq "attach refuses a missing plugin output (exit 2)" 2 $?
	check_grep "... asking whether QEMU had the plugin" "explain plugin" "$e/att3"
	explain_large_tests
}

# explain_raw N DEPTH OUT: symbols, plugin output and a result for N
# functions, each one instruction per window, on a call chain DEPTH deep.
explain_raw() {
	local n=$1 depth=$2 out=$3
	mkdir -p "$out"
	awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) printf "ffffffff8%07x t f%d\n", i * 16, i }' |
		gzip >"$out/syms.gz"
	awk -v n="$n" -v d="$depth" 'BEGIN {
		print "session 0 windows 4"
		for (i = 0; i < n; i++) printf "ffffffff8%07x 1 0 0\n", i * 16
		print "node 0 -1 0 ffffffff80000000"
		for (i = 1; i < d; i++)
			printf "node %d %d ffffffff8%07x ffffffff8%07x\n", i, i - 1, (i - 1) * 16 + 4, i * 16
		for (i = 0; i < n; i++) printf "ctx %d ffffffff8%07x 1 0\n", i % d, i * 16
		print "end 0"; print "session 1 windows 4"; print "ffffffff80000100 6 0 0"; print "end 1" }' \
		>"$out/raw"
	jq --argjson n "$n" '.cells |= map(del(.explain)) |
		.cells[0].explain = {session: 0, ops: 2, map_cycles_total: $n, unmap_cycles_total: 0} |
		.cells[1].explain = {session: 1, ops: 2, map_cycles_total: 6, unmap_cycles_total: 0}' \
		"$TOP/tests/data/explain/before/direct.json" >"$out/r.json"
}

# Readers linear in their input: 20,000 functions and a call chain as deep
# as the plugin's stack attach and compare (a timeout guards a hang; no
# time is asserted); a chain deeper than that stack is not the plugin's.
explain_large_tests() {
	local e=$T/explain-large
	echo "# explain: large plugin output, a chain deeper than the plugin's stack"
	explain_raw 20000 256 "$e"
	cp "$e/r.json" "$e/b.json"
	timeout 300 "$RUNNER" explain --attach "$e/b.json" "$e/raw" "$e/syms.gz" >"$e/att" 2>&1
	check_eq "attach: 20,000 functions on a 256-deep call chain attach (exit 0)" 0 $?
	check_eq "... each function once, the chain's root with every instruction under it" \
		"20000 10000" "$(jq -r '.cells[0].explain.functions | "\(length) \(map(select(.name == "f0"))[0].map_with_callees)"' "$e/b.json")"
	sed -i 's/^ffffffff80000010 1 0 0$/ffffffff80000010 3 0 0/; s/^ctx 1 ffffffff80000010 1 0$/ctx 1 ffffffff80000010 3 0/' "$e/raw"
	jq '.cells[0].explain.map_cycles_total += 2' "$e/r.json" >"$e/a.json"
	timeout 300 "$RUNNER" explain --attach "$e/a.json" "$e/raw" "$e/syms.gz" >"$e/att" 2>&1
	timeout 300 "$RUNNER" explain -n 0 "$e/b.json" "$e/a.json" >"$e/cmp" 2>&1
	check_eq "explain of the two: exit 0, the one function that moved, by +1.0" "0 1" \
		"$? $(grep -c '^      +1.0 f1$' "$e/cmp")"
	explain_raw 300 258 "$e/deep"
	cp "$e/deep/r.json" "$e/deep/r1.json"
	"$RUNNER" explain --attach "$e/deep/r1.json" "$e/deep/raw" "$e/deep/syms.gz" >"$e/deep/att" 2>&1
	check_eq "attach refuses a call chain deeper than the plugin's 256 (exit 2)" 2 $?
	check_grep "... at the node that goes too deep" "raw:559: garbled line" "$e/deep/att"
}

# explain_boot KERNEL OUT: one direct-mode boot with the explain pass.
explain_boot() {
	"$TOP/harness/boot.sh" --explain --accel tcg-icount --config "$TOP/tests/configs/explain.ini" \
		--timeout 900 "$1" direct "$2" >"$2.log" 2>&1
}

# explain_guest_tests BEFORE-KERNEL AFTER-KERNEL (the Debian pair)
explain_guest_tests() {
	local kb=$1 ka=$2 e=$T/explain-guest base nops r k
	echo "# explain: real guests under tcg-icount, direct mode"
	# The scratch tree's base and its 400-nop commit (master~1), built by
	# the series tests with one config: the first config both were built with.
	local tree=$CACHE/test-tree/linux b n k2
	base= nops=
	b=$(git -c safe.directory='*' -C "$tree" rev-parse --short=12 'base^{commit}' 2>/dev/null)
	n=$(git -c safe.directory='*' -C "$tree" rev-parse --short=12 'master~1' 2>/dev/null)
	for k in "$CACHE"/kernels/git-"$b"-*; do
		k2=$CACHE/kernels/git-$n-${k##*-}
		if [ -n "$b" ] && [ -n "$n" ] && [ -s "$k/vmlinuz" ] && [ -s "$k2/vmlinuz" ]; then
			base=$(basename "$k") nops=$(basename "$k2")
			break
		fi
	done
	if [ -n "$base" ]; then
		"$TOP/harness/build-module.sh" "$base" >/dev/null 2>&1 &&
			"$TOP/harness/build-module.sh" "$nops" >/dev/null 2>&1 || base=
	fi
	mkdir -p "$e"
	explain_boot "$kb" "$e/before" &
	explain_boot "$ka" "$e/after" &
	"$TOP/harness/boot.sh" --accel tcg-icount --config "$TOP/tests/configs/explain.ini" \
		--timeout 900 "$ka" direct "$e/plain" >"$e/plain.log" 2>&1
	wait
	check_eq "explain: the timed pass's samples are the same with the plugin and explain pass as without" \
		"$(jq -c '[.cells[] | .samples.map, .samples.unmap, .baseline]' "$e/plain/direct.json" 2>&1)" \
		"$(jq -c '[.cells[] | .samples.map, .samples.unmap, .baseline]' "$e/after/direct.json" 2>&1)"
	for k in before after; do
		r=$e/$k/direct.json
		check_eq "explain: $k boots, runs the explain pass and attaches" 0 \
			"$([ -s "$r" ] && jq -e '[.cells[] | select(.status == "ok") | .explain.functions | length > 0] | all' "$r" >/dev/null; echo $?)"
		# Summed: every function's own instructions in the map (unmap)
		# windows, the loop's share on the module's functions included.
		# Compared: the timed pass's raw icount totals (sum over measured
		# batches of the counter differences, not net of the null loop),
		# exactly, and its per-op median within rounding: in direct mode
		# every op costs the same.
		check_eq "explain $k: per-function map and unmap totals equal the timed pass's raw icount totals, every cell" \
			true "$(jq '[.cells[] | select(.status == "ok") |
				([.explain.functions[].map_total] | add) == .map_cycles_total and
				([.explain.functions[].unmap_total] | add) == .unmap_cycles_total] | all' "$r")"
		check_eq "explain $k: ... and per op they sum to the timed pass's raw per-op figure" \
			true "$(jq '[.cells[] | select(.status == "ok") |
				((.explain.functions | map(.map) | add) - .map_instructions_per_op | fabs) < 1e-6 and
				((.explain.functions | map(.unmap) | add) - .unmap_instructions_per_op | fabs) < 1e-6] | all' "$r")"
		# With callees: the loop's function holds every instruction of
		# its own vCPU's windows; no function holds less than its own.
		check_eq "explain $k: the loop with callees is the whole per-op figure (less any other vCPU's), every cell" \
			true "$(jq '[.cells[] | select(.status == "ok") | .explain.functions as $f |
				[$f[] | select(.name | test("^loop_.* \\[dmabench\\]$"))] as $l |
				($l | length) == 1 and
				(($l[0].map_with_callees + ([$f[] | select(.name | endswith("(other CPU)")) | .map] | add // 0) -
				  ($f | map(.map) | add)) | fabs) < 1e-6 and
				(($l[0].unmap_with_callees + ([$f[] | select(.name | endswith("(other CPU)")) | .unmap] | add // 0) -
				  ($f | map(.unmap) | add)) | fabs) < 1e-6] | all' "$r")"
		check_eq "explain $k: ... and every function with callees at least its own" \
			true "$(jq '[.cells[].explain.functions[]? | select(has("map_with_callees")) |
				.map_with_callees >= .map - 1e-9 and .unmap_with_callees >= .unmap - 1e-9] |
				length > 0 and all' "$r")"
		check_eq "explain $k: every instruction in a window lies in a known symbol" \
			"true false" "$(jq -r '[.cells[].explain.functions[]?.name] | "\(length > 0) \(any(. == "(unknown)"))"' "$r" 2>&1)"
	done
	fns() { jq -r --arg op "$3" '.cells[] | select(.api == "'"$2"'") | .explain.functions[] | select(.[$op] > 0) | .name' "$1"; }
	fns "$e/after/direct.json" page map >"$e/after.page"
	fns "$e/before/direct.json" page map >"$e/before.page"
	check_fgrep "explain: 7.3's direct page map runs dma_map_phys" dma_map_phys "$e/after.page"
	check_fgrep "... and force_dma_unencrypted" force_dma_unencrypted "$e/after.page"
	check_fgrep "explain: 6.12's direct page map runs dma_map_page_attrs" dma_map_page_attrs "$e/before.page"
	check_eq "... and no dma_map_phys (of a non-empty list)" "1 0" \
		"$([ -s "$e/before.page" ]; echo $((! $?))) $(grep -cx dma_map_phys "$e/before.page")"
	"$RUNNER" explain "$e/before" "$e/after" >"$e/debian.txt" 2>&1
	check_eq "explain 6.12 vs 7.3 exits 0" 0 $?
	check_grep "... names force_dma_unencrypted as new in the page map" '^ +\+[0-9.]+ force_dma_unencrypted \(new\)$' "$e/debian.txt"
	if [ -z "$base" ] || [ -z "$nops" ]; then
		fail "explain: the scratch tree's base and 400-nop kernels are in the cache" "run the series tests first"
		return
	fi
	explain_boot "$base" "$e/base" &
	explain_boot "$nops" "$e/nops" &
	wait
	"$RUNNER" explain -n 0 "$e/base" "$e/nops" >"$e/nops.txt" 2>&1
	check_eq "explain base vs the 400-nop commit exits 0" 0 $?
	check_eq "... +400 in dma_map_phys under each map row (page, phys), no other function moved" \
		"2 2" "$(grep -c '^ *+400\.0 dma_map_phys$' "$e/nops.txt") $(grep -c '^  ' "$e/nops.txt")"
	check_eq "... and the rows (null, page, phys; map, unmap) move by exactly that" \
		"+0.0 +0.0 +400.0 +0.0 +400.0 +0.0" \
		"$(awk '/^direct/ { printf "%s%s", sep, $(NF-1); sep = " " }' "$e/nops.txt")"
	"$RUNNER" explain --callees -n 0 "$e/base" "$e/nops" >"$e/nops-c.txt" 2>&1
	check_eq "explain --callees base vs the 400-nop commit exits 0" 0 $?
	check_eq "... +400 in every function on the path to the nops (page map: loop, dma_map_page_attrs, dma_map_phys; phys map: loop, dma_map_phys), nothing else" \
		"page:dma_map_page_attrs|page:dma_map_phys|page:loop_page [dmabench]|phys:dma_map_phys|phys:loop_phys [dmabench]|lines:5" \
		"$(awk '/^direct/ { row = $2 } /^ *\+400\.0 / { sub(/^ *\+400\.0 /, ""); print row ":" $0 }' "$e/nops-c.txt" |
			LC_ALL=C sort | paste -sd'|')|lines:$(grep -c '^  ' "$e/nops-c.txt")"
}

# explain_mode_tests KERNEL: the explain pass in the IOMMU and swiotlb
# modes. The pass does not repeat the timed pass to the instruction there
# (IOVA and slot state), but its own counter totals hold exactly, and the
# functions named are the mode's own path.
explain_mode_tests() {
	local k=$1 e=$T/explain-modes m r
	echo "# explain: $k strict, lazy, swiotlb"
	mkdir -p "$e"
	for m in strict lazy swiotlb; do
		"$TOP/harness/boot.sh" --explain --accel tcg-icount --config "$TOP/tests/configs/explain.ini" \
			--timeout 900 "$k" "$m" "$e/$m" >"$e/$m.log" 2>&1 &
		[ "$m" = lazy ] && wait
	done
	wait
	for m in strict lazy swiotlb; do
		r=$e/$m/$m.json
		check_eq "explain $m: boots, runs the explain pass and attaches" 0 \
			"$([ -s "$r" ] && jq -e '[.cells[] | select(.status == "ok") | .explain.functions | length > 0] | all' "$r" >/dev/null; echo $?)"
		[ -s "$r" ] || { tail -n 15 "$e/$m.log"; continue; }
		check_eq "explain $m: per-function totals equal the explain pass's own counter totals, every cell" \
			true "$(jq '[.cells[] | select(.status == "ok") | .explain |
				([.functions[].map_total] | add) == .map_cycles_total and
				([.functions[].unmap_total] | add) == .unmap_cycles_total] | all' "$r")"
		check_eq "explain $m: the loop with callees is the whole per-op figure (less any other vCPU's), every cell" \
			true "$(jq '[.cells[] | select(.status == "ok") | .explain.functions as $f |
				[$f[] | select(.name | test("^loop_.* \\[dmabench\\]$"))] as $l |
				($l | length) == 1 and
				(($l[0].map_with_callees + ([$f[] | select(.name | endswith("(other CPU)")) | .map] | add // 0) -
				  ($f | map(.map) | add)) | fabs) < 1e-6] | all' "$r")"
	done
	for m in strict lazy swiotlb; do
		jq -r --arg op "$m" '.cells[] | select(.api == "page") | .explain.functions[] |
			(select(.map > 0) | "map \(.name)"), (select(.unmap > 0) | "unmap \(.name)")' \
			"$e/$m/$m.json" >"$e/$m.fns" 2>&1
	done
	check_grep "explain strict: the page map runs the IOMMU's DMA ops" '^map iommu_dma_map_(page|phys)' "$e/strict.fns"
	check_grep "explain strict: ... and VT-d's page table code" '^map intel_iommu_' "$e/strict.fns"
	check_grep "explain lazy: the page unmap goes through the flush queue" '^unmap (queue_iova|fq_ring_)' "$e/lazy.fns"
	check_eq "explain strict: ... which strict's page unmap never touches" 0 \
		"$(grep -cE '^unmap (queue_iova|fq_ring_)' "$e/strict.fns")"
	check_grep "explain swiotlb: the page map bounces through swiotlb" '^map swiotlb_tbl_map_single' "$e/swiotlb.fns"
}

# explain_matrix_tests BEFORE AFTER (SUITE:SERIES): matrix --explain, then
# the same matrix without it, which must not be served the explain result.
explain_matrix_tests() {
	local out=$T/explain-matrix
	echo "# explain: matrix --explain"
	mkdir -p "$out"
	"$RUNNER" matrix --explain --config "$TOP/tests/configs/explain.ini" --out "$out/x" \
		--plots "$out/xp" --timeout 900 "$1" "$2" >"$out.x.log" 2>&1
	check_eq "matrix --explain exits 0" 0 $?
	check_grep "... writes explain.txt with 7.3's new force_dma_unencrypted" \
		'^ +\+[0-9.]+ force_dma_unencrypted \(new\)$' "$out/x/explain.txt"
	check_grep "... and report.txt's explain section" '^explain: ' "$out/x/report.txt"
	"$RUNNER" matrix --config "$TOP/tests/configs/explain.ini" --out "$out/p" \
		--plots "$out/pp" --timeout 900 "$1" "$2" >"$out.p.log" 2>&1
	check_eq "the same matrix without --explain exits 0" 0 $?
	check_eq "... and its results carry no explain figures (not the cached explain boot)" 0 \
		"$(jq -s '[.[].cells[] | select(has("explain"))] | length' "$out"/p/*/direct.json)"
	check "... nor an explain.txt" test ! -e "$out/p/explain.txt"
}
