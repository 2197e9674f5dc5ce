// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <kunit/test.h>

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/highmem.h>
#include <linux/interrupt.h>
#include <linux/kthread.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>

#include "../pvm_device.h"
#include "../pvm_sim_priv.h"

/**
 * DOC: Software GPU tests
 *
 * Every test builds a standalone software GPU with pvm_sim_create(), builds
 * page tables by hand in pages mapped through the sim's own DMA ops, and
 * programs the GPU only through its register callbacks, as the driver
 * does. Tests check FAULTSTATUS values, data read through the GPU, register
 * and counter values.
 */

#define T_MAX_PAGES	32
#define T_AS		1
/* A VA with a different, non-zero index at every level: 1/2/3/5. */
#define T_VA		((1ULL << 39) | (2ULL << 30) | (3ULL << 21) | (5ULL << 12))
#define T_TRANSCFG	(FIELD_PREP(AS_TRANSCFG_ADRMODE, AS_TRANSCFG_ADRMODE_AARCH64_4K) | \
			 FIELD_PREP(AS_TRANSCFG_INA_BITS, 55 - 48) | \
			 FIELD_PREP(AS_TRANSCFG_PTW_MEMATTR, AS_TRANSCFG_PTW_MEMATTR_WB) | \
			 AS_TRANSCFG_PTW_RA)
#define T_ATTR_FAULT	2
#define T_MEMATTR	(AS_MEMATTR_BYTE(PVM_ATTR_IDX_WB, 0x8D) | \
			 AS_MEMATTR_BYTE(PVM_ATTR_IDX_NC, 0x4C) | \
			 AS_MEMATTR_BYTE(T_ATTR_FAULT, \
					 FIELD_PREP(AS_MEMATTR_TYPE, AS_MEMATTR_TYPE_FAULT)))
#define T_PTE_RW	(PVM_PTE_TYPE_PAGE | PVM_PTE_AF | PVM_PTE_AP_UNPRIV | \
			 FIELD_PREP(PVM_PTE_ATTRINDX, PVM_ATTR_IDX_WB))
#define T_TABLE		PVM_PTE_TYPE_TABLE
#define T_PATTERN_A	0xa5
#define T_PATTERN_B	0x5b

struct t_ctx {
	struct kunit *test;
	struct pvm_sim *sim;
	const struct pvm_io_ops *io;
	const struct pvm_dma_ops *dma;
	struct page *pages[T_MAX_PAGES];
	dma_addr_t bus[T_MAX_PAGES];
	int npages;
	/* The standard path for T_VA: tables and two data pages. */
	int l0, l1, l2, l3, data_a, data_b;
};

static const struct pvm_sim_config t_default_cfg = {
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
		ctx->dma->unmap_page(ctx->sim, ctx->bus[i], PAGE_SIZE,
				     DMA_BIDIRECTIONAL);
		__free_page(ctx->pages[i]);
	}
	pvm_sim_destroy(ctx->sim);
}

static struct t_ctx *t_setup(struct kunit *test, const struct pvm_sim_config *cfg)
{
	struct t_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->test = test;
	ctx->sim = pvm_sim_create(cfg);
	KUNIT_ASSERT_FALSE(test, IS_ERR(ctx->sim));
	ctx->io = pvm_sim_io_ops();
	ctx->dma = pvm_sim_dma_ops();
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_ctx_release, ctx), 0);
	return ctx;
}

static u32 rd(struct t_ctx *ctx, u32 reg)
{
	return ctx->io->read(ctx->sim, reg);
}

static void wr(struct t_ctx *ctx, u32 reg, u32 val)
{
	ctx->io->write(ctx->sim, reg, val);
}

static void wr64(struct t_ctx *ctx, u32 reg, u64 val)
{
	wr(ctx, reg, lower_32_bits(val));
	wr(ctx, reg + 4, upper_32_bits(val));
}

static u64 rd64(struct t_ctx *ctx, u32 reg)
{
	return rd(ctx, reg) | ((u64)rd(ctx, reg + 4) << 32);
}

static u64 stat(struct t_ctx *ctx, enum pvm_sim_stat id)
{
	return pvm_sim_stat(ctx->sim, id);
}

/* A zeroed page mapped for the GPU, filled with @fill. */
static int t_page(struct t_ctx *ctx, u8 fill)
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
	ctx->bus[i] = ctx->dma->map_page(ctx->sim, ctx->pages[i], PAGE_SIZE,
					 DMA_BIDIRECTIONAL);
	KUNIT_ASSERT_NE(test, ctx->bus[i], DMA_MAPPING_ERROR);
	ctx->npages++;
	return i;
}

static void t_set(struct t_ctx *ctx, int tbl, u32 idx, u64 desc, bool sync)
{
	u64 *va = kmap_local_page(ctx->pages[tbl]);

	WRITE_ONCE(va[idx], desc);
	kunmap_local(va);
	if (sync)
		ctx->dma->sync_for_device(ctx->sim, ctx->bus[tbl] + idx * 8, 8,
					  DMA_TO_DEVICE);
}

static u32 t_idx(u64 va, u32 level)
{
	return (va >> PVM_PT_LEVEL_SHIFT(level)) & (PVM_PT_ENTRIES - 1);
}

static void t_as_enable(struct t_ctx *ctx, u32 as, u64 transtab, u64 transcfg)
{
	wr64(ctx, AS_TRANSTAB_LO(as), transtab);
	wr64(ctx, AS_MEMATTR_LO(as), T_MEMATTR);
	wr64(ctx, AS_TRANSCFG_LO(as), transcfg);
	wr(ctx, AS_COMMAND(as), AS_COMMAND_UPDATE);
}

/* Build L0..L3 for T_VA -> data page A (data page B is left unmapped). */
static void t_build(struct t_ctx *ctx)
{
	ctx->l0 = t_page(ctx, 0);
	ctx->l1 = t_page(ctx, 0);
	ctx->l2 = t_page(ctx, 0);
	ctx->l3 = t_page(ctx, 0);
	ctx->data_a = t_page(ctx, T_PATTERN_A);
	ctx->data_b = t_page(ctx, T_PATTERN_B);
	t_set(ctx, ctx->l0, t_idx(T_VA, 0), ctx->bus[ctx->l1] | T_TABLE, true);
	t_set(ctx, ctx->l1, t_idx(T_VA, 1), ctx->bus[ctx->l2] | T_TABLE, true);
	t_set(ctx, ctx->l2, t_idx(T_VA, 2), ctx->bus[ctx->l3] | T_TABLE, true);
	t_set(ctx, ctx->l3, t_idx(T_VA, 3), ctx->bus[ctx->data_a] | T_PTE_RW, true);
	t_as_enable(ctx, T_AS, ctx->bus[ctx->l0], T_TRANSCFG);
}

static int t_xfer(struct t_ctx *ctx, u64 va, void *buf, size_t size,
		  enum pvm_sim_access access, u32 *fs, u64 *fa)
{
	return pvm_sim_gpu_xfer(ctx->sim, T_AS, va, buf, size, access, fs, fa);
}

/* Read one byte at @va; returns the byte, or -1 with *fs set on a fault. */
static int t_read8(struct t_ctx *ctx, u64 va, u32 *fs)
{
	u64 fa;
	u8 b;

	KUNIT_ASSERT_EQ(ctx->test, t_xfer(ctx, va, &b, 1, PVM_SIM_ACCESS_READ, fs, &fa), 0);
	return *fs ? -1 : b;
}

static void t_unlock(struct t_ctx *ctx, u64 lockaddr, u32 cmd)
{
	wr64(ctx, AS_LOCKADDR_LO(T_AS), lockaddr);
	wr(ctx, AS_COMMAND(T_AS), cmd);
}

/* LOCKADDR for [start, start + size) with the drivers' formula. */
static u64 t_lockaddr(u64 start, u64 size, u32 min_log2)
{
	u32 s = max_t(u32, fls64(start ^ (start + size - 1)), min_log2);
	u64 base = s >= 64 ? 0 : start & ~(BIT_ULL(s) - 1);

	return base | (s - 1);
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
	struct t_ctx *ctx = t_setup(test, &t_default_cfg);
	int tbl[4], data, i;
	u64 va = T_VA ^ c->va_xor, fa, desc, phys, *p;
	u32 fs, expected;
	u8 buf[16];

	t_build(ctx);
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

	wr(ctx, MMU_INT_MASK, ~0);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = 0x10 + i;
	KUNIT_ASSERT_EQ(test, t_xfer(ctx, va, buf, sizeof(buf), c->access,
				     &fs, &fa), 0);

	if (!c->exc) {
		KUNIT_EXPECT_EQ(test, fs, 0);
		KUNIT_EXPECT_EQ(test, rd(ctx, MMU_INT_RAWSTAT), 0);
		KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_FAULTS), 0);
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
	KUNIT_EXPECT_EQ(test, rd(ctx, AS_FAULTSTATUS(T_AS)), expected);
	KUNIT_EXPECT_EQ(test, rd64(ctx, AS_FAULTADDRESS_LO(T_AS)), va);
	KUNIT_EXPECT_EQ(test, rd(ctx, MMU_INT_RAWSTAT), BIT(T_AS));
	KUNIT_EXPECT_EQ(test, rd(ctx, MMU_INT_STAT), BIT(T_AS));
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_FAULTS), 1);
	KUNIT_EXPECT_TRUE(test, pvm_sim_irq_asserted(ctx->sim, PVM_SIM_IRQ_MMU));
	/* A faulting write does not reach memory. */
	p = kmap_local_page(ctx->pages[data]);
	KUNIT_EXPECT_EQ(test, ((u8 *)p)[T_VA & ~PAGE_MASK], T_PATTERN_A);
	kunmap_local(p);
}

/* ---- a smaller input size starts the walk at level 1 ---- */

static void pvm_sim_test_ias32(struct kunit *test)
{
	struct t_ctx *ctx = t_setup(test, &t_default_cfg);
	u64 va = (3ULL << 30) | (7ULL << 21) | (9ULL << 12);
	u64 cfg = (T_TRANSCFG & ~AS_TRANSCFG_INA_BITS) |
		  FIELD_PREP(AS_TRANSCFG_INA_BITS, 55 - 32);
	int l1 = t_page(ctx, 0), l2 = t_page(ctx, 0), l3 = t_page(ctx, 0);
	int data = t_page(ctx, T_PATTERN_B);
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
	struct t_ctx *ctx = t_setup(test, &t_default_cfg);
	u8 *buf = kunit_kzalloc(test, 6000, GFP_KERNEL);
	u64 va = T_VA + SZ_4K - 100, fa;
	u8 *p;
	u32 fs;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	t_build(ctx);
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
	struct t_ctx *ctx = t_setup(test, &t_default_cfg);
	u32 fs;

	t_build(ctx);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_TLB_MISSES), 1);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_WALKS), 1);

	/* Remap to B without invalidation: the TLB still says A. */
	t_set(ctx, ctx->l3, t_idx(T_VA, 3), ctx->bus[ctx->data_b] | T_PTE_RW, true);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_TLB_HITS), 1);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_STALE_TRANSLATIONS), 1);

	/* UNLOCK of a disjoint region (the next 32 KiB) keeps it. */
	t_unlock(ctx, t_lockaddr((T_VA & ~(u64)(SZ_32K - 1)) + SZ_32K, SZ_4K, 15),
		 AS_COMMAND_UNLOCK);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_STALE_TRANSLATIONS), 2);

	/* UNLOCK of an overlapping region drops it. */
	t_unlock(ctx, t_lockaddr(T_VA, SZ_4K, 15), AS_COMMAND_UNLOCK);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_B);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_STALE_TRANSLATIONS), 2);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_UNLOCK), 2);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 0);
}

/* A table pointer replaced without invalidation: the walk cache keeps it. */
static void pvm_sim_test_stale_walk_cache(struct kunit *test)
{
	struct t_ctx *ctx = t_setup(test, &t_default_cfg);
	int l3b;
	u32 fs;

	t_build(ctx);
	l3b = t_page(ctx, 0);
	/* A second L3 table mapping T_VA and T_VA + 4K to B. */
	t_set(ctx, l3b, t_idx(T_VA, 3), ctx->bus[ctx->data_b] | T_PTE_RW, true);
	t_set(ctx, l3b, t_idx(T_VA, 3) + 1, ctx->bus[ctx->data_b] | T_PTE_RW, true);
	t_set(ctx, ctx->l3, t_idx(T_VA, 3) + 1, ctx->bus[ctx->data_a] | T_PTE_RW, true);

	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);
	t_set(ctx, ctx->l2, t_idx(T_VA, 2), ctx->bus[l3b] | T_TABLE, true);
	/* The neighbour page is not in the TLB but its walk uses the cache. */
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA + SZ_4K, &fs), T_PATTERN_A);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_WALK_CACHE_HITS), 1);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_STALE_TRANSLATIONS), 1);

	t_unlock(ctx, t_lockaddr(T_VA, SZ_8K, 15), AS_COMMAND_UNLOCK);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA + SZ_4K, &fs), T_PATTERN_B);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_B);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_STALE_TRANSLATIONS), 1);
}

/* UPDATE drops the AS's TLB; TRANSTAB only goes live on UPDATE. */
static void pvm_sim_test_update(struct kunit *test)
{
	struct t_ctx *ctx = t_setup(test, &t_default_cfg);
	int empty_root;
	u32 fs;

	t_build(ctx);
	empty_root = t_page(ctx, 0);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);
	t_set(ctx, ctx->l3, t_idx(T_VA, 3), ctx->bus[ctx->data_b] | T_PTE_RW, true);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);

	wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_UPDATE);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_B);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_UPDATE), 2);

	/* Programmed but not live: still translated by the old root. */
	wr64(ctx, AS_TRANSTAB_LO(T_AS), ctx->bus[empty_root]);
	KUNIT_EXPECT_EQ(test, rd64(ctx, AS_TRANSTAB_LO(T_AS)), ctx->bus[empty_root]);
	t_unlock(ctx, t_lockaddr(0, ~0ULL, 15), AS_COMMAND_UNLOCK);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_B);
	wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_UPDATE);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), -1);
	KUNIT_EXPECT_EQ(test, fs, 0xC0 | FIELD_PREP(AS_FAULTSTATUS_ACCESS_TYPE,
						    PVM_SIM_ACCESS_READ));

	/* Other address spaces are untouched. */
	KUNIT_EXPECT_EQ(test, rd64(ctx, AS_TRANSTAB_LO(T_AS + 1)), 0);
	KUNIT_EXPECT_EQ(test, rd(ctx, AS_TRANSCFG_LO(T_AS + 1)),
			AS_TRANSCFG_ADRMODE_UNMAPPED);
}

/* A bounded TLB evicts; an unbounded one never does. */
static void pvm_sim_test_tlb_bounded(struct kunit *test)
{
	struct pvm_sim_config cfg = t_default_cfg;
	struct t_ctx *ctx;
	u32 fs;
	int i;

	cfg.tlb_entries = 4;
	ctx = t_setup(test, &cfg);
	t_build(ctx);
	for (i = 0; i < 8; i++)
		t_set(ctx, ctx->l3, i, ctx->bus[ctx->data_b] | T_PTE_RW, true);
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_EQ(test, t_read8(ctx, (T_VA & ~(u64)(SZ_2M - 1)) + i * SZ_4K, &fs),
				T_PATTERN_B);
	KUNIT_EXPECT_GT(test, stat(ctx, PVM_SIM_STAT_TLB_EVICTIONS), 0);
	KUNIT_EXPECT_LE(test, ctx->sim->as[T_AS].tlb_count, 4);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_TLB_HITS), 0);
}

/* ---- LOCKADDR decode ---- */

struct t_lock_case {
	const char *name;
	u32 profile;
	u64 start, size;	/* range, or 0/0 to use @lockaddr as is */
	u64 lockaddr;
	u64 first, last;
	bool ok;
};

static const struct t_lock_case t_lock_cases[] = {
	{ "0x4F000 + 8K (kbase example)", 10, 0x4F000, SZ_8K, 0x40010, 0x40000, 0x5FFFF, true },
	{ "0x10000000 + 4K", 10, 0x10000000, SZ_4K, 0x1000000E, 0x10000000, 0x10007FFF, true },
	{ "0x200000 + 2M", 10, 0x200000, SZ_2M, 0x200014, 0x200000, 0x3FFFFF, true },
	{ "0x1FF000 + 8K straddles 2M", 10, 0x1FF000, SZ_8K, 0x15, 0, 0x3FFFFF, true },
	{ "0x7FFF0000 + 128K straddles 2G", 10, 0x7FFF0000, SZ_128K, 0x1F, 0, 0xFFFFFFFF, true },
	{ "whole space (0, ~0)", 10, 0, ~0ULL, 0x3F, 0, U64_MAX, true },
	{ "base bits below size ignored", 10, 0, 0, 0x12345000 | 15, 0x12340000, 0x1234FFFF, true },
	{ "SIZE 47 = VA size: everything", 10, 0, 0, 0x800000000000ULL | 47, 0, U64_MAX, true },
	{ "SIZE 46: half the VA space", 10, 0, 0, 0x800000000000ULL | 46,
	  0x800000000000ULL, 0xFFFFFFFFFFFFULL, true },
	{ "arch10 4K is below minimum", 10, 0, 0, 0x10000000 | 11, 0x10000000, 0x10007FFF, false },
	{ "arch10 SIZE 0", 10, 0, 0, 0x10003000, 0x10000000, 0x10007FFF, false },
	{ "arch10 skip levels reserved", 10, 0, 0, 0x10000000 | (1 << 6) | 14,
	  0x10000000, 0x10007FFF, false },
	{ "reserved bit 10", 10, 0, 0, 0x10000000 | BIT(10) | 14, 0x10000000, 0x10007FFF, false },
	{ "arch12 4K", 12, 0x10001000, SZ_4K, 0x1000100B, 0x10001000, 0x10001FFF, true },
	{ "arch12 skip levels", 12, 0, 0, 0x10001000 | (0xE << 6) | 11,
	  0x10001000, 0x10001FFF, true },
	{ "arch12 2K below minimum", 12, 0, 0, 0x10001000 | 10, 0x10001000, 0x10001FFF, false },
};

static void t_lock_case_desc(const struct t_lock_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(t_lock, t_lock_cases, t_lock_case_desc);

static void pvm_sim_test_lockaddr(struct kunit *test)
{
	const struct t_lock_case *c = test->param_value;
	struct pvm_sim_config cfg = t_default_cfg;
	struct pvm_sim_region r;
	struct t_ctx *ctx;
	u32 skip;

	cfg.profile = c->profile;
	ctx = t_setup(test, &cfg);

	if (c->size)
		KUNIT_EXPECT_EQ(test, t_lockaddr(c->start, c->size,
						 c->profile == 12 ? 12 : 15),
				c->lockaddr);
	KUNIT_EXPECT_EQ(test, pvm_sim_lockaddr_decode(ctx->sim, c->lockaddr,
						      &r, &skip), c->ok);
	KUNIT_EXPECT_EQ(test, r.start, c->first);
	KUNIT_EXPECT_EQ(test, r.last, c->last);

	/* Through the registers: a malformed value is a driver error. */
	t_unlock(ctx, c->lockaddr, AS_COMMAND_LOCK);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), c->ok ? 0 : 1);
	KUNIT_EXPECT_TRUE(test, ctx->sim->as[T_AS].locked);
	KUNIT_EXPECT_EQ(test, ctx->sim->as[T_AS].lock.start, c->first);
	KUNIT_EXPECT_EQ(test, ctx->sim->as[T_AS].lock.last, c->last);
}

/* ---- lock regions stall accesses until UNLOCK ---- */

struct t_bg_access {
	struct t_ctx *ctx;
	u64 va;
	u8 byte;
	u32 fs;
	int ret;
	struct completion done;
};

static int t_bg_read(void *data)
{
	struct t_bg_access *bg = data;
	u64 fa;

	bg->ret = pvm_sim_gpu_xfer(bg->ctx->sim, T_AS, bg->va, &bg->byte, 1,
				   PVM_SIM_ACCESS_READ, &bg->fs, &fa);
	complete(&bg->done);
	return 0;
}

static struct t_bg_access *t_bg_start(struct t_ctx *ctx, u64 va)
{
	struct t_bg_access *bg = kunit_kzalloc(ctx->test, sizeof(*bg), GFP_KERNEL);
	struct task_struct *t;

	KUNIT_ASSERT_NOT_NULL(ctx->test, bg);
	bg->ctx = ctx;
	bg->va = va;
	init_completion(&bg->done);
	t = kthread_run(t_bg_read, bg, "pvm-sim-test");
	KUNIT_ASSERT_FALSE(ctx->test, IS_ERR(t));
	return bg;
}

static void pvm_sim_test_lock_stall(struct kunit *test)
{
	struct t_ctx *ctx = t_setup(test, &t_default_cfg);
	struct t_bg_access *bg;
	u64 lock = t_lockaddr(T_VA, SZ_4K, 15);
	u32 fs;

	t_build(ctx);
	t_set(ctx, ctx->l3, t_idx(T_VA, 3) + 8, ctx->bus[ctx->data_b] | T_PTE_RW, true);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);

	t_unlock(ctx, lock, AS_COMMAND_LOCK);
	/* Outside the 32 KiB region: not stalled. */
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA + SZ_32K, &fs), T_PATTERN_B);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_STALLS), 0);

	bg = t_bg_start(ctx, T_VA);
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&bg->done,
							  msecs_to_jiffies(100)), 0);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_STALLS), 1);

	/* Remap under the lock, then UNLOCK: the replay sees the new page. */
	t_set(ctx, ctx->l3, t_idx(T_VA, 3), ctx->bus[ctx->data_b] | T_PTE_RW, true);
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&bg->done,
							  msecs_to_jiffies(20)), 0);
	wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_UNLOCK);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&bg->done, HZ), 0);
	KUNIT_EXPECT_EQ(test, bg->ret, 0);
	KUNIT_EXPECT_EQ(test, bg->fs, 0);
	KUNIT_EXPECT_EQ(test, bg->byte, T_PATTERN_B);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_STALLS), 1);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_STALE_TRANSLATIONS), 0);
}

/* Switching a stalled AS to UNMAPPED terminates the access. */
static void pvm_sim_test_unmapped(struct kunit *test)
{
	struct t_ctx *ctx = t_setup(test, &t_default_cfg);
	struct t_bg_access *bg;
	u32 fs, terminated = 0xC0 | FIELD_PREP(AS_FAULTSTATUS_ACCESS_TYPE,
					       PVM_SIM_ACCESS_READ);

	t_build(ctx);
	wr(ctx, MMU_INT_MASK, ~0);
	t_unlock(ctx, t_lockaddr(0, ~0ULL, 15), AS_COMMAND_LOCK);
	bg = t_bg_start(ctx, T_VA);
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&bg->done,
							  msecs_to_jiffies(50)), 0);

	wr64(ctx, AS_TRANSCFG_LO(T_AS), AS_TRANSCFG_ADRMODE_UNMAPPED);
	wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_UPDATE);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&bg->done, HZ), 0);
	KUNIT_EXPECT_EQ(test, bg->ret, 0);
	KUNIT_EXPECT_EQ(test, bg->fs, terminated);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), -1);
	KUNIT_EXPECT_EQ(test, fs, terminated);
	/* Terminated, not faulted: nothing latched. */
	KUNIT_EXPECT_EQ(test, rd(ctx, MMU_INT_RAWSTAT), 0);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_TERMINATED), 2);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_FAULTS), 0);
}

/* ---- GPU agents: an atomic remap is never observed half done ---- */

struct t_agent_expect {
	u8 a, b;
};

static bool t_agent_check(void *priv, u64 va, const void *data, size_t size)
{
	const struct t_agent_expect *e = priv;
	const u8 *p = data;
	size_t i;

	for (i = 0; i < size; i++) {
		if (p[i] != e->a && p[i] != e->b)
			return false;
	}
	return true;
}

static void t_remap(struct t_ctx *ctx, int data, bool atomic)
{
	u64 lock = t_lockaddr(T_VA, SZ_4K, 15);

	if (atomic)
		t_unlock(ctx, lock, AS_COMMAND_LOCK);
	/* Break before make: unmap, invalidate, then map the new page. */
	t_set(ctx, ctx->l3, t_idx(T_VA, 3), 0, true);
	if (!atomic)
		t_unlock(ctx, lock, AS_COMMAND_UNLOCK);
	msleep(20);
	t_set(ctx, ctx->l3, t_idx(T_VA, 3), ctx->bus[data] | T_PTE_RW, true);
	t_unlock(ctx, lock, AS_COMMAND_FLUSH_PT);
}

static void pvm_sim_test_agent(struct kunit *test)
{
	struct t_ctx *ctx = t_setup(test, &t_default_cfg);
	struct t_agent_expect e = { T_PATTERN_A, T_PATTERN_B };
	struct pvm_sim_agent_stats st;
	struct pvm_sim_agent *agent;

	t_build(ctx);
	agent = pvm_sim_agent_start(ctx->sim, T_AS, T_VA, SZ_4K, 512,
				    t_agent_check, &e);
	KUNIT_ASSERT_FALSE(test, IS_ERR(agent));
	msleep(20);
	t_remap(ctx, ctx->data_b, true);
	msleep(20);
	t_remap(ctx, ctx->data_a, true);
	msleep(20);
	pvm_sim_agent_stop(agent, &st);
	KUNIT_EXPECT_GT(test, st.reads, 0);
	KUNIT_EXPECT_GT(test, st.passes, 0);
	KUNIT_EXPECT_EQ(test, st.faults, 0);
	KUNIT_EXPECT_EQ(test, st.first_fault_status, 0);
	KUNIT_EXPECT_EQ(test, st.mismatches, 0);
	KUNIT_EXPECT_EQ(test, st.errors, 0);
	KUNIT_EXPECT_GT(test, stat(ctx, PVM_SIM_STAT_STALLS), 0);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_FLUSH_PT), 2);

	/* Without the lock the agent sees the hole. */
	agent = pvm_sim_agent_start(ctx->sim, T_AS, T_VA, SZ_4K, 512,
				    t_agent_check, &e);
	KUNIT_ASSERT_FALSE(test, IS_ERR(agent));
	msleep(20);
	t_remap(ctx, ctx->data_b, false);
	msleep(20);
	pvm_sim_agent_stop(agent, &st);
	KUNIT_EXPECT_GT(test, st.faults, 0);
	KUNIT_EXPECT_EQ(test, st.first_fault_status,
			0xC3 | FIELD_PREP(AS_FAULTSTATUS_ACCESS_TYPE, PVM_SIM_ACCESS_READ));
	KUNIT_EXPECT_EQ(test, st.first_fault_address & ~(u64)(SZ_4K - 1), T_VA);
	KUNIT_EXPECT_GT(test, st.reads, 0);
	KUNIT_EXPECT_EQ(test, st.bytes, st.reads * 512);
	KUNIT_EXPECT_EQ(test, st.mismatches, 0);
}

/* ---- AS_ACTIVE busy time ---- */

static bool t_wait_inactive(struct t_ctx *ctx, u32 as)
{
	int i;

	for (i = 0; i < 1000; i++) {
		if (!(rd(ctx, AS_STATUS(as)) & AS_STATUS_ACTIVE))
			return true;
		usleep_range(1000, 2000);
	}
	return false;
}

static void pvm_sim_test_as_active(struct kunit *test)
{
	struct pvm_sim_config cfg = t_default_cfg;
	struct t_ctx *ctx;
	u32 fs;

	cfg.as_active_us = 50000;
	ctx = t_setup(test, &cfg);
	t_build(ctx);
	KUNIT_ASSERT_TRUE(test, t_wait_inactive(ctx, T_AS));
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);
	t_set(ctx, ctx->l3, t_idx(T_VA, 3), ctx->bus[ctx->data_b] | T_PTE_RW, true);

	t_unlock(ctx, t_lockaddr(T_VA, SZ_4K, 15), AS_COMMAND_UNLOCK);
	KUNIT_EXPECT_EQ(test, rd(ctx, AS_STATUS(T_AS)), AS_STATUS_ACTIVE);
	/* The invalidation has not happened until the command completes. */
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);

	/* A command while AS_ACTIVE is a driver error and is dropped. */
	wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_LOCK);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 1);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_COMMANDS), 3);

	/* Other slots are independent. */
	KUNIT_EXPECT_EQ(test, rd(ctx, AS_STATUS(T_AS + 1)), 0);

	KUNIT_ASSERT_TRUE(test, t_wait_inactive(ctx, T_AS));
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_B);
	KUNIT_EXPECT_FALSE(test, ctx->sim->as[T_AS].locked);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_LOCK), 0);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_UNLOCK), 1);

	wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_LOCK);
	KUNIT_ASSERT_TRUE(test, t_wait_inactive(ctx, T_AS));
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 1);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_LOCK), 1);
}

/* ---- interrupts: latch, mask, write-1-to-clear, the real IRQ line ---- */

struct t_irq {
	struct t_ctx *ctx;
	atomic_t count;
	u32 stat;
	struct completion done;
};

static irqreturn_t t_mmu_irq(int irq, void *data)
{
	struct t_irq *ti = data;

	/* Like the driver: read STAT, mask everything, handle later. */
	ti->stat = rd(ti->ctx, MMU_INT_STAT);
	if (!ti->stat)
		return IRQ_NONE;
	wr(ti->ctx, MMU_INT_MASK, 0);
	atomic_inc(&ti->count);
	complete(&ti->done);
	return IRQ_HANDLED;
}

static void t_free_irq(void *data)
{
	struct t_irq *ti = data;

	free_irq(pvm_sim_irq(ti->ctx->sim, PVM_SIM_IRQ_MMU), ti);
}

static void pvm_sim_test_irq(struct kunit *test)
{
	struct t_ctx *ctx = t_setup(test, &t_default_cfg);
	u32 read = FIELD_PREP(AS_FAULTSTATUS_ACCESS_TYPE, PVM_SIM_ACCESS_READ);
	struct t_irq *ti = kunit_kzalloc(test, sizeof(*ti), GFP_KERNEL);
	u32 fs;

	KUNIT_ASSERT_NOT_NULL(test, ti);
	ti->ctx = ctx;
	init_completion(&ti->done);
	KUNIT_ASSERT_EQ(test, request_irq(pvm_sim_irq(ctx->sim, PVM_SIM_IRQ_MMU),
					  t_mmu_irq, 0, "pvm-sim-test", ti), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_free_irq, ti), 0);
	t_build(ctx);

	/* Masked: latched in RAWSTAT, STAT stays 0, line low. */
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA + SZ_4K, &fs), -1);
	KUNIT_EXPECT_EQ(test, rd(ctx, MMU_INT_RAWSTAT), BIT(T_AS));
	KUNIT_EXPECT_EQ(test, rd(ctx, MMU_INT_STAT), 0);
	KUNIT_EXPECT_FALSE(test, pvm_sim_irq_asserted(ctx->sim, PVM_SIM_IRQ_MMU));
	KUNIT_EXPECT_EQ(test, rd(ctx, AS_FAULTSTATUS(T_AS)), 0xC3 | read);
	KUNIT_EXPECT_EQ(test, rd64(ctx, AS_FAULTADDRESS_LO(T_AS)), T_VA + SZ_4K);

	/* A second fault while the bit is set is not latched. */
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA ^ BIT_ULL(39), &fs), -1);
	KUNIT_EXPECT_EQ(test, fs, 0xC0 | read);
	KUNIT_EXPECT_EQ(test, rd(ctx, AS_FAULTSTATUS(T_AS)), 0xC3 | read);
	KUNIT_EXPECT_EQ(test, rd64(ctx, AS_FAULTADDRESS_LO(T_AS)), T_VA + SZ_4K);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_FAULTS), 2);

	/* Unmasking raises the line and the handler runs. */
	wr(ctx, MMU_INT_MASK, BIT(T_AS));
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&ti->done, HZ), 0);
	KUNIT_EXPECT_EQ(test, ti->stat, BIT(T_AS));
	KUNIT_EXPECT_EQ(test, rd(ctx, MMU_INT_MASK), 0);

	/* W1C: writing another bit clears nothing; FAULTSTATUS stays. */
	wr(ctx, MMU_INT_CLEAR, BIT(T_AS + 1));
	KUNIT_EXPECT_EQ(test, rd(ctx, MMU_INT_RAWSTAT), BIT(T_AS));
	wr(ctx, MMU_INT_CLEAR, BIT(T_AS));
	KUNIT_EXPECT_EQ(test, rd(ctx, MMU_INT_RAWSTAT), 0);
	KUNIT_EXPECT_EQ(test, rd(ctx, AS_FAULTSTATUS(T_AS)), 0xC3 | read);

	/* Cleared: the next fault latches again and interrupts again. */
	reinit_completion(&ti->done);
	wr(ctx, MMU_INT_MASK, BIT(T_AS));
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA ^ BIT_ULL(39), &fs), -1);
	KUNIT_EXPECT_EQ(test, rd(ctx, AS_FAULTSTATUS(T_AS)), 0xC0 | read);
	KUNIT_EXPECT_EQ(test, rd64(ctx, AS_FAULTADDRESS_LO(T_AS)), T_VA ^ BIT_ULL(39));
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&ti->done, HZ), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ti->count), 2);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_MMU_IRQS), 2);
	wr(ctx, MMU_INT_CLEAR, ~0);
	KUNIT_EXPECT_FALSE(test, pvm_sim_irq_asserted(ctx->sim, PVM_SIM_IRQ_MMU));
}

/* ---- system MMU ---- */

static void pvm_sim_test_smmu(struct kunit *test)
{
	struct pvm_sim_config cfg = t_default_cfg;
	u32 read = FIELD_PREP(AS_FAULTSTATUS_ACCESS_TYPE, PVM_SIM_ACCESS_READ);
	struct t_ctx *ctx;
	u64 phys;
	u32 fs;

	cfg.smmu = true;
	ctx = t_setup(test, &cfg);
	t_build(ctx);
	wr(ctx, GPU_INT_MASK, ~0);
	phys = page_to_phys(ctx->pages[ctx->data_b]);
	KUNIT_EXPECT_EQ(test, ctx->bus[ctx->data_b], phys + PVM_SIM_SMMU_BUS_OFFSET);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);

	/* A physical address in a PTE: bus fault on the data access. */
	t_set(ctx, ctx->l3, t_idx(T_VA, 3) + 1, phys | T_PTE_RW, true);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA + SZ_4K, &fs), -1);
	KUNIT_EXPECT_EQ(test, fs, GPU_EXC_BUS_FAULT | read);
	KUNIT_EXPECT_EQ(test, rd(ctx, GPU_INT_RAWSTAT), GPU_IRQ_FAULT);
	KUNIT_EXPECT_EQ(test, rd(ctx, GPU_FAULT_STATUS),
			GPU_EXC_BUS_FAULT | read | GPU_FAULT_STATUS_ADDRESS_VALID |
			GPU_FAULT_STATUS_JASID_VALID |
			FIELD_PREP(GPU_FAULT_STATUS_JASID, T_AS));
	KUNIT_EXPECT_EQ(test, rd64(ctx, GPU_FAULT_ADDR_LO), phys);
	KUNIT_EXPECT_TRUE(test, pvm_sim_irq_asserted(ctx->sim, PVM_SIM_IRQ_GPU));
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_SMMU_FAULTS), 1);
	wr(ctx, GPU_CMD, GPU_CMD_CLEAR_FAULT);
	wr(ctx, GPU_INT_CLEAR, GPU_IRQ_FAULT);
	KUNIT_EXPECT_EQ(test, rd(ctx, GPU_FAULT_STATUS), 0);
	KUNIT_EXPECT_FALSE(test, pvm_sim_irq_asserted(ctx->sim, PVM_SIM_IRQ_GPU));

	/* A physical table address: TRANSTAB bus fault at that level. */
	t_set(ctx, ctx->l2, t_idx(T_VA, 2),
	      page_to_phys(ctx->pages[ctx->l3]) | T_TABLE, true);
	wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_UPDATE);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), -1);
	KUNIT_EXPECT_EQ(test, fs, 0xD3 | read);
	KUNIT_EXPECT_EQ(test, rd(ctx, AS_FAULTSTATUS(T_AS)), 0xD3 | read);

	/* A physical root: bus fault fetching the level-0 descriptor. */
	wr(ctx, MMU_INT_CLEAR, ~0);
	t_as_enable(ctx, T_AS, page_to_phys(ctx->pages[ctx->l0]), T_TRANSCFG);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), -1);
	KUNIT_EXPECT_EQ(test, fs, 0xD0 | read);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_SMMU_FAULTS), 3);

	/* An unmapped page is gone from the bus. */
	t_as_enable(ctx, T_AS, ctx->bus[ctx->l0], T_TRANSCFG);
	t_set(ctx, ctx->l2, t_idx(T_VA, 2), ctx->bus[ctx->l3] | T_TABLE, true);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);
	ctx->dma->unmap_page(ctx->sim, ctx->bus[ctx->data_a], PAGE_SIZE,
			     DMA_BIDIRECTIONAL);
	wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_UPDATE);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), -1);
	KUNIT_EXPECT_EQ(test, fs, GPU_EXC_BUS_FAULT | read);
	/* Map it back so that teardown balances. */
	KUNIT_EXPECT_EQ(test, ctx->dma->map_page(ctx->sim, ctx->pages[ctx->data_a],
						 PAGE_SIZE, DMA_BIDIRECTIONAL),
			ctx->bus[ctx->data_a]);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 0);
}

/* ---- non-coherent walker ---- */

static void pvm_sim_test_noncoherent(struct kunit *test)
{
	struct pvm_sim_config cfg = t_default_cfg;
	struct t_ctx *ctx;
	u32 fs;

	cfg.noncoherent = true;
	ctx = t_setup(test, &cfg);
	t_build(ctx);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);

	/* PTE written, TLB dropped, but not synced: the walker sees A. */
	t_set(ctx, ctx->l3, t_idx(T_VA, 3), ctx->bus[ctx->data_b] | T_PTE_RW, false);
	wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_UPDATE);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);

	/* A new PTE that was not synced is invisible. */
	t_set(ctx, ctx->l3, t_idx(T_VA, 3) + 1, ctx->bus[ctx->data_b] | T_PTE_RW, false);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA + SZ_4K, &fs), -1);
	KUNIT_EXPECT_EQ(test, fs, 0xC3 | FIELD_PREP(AS_FAULTSTATUS_ACCESS_TYPE,
						    PVM_SIM_ACCESS_READ));

	/* Syncing one entry publishes that entry only. */
	ctx->dma->sync_for_device(ctx->sim, ctx->bus[ctx->l3] + t_idx(T_VA, 3) * 8,
				  8, DMA_TO_DEVICE);
	wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_UPDATE);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_B);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA + SZ_4K, &fs), -1);

	/* Data accesses are not affected. */
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 0);
}

/* ---- profiles ---- */

static void pvm_sim_test_profile_ids(struct kunit *test)
{
	struct pvm_sim_config cfg = t_default_cfg;
	struct t_ctx *ctx;

	cfg.as_count = 4;
	ctx = t_setup(test, &cfg);
	KUNIT_EXPECT_EQ(test, rd(ctx, GPU_ID), 0xa8670000);
	KUNIT_EXPECT_EQ(test, rd(ctx, GPU_MMU_FEATURES), 0x2830);
	KUNIT_EXPECT_EQ(test, rd(ctx, GPU_AS_PRESENT), 0xf);
	/* Registers of absent slots read 0 and ignore writes. */
	wr(ctx, AS_TRANSTAB_LO(5), 0x1000);
	KUNIT_EXPECT_EQ(test, rd(ctx, AS_TRANSTAB_LO(5)), 0);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_UNKNOWN_REGS), 1);

	cfg.profile = PVM_SIM_PROFILE_ARCH12;
	ctx = t_setup(test, &cfg);
	KUNIT_EXPECT_EQ(test, rd(ctx, GPU_ID), 0xc8700000);
	KUNIT_EXPECT_EQ(test, FIELD_GET(GPU_ID_ARCH_MAJOR, rd(ctx, GPU_ID)), 12);

	cfg.profile = 11;
	KUNIT_EXPECT_TRUE(test, IS_ERR(pvm_sim_create(&cfg)));
	cfg.profile = 10;
	cfg.as_count = 17;
	KUNIT_EXPECT_TRUE(test, IS_ERR(pvm_sim_create(&cfg)));
}

static void pvm_sim_test_arch10_flush(struct kunit *test)
{
	struct t_ctx *ctx = t_setup(test, &t_default_cfg);
	u32 fs;

	t_build(ctx);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);
	t_set(ctx, ctx->l3, t_idx(T_VA, 3), ctx->bus[ctx->data_b] | T_PTE_RW, true);
	t_unlock(ctx, t_lockaddr(T_VA, SZ_4K, 15), AS_COMMAND_LOCK);
	wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_FLUSH_MEM);
	KUNIT_EXPECT_FALSE(test, ctx->sim->as[T_AS].locked);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_B);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_FLUSH_MEM), 1);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 0);

	/* GPU_COMMAND cache flushes also exist on arch 10. */
	wr(ctx, GPU_CMD, FIELD_PREP(GPU_CMD_TYPE, GPU_CMD_FLUSH_CACHES) |
	   FIELD_PREP(GPU_CMD_PAYLOAD, GPU_CACHE_CLEAN | GPU_CACHE_INV));
	KUNIT_EXPECT_EQ(test, rd(ctx, GPU_INT_RAWSTAT), GPU_IRQ_CLEAN_CACHES_COMPLETED);

	/* A 4 KiB lock region is malformed on arch 10. */
	t_unlock(ctx, T_VA | 11, AS_COMMAND_UNLOCK);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 1);
}

static void pvm_sim_test_arch12_flush(struct kunit *test)
{
	struct pvm_sim_config cfg = t_default_cfg;
	struct t_ctx *ctx;
	int i;
	u32 fs;

	cfg.profile = PVM_SIM_PROFILE_ARCH12;
	cfg.as_active_us = 20000;
	ctx = t_setup(test, &cfg);
	t_build(ctx);
	KUNIT_ASSERT_TRUE(test, t_wait_inactive(ctx, T_AS));
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);
	t_set(ctx, ctx->l3, t_idx(T_VA, 3), ctx->bus[ctx->data_b] | T_PTE_RW, true);

	/* LOCK with a 4 KiB region is fine on arch 12. */
	t_unlock(ctx, t_lockaddr(T_VA, SZ_4K, 12), AS_COMMAND_LOCK);
	KUNIT_ASSERT_TRUE(test, t_wait_inactive(ctx, T_AS));
	KUNIT_EXPECT_EQ(test, ctx->sim->as[T_AS].lock.last - ctx->sim->as[T_AS].lock.start,
			SZ_4K - 1);

	/* FLUSH_PT / FLUSH_MEM are driver errors and do nothing. */
	wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_FLUSH_PT);
	wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_FLUSH_MEM);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 2);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_FLUSH_PT), 0);
	KUNIT_EXPECT_EQ(test, rd(ctx, AS_STATUS(T_AS)), 0);
	KUNIT_EXPECT_TRUE(test, ctx->sim->as[T_AS].locked);

	/* GPU_COMMAND FLUSH_CACHES completes with bit 17 and the GPU IRQ. */
	wr(ctx, GPU_INT_MASK, GPU_IRQ_CLEAN_CACHES_COMPLETED);
	wr(ctx, GPU_CMD, FIELD_PREP(GPU_CMD_TYPE, GPU_CMD_FLUSH_CACHES) |
	   FIELD_PREP(GPU_CMD_PAYLOAD, GPU_CACHE_CLEAN | GPU_CACHE_INV |
		      ((GPU_CACHE_CLEAN | GPU_CACHE_INV) << 4)));
	KUNIT_EXPECT_EQ(test, rd(ctx, GPU_INT_RAWSTAT), 0);
	KUNIT_EXPECT_EQ(test, rd(ctx, GPU_STATUS), GPU_STATUS_ACTIVE);
	for (i = 0; i < 1000 && !rd(ctx, GPU_INT_RAWSTAT); i++)
		usleep_range(500, 1000);
	KUNIT_EXPECT_EQ(test, rd(ctx, GPU_INT_RAWSTAT), GPU_IRQ_CLEAN_CACHES_COMPLETED);
	KUNIT_EXPECT_EQ(test, rd(ctx, GPU_INT_STAT), GPU_IRQ_CLEAN_CACHES_COMPLETED);
	KUNIT_EXPECT_TRUE(test, pvm_sim_irq_asserted(ctx->sim, PVM_SIM_IRQ_GPU));
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_CACHE_FLUSH), 1);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_GPU_IRQS), 1);
	wr(ctx, GPU_INT_CLEAR, GPU_IRQ_CLEAN_CACHES_COMPLETED);
	KUNIT_EXPECT_FALSE(test, pvm_sim_irq_asserted(ctx->sim, PVM_SIM_IRQ_GPU));

	/* The cache flush neither unlocked nor invalidated: UNLOCK does. */
	KUNIT_EXPECT_TRUE(test, ctx->sim->as[T_AS].locked);
	wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_UNLOCK);
	KUNIT_ASSERT_TRUE(test, t_wait_inactive(ctx, T_AS));
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_B);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 2);
}

/* FLUSH_SKIP_LEVELS keeps the walk cache of skipped levels (arch 12). */
static void pvm_sim_test_skip_levels(struct kunit *test)
{
	struct pvm_sim_config cfg = t_default_cfg;
	struct t_ctx *ctx;
	u32 fs;

	cfg.profile = PVM_SIM_PROFILE_ARCH12;
	ctx = t_setup(test, &cfg);
	t_build(ctx);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);
	/* Drop the L2 table pointer; skipping levels 0-2 keeps it cached. */
	t_set(ctx, ctx->l2, t_idx(T_VA, 2), 0, true);
	t_unlock(ctx, t_lockaddr(T_VA, SZ_4K, 12) |
		 FIELD_PREP(AS_LOCKADDR_FLUSH_SKIP_LEVELS, 0x7), AS_COMMAND_UNLOCK);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);
	KUNIT_EXPECT_EQ(test, stat(ctx, PVM_SIM_STAT_WALK_CACHE_HITS), 1);
	t_unlock(ctx, t_lockaddr(T_VA, SZ_4K, 12), AS_COMMAND_UNLOCK);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), -1);
	KUNIT_EXPECT_EQ(test, fs, 0xC2 | FIELD_PREP(AS_FAULTSTATUS_ACCESS_TYPE,
						    PVM_SIM_ACCESS_READ));
}

/* ---- counters ---- */

static void pvm_sim_test_stats(struct kunit *test)
{
	struct t_ctx *ctx = t_setup(test, &t_default_cfg);
	static const char * const required[] = {
		"commands", "lock", "unlock", "flush_pt", "flush_mem",
		"cache_flush", "update", "driver_errors", "accesses", "stalls",
		"faults", "tlb_hits", "tlb_misses", "walks",
		"stale_translations", "smmu_faults",
	};
	struct seq_file m = {};
	char line[64];
	u64 v;
	u32 fs;
	int i;

	t_build(ctx);
	t_read8(ctx, T_VA, &fs);
	t_read8(ctx, T_VA, &fs);
	KUNIT_EXPECT_EQ(test, pvm_sim_stat_by_name(ctx->sim, "accesses", &v), 0);
	KUNIT_EXPECT_EQ(test, v, 2);
	KUNIT_EXPECT_EQ(test, pvm_sim_stat_by_name(ctx->sim, "update", &v), 0);
	KUNIT_EXPECT_EQ(test, v, 1);
	KUNIT_EXPECT_EQ(test, pvm_sim_stat_by_name(ctx->sim, "nope", &v), -ENOENT);

	m.size = PAGE_SIZE;
	m.buf = kunit_kzalloc(test, m.size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.buf);
	/* A leading newline so that every line can be matched as "\nname v\n". */
	m.buf[0] = '\n';
	m.count = 1;
	pvm_sim_stats_show(ctx->sim, &m);
	KUNIT_ASSERT_LT(test, m.count, m.size);
	for (i = 0; i < ARRAY_SIZE(required); i++) {
		KUNIT_EXPECT_EQ(test, pvm_sim_stat_by_name(ctx->sim, required[i], &v), 0);
		snprintf(line, sizeof(line), "\n%s %llu\n", required[i],
			 (unsigned long long)v);
		KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(m.buf, line),
					  "missing line for %s", required[i]);
	}
	KUNIT_EXPECT_NOT_NULL(test, strstr(m.buf, "\naccesses 2\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m.buf, "\ntlb_hits 1\n"));

	pvm_sim_stats_reset(ctx->sim);
	for (i = 0; i < PVM_SIM_NR_STATS; i++)
		KUNIT_EXPECT_EQ(test, stat(ctx, i), 0);
	KUNIT_EXPECT_STREQ(test, pvm_sim_stat_name(PVM_SIM_STAT_SMMU_FAULTS), "smmu_faults");
}

static struct kunit_case pvm_sim_test_cases[] = {
	KUNIT_CASE_PARAM(pvm_sim_test_faults, t_fault_gen_params),
	KUNIT_CASE(pvm_sim_test_ias32),
	KUNIT_CASE(pvm_sim_test_span),
	KUNIT_CASE(pvm_sim_test_stale_tlb),
	KUNIT_CASE(pvm_sim_test_stale_walk_cache),
	KUNIT_CASE(pvm_sim_test_update),
	KUNIT_CASE(pvm_sim_test_tlb_bounded),
	KUNIT_CASE_PARAM(pvm_sim_test_lockaddr, t_lock_gen_params),
	KUNIT_CASE(pvm_sim_test_lock_stall),
	KUNIT_CASE(pvm_sim_test_unmapped),
	KUNIT_CASE(pvm_sim_test_agent),
	KUNIT_CASE(pvm_sim_test_as_active),
	KUNIT_CASE(pvm_sim_test_irq),
	KUNIT_CASE(pvm_sim_test_smmu),
	KUNIT_CASE(pvm_sim_test_noncoherent),
	KUNIT_CASE(pvm_sim_test_profile_ids),
	KUNIT_CASE(pvm_sim_test_arch10_flush),
	KUNIT_CASE(pvm_sim_test_arch12_flush),
	KUNIT_CASE(pvm_sim_test_skip_levels),
	KUNIT_CASE(pvm_sim_test_stats),
	{}
};

static struct kunit_suite pvm_sim_test_suite = {
	.name = "panthor_vm_sim",
	.test_cases = pvm_sim_test_cases,
};

kunit_test_suite(pvm_sim_test_suite);
