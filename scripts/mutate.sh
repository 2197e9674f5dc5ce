#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make mutate`: apply each mutation of scripts/mutations.list in turn to a
# scratch copy of the checkout, run the gates it names (PVM_CHECK_ONLY)
# there and expect them to FAIL; restore the file and go on. One line per
# mutation (killed by which gate, or survived, and the seconds), then
# "N passed, N failed" where a passed mutation is one that was killed.
# PVM_MUTATE_ONLY="name ..." runs some.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

# Mutations are applied to a scratch copy of the checkout (as it is,
# uncommitted changes included), never to the checkout itself: the copy
# runs this script again, and its gates build from the copy.
if [ -z "${PVM_MUTATE_SCRATCH:-}" ]; then
	# Not under $PVM_BUILD: tree preparation empties build objects there.
	scratch=$PVM_CACHE/mutate-tree
	rm -rf "$scratch"; mkdir -p "$scratch"
	tar -C "$PVM_REPO" --exclude=.git -cf - . | tar -C "$scratch" -xf - ||
		pvm_die "cannot copy the checkout to $scratch"
	pvm_say "mutating a copy of $PVM_REPO in $scratch"
	PVM_MUTATE_SCRATCH=1 exec bash "$scratch/scripts/mutate.sh"
fi

LIST=$PVM_REPO/scripts/mutations.list
LOG=$PVM_BUILD/mutate-logs
mkdir -p "$LOG"
caught=0; missed=0
T0=$(date +%s)

# The file being mutated is named in $LOG/active until it is restored, so
# a run that was killed is repaired by the next one.
restore() {
	[ -n "${cur:-}" ] && cp "$LOG/orig" "$PVM_REPO/$cur"
	cur=; rm -f "$LOG/active"
}
trap restore EXIT
trap 'restore; exit 130' INT TERM
if [ -f "$LOG/active" ]; then
	cur=$(cat "$LOG/active")
	echo "restoring $cur from an interrupted run"
	restore
fi

while IFS='|' read -r name file subst gates; do
	case $name in ''|'#'*) continue ;; esac
	trim() { sed 's/^[[:space:]]*//; s/[[:space:]]*$//' <<< "$1"; }
	name=$(trim "$name"); file=$(trim "$file")
	gates=$(trim "$gates"); subst=$(trim "$subst")
	if [ -n "${PVM_MUTATE_ONLY:-}" ] && [[ " $PVM_MUTATE_ONLY " != *" $name "* ]]; then
		continue
	fi
	cp "$PVM_REPO/$file" "$LOG/orig"; cur=$file; echo "$file" > "$LOG/active"
	perl -0pi -e "$subst" "$PVM_REPO/$file"
	if cmp -s "$LOG/orig" "$PVM_REPO/$file"; then
		echo "SURVIVED: $name: the mutation does not apply to $file"
		missed=$((missed + 1)); restore; continue
	fi
	t=$(date +%s)
	PVM_CHECK_ONLY="$gates" bash "$PVM_REPO/scripts/check.sh" > "$LOG/$name.log" 2>&1
	rc=$?
	restore
	secs=$(( $(date +%s) - t ))
	if [ $rc != 0 ] && grep -qE 'GATE FAILED: (W=1 build failed|boot kernel build|debug kernel build|IGT-format tests do not build)|\.[ch]:[0-9]+:[0-9]+: error: ' "$LOG/$name.log"; then
		# A mutation that does not compile proves nothing.
		missed=$((missed + 1))
		echo "BROKEN:   $name does not build (log $LOG/$name.log)"
	elif [ $rc != 0 ]; then
		caught=$((caught + 1))
		# check.sh stops at the first broken gate: the last one started.
		by=$(sed -n 's/^==> gate \([0-9]*\)\/.*/\1/p' "$LOG/$name.log" | tail -n 1)
		why=$(grep -E 'FAIL|GATE FAILED|ASSERTION FAILED|EXPECTATION FAILED' "$LOG/$name.log" | head -n 1)
		echo "killed:   $name by gate ${by:-?} (ran $gates) in ${secs}s: $why"
	else
		missed=$((missed + 1))
		echo "SURVIVED: $name (gates $gates all passed) in ${secs}s; log $LOG/$name.log"
	fi
done < "$LIST"

echo "mutate: $(( $(date +%s) - T0 ))s, logs in $LOG"
echo "$caught passed, $missed failed"
[ $missed = 0 ]
