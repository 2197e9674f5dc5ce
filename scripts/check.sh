#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Everything CI checks, in order, stopping at the first broken gate:
#   1. checkpatch --strict and kernel-doc on our files
#   2. W=1 build of the driver (with its tests)
#   3. KUnit suites (kunit.py, kunit config)
#   4. userspace page-table tests and the bounded differential fuzzer
#   5. IGT-format tests in the boot kernel (arch-10 GPU), with the system
#      MMU and once without
#   6. KUnit + IGT-format tests in the debug kernel (KASAN, lockdep,
#      DEBUG_LIST, kmemleak; arch-12 GPU with SMMU and non-coherent walker)
#   7. arm64 cross-build of panthor-vm.ko
#   8. upstream panthor (the tree's own, unmodified) on the software GPU
#      in a lockdep UML kernel, with the tests of tests/igt/upstream/
# and ends with one line `N passed, N failed, N skipped`.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

PASSED=0; FAILED=0; SKIPPED=0
T0=$(date +%s)
LOG=$PVM_BUILD/check-logs
mkdir -p "$LOG"

summary() {
	echo "check: $(( $(date +%s) - T0 ))s, logs in $LOG"
	if [ $SKIPPED -gt 0 ]; then
		echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
	else
		echo "$PASSED passed, $FAILED failed"
	fi
}

gate_fail() {
	echo "GATE FAILED: $*"
	FAILED=$((FAILED > 0 ? FAILED : 1))
	summary
	exit 1
}

# Add the counts of a `RESULT <label> <passed> <failed> <skipped>` line.
add_result() {
	local line
	line=$(grep -E '^RESULT ' "$1" | tail -n 1)
	[ -n "$line" ] || return 1
	set -- $line
	PASSED=$((PASSED + $3)); FAILED=$((FAILED + $4)); SKIPPED=$((SKIPPED + $5))
	[ "$4" = 0 ]
}

# PVM_CHECK_ONLY="3 5" runs only those gates (a developer shortcut; CI
# runs them all).
gate_on() { [ -z "${PVM_CHECK_ONLY:-}" ] || [[ " $PVM_CHECK_ONLY " == *" $1 "* ]]; }
gate() { echo; pvm_say "gate $*"; }

# Build the IGT-format tests once; IGT holds the binaries.
IGT=()
build_igt() {
	local o
	[ ${#IGT[@]} = 0 ] || return 0
	o=$(pvm_user_build igt)
	make -s -C "$PVM_REPO/tests/igt" O="$o" > "$LOG/igt-build.log" 2>&1 ||
		{ tail -n 40 "$LOG/igt-build.log"; gate_fail "IGT-format tests do not build"; }
	mapfile -t IGT < <(make -s -C "$PVM_REPO/tests/igt" O="$o" list)
}

bash "$PVM_REPO/scripts/prepare-tree.sh" || gate_fail "kernel tree preparation"

if gate_on 1; then
# 1. Style ---------------------------------------------------------------
gate "1/8: checkpatch --strict and kernel-doc"
mapfile -t SRC < <(cd "$PVM_REPO" && ls drivers/gpu/drm/panthor-vm/*.[ch] \
	drivers/gpu/drm/panthor-vm/sim/*.[ch] drivers/gpu/drm/panthor-vm/tests/*.[ch] \
	include/uapi/drm/panthor_drm.h include/uapi/drm/panthor_vm_sim.h 2>/dev/null)
style_bad=0
for f in "${SRC[@]}"; do
	o=$(cd "$KSRC" && perl scripts/checkpatch.pl --strict --no-tree --quiet \
		--show-types -f "$PVM_REPO/$f" 2>&1)
	if [ -n "$o" ]; then echo "$o"; style_bad=1; fi
	o=$(cd "$KSRC" && perl scripts/kernel-doc -none "$PVM_REPO/$f" 2>&1)
	if [ -n "$o" ]; then echo "kernel-doc: $o"; style_bad=1; fi
done
[ $style_bad = 0 ] || gate_fail "checkpatch/kernel-doc reported problems in our files (above)"
echo "style: ${#SRC[@]} files clean"
fi

if gate_on 2; then
# 2. W=1 -----------------------------------------------------------------
gate "2/8: W=1 build of drivers/gpu/drm/panthor-vm"
bash "$PVM_REPO/scripts/build-kernel.sh" debug W=1 drivers/gpu/drm/panthor-vm/ \
	> "$LOG/w1.log" 2>&1 || { tail -n 40 "$LOG/w1.log"; gate_fail "W=1 build failed"; }
if grep -E 'warning:|error:' "$LOG/w1.log"; then
	gate_fail "W=1 build has warnings (above)"
fi
echo "W=1: no warnings"
fi

if gate_on 3; then
# 3. KUnit ---------------------------------------------------------------
gate "3/8: KUnit (kunit.py, kunit config)"
pvm_uapi_overlay "$PVM_BUILD/kunit"
(cd "$KSRC" && python3 tools/testing/kunit/kunit.py run --arch=um \
	--build_dir="$PVM_BUILD/kunit" --jobs="$PVM_JOBS" \
	--kunitconfig=drivers/gpu/drm/panthor-vm/tests/.kunitconfig) \
	> "$LOG/kunit.log" 2>&1
krc=$?
line=$(grep -E 'Testing complete\. Ran [0-9]+ tests' "$LOG/kunit.log" | tail -n 1)
if [ -z "$line" ]; then
	tail -n 60 "$LOG/kunit.log"
	gate_fail "KUnit did not run (build or boot failure, above)"
fi
kp=$(sed -nE 's/.*passed: ([0-9]+).*/\1/p' <<< "$line"); kf=$(sed -nE 's/.*failed: ([0-9]+).*/\1/p' <<< "$line")
ks=$(sed -nE 's/.*skipped: ([0-9]+).*/\1/p' <<< "$line")
PASSED=$((PASSED + ${kp:-0})); FAILED=$((FAILED + ${kf:-0})); SKIPPED=$((SKIPPED + ${ks:-0}))
echo "$line"
if [ $krc != 0 ] || [ "${kf:-0}" != 0 ]; then
	grep -E -A4 '(ASSERTION|EXPECTATION) FAILED' "$LOG/kunit.log" | head -n 60
	grep -E '\[FAILED\]' "$LOG/kunit.log" | head -n 20
	gate_fail "KUnit failures (above; full log $LOG/kunit.log)"
fi
fi

if gate_on 4; then
# 4. Userspace page table ------------------------------------------------
gate "4/8: userspace page-table tests and differential fuzzer"
if [ -f "$PVM_REPO/tools/testing/panthor-vm/Makefile" ]; then
	make -s -C "$PVM_REPO/tools/testing/panthor-vm" O="$(pvm_user_build tools)" check \
		> "$LOG/pt-user.log" 2>&1
	rc=$?
	tail -n 5 "$LOG/pt-user.log"
	add_result "$LOG/pt-user.log" && [ $rc = 0 ] ||
		{ tail -n 40 "$LOG/pt-user.log"; gate_fail "userspace page-table tests"; }
else
	echo "no userspace build yet"
fi
fi

if gate_on 5; then
# 5. IGT in the boot kernel ----------------------------------------------
gate "5/8: IGT-format tests in the boot kernel (arch-10 software GPU, with and without system MMU)"
build_igt
bash "$PVM_REPO/scripts/build-kernel.sh" boot > "$LOG/boot-build.log" 2>&1 ||
	{ tail -n 40 "$LOG/boot-build.log"; gate_fail "boot kernel build"; }
bash "$PVM_REPO/scripts/uml-run.sh" --label igt-boot --kernel "$PVM_BUILD/boot/linux" \
	--out "$PVM_BUILD/runs/igt-boot" --cmdline "panthor_vm_sim.profile=10 panthor_vm_sim.check_stale=1" \
	--env PVM_EXPECT_GPU_ID=0xa8670000 --env PVM_EXPECT_SMMU=1 --env PVM_EXPECT_COHERENT=1 -- "${IGT[@]}" | tee "$LOG/igt-boot.log"
add_result "$LOG/igt-boot.log" || gate_fail "IGT-format tests in the boot kernel"
# The same tests once without the system MMU (bus address = physical
# address): tests that need 2 MiB blocks skip there.
bash "$PVM_REPO/scripts/uml-run.sh" --label igt-nosmmu --kernel "$PVM_BUILD/boot/linux" \
	--out "$PVM_BUILD/runs/igt-nosmmu" --cmdline "panthor_vm_sim.profile=10 panthor_vm_sim.smmu=0 panthor_vm_sim.check_stale=1" \
	--env PVM_EXPECT_GPU_ID=0xa8670000 --env PVM_EXPECT_SMMU=0 --env PVM_EXPECT_COHERENT=1 -- "${IGT[@]}" | tee "$LOG/igt-nosmmu.log"
add_result "$LOG/igt-nosmmu.log" || gate_fail "IGT-format tests in the boot kernel without system MMU"
fi

if gate_on 6; then
# 6. Debug kernel --------------------------------------------------------
gate "6/8: KUnit + IGT-format tests in the debug kernel (arch-12, SMMU, non-coherent)"
build_igt
bash "$PVM_REPO/scripts/build-kernel.sh" debug > "$LOG/debug-build.log" 2>&1 ||
	{ tail -n 40 "$LOG/debug-build.log"; gate_fail "debug kernel build"; }
bash "$PVM_REPO/scripts/uml-run.sh" --label igt-debug --kernel "$PVM_BUILD/debug/linux" \
	--out "$PVM_BUILD/runs/igt-debug" --mem 1536M --kmemleak \
	--cmdline "panthor_vm_sim.profile=12 panthor_vm_sim.smmu=1 panthor_vm_sim.noncoherent=1 panthor_vm_sim.tlb_entries=0 panthor_vm_sim.check_stale=1 kunit.stats_enabled=1" \
	--env PVM_EXPECT_GPU_ID=0xc8700000 --env PVM_EXPECT_SMMU=1 --env PVM_EXPECT_COHERENT=0 \
	--env PVM_FUZZ_SECONDS=15 -- "${IGT[@]}" | tee "$LOG/igt-debug.log"
dbg_ok=1
add_result "$LOG/igt-debug.log" || dbg_ok=0
# KUnit ran at boot in the debug kernel: count its cases too.
(cd "$KSRC" && python3 tools/testing/kunit/kunit.py parse \
	"$PVM_BUILD/runs/igt-debug/console.log") > "$LOG/kunit-debug.log" 2>&1
line=$(grep -E 'Testing complete\. Ran [0-9]+ tests' "$LOG/kunit-debug.log" | tail -n 1)
if [ -z "$line" ]; then
	echo "FAIL: no KUnit results in the debug kernel log"
	FAILED=$((FAILED + 1)); dbg_ok=0
else
	echo "debug kernel KUnit: $line"
	kp=$(sed -nE 's/.*passed: ([0-9]+).*/\1/p' <<< "$line"); kf=$(sed -nE 's/.*failed: ([0-9]+).*/\1/p' <<< "$line")
	ks=$(sed -nE 's/.*skipped: ([0-9]+).*/\1/p' <<< "$line")
	PASSED=$((PASSED + ${kp:-0})); FAILED=$((FAILED + ${kf:-0})); SKIPPED=$((SKIPPED + ${ks:-0}))
	if [ "${kf:-0}" != 0 ]; then
		grep -E -A4 '(ASSERTION|EXPECTATION) FAILED' "$LOG/kunit-debug.log" | head -n 60
		grep -E '\[FAILED\]' "$LOG/kunit-debug.log" | head -n 20
		dbg_ok=0
	fi
fi
[ $dbg_ok = 1 ] || gate_fail "debug kernel (above; log $PVM_BUILD/runs/igt-debug/console.log)"
fi

if gate_on 7; then
# 7. arm64 ---------------------------------------------------------------
gate "7/8: arm64 cross-build of panthor-vm.ko"
bash "$PVM_REPO/scripts/build-arm64.sh" > "$LOG/arm64.log" 2>&1
rc=$?
tail -n 3 "$LOG/arm64.log"
[ $rc = 0 ] || { tail -n 40 "$LOG/arm64.log"; gate_fail "arm64 module build"; }
PASSED=$((PASSED + 1))
fi

if gate_on 8; then
# 8. upstream panthor ----------------------------------------------------
gate "8/8: upstream panthor on the software GPU (its own header, lockdep)"
bash "$PVM_REPO/scripts/upstream.sh" --check > "$LOG/upstream.log" 2>&1
rc=$?
grep -E '^(RESULT|FAIL|upstream)' "$LOG/upstream.log"
add_result "$LOG/upstream.log" || rc=1
[ $rc = 0 ] || { tail -n 40 "$LOG/upstream.log"; gate_fail "upstream panthor (log $LOG/upstream.log)"; }
fi

summary
[ $FAILED = 0 ]
