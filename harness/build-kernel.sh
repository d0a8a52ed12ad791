#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: harness/build-kernel.sh [options] TREE REV
# Build revision REV of the kernel git tree TREE for the harness and print
# its kernel id (git-COMMIT-CONFIG), which build-module.sh and boot.sh take
# like a Debian kernel release. TREE is only read (git archive): no
# checkout, no file written into it, a dirty work tree does not matter.
#
#   --kconfig FILE  the user's own .config, completed with olddefconfig
#                   (default: the tree's kvm_guest.config and
#                   harness/kconfig/dmabench.config merged over allnoconfig
#                   with the tree's scripts/kconfig/merge_config.sh -n: a
#                   lean kernel of what the measurement runs on)
#   --modes LIST    modes whose kernel options must survive configuring
#                   (default "direct strict lazy swiotlb")
#
# Builds run in the trixie build root, out of tree (O=) in the cache,
# through ccache and one reused object folder, so the next revision
# compiles only what changed. A revision built once with the same config
# is reused; one that failed to build fails again at once.
# Exit: 0 built, 2 bad input (REV does not resolve, an option a mode needs
# is missing: named before any build), 3 REV does not build (log tail on
# stderr), 1 anything else.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kconfig= modes="direct strict lazy swiotlb"
while [ $# -gt 0 ]; do
	case $1 in
	--kconfig) [ -r "${2:-}" ] || { say "error: --kconfig ${2:-}: no such file"; exit 2; }
		kconfig=$(realpath "$2"); shift 2 ;;
	--modes) modes=$2; shift 2 ;;
	-h|--help) script_help; exit 0 ;;
	-*) say "error: unknown option $1 (see --help)"; exit 2 ;;
	*) break ;;
	esac
done
[ $# -eq 2 ] || { script_help >&2; exit 2; }
tree=$1 rev=$2
[ -d "$tree" ] || { say "error: $tree: no such folder"; exit 2; }
if ! commit=$(tree_git "$tree" rev-parse --verify --end-of-options "$rev^{commit}" 2>&1); then
	say "error: '$rev' is not a commit of $tree: $commit"
	exit 2
fi
tree_git "$tree" cat-file -e "$commit:kernel/dma/mapping.c" 2>/dev/null &&
	tree_git "$tree" cat-file -e "$commit:scripts/kconfig/merge_config.sh" 2>/dev/null ||
	{ say "error: $rev ($commit) of $tree is not a Linux source tree with kernel/dma/mapping.c and scripts/kconfig/merge_config.sh"; exit 2; }

fragment=$HARNESS_DIR/kconfig/dmabench.config
if [ -n "$kconfig" ]; then
	cfg_hash=$( (echo user; cat "$kconfig") | sha256sum | cut -c1-8)
else
	cfg_hash=$( (echo merged over allnoconfig; cat "$fragment") | sha256sum | cut -c1-8)
fi
kid=git-${commit:0:12}-$cfg_hash
out=$CACHE_DIR/kernels/$kid
if [ -s "$out/vmlinuz" ] && [ -s "$out/kdir" ]; then
	echo "$kid"
	exit 0
fi
if [ -s "$out/build-failed" ]; then
	tail -n 20 "$out/build.log" >&2 2>/dev/null || true
	say "error: $(cat "$out/build-failed")"
	exit 3
fi

# sync_source COMMIT: the source of COMMIT in $work/src, where only files
# whose content changed are replaced, so make and ccache see the series'
# changes and nothing else (extracted files get the time of now, -m).
# From the revision the folder holds (recorded beside it once complete),
# git names what changed; without that record, or when TREE does not have
# that revision, every file is compared (git archive, then rsync -c).
sync_source() {
	local held
	held=$(cat "$work/src.commit" 2>/dev/null || true)
	rm -f "$work/src.commit"
	mkdir -p "$work/src"
	if [ -n "$held" ] && tree_git "$tree" cat-file -e "$held^{commit}" 2>/dev/null; then
		tree_git "$tree" diff --no-renames --name-only -z --diff-filter=D "$held" "$1" |
			(cd "$work/src" && xargs -0r rm -f --)
		tree_git "$tree" diff --no-renames --name-only -z --diff-filter=d "$held" "$1" |
			GIT_LITERAL_PATHSPECS=1 xargs -0r sh -c \
			'c=$1 d=$2; shift 2; git -c safe.directory="*" -C "$0" archive --format=tar "$c" -- "$@" | tar -x -m -C "$d"' \
			"$tree" "$1" "$work/src"
	else
		rm -rf "$work/stage"
		mkdir -p "$work/stage"
		tree_git "$tree" archive --format=tar "$1" | tar -x -C "$work/stage"
		chroot "$root" rsync -rlpc --delete /build/kwork/stage/ /build/kwork/src/
		rm -rf "$work/stage"
	fi
	echo "$1" >"$work/src.commit"
}

root=$("$HARNESS_DIR/buildroot.sh" trixie)
need_root "building kernels in the trixie build root"
mkdir -p "$CACHE_DIR" "$out"
# Beside module builds, but one kernel build at a time: they share the
# object folder.
use_build_root "$root"
trap 'release_build_root "$root"' EXIT
lock_build_dir "$root" kwork
work=$root/build/kwork
mkdir -p "$work/obj" "$root/build/ccache" "$root/build/kernels"
say "building kernel $kid ($(tree_git "$tree" log -1 --format='%h %s' "$commit" | cut -c1-60))"
start=$(date +%s)

sync_source "$commit"

# Fixed identity: the same revision builds the same image, and uname -v
# does not change between two builds of one commit. ccache in its depend
# mode: the headers an object read come from the compiler's own -MMD
# output, not from a second preprocessor run per file, which made a cold
# build's misses cost 75 % more (drivers/acpi: 92 s against 51 s without
# ccache or in depend mode; hits 12 s).
kenv=(env PATH=/usr/lib/ccache:/usr/sbin:/usr/bin:/sbin:/bin CCACHE_DIR=/build/ccache
	CCACHE_DEPEND=1 CCACHE_MAXSIZE=8G KBUILD_BUILD_USER=dmabench KBUILD_BUILD_HOST=dmabench
	KBUILD_BUILD_TIMESTAMP="$(tree_git "$tree" log -1 --format=%cD "$commit")"
	ARCH=x86_64)
inroot() { chroot "$root" "${kenv[@]}" sh -c "cd /build/kwork/src && $1" >>"$out/build.log" 2>&1; }
: >"$out/build.log"
rm -f "$work/obj/.config"
if [ -n "$kconfig" ]; then
	cp "$kconfig" "$work/obj/.config"
	inroot 'make O=/build/kwork/obj olddefconfig' ||
		{ tail -n 20 "$out/build.log" >&2; say "error: olddefconfig failed on $kconfig"; exit 2; }
else
	cp "$fragment" "$work/dmabench.config"
	inroot 'scripts/kconfig/merge_config.sh -n -O /build/kwork/obj kernel/configs/kvm_guest.config /build/kwork/dmabench.config' ||
		{ tail -n 20 "$out/build.log" >&2; say "error: merging the config failed"; exit 2; }
fi
cp "$work/obj/.config" "$out/config"
check_kconfig "$out/config" "$modes" || {
	say "error: configured $kid lacks options the modes need (nothing was built)"
	exit 2
}

jobs=$(nproc)
if ! inroot "make O=/build/kwork/obj -j$jobs"; then
	tail -n 30 "$out/build.log" >&2
	echo "$commit does not build (log: $out/build.log)" >"$out/build-failed"
	say "error: $(cat "$out/build-failed")"
	exit 3
fi
release=$(chroot "$root" "${kenv[@]}" make -s -C /build/kwork/src O=/build/kwork/obj kernelrelease)
# A standalone module build tree, as Debian's headers packages make it.
rm -rf "$root/build/kernels/$kid"
chroot "$root" "${kenv[@]}" sh -c "cd /build/kwork/obj && srctree=/build/kwork/src \
	SRCARCH=x86 CC=gcc HOSTCC=gcc MAKE=make \
	sh /build/kwork/src/scripts/package/install-extmod-build /build/kernels/$kid" \
	>>"$out/build.log" 2>&1 || { tail -n 20 "$out/build.log" >&2; die "install-extmod-build failed for $kid"; }
cp "$work/obj/.config" "$root/build/kernels/$kid/.config"
cp "$work/obj/arch/x86/boot/bzImage" "$out/vmlinuz.tmp"
describe=$(tree_git "$tree" describe --always --tags "$commit" 2>/dev/null || echo "${commit:0:12}")
subject=$(tree_git "$tree" log -1 --format=%s "$commit")
jq -n --arg commit "$commit" --arg describe "$describe" --arg subject "$subject" \
	--arg tree "$(realpath "$tree")" --arg release "$release" --arg cfg "$cfg_hash" \
	--arg kconfig "${kconfig:-allnoconfig + kvm_guest.config + dmabench.config}" \
	--arg kid "$kid" \
	'{provider: "git", id: $kid, commit: $commit, describe: $describe,
	  subject: $subject, tree: $tree, release: $release,
	  config: {hash: $cfg, from: $kconfig}}' >"$out/source.json"
echo trixie >"$out/suite"
echo "$release" >"$out/release"
echo "/build/kernels/$kid" >"$out/kdir"
mv "$out/vmlinuz.tmp" "$out/vmlinuz"
say "built $kid ($release) in $(( $(date +%s) - start )) s"
echo "$kid"
