// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 *
 * KUnit tests of the VM layer's arithmetic: the op-context reservation
 * plan, the reservation of a mapping from its DMA layout, and the widening
 * of an op's lock region to the blocks its edges cut into. The VM's op
 * execution itself (block cuts, border remaps, repeat splits) is tested
 * against a software GPU in pvm_vm_exec_test.c.
 */

#include <kunit/test.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "../pvm_pt.h"
#include "../pvm_vm.h"

/* Plan table ----------------------------------------------------------- */

struct plan_case {
	const char *name;
	u64 va, size;
	bool map, repeat;
	unsigned int n;
	struct pvm_vm_resv_item items[PVM_VM_RESV_PLAN_MAX];
};

static const struct plan_case plan_cases[] = {
	{
		.name = "map 2M aligned",
		.va = SZ_2M, .size = SZ_2M, .map = true, .n = 2,
		.items = {
			{ SZ_2M, SZ_2M, PVM_PT_OP_UNMAP },
			{ SZ_2M, SZ_2M, PVM_PT_OP_MAP },
		},
	},
	{
		.name = "unmap 4K inside a block",
		.va = SZ_2M + SZ_64K, .size = SZ_4K, .n = 5,
		.items = {
			{ SZ_2M, SZ_2M, PVM_PT_OP_UNMAP },
			{ SZ_2M, SZ_2M, PVM_PT_OP_MAP },
			{ SZ_2M, SZ_2M, PVM_PT_OP_MAP },
			{ SZ_2M, SZ_2M, PVM_PT_OP_REPEAT },
			{ SZ_2M, SZ_2M, PVM_PT_OP_REPEAT },
		},
	},
	{
		.name = "repeat map across a 2M boundary",
		.va = SZ_2M - SZ_64K, .size = SZ_128K, .map = true,
		.repeat = true, .n = 6,
		.items = {
			{ 0, SZ_4M, PVM_PT_OP_UNMAP },
			{ SZ_2M - SZ_64K, SZ_128K, PVM_PT_OP_REPEAT },
			{ 0, SZ_2M, PVM_PT_OP_MAP },
			{ SZ_2M, SZ_2M, PVM_PT_OP_MAP },
			{ 0, SZ_2M, PVM_PT_OP_REPEAT },
			{ SZ_2M, SZ_2M, PVM_PT_OP_REPEAT },
		},
	},
	{
		.name = "unmap left-aligned",
		.va = 0, .size = SZ_8K, .n = 3,
		.items = {
			{ 0, SZ_2M, PVM_PT_OP_UNMAP },
			{ 0, SZ_2M, PVM_PT_OP_MAP },
			{ 0, SZ_2M, PVM_PT_OP_REPEAT },
		},
	},
};

static void plan_desc(const struct plan_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(plan, plan_cases, plan_desc);

static void pvm_vm_test_plan(struct kunit *test)
{
	const struct plan_case *c = test->param_value;
	struct pvm_vm_resv_item items[PVM_VM_RESV_PLAN_MAX];
	unsigned int i, n;

	n = pvm_vm_resv_plan(c->va, c->size, c->map, c->repeat, items);
	KUNIT_ASSERT_EQ(test, n, c->n);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, items[i].va, c->items[i].va, "item %u", i);
		KUNIT_EXPECT_EQ_MSG(test, items[i].size, c->items[i].size,
				    "item %u", i);
		KUNIT_EXPECT_EQ_MSG(test, items[i].kind, c->items[i].kind,
				    "item %u", i);
	}
}

/* A page table in plain memory (DMA address = physical address) ------- */

struct vmt {
	struct pvm_pt pt;
	struct pvm_pt_resv resv;
	struct pvm_pt_free_list fl;
};

static void *vmt_alloc(void *priv, dma_addr_t *dma)
{
	struct page *p = alloc_page(GFP_KERNEL);

	if (!p)
		return NULL;
	/* Uncleared, as the driver's pool hands pages out. */
	memset(page_address(p), 0xa7, PAGE_SIZE);
	*dma = page_to_phys(p);
	return page_address(p);
}

static void vmt_free(void *priv, void *cpu, dma_addr_t dma)
{
	__free_page(virt_to_page(cpu));
}

static void vmt_sync(void *priv, dma_addr_t dma, size_t size)
{
}

static const struct pvm_pt_mem_ops vmt_ops = {
	.alloc_table = vmt_alloc,
	.free_table = vmt_free,
	.sync_for_device = vmt_sync,
};

static void vmt_exit(void *data)
{
	struct vmt *t = data;

	pvm_pt_resv_release(&t->pt, &t->resv);
	pvm_pt_free_list_release(&t->pt, &t->fl);
	pvm_pt_fini(&t->pt);
}

static struct vmt *vmt_create(struct kunit *test)
{
	struct pvm_pt_config cfg = {
		.va_bits = 48, .pa_bits = 48,
		.pgsize_bitmap = SZ_4K | SZ_2M, .coherent = true,
		.ops = &vmt_ops,
	};
	struct vmt *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	cfg.priv = t;
	KUNIT_ASSERT_EQ(test, pvm_pt_init(&t->pt, &cfg), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vmt_exit, t), 0);
	return t;
}

/* Reserve what the plan of an op says. */
static void vmt_reserve(struct kunit *test, struct vmt *t, u64 va, u64 size,
			bool map, bool repeat)
{
	struct pvm_vm_resv_item items[PVM_VM_RESV_PLAN_MAX];
	unsigned int i, n;

	n = pvm_vm_resv_plan(va, size, map, repeat, items);
	for (i = 0; i < n; i++)
		KUNIT_ASSERT_EQ(test, pvm_pt_resv_add(&t->pt, &t->resv,
						      items[i].va,
						      items[i].size,
						      items[i].kind), 0);
}

/* A physically contiguous, 2 MiB aligned fake DMA range. */
#define VMT_DMA		0x40000000ULL

/*
 * pvm_pt_resv_add_map(), which the VM uses for the mapping of an op:
 * leaf tables are reserved exactly for the 2 MiB chunks that will not be
 * blocks, and the map never needs more than the reservation.
 */
struct map_resv_case {
	const char *name;
	u64 va;
	u32 nranges;
	struct pvm_pt_range ranges[4];
	u32 leaves;
};

static const struct map_resv_case map_resv_cases[] = {
	{ "1G of 2M-aligned contiguous memory", SZ_1G, 1,
	  { { VMT_DMA, SZ_1G } }, 0 },
	{ "1G, DMA off by 4K", SZ_1G, 1,
	  { { VMT_DMA + SZ_4K, SZ_1G } }, 512 },
	{ "VA off by 4K", SZ_1G + SZ_4K, 1, { { VMT_DMA, SZ_4M } }, 3 },
	/* Block; page + head of the third range; block (18M is aligned); tail. */
	{ "block, page, blocks", SZ_1G, 3,
	  { { VMT_DMA, SZ_2M }, { VMT_DMA + SZ_8M, SZ_4K },
	    { VMT_DMA + SZ_16M + SZ_4K, SZ_4M } }, 2 },
	{ "two blocks from two ranges", SZ_1G, 2,
	  { { VMT_DMA + SZ_4M, SZ_2M }, { VMT_DMA, SZ_2M } }, 0 },
	{ "4K pages", SZ_1G, 4,
	  { { VMT_DMA, SZ_4K }, { VMT_DMA + SZ_8K, SZ_4K },
	    { VMT_DMA + SZ_16K, SZ_4K }, { VMT_DMA + SZ_64K, SZ_4K } }, 1 },
};

static void map_resv_desc(const struct map_resv_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(map_resv, map_resv_cases, map_resv_desc);

static void pvm_vm_test_map_resv(struct kunit *test)
{
	const struct map_resv_case *c = test->param_value;
	struct vmt *t = vmt_create(test);

	KUNIT_ASSERT_EQ(test, pvm_pt_resv_add_map(&t->pt, &t->resv, c->va,
						  c->ranges, c->nranges), 0);
	KUNIT_EXPECT_EQ(test, t->resv.nleaves, c->leaves);
	KUNIT_ASSERT_EQ(test, pvm_pt_map(&t->pt, &t->resv, &t->fl, c->va,
					 c->ranges, c->nranges, 0), 0);
	/* Exact: every reserved leaf table was used. */
	KUNIT_EXPECT_EQ(test, t->resv.nleaves, 0);
	KUNIT_EXPECT_EQ(test, pvm_pt_check(&t->pt), 0);
}

/*
 * pvm_vm_block_span(), which gives the lock region of an op before its
 * window opens: a 2 MiB block at SPAN_BASE, 4 KiB pages at SPAN_BASE + 4M
 * (their DMA is not 2 MiB aligned) and another block at SPAN_BASE + 8M.
 */
#define SPAN_BASE	SZ_1G

struct span_case {
	const char *name;
	u64 start, end;
	u64 ws, we;
};

static const struct span_case span_cases[] = {
	{ "nothing mapped", SZ_2G, SZ_2G + SZ_8K, SZ_2G, SZ_2G + SZ_8K },
	{ "inside one block", SPAN_BASE + SZ_64K, SPAN_BASE + SZ_64K + SZ_4K,
	  SPAN_BASE, SPAN_BASE + SZ_2M },
	{ "a whole block", SPAN_BASE, SPAN_BASE + SZ_2M,
	  SPAN_BASE, SPAN_BASE + SZ_2M },
	{ "last page of a block", SPAN_BASE + SZ_2M - SZ_4K, SPAN_BASE + SZ_2M,
	  SPAN_BASE, SPAN_BASE + SZ_2M },
	{ "block to pages", SPAN_BASE + SZ_1M, SPAN_BASE + SZ_4M + SZ_8K,
	  SPAN_BASE, SPAN_BASE + SZ_4M + SZ_8K },
	{ "pages to block", SPAN_BASE + SZ_4M + SZ_1M, SPAN_BASE + SZ_8M + SZ_4K,
	  SPAN_BASE + SZ_4M + SZ_1M, SPAN_BASE + SZ_8M + SZ_2M },
	{ "block to block", SPAN_BASE + SZ_2M - SZ_4K, SPAN_BASE + SZ_8M + SZ_4K,
	  SPAN_BASE, SPAN_BASE + SZ_8M + SZ_2M },
	{ "inside pages", SPAN_BASE + SZ_4M + SZ_4K, SPAN_BASE + SZ_4M + SZ_8K,
	  SPAN_BASE + SZ_4M + SZ_4K, SPAN_BASE + SZ_4M + SZ_8K },
	{ "edges in holes", SPAN_BASE + SZ_2M, SPAN_BASE + SZ_4M,
	  SPAN_BASE + SZ_2M, SPAN_BASE + SZ_4M },
};

static void span_desc(const struct span_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(span, span_cases, span_desc);

static void pvm_vm_test_block_span(struct kunit *test)
{
	static const struct {
		u64 va;
		dma_addr_t dma;
		u32 leaf_log2;
	} maps[] = {
		{ SPAN_BASE, VMT_DMA, 21 },
		{ SPAN_BASE + SZ_4M, VMT_DMA + SZ_4K, 12 },
		{ SPAN_BASE + SZ_8M, VMT_DMA + SZ_4M, 21 },
	};
	const struct span_case *c = test->param_value;
	struct vmt *t = vmt_create(test);
	struct pvm_pt_mapping m;
	unsigned int i;
	u64 ws, we;

	for (i = 0; i < ARRAY_SIZE(maps); i++) {
		struct pvm_pt_range r = { maps[i].dma, SZ_2M };

		vmt_reserve(test, t, maps[i].va, SZ_2M, true, false);
		KUNIT_ASSERT_EQ(test, pvm_pt_map(&t->pt, &t->resv, &t->fl,
						 maps[i].va, &r, 1, 0), 0);
		KUNIT_ASSERT_EQ(test, pvm_pt_lookup(&t->pt, maps[i].va, &m), 0);
		KUNIT_ASSERT_EQ(test, m.leaf_size_log2, maps[i].leaf_log2);
	}

	pvm_vm_block_span(&t->pt, c->start, c->end, &ws, &we);
	KUNIT_EXPECT_EQ(test, ws, c->ws);
	KUNIT_EXPECT_EQ(test, we, c->we);
}

static struct kunit_case pvm_vm_test_cases[] = {
	KUNIT_CASE_PARAM(pvm_vm_test_plan, plan_gen_params),
	KUNIT_CASE_PARAM(pvm_vm_test_map_resv, map_resv_gen_params),
	KUNIT_CASE_PARAM(pvm_vm_test_block_span, span_gen_params),
	{}
};

static struct kunit_suite pvm_vm_test_suite = {
	.name = "pvm_vm",
	.test_cases = pvm_vm_test_cases,
};

kunit_test_suite(pvm_vm_test_suite);
