#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: harness/apply-mbox.sh TREE BASE MBOX OUTDIR
# Apply a posted series (an mbox from 'git format-patch --cover-letter',
# 'b4 am' or a list archive, messages in series order) onto BASE of the
# kernel git tree TREE, leaving TREE untouched: in a bare clone in the
# cache that borrows TREE's objects (git clone --shared), patch by patch
# through an index of its own (git apply --cached), each commit made as
# git am makes it but with its author as committer too, so one mbox on one
# BASE always gives the same commits and their kernels are built once (a
# series whose author committed it gets back its own commit ids). A message without a patch
# is the cover letter when it comes first, and is skipped otherwise.
# Prints the clone's path and the head commit, one line. Writes
# OUTDIR/cover.eml (the cover letter, when there is one) and
# OUTDIR/applied.txt (one line per patch: its number, the commit, the
# subject). Exit 2 naming the patch and giving git's reason when one does
# not apply, or for an mbox without a patch.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

case "${1:-}" in -h|--help) script_help; exit 0 ;; esac
[ $# -eq 4 ] || { script_help >&2; exit 2; }
tree=$1 base_rev=$2 mbox=$3 outdir=$4
[ -f "$mbox" ] || { say "error: $mbox: not a file"; exit 2; }
base=$(tree_git "$tree" rev-parse --verify --end-of-options "$base_rev^{commit}" 2>/dev/null) ||
	{ say "error: $base_rev is not a revision of $tree"; exit 2; }

clone=$CACHE_DIR/mbox/$(realpath "$tree" | sha256sum | cut -c1-16).git
if [ ! -d "$clone" ]; then
	mkdir -p "$CACHE_DIR/mbox"
	git clone -q --bare --shared --no-tags "$(realpath "$tree")" "$clone.tmp.$$"
	mv "$clone.tmp.$$" "$clone" 2>/dev/null || rm -rf "$clone.tmp.$$"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/msgs" "$outdir"
n=$(git mailsplit -o"$work/msgs" "$mbox") || { say "error: $mbox: not an mbox git can split"; exit 2; }

export GIT_INDEX_FILE=$work/index
parent=$base patches=0 total=0
: >"$work/applied.txt"
for m in "$work"/msgs/*; do
	total=$((total + 1))
	git mailinfo "$work/msg" "$work/patch" <"$m" >"$work/info" ||
		{ say "error: message $total of $mbox: git mailinfo cannot read it"; exit 2; }
	subject=$(sed -n 's/^Subject: //p' "$work/info")
	if [ ! -s "$work/patch" ]; then
		if [ $total -eq 1 ]; then
			cp "$m" "$outdir/cover.eml"
		else
			say "message $total ('$subject') has no patch: skipped"
		fi
		continue
	fi
	patches=$((patches + 1))
	tree_git "$clone" read-tree "$parent"
	if ! tree_git "$clone" apply --cached "$work/patch" 2>"$work/apply.err"; then
		sed 's/^/  /' "$work/apply.err" >&2
		say "error: patch $patches ('$subject', message $total of $mbox) does not apply on ${base:0:12}: git apply's reason above"
		exit 2
	fi
	t=$(tree_git "$clone" write-tree)
	name=$(sed -n 's/^Author: //p' "$work/info")
	email=$(sed -n 's/^Email: //p' "$work/info")
	date=$(sed -n 's/^Date: //p' "$work/info")
	# as git am writes it: no trailing blank lines, no body when there is none
	{ printf '%s\n\n' "$subject"; cat "$work/msg"; } | git stripspace >"$work/message"
	parent=$(GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL=$email GIT_AUTHOR_DATE=$date \
		GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email GIT_COMMITTER_DATE=$date \
		tree_git "$clone" commit-tree "$t" -p "$parent" -F "$work/message")
	printf '%d %s %s\n' "$patches" "$parent" "$subject" >>"$work/applied.txt"
done
[ $patches -gt 0 ] || { say "error: $mbox: $n message(s), none with a patch"; exit 2; }
# a ref, so git gc in the clone keeps the series
tree_git "$clone" update-ref "refs/dmabench/${parent:0:12}" "$parent"
mv "$work/applied.txt" "$outdir/applied.txt"
say "applied $patches patch(es) of $mbox onto ${base:0:12} in $clone"
printf '%s %s\n' "$clone" "$parent"
