// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 *
 * Page-table KUnit suite "pvm_pt_tables": the table pages behind the
 * translations. Reservation sizes and their exact use, allocation
 * failures, tables kept until the free list is released, tables shared by
 * repeat, unshared at the edges and shared again when the pattern comes
 * back, and one sync per table written.
 */

#include <kunit/test.h>
#include <linux/sizes.h>

#include "../pvm_pt.h"
#include "pvm_pt_test.h"

/* Reservation sizes for a fresh 48-bit table: exact worst cases. */
struct ptt_resv_case {
	const char *name;
	u64 va, size;
	enum pvm_pt_op_kind kind;
	u32 pages;
};

static const struct ptt_resv_case ptt_resv_cases[] = {
	{ "map 4K", 0, SZ_4K, PVM_PT_OP_MAP, 3 },
	{ "map 2M", SZ_2M, SZ_2M, PVM_PT_OP_MAP, 3 },
	{ "map 2M straddling", SZ_1M, SZ_2M, PVM_PT_OP_MAP, 4 },
	{ "map 1G", SZ_1G, SZ_1G, PVM_PT_OP_MAP, 514 },
	{ "map across 512G", (1ULL << 39) - SZ_4K, SZ_8K, PVM_PT_OP_MAP, 6 },
	{ "unmap 4K", SZ_4K, SZ_4K, PVM_PT_OP_UNMAP, 3 },
	{ "unmap 2M", SZ_2M, SZ_2M, PVM_PT_OP_UNMAP, 2 },
	{ "unmap 1G", SZ_1G, SZ_1G, PVM_PT_OP_UNMAP, 1 },
	{ "unmap 512G", 1ULL << 39, 1ULL << 39, PVM_PT_OP_UNMAP, 0 },
	{ "unmap straddling 2M", SZ_2M - SZ_4K, SZ_8K, PVM_PT_OP_UNMAP, 4 },
	{ "repeat 1T", 1ULL << 40, 1ULL << 40, PVM_PT_OP_REPEAT, 3 },
	{ "repeat 4K", SZ_4K, SZ_4K, PVM_PT_OP_REPEAT, 3 },
	{ "repeat 1G+8K", SZ_1G - SZ_4K, SZ_1G + SZ_8K, PVM_PT_OP_REPEAT, 7 },
};

KUNIT_ARRAY_PARAM_DESC(ptt_resv, ptt_resv_cases, name);

static void pvm_pt_test_resv_count(struct kunit *test)
{
	const struct ptt_resv_case *p = test->param_value;
	struct ptt *c = pvm_ptt_create(test, 48, SZ_4K | SZ_2M, true);
	u32 spares;
	u64 allocs;

	KUNIT_EXPECT_EQ(test, pvm_pt_op_pages(&c->pt, p->va, p->size, p->kind),
			p->pages);
	KUNIT_ASSERT_EQ(test, pvm_pt_resv_add(&c->pt, &c->resv, p->va, p->size,
					      p->kind), 0);
	KUNIT_EXPECT_EQ(test, pvm_pt_resv_pages(&c->resv), p->pages);
	KUNIT_EXPECT_EQ(test, c->mem.live, 1 + p->pages);
	pvm_pt_resv_release(&c->pt, &c->resv);
	/* What was not used stays as spares, up to the bound, for reuse. */
	spares = pvm_pt_spare_pages(&c->pt);
	KUNIT_EXPECT_LE(test, spares, min_t(u32, p->pages, 2 * PVM_PT_SPARE_MAX));
	KUNIT_EXPECT_EQ(test, spares ? 0 : 1, p->pages ? 0 : 1);
	KUNIT_EXPECT_EQ(test, c->mem.live, 1 + spares);
	/* The same reservation again takes the spares before allocating. */
	allocs = c->mem.allocs;
	KUNIT_ASSERT_EQ(test, pvm_pt_resv_add(&c->pt, &c->resv, p->va, p->size,
					      p->kind), 0);
	KUNIT_EXPECT_EQ(test, c->mem.allocs - allocs, p->pages - spares);
	KUNIT_EXPECT_EQ(test, pvm_pt_spare_pages(&c->pt), 0);
	pvm_pt_resv_release(&c->pt, &c->resv);
}

/* Map 4K pages worst case uses exactly the reservation. */
static void pvm_pt_test_resv_exact_use(struct kunit *test)
{
	struct ptt *c = pvm_ptt_create(test, 48, SZ_4K | SZ_2M, true);
	struct pvm_pt_range r = { .dma = 0x1000, .size = SZ_4M + SZ_8K };
	u64 va = (1ULL << 39) - SZ_2M - SZ_4K;
	u32 need = pvm_pt_op_pages(&c->pt, va, r.size, PVM_PT_OP_MAP);

	KUNIT_ASSERT_EQ(test, pvm_pt_resv_add(&c->pt, &c->resv, va, r.size,
					      PVM_PT_OP_MAP), 0);
	KUNIT_EXPECT_EQ(test, pvm_pt_map(&c->pt, &c->resv, &c->fl, va, &r, 1, 0), 0);
	/* Two L1, two L2 and four L3 tables: all of the reservation. */
	KUNIT_EXPECT_EQ(test, need, 8);
	KUNIT_EXPECT_EQ(test, pvm_pt_resv_pages(&c->resv), 0);
	KUNIT_EXPECT_EQ(test, pvm_ptt_tables(c), 1 + need);
	pvm_ptt_expect(c, va, 0x1000);
	pvm_ptt_expect(c, va + r.size - SZ_4K, 0x1000 + r.size - SZ_4K);
}

/* Allocation failure at every point: -ENOMEM, nothing leaked or changed. */
static void pvm_pt_test_resv_fault_injection(struct kunit *test)
{
	struct ptt *c = pvm_ptt_create(test, 48, SZ_4K | SZ_2M, true);
	u64 va = SZ_1G - SZ_4M, size = SZ_16M;
	u32 need = pvm_pt_op_pages(&c->pt, va, size, PVM_PT_OP_MAP);
	u32 i, failures = 0;
	int ret;

	KUNIT_ASSERT_EQ(test, pvm_ptt_map(c, SZ_4K, 0x1000, SZ_4K, 0), 0);
	/*
	 * Fail the i-th allocation of the call: it fails while i is within
	 * what the spares (the tables earlier failures gave back) leave to
	 * allocate, and then succeeds.
	 */
	for (i = 1; i <= need + 1; i++) {
		u32 spares = pvm_pt_spare_pages(&c->pt);

		c->mem.fail_at = c->mem.allocs + i;
		ret = pvm_pt_resv_add(&c->pt, &c->resv, va, size, PVM_PT_OP_MAP);
		c->mem.fail_at = 0;
		if (ret) {
			KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
			KUNIT_EXPECT_LE(test, i + spares, need);
			KUNIT_EXPECT_EQ(test, pvm_pt_resv_pages(&c->resv), 0);
			KUNIT_EXPECT_EQ(test, c->mem.live, pvm_ptt_tables(c) +
					pvm_pt_spare_pages(&c->pt));
			failures++;
			continue;
		}
		KUNIT_EXPECT_GT(test, i + spares, need);
		KUNIT_EXPECT_EQ(test, pvm_pt_resv_pages(&c->resv), need);
		pvm_pt_resv_release(&c->pt, &c->resv);
		break;
	}
	KUNIT_EXPECT_GT(test, failures, 0);
	KUNIT_EXPECT_EQ(test, ret, 0);

	/* A reservation that is too small fails the map and undoes it. */
	{
		struct pvm_pt_range r = { .dma = 0x1000, .size = size };
		u64 hash = pvm_ptt_hash(c);

		KUNIT_ASSERT_EQ(test, pvm_pt_resv_add(&c->pt, &c->resv, va,
						      SZ_4K, PVM_PT_OP_MAP), 0);
		KUNIT_EXPECT_EQ(test, pvm_pt_map(&c->pt, &c->resv, &c->fl, va,
						 &r, 1, 0), -ENOSPC);
		pvm_pt_free_list_release(&c->pt, &c->fl);
		pvm_pt_resv_release(&c->pt, &c->resv);
		KUNIT_EXPECT_EQ(test, pvm_ptt_hash(c), hash);
		KUNIT_EXPECT_EQ(test, pvm_pt_check(&c->pt), 0);
		pvm_ptt_expect_hole(c, va);
		pvm_ptt_expect(c, SZ_4K, 0x1000);
	}
}

/* Unlinked tables stay allocated and intact until the list is released. */
static void pvm_pt_test_free_after_flush(struct kunit *test)
{
	struct ptt *c = pvm_ptt_create(test, 48, SZ_4K | SZ_2M, true);
	struct pvm_pt_range r = { .dma = 0x1000, .size = SZ_4M };
	u64 frees, hw;

	KUNIT_ASSERT_EQ(test, pvm_ptt_map(c, SZ_1G, 0x1000, SZ_4M, 0), 0);
	KUNIT_ASSERT_EQ(test, pvm_ptt_tables(c), 5);
	frees = c->mem.frees;
	KUNIT_ASSERT_EQ(test, pvm_pt_resv_add(&c->pt, &c->resv, SZ_1G, SZ_4M,
					      PVM_PT_OP_UNMAP), 0);
	KUNIT_ASSERT_EQ(test, pvm_pt_unmap(&c->pt, &c->resv, &c->fl, SZ_1G,
					   SZ_4M), 0);
	/* L1, L2 and two L3 tables became empty: all unlinked, none freed. */
	KUNIT_EXPECT_EQ(test, c->fl.count, 4);
	KUNIT_EXPECT_EQ(test, pvm_ptt_tables(c), 1);
	KUNIT_EXPECT_EQ(test, c->mem.frees, frees);
	KUNIT_EXPECT_EQ(test, c->mem.live, 5 + pvm_pt_resv_pages(&c->resv));
	pvm_ptt_expect_hole(c, SZ_1G);
	KUNIT_EXPECT_EQ(test, pvm_pt_check(&c->pt), 0);
	/* Freed tables are not reused before the release, even by a map. */
	KUNIT_ASSERT_EQ(test, pvm_pt_resv_add(&c->pt, &c->resv, SZ_1G, SZ_4M,
					      PVM_PT_OP_MAP), 0);
	KUNIT_EXPECT_EQ(test, pvm_pt_map(&c->pt, &c->resv, &c->fl, SZ_1G, &r, 1,
					 0), 0);
	KUNIT_EXPECT_EQ(test, c->mem.frees, frees);
	pvm_pt_free_list_release(&c->pt, &c->fl);
	KUNIT_EXPECT_EQ(test, c->mem.frees, frees + 4);
	KUNIT_EXPECT_EQ(test, c->fl.count, 0);
	KUNIT_EXPECT_EQ(test, pvm_ptt_walk(c, SZ_1G + SZ_4K, &hw, NULL), 0);
	KUNIT_EXPECT_EQ(test, hw, 0x2000);
}

/* Repeat mappings: shared tables, then unshared at the edges. */
struct ptt_repeat_case {
	const char *name;
	u32 npages;
	bool contig;
	u32 max_tables;	/* new tables for 1 TiB */
};

static const struct ptt_repeat_case ptt_repeat_cases[] = {
	{ "one page", 1, true, 3 },
	{ "16 scattered pages", 16, false, 3 },
	{ "2M block", 512, true, 2 },
	{ "2M scattered", 512, false, 3 },
};

KUNIT_ARRAY_PARAM_DESC(ptt_repeat, ptt_repeat_cases, name);

static dma_addr_t ptt_pat_page(const struct ptt_repeat_case *p, u32 i)
{
	return p->contig ? 0x40000000 + (u64)i * SZ_4K :
	       0x40000000 + (u64)((i * 5) % p->npages) * SZ_4K + (u64)i * SZ_2M;
}

static void pvm_pt_test_repeat(struct kunit *test)
{
	const struct ptt_repeat_case *p = test->param_value;
	struct ptt *c = pvm_ptt_create(test, 48, SZ_4K | SZ_2M, false);
	u64 base = 1ULL << 40, size = 1ULL << 40, hole = base + 3ULL * SZ_1G + SZ_4K;
	u64 probes[] = { base, base + SZ_4K * 7, base + SZ_2M + SZ_4K * 300,
			 base + (1ULL << 39) + 5ULL * SZ_1G + SZ_4K * 511,
			 base + size - SZ_4K };
	struct pvm_pt_stats st;
	dma_addr_t *pat;
	u64 tables;
	u32 i;

	pat = kunit_kcalloc(test, p->npages, sizeof(*pat), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pat);
	for (i = 0; i < p->npages; i++)
		pat[i] = ptt_pat_page(p, i);

	KUNIT_ASSERT_EQ(test, pvm_ptt_repeat(c, base, size, pat, p->npages), 0);
	pvm_pt_get_stats(&c->pt, &st);
	KUNIT_EXPECT_LE(test, st.tables - 1, p->max_tables);
	KUNIT_EXPECT_GE(test, st.shared_tables, 1);
	KUNIT_EXPECT_EQ(test, st.bytes_mapped, size);
	for (i = 0; i < ARRAY_SIZE(probes); i++)
		pvm_ptt_expect(c, probes[i], pat[(probes[i] >> 12) & (p->npages - 1)]);
	pvm_ptt_expect_hole(c, base - SZ_4K);
	pvm_ptt_expect_hole(c, base + size);

	/* Punch a 4K hole: only the tables on its path are copied. */
	tables = st.tables;
	if (p->npages == 512 && p->contig) {
		/* It would cut a 2M block: refused. */
		KUNIT_EXPECT_EQ(test, pvm_ptt_unmap(c, hole, SZ_4K), -EINVAL);
		hole &= ~(u64)(SZ_2M - 1);
		KUNIT_EXPECT_EQ(test, pvm_ptt_unmap(c, hole, SZ_2M), 0);
	} else {
		KUNIT_EXPECT_EQ(test, pvm_ptt_unmap(c, hole, SZ_4K), 0);
	}
	pvm_pt_get_stats(&c->pt, &st);
	KUNIT_EXPECT_LE(test, st.tables, tables + 3);
	pvm_ptt_expect_hole(c, hole);
	pvm_ptt_expect(c, hole - SZ_4K, pat[((hole - SZ_4K) >> 12) & (p->npages - 1)]);
	pvm_ptt_expect(c, hole + SZ_2M, pat[((hole + SZ_2M) >> 12) & (p->npages - 1)]);
	for (i = 0; i < ARRAY_SIZE(probes); i++)
		pvm_ptt_expect(c, probes[i], pat[(probes[i] >> 12) & (p->npages - 1)]);

	/* Unmapping it all returns to the root alone. */
	KUNIT_EXPECT_EQ(test, pvm_ptt_unmap(c, base, size), 0);
	pvm_pt_get_stats(&c->pt, &st);
	KUNIT_EXPECT_EQ(test, st.tables, 1);
	KUNIT_EXPECT_EQ(test, st.shared_tables, 0);
	KUNIT_EXPECT_EQ(test, st.bytes_mapped, 0);
	KUNIT_EXPECT_EQ(test, c->mem.live, 1 + pvm_pt_spare_pages(&c->pt));
}

/*
 * Re-sharing: a hole punched into a repeat copies the tables on its path;
 * refilling it with the same pattern and attributes puts the shared
 * tables back, in the refill's own op. The tables it replaces stay live
 * on the free list until it is released (the flush).
 */
struct ptt_reshare_case {
	const char *name;
	u64 hole, size;		/* punched and refilled, from the base */
	u32 npages;		/* pattern pages */
	bool contig;		/* contiguous 2 MiB aligned pattern */
	dma_addr_t other;	/* refill with this page instead, if not 0 */
	u32 flags;		/* refill attributes */
	bool back;		/* the tables return to the shared ones */
};

static const struct ptt_reshare_case ptt_reshare_cases[] = {
	{ "4K hole, one page", SZ_1G + SZ_4K, SZ_4K, 1, false, 0, 0, true },
	{ "64K tile, 16 pages", 5 * SZ_2M + SZ_64K, SZ_64K, 16, false, 0, 0, true },
	{ "two leaves", 9 * SZ_2M - SZ_8K, SZ_16K, 4, false, 0, 0, true },
	{ "2M hole", 3ULL * SZ_1G, SZ_2M, 1, false, 0, 0, true },
	{ "1G hole", 7ULL * SZ_1G, SZ_1G, 2, false, 0, 0, true },
	/* The left end frees the leaf the op shared; the right end needs one. */
	{ "two L2 tables", 5ULL * SZ_1G + SZ_4K, SZ_1G, 1, false, 0, 0, true },
	{ "2M block pattern", 11 * SZ_2M, SZ_2M, 512, true, 0, 0, true },
	{ "other page", SZ_1G + SZ_4K, SZ_4K, 1, false, 0x7000, 0, false },
	{ "read-only", SZ_1G + SZ_4K, SZ_4K, 1, false, 0, PVM_PT_MAP_READONLY,
	  false },
};

KUNIT_ARRAY_PARAM_DESC(ptt_reshare, ptt_reshare_cases, name);

static void pvm_pt_test_reshare(struct kunit *test)
{
	const struct ptt_reshare_case *p = test->param_value;
	struct ptt *c = pvm_ptt_create(test, 48, SZ_4K | SZ_2M, false);
	u64 base = 1ULL << 40, size = 1ULL << 40, va = base + p->hole;
	dma_addr_t *pat, *fill;
	struct pvm_pt_stats st0, st1, st;
	u32 i, freed;

	pat = kunit_kcalloc(test, p->npages, sizeof(*pat), GFP_KERNEL);
	fill = kunit_kcalloc(test, p->npages, sizeof(*pat), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pat);
	KUNIT_ASSERT_NOT_NULL(test, fill);
	for (i = 0; i < p->npages; i++) {
		pat[i] = p->contig ? 0x40000000 + (u64)i * SZ_4K :
			 0x40000000 + (u64)((i * 3) % p->npages) * SZ_4K +
			 (u64)i * SZ_2M;
		fill[i] = p->other ?: pat[i];
	}
	KUNIT_ASSERT_EQ(test, pvm_ptt_repeat(c, base, size, pat, p->npages), 0);
	pvm_pt_get_stats(&c->pt, &st0);
	KUNIT_ASSERT_EQ(test, pvm_ptt_unmap(c, va, p->size), 0);
	pvm_pt_get_stats(&c->pt, &st1);
	KUNIT_EXPECT_GT(test, st1.tables, st0.tables);

	KUNIT_ASSERT_EQ(test, pvm_pt_resv_add(&c->pt, &c->resv, va, p->size,
					      PVM_PT_OP_REPEAT), 0);
	KUNIT_ASSERT_EQ(test, pvm_pt_repeat(&c->pt, &c->resv, &c->fl, va,
					    p->size, fill, p->npages, p->flags), 0);
	KUNIT_EXPECT_EQ(test, pvm_pt_check(&c->pt), 0);
	pvm_pt_get_stats(&c->pt, &st);
	if (p->back) {
		KUNIT_EXPECT_EQ(test, st.tables, st0.tables);
		KUNIT_EXPECT_EQ(test, st.shared_tables, st0.shared_tables);
	} else {
		KUNIT_EXPECT_EQ(test, st.tables, st1.tables);
	}
	KUNIT_EXPECT_EQ(test, st.bytes_mapped, size);
	/* Replaced tables are unlinked, not freed, until the flush. */
	freed = c->fl.count;
	KUNIT_EXPECT_EQ(test, freed ? 1 : 0, p->back ? 1 : 0);
	KUNIT_EXPECT_EQ(test, c->mem.live, st.tables + freed +
			pvm_pt_spare_pages(&c->pt) + pvm_pt_resv_pages(&c->resv));
	pvm_pt_resv_release(&c->pt, &c->resv);
	pvm_pt_free_list_release(&c->pt, &c->fl);

	/* The GPU's view, through the synced device copies, and the CPU's. */
	for (i = 0; i < 4; i++) {
		u64 at = i < 2 ? va + i * (p->size - SZ_4K) :
			 i == 2 ? va - SZ_4K : va + p->size;

		pvm_ptt_expect(c, at, (i < 2 ? fill : pat)[(at >> 12) &
							   (p->npages - 1)]);
	}

	/* Shared again: punching the hole again copies the same way. */
	KUNIT_ASSERT_EQ(test, pvm_ptt_unmap(c, va, p->size), 0);
	KUNIT_EXPECT_EQ(test, pvm_ptt_tables(c), p->back ? st1.tables : st.tables);
	pvm_ptt_expect_hole(c, va);
	KUNIT_EXPECT_EQ(test, pvm_ptt_unmap(c, base, size), 0);
	KUNIT_EXPECT_EQ(test, pvm_ptt_tables(c), 1);
}

/*
 * Non-coherent walker: one sync per table touched, covering what changed,
 * the whole page for a table the op created (it was cleared when linked).
 */
static void pvm_pt_test_noncoherent_sync(struct kunit *test)
{
	struct ptt *c = pvm_ptt_create(test, 48, SZ_4K | SZ_2M, false);
	u64 va = SZ_1G + 16 * SZ_4K;
	u32 i;

	c->mem.nsync = 0;
	KUNIT_ASSERT_EQ(test, pvm_ptt_map(c, va, 0x1000, 16 * SZ_4K, 0), 0);
	/* New L3, L2 and L1 tables whole, then the root entry, leaf first. */
	KUNIT_ASSERT_EQ(test, c->mem.nsync, 4);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, c->mem.sync[i].dma & (SZ_4K - 1), 0);
		KUNIT_EXPECT_EQ(test, c->mem.sync[i].size, SZ_4K);
	}
	KUNIT_EXPECT_EQ(test, c->mem.sync[3].dma & (SZ_4K - 1), 0);
	KUNIT_EXPECT_EQ(test, c->mem.sync[3].size, 8);
	pvm_ptt_expect(c, va + 15 * SZ_4K, 0x1000 + 15 * SZ_4K);
	pvm_ptt_expect_hole(c, va + 16 * SZ_4K);
	pvm_ptt_expect_hole(c, va - SZ_4K);

	/* 8 more pages in the same table: a single 64-byte sync. */
	c->mem.nsync = 0;
	KUNIT_ASSERT_EQ(test, pvm_ptt_map(c, va + 16 * SZ_4K, 0x100000, 8 * SZ_4K, 0), 0);
	KUNIT_ASSERT_EQ(test, c->mem.nsync, 1);
	KUNIT_EXPECT_EQ(test, c->mem.sync[0].size, 64);
	pvm_ptt_expect(c, va + 16 * SZ_4K, 0x100000);

	/* 2 MiB of pages: two new L3 tables and a new L2, whole; an L1 entry. */
	c->mem.nsync = 0;
	KUNIT_ASSERT_EQ(test, pvm_ptt_map(c, SZ_8M + SZ_1M, 0x1000, SZ_2M, 0), 0);
	KUNIT_EXPECT_EQ(test, c->mem.nsync, 4);
	KUNIT_EXPECT_EQ(test, c->mem.sync[0].size, SZ_4K);
	KUNIT_EXPECT_EQ(test, c->mem.sync[1].size, SZ_4K);
	KUNIT_EXPECT_EQ(test, c->mem.sync[2].size, SZ_4K);
	KUNIT_EXPECT_EQ(test, c->mem.sync[3].size, 8);
	pvm_ptt_expect(c, SZ_8M + SZ_1M, 0x1000);
	pvm_ptt_expect(c, SZ_8M + SZ_2M + SZ_1M - SZ_4K, SZ_2M);
	pvm_ptt_expect_hole(c, SZ_8M + SZ_1M - SZ_4K);
	pvm_ptt_expect_hole(c, SZ_8M + SZ_2M + SZ_1M);

	/* Unmap syncs the cleared entries too: the walker sees the hole. */
	c->mem.nsync = 0;
	KUNIT_ASSERT_EQ(test, pvm_ptt_unmap(c, va, SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, c->mem.nsync, 1);
	pvm_ptt_expect_hole(c, va);
}

static struct kunit_case pvm_pt_tables_test_cases[] = {
	KUNIT_CASE_PARAM(pvm_pt_test_resv_count, ptt_resv_gen_params),
	KUNIT_CASE(pvm_pt_test_resv_exact_use),
	KUNIT_CASE(pvm_pt_test_resv_fault_injection),
	KUNIT_CASE(pvm_pt_test_free_after_flush),
	KUNIT_CASE_PARAM(pvm_pt_test_repeat, ptt_repeat_gen_params),
	KUNIT_CASE_PARAM(pvm_pt_test_reshare, ptt_reshare_gen_params),
	KUNIT_CASE(pvm_pt_test_noncoherent_sync),
	{}
};

static struct kunit_suite pvm_pt_tables_test_suite = {
	.name = "pvm_pt_tables",
	.test_cases = pvm_pt_tables_test_cases,
};

kunit_test_suite(pvm_pt_tables_test_suite);
