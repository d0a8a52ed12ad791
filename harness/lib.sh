# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the QEMU harness scripts: cache location, logging,
# the Debian mirror taken from the host's own apt configuration.

HARNESS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP_DIR=$(cd "$HARNESS_DIR/.." && pwd)
CACHE_DIR=${DMABENCH_CACHE:-$TOP_DIR/.cache}

say() { printf 'dmabench: %s\n' "$*" >&2; }
die() { printf 'dmabench: error: %s\n' "$*" >&2; exit 1; }

# Print the running script's header comment (its usage text).
script_help() {
	awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" |
		grep -v '^SPDX'
}

# -h/--help prints the usage (exit 0); a missing argument prints it as an
# error (exit 2).
help_or_usage() {
	case "${1:-}" in
	-h|--help) script_help; exit 0 ;;
	"") script_help >&2; exit 2 ;;
	esac
}

need_root() {
	[ "$(id -u)" = 0 ] || die "$1 needs root (debootstrap, chroot, mount)"
}

# Print the URI of the host's apt entry that serves suite $1 (default
# bookworm). Reads the deb822 *.sources files first, then the one-line
# sources.list form. DMABENCH_MIRROR / DMABENCH_SECURITY_MIRROR override.
host_mirror() {
	local f uri want=${1:-bookworm}
	if [ "$want" = bookworm ] && [ -n "${DMABENCH_MIRROR:-}" ]; then
		echo "$DMABENCH_MIRROR"
		return
	fi
	if [ "$want" = bookworm-security ] && [ -n "${DMABENCH_SECURITY_MIRROR:-}" ]; then
		echo "$DMABENCH_SECURITY_MIRROR"
		return
	fi
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		uri=$(awk -v want="$want" '
			/^[[:space:]]*$/ { if (ok && u != "") { print u; exit } ok = 0; u = ""; next }
			/^URIs:/ { u = $2 }
			/^Suites:/ { for (i = 2; i <= NF; i++) if ($i == want) ok = 1 }
			END { if (ok && u != "") print u }' "$f" | head -n1)
		[ -n "$uri" ] && { echo "$uri"; return; }
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		uri=$(awk -v want="$want" '$1 == "deb" {
				i = 2; if ($i ~ /^\[/) while ($i !~ /\]$/) i++;
				if ($i ~ /^\[/ || $i ~ /\]$/) i++;
				if ($(i + 1) == want) { print $i; exit } }' "$f")
		[ -n "$uri" ] && { echo "$uri"; return; }
	done
	[ "$want" = bookworm ] || return 0
	die "no apt source for bookworm found in /etc/apt; set DMABENCH_MIRROR"
}

# check_kconfig DOTCONFIG "MODES": every option harness/kconfig/required
# lists for one of MODES is =y in DOTCONFIG. Names each missing option and
# the modes it blocks, then returns 1.
check_kconfig() {
	local dotconfig=$1 modes=" $2 " opt need m missing=0 blocked
	while read -r opt need; do
		case $opt in ''|'#'*) continue ;; esac
		blocked=
		for m in $need; do
			if [ "$m" = all ]; then blocked=${2// /, }; break; fi
			case $modes in *" $m "*) blocked="${blocked:+$blocked, }$m" ;; esac
		done
		[ -n "$blocked" ] || continue
		grep -q "^$opt=y\$" "$dotconfig" && continue
		case $blocked in
		*,*) say "error: $opt is not set in $dotconfig: modes $blocked need it" ;;
		*) say "error: $opt is not set in $dotconfig: mode $blocked needs it" ;;
		esac
		missing=1
	done <"$HARNESS_DIR/kconfig/required"
	return $missing
}

# git in a tree that root does not own (a user's checkout): read only.
# panicked_before_job CONSOLE CHANNEL: did the guest kernel die before
# the job began? A panic on the console before the guest's init said
# "dmabench-guest:" (which it does before it loads any module), and
# nothing on the channel. A panic once the init ran never is.
panicked_before_job() {
	[ -s "$1" ] && [ ! -s "$2" ] && grep -q 'Kernel panic' "$1" &&
		! grep -q '^dmabench-guest:' "$1"
}

tree_git() {
	local tree=$1
	shift
	git -c safe.directory='*' -C "$tree" "$@"
}

# A build root is shared by the builds in it and by changes to it.
# Builds run side by side: each holds the root's lock shared for as long as
# it runs (use_build_root), and its own folder's lock alone
# (lock_build_dir): two kernel builds share one object folder, a module
# build or DKMS does not wait for a kernel. Changes to the root's packages
# hold the lock alone (change_build_root), so they wait for every build and
# no build starts during one. The lock is on the root, so two checkouts
# whose caches share a root take turns too.
change_build_root() {
	exec 8>"$1/.dmabench-build.lock"
	flock -x 8
}
# use_build_root ROOT: the lock shared and /proc mounted (objtool reads it);
# release_build_root at exit. The mount is counted by the lock: the build
# that leaves last unmounts. A short lock of its own orders the mount and
# the unmount, so two builds leaving at once cannot both think the other
# one stays.
use_build_root() {
	exec 8>"$1/.dmabench-build.lock" 7>"$1/.dmabench-proc.lock"
	flock -x 7
	flock -s 8
	mountpoint -q "$1/proc" || mount -t proc proc "$1/proc"
	flock -u 7
}
release_build_root() {
	flock -x 7 2>/dev/null || return 0
	# (the lock alone: no other build holds the root)
	if flock -n -x 8; then
		umount "$1/proc" 2>/dev/null || true
	fi
	flock -u 8
	flock -u 7
}
# lock_build_dir ROOT NAME: one build at a time in ROOT's /build/NAME.
lock_build_dir() {
	exec 6>"$1/.dmabench-$2.lock"
	flock -x 6
}
