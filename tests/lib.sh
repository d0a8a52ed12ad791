# SPDX-License-Identifier: GPL-2.0
# Assertions for tests/*.sh: each prints one "ok" or "not ok" line.
PASSED=0
FAILED=0

pass() { PASSED=$((PASSED + 1)); printf 'ok     %s\n' "$1"; }
fail() { FAILED=$((FAILED + 1)); printf 'not ok %s\n' "$1"; [ -z "${2:-}" ] || printf '       %s\n' "$2"; }

# check NAME COMMAND...: passes when COMMAND succeeds.
check() {
	local name=$1
	shift
	if "$@" >/dev/null 2>&1; then pass "$name"; else fail "$name" "failed: $*"; fi
}

# check_eq NAME WANT GOT
check_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "want '$2', got '$3'"; fi
}

# check_grep NAME PATTERN FILE
check_grep() {
	if grep -qE -- "$2" "$3" 2>/dev/null; then pass "$1"
	else fail "$1" "no /$2/ in $3: $(head -c 300 "$3" 2>/dev/null)"; fi
}

summary() {
	echo
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}

# check_fgrep NAME STRING FILE: a fixed string, no regex
check_fgrep() {
	if grep -qF -- "$2" "$3" 2>/dev/null; then pass "$1"
	else fail "$1" "no '$2' in $3"; fi
}
