// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

/**
 * DOC: MMU unit tests
 *
 * Pure parts: the lock-region encoding (a table including the worked
 * examples of the hardware notes, plus a property check over random
 * ranges), the MEMATTR and TRANSCFG values and the fault decoder.
 *
 * Against a standalone software GPU, for both profiles and with and
 * without IRQ lines: one op is exactly one LOCK and one flush (+ UNLOCK
 * on arch 12) as counted by the sim, with no driver error; LRU eviction
 * when there are more ASes than slots; an AS inside an op window is not
 * evicted; a stuck AS_ACTIVE gives -ETIMEDOUT in bounded time; a GPU
 * fault disables and masks only the faulting AS and calls its fault
 * callback once.
 */

#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/completion.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/prandom.h>
#include <linux/sizes.h>

#include "../pvm_device.h"
#include "../pvm_mmu.h"
#include "../pvm_regs.h"
#include "../sim/pvm_sim.h"

struct pvm_lockaddr_case {
	const char *name;
	u64 start;
	u64 size;
	unsigned int min_log2;
	u64 lockaddr;
	u64 region_start;
	u64 region_size;
};

static const struct pvm_lockaddr_case pvm_lockaddr_cases[] = {
	{ "kbase example 8K at 0x4f000", 0x4f000, SZ_8K, 15,
	  0x40010, 0x40000, SZ_128K },
	{ "4K rounds up to 32K", 0x10000000, SZ_4K, 15,
	  0x1000000e, 0x10000000, SZ_32K },
	{ "aligned 2M", 0x200000, SZ_2M, 15, 0x200014, 0x200000, SZ_2M },
	{ "8K across 2M boundary", 0x1ff000, SZ_8K, 15, 0x15, 0, SZ_4M },
	{ "128K across 2G boundary", 0x7fff0000, SZ_128K, 15, 0x1f, 0, SZ_4G },
	{ "everything", 0, U64_MAX, 15, 0x3f, 0, 0 },
	{ "whole 48-bit VA", 0, 1ULL << 48, 15, 0x2f, 0, 1ULL << 48 },
	{ "arch12 4K stays 4K", 0x10000000, SZ_4K, 12,
	  0x1000000b, 0x10000000, SZ_4K },
	{ "arch12 8K at 0x5000", 0x5000, SZ_8K, 12, 0x400d, 0x4000, SZ_16K },
	{ "arch10 8K at 0x5000", 0x5000, SZ_8K, 15, 0xe, 0, SZ_32K },
	{ "min below granule is raised", 0x3000, SZ_4K, 0, 0x300b, 0x3000, SZ_4K },
	{ "size 0 is one byte", 0x1234, 0, 12, 0x100b, 0x1000, SZ_4K },
	{ "range past 2^64 clamps", 0xffffffffffff0000ULL, SZ_1M, 12,
	  0xffffffffffff000fULL, 0xffffffffffff0000ULL, SZ_64K },
	{ "4K in the top 1G", 0xffffc0001000ULL, SZ_4K, 15,
	  0xffffc000000eULL, 0xffffc0000000ULL, SZ_32K },
};

static void pvm_lockaddr_desc(const struct pvm_lockaddr_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pvm_lockaddr, pvm_lockaddr_cases, pvm_lockaddr_desc);

static void pvm_mmu_lockaddr_table(struct kunit *test)
{
	const struct pvm_lockaddr_case *c = test->param_value;
	u64 start = ~0ULL, size = ~0ULL, lockaddr;

	lockaddr = pvm_mmu_lockaddr(c->start, c->size, c->min_log2, &start,
				    &size);
	KUNIT_EXPECT_EQ(test, lockaddr, c->lockaddr);
	KUNIT_EXPECT_EQ(test, start, c->region_start);
	KUNIT_EXPECT_EQ(test, size, c->region_size);
}

/*
 * Over random ranges: the region covers the range, is naturally aligned,
 * a power of two, at least the minimum, and minimal (its aligned halves
 * do not cover the range). The encoding round-trips.
 */
static void pvm_mmu_lockaddr_random(struct kunit *test)
{
	struct rnd_state rnd;
	unsigned int i;

	prandom_seed_state(&rnd, 0x70766d);
	for (i = 0; i < 4096; i++) {
		unsigned int min_log2 = i & 1 ? 12 : 15;
		u64 start = prandom_u32_state(&rnd) |
			    (u64)(prandom_u32_state(&rnd) & 0xffff) << 32;
		u64 size = ((u64)prandom_u32_state(&rnd) >>
			    (prandom_u32_state(&rnd) % 32)) + 1;
		u64 rstart, rsize, lockaddr, half;

		start &= GENMASK_ULL(47, 0);
		lockaddr = pvm_mmu_lockaddr(start, size, min_log2, &rstart,
					    &rsize);
		KUNIT_ASSERT_NE(test, rsize, 0);
		KUNIT_ASSERT_TRUE(test, is_power_of_2(rsize));
		KUNIT_ASSERT_GE(test, rsize, 1ULL << min_log2);
		KUNIT_ASSERT_EQ(test, rstart & (rsize - 1), 0);
		KUNIT_ASSERT_LE(test, rstart, start);
		KUNIT_ASSERT_GE(test, rstart + rsize, start + size);
		KUNIT_ASSERT_EQ(test, FIELD_GET(AS_LOCKADDR_SIZE, lockaddr) + 1,
				(u64)ilog2(rsize));
		KUNIT_ASSERT_EQ(test, lockaddr & AS_LOCKADDR_BASE, rstart);
		KUNIT_ASSERT_EQ(test, lockaddr & AS_LOCKADDR_FLUSH_SKIP_LEVELS, 0);
		if (rsize > (1ULL << min_log2)) {
			half = rsize / 2;
			/* Neither aligned half alone covers the range. */
			KUNIT_ASSERT_TRUE(test, start < rstart + half &&
					  start + size > rstart + half);
		}
	}
}

struct pvm_reg_value_case {
	const char *name;
	bool transcfg;
	unsigned int va_bits;
	bool coherent;
	u64 expected;
};

static const struct pvm_reg_value_case pvm_reg_value_cases[] = {
	/* AS_MEMATTR: byte 0 WB (0x8f / 0x9f), byte 1 NC (0x4c), rest FAULT. */
	{ "memattr non-coherent", false, 0, false, 0xc0c0c0c0c0c04c8fULL },
	{ "memattr coherent", false, 0, true, 0xc0c0c0c0c0c04c9fULL },
	/* AS_TRANSCFG: the values upstream panthor programs. */
	{ "transcfg 48-bit non-coherent", true, 48, false, 0x420001c6ULL },
	{ "transcfg 48-bit coherent", true, 48, true, 0x620001c6ULL },
	{ "transcfg 39-bit non-coherent", true, 39, false, 0x42000406ULL },
};

static void pvm_reg_value_desc(const struct pvm_reg_value_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pvm_reg_value, pvm_reg_value_cases, pvm_reg_value_desc);

static void pvm_mmu_reg_values(struct kunit *test)
{
	const struct pvm_reg_value_case *c = test->param_value;
	u64 val;

	if (c->transcfg)
		val = pvm_mmu_transcfg(c->va_bits, c->coherent);
	else
		val = pvm_mmu_memattr(c->coherent);
	KUNIT_EXPECT_EQ(test, val, c->expected);
}

struct pvm_fault_case {
	u32 status;
	const char *name;
	u8 exception;
	u8 level;
	u8 access;
	u16 source_id;
};

static const struct pvm_fault_case pvm_fault_cases[] = {
	{ 0x123402c1, "TRANSLATION_FAULT", 0xc1, 1,
	  AS_FAULTSTATUS_ACCESS_READ, 0x1234 },
	{ 0x000003c3, "TRANSLATION_FAULT", 0xc3, 3,
	  AS_FAULTSTATUS_ACCESS_WRITE, 0 },
	{ 0x000000c4, "TRANSLATION_FAULT", 0xc4, 4,
	  AS_FAULTSTATUS_ACCESS_ATOMIC, 0 },
	{ 0xffff01cb, "PERMISSION_FAULT", 0xcb, 3,
	  AS_FAULTSTATUS_ACCESS_EXECUTE, 0xffff },
	{ 0x000003c8, "PERMISSION_FAULT", 0xc8, 0,
	  AS_FAULTSTATUS_ACCESS_WRITE, 0 },
	{ 0x000002d2, "TRANSTAB_BUS_FAULT", 0xd2, 2,
	  AS_FAULTSTATUS_ACCESS_READ, 0 },
	{ 0x000002d9, "ACCESS_FLAG_FAULT", 0xd9, 1,
	  AS_FAULTSTATUS_ACCESS_READ, 0 },
	{ 0x000002e0, "ADDRESS_SIZE_FAULT_IN", 0xe0, 0,
	  AS_FAULTSTATUS_ACCESS_READ, 0 },
	{ 0x000002e6, "ADDRESS_SIZE_FAULT_OUT", 0xe6, 2,
	  AS_FAULTSTATUS_ACCESS_READ, 0 },
	{ 0x000003eb, "MEMORY_ATTRIBUTE_FAULT", 0xeb, 3,
	  AS_FAULTSTATUS_ACCESS_WRITE, 0 },
	{ 0x000002ed, "MEMORY_ATTRIBUTE_NONCACHEABLE_FAULT", 0xed, 1,
	  AS_FAULTSTATUS_ACCESS_READ, 0 },
	/* Bit 10 (decoder/slave) is neither access type nor exception. */
	{ 0x000006c2, "TRANSLATION_FAULT", 0xc2, 2,
	  AS_FAULTSTATUS_ACCESS_READ, 0 },
	{ 0x00000080, "UNKNOWN_FAULT", 0x80, 0,
	  AS_FAULTSTATUS_ACCESS_ATOMIC, 0 },
};

static void pvm_fault_desc(const struct pvm_fault_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "0x%08x %s", c->status, c->name);
}

KUNIT_ARRAY_PARAM(pvm_fault, pvm_fault_cases, pvm_fault_desc);

static void pvm_mmu_fault_decode_table(struct kunit *test)
{
	const struct pvm_fault_case *c = test->param_value;
	struct pvm_as_fault f = { .addr = 0x1234, .slot = 3 };

	pvm_mmu_fault_decode(c->status, &f);
	KUNIT_EXPECT_EQ(test, f.status, c->status);
	KUNIT_EXPECT_STREQ(test, f.name, c->name);
	KUNIT_EXPECT_EQ(test, f.exception, c->exception);
	KUNIT_EXPECT_EQ(test, f.level, c->level);
	KUNIT_EXPECT_EQ(test, f.access, c->access);
	KUNIT_EXPECT_EQ(test, f.source_id, c->source_id);
	/* Fields the decoder does not own are left alone. */
	KUNIT_EXPECT_EQ(test, f.addr, 0x1234);
	KUNIT_EXPECT_EQ(test, f.slot, 3);
}

static struct kunit_case pvm_mmu_pure_cases[] = {
	KUNIT_CASE_PARAM(pvm_mmu_lockaddr_table, pvm_lockaddr_gen_params),
	KUNIT_CASE(pvm_mmu_lockaddr_random),
	KUNIT_CASE_PARAM(pvm_mmu_reg_values, pvm_reg_value_gen_params),
	KUNIT_CASE_PARAM(pvm_mmu_fault_decode_table, pvm_fault_gen_params),
	{}
};

static struct kunit_suite pvm_mmu_pure_suite = {
	.name = "pvm_mmu_pure",
	.test_cases = pvm_mmu_pure_cases,
};

/*
 * Tests against a standalone software GPU: the register sequences the
 * sim counts, slot management, AS_ACTIVE timeouts and the fault IRQ.
 */

struct pvm_mmu_env {
	struct pvm_sim *sim;
	struct pvm_device *pdev;
	struct pvm_mmu *mmu;
	struct device *dev;
};

struct pvm_test_root {
	struct pvm_mmu_env *env;
	struct page *page;
	dma_addr_t bus;
};

static void pvm_test_sim_destroy(void *sim)
{
	pvm_sim_destroy(sim);
}

/* The register mapping goes before the sim, which warns otherwise. */
static void pvm_test_iounmap(void *data)
{
	struct pvm_device *pdev = data;

	iounmap(pdev->iomem);
}

static void pvm_test_root_free(void *data)
{
	struct pvm_test_root *root = data;

	dma_unmap_page(root->env->pdev->base.dev, root->bus, PAGE_SIZE,
		       DMA_TO_DEVICE);
	__free_page(root->page);
}

static struct pvm_mmu_env *pvm_env_create(struct kunit *test, u32 profile,
					  u32 as_count, u32 as_active_us,
					  bool irqs)
{
	struct pvm_sim_config cfg = {
		.profile = profile,
		.as_count = as_count,
		.as_active_us = as_active_us,
	};
	const struct resource *mmio;
	struct pvm_mmu_env *env;
	int ret;

	env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, env);
	env->sim = pvm_sim_create(&cfg, PVM_SIM_TEST_DEVICE_NAME);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, env->sim);
	ret = kunit_add_action_or_reset(test, pvm_test_sim_destroy, env->sim);
	KUNIT_ASSERT_EQ(test, ret, 0);

	/*
	 * A pvm_device that is not a DRM device: only what the MMU code
	 * uses, the registers and coherency, plus the device that DMA
	 * (the root tables below) is mapped for.
	 */
	env->pdev = kunit_kzalloc(test, sizeof(*env->pdev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, env->pdev);
	mmio = pvm_sim_mmio(env->sim);
	env->pdev->iomem = ioremap(mmio->start, resource_size(mmio));
	KUNIT_ASSERT_NOT_NULL(test, env->pdev->iomem);
	ret = kunit_add_action_or_reset(test, pvm_test_iounmap, env->pdev);
	KUNIT_ASSERT_EQ(test, ret, 0);
	env->pdev->base.dev = pvm_sim_dev(env->sim);
	env->pdev->coherent = true;

	/*
	 * KUnit releases in reverse order: the device's devm resources (IRQs,
	 * MMU) go before the register mapping and the sim they use.
	 */
	env->dev = kunit_device_register(test, "pvm-mmu-test");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, env->dev);

	ret = pvm_mmu_init_irqs(env->pdev, env->dev,
				irqs ? pvm_sim_irq(env->sim, PVM_SIM_IRQ_MMU) : -1,
				irqs ? pvm_sim_irq(env->sim, PVM_SIM_IRQ_GPU) : -1);
	KUNIT_ASSERT_EQ(test, ret, 0);
	env->mmu = &env->pdev->mmu;
	KUNIT_ASSERT_EQ(test, env->mmu->arch_major, profile);
	KUNIT_ASSERT_EQ(test, env->mmu->user_slots,
			(u32)GENMASK(as_count - 1, 1));
	return env;
}

/* A zeroed root table the sim can walk: every access faults at the root. */
static u64 pvm_test_root(struct kunit *test, struct pvm_mmu_env *env)
{
	struct device *dev = env->pdev->base.dev;
	struct pvm_test_root *root;
	int ret;

	root = kunit_kzalloc(test, sizeof(*root), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, root);
	root->env = env;
	root->page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, root->page);
	root->bus = dma_map_page(dev, root->page, 0, PAGE_SIZE, DMA_TO_DEVICE);
	ret = dma_mapping_error(dev, root->bus);
	if (ret)
		__free_page(root->page);
	KUNIT_ASSERT_EQ(test, ret, 0);
	dma_sync_single_for_device(dev, root->bus, PAGE_SIZE, DMA_TO_DEVICE);
	ret = kunit_add_action_or_reset(test, pvm_test_root_free, root);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return root->bus;
}

static struct pvm_as *pvm_test_as(struct kunit *test, struct pvm_mmu_env *env,
				  const struct pvm_as_ops *ops)
{
	struct pvm_as *as = kunit_kzalloc(test, sizeof(*as), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, as);
	pvm_as_init(env->mmu, as, pvm_test_root(test, env),
		    pvm_mmu_transcfg(env->mmu->va_bits, env->mmu->coherent),
		    pvm_mmu_memattr(env->mmu->coherent), ops);
	return as;
}

static u64 pvm_sim_delta(struct pvm_mmu_env *env, enum pvm_sim_stat id,
			 const u64 *before)
{
	return pvm_sim_stat(env->sim, id) - before[id];
}

static void pvm_sim_snapshot(struct pvm_mmu_env *env, u64 *snap)
{
	unsigned int i;

	for (i = 0; i < PVM_SIM_NR_STATS; i++)
		snap[i] = pvm_sim_stat(env->sim, i);
}

struct pvm_profile_case {
	const char *name;
	u32 profile;
	bool irqs;
};

static const struct pvm_profile_case pvm_profile_cases[] = {
	{ "arch10 irq", PVM_SIM_PROFILE_ARCH10, true },
	{ "arch10 poll", PVM_SIM_PROFILE_ARCH10, false },
	{ "arch12 irq", PVM_SIM_PROFILE_ARCH12, true },
	{ "arch12 poll", PVM_SIM_PROFILE_ARCH12, false },
};

static void pvm_profile_desc(const struct pvm_profile_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pvm_profile, pvm_profile_cases, pvm_profile_desc);

/* Expect exactly @locks LOCKs and one flush (+ UNLOCK on arch 12). */
static void pvm_expect_one_flush(struct kunit *test, struct pvm_mmu_env *env,
				 const u64 *before, u64 locks)
{
	bool arch12 = env->mmu->arch_major >= 12;

	KUNIT_EXPECT_EQ(test, pvm_sim_delta(env, PVM_SIM_STAT_LOCK, before),
			locks);
	KUNIT_EXPECT_EQ(test, pvm_sim_delta(env, PVM_SIM_STAT_FLUSH_MEM, before),
			arch12 ? 0 : 1);
	KUNIT_EXPECT_EQ(test, pvm_sim_delta(env, PVM_SIM_STAT_CACHE_FLUSH, before),
			arch12 ? 1 : 0);
	KUNIT_EXPECT_EQ(test, pvm_sim_delta(env, PVM_SIM_STAT_UNLOCK, before),
			arch12 ? 1 : 0);
	KUNIT_EXPECT_EQ(test, pvm_sim_delta(env, PVM_SIM_STAT_FLUSH_PT, before), 0);
	KUNIT_EXPECT_EQ(test, pvm_sim_delta(env, PVM_SIM_STAT_UPDATE, before), 0);
	KUNIT_EXPECT_EQ(test, pvm_sim_delta(env, PVM_SIM_STAT_COMMANDS, before),
			locks + 1);
}

static void pvm_mmu_op_window(struct kunit *test)
{
	const struct pvm_profile_case *p = test->param_value;
	struct pvm_mmu_env *env = pvm_env_create(test, p->profile, 4, 0, p->irqs);
	struct pvm_as *as = pvm_test_as(test, env, NULL);
	struct pvm_as *cold = pvm_test_as(test, env, NULL);
	u64 before[PVM_SIM_NR_STATS];

	KUNIT_ASSERT_EQ(test, pvm_as_activate(as), 0);
	KUNIT_EXPECT_EQ(test, as->slot, 1);
	KUNIT_EXPECT_EQ(test, pvm_read64(env->pdev, AS_TRANSTAB_LO(1)),
			as->transtab);
	KUNIT_EXPECT_EQ(test, pvm_read64(env->pdev, AS_TRANSCFG_LO(1)),
			as->transcfg);
	KUNIT_EXPECT_EQ(test, pvm_read64(env->pdev, AS_MEMATTR_LO(1)),
			as->memattr);

	/* One op, with an expand that is already covered: 1 LOCK, 1 flush. */
	pvm_sim_snapshot(env, before);
	KUNIT_ASSERT_EQ(test, pvm_as_op_begin(as, 0x100000, SZ_64K), 0);
	KUNIT_EXPECT_TRUE(test, pvm_as_op_covers(as, 0x100000, SZ_64K));
	KUNIT_EXPECT_FALSE(test, pvm_as_op_covers(as, 0x110000, SZ_4K));
	KUNIT_EXPECT_EQ(test, pvm_as_op_expand(as, 0x104000, SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, pvm_read64(env->pdev, AS_LOCKADDR_LO(1)),
			0x100000ULL | 15);
	KUNIT_EXPECT_EQ(test, pvm_as_op_end(as), 0);
	pvm_expect_one_flush(test, env, before, 1);
	KUNIT_EXPECT_EQ(test, pvm_mmu_stat(env->mmu, PVM_MMU_STAT_LOCK_BYTES),
			SZ_64K);

	/* An expand outside re-LOCKs the union; still one flush. */
	pvm_sim_snapshot(env, before);
	KUNIT_ASSERT_EQ(test, pvm_as_op_begin(as, 0x1fe000, SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, pvm_as_op_expand(as, 0x200000, SZ_8K), 0);
	KUNIT_EXPECT_TRUE(test, pvm_as_op_covers(as, 0x1fe000, 0x4000));
	KUNIT_EXPECT_EQ(test, pvm_read64(env->pdev, AS_LOCKADDR_LO(1)), 21ULL);
	KUNIT_EXPECT_EQ(test, pvm_as_op_end(as), 0);
	pvm_expect_one_flush(test, env, before, 2);

	/* Not resident: recorded in software, nothing sent to the GPU. */
	pvm_sim_snapshot(env, before);
	KUNIT_ASSERT_EQ(test, pvm_as_op_begin(cold, 0x3000, SZ_4K), 0);
	KUNIT_EXPECT_TRUE(test, pvm_as_op_covers(cold, 0x3000, SZ_4K));
	KUNIT_EXPECT_EQ(test, pvm_as_op_expand(cold, 0x10000000, SZ_4K), 0);
	KUNIT_EXPECT_TRUE(test, pvm_as_op_covers(cold, 0x10000000, SZ_4K));
	KUNIT_EXPECT_EQ(test, pvm_as_op_end(cold), 0);
	KUNIT_EXPECT_EQ(test, pvm_sim_delta(env, PVM_SIM_STAT_COMMANDS, before), 0);
	KUNIT_EXPECT_EQ(test, pvm_sim_delta(env, PVM_SIM_STAT_CACHE_FLUSH, before), 0);

	KUNIT_EXPECT_EQ(test, pvm_mmu_stat(env->mmu, PVM_MMU_STAT_OPS), 3);
	KUNIT_EXPECT_EQ(test, pvm_mmu_stat(env->mmu, PVM_MMU_STAT_OPS_RESIDENT), 2);
	KUNIT_EXPECT_EQ(test, pvm_mmu_stat(env->mmu, PVM_MMU_STAT_TIMEOUTS), 0);
	KUNIT_EXPECT_EQ(test, pvm_sim_stat(env->sim, PVM_SIM_STAT_DRIVER_ERRORS), 0);

	pvm_as_idle(as);
	pvm_as_fini(as);
	pvm_as_fini(cold);
	KUNIT_EXPECT_EQ(test, pvm_sim_stat(env->sim, PVM_SIM_STAT_DRIVER_ERRORS), 0);
	KUNIT_EXPECT_EQ(test, env->mmu->alloc_mask, 0);
}

static void pvm_mmu_lru_eviction(struct kunit *test)
{
	const struct pvm_profile_case *p = test->param_value;
	struct pvm_mmu_env *env = pvm_env_create(test, p->profile, 4, 0, p->irqs);
	struct pvm_as *as[4];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(as); i++)
		as[i] = pvm_test_as(test, env, NULL);

	/* Three user slots (1..3): slot 0 is the MCU's. */
	for (i = 0; i < 3; i++) {
		KUNIT_ASSERT_EQ(test, pvm_as_activate(as[i]), 0);
		KUNIT_EXPECT_EQ(test, as[i]->slot, i + 1);
	}
	/* Every slot held by an active AS. */
	KUNIT_EXPECT_EQ(test, pvm_as_activate(as[3]), -EBUSY);
	KUNIT_EXPECT_EQ(test, as[3]->slot, -1);

	/* LRU order: as[1] then as[0]; idle ASes keep their slots. */
	pvm_as_idle(as[1]);
	pvm_as_idle(as[0]);
	KUNIT_EXPECT_EQ(test, as[1]->slot, 2);
	KUNIT_EXPECT_EQ(test, as[0]->slot, 1);

	KUNIT_ASSERT_EQ(test, pvm_as_activate(as[3]), 0);
	KUNIT_EXPECT_EQ(test, as[3]->slot, 2);
	KUNIT_EXPECT_EQ(test, as[1]->slot, -1);
	KUNIT_EXPECT_EQ(test, pvm_read64(env->pdev, AS_TRANSTAB_LO(2)),
			as[3]->transtab);
	KUNIT_EXPECT_EQ(test, pvm_mmu_stat(env->mmu, PVM_MMU_STAT_EVICTIONS), 1);

	KUNIT_ASSERT_EQ(test, pvm_as_activate(as[1]), 0);
	KUNIT_EXPECT_EQ(test, as[1]->slot, 1);
	KUNIT_EXPECT_EQ(test, as[0]->slot, -1);
	KUNIT_EXPECT_EQ(test, pvm_read64(env->pdev, AS_TRANSTAB_LO(1)),
			as[1]->transtab);
	KUNIT_EXPECT_EQ(test, pvm_mmu_stat(env->mmu, PVM_MMU_STAT_EVICTIONS), 2);

	/* Re-activating an idle resident AS is free: no eviction, no UPDATE. */
	pvm_as_idle(as[2]);
	KUNIT_ASSERT_EQ(test, pvm_as_activate(as[2]), 0);
	KUNIT_EXPECT_EQ(test, as[2]->slot, 3);
	KUNIT_EXPECT_EQ(test, pvm_mmu_stat(env->mmu, PVM_MMU_STAT_EVICTIONS), 2);
	KUNIT_EXPECT_EQ(test, pvm_mmu_stat(env->mmu, PVM_MMU_STAT_ACTIVATIONS), 5);
	KUNIT_EXPECT_EQ(test, pvm_sim_stat(env->sim, PVM_SIM_STAT_UPDATE),
			pvm_mmu_stat(env->mmu, PVM_MMU_STAT_UPDATES));
	KUNIT_EXPECT_EQ(test, pvm_mmu_stat(env->mmu, PVM_MMU_STAT_UPDATES), 7);
	KUNIT_EXPECT_EQ(test, pvm_as_activate(as[0]), -EBUSY);

	for (i = 1; i < ARRAY_SIZE(as); i++)
		pvm_as_idle(as[i]);
	for (i = 0; i < ARRAY_SIZE(as); i++)
		pvm_as_fini(as[i]);
	KUNIT_EXPECT_EQ(test, env->mmu->alloc_mask, 0);
	KUNIT_EXPECT_EQ(test, pvm_sim_stat(env->sim, PVM_SIM_STAT_DRIVER_ERRORS), 0);
}

struct pvm_op_thread {
	struct pvm_as *as;
	struct completion opened;
	struct completion close;
	struct completion closed;
	int begin_ret;
	int end_ret;
};

/* Holds an op window open in its own context (no lock nesting in the test). */
static int pvm_op_thread_fn(void *data)
{
	struct pvm_op_thread *t = data;

	t->begin_ret = pvm_as_op_begin(t->as, 0x40000, SZ_4K);
	complete(&t->opened);
	wait_for_completion(&t->close);
	if (!t->begin_ret)
		t->end_ret = pvm_as_op_end(t->as);
	complete(&t->closed);
	return 0;
}

static void pvm_mmu_no_evict_in_op(struct kunit *test)
{
	const struct pvm_profile_case *p = test->param_value;
	struct pvm_mmu_env *env = pvm_env_create(test, p->profile, 2, 0, p->irqs);
	struct pvm_as *a = pvm_test_as(test, env, NULL);
	struct pvm_as *b = pvm_test_as(test, env, NULL);
	u64 before[PVM_SIM_NR_STATS];
	struct pvm_op_thread t = { .as = a };
	struct task_struct *task;

	init_completion(&t.opened);
	init_completion(&t.close);
	init_completion(&t.closed);

	/* One user slot. a is resident and idle, then opens an op window. */
	KUNIT_ASSERT_EQ(test, pvm_as_activate(a), 0);
	KUNIT_EXPECT_EQ(test, a->slot, 1);
	pvm_as_idle(a);

	task = kthread_run(pvm_op_thread_fn, &t, "pvm-mmu-op");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	wait_for_completion(&t.opened);
	KUNIT_EXPECT_EQ(test, t.begin_ret, 0);

	KUNIT_EXPECT_EQ(test, pvm_as_activate(b), -EBUSY);
	KUNIT_EXPECT_EQ(test, a->slot, 1);
	KUNIT_EXPECT_EQ(test, b->slot, -1);

	complete(&t.close);
	wait_for_completion(&t.closed);
	KUNIT_EXPECT_EQ(test, t.end_ret, 0);

	KUNIT_ASSERT_EQ(test, pvm_as_activate(b), 0);
	KUNIT_EXPECT_EQ(test, b->slot, 1);
	KUNIT_EXPECT_EQ(test, a->slot, -1);

	/* a is no longer resident: its ops send nothing. */
	pvm_sim_snapshot(env, before);
	KUNIT_ASSERT_EQ(test, pvm_as_op_begin(a, 0, SZ_2M), 0);
	KUNIT_EXPECT_EQ(test, pvm_as_op_end(a), 0);
	KUNIT_EXPECT_EQ(test, pvm_sim_delta(env, PVM_SIM_STAT_COMMANDS, before), 0);

	pvm_as_idle(b);
	pvm_as_fini(a);
	pvm_as_fini(b);
	KUNIT_EXPECT_EQ(test, pvm_sim_stat(env->sim, PVM_SIM_STAT_DRIVER_ERRORS), 0);
}

static void pvm_mmu_as_active_stuck(struct kunit *test)
{
	const struct pvm_profile_case *p = test->param_value;
	/* Every command stays active for 10 s: far beyond the 100 ms bound. */
	struct pvm_mmu_env *env = pvm_env_create(test, p->profile, 4,
						 10 * USEC_PER_SEC, p->irqs);
	struct pvm_as *as = pvm_test_as(test, env, NULL);
	ktime_t start = ktime_get();
	s64 ms;

	KUNIT_EXPECT_EQ(test, pvm_as_activate(as), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, as->active_cnt, 0);
	/* The timeout queued a GPU reset, which leaves the slot unowned. */
	KUNIT_EXPECT_TRUE(test, pvm_as_wait_recovered(as));
	ms = ktime_ms_delta(ktime_get(), start);
	KUNIT_EXPECT_LT(test, ms, 2000);
	KUNIT_EXPECT_GE(test, ms, 100);
	KUNIT_EXPECT_EQ(test, as->slot, -1);
	KUNIT_EXPECT_GE(test, pvm_mmu_stat(env->mmu, PVM_MMU_STAT_TIMEOUTS), 1);
	KUNIT_EXPECT_EQ(test, pvm_mmu_stat(env->mmu, PVM_MMU_STAT_RESETS), 1);
	KUNIT_EXPECT_EQ(test, pvm_sim_stat(env->sim, PVM_SIM_STAT_SOFT_RESETS), 1);
	KUNIT_EXPECT_EQ(test, env->mmu->alloc_mask, 0);
	KUNIT_EXPECT_EQ(test, env->mmu->dead_mask, 0);

	/* A non-resident AS still gets op windows (nothing to wait for). */
	KUNIT_EXPECT_EQ(test, pvm_as_op_begin(as, 0, SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, pvm_as_op_end(as), 0);
	KUNIT_EXPECT_TRUE(test, pvm_as_fini(as));
	KUNIT_EXPECT_EQ(test, pvm_sim_stat(env->sim, PVM_SIM_STAT_DRIVER_ERRORS), 0);
}

/*
 * A flush that hangs in the middle of an op: the slot is dead and its AS
 * tainted until the reset, which the test holds back with the fault lock
 * (the reset takes it, see DOC: Recovery).
 */
static void pvm_mmu_op_hangs(struct kunit *test)
{
	const struct pvm_profile_case *p = test->param_value;
	struct pvm_mmu_env *env = pvm_env_create(test, p->profile, 4, 10,
						 p->irqs);
	struct pvm_as *a = pvm_test_as(test, env, NULL);
	struct pvm_as *b = pvm_test_as(test, env, NULL);
	struct pvm_as *c = pvm_test_as(test, env, NULL);
	struct pvm_as *d = pvm_test_as(test, env, NULL);
	u64 before[PVM_SIM_NR_STATS];

	KUNIT_ASSERT_EQ(test, pvm_as_activate(a), 0);
	KUNIT_ASSERT_EQ(test, a->slot, 1);
	pvm_as_idle(a);
	KUNIT_ASSERT_EQ(test, pvm_as_activate(c), 0);
	KUNIT_ASSERT_EQ(test, c->slot, 2);
	pvm_as_idle(c);

	/* LOCK completes, the command that ends the op hangs. */
	KUNIT_ASSERT_EQ(test, pvm_sim_set_stuck(env->sim, 1, 1), 0);
	mutex_lock(&env->mmu->fault_lock);
	KUNIT_EXPECT_EQ(test, pvm_as_op_begin(a, SZ_2M, SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, pvm_as_op_end(a), -ETIMEDOUT);
	KUNIT_EXPECT_TRUE(test, a->tainted);
	KUNIT_EXPECT_EQ(test, env->mmu->dead_mask, BIT(1));
	KUNIT_EXPECT_EQ(test, pvm_as_activate(a), -EIO);

	/*
	 * The dead slot gets no new owner and no command: with every slot
	 * taken, the least recently used AS (a, tainted) is not the victim.
	 */
	KUNIT_ASSERT_EQ(test, pvm_as_activate(b), 0);
	KUNIT_EXPECT_EQ(test, b->slot, 3);
	KUNIT_ASSERT_EQ(test, pvm_as_activate(d), 0);
	KUNIT_EXPECT_EQ(test, d->slot, 2);
	KUNIT_EXPECT_EQ(test, c->slot, -1);
	KUNIT_EXPECT_EQ(test, a->slot, 1);
	pvm_sim_snapshot(env, before);
	KUNIT_EXPECT_EQ(test, pvm_as_op_begin(a, 0, SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, pvm_as_op_end(a), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, pvm_sim_delta(env, PVM_SIM_STAT_COMMANDS, before), 0);
	KUNIT_EXPECT_EQ(test, pvm_mmu_stat(env->mmu, PVM_MMU_STAT_RESETS), 0);
	mutex_unlock(&env->mmu->fault_lock);

	/* The reset: every AS loses its slot, the dead one works again. */
	KUNIT_EXPECT_TRUE(test, pvm_as_wait_recovered(a));
	KUNIT_EXPECT_FALSE(test, a->tainted);
	KUNIT_EXPECT_EQ(test, a->slot, -1);
	KUNIT_EXPECT_EQ(test, b->slot, -1);
	KUNIT_EXPECT_EQ(test, d->slot, -1);
	KUNIT_EXPECT_EQ(test, env->mmu->dead_mask, 0);
	KUNIT_EXPECT_EQ(test, pvm_mmu_stat(env->mmu, PVM_MMU_STAT_RESETS), 1);
	KUNIT_EXPECT_EQ(test, pvm_sim_stat(env->sim, PVM_SIM_STAT_SOFT_RESETS), 1);
	KUNIT_EXPECT_EQ(test, pvm_sim_stat(env->sim, PVM_SIM_STAT_HUNG_COMMANDS), 1);
	KUNIT_ASSERT_EQ(test, pvm_as_activate(a), 0);
	KUNIT_EXPECT_EQ(test, a->slot, 1);
	KUNIT_EXPECT_EQ(test, pvm_as_op_begin(a, 0, SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, pvm_as_op_end(a), 0);
	pvm_as_idle(a);
	pvm_as_idle(b);
	pvm_as_idle(d);

	KUNIT_EXPECT_TRUE(test, pvm_as_fini(a));
	KUNIT_EXPECT_TRUE(test, pvm_as_fini(b));
	KUNIT_EXPECT_TRUE(test, pvm_as_fini(c));
	KUNIT_EXPECT_TRUE(test, pvm_as_fini(d));
	KUNIT_EXPECT_EQ(test, pvm_sim_stat(env->sim, PVM_SIM_STAT_DRIVER_ERRORS), 0);
}

struct pvm_fault_ctx {
	struct pvm_as as;
	atomic_t calls;
	struct pvm_as_fault last;
	struct completion done;
};

static void pvm_test_fault_cb(struct pvm_as *as, const struct pvm_as_fault *f)
{
	struct pvm_fault_ctx *ctx = container_of(as, struct pvm_fault_ctx, as);

	ctx->last = *f;
	atomic_inc(&ctx->calls);
	complete(&ctx->done);
}

static const struct pvm_as_ops pvm_test_fault_ops = {
	.fault = pvm_test_fault_cb,
};

static struct pvm_fault_ctx *pvm_fault_ctx(struct kunit *test,
					   struct pvm_mmu_env *env)
{
	struct pvm_fault_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	init_completion(&ctx->done);
	pvm_as_init(env->mmu, &ctx->as, pvm_test_root(test, env),
		    pvm_mmu_transcfg(env->mmu->va_bits, env->mmu->coherent),
		    pvm_mmu_memattr(env->mmu->coherent), &pvm_test_fault_ops);
	return ctx;
}

/* GPU read of @va through @ctx's slot; the driver must see exactly one fault. */
static void pvm_expect_fault(struct kunit *test, struct pvm_mmu_env *env,
			     struct pvm_fault_ctx *ctx, u64 va, int calls)
{
	int slot = ctx->as.slot;
	u32 status = 0;
	u64 addr = 0;
	u8 buf[8];
	int ret;

	reinit_completion(&ctx->done);
	ret = pvm_sim_gpu_access(env->sim, slot, va, buf, sizeof(buf), false,
				 &status, &addr);
	/* The sim terminates a faulting access and reports it. */
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_NE(test, status, 0);
	if (env->mmu->mmu_irq < 0)
		pvm_mmu_handle_faults(env->mmu);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&ctx->done, HZ), 0);
	/* Let the IRQ thread finish its pass (it unmasks last). */
	mutex_lock(&env->mmu->fault_lock);
	mutex_unlock(&env->mmu->fault_lock);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->calls), calls);

	/* Root table is empty: translation fault at the start level. */
	KUNIT_EXPECT_EQ(test, ctx->last.exception,
			MMU_EXC(MMU_EXC_TRANSLATION,
				env->mmu->va_bits > 39 ? 0 : 1));
	KUNIT_EXPECT_STREQ(test, ctx->last.name, "TRANSLATION_FAULT");
	KUNIT_EXPECT_EQ(test, ctx->last.access, AS_FAULTSTATUS_ACCESS_READ);
	KUNIT_EXPECT_EQ(test, ctx->last.addr, va);
	KUNIT_EXPECT_EQ(test, ctx->last.slot, slot);
	KUNIT_EXPECT_EQ(test, ctx->last.status, status);
	KUNIT_EXPECT_EQ(test, addr, va);

	mutex_lock(&env->mmu->slots_lock);
	KUNIT_EXPECT_TRUE(test, ctx->as.faulty);
	KUNIT_EXPECT_EQ(test, ctx->as.fault.addr, va);
	KUNIT_EXPECT_EQ(test, ctx->as.slot, slot);
	mutex_unlock(&env->mmu->slots_lock);
	/* The AS is disabled and its IRQ masked; the others stay unmasked. */
	KUNIT_EXPECT_EQ(test, pvm_read64(env->pdev, AS_TRANSCFG_LO(slot)) &
			AS_TRANSCFG_ADRMODE, AS_TRANSCFG_ADRMODE_UNMAPPED);
	KUNIT_EXPECT_EQ(test, pvm_read(env->pdev, MMU_INT_MASK),
			env->mmu->user_slots & ~env->mmu->fault_mask);
	KUNIT_EXPECT_TRUE(test, env->mmu->fault_mask & BIT(slot));
	KUNIT_EXPECT_EQ(test, pvm_read(env->pdev, MMU_INT_RAWSTAT) & BIT(slot), 0);
}

static void pvm_mmu_fault_irq(struct kunit *test)
{
	const struct pvm_profile_case *p = test->param_value;
	struct pvm_mmu_env *env = pvm_env_create(test, p->profile, 4, 0, p->irqs);
	struct pvm_fault_ctx *a = pvm_fault_ctx(test, env);
	struct pvm_fault_ctx *b = pvm_fault_ctx(test, env);

	KUNIT_ASSERT_EQ(test, pvm_as_activate(&a->as), 0);
	KUNIT_ASSERT_EQ(test, pvm_as_activate(&b->as), 0);

	pvm_expect_fault(test, env, a, 0x12345000, 1);
	KUNIT_EXPECT_EQ(test, a->as.fault_count, 1);
	KUNIT_EXPECT_FALSE(test, b->as.faulty);
	KUNIT_EXPECT_TRUE(test, pvm_read(env->pdev, MMU_INT_MASK) &
			  BIT(b->as.slot));

	/* Another VM keeps working: its faults still arrive. */
	pvm_expect_fault(test, env, b, 0x7000, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->calls), 1);

	/* Re-activation re-enables the AS and unmasks its IRQ. */
	KUNIT_ASSERT_EQ(test, pvm_as_activate(&a->as), 0);
	KUNIT_EXPECT_FALSE(test, a->as.faulty);
	KUNIT_EXPECT_TRUE(test, pvm_read(env->pdev, MMU_INT_MASK) &
			  BIT(a->as.slot));
	KUNIT_EXPECT_EQ(test, pvm_read64(env->pdev, AS_TRANSCFG_LO(a->as.slot)),
			a->as.transcfg);
	pvm_expect_fault(test, env, a, 0x40000000, 2);
	KUNIT_EXPECT_EQ(test, a->as.fault_count, 2);
	KUNIT_EXPECT_EQ(test, pvm_mmu_stat(env->mmu, PVM_MMU_STAT_FAULTS), 3);

	pvm_as_idle(&a->as);
	pvm_as_idle(&a->as);
	pvm_as_idle(&b->as);
	pvm_as_fini(&a->as);
	pvm_as_fini(&b->as);
	KUNIT_EXPECT_EQ(test, pvm_sim_stat(env->sim, PVM_SIM_STAT_DRIVER_ERRORS), 0);
}

/*
 * A fault the IRQ thread has not handled when its AS is evicted still
 * reaches that AS, not the slot's next owner (polling: the thread is the
 * test, which does not run it before the eviction).
 */
static void pvm_mmu_fault_before_evict(struct kunit *test)
{
	const struct pvm_profile_case *p = test->param_value;
	struct pvm_mmu_env *env = pvm_env_create(test, p->profile, 2, 0, false);
	struct pvm_fault_ctx *a = pvm_fault_ctx(test, env);
	struct pvm_fault_ctx *b = pvm_fault_ctx(test, env);
	u32 status = 0;
	u64 addr = 0;
	u8 buf[8];

	KUNIT_ASSERT_EQ(test, pvm_as_activate(&a->as), 0);
	KUNIT_ASSERT_EQ(test, a->as.slot, 1);
	KUNIT_EXPECT_EQ(test, pvm_sim_gpu_access(env->sim, 1, 0x5000, buf,
						 sizeof(buf), false, &status,
						 &addr), 0);
	KUNIT_EXPECT_NE(test, status, 0);
	pvm_as_idle(&a->as);

	/* The only user slot goes to b: a's fault is handed over first. */
	KUNIT_ASSERT_EQ(test, pvm_as_activate(&b->as), 0);
	KUNIT_EXPECT_EQ(test, b->as.slot, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->calls), 1);
	KUNIT_EXPECT_EQ(test, a->last.addr, 0x5000);
	KUNIT_EXPECT_TRUE(test, a->as.faulty);
	pvm_mmu_handle_faults(env->mmu);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->calls), 0);
	KUNIT_EXPECT_FALSE(test, b->as.faulty);
	KUNIT_EXPECT_EQ(test, pvm_mmu_stat(env->mmu, PVM_MMU_STAT_FAULTS), 1);

	pvm_as_idle(&b->as);
	KUNIT_EXPECT_TRUE(test, pvm_as_fini(&a->as));
	KUNIT_EXPECT_TRUE(test, pvm_as_fini(&b->as));
}

static struct kunit_case pvm_mmu_sim_cases[] = {
	KUNIT_CASE_PARAM(pvm_mmu_op_window, pvm_profile_gen_params),
	KUNIT_CASE_PARAM(pvm_mmu_lru_eviction, pvm_profile_gen_params),
	KUNIT_CASE_PARAM(pvm_mmu_no_evict_in_op, pvm_profile_gen_params),
	KUNIT_CASE_PARAM_ATTR(pvm_mmu_as_active_stuck, pvm_profile_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE_PARAM_ATTR(pvm_mmu_op_hangs, pvm_profile_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE_PARAM(pvm_mmu_fault_irq, pvm_profile_gen_params),
	KUNIT_CASE_PARAM(pvm_mmu_fault_before_evict, pvm_profile_gen_params),
	{}
};

static struct kunit_suite pvm_mmu_sim_suite = {
	.name = "pvm_mmu_sim",
	.test_cases = pvm_mmu_sim_cases,
};

kunit_test_suites(&pvm_mmu_pure_suite, &pvm_mmu_sim_suite);
