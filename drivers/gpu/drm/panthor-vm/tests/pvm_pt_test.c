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
 */

#include <kunit/test.h>
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "../pvm_device.h"
#include "../pvm_mmu.h"
#include "../pvm_pt.h"
#include "../pvm_regs.h"
#include "../pvm_sim.h"

#define PTT_DMA_BASE	0x400000000000ULL

struct ptt_page {
	u64 *cpu;
	u64 *dev;
};

struct ptt_sync {
	dma_addr_t dma;
	size_t size;
};

struct ptt_mem {
	struct xarray pages;
	bool coherent;
	u64 allocs;
	u64 frees;
	u64 live;
	u64 fail_at;
	u32 nsync;
	struct ptt_sync sync[32];
};

static struct ptt_page *ptt_page(struct ptt_mem *m, dma_addr_t dma)
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
	p->cpu = (u64 *)get_zeroed_page(GFP_KERNEL);
	p->dev = m->coherent ? p->cpu : (u64 *)get_zeroed_page(GFP_KERNEL);
	if (!p->cpu || !p->dev || xa_err(xa_store(&m->pages, idx, p, GFP_KERNEL))) {
		free_page((unsigned long)p->cpu);
		if (!m->coherent)
			free_page((unsigned long)p->dev);
		kfree(p);
		return NULL;
	}
	m->live++;
	*dma = PTT_DMA_BASE + (idx << PAGE_SHIFT);
	return p->cpu;
}

static void ptt_free(void *priv, void *cpu, dma_addr_t dma)
{
	struct ptt_mem *m = priv;
	struct ptt_page *p = ptt_page(m, dma);

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
	struct ptt_page *p = ptt_page(m, dma & ~(dma_addr_t)(SZ_4K - 1));
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

struct ptt {
	struct kunit *test;
	struct ptt_mem mem;
	struct pvm_pt pt;
	struct pvm_pt_resv resv;
	struct pvm_pt_free_list fl;
};

static void ptt_exit(void *data)
{
	struct ptt *c = data;

	pvm_pt_resv_release(&c->pt, &c->resv);
	pvm_pt_free_list_release(&c->pt, &c->fl);
	pvm_pt_fini(&c->pt);
	xa_destroy(&c->mem.pages);
}

static struct ptt *ptt_create(struct kunit *test, u32 va_bits, u64 pgsizes,
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

/* Translate @va the way the GPU does, from the device copy of the tables. */
static int ptt_walk(struct ptt *c, u64 va, u64 *out, u64 *leaf)
{
	u32 levels = DIV_ROUND_UP(c->pt.cfg.va_bits - 12, 9);
	dma_addr_t table = pvm_pt_root_dma(&c->pt);
	u32 lvl;

	if (va >> c->pt.cfg.va_bits)
		return -ERANGE;
	for (lvl = 4 - levels; lvl < 4; lvl++) {
		struct ptt_page *p = ptt_page(&c->mem, table);
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

/* The GPU's view and pvm_pt_iova_to_phys() agree at @va, and give @want. */
static void ptt_expect(struct ptt *c, u64 va, dma_addr_t want)
{
	struct kunit *test = c->test;
	dma_addr_t dma = 0;
	u64 hw = 0;

	KUNIT_EXPECT_EQ_MSG(test, pvm_pt_iova_to_phys(&c->pt, va, &dma, NULL), 0,
			    "va %llx", va);
	KUNIT_EXPECT_EQ_MSG(test, dma, want, "va %llx", va);
	KUNIT_EXPECT_EQ_MSG(test, ptt_walk(c, va, &hw, NULL), 0, "va %llx", va);
	KUNIT_EXPECT_EQ_MSG(test, hw, want, "va %llx", va);
}

static void ptt_expect_hole(struct ptt *c, u64 va)
{
	dma_addr_t dma;
	u64 hw;

	KUNIT_EXPECT_EQ_MSG(c->test, pvm_pt_iova_to_phys(&c->pt, va, &dma, NULL),
			    -ENOENT, "va %llx", va);
	KUNIT_EXPECT_EQ_MSG(c->test, ptt_walk(c, va, &hw, NULL), -ENOENT,
			    "va %llx", va);
}

/* Hash of every table page, CPU and device copies, to prove "unchanged". */
static u64 ptt_hash(struct ptt *c)
{
	struct ptt_page *p;
	unsigned long idx;
	u64 h = 14695981039346656037ULL;
	u32 i;

	xa_for_each(&c->mem.pages, idx, p) {
		for (i = 0; i < 512; i++) {
			h = (h ^ p->cpu[i] ^ idx) * 1099511628211ULL;
			h = (h ^ p->dev[i]) * 1099511628211ULL;
		}
	}
	return h;
}

static u64 ptt_tables(struct ptt *c)
{
	struct pvm_pt_stats st;

	pvm_pt_get_stats(&c->pt, &st);
	return st.tables;
}

static int ptt_map(struct ptt *c, u64 va, dma_addr_t dma, u64 size, u32 flags)
{
	struct pvm_pt_range r = { .dma = dma, .size = size };
	u32 need = pvm_pt_op_pages(&c->pt, va, size, PVM_PT_OP_MAP);
	u64 before = ptt_tables(c);
	int ret;

	KUNIT_ASSERT_EQ(c->test, pvm_pt_resv_add(&c->pt, &c->resv, va, size,
						 PVM_PT_OP_MAP), 0);
	ret = pvm_pt_map(&c->pt, &c->resv, &c->fl, va, &r, 1, flags);
	KUNIT_EXPECT_LE(c->test, ptt_tables(c), before + need);
	KUNIT_EXPECT_EQ(c->test, pvm_pt_check(&c->pt), 0);
	pvm_pt_resv_release(&c->pt, &c->resv);
	pvm_pt_free_list_release(&c->pt, &c->fl);
	return ret;
}

static int ptt_unmap(struct ptt *c, u64 va, u64 size)
{
	u32 need = pvm_pt_op_pages(&c->pt, va, size, PVM_PT_OP_UNMAP);
	u64 before = ptt_tables(c);
	int ret;

	KUNIT_ASSERT_EQ(c->test, pvm_pt_resv_add(&c->pt, &c->resv, va, size,
						 PVM_PT_OP_UNMAP), 0);
	ret = pvm_pt_unmap(&c->pt, &c->resv, &c->fl, va, size);
	KUNIT_EXPECT_LE(c->test, ptt_tables(c), before + need);
	KUNIT_EXPECT_EQ(c->test, pvm_pt_check(&c->pt), 0);
	pvm_pt_resv_release(&c->pt, &c->resv);
	pvm_pt_free_list_release(&c->pt, &c->fl);
	return ret;
}

static int ptt_repeat(struct ptt *c, u64 va, u64 size, const dma_addr_t *pat,
		      u32 n)
{
	u32 need = pvm_pt_op_pages(&c->pt, va, size, PVM_PT_OP_REPEAT);
	u64 before = ptt_tables(c);
	int ret;

	KUNIT_ASSERT_EQ(c->test, pvm_pt_resv_add(&c->pt, &c->resv, va, size,
						 PVM_PT_OP_REPEAT), 0);
	ret = pvm_pt_repeat(&c->pt, &c->resv, &c->fl, va, size, pat, n, 0);
	KUNIT_EXPECT_LE(c->test, ptt_tables(c), before + need);
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
	struct ptt *c = ptt_create(test, p->va_bits, p->pgsizes, true);
	struct ptt_count cnt = {};
	struct pvm_pt_stats st;
	u64 off, step;

	KUNIT_ASSERT_EQ(test, ptt_map(c, p->va, p->dma, p->size, 0), 0);
	KUNIT_EXPECT_EQ(test, pvm_pt_for_each(&c->pt, 0, BIT_ULL(p->va_bits),
					      ptt_count_cb, &cnt), 0);
	KUNIT_EXPECT_EQ(test, cnt.leaves[0], p->pages);
	KUNIT_EXPECT_EQ(test, cnt.leaves[1], p->blocks_2m);
	KUNIT_EXPECT_EQ(test, cnt.leaves[2], p->blocks_1g);
	pvm_pt_get_stats(&c->pt, &st);
	KUNIT_EXPECT_EQ(test, st.bytes_mapped, p->size);

	step = p->size > SZ_8M ? SZ_1M - SZ_4K : SZ_4K;
	for (off = 0; off < p->size; off += step)
		ptt_expect(c, p->va + off, p->dma + off);
	ptt_expect(c, p->va + p->size - SZ_4K, p->dma + p->size - SZ_4K);
	if (p->va)
		ptt_expect_hole(c, p->va - SZ_4K);
	if (p->va + p->size < BIT_ULL(p->va_bits))
		ptt_expect_hole(c, p->va + p->size);

	KUNIT_EXPECT_EQ(test, ptt_unmap(c, p->va, p->size), 0);
	pvm_pt_get_stats(&c->pt, &st);
	KUNIT_EXPECT_EQ(test, st.bytes_mapped, 0);
	KUNIT_EXPECT_EQ(test, st.tables, 1);
	KUNIT_EXPECT_EQ(test, c->mem.live, 1);
	ptt_expect_hole(c, p->va);
}

/* Blocks and pages side by side; a block cannot be unmapped in part. */
static void pvm_pt_test_partial_block_unmap(struct kunit *test)
{
	struct ptt *c = ptt_create(test, 48, SZ_4K | SZ_2M, false);
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
	KUNIT_ASSERT_EQ(test, ptt_map(c, SZ_1M, 0x10100000, 4 * SZ_1M, 0), 0);
	ptt_expect(c, SZ_2M - SZ_4K, 0x101ff000);
	ptt_expect(c, SZ_2M, 0x10200000);
	ptt_expect(c, SZ_4M - SZ_4K, 0x103ff000);
	ptt_expect(c, SZ_4M, 0x10400000);

	pvm_pt_get_stats(&c->pt, &before);
	hash = ptt_hash(c);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test, ptt_unmap(c, bad[i].va, bad[i].size),
				    -EINVAL, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, ptt_hash(c), hash, "case %u", i);
	}
	pvm_pt_get_stats(&c->pt, &after);
	KUNIT_EXPECT_EQ(test, after.bytes_mapped, before.bytes_mapped);
	KUNIT_EXPECT_EQ(test, after.tables, before.tables);

	/* Exact unmap of the block and of a page next to it works. */
	KUNIT_EXPECT_EQ(test, ptt_unmap(c, SZ_2M - SZ_4K, SZ_2M + SZ_4K), 0);
	ptt_expect_hole(c, SZ_2M);
	ptt_expect_hole(c, SZ_2M - SZ_4K);
	ptt_expect(c, SZ_2M - SZ_8K, 0x101fe000);
	ptt_expect(c, SZ_4M, 0x10400000);
}

/* Mapping over something present fails and leaves every byte as it was. */
static void pvm_pt_test_map_overlap(struct kunit *test)
{
	struct ptt *c = ptt_create(test, 48, SZ_4K | SZ_2M, false);
	struct pvm_pt_stats st;
	u64 hash;

	KUNIT_ASSERT_EQ(test, ptt_map(c, SZ_1G + SZ_8M, 0x200000, SZ_4K, 0), 0);
	pvm_pt_get_stats(&c->pt, &st);
	hash = ptt_hash(c);
	/* Maps 8 MiB of pages first, then meets the page: all undone. */
	KUNIT_EXPECT_EQ(test, ptt_map(c, SZ_1G - SZ_4K, 0x400000, SZ_16M, 0),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, ptt_hash(c), hash);
	KUNIT_EXPECT_EQ(test, ptt_tables(c), st.tables);
	ptt_expect_hole(c, SZ_1G);
	ptt_expect(c, SZ_1G + SZ_8M, 0x200000);
	KUNIT_EXPECT_EQ(test, ptt_map(c, 0, 0x400000, SZ_4K, 0), 0);
	KUNIT_EXPECT_EQ(test, ptt_map(c, 0, 0x400000, SZ_4K, 0), -EEXIST);
}

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
	struct ptt *c = ptt_create(test, 48, SZ_4K | SZ_2M, true);

	KUNIT_EXPECT_EQ(test, pvm_pt_op_pages(&c->pt, p->va, p->size, p->kind),
			p->pages);
	KUNIT_ASSERT_EQ(test, pvm_pt_resv_add(&c->pt, &c->resv, p->va, p->size,
					      p->kind), 0);
	KUNIT_EXPECT_EQ(test, pvm_pt_resv_pages(&c->resv), p->pages);
	KUNIT_EXPECT_EQ(test, c->mem.live, 1 + p->pages);
	pvm_pt_resv_release(&c->pt, &c->resv);
	KUNIT_EXPECT_EQ(test, c->mem.live, 1);
}

/* Map 4K pages worst case uses exactly the reservation; nothing allocates. */
static void pvm_pt_test_resv_exact_use(struct kunit *test)
{
	struct ptt *c = ptt_create(test, 48, SZ_4K | SZ_2M, true);
	struct pvm_pt_range r = { .dma = 0x1000, .size = SZ_4M + SZ_8K };
	u64 va = (1ULL << 39) - SZ_2M - SZ_4K;
	u32 need = pvm_pt_op_pages(&c->pt, va, r.size, PVM_PT_OP_MAP);
	u64 allocs;

	KUNIT_ASSERT_EQ(test, pvm_pt_resv_add(&c->pt, &c->resv, va, r.size,
					      PVM_PT_OP_MAP), 0);
	allocs = c->mem.allocs;
	KUNIT_EXPECT_EQ(test, pvm_pt_map(&c->pt, &c->resv, &c->fl, va, &r, 1, 0), 0);
	KUNIT_EXPECT_EQ(test, c->mem.allocs, allocs);
	/* Two L1, two L2 and four L3 tables: all of the reservation. */
	KUNIT_EXPECT_EQ(test, need, 8);
	KUNIT_EXPECT_EQ(test, pvm_pt_resv_pages(&c->resv), 0);
	KUNIT_EXPECT_EQ(test, ptt_tables(c), 1 + need);
	ptt_expect(c, va, 0x1000);
	ptt_expect(c, va + r.size - SZ_4K, 0x1000 + r.size - SZ_4K);
}

/* Allocation failure at every point: -ENOMEM, nothing leaked or changed. */
static void pvm_pt_test_resv_fault_injection(struct kunit *test)
{
	struct ptt *c = ptt_create(test, 48, SZ_4K | SZ_2M, true);
	u64 va = SZ_1G - SZ_4M, size = SZ_16M;
	u32 need = pvm_pt_op_pages(&c->pt, va, size, PVM_PT_OP_MAP);
	u32 i, failures = 0;
	int ret;

	KUNIT_ASSERT_EQ(test, ptt_map(c, SZ_4K, 0x1000, SZ_4K, 0), 0);
	for (i = 1; i <= need + 1; i++) {
		c->mem.fail_at = c->mem.allocs + i;
		ret = pvm_pt_resv_add(&c->pt, &c->resv, va, size, PVM_PT_OP_MAP);
		c->mem.fail_at = 0;
		if (ret) {
			KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
			KUNIT_EXPECT_EQ(test, pvm_pt_resv_pages(&c->resv), 0);
			KUNIT_EXPECT_EQ(test, c->mem.live, ptt_tables(c));
			failures++;
			continue;
		}
		KUNIT_EXPECT_EQ(test, pvm_pt_resv_pages(&c->resv), need);
		pvm_pt_resv_release(&c->pt, &c->resv);
	}
	KUNIT_EXPECT_EQ(test, failures, need);

	/* A reservation that is too small fails the map and undoes it. */
	{
		struct pvm_pt_range r = { .dma = 0x1000, .size = size };
		u64 hash = ptt_hash(c);

		KUNIT_ASSERT_EQ(test, pvm_pt_resv_add(&c->pt, &c->resv, va,
						      SZ_4K, PVM_PT_OP_MAP), 0);
		KUNIT_EXPECT_EQ(test, pvm_pt_map(&c->pt, &c->resv, &c->fl, va,
						 &r, 1, 0), -ENOSPC);
		pvm_pt_free_list_release(&c->pt, &c->fl);
		pvm_pt_resv_release(&c->pt, &c->resv);
		KUNIT_EXPECT_EQ(test, ptt_hash(c), hash);
		KUNIT_EXPECT_EQ(test, pvm_pt_check(&c->pt), 0);
		ptt_expect_hole(c, va);
		ptt_expect(c, SZ_4K, 0x1000);
	}
}

/* Unlinked tables stay allocated and intact until the list is released. */
static void pvm_pt_test_free_after_flush(struct kunit *test)
{
	struct ptt *c = ptt_create(test, 48, SZ_4K | SZ_2M, true);
	struct pvm_pt_range r = { .dma = 0x1000, .size = SZ_4M };
	u64 frees, hw;

	KUNIT_ASSERT_EQ(test, ptt_map(c, SZ_1G, 0x1000, SZ_4M, 0), 0);
	KUNIT_ASSERT_EQ(test, ptt_tables(c), 5);
	frees = c->mem.frees;
	KUNIT_ASSERT_EQ(test, pvm_pt_resv_add(&c->pt, &c->resv, SZ_1G, SZ_4M,
					      PVM_PT_OP_UNMAP), 0);
	KUNIT_ASSERT_EQ(test, pvm_pt_unmap(&c->pt, &c->resv, &c->fl, SZ_1G,
					   SZ_4M), 0);
	/* L1, L2 and two L3 tables became empty: all unlinked, none freed. */
	KUNIT_EXPECT_EQ(test, c->fl.count, 4);
	KUNIT_EXPECT_EQ(test, ptt_tables(c), 1);
	KUNIT_EXPECT_EQ(test, c->mem.frees, frees);
	KUNIT_EXPECT_EQ(test, c->mem.live, 5 + pvm_pt_resv_pages(&c->resv));
	ptt_expect_hole(c, SZ_1G);
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
	KUNIT_EXPECT_EQ(test, ptt_walk(c, SZ_1G + SZ_4K, &hw, NULL), 0);
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
	struct ptt *c = ptt_create(test, 48, SZ_4K | SZ_2M, false);
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

	KUNIT_ASSERT_EQ(test, ptt_repeat(c, base, size, pat, p->npages), 0);
	pvm_pt_get_stats(&c->pt, &st);
	KUNIT_EXPECT_LE(test, st.tables - 1, p->max_tables);
	KUNIT_EXPECT_GE(test, st.shared_tables, 1);
	KUNIT_EXPECT_EQ(test, st.bytes_mapped, size);
	for (i = 0; i < ARRAY_SIZE(probes); i++)
		ptt_expect(c, probes[i], pat[(probes[i] >> 12) & (p->npages - 1)]);
	ptt_expect_hole(c, base - SZ_4K);
	ptt_expect_hole(c, base + size);

	/* Punch a 4K hole: only the tables on its path are copied. */
	tables = st.tables;
	if (p->npages == 512 && p->contig) {
		/* It would cut a 2M block: refused. */
		KUNIT_EXPECT_EQ(test, ptt_unmap(c, hole, SZ_4K), -EINVAL);
		hole &= ~(u64)(SZ_2M - 1);
		KUNIT_EXPECT_EQ(test, ptt_unmap(c, hole, SZ_2M), 0);
	} else {
		KUNIT_EXPECT_EQ(test, ptt_unmap(c, hole, SZ_4K), 0);
	}
	pvm_pt_get_stats(&c->pt, &st);
	KUNIT_EXPECT_LE(test, st.tables, tables + 3);
	ptt_expect_hole(c, hole);
	ptt_expect(c, hole - SZ_4K, pat[((hole - SZ_4K) >> 12) & (p->npages - 1)]);
	ptt_expect(c, hole + SZ_2M, pat[((hole + SZ_2M) >> 12) & (p->npages - 1)]);
	for (i = 0; i < ARRAY_SIZE(probes); i++)
		ptt_expect(c, probes[i], pat[(probes[i] >> 12) & (p->npages - 1)]);

	/* Unmapping it all returns to the root alone. */
	KUNIT_EXPECT_EQ(test, ptt_unmap(c, base, size), 0);
	pvm_pt_get_stats(&c->pt, &st);
	KUNIT_EXPECT_EQ(test, st.tables, 1);
	KUNIT_EXPECT_EQ(test, st.shared_tables, 0);
	KUNIT_EXPECT_EQ(test, st.bytes_mapped, 0);
	KUNIT_EXPECT_EQ(test, c->mem.live, 1);
}

/* The pattern phase follows the VA, not the start of the op. */
static void pvm_pt_test_repeat_phase(struct kunit *test)
{
	struct ptt *c = ptt_create(test, 39, SZ_4K | SZ_2M, true);
	dma_addr_t pat[4] = { 0x10000, 0x30000, 0x20000, 0x50000 };
	u64 va = SZ_1G + 3 * SZ_4K, off;

	KUNIT_ASSERT_EQ(test, ptt_repeat(c, va, SZ_4M, pat, 4), 0);
	for (off = 0; off < SZ_4M; off += SZ_4K * 37)
		ptt_expect(c, va + off, pat[((va + off) >> 12) & 3]);
	/* Mapping over part of it is refused; unmapping the middle works. */
	KUNIT_EXPECT_EQ(test, ptt_map(c, va + SZ_2M, 0x1000, SZ_4K, 0), -EEXIST);
	KUNIT_EXPECT_EQ(test, ptt_unmap(c, va + SZ_4K, SZ_2M), 0);
	ptt_expect(c, va, pat[3]);
	ptt_expect_hole(c, va + SZ_4K);
	ptt_expect(c, va + SZ_2M + SZ_4K, pat[((va + SZ_2M + SZ_4K) >> 12) & 3]);
}

/* Non-coherent walker: one sync per table touched, covering what changed. */
static void pvm_pt_test_noncoherent_sync(struct kunit *test)
{
	struct ptt *c = ptt_create(test, 48, SZ_4K | SZ_2M, false);
	u64 va = SZ_1G + 16 * SZ_4K;
	u32 i;

	c->mem.nsync = 0;
	KUNIT_ASSERT_EQ(test, ptt_map(c, va, 0x1000, 16 * SZ_4K, 0), 0);
	/* L3 entries 16..31, then L2, L1 and root entries, leaf first. */
	KUNIT_ASSERT_EQ(test, c->mem.nsync, 4);
	KUNIT_EXPECT_EQ(test, c->mem.sync[0].dma & (SZ_4K - 1), 16 * 8);
	KUNIT_EXPECT_EQ(test, c->mem.sync[0].size, 16 * 8);
	for (i = 1; i < 4; i++)
		KUNIT_EXPECT_EQ(test, c->mem.sync[i].size, 8);
	KUNIT_EXPECT_EQ(test, c->mem.sync[1].dma & (SZ_4K - 1), 0);
	KUNIT_EXPECT_EQ(test, c->mem.sync[2].dma & (SZ_4K - 1), 1 * 8);
	KUNIT_EXPECT_EQ(test, c->mem.sync[3].dma & (SZ_4K - 1), 0);
	ptt_expect(c, va + 15 * SZ_4K, 0x1000 + 15 * SZ_4K);

	/* 8 more pages in the same table: a single 64-byte sync. */
	c->mem.nsync = 0;
	KUNIT_ASSERT_EQ(test, ptt_map(c, va + 16 * SZ_4K, 0x100000, 8 * SZ_4K, 0), 0);
	KUNIT_ASSERT_EQ(test, c->mem.nsync, 1);
	KUNIT_EXPECT_EQ(test, c->mem.sync[0].size, 64);
	ptt_expect(c, va + 16 * SZ_4K, 0x100000);

	/* 2 MiB of pages over two new L3 tables and a new L2: one sync each. */
	c->mem.nsync = 0;
	KUNIT_ASSERT_EQ(test, ptt_map(c, SZ_8M + SZ_1M, 0x1000, SZ_2M, 0), 0);
	KUNIT_EXPECT_EQ(test, c->mem.nsync, 4);
	KUNIT_EXPECT_EQ(test, c->mem.sync[0].size, 256 * 8);
	KUNIT_EXPECT_EQ(test, c->mem.sync[1].size, 256 * 8);
	KUNIT_EXPECT_EQ(test, c->mem.sync[2].size, 2 * 8);
	KUNIT_EXPECT_EQ(test, c->mem.sync[3].size, 8);
	ptt_expect(c, SZ_8M + SZ_1M, 0x1000);
	ptt_expect(c, SZ_8M + SZ_2M + SZ_1M - SZ_4K, SZ_2M);

	/* Unmap syncs the cleared entries too: the walker sees the hole. */
	c->mem.nsync = 0;
	KUNIT_ASSERT_EQ(test, ptt_unmap(c, va, SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, c->mem.nsync, 1);
	ptt_expect_hole(c, va);
}

/* Attribute bits from flags, per coherency. */
struct ptt_attr_case {
	const char *name;
	u32 flags;
	bool coherent;
	u64 set, clear;
};

static const struct ptt_attr_case ptt_attr_cases[] = {
	{ "rw coherent", 0, true,
	  PVM_PTE_AF | PVM_PTE_AP_UNPRIV | FIELD_PREP_CONST(PVM_PTE_SH, PVM_PTE_SH_IS),
	  PVM_PTE_AP_RDONLY | PVM_PTE_XN | PVM_PTE_PXN | PVM_PTE_ATTRINDX },
	{ "rw non-coherent", 0, false, PVM_PTE_AF | PVM_PTE_AP_UNPRIV,
	  PVM_PTE_SH | PVM_PTE_AP_RDONLY | PVM_PTE_XN | PVM_PTE_ATTRINDX },
	{ "readonly", PVM_PT_MAP_READONLY, true, PVM_PTE_AF | PVM_PTE_AP_RDONLY, PVM_PTE_XN },
	{ "noexec", PVM_PT_MAP_NOEXEC, true, PVM_PTE_XN | PVM_PTE_PXN, PVM_PTE_AP_RDONLY },
	{ "uncached", PVM_PT_MAP_UNCACHED, false,
	  FIELD_PREP_CONST(PVM_PTE_ATTRINDX, PVM_ATTR_IDX_NC) |
	  FIELD_PREP_CONST(PVM_PTE_SH, PVM_PTE_SH_OS),
	  PVM_PTE_XN },
};

KUNIT_ARRAY_PARAM_DESC(ptt_attr, ptt_attr_cases, name);

static void pvm_pt_test_attrs(struct kunit *test)
{
	const struct ptt_attr_case *p = test->param_value;
	struct ptt *c = ptt_create(test, 48, SZ_4K | SZ_2M, p->coherent);
	u32 levels = 4, lvl;
	dma_addr_t table, dma;
	u64 va = SZ_2M, desc = 0;
	u32 flags;

	KUNIT_ASSERT_EQ(test, ptt_map(c, va, SZ_2M, SZ_2M + SZ_4K, p->flags), 0);
	/* Both the 2M block and the 4K page after it. */
	for (; va <= SZ_4M; va += SZ_2M) {
		table = pvm_pt_root_dma(&c->pt);
		for (lvl = 4 - levels; lvl < 4; lvl++) {
			desc = ptt_page(&c->mem, table)->dev[(va >> PVM_PT_LEVEL_SHIFT(lvl)) & 511];
			if (lvl == 3 || (desc & PVM_PTE_TYPE_MASK) != PVM_PTE_TYPE_TABLE)
				break;
			table = desc & PVM_PTE_ADDR;
		}
		KUNIT_EXPECT_EQ(test, lvl, va == SZ_2M ? 2 : 3);
		KUNIT_EXPECT_EQ(test, desc & p->set, p->set);
		KUNIT_EXPECT_EQ(test, desc & p->clear, 0);
		KUNIT_EXPECT_EQ(test, pvm_pt_iova_to_phys(&c->pt, va, &dma, &flags), 0);
		KUNIT_EXPECT_EQ(test, flags, p->flags);
	}
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
	struct ptt *c = ptt_create(test, bits, SZ_4K | SZ_2M, false);
	u64 top = BIT_ULL(bits);
	struct pvm_pt_range r = { .dma = 0x1000, .size = SZ_4K };

	KUNIT_EXPECT_EQ(test, ptt_map(c, top - SZ_4K, 0x1000, SZ_4K, 0), 0);
	KUNIT_EXPECT_EQ(test, ptt_map(c, 0, 0x5000, SZ_4K, 0), 0);
	ptt_expect(c, top - SZ_4K, 0x1000);
	ptt_expect(c, 0, 0x5000);
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
	KUNIT_EXPECT_EQ(test, ptt_tables(c), bits == 48 ? 7 : 5);
	KUNIT_EXPECT_EQ(test, ptt_unmap(c, 0, top), 0);
	KUNIT_EXPECT_EQ(test, ptt_tables(c), 1);
}

/*
 * The software GPU walks our table (non-coherent walker behind a system
 * MMU) and must read what iova_to_phys() says each address maps to.
 */
struct ptt_sim {
	struct pvm_sim *sim;
	const struct pvm_dma_ops *dma;
	struct xarray pages;
	struct pvm_pt pt;
	struct page *data[4];
	dma_addr_t bus[4];
};

static void *ptt_sim_alloc(void *priv, dma_addr_t *dma)
{
	struct ptt_sim *s = priv;
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	dma_addr_t bus;

	if (!page)
		return NULL;
	bus = s->dma->map_page(s->sim, page, PAGE_SIZE, DMA_TO_DEVICE);
	if (bus == DMA_MAPPING_ERROR ||
	    xa_err(xa_store(&s->pages, bus >> PAGE_SHIFT, page, GFP_KERNEL))) {
		if (bus != DMA_MAPPING_ERROR)
			s->dma->unmap_page(s->sim, bus, PAGE_SIZE, DMA_TO_DEVICE);
		__free_page(page);
		return NULL;
	}
	s->dma->sync_for_device(s->sim, bus, PAGE_SIZE, DMA_TO_DEVICE);
	*dma = bus;
	return page_address(page);
}

static void ptt_sim_free(void *priv, void *cpu, dma_addr_t dma)
{
	struct ptt_sim *s = priv;
	struct page *page = xa_erase(&s->pages, dma >> PAGE_SHIFT);

	s->dma->unmap_page(s->sim, dma, PAGE_SIZE, DMA_TO_DEVICE);
	__free_page(page);
}

static void ptt_sim_sync(void *priv, dma_addr_t dma, size_t size)
{
	struct ptt_sim *s = priv;

	s->dma->sync_for_device(s->sim, dma, size, DMA_TO_DEVICE);
}

static const struct pvm_pt_mem_ops ptt_sim_ops = {
	.alloc_table = ptt_sim_alloc,
	.free_table = ptt_sim_free,
	.sync_for_device = ptt_sim_sync,
};

static void ptt_sim_exit(void *data)
{
	struct ptt_sim *s = data;
	u32 i;

	pvm_pt_fini(&s->pt);
	for (i = 0; i < ARRAY_SIZE(s->data); i++) {
		if (!s->data[i])
			continue;
		s->dma->unmap_page(s->sim, s->bus[i], PAGE_SIZE,
				   DMA_BIDIRECTIONAL);
		__free_page(s->data[i]);
	}
	xa_destroy(&s->pages);
	pvm_sim_destroy(s->sim);
}

static void ptt_sim_write64(struct ptt_sim *s, u32 reg, u64 val)
{
	pvm_sim_io_ops()->write(s->sim, reg, lower_32_bits(val));
	pvm_sim_io_ops()->write(s->sim, reg + 4, upper_32_bits(val));
}

/* Point AS 1 at the table; UPDATE also drops its TLB. */
static void ptt_sim_update(struct ptt_sim *s)
{
	ptt_sim_write64(s, AS_TRANSTAB_LO(1), pvm_pt_root_dma(&s->pt));
	ptt_sim_write64(s, AS_MEMATTR_LO(1), pvm_mmu_memattr(false));
	ptt_sim_write64(s, AS_TRANSCFG_LO(1),
			pvm_mmu_transcfg(s->pt.cfg.va_bits, false));
	pvm_sim_io_ops()->write(s->sim, AS_COMMAND(1), AS_COMMAND_UPDATE);
}

/* GPU read of 8 bytes at @va against iova_to_phys() and CPU memory. */
static void ptt_sim_expect(struct kunit *test, struct ptt_sim *s, u64 va)
{
	u64 got = 0, fault_addr, want;
	struct page *page = NULL;
	dma_addr_t bus;
	u32 i, status;

	KUNIT_ASSERT_EQ_MSG(test, pvm_pt_iova_to_phys(&s->pt, va, &bus, NULL), 0,
			    "va %llx", va);
	for (i = 0; i < ARRAY_SIZE(s->bus); i++)
		if ((bus & PAGE_MASK) == s->bus[i])
			page = s->data[i];
	KUNIT_ASSERT_NOT_NULL_MSG(test, page, "va %llx -> %pad", va, &bus);
	want = ((u64 *)page_address(page))[(bus & ~PAGE_MASK) / 8];
	KUNIT_ASSERT_EQ(test, pvm_sim_gpu_access(s->sim, 1, va, &got, 8, false,
						 &status, &fault_addr), 0);
	KUNIT_EXPECT_EQ_MSG(test, status, 0, "va %llx", va);
	KUNIT_EXPECT_EQ_MSG(test, got, want, "va %llx", va);
}

static void ptt_sim_expect_fault(struct kunit *test, struct ptt_sim *s, u64 va)
{
	u64 got, fault_addr;
	dma_addr_t bus;
	u32 status;

	KUNIT_EXPECT_EQ(test, pvm_pt_iova_to_phys(&s->pt, va, &bus, NULL), -ENOENT);
	KUNIT_ASSERT_EQ(test, pvm_sim_gpu_access(s->sim, 1, va, &got, 8, false,
						 &status, &fault_addr), 0);
	KUNIT_EXPECT_EQ_MSG(test, status & 0xf8, MMU_EXC_TRANSLATION, "va %llx", va);
	KUNIT_EXPECT_EQ(test, fault_addr, va);
}

static void pvm_pt_test_sim_walk(struct kunit *test)
{
	struct pvm_sim_config scfg = {
		.profile = PVM_SIM_PROFILE_ARCH10,
		.smmu = true,
		.noncoherent = true,
		.as_count = 4,
	};
	struct pvm_pt_config cfg = {
		.pgsize_bitmap = SZ_4K | SZ_2M,
		.ops = &ptt_sim_ops,
	};
	struct pvm_pt_resv resv = {};
	struct pvm_pt_free_list fl = {};
	struct pvm_pt_range r[4];
	u64 va = SZ_4G + SZ_8K, rep = SZ_1G, feat;
	struct ptt_sim *s;
	u32 i, j;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	s->sim = pvm_sim_create(&scfg);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s->sim);
	s->dma = pvm_sim_dma_ops();
	xa_init(&s->pages);
	feat = pvm_sim_io_ops()->read(s->sim, GPU_MMU_FEATURES);
	cfg.va_bits = FIELD_GET(GPU_MMU_FEATURES_VA_BITS, feat);
	cfg.pa_bits = FIELD_GET(GPU_MMU_FEATURES_PA_BITS, feat);
	cfg.priv = s;
	if (pvm_pt_init(&s->pt, &cfg)) {
		xa_destroy(&s->pages);
		pvm_sim_destroy(s->sim);
		KUNIT_FAIL(test, "pvm_pt_init for %u/%u bits", cfg.va_bits,
			   cfg.pa_bits);
		return;
	}
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ptt_sim_exit, s), 0);

	for (i = 0; i < ARRAY_SIZE(s->data); i++) {
		s->data[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, s->data[i]);
		for (j = 0; j < PAGE_SIZE / 8; j++)
			((u64 *)page_address(s->data[i]))[j] = (u64)i << 32 | j;
		s->bus[i] = s->dma->map_page(s->sim, s->data[i], PAGE_SIZE,
					     DMA_BIDIRECTIONAL);
		KUNIT_ASSERT_NE(test, s->bus[i], DMA_MAPPING_ERROR);
		/* Backwards, so the VA order is not the bus order. */
		r[3 - i].dma = s->bus[i];
		r[3 - i].size = PAGE_SIZE;
	}

	KUNIT_ASSERT_EQ(test, pvm_pt_resv_add(&s->pt, &resv, va, 4 * SZ_4K,
					      PVM_PT_OP_MAP), 0);
	KUNIT_ASSERT_EQ(test, pvm_pt_resv_add(&s->pt, &resv, rep, SZ_1G,
					      PVM_PT_OP_REPEAT), 0);
	KUNIT_EXPECT_EQ(test, pvm_pt_map(&s->pt, &resv, &fl, va, r, 4,
					 PVM_PT_MAP_NOEXEC), 0);
	KUNIT_EXPECT_EQ(test, pvm_pt_repeat(&s->pt, &resv, &fl, rep, SZ_1G,
					    s->bus, 2, 0), 0);
	pvm_pt_resv_release(&s->pt, &resv);
	ptt_sim_update(s);

	for (i = 0; i < 4; i++) {
		ptt_sim_expect(test, s, va + i * SZ_4K);
		ptt_sim_expect(test, s, va + i * SZ_4K + 8 * 77);
	}
	ptt_sim_expect(test, s, rep);
	ptt_sim_expect(test, s, rep + SZ_4K + 16);
	ptt_sim_expect(test, s, rep + SZ_512M + 3 * SZ_4K + 4088);
	ptt_sim_expect(test, s, rep + SZ_1G - 8);
	ptt_sim_expect_fault(test, s, va - SZ_4K);
	ptt_sim_expect_fault(test, s, rep + SZ_1G);

	/* Punch holes: the GPU faults there after the flush, nowhere else. */
	KUNIT_ASSERT_EQ(test, pvm_pt_resv_add(&s->pt, &resv, rep + SZ_2M,
					      SZ_4K, PVM_PT_OP_UNMAP), 0);
	KUNIT_EXPECT_EQ(test, pvm_pt_unmap(&s->pt, &resv, &fl, rep + SZ_2M,
					   SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, pvm_pt_unmap(&s->pt, &resv, &fl, va + SZ_4K,
					   SZ_4K), 0);
	pvm_pt_resv_release(&s->pt, &resv);
	ptt_sim_update(s);
	pvm_pt_free_list_release(&s->pt, &fl);
	ptt_sim_expect_fault(test, s, rep + SZ_2M);
	ptt_sim_expect_fault(test, s, va + SZ_4K);
	ptt_sim_expect(test, s, rep + SZ_2M - 8);
	ptt_sim_expect(test, s, rep + SZ_2M + SZ_4K);
	ptt_sim_expect(test, s, va);
	ptt_sim_expect(test, s, va + 2 * SZ_4K);
	KUNIT_EXPECT_EQ(test, pvm_pt_check(&s->pt), 0);
}

static struct kunit_case pvm_pt_test_cases[] = {
	KUNIT_CASE_PARAM(pvm_pt_test_init, ptt_init_gen_params),
	KUNIT_CASE_PARAM(pvm_pt_test_map_unmap, ptt_map_gen_params),
	KUNIT_CASE(pvm_pt_test_partial_block_unmap),
	KUNIT_CASE(pvm_pt_test_map_overlap),
	KUNIT_CASE_PARAM(pvm_pt_test_resv_count, ptt_resv_gen_params),
	KUNIT_CASE(pvm_pt_test_resv_exact_use),
	KUNIT_CASE(pvm_pt_test_resv_fault_injection),
	KUNIT_CASE(pvm_pt_test_free_after_flush),
	KUNIT_CASE_PARAM(pvm_pt_test_repeat, ptt_repeat_gen_params),
	KUNIT_CASE(pvm_pt_test_repeat_phase),
	KUNIT_CASE(pvm_pt_test_noncoherent_sync),
	KUNIT_CASE_PARAM(pvm_pt_test_attrs, ptt_attr_gen_params),
	KUNIT_CASE_PARAM(pvm_pt_test_va_bits, ptt_va_gen_params),
	KUNIT_CASE(pvm_pt_test_sim_walk),
	{}
};

static struct kunit_suite pvm_pt_test_suite = {
	.name = "pvm_pt",
	.test_cases = pvm_pt_test_cases,
};

kunit_test_suite(pvm_pt_test_suite);
