# SPDX-License-Identifier: GPL-2.0
# Kernels from a git tree: 'dmabench series', '--each', 'bisect' and the
# prebuilt provider, on a scratch tree of Debian's linux-source-7.3 with a
# neutral commit, a K-nop commit and a broken one (tests/kernel-tree.sh).
# Under tcg-icount every figure is exact, so the assertions are exact too.
# Sourced by tests/run.sh.

# Host-only: usage and bad input, on a tiny git tree that is no kernel.
series_host_tests() {
	local g=$T/notkernel
	echo "# series: bad input, before any build"
	mkdir -p "$g"
	git -C "$g" init -q
	echo hello >"$g/README"
	git -C "$g" add README
	git -C "$g" -c user.name=t -c user.email=t@t commit -q -m one
	git -C "$g" -c user.name=t -c user.email=t@t commit -q --allow-empty -m two
	"$RUNNER" series --tree "$g" nosuch..HEAD >"$T/s1.out" 2>&1
	check_eq "series: a range that does not resolve exits 2" 2 $?
	check_grep "... and says so, with git's error" "fatal: .*(nosuch|revision)" "$T/s1.out"
	check_grep "... naming the range" "the range nosuch..HEAD does not resolve" "$T/s1.out"
	"$RUNNER" series --tree "$g" HEAD >"$T/s2.out" 2>&1
	check_eq "series: a single revision is not a range (exit 2)" 2 $?
	"$RUNNER" series --tree "$g" HEAD..HEAD >"$T/s3.out" 2>&1
	check_eq "series: an empty range exits 2" 2 $?
	check_grep "... and says it has no commits" "has no commits" "$T/s3.out"
	"$TOP/harness/build-kernel.sh" "$g" HEAD >"$T/s4.out" 2>&1
	check_eq "build-kernel: a tree that is no kernel exits 2" 2 $?
	check_grep "... and says what it lacks" "not a Linux source tree" "$T/s4.out"
	"$TOP/harness/build-kernel.sh" "$g" v9.9 >"$T/s5.out" 2>&1
	check_eq "build-kernel: an unknown revision exits 2" 2 $?
	check_grep "... with git's error" "'v9.9' is not a commit of .*fatal" "$T/s5.out"
	"$RUNNER" bisect --tree "$g" >"$T/s6.out" 2>&1
	check_eq "bisect without --good exits 128 (git bisect run stops)" 128 $?
	"$TOP/harness/prebuilt-kernel.sh" "$TOP/README.md" "$g" >"$T/s7.out" 2>&1
	check_eq "prebuilt: a folder that is no build tree exits 2" 2 $?
	check_grep "... and says what it lacks" "has no .config" "$T/s7.out"
	local before_runs
	before_runs=$(ls "$TOP/results" | wc -l)
	"$RUNNER" matrix nosuchkernel trixie:7 >"$T/s8.out" 2>&1
	check_eq "matrix: a kernel that is neither SUITE:SERIES nor IMAGE,KDIR exits 2" 2 $?
	check_grep "... and says what it takes" "neither SUITE:SERIES .* nor IMAGE,KDIR" "$T/s8.out"
	check_eq "... and leaves no empty result folder" "$before_runs" "$(ls "$TOP/results" | wc -l)"
	check_eq "git tree untouched by all of it" "" "$(git -C "$g" status --porcelain)"
}

# rows_of DIR API OP: "mode figure" per mode, from a result folder.
rows_of() {
	jq -r --arg api "$2" --arg op "$3" '.mode.detected as $m | .cells[] |
		select(.api == $api) | "\($m) \(.[$op + "_cycles_per_op_net"])"' "$1"/*.json | sort
}

# lows_of DIR API OP: "mode cycles-of-the-cheapest-batch batch" per mode.
lows_of() {
	jq -r --arg api "$2" --arg op "$3" '.mode.detected as $m | .cells[] |
		select(.api == $api) | "\($m) \(.samples[$op] | min) \(.batch)"' "$1"/*.json | sort
}

# bisect_run TREE BAD HEAD CONFIG: 'git bisect run' of dmabench bisect
# from base to BAD, the tree's HEAD back at HEAD after it.
bisect_run() (
	cd "$1" &&
	git bisect start "$2" base >/dev/null &&
	git bisect run "$RUNNER" bisect --good base --threshold 10 --config "$4" --timeout 600 \
		--out "$T/bisect-step" --plots "$T/bisect-plots"
	rc=$?
	git bisect reset -q "$3" >/dev/null 2>&1
	exit $rc
)

# src_is_its_revision TREE: the build root's kernel source folder holds
# exactly the revision it records (files replaced since the last build
# only where git says they changed): no file missing, extra or different.
src_is_its_revision() {
	local work=$CACHE/roots/trixie/build/kwork held idx
	held=$(cat "$work/src.commit" 2>/dev/null)
	# a cache filled before the record existed, whose kernels were all
	# built then: nothing was synced in this run (a fresh clone always is)
	if [ -z "$held" ] && [ -d "$work/src/kernel" ] && ! grep -q "building kernel" "$T"/series-*.out; then
		pass "the kernel source folder: no kernel was built in this run (cached), nothing to check"
		return
	fi
	check "the kernel source folder records the revision it holds" test -n "$held"
	idx=$(mktemp)
	rm -f "$idx"
	GIT_INDEX_FILE=$idx git -C "$1" read-tree "$held"
	GIT_INDEX_FILE=$idx git -C "$1" --work-tree="$work/src" update-index -q --refresh >/dev/null
	check_eq "the kernel source folder is exactly that revision (${held:0:12})" "" \
		"$(GIT_INDEX_FILE=$idx git -C "$1" --work-tree="$work/src" diff-files --name-status 2>&1
		   GIT_INDEX_FILE=$idx git -C "$1" --work-tree="$work/src" ls-files -o 2>&1 | head -n 5)"
	rm -f "$idx"
}

series_tests() {
	local tree cfg K base c1 c2 c3 out m api rc want got
	echo "# series: a scratch kernel tree built from source"
	tree=$("$TOP/tests/kernel-tree.sh") || { fail "the scratch kernel tree is made" "tests/kernel-tree.sh failed"; return; }
	pass "the scratch kernel tree is made"
	K=$(cat "$tree/.dmabench-k")
	base=$(git -C "$tree" rev-parse 'base^{commit}')
	c1=$(git -C "$tree" rev-parse master~2)
	c2=$(git -C "$tree" rev-parse master~1)
	c3=$(git -C "$tree" rev-parse master)
	cfg=$TOP/tests/configs/series.ini
	local head_before
	head_before=$(git -C "$tree" rev-parse HEAD)

	out=$T/series-k
	timed "series: base..(K nops), built and measured" "$RUNNER" series --tree "$tree" --config "$cfg" --out "$out" --plots "$T/series-k-plots" \
		--timeout 600 "base..$c2" >"$T/series-k.out" 2>&1
	rc=$?
	check_eq "series base..(K nops) exits 0" 0 $rc
	[ $rc -eq 0 ] || { tail -n 30 "$T/series-k.out"; return; }
	check "series wrote compare, report, commits and plots" \
		test -s "$out/compare.txt" -a -s "$out/report.txt" -a -s "$out/commits.txt" -a -s "$T/series-k-plots/direct-bars.png"
	check_eq "series: the results say which commit each side is" "$base $c2" \
		"$(jq -r '.kernel_source.commit' "$out/before/direct.json" "$out/after/direct.json" | xargs)"
	check_eq "series: ... built from git" "git" \
		"$(jq -r '.kernel_source.provider' "$out"/*/*.json | sort -u)"
	check_fgrep "report names the base by describe and commit" \
		"base (commit ${base:0:12})" "$out/report.txt"
	check_fgrep "report names the head by describe and commit" \
		"base-2-g${c2:0:9} (commit ${c2:0:12})" "$out/report.txt"
	check_fgrep "compare names each side's commit" "git ${c2:0:12} base-2-g" "$out/compare.txt"
	check_fgrep "report lists the series' first subject" "dma-mapping: a comment only" "$out/report.txt"
	check_fgrep "report lists the series' last subject" "2 ${c2:0:12} dma-mapping: $K nops" "$out/report.txt"
	check_eq "report fits in 72 columns" 0 "$(awk 'length > 72' "$out/report.txt" | wc -l)"
	for m in direct strict lazy swiotlb; do
		check_eq "series: $m mode was measured on both sides" "$m $m" \
			"$(jq -r '.mode.detected' "$out/before/$m.json" "$out/after/$m.json" | xargs)"
	done
	# The cheapest batch is the same code path on both sides in every
	# mode: it moves by exactly K per op. So does the median where every
	# batch costs the same (direct, strict, swiotlb at 64 ops a batch);
	# in lazy mode the flush queue's state moves batches by a fraction.
	for api in page phys roundtrip; do
		check_eq "K nops: the cheapest $api map batch rises by exactly $K per op, every mode" \
			"$(lows_of "$out/before" "$api" map | awk -v k="$K" '{ print $1, $2 + k * $3, $3 }')" \
			"$(lows_of "$out/after" "$api" map)"
		check_eq "K nops: the cheapest $api unmap batch does not move, every mode" \
			"$(lows_of "$out/before" "$api" unmap)" "$(lows_of "$out/after" "$api" unmap)"
		want=$(rows_of "$out/before" "$api" map | awk -v k="$K" '$1 != "lazy" { printf "%s %.1f\n", $1, $2 + k }')
		got=$(rows_of "$out/after" "$api" map | awk '$1 != "lazy" { printf "%s %.1f\n", $1, $2 }')
		check_eq "K nops: the median $api map rises by exactly $K in direct, strict, swiotlb" "$want" "$got"
		check_eq "K nops: ... and by $K within one instruction in lazy" 1 \
			"$(paste <(rows_of "$out/before" "$api" map) <(rows_of "$out/after" "$api" map) |
				awk -v k="$K" '$1 == "lazy" { d = $4 - $2 - k; print (d < 1 && d > -1) }')"
		check_eq "K nops: the median $api unmap does not move in any mode" \
			"$(rows_of "$out/before" "$api" unmap)" "$(rows_of "$out/after" "$api" unmap)"
	done
	check_eq "lazy: amortized unmap exceeds its median (the flush queue's drains are counted)" true \
		"$(jq '.cells[] | select(.api == "page") | .unmap_cycles_per_op_mean > .unmap_cycles_per_op' "$out/before/lazy.json")"
	local gap='[.cells[] | select(.api == "page" or .api == "phys") | .map_cycles_per_op_net, .unmap_cycles_per_op_net] | [.[0] - .[2], .[1] - .[3]]'
	check_eq "lazy: page minus phys (medians) equals strict's, within one instruction" true \
		"$(jq -n --argjson s "$(jq -c "$gap" "$out/before/strict.json")" --argjson l "$(jq -c "$gap" "$out/before/lazy.json")" \
			'[($s[0] - $l[0] | fabs) < 1, ($s[1] - $l[1] | fabs) < 1] | all')"
	check_eq "icount: a lazy unmap (median) costs less than a strict one, as docs/measurements.md says" true \
		"$(jq -n --slurpfile s "$out/before/strict.json" --slurpfile l "$out/before/lazy.json" \
			'($l[0].cells[] | select(.api == "page") | .unmap_cycles_per_op_net) <
			 ($s[0].cells[] | select(.api == "page") | .unmap_cycles_per_op_net)')"
	for m in direct strict lazy swiotlb; do
		check_fgrep "the report's $m page-phys is the results' page minus phys (medians)" \
			"$m: $(jq -r '[.cells[] | select(.api == "page" or .api == "phys")] |
				"\(.[0].map_cycles_per_op_net - .[1].map_cycles_per_op_net) \(.[0].unmap_cycles_per_op_net - .[1].unmap_cycles_per_op_net)"' \
				"$out/after/$m.json" | xargs printf '%+.1f/%+.1f' | sed 's/^/page-phys /')" \
			<(sed -z 's/\n        / /g' "$out/report.txt" | sed -n 's/^  \([a-z]*:\).*\(page-phys .*\)/\1 \2/p')
	done
	check_eq "K nops: the empty loop does not move" \
		"$(rows_of "$out/before" null map)" "$(rows_of "$out/after" null map)"
	"$RUNNER" gate --threshold 10 "$out/before" "$out/after" >"$T/gate-k.out" 2>&1
	check_eq "K nops: the gate fails" 1 $?
	check_eq "K nops: the gate names exactly the map rows of page, phys, roundtrip" \
		"$(for m in direct lazy strict swiotlb; do for a in page phys roundtrip; do echo "$m $a map"; done; done)" \
		"$(sed -n 's/^not ok [0-9]* .*\.\([a-z]*\)\.\([a-z]*\)\.\([a-z]*\)$/\1 \2 \3/p' "$T/gate-k.out" | sort)"

	out=$T/series-n
	timed "series: base..(comment)" "$RUNNER" series --tree "$tree" --config "$cfg" --out "$out" --plots "$T/series-n-plots" \
		--timeout 600 "base..$c1" >"$T/series-n.out" 2>&1
	check_eq "series base..(comment) exits 0" 0 $?
	# lazy mode's medians follow the flush queue's drains, which follow
	# the guest's clock: another build string moves them by a fraction
	check_eq "a comment-only commit: every figure equals the base's (direct, strict, swiotlb)" \
		"$(jq -c '[.cells[] | [.map_cycles_per_op, .unmap_cycles_per_op]]' "$out"/before/{direct,strict,swiotlb}.json)" \
		"$(jq -c '[.cells[] | [.map_cycles_per_op, .unmap_cycles_per_op]]' "$out"/after/{direct,strict,swiotlb}.json)"
	check_eq "... and lazy's within one instruction" true \
		"$(jq -n --slurpfile b "$out/before/lazy.json" --slurpfile a "$out/after/lazy.json" \
			'[range($b[0].cells | length) as $i | ($b[0].cells[$i].map_cycles_per_op - $a[0].cells[$i].map_cycles_per_op | fabs) < 1 and
			  ($b[0].cells[$i].unmap_cycles_per_op - $a[0].cells[$i].unmap_cycles_per_op | fabs) < 1] | all')"
	"$RUNNER" gate --threshold 10 "$out/before" "$out/after" >"$T/gate-n.out" 2>&1
	check_eq "a comment-only commit: the gate passes" 0 $?

	out=$T/series-each
	timed "series --each base..master" "$RUNNER" series --each --tree "$tree" --config "$cfg" --out "$out" --plots "$T/series-each-plots" \
		--timeout 600 "base..master" >"$T/series-each.out" 2>&1
	check_eq "series --each over base..master exits 0 (the broken commit is skipped)" 0 $?
	check_eq "--each: the broken commit is marked as not building" \
		"c3   ${c3:0:12} dma-mapping: a commit that does not build|     skipped: does not build" \
		"$(grep -A1 '^c3 ' "$out/each.txt" | paste -sd'|')"
	check_grep "--each: its column says skip" "^direct +page +map .* skip$" "$out/each.txt"
	awk '/^Moved/ { on = 1; next } on && $1 ~ /^c[0-9]+$/ { print $2, $3, $4, $1, $5 }' \
		"$out/each.txt" | sort >"$T/moves.txt"
	check_eq "--each: the moves are exactly the K-nop commit's map rows" \
		"$(for m in direct strict lazy swiotlb; do for a in page phys roundtrip; do echo "$m $a map c2"; done; done | sort)" \
		"$(cut -d' ' -f1-4 "$T/moves.txt")"
	# each.txt gives medians in every mode: in lazy mode the flush queue's
	# state moves a median by a fraction of an instruction
	check_eq "--each: ... each by exactly +$K (lazy: within one)" "" \
		"$(awk -v k="$K" '{ d = $5 - k } ($1 != "lazy" && d != 0) || d <= -1 || d >= 1' "$T/moves.txt")"
	check_eq "--each: each.txt fits in 72 columns" 0 "$(awk 'length > 72' "$out/each.txt" | wc -l)"
	check_eq "--each: after is the last commit that built" "$c2" \
		"$(jq -r '.kernel_source.commit' "$out/after/direct.json")"

	src_is_its_revision "$tree"

	echo "# bisect: git bisect run finds the K-nop commit"
	timed "bisect: git bisect run" bisect_run "$tree" "$c2" "$head_before" "$cfg" >"$T/bisect.out" 2>&1
	check_eq "git bisect run finishes" 0 $?
	check_grep "bisect names the K-nop commit as the first bad one" "^$c2 is the first bad commit" "$T/bisect.out"
	(cd "$tree" && git checkout -q "$c3" && "$RUNNER" bisect --good base --config "$cfg" \
		--out "$T/bisect-broken" --plots "$T/bisect-plots"; rc=$?; git checkout -q "$head_before"; exit $rc) \
		>"$T/bisect-broken.out" 2>&1
	check_eq "the bisect step skips (125) a commit that does not build" 125 $?
	check_eq "the tree's HEAD is back where it was" "$head_before" "$(git -C "$tree" rev-parse HEAD)"

	echo "# kernel config: what a mode needs is checked before building"
	sed '/^CONFIG_INTEL_IOMMU=/d' "$CACHE/kernels/$(jq -r .kernel_source.id "$T/series-k/before/direct.json")/config" \
		>"$T/no-iommu.config"
	echo '# CONFIG_INTEL_IOMMU is not set' >>"$T/no-iommu.config"
	"$RUNNER" series --tree "$tree" --kconfig "$T/no-iommu.config" --config "$cfg" \
		--out "$T/series-bad" "base..$c1" >"$T/series-bad.out" 2>&1
	check_eq "a config without INTEL_IOMMU: series exits 2" 2 $?
	check_grep "... naming the option and the modes it blocks" \
		"CONFIG_INTEL_IOMMU is not set .*modes strict, lazy need it" "$T/series-bad.out"
	check_grep "... before any build" "nothing was built" "$T/series-bad.out"
	check_eq "... and no guest was booted" "" "$(ls "$T/series-bad/before" 2>/dev/null)"

	timed series_mbox_tests series_mbox_tests "$tree" "$c2" "$K"

	echo "# prebuilt: an image and its build tree, as a user built them"
	local kb ka
	kb=$CACHE/kernels/$(jq -r .kernel_source.id "$T/series-k/before/direct.json")
	ka=$CACHE/kernels/$(jq -r .kernel_source.id "$T/series-k/after/direct.json")
	printf '[global]\nmodes = direct\nsize = 4k\nbatch = 16\nbatches = 20\nwarmup = 2\n[pair]\napi = null page\n' >"$T/pre.ini"
	out=$T/prebuilt
	timed "prebuilt: matrix on two kernels" "$RUNNER" matrix --accel tcg-icount --config "$T/pre.ini" --out "$out" --plots "$T/prebuilt-plots" \
		--timeout 600 "$kb/vmlinuz,$(cat "$kb/kdir" | sed "s|^|$CACHE/roots/trixie|")" \
		"$ka/vmlinuz,$(cat "$ka/kdir" | sed "s|^|$CACHE/roots/trixie|")" >"$T/prebuilt.out" 2>&1
	rc=$?
	check_eq "matrix on two prebuilt kernels exits 0" 0 $rc
	[ $rc -eq 0 ] || tail -n 20 "$T/prebuilt.out"
	check_eq "prebuilt results say so" "prebuilt" "$(jq -r '.kernel_source.provider' "$out"/*/*.json | sort -u)"
	check_eq "prebuilt base: the same figures as the same kernel built from git" \
		"$(rows_of "$T/series-k/before" page map | grep '^direct')" "$(rows_of "$out/before" page map)"
	check_eq "prebuilt: page map rises by exactly $K" \
		"$(rows_of "$out/before" page map | awk -v k="$K" '{ printf "%s %.1f\n", $1, $2 + k }')" \
		"$(rows_of "$out/after" page map | awk '{ printf "%s %.1f\n", $1, $2 }')"
}

# series_mbox_tests TREE C2 K: the scratch tree's base..C2 (a comment, then
# K nops) posted as an mbox with a cover letter, applied onto base by
# 'series --mbox', measured in direct mode, and answered in reply.eml.
series_mbox_tests() {
	local tree=$1 c2=$2 K=$3 mb=$T/mbox-series cover_id rc
	echo "# series --mbox: the K-nop series as posted, measured, and its reply"
	mkdir -p "$mb"
	git -C "$tree" -c user.name=Dev -c user.email=dev@example.org format-patch -q --cover-letter \
		--thread --to iommu@lists.example.org --cc reviewer@example.com -o "$mb/p" "base..$c2"
	cat "$mb"/p/*.patch >"$mb/series.mbox"
	cover_id=$(sed -n 's/^Message-I[dD]: //p' "$mb/p/0000-cover-letter.patch")
	printf '[global]\nmodes = direct\nsize = 4k\nbatch = 16\nbatches = 20\nwarmup = 2\n[pair]\napi = null page\n' >"$mb/direct.ini"
	EMAIL='Tester <tester@example.net>' "$RUNNER" series --each --attach --tree "$tree" --mbox "$mb/series.mbox" \
		--config "$mb/direct.ini" --out "$mb/out" --plots "$mb/plots" --timeout 600 base \
		>"$mb/series.out" 2>&1
	rc=$?
	check_eq "series --mbox on the scratch tree's base exits 0" 0 $rc
	[ $rc -eq 0 ] || tail -n 20 "$mb/series.out"
	check_eq "... applied as git am would, its author's own commits come back (no new kernel to build)" \
		"$(git -C "$tree" rev-parse "$c2~1" "$c2" | paste -sd' ')" \
		"$(cut -d' ' -f2 "$mb/out/applied.txt" 2>&1 | paste -sd' ')"
	check_eq "... the after side is the series' last commit as applied" \
		"$(sed -n '2s/^2 \([0-9a-f]*\) .*/\1/p' "$mb/out/applied.txt")" \
		"$(jq -r .kernel_source.commit "$mb/out/after/direct.json" 2>&1)"
	check_eq "... which is the posted code: page map rises by exactly $K" \
		"$(rows_of "$mb/out/before" page map | awk -v k="$K" '{ printf "%s %.1f\n", $1, $2 + k }')" \
		"$(rows_of "$mb/out/after" page map | awk '{ printf "%s %.1f\n", $1, $2 }')"
	check_eq "... the reply is threaded to the cover letter, addressed to its author and list" \
		"$cover_id|dev@example.org|iommu@lists.example.org reviewer@example.com" \
		"$(python3 -c 'import sys, email, email.policy as p
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=p.default)
print(m["In-Reply-To"], m["To"].addresses[0].addr_spec, " ".join(a.addr_spec for a in m["Cc"].addresses), sep="|")' \
			"$mb/out/reply.eml" 2>&1)"
	check "... with the series' report in it" grep -qF "$(sed -n 's/^ *[0-9] [0-9a-f]\{12\} //p' "$mb/out/report.txt" | tail -n 1)" \
		"$mb/out/reply.eml"
	check_eq "... and the per-commit table: the K-nop patch (c2) moved direct page map, nothing else" \
		"c2 direct page map" \
		"$(sed -n '/^Moved:/,/^$/p' "$mb/out/reply.eml" | awk '$1 ~ /^c[0-9]+$/ { print $1, $2, $3, $4 }' | paste -sd'|')"
	check_eq "... before the per-mode table" "Moved:|mode" \
		"$(grep -oE '^(Moved:|mode +api +op +before)' "$mb/out/reply.eml" | sed 's/ .*//' | paste -sd'|')"
	check_eq "--attach: the plot of the change in direct mode goes with it, as drawn" "True" \
		"$(python3 -c 'import sys, email, email.policy as p
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=p.default)
parts = list(m.iter_parts())
print(m.get_content_type() == "multipart/mixed" and [x.get_filename() for x in parts[1:]] == ["direct-change.png"] and
      parts[1].get_payload(decode=True) == open(sys.argv[2], "rb").read())' "$mb/out/reply.eml" "$mb/plots/direct-change.png" 2>&1)"
	check_grep "how to reproduce: the dmabench that measured, by commit" \
		"^  version: dmabench, commit [0-9a-f]{12}(-dirty)?$" "$mb/out/report.txt"
	check_grep "... and the command that did" "^  run: +dmabench series " "$mb/out/report.txt"
}
