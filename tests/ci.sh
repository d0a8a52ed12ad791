# SPDX-License-Identifier: GPL-2.0
# Beyond one machine: the CI script, the example CI jobs, the LAVA test
# definition and the KCIDB export, checked for structure on the host, and
# the CI script run for real on the scratch tree in the guest part.
# Sourced by tests/run.sh.

# lava-test-case as LAVA's shell gives it, recording what the definition
# reports: NAME --result RESULT.
lava_steps() {
	local steps=$1 dir=$2
	(
		cd "$dir" || exit 1
		lava-test-case() { echo "$1 $3" >>"$dir/cases"; }
		lava-test-raise() { echo "raised: $*" >>"$dir/cases"; exit 1; }
		# the steps after fetching and running: the KTAP lines to cases
		eval "$(sed -n '/^    - sed /,$s/^    - //p' "$steps" | sed 's|/tmp/ksft/|./|g')"
	)
}

ci_host_tests() {
	local d=$T/ci ref=$TOP/results/reference py=/usr/bin/python3 out rc
	mkdir -p "$d"
	echo "# CI: the gate script, bad input"
	"$TOP/harness/ci-gate.sh" >"$d/out" 2>&1
	check_eq "ci-gate.sh without a tree or range exits 5 (the gate's bad usage)" 5 $?
	"$TOP/harness/ci-gate.sh" --tree "$d" a >"$d/out" 2>&1
	check_grep "... a range must be BASE..HEAD" "is not BASE\.\.HEAD" "$d/out"
	"$TOP/harness/ci-gate.sh" --tree "$d" a..b >"$d/out" 2>&1
	check_eq "... a revision the tree does not have: exit 5" 5 $?
	check_grep "... naming it" "b is not a revision of" "$d/out"

	echo "# CI: example jobs and the LAVA definition"
	for f in "$TOP/docs/ci/gitlab-ci.yml" "$TOP/docs/ci/github-actions.yml" "$TOP/kselftest/lava-dmabench.yaml"; do
		check "$(basename "$f") is YAML" "$py" -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' "$f"
	done
	check_eq "the GitLab job calls ci-gate.sh, keeps the KTAP and report, gives GitLab the JUnit" "True True True True" \
		"$("$py" -c 'import sys, yaml; j = yaml.safe_load(open(sys.argv[1]))["dmabench-gate"]
s = " ".join(j["script"]); a = j["artifacts"]["paths"]
print("harness/ci-gate.sh" in s, any("gate.ktap" in p for p in a), any("report.txt" in p for p in a),
      j["artifacts"]["reports"]["junit"].endswith("/gate.junit.xml"))' "$TOP/docs/ci/gitlab-ci.yml")"
	check_eq "the GitHub job calls ci-gate.sh and reports its JUnit" "True True" \
		"$("$py" -c 'import sys, yaml; w = yaml.safe_load(open(sys.argv[1]))
st = w["jobs"]["gate"]["steps"]
print(any("ci-gate.sh" in s.get("run", "") for s in st),
      any(s.get("with", {}).get("report_paths", "").endswith("/gate.junit.xml") for s in st))' "$TOP/docs/ci/github-actions.yml")"
	check_eq "the LAVA definition: format, name, steps running run_kselftest.sh" \
		"Lava-Test Test Definition 1.0 dmabench-kselftest True" \
		"$("$py" -c 'import sys, yaml; t = yaml.safe_load(open(sys.argv[1]))
print(t["metadata"]["format"], t["metadata"]["name"], any("run_kselftest.sh" in s for s in t["run"]["steps"]))' "$TOP/kselftest/lava-dmabench.yaml")"
	mkdir -p "$d/lava"
	cp "$TOP/tests/data/kselftest-direct.txt" "$d/lava/output.txt"
	lava_steps "$TOP/kselftest/lava-dmabench.yaml" "$d/lava"
	check_eq "LAVA: a recorded run_kselftest.sh output becomes one case per result" \
		"info pass|detected_mode_direct pass|selftest pass|measure pass|result_valid pass" \
		"$(paste -sd'|' "$d/lava/cases")"
	sed 's/^# ok 2 detected_mode_direct$/# not ok 2 detected_mode_direct/; s/^# ok 4 measure$/# ok 4 measure # SKIP no time/' \
		"$TOP/tests/data/kselftest-direct.txt" >"$d/lava/output.txt"
	rm -f "$d/lava/cases"
	lava_steps "$TOP/kselftest/lava-dmabench.yaml" "$d/lava"
	check_eq "LAVA: a failed and a skipped result are reported as such" \
		"detected_mode_direct fail|measure skip" "$(grep -E '^(detected|measure)' "$d/lava/cases" | paste -sd'|')"

	echo "# KCIDB: the export's layout (kcidb-io schema v5.3)"
	"$RUNNER" kcidb -o "$d/k.json" "$ref/before" "$ref/after"
	check_eq "kcidb exits 0" 0 $?
	check_eq "schema version 5.3, two checkouts, two builds" "5 3 2 2" \
		"$(jq -r '"\(.version.major) \(.version.minor) \(.checkouts | length) \(.builds | length)"' "$d/k.json")"
	check_eq "only the schema's top-level keys" '["builds","checkouts","tests","version"]' "$(jq -c 'keys' "$d/k.json")"
	check_eq "every id starts with the origin and a colon, every origin is dmabench" 0 \
		"$(jq '[.checkouts[], .builds[], .tests[] | select((.id | startswith("dmabench:") | not) or .origin != "dmabench")] | length' "$d/k.json")"
	check_eq "ids are unique" "$(jq '[.checkouts[], .builds[], .tests[]] | length' "$d/k.json")" \
		"$(jq '[.checkouts[], .builds[], .tests[] | .id] | unique | length' "$d/k.json")"
	check_eq "every build names a checkout of the file, every test a build" 0 \
		"$(jq '([.checkouts[].id]) as $c | ([.builds[].id]) as $b |
			[(.builds[] | select(.checkout_id as $x | $c | index($x) | not)),
			 (.tests[] | select(.build_id as $x | $b | index($x) | not))] | length' "$d/k.json")"
	check_eq "statuses from the schema's list; paths dot-separated names" 0 \
		"$(jq '[.tests[] | select((.status | IN("FAIL","ERROR","MISS","PASS","DONE","SKIP") | not) or
			(.path | test("^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$") | not))] | length' "$d/k.json")"
	check_eq "a figure per side and row, DONE, in instructions (icount)" \
		"$(jq '[.cells[] | select(.status == "ok")] | 2 * length' "$ref"/*/*.json | awk '{ s += $1 } END { print s }') DONE instructions" \
		"$(jq -r '[.tests[] | select(.path | startswith("dmabench.gate.") | not)] | "\(length) \(map(.status) | unique | join(",")) \(map(.number.unit) | unique | join(","))"' "$d/k.json")"
	check_eq "the gate's verdicts: as many FAIL as the gate's not ok" \
		"$("$RUNNER" gate "$ref/before" "$ref/after" | grep -c '^not ok')" \
		"$(jq '[.tests[] | select(.path | startswith("dmabench.gate.")) | select(.status == "FAIL")] | length' "$d/k.json")"
	check_eq "... and a SKIP for each row one side lacks" \
		"$("$RUNNER" gate "$ref/before" "$ref/after" | grep -c '# SKIP')" \
		"$(jq '[.tests[] | select(.path | startswith("dmabench.gate.")) | select(.status == "SKIP")] | length' "$d/k.json")"
	check_eq "the direct page map figure is the compare table's" "71 179" \
		"$(jq -r '[.tests[] | select(.path == "dmabench.direct.page.map") | .number.value] | join(" ")' "$d/k.json")"
	"$RUNNER" kcidb --origin 'Bad Origin' "$ref/before" "$ref/after" >"$d/out" 2>&1
	check_eq "an origin outside [a-z0-9_]+ is refused (exit 2)" 2 $?
	"$RUNNER" kcidb --threshold 200 -o "$d/k2.json" "$ref/before" "$ref/after"
	check_eq "the gate's rules apply: at 200 % no FAIL" 0 \
		"$(jq '[.tests[] | select(.status == "FAIL")] | length' "$d/k2.json")"

	echo "# KCIDB and the gate: one verdict on the same input"
	local rec=$TOP/tests/data/tcg-runs3 pair t gk kk gj jk grc ktap_counts label
	for pair in "icount:$ref/before $ref/after" "tcg-3-runs:$rec/before $rec/after" \
		    "tcg-1-run:$rec/runs/before-direct.r1.json $rec/runs/after-direct.r1.json"; do
		label=${pair%%:*} pair=${pair#*:}
		for t in 5 1 20insn; do
			# shellcheck disable=SC2086
			"$RUNNER" gate -t "$t" $pair >"$d/one.ktap" 2>/dev/null
			gk=$?; grc=$gk
			# shellcheck disable=SC2086
			"$RUNNER" kcidb -t "$t" -o "$d/one.json" $pair 2>/dev/null
			kk=$?
			# gate: exit 5 refuses, 4 judges nothing, else pass/fail/skip lines
			case $gk in
			5) gk=refused ;;
			4) gk="judged 0 0 $(jq '[.tests[] | select(.path | startswith("dmabench.gate."))] | length' "$d/one.json" 2>/dev/null)" ;;
			*) gk="judged $(grep -c '^ok [0-9]* [^#]*$' "$d/one.ktap") $(grep -c '^not ok' "$d/one.ktap") $(grep -c '^ok .* # SKIP' "$d/one.ktap")" ;;
			esac
			[ $kk -eq 2 ] && kk=refused ||
				kk="judged $(jq -r '[.tests[] | select(.path | startswith("dmabench.gate.")) | .status] |
					"\(map(select(. == "PASS")) | length) \(map(select(. == "FAIL")) | length) \(map(select(. == "SKIP")) | length)"' "$d/one.json")"
			check_eq "$label -t $t: kcidb's verdicts are the gate's (pass, fail, skip)" "$gk" "$kk"
			# shellcheck disable=SC2086
			"$RUNNER" gate --format junit -t "$t" $pair >"$d/one.xml" 2>/dev/null
			jk=$?
			ktap_counts="$(grep -c '^ok [0-9]* [^#]*$' "$d/one.ktap") $(grep -c '^not ok [0-9]* [A-Za-z0-9]' "$d/one.ktap") $(grep -c '^ok .* # SKIP' "$d/one.ktap")"
			case $grc in
			5) gj="5 0 0 0 1" ;;	# refused: one error
			4) grep -q '^1\.\.0 # SKIP' "$d/one.ktap" && gj="4 0 0 1 0" || gj="4 $ktap_counts 0" ;;
			*) gj="$grc $ktap_counts 0" ;;
			esac
			check_eq "$label -t $t: JUnit's verdicts and exit are the gate's (exit, pass, fail, skip, error)" \
				"$gj" "$jk $(junit_counts "$d/one.xml")"
		done
	done
}

# junit_counts XML: pass, fail, skip and error testcases of a JUnit file,
# as a test view reads them.
junit_counts() {
	python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
try:
    cases = ET.parse(sys.argv[1]).getroot().iter("testcase")
except ET.ParseError as e:
    sys.exit(f"not XML: {e}")
n = {"pass": 0, "failure": 0, "skipped": 0, "error": 0}
for c in cases:
    kind = next((k for k in ("failure", "skipped", "error") if c.find(k) is not None), "pass")
    n[kind] += 1
print(n["pass"], n["failure"], n["skipped"], n["error"])
PY
}

# ci_tests: the CI script on the scratch tree, after the series tests (its
# kernels are built and measured by then).
ci_tests() {
	local tree c1 c2 out=$T/ci-run rc
	echo "# CI: ci-gate.sh on the scratch tree"
	tree=$("$TOP/tests/kernel-tree.sh") || { fail "the scratch kernel tree is there" "tests/kernel-tree.sh failed"; return; }
	c1=$(git -C "$tree" rev-parse master~2)
	c2=$(git -C "$tree" rev-parse master~1)
	"$TOP/harness/ci-gate.sh" --tree "$tree" --config "$TOP/tests/configs/series.ini" \
		--threshold 10 --kcidb "$T/ci-kcidb.json" --out "$out-k" "base..$c2" >"$T/ci-k.out" 2>"$T/ci-k.err"
	rc=$?
	check_eq "ci-gate.sh on the K-nop commit exits 1 (the gate's regression)" 1 "$rc"
	[ "$rc" -le 1 ] || tail -n 15 "$T/ci-k.err"
	check_grep "... printing the gate's KTAP" "^KTAP version 1$" "$T/ci-k.out"
	check "... and keeping it with the report" test -s "$out-k/gate.ktap" -a -s "$out-k/report.txt"
	check_eq "... and the same verdicts as JUnit (pass, fail, skip, error)" \
		"$(grep -c '^ok [0-9]* [^#]*$' "$out-k/gate.ktap") $(grep -c '^not ok' "$out-k/gate.ktap") $(grep -c '^ok .* # SKIP' "$out-k/gate.ktap") 0" \
		"$(junit_counts "$out-k/gate.junit.xml")"
	check_eq "... and the KCIDB export names the failing map rows" 12 \
		"$(jq '[.tests[] | select(.status == "FAIL")] | length' "$T/ci-kcidb.json" 2>/dev/null)"
	"$TOP/harness/ci-gate.sh" --tree "$tree" --config "$TOP/tests/configs/series.ini" \
		--threshold 10 --out "$out-n" "base..$c1" >"$T/ci-n.out" 2>&1
	check_eq "ci-gate.sh on the comment-only commit exits 0" 0 $?
}
