// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <kunit/test.h>

#include <linux/dma-mapping.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "pvm_sim_test.h"

/**
 * DOC: Software GPU tests
 *
 * Every test builds a standalone software GPU with pvm_sim_create(), whose
 * platform device no driver binds to. It maps its registers with ioremap()
 * and programs them with readl() / writel(), as the driver does, and builds
 * page tables by hand in pages mapped with the DMA API on the GPU's device
 * (through the model's system MMU when the test asks for one). Tests check
 * FAULTSTATUS values, data read through the GPU, register and counter
 * values. Three suites:
 *
 * - panthor_vm_sim (this file, with the shared helpers): translation. The
 *   fault of every descriptor and access type, input sizes, accesses that
 *   cross pages, the TLB and walk cache, UPDATE, the reference walk.
 * - panthor_vm_sim_regs (pvm_sim_regs_test.c): registers and commands.
 *   MMIO access widths, profiles, LOCKADDR decode, the lock log, lock
 *   stalls, AS_ACTIVE, interrupts, cache flushes, counters.
 * - panthor_vm_sim_bus (pvm_sim_bus_test.c): the bus. The system MMU, the
 *   non-coherent walker and GPU agents.
 */

const struct pvm_sim_config pvm_simt_default_cfg = {
	.profile = PVM_SIM_PROFILE_ARCH10,
	.as_count = 8,
	.tlb_entries = 0,
	.check_stale = true,
};

static void t_ctx_release(void *data)
{
	struct t_ctx *ctx = data;
	int i;

	for (i = 0; i < ctx->npages; i++) {
		if (ctx->bus[i] != DMA_MAPPING_ERROR)
			dma_unmap_page(ctx->dev, ctx->bus[i], PAGE_SIZE,
				       DMA_BIDIRECTIONAL);
		__free_page(ctx->pages[i]);
	}
	/* The model warns about a register window still mapped. */
	if (ctx->regs)
		iounmap(ctx->regs);
	pvm_sim_destroy(ctx->sim);
}

/**
 * pvm_simt_setup() - build a software GPU for a test
 * @test: the running test
 * @cfg: configuration
 *
 * The GPU, its register mapping and every page from pvm_simt_page() are
 * released when the test ends.
 *
 * Return: the context (the test is aborted on failure).
 */
struct t_ctx *pvm_simt_setup(struct kunit *test,
			     const struct pvm_sim_config *cfg)
{
	struct t_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	const struct resource *mmio;
	struct pvm_sim *sim;

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->test = test;
	sim = pvm_sim_create(cfg, PVM_SIM_TEST_DEVICE_NAME);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, sim);
	ctx->sim = sim;
	ctx->dev = pvm_sim_dev(sim);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_ctx_release, ctx), 0);

	mmio = pvm_sim_mmio(sim);
	ctx->regs = ioremap(mmio->start, resource_size(mmio));
	KUNIT_ASSERT_NOT_NULL(test, ctx->regs);
	return ctx;
}

/**
 * pvm_simt_page() - a page filled with @fill and mapped for the GPU
 * @ctx: test context
 * @fill: byte to fill the page with
 *
 * The page is filled before it is mapped, so a non-coherent walker's
 * device-side copy has the same bytes.
 *
 * Return: the page's index in &t_ctx.pages.
 */
int pvm_simt_page(struct t_ctx *ctx, u8 fill)
{
	struct kunit *test = ctx->test;
	int i = ctx->npages;
	void *va;

	KUNIT_ASSERT_LT(test, i, T_MAX_PAGES);
	ctx->pages[i] = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->pages[i]);
	va = kmap_local_page(ctx->pages[i]);
	memset(va, fill, PAGE_SIZE);
	kunmap_local(va);
	ctx->bus[i] = dma_map_page(ctx->dev, ctx->pages[i], 0, PAGE_SIZE,
				   DMA_BIDIRECTIONAL);
	if (dma_mapping_error(ctx->dev, ctx->bus[i]))
		ctx->bus[i] = DMA_MAPPING_ERROR;
	/* Counted either way, so that the page is freed. */
	ctx->npages++;
	KUNIT_ASSERT_NE(test, ctx->bus[i], DMA_MAPPING_ERROR);
	return i;
}

/**
 * pvm_simt_unmap() - unmap a page from pvm_simt_page() before the test ends
 * @ctx: test context
 * @i: index of the page
 *
 * Page tables that point at it are left alone.
 */
void pvm_simt_unmap(struct t_ctx *ctx, int i)
{
	KUNIT_ASSERT_NE(ctx->test, ctx->bus[i], DMA_MAPPING_ERROR);
	dma_unmap_page(ctx->dev, ctx->bus[i], PAGE_SIZE, DMA_BIDIRECTIONAL);
	ctx->bus[i] = DMA_MAPPING_ERROR;
}

/**
 * pvm_simt_build() - the standard path: T_VA -> data page A in AS T_AS
 * @ctx: test context
 *
 * Builds L0..L3 for T_VA, maps data page A (data page B is left unmapped)
 * and enables AS T_AS on the tables.
 */
void pvm_simt_build(struct t_ctx *ctx)
{
	ctx->l0 = pvm_simt_page(ctx, 0);
	ctx->l1 = pvm_simt_page(ctx, 0);
	ctx->l2 = pvm_simt_page(ctx, 0);
	ctx->l3 = pvm_simt_page(ctx, 0);
	ctx->data_a = pvm_simt_page(ctx, T_PATTERN_A);
	ctx->data_b = pvm_simt_page(ctx, T_PATTERN_B);
	t_set(ctx, ctx->l0, t_idx(T_VA, 0), ctx->bus[ctx->l1] | T_TABLE, true);
	t_set(ctx, ctx->l1, t_idx(T_VA, 1), ctx->bus[ctx->l2] | T_TABLE, true);
	t_set(ctx, ctx->l2, t_idx(T_VA, 2), ctx->bus[ctx->l3] | T_TABLE, true);
	t_set(ctx, ctx->l3, t_idx(T_VA, 3), ctx->bus[ctx->data_a] | T_PTE_RW, true);
	t_as_enable(ctx, T_AS, ctx->bus[ctx->l0], T_TRANSCFG);
}

/* ---- faults, one table row per fault type and level ---- */

enum t_shape {
	T_SHAPE_PAGE,		/* standard 4-level path */
	T_SHAPE_BLOCK_2M,	/* L2 entry replaced by a 2 MiB block */
	T_SHAPE_BLOCK_1G,	/* L1 entry replaced by a 1 GiB block */
};

struct t_fault_case {
	const char *name;
	enum t_shape shape;
	int level;		/* descriptor of the path to patch, -1: none */
	u64 clear;
	u64 set;
	u64 transcfg_set;
	u64 va_xor;		/* accessed VA = T_VA ^ va_xor */
	enum pvm_sim_access access;
	u32 exc;		/* expected exception, 0 for success */
};

/* Short names for the table below. */
#define T_R	PVM_SIM_ACCESS_READ
#define T_W	PVM_SIM_ACCESS_WRITE
#define T_X	PVM_SIM_ACCESS_EXECUTE
#define T_A	PVM_SIM_ACCESS_ATOMIC
#define T_PG	T_SHAPE_PAGE
#define T_2M	T_SHAPE_BLOCK_2M
#define T_1G	T_SHAPE_BLOCK_1G
#define T_NO_AF	AS_TRANSCFG_DISABLE_AF_FAULT
#define T_NO_HIER AS_TRANSCFG_DISABLE_HIER_AP
#define T_WXN	AS_TRANSCFG_WXN
#define T_ATTR	FIELD_PREP_CONST(PVM_PTE_ATTRINDX, T_ATTR_FAULT)
#define T_IGN	(PVM_PTE_NG | PVM_PTE_NS | PVM_PTE_SW | BIT_ULL(52) | BIT_ULL(51) | PVM_PTE_SH)
#define T_APRO	PVM_PTE_TABLE_AP_RDONLY

static const struct t_fault_case t_fault_cases[] = {
	{ "read ok", T_PG, -1, 0, 0, 0, 0, T_R, 0 },
	{ "write ok", T_PG, -1, 0, 0, 0, 0, T_W, 0 },
	{ "exec ok", T_PG, -1, 0, 0, 0, 0, T_X, 0 },
	{ "L0 invalid", T_PG, 0, ~0ULL, 0, 0, 0, T_R, 0xC0 },
	{ "L1 invalid", T_PG, 1, ~0ULL, 0, 0, 0, T_R, 0xC1 },
	{ "L2 invalid", T_PG, 2, ~0ULL, 0, 0, 0, T_W, 0xC2 },
	{ "L3 invalid", T_PG, 3, ~0ULL, 0, 0, 0, T_R, 0xC3 },
	{ "L3 kbase invalid marker", T_PG, 3, ~0ULL, 2, 0, 0, T_R, 0xC3 },
	{ "L3 invalid with SW bits", T_PG, 3, PVM_PTE_VALID, PVM_PTE_SW, 0, 0, T_R, 0xC3 },
	{ "unmapped neighbour page", T_PG, -1, 0, 0, 0, SZ_4K, T_R, 0xC3 },
	{ "block at L0", T_PG, 0, PVM_PTE_TYPE_MASK, PVM_PTE_TYPE_BLOCK, 0, 0, T_R, 0xC0 },
	{ "block type at L3 reserved", T_PG, 3, PVM_PTE_TYPE_MASK,
	  PVM_PTE_TYPE_BLOCK, 0, 0, T_R, 0xC3 },
	{ "L3 access flag", T_PG, 3, PVM_PTE_AF, 0, 0, 0, T_R, 0xDB },
	{ "L3 access flag disabled", T_PG, 3, PVM_PTE_AF, 0, T_NO_AF, 0, T_R, 0 },
	{ "L2 block access flag", T_2M, 2, PVM_PTE_AF, 0, 0, 0, T_W, 0xDA },
	{ "L1 block access flag", T_1G, 1, PVM_PTE_AF, 0, 0, 0, T_R, 0xD9 },
	{ "L2 block ok", T_2M, -1, 0, 0, 0, 0, T_R, 0 },
	{ "L1 block ok", T_1G, -1, 0, 0, 0, 0, T_R, 0 },
	{ "L3 OA beyond PA", T_PG, 3, 0, BIT_ULL(40), 0, 0, T_R, 0xE7 },
	{ "L1 table beyond PA", T_PG, 1, 0, BIT_ULL(45), 0, 0, T_R, 0xE5 },
	{ "L2 block OA beyond PA", T_2M, 2, 0, BIT_ULL(47), 0, 0, T_R, 0xE6 },
	{ "VA beyond 48 bits", T_PG, -1, 0, 0, 0, BIT_ULL(48), T_R, 0xE0 },
	{ "write to read-only", T_PG, 3, 0, PVM_PTE_AP_RDONLY, 0, 0, T_W, 0xCB },
	{ "read of read-only", T_PG, 3, 0, PVM_PTE_AP_RDONLY, 0, 0, T_R, 0 },
	{ "atomic on read-only", T_PG, 3, 0, PVM_PTE_AP_RDONLY, 0, 0, T_A, 0xCB },
	{ "no access (AP[1]=0)", T_PG, 3, PVM_PTE_AP_UNPRIV, 0, 0, 0, T_R, 0xCB },
	{ "exec of XN", T_PG, 3, 0, PVM_PTE_XN, 0, 0, T_X, 0xCB },
	{ "read of XN", T_PG, 3, 0, PVM_PTE_XN, 0, 0, T_R, 0 },
	{ "exec of PXN only", T_PG, 3, 0, PVM_PTE_PXN, 0, 0, T_X, 0 },
	{ "exec of writable with WXN", T_PG, -1, 0, 0, T_WXN, 0, T_X, 0xCB },
	{ "L2 block write to read-only", T_2M, 2, 0, PVM_PTE_AP_RDONLY, 0, 0, T_W, 0xCA },
	{ "APTable read-only", T_PG, 1, 0, PVM_PTE_TABLE_AP_RDONLY, 0, 0, T_W, 0xCB },
	{ "APTable ignored with DISABLE_HIER_AP", T_PG, 1, 0, T_APRO, T_NO_HIER, 0, T_W, 0 },
	{ "APTable no unprivileged", T_PG, 0, 0, PVM_PTE_TABLE_AP_NO_UNPRIV, 0, 0, T_R, 0xCB },
	{ "XNTable", T_PG, 2, 0, PVM_PTE_TABLE_XNTABLE, 0, 0, T_X, 0xCB },
	{ "MEMATTR fault", T_PG, 3, PVM_PTE_ATTRINDX, T_ATTR, 0, 0, T_R, 0xEB },
	{ "ignored bits", T_PG, 3, 0, T_IGN, 0, 0, T_W, 0 },
};

static void t_fault_case_desc(const struct t_fault_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(t_fault, t_fault_cases, t_fault_case_desc);

static void pvm_sim_test_faults(struct kunit *test)
{
	const struct t_fault_case *c = test->param_value;
	struct t_ctx *ctx = pvm_simt_setup(test, &pvm_simt_default_cfg);
	int tbl[4], data, i;
	u64 va = T_VA ^ c->va_xor, fa, desc, phys, *p;
	u32 fs, expected;
	u8 buf[16];

	pvm_simt_build(ctx);
	tbl[0] = ctx->l0;
	tbl[1] = ctx->l1;
	tbl[2] = ctx->l2;
	tbl[3] = ctx->l3;
	data = ctx->data_a;
	phys = ctx->bus[data];

	if (c->shape == T_SHAPE_BLOCK_2M || c->shape == T_SHAPE_BLOCK_1G) {
		/* Cover the data page with a block; access it through it. */
		u32 lvl = c->shape == T_SHAPE_BLOCK_2M ? 2 : 1;
		u64 size = BIT_ULL(PVM_PT_LEVEL_SHIFT(lvl));

		t_set(ctx, tbl[lvl], t_idx(T_VA, lvl),
		      (phys & ~(size - 1)) | PVM_PTE_TYPE_BLOCK | PVM_PTE_AF |
		      PVM_PTE_AP_UNPRIV, true);
		va = (T_VA & ~(size - 1)) | (phys & (size - 1));
		va ^= c->va_xor;
	}

	if (c->level >= 0) {
		p = kmap_local_page(ctx->pages[tbl[c->level]]);
		desc = p[t_idx(T_VA, c->level)];
		kunmap_local(p);
		t_set(ctx, tbl[c->level], t_idx(T_VA, c->level),
		      (desc & ~c->clear) | c->set, true);
	}
	if (c->transcfg_set)
		t_as_enable(ctx, T_AS, ctx->bus[ctx->l0],
			    T_TRANSCFG | c->transcfg_set);

	t_wr(ctx, MMU_INT_MASK, ~0);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = 0x10 + i;
	KUNIT_ASSERT_EQ(test, t_xfer(ctx, va, buf, sizeof(buf), c->access,
				     &fs, &fa), 0);

	if (!c->exc) {
		KUNIT_EXPECT_EQ(test, fs, 0);
		KUNIT_EXPECT_EQ(test, t_rd(ctx, MMU_INT_RAWSTAT), 0);
		KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_FAULTS), 0);
		p = kmap_local_page(ctx->pages[data]);
		if (c->access == PVM_SIM_ACCESS_WRITE) {
			KUNIT_EXPECT_EQ(test, ((u8 *)p)[va & ~PAGE_MASK], 0x10);
			KUNIT_EXPECT_EQ(test, ((u8 *)p)[(va & ~PAGE_MASK) + 15], 0x1f);
		} else {
			KUNIT_EXPECT_EQ(test, buf[0], T_PATTERN_A);
			KUNIT_EXPECT_EQ(test, buf[15], T_PATTERN_A);
		}
		kunmap_local(p);
		return;
	}

	expected = c->exc | FIELD_PREP(AS_FAULTSTATUS_ACCESS_TYPE, c->access);
	KUNIT_EXPECT_EQ(test, fs, expected);
	KUNIT_EXPECT_EQ(test, fa, va);
	KUNIT_EXPECT_EQ(test, t_rd(ctx, AS_FAULTSTATUS(T_AS)), expected);
	KUNIT_EXPECT_EQ(test, t_rd64(ctx, AS_FAULTADDRESS_LO(T_AS)), va);
	KUNIT_EXPECT_EQ(test, t_rd(ctx, MMU_INT_RAWSTAT), BIT(T_AS));
	KUNIT_EXPECT_EQ(test, t_rd(ctx, MMU_INT_STAT), BIT(T_AS));
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_FAULTS), 1);
	KUNIT_EXPECT_TRUE(test, pvm_sim_irq_asserted(ctx->sim, PVM_SIM_IRQ_MMU));
	/* A faulting write does not reach memory. */
	p = kmap_local_page(ctx->pages[data]);
	KUNIT_EXPECT_EQ(test, ((u8 *)p)[T_VA & ~PAGE_MASK], T_PATTERN_A);
	kunmap_local(p);
}

/* ---- a smaller input size starts the walk at level 1 ---- */

static void pvm_sim_test_ias32(struct kunit *test)
{
	struct t_ctx *ctx = pvm_simt_setup(test, &pvm_simt_default_cfg);
	u64 va = (3ULL << 30) | (7ULL << 21) | (9ULL << 12);
	u64 cfg = (T_TRANSCFG & ~AS_TRANSCFG_INA_BITS) |
		  FIELD_PREP(AS_TRANSCFG_INA_BITS, 55 - 32);
	int l1 = pvm_simt_page(ctx, 0), l2 = pvm_simt_page(ctx, 0), l3 = pvm_simt_page(ctx, 0);
	int data = pvm_simt_page(ctx, T_PATTERN_B);
	u32 fs;

	/* A 32-bit space has a 4-entry level-1 root. */
	t_set(ctx, l1, 3, ctx->bus[l2] | T_TABLE, true);
	t_set(ctx, l2, 7, ctx->bus[l3] | T_TABLE, true);
	t_set(ctx, l3, 9, ctx->bus[data] | T_PTE_RW, true);
	t_as_enable(ctx, T_AS, ctx->bus[l1], cfg);

	KUNIT_EXPECT_EQ(test, t_read8(ctx, va, &fs), T_PATTERN_B);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, va | BIT_ULL(32), &fs), -1);
	KUNIT_EXPECT_EQ(test, fs, 0xE0 | FIELD_PREP(AS_FAULTSTATUS_ACCESS_TYPE,
						    PVM_SIM_ACCESS_READ));
}

/* ---- accesses crossing pages ---- */

static void pvm_sim_test_span(struct kunit *test)
{
	struct t_ctx *ctx = pvm_simt_setup(test, &pvm_simt_default_cfg);
	u8 *buf = kunit_kzalloc(test, 6000, GFP_KERNEL);
	u64 va = T_VA + SZ_4K - 100, fa;
	u8 *p;
	u32 fs;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	pvm_simt_build(ctx);
	/* T_VA -> A, T_VA + 4K -> B: physically apart. */
	t_set(ctx, ctx->l3, t_idx(T_VA, 3) + 1,
	      ctx->bus[ctx->data_b] | T_PTE_RW, true);

	KUNIT_ASSERT_EQ(test, t_xfer(ctx, va, buf, 200, PVM_SIM_ACCESS_READ,
				     &fs, &fa), 0);
	KUNIT_EXPECT_EQ(test, fs, 0);
	KUNIT_EXPECT_EQ(test, buf[99], T_PATTERN_A);
	KUNIT_EXPECT_EQ(test, buf[100], T_PATTERN_B);

	for (i = 0; i < 6000; i++)
		buf[i] = i & 0xff;
	/* 100 bytes in A, 4096 in B, then an unmapped page: fault there. */
	KUNIT_ASSERT_EQ(test, t_xfer(ctx, va, buf, 6000, PVM_SIM_ACCESS_WRITE,
				     &fs, &fa), 0);
	KUNIT_EXPECT_EQ(test, fs, 0xC3 | FIELD_PREP(AS_FAULTSTATUS_ACCESS_TYPE,
						    PVM_SIM_ACCESS_WRITE));
	KUNIT_EXPECT_EQ(test, fa, T_VA + 2 * SZ_4K);
	p = kmap_local_page(ctx->pages[ctx->data_a]);
	KUNIT_EXPECT_EQ(test, p[SZ_4K - 100], 0);
	KUNIT_EXPECT_EQ(test, p[SZ_4K - 1], 99);
	kunmap_local(p);
	p = kmap_local_page(ctx->pages[ctx->data_b]);
	KUNIT_EXPECT_EQ(test, p[0], 100);
	KUNIT_EXPECT_EQ(test, p[SZ_4K - 1], (100 + SZ_4K - 1) & 0xff);
	kunmap_local(p);
}

/* ---- TLB: stale entries until an overlapping invalidation ---- */

static void pvm_sim_test_stale_tlb(struct kunit *test)
{
	struct t_ctx *ctx = pvm_simt_setup(test, &pvm_simt_default_cfg);
	u32 fs;

	pvm_simt_build(ctx);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_TLB_MISSES), 1);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_WALKS), 1);

	/* Remap to B without invalidation: the TLB still says A. */
	t_set(ctx, ctx->l3, t_idx(T_VA, 3), ctx->bus[ctx->data_b] | T_PTE_RW, true);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_TLB_HITS), 1);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_STALE_TRANSLATIONS), 1);

	/* UNLOCK of a disjoint region (the next 32 KiB) keeps it. */
	t_unlock(ctx, t_lockaddr((T_VA & ~(u64)(SZ_32K - 1)) + SZ_32K, SZ_4K, 15),
		 AS_COMMAND_UNLOCK);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_STALE_TRANSLATIONS), 2);

	/* UNLOCK of an overlapping region drops it. */
	t_unlock(ctx, t_lockaddr(T_VA, SZ_4K, 15), AS_COMMAND_UNLOCK);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_B);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_STALE_TRANSLATIONS), 2);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_UNLOCK), 2);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 0);
}

/* A table pointer replaced without invalidation: the walk cache keeps it. */
static void pvm_sim_test_stale_walk_cache(struct kunit *test)
{
	struct t_ctx *ctx = pvm_simt_setup(test, &pvm_simt_default_cfg);
	int l3b;
	u32 fs;

	pvm_simt_build(ctx);
	l3b = pvm_simt_page(ctx, 0);
	/* A second L3 table mapping T_VA and T_VA + 4K to B. */
	t_set(ctx, l3b, t_idx(T_VA, 3), ctx->bus[ctx->data_b] | T_PTE_RW, true);
	t_set(ctx, l3b, t_idx(T_VA, 3) + 1, ctx->bus[ctx->data_b] | T_PTE_RW, true);
	t_set(ctx, ctx->l3, t_idx(T_VA, 3) + 1, ctx->bus[ctx->data_a] | T_PTE_RW, true);

	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);
	t_set(ctx, ctx->l2, t_idx(T_VA, 2), ctx->bus[l3b] | T_TABLE, true);
	/* The neighbour page is not in the TLB but its walk uses the cache. */
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA + SZ_4K, &fs), T_PATTERN_A);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_WALK_CACHE_HITS), 1);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_STALE_TRANSLATIONS), 1);

	t_unlock(ctx, t_lockaddr(T_VA, SZ_8K, 15), AS_COMMAND_UNLOCK);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA + SZ_4K, &fs), T_PATTERN_B);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_B);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_STALE_TRANSLATIONS), 1);
}

/* UPDATE drops the AS's TLB; TRANSTAB only goes live on UPDATE. */
static void pvm_sim_test_update(struct kunit *test)
{
	struct t_ctx *ctx = pvm_simt_setup(test, &pvm_simt_default_cfg);
	int empty_root;
	u32 fs;

	pvm_simt_build(ctx);
	empty_root = pvm_simt_page(ctx, 0);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);
	t_set(ctx, ctx->l3, t_idx(T_VA, 3), ctx->bus[ctx->data_b] | T_PTE_RW, true);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);

	t_wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_UPDATE);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_B);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_UPDATE), 2);

	/* Programmed but not live: still translated by the old root. */
	t_wr64(ctx, AS_TRANSTAB_LO(T_AS), ctx->bus[empty_root]);
	KUNIT_EXPECT_EQ(test, t_rd64(ctx, AS_TRANSTAB_LO(T_AS)), ctx->bus[empty_root]);
	t_unlock(ctx, t_lockaddr(0, ~0ULL, 15), AS_COMMAND_UNLOCK);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_B);
	t_wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_UPDATE);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), -1);
	KUNIT_EXPECT_EQ(test, fs, 0xC0 | FIELD_PREP(AS_FAULTSTATUS_ACCESS_TYPE,
						    PVM_SIM_ACCESS_READ));

	/* Other address spaces are untouched. */
	KUNIT_EXPECT_EQ(test, t_rd64(ctx, AS_TRANSTAB_LO(T_AS + 1)), 0);
	KUNIT_EXPECT_EQ(test, t_rd(ctx, AS_TRANSCFG_LO(T_AS + 1)),
			AS_TRANSCFG_ADRMODE_UNMAPPED);
}

/* A bounded TLB evicts; an unbounded one never does. */
static void pvm_sim_test_tlb_bounded(struct kunit *test)
{
	struct pvm_sim_config cfg = pvm_simt_default_cfg;
	struct t_ctx *ctx;
	u32 fs;
	int i;

	cfg.tlb_entries = 4;
	ctx = pvm_simt_setup(test, &cfg);
	pvm_simt_build(ctx);
	for (i = 0; i < 8; i++)
		t_set(ctx, ctx->l3, i, ctx->bus[ctx->data_b] | T_PTE_RW, true);
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_EQ(test, t_read8(ctx, (T_VA & ~(u64)(SZ_2M - 1)) + i * SZ_4K, &fs),
				T_PATTERN_B);
	KUNIT_EXPECT_GT(test, t_stat(ctx, PVM_SIM_STAT_TLB_EVICTIONS), 0);
	KUNIT_EXPECT_LE(test, ctx->sim->as[T_AS].tlb_count, 4);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_TLB_HITS), 0);
}

/* ---- the reference walk: what translates a VA, without the TLB ---- */

static void pvm_sim_test_leaf_log2_page(struct kunit *test)
{
	struct t_ctx *ctx = pvm_simt_setup(test, &pvm_simt_default_cfg);
	u64 block;
	u32 log2 = 0;

	pvm_simt_build(ctx);
	KUNIT_EXPECT_EQ(test, pvm_sim_leaf_log2(ctx->sim, T_AS, T_VA, &log2), 0);
	KUNIT_EXPECT_EQ(test, log2, 12);
	log2 = 0;
	KUNIT_EXPECT_EQ(test, pvm_sim_leaf_log2(ctx->sim, T_AS, T_VA + 0x123, &log2), 0);
	KUNIT_EXPECT_EQ(test, log2, 12);

	/* Unmapped VAs: an invalid L3 entry, an invalid L0 entry. */
	KUNIT_EXPECT_EQ(test, pvm_sim_leaf_log2(ctx->sim, T_AS, T_VA + SZ_4K, &log2),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, pvm_sim_leaf_log2(ctx->sim, T_AS, T_VA ^ BIT_ULL(39), &log2),
			-ENOENT);
	/* An AS that does not translate. */
	KUNIT_EXPECT_EQ(test, pvm_sim_leaf_log2(ctx->sim, T_AS + 1, T_VA, &log2),
			-EINVAL);

	/* A reference walk is not a GPU access: no walk, no TLB entry. */
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_ACCESSES), 0);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_WALKS), 0);
	KUNIT_EXPECT_EQ(test, ctx->sim->as[T_AS].tlb_count, 0);

	/* It reads the table as it is now: a 2 MiB block, no invalidation. */
	block = ctx->bus[ctx->data_a] & ~(u64)(SZ_2M - 1);
	t_set(ctx, ctx->l2, t_idx(T_VA, 2), block | T_BLOCK_RW, true);
	KUNIT_EXPECT_EQ(test, pvm_sim_leaf_log2(ctx->sim, T_AS, T_VA + SZ_4K, &log2), 0);
	KUNIT_EXPECT_EQ(test, log2, 21);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 0);
}

static struct kunit_case pvm_sim_test_cases[] = {
	KUNIT_CASE_PARAM(pvm_sim_test_faults, t_fault_gen_params),
	KUNIT_CASE(pvm_sim_test_ias32),
	KUNIT_CASE(pvm_sim_test_span),
	KUNIT_CASE(pvm_sim_test_stale_tlb),
	KUNIT_CASE(pvm_sim_test_stale_walk_cache),
	KUNIT_CASE(pvm_sim_test_update),
	KUNIT_CASE(pvm_sim_test_tlb_bounded),
	KUNIT_CASE(pvm_sim_test_leaf_log2_page),
	{}
};

static struct kunit_suite pvm_sim_test_suite = {
	.name = "panthor_vm_sim",
	.test_cases = pvm_sim_test_cases,
};

kunit_test_suite(pvm_sim_test_suite);
