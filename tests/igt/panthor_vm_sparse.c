// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * Sparse and repeat mappings, and the page-table counters of vm_stats.
 *
 * MAP_SPARSE (uAPI 1.9): bo_handle and bo_offset 0, NOEXEC required; the
 * range maps one per-file dummy page cyclically, so a GPU write at one
 * sparse address shows at the same in-page offset of every page of every
 * sparse range of the file. Binding a real BO over part of it shows the BO;
 * unmapping leaves a hole; MAP_SPARSE over the hole restores the dummy.
 * A 1 TiB sparse range costs a handful of page-table pages.
 *
 * MAP_REPEAT (panthor-vm extension, stride 56 with repeat_range): address a
 * of the range reads BO byte bo_offset + (a - va) mod repeat_range, and
 * keeps doing so for every address that stays mapped across later remaps.
 *
 * Sparse subtests skip below uAPI 1.9; repeat subtests skip when the kernel
 * rejects a valid MAP_REPEAT.
 */

#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_panthor_sim.h"
#include "panthor_drm.h"

IGT_TEST_DESCRIPTION("MAP_SPARSE, MAP_REPEAT and page-table counters");

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define SPARSE	(DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE | \
		 DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC)
#define REPEAT	DRM_PANTHOR_VM_BIND_OP_MAP_REPEAT
#define MAP	DRM_PANTHOR_VM_BIND_OP_TYPE_MAP
#define UNMAP	DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP

#define SPARSE_VA	(UINT64_C(1) << 40)
#define DUMMY_OFF	0x40		/* in-page offset of the dummy word */
#define DUMMY_WORD	0xd1d2d3d4u

static int fd = -1;
static bool sim;
static int minor;

static int bind1(uint32_t vm, struct drm_panthor_vm_bind_op op)
{
	return __igt_panthor_bind1(fd, vm, &op);
}

/* panthor-vm's VM_BIND extension report, or false on another kernel. */
static bool bind_info(struct drm_panthor_pvm_vm_bind_info *info)
{
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_PVM_VM_BIND_INFO,
		.size = sizeof(*info),
		.pointer = (uintptr_t)info,
	};

	memset(info, 0, sizeof(*info));
	return igt_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q) == 0;
}

/* MAP_REPEAT as the kernel reports it, confirmed by one valid op. */
static bool repeat_supported(void)
{
	struct drm_panthor_pvm_vm_bind_info info;
	uint32_t vm;
	uint32_t bo = igt_panthor_pattern_bo(fd, SZ_64K, 1);
	struct drm_panthor_vm_bind_op op =
		igt_panthor_op_map(bo, 0, 0x100000, SZ_16K, REPEAT);
	int err;

	if (!bind_info(&info) || !(info.op_flags & REPEAT))
		return false;
	vm = igt_panthor_vm_create_range(fd, NULL);
	op.repeat_range = SZ_4K;
	err = bind1(vm, op);
	igt_panthor_vm_destroy(fd, vm, 0);
	gem_close(fd, bo);
	if (err)
		igt_info("a valid MAP_REPEAT failed: %s\n", strerror(-err));
	return err == 0;
}

/* ---- a page model that knows the dummy page ------------------------------ */

#define P_HOLE	(-1)
#define P_DUMMY	(-2)

struct smodel {
	uint64_t base, npages;
	int64_t *page;		/* P_HOLE, P_DUMMY or a BO offset */
	uint32_t seed;		/* of the one real BO */
};

static void smodel_init(struct smodel *m, uint64_t base, uint64_t size,
			uint32_t seed)
{
	m->base = base;
	m->npages = size / SZ_4K;
	m->seed = seed;
	m->page = malloc(m->npages * sizeof(*m->page));
	igt_assert(m->page);
	for (uint64_t i = 0; i < m->npages; i++)
		m->page[i] = P_HOLE;
}

static void smodel_set(struct smodel *m, uint64_t va, uint64_t size,
		       int64_t what)
{
	for (uint64_t a = va; a < va + size; a += SZ_4K) {
		if (a < m->base || a >= m->base + m->npages * SZ_4K)
			continue;
		m->page[(a - m->base) / SZ_4K] = what < 0 ? what :
						 what + (int64_t)(a - va);
	}
}

/* Read every non-hole page; dummy pages must all read the same page. */
static void smodel_check(uint32_t vm, const struct smodel *m)
{
	static uint32_t buf[SZ_4K / 4], dummy[SZ_4K / 4];
	bool have_dummy = false;

	for (uint64_t i = 0; i < m->npages; i++) {
		uint64_t va = m->base + i * SZ_4K, bad = 0;

		if (m->page[i] == P_HOLE)
			continue;
		igt_panthor_gpu_read(fd, vm, va, buf, SZ_4K);
		if (m->page[i] == P_DUMMY) {
			igt_assert_f(buf[DUMMY_OFF / 4] == DUMMY_WORD,
				     "sparse page %#" PRIx64 " reads %#x at +%#x,"
				     " not the dummy word %#x\n", va,
				     buf[DUMMY_OFF / 4], DUMMY_OFF, DUMMY_WORD);
			if (!have_dummy) {
				memcpy(dummy, buf, SZ_4K);
				have_dummy = true;
			}
			igt_assert_f(!memcmp(buf, dummy, SZ_4K),
				     "sparse page %#" PRIx64 " differs from the "
				     "other sparse pages\n", va);
		} else {
			igt_assert_f(igt_panthor_pattern_check(buf, SZ_4K,
							       m->seed,
							       m->page[i], &bad),
				     "page %#" PRIx64 " reads %#x at +%#" PRIx64
				     ", expected BO offset %#" PRIx64 "\n", va,
				     buf[bad / 4], bad, m->page[i] + bad);
		}
	}
}

static bool smodel_hole(const struct smodel *m, uint64_t *va)
{
	for (uint64_t i = 0; i < m->npages; i++) {
		if (m->page[i] == P_HOLE) {
			*va = m->base + i * SZ_4K;
			return true;
		}
	}
	return false;
}

/* A VM with a sparse range whose dummy page holds DUMMY_WORD. */
static uint32_t sparse_vm(uint64_t va, uint64_t size)
{
	uint32_t vm = igt_panthor_vm_create_range(fd, NULL);

	igt_panthor_map_sparse(fd, vm, va, size);
	if (sim)
		igt_panthor_gpu_write32(fd, vm, va + DUMMY_OFF, DUMMY_WORD);
	return vm;
}

/* ---- sparse op sequences ------------------------------------------------- */

struct sop {
	char kind;		/* 'u' unmap, 's' sparse, 'b' BO */
	uint64_t va, size, bo_off;
};

struct sparse_case {
	const char *name;
	int nops;
	struct sop ops[4];
};

#define S4M (UINT64_C(4) << 20)

/* A 6 MiB sparse range at 4 MiB, then these ops. */
static const struct sparse_case sparse_cases[] = {
	{ "partial-unmap-start-size-unaligned", 1,
	  { { 'u', S4M + SZ_64K, SZ_1M + SZ_4K, 0 } } },
	{ "partial-unmap-start-size-aligned", 1, { { 'u', S4M, SZ_2M, 0 } } },
	{ "partial-unmap-multiple-small", 3,
	  { { 'u', S4M + SZ_8K, SZ_8K, 0 }, { 'u', S4M + SZ_2M + SZ_4K, SZ_4K, 0 },
	    { 'u', S4M + 5 * SZ_1M, 3 * SZ_4K, 0 } } },
	{ "partial-unmap-below-start", 1, { { 'u', SZ_2M, SZ_4M, 0 } } },
	{ "partial-unmap-above-start", 1, { { 'u', S4M + SZ_4M, SZ_4M, 0 } } },
	{ "remap-start-unaligned", 1, { { 'b', S4M + SZ_4K, SZ_64K, 0 } } },
	{ "remap-start-aligned-split", 1, { { 'b', S4M + SZ_2M, SZ_2M, 0 } } },
	{ "remap-intersect-left", 1, { { 'b', SZ_2M + SZ_1M, SZ_2M, SZ_64K } } },
	{ "remap-intersect-right", 1,
	  { { 'b', S4M + 5 * SZ_1M + SZ_8K, SZ_2M, 0 } } },
	{ "remap-then-unmap-then-sparse", 3,
	  { { 'b', S4M + SZ_1M, SZ_1M, SZ_4K }, { 'u', S4M + SZ_1M, SZ_1M, 0 },
	    { 's', S4M + SZ_1M, SZ_1M, 0 } } },
};

static void run_sparse_case(const struct sparse_case *c)
{
	uint32_t vm = sparse_vm(S4M, 6 * SZ_1M);
	uint32_t bo = igt_panthor_pattern_bo(fd, SZ_4M, 400);
	struct smodel m;
	uint64_t hole = 0;

	smodel_init(&m, 0, 16 * SZ_1M, 400);
	smodel_set(&m, S4M, 6 * SZ_1M, P_DUMMY);
	for (int i = 0; i < c->nops; i++) {
		const struct sop *o = &c->ops[i];

		if (o->kind == 'u') {
			igt_panthor_unmap(fd, vm, o->va, o->size);
			smodel_set(&m, o->va, o->size, P_HOLE);
		} else if (o->kind == 's') {
			igt_panthor_map_sparse(fd, vm, o->va, o->size);
			smodel_set(&m, o->va, o->size, P_DUMMY);
		} else {
			igt_panthor_map(fd, vm, bo, o->bo_off, o->va, o->size,
					DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
			smodel_set(&m, o->va, o->size, o->bo_off);
		}
		if (sim)
			smodel_check(vm, &m);
	}
	if (sim && smodel_hole(&m, &hole)) {
		uint32_t fs = igt_panthor_gpu_fault(fd, vm, hole, false, NULL);

		igt_assert_f((fs & 0xf8) == IGT_PANTHOR_FAULT_TRANSLATION,
			     "hole %#" PRIx64 ": FAULTSTATUS %#x\n", hole, fs);
	}
	free(m.page);
	igt_panthor_vm_destroy(fd, vm, 0);
	gem_close(fd, bo);
}

/* ---- invalid ops ---------------------------------------------------------- */

enum { BO_NONE, BO_2M, BO_4M };

struct bad_op {
	const char *name;
	uint32_t flags;
	int bo;
	uint64_t bo_offset, va, size, repeat_range;
	uint32_t stride;	/* 0: full */
};

static const struct bad_op bad_sparse[] = {
	{ "with-bo-handle", MAP | SPARSE, BO_2M, 0, SPARSE_VA, SZ_64K, 0, 0 },
	{ "with-bo-offset", MAP | SPARSE, BO_NONE, SZ_4K, SPARSE_VA, SZ_64K, 0, 0 },
	{ "without-noexec", MAP | DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE, BO_NONE, 0,
	  SPARSE_VA, SZ_64K, 0, 0 },
	{ "va-unaligned", MAP | SPARSE, BO_NONE, 0, SPARSE_VA + 0x800, SZ_64K,
	  0, 0 },
	{ "overflow", MAP | SPARSE, BO_NONE, 0, UINT64_C(0xffffffffffff0000),
	  SZ_64K * 2, 0, 0 },
	{ "beyond-user-end", MAP | SPARSE, BO_NONE, 0, UINT64_C(1) << 47,
	  SZ_64K, 0, 0 },
	{ "with-repeat", MAP | SPARSE | REPEAT, BO_NONE, 0, SPARSE_VA, SZ_64K,
	  SZ_4K, 0 },
	{ "unmap-with-sparse-flag", UNMAP | DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE,
	  BO_NONE, 0, SPARSE_VA, SZ_64K, 0, 0 },
	{ "unmap-overflow", UNMAP, BO_NONE, 0, UINT64_C(0xffffffffffff0000),
	  SZ_64K * 2, 0, 0 },
};

#define RVA UINT64_C(0x40000000)

static const struct bad_op bad_repeat[] = {
	{ "range-zero", MAP | REPEAT, BO_4M, 0, RVA, SZ_1M, 0, 0 },
	{ "range-2K", MAP | REPEAT, BO_4M, 0, RVA, SZ_1M, 0x800, 0 },
	{ "range-12K", MAP | REPEAT, BO_4M, 0, RVA, SZ_1M, 3 * SZ_4K, 0 },
	{ "range-4M", MAP | REPEAT, BO_4M, 0, RVA, SZ_8M, SZ_4M, 0 },
	{ "va-not-multiple-of-range", MAP | REPEAT, BO_4M, 0, RVA + SZ_4K,
	  SZ_1M, SZ_64K, 0 },
	{ "size-unaligned", MAP | REPEAT, BO_4M, 0, RVA, SZ_1M + 0x800, SZ_64K,
	  0 },
	{ "bo-offset-unaligned", MAP | REPEAT, BO_4M, 0x800, RVA, SZ_1M, SZ_64K,
	  0 },
	{ "range-beyond-bo", MAP | REPEAT, BO_4M, SZ_4M - SZ_32K, RVA, SZ_1M,
	  SZ_64K, 0 },
	{ "range-without-flag", MAP, BO_4M, 0, RVA, SZ_1M, SZ_64K, 0 },
	{ "repeat-with-sparse", MAP | REPEAT | SPARSE, BO_NONE, 0, RVA, SZ_1M,
	  SZ_64K, 0 },
	{ "repeat-stride-48", MAP | REPEAT, BO_4M, 0, RVA, SZ_1M, SZ_64K, 48 },
	{ "unmap-with-range", UNMAP, BO_NONE, 0, RVA, SZ_1M, SZ_64K, 0 },
	{ "unmap-with-repeat-flag", UNMAP | REPEAT, BO_NONE, 0, RVA, SZ_1M, 0, 0 },
};

static void run_bad(const struct bad_op *c, uint32_t vm, uint32_t bo2,
		    uint32_t bo4)
{
	struct drm_panthor_vm_bind_op op = {
		.flags = c->flags,
		.bo_handle = c->bo == BO_2M ? bo2 : c->bo == BO_4M ? bo4 : 0,
		.bo_offset = c->bo_offset,
		.va = c->va,
		.size = c->size,
		.repeat_range = c->repeat_range,
	};
	uint32_t n = 1;
	int err = __igt_panthor_vm_bind_ops(fd, vm, 0, &op, &n,
					    c->stride ? c->stride : sizeof(op));

	igt_assert_f(err == -EINVAL, "%s: VM_BIND returned %d (%s), expected "
		     "-EINVAL\n", c->name, err, strerror(-err));
	igt_assert_eq_u32(igt_panthor_vm_get_state(fd, vm),
			  DRM_PANTHOR_VM_STATE_USABLE);
}

/* ---- repeat data ---------------------------------------------------------- */

struct repeat_case {
	const char *name;
	uint64_t range, bo_offset, size;
};

static const struct repeat_case repeat_cases[] = {
	{ "4K", SZ_4K, 0, 16 * SZ_1M },
	{ "4K-offset", SZ_4K, 5 * SZ_4K, SZ_4M },
	{ "64K", SZ_64K, 0, 16 * SZ_1M },
	{ "64K-offset-tail", SZ_64K, SZ_8K, 3 * SZ_64K + 3 * SZ_4K },
	{ "1M", SZ_1M, SZ_1M, 8 * SZ_1M },
	{ "2M", SZ_2M, 0, 16 * SZ_1M },
	{ "2M-offset", SZ_2M, SZ_1M, 6 * SZ_1M },
};

/* Compare @n random words of mapped pages of @m with a GPU read each. */
static void sample_check(uint32_t vm, const struct igt_panthor_model *m,
			 int n)
{
	for (int i = 0; i < n; i++) {
		uint64_t p = (uint64_t)rand() % m->npages;
		uint64_t off = (rand() % (SZ_4K / 4)) * 4;
		const struct igt_panthor_page *pg = &m->page[p];
		uint64_t va = m->base + p * SZ_4K + off;
		uint32_t v;

		if (!pg->seed)
			continue;
		v = igt_panthor_gpu_read32(fd, vm, va);
		igt_assert_f(v == igt_panthor_pattern(pg->seed, pg->bo_offset + off),
			     "GPU read at %#" PRIx64 " returned %#x, expected BO "
			     "seed %u offset %#" PRIx64 "\n", va, v, pg->seed,
			     pg->bo_offset + off);
	}
}

int igt_main()
{
	igt_fixture() {
		igt_panthor_skip_on_big_endian();
		fd = drm_open_driver(DRIVER_PANTHOR);
		sim = igt_panthor_has_sim(fd);
		minor = igt_panthor_uapi_minor(fd);
		igt_require_f(igt_panthor_va_bits(fd) == 48,
			      "the tests assume a 48-bit GPU VA\n");
	}

	igt_describe("MMU_INFO (uAPI 1.9) reports 4 KiB pages and 2 MiB blocks");
	igt_subtest("mmu-info") {
		struct drm_panthor_mmu_info info = { 0 };
		struct drm_panthor_dev_query q = {
			.type = DRM_PANTHOR_DEV_QUERY_MMU_INFO,
		};

		igt_panthor_require_uapi_minor(fd, 9);
		do_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
		igt_assert_eq_u32(q.size, sizeof(info));
		igt_panthor_query(fd, DRM_PANTHOR_DEV_QUERY_MMU_INFO, &info,
				  sizeof(info), 0);
		igt_assert_f(info.page_size_bitmap == (SZ_4K | SZ_2M),
			     "page_size_bitmap %#" PRIx64 ", expected 4K|2M\n",
			     (uint64_t)info.page_size_bitmap);
	}

	igt_describe("PVM_VM_BIND_INFO reports the VM_BIND extensions, and "
		     "MAP_REPEAT accepts exactly the repeat_range sizes it "
		     "reports");
	igt_subtest("vm-bind-info") {
		struct drm_panthor_pvm_vm_bind_info info;
		struct drm_panthor_dev_query q = {
			.type = DRM_PANTHOR_DEV_QUERY_PVM_VM_BIND_INFO,
		};
		uint32_t vm, bo;

		igt_require_f(bind_info(&info), "no PVM_VM_BIND_INFO (not "
			      "panthor-vm)\n");
		do_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
		igt_assert_eq_u32(q.size, sizeof(info));
		/* The whole object or more (a zeroed tail), nothing less. */
		{
			uint8_t big[sizeof(info) + 8];

			memset(big, 0xa5, sizeof(big));
			igt_panthor_query(fd, q.type, big, sizeof(info) - 8,
					  EINVAL);
			igt_assert_eq(big[0], 0xa5);
			igt_panthor_query(fd, q.type, big, sizeof(big), 0);
			igt_assert(!memcmp(big, &info, sizeof(info)));
			for (size_t i = sizeof(info); i < sizeof(big); i++)
				igt_assert_eq(big[i], 0);
		}
		igt_assert_eq_u32(info.op_flags,
				  DRM_PANTHOR_VM_BIND_OP_MAP_READONLY |
				  DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC |
				  DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED | SPARSE |
				  REPEAT);
		igt_assert_eq_u32(info.op_size,
				  sizeof(struct drm_panthor_vm_bind_op));
		/* Each size from 2 KiB to 4 MiB: accepted iff reported. */
		vm = igt_panthor_vm_create_range(fd, NULL);
		bo = igt_panthor_pattern_bo(fd, SZ_4M, 6);
		for (int n = 11; n <= 22; n++) {
			uint64_t range = UINT64_C(1) << n;
			struct drm_panthor_vm_bind_op op =
				igt_panthor_op_map(bo, 0, SZ_8M,
						   range < SZ_4K ? SZ_8K :
						   2 * range, REPEAT);
			bool want = info.repeat_range_sizes & range;
			int err;

			op.repeat_range = range;
			err = bind1(vm, op);
			igt_assert_f(err == (want ? 0 : -EINVAL),
				     "repeat_range %#" PRIx64 ": %d, reported "
				     "%s\n", range, err,
				     want ? "supported" : "unsupported");
			if (!err)
				igt_panthor_unmap(fd, vm, SZ_8M, op.size);
		}
		igt_assert_f(info.repeat_range_sizes ==
			     ((SZ_2M << 1) - SZ_4K),
			     "repeat_range_sizes %#" PRIx64 ", expected "
			     "4 KiB to 2 MiB\n",
			     (uint64_t)info.repeat_range_sizes);
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("Rejected MAP_SPARSE ops: BO handle or offset, no NOEXEC, "
		     "misaligned, overflowing, beyond the user range, with "
		     "MAP_REPEAT, and sparse flags on UNMAP");
	igt_subtest_with_dynamic("sparse-invalid") {
		uint32_t vm, bo;

		igt_panthor_require_uapi_minor(fd, 9);
		vm = igt_panthor_vm_create_range(fd, NULL);
		bo = igt_panthor_pattern_bo(fd, SZ_2M, 2);
		for (size_t i = 0; i < ARRAY_LEN(bad_sparse); i++) {
			igt_dynamic(bad_sparse[i].name)
				run_bad(&bad_sparse[i], vm, bo, bo);
		}
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("A 16 GiB sparse range: a word written at one page reads "
		     "back at the first, last and 4096 random pages");
	igt_subtest("sparse-16G-data") {
		const uint64_t size = UINT64_C(16) << 30;
		uint32_t vm;

		igt_panthor_require_uapi_minor(fd, 9);
		igt_require_panthor_sim(fd);
		vm = igt_panthor_vm_create_range(fd, NULL);
		igt_panthor_map_sparse(fd, vm, SPARSE_VA, size);
		igt_panthor_gpu_write32(fd, vm, SPARSE_VA + 0x123000 + DUMMY_OFF,
					DUMMY_WORD);
		igt_panthor_gpu_write32(fd, vm, SPARSE_VA + size - SZ_4K + 0x80,
					~DUMMY_WORD);
		srand(99);
		for (int i = -2; i < 4096; i++) {
			uint64_t page = i == -2 ? 0 : i == -1 ?
					size / SZ_4K - 1 :
					((uint64_t)rand() << 16 ^ rand()) %
					(size / SZ_4K);
			uint64_t va = SPARSE_VA + page * SZ_4K;
			uint32_t v = igt_panthor_gpu_read32(fd, vm, va + DUMMY_OFF);
			uint32_t w = igt_panthor_gpu_read32(fd, vm, va + 0x80);

			igt_assert_f(v == DUMMY_WORD && w == ~DUMMY_WORD,
				     "sparse page %#" PRIx64 " reads %#x/%#x, "
				     "expected the dummy page's %#x/%#x\n", va,
				     v, w, DUMMY_WORD, ~DUMMY_WORD);
		}
		igt_panthor_vm_destroy(fd, vm, 0);
	}

	igt_describe("Every sparse range of a file shares the one dummy page");
	igt_subtest("sparse-dummy-shared") {
		uint32_t vm_a, vm_b;

		igt_panthor_require_uapi_minor(fd, 9);
		igt_require_panthor_sim(fd);
		vm_a = sparse_vm(SPARSE_VA, SZ_2M);
		vm_b = igt_panthor_vm_create_range(fd, NULL);
		igt_panthor_map_sparse(fd, vm_b, 0x10000000, SZ_64K);
		igt_panthor_map_sparse(fd, vm_a, 0x20000000, SZ_64K);
		igt_assert_eq_u32(igt_panthor_gpu_read32(fd, vm_b, 0x10000000 +
							 SZ_8K + DUMMY_OFF),
				  DUMMY_WORD);
		igt_assert_eq_u32(igt_panthor_gpu_read32(fd, vm_a, 0x20000000 +
							 DUMMY_OFF),
				  DUMMY_WORD);
		igt_panthor_vm_destroy(fd, vm_a, 0);
		igt_panthor_vm_destroy(fd, vm_b, 0);
	}

	igt_describe("A BO bound into a sparse range shows the BO; unmapping "
		     "it leaves a hole; MAP_SPARSE over the hole brings the "
		     "dummy back");
	igt_subtest("sparse-bind-real-bo") {
		uint32_t vm, bo = igt_panthor_pattern_bo(fd, SZ_64K, 401);
		const uint64_t tile = SPARSE_VA + SZ_1M + SZ_64K;
		struct smodel m;
		uint64_t fa = 0;

		igt_panthor_require_uapi_minor(fd, 9);
		igt_require_panthor_sim(fd);
		vm = sparse_vm(SPARSE_VA, 64 * SZ_1M);
		smodel_init(&m, SPARSE_VA, 4 * SZ_1M, 401);
		smodel_set(&m, SPARSE_VA, 4 * SZ_1M, P_DUMMY);

		igt_panthor_map(fd, vm, bo, 0, tile, SZ_64K,
				DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
		smodel_set(&m, tile, SZ_64K, 0);
		smodel_check(vm, &m);

		igt_panthor_unmap(fd, vm, tile, SZ_64K);
		smodel_set(&m, tile, SZ_64K, P_HOLE);
		smodel_check(vm, &m);

		igt_panthor_map_sparse(fd, vm, tile, SZ_64K);
		smodel_set(&m, tile, SZ_64K, P_DUMMY);
		smodel_check(vm, &m);

		/* Last: the tile unmapped again is a hole that faults. */
		igt_panthor_unmap(fd, vm, tile, SZ_64K);
		igt_assert_eq_u32(igt_panthor_gpu_read32(fd, vm, tile - SZ_4K +
							 DUMMY_OFF),
				  DUMMY_WORD);
		igt_assert_eq_u32(igt_panthor_gpu_fault(fd, vm, tile + SZ_4K,
							false, &fa) & 0xf8,
				  IGT_PANTHOR_FAULT_TRANSLATION);
		igt_assert_eq_u64(fa, tile + SZ_4K);
		free(m.page);
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("Partial unmaps and real-BO binds that split a 6 MiB "
		     "sparse range: survivors read the dummy, BOs their data");
	igt_subtest_with_dynamic("sparse-split") {
		igt_panthor_require_uapi_minor(fd, 9);
		for (size_t i = 0; i < ARRAY_LEN(sparse_cases); i++) {
			igt_dynamic(sparse_cases[i].name)
				run_sparse_case(&sparse_cases[i]);
		}
	}

	igt_describe("A 1 TiB sparse range needs only a handful of page-table "
		     "pages (vm_stats tables <= 8 for the whole VM)");
	igt_subtest("sparse-1T-tables") {
		const uint64_t size = UINT64_C(1) << 40;
		struct igt_panthor_vm_stats st;
		uint32_t vm;

		igt_panthor_require_uapi_minor(fd, 9);
		igt_require_panthor_vm_stats(fd);
		vm = sparse_vm(SPARSE_VA, size);
		igt_assert_f(igt_panthor_vm_stats(fd, vm, &st),
			     "no vm_stats line for pid %d vm %u\n", getpid(), vm);
		igt_info("1 TiB sparse: tables %" PRIu64 " shared %" PRIu64
			 " mapped %#" PRIx64 "\n", st.tables, st.shared,
			 st.mapped);
		igt_assert_f(st.tables <= 8, "%" PRIu64 " page-table pages for a "
			     "1 TiB sparse range\n", st.tables);
		igt_assert_eq_u64(st.mapped, size);
		igt_assert(st.usable);
		if (sim) {
			igt_assert_eq_u32(igt_panthor_gpu_read32(fd, vm,
								 SPARSE_VA + size -
								 SZ_4K + DUMMY_OFF),
					  DUMMY_WORD);
			igt_assert_eq_u32(igt_panthor_gpu_read32(fd, vm,
								 SPARSE_VA + size / 3 /
								 SZ_4K * SZ_4K +
								 DUMMY_OFF),
					  DUMMY_WORD);
		}
		igt_panthor_vm_destroy(fd, vm, 0);
	}

	igt_describe("Residency tiles bound into a 16 GiB sparse range and "
		     "bound back to the dummy: the VM returns to its table "
		     "pages before the tiles, and ranges over several "
		     "mappings inside tables shared again unmap and map");
	igt_subtest("sparse-tiles-reshare") {
		const uint64_t size = UINT64_C(16) << 30, ntiles = 48;
		uint32_t vm, bo = igt_panthor_pattern_bo(fd, ntiles * SZ_64K, 403);
		struct igt_panthor_vm_stats st0, st1, st;
		uint64_t slot[48], a;

		igt_panthor_require_uapi_minor(fd, 9);
		igt_require_panthor_vm_stats(fd);
		vm = sparse_vm(SPARSE_VA, size);
		igt_assert(igt_panthor_vm_stats(fd, vm, &st0));
		srand(403);
		/* Random 64 KiB slots; the last ones straddle table ends. */
		for (uint64_t i = 0; i < ntiles; i++) {
			slot[i] = SPARSE_VA + (uint64_t)(rand() % (size / SZ_64K)) *
				  SZ_64K;
			if (i == ntiles - 2)
				slot[i] = SPARSE_VA + 5 * SZ_2M - SZ_32K;
			if (i == ntiles - 1)
				slot[i] = SPARSE_VA + (UINT64_C(3) << 30) - SZ_32K;
			igt_panthor_map(fd, vm, bo, i * SZ_64K, slot[i], SZ_64K,
					DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
		}
		igt_assert(igt_panthor_vm_stats(fd, vm, &st1));
		igt_assert_lt_u64(st0.tables, st1.tables);
		for (uint64_t i = 0; sim && i < ntiles; i++) {
			uint64_t o = (i * 7919 % 16) * SZ_4K + 4 * (i % 1024);

			igt_assert_eq_u32(igt_panthor_gpu_read32(fd, vm, slot[i] + o),
					  igt_panthor_pattern(403, i * SZ_64K + o));
		}
		for (uint64_t i = 0; i < ntiles; i++)
			igt_panthor_map_sparse(fd, vm, slot[i], SZ_64K);
		igt_assert(igt_panthor_vm_stats(fd, vm, &st));
		igt_info("tables: %" PRIu64 " sparse, %" PRIu64 " with %" PRIu64
			 " tiles, %" PRIu64 " after (shared %" PRIu64 ", %" PRIu64
			 ")\n", st0.tables, st1.tables, ntiles, st.tables,
			 st0.shared, st.shared);
		igt_assert_f(st.tables == st0.tables && st.shared == st0.shared,
			     "%" PRIu64 " tables (%" PRIu64 " shared) after the "
			     "tiles went back, %" PRIu64 " (%" PRIu64 ") before\n",
			     st.tables, st.shared, st0.tables, st0.shared);
		igt_assert_eq_u64(st.mapped, size);
		for (uint64_t i = 0; sim && i < ntiles; i++)
			igt_assert_eq_u32(igt_panthor_gpu_read32(fd, vm, slot[i] +
								 SZ_32K + DUMMY_OFF),
					  DUMMY_WORD);

		/*
		 * A shared leaf now holds three mappings: an unmap and a map
		 * over all three copy it once, as they reserved.
		 */
		a = slot[ntiles - 2] - SZ_4K;
		igt_panthor_unmap(fd, vm, a, SZ_64K + SZ_8K);
		igt_panthor_map(fd, vm, bo, 0, a + SZ_4K, SZ_64K, 0);
		igt_panthor_map_sparse(fd, vm, slot[ntiles - 1] - SZ_1M, SZ_2M);
		igt_assert(igt_panthor_vm_stats(fd, vm, &st));
		igt_assert_eq_u64(st.mapped, size - SZ_8K);
		if (sim) {
			igt_assert_eq_u32(igt_panthor_gpu_read32(fd, vm, a + SZ_8K),
					  igt_panthor_pattern(403, SZ_4K));
			igt_assert_eq_u32(igt_panthor_gpu_read32(fd, vm, a - SZ_4K +
								 DUMMY_OFF),
					  DUMMY_WORD);
		}
		/* Everything, as panvk unmaps a sparse resource. */
		igt_panthor_unmap(fd, vm, SPARSE_VA, size);
		igt_assert(igt_panthor_vm_stats(fd, vm, &st));
		igt_assert(st.usable);
		igt_assert_eq_u64(st.mapped, 0);
		igt_assert_eq_u64(st.tables, 1);
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("vm_stats follows mapped bytes and table pages");
	igt_subtest("vm-stats-mapped") {
		struct igt_panthor_vm_stats st;
		uint32_t vm, bo;

		igt_require_panthor_vm_stats(fd);
		vm = igt_panthor_vm_create_range(fd, NULL);
		bo = igt_panthor_pattern_bo(fd, SZ_2M, 3);
		igt_assert_f(igt_panthor_vm_stats(fd, vm, &st),
			     "no vm_stats line for pid %d vm %u\n", getpid(), vm);
		igt_assert_f(st.usable && st.mapped == 0 && st.faults == 0,
			     "fresh VM: usable %d mapped %" PRIu64 " faults %"
			     PRIu64 "\n", st.usable, st.mapped, st.faults);
		igt_panthor_map(fd, vm, bo, 0, 0x100000, SZ_64K, 0);
		igt_assert(igt_panthor_vm_stats(fd, vm, &st));
		igt_assert_eq_u64(st.mapped, SZ_64K);
		igt_assert_f(st.tables >= 4, "%" PRIu64 " tables for a 4 KiB "
			     "page mapping (root..L3 is 4)\n", st.tables);
		igt_panthor_map(fd, vm, bo, 0, 0x40000000, SZ_2M, 0);
		igt_assert(igt_panthor_vm_stats(fd, vm, &st));
		igt_assert_eq_u64(st.mapped, SZ_64K + SZ_2M);
		igt_panthor_unmap(fd, vm, 0x100000, SZ_64K);
		igt_assert(igt_panthor_vm_stats(fd, vm, &st));
		igt_assert_eq_u64(st.mapped, SZ_2M);
		igt_panthor_vm_destroy(fd, vm, 0);
		igt_assert_f(!igt_panthor_vm_stats(fd, vm, &st),
			     "destroyed VM still listed\n");
		gem_close(fd, bo);
	}

	igt_describe("Rejected MAP_REPEAT ops: range not a power of two in "
		     "4K..2M, va not a multiple of it, BO too small, flag and "
		     "field mismatches, stride 48");
	igt_subtest_with_dynamic("repeat-invalid") {
		uint32_t vm, bo2, bo4;

		igt_require_f(repeat_supported(), "MAP_REPEAT not supported\n");
		vm = igt_panthor_vm_create_range(fd, NULL);
		bo2 = igt_panthor_pattern_bo(fd, SZ_2M, 4);
		bo4 = igt_panthor_pattern_bo(fd, SZ_4M, 5);
		for (size_t i = 0; i < ARRAY_LEN(bad_repeat); i++) {
			igt_dynamic(bad_repeat[i].name)
				run_bad(&bad_repeat[i], vm, bo2, bo4);
		}
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, bo2);
		gem_close(fd, bo4);
	}

	igt_describe("Address a of a repeat mapping reads BO byte bo_offset + "
		     "(a - va) mod repeat_range, for every page");
	igt_subtest_with_dynamic("repeat-data") {
		igt_require_panthor_sim(fd);
		igt_require_f(repeat_supported(), "MAP_REPEAT not supported\n");
		for (size_t i = 0; i < ARRAY_LEN(repeat_cases); i++) {
			const struct repeat_case *c = &repeat_cases[i];

			igt_dynamic(c->name) {
				uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
				uint32_t bo = igt_panthor_pattern_bo(fd, SZ_4M, 410 + i);
				struct igt_panthor_model m;
				uint64_t end = RVA + c->size;

				igt_panthor_map_repeat(fd, vm, bo, c->bo_offset,
						       RVA, c->size, c->range);
				igt_panthor_model_init(&m, RVA, c->size);
				igt_panthor_model_map_repeat(&m, 410 + i,
							     c->bo_offset, RVA,
							     c->size, c->range);
				igt_panthor_model_check(fd, vm, &m);
				/* The first page after the range is a hole. */
				igt_assert_eq_u32(igt_panthor_gpu_fault(fd, vm,
									end,
									false,
									NULL) & 0xf8,
						  IGT_PANTHOR_FAULT_TRANSLATION);
				igt_panthor_model_fini(&m);
				igt_panthor_vm_destroy(fd, vm, 0);
				gem_close(fd, bo);
			}
		}
	}

	igt_describe("Random MAPs of another BO and UNMAPs over a repeat "
		     "mapping keep every still-mapped address on the same BO "
		     "byte (checked against a userspace model)");
	igt_subtest_with_dynamic("repeat-remap-random") {
		static const uint64_t ranges[] = { SZ_4K, SZ_64K, SZ_2M };

		igt_require_panthor_sim(fd);
		igt_require_f(repeat_supported(), "MAP_REPEAT not supported\n");
		for (size_t r = 0; r < ARRAY_LEN(ranges); r++) {
			igt_dynamic_f("range-%" PRIu64 "K", ranges[r] / 1024) {
				const uint64_t win = 32 * SZ_1M;
				uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
				uint32_t a = igt_panthor_pattern_bo(fd, SZ_4M, 420);
				uint32_t b = igt_panthor_pattern_bo(fd, SZ_1M, 421);
				uint64_t boff = ranges[r] == SZ_2M ? SZ_1M : SZ_8K;
				struct igt_panthor_model m;
				uint64_t hole = 0;

				srand(1000 + r);
				igt_panthor_map_repeat(fd, vm, a, boff, RVA, win,
						       ranges[r]);
				igt_panthor_model_init(&m, RVA, win);
				igt_panthor_model_map_repeat(&m, 420, boff, RVA,
							     win, ranges[r]);
				for (int it = 0; it < 150; it++) {
					uint64_t pages = 1 + rand() % 128;
					uint64_t page = rand() % (win / SZ_4K - pages);
					uint64_t va = RVA + page * SZ_4K;
					uint64_t size = pages * SZ_4K;

					if (rand() % 3 == 0) {
						igt_panthor_unmap(fd, vm, va, size);
						igt_panthor_model_unmap(&m, va, size);
					} else {
						uint64_t off = (rand() % (SZ_1M / SZ_4K -
									  pages + 1)) *
							       SZ_4K;

						igt_panthor_map(fd, vm, b, off, va,
								size, 0);
						igt_panthor_model_map(&m, 421, off,
								      va, size);
					}
					sample_check(vm, &m, 32);
					if (it % 50 == 49)
						igt_panthor_model_check(fd, vm, &m);
				}
				igt_panthor_model_check(fd, vm, &m);
				if (igt_panthor_model_hole(&m, &hole))
					igt_panthor_gpu_fault(fd, vm, hole, false,
							      NULL);
				igt_panthor_model_fini(&m);
				igt_panthor_vm_destroy(fd, vm, 0);
				gem_close(fd, a);
				gem_close(fd, b);
			}
		}
	}

	igt_describe("A repeat mapping over 1 GiB: vm_stats reports its size "
		     "and its four table pages, one leaf shared 512 times");
	igt_subtest("repeat-tables") {
		struct igt_panthor_vm_stats st;
		uint32_t vm, bo;

		igt_require_panthor_vm_stats(fd);
		igt_require_f(repeat_supported(), "MAP_REPEAT not supported\n");
		vm = igt_panthor_vm_create_range(fd, NULL);
		bo = igt_panthor_pattern_bo(fd, SZ_64K, 6);
		igt_panthor_map_repeat(fd, vm, bo, 0, SZ_1G, SZ_1G, SZ_64K);
		igt_assert(igt_panthor_vm_stats(fd, vm, &st));
		igt_info("1 GiB repeat of 64 KiB: tables %" PRIu64 " shared %"
			 PRIu64 "\n", st.tables, st.shared);
		igt_assert_eq_u64(st.mapped, SZ_1G);
		/*
		 * Root, level 1, the level-2 table of that GiB, and one leaf
		 * table its 512 entries all point at: the only shared one.
		 */
		igt_assert_f(st.tables == 4 && st.shared == 1, "tables %" PRIu64
			     " shared %" PRIu64 ", expected 4 and 1\n",
			     st.tables, st.shared);
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_fixture() {
		drm_close_driver(fd);
	}
}
