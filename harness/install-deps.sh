#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: harness/install-deps.sh
# Install the host packages dmabench needs (Debian 12), only when one is
# missing, so that a second run does not touch the network.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

case "${1:-}" in -h|--help) script_help; exit 0 ;; esac
pkgs="build-essential qemu-system-x86 qemu-system-arm debootstrap busybox-static cpio gzip
	libjansson-dev libinih-dev zlib1g-dev debian-archive-keyring jq gnuplot-nox python3
	git git-email b4 xz-utils zstd rsync gdb python3-yaml clang-14 libclang-rt-14-dev dpkg-dev"
missing=()
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
need_root "installing ${missing[*]}"
say "installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
