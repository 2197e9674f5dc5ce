#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Page-table benchmark: build a UML kernel from `make ARCH=um defconfig` +
# scripts/configs/bench.config in $PVM_BUILD/bench, boot it running only the
# pvm_pt_bench KUnit suite (ours against io-pgtable-arm), print its
# "BENCH <name> <value> <unit>" lines, then the callgrind instruction counts
# of the userspace build. Not a test: it fails only if nothing was measured.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

B=$PVM_BUILD/bench
[ -f "$KSRC/.pvm-unpacked" ] || bash "$PVM_REPO/scripts/prepare-tree.sh"
mkdir -p "$B"

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

pvm_say "running pvm_pt_bench"
timeout 900 "$B/linux" mem=1G console=tty kunit_shutdown=halt \
	kunit.filter_glob=pvm_pt_bench < /dev/null > "$B/bench.log" 2>&1 || true
n=$(grep -c 'BENCH ' "$B/bench.log" || true)
[ "$n" -gt 0 ] || { tail -30 "$B/bench.log"; pvm_die "no BENCH lines in $B/bench.log"; }
grep -o 'BENCH .*' "$B/bench.log"

pvm_say "callgrind (userspace build of pvm_pt*.c)"
make -s -C "$PVM_REPO/tools/testing/panthor-vm" O="$(pvm_user_build tools)" callgrind
