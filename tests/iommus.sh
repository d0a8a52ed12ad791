# SPDX-License-Identifier: GPL-2.0
# The IOMMUs Linux ships on x86 (VT-d, AMD-Vi, virtio-iommu) and
# passthrough: one matrix over all three on both kernels (AMD-Vi's lazy is
# refused by the guest: "not available on this machine", not a failed
# run; virtio-iommu's driver is fetched from Debian's modules package),
# virtio-iommu without its driver (the runner names the missing module);
# the iommu key and --iommu refused when wrong; compare, report and gate
# of a recorded three-IOMMU matrix.
# Sourced.

# iommu_host_tests: bad names, before any guest.
iommu_host_tests() {
	local d=$T/iommu-host out
	echo "# IOMMUs: bad names"
	mkdir -p "$d"
	printf '[global]\niommu = arm-smmu\n[j]\napi = page\n' >"$d/bad.ini"
	out=$("$RUNNER" config "$d/bad.ini" 2>&1)
	check_eq "config: iommu = arm-smmu is refused (exit 2)" 2 $?
	check_grep "... naming the known ones" "unknown IOMMU 'arm-smmu' \(known: intel amd virtio smmuv3\)" <(echo "$out")
	out=$("$RUNNER" matrix --iommu smmu bookworm:6.12 trixie:7 2>&1)
	check_eq "matrix --iommu smmu: exit 2" 2 $?
	check_grep "... saying which are known" "--iommu 'smmu': unknown IOMMU 'smmu' \(known: intel amd virtio smmuv3, comma-separated\)" <(echo "$out")
	out=$("$RUNNER" matrix --iommu intel,,amd bookworm:6.12 trixie:7 2>&1)
	check_eq "matrix --iommu intel,,amd: exit 2" 2 $?
	check_grep "... naming the empty name" "--iommu 'intel,,amd': unknown IOMMU ''" <(echo "$out")
	out=$("$RUNNER" matrix --iommu amd,virtio, bookworm:6.12 trixie:7 2>&1)
	check_eq "matrix --iommu amd,virtio, (a trailing comma): exit 2" 2 $?
	printf '[global]\niommu = intel amd virtio\napi = page\n' >"$d/three.ini"
	check_eq "config: iommu = intel amd virtio is taken" 0 \
		"$("$RUNNER" config "$d/three.ini" >/dev/null 2>&1; echo $?)"
	out=$("$TOP/harness/boot.sh" --iommu smmu 7.3.4+deb13-amd64 strict "$d/x" 2>&1)
	check "boot.sh --iommu smmu fails" test $? -ne 0
	check_grep "... saying which are known" "unknown IOMMU 'smmu' for an x86_64 kernel \(intel amd virtio\)" <(echo "$out")
	# arm64's one IOMMU and x86_64's three do not mix
	out=$("$RUNNER" matrix --iommu smmuv3 bookworm:6.12 trixie:7 2>&1)
	check_eq "matrix --iommu smmuv3 without --arch arm64: exit 2" 2 $?
	check_grep "... saying it is arm64's" "smmuv3 is an arm64 IOMMU: add --arch arm64" <(echo "$out")
	out=$("$RUNNER" matrix --arch arm64 --iommu intel bookworm:6.12 trixie:7 2>&1)
	check_eq "matrix --arch arm64 --iommu intel: exit 2" 2 $?
	check_grep "... saying arm64's IOMMU is smmuv3" "--arch arm64: its IOMMU is smmuv3" <(echo "$out")
	out=$("$RUNNER" matrix --arch sparc bookworm:6.12 trixie:7 2>&1)
	check_eq "matrix --arch sparc: exit 2" 2 $?
	check_grep "... naming the known ones" "--arch 'sparc': known are x86_64 and arm64" <(echo "$out")
	out=$("$RUNNER" matrix --arch arm64 --explain bookworm:6.12 trixie:7 2>&1)
	check_eq "matrix --arch arm64 --explain: exit 2" 2 $?
	check_grep "... saying what arm64 guests take" "arm64 guests run under tcg or tcg-icount, without --explain" <(echo "$out")
	out=$("$RUNNER" matrix --arch arm64 --accel kvm bookworm:6.12 trixie:7 2>&1)
	check_eq "matrix --arch arm64 --accel kvm: exit 2" 2 $?
	out=$("$RUNNER" matrix --arch arm64 /boot/vmlinuz,/tmp trixie:7 2>&1)
	check_eq "matrix --arch arm64 with an IMAGE,KDIR kernel: exit 2" 2 $?
	check_grep "... saying it takes Debian kernels" "arm64 takes Debian kernels \(SUITE:SERIES\) only" <(echo "$out")
	out=$("$RUNNER" series --arch arm64 --tree "$TOP" HEAD~1..HEAD 2>&1)
	check_eq "series --arch arm64: exit 2" 2 $?
	check_grep "... saying series builds x86_64 kernels" "series builds x86_64 kernels" <(echo "$out")
}

# iommu_tests KERNEL-AFTER SUITE:SERIES SUITE:SERIES: the matrix boots both
# kernels, the single guests the after one.
iommu_tests() {
	local ka=$1 d=$T/iommus m s r i
	echo "# IOMMUs: VT-d, AMD-Vi and virtio-iommu in one matrix, passthrough"
	mkdir -p "$d"
	"$RUNNER" matrix --accel tcg-icount --iommu intel,amd,virtio --config "$TOP/tests/configs/iommu.ini" \
		-o "$d/all" -p "$d/all-plots" "$2" "$3" >"$d/all.out" 2>&1
	check_eq "matrix --iommu intel,amd,virtio (strict, lazy, passthrough): exit 0" 0 $?
	for s in before after; do
		r=$d/all/$s
		for i in intel:intel-iommu amd:amd-iommu virtio:virtio-iommu-pci; do
			for m in strict:DMA lazy:DMA-FQ passthrough:identity; do
				[ "$i$m" = amd:amd-iommulazy:DMA-FQ ] && continue
				check_eq "$s ${i%%:*}-${m%%:*}.json: measured in ${m%%:*} (group type ${m#*:}) by ${i#*:}" \
					"${m%%:*} ${m#*:} ${i#*:} ok" \
					"$(jq -r '[.mode.detected, .module.iommu_group_type, (.machine.iommu | sub(",.*"; "")),
						.cells[0].status] | join(" ")' "$r/${i%%:*}-${m%%:*}.json" 2>&1)"
			done
		done
		check "AMD-Vi $s lazy: no result" test ! -e "$r/amd-lazy.json"
		check_grep "... but the reason: the guest forces strict" \
			"lazy is not available on this machine: the kernel was booted with iommu.strict=0 and still runs .* strict" \
			"$r/amd-lazy.unavailable"
		check_eq "$s: no file named by the mode alone" "" \
			"$(cd "$r" && ls strict.* lazy.* passthrough.* 2>/dev/null)"
	done
	check_grep "the matrix says so as it goes" "lazy is not available on this machine.*amd-iommu" "$d/all.out"
	check_grep "... and names each guest by IOMMU and mode" "\] 7\.3\.[^ ]* virtio-passthrough \(tcg-icount\)(: cached)?$" "$d/all.out"
	check_grep "the report says it per side" "^  amd-lazy:$" "$d/all/report.txt"
	check_grep "... and names the IOMMU on each mode's line" "^ +-device amd-iommu\)" "$d/all/report.txt"
	check_eq "... with a group per IOMMU in the table" 3 \
		"$(grep -cE '^(VT-d|AMD-Vi|virtio-iommu): \[quick\]' "$d/all/compare.txt")"
	check_grep "passthrough rows read 'pt' in the 72-column table" "^pt +page +map " "$d/all/compare.txt"
	check_eq "... every line of report.txt fits 72 columns" 0 \
		"$(awk 'length > 72' "$d/all/report.txt" | wc -l)"
	check "virtio-iommu's driver, from Debian's modules package, is in the cache" \
		test -s "$CACHE/kernels/$ka/modules/virtio_iommu.ko"
	check_eq "... loaded before dmabench.ko without a failure (the strict result above needs it)" 0 \
		"$(grep -c 'dmabench-guest: insmod .* failed' "$d/all/after/virtio-strict.console.log")"
	# Again: every guest from the cache, under its IOMMU-MODE name.
	"$RUNNER" matrix --accel tcg-icount --iommu intel,amd,virtio --config "$TOP/tests/configs/iommu.ini" \
		-o "$d/again" -p "$d/again-plots" "$2" "$3" >"$d/again.out" 2>&1
	check_eq "the same matrix again: exit 0, 16 guests from the cache, the same table" "0 16 same" \
		"$? $(grep -c ': cached$' "$d/again.out") $(cmp -s "$d/all/compare.txt" "$d/again/compare.txt" && echo same)"

	"$TOP/harness/boot.sh" --accel tcg-icount --config "$TOP/tests/configs/iommu.ini" \
		--timeout 600 --iommu virtio --no-iommu-driver --job "$TOP/tests/guest/iommu-nodriver.sh" \
		"$ka" strict "$d/nodriver" >"$d/nodriver.out" 2>&1
	check_eq "virtio-iommu without its driver: the guest job ran" 0 $?
	check_eq "... dmabench info at once: no device (exit 2)" 2 "$(cat "$d/nodriver/info-at-once.rc")"
	check_grep "... naming the missing module" \
		"virtio-iommu device virtio[0-9]+ has no driver: .*load its module, virtio_iommu" "$d/nodriver/info-at-once.txt"
	check_eq "... and once the kernel gave up waiting, a strict run: mode mismatch (exit 3)" 3 \
		"$(cat "$d/nodriver/run-late.rc")"
	check_grep "... which says direct, and why" \
		"in direct mode .*: the virtio-iommu device virtio[0-9]+ has no driver" "$d/nodriver/run-late.txt"
}

# iommu_recorded_tests: compare, report and gate on a recorded matrix of
# three IOMMUs (tests/data/iommus): each row keeps to its IOMMU.
iommu_recorded_tests() {
	local src=$TOP/tests/data/iommus d=$T/iommu-recorded want got i m
	echo "# IOMMUs: several in one matrix, recorded"
	mkdir -p "$d"
	"$RUNNER" compare "$src/before" "$src/after" >"$d/compare.txt" 2>&1
	check_eq "compare of three IOMMUs: exit 0" 0 $?
	check_eq "... one group per IOMMU, VT-d, AMD-Vi, virtio-iommu in that order" \
		"VT-d: [quick]|AMD-Vi: [quick]|virtio-iommu: [quick]" \
		"$(grep -o '^[A-Za-z-]*: \[quick\]' "$d/compare.txt" | paste -sd'|')"
	# Every row's figures are its own IOMMU's, on both sides: a row
	# matched across IOMMUs would carry VT-d's figure under AMD-Vi. (The
	# medians of passthrough and strict; lazy's rows are amortized.)
	want= got=
	for i in intel:VT-d amd:AMD-Vi virtio:virtio-iommu; do
		for m in passthrough:pt strict:strict; do
			[ -e "$src/after/${i%%:*}-${m%%:*}.json" ] || continue
			want+="${i#*:} ${m#*:} $(jq -r '.cells[] | select(.api == "page") |
				"\(.map_cycles_per_op_net) \(.unmap_cycles_per_op_net)"' \
				"$src/before/${i%%:*}-${m%%:*}.json") $(jq -r '.cells[] | select(.api == "page") |
				"\(.map_cycles_per_op_net) \(.unmap_cycles_per_op_net)"' \
				"$src/after/${i%%:*}-${m%%:*}.json");"
		done
	done
	got=$(awk '/^[A-Za-z-]*: \[quick\]/ { g = $1; sub(":", "", g) }
		$2 == "page" && $3 == "map" { b = $4; a = $5; m = $1 }
		$1 != "lazy" && $2 == "page" && $3 == "unmap" { printf "%s %s %g %g %g %g;", g, m, b, $4, a, $5 }' "$d/compare.txt")
	check_eq "... every row's before and after are its own IOMMU's figures" "$want" "$got"
	check_eq "... AMD-Vi has no lazy row (its guest forces strict)" "" \
		"$(awk '/^AMD-Vi:/ { g = 1; next } /^[A-Za-z-]*: \[/ { g = 0 } g && $1 == "lazy"' "$d/compare.txt")"
	"$RUNNER" report "$src/before" "$src/after" >"$d/report.txt" 2>&1
	check_eq "report of three IOMMUs: exit 0" 0 $?
	check_eq "... every line fits 72 columns" 0 "$(awk 'length > 72' "$d/report.txt" | wc -l)"
	check_grep "... the modes line names each IOMMU's modes" \
		"^  modes: +amd-pt amd-strict intel-lazy intel-pt intel-strict$" "$d/report.txt"
	check_grep "... a conclusion per IOMMU and mode" "^  amd-strict: 2/2 rows changed; page map \+5\.5%\*" \
		"$d/report.txt"
	check_eq "... eight of them (AMD-Vi's lazy is missing)" 8 \
		"$(grep -cE '^  (intel|amd|virtio)-(passthrough|strict|lazy): ' "$d/report.txt")"
	check_grep "... and AMD-Vi's lazy is said to be unavailable" "^  amd-lazy:$" "$d/report.txt"
	"$RUNNER" gate "$src/before" "$src/after" >"$d/gate.ktap" 2>&1
	check_eq "gate of three IOMMUs: exit 1 (7.3's page map costs more)" 1 $?
	check_eq "... KTAP names carry the IOMMU, one per row, none twice" \
		"16 16 0" "$(grep -cE '^(not )?ok [0-9]+ quick\.(intel|amd|virtio)-(passthrough|strict|lazy)\.page\.(map|unmap)$' "$d/gate.ktap") $(grep -cE '^(not )?ok ' "$d/gate.ktap") $(grep -E '^(not )?ok ' "$d/gate.ktap" | awk '{print $NF}' | sort | uniq -d | wc -l)"
	check_grep "... AMD-Vi's strict page map regressed by its own figures" \
		"^# amd-strict page map \[quick\]: 1741\.0 -> 1836\.0 " "$d/gate.ktap"
	# Two boots of one kernel: virtio-iommu's strict map moved by 3
	# instructions of 2496, which the floor keeps from a star.
	"$RUNNER" compare "$src/after" "$src/again" >"$d/again.txt" 2>&1
	check_eq "two boots of 7.3: virtio-iommu's strict map moved (2496 -> 2499)" \
		"2496.0 2499.0" "$(awk '/^virtio-iommu:/ { g = 1 } g && $1 == "strict" && $3 == "map" { print $4, $5; exit }' "$d/again.txt")"
	check_eq "... and no row is starred (below the 1 % floor of one boot under icount)" 0 \
		"$(grep -c ' \* ' "$d/again.txt")"
	"$RUNNER" gate "$src/after" "$src/again" >"$d/again.ktap" 2>&1
	check_eq "... and the gate passes" 0 $?
	# One IOMMU alone: the tables as before, no IOMMU in names or groups.
	mkdir -p "$d/amd/before" "$d/amd/after"
	cp "$src"/before/amd-* "$d/amd/before/"
	cp "$src"/after/amd-* "$d/amd/after/"
	"$RUNNER" compare "$d/amd/before" "$d/amd/after" >"$d/amd.txt" 2>&1
	check_eq "AMD-Vi alone: no IOMMU in the group headers" "0 1" \
		"$(grep -c '^AMD-Vi:' "$d/amd.txt") $(grep -c '^\[quick\]' "$d/amd.txt")"
	"$RUNNER" gate "$d/amd/before" "$d/amd/after" >"$d/amd.ktap" 2>&1
	check_grep "... nor in the gate's names" "^not ok 3 quick\.strict\.page\.map$" "$d/amd.ktap"
}
