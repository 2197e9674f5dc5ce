// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * MMU timeouts and the GPU reset that follows them. The software GPU's
 * "stuck" debugfs file makes a slot's next AS command hang with AS_ACTIVE
 * set until a GPU soft reset, as a GPU whose MMU stopped answering does.
 * An op whose flush hangs fails with -ETIMEDOUT, its VM becomes unusable,
 * and what the op unmapped (the BO's pages, the freed leaf table) stays
 * held until the reset: the software GPU calls a DMA unmap of a page its
 * TLB still holds a driver error, and the runner fails the binary on it.
 * After the reset the next VM works, and destroying the timed-out VM
 * releases what it held.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_panthor_sim.h"
#include "panthor_drm.h"

IGT_TEST_DESCRIPTION("MMU timeouts: nothing freed before the GPU reset");

#define VA		UINT64_C(0x10000000)
#define STUCK_FILE	"/sys/kernel/debug/panthor-vm-sim/stuck"
/* 17 pages: a size no other BO of the test has, to find it in "gems". */
#define BO_SIZE		(17 * SZ_4K)

static int fd = -1;

/* Every user slot's next command after @after more hangs (-1: none). */
static void set_stuck(int after)
{
	struct drm_panthor_gpu_info info;
	unsigned int slot;

	igt_panthor_gpu_info(fd, &info);
	for (slot = 1; slot < 32; slot++) {
		FILE *f;

		if (!(info.as_present & (1u << slot)))
			continue;
		f = fopen(STUCK_FILE, "w");
		igt_assert(f);
		fprintf(f, "%u %d\n", slot, after);
		igt_assert_eq(fclose(f), 0);
	}
}

/* A "name: value" line of the driver's mmu debugfs file. */
static uint64_t mmu_stat(const char *name)
{
	const char *dir = igt_panthor_debugfs_dir(fd, "mmu");
	char path[512], key[64];
	uint64_t val, ret = UINT64_MAX;
	FILE *f;

	igt_assert(dir);
	snprintf(path, sizeof(path), "%s/mmu", dir);
	f = fopen(path, "r");
	igt_assert(f);
	while (fscanf(f, "%63[^:]: %" SCNu64 "\n", key, &val) == 2) {
		if (!strcmp(key, name))
			ret = val;
	}
	fclose(f);
	igt_assert_f(ret != UINT64_MAX, "no \"%s\" in %s\n", name, path);
	return ret;
}

static uint64_t sim_stat(const char *name)
{
	struct igt_panthor_sim_stats s;

	igt_panthor_sim_stats_read(fd, &s);
	return igt_panthor_sim_stat(&s, name);
}

static void wait_resets(uint64_t n)
{
	int i;

	for (i = 0; i < 200 && mmu_stat("resets") < n; i++)
		usleep(10000);
	igt_assert_eq_u64(mmu_stat("resets"), n);
}

static uint32_t gpu_pins(void)
{
	struct igt_panthor_gem_line g;

	igt_assert_eq(igt_panthor_gems_find(fd, NULL, BO_SIZE, &g), 1);
	return g.gpu_pins;
}

static void check_bo(uint32_t vm, uint64_t va, uint32_t seed)
{
	uint64_t off;

	for (off = 0; off < SZ_64K; off += SZ_4K)
		igt_assert_eq_u32(igt_panthor_gpu_read32(fd, vm, va + off + 8),
				  igt_panthor_pattern(seed, off + 8));
}

static void bind_fails(uint32_t vm, const struct drm_panthor_vm_bind_op *op)
{
	igt_assert_eq(__igt_panthor_bind1(fd, vm, op), -ETIMEDOUT);
	igt_assert_eq_u32(igt_panthor_vm_get_state(fd, vm),
			  DRM_PANTHOR_VM_STATE_UNUSABLE);
}

int igt_main()
{
	igt_fixture() {
		fd = drm_open_driver_render(DRIVER_PANTHOR);
		igt_require_panthor_sim(fd);
		igt_require_panthor_sim_stats(fd);
		igt_require_panthor_gems(fd);
		igt_require_panthor_vm_stats(fd);
		igt_require_f(access(STUCK_FILE, W_OK) == 0,
			      "no %s\n", STUCK_FILE);
	}

	igt_describe("An unmap whose flush hangs keeps the BO pinned and the "
		     "table it freed until the GPU reset; then the next VM "
		     "works and the destroy releases them.");
	igt_subtest("flush-timeout-keeps-pages") {
		uint32_t vm, vm2, bo, bo2;
		uint64_t resets = mmu_stat("resets");
		uint64_t errors = sim_stat("driver_errors");
		uint64_t soft = sim_stat("soft_resets");
		struct drm_panthor_vm_bind_op op;

		igt_panthor_vm_create(fd, &vm, 0);
		bo = igt_panthor_pattern_bo(fd, BO_SIZE, 71);
		igt_panthor_map(fd, vm, bo, 0, VA, SZ_64K, 0);
		/* The GPU caches the BO's pages and the leaf table. */
		check_bo(vm, VA, 71);
		igt_assert_eq_u32(gpu_pins(), 1);

		set_stuck(1);
		op = igt_panthor_op_unmap(VA, SZ_64K);
		bind_fails(vm, &op);
		/* Held: the GPU may still reach them. */
		igt_assert_eq_u32(gpu_pins(), 1);

		wait_resets(resets + 1);
		igt_assert_eq_u64(sim_stat("soft_resets"), soft + 1);
		igt_assert_eq_u64(sim_stat("hung_commands") > 0, 1);
		igt_assert_eq_u64(sim_stat("driver_errors"), errors);

		/* The GPU works again: a new VM maps and reads. */
		igt_panthor_vm_create(fd, &vm2, 0);
		bo2 = igt_panthor_pattern_bo(fd, SZ_64K, 72);
		igt_panthor_map(fd, vm2, bo2, 0, VA, SZ_64K, 0);
		check_bo(vm2, VA, 72);

		/* The timed-out VM refuses MAPs; its destroy frees it all. */
		op = igt_panthor_op_map(bo, 0, VA + SZ_2M, SZ_4K, 0);
		igt_assert_eq(__igt_panthor_bind1(fd, vm, &op), -EINVAL);
		igt_panthor_vm_destroy(fd, vm, 0);
		igt_assert_eq_u32(gpu_pins(), 0);
		igt_assert_eq_u64(sim_stat("driver_errors"), errors);

		igt_panthor_vm_destroy(fd, vm2, 0);
		gem_close(fd, bo);
		gem_close(fd, bo2);
	}

	igt_describe("A LOCK that hangs fails the op before it changes "
		     "anything: after the reset the VM still has its mapping.");
	igt_subtest("lock-timeout-changes-nothing") {
		struct igt_panthor_vm_stats st;
		uint64_t resets = mmu_stat("resets");
		uint64_t errors = sim_stat("driver_errors");
		struct drm_panthor_vm_bind_op op;
		uint32_t vm, bo;

		igt_panthor_vm_create(fd, &vm, 0);
		bo = igt_panthor_pattern_bo(fd, SZ_64K, 73);
		igt_panthor_map(fd, vm, bo, 0, VA, SZ_64K, 0);
		check_bo(vm, VA, 73);

		set_stuck(0);
		op = igt_panthor_op_unmap(VA, SZ_64K);
		bind_fails(vm, &op);
		wait_resets(resets + 1);

		/* Unusable (GPU reads refused), with its mapping intact. */
		igt_assert(igt_panthor_vm_stats(fd, vm, &st));
		igt_assert_eq_u64(st.mapped, SZ_64K);
		igt_assert_eq_u64(sim_stat("driver_errors"), errors);
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_fixture() {
		set_stuck(-1);
		drm_close_driver(fd);
	}
}
