#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Instruction counts per unit of work, from valgrind --tool=callgrind:
# stable on a noisy machine, unlike wall-clock time.
O=$1
command -v valgrind > /dev/null || { echo "SKIP callgrind (no valgrind)"; exit 0; }
for s in map4k unmap4k map4k_256 unmap4k_256 map2m unmap2m repeat1g repeat1t; do
	f="$O/callgrind.$s.out"
	units=$(valgrind --tool=callgrind --collect-atstart=no \
		--toggle-collect=cg_measure --callgrind-out-file="$f" \
		"$O/pt_cg" "$s" 2> /dev/null) || { echo "FAIL callgrind $s"; exit 1; }
	ir=$(awk '/^(summary|totals):/ { print $2; exit }' "$f")
	case $s in
	repeat*) unit=Ir/op ;;
	*2m*) unit=Ir/2M-block ;;
	*) unit=Ir/4K-page ;;
	esac
	echo "BENCH callgrind_$s $(awk -v a="$ir" -v b="$units" 'BEGIN { printf "%.1f", a / b }') $unit"
done
