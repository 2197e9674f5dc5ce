#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# uml-run.sh [options] [--] test-binary...
#
# Boot a UML kernel with the host filesystem as root, run each test binary
# (host-built, linked against the host's libdrm) inside it, collect each
# one's output and exit status through hostfs, and power off. The run fails
# when UML hangs (timeout), crashes, or its log shows a WARN, BUG, KASAN
# report, lockdep splat, UBSAN report or kmemleak leak; the offending part
# of the log is printed. A binary fails when the software GPU counted what
# it did not declare (see below) or when one of the driver's BOs is still
# alive (debugfs "gems") 2 s after it exited.
#
# Options:
#   --kernel PATH     UML kernel binary (default $PVM_BUILD/boot/linux)
#   --out DIR         result directory (default: a fresh one under $PVM_BUILD/runs)
#   --timeout SEC     whole-boot timeout (default 900)
#   --test-timeout S  per-binary timeout (default 600)
#   --cmdline STR     extra kernel command line (module parameters)
#   --env VAR=VAL     environment for the tests (repeatable)
#   --mem SIZE        UML memory (default 768M)
#   --kmemleak        scan for leaks after the tests
#   --quiet           print only the summary
#
# Prints one line `RESULT <label> <passed> <failed> <skipped>` counting IGT
# subtests (a binary that dies without reporting subtests counts as one
# failure; a dirty kernel log counts as one failure).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

kernel=$PVM_BUILD/boot/linux
out=""
timeout_s=900
test_timeout=600
cmdline=""
mem=768M
kmemleak=0
quiet=0
label=uml
envs=()
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	--test-timeout) test_timeout=$2; shift 2 ;;
	--cmdline) cmdline=$2; shift 2 ;;
	--env) envs+=("$2"); shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--label) label=$2; shift 2 ;;
	--kmemleak) kmemleak=1; shift ;;
	--quiet) quiet=1; shift ;;
	--) shift; break ;;
	-*) pvm_die "unknown option $1" ;;
	*) break ;;
	esac
done
[ -x "$kernel" ] || pvm_die "no UML kernel at $kernel"
if [ -z "$out" ]; then
	mkdir -p "$PVM_BUILD/runs"
	out=$(mktemp -d "$PVM_BUILD/runs/$label.XXXXXX")
fi
rm -rf "$out"; mkdir -p "$out"
out=$(cd "$out" && pwd)

: > "$out/tests.list"
for t in "$@"; do
	[ -x "$t" ] || pvm_die "test binary $t missing"
	echo "$(cd "$(dirname "$t")" && pwd)/$(basename "$t")" >> "$out/tests.list"
done
: > "$out/env"
for e in "${envs[@]}"; do printf 'export %q\n' "$e" >> "$out/env"; done

cat > "$out/init.sh" <<EOF
#!/bin/bash
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
[ -e /dev/dri ] || mount -t devtmpfs devtmpfs /dev
. "$out/env"
echo "PVM-INIT: running \$(wc -l < "$out/tests.list") test binaries"
# The software GPU's counters since boot are read before and after every
# binary (tests may reset the resettable ones for their own figures).
sim=/sys/kernel/debug/panthor-vm-sim/stats
totals=/sys/kernel/debug/panthor-vm-sim/totals
[ -w \$sim ] && echo 0 > \$sim
while read -r t; do
	n=\$(basename "\$t")
	echo "PVM-INIT: \$n"
	[ -r \$totals ] && cat \$totals > "$out/\$n.before"
	timeout -k 5 $test_timeout "\$t" > "$out/\$n.out" 2>&1
	echo \$? > "$out/\$n.rc"
	[ -r \$totals ] && cat \$totals > "$out/\$n.after"
	# Every BO must be gone once the binary exited; bind jobs release
	# theirs from a workqueue, so allow them 2 s.
	for i in \$(seq 20); do
		cat /sys/kernel/debug/dri/*/gems 2>/dev/null | grep '^bo' > "$out/\$n.gems"
		[ -s "$out/\$n.gems" ] || break
		sleep 0.1
	done
	if [ -r \$sim ]; then
		cat \$sim > "$out/\$n.sim"
		echo 0 > \$sim
	fi
done < "$out/tests.list"
if [ $kmemleak = 1 ] && [ -e /sys/kernel/debug/kmemleak ]; then
	# Objects younger than ~5 s are never reported: scan twice.
	echo scan > /sys/kernel/debug/kmemleak
	sleep 6
	echo scan > /sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak > "$out/kmemleak.txt"
fi
echo done > "$out/done"
# systemd's poweroff, or the kernel's own when the host has none.
poweroff -f 2>/dev/null || echo o > /proc/sysrq-trigger
sleep 10
EOF
chmod +x "$out/init.sh"

[ $quiet = 1 ] || pvm_say "booting $(basename "$kernel") ($label), results in $out"
start=$(date +%s)
timeout -k 10 "$timeout_s" "$kernel" mem="$mem" rootfstype=hostfs rootflags=/ rw \
	init="$out/init.sh" console=tty0 con0=fd:0,fd:1 con=null $cmdline \
	< /dev/null > "$out/console.log" 2>&1
uml_rc=$?
elapsed=$(( $(date +%s) - start ))

# pvm_counter_delta BEFORE AFTER NAME: how much a software-GPU counter grew.
pvm_counter_delta() {
	awk -v c="$3" 'FNR == NR && $1 == c { b = $2 } FNR != NR && $1 == c { a = $2 }
		END { print a - b }' "$1" "$2"
}

# pvm_expected OUT NAME: the sum of what a binary declared with lines
# "PVM-EXPECT name=N ..." (igt_panthor_expect_faults()).
pvm_expected() {
	awk -v c="$2" '$1 == "PVM-EXPECT" { for (i = 2; i <= NF; i++) {
		split($i, kv, "="); if (kv[1] == c) s += kv[2] } }
		END { print s + 0 }' "$1" 2>/dev/null || echo 0
}

passed=0; failed=0; skipped=0
problems=()
if [ $uml_rc = 124 ] || [ $uml_rc = 137 ]; then
	problems+=("UML did not finish within ${timeout_s}s (hang)")
elif [ ! -f "$out/done" ]; then
	problems+=("UML exited ($uml_rc) before the tests finished (crash?)")
fi

# Kernel log checks. The patterns are the first line of each report type.
bad_re='(WARNING: |BUG: |Kernel panic|Oops|UBSAN: |general protection|INFO: (possible|trying to register|task .* blocked|inconsistent)|suspected memory leak|DEBUG_LOCKS_WARN_ON|------------\[ cut here \])'
if grep -Eq "$bad_re" "$out/console.log"; then
	problems+=("kernel log shows a WARN/BUG/KASAN/lockdep/UBSAN report")
fi
if [ -s "$out/kmemleak.txt" ]; then
	problems+=("kmemleak found leaks")
fi

while read -r t; do
	n=$(basename "$t")
	rc=$(cat "$out/$n.rc" 2>/dev/null || echo missing)
	p=$(grep -cE '^Subtest .*: SUCCESS' "$out/$n.out" 2>/dev/null)
	f=$(grep -cE '^Subtest .*: (FAIL|CRASH|TIMEOUT)' "$out/$n.out" 2>/dev/null)
	s=$(grep -cE '^Subtest .*: SKIP' "$out/$n.out" 2>/dev/null)
	p=${p:-0}; f=${f:-0}; s=${s:-0}
	case $rc in
	0|77) ;;
	*) [ "$f" -gt 0 ] || f=1 ;;
	esac
	# What the GPU saw: a programming error, a stale translation or a
	# fault the binary did not declare (PVM-EXPECT lines) fails the binary
	# even if its own checks passed.
	sim_bad=""
	if [ -f "$out/$n.after" ]; then
		for c in driver_errors stale_translations tlb_conflicts faults bus_faults; do
			v=$(pvm_counter_delta "$out/$n.before" "$out/$n.after" $c)
			e=$(pvm_expected "$out/$n.out" $c)
			[ "$v" = "$e" ] || sim_bad="$sim_bad $c=$v (expected $e)"
		done
	fi
	if [ -s "$out/$n.gems" ]; then
		f=$((f + 1))
		echo "FAIL: $n: $(wc -l < "$out/$n.gems") BO(s) still alive after it exited"
		head -n 5 "$out/$n.gems" | sed 's/^/    /'
	fi
	if [ -n "$sim_bad" ]; then
		f=$((f + 1))
		echo "FAIL: $n: the software GPU counted$sim_bad"
		grep -E 'panthor-vm-sim: ' "$out/console.log" | head -n 10 | sed 's/^/    /'
	fi
	passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
	if [ "$f" -gt 0 ]; then
		echo "FAIL: $n (exit $rc): $f failed subtest(s)"
		grep -E '^(Subtest .*: (FAIL|CRASH|TIMEOUT))' "$out/$n.out" | sed 's/^/    /'
		echo "    --- output of $n (last 40 lines) ---"
		tail -n 40 "$out/$n.out" 2>/dev/null | sed 's/^/    /'
	elif [ $quiet = 0 ]; then
		echo "ok:   $n: $p passed, $s skipped"
	fi
done < "$out/tests.list"

if [ ${#problems[@]} -gt 0 ]; then
	failed=$((failed + 1))
	for p in "${problems[@]}"; do echo "FAIL: $label: $p"; done
	echo "    --- kernel log excerpt ($out/console.log) ---"
	if grep -Eq "$bad_re" "$out/console.log"; then
		grep -En -A25 -B3 "$bad_re" "$out/console.log" | head -n 120 | sed 's/^/    /'
	else
		tail -n 60 "$out/console.log" | sed 's/^/    /'
	fi
	[ -s "$out/kmemleak.txt" ] && head -n 60 "$out/kmemleak.txt" | sed 's/^/    /'
fi
[ $quiet = 1 ] || pvm_say "$label: UML run took ${elapsed}s"
echo "RESULT $label $passed $failed $skipped"
[ "$failed" = 0 ]
