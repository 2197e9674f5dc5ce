// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

/**
 * DOC: Page table KUnit tests
 *
 * The table runs on test memory callbacks that keep, for every table page,
 * the CPU copy and a separate device copy that only sync_for_device
 * updates, as a non-coherent walker sees it. A hardware-style walker
 * decodes descriptors from the device copy starting at the root's bus
 * address, so the tests check what the GPU would see, not the shadow.
 * Allocation failures are injected in the table allocation callback.
 *
 * pvm_pt_test.c holds that harness and the "pvm_pt" suite: geometry, map
 * and unmap, overlaps and the pattern phase of repeat, checked through the
 * translations. pvm_pt_test_tables.c ("pvm_pt_tables") checks the table
 * pages behind them: reservation sizes, allocation failures, deferred
 * freeing, sharing and syncs. pvm_pt_test_gpu.c ("pvm_pt_gpu") checks the
 * descriptor bits and lets the software GPU walk a table.
 */

#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "../pvm_pt.h"
#include "../pvm_regs.h"
#include "pvm_pt_test.h"

#define PTT_DMA_BASE	0x400000000000ULL

/**
 * pvm_ptt_page() - the test page behind the bus address of a table
 * @m: test memory
 * @dma: bus address
 *
 * Return: the page, or NULL when @dma is not that of a live table page.
 */
struct ptt_page *pvm_ptt_page(struct ptt_mem *m, dma_addr_t dma)
{
	if (dma < PTT_DMA_BASE || (dma & (SZ_4K - 1)))
		return NULL;
	return xa_load(&m->pages, (dma - PTT_DMA_BASE) >> PAGE_SHIFT);
}

static void *ptt_alloc(void *priv, dma_addr_t *dma)
{
	struct ptt_mem *m = priv;
	struct ptt_page *p;
	u64 idx = ++m->allocs;

	if (m->fail_at && idx == m->fail_at)
		return NULL;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return NULL;
	p->cpu = (u64 *)__get_free_page(GFP_KERNEL);
	p->dev = m->coherent ? p->cpu : (u64 *)__get_free_page(GFP_KERNEL);
	if (!p->cpu || !p->dev || xa_err(xa_store(&m->pages, idx, p, GFP_KERNEL))) {
		free_page((unsigned long)p->cpu);
		if (!m->coherent)
			free_page((unsigned long)p->dev);
		kfree(p);
		return NULL;
	}
	/*
	 * Table pages come uncleared: fill both views with valid-looking
	 * descriptors, so that a table linked before it was cleared, or
	 * cleared but not synced, shows.
	 */
	memset(p->cpu, PVM_PT_TEST_GARBAGE, PAGE_SIZE);
	if (!m->coherent)
		memset(p->dev, PVM_PT_TEST_GARBAGE, PAGE_SIZE);
	m->live++;
	*dma = PTT_DMA_BASE + (idx << PAGE_SHIFT);
	return p->cpu;
}

static void ptt_free(void *priv, void *cpu, dma_addr_t dma)
{
	struct ptt_mem *m = priv;
	struct ptt_page *p = pvm_ptt_page(m, dma);

	if (WARN_ON(!p || p->cpu != cpu))
		return;
	xa_erase(&m->pages, (dma - PTT_DMA_BASE) >> PAGE_SHIFT);
	free_page((unsigned long)p->cpu);
	if (!m->coherent)
		free_page((unsigned long)p->dev);
	kfree(p);
	m->live--;
	m->frees++;
}

static void ptt_sync(void *priv, dma_addr_t dma, size_t size)
{
	struct ptt_mem *m = priv;
	struct ptt_page *p = pvm_ptt_page(m, dma & ~(dma_addr_t)(SZ_4K - 1));
	size_t off = dma & (SZ_4K - 1);

	if (WARN_ON(m->coherent || !p || off + size > SZ_4K))
		return;
	memcpy((u8 *)p->dev + off, (u8 *)p->cpu + off, size);
	if (m->nsync < ARRAY_SIZE(m->sync)) {
		m->sync[m->nsync].dma = dma;
		m->sync[m->nsync].size = size;
	}
	m->nsync++;
}

static const struct pvm_pt_mem_ops ptt_ops = {
	.alloc_table = ptt_alloc,
	.free_table = ptt_free,
	.sync_for_device = ptt_sync,
};

static void ptt_exit(void *data)
{
	struct ptt *c = data;

	pvm_pt_resv_release(&c->pt, &c->resv);
	pvm_pt_free_list_release(&c->pt, &c->fl);
	pvm_pt_fini(&c->pt);
	xa_destroy(&c->mem.pages);
}

/**
 * pvm_ptt_create() - an empty page table on test memory
 * @test: the test, which frees it all when it ends
 * @va_bits: input address size
 * @pgsizes: leaf sizes allowed
 * @coherent: the walker is coherent; otherwise only sync_for_device
 *	      updates the device copy
 *
 * Return: the context; a failure aborts the test.
 */
struct ptt *pvm_ptt_create(struct kunit *test, u32 va_bits, u64 pgsizes,
			   bool coherent)
{
	struct pvm_pt_config cfg = {
		.va_bits = va_bits,
		.pa_bits = 48,
		.pgsize_bitmap = pgsizes,
		.coherent = coherent,
		.ops = &ptt_ops,
	};
	struct ptt *c;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	c->test = test;
	xa_init(&c->mem.pages);
	c->mem.coherent = coherent;
	cfg.priv = &c->mem;
	KUNIT_ASSERT_EQ(test, pvm_pt_init(&c->pt, &cfg), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ptt_exit, c), 0);
	return c;
}

/**
 * pvm_ptt_walk() - translate an address the way the GPU does
 * @c: test context
 * @va: address
 * @out: output address
 * @leaf: size of the leaf that translates @va (may be NULL)
 *
 * Walks the device copy of the tables, from the root's bus address.
 *
 * Return: 0; -ERANGE beyond va_bits; -ENOENT for a translation fault;
 * -EFAULT for a walk into a page that is not a table; -EIO for a bad
 * descriptor.
 */
int pvm_ptt_walk(struct ptt *c, u64 va, u64 *out, u64 *leaf)
{
	u32 levels = DIV_ROUND_UP(c->pt.cfg.va_bits - 12, 9);
	dma_addr_t table = pvm_pt_root_dma(&c->pt);
	u32 lvl;

	if (va >> c->pt.cfg.va_bits)
		return -ERANGE;
	for (lvl = 4 - levels; lvl < 4; lvl++) {
		struct ptt_page *p = pvm_ptt_page(&c->mem, table);
		u64 size = BIT_ULL(PVM_PT_LEVEL_SHIFT(lvl)), desc;

		if (!p)
			return -EFAULT;
		desc = p->dev[(va >> PVM_PT_LEVEL_SHIFT(lvl)) & 511];
		if (!(desc & PVM_PTE_VALID))
			return -ENOENT;
		if (lvl < 3 && (desc & PVM_PTE_TYPE_MASK) == PVM_PTE_TYPE_TABLE) {
			table = desc & PVM_PTE_ADDR;
			continue;
		}
		if (lvl == 0 || !(desc & PVM_PTE_AF) || !(desc & PVM_PTE_AP_UNPRIV) ||
		    (lvl == 3 && (desc & PVM_PTE_TYPE_MASK) != PVM_PTE_TYPE_PAGE))
			return -EIO;
		*out = (desc & PVM_PTE_ADDR & ~(size - 1)) | (va & (size - 1));
		if (leaf)
			*leaf = size;
		return 0;
	}
	return -EIO;
}

/**
 * pvm_ptt_expect() - expect an address to translate to @want
 * @c: test context
 * @va: address
 * @want: expected output address
 *
 * The GPU's view (pvm_ptt_walk()) and pvm_pt_iova_to_phys() must agree.
 */
void pvm_ptt_expect(struct ptt *c, u64 va, dma_addr_t want)
{
	struct kunit *test = c->test;
	dma_addr_t dma = 0;
	u64 hw = 0;

	KUNIT_EXPECT_EQ_MSG(test, pvm_pt_iova_to_phys(&c->pt, va, &dma, NULL), 0,
			    "va %llx", va);
	KUNIT_EXPECT_EQ_MSG(test, dma, want, "va %llx", va);
	KUNIT_EXPECT_EQ_MSG(test, pvm_ptt_walk(c, va, &hw, NULL), 0, "va %llx", va);
	KUNIT_EXPECT_EQ_MSG(test, hw, want, "va %llx", va);
}

/**
 * pvm_ptt_expect_hole() - expect an address not to be mapped
 * @c: test context
 * @va: address
 *
 * Both the GPU's view and pvm_pt_iova_to_phys() must find no translation.
 */
void pvm_ptt_expect_hole(struct ptt *c, u64 va)
{
	dma_addr_t dma;
	u64 hw;

	KUNIT_EXPECT_EQ_MSG(c->test, pvm_pt_iova_to_phys(&c->pt, va, &dma, NULL),
			    -ENOENT, "va %llx", va);
	KUNIT_EXPECT_EQ_MSG(c->test, pvm_ptt_walk(c, va, &hw, NULL), -ENOENT,
			    "va %llx", va);
}

/* All zero, or all as allocated: a page no op has written a descriptor in. */
static bool ptt_unlinked_looking(const u64 *page)
{
	return !memchr_inv(page, 0, PAGE_SIZE) ||
	       !memchr_inv(page, PVM_PT_TEST_GARBAGE, PAGE_SIZE);
}

/**
 * pvm_ptt_hash() - hash of the table pages in use, CPU and device copies
 * @c: test context
 *
 * Return: the hash, equal before and after an op that changed nothing.
 */
u64 pvm_ptt_hash(struct ptt *c)
{
	struct ptt_page *p;
	unsigned long idx;
	u64 h = 14695981039346656037ULL;
	u32 i;

	xa_for_each(&c->mem.pages, idx, p) {
		/*
		 * Pages never linked (spare tables, uncleared or cleared)
		 * translate nothing: only the bytes of the others count.
		 */
		if (ptt_unlinked_looking(p->cpu) && ptt_unlinked_looking(p->dev))
			continue;
		for (i = 0; i < 512; i++) {
			h = (h ^ p->cpu[i] ^ idx) * 1099511628211ULL;
			h = (h ^ p->dev[i]) * 1099511628211ULL;
		}
	}
	return h;
}

/**
 * pvm_ptt_tables() - tables in the tree
 * @c: test context
 *
 * Return: &pvm_pt_stats.tables.
 */
u64 pvm_ptt_tables(struct ptt *c)
{
	struct pvm_pt_stats st;

	pvm_pt_get_stats(&c->pt, &st);
	return st.tables;
}

/**
 * pvm_ptt_map() - reserve for, run and check one pvm_pt_map() of one range
 * @c: test context
 * @va: first byte
 * @dma: bus address of the range
 * @size: length
 * @flags: PVM_PT_MAP_* attributes
 *
 * Expects the op to add no more tables than pvm_pt_op_pages() and to
 * leave a consistent tree, then releases the reservation and free list.
 *
 * Return: what pvm_pt_map() returned.
 */
int pvm_ptt_map(struct ptt *c, u64 va, dma_addr_t dma, u64 size, u32 flags)
{
	struct pvm_pt_range r = { .dma = dma, .size = size };
	u32 need = pvm_pt_op_pages(&c->pt, va, size, PVM_PT_OP_MAP);
	u64 before = pvm_ptt_tables(c);
	int ret;

	KUNIT_ASSERT_EQ(c->test, pvm_pt_resv_add(&c->pt, &c->resv, va, size,
						 PVM_PT_OP_MAP), 0);
	ret = pvm_pt_map(&c->pt, &c->resv, &c->fl, va, &r, 1, flags);
	KUNIT_EXPECT_LE(c->test, pvm_ptt_tables(c), before + need);
	KUNIT_EXPECT_EQ(c->test, pvm_pt_check(&c->pt), 0);
	pvm_pt_resv_release(&c->pt, &c->resv);
	pvm_pt_free_list_release(&c->pt, &c->fl);
	return ret;
}

/**
 * pvm_ptt_unmap() - reserve for, run and check one pvm_pt_unmap()
 * @c: test context
 * @va: first byte
 * @size: length
 *
 * As pvm_ptt_map().
 *
 * Return: what pvm_pt_unmap() returned.
 */
int pvm_ptt_unmap(struct ptt *c, u64 va, u64 size)
{
	u32 need = pvm_pt_op_pages(&c->pt, va, size, PVM_PT_OP_UNMAP);
	u64 before = pvm_ptt_tables(c);
	int ret;

	KUNIT_ASSERT_EQ(c->test, pvm_pt_resv_add(&c->pt, &c->resv, va, size,
						 PVM_PT_OP_UNMAP), 0);
	ret = pvm_pt_unmap(&c->pt, &c->resv, &c->fl, va, size);
	KUNIT_EXPECT_LE(c->test, pvm_ptt_tables(c), before + need);
	KUNIT_EXPECT_EQ(c->test, pvm_pt_check(&c->pt), 0);
	pvm_pt_resv_release(&c->pt, &c->resv);
	pvm_pt_free_list_release(&c->pt, &c->fl);
	return ret;
}

/**
 * pvm_ptt_repeat() - reserve for, run and check one pvm_pt_repeat()
 * @c: test context
 * @va: first byte
 * @size: length
 * @pat: bus addresses of the pattern pages
 * @n: number of pattern pages
 *
 * As pvm_ptt_map(), with no attributes.
 *
 * Return: what pvm_pt_repeat() returned.
 */
int pvm_ptt_repeat(struct ptt *c, u64 va, u64 size, const dma_addr_t *pat,
		   u32 n)
{
	u32 need = pvm_pt_op_pages(&c->pt, va, size, PVM_PT_OP_REPEAT);
	u64 before = pvm_ptt_tables(c);
	int ret;

	KUNIT_ASSERT_EQ(c->test, pvm_pt_resv_add(&c->pt, &c->resv, va, size,
						 PVM_PT_OP_REPEAT), 0);
	ret = pvm_pt_repeat(&c->pt, &c->resv, &c->fl, va, size, pat, n, 0);
	KUNIT_EXPECT_LE(c->test, pvm_ptt_tables(c), before + need);
	KUNIT_EXPECT_EQ(c->test, pvm_pt_check(&c->pt), 0);
	pvm_pt_resv_release(&c->pt, &c->resv);
	pvm_pt_free_list_release(&c->pt, &c->fl);
	return ret;
}

struct ptt_count {
	u64 leaves[3];	/* 4K, 2M, 1G */
};

static int ptt_count_cb(void *priv, const struct pvm_pt_mapping *m)
{
	struct ptt_count *cnt = priv;
	u32 i = m->leaf_size_log2 == 30 ? 2 : m->leaf_size_log2 == 21 ? 1 : 0;

	cnt->leaves[i] += m->size >> m->leaf_size_log2;
	return 0;
}

/* pvm_pt_init(): geometry checks and start level. */
struct ptt_init_case {
	const char *name;
	u32 va_bits, pa_bits;
	u64 pgsizes;
	int ret;
	u32 start_level;
};

static const struct ptt_init_case ptt_init_cases[] = {
	{ "48-bit", 48, 48, SZ_4K | SZ_2M, 0, 0 },
	{ "39-bit", 39, 40, SZ_4K | SZ_2M, 0, 1 },
	{ "32-bit", 32, 40, SZ_4K | SZ_2M, 0, 1 },
	{ "40-bit", 40, 40, SZ_4K | SZ_2M | SZ_1G, 0, 0 },
	{ "30-bit", 30, 40, SZ_4K, 0, 2 },
	{ "49-bit", 49, 48, SZ_4K | SZ_2M, -EINVAL, 0 },
	{ "pa 52", 48, 52, SZ_4K | SZ_2M, -EINVAL, 0 },
	{ "no 4K", 48, 48, SZ_2M, -EINVAL, 0 },
	{ "64K", 48, 48, SZ_4K | SZ_64K, -EINVAL, 0 },
};

KUNIT_ARRAY_PARAM_DESC(ptt_init, ptt_init_cases, name);

static void pvm_pt_test_init(struct kunit *test)
{
	const struct ptt_init_case *p = test->param_value;
	struct pvm_pt_config cfg = {
		.va_bits = p->va_bits,
		.pa_bits = p->pa_bits,
		.pgsize_bitmap = p->pgsizes,
		.coherent = true,
		.ops = &ptt_ops,
	};
	struct ptt_mem *mem;
	struct pvm_pt pt;

	/* Heap, not stack: struct ptt_mem records sync calls. */
	mem = kunit_kzalloc(test, sizeof(*mem), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mem);
	mem->coherent = true;
	cfg.priv = mem;
	xa_init(&mem->pages);
	KUNIT_ASSERT_EQ(test, pvm_pt_init(&pt, &cfg), p->ret);
	if (!p->ret) {
		KUNIT_EXPECT_EQ(test, pt.start_level, p->start_level);
		KUNIT_EXPECT_EQ(test, mem->live, 1);
		KUNIT_EXPECT_EQ(test, pvm_pt_check(&pt), 0);
	}
	pvm_pt_fini(&pt);
	KUNIT_EXPECT_EQ(test, mem->live, 0);
	xa_destroy(&mem->pages);
}

/* Map and exact unmap over sizes and alignments of VA and DMA. */
struct ptt_map_case {
	const char *name;
	u32 va_bits;
	u64 pgsizes;
	u64 va, dma, size;
	u64 pages, blocks_2m, blocks_1g;
};

static const struct ptt_map_case ptt_map_cases[] = {
	{ "4K", 48, SZ_4K | SZ_2M, 0x1000, 0x80000000, SZ_4K, 1, 0, 0 },
	{ "2M aligned", 48, SZ_4K | SZ_2M, SZ_2M, 0x80000000, SZ_2M, 0, 1, 0 },
	{ "2M no 2M pgsize", 48, SZ_4K, SZ_2M, 0x80000000, SZ_2M, 512, 0, 0 },
	{ "2M VA misaligned", 48, SZ_4K | SZ_2M, SZ_2M + SZ_4K, 0x80000000, SZ_2M, 512, 0, 0 },
	{ "2M DMA misaligned", 48, SZ_4K | SZ_2M, SZ_2M, 0x80001000, SZ_2M, 512, 0, 0 },
	{ "4K+2M+4K", 48, SZ_4K | SZ_2M, SZ_2M - SZ_4K, 0x801ff000, SZ_2M + 2 * SZ_4K, 2, 1, 0 },
	{ "6M", 48, SZ_4K | SZ_2M, SZ_4M, 0x80000000, 3 * SZ_2M, 0, 3, 0 },
	{ "1G as 2M", 48, SZ_4K | SZ_2M, SZ_1G, 0x80000000, SZ_1G, 0, 512, 0 },
	{ "1G block", 48, SZ_4K | SZ_2M | SZ_1G, SZ_1G, 0x80000000, SZ_1G, 0, 0, 1 },
	{ "1G+2M+4K mix", 48, SZ_4K | SZ_2M | SZ_1G, SZ_1G - SZ_2M - SZ_4K,
	  0xbfdff000, SZ_1G + 2 * SZ_2M + 2 * SZ_4K, 2, 2, 1 },
	{ "across 512G", 48, SZ_4K | SZ_2M, (1ULL << 39) - SZ_4M, 0x80000000, SZ_8M, 0, 4, 0 },
	{ "39-bit top", 39, SZ_4K | SZ_2M, (1ULL << 39) - SZ_2M - SZ_8K, 0x1000,
	  SZ_2M + SZ_8K, 514, 0, 0 },
	{ "32-bit top", 32, SZ_4K | SZ_2M, (1ULL << 32) - SZ_4M, 0x80000000, SZ_4M, 0, 2, 0 },
	{ "32-bit 1G root block", 32, SZ_4K | SZ_2M | SZ_1G, SZ_1G, SZ_1G, SZ_1G, 0, 0, 1 },
};

KUNIT_ARRAY_PARAM_DESC(ptt_map, ptt_map_cases, name);

static void pvm_pt_test_map_unmap(struct kunit *test)
{
	const struct ptt_map_case *p = test->param_value;
	struct ptt *c = pvm_ptt_create(test, p->va_bits, p->pgsizes, true);
	struct ptt_count cnt = {};
	struct pvm_pt_stats st;
	u64 off, step;

	KUNIT_ASSERT_EQ(test, pvm_ptt_map(c, p->va, p->dma, p->size, 0), 0);
	KUNIT_EXPECT_EQ(test, pvm_pt_for_each(&c->pt, 0, BIT_ULL(p->va_bits),
					      ptt_count_cb, &cnt), 0);
	KUNIT_EXPECT_EQ(test, cnt.leaves[0], p->pages);
	KUNIT_EXPECT_EQ(test, cnt.leaves[1], p->blocks_2m);
	KUNIT_EXPECT_EQ(test, cnt.leaves[2], p->blocks_1g);
	pvm_pt_get_stats(&c->pt, &st);
	KUNIT_EXPECT_EQ(test, st.bytes_mapped, p->size);

	step = p->size > SZ_8M ? SZ_1M - SZ_4K : SZ_4K;
	for (off = 0; off < p->size; off += step)
		pvm_ptt_expect(c, p->va + off, p->dma + off);
	pvm_ptt_expect(c, p->va + p->size - SZ_4K, p->dma + p->size - SZ_4K);
	if (p->va)
		pvm_ptt_expect_hole(c, p->va - SZ_4K);
	if (p->va + p->size < BIT_ULL(p->va_bits))
		pvm_ptt_expect_hole(c, p->va + p->size);

	KUNIT_EXPECT_EQ(test, pvm_ptt_unmap(c, p->va, p->size), 0);
	pvm_pt_get_stats(&c->pt, &st);
	KUNIT_EXPECT_EQ(test, st.bytes_mapped, 0);
	KUNIT_EXPECT_EQ(test, st.tables, 1);
	KUNIT_EXPECT_EQ(test, c->mem.live, 1 + pvm_pt_spare_pages(&c->pt));
	pvm_ptt_expect_hole(c, p->va);
}

/* Blocks and pages side by side; a block cannot be unmapped in part. */
static void pvm_pt_test_partial_block_unmap(struct kunit *test)
{
	struct ptt *c = pvm_ptt_create(test, 48, SZ_4K | SZ_2M, false);
	static const struct { u64 va, size; } bad[] = {
		{ SZ_2M, SZ_4K },
		{ SZ_2M + SZ_1M, SZ_4K },
		{ SZ_4M - SZ_4K, SZ_4K },
		{ SZ_2M - SZ_4K, SZ_8K },
		{ SZ_2M + SZ_4K, SZ_2M },
		{ 0, SZ_2M + SZ_4K },
	};
	struct pvm_pt_stats before, after;
	u64 hash;
	u32 i;

	/* 4K pages in [1M, 2M), a block in [2M, 4M), pages in [4M, 5M). */
	KUNIT_ASSERT_EQ(test, pvm_ptt_map(c, SZ_1M, 0x10100000, 4 * SZ_1M, 0), 0);
	pvm_ptt_expect(c, SZ_2M - SZ_4K, 0x101ff000);
	pvm_ptt_expect(c, SZ_2M, 0x10200000);
	pvm_ptt_expect(c, SZ_4M - SZ_4K, 0x103ff000);
	pvm_ptt_expect(c, SZ_4M, 0x10400000);

	pvm_pt_get_stats(&c->pt, &before);
	hash = pvm_ptt_hash(c);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test, pvm_ptt_unmap(c, bad[i].va, bad[i].size),
				    -EINVAL, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, pvm_ptt_hash(c), hash, "case %u", i);
	}
	pvm_pt_get_stats(&c->pt, &after);
	KUNIT_EXPECT_EQ(test, after.bytes_mapped, before.bytes_mapped);
	KUNIT_EXPECT_EQ(test, after.tables, before.tables);

	/* Exact unmap of the block and of a page next to it works. */
	KUNIT_EXPECT_EQ(test, pvm_ptt_unmap(c, SZ_2M - SZ_4K, SZ_2M + SZ_4K), 0);
	pvm_ptt_expect_hole(c, SZ_2M);
	pvm_ptt_expect_hole(c, SZ_2M - SZ_4K);
	pvm_ptt_expect(c, SZ_2M - SZ_8K, 0x101fe000);
	pvm_ptt_expect(c, SZ_4M, 0x10400000);
}

/* Mapping over something present fails and leaves every byte as it was. */
static void pvm_pt_test_map_overlap(struct kunit *test)
{
	struct ptt *c = pvm_ptt_create(test, 48, SZ_4K | SZ_2M, false);
	struct pvm_pt_stats st;
	u64 hash;

	KUNIT_ASSERT_EQ(test, pvm_ptt_map(c, SZ_1G + SZ_8M, 0x200000, SZ_4K, 0), 0);
	pvm_pt_get_stats(&c->pt, &st);
	hash = pvm_ptt_hash(c);
	/* Maps 8 MiB of pages first, then meets the page: all undone. */
	KUNIT_EXPECT_EQ(test, pvm_ptt_map(c, SZ_1G - SZ_4K, 0x400000, SZ_16M, 0),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, pvm_ptt_hash(c), hash);
	KUNIT_EXPECT_EQ(test, pvm_ptt_tables(c), st.tables);
	pvm_ptt_expect_hole(c, SZ_1G);
	pvm_ptt_expect(c, SZ_1G + SZ_8M, 0x200000);
	KUNIT_EXPECT_EQ(test, pvm_ptt_map(c, 0, 0x400000, SZ_4K, 0), 0);
	KUNIT_EXPECT_EQ(test, pvm_ptt_map(c, 0, 0x400000, SZ_4K, 0), -EEXIST);
}

/* The pattern phase follows the VA, not the start of the op. */
static void pvm_pt_test_repeat_phase(struct kunit *test)
{
	struct ptt *c = pvm_ptt_create(test, 39, SZ_4K | SZ_2M, true);
	dma_addr_t pat[4] = { 0x10000, 0x30000, 0x20000, 0x50000 };
	u64 va = SZ_1G + 3 * SZ_4K, off;

	KUNIT_ASSERT_EQ(test, pvm_ptt_repeat(c, va, SZ_4M, pat, 4), 0);
	for (off = 0; off < SZ_4M; off += SZ_4K * 37)
		pvm_ptt_expect(c, va + off, pat[((va + off) >> 12) & 3]);
	/* Mapping over part of it is refused; unmapping the middle works. */
	KUNIT_EXPECT_EQ(test, pvm_ptt_map(c, va + SZ_2M, 0x1000, SZ_4K, 0), -EEXIST);
	KUNIT_EXPECT_EQ(test, pvm_ptt_unmap(c, va + SZ_4K, SZ_2M), 0);
	pvm_ptt_expect(c, va, pat[3]);
	pvm_ptt_expect_hole(c, va + SZ_4K);
	pvm_ptt_expect(c, va + SZ_2M + SZ_4K, pat[((va + SZ_2M + SZ_4K) >> 12) & 3]);
}

/* Input size: 32/39/48-bit tables map their top page and refuse beyond. */
static const u32 ptt_va_bits[] = { 32, 39, 48 };

static void ptt_va_bits_desc(const u32 *v, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%u-bit", *v);
}

KUNIT_ARRAY_PARAM(ptt_va, ptt_va_bits, ptt_va_bits_desc);

static void pvm_pt_test_va_bits(struct kunit *test)
{
	u32 bits = *(const u32 *)test->param_value;
	struct ptt *c = pvm_ptt_create(test, bits, SZ_4K | SZ_2M, false);
	u64 top = BIT_ULL(bits);
	struct pvm_pt_range r = { .dma = 0x1000, .size = SZ_4K };

	KUNIT_EXPECT_EQ(test, pvm_ptt_map(c, top - SZ_4K, 0x1000, SZ_4K, 0), 0);
	KUNIT_EXPECT_EQ(test, pvm_ptt_map(c, 0, 0x5000, SZ_4K, 0), 0);
	pvm_ptt_expect(c, top - SZ_4K, 0x1000);
	pvm_ptt_expect(c, 0, 0x5000);
	KUNIT_EXPECT_EQ(test, pvm_pt_op_pages(&c->pt, top, SZ_4K, PVM_PT_OP_MAP), 0);
	KUNIT_EXPECT_EQ(test, pvm_pt_map(&c->pt, NULL, &c->fl, top, &r, 1, 0),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, pvm_pt_map(&c->pt, NULL, &c->fl, top - SZ_4K, &r,
					 1, 0), -EEXIST);
	r.dma = BIT_ULL(48);
	KUNIT_EXPECT_EQ(test, pvm_pt_map(&c->pt, NULL, &c->fl, SZ_1M, &r, 1, 0),
			-ERANGE);
	r.dma = 0x800;
	KUNIT_EXPECT_EQ(test, pvm_pt_map(&c->pt, NULL, &c->fl, SZ_1M, &r, 1, 0),
			-EINVAL);
	/* Below 40 bits the root is level 1: two L2 and two L3 tables. */
	KUNIT_EXPECT_EQ(test, pvm_ptt_tables(c), bits == 48 ? 7 : 5);
	KUNIT_EXPECT_EQ(test, pvm_ptt_unmap(c, 0, top), 0);
	KUNIT_EXPECT_EQ(test, pvm_ptt_tables(c), 1);
}

static struct kunit_case pvm_pt_test_cases[] = {
	KUNIT_CASE_PARAM(pvm_pt_test_init, ptt_init_gen_params),
	KUNIT_CASE_PARAM(pvm_pt_test_map_unmap, ptt_map_gen_params),
	KUNIT_CASE(pvm_pt_test_partial_block_unmap),
	KUNIT_CASE(pvm_pt_test_map_overlap),
	KUNIT_CASE(pvm_pt_test_repeat_phase),
	KUNIT_CASE_PARAM(pvm_pt_test_va_bits, ptt_va_gen_params),
	{}
};

static struct kunit_suite pvm_pt_test_suite = {
	.name = "pvm_pt",
	.test_cases = pvm_pt_test_cases,
};

kunit_test_suite(pvm_pt_test_suite);
