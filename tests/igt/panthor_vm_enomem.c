// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * Allocation failure on every bind path. With the kernel's fault injection
 * (failslab and fail_page_alloc, armed per task through
 * /proc/thread-self/fail-nth), the 1st, 2nd, 3rd ... allocation of one
 * ioctl fails in turn until the ioctl succeeds without reaching the
 * injected failure. Every failure must be -ENOMEM with ops.count at the
 * op, the VM unchanged (the GPU reads every mapped page as before, the VM
 * stays usable, its mapped bytes and table pages are the same), no fence
 * published; the debug kernel's kmemleak scan after the run finds any
 * leak. VM_DESTROY must not allocate at all. Needs CONFIG_FAULT_INJECTION, FAILSLAB and FAIL_PAGE_ALLOC (the
 * debug kernel of make check); skips elsewhere.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xf86drm.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_panthor_sim.h"

IGT_TEST_DESCRIPTION("Allocation failure on every bind path");

#define VA0		UINT64_C(0x40000000)	/* a 2 MiB block of A */
#define VA_FREE		UINT64_C(0x80000000)	/* nothing mapped around */
#define VA_REPEAT	UINT64_C(0xc0000000)
#define VA_SPARSE	(UINT64_C(1) << 40)
#define SEED_A		501
#define SEED_B		502
#define MAX_NTH		4000

static int fd = -1, nth_fd = -1;

struct ctx {
	uint32_t vm, a, b, syncobj;
	struct igt_panthor_model m;
};

/* ---- fault injection ----------------------------------------------------- */

static bool debugfs_write(const char *path, const char *val)
{
	int f = open(path, O_WRONLY);
	bool ok;

	if (f < 0)
		return false;
	ok = write(f, val, strlen(val)) == (ssize_t)strlen(val);
	close(f);
	return ok;
}

/* Sleeping allocations may fail too, and quietly. */
static bool fault_injection_setup(void)
{
	static const char *const knobs[][2] = {
		{ "/sys/kernel/debug/failslab/ignore-gfp-wait", "N" },
		{ "/sys/kernel/debug/failslab/verbose", "0" },
		{ "/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait", "N" },
		{ "/sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem", "N" },
		{ "/sys/kernel/debug/fail_page_alloc/min-order", "0" },
		{ "/sys/kernel/debug/fail_page_alloc/verbose", "0" },
	};

	for (size_t i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)
		if (!debugfs_write(knobs[i][0], knobs[i][1]))
			return false;
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	return nth_fd >= 0;
}

static void fail_nth(unsigned int n)
{
	char b[16];
	int l = snprintf(b, sizeof(b), "%u", n);

	igt_assert_eq(pwrite(nth_fd, b, l, 0), l);
}

/* Calls left before the injected failure: 0 once it was injected. */
static unsigned int fail_nth_left(void)
{
	char b[16] = { 0 };

	igt_assert(pread(nth_fd, b, sizeof(b) - 1, 0) > 0);
	return strtoul(b, NULL, 10);
}

/* ---- the VM every case starts from --------------------------------------- */

static void ctx_init(struct ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->vm = igt_panthor_vm_create_range(fd, NULL);
	c->a = igt_panthor_pattern_bo(fd, SZ_2M, SEED_A);
	c->b = igt_panthor_pattern_bo(fd, SZ_2M, SEED_B);
	igt_assert_eq(drmSyncobjCreate(fd, 0, &c->syncobj), 0);
	igt_panthor_model_init(&c->m, VA0, SZ_2M);
	igt_panthor_map(fd, c->vm, c->a, 0, VA0, SZ_2M, 0);
	igt_panthor_model_map(&c->m, SEED_A, 0, VA0, SZ_2M);
}

static void ctx_fini(struct ctx *c)
{
	igt_panthor_model_fini(&c->m);
	igt_panthor_vm_destroy(fd, c->vm, 0);
	drmSyncobjDestroy(fd, c->syncobj);
	gem_close(fd, c->a);
	gem_close(fd, c->b);
}

static void vm_snapshot(struct ctx *c, struct igt_panthor_vm_stats *st)
{
	igt_assert(igt_panthor_vm_stats(fd, c->vm, st));
}

/* ---- the ioctls under test ----------------------------------------------- */

static int bind_one(struct ctx *c, struct drm_panthor_vm_bind_op op,
		    uint32_t flags, uint32_t *count)
{
	*count = 1;
	return __igt_panthor_vm_bind_ops(fd, c->vm, flags, &op, count,
					 sizeof(op));
}

struct enomem_case {
	const char *name;
	/* Ops in the call: a failure reports the op it failed at. */
	uint32_t nops;
	/* Issue the ioctl once; returns 0 or -errno, sets *count. */
	int (*run)(struct ctx *c, uint32_t *count);
	/* After success: what the op did, in the model. */
	void (*apply)(struct ctx *c);
};

static int run_map(struct ctx *c, uint32_t *count)
{
	return bind_one(c, igt_panthor_op_map(c->b, 0, VA_FREE, SZ_64K, 0), 0,
			count);
}

static int run_map_over(struct ctx *c, uint32_t *count)
{
	return bind_one(c, igt_panthor_op_map(c->b, SZ_64K, VA0 + SZ_64K,
					      SZ_4K, 0), 0, count);
}

static int run_unmap_in_block(struct ctx *c, uint32_t *count)
{
	return bind_one(c, igt_panthor_op_unmap(VA0 + SZ_1M, SZ_4K), 0, count);
}

static int run_sparse(struct ctx *c, uint32_t *count)
{
	struct drm_panthor_vm_bind_op op = {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP |
			 DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE |
			 DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC,
		.va = VA_SPARSE,
		.size = SZ_1G,
	};

	return bind_one(c, op, 0, count);
}

static int run_repeat(struct ctx *c, uint32_t *count)
{
	struct drm_panthor_vm_bind_op op =
		igt_panthor_op_map(c->b, 0, VA_REPEAT, 16 * SZ_1M,
				   DRM_PANTHOR_VM_BIND_OP_MAP_REPEAT);

	op.repeat_range = SZ_64K;
	return bind_one(c, op, 0, count);
}

static int run_async_map(struct ctx *c, uint32_t *count)
{
	struct drm_panthor_sync_op so = igt_panthor_sync_op(true, c->syncobj, 0);
	struct drm_panthor_vm_bind_op ops[2] = {
		igt_panthor_op_map(c->b, 0, VA_FREE, SZ_64K, 0),
		igt_panthor_op_map(c->b, SZ_64K, VA0 + SZ_64K, SZ_4K, 0),
	};

	igt_panthor_op_syncs(&ops[1], &so, 1);
	*count = 2;
	return __igt_panthor_vm_bind_ops(fd, c->vm, DRM_PANTHOR_VM_BIND_ASYNC,
					 ops, count, sizeof(ops[0]));
}

static void apply_map(struct ctx *c)
{
	igt_panthor_model_fini(&c->m);
	igt_panthor_model_init(&c->m, VA0, VA_FREE + SZ_64K - VA0);
	igt_panthor_model_map(&c->m, SEED_A, 0, VA0, SZ_2M);
	igt_panthor_model_map(&c->m, SEED_B, 0, VA_FREE, SZ_64K);
}

static void apply_map_over(struct ctx *c)
{
	igt_panthor_model_map(&c->m, SEED_B, SZ_64K, VA0 + SZ_64K, SZ_4K);
}

static void apply_unmap_in_block(struct ctx *c)
{
	igt_panthor_model_unmap(&c->m, VA0 + SZ_1M, SZ_4K);
}

static void apply_none(struct ctx *c)
{
	(void)c;	/* sparse and repeat ranges lie outside the model */
}

static void apply_async_map(struct ctx *c)
{
	igt_assert_eq(igt_panthor_syncobj_wait(fd, c->syncobj, 0,
					       INT64_C(5000000000)), 0);
	apply_map(c);
	apply_map_over(c);
}

static const struct enomem_case cases[] = {
	{ "map", 1, run_map, apply_map },
	{ "map-over-block", 1, run_map_over, apply_map_over },
	{ "unmap-in-block", 1, run_unmap_in_block, apply_unmap_in_block },
	{ "map-sparse", 1, run_sparse, apply_none },
	{ "map-repeat", 1, run_repeat, apply_none },
	{ "async-map", 2, run_async_map, apply_async_map },
};

static void run_case(const struct enomem_case *t)
{
	struct igt_panthor_vm_stats before, after;
	unsigned int n, left = 0, failures = 0;
	struct ctx c;
	uint32_t count;
	int ret = -ENOMEM;

	ctx_init(&c);
	vm_snapshot(&c, &before);
	for (n = 1; n <= MAX_NTH; n++) {
		fail_nth(n);
		ret = t->run(&c, &count);
		left = fail_nth_left();
		fail_nth(0);
		if (!ret && left)
			break;	/* the n-th allocation never came */
		if (!ret) {
			/*
			 * Injected, but the path absorbed it (kvmalloc() falls
			 * back to vmalloc): the op is done, so start again
			 * from a fresh VM for the next allocation.
			 */
			ctx_fini(&c);
			ctx_init(&c);
			vm_snapshot(&c, &before);
			continue;
		}
		failures++;
		igt_assert_f(ret == -ENOMEM, "%s: allocation %u failed: %d, "
			     "expected -ENOMEM\n", t->name, n, ret);
		igt_assert_f(count < t->nops, "%s: allocation %u failed with "
			     "ops.count %u, not an op of the %u\n", t->name, n,
			     count, t->nops);
		vm_snapshot(&c, &after);
		igt_assert_f(after.usable && after.mapped == before.mapped &&
			     after.tables == before.tables,
			     "%s: allocation %u failed and the VM changed: "
			     "usable %d, mapped %#" PRIx64 " -> %#" PRIx64
			     ", tables %" PRIu64 " -> %" PRIu64 "\n", t->name,
			     n, after.usable, before.mapped, after.mapped,
			     before.tables, after.tables);
		igt_assert_f(igt_panthor_syncobj_wait(fd, c.syncobj, 0, 0) ==
			     -EINVAL, "%s: a failed ioctl published a fence\n",
			     t->name);
		igt_panthor_model_check(fd, c.vm, &c.m);
	}
	igt_assert_f(n <= MAX_NTH, "%s: still failing after %u allocations\n",
		     t->name, MAX_NTH);
	igt_assert_f(failures > 0, "%s: no allocation could be failed\n",
		     t->name);
	igt_info("%s: %u allocations failed in turn, then success\n", t->name,
		 failures);
	t->apply(&c);
	igt_panthor_model_check(fd, c.vm, &c.m);
	ctx_fini(&c);
}

int igt_main()
{
	igt_fixture() {
		fd = drm_open_driver(DRIVER_PANTHOR);
		igt_require_panthor_sim(fd);
		igt_require_panthor_vm_stats(fd);
		igt_require_f(fault_injection_setup(),
			      "no failslab/fail_page_alloc/fail-nth\n");
	}

	igt_describe("Each allocation of each bind path fails in turn: "
		     "-ENOMEM, ops.count 0, the VM unchanged, then success");
	igt_subtest_with_dynamic("bind-paths") {
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			igt_dynamic(cases[i].name)
				run_case(&cases[i]);
		}
	}

	igt_describe("VM_DESTROY allocates nothing: armed to fail its first "
		     "allocation it succeeds without reaching one, and no BO "
		     "stays pinned");
	igt_subtest("destroy-allocates-nothing") {
		const uint64_t odd = 3 * SZ_64K;
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t a = igt_panthor_pattern_bo(fd, SZ_2M, SEED_A);
		uint32_t b = igt_panthor_pattern_bo(fd, odd, SEED_B);
		struct drm_panthor_vm_destroy d = { .id = vm };
		struct igt_panthor_gem_line g;
		unsigned int left;
		int ret;

		igt_require_panthor_gems(fd);
		/* A block, 4 KiB pages, a repeat and a sparse range. */
		igt_panthor_map(fd, vm, a, 0, VA0, SZ_2M, 0);
		igt_panthor_map(fd, vm, b, 0, VA_FREE + SZ_4K, odd, 0);
		igt_panthor_map_repeat(fd, vm, b, 0, VA_REPEAT, SZ_1G, SZ_64K);
		igt_panthor_map_sparse(fd, vm, VA_SPARSE, 64 * SZ_1G);
		igt_assert_eq(igt_panthor_gems_find(fd, NULL, odd, &g), 1);
		igt_assert_eq_u32(g.gpu_pins, 2);

		fail_nth(1);
		ret = igt_ioctl(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &d) ? -errno : 0;
		left = fail_nth_left();
		fail_nth(0);
		igt_assert_eq(ret, 0);
		igt_assert_f(left > 0, "VM_DESTROY reached an allocation\n");
		igt_assert_eq(igt_panthor_gems_find(fd, NULL, odd, &g), 1);
		igt_assert_eq_u32(g.gpu_pins, 0);
		gem_close(fd, a);
		gem_close(fd, b);
	}

	igt_describe("VM_CREATE and BO_CREATE fail with -ENOMEM and leave "
		     "nothing behind, then succeed");
	igt_subtest("create-paths") {
		unsigned int n, left = 0;
		int ret;

		for (n = 1; n <= MAX_NTH; n++) {
			uint32_t vm = 0;

			fail_nth(n);
			ret = __igt_panthor_vm_create(fd, 0, NULL, &vm);
			left = fail_nth_left();
			fail_nth(0);
			if (!ret) {
				igt_panthor_vm_destroy(fd, vm, 0);
				if (left)
					break;
				continue;
			}
			igt_assert_f(ret == -ENOMEM, "VM_CREATE, allocation %u: "
				     "%d\n", n, ret);
		}
		igt_assert(n > 1 && n <= MAX_NTH);
		for (n = 1; n <= MAX_NTH; n++) {
			struct drm_panthor_bo_create b = { .size = SZ_64K };

			fail_nth(n);
			ret = igt_ioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &b) ?
			      -errno : 0;
			left = fail_nth_left();
			fail_nth(0);
			if (!ret) {
				gem_close(fd, b.handle);
				if (left)
					break;
				continue;
			}
			igt_assert_f(ret == -ENOMEM, "BO_CREATE, allocation %u: "
				     "%d\n", n, ret);
		}
		igt_assert(n > 1 && n <= MAX_NTH);
	}

	igt_fixture() {
		if (nth_fd >= 0)
			close(nth_fd);
		drm_close_driver(fd);
	}
}
