# SPDX-License-Identifier: GPL-2.0
# arm64: Debian's arm64 kernels on qemu-system-aarch64 -machine virt with
# SMMUv3, the cross-built module and runner, PMCCNTR_EL0 under icount.

# arm64_recorded_tests: report and compare on a recorded arm64 matrix
# (tests/data/arm64, from tests/configs/arm64.ini): the counter, the CPU
# and the SMMUv3 machine option are said, and nothing in it is starred
# when a side is compared with itself.
arm64_recorded_tests() {
	local src=$TOP/tests/data/arm64 d=$T/arm64-recorded
	echo "# arm64: a recorded matrix"
	mkdir -p "$d"
	"$RUNNER" report "$src/before" "$src/after" >"$d/report.txt" 2>&1
	check_eq "report of an arm64 matrix: exit 0" 0 $?
	check_eq "... every line fits 72 columns" 0 "$(awk 'length > 72' "$d/report.txt" | wc -l)"
	check_grep "... names the counter beside the accel" \
		"^after: +7\.3\.4\+deb13-arm64 \(tcg-icount: pmccntr_el0 = instructions\)$" "$d/report.txt"
	check_grep "... gives the CPU by its MIDR fields" "^  cpu: +implementer 0x00, part 0x051," "$d/report.txt"
	check_eq "... and SMMUv3 as QEMU's machine option on strict, lazy and passthrough, once for both sides" "3 3" \
		"$(grep -c 'virt,iommu=smmuv3,dtb-randomness=off)$' "$d/report.txt") $(sed -n '/^both sides:/,$p' "$d/report.txt" | grep -c 'virt,iommu=smmuv3,dtb-randomness=off)$')"
	"$RUNNER" compare "$src/after" "$src/after" >"$d/self.txt" 2>&1
	check_eq "compare of the after side with itself: exit 0, nothing starred" "0 0" \
		"$? $(grep -c ' \* ' "$d/self.txt")"
	check_eq "... a row per mode, API and op (5 x 4 x 2)" 40 \
		"$(grep -cE '^(direct|strict|lazy|pt|swiotlb) ' "$d/self.txt")"
	"$TOP/harness/fetch-kernel.sh" --arch sparc trixie 7 >"$d/fk.out" 2>&1
	check_eq "fetch-kernel.sh --arch sparc: refused (exit 1)" 1 $?
	check_grep "... naming what it takes" "--arch takes arm64" "$d/fk.out"
	"$TOP/harness/fetch-kernel.sh" --arch arm64 trixie '7;x' >"$d/fk.out" 2>&1
	check_eq "fetch-kernel.sh with a series that is no version: refused (exit 1)" 1 $?
	check_grep "... saying so" "'7;x' is not a kernel series" "$d/fk.out"
	# make demo ARCH=arm64: the runner gets --arch; a kernel build's ARCH
	# in the environment does not reach it
	check_grep "make demo ARCH=arm64 runs matrix --arch arm64" "matrix .*--arch arm64 .*bookworm:6\.12 trixie:7" \
		<(make -s -n -C "$TOP" demo ARCH=arm64 2>&1 | tr '\n' ' ')
	check_eq "... an ARCH in the environment is not passed on" 0 \
		"$(ARCH=x86 make -s -n -C "$TOP" demo 2>&1 | grep -c -- '--arch')"
}

# arm64_tests SUITE:SERIES SUITE:SERIES: a matrix of every arm64 mode on
# both kernels, its cache, another boot of each mode, the fallback counter.
arm64_tests() {
	local d=$T/arm64 s m r k want got
	echo "# arm64: every mode on Debian's arm64 kernels, SMMUv3, under icount"
	mkdir -p "$d"
	"$RUNNER" matrix --arch arm64 --accel tcg-icount --config "$TOP/tests/configs/arm64.ini" \
		-o "$d/m" -p "$d/plots" "$1" "$2" >"$d/m.out" 2>&1
	check_eq "matrix --arch arm64 (5 modes, 2 kernels): exit 0" 0 $?
	for s in before after; do
		r=$d/m/$s
		for m in direct:null:virt strict:DMA:virt,iommu=smmuv3 lazy:DMA-FQ:virt,iommu=smmuv3 \
			passthrough:identity:virt,iommu=smmuv3 swiotlb:null:virt; do
			m=$m,dtb-randomness=off
			IFS=: read -r mode type machine <<<"$m"
			# 6.12 has no dma_map_phys: its phys cells are unsupported
			check_eq "$s $mode.json: $mode (group type $type) on -machine $machine, one vCPU, PMCCNTR_EL0" \
				"$mode $type $machine 1 aarch64 pmccntr_el0 0 $([ $s = before ] && echo phys)" \
				"$(jq -r '[.mode.detected, (.module.iommu_group_type // "null"), .machine.machine,
					.machine.vcpus, .system.machine, .module.counter, .module.cycles_per_sec,
					([.cells[] | select(.status != "ok") | .api] | unique | join(","))] | join(" ")' \
					"$r/$mode.json" 2>&1)"
		done
		check_eq "$s: an arm64 Debian kernel, SMMUv3 named on the IOMMU modes only" \
			"-arm64 smmuv3 smmuv3 smmuv3 - -" \
			"$(jq -r '.system.kernel_release | sub(".*(?<a>-arm64)$"; "\(.a)")' "$r/direct.json") $(for m in strict lazy passthrough direct swiotlb; do
				jq -r '.machine.iommu // "-"' "$r/$m.json"; done | paste -sd' ')"
		check_grep "$s: the CPU named by its MIDR fields" "^arm64 implementer 0x[0-9a-f]+ part 0x[0-9a-f]+ r[0-9]+p[0-9]+$" \
			<(jq -r .system.cpu_model "$r/direct.json")
		check_grep "$s: swiotlb was forced with a 128 MB pool" "swiotlb=65536,force" \
			<(jq -r .system.kernel_cmdline "$r/swiotlb.json")
		check_grep "$s: KASLR off, for a layout that repeats" "KASLR disabled on command line" "$r/direct.dmesg.log"
		# The null twin's loop is the same code in every mode: under
		# icount its figure cannot differ between modes of one kernel.
		check_eq "$s: the null loop's figure is the same in all five modes" 1 \
			"$(for m in direct strict lazy passthrough swiotlb; do
				jq -c '[.cells[] | select(.api == "null") | .map_cycles_per_op, .unmap_cycles_per_op]' "$r/$m.json"
			done | sort -u | wc -l)"
	done
	check_grep "progress names each arm64 guest" "\] 7\.3\.[^ ]*-arm64 passthrough \(tcg-icount\)(: cached)?$" "$d/m.out"
	check_eq "report.txt: every line fits 72 columns" 0 "$(awk 'length > 72' "$d/m/report.txt" | wc -l)"
	check "a bar plot per mode" test -s "$d/plots/strict-bars.png" -a -s "$d/plots/swiotlb-bars.png"
	check "the static arm64 runner is in the cache" test -x "$CACHE/guest/arm64/dmabench"
	check_eq "... an aarch64 ELF (e_machine 183)" 183 \
		"$(od -An -tu2 -j18 -N2 "$CACHE/guest/arm64/dmabench" | tr -d ' ')"

	# Again: every guest from the cache, the same table.
	"$RUNNER" matrix --arch arm64 --accel tcg-icount --config "$TOP/tests/configs/arm64.ini" \
		-o "$d/again" -p "$d/again-plots" "$1" "$2" >"$d/again.out" 2>&1
	check_eq "the same arm64 matrix again: exit 0, 10 guests from the cache, the same table" "0 10 same" \
		"$? $(grep -c ': cached$' "$d/again.out") $(cmp -s "$d/m/compare.txt" "$d/again/compare.txt" && echo same)"

	# Another boot of each mode but lazy (whose flush queue drains when
	# time says), not from the cache: PMCCNTR_EL0 under icount repeats
	# exactly where the path does (direct, passthrough, swiotlb); an SMMUv3
	# strict move between boots would stay within the floor below which an
	# icount comparison stars nothing (docs/measurements.md).
	k=$(jq -r .system.kernel_release "$d/m/after/direct.json")
	mkdir -p "$d/re"
	for m in direct passthrough swiotlb strict; do
		"$TOP/harness/boot.sh" --accel tcg-icount --config "$TOP/tests/configs/arm64.ini" \
			--timeout 600 "$k" "$m" "$d/re-$m" >"$d/re-$m.out" 2>&1
		check_eq "$m booted again: exit 0" 0 $?
		cp "$d/re-$m/$m.json" "$d/re/" 2>/dev/null
	done
	for m in direct passthrough swiotlb; do
		want=$(jq -c '[.cells[] | .map_cycles_per_op_net, .unmap_cycles_per_op_net]' "$d/m/after/$m.json")
		got=$(jq -c '[.cells[] | .map_cycles_per_op_net, .unmap_cycles_per_op_net]' "$d/re-$m/$m.json" 2>&1)
		check_eq "$m: every cell's figures exactly as in the matrix's boot" "$want" "$got"
	done
	# 6.12 direct is where KASLR was seen to move a figure (nokaslr)
	k=$(jq -r .system.kernel_release "$d/m/before/direct.json")
	"$TOP/harness/boot.sh" --accel tcg-icount --config "$TOP/tests/configs/arm64.ini" \
		--timeout 600 "$k" direct "$d/re-before" >"$d/re-before.out" 2>&1
	check_eq "6.12 direct booted again: every cell's figures exactly as in the matrix's boot" \
		"$(jq -c '[.cells[] | .map_cycles_per_op_net, .unmap_cycles_per_op_net]' "$d/m/before/direct.json")" \
		"$(jq -c '[.cells[] | .map_cycles_per_op_net, .unmap_cycles_per_op_net]' "$d/re-before/direct.json" 2>&1)"
	k=$(jq -r .system.kernel_release "$d/m/after/direct.json")
	mkdir -p "$d/first"
	for m in direct passthrough swiotlb strict; do cp "$d/m/after/$m.json" "$d/first/"; done
	"$RUNNER" compare "$d/first" "$d/re" >"$d/re.txt" 2>&1
	check_eq "two boots of each compared: exit 0, nothing starred" "0 0" \
		"$? $(grep -c ' \* ' "$d/re.txt")"

	# Without a PMU the module falls back on the generic timer, and says so.
	"$TOP/harness/boot.sh" --accel tcg-icount --cpu max,pmu=off --config "$TOP/tests/configs/arm64.ini" \
		--timeout 600 "$k" direct "$d/nopmu" >"$d/nopmu.out" 2>&1
	check_eq "a CPU without a PMU (-cpu max,pmu=off): exit 0" 0 $?
	check_eq "... the counter is CNTVCT_EL0 at its own rate" "cntvct_el0 62500000" \
		"$(jq -r '"\(.module.counter) \(.module.cycles_per_sec)"' "$d/nopmu/direct.json" 2>&1)"
	# one tick per 16 instructions: the same loop reads far less than
	# PMCCNTR_EL0's count of its instructions
	check_eq "... which counts the same empty loop at under a quarter of PMCCNTR_EL0's figure" yes \
		"$(jq -rs '[.[] | .cells[] | select(.api == "null" and .pattern == "pair") | .map_cycles_per_op]
			| if .[0] > 0 and .[1] * 4 < .[0] then "yes" else "no: \(.)" end' \
			"$d/m/after/direct.json" "$d/nopmu/direct.json" 2>&1)"

	"$TOP/harness/boot.sh" --iommu intel "$k" strict "$d/x" >"$d/intel.out" 2>&1
	check_eq "boot.sh --iommu intel on an arm64 kernel: refused" 1 $?
	check_grep "... saying its IOMMU is smmuv3" "is an arm64 kernel: its IOMMU is smmuv3, not 'intel'" "$d/intel.out"
}
