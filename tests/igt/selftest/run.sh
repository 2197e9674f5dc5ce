#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Copyright 2026 The panthor-vm authors
#
# Self-test of the IGT compatibility layer: runs the st_* subjects with
# various command lines and checks exit codes and output lines.
#
# With a second directory holding the built tests, it also runs
# panthor_dev_query against fake_panthor.so (an LD_PRELOAD stand-in device):
# it must pass against upstream's DEV_QUERY rules and fail against each
# deliberate bug. The same fake models the VM and BO ioctls (fake_vm.c),
# so the VM tests' own logic is checked the same way: they pass against
# the model and fail against each bug planted in it.
#
# Usage: run.sh <dir of st_* binaries and fake_panthor.so> [<dir of tests>]

dir=${1:?usage: run.sh <dir> [<tests dir>]}
tests=$2
out=$(mktemp)
trap 'rm -f "$out"' EXIT
pass=0
fail=0
case_name=

# run <expected exit> <binary> [args...]
run() {
	want=$1
	bin=$2
	shift 2
	case_name="$bin $*"
	"$dir/$bin" "$@" >"$out" 2>&1
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $case_name: exit $rc, expected $want"
		sed 's/^/    | /' "$out"
	fi
}

# expect <fixed string>: the last run printed it
expect() {
	if grep -qF -- "$1" "$out"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $case_name: missing \"$1\""
		sed 's/^/    | /' "$out"
	fi
}

# reject <fixed string>: the last run did not print it
reject() {
	if grep -qF -- "$1" "$out"; then
		fail=$((fail + 1))
		echo "FAIL: $case_name: unexpected \"$1\""
		sed 's/^/    | /' "$out"
	else
		pass=$((pass + 1))
	fi
}

# exact <text>: the output is exactly this
exact() {
	if [ "$(cat "$out")" = "$1" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $case_name: output differs from"
		echo "$1" | sed 's/^/    > /'
		sed 's/^/    | /' "$out"
	fi
}

run 98 st_basic
expect "FIXTURE-RAN"
expect "Starting subtest: pass-a"
expect "Subtest pass-a: SUCCESS ("
expect "BODY pass-a"
expect "Subtest fail-eq: FAIL ("
expect "CRITICAL: Test assertion failure function"
expect "st_basic.c:"
expect "Failed assertion: a == 2"
expect "error: 1 != 2"
reject "NOT-REACHED"
expect "Last errno: 22, Invalid argument"
expect "custom message 7"
expect "Subtest fail-errno: FAIL ("
expect "Subtest skip-req: SKIP ("
expect "Test requirement: fixture_value == 0"
expect "Subtest skip-on-f: SKIP ("
expect "because reasons"
expect "Subtest pass-after-fail: SUCCESS ("
expect "BODY pass-after-fail"
expect "Subtest fmt-3: SUCCESS ("
expect "Subtest helper-fail: FAIL ("
expect "error: 0xf00 != 0xba5"
expect "Starting dynamic subtest: d-pass"
expect "Dynamic subtest d-pass: SUCCESS ("
expect "Dynamic subtest d-fail: FAIL ("
expect "Dynamic subtest d-skip: SKIP ("
expect "Dynamic subtest d-after-x: SUCCESS ("
expect "BODY d-after"
expect "Subtest dyn: FAIL ("
expect "Subtest dyn-none: SKIP ("
expect "Subtest dyn-all-pass: SUCCESS ("
expect "TEARDOWN-RAN"

run 0 st_basic --list-subtests
exact "pass-a
fail-eq
fail-errno
skip-req
skip-on-f
pass-after-fail
fmt-3
helper-fail
dyn
dyn-none
dyn-all-pass"

run 0 st_basic --describe=pass-a
expect "SUB pass-a "
expect "passes"
reject "FIXTURE-RAN"

run 0 st_basic --run-subtest pass-a
expect "Subtest pass-a: SUCCESS ("
reject "Starting subtest: fail-eq"
reject "Subtest skip-req"

run 77 st_basic --run-subtest 'skip-*'
expect "Subtest skip-req: SKIP ("
expect "Subtest skip-on-f: SKIP ("
reject "pass-a"

run 0 st_basic --run-subtest 'pass-*,skip-req'
expect "Subtest pass-a: SUCCESS ("
expect "Subtest pass-after-fail: SUCCESS ("
expect "Subtest skip-req: SKIP ("
reject "fail-eq"

run 0 st_basic --run-subtest=fmt-3
expect "Subtest fmt-3: SUCCESS ("

run 98 st_basic --run-subtest fail-eq
expect "Subtest fail-eq: FAIL ("

run 79 st_basic --run-subtest nope
expect "Unknown subtest: nope"

run 0 st_basic --run-subtest dyn --dynamic-subtest d-pass
expect "Dynamic subtest d-pass: SUCCESS ("
expect "Subtest dyn: SUCCESS ("
reject "d-fail"

run 79 st_basic --no-such-option

run 77 st_fixture_skip
expect "Test requirement: 0"
expect "no device in selftest"
expect "Subtest a: SKIP ("
expect "Subtest b: SKIP ("
reject "NOT-REACHED"

run 0 st_fixture_skip --list-subtests
exact "a
b"

run 98 st_fixture_fail
expect "Subtest first: SUCCESS ("
expect "setup broke"
expect "Subtest second: FAIL ("
expect "Subtest third: FAIL ("
reject "NOT-REACHED"

run 0 st_group
expect "Subtest in-group: SKIP ("
expect "Subtest outside: SUCCESS ("
expect "BODY outside"
reject "NOT-REACHED"

run 0 st_old_spelling
expect "Subtest old: SUCCESS ("

run 98 st_outside
expect "Subtest before: SUCCESS ("
expect "error: 3 != 4"
reject "NOT-REACHED"

run 0 st_outside --list-subtests
exact "before
after"

# runq <expected exit> <FAKE_PANTHOR_BUG> [args...]: panthor_dev_query on the
# fake
runq() {
	want=$1
	bug=$2
	shift 2
	case_name="panthor_dev_query (fake device, bug '$bug') $*"
	env LD_PRELOAD="$dir/fake_panthor.so" FAKE_PANTHOR_BUG="$bug" \
		PVM_EXPECT_GPU_ID="${EXPECT_ID:-}" "$tests/panthor_dev_query" "$@" \
		>"$out" 2>&1
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $case_name: exit $rc, expected $want"
		sed 's/^/    | /' "$out"
	fi
}

if [ -n "$tests" ]; then
	runq 0 ""
	for t in driver-version gpu-info size-query short-copy oversized-copy \
		 invalid render-node size-query-all short-and-long-all \
		 csif-info timestamp-info timestamp-info-v1 timestamp-flags \
		 timestamp-invalid group-priorities-info mmu-info; do
		expect "Subtest $t: SUCCESS ("
	done
	for t in unknown-type-size-query unknown-type type-after-last \
		 type-all-ones size-zero size-four size-below-min bad-pointer \
		 csif-below-min timestamp-below-min priorities-zero \
		 mmu-info-below-min csif-bad-pointer timestamp-bad-pointer; do
		expect "Dynamic subtest $t: SUCCESS ("
	done
	# No software GPU parameters on the fake.
	expect "Subtest selected-coherency: SKIP ("

	EXPECT_ID=0xa8670000 runq 0 "" --run-subtest gpu-info
	EXPECT_ID=0xc8700000 runq 98 "" --run-subtest gpu-info
	expect "Subtest gpu-info: FAIL ("

	runq 98 va-bits
	expect "Subtest gpu-info: FAIL ("
	expect "Subtest size-query: SUCCESS ("
	runq 98 size-query
	expect "Subtest size-query: FAIL ("
	expect "Subtest gpu-info: SUCCESS ("
	runq 98 no-zero-tail
	expect "Subtest oversized-copy: FAIL ("
	expect "Subtest short-copy: SUCCESS ("
	runq 98 accept-small
	expect "Dynamic subtest size-four: FAIL ("
	expect "Dynamic subtest size-below-min: FAIL ("
	expect "Dynamic subtest size-zero: SUCCESS ("
	runq 98 write-on-error
	expect "Dynamic subtest unknown-type: FAIL ("
	expect "rejected query wrote to the buffer"
	runq 98 wrong-errno
	expect "Dynamic subtest type-all-ones: FAIL ("
	expect "error: 2 != 22"
fi

# runt <expected exit> <test> <FAKE_PANTHOR_BUG> [args...]: a VM test on the fake
runt() {
	want=$1
	t=$2
	bug=$3
	shift 3
	case_name="$t (fake device, bug '$bug') $*"
	env LD_PRELOAD="$dir/fake_panthor.so" FAKE_PANTHOR_BUG="$bug" \
		PVM_EXPECT_SMMU="${EXPECT_SMMU:-}" "$tests/$t" "$@" >"$out" 2>&1
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $case_name: exit $rc, expected $want"
		sed 's/^/    | /' "$out"
	fi
}

if [ -n "$tests" ]; then
	# The VM tests pass against fake_vm.c's model of the uAPI...
	runt 0 panthor_bo ""
	reject "FAIL"
	expect "Subtest bo-no-mmap: SUCCESS ("
	runt 0 panthor_vm_bind ""
	reject "FAIL"
	expect "Subtest vm-bind-sync-only: SUCCESS ("
	expect "Dynamic subtest stride-48: SUCCESS ("
	runt 0 panthor_vm_remap ""
	reject "FAIL"
	expect "Subtest unbind-hugepage-successive: SUCCESS ("
	expect "Subtest vm-remap-random: SUCCESS ("
	runt 0 panthor_bo_ext ""
	reject "FAIL"
	for t in set-label-invalid query-info query-info-prime bo-sync \
		 bo-sync-invalid; do
		expect "Subtest $t: SUCCESS ("
	done
	expect "Dynamic subtest no-nul-before-unmapped-page: SUCCESS ("
	expect "Dynamic subtest range-past-bo: SUCCESS ("
	# No async binds, dma-buf sync files or vgem on the fake.
	runt 0 panthor_mesa_kmod "" --run-subtest \
		'device-open,vm-create,bo-alloc,immediate-bind'
	reject "FAIL"
	for t in device-open vm-create bo-alloc immediate-bind; do
		expect "Subtest $t: SUCCESS ("
	done
	runt 0 panthor_fault ""
	reject "FAIL"
	expect "Dynamic subtest level2: SUCCESS ("
	runt 0 panthor_vm_sparse ""
	reject "FAIL"
	expect "Dynamic subtest range-64K: SUCCESS ("
	expect "Subtest sparse-16G-data: SUCCESS ("
	runt 0 panthor_vm_mmu "" --run-subtest more-vms-than-slots
	expect "Subtest more-vms-than-slots: SUCCESS ("
	runt 0 panthor_vm_user_mmio ""
	reject "FAIL"
	for t in flush-id-mmap flush-id-mmap-invalid flush-id-mprotect \
		 flush-id-changes set-offset-invalid set-offset-32bit; do
		expect "Subtest $t: SUCCESS ("
	done

	# PVM_EXPECT_SMMU: the fake has no system MMU, so 0 passes and 1
	# fails every subtest from the fixture.
	EXPECT_SMMU=0 runt 0 panthor_vm_remap "" --run-subtest unbind-hugepage-subset
	expect "Subtest unbind-hugepage-subset: SUCCESS ("
	EXPECT_SMMU=1 runt 98 panthor_vm_remap "" --run-subtest unbind-hugepage-subset
	expect "PVM_EXPECT_SMMU=1, but the software GPU has no system MMU"
	expect "Subtest unbind-hugepage-subset: FAIL ("
	EXPECT_SMMU=1 runt 98 panthor_vm_mmu "" --run-subtest more-vms-than-slots
	expect "Subtest more-vms-than-slots: FAIL ("

	# ...and catch each deliberate bug of the model.
	runt 98 panthor_vm_remap split-offset --run-subtest 'vm-map-over,vm-remap-random,unbind-hugepage-subset'
	expect "Subtest vm-map-over: FAIL ("
	expect "Subtest vm-remap-random: FAIL ("
	expect "Subtest unbind-hugepage-subset: FAIL ("
	runt 98 panthor_vm_sparse repeat-split --run-subtest repeat-remap-random
	expect "Dynamic subtest range-64K: FAIL ("
	expect "Dynamic subtest range-2048K: FAIL ("
	runt 98 panthor_fault fault-level --run-subtest translation-fault-level
	expect "Dynamic subtest level3: FAIL ("
	expect "Dynamic subtest empty-vm: SUCCESS ("
	runt 98 panthor_vm_bind stride-tail --run-subtest vm-bind-array
	expect "Dynamic subtest stride-64-nonzero-tail: FAIL ("
	expect "Dynamic subtest stride-48: SUCCESS ("
	runt 98 panthor_bo_ext label-pad-late --run-subtest set-label-invalid
	expect "Dynamic subtest pad-before-handle: FAIL ("
	expect "Dynamic subtest pad: SUCCESS ("
	runt 98 panthor_bo_ext sync-no-range --run-subtest bo-sync-invalid
	expect "Dynamic subtest range-past-bo: FAIL ("
	expect "Dynamic subtest range-overflow: FAIL ("
	expect "Dynamic subtest type-unknown: SUCCESS ("
fi

echo "selftest: $pass checks passed, $fail failed"
[ "$fail" -eq 0 ]
