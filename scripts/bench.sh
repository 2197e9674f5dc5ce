#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Benchmarks: build a UML kernel from `make ARCH=um defconfig` +
# scripts/configs/bench.config in $PVM_BUILD/bench, boot it once running
# the pvm_pt_bench KUnit suite (ours against io-pgtable-arm, and the cost
# curves) and then pvm-bench (whole bind ops through the ioctl), print their
# "BENCH <name> <value> <unit>" lines, then the callgrind instruction counts
# of the userspace build. Not a test: it fails only if nothing was measured.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

B=$PVM_BUILD/bench
[ -f "$KSRC/.pvm-unpacked" ] || bash "$PVM_REPO/scripts/prepare-tree.sh"
mkdir -p "$B"
pvm_uapi_overlay "$B"

pvm_say "configuring $B"
make -s -C "$KSRC" ARCH=um O="$B" defconfig
"$KSRC/scripts/kconfig/merge_config.sh" -m -O "$B" "$B/.config" \
	"$PVM_REPO/scripts/configs/bench.config" > /dev/null
make -s -C "$KSRC" ARCH=um O="$B" olddefconfig
grep -q '^CONFIG_DRM_PANTHOR_VM_BENCH=y' "$B/.config" ||
	pvm_die "CONFIG_DRM_PANTHOR_VM_BENCH did not stick in $B/.config"
grep -q '^CONFIG_IOMMU_IO_PGTABLE_LPAE=y' "$B/.config" ||
	pvm_die "io-pgtable-arm is not built in $B/.config"

pvm_say "building (-j$PVM_JOBS)"
make -s -C "$KSRC" ARCH=um O="$B" -j"$PVM_JOBS" > "$B/build.log" 2>&1 ||
	{ tail -30 "$B/build.log"; pvm_die "bench kernel build failed"; }

RUN_O=$(pvm_user_build pvm-run)
make -s -C "$PVM_REPO/tools/pvm-run" O="$RUN_O"

# One boot: the KUnit page-table benchmark runs at boot, then the
# whole-op client (tools/pvm-run/pvm_bench.c) through the ioctls.
pvm_say "running pvm_pt_bench and pvm-bench (one boot)"
bash "$PVM_REPO/scripts/uml-run.sh" --quiet --label bench --out "$B/run" \
	--kernel "$B/linux" --mem 3500M --timeout 1800 --test-timeout 1500 \
	--cmdline "kunit.filter_glob=pvm_pt_bench" \
	-- "$RUN_O/pvm-bench" > "$B/run.result" 2>&1 || true
n=$(grep -c 'BENCH ' "$B/run/console.log" || true)
[ "$n" -gt 0 ] || { tail -30 "$B/run/console.log"; pvm_die "no BENCH lines in $B/run/console.log"; }
grep -o 'BENCH .*' "$B/run/console.log"
grep '^BENCH ' "$B/run/pvm-bench.out" ||
	{ tail -30 "$B/run/pvm-bench.out"; cat "$B/run.result"; pvm_die "pvm-bench printed no figures"; }

pvm_say "callgrind (userspace build of pvm_pt*.c)"
make -s -C "$PVM_REPO/tools/testing/panthor-vm" O="$(pvm_user_build tools)" callgrind
