#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Run the userspace unit tests, then the differential fuzzer for a bounded
# time; print "RESULT pt-user <passed> <failed> <skipped>".
O=$1
SECS=${2:-60}
passed=0
failed=0
skipped=0

out=$("$O/pt_test" 2>&1)
rc=$?
echo "$out" | grep -v '^TOTAL'
p=$(echo "$out" | awk '/^TOTAL/ { print $2 }')
f=$(echo "$out" | awk '/^TOTAL/ { print $3 }')
if [ -z "$p" ]; then
	echo "FAIL pt_test (exit $rc, no summary)"
	failed=$((failed + 1))
else
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		failed=$((failed + 1))
	fi
fi

if [ -x "$O/pt_fuzz" ]; then
	mkdir -p "$O/fuzz-corpus"
	"$O/pt_fuzz" -max_total_time="$SECS" -rss_limit_mb=4096 -max_len=512 \
		-artifact_prefix="$O/" -print_final_stats=1 \
		"$O/fuzz-corpus" "$(dirname "$0")/seeds" > "$O/fuzz.log" 2>&1
	rc=$?
	runs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$O/fuzz.log")
	if [ "$rc" -eq 0 ]; then
		echo "PASS fuzz_differential ($runs inputs in ${SECS}s)"
		passed=$((passed + 1))
	else
		tail -40 "$O/fuzz.log"
		echo "FAIL fuzz_differential (exit $rc, see $O/fuzz.log)"
		failed=$((failed + 1))
	fi
else
	echo "SKIP fuzz_differential (no libFuzzer build)"
	skipped=$((skipped + 1))
fi

echo "RESULT pt-user $passed $failed $skipped"
[ "$failed" -eq 0 ]
