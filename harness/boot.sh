#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: harness/boot.sh [options] KERNEL MODE OUTDIR
# KERNEL is a kernel id in the cache: a Debian release (fetch-kernel.sh),
# git-COMMIT-CONFIG (build-kernel.sh) or pre-HASH (prebuilt-kernel.sh).
# Boot it in QEMU in one DMA mode with the edu device,
# load dmabench.ko, run a guest job and bring its files home into OUTDIR,
# verified frame by frame. The guest's console goes to OUTDIR/console.log.
#
#   --config FILE   config the job measures (default configs/demo.ini)
#   --job FILE      guest job script (default harness/guest/run-config.sh)
#   --file FILE     also put FILE into the guest's /job/ (repeatable)
#   --accel NAME    tcg (default), tcg-icount (instruction-exact), kvm
#   --cpu MODEL     QEMU -cpu (default max: AuthenticAMD under TCG), e.g.
#                   max,vendor=GenuineIntel or Skylake-Server
#   --timeout SEC   give up on the guest after SEC seconds (default 900)
#   --append ARGS   add ARGS to the guest kernel's command line, after the
#                   mode's (e.g. "swiotlb=64" for a tiny bounce pool)
#   --qemu-device SPEC  add QEMU's -device SPEC beside edu (repeatable),
#                   e.g. virtio-rng-pci: a device a built-in driver holds
#   --gdb PORT      open QEMU's gdbstub on 127.0.0.1:PORT (the guest runs
#                   at once; attach with gdb's `target remote :PORT`); the
#                   results' machine record does not mention it
#   --explain       load the explain plugin (harness/build-plugin.sh) and
#                   have the job run each cell's explain pass; the plugin's
#                   counts go to OUTDIR/explain.raw and are attached to the
#                   result per function (dmabench explain --attach)
#   --iommu NAME    the IOMMU of strict, lazy and passthrough: intel (VT-d,
#                   the default), amd (AMD-Vi) or virtio (virtio-iommu,
#                   whose driver Debian builds as a module: it is fetched
#                   with harness/fetch-modules.sh and loaded before
#                   dmabench.ko); an arm64 kernel's only one is smmuv3
#                   (Arm SMMUv3, its default)
#   --no-iommu-driver  with --iommu virtio: leave its driver out (what a
#                   user's initramfs without it does)
# MODE: direct (no IOMMU), strict, lazy (the IOMMU with iommu.strict=1/0),
# passthrough (the IOMMU with iommu=pt: identity domains), swiotlb (no
# IOMMU, swiotlb=force). AMD-Vi under QEMU runs strict whatever is asked
# ("Using strict mode due to virtualization"): its lazy guest's job says
# lazy is not available and writes OUTDIR/lazy.unavailable instead of a
# result, and boot.sh exits 5. Exit 124 when the guest timed out.
# An arm64 kernel (fetch-kernel.sh --arch arm64) boots on
# qemu-system-aarch64 -machine virt (iommu=smmuv3 for the IOMMU modes) with
# one vCPU: under icount PMCCNTR_EL0 then counts this CPU's instructions
# only. Its runner and busybox come from harness/build-runner.sh arm64;
# --explain and --accel kvm are x86_64's only.
# TCG runs its two vCPUs on one host thread: multi-threaded TCG was seen to
# oops 7.x guests in text_poke (int3 in sched_clock_cpu) at boot.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

config=$TOP_DIR/configs/demo.ini
job=$HARNESS_DIR/guest/run-config.sh
accel=tcg
cpu=max
timeout=900
gdb_port=
explain=0
extra_append=
files=()
qemu_devices=()
iommu_kind=
iommu_driver=1
while [ $# -gt 0 ]; do
	case $1 in
	--config) config=$2; shift 2 ;;
	--job) job=$2; shift 2 ;;
	--file) [ -r "$2" ] || die "$2: no such file"; files+=("$2"); shift 2 ;;
	--accel) accel=$2; shift 2 ;;
	--cpu) cpu=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--gdb) gdb_port=$2; shift 2 ;;
	--explain) explain=1; shift ;;
	--append) extra_append=$2; shift 2 ;;
	--qemu-device) qemu_devices+=(-device "$2"); shift 2 ;;
	--iommu) iommu_kind=$2; shift 2 ;;
	--no-iommu-driver) iommu_driver=0; shift ;;
	-h|--help) script_help; exit 0 ;;
	-*) die "unknown option $1 (see --help)" ;;
	*) break ;;
	esac
done
[ $# -eq 3 ] || die "usage: boot.sh [options] KERNEL MODE OUTDIR (see --help)"
kver=$1 mode=$2 out=$3
kernel=$CACHE_DIR/kernels/$kver/vmlinuz
module=$CACHE_DIR/modules/$kver/dmabench.ko
runner=$TOP_DIR/build/dmabench
busybox=/bin/busybox
arch=$(cat "$CACHE_DIR/kernels/$kver/arch" 2>/dev/null || echo amd64)
case $arch in
amd64)
	iommu_kind=${iommu_kind:-intel}
	case $iommu_kind in intel|amd|virtio) ;; *) die "unknown IOMMU '$iommu_kind' for an x86_64 kernel (intel amd virtio)" ;; esac ;;
arm64)
	iommu_kind=${iommu_kind:-smmuv3}
	[ "$iommu_kind" = smmuv3 ] || die "$kver is an arm64 kernel: its IOMMU is smmuv3, not '$iommu_kind'"
	[ $explain = 0 ] || die "--explain is for x86_64 kernels only"
	[ "$accel" != kvm ] || die "$kver is an arm64 kernel: it runs under TCG (--accel tcg or tcg-icount), not KVM"
	guest_dir=$CACHE_DIR/guest/arm64
	[ -x "$guest_dir/dmabench" ] && [ -x "$guest_dir/busybox" ] ||
		die "no arm64 runner in the cache (harness/build-runner.sh arm64)"
	runner=$guest_dir/dmabench busybox=$guest_dir/busybox
	command -v qemu-system-aarch64 >/dev/null ||
		die "qemu-system-aarch64 is missing (apt-get install qemu-system-arm)" ;;
*) die "$kver: unknown architecture '$arch' in the cache" ;;
esac
[ -s "$kernel" ] || die "no kernel $kver in the cache (harness/fetch-kernel.sh, build-kernel.sh or prebuilt-kernel.sh)"
[ -s "$module" ] || die "no dmabench.ko for $kver (harness/build-module.sh $kver)"
[ -x "$runner" ] || die "build/dmabench is not built (make -C runner)"
host_runner=$TOP_DIR/build/dmabench
[ -x "$host_runner" ] || die "build/dmabench is not built (make -C runner)"
[ -r "$config" ] || die "$config: no such config"
[ -r "$job" ] || die "$job: no such job script"
[ $arch = arm64 ] || command -v qemu-system-x86_64 >/dev/null ||
	die "qemu-system-x86_64 is missing (apt-get install qemu-system-x86)"

append="console=ttyS0 panic=-1 loglevel=4"
iommu=()
extra_modules=()
machine=q35
if [ $arch = arm64 ]; then
	# A layout that does not change from boot to boot: with KASLR (seeded
	# by the device tree or the CPU's RNDR) a 6.12 direct map took 79
	# instructions on six boots and 76 on a seventh; with nokaslr and no
	# random device-tree nodes, 76 on twelve boots of twelve.
	append="console=ttyAMA0 panic=-1 loglevel=4 nokaslr"
	machine=virt,dtb-randomness=off
	case $mode in
	direct) ;;
	# swiotlb=force alone would shrink arm64's bounce pool to 1 MB: 128 MB
	swiotlb) append="$append swiotlb=65536,force" ;;
	strict) machine=virt,iommu=smmuv3,dtb-randomness=off; append="$append iommu.strict=1" ;;
	lazy) machine=virt,iommu=smmuv3,dtb-randomness=off; append="$append iommu.strict=0" ;;
	passthrough) machine=virt,iommu=smmuv3,dtb-randomness=off; append="$append iommu.passthrough=1" ;;
	*) die "unknown mode '$mode' (direct strict lazy passthrough swiotlb)" ;;
	esac
else case $mode in
direct) append="$append intel_iommu=off" ;;
swiotlb) append="$append intel_iommu=off swiotlb=force" ;;
strict|lazy|passthrough)
	case $iommu_kind in
	intel) iommu=(-device intel-iommu,intremap=on); append="$append intel_iommu=on" ;;
	amd) iommu=(-device amd-iommu) ;;
	virtio)
		iommu=(-device virtio-iommu-pci)
		if [ $iommu_driver = 1 ]; then
			extra_modules+=("$("$HARNESS_DIR/fetch-modules.sh" "$kver" virtio_iommu)") ||
				die "cannot fetch the virtio_iommu module of $kver"
		fi ;;
	*) die "unknown IOMMU '$iommu_kind' (intel amd virtio)" ;;
	esac
	case $mode in
	strict) append="$append iommu.strict=1" ;;
	lazy) append="$append iommu.strict=0" ;;
	passthrough) append="$append iommu=pt" ;;
	esac ;;
*) die "unknown mode '$mode' (direct strict lazy passthrough swiotlb)" ;;
esac
fi
[ -z "$extra_append" ] || append="$append $extra_append"
case $accel in
tcg) accel_args=(-accel tcg,thread=single) ;;
tcg-icount) accel_args=(-accel tcg -icount shift=0) ;;
kvm) accel_args=(-accel kvm); machine=$machine,kernel-irqchip=split ;;
*) die "unknown accel '$accel' (tcg tcg-icount kvm)" ;;
esac

plugin=()
if [ $explain = 1 ]; then
	[ "$accel" = tcg-icount ] || die "--explain needs --accel tcg-icount (its windows are the icount counter's)"
	so=$("$HARNESS_DIR/build-plugin.sh") || die "cannot build the explain plugin"
	plugin=(-plugin "$so,out=$out/explain.raw")
fi

mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Ctrl-C, SIGTERM, SIGHUP: stop QEMU too (timeout runs it in a process
# group of its own, out of the terminal's reach), then go.
qpid= npid=
stop() {
	trap - INT TERM HUP
	[ -z "$npid" ] || kill "$npid" 2>/dev/null
	if [ -n "$qpid" ]; then
		kill -TERM "$qpid" 2>/dev/null
		wait "$qpid" 2>/dev/null
	fi
	say "stopped by SIG$1 ($kver, $mode): the guest was shut down; no result"
	exit "$2"
}
trap 'stop INT 130' INT
trap 'stop TERM 143' TERM
trap 'stop HUP 129' HUP
root=$work/root
mkdir -p "$root"/{bin,dev,proc,sys,tmp,job,lib/modules}
cp "$busybox" "$root/bin/busybox"
cp "$runner" "$root/bin/dmabench"
cp "$module" "$root/lib/modules/dmabench.ko"
# drivers the kernel needs before dmabench.ko, loaded in this order
mkdir -p "$root/lib/modules/first"
n=0
for m in "${extra_modules[@]}"; do
	n=$((n + 1))
	cp "$m" "$root/lib/modules/first/$n-$(basename "$m")"
done
cp "$HARNESS_DIR/guest/init" "$root/init"
chmod +x "$root/init"
cp "$config" "$root/job/config.ini"
ksource=
if [ -s "$CACHE_DIR/kernels/$kver/source.json" ]; then
	cp "$CACHE_DIR/kernels/$kver/source.json" "$root/job/kernel-source.json"
	ksource=/job/kernel-source.json
fi
cp "$job" "$root/job/job.sh"
[ ${#files[@]} -eq 0 ] || cp "${files[@]}" "$root/job/"
config_name=$(realpath --relative-to="$TOP_DIR" "$config")
case $config_name in ../*) config_name=$(realpath "$config") ;; esac
printf 'export DMABENCH_MODE=%q\nexport DMABENCH_ACCEL=%q\nexport DMABENCH_CONFIG_NAME=%q\nexport DMABENCH_KERNEL_SOURCE=%q\n' \
	"$mode" "$accel" "$config_name" "$ksource" >"$root/job/env"
[ $explain = 0 ] || echo "export DMABENCH_EXPLAIN=1" >>"$root/job/env"
iommu_device=
if [ $arch = arm64 ]; then
	# The console on the PL011; the result channel on the second port of a
	# PCI UART pair, /dev/ttyS1 in the guest as on x86.
	qemu_bin=qemu-system-aarch64 vcpus=1
	qemu=("$qemu_bin" -machine "$machine" "${accel_args[@]}" -cpu "$cpu" -m 1G -smp 1
		-nodefaults -display none -no-reboot -device edu "${qemu_devices[@]}"
		-kernel "$kernel" -initrd "$work/initramfs.gz" -append "$append"
		-serial "file:$out/console.log" -chardev null,id=unused
		-chardev "file,id=channel,path=${out//,/,,}/channel.log"
		-device pci-serial-2x,chardev1=unused,chardev2=channel)
	# the IOMMU is a machine option here: recorded by its name
	case $mode in strict|lazy|passthrough) iommu_device=smmuv3 ;; esac
else
	qemu_bin=qemu-system-x86_64 vcpus=2 iommu_device=${iommu[*]:1}
	qemu=("$qemu_bin" -machine "$machine" "${accel_args[@]}" -cpu "$cpu" -m 1G -smp 2
		-nodefaults -display none -no-reboot "${iommu[@]}" -device edu "${qemu_devices[@]}"
		-kernel "$kernel" -initrd "$work/initramfs.gz" -append "$append"
		-serial "file:$out/console.log" -serial "file:$out/channel.log" "${plugin[@]}")
fi
# The machine as QEMU was asked for it, for the results: the same kernel
# and mode on another CPU model or IOMMU setting is another measurement.
# Paths that change from boot to boot or machine to machine are named, not
# given: the initramfs's contents must not vary, or neither would icount.
shown=("${qemu[@]//"$work"/WORK}")
shown=("${shown[@]//"$out"/OUT}")
shown=("${shown[@]//"$CACHE_DIR"/CACHE}")
# And the dmabench that booted it: its commit (with -dirty for local
# changes) and the host command, for a reader who would run it again.
dmabench_commit=$(git -C "$TOP_DIR" describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)
jq -n --arg version "$("$qemu_bin" --version | head -n1)" --arg cpu "$cpu" \
	--arg machine "$machine" --arg iommu "$iommu_device" --arg accel "$accel" \
	--arg mode "$mode" --arg kernel "$kver" --argjson vcpus "$vcpus" --arg command "$(printf '%s\n' "${shown[@]}")" \
	--arg dcommit "$dmabench_commit" --arg dcommand "${DMABENCH_COMMAND:-}" \
	'{qemu_version: $version, machine: $machine, cpu: $cpu,
	  iommu: (if $iommu == "" then null else $iommu end), memory: "1G", vcpus: $vcpus,
	  accel: $accel, mode: $mode, kernel: $kernel,
	  command: ($command | rtrimstr("\n") | split("\n")),
	  dmabench: {commit: $dcommit,
		     command: (if $dcommand == "" then null else $dcommand end)}}' >"$root/job/machine.json"
# Added after the record above: a boot with a debugger attached runs the
# same QEMU command otherwise, so its figures are comparable.
if [ -n "$gdb_port" ]; then
	[[ $gdb_port =~ ^[0-9]+$ ]] || die "--gdb wants a TCP port, not '$gdb_port'"
	qemu+=(-gdb "tcp:127.0.0.1:$gdb_port")
fi
# Two vCPUs under icount: QEMU's round-robin thread can starve the main
# loop that runs its timers, and the guest stops dead until the VM is
# stopped and continued (harness/icount-nudge.py says why that changes
# no figure). A QMP socket for that, outside the record like --gdb.
nudge=
if [ "$accel" = tcg-icount ] && [ "$vcpus" -gt 1 ]; then
	nudge=$work/qmp.sock
	qemu+=(-qmp "unix:${nudge//,/,,},server=on,wait=off")
fi
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initramfs.gz"

rm -f "$out/console.log" "$out/channel.log" "$out/explain.raw" "$out/$mode.partial.json"

# salvage: the cells a guest measured before it died, from the frames the
# runner sent as it went (run --cell-frames), into OUT/MODE.partial.json:
# the result layout with "complete": false, which the tools refuse to
# compare and a reader may still open.
salvage() {
	local s=$work/salvage n
	mkdir -p "$s"
	"$host_runner" unpack --salvage "$out/channel.log" "$s" >/dev/null 2>&1
	[ -s "$s/partial.head.json" ] || return 0
	n=$(find "$s" -name 'partial.[0-9]*.json' | wc -l)
	[ "$n" -gt 0 ] || return 0
	jq -s '.[0].result + {cells: .[1:], complete: false, cells_total: .[0].cells_total}' \
		"$s/partial.head.json" "$s"/partial.[0-9]*.json >"$out/$mode.partial.json.tmp" &&
		mv "$out/$mode.partial.json.tmp" "$out/$mode.partial.json" &&
		say "$n of $(jq .cells_total "$s/partial.head.json") cells were measured before the guest died: $out/$mode.partial.json"
}
# run_qemu: the guest once; QEMU's exit status in rc.
run_qemu() {
	rm -f "$out/console.log" "$out/channel.log" "$out/explain.raw" "$work/nudge.log"
	set +e
	# In the background and waited for: a trapped signal interrupts the wait.
	timeout --kill-after=10 "$timeout" "${qemu[@]}" </dev/null >"$work/qemu.log" 2>&1 &
	qpid=$!
	if [ -n "$nudge" ]; then
		python3 "$HARNESS_DIR/icount-nudge.py" "$nudge" "$qpid" "$work/nudge.log" \
			"$out/console.log" "$out/channel.log" &
		npid=$!
	fi
	wait "$qpid"
	rc=$?
	qpid=
	if [ -n "$npid" ]; then
		kill "$npid" 2>/dev/null
		wait "$npid" 2>/dev/null
		npid=
	fi
	[ ! -s "$work/nudge.log" ] || say "QEMU's icount livelock, $(wc -l <"$work/nudge.log") time(s): $(tail -n 1 "$work/nudge.log")"
	set -e
}
run_qemu
# A guest kernel that died while booting, before anything of dmabench ran
# in it (lib.sh's panicked_before_job), is emulation's or the kernel's
# fault, not the measurement's (seen once: a double fault in slub's
# cmpxchg16b fast path during kernel_init, not again on the same inputs):
# booted once more, and said. A panic once the guest's init ran never is.
# (Not under --gdb: the debugger holds the first QEMU.)
if [ $rc -eq 0 ] && [ -z "$gdb_port" ] && panicked_before_job "$out/console.log" "$out/channel.log"; then
	say "the guest kernel ($kver, $mode) died while booting, before the job began ($(grep -m1 -o 'RIP: .*' "$out/console.log" || echo 'no RIP')): booting it once more"
	cp "$out/console.log" "$out/console.first-boot.log"
	run_qemu
fi
if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
	tail -n 20 "$out/console.log" >&2 || true
	say "guest ($kver, $mode) timed out after ${timeout}s: console above, in $out/console.log"
	salvage
	exit 124
fi
if [ $rc -ne 0 ]; then
	cat "$work/qemu.log" >&2
	tail -n 20 "$out/console.log" >&2 || true
	die "QEMU exited with $rc ($kver, $mode)"
fi
# The job's exit status is the last thing a guest sends: without it, the
# guest died (whole frames before that may have arrived all the same).
if ! "$host_runner" unpack "$out/channel.log" "$out" >/dev/null || [ ! -s "$out/job.rc" ]; then
	rm -f "$out"/partial.*.json
	tail -n 20 "$out/console.log" >&2 || true
	salvage
	if grep -q 'Kernel panic' "$out/console.log"; then
		die "the guest kernel panicked ($kver, $mode): console in $out/console.log"
	fi
	die "no verified result from the guest ($kver, $mode): console in $out/console.log"
fi
# the whole result arrived: the frames sent as it went are not needed
rm -f "$out"/partial.*.json
guest_rc=$(cat "$out/job.rc")
if [ "$guest_rc" != 0 ]; then
	cat "$out/job.log" >&2
	say "guest job failed with exit $guest_rc ($kver, $mode)"
	exit 1
fi
# A mode the guest kernel refuses on this machine: said, not measured.
if [ -s "$out/$mode.unavailable" ]; then
	say "$(cat "$out/$mode.unavailable") ($kver, $iommu_device)"
	exit 5
fi
if [ $explain = 1 ]; then
	"$host_runner" explain --attach "$out/$mode.json" "$out/explain.raw" "$out/$mode.kallsyms.gz" ||
		die "could not attach the explain figures ($kver, $mode)"
fi
exit 0
