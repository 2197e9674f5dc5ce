/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-vm authors
 *
 * Harness shared by the software GPU KUnit suites (tests/pvm_sim*_test.c):
 * a standalone software GPU with its registers ioremap()ed, pages mapped
 * for it with the DMA API, hand-built page tables and register helpers.
 * The out-of-line helpers are implemented in pvm_sim_test.c.
 */
#ifndef __PVM_SIM_TEST_H__
#define __PVM_SIM_TEST_H__

#include <kunit/test.h>

#include <linux/bitfield.h>
#include <linux/dma-mapping.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/minmax.h>
#include <linux/sizes.h>
#include <linux/types.h>

#include "../sim/pvm_sim.h"
#include "../sim/pvm_sim_priv.h"

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
/* A read-write block descriptor (levels 1 and 2). */
#define T_BLOCK_RW	(PVM_PTE_TYPE_BLOCK | PVM_PTE_AF | PVM_PTE_AP_UNPRIV | \
			 FIELD_PREP(PVM_PTE_ATTRINDX, PVM_ATTR_IDX_WB))
#define T_TABLE		PVM_PTE_TYPE_TABLE
#define T_PATTERN_A	0xa5
#define T_PATTERN_B	0x5b
/* Access-type field of a read, in AS_FAULTSTATUS and GPU_FAULT_STATUS. */
#define T_FS_READ	FIELD_PREP(AS_FAULTSTATUS_ACCESS_TYPE, PVM_SIM_ACCESS_READ)
#define T_BUS_READ	FIELD_PREP(GPU_FAULT_STATUS_ACCESS_TYPE, PVM_SIM_ACCESS_READ)

/**
 * struct t_ctx - one test's software GPU and the pages mapped for it
 */
struct t_ctx {
	/** @test: the running test */
	struct kunit *test;
	/** @sim: software GPU */
	struct pvm_sim *sim;
	/** @dev: its platform device, which pages are mapped for */
	struct device *dev;
	/** @regs: its register window, ioremap()ed */
	void __iomem *regs;
	/** @pages: pages from pvm_simt_page() */
	struct page *pages[T_MAX_PAGES];
	/** @bus: their bus addresses, DMA_MAPPING_ERROR once unmapped */
	dma_addr_t bus[T_MAX_PAGES];
	/** @npages: entries used in @pages */
	int npages;
	/** @l0: root table of the standard path for T_VA (pvm_simt_build()) */
	int l0;
	/** @l1: level-1 table of the standard path */
	int l1;
	/** @l2: level-2 table of the standard path */
	int l2;
	/** @l3: level-3 table of the standard path */
	int l3;
	/** @data_a: data page T_VA maps, filled with T_PATTERN_A */
	int data_a;
	/** @data_b: data page left unmapped, filled with T_PATTERN_B */
	int data_b;
};

extern const struct pvm_sim_config pvm_simt_default_cfg;

struct t_ctx *pvm_simt_setup(struct kunit *test,
			     const struct pvm_sim_config *cfg);
int pvm_simt_page(struct t_ctx *ctx, u8 fill);
void pvm_simt_unmap(struct t_ctx *ctx, int i);
void pvm_simt_build(struct t_ctx *ctx);

static inline u32 t_rd(struct t_ctx *ctx, u32 reg)
{
	return readl(ctx->regs + reg);
}

static inline void t_wr(struct t_ctx *ctx, u32 reg, u32 val)
{
	writel(val, ctx->regs + reg);
}

static inline void t_wr64(struct t_ctx *ctx, u32 reg, u64 val)
{
	t_wr(ctx, reg, lower_32_bits(val));
	t_wr(ctx, reg + 4, upper_32_bits(val));
}

static inline u64 t_rd64(struct t_ctx *ctx, u32 reg)
{
	return t_rd(ctx, reg) | ((u64)t_rd(ctx, reg + 4) << 32);
}

static inline u64 t_stat(struct t_ctx *ctx, enum pvm_sim_stat id)
{
	return pvm_sim_stat(ctx->sim, id);
}

/* Write descriptor @idx of table page @tbl, synced for the GPU if @sync. */
static inline void t_set(struct t_ctx *ctx, int tbl, u32 idx, u64 desc,
			 bool sync)
{
	u64 *va = kmap_local_page(ctx->pages[tbl]);

	WRITE_ONCE(va[idx], desc);
	kunmap_local(va);
	if (sync)
		dma_sync_single_for_device(ctx->dev, ctx->bus[tbl] + idx * 8, 8,
					   DMA_TO_DEVICE);
}

static inline u32 t_idx(u64 va, u32 level)
{
	return (va >> PVM_PT_LEVEL_SHIFT(level)) & (PVM_PT_ENTRIES - 1);
}

static inline void t_as_enable(struct t_ctx *ctx, u32 as, u64 transtab,
			       u64 transcfg)
{
	t_wr64(ctx, AS_TRANSTAB_LO(as), transtab);
	t_wr64(ctx, AS_MEMATTR_LO(as), T_MEMATTR);
	t_wr64(ctx, AS_TRANSCFG_LO(as), transcfg);
	t_wr(ctx, AS_COMMAND(as), AS_COMMAND_UPDATE);
}

static inline int t_xfer(struct t_ctx *ctx, u64 va, void *buf, size_t size,
			 enum pvm_sim_access access, u32 *fs, u64 *fa)
{
	return pvm_sim_gpu_xfer(ctx->sim, T_AS, va, buf, size, access, fs, fa);
}

/* Read one byte at @va; returns the byte, or -1 with *fs set on a fault. */
static inline int t_read8(struct t_ctx *ctx, u64 va, u32 *fs)
{
	u64 fa;
	u8 b;

	KUNIT_ASSERT_EQ(ctx->test,
			t_xfer(ctx, va, &b, 1, PVM_SIM_ACCESS_READ, fs, &fa), 0);
	return *fs ? -1 : b;
}

/* Program LOCKADDR of @as and write an AS command. */
static inline void t_as_cmd(struct t_ctx *ctx, u32 as, u64 lockaddr, u32 cmd)
{
	t_wr64(ctx, AS_LOCKADDR_LO(as), lockaddr);
	t_wr(ctx, AS_COMMAND(as), cmd);
}

static inline void t_unlock(struct t_ctx *ctx, u64 lockaddr, u32 cmd)
{
	t_as_cmd(ctx, T_AS, lockaddr, cmd);
}

/* LOCKADDR for [start, start + size) with the drivers' formula. */
static inline u64 t_lockaddr(u64 start, u64 size, u32 min_log2)
{
	u32 s = max_t(u32, fls64(start ^ (start + size - 1)), min_log2);
	u64 base = s >= 64 ? 0 : start & ~(BIT_ULL(s) - 1);

	return base | (s - 1);
}

#endif /* __PVM_SIM_TEST_H__ */
