# SPDX-License-Identifier: GPL-2.0
# The IOMMUs Linux ships on x86 (VT-d, AMD-Vi, virtio-iommu) and
# passthrough: a matrix under AMD-Vi on both kernels (lazy is refused by
# the guest: "not available on this machine", not a failed run), each mode
# of virtio-iommu on the after kernel, with its driver fetched from
# Debian's modules package and without it (the runner names the missing
# module), VT-d passthrough; the iommu key and --iommu refused when wrong.
# Sourced.

# iommu_host_tests: bad names, before any guest.
iommu_host_tests() {
	local d=$T/iommu-host out
	echo "# IOMMUs: bad names"
	mkdir -p "$d"
	printf '[global]\niommu = arm-smmu\n[j]\napi = page\n' >"$d/bad.ini"
	out=$("$RUNNER" config "$d/bad.ini" 2>&1)
	check_eq "config: iommu = arm-smmu is refused (exit 2)" 2 $?
	check_grep "... naming the known ones" "unknown IOMMU 'arm-smmu' \(known: intel amd virtio\)" <(echo "$out")
	out=$("$RUNNER" matrix --iommu smmu bookworm:6.12 trixie:7 2>&1)
	check_eq "matrix --iommu smmu: exit 2" 2 $?
	check_grep "... saying which are known" "unknown IOMMU 'smmu' \(known: intel amd virtio\)" <(echo "$out")
	out=$("$TOP/harness/boot.sh" --iommu smmu 7.3.4+deb13-amd64 strict "$d/x" 2>&1)
	check "boot.sh --iommu smmu fails" test $? -ne 0
	check_grep "... saying which are known" "unknown IOMMU 'smmu' \(intel amd virtio\)" <(echo "$out")
}

# iommu_boot KERNEL IOMMU MODE DIR [BOOT OPTIONS...]: one guest, exit code in DIR.rc
iommu_boot() {
	local k=$1 i=$2 m=$3 d=$4
	shift 4
	"$TOP/harness/boot.sh" --accel tcg-icount --config "$TOP/tests/configs/iommu.ini" \
		--timeout 600 --iommu "$i" "$@" "$k" "$m" "$d" >"$d.out" 2>&1
	echo $? >"$d.rc"
}

# iommu_tests KERNEL-AFTER SUITE:SERIES SUITE:SERIES: the matrix boots both
# kernels, the single guests the after one.
iommu_tests() {
	local ka=$1 d=$T/iommus m s r
	echo "# IOMMUs: AMD-Vi matrix, virtio-iommu, passthrough"
	mkdir -p "$d"
	"$RUNNER" matrix --accel tcg-icount --iommu amd --config "$TOP/tests/configs/iommu.ini" \
		-o "$d/amd" -p "$d/amd-plots" "$2" "$3" >"$d/amd.out" 2>&1
	check_eq "matrix --iommu amd (strict, lazy, passthrough): exit 0" 0 $?
	for s in before after; do
		r=$d/amd/$s
		for m in strict passthrough; do
			check_eq "AMD-Vi $s $m: measured, by AMD-Vi, in $m" "amd-iommu $m ok" \
				"$(jq -r '[.machine.iommu, .mode.detected, .cells[0].status] | join(" ")' "$r/$m.json" 2>&1)"
		done
		check "AMD-Vi $s lazy: no result" test ! -e "$r/lazy.json"
		check_grep "... but the reason: the guest forces strict" \
			"lazy is not available on this machine: the kernel was booted with iommu.strict=0 and still runs .* strict" \
			"$r/lazy.unavailable"
	done
	check_grep "the matrix says so as it goes" "lazy is not available on this machine.*amd-iommu" "$d/amd.out"
	check_grep "the report says it per side" "^  lazy: +lazy is not available on this machine" "$d/amd/report.txt"
	check_grep "... and names the IOMMU on each mode's line" "^  strict: .*iommu.strict=1 \(QEMU$" "$d/amd/report.txt"
	check_grep "... -device amd-iommu" "^ +-device amd-iommu\)" "$d/amd/report.txt"
	check_grep "passthrough rows read 'pt' in the 72-column table" "^pt +page +map " "$d/amd/compare.txt"
	check_eq "... every line of report.txt fits 72 columns" 0 \
		"$(awk 'length > 72' "$d/amd/report.txt" | wc -l)"
	for m in strict:DMA lazy:DMA-FQ passthrough:identity; do
		iommu_boot "$ka" virtio "${m%%:*}" "$d/virtio-${m%%:*}"
	done
	for m in strict:DMA lazy:DMA-FQ passthrough:identity; do
		r=$d/virtio-${m%%:*}
		check_eq "virtio-iommu ${m%%:*}: measured (boot.sh exit 0)" 0 "$(cat "$r.rc")"
		check_eq "... detected ${m%%:*}, group type ${m#*:}, by virtio-iommu-pci" \
			"${m%%:*} ${m#*:} virtio-iommu-pci ok" \
			"$(jq -r '[.mode.detected, .module.iommu_group_type, .machine.iommu, .cells[0].status] | join(" ")' \
				"$r/${m%%:*}.json" 2>&1)"
	done
	check "virtio-iommu's driver, from Debian's modules package, is in the cache" \
		test -s "$CACHE/kernels/$ka/modules/virtio_iommu.ko"
	check_eq "... loaded before dmabench.ko without a failure (the strict result above needs it)" 0 \
		"$(grep -c 'dmabench-guest: insmod .* failed' "$d/virtio-strict/console.log")"

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

	iommu_boot "$ka" intel passthrough "$d/intel-pt"
	check_eq "VT-d passthrough (iommu=pt): measured, identity domain" "0 passthrough identity" \
		"$(cat "$d/intel-pt.rc") $(jq -r '[.mode.detected, .module.iommu_group_type] | join(" ")' \
			"$d/intel-pt/passthrough.json" 2>&1)"
}
