#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# upstream.sh [--check]: the cached tree's own panthor, unmodified and
# built with the tree's own include/uapi/drm/panthor_drm.h, in a UML kernel
# (scripts/configs/upstream.config, lockdep on) booted with the device tree
# compiled from scripts/dts/panthor-sim.dts, on the software GPU, with the
# firmware image of tools/pvm-fw/mkfw.py. Runs the tests of
# tests/igt/upstream/ there and prints one `RESULT upstream P F S` line;
# without --check also what the kernel log says about the model and
# panthor. make check runs it as gate 8 (`--check`), make upstream without,
# scripts/compare.sh with --prepare.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

check=0 prepare=0
[ "${1:-}" = --check ] && check=1
# --prepare: build the kernel, device tree and firmware only (make compare).
[ "${1:-}" = --prepare ] && prepare=1

[ -f "$KSRC/.pvm-unpacked" ] && command -v dtc > /dev/null ||
	bash "$PVM_REPO/scripts/prepare-tree.sh"
U=$PVM_BUILD/upstream
bash "$PVM_REPO/scripts/build-kernel.sh" upstream > "$PVM_BUILD/upstream-build.log" 2>&1 ||
	{ tail -n 30 "$PVM_BUILD/upstream-build.log"; pvm_die "upstream kernel build failed"; }
dtc -q -I dts -O dtb -o "$U/panthor-sim.dtb" "$PVM_REPO/scripts/dts/panthor-sim.dts"
# The firmware image, where request_firmware() looks for it: the arch
# comes from GPU_ID (profile 10: G610-like, arch 10.8).
fw=$U/firmware/arm/mali/arch10.8
mkdir -p "$fw"
python3 "$PVM_REPO/tools/pvm-fw/mkfw.py" "$fw/mali_csffw.bin"

# Upstream panthor must have been compiled against the tree's own header.
hdr=$(grep -o '[^ ]*panthor_drm\.h' "$U/drivers/gpu/drm/panthor/.panthor_drv.o.cmd" | sort -u)
[ "$hdr" = "$KSRC/include/uapi/drm/panthor_drm.h" ] ||
	pvm_die "upstream panthor was built with $hdr, not the tree's own header"
[ ! -e "$U/include/drm/panthor_drm.h" ] || pvm_die "the upstream build has panthor-vm's header overlay"
echo "upstream panthor built with the tree's $hdr"
[ $prepare = 0 ] || exit 0

o=$(pvm_user_build igt)
make -s -C "$PVM_REPO/tests/igt" O="$o" > "$PVM_BUILD/upstream-igt-build.log" 2>&1 ||
	{ tail -n 30 "$PVM_BUILD/upstream-igt-build.log"; pvm_die "IGT-format tests do not build"; }
mapfile -t TESTS < <(make -s -C "$PVM_REPO/tests/igt" O="$o" list-upstream)

# First "test": panthor is built in and probed before the root file system
# (and the firmware in it) was mounted, so probe it again, and report
# whether it bound to the device tree's GPU node.
probe=$U/panthor_probe
cat > "$probe" <<'SH'
#!/bin/sh
gpu=/sys/bus/platform/devices/e0000000.gpu
[ -e $gpu/driver ] || echo e0000000.gpu > /sys/bus/platform/drivers/panthor/bind
drv=$(basename "$(readlink $gpu/driver 2>/dev/null)" 2>/dev/null)
echo "GPU node bound to: ${drv:-nothing}"
if [ "$drv" = panthor ] && [ -e /dev/dri/renderD128 ]; then
	echo "Subtest panthor-probe: SUCCESS (0.000s)"
else
	echo "Subtest panthor-probe: FAIL (0.000s)"
	exit 1
fi
SH
chmod +x "$probe"

run=$PVM_BUILD/runs/upstream
bash "$PVM_REPO/scripts/uml-run.sh" --quiet --label upstream --out "$run" \
	--kernel "$U/linux" --timeout 600 \
	--cmdline "dtb=$U/panthor-sim.dtb firmware_class.path=$U/firmware" \
	-- "$probe" "${TESTS[@]}" | tee "$run.result" || true
if [ $check = 0 ]; then
	grep -E 'panthor|software GPU' "$run/console.log" | grep -v 'Kernel command line' || true
fi
line=$(grep -E '^RESULT ' "$run.result" | tail -n 1)
set -- $line
# A skip here means panthor never gave the tests a device.
[ "${5:-1}" = 0 ] || { echo "upstream: ${5:-?} subtests skipped"; exit 1; }
[ "${4:-1}" = 0 ]
