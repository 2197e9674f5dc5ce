// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 *
 * Userspace unit tests of pvm_pt*.c (the same source the kernel builds),
 * run under ASan and UBSan. Prints one PASS/FAIL line per test and a
 * "TOTAL <passed> <failed>" line; exits non-zero on any failure.
 */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "pvm_regs.h"

static int failures;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "  %s:%d: CHECK(%s) failed\n",		\
			__FILE__, __LINE__, #cond);			\
		failures++;						\
	}								\
} while (0)

struct ctx {
	struct h_mem m;
	struct pvm_pt pt;
	struct pvm_pt_resv resv;
	struct pvm_pt_free_list fl;
};

static void ctx_init(struct ctx *c, u32 va_bits, u64 pgsizes, bool coherent)
{
	memset(c, 0, sizeof(*c));
	h_mem_init(&c->m, coherent);
	if (h_pt_init(&c->pt, &c->m, va_bits, pgsizes))
		abort();
}

static void ctx_fini(struct ctx *c)
{
	pvm_pt_resv_release(&c->pt, &c->resv);
	pvm_pt_free_list_release(&c->pt, &c->fl);
	pvm_pt_fini(&c->pt);
	CHECK(c->m.live == 0);
	h_mem_fini(&c->m);
}

static u64 tables(struct ctx *c)
{
	struct pvm_pt_stats st;

	pvm_pt_get_stats(&c->pt, &st);
	return st.tables;
}

static int op(struct ctx *c, enum pvm_pt_op_kind kind, u64 va, u64 size,
	      dma_addr_t dma, const dma_addr_t *pat, u32 npat)
{
	struct pvm_pt_range r = { .dma = dma, .size = size };
	u32 need = pvm_pt_op_pages(&c->pt, va, size, kind);
	u64 before = tables(c);
	int ret;

	CHECK(!pvm_pt_resv_add(&c->pt, &c->resv, va, size, kind));
	if (kind == PVM_PT_OP_MAP)
		ret = pvm_pt_map(&c->pt, &c->resv, &c->fl, va, &r, 1, 0);
	else if (kind == PVM_PT_OP_REPEAT)
		ret = pvm_pt_repeat(&c->pt, &c->resv, &c->fl, va, size, pat,
				    npat, 0);
	else
		ret = pvm_pt_unmap(&c->pt, &c->resv, &c->fl, va, size);
	CHECK(tables(c) <= before + need);
	CHECK(!pvm_pt_check(&c->pt));
	pvm_pt_resv_release(&c->pt, &c->resv);
	pvm_pt_free_list_release(&c->pt, &c->fl);
	CHECK(c->m.live == tables(c) + pvm_pt_spare_pages(&c->pt));
	return ret;
}

static void expect(struct ctx *c, u64 va, u64 want)
{
	dma_addr_t dma = 0;
	u64 hw = 0;

	CHECK(!pvm_pt_iova_to_phys(&c->pt, va, &dma, NULL));
	CHECK(dma == want);
	CHECK(!h_walk(&c->m, &c->pt, va, &hw, NULL, NULL));
	CHECK(hw == want);
	if (dma != want || hw != want)
		fprintf(stderr, "  va %#llx: %#llx / %#llx, want %#llx\n", va,
			dma, hw, want);
}

static void expect_hole(struct ctx *c, u64 va)
{
	dma_addr_t dma;
	u64 hw;

	CHECK(pvm_pt_iova_to_phys(&c->pt, va, &dma, NULL) == -ENOENT);
	CHECK(h_walk(&c->m, &c->pt, va, &hw, NULL, NULL) == -ENOENT);
}

static u64 hash(struct ctx *c)
{
	u64 h = 14695981039346656037ULL;
	u32 i, j;

	for (i = 0; i < c->m.npages; i++) {
		if (!c->m.pages[i].live)
			continue;
		/*
		 * Pages never linked (spare tables, uncleared or cleared) are
		 * out of the walker's reach: only the bytes of the others count.
		 */
		for (j = 0; j < 512; j++) {
			u64 cpu = c->m.pages[i].cpu[j], dev = c->m.pages[i].dev[j];

			if ((cpu && cpu != H_GARBAGE) || (dev && dev != H_GARBAGE))
				break;
		}
		if (j == 512)
			continue;
		for (j = 0; j < 512; j++) {
			h = (h ^ c->m.pages[i].cpu[j] ^ i) * 1099511628211ULL;
			h = (h ^ c->m.pages[i].dev[j]) * 1099511628211ULL;
		}
	}
	return h;
}

static void test_blocks_and_pages(void)
{
	static const u32 bits[] = { 32, 39, 48 };
	struct ctx c;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		u64 va = (1ULL << bits[i]) - 2ULL * SZ_1G - SZ_2M - SZ_4K, size;
		u64 off, h;

		ctx_init(&c, bits[i], SZ_4K | SZ_2M | SZ_1G, i & 1);
		size = SZ_1G + 2 * SZ_2M + 2 * SZ_4K;
		CHECK(!op(&c, PVM_PT_OP_MAP, va, size, 0x3fdff000, NULL, 0));
		for (off = 0; off < size; off += SZ_1M - SZ_4K)
			expect(&c, va + off, 0x3fdff000 + off);
		expect(&c, va + size - SZ_4K, 0x3fdff000 + size - SZ_4K);
		expect_hole(&c, va - SZ_4K);
		/* Cutting any block is refused and changes no byte. */
		h = hash(&c);
		CHECK(op(&c, PVM_PT_OP_UNMAP, va, SZ_8K, 0, NULL, 0) == -EINVAL);
		CHECK(op(&c, PVM_PT_OP_UNMAP, va + SZ_2M + SZ_4K + SZ_2M, SZ_4K,
			 0, NULL, 0) == -EINVAL);
		CHECK(hash(&c) == h);
		CHECK(!op(&c, PVM_PT_OP_UNMAP, va, size, 0, NULL, 0));
		CHECK(tables(&c) == 1);
		ctx_fini(&c);
	}
}

static void test_repeat_1t(void)
{
	dma_addr_t pat = 0x7000;
	struct pvm_pt_stats st;
	struct ctx c;

	ctx_init(&c, 48, SZ_4K | SZ_2M, false);
	CHECK(!op(&c, PVM_PT_OP_REPEAT, 1ULL << 40, 1ULL << 40, 0, &pat, 1));
	pvm_pt_get_stats(&c.pt, &st);
	CHECK(st.tables <= 1 + 3);
	CHECK(st.bytes_mapped == 1ULL << 40);
	expect(&c, (1ULL << 40) + 12345 * SZ_4K + 5, 0x7005);
	expect(&c, (2ULL << 40) - SZ_4K, 0x7000);
	CHECK(!op(&c, PVM_PT_OP_UNMAP, (1ULL << 40) + SZ_1G, SZ_4K, 0, NULL, 0));
	expect_hole(&c, (1ULL << 40) + SZ_1G);
	expect(&c, (1ULL << 40) + SZ_1G + SZ_4K, 0x7000);
	CHECK(tables(&c) <= 1 + 3 + 3);
	/* Refilled with the pattern: the copies go, the shared ones return. */
	CHECK(!op(&c, PVM_PT_OP_REPEAT, (1ULL << 40) + SZ_1G, SZ_4K, 0, &pat, 1));
	expect(&c, (1ULL << 40) + SZ_1G, 0x7000);
	pvm_pt_get_stats(&c.pt, &st);
	CHECK(st.tables == 1 + 3);
	CHECK(!op(&c, PVM_PT_OP_UNMAP, 1ULL << 40, 1ULL << 40, 0, NULL, 0));
	CHECK(tables(&c) == 1);
	ctx_fini(&c);
}

static void test_sync_ranges(void)
{
	struct ctx c;

	ctx_init(&c, 48, SZ_4K | SZ_2M, false);
	c.m.nsynclog = 0;
	/* New tables (leaf, L2, L1) are synced whole, the root's entry alone. */
	CHECK(!op(&c, PVM_PT_OP_MAP, SZ_1G + 16 * SZ_4K, 16 * SZ_4K, 0x1000,
		  NULL, 0));
	CHECK(c.m.nsynclog == 4);
	CHECK((c.m.synclog[0].dma & 4095) == 0 && c.m.synclog[0].size == 4096);
	CHECK((c.m.synclog[2].dma & 4095) == 0 && c.m.synclog[2].size == 4096);
	CHECK(c.m.synclog[3].size == 8);
	expect(&c, SZ_1G + 31 * SZ_4K, 0x1000 + 15 * SZ_4K);
	expect_hole(&c, SZ_1G + 32 * SZ_4K);
	/* Into the existing leaf: one sync of the 16 entries written. */
	c.m.nsynclog = 0;
	CHECK(!op(&c, PVM_PT_OP_MAP, SZ_1G + 64 * SZ_4K, 16 * SZ_4K, 0x20000,
		  NULL, 0));
	CHECK(c.m.nsynclog == 1);
	CHECK((c.m.synclog[0].dma & 4095) == 512 && c.m.synclog[0].size == 128);
	expect(&c, SZ_1G + 79 * SZ_4K, 0x20000 + 15 * SZ_4K);
	ctx_fini(&c);
}

/* Every allocation of a reservation can fail: -ENOMEM, nothing leaks. */
static void test_fault_injection(void)
{
	u64 va = SZ_1G - SZ_4M, size = SZ_8M;
	u64 n, fails = 0;
	struct ctx c;
	int ret;

	ctx_init(&c, 48, SZ_4K | SZ_2M, true);
	for (n = 1; n < 64; n++) {
		h_kzalloc_count = 0;
		h_kzalloc_fail_at = n;
		ret = pvm_pt_resv_add(&c.pt, &c.resv, va, size, PVM_PT_OP_MAP);
		h_kzalloc_fail_at = 0;
		if (!ret) {
			CHECK(pvm_pt_resv_pages(&c.resv) ==
			      pvm_pt_op_pages(&c.pt, va, size, PVM_PT_OP_MAP));
			pvm_pt_resv_release(&c.pt, &c.resv);
			break;
		}
		CHECK(ret == -ENOMEM);
		CHECK(pvm_pt_resv_pages(&c.resv) == 0);
		CHECK(c.m.live == 1 + pvm_pt_spare_pages(&c.pt));
		fails++;
	}
	CHECK(fails > 0);
	for (n = 1; n < 16; n++) {
		/* Spares come first: only the rest is allocated. */
		u32 spares = pvm_pt_spare_pages(&c.pt);

		c.m.fail_at = c.m.allocs + n;
		ret = pvm_pt_resv_add(&c.pt, &c.resv, va, size, PVM_PT_OP_MAP);
		c.m.fail_at = 0;
		CHECK(ret == (n + spares <= pvm_pt_op_pages(&c.pt, va, size,
							  PVM_PT_OP_MAP) ?
			      -ENOMEM : 0));
		pvm_pt_resv_release(&c.pt, &c.resv);
		CHECK(c.m.live == 1 + pvm_pt_spare_pages(&c.pt));
	}
	ctx_fini(&c);
}

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "blocks_and_pages_32_39_48", test_blocks_and_pages },
	{ "repeat_1t_shared_unshared", test_repeat_1t },
	{ "noncoherent_sync_ranges", test_sync_ranges },
	{ "fault_injection", test_fault_injection },
};

int main(void)
{
	int passed = 0, failed = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		int before = failures;
		unsigned long warns = pvm_shim_warnings;

		tests[i].fn();
		if (failures == before && pvm_shim_warnings == warns) {
			printf("PASS %s\n", tests[i].name);
			passed++;
		} else {
			printf("FAIL %s\n", tests[i].name);
			failed++;
		}
	}
	printf("TOTAL %d %d\n", passed, failed);
	return failed ? 1 : 0;
}
