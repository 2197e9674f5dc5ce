// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 *
 * Micro-benchmark scenarios for callgrind: each run does one scenario, and
 * only cg_measure() is counted (--toggle-collect=cg_measure), so the
 * instruction count covers exactly the table operation.
 */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"

static struct pvm_pt pt;
static struct pvm_pt_resv resv;
static struct pvm_pt_free_list fl;
static struct pvm_pt_range r;
static dma_addr_t pat = 0x5000;

enum { MAP, UNMAP, REPEAT };

static bool per_call_resv;

static __attribute__((noinline)) int cg_measure(int what, u64 va, u64 size,
						u64 step)
{
	u64 off;
	int ret = 0;

	for (off = 0; off < size && !ret; off += step) {
		struct pvm_pt_range one = { r.dma + off, step };

		/* As a bind op does: reserve, run, give back, per call. */
		if (per_call_resv && what == MAP)
			ret = pvm_pt_resv_add_map(&pt, &resv, va + off, &one, 1);
		else if (per_call_resv)
			ret = pvm_pt_resv_add(&pt, &resv, va + off, step,
					      PVM_PT_OP_UNMAP);
		if (ret)
			break;
		if (what == MAP)
			ret = pvm_pt_map(&pt, &resv, &fl, va + off, &one, 1, 0);
		else if (what == UNMAP)
			ret = pvm_pt_unmap(&pt, &resv, &fl, va + off, step);
		else
			ret = pvm_pt_repeat(&pt, &resv, &fl, va + off, step,
					    &pat, 1, 0);
		if (per_call_resv) {
			pvm_pt_resv_release(&pt, &resv);
			pvm_pt_free_list_release(&pt, &fl);
		}
	}
	return ret;
}

int main(int argc, char **argv)
{
	const char *s = argc > 1 ? argv[1] : "map4k";
	u64 va = 1ULL << 30, size = 256ULL << 20, step;
	bool blocks = strstr(s, "2m");
	struct h_mem m;
	int ret;

	h_mem_init(&m, true);
	if (h_pt_init(&pt, &m, 48, SZ_4K | SZ_2M))
		return 1;
	r.dma = blocks ? 1ULL << 32 : (1ULL << 32) + SZ_4K;
	step = strstr(s, "256") ? 256 * (blocks ? SZ_2M : SZ_4K) : size;
	per_call_resv = strstr(s, "resv");
	if (blocks && strstr(s, "256"))
		size = 2ULL << 30;
	if (!strncmp(s, "repeat", 6)) {
		size = strstr(s, "1t") ? 1ULL << 40 : 1ULL << 30;
		va = 1ULL << 40;
		step = size;
		pvm_pt_resv_add(&pt, &resv, va, size, PVM_PT_OP_REPEAT);
		ret = cg_measure(REPEAT, va, size, step);
	} else if (!strncmp(s, "map", 3)) {
		if (!per_call_resv)
			pvm_pt_resv_add(&pt, &resv, va, size, PVM_PT_OP_MAP);
		ret = cg_measure(MAP, va, size, step);
	} else {
		pvm_pt_resv_add(&pt, &resv, va, size, PVM_PT_OP_MAP);
		r.size = size;
		ret = pvm_pt_map(&pt, &resv, &fl, va, &r, 1, 0);
		if (per_call_resv)
			pvm_pt_resv_release(&pt, &resv);
		ret |= cg_measure(UNMAP, va, size, step);
	}
	/* Units: 4K pages, 2M blocks, or one repeat op. */
	printf("%llu\n", !strncmp(s, "repeat", 6) ? 1ULL :
	       size >> (blocks ? 21 : 12));
	pvm_pt_resv_release(&pt, &resv);
	pvm_pt_free_list_release(&pt, &fl);
	pvm_pt_fini(&pt);
	h_mem_fini(&m);
	return ret ? 1 : 0;
}
