// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 *
 * Software GPU KUnit suite "panthor_vm_sim_bus": what lies between the GPU
 * and memory. The system MMU (IOVAs, one range per scatter table, bus
 * faults on unmapped and physical addresses), the non-coherent walker, and
 * GPU agents reading while the page table changes. See the DOC in
 * pvm_sim_test.c.
 */

#include <kunit/test.h>

#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>

#include "pvm_sim_test.h"

/* ---- system MMU ---- */

static void pvm_sim_test_smmu(struct kunit *test)
{
	struct pvm_sim_config cfg = pvm_simt_default_cfg;
	u32 read = T_FS_READ;
	struct t_ctx *ctx;
	dma_addr_t bus;
	u64 phys;
	u32 fs;

	cfg.smmu = true;
	ctx = pvm_simt_setup(test, &cfg);
	pvm_simt_build(ctx);
	t_wr(ctx, GPU_INT_MASK, ~0);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_SMMU_MAPS), ctx->npages);

	/* Bus addresses are IOVAs, far from any physical address. */
	phys = page_to_phys(ctx->pages[ctx->data_b]);
	bus = ctx->bus[ctx->data_b];
	KUNIT_EXPECT_GE(test, bus, PVM_SIM_IOVA_BASE);
	KUNIT_EXPECT_LT(test, bus, PVM_SIM_IOVA_END);
	KUNIT_EXPECT_TRUE(test, pvm_sim_bus_mapped(ctx->sim, bus));
	KUNIT_EXPECT_FALSE(test, pvm_sim_bus_mapped(ctx->sim, phys));
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);

	/* A physical address in a PTE: bus fault on the data access. */
	t_set(ctx, ctx->l3, t_idx(T_VA, 3) + 1, phys | T_PTE_RW, true);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA + SZ_4K, &fs), -1);
	KUNIT_EXPECT_EQ(test, fs, GPU_EXC_BUS_FAULT | read);
	KUNIT_EXPECT_EQ(test, t_rd(ctx, GPU_INT_RAWSTAT), GPU_IRQ_FAULT);
	KUNIT_EXPECT_EQ(test, t_rd(ctx, GPU_FAULT_STATUS),
			GPU_EXC_BUS_FAULT | read | GPU_FAULT_STATUS_ADDRESS_VALID |
			GPU_FAULT_STATUS_JASID_VALID |
			FIELD_PREP(GPU_FAULT_STATUS_JASID, T_AS));
	KUNIT_EXPECT_EQ(test, t_rd64(ctx, GPU_FAULT_ADDR_LO), phys);
	KUNIT_EXPECT_TRUE(test, pvm_sim_irq_asserted(ctx->sim, PVM_SIM_IRQ_GPU));
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_SMMU_FAULTS), 1);
	t_wr(ctx, GPU_CMD, GPU_CMD_CLEAR_FAULT);
	t_wr(ctx, GPU_INT_CLEAR, GPU_IRQ_FAULT);
	KUNIT_EXPECT_EQ(test, t_rd(ctx, GPU_FAULT_STATUS), 0);
	KUNIT_EXPECT_FALSE(test, pvm_sim_irq_asserted(ctx->sim, PVM_SIM_IRQ_GPU));

	/* A physical table address: TRANSTAB bus fault at that level. */
	t_set(ctx, ctx->l2, t_idx(T_VA, 2),
	      page_to_phys(ctx->pages[ctx->l3]) | T_TABLE, true);
	t_wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_UPDATE);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), -1);
	KUNIT_EXPECT_EQ(test, fs, 0xD3 | read);
	KUNIT_EXPECT_EQ(test, t_rd(ctx, AS_FAULTSTATUS(T_AS)), 0xD3 | read);

	/* A physical root: bus fault fetching the level-0 descriptor. */
	t_wr(ctx, MMU_INT_CLEAR, ~0);
	t_as_enable(ctx, T_AS, page_to_phys(ctx->pages[ctx->l0]), T_TRANSCFG);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), -1);
	KUNIT_EXPECT_EQ(test, fs, 0xD0 | read);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_SMMU_FAULTS), 3);

	/* An unmapped page is gone from the bus. */
	t_as_enable(ctx, T_AS, ctx->bus[ctx->l0], T_TRANSCFG);
	t_set(ctx, ctx->l2, t_idx(T_VA, 2), ctx->bus[ctx->l3] | T_TABLE, true);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);
	bus = ctx->bus[ctx->data_a];
	/* The TLB forgets the page before it leaves the bus, as it must. */
	t_wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_UPDATE);
	pvm_simt_unmap(ctx, ctx->data_a);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_SMMU_UNMAPS), 1);
	KUNIT_EXPECT_FALSE(test, pvm_sim_bus_mapped(ctx->sim, bus));
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), -1);
	KUNIT_EXPECT_EQ(test, fs, GPU_EXC_BUS_FAULT | read);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 0);
}

/*
 * dma_unmap_page() removes the SMMU translation at once; a GPU TLB entry
 * that still points at the IOVA then reaches nothing: a bus fault, not a
 * read of the page.
 */
static void pvm_sim_test_smmu_unmap_stale_tlb_faults(struct kunit *test)
{
	struct pvm_sim_config cfg = pvm_simt_default_cfg;
	struct t_ctx *ctx;
	dma_addr_t bus;
	u32 fs;

	cfg.smmu = true;
	ctx = pvm_simt_setup(test, &cfg);
	pvm_simt_build(ctx);
	bus = ctx->bus[ctx->data_a];

	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_TLB_MISSES), 1);
	KUNIT_EXPECT_TRUE(test, pvm_sim_bus_mapped(ctx->sim, bus));

	/* Neither the page table nor the TLB is touched: a driver error. */
	pvm_simt_unmap(ctx, ctx->data_a);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_SMMU_UNMAPS), 1);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 1);
	KUNIT_EXPECT_FALSE(test, pvm_sim_bus_mapped(ctx->sim, bus));

	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), -1);
	KUNIT_EXPECT_EQ(test, fs, GPU_EXC_BUS_FAULT | T_BUS_READ);
	/* Translated by the stale TLB entry, no walk. */
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_TLB_HITS), 1);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_WALKS), 1);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_STALE_TRANSLATIONS), 0);
	/* A bus fault on the data: GPU_FAULT_*, no MMU fault. */
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_BUS_FAULTS), 1);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_SMMU_FAULTS), 1);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_FAULTS), 0);
	KUNIT_EXPECT_EQ(test, t_rd(ctx, MMU_INT_RAWSTAT), 0);
	KUNIT_EXPECT_EQ(test, t_rd(ctx, GPU_INT_RAWSTAT), GPU_IRQ_FAULT);
	KUNIT_EXPECT_EQ(test, FIELD_GET(GPU_FAULT_STATUS_EXCEPTION_TYPE,
					t_rd(ctx, GPU_FAULT_STATUS)),
			GPU_EXC_BUS_FAULT);
	KUNIT_EXPECT_EQ(test, t_rd64(ctx, GPU_FAULT_ADDR_LO),
			bus + (T_VA & ~PAGE_MASK));
	/* Only the unmap under a live TLB entry was an error. */
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 1);
}

/* With an SMMU, a physical address in a descriptor reaches nothing. */
static void pvm_sim_test_smmu_phys_in_pte_faults(struct kunit *test)
{
	struct pvm_sim_config cfg = pvm_simt_default_cfg;
	u32 write = FIELD_PREP(GPU_FAULT_STATUS_ACCESS_TYPE, PVM_SIM_ACCESS_WRITE);
	u32 idx = t_idx(T_VA, 3);
	struct t_ctx *ctx;
	u8 buf[4] = {};
	u64 phys, fa;
	u8 *p;
	u32 fs;

	cfg.smmu = true;
	ctx = pvm_simt_setup(test, &cfg);
	pvm_simt_build(ctx);
	phys = page_to_phys(ctx->pages[ctx->data_b]);
	KUNIT_EXPECT_NE(test, ctx->bus[ctx->data_b], phys);
	KUNIT_EXPECT_FALSE(test, pvm_sim_bus_mapped(ctx->sim, phys));

	/* The page's IOVA in a PTE reaches it... */
	t_set(ctx, ctx->l3, idx + 1, ctx->bus[ctx->data_b] | T_PTE_RW, true);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA + SZ_4K, &fs), T_PATTERN_B);

	/* ...its physical address does not, for reads or writes. */
	t_set(ctx, ctx->l3, idx + 2, phys | T_PTE_RW, true);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA + 2 * SZ_4K, &fs), -1);
	KUNIT_EXPECT_EQ(test, fs, GPU_EXC_BUS_FAULT | T_BUS_READ);
	KUNIT_EXPECT_EQ(test, t_rd64(ctx, GPU_FAULT_ADDR_LO), phys);
	KUNIT_ASSERT_EQ(test, t_xfer(ctx, T_VA + 2 * SZ_4K, buf, sizeof(buf),
				     PVM_SIM_ACCESS_WRITE, &fs, &fa), 0);
	KUNIT_EXPECT_EQ(test, fs, GPU_EXC_BUS_FAULT | write);
	KUNIT_EXPECT_EQ(test, fa, T_VA + 2 * SZ_4K);
	p = kmap_local_page(ctx->pages[ctx->data_b]);
	KUNIT_EXPECT_EQ(test, p[0], T_PATTERN_B);
	kunmap_local(p);

	/* Bus faults, not MMU faults: the translation itself was fine. */
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_SMMU_FAULTS), 2);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_FAULTS), 0);
	KUNIT_EXPECT_EQ(test, t_rd(ctx, MMU_INT_RAWSTAT), 0);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 0);
}

/* ---- a scatter table behind the SMMU: one IOVA range, 2 MiB blocks ---- */

#define T_SG_PAGES	1024

struct t_sg {
	struct device *dev;
	struct sg_table sgt;
	struct page **pages;
	unsigned int npages;
	bool table;
	bool mapped;
};

static void t_sg_release(void *data)
{
	struct t_sg *s = data;
	unsigned int i;

	if (s->mapped)
		dma_unmap_sgtable(s->dev, &s->sgt, DMA_BIDIRECTIONAL, 0);
	if (s->table)
		sg_free_table(&s->sgt);
	for (i = 0; i < s->npages; i++)
		__free_page(s->pages[i]);
}

/* Where page @i of the scatter table holds its marker, and the marker. */
static u32 t_sg_off(unsigned int i)
{
	return (i * 68) & (PAGE_SIZE - 4);
}

static u32 t_sg_marker(unsigned int i)
{
	return 0x5a5a0000 | i;
}

static void pvm_sim_test_smmu_sgtable_contiguous(struct kunit *test)
{
	static const unsigned int check[] = { 0, 1, 255, 511, 512, 513, 800, 1023 };
	u64 base = T_VA & ~(u64)(SZ_2M - 1), va, fa;
	struct pvm_sim_config cfg = pvm_simt_default_cfg;
	unsigned int i, *lens, changed = 0;
	u32 fs, val, log2 = 0;
	struct scatterlist *sg;
	struct t_ctx *ctx;
	dma_addr_t iova;
	struct t_sg *s;
	void *p;

	cfg.smmu = true;
	ctx = pvm_simt_setup(test, &cfg);
	pvm_simt_build(ctx);

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	s->dev = ctx->dev;
	s->pages = kunit_kcalloc(test, T_SG_PAGES, sizeof(*s->pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s->pages);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_sg_release, s), 0);

	/* 4 MiB of pages allocated one by one: physically scattered. */
	for (i = 0; i < T_SG_PAGES; i++) {
		s->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		KUNIT_ASSERT_NOT_NULL(test, s->pages[i]);
		s->npages++;
		p = kmap_local_page(s->pages[i]);
		*(u32 *)(p + t_sg_off(i)) = t_sg_marker(i);
		kunmap_local(p);
	}
	KUNIT_ASSERT_EQ(test, sg_alloc_table_from_pages(&s->sgt, s->pages, T_SG_PAGES, 0,
							(unsigned long)T_SG_PAGES * PAGE_SIZE,
							GFP_KERNEL), 0);
	s->table = true;
	lens = kunit_kcalloc(test, s->sgt.orig_nents, sizeof(*lens), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, lens);
	for_each_sgtable_sg(&s->sgt, sg, i)
		lens[i] = sg->length;
	KUNIT_ASSERT_EQ(test, dma_map_sgtable(ctx->dev, &s->sgt, DMA_BIDIRECTIONAL, 0), 0);
	s->mapped = true;

	/*
	 * Merging DMA segments leaves the CPU side of the table alone (it
	 * would not if sg_dma_len() were sg->length, that is without
	 * CONFIG_NEED_SG_DMA_LENGTH).
	 */
	for_each_sgtable_sg(&s->sgt, sg, i)
		changed += sg->length != lens[i];
	KUNIT_EXPECT_EQ_MSG(test, changed, 0, "of %u CPU segments", s->sgt.orig_nents);

	/* One SMMU mapping, one DMA segment, 2 MiB aligned in IOVA space. */
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_SMMU_MAPS), ctx->npages + 1);
	KUNIT_ASSERT_EQ(test, s->sgt.nents, 1);
	iova = sg_dma_address(s->sgt.sgl);
	KUNIT_EXPECT_EQ(test, sg_dma_len(s->sgt.sgl), SZ_4M);
	KUNIT_ASSERT_TRUE(test, IS_ALIGNED(iova, SZ_2M));
	KUNIT_EXPECT_GE(test, iova, PVM_SIM_IOVA_BASE);
	KUNIT_EXPECT_LE(test, iova + SZ_4M, PVM_SIM_IOVA_END);

	/* Map T_VA's 4 MiB with two level-2 blocks at the IOVA. */
	t_set(ctx, ctx->l2, t_idx(base, 2), iova | T_BLOCK_RW, true);
	t_set(ctx, ctx->l2, t_idx(base, 2) + 1, (iova + SZ_2M) | T_BLOCK_RW, true);

	for (i = 0; i < ARRAY_SIZE(check); i++) {
		va = base + (u64)check[i] * SZ_4K + t_sg_off(check[i]);
		val = 0;
		KUNIT_ASSERT_EQ(test, t_xfer(ctx, va, &val, sizeof(val),
					     PVM_SIM_ACCESS_READ, &fs, &fa), 0);
		KUNIT_EXPECT_EQ_MSG(test, fs, 0, "page %u", check[i]);
		KUNIT_EXPECT_EQ_MSG(test, val, t_sg_marker(check[i]), "page %u", check[i]);
	}

	/* A GPU write through a block lands in the right page. */
	val = 0xc0ffee00;
	va = base + 700ULL * SZ_4K + 0x40;
	KUNIT_ASSERT_EQ(test, t_xfer(ctx, va, &val, sizeof(val), PVM_SIM_ACCESS_WRITE,
				     &fs, &fa), 0);
	KUNIT_EXPECT_EQ(test, fs, 0);
	p = kmap_local_page(s->pages[700]);
	KUNIT_EXPECT_EQ(test, *(u32 *)(p + 0x40), 0xc0ffee00);
	kunmap_local(p);

	KUNIT_EXPECT_EQ(test, pvm_sim_leaf_log2(ctx->sim, T_AS, base, &log2), 0);
	KUNIT_EXPECT_EQ(test, log2, 21);
	log2 = 0;
	KUNIT_EXPECT_EQ(test, pvm_sim_leaf_log2(ctx->sim, T_AS, base + SZ_4M - 1, &log2), 0);
	KUNIT_EXPECT_EQ(test, log2, 21);

	/* Unmapping (after the TLB forgot it) takes the range off the bus. */
	t_wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_UPDATE);
	dma_unmap_sgtable(ctx->dev, &s->sgt, DMA_BIDIRECTIONAL, 0);
	s->mapped = false;
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_SMMU_UNMAPS), 1);
	KUNIT_EXPECT_FALSE(test, pvm_sim_bus_mapped(ctx->sim, iova));
	KUNIT_EXPECT_FALSE(test, pvm_sim_bus_mapped(ctx->sim, iova + SZ_4M - SZ_4K));
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 0);
}

/* ---- non-coherent walker ---- */

static void pvm_sim_test_noncoherent(struct kunit *test)
{
	struct pvm_sim_config cfg = pvm_simt_default_cfg;
	struct t_ctx *ctx;
	u32 fs;

	/* The walker's sync is a DMA operation of the system MMU. */
	cfg.smmu = true;
	cfg.noncoherent = true;
	ctx = pvm_simt_setup(test, &cfg);
	pvm_simt_build(ctx);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);

	/* PTE written, TLB dropped, but not synced: the walker sees A. */
	t_set(ctx, ctx->l3, t_idx(T_VA, 3), ctx->bus[ctx->data_b] | T_PTE_RW, false);
	t_wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_UPDATE);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);

	/* A new PTE that was not synced is invisible. */
	t_set(ctx, ctx->l3, t_idx(T_VA, 3) + 1, ctx->bus[ctx->data_b] | T_PTE_RW, false);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA + SZ_4K, &fs), -1);
	KUNIT_EXPECT_EQ(test, fs, 0xC3 | T_FS_READ);

	/* Syncing one entry publishes that entry only. */
	dma_sync_single_for_device(ctx->dev, ctx->bus[ctx->l3] + t_idx(T_VA, 3) * 8,
				   8, DMA_TO_DEVICE);
	t_wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_UPDATE);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_B);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA + SZ_4K, &fs), -1);

	/* Data accesses are not affected. */
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 0);
}

/* ---- GPU agents: an atomic remap is never observed half done ---- */

struct t_agent_expect {
	u8 a, b;
};

static bool t_agent_check(void *priv, u64 va, const void *data, size_t size,
			  ktime_t started)
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
	struct t_ctx *ctx = pvm_simt_setup(test, &pvm_simt_default_cfg);
	struct t_agent_expect e = { T_PATTERN_A, T_PATTERN_B };
	struct pvm_test_agent_stats st;
	struct pvm_test_agent *agent;

	pvm_simt_build(ctx);
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
	KUNIT_EXPECT_GT(test, t_stat(ctx, PVM_SIM_STAT_STALLS), 0);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_FLUSH_PT), 2);

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

static struct kunit_case pvm_sim_bus_test_cases[] = {
	KUNIT_CASE(pvm_sim_test_smmu),
	KUNIT_CASE(pvm_sim_test_smmu_unmap_stale_tlb_faults),
	KUNIT_CASE(pvm_sim_test_smmu_phys_in_pte_faults),
	KUNIT_CASE(pvm_sim_test_smmu_sgtable_contiguous),
	KUNIT_CASE(pvm_sim_test_noncoherent),
	KUNIT_CASE(pvm_sim_test_agent),
	{}
};

static struct kunit_suite pvm_sim_bus_test_suite = {
	.name = "panthor_vm_sim_bus",
	.test_cases = pvm_sim_bus_test_cases,
};

kunit_test_suite(pvm_sim_bus_test_suite);
