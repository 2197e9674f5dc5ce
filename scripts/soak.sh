#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make soak: the uAPI fuzzer (tests/igt/panthor_fuzz) for a long run in the
# soak kernel: the boot kernel with lockdep, DEBUG_LIST and
# DEBUG_ATOMIC_SLEEP (scripts/configs/soak.config; built here if needed),
# on the arch-10 software GPU with its system MMU and check_stale=1.
# KASAN and kmemleak are left out: the debug kernel runs the fuzzer about
# 14 times slower, so make check runs it there for a bounded minute.
#
#   PVM_SOAK_CALLS=N     fuzzed calls (default 1000000; PVM_FUZZ_CALLS)
#   PVM_SOAK_SECONDS=S   also stop each of the fuzzer's subtests after S s
#                        (PVM_FUZZ_SECONDS; default none)
#   PVM_SOAK_KERNEL=K    soak (default) or debug (KASAN and kmemleak too,
#                        arch-12 non-coherent, as make check boots it)
#   PVM_FUZZ_SEED=N      seed (default: the fuzzer picks one and prints it)
#
# Builds the IGT-format tests and the kernel, prints the fuzzer's summary
# lines and the runner's RESULT line, and exits non-zero on any failure
# (a model mismatch, a kernel report, a leak, an undeclared GPU fault).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

calls=${PVM_SOAK_CALLS:-1000000}
secs=${PVM_SOAK_SECONDS:-0}
kname=${PVM_SOAK_KERNEL:-soak}
case $kname in
soak)	cmdline="panthor_vm_sim.profile=10 panthor_vm_sim.check_stale=1"
	expect=(--env PVM_EXPECT_GPU_ID=0xa8670000 --env PVM_EXPECT_SMMU=1
		--env PVM_EXPECT_COHERENT=1)
	extra=() ;;
debug)	cmdline="panthor_vm_sim.profile=12 panthor_vm_sim.smmu=1 panthor_vm_sim.noncoherent=1 panthor_vm_sim.tlb_entries=0 panthor_vm_sim.check_stale=1 kunit.filter_glob=none"
	expect=(--env PVM_EXPECT_GPU_ID=0xc8700000 --env PVM_EXPECT_SMMU=1
		--env PVM_EXPECT_COHERENT=0)
	extra=(--kmemleak) ;;
*)	pvm_die "PVM_SOAK_KERNEL must be soak or debug" ;;
esac
kernel=$PVM_BUILD/$kname/linux
bash "$PVM_REPO/scripts/build-kernel.sh" "$kname" > "$PVM_BUILD/$kname-build.log" 2>&1 ||
	{ tail -n 40 "$PVM_BUILD/$kname-build.log"; pvm_die "$kname kernel build"; }

o=$(pvm_user_build igt)
log=$PVM_BUILD/soak-logs
mkdir -p "$log"
make -s -C "$PVM_REPO/tests/igt" O="$o" > "$log/igt-build.log" 2>&1 ||
	{ tail -n 40 "$log/igt-build.log"; pvm_die "IGT-format tests do not build"; }

# The slower kernel runs the fuzzer at about 100 calls/s: allow 20 calls/s.
tmo=$(( calls / 20 + 1800 ))
if [ "$secs" != 0 ]; then
	t=$(( secs * 4 + 1800 ))
	[ $t -lt $tmo ] && tmo=$t
fi
envs=("${expect[@]}" --env PVM_FUZZ_CALLS="$calls")
[ "$secs" != 0 ] && envs+=(--env PVM_FUZZ_SECONDS="$secs")
[ -n "${PVM_FUZZ_SEED:-}" ] && envs+=(--env PVM_FUZZ_SEED="$PVM_FUZZ_SEED")

pvm_say "soak: panthor_fuzz, $calls calls, $kname kernel, timeout ${tmo}s"
start=$(date +%s)
bash "$PVM_REPO/scripts/uml-run.sh" --label soak --kernel "$kernel" \
	--out "$PVM_BUILD/runs/soak" --mem 1536M "${extra[@]}" \
	--timeout $(( tmo + 600 )) --test-timeout "$tmo" \
	--cmdline "$cmdline" \
	"${envs[@]}" -- "$o/panthor_fuzz" > "$log/soak.log" 2>&1
rc=$?
out=$PVM_BUILD/runs/soak/panthor_fuzz.out
grep -E '^panthor_fuzz: seed|^panthor_fuzz summary:|^Subtest ' "$out" 2>/dev/null
grep -vE '^RESULT ' "$log/soak.log" | grep -E '^(FAIL|ok:)|^    ' | head -n 80
grep -E '^RESULT ' "$log/soak.log"
echo "soak: $(( $(date +%s) - start ))s, logs in $log and $PVM_BUILD/runs/soak"
[ $rc = 0 ] && grep -q '^RESULT soak [0-9]* 0 ' "$log/soak.log"
