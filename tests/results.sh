# SPDX-License-Identifier: GPL-2.0
# Result reader tests on a real result from a guest ($1): truncated, wrong
# schema version, unfinished and incomplete files are refused. Sourced.
result_reader_tests() {
	local good=$1
	echo "# results: the reader refuses damaged files"
	check "a real result passes 'dmabench check'" "$RUNNER" check "$good"
	head -c $(($(stat -c %s "$good") / 2)) "$good" >"$T/trunc.json"
	"$RUNNER" check "$T/trunc.json" >"$T/trunc.out" 2>&1
	check_grep "a truncated result is refused" "trunc.json:[0-9]+:[0-9]+: truncated or invalid JSON" "$T/trunc.out"
	jq '.schema_version = 99' "$good" >"$T/v99.json"
	"$RUNNER" check "$T/v99.json" >"$T/v99.out" 2>&1
	check_grep "an unknown schema version is refused" "schema version 99, this dmabench reads 1" "$T/v99.out"
	jq '.complete = false' "$good" >"$T/unfinished.json"
	"$RUNNER" check "$T/unfinished.json" >"$T/unf.out" 2>&1
	check_grep "an unfinished run is refused" "did not finish" "$T/unf.out"
	jq '.cells[1].samples.map |= .[1:]' "$good" >"$T/short.json"
	"$RUNNER" check "$T/short.json" >"$T/short.out" 2>&1
	check_grep "a cell short of samples is refused" "cells\[1\] has not [0-9]+ samples" "$T/short.out"
	jq 'del(.system)' "$good" >"$T/nosys.json"
	"$RUNNER" check "$T/nosys.json" >"$T/nosys.out" 2>&1
	check_grep "a result without its metadata is refused" "no 'system'" "$T/nosys.out"
	"$RUNNER" compare "$T/trunc.json" "$good" >"$T/cmp.out" 2>&1
	check_grep "compare names the bad side" "before: .*truncated" "$T/cmp.out"
}
