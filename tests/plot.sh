# SPDX-License-Identifier: GPL-2.0
# dmabench plot's figures against compare's and report's on the shipped
# pair: the change plot, the page - phys gap, summary.txt's markers, and
# inputs whose figures are all below zero. Sourced by tests/run.sh.

# plot_fmt_pct: compare's change text for the .dat's numbers on stdin
# (KEY CHANGE LO HI STARRED per line): KEY CHANGE% CI *, '-' where none.
plot_fmt_pct() {
	awk 'function pct(v) {
		if (v == "?") return "-"
		v += 0
		if (v < 0.05 && v > -0.05) return "0.0"
		return sprintf(v >= 100 || v <= -100 ? "%+.0f" : "%+.1f", v)
	}
	{
		ch = pct($2)
		print $1, ch == "-" ? "-" : ch "%", $3 == "?" ? "-" : "[" pct($3) "," pct($4) "]",
			$2 != "?" && $5 == 1 ? "*" : "-"
	}'
}

# plot_compare_rows MODE FILE: compare's rows of MODE as plot_fmt_pct prints them.
plot_compare_rows() {
	awk -v m="$1" '$1 == m {
		star = $8 == "*" ? "*" : "-"
		print $2 "-" $3, $6, $7, star
	}' "$2"
}

# plot_gap_check MODE DIR COMPARE SIDE: the gap .dat's SIDE column (2
# before, 3 after) against page - phys of compare's figures of that side.
plot_gap_check() {
	local mode=$1 dir=$2 cmp=$3 col=$4
	awk -v m="$mode" -v c="$col" 'NR == FNR {
		if ($1 == m && ($2 == "page" || $2 == "phys"))
			fig[$2 "-" $3] = $(c + 2)
		next
	}
	!/^#/ {
		p = fig["page-" $1]; x = fig["phys-" $1]
		want = p == "n/a" || x == "n/a" ? "?" : sprintf("%.1f", p - x)
		got = $c == "?" ? "?" : sprintf("%.1f", $c)
		print $1, want == got ? "same" : "want " want " got " got
	}' "$cmp" "$dir/$mode-gap.dat" | paste -sd' '
}

# plot_markers DIR: the A and B markers in summary.txt's plot (the title
# says "B before, A after"), and the figures in summary.dat.
plot_markers() {
	local d=$1
	printf '%s %s / %s %s\n' \
		"$(sed -n '/+---/,/+---/p' "$d/summary.txt" | tr -cd A | wc -c)" \
		"$(sed -n '/+---/,/+---/p' "$d/summary.txt" | tr -cd B | wc -c)" \
		"$(awk '!/^#/ && $4 != "?"' "$d/summary.dat" | wc -l)" \
		"$(awk '!/^#/ && $3 != "?"' "$d/summary.dat" | wc -l)"
}

# plot_change_host_tests: MODE-change says what compare says.
plot_change_host_tests() {
	local d=$T/pchange ref=$TOP/results/reference m
	echo "# plot: the change per row, as compare prints it"
	"$RUNNER" compare "$ref/before" "$ref/after" >"$d.cmp" 2>&1
	"$RUNNER" plot -o "$d" "$ref/before" "$ref/after" >"$d.out" 2>&1
	check_eq "plot of the shipped pair exits 0, gnuplot saying nothing" "0 0" "$? $(wc -l <"$d.out")"
	for m in direct strict lazy swiotlb; do
		check_eq "$m-change.dat: one line per row of compare, the same change, interval and star" \
			"$(plot_compare_rows $m "$d.cmp")" \
			"$(grep -v '^#' "$d/$m-change.dat" | cut -d' ' -f1-5 | plot_fmt_pct)"
		check_eq "... and its label is compare's text" \
			"$(awk -v m=$m '$1 == m { print $6 ($8 == "*" ? "*" : "") }' "$d.cmp" | sed 's/^-$/n\/a/')" \
			"$(grep -v '^#' "$d/$m-change.dat" | cut -d' ' -f6)"
		check "$m-change.png drawn" test -s "$d/$m-change.png" -a -s "$d/$m-change.svg"
	done
	check_eq "6.12's phys rows: n/a, no change drawn" "phys-map ? n/a|phys-unmap ? n/a" \
		"$(awk '$1 ~ /^phys-/ { print $1, $2, $6 }' "$d/strict-change.dat" | paste -sd'|')"
	check_grep "the interval is drawn as error bars from lo to hi" \
		"using 0:2:3:4 with yerrorbars" "$d/lazy-change.gp"
	check_grep "a non-starred row's label has no star (lazy page unmap)" \
		'^page-unmap 0\.376 -3\.990 5\.139 0 \+0\.4% ' "$d/lazy-change.dat"
	echo "# plot: summary.txt hides no marker"
	check_eq "as many A and B markers as figures (after, before)" "12 8 / 12 8" "$(plot_markers "$d")"
	check_eq "summary.txt still fits 72 columns" 0 "$(awk 'length > 72' "$d/summary.txt" | wc -l)"
	check_eq "plots/reference is this plot's (data, scripts, summary.txt)" "" \
		"$(cd "$d" && for f in *.dat *.gp summary.txt; do
			cmp -s "$f" "$TOP/plots/reference/$f" || printf '%s ' "$f"; done)"
	check_eq "docs/reference.md quotes its summary.txt" \
		"$(sed 's/^/    /; s/ *$//; /^ *$/d' "$d/summary.txt")" \
		"$(sed -n '/^ *map, .*(B before, A after)$/,/pg ph rt: page phys roundtrip$/p' "$TOP/docs/reference.md")"
}

# plot_gap_host_tests: MODE-gap is page - phys of each side, report's figure.
plot_gap_host_tests() {
	local d=$T/pgap ref=$TOP/results/reference m
	echo "# plot: the page - phys gap"
	"$RUNNER" plot -n -o "$d" "$ref/before" "$ref/after" >/dev/null 2>&1
	"$RUNNER" plot -n -o "$d-rev" "$ref/after" "$ref/before" >/dev/null 2>&1
	"$RUNNER" compare "$ref/before" "$ref/after" >"$d.cmp" 2>&1
	"$RUNNER" compare "$ref/after" "$ref/before" >"$d-rev.cmp" 2>&1
	# lazy's rows are amortized, the gap a difference of medians (as report's)
	for m in direct strict swiotlb; do
		check_eq "$m-gap.dat after: page - phys of compare's after figures" \
			"map same unmap same" "$(plot_gap_check $m "$d" "$d.cmp" 3)"
		check_eq "$m-gap.dat before: n/a (6.12 has no phys API)" \
			"map same unmap same" "$(plot_gap_check $m "$d" "$d.cmp" 2)"
		check_eq "... the pair the other way round: before is 7.3's page - phys" \
			"map same unmap same" "$(plot_gap_check $m "$d-rev" "$d-rev.cmp" 2)"
	done
	"$RUNNER" report "$ref/before" "$ref/after" >"$d.report" 2>&1
	# a conclusion's page-phys may be folded onto the line under its mode
	check_eq "every mode's after gap is report's page-phys, the same function" \
		"$(awk '/^  [a-z-]+: / { m = $1; sub(/:$/, "", m) }
			m != "" && match($0, /page-phys [^ ]+/) {
				split(substr($0, RSTART + 10, RLENGTH - 10), g, "/"); print m, g[1], g[2]
			}' "$d.report")" \
		"$(for m in direct strict lazy swiotlb; do
			echo "$m $(awk '$1 == "map" { m = $5 } $1 == "unmap" { u = $5 } END { print m, u }' "$d/$m-gap.dat")"
		done)"
	check_eq "n/a labels where a side has no phys" "n/a n/a" \
		"$(awk '$1 == "map" { print $4 } $1 == "unmap" { print $4 }' "$d/lazy-gap.dat" | paste -sd' ')"
}

# plot_summary_host_tests: summary.txt where a log axis cannot draw it.
plot_summary_host_tests() {
	local d=$T/psum ref=$TOP/results/reference s f
	echo "# plot: summary.txt of figures below zero, and of none"
	# a baseline above every sample: every net figure below zero
	mkdir -p "$d-neg/b" "$d-neg/a"
	for s in before after; do
		for f in "$ref/$s"/direct.json "$ref/$s"/strict.json; do
			jq '(.cells[] | select(.baseline != null) | .baseline) |=
				(.map_cycles_per_op += 100000 | .unmap_cycles_per_op += 100000)' \
				"$f" >"$d-neg/${s:0:1}/$(basename "$f")"
		done
	done
	"$RUNNER" plot -o "$d-neg/p" "$d-neg/b" "$d-neg/a" >"$d-neg.out" 2>&1
	check_eq "every figure below zero: plot exits 0" 0 $?
	check_grep "... on a linear axis, saying why" "linear y axis: a figure is zero or below" \
		"$d-neg/p/summary.txt"
	check_eq "... every figure marked" "6 4 / 6 4" "$(plot_markers "$d-neg/p")"
	mkdir -p "$d-none/b" "$d-none/a"
	for s in before after; do
		jq '.cells[].status = "unsupported"' "$ref/$s/direct.json" >"$d-none/${s:0:1}/direct.json"
	done
	"$RUNNER" plot -o "$d-none/p" "$d-none/b" "$d-none/a" >/dev/null 2>&1
	check_eq "no figure at all: plot exits 0, summary.txt says so" \
		"0 map, guest instructions per op: no figure on either side, nothing to plot" \
		"$? $(cat "$d-none/p/summary.txt" 2>/dev/null)"
}
