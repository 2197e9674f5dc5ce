// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * Remapping a VM with synchronous VM_BIND, checked against a userspace
 * model of the VA window: MAP over existing mappings, UNMAP across holes,
 * random remaps, and the nine partial huge-page unmap shapes: after every
 * unmap the surviving pages must still read their BO data through the
 * GPU, and at the end one unmapped page must fault.
 *
 * With the software GPU's system MMU (every BO one contiguous, 2 MiB
 * aligned IOVA range) the shapes also check the 2 MiB blocks themselves:
 * the map makes blocks, an unmap that cuts into a block issues one LOCK
 * covering the whole block, a GPU agent reading a surviving border during
 * the unmap never faults nor sees other data, and the border is 4 KiB
 * pages afterwards.
 *
 * GPU reads use the software GPU's SIM_GPU_ACCESS ioctl; without it the
 * subtests that only make sense with data checks skip, the others still
 * run every bind. The uAPI rules of VM_CREATE and VM_BIND are tested by
 * panthor_vm_bind.
 */

#include <stdlib.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_panthor_sim.h"
#include "panthor_drm.h"

IGT_TEST_DESCRIPTION("panthor VM remaps: MAP over, UNMAP holes, huge pages");

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static int fd = -1;
static bool sim;
static bool smmu;		/* sim with its system MMU: 2 MiB blocks */
static bool lock_log;		/* the software GPU's lock log exists */

/* ---- huge-page unmap shapes -------------------------------------------- */

struct range {
	uint64_t va, size;
};

struct shape {
	const char *name;
	const char *desc;
	uint64_t bo_size;
	uint64_t bo_offset;
	uint64_t va;
	uint64_t size;
	int nr_unmaps;
	struct range unmaps[8];
};

static const struct shape shapes[] = {
	{ "single", "unmap exactly one 2M block mapping",
	  SZ_2M, 0, SZ_2M, SZ_2M, 1, { { SZ_2M, SZ_2M } } },
	{ "single-partial", "a 2M block of a 4M BO, unmapped exactly",
	  SZ_4M, SZ_2M, SZ_2M, SZ_2M, 1, { { SZ_2M, SZ_2M } } },
	{ "multiple", "three 2M blocks unmapped exactly",
	  6 * SZ_1M, 0, SZ_2M, 6 * SZ_1M, 1, { { SZ_2M, 6 * SZ_1M } } },
	{ "offset", "4M at BO offset 2M, unmapped with a larger range",
	  6 * SZ_1M, SZ_2M, SZ_2M, SZ_4M, 1, { { SZ_2M, 6 * SZ_1M } } },
	{ "left-aligned", "8K unmapped at the start of a 2M block",
	  SZ_4M, 0, SZ_2M, SZ_4M, 1, { { SZ_2M, SZ_8K } } },
	{ "right-aligned", "8K unmapped at the end of the last 2M block",
	  SZ_4M, 0, SZ_2M, SZ_4M, 1, { { SZ_2M + SZ_4M - SZ_8K, SZ_8K } } },
	{ "superset", "an unmap that covers the block and more on both sides",
	  SZ_2M, 0, SZ_2M, SZ_2M, 1, { { SZ_1M, 5 * SZ_1M } } },
	{ "subset", "two 8K holes, in the middle of one block and near the "
	  "start of the next",
	  SZ_4M, 0, SZ_2M, SZ_4M, 2,
	  { { SZ_2M + SZ_1M, SZ_8K }, { SZ_4M + SZ_4K, SZ_8K } } },
	{ "successive", "unmaps over the remnants of earlier unmaps, some "
	  "hitting only holes",
	  6 * SZ_1M, 0, SZ_2M, 6 * SZ_1M, 8,
	  { { 0x3fe000, 0x204000 }, { 0x3fe000, 0x204000 },
	    { 0x200000, 0x3000 }, { 0x601000, 0x4000 },
	    { 0x7fa000, 0xc000 }, { 0x3fa000, 0xa000 },
	    { 0x5ff000, 0x2000 }, { 0x203000, 0x1000 } } },
};

/* Short names of the leaf sizes igt_panthor_gpu_leaf_log2() reports. */
#define LEAF_PAGE	IGT_PANTHOR_LEAF_PAGE
#define LEAF_BLOCK	IGT_PANTHOR_LEAF_BLOCK
/* Most of a surviving border one agent reads. */
#define BORDER_MAX	SZ_64K
/* Time the agent streams before and after the unmap. */
#define AGENT_US	10000

static bool model_mapped(const struct igt_panthor_model *m, uint64_t va)
{
	uint64_t p = (va - m->base) / SZ_4K;

	return va >= m->base && p < m->npages && m->page[p].seed;
}

/*
 * [*ws, *we): what unmapping [va, end) rewrites. An edge inside a 2 MiB
 * block widens the range to that whole block (the page table never splits
 * one); the block is read from the GPU's translation before the unmap.
 */
static void block_span(uint32_t vm, const struct igt_panthor_model *m,
		       uint64_t va, uint64_t end, uint64_t *ws, uint64_t *we)
{
	*ws = va;
	*we = end;
	if (va % SZ_2M && model_mapped(m, va) &&
	    igt_panthor_gpu_leaf_log2(fd, vm, va) == LEAF_BLOCK)
		*ws = va - va % SZ_2M;
	if (end % SZ_2M && model_mapped(m, end - 1) &&
	    igt_panthor_gpu_leaf_log2(fd, vm, end - 1) == LEAF_BLOCK)
		*we = end - end % SZ_2M + SZ_2M;
}

/* One unmap with the system MMU: the block checks around it. */
static void unmap_blocks(uint32_t vm, const struct igt_panthor_model *m,
			 const char *name, const struct range *u)
{
	static uint32_t border[BORDER_MAX / 4];
	struct igt_panthor_sim_lock locks[IGT_PANTHOR_MAX_LOCKS];
	struct drm_panthor_sim_agent r;
	uint64_t end = u->va + u->size, ws, we, bva = 0, bsize = 0;
	int n;

	block_span(vm, m, u->va, end, &ws, &we);
	igt_debug("%s: unmap %#" PRIx64 "+%#" PRIx64 " rewrites [%#" PRIx64
		  ", %#" PRIx64 ")\n", name, u->va, u->size, ws, we);

	/* A surviving border of a cut block, next to the cut. */
	if (ws < u->va) {
		bsize = u->va - ws < BORDER_MAX ? u->va - ws : BORDER_MAX;
		bva = u->va - bsize;
	} else if (we > end) {
		bsize = we - end < BORDER_MAX ? we - end : BORDER_MAX;
		bva = end;
	}
	if (bsize) {
		/* Strict: the border's current data and nothing else. */
		igt_panthor_gpu_read(fd, vm, bva, border, bsize);
		igt_panthor_sim_agent_start(fd, vm, bva, bsize, border);
		usleep(AGENT_US);
	}

	if (lock_log)
		igt_panthor_sim_stats_reset(fd);
	igt_panthor_unmap(fd, vm, u->va, u->size);
	n = lock_log ? igt_panthor_sim_locks(locks, IGT_PANTHOR_MAX_LOCKS) : 0;

	/* Stop the agent before any assertion can leave it running. */
	if (bsize) {
		usleep(AGENT_US);
		igt_panthor_sim_agent_stop(fd, vm, &r);
		igt_assert_f(r.fault_status == 0 && r.mismatches == 0 &&
			     r.reads > 0, "%s: agent over the border %#" PRIx64
			     "+%#" PRIx64 " during the unmap: reads %" PRIu64
			     " mismatches %" PRIu64 " fault %#x at %#" PRIx64
			     "\n", name, bva, bsize, (uint64_t)r.reads,
			     (uint64_t)r.mismatches, r.fault_status,
			     (uint64_t)r.fault_address);
	}
	if (lock_log) {
		igt_assert_f(n == 1, "%s: unmap %#" PRIx64 "+%#" PRIx64 ": %d "
			     "LOCKs, expected exactly one\n", name, u->va,
			     u->size, n);
		igt_assert_f(locks[0].start <= ws && locks[0].last >= we - 1,
			     "%s: unmap %#" PRIx64 "+%#" PRIx64 " locked [%#"
			     PRIx64 ", %#" PRIx64 "], which does not cover "
			     "the blocks it rewrites [%#" PRIx64 ", %#" PRIx64
			     "]\n", name, u->va, u->size, locks[0].start,
			     locks[0].last, ws, we - 1);
	}

	/* The surviving borders of cut blocks are pages now. */
	if (ws < u->va) {
		igt_panthor_assert_leaf(fd, vm, ws, LEAF_PAGE, name);
		igt_panthor_assert_leaf(fd, vm, u->va - SZ_4K, LEAF_PAGE, name);
	}
	if (we > end) {
		igt_panthor_assert_leaf(fd, vm, end, LEAF_PAGE, name);
		igt_panthor_assert_leaf(fd, vm, we - SZ_4K, LEAF_PAGE, name);
	}
}

static void run_shape(const struct shape *s)
{
	struct igt_panthor_model m;
	uint32_t vm, bo, fs;
	uint64_t hole = 0, fa = 0;
	bool found = false;

	vm = igt_panthor_vm_create_range(fd, NULL);
	bo = igt_panthor_pattern_bo(fd, s->bo_size, 100);
	igt_panthor_model_init(&m, 0, 16 * SZ_1M);

	igt_panthor_map(fd, vm, bo, s->bo_offset, s->va, s->size, 0);
	igt_panthor_model_map(&m, 100, s->bo_offset, s->va, s->size);
	if (sim)
		igt_panthor_model_check(fd, vm, &m);
	if (smmu) {
		/* Every whole 2 MiB of the mapping is one block. */
		for (uint64_t c = (s->va + SZ_2M - 1) & ~(SZ_2M - 1);
		     c + SZ_2M <= s->va + s->size; c += SZ_2M)
			igt_panthor_assert_leaf(fd, vm, c, LEAF_BLOCK, s->name);
	} else {
		igt_debug("%s: no system MMU, block checks skipped\n", s->name);
	}

	for (int i = 0; i < s->nr_unmaps; i++) {
		const struct range *u = &s->unmaps[i];

		igt_debug("%s: unmap %#" PRIx64 "+%#" PRIx64 "\n", s->name,
			  u->va, u->size);
		if (smmu)
			unmap_blocks(vm, &m, s->name, u);
		else
			igt_panthor_unmap(fd, vm, u->va, u->size);
		igt_panthor_model_unmap(&m, u->va, u->size);
		if (sim)
			igt_panthor_model_check(fd, vm, &m);
	}
	/* The BO's handle can go; the surviving mappings hold the pages. */
	gem_close(fd, bo);
	if (sim)
		igt_panthor_model_check(fd, vm, &m);

	/* Last: one page that was mapped and was unmapped must fault. */
	for (uint64_t va = s->va; va < s->va + s->size; va += SZ_4K) {
		if (!m.page[va / SZ_4K].seed) {
			hole = va;
			found = true;
			break;
		}
	}
	igt_assert_f(found, "%s: nothing was unmapped\n", s->name);
	if (sim) {
		fs = igt_panthor_gpu_fault(fd, vm, hole, false, &fa);
		igt_assert_f((fs & 0xf8) == IGT_PANTHOR_FAULT_TRANSLATION &&
			     ((fs >> 8) & 3) == IGT_PANTHOR_ACCESS_READ,
			     "%s: read of unmapped %#" PRIx64 ": FAULTSTATUS "
			     "%#x, expected a read translation fault\n",
			     s->name, hole, fs);
		igt_assert_eq_u64(fa, hole);
	}
	igt_panthor_model_fini(&m);
	igt_panthor_vm_destroy(fd, vm, 0);
}

int igt_main()
{
	igt_fixture() {
		igt_panthor_skip_on_big_endian();
		fd = drm_open_driver(DRIVER_PANTHOR);
		sim = igt_panthor_has_sim(fd);
		igt_panthor_assert_expected_smmu();
		smmu = sim && igt_panthor_sim_has_smmu();
		lock_log = smmu && igt_panthor_debugfs_dir(fd, "sim_stats");
		if (smmu && !lock_log)
			igt_debug("no sim_stats in debugfs: lock checks "
				  "skipped\n");
		igt_require_f(igt_panthor_va_bits(fd) == 48,
			      "the tests assume a 48-bit GPU VA\n");
	}

	igt_describe("MAP over part of a mapping replaces exactly that part");
	igt_subtest("vm-map-over") {
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t bo_a = igt_panthor_pattern_bo(fd, SZ_4M, 51);
		uint32_t bo_b = igt_panthor_pattern_bo(fd, SZ_1M, 52);
		struct igt_panthor_model m;
		const uint64_t base = 0x2000000;
		static const struct { uint64_t bo_off, va, size; } over[] = {
			{ 0, 0x2010000, SZ_16K },		/* inside a 2M block */
			{ SZ_64K, 0x2000000, SZ_4K },	/* first page */
			{ 0x3000, 0x23ff000, SZ_4K },	/* last page */
			{ 0, 0x21ff000, SZ_8K },	/* across blocks */
			{ SZ_4K, 0x2010000, SZ_16K },	/* over the over */
		};

		igt_require(sim);
		igt_panthor_model_init(&m, base, SZ_8M);
		igt_panthor_map(fd, vm, bo_a, 0, base, SZ_4M, 0);
		igt_panthor_model_map(&m, 51, 0, base, SZ_4M);
		igt_panthor_model_check(fd, vm, &m);
		for (size_t i = 0; i < ARRAY_LEN(over); i++) {
			igt_panthor_map(fd, vm, bo_b, over[i].bo_off, over[i].va,
					over[i].size, 0);
			igt_panthor_model_map(&m, 52, over[i].bo_off, over[i].va,
					      over[i].size);
			igt_panthor_model_check(fd, vm, &m);
		}
		/* Map A back over everything: one mapping again. */
		igt_panthor_map(fd, vm, bo_a, 0, base, SZ_4M, 0);
		igt_panthor_model_map(&m, 51, 0, base, SZ_4M);
		igt_panthor_model_check(fd, vm, &m);
		igt_panthor_model_fini(&m);
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, bo_a);
		gem_close(fd, bo_b);
	}

	igt_describe("UNMAP across holes and partial mappings succeeds and "
		     "leaves the rest mapped");
	igt_subtest("vm-unmap-holes") {
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t bo = igt_panthor_pattern_bo(fd, SZ_1M, 61);
		struct igt_panthor_model m;
		const uint64_t base = 0x4000000;

		igt_panthor_model_init(&m, base, SZ_4M);
		for (int i = 0; i < 8; i++) {
			uint64_t va = base + i * 3 * SZ_64K;

			igt_panthor_map(fd, vm, bo, i * SZ_64K, va, SZ_64K, 0);
			igt_panthor_model_map(&m, 61, i * SZ_64K, va, SZ_64K);
		}
		if (sim)
			igt_panthor_model_check(fd, vm, &m);
		/* From the middle of mapping 1 to the middle of mapping 6. */
		igt_panthor_unmap(fd, vm, base + 3 * SZ_64K + SZ_32K,
				  15 * SZ_64K);
		igt_panthor_model_unmap(&m, base + 3 * SZ_64K + SZ_32K,
					15 * SZ_64K);
		if (sim)
			igt_panthor_model_check(fd, vm, &m);
		/* A range with nothing mapped at all. */
		igt_panthor_unmap(fd, vm, base + SZ_2M, SZ_2M);
		/* Map into the new hole again. */
		igt_panthor_map(fd, vm, bo, 0, base + 4 * SZ_64K, 2 * SZ_64K, 0);
		igt_panthor_model_map(&m, 61, 0, base + 4 * SZ_64K, 2 * SZ_64K);
		if (sim) {
			uint64_t hole = 0;

			igt_panthor_model_check(fd, vm, &m);
			igt_assert(igt_panthor_model_hole(&m, &hole));
			igt_panthor_gpu_fault(fd, vm, hole, false, NULL);
		}
		igt_panthor_model_fini(&m);
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("Random MAP-over and UNMAP of three BOs in an 8 MiB window "
		     "always match a userspace model");
	igt_subtest("vm-remap-random") {
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t bos[3], seeds[3] = { 71, 72, 73 };
		struct igt_panthor_model m;
		const uint64_t base = 0x6000000, win = SZ_8M;
		uint64_t hole = 0;

		igt_require(sim);
		srand(1234);
		for (int i = 0; i < 3; i++)
			bos[i] = igt_panthor_pattern_bo(fd, SZ_2M, seeds[i]);
		igt_panthor_model_init(&m, base, win);
		igt_panthor_map(fd, vm, bos[0], 0, base, SZ_2M, 0);
		igt_panthor_model_map(&m, seeds[0], 0, base, SZ_2M);

		for (int it = 0; it < 300; it++) {
			uint64_t pages = 1 + rand() % 256;
			uint64_t va = base + (rand() % (win / SZ_4K - pages)) * SZ_4K;
			uint64_t size = pages * SZ_4K;

			if (rand() % 4 == 0) {
				igt_panthor_unmap(fd, vm, va, size);
				igt_panthor_model_unmap(&m, va, size);
			} else {
				int b = rand() % 3;
				uint64_t off = (rand() % (SZ_2M / SZ_4K - pages + 1)) *
					       SZ_4K;

				igt_panthor_map(fd, vm, bos[b], off, va, size, 0);
				igt_panthor_model_map(&m, seeds[b], off, va, size);
			}
			if (it % 25 == 24)
				igt_panthor_model_check(fd, vm, &m);
		}
		igt_panthor_model_check(fd, vm, &m);
		if (igt_panthor_model_hole(&m, &hole))
			igt_panthor_gpu_fault(fd, vm, hole, false, NULL);
		igt_panthor_model_fini(&m);
		igt_panthor_vm_destroy(fd, vm, 0);
		for (int i = 0; i < 3; i++)
			gem_close(fd, bos[i]);
	}

	for (size_t i = 0; i < ARRAY_LEN(shapes); i++) {
		igt_describe(shapes[i].desc);
		igt_subtest_f("unbind-hugepage-%s", shapes[i].name)
			run_shape(&shapes[i]);
	}

	igt_fixture() {
		drm_close_driver(fd);
	}
}
