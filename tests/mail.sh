# SPDX-License-Identifier: GPL-2.0
# The reply on the list: 'dmabench report --reply-to COVER' on the shipped
# results, read back by Python's email parser, git mailinfo and git
# send-email --dry-run; and cover letters that must be refused. Sourced by
# tests/run.sh.

# mail_reply COVER OUT [ARGS...]: the shipped pair's report as a reply to COVER.
mail_reply() {
	local cover=$1 out=$2
	shift 2
	SOURCE_DATE_EPOCH=1796700000 "$RUNNER" report --reply-to "$cover" \
		--from 'Tester <tester@example.net>' "$@" \
		"$TOP/results/reference/before" "$TOP/results/reference/after" >"$out" 2>"$out.err"
}

# mail_read MAIL: what a mail reader sees in it, one fact per line.
mail_read() {
	python3 - "$1" <<'PY'
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
body = m.get_content()
print("subject", m["Subject"])
print("in-reply-to", m["In-Reply-To"])
print("references", " ".join(str(m["References"]).split()))
print("to", " ".join(a.addr_spec for a in m["To"].addresses))
print("cc", " ".join(a.addr_spec for a in m["Cc"].addresses) if m["Cc"] else "")
print("type", m.get_content_type(), m.get_content_charset())
print("defects", len(m.defects))
print("bcc", m["Bcc"])
print("long body lines", sum(1 for l in body.splitlines() if not l.startswith(">") and len(l) > 72))
print("quoted lines", sum(1 for l in body.splitlines() if l.startswith(">")))
print("long header lines", sum(1 for l in open(sys.argv[1], encoding="utf-8").read().split("\n\n")[0].splitlines() if len(l) > 78))
PY
}

mail_host_tests() {
	local d=$T/mail data=$TOP/tests/data/mail c
	echo "# report --reply-to: a reply on the list"
	mkdir -p "$d"
	mail_reply "$data/cover.mbox" "$d/reply.eml"
	check_eq "report --reply-to on the shipped pair exits 0" 0 $?
	mail_read "$d/reply.eml" >"$d/read.txt"
	check_fgrep "Subject: Re: the cover's, unfolded" \
		"subject Re: [PATCH v2 0/2] dma-mapping: map pages through dma_map_phys() without the round trip" "$d/read.txt"
	check_fgrep "In-Reply-To: the cover's Message-ID" \
		"in-reply-to <20261130091500.1234-1-jane@example.org>" "$d/read.txt"
	check_fgrep "References: the cover's, then its Message-ID" \
		"references <20261120080000.999-1-jane@example.org> <a1b2c3@example.net> <20261130091500.1234-1-jane@example.org>" "$d/read.txt"
	check_fgrep "To: the cover's author" "to jane@example.org" "$d/read.txt"
	check_fgrep "Cc: its recipients, each once, the author left to To" \
		"cc iommu@lists.example.org john@example.com robin@example.com linux-kernel@vger.example.org" "$d/read.txt"
	check_fgrep "plain text, UTF-8, no defect a parser sees" "type text/plain utf-8" "$d/read.txt"
	check_fgrep "... no defect" "defects 0" "$d/read.txt"
	check_fgrep "every body line outside the quote within 72 columns" "long body lines 0" "$d/read.txt"
	check_fgrep "every header line within 78" "long header lines 0" "$d/read.txt"
	check_fgrep "the cover quoted up to its shortlog (4 text lines and a blank)" "quoted lines 5" "$d/read.txt"
	"$RUNNER" report "$TOP/results/reference/before" "$TOP/results/reference/after" >"$d/report.txt"
	check "the report is in the mail as 'report' prints it" python3 -c '
import sys; sys.exit(open(sys.argv[2]).read() not in open(sys.argv[1]).read())' "$d/reply.eml" "$d/report.txt"
	check_grep "... after the attribution line" "^On Mon, 30 Nov 2026 10:15:00 \+0100, Jane Developer" "$d/reply.eml"
	mail_reply "$data/cover.mbox" "$d/again.eml"
	check "one SOURCE_DATE_EPOCH, one mail, byte for byte" cmp "$d/reply.eml" "$d/again.eml"
	git mailinfo "$d/mi.msg" "$d/mi.patch" <"$d/reply.eml" >"$d/mailinfo.txt"
	check_eq "git mailinfo reads it" 0 $?
	check_fgrep "... the author from From" "Email: tester@example.net" "$d/mailinfo.txt"
	check_fgrep "... the subject" "Subject: dma-mapping: map pages through dma_map_phys() without the round trip" "$d/mailinfo.txt"
	(cd "$d" && git send-email --dry-run --confirm=never --no-validate --smtp-server=/bin/true \
		--suppress-cc=self --from 'Tester <tester@example.net>' reply.eml </dev/null) >"$d/send.txt" 2>&1
	check_eq "git send-email --dry-run takes it" 0 $?
	check_fgrep "... to the author and every recipient" \
		"Sendmail: /bin/true -i jane@example.org iommu@lists.example.org john@example.com robin@example.com linux-kernel@vger.example.org" "$d/send.txt"
	check_fgrep "... in the cover's thread" "In-Reply-To: <20261130091500.1234-1-jane@example.org>" "$d/send.txt"

	# CRLF line ends, a subject already 'Re:', a long cover, a Bcc it must not copy
	sed 's/$/\r/' "$data/cover.mbox" >"$d/crlf.mbox"
	mail_reply "$d/crlf.mbox" "$d/crlf.eml"
	check "a cover with CRLF line ends gives the same mail" cmp "$d/reply.eml" "$d/crlf.eml"
	sed -e 's/^Subject: \[PATCH/Subject: Re: [PATCH/' -e 's/^MIME-Version/Bcc: evil@example.com\nMIME-Version/' \
		"$data/cover.mbox" >"$d/re.mbox"
	awk 'NR == 18 { for (i = 0; i < 12; i++) print "a line of the cover letter " i } { print }' \
		"$d/re.mbox" >"$d/long.mbox"
	mail_reply "$d/long.mbox" "$d/long.eml"
	mail_read "$d/long.eml" >"$d/long.txt"
	check_fgrep "a subject already 'Re:' gets no second one" "subject Re: [PATCH v2 0/2]" "$d/long.txt"
	check_fgrep "a Bcc in the cover goes nowhere" "bcc None" "$d/long.txt"
	check_fgrep "a long cover: 8 lines quoted and an ellipsis" "quoted lines 9" "$d/long.txt"
	check_grep "... the ellipsis" "^> \[\.\.\.\]$" "$d/long.eml"

	echo "# report --reply-to: what it refuses"
	mail_refused() {
		local name=$1 expect=$2 file=$3
		rm -f "$d/out.eml"
		SOURCE_DATE_EPOCH=1796700000 "$RUNNER" report --reply-to "$file" --from 'T <t@example.net>' \
			-o "$d/out.eml" "$TOP/results/reference/before" "$TOP/results/reference/after" >"$d/refused.txt" 2>&1
		check_eq "$name: exit 2, nothing written" "2 no" "$? $([ -e "$d/out.eml" ] && echo yes || echo no)"
		check_grep "$name: ... saying why" "$expect" "$d/refused.txt"
	}
	grep -v '^Message-ID' "$data/cover.mbox" >"$d/noid.mbox"
	mail_refused "a cover without a Message-ID" "no Message-ID" "$d/noid.mbox"
	printf 'From: a@example.org\nMessage-ID: <1@example.org>\nSubject: \033]0;owned\007x\n\nbody\n' >"$d/esc.mbox"
	mail_refused "a control character in a header" "subject: header .*control character" "$d/esc.mbox"
	printf 'From: a@example.org\nMessage-ID: <1@example.org>\nSubject: a\000b\n\nbody\n' >"$d/nul.mbox"
	mail_refused "a NUL byte" "NUL byte" "$d/nul.mbox"
	printf ' folded: first\nFrom: a@example.org\n\nbody\n' >"$d/fold.mbox"
	mail_refused "a folded line first" "folded line before any header" "$d/fold.mbox"
	mail_refused "a folder for a cover" "not a regular file|directory" "$d"
	mail_refused "no cover" "No such file" "$d/none.mbox"
	for c in "" "nobody" "$(printf 'a@b\nBcc: x@y')"; do
		EMAIL= "$RUNNER" report --reply-to "$data/cover.mbox" ${c:+--from "$c"} \
			"$TOP/results/reference/before" "$TOP/results/reference/after" >"$d/from.txt" 2>&1
		check_eq "From '${c//$'\n'/\\n}': exit 2" 2 $?
	done
	EMAIL= "$RUNNER" report --reply-to "$data/cover.mbox" "$TOP/results/reference/before" \
		"$TOP/results/reference/after" >"$d/from.txt" 2>&1
	check_grep "no From anywhere: says how to give one" "give --from ADDRESS or set EMAIL" "$d/from.txt"
	EMAIL='Env <env@example.net>' SOURCE_DATE_EPOCH=1796700000 "$RUNNER" report \
		--reply-to "$data/cover.mbox" "$TOP/results/reference/before" \
		"$TOP/results/reference/after" >"$d/env.eml" 2>&1
	check_grep "EMAIL gives the From" "^From: Env <env@example.net>$" "$d/env.eml"
	"$RUNNER" report --from 't@example.net' "$TOP/results/reference/before" \
		"$TOP/results/reference/after" >/dev/null 2>&1
	check_eq "--from without --reply-to: exit 2" 2 $?
	mail_attach_tests "$d" "$data"
}

# mail_attach_tests DIR DATA: plots sent with the reply (--attach).
mail_attach_tests() {
	local d=$1/attach data=$2 png=$TOP/plots/reference/direct-bars.png txt=$TOP/plots/reference/summary.txt
	echo "# report --reply-to --attach: plots as MIME attachments"
	mkdir -p "$d"
	cp "$txt" "$d/it's a \"plot\".txt"
	mail_reply "$data/cover.mbox" "$d/reply.eml" --attach "$png" --attach "$d/it's a \"plot\".txt"
	check_eq "two attachments: exit 0" 0 $?
	python3 - "$d/reply.eml" "$png" "$txt" "$1/reply.eml" >"$d/read.txt" 2>&1 <<'PY'
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
plain = email.message_from_bytes(open(sys.argv[4], "rb").read(), policy=email.policy.default)
parts = list(m.iter_parts())
print("type", m.get_content_type(), "defects", len(m.defects) + sum(len(p.defects) for p in m.walk()))
print("parts", " ".join(p.get_content_type() for p in parts))
print("text first, the same as without attachments", parts[0].get_content() == plain.get_content())
print("names", "|".join(str(p.get_filename()) for p in parts[1:]))
print("png bytes", parts[1].get_payload(decode=True) == open(sys.argv[2], "rb").read())
print("txt bytes", parts[2].get_payload(decode=True) == open(sys.argv[3], "rb").read())
print("long lines", sum(1 for l in open(sys.argv[1], "rb").read().split(b"\n") if len(l) > 78))
print("threading", m["In-Reply-To"] == plain["In-Reply-To"], m["References"] == plain["References"])
PY
	check_fgrep "a multipart/mixed mail no parser finds a defect in" "type multipart/mixed defects 0" "$d/read.txt"
	check_fgrep "... the text, then each file with its type" "parts text/plain image/png text/plain" "$d/read.txt"
	check_fgrep "... the text part is the reply without attachments" \
		"text first, the same as without attachments True" "$d/read.txt"
	check_fgrep "... each file by its last name, quotes made harmless" \
		"names direct-bars.png|it_s_a__plot_.txt" "$d/read.txt"
	check_fgrep "... the PNG decodes to its bytes" "png bytes True" "$d/read.txt"
	check_fgrep "... so does the text plot" "txt bytes True" "$d/read.txt"
	check_fgrep "... every line within 78 (base64 in 76)" "long lines 0" "$d/read.txt"
	check_fgrep "... in the same thread" "threading True True" "$d/read.txt"
	(cd "$d" && git send-email --dry-run --confirm=never --no-validate --smtp-server=/bin/true \
		--suppress-cc=self --from 'Tester <tester@example.net>' reply.eml </dev/null) >"$d/send.txt" 2>&1
	check_eq "git send-email --dry-run takes it" 0 $?
	rm -f "$d/none.eml"
	mail_reply "$data/cover.mbox" "$d/none.eml" --attach "$d/no such plot.png"
	check_eq "an attachment that cannot be read: exit 2" 2 $?
	check_grep "... naming it" "no such plot\.png" "$d/none.eml.err"
	"$RUNNER" report --attach "$png" "$TOP/results/reference/before" "$TOP/results/reference/after" \
		>"$d/noreply.txt" 2>&1
	check_eq "--attach without --reply-to: exit 2, saying so" "2 1" "$? $(grep -c 'attach goes with --reply-to' "$d/noreply.txt")"
}

# report_setup_host_tests: the report's order and its setup section, on the
# shipped pair and on crafted variants of it.
report_setup_host_tests() {
	local d=$T/setup ref=$TOP/results/reference r
	echo "# report: verdict first, setup last, what both sides share once"
	mkdir -p "$d/a"
	"$RUNNER" report "$ref/before" "$ref/after" >"$d/report.txt"
	check_eq "the order: title, conclusions, table, how to reproduce, config" \
		"dmabench|Conclusions|mode|figures:|How|both|config:" \
		"$(grep -oE '^(dmabench [0-9]|Conclusions|mode +api|figures:|How to reproduce|both sides:|config:)' "$d/report.txt" |
			sed 's/ .*//' | paste -sd'|')"
	sed -n '/^figures:/,$p' "$d/report.txt" >"$d/setup.txt"
	check_eq "fields both sides share are printed once (qemu, cpu, mitigations, a mode's command line)" "1 1 1 1" \
		"$(for l in '  qemu:' '  cpu:' '  mitig.:' '  strict:  console='; do grep -c "^$l" "$d/setup.txt"; done | paste -sd' ')"
	check_eq "... each side's kernel and source under its name, before the shared ones" "2 1 1 1" \
		"$(grep -c '^  source:' "$d/setup.txt") $(grep -c '^before: *6\.12' "$d/setup.txt") $(grep -c '^after: *7\.3' "$d/setup.txt") $(sed -n '/^both sides:/,$p' "$d/setup.txt" | grep -c '^  qemu:')"
	for f in "$ref"/after/*.json; do
		jq '.machine.qemu_version = "QEMU emulator version 9.2.0" |
		    .system.proc_version = "Linux version 7.3.4 (b@h) (gcc-14 (Debian 14.2.0-19) 14.2.0, GNU ld (GNU Binutils for Debian) 2.44) #1 SMP"' \
			"$f" >"$d/a/$(basename "$f")"
	done
	"$RUNNER" report "$ref/before" "$d/a" >"$d/differ.txt"
	check_eq "a field that differs is printed under each side (qemu twice, cpu once)" "2 1" \
		"$(grep -c '^  qemu:' "$d/differ.txt") $(grep -c '^  cpu:' "$d/differ.txt")"
	check_fgrep "the kernel's compiler from /proc/version, nested parentheses kept" \
		"  cc:      gcc-14 (Debian 14.2.0-19) 14.2.0, GNU ld (GNU Binutils for" "$d/differ.txt"
	check_eq "... only on the side whose result records it (older results: no line, no '?')" "1 0" \
		"$(grep -c '^  cc:' "$d/differ.txt") $(grep -c '?' "$d/report.txt")"
	r=$(sed -n '/^figures:/,$p' "$d/differ.txt" | sed -n '/^after:/,/^both sides:/p' | grep -c '^  \(cc\|qemu\):')
	check_eq "... both under 'after:'" 2 "$r"
	check_eq "a Debian kernel's config: Debian's, said once for both" 1 \
		"$(grep -c "^  kconfig: Debian's, as packaged" "$d/report.txt")"
	report_reproduce_tests "$d"
}

# report_reproduce_tests DIR: the dmabench commit and command a result
# records (machine.dmabench), and a git kernel's config, in the report.
report_reproduce_tests() {
	local d=$1/repro data=$TOP/tests/data/explain s
	mkdir -p "$d/b" "$d/a" "$d/a2"
	for s in before after; do
		jq '.machine.dmabench = {commit: "0123456789ab", command: "dmabench series --tree '"'"'/src/my linux'"'"' base..HEAD"}' \
			"$data/$s/direct.json" >"$d/${s:0:1}/direct.json"
	done
	jq '.machine.dmabench = {commit: "ba9876543210-dirty", command: null}' "$data/after/direct.json" >"$d/a2/direct.json"
	"$RUNNER" report "$d/b" "$d/a" >"$d/same.txt" 2>&1
	check_eq "one dmabench commit and command on both sides: said once, under 'both sides:'" \
		"  version: dmabench, commit 0123456789ab|  run:     dmabench series --tree '/src/my linux' base..HEAD" \
		"$(sed -n '/^both sides:/,$p' "$d/same.txt" | grep -E '^  (version|run):' | paste -sd'|')"
	check_eq "... and nowhere else" "1 1" "$(grep -c '^  version:' "$d/same.txt") $(grep -c '^  run:' "$d/same.txt")"
	check_fgrep "a git kernel's config: what it was made from and its hash" \
		"  kconfig: x86_64_defconfig + kvm_guest.config + dmabench.config" "$d/same.txt"
	check_fgrep "... the hash" "(.config hash f3941e7c;" "$d/same.txt"
	"$RUNNER" report "$d/b" "$d/a2" >"$d/differ.txt" 2>&1
	check_eq "another commit after, no command recorded: each side its own, no empty run line" \
		"before:|  version: dmabench, commit 0123456789ab|  run:     dmabench series --tree '/src/my linux' base..HEAD|after:|  version: dmabench, commit ba9876543210-dirty" \
		"$(sed -n '/^How to reproduce/,/^both sides:/p' "$d/differ.txt" | grep -E '^(before|after):|^  (version|run):' |
			sed 's/^\(before:\|after:\).*/\1/' | paste -sd'|')"
	printf 'dmabench series: each commit\n\nMoved: rows\n  c2   direct  page      map       +400.0  +41.0%%  [pair]\n' >"$d/each.txt"
	"$RUNNER" report --each "$d/each.txt" "$data/before" "$data/after" >"$d/each-report.txt" 2>&1
	check_eq "--each: the per-commit table as series wrote it, after the verdict, before the table" \
		"Conclusions|dmabench series: each commit|  c2   direct  page      map       +400.0  +41.0%  [pair]|mode" \
		"$(grep -E '^(Conclusions|dmabench series|  c2 |mode +api +op +before)' "$d/each-report.txt" | sed -e 's/^mode .*/mode/' -e 's/^Conclusions .*/Conclusions/' | paste -sd'|')"
	"$RUNNER" report --each "$d/none.txt" "$data/before" "$data/after" >"$d/each-none.txt" 2>&1
	check_eq "--each FILE that is not there: exit 2 naming it" "2 1" "$? $(grep -c 'none.txt' "$d/each-none.txt")"
	"$RUNNER" report "$data/before" "$data/after" >"$d/old.txt" 2>&1
	check_eq "results from before the record: no version or run line, no '?'" "0 0" \
		"$(grep -cE '^  (version|run):' "$d/old.txt") $(grep -c '?' "$d/old.txt")"
}

# series_mbox_host_tests: 'series --mbox' applying a posted series onto a
# small git tree (no kernel: --apply-only measures nothing), the way a
# format-patch mbox with a cover letter comes.
series_mbox_host_tests() {
	local d=$T/mbox r out before after
	echo "# series --mbox: a posted series applied, the tree untouched"
	mkdir -p "$d"
	r=$d/tree
	export GIT_AUTHOR_NAME='Jane Developer' GIT_AUTHOR_EMAIL=jane@example.org
	export GIT_COMMITTER_NAME='Jane Developer' GIT_COMMITTER_EMAIL=jane@example.org
	export GIT_AUTHOR_DATE='2026-12-01T10:00:00Z' GIT_COMMITTER_DATE='2026-12-01T10:00:00Z'
	git init -q "$r"
	printf 'one\ntwo\nthree\n' >"$r/mapping.c"
	git -C "$r" add mapping.c && git -C "$r" commit -qm base && git -C "$r" tag base
	sed -i 's/two/TWO/' "$r/mapping.c" && git -C "$r" commit -qam "dma-mapping: the second line"
	sed -i 's/three/THREE/' "$r/mapping.c" && git -C "$r" commit -qam "dma-mapping: the third line"
	git -C "$r" format-patch -q --cover-letter --thread -o "$d/p" base..HEAD
	cat "$d"/p/*.patch >"$d/series.mbox"
	unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_AUTHOR_DATE GIT_COMMITTER_DATE
	before="$(git -C "$r" for-each-ref) $(git -C "$r" count-objects -v | paste -sd' ')"
	"$RUNNER" series --tree "$r" --mbox "$d/series.mbox" --apply-only base >"$d/out" 2>"$d/err"
	check_eq "series --mbox --apply-only: exit 0" 0 $?
	check_eq "... a line per patch, in order, with its subject" \
		"1 dma-mapping: the second line|2 dma-mapping: the third line" \
		"$(sed -n 's/^\([0-9]\) [0-9a-f]\{40\} /\1 /p' "$d/out" | paste -sd'|')"
	check_grep "... the cover letter kept" "cover letter: kept" "$d/out"
	check_eq "... commits as git am makes them: the author committed these, so their own ids" \
		"$(git -C "$r" rev-parse HEAD~1 HEAD | paste -sd' ')" "$(sed -n 's/^[12] \([0-9a-f]*\) .*/\1/p' "$d/out" | paste -sd' ')"
	out=$(sed -n 's/^applied in \(.*\);.*/\1/p' "$d/out")
	check_eq "... the series' tree is the author's, to the byte" "$(git -C "$r" rev-parse 'HEAD^{tree}')" \
		"$(git -C "$out" rev-parse "$(sed -n '2s/^2 \([0-9a-f]*\) .*/\1/p' "$d/out")^{tree}" 2>&1)"
	check_eq "... each commit by its author, committed as the author" \
		"Jane Developer <jane@example.org> Jane Developer <jane@example.org>" \
		"$(git -C "$out" log -1 --format='%an <%ae> %cn <%ce>' "$(sed -n '2s/^2 \([0-9a-f]*\) .*/\1/p' "$d/out")")"
	after="$(git -C "$r" for-each-ref) $(git -C "$r" count-objects -v | paste -sd' ')"
	check_eq "... the user's tree untouched (refs and objects)" "$before" "$after"
	"$RUNNER" series --tree "$r" --mbox "$d/series.mbox" --apply-only base >"$d/again" 2>/dev/null
	check_eq "the same mbox on the same base: the same commits (their kernels built once)" \
		"$(head -n 2 "$d/out")" "$(head -n 2 "$d/again")"

	git -C "$r" format-patch -q -o "$d/late" HEAD~1..HEAD
	"$RUNNER" series --tree "$r" --mbox "$d"/late/*.patch --apply-only base >"$d/out" 2>"$d/err"
	check_eq "a patch that does not apply on BASE: exit 2" 2 $?
	check_grep "... naming it and git's reason" \
		"patch 1 \('dma-mapping: the third line', message 1 of .*\) does not apply on [0-9a-f]{12}: git apply's reason above" "$d/err"
	check_grep "... which git gave" "patch does not apply" "$d/err"
	"$RUNNER" series --tree "$r" --mbox "$d/p/0000-cover-letter.patch" --apply-only base >"$d/out" 2>"$d/err"
	check_eq "an mbox with no patch: exit 2, saying so" "2 1" "$? $(grep -c 'none with a patch' "$d/err")"
	"$RUNNER" series --tree "$r" --mbox "$d/series.mbox" base..HEAD >"$d/out" 2>"$d/err"
	check_eq "--mbox with a range: exit 2, asking for the base" "2 1" "$? $(grep -c 'give the BASE' "$d/err")"
	"$RUNNER" series --tree "$r" --apply-only base..HEAD >"$d/out" 2>&1
	check_eq "--apply-only without --mbox: exit 2" 2 $?
	"$RUNNER" series --tree "$r" --mbox "$d/series.mbox" --apply-only nosuchrev >"$d/out" 2>&1
	check_eq "a BASE the tree does not have: exit 2" 2 $?
	series_msgid_host_tests "$d" "$r"
	check_eq "no scratch folder left behind" "" "$(find /tmp -maxdepth 1 -name 'dmabench-mbox-*' -newer "$d/series.mbox" 2>/dev/null)"
}

# series_msgid_host_tests DIR TREE: --msgid through the real b4 am, with
# the thread from a local archive (--archive; lore is not reachable here).
series_msgid_host_tests() {
	local d=$1 r=$2 id
	echo "# series --msgid: a series by its Message-ID, through b4 am"
	id=$(sed -n 's/^Message-I[dD]: //p' "$d/p/0000-cover-letter.patch")
	# a list archive: other traffic around the thread
	{ printf 'From nobody Mon Sep 17 00:00:00 2001\nFrom: x@example.org\nSubject: unrelated\n'
	  printf 'Message-ID: <other@example.org>\nDate: Tue, 1 Dec 2026 09:00:00 +0000\n\nhello\n\n'
	  cat "$d/series.mbox"; } >"$d/archive.mbox"
	HOME=$d "$RUNNER" series --tree "$r" --msgid "$id" --archive "$d/archive.mbox" --apply-only base \
		>"$d/msgid.out" 2>"$d/msgid.err"
	check_eq "series --msgid ID --archive MBOX --apply-only: exit 0" 0 $?
	check_eq "... b4 found the thread: the same commits as the mbox gave" \
		"$(sed -n 's/^\([12] [0-9a-f]*\) .*/\1/p' "$d/again")" "$(sed -n 's/^\([12] [0-9a-f]*\) .*/\1/p' "$d/msgid.out")"
	check_grep "... with its cover letter" "cover letter: kept" "$d/msgid.out"
	HOME=$d "$RUNNER" series --tree "$r" --msgid "${id%>}" --archive "$d/archive.mbox" --apply-only base \
		>"$d/half.out" 2>&1
	check_eq "... a Message-ID with or without its <>" 0 $?
	HOME=$d "$RUNNER" series --tree "$r" --msgid '<nosuch@example.org>' --archive "$d/archive.mbox" \
		--apply-only base >"$d/none.out" 2>&1
	check_eq "a Message-ID the archive does not hold: exit 2" 2 $?
	check_grep "... saying b4 could not get it, from where" \
		"b4 am could not get nosuch@example.org from .*archive.mbox: b4's output above" "$d/none.out"
	"$RUNNER" series --tree "$r" --msgid '-o/tmp/x' --apply-only base >"$d/opt.out" 2>&1
	check_eq "a Message-ID that would be an option to b4: exit 2, refused" "2 1" \
		"$? $(grep -c 'is not a Message-ID' "$d/opt.out")"
	"$RUNNER" series --tree "$r" --attach base..HEAD >"$d/att.out" 2>&1
	check_eq "--attach without a cover letter to answer: exit 2, saying so" "2 1" \
		"$? $(grep -c 'attach goes with --mbox or --msgid' "$d/att.out")"
	"$RUNNER" series --tree "$r" --archive "$d/archive.mbox" --apply-only base >"$d/arch.out" 2>&1
	check_eq "--archive without --msgid: exit 2" 2 $?
	"$RUNNER" series --tree "$r" --msgid "$id" --mbox "$d/series.mbox" --apply-only base >"$d/both.out" 2>&1
	check_eq "--msgid and --mbox together: exit 2, one series at a time" "2 1" \
		"$? $(grep -c 'one series at a time' "$d/both.out")"
	mkdir -p "$d/nob4"
	ln -sf /usr/bin/* "$d/nob4/" && rm -f "$d/nob4/b4"
	PATH=$d/nob4 "$RUNNER" series --tree "$r" --msgid "$id" --apply-only base >"$d/nob4.out" 2>&1
	check_eq "no b4 installed: exit 2" 2 $?
	check_grep "... saying what to install, and the way without it" \
		"needs b4 \(Debian: apt install b4\); or get the series yourself .* --mbox" "$d/nob4.out"
}

# report_explain_host_tests: the report's explain lines on the recorded
# 400-nop pair, with interrupt-sized moves added to the after side.
report_explain_host_tests() {
	local d=$T/rexplain data=$TOP/tests/data/explain
	echo "# report: explain lines only where they matter"
	mkdir -p "$d/a"
	# +0.3 and +0.4 per op in two functions of the page map (as a timer
	# interrupt leaves), and +2 in an unmap whose timed figure is unchanged
	jq '(.cells[] | select(.api == "page") | .explain.functions) |=
		map(if .name == "dma_direct_map_phys" then .map += 0.3
		    elif .name == "dma_unmap_phys" then .unmap += 2 else . end) |
	    (.cells[] | select(.api == "page") | .explain.functions) += [{name: "__schedule", map: 0.4, unmap: 0,
		map_calls: 0, unmap_calls: 0, map_total: 256, unmap_total: 0}]' \
		"$data/after/direct.json" >"$d/a/direct.json"
	"$RUNNER" report "$data/before" "$d/a" >"$d/report.txt" 2>&1
	check_eq "report on the 400-nop pair with noise added exits 0" 0 $?
	sed -n '/^explain:/,/^figures:/p' "$d/report.txt" >"$d/explain.txt"
	check_eq "the function that moved by whole instructions, under each row that moved" 2 \
		"$(grep -c '^ *+400\.0 dma_map_phys$' "$d/explain.txt")"
	check_fgrep "moves under one instruction summed on one line" \
		"+0.7 2 more, each under 1 (timer interrupts, the other vCPU)" "$d/explain.txt"
	check_eq "... not listed one by one" 0 "$(grep -cE '^ +\+0\.[0-9] (dma_direct_map_phys|__schedule)$' "$d/explain.txt")"
	check_eq "a row whose timed figure did not move gets no explain lines" 0 \
		"$(grep -cE 'page +unmap' "$d/explain.txt")"
	"$RUNNER" explain "$data/before" "$d/a" >"$d/explain-cmd.txt" 2>&1
	check_grep "dmabench explain still lists every function that moved" "^ +\+0\.4 __schedule" "$d/explain-cmd.txt"
}

# plot_title_host_tests: every plot says where its figures come from.
plot_title_host_tests() {
	local d=$T/ptitle ref=$TOP/results/reference
	echo "# plot: a title that says where the figures come from"
	"$RUNNER" plot -o "$d" "$ref/before" "$ref/after" >/dev/null 2>&1
	check_eq "plot of the shipped pair exits 0" 0 $?
	check_eq "every gnuplot script's title has a second line: config, accel, runs a side, day measured" \
		"$(ls "$d"/*.gp | grep -vc summary)" \
		"$(grep -l "^set title '.*'\.\"\\\\n\"\.'configs/demo\.ini, tcg-icount, 1/1 run(s) a side, measured 2026-11-28'$" "$d"/*.gp | wc -l)"
	jq '.config.path = "it'"'"'s\u001b[2J.ini"' "$ref/after/direct.json" >"$d.a.json"
	"$RUNNER" plot -o "$d-q" "$ref/before/direct.json" "$d.a.json" >/dev/null 2>&1
	check_fgrep "a config path from a result stays one gnuplot string (quote doubled, escape dropped)" \
		"'it''s[2J.ini, tcg-icount" "$d-q/direct-bars.gp"
}

# plot_na_host_tests: a side without a figure is marked n/a, not a zero bar.
plot_na_host_tests() {
	local d=$T/pna ref=$TOP/results/reference
	echo "# plot: n/a where a side has no figure"
	"$RUNNER" plot -o "$d" "$ref/before" "$ref/after" >/dev/null 2>&1
	check_eq "the bars' data marks 6.12's phys rows n/a on the before side only" \
		"phys-map n/a -|phys-unmap n/a -" \
		"$(awk '$1 ~ /^phys-/ { print $1, $(NF-1), $NF }' "$d/direct-bars.dat" | paste -sd'|')"
	check_eq "... and no other row" 0 "$(awk '$1 !~ /^(#|phys-)/ && ($(NF-1) != "-" || $NF != "-")' "$d/direct-bars.dat" | wc -l)"
	check_grep "the script draws the marks as labels" "with labels offset 0,0.6 notitle" "$d/direct-bars.gp"
	mkdir -p "$d-flat/b" "$d-flat/a"
	for s in before after; do
		jq '(.cells[] | select(.samples.map != null and .api != "null") | .samples.map) |= map(64000)' "$ref/$s/direct.json" >"$d-flat/${s:0:1}/direct.json"
	done
	"$RUNNER" plot -o "$d-flat/plots" "$d-flat/b" "$d-flat/a" >/dev/null 2>&1
	check_eq "every batch alike on both sides: bars, and no distribution plot (it would be vertical lines)" \
		"0 yes no" "$? $([ -e "$d-flat/plots/direct-bars.png" ] && echo yes || echo no) $(ls "$d-flat/plots" | grep -q dist && echo yes || echo no)"
	check "the shipped pair has a distribution (interrupt-hit batches): its plot is drawn" \
		test -s "$d/direct-dist.png"
}

# report_caution_host_tests: the cautions a verdict needs, where they apply.
report_caution_host_tests() {
	local d=$T/caution ref=$TOP/results/reference rec=$TOP/tests/data/tcg-runs3 f
	echo "# report: cautions where they apply"
	mkdir -p "$d/intel"
	"$RUNNER" report "$ref/before" "$ref/after" >"$d/icount.txt" 2>&1
	check_grep "tcg-icount: instructions are not time, said before the table" \
		"^caution: +tcg-icount counts guest instructions, exactly; they are not" \
		<(sed '/^mode /q' "$d/icount.txt")
	check_grep "... and the AMD guest's dma-direct path" "The guest CPU is AuthenticAMD" "$d/icount.txt"
	for f in "$ref"/after/*.json; do
		jq '.system.cpu.vendor = "GenuineIntel"' "$f" >"$d/intel/$(basename "$f")"
	done
	"$RUNNER" report "$ref/before" "$d/intel" >"$d/intel.txt" 2>&1
	check_eq "an Intel guest: no vendor caution" 0 "$(grep -c 'AuthenticAMD (QEMU' "$d/intel.txt")"
	"$RUNNER" report "$rec/before" "$rec/after" >"$d/tcg.txt" 2>&1
	check_eq "plain TCG: its own caution, not icount's" "1 0" \
		"$(grep -cE '^caution: +plain TCG' "$d/tcg.txt") $(grep -c 'tcg-icount counts guest instructions' "$d/tcg.txt")"
}
