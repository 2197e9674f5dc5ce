#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make run`: build what is missing, boot the boot kernel on the software
# GPU and run the pvm-run client, printing its report.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

bash "$PVM_REPO/scripts/prepare-tree.sh"
RUN_O=$(pvm_user_build pvm-run)
make -s -C "$PVM_REPO/tools/pvm-run" O="$RUN_O"
if [ ! -x "$PVM_BUILD/boot/linux" ]; then
	pvm_say "first run: building the UML kernel (about 2-4 minutes on 2 cores)"
fi
bash "$PVM_REPO/scripts/build-kernel.sh" boot > "$PVM_BUILD/boot-build.log" 2>&1 ||
	{ tail -n 40 "$PVM_BUILD/boot-build.log"; pvm_die "boot kernel build failed"; }
mkdir -p "$PVM_BUILD/runs"
out=$PVM_BUILD/runs/run
bash "$PVM_REPO/scripts/uml-run.sh" --quiet --label run --out "$out" \
	--kernel "$PVM_BUILD/boot/linux" \
	--cmdline "panthor_vm_sim.check_stale=1 ${PVM_RUN_CMDLINE:-}" \
	-- "$RUN_O/pvm-run" > "$out.result" || true
echo
cat "$out/pvm-run.out" 2>/dev/null || true
if ! grep -q '^RESULT run [0-9]* 0 ' "$out.result"; then
	cat "$out.result"
	pvm_die "the run failed (kernel log: $out/console.log)"
fi
