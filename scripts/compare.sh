#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make compare`: the same VM_BIND scenarios (tests/igt/compare/pvm_compare.c)
# against upstream panthor (the upstream-perf kernel: scripts/upstream.sh's
# without lockdep and KASAN) and against panthor-vm (the boot kernel), each
# on the software GPU with
# the same configuration (profile 10, system MMU, every cached translation
# checked against a fresh walk), measured through the model's own test
# interface. Prints one table, two lines per scenario.
# PVM_COMPARE_REPS (default 32) ops per row.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

reps=${PVM_COMPARE_REPS:-32}
U=$PVM_BUILD/upstream
# The device tree and firmware of upstream.sh; the kernel without its
# debug options (upstream-perf), as panthor-vm's boot kernel has none.
bash "$PVM_REPO/scripts/upstream.sh" --prepare
bash "$PVM_REPO/scripts/build-kernel.sh" upstream-perf > "$PVM_BUILD/upstream-perf-build.log" 2>&1 ||
	{ tail -n 30 "$PVM_BUILD/upstream-perf-build.log"; pvm_die "upstream-perf kernel build failed"; }
bash "$PVM_REPO/scripts/build-kernel.sh" boot > "$PVM_BUILD/boot-build.log" 2>&1 ||
	{ tail -n 30 "$PVM_BUILD/boot-build.log"; pvm_die "boot kernel build failed"; }
o=$(pvm_user_build igt)
make -s -C "$PVM_REPO/tests/igt" O="$o" > "$PVM_BUILD/compare-build.log" 2>&1 ||
	{ tail -n 30 "$PVM_BUILD/compare-build.log"; pvm_die "pvm_compare does not build"; }
cmp_bin=$(make -s -C "$PVM_REPO/tests/igt" O="$o" list-compare)
wrap=$PVM_BUILD/pvm_compare_run
cat > "$wrap" <<SH
#!/bin/sh
# panthor is built in and probed before the firmware was reachable.
gpu=/sys/bus/platform/devices/e0000000.gpu
if [ -e \$gpu ] && [ ! -e \$gpu/driver ]; then
	echo e0000000.gpu > /sys/bus/platform/drivers/panthor/bind
fi
exec $cmp_bin $reps
SH
chmod +x "$wrap"

common="panthor_vm_sim.profile=10 panthor_vm_sim.check_stale=1"
bash "$PVM_REPO/scripts/uml-run.sh" --quiet --label compare-upstream \
	--out "$PVM_BUILD/runs/compare-upstream" --kernel "$PVM_BUILD/upstream-perf/linux" --timeout 900 \
	--cmdline "dtb=$U/panthor-sim.dtb firmware_class.path=$U/firmware $common" \
	-- "$wrap" > "$PVM_BUILD/runs/compare-upstream.result" || true
bash "$PVM_REPO/scripts/uml-run.sh" --quiet --label compare-panthor-vm \
	--out "$PVM_BUILD/runs/compare-panthor-vm" --kernel "$PVM_BUILD/boot/linux" \
	--timeout 900 --cmdline "$common" \
	-- "$wrap" > "$PVM_BUILD/runs/compare-panthor-vm.result" || true

up=$PVM_BUILD/runs/compare-upstream/pvm_compare_run.out
ours=$PVM_BUILD/runs/compare-panthor-vm/pvm_compare_run.out
for f in "$up" "$ours"; do
	grep -q '^ROW ' "$f" 2>/dev/null ||
		{ cat "${f%/*}.result" 2>/dev/null; pvm_die "no measurement in $f"; }
done
grep -h '^driver ' "$up" "$ours"
echo
printf '%-22s %-10s %4s %5s %5s %6s %5s %6s %4s %6s %8s %8s  %s\n' \
	scenario driver ops LOCK flush UNLOCK stale faults torn tables "p50 us" "p99 us" note
awk -F'|' '
	FNR == 1 { drv = (FILENAME == up) ? "upstream" : "panthor-vm" }
	/^ROW / {
		name = substr($1, 5)
		if (!(name in seen)) { seen[name] = 1; order[++n] = name }
		line[name, drv] = sprintf("%-22s %-10s %4s %5s %5s %6s %5s %6s %4s %6s %8s %8s  %s",
			name, drv, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
	}
	END {
		for (i = 1; i <= n; i++) {
			print line[order[i], "upstream"]
			print line[order[i], "panthor-vm"]
		}
	}' up="$up" "$up" "$ours"
echo
echo "LOCK, flush (FLUSH_PT + FLUSH_MEM), UNLOCK: MMU commands per op; stale: stale translations;"
echo "faults: GPU faults; torn: agent chunks with other contents; tables: table pages reachable after the row."
