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
