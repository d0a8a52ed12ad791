#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: harness/build-plugin.sh
# Build the explain plugin (harness/plugin/explain.c) for the installed
# QEMU into $CACHE/plugin/explain.so. The TCG plugin API header is not
# packaged for Debian's QEMU: take include/qemu/qemu-plugin.h from the
# source package of the exact installed qemu-system-x86 version, fetched
# with apt-get source from the mirror of the host's apt configuration
# into $CACHE/plugin/qemu-VERSION/ (once). Prints the plugin's path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

case "${1:-}" in -h|--help) script_help; exit 0 ;; esac
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 is missing (harness/install-deps.sh)"
bin_version=$(dpkg-query -W -f='${Version}' qemu-system-x86)
src_version=$(dpkg-query -W -f='${source:Version}' qemu-system-x86)
dl=$CACHE_DIR/plugin/qemu-$src_version
header=$dl/qemu-plugin.h
# Guests booted at once may all ask for the plugin: one fetches and builds.
mkdir -p "$CACHE_DIR/plugin"
exec 7>"$CACHE_DIR/plugin/.lock"
flock 7
if [ ! -s "$header" ]; then
	command -v dpkg-source >/dev/null || die "dpkg-source is missing (apt-get install dpkg-dev)"
	mirror=$(host_mirror bookworm)
	security=$(host_mirror bookworm-security)
	apt=$(mktemp -d)
	trap 'rm -rf "$apt"' EXIT
	mkdir -p "$apt/lists/partial" "$dl"
	{
		echo "deb-src $mirror bookworm main"
		echo "deb-src $mirror bookworm-updates main"
		[ -z "$security" ] || echo "deb-src $security bookworm-security main"
	} >"$apt/sources.list"
	aptopts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
		-o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt")
	say "fetching the qemu $src_version source package for its plugin API header"
	apt-get "${aptopts[@]}" update -q >"$dl/fetch.log" 2>&1 ||
		die "apt-get update for deb-src failed (log: $dl/fetch.log)"
	(cd "$dl" && apt-get "${aptopts[@]}" source --download-only -q "qemu=$src_version") \
		>>"$dl/fetch.log" 2>&1 || die "apt-get source qemu=$src_version failed (log: $dl/fetch.log)"
	rm -rf "$dl/src"
	(cd "$dl" && dpkg-source --no-check -x ./*.dsc src) >>"$dl/fetch.log" 2>&1 ||
		die "dpkg-source -x failed (log: $dl/fetch.log)"
	cp "$dl/src/include/qemu/qemu-plugin.h" "$header.tmp"
	rm -rf "$dl/src"
	mv "$header.tmp" "$header"
fi
out=$CACHE_DIR/plugin
mkdir -p "$out"
src=$HARNESS_DIR/plugin/explain.c
if [ ! -s "$out/explain.so" ] || [ "$src" -nt "$out/explain.so" ] || [ "$header" -nt "$out/explain.so" ] ||
	[ "$(cat "$out/qemu-version" 2>/dev/null)" != "$bin_version" ]; then
	gcc -O2 -Wall -Wextra -shared -fPIC -I"$dl" -o "$out/explain.so.tmp" "$src" ||
		die "building the explain plugin failed"
	mv "$out/explain.so.tmp" "$out/explain.so"
	echo "$bin_version" >"$out/qemu-version"
fi
echo "$out/explain.so"
