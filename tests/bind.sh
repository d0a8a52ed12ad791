# SPDX-License-Identifier: GPL-2.0
# A device named by the user (dmabench run --pci): bound through
# driver_override and given back as found, refused while another driver
# holds it unless --force, the IOMMU group's type switched for --set-mode
# and restored, also on SIGINT. In a strict guest with a virtio-rng-pci
# that the built-in virtio-pci driver holds (tests/guest/bind.sh), and on
# a fake sysfs tree for a group that another driver shares. Sourced.

# bind_fake_tests: refusals read off a fake sysfs (DMABENCH_SYSFS).
bind_fake_tests() {
	local s=$T/fake-sysfs out rc
	echo "# bind: refusals on a fake sysfs tree"
	mkdir -p "$s/bus/pci/drivers/dmabench" "$s/bus/pci/drivers/nvme" \
		"$s/bus/pci/devices/0000:03:00.0" "$s/bus/pci/devices/0000:03:00.1" \
		"$s/kernel/iommu_groups/7/devices"
	ln -s ../../../kernel/iommu_groups/7 "$s/bus/pci/devices/0000:03:00.0/iommu_group"
	ln -s ../../../kernel/iommu_groups/7 "$s/bus/pci/devices/0000:03:00.1/iommu_group"
	ln -s ../../../../bus/pci/devices/0000:03:00.0 "$s/kernel/iommu_groups/7/devices/0000:03:00.0"
	ln -s ../../../../bus/pci/devices/0000:03:00.1 "$s/kernel/iommu_groups/7/devices/0000:03:00.1"
	ln -s ../../../bus/pci/drivers/nvme "$s/bus/pci/devices/0000:03:00.1/driver"
	echo DMA >"$s/kernel/iommu_groups/7/type"
	echo '(null)' >"$s/bus/pci/devices/0000:03:00.0/driver_override"
	out=$(DMABENCH_SYSFS=$s "$RUNNER" run -q -o "$T/fake.json" --pci 03:00.0 \
		--set-mode lazy "$TOP/tests/configs/bind.ini" 2>&1)
	rc=$?
	check_eq "--set-mode with another driver in the device's IOMMU group: exit 2" 2 $rc
	check_eq "... naming the device and its driver" \
		"dmabench: error: --pci: IOMMU group 7 also holds 0000:03:00.1, bound to nvme: the group's type changes only with all its devices unbound" "$out"
	check_eq "... and nothing was written to sysfs" "DMA (null)" \
		"$(cat "$s/kernel/iommu_groups/7/type" "$s/bus/pci/devices/0000:03:00.0/driver_override" | tr '\n' ' ' | sed 's/ $//')"
	out=$(DMABENCH_SYSFS=$s "$RUNNER" run -q -o "$T/fake.json" --pci 0000:03:00.1 \
		"$TOP/tests/configs/bind.ini" 2>&1)
	check_grep "a device nvme holds, without --force: refused" \
		"0000:03:00.1 is held by the driver nvme: refusing to take it \(--force" <(echo "$out")
	# A bind the kernel refuses (here: there is no bind file) after the group
	# was switched: pci_claim gives both back itself, leaving nothing to run's
	# own give-back, so the refusal is the one line. The fake attributes are
	# plain files that a write overwrites from their start: identity, longer
	# than DMA-FQ, reads back whole only if it was written last.
	rm "$s/bus/pci/devices/0000:03:00.1/driver"
	echo identity >"$s/kernel/iommu_groups/7/type"
	out=$(DMABENCH_SYSFS=$s "$RUNNER" run -q -o "$T/fake.json" --pci 0000:03:00.0 \
		--set-mode lazy "$TOP/tests/configs/bind.ini" 2>&1)
	rc=$?
	check_eq "a bind that fails after the group was switched: exit 2" 2 $rc
	check_eq "... saying so, and nothing else" \
		"dmabench: error: --pci: binding 0000:03:00.0 to dmabench failed: No such file or directory (the kernel log says why)" "$out"
	check_eq "... the group's type given back" identity "$(cat "$s/kernel/iommu_groups/7/type")"
	rmdir "$s/bus/pci/drivers/dmabench"
	out=$(DMABENCH_SYSFS=$s "$RUNNER" run -q -o "$T/fake.json" --pci 0000:03:00.0 \
		"$TOP/tests/configs/bind.ini" 2>&1)
	check_grep "the module not loaded: says to load it" "dmabench driver is not loaded: insmod" <(echo "$out")
	for bad in 0000:03:00 03:00.8 0000:03:20.0 ' 03:00.0' 03:00.0x 0x03:00.0 ../../x; do
		DMABENCH_SYSFS=$s "$RUNNER" run -q -o "$T/fake.json" --pci "$bad" \
			"$TOP/tests/configs/bind.ini" >"$T/fake.out" 2>&1
		rc=$?
		check_eq "--pci '$bad': not a PCI address, exit 2" "2 1" \
			"$rc $(grep -c 'is not a PCI address' "$T/fake.out")"
	done
	"$RUNNER" run -q --force "$TOP/tests/configs/bind.ini" >"$T/fake.out" 2>&1
	check_eq "--force without --pci: exit 2" 2 $?
	"$RUNNER" run -q --pci 0000:03:00.0 --set-mode lazy --expect-mode strict \
		"$TOP/tests/configs/bind.ini" >"$T/fake.out" 2>&1
	check_eq "--set-mode and --expect-mode that disagree: exit 2" 2 $?
}

# bind_tests KERNEL: the guest job, then what it left.
bind_tests() {
	local k=$1 d=$T/bind-$1 g
	g=$d/guest
	echo "# bind: dmabench run --pci in a $k strict guest"
	mkdir -p "$d"
	"$TOP/harness/boot.sh" --accel tcg-icount --config "$TOP/tests/configs/bind.ini" \
		--file "$TOP/tests/configs/bind-long.ini" --job "$TOP/tests/guest/bind.sh" \
		--qemu-device virtio-rng-pci --timeout 600 "$k" strict "$g" >"$d/boot.out" 2>&1
	check_eq "bind ($k): the guest ran the job" 0 $?
	[ -s "$g/edu.txt" ] || { tail -n 15 "$d/boot.out"; return; }
	local edu rng
	edu=$(cat "$g/edu.txt") rng=$(cat "$g/rng.txt")
	check_grep "info names the device's IOMMU group and its type" \
		"^iommu group: [0-9]+, domain type DMA$" "$g/info-edu.txt"
	check_eq "... also in JSON" "number DMA" \
		"$(jq -r '[(.iommu_group | type), .iommu_group_type] | join(" ")' "$g/info-edu.json")"

	check_eq "an unbound device named by --pci: measured (exit 0)" 0 "$(cat "$g/edu.rc")"
	check_eq "... the result names the device, its group and no driver before" \
		"$edu DMA null false strict ok" \
		"$(jq -r '[.binding.pci, .binding.group_type, (.binding.driver_before | tostring),
			.binding.forced, .mode.detected, .cells[0].status] | map(tostring) | join(" ")' "$g/edu.json")"
	check_eq "... and it is left unbound, driver_override cleared, as found" \
		"$(cat "$g/edu-unbound.state")" "$(cat "$g/edu-after.state")"
	check_eq "... which is: no driver, (null), DMA" " (null) DMA" "$(cat "$g/edu-after.state")"

	check_eq "a device virtio-pci holds, without --force: refused (exit 2)" 2 "$(cat "$g/rng-refused.rc")"
	check_grep "... naming the driver and --force" \
		"${rng} is held by the driver virtio-pci: refusing to take it \(--force" "$g/rng-refused.out"
	check_eq "... and left with virtio-pci" "virtio-pci (null) DMA" "$(cat "$g/rng-refused.state")"
	check_eq "with --force: measured (exit 0)" 0 "$(cat "$g/rng-forced.rc")"
	check_eq "... the result says whose it was" "$rng virtio-pci true ok" \
		"$(jq -r '[.binding.pci, .binding.driver_before, .binding.forced, .cells[0].status] | map(tostring) | join(" ")' \
			"$g/rng-forced.json")"
	check_grep "... saying it was taken and given back" "taken from virtio-pci" "$g/rng-forced.out"
	check_grep "... bound back to virtio-pci" "given back \(bound to virtio-pci\)" "$g/rng-forced.out"
	check_eq "... and virtio-pci holds it again" "$(cat "$g/rng-before.state")" "$(cat "$g/rng-after.state")"
	check_eq "a second device while dmabench drives one: refused (exit 2)" 2 "$(cat "$g/held-elsewhere.rc")"
	check_grep "... saying which it drives" "dmabench already drives $edu" "$g/held-elsewhere.out"
	check_eq "not a PCI address, and no such device: exit 2 each" "2 2" \
		"$(cat "$g/bad-address.rc") $(cat "$g/no-device.rc")"
	check_grep "... said plainly" "no PCI device 0000:7f:1f.7 on this machine" "$g/no-device.out"

	check_eq "the group started strict (DMA)" DMA "$(cat "$g/type-before.txt")"
	local m want
	for m in lazy:DMA-FQ passthrough:identity; do
		want=${m#*:} m=${m%%:*}
		check_eq "--set-mode $m: measured (exit 0)" 0 "$(cat "$g/$m.rc")"
		check_eq "... the module detects $m while the group is $want" \
			"$m $m $want DMA $want" \
			"$(jq -r '[.mode.requested, .mode.detected, .binding.group_type,
				.binding.group_type_before, .module.iommu_group_type] | join(" ")' "$g/$m.json")"
		check_grep "... the change is reported" "type DMA -> $want for this run" "$g/$m.out"
		check_grep "... and undone" "IOMMU group type restored" "$g/$m.out"
		check_eq "... the group is DMA again, the device unbound" " (null) DMA" "$(cat "$g/$m-after.state")"
	done
	check_eq "--set-mode strict on a strict group: nothing to switch" "0 null strict" \
		"$(cat "$g/strict.rc") $(jq -r '[(.binding.group_type_before | tostring), .mode.detected] | join(" ")' "$g/strict.json")"
	for m in direct swiotlb; do
		check_eq "--set-mode $m: refused, exit 2" 2 "$(cat "$g/$m.rc")"
		check_grep "... it needs a reboot, and with which command line" \
			"$m mode needs a reboot: boot .*=off" "$g/$m.out"
	done
	check_eq "--set-mode without --pci: exit 2" 2 "$(cat "$g/set-mode-alone.rc")"

	check_eq "SIGINT in the middle of a run: killed by it (130)" 130 "$(cat "$g/int.rc")"
	check_grep "... after giving the device back and restoring the group" \
		"given back \(left unbound, as found, IOMMU group type restored\)" "$g/int.out"
	check_grep "... saying how far it got" "stopped by SIGINT after [0-9]+ of 18 cells: no result written" "$g/int.out"
	check "... and writing no result" test ! -e "$g/int.json"
	check_eq "... the device is as found: unbound, (null), DMA" " (null) DMA" "$(cat "$g/int-after.state")"
	check_eq "edu bound by the module's own table again at the end" "dmabench (null) DMA" "$(cat "$g/final.state")"
	faults_dmesg "bind" "$g"
}
