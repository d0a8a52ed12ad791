#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: harness/fetch-series.sh MSGID OUT [ARCHIVE]
# A posted series by the Message-ID of any of its messages, with 'b4 am':
# from lore.kernel.org, or from the mbox ARCHIVE (b4 am -m: a list
# archive kept locally). Writes OUT as 'series --mbox' takes it: the cover
# letter first (when the series has one), then the patches in order, with
# the trailers b4 collects from the replies. Exit 2 saying why when b4 is
# not installed or cannot get the series (lore unreachable, an unknown
# Message-ID): b4's own words come first.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

case "${1:-}" in -h|--help) script_help; exit 0 ;; esac
[ $# -eq 2 ] || [ $# -eq 3 ] || { script_help >&2; exit 2; }
msgid=${1#<} out=$2 archive=${3:-}
msgid=${msgid%>}
# b4 takes it as an argument: one word, not an option
[[ $msgid =~ ^[^[:space:][:cntrl:]\<\>-][^[:space:][:cntrl:]\<\>]*$ ]] ||
	{ say "error: '$1' is not a Message-ID (one word, as in <id@host>)"; exit 2; }
command -v b4 >/dev/null ||
	{ say "error: --msgid needs b4 (Debian: apt install b4); or get the series yourself (b4 am, a list archive) and give it with --mbox"; exit 2; }
if [ -n "$archive" ] && [ ! -f "$archive" ]; then
	say "error: $archive: not a file (--archive wants an mbox)"
	exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/am"
# b4 stops with a bare KeyError when git has no user.email: give it one
# for this run only (it only signs trailers with it, which we do not ask)
if [ -z "$(git config user.email 2>/dev/null)" ] && [ -z "${GIT_CONFIG_COUNT:-}" ]; then
	export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=user.email GIT_CONFIG_VALUE_0=dmabench@localhost
fi
from=${archive:-lore.kernel.org} hint=
[ -n "$archive" ] || hint=" (is lore.kernel.org reachable from here? If not, save the thread and give it with --archive or --mbox)"
# a network that drops packets would hold b4 for good
if ! (cd "$work" && timeout 300 b4 am -o "$work/am" ${archive:+-m "$archive"} "$msgid") >"$work/b4.log" 2>&1; then
	tail -n 8 "$work/b4.log" >&2
	say "error: b4 am could not get $msgid from $from: b4's output above$hint"
	exit 2
fi
shopt -s nullglob
mbx=("$work"/am/*.mbx) cover=("$work"/am/*.cover)
if [ ${#mbx[@]} -ne 1 ]; then
	cat "$work/b4.log" >&2
	say "error: b4 am found no patch series for $msgid in $from"
	exit 2
fi
# b4 writes the cover as a bare message: an mbox's "From " line before it
{
	for c in "${cover[@]}"; do
		head -c 5 "$c" | grep -q '^From ' || echo 'From dmabench Mon Sep 17 00:00:00 2001'
		cat "$c"
		echo
	done
	cat "${mbx[0]}"
} >"$out.tmp"
mv "$out.tmp" "$out"
