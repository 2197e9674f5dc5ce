// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 *
 * Page-table KUnit suite "pvm_pt_gpu": the tables as the GPU reads them.
 * The attribute bits of leaf descriptors, per mapping flag and coherency,
 * and a software GPU behind a system MMU walking a table.
 */

#include <kunit/test.h>
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/xarray.h>

#include "../pvm_device.h"
#include "../pvm_mmu.h"
#include "../pvm_pt.h"
#include "../pvm_regs.h"
#include <linux/io.h>

#include "../sim/pvm_sim.h"
#include "pvm_pt_test.h"

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
	struct ptt *c = pvm_ptt_create(test, 48, SZ_4K | SZ_2M, p->coherent);
	u32 levels = 4, lvl;
	dma_addr_t table, dma;
	u64 va = SZ_2M, desc = 0;
	u32 flags;

	KUNIT_ASSERT_EQ(test, pvm_ptt_map(c, va, SZ_2M, SZ_2M + SZ_4K, p->flags), 0);
	/* Both the 2M block and the 4K page after it. */
	for (; va <= SZ_4M; va += SZ_2M) {
		table = pvm_pt_root_dma(&c->pt);
		for (lvl = 4 - levels; lvl < 4; lvl++) {
			struct ptt_page *pg = pvm_ptt_page(&c->mem, table);

			desc = pg->dev[(va >> PVM_PT_LEVEL_SHIFT(lvl)) & 511];
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

/*
 * The software GPU walks our table (non-coherent walker behind a system
 * MMU) and must read what iova_to_phys() says each address maps to.
 */
struct ptt_sim {
	struct pvm_sim *sim;
	struct device *dev;
	void __iomem *regs;
	struct xarray pages;
	struct pvm_pt pt;
	struct page *data[4];
	dma_addr_t bus[4];
};

static void *ptt_sim_alloc(void *priv, dma_addr_t *dma)
{
	struct ptt_sim *s = priv;
	struct page *page = alloc_page(GFP_KERNEL);
	dma_addr_t bus;

	if (!page)
		return NULL;
	/* Uncleared, as the driver's pool hands pages out; the GPU sees it. */
	memset(page_address(page), PVM_PT_TEST_GARBAGE, PAGE_SIZE);
	bus = dma_map_page(s->dev, page, 0, PAGE_SIZE, DMA_TO_DEVICE);
	if (dma_mapping_error(s->dev, bus)) {
		__free_page(page);
		return NULL;
	}
	if (xa_err(xa_store(&s->pages, bus >> PAGE_SHIFT, page, GFP_KERNEL))) {
		dma_unmap_page(s->dev, bus, PAGE_SIZE, DMA_TO_DEVICE);
		__free_page(page);
		return NULL;
	}
	dma_sync_single_for_device(s->dev, bus, PAGE_SIZE, DMA_TO_DEVICE);
	*dma = bus;
	return page_address(page);
}

static void ptt_sim_free(void *priv, void *cpu, dma_addr_t dma)
{
	struct ptt_sim *s = priv;
	struct page *page = xa_erase(&s->pages, dma >> PAGE_SHIFT);

	dma_unmap_page(s->dev, dma, PAGE_SIZE, DMA_TO_DEVICE);
	__free_page(page);
}

static void ptt_sim_sync(void *priv, dma_addr_t dma, size_t size)
{
	struct ptt_sim *s = priv;

	dma_sync_single_for_device(s->dev, dma, size, DMA_TO_DEVICE);
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
		dma_unmap_page(s->dev, s->bus[i], PAGE_SIZE,
			       DMA_BIDIRECTIONAL);
		__free_page(s->data[i]);
	}
	xa_destroy(&s->pages);
	iounmap(s->regs);
	pvm_sim_destroy(s->sim);
}

static void ptt_sim_write64(struct ptt_sim *s, u32 reg, u64 val)
{
	writel(lower_32_bits(val), s->regs + reg);
	writel(upper_32_bits(val), s->regs + reg + 4);
}

/* Point AS 1 at the table; UPDATE also drops its TLB. */
static void ptt_sim_update(struct ptt_sim *s)
{
	ptt_sim_write64(s, AS_TRANSTAB_LO(1), pvm_pt_root_dma(&s->pt));
	ptt_sim_write64(s, AS_MEMATTR_LO(1), pvm_mmu_memattr(false));
	ptt_sim_write64(s, AS_TRANSCFG_LO(1),
			pvm_mmu_transcfg(s->pt.cfg.va_bits, false));
	writel(AS_COMMAND_UPDATE, s->regs + AS_COMMAND(1));
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
	s->sim = pvm_sim_create(&scfg, PVM_SIM_TEST_DEVICE_NAME);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s->sim);
	s->dev = pvm_sim_dev(s->sim);
	s->regs = ioremap(pvm_sim_mmio(s->sim)->start,
			  resource_size(pvm_sim_mmio(s->sim)));
	if (!s->regs) {
		pvm_sim_destroy(s->sim);
		KUNIT_FAIL(test, "cannot map the software GPU's registers");
		return;
	}
	xa_init(&s->pages);
	feat = readl(s->regs + GPU_MMU_FEATURES);
	cfg.va_bits = FIELD_GET(GPU_MMU_FEATURES_VA_BITS, feat);
	cfg.pa_bits = FIELD_GET(GPU_MMU_FEATURES_PA_BITS, feat);
	cfg.priv = s;
	if (pvm_pt_init(&s->pt, &cfg)) {
		xa_destroy(&s->pages);
		iounmap(s->regs);
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
		s->bus[i] = dma_map_page(s->dev, s->data[i], 0, PAGE_SIZE,
					 DMA_BIDIRECTIONAL);
		KUNIT_ASSERT_FALSE(test, dma_mapping_error(s->dev, s->bus[i]));
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

static struct kunit_case pvm_pt_gpu_test_cases[] = {
	KUNIT_CASE_PARAM(pvm_pt_test_attrs, ptt_attr_gen_params),
	KUNIT_CASE(pvm_pt_test_sim_walk),
	{}
};

static struct kunit_suite pvm_pt_gpu_test_suite = {
	.name = "pvm_pt_gpu",
	.test_cases = pvm_pt_gpu_test_cases,
};

kunit_test_suite(pvm_pt_gpu_test_suite);
