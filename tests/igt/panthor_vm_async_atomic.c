// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * An asynchronous VM_BIND is all or nothing: when any op of the array is
 * refused (a bad op, an unknown syncobj, a wait on a syncobj point that
 * has no fence), the ioctl fails with ops.count at that op, no job is
 * queued and no signal syncobj changes, even for the ops before it. A wait
 * on a syncobj point that an earlier op of the same ioctl signals waits for
 * that op.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <string.h>
#include <xf86drm.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_panthor_sim.h"

IGT_TEST_DESCRIPTION("Asynchronous VM_BIND arrays are all or nothing");

#define VA	UINT64_C(0x1000000)
#define ASYNC	DRM_PANTHOR_VM_BIND_ASYNC
#define SEC	INT64_C(1000000000)
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static int fd = -1;
static bool sim;

static uint32_t syncobj_create(uint32_t flags)
{
	uint32_t h = 0;

	igt_assert_eq(drmSyncobjCreate(fd, flags, &h), 0);
	return h;
}

/* The GPU reads the pattern of BO @seed at @va (when the model is there). */
static void check_mapped(uint32_t vm, uint64_t va, uint32_t seed)
{
	uint32_t v;

	if (!sim)
		return;
	v = igt_panthor_gpu_read32(fd, vm, va);
	igt_assert_f(v == igt_panthor_pattern(seed, 0), "GPU reads %#x at %#"
		     PRIx64 ", expected %#x\n", v, va,
		     igt_panthor_pattern(seed, 0));
}

/* The GPU faults at @va; the VM is unusable afterwards. */
static void check_unmapped(uint32_t vm, uint64_t va)
{
	if (sim)
		igt_assert(igt_panthor_gpu_fault(fd, vm, va, false, NULL) != 0);
}

/* How the last op of a three-op array is refused. */
struct late_failure {
	const char *name;
	int err;
};

static const struct late_failure late_failures[] = {
	{ "unaligned-op", EINVAL },
	{ "unknown-syncobj", EINVAL },
	{ "wait-no-fence", EINVAL },
	{ "wait-timeline-point-missing", EINVAL },
	{ "bad-sync-flags", EINVAL },
};

int igt_main()
{
	igt_fixture() {
		fd = drm_open_driver(DRIVER_PANTHOR);
		sim = igt_panthor_has_sim(fd);
	}

	igt_describe("A refused last op leaves nothing queued: the earlier "
		     "ops do not run and their syncobjs get no fence");
	igt_subtest_with_dynamic("late-failure-queues-nothing") {
		for (size_t i = 0; i < ARRAY_LEN(late_failures); i++) {
			const struct late_failure *c = &late_failures[i];

			igt_dynamic(c->name) {
				uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
				uint32_t bo = igt_panthor_pattern_bo(fd, SZ_64K, 410);
				uint32_t s_bin = syncobj_create(0);
				uint32_t s_tl = syncobj_create(0);
				uint32_t empty = syncobj_create(0);
				struct drm_panthor_sync_op so[3] = {
					igt_panthor_sync_op(true, s_bin, 0),
					igt_panthor_sync_op(true, s_tl, 1),
					igt_panthor_sync_op(false, empty, 0),
				};
				struct drm_panthor_vm_bind_op ops[3] = {
					igt_panthor_op_map(bo, 0, VA, SZ_64K, 0),
					igt_panthor_op_map(bo, 0, VA + SZ_2M,
							   SZ_64K, 0),
					igt_panthor_op_map(bo, 0, VA + SZ_4M,
							   SZ_64K, 0),
				};
				uint32_t count = 3;
				bool wait = true;
				int ret;

				igt_panthor_op_syncs(&ops[0], &so[0], 1);
				igt_panthor_op_syncs(&ops[1], &so[1], 1);
				if (!strcmp(c->name, "unaligned-op")) {
					ops[2].va += 0x100;
					wait = false;
				} else if (!strcmp(c->name, "unknown-syncobj")) {
					so[2].handle = 0xdead;
				} else if (!strcmp(c->name, "wait-timeline-point-missing")) {
					/* s_tl point 7: nothing submitted it. */
					so[2] = igt_panthor_sync_op(false, s_tl, 7);
				} else if (!strcmp(c->name, "bad-sync-flags")) {
					so[2].flags |= 1u << 8;
				}
				if (wait)
					igt_panthor_op_syncs(&ops[2], &so[2], 1);

				ret = __igt_panthor_vm_bind_ops(fd, vm, ASYNC,
								ops, &count,
								sizeof(ops[0]));
				igt_assert_f(ret == -c->err, "%s: %d, expected "
					     "-%d\n", c->name, ret, c->err);
				igt_assert_f(count == 2, "ops.count %u, expected "
					     "2 (the refused op)\n", count);

				/* No fence was published, none will be. */
				igt_assert_eq(igt_panthor_syncobj_wait(fd, s_bin, 0, 0),
					      -EINVAL);
				igt_assert_eq(igt_panthor_syncobj_wait(fd, s_tl, 1, 0),
					      -EINVAL);
				/* A later sync bind runs after any queued job. */
				igt_panthor_map(fd, vm, bo, 0, VA + SZ_8M, SZ_64K, 0);
				check_mapped(vm, VA + SZ_8M, 410);
				igt_assert_eq_u32(igt_panthor_vm_get_state(fd, vm),
						  DRM_PANTHOR_VM_STATE_USABLE);
				check_unmapped(vm, VA);

				igt_panthor_vm_destroy(fd, vm, 0);
				drmSyncobjDestroy(fd, s_bin);
				drmSyncobjDestroy(fd, s_tl);
				drmSyncobjDestroy(fd, empty);
				gem_close(fd, bo);
			}
		}
	}

	igt_describe("An op may wait on a binary or timeline syncobj point "
		     "that an earlier op of the same ioctl signals");
	igt_subtest("wait-on-earlier-op") {
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t bo_a = igt_panthor_pattern_bo(fd, SZ_64K, 420);
		uint32_t bo_b = igt_panthor_pattern_bo(fd, SZ_64K, 421);
		uint32_t s = syncobj_create(0), t = syncobj_create(0);
		uint32_t done = syncobj_create(0);
		struct drm_panthor_sync_op so0[2] = {
			igt_panthor_sync_op(true, s, 0),
			igt_panthor_sync_op(true, t, 5),
		};
		struct drm_panthor_sync_op so1[2] = {
			igt_panthor_sync_op(false, s, 0),
			igt_panthor_sync_op(false, t, 5),
		};
		struct drm_panthor_sync_op so2 = igt_panthor_sync_op(true, done, 0);
		struct drm_panthor_vm_bind_op ops[3] = {
			igt_panthor_op_map(bo_a, 0, VA, SZ_64K, 0),
			igt_panthor_op_map(bo_b, 0, VA, SZ_64K, 0),
			igt_panthor_op_map(bo_b, 0, VA + SZ_2M, SZ_64K, 0),
		};
		uint32_t count = 3;

		igt_panthor_op_syncs(&ops[0], so0, 2);
		igt_panthor_op_syncs(&ops[1], so1, 2);
		igt_panthor_op_syncs(&ops[2], &so2, 1);
		igt_assert_eq(__igt_panthor_vm_bind_ops(fd, vm, ASYNC, ops,
							&count, sizeof(ops[0])),
			      0);
		igt_panthor_assert_available(fd, s, 0, "op 0 binary signal");
		igt_panthor_assert_available(fd, t, 5, "op 0 timeline signal");
		igt_assert_eq(igt_panthor_syncobj_wait(fd, done, 0, 5 * SEC), 0);
		igt_assert_eq(igt_panthor_syncobj_wait(fd, s, 0, 0), 0);
		igt_assert_eq(igt_panthor_syncobj_wait(fd, t, 5, 0), 0);
		/* Op 1 ran after op 0: bo_b replaced bo_a. */
		check_mapped(vm, VA, 421);
		check_mapped(vm, VA + SZ_2M, 421);

		igt_panthor_vm_destroy(fd, vm, 0);
		drmSyncobjDestroy(fd, s);
		drmSyncobjDestroy(fd, t);
		drmSyncobjDestroy(fd, done);
		gem_close(fd, bo_a);
		gem_close(fd, bo_b);
	}

	igt_fixture() {
		drm_close_driver(fd);
	}
}
