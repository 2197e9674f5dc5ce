// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 *
 * KUnit tests of the VM's own op execution against a software GPU: each
 * case makes a software GPU of its own, which the driver probes as it
 * probes any GPU, creates a VM on it and runs bind ops through the VM's
 * code (pvm_op_ctx_prepare(), pvm_vm_exec_op(), drm_gpuvm's steps and the
 * page table). What the cases check is what the GPU sees: the words it
 * reads through its MMU, the leaves its walker finds, the LOCKs it was
 * sent, and that it faults where nothing is mapped any more. The GPU is
 * configured as the kernel command line says (pvm_sim_boot_config()): the
 * kunit kernel runs these on the arch-10 profile, the debug kernel on
 * arch 12 with a non-coherent walker.
 */

#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/device.h>
#include <linux/refcount.h>
#include <linux/sizes.h>

#include <drm/drm_gem.h>
#include <drm/panthor_drm.h>

#include "../pvm_device.h"
#include "../pvm_gem.h"
#include "../pvm_mmu.h"
#include "../pvm_regs.h"
#include "../pvm_vm.h"
#include "../pvm_vm_priv.h"
#include "../sim/pvm_sim.h"

/* Where the cases map: 1 GiB, so 2 MiB blocks are possible. */
#define VXT_BASE	SZ_1G
/* A scratch mapping used to write a BO's contents through the GPU. */
#define VXT_SCRATCH	SZ_256M

struct vxt {
	struct kunit *test;
	struct pvm_sim *sim;
	struct pvm_device *ptdev;
	struct pvm_vm *vm;
	u32 slot;
	bool arch12;
};

struct vxt_bo {
	struct vxt *x;
	struct pvm_gem_object *bo;
};

static void vxt_sim_destroy(void *sim)
{
	pvm_sim_destroy(sim);
}

static void vxt_vm_destroy(void *data)
{
	struct vxt *x = data;

	pvm_as_idle(&x->vm->as);
	pvm_vm_destroy(x->vm);
}

static void vxt_bo_put(void *data)
{
	struct pvm_gem_object *bo = data;

	drm_gem_object_put(&bo->base.base);
}

/*
 * A software GPU the driver binds to, and one resident VM on it. The GPU
 * is the one the kernel command line describes (the debug kernel's is
 * arch 12 with a non-coherent walker), with an unbounded TLB and every
 * cached translation compared with a fresh walk. @blocks: the case needs
 * 2 MiB blocks, which only form behind the system MMU.
 */
static struct vxt *vxt_create(struct kunit *test, bool blocks)
{
	struct pvm_sim_config cfg;
	struct vxt *x;
	int ret;

	pvm_sim_boot_config(&cfg);
	if (blocks && !cfg.smmu)
		kunit_skip(test, "no system MMU: no 2 MiB blocks");
	cfg.check_stale = true;
	cfg.tlb_entries = 0;
	cfg.as_count = 4;

	x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x);
	x->test = test;
	x->arch12 = cfg.profile == PVM_SIM_PROFILE_ARCH12;
	x->sim = pvm_sim_create(&cfg, PVM_SIM_DEVICE_NAME);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, x->sim);
	ret = kunit_add_action_or_reset(test, vxt_sim_destroy, x->sim);
	KUNIT_ASSERT_EQ(test, ret, 0);

	/* The driver probed the new GPU like any other. */
	x->ptdev = dev_get_drvdata(pvm_sim_dev(x->sim));
	KUNIT_ASSERT_NOT_NULL_MSG(test, x->ptdev, "the driver did not bind");

	KUNIT_ASSERT_EQ(test, pvm_vm_create(x->ptdev, 0, &x->vm), 0);
	ret = pvm_as_activate(&x->vm->as);
	if (ret)
		pvm_vm_destroy(x->vm);
	KUNIT_ASSERT_EQ(test, ret, 0);
	ret = kunit_add_action_or_reset(test, vxt_vm_destroy, x);
	KUNIT_ASSERT_EQ(test, ret, 0);
	x->slot = x->vm->as.slot;
	return x;
}

/* One bind op through the VM's own preparation and execution. */
static int vxt_op(struct vxt *x, u32 flags, u64 va, u64 size,
		  struct pvm_gem_object *bo, u64 bo_offset, u64 repeat_range)
{
	struct drm_panthor_vm_bind_op op = {
		.flags = flags,
		.bo_offset = bo_offset,
		.va = va,
		.size = size,
		.repeat_range = repeat_range,
	};
	struct pvm_op_ctx ctx;
	int ret;

	/* The context takes a BO reference over. */
	if (bo)
		drm_gem_object_get(&bo->base.base);
	ret = pvm_op_ctx_prepare(x->vm, NULL, &op, bo, &ctx);
	if (!ret)
		ret = pvm_vm_exec_op(x->vm, &ctx);
	pvm_op_ctx_cleanup(x->vm, &ctx);
	return ret;
}

static void vxt_map(struct vxt *x, u64 va, u64 size,
		    struct pvm_gem_object *bo, u64 offset)
{
	KUNIT_ASSERT_EQ(x->test, vxt_op(x, DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, va,
					size, bo, offset, 0), 0);
}

static void vxt_unmap(struct vxt *x, u64 va, u64 size)
{
	KUNIT_ASSERT_EQ(x->test, vxt_op(x, DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP,
					va, size, NULL, 0, 0), 0);
}

static u32 vxt_access(struct vxt *x, u64 va, u32 *word, bool write)
{
	u32 fs = 0;
	u64 fa = 0;

	KUNIT_ASSERT_EQ(x->test, pvm_sim_gpu_access(x->sim, x->slot, va, word,
						    sizeof(*word), write, &fs,
						    &fa), 0);
	return fs;
}

static u32 vxt_read(struct vxt *x, u64 va)
{
	u32 w = 0;

	KUNIT_EXPECT_EQ_MSG(x->test, vxt_access(x, va, &w, false), 0,
			    "GPU read at %#llx faulted", va);
	return w;
}

/* log2 of the leaf the walker finds at @va, 0 when the walk faults. */
static u32 vxt_leaf(struct vxt *x, u64 va)
{
	u32 lg = 0;

	if (pvm_sim_leaf_log2(x->sim, x->slot, va, &lg))
		return 0;
	return lg;
}

/* The word a case writes at the start of page @page of a BO. */
static u32 vxt_word(u32 seed, u64 page)
{
	return (seed << 24) ^ (u32)page ^ 0x5a0000;
}

/*
 * A BO whose page p starts with vxt_word(@seed, p), written by the GPU
 * through a scratch mapping that is unmapped again.
 */
static struct pvm_gem_object *vxt_bo(struct vxt *x, u64 size, u32 seed)
{
	struct pvm_gem_object *bo;
	u64 p;
	u32 w;

	bo = pvm_gem_create(x->ptdev, size, 0, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(x->test, bo);
	KUNIT_ASSERT_EQ(x->test,
			kunit_add_action_or_reset(x->test, vxt_bo_put, bo), 0);
	vxt_map(x, VXT_SCRATCH, size, bo, 0);
	for (p = 0; p < size / SZ_4K; p++) {
		w = vxt_word(seed, p);
		KUNIT_ASSERT_EQ(x->test, vxt_access(x, VXT_SCRATCH + p * SZ_4K,
						    &w, true), 0);
	}
	vxt_unmap(x, VXT_SCRATCH, size);
	return bo;
}

static u64 vxt_stat(struct vxt *x, enum pvm_sim_stat id)
{
	return pvm_sim_stat(x->sim, id);
}

/*
 * The op just run went through exactly one LOCK covering [@start, @end)
 * and one flush (with the unlock), and the GPU saw no programming error.
 */
static void vxt_expect_one_window(struct vxt *x, u64 start, u64 end)
{
	struct pvm_sim_lock_rec rec;

	KUNIT_EXPECT_EQ(x->test, vxt_stat(x, PVM_SIM_STAT_LOCK), 1);
	/* Arch 12: GPU_COMMAND cache flush, then UNLOCK; else FLUSH_MEM. */
	KUNIT_EXPECT_EQ(x->test, vxt_stat(x, PVM_SIM_STAT_FLUSH_MEM),
			x->arch12 ? 0 : 1);
	KUNIT_EXPECT_EQ(x->test, vxt_stat(x, PVM_SIM_STAT_CACHE_FLUSH),
			x->arch12 ? 1 : 0);
	KUNIT_EXPECT_EQ(x->test, vxt_stat(x, PVM_SIM_STAT_UNLOCK),
			x->arch12 ? 1 : 0);
	KUNIT_EXPECT_EQ(x->test, vxt_stat(x, PVM_SIM_STAT_DRIVER_ERRORS), 0);
	KUNIT_EXPECT_EQ(x->test, vxt_stat(x, PVM_SIM_STAT_STALE_TRANSLATIONS), 0);
	KUNIT_ASSERT_EQ(x->test, pvm_sim_locks(x->sim, &rec, 1), 1);
	KUNIT_EXPECT_EQ(x->test, rec.as, x->slot);
	KUNIT_EXPECT_LE_MSG(x->test, rec.start, start,
			    "locked [%#llx, %#llx], op rewrites [%#llx, %#llx)",
			    rec.start, rec.last, start, end);
	KUNIT_EXPECT_GE_MSG(x->test, rec.last, end - 1,
			    "locked [%#llx, %#llx], op rewrites [%#llx, %#llx)",
			    rec.start, rec.last, start, end);
}

/* The GPU faults (translation) on a read of @va. */
static void vxt_expect_fault(struct vxt *x, u64 va)
{
	u32 w = 0, fs = vxt_access(x, va, &w, false);

	KUNIT_EXPECT_EQ_MSG(x->test, FIELD_GET(AS_FAULTSTATUS_EXCEPTION_TYPE, fs) & 0xf8,
			    MMU_EXC_TRANSLATION,
			    "read of unmapped %#llx: status %#x", va, fs);
}

/* After everything is unmapped, no GPU pin of @bo is left. */
static void vxt_expect_unpinned(struct vxt *x, struct pvm_gem_object *bo)
{
	KUNIT_EXPECT_EQ(x->test, refcount_read(&bo->gpu_pins), 0);
	KUNIT_EXPECT_NULL(x->test, bo->sgt);
}

/* ---- block cuts ---------------------------------------------------- */

struct cut_case {
	const char *name;
	u64 off, len;
};

/* Holes in a 4 MiB BO mapped at VXT_BASE as two 2 MiB blocks. */
static const struct cut_case cut_cases[] = {
	{ "first page of a block", 0, SZ_4K },
	{ "last 8K of a block", SZ_2M - SZ_8K, SZ_8K },
	{ "a page inside a block", SZ_64K, SZ_4K },
	{ "second half of a block", SZ_1M, SZ_1M },
	{ "across two blocks", SZ_2M - SZ_4K, SZ_8K },
	{ "a block and a page", 0, SZ_2M + SZ_4K },
};

static void cut_desc(const struct cut_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(cut, cut_cases, cut_desc);

/*
 * An unmap that cuts into 2 MiB blocks: one LOCK over the blocks it cuts,
 * the hole gone, the blocks' other pages still reading the BO (as 4 KiB
 * pages), the untouched block still a block.
 */
static void pvm_vm_exec_test_block_cut(struct kunit *test)
{
	const struct cut_case *c = test->param_value;
	struct vxt *x = vxt_create(test, true);
	struct pvm_gem_object *bo = vxt_bo(x, SZ_4M, 1);
	u64 hs = VXT_BASE + c->off, he = hs + c->len;
	u64 ws = ALIGN_DOWN(hs, SZ_2M), we = ALIGN(he, SZ_2M), va;

	vxt_map(x, VXT_BASE, SZ_4M, bo, 0);
	KUNIT_ASSERT_EQ(test, vxt_leaf(x, VXT_BASE), 21);
	KUNIT_ASSERT_EQ(test, vxt_leaf(x, VXT_BASE + SZ_2M), 21);
	/* Warm the TLB with every page: a missed invalidation shows. */
	for (va = VXT_BASE; va < VXT_BASE + SZ_4M; va += SZ_4K)
		KUNIT_ASSERT_EQ(test, vxt_read(x, va),
				vxt_word(1, (va - VXT_BASE) / SZ_4K));

	pvm_sim_stats_reset(x->sim);
	vxt_unmap(x, hs, c->len);
	vxt_expect_one_window(x, ws, we);

	for (va = VXT_BASE; va < VXT_BASE + SZ_4M; va += SZ_4K) {
		u32 lg = vxt_leaf(x, va);

		if (va >= hs && va < he) {
			KUNIT_EXPECT_EQ_MSG(test, lg, 0, "hole %#llx mapped", va);
			continue;
		}
		KUNIT_EXPECT_EQ_MSG(test, lg, va >= ws && va < we ? 12 : 21,
				    "leaf at %#llx", va);
		KUNIT_EXPECT_EQ_MSG(test, vxt_read(x, va),
				    vxt_word(1, (va - VXT_BASE) / SZ_4K),
				    "border %#llx", va);
	}
	KUNIT_EXPECT_EQ(test, vxt_stat(x, PVM_SIM_STAT_STALE_TRANSLATIONS), 0);

	vxt_unmap(x, VXT_BASE, SZ_4M);
	vxt_expect_unpinned(x, bo);
	/* Last: the GPU really faults in the hole (the VM is done after). */
	vxt_expect_fault(x, hs);
}

/*
 * A MAP over part of a block: drm_gpuvm's remap step cuts the block,
 * the borders are mapped back from the old BO, the new range reads the
 * new BO, all in one window.
 */
static void pvm_vm_exec_test_border_remap(struct kunit *test)
{
	struct vxt *x = vxt_create(test, true);
	struct pvm_gem_object *a = vxt_bo(x, SZ_4M, 2);
	struct pvm_gem_object *b = vxt_bo(x, SZ_64K, 3);
	u64 ns = VXT_BASE + SZ_1M + SZ_16K, ne = ns + SZ_64K, va;

	vxt_map(x, VXT_BASE, SZ_4M, a, 0);
	KUNIT_ASSERT_EQ(test, vxt_leaf(x, VXT_BASE), 21);
	for (va = VXT_BASE; va < VXT_BASE + SZ_4M; va += SZ_64K)
		vxt_read(x, va);

	pvm_sim_stats_reset(x->sim);
	vxt_map(x, ns, SZ_64K, b, 0);
	vxt_expect_one_window(x, VXT_BASE, VXT_BASE + SZ_2M);

	for (va = VXT_BASE; va < VXT_BASE + SZ_4M; va += SZ_4K) {
		u32 want = va >= ns && va < ne ?
			   vxt_word(3, (va - ns) / SZ_4K) :
			   vxt_word(2, (va - VXT_BASE) / SZ_4K);

		KUNIT_EXPECT_EQ_MSG(test, vxt_leaf(x, va),
				    va < VXT_BASE + SZ_2M ? 12 : 21,
				    "leaf at %#llx", va);
		KUNIT_EXPECT_EQ_MSG(test, vxt_read(x, va), want, "at %#llx", va);
	}
	KUNIT_EXPECT_EQ(test, vxt_stat(x, PVM_SIM_STAT_STALE_TRANSLATIONS), 0);

	vxt_unmap(x, VXT_BASE, SZ_4M);
	vxt_expect_unpinned(x, a);
	vxt_expect_unpinned(x, b);
}

/* ---- repeat splits ------------------------------------------------- */

static const u64 repeat_ranges[] = { SZ_4K, SZ_64K, SZ_2M };

static void repeat_desc(const u64 *r, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "repeat of %llu KiB", *r / SZ_1K);
}

KUNIT_ARRAY_PARAM(repeat, repeat_ranges, repeat_desc);

/*
 * A hole unmapped out of an 8 MiB repeat mapping of R bytes: every other
 * address still reads pattern page (va mod R), in one window; a 2 MiB
 * pattern is a block, which the hole cuts.
 */
static void pvm_vm_exec_test_repeat_split(struct kunit *test)
{
	const u64 rr = *(const u64 *)test->param_value, size = SZ_8M;
	struct vxt *x = vxt_create(test, rr == SZ_2M);
	struct pvm_gem_object *bo = vxt_bo(x, rr, 4);
	u64 hs = VXT_BASE + SZ_2M + 3 * SZ_4K, he = hs + 5 * SZ_4K, va;
	u64 ws = rr == SZ_2M ? ALIGN_DOWN(hs, SZ_2M) : hs;
	u64 we = rr == SZ_2M ? ALIGN(he, SZ_2M) : he;

	KUNIT_ASSERT_EQ(test, vxt_op(x, DRM_PANTHOR_VM_BIND_OP_TYPE_MAP |
				     DRM_PANTHOR_VM_BIND_OP_MAP_REPEAT,
				     VXT_BASE, size, bo, 0, rr), 0);
	KUNIT_EXPECT_EQ(test, vxt_leaf(x, VXT_BASE), rr == SZ_2M ? 21 : 12);
	for (va = VXT_BASE; va < VXT_BASE + size; va += SZ_4K)
		KUNIT_ASSERT_EQ(test, vxt_read(x, va),
				vxt_word(4, (va % rr) / SZ_4K));

	pvm_sim_stats_reset(x->sim);
	vxt_unmap(x, hs, he - hs);
	vxt_expect_one_window(x, ws, we);

	for (va = VXT_BASE; va < VXT_BASE + size; va += SZ_4K) {
		if (va >= hs && va < he) {
			KUNIT_EXPECT_EQ_MSG(test, vxt_leaf(x, va), 0,
					    "hole %#llx mapped", va);
			continue;
		}
		KUNIT_EXPECT_EQ_MSG(test, vxt_read(x, va),
				    vxt_word(4, (va % rr) / SZ_4K),
				    "R %#llx at %#llx", rr, va);
	}
	if (rr == SZ_2M) {
		KUNIT_EXPECT_EQ(test, vxt_leaf(x, ws), 12);
		KUNIT_EXPECT_EQ(test, vxt_leaf(x, we), 21);
	}
	KUNIT_EXPECT_EQ(test, vxt_stat(x, PVM_SIM_STAT_STALE_TRANSLATIONS), 0);

	vxt_unmap(x, VXT_BASE, size);
	vxt_expect_unpinned(x, bo);
	vxt_expect_fault(x, hs);
}

static struct kunit_case pvm_vm_exec_test_cases[] = {
	KUNIT_CASE_PARAM(pvm_vm_exec_test_block_cut, cut_gen_params),
	KUNIT_CASE(pvm_vm_exec_test_border_remap),
	KUNIT_CASE_PARAM(pvm_vm_exec_test_repeat_split, repeat_gen_params),
	{}
};

static struct kunit_suite pvm_vm_exec_test_suite = {
	.name = "pvm_vm_exec",
	.test_cases = pvm_vm_exec_test_cases,
};

kunit_test_suite(pvm_vm_exec_test_suite);
