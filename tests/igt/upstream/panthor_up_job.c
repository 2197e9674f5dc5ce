// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * Jobs of upstream panthor on the software GPU: GROUP_SUBMIT runs a user
 * stream inside panthor's own job wrapper (MOVE32, FLUSH_CACHE2, MOVE48,
 * WAIT, CALL, SYNC_ADD64, ERROR_BARRIER), executed by the model's MCU
 * through the group's address space; the results are read back through
 * mmap. A stream with an unknown opcode (a CS fatal error) and one that
 * stores to an unmapped VA (a GPU page fault) end their group (fatal
 * state), and a group on another VM keeps running. A job that waits on
 * an asynchronous VM_BIND's syncobj runs only once the bind is done, and
 * an asynchronous unmap that waits on a job's syncobj only once the job
 * is done. Jobs run after runtime suspends as before them.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_panthor_blocker.h"
#include "igt_panthor_sim.h"
#include "panthor_drm.h"
#include "panthor_up.h"

IGT_TEST_DESCRIPTION("GROUP_SUBMIT of upstream panthor on the software GPU");

/* An asynchronous VM_BIND of one op, waiting on @wait, signalling @signal. */
static void bind_async(struct ctx *c, uint32_t type, uint32_t bo, uint64_t va,
		       uint32_t wait, uint32_t signal)
{
	struct drm_panthor_sync_op syncs[2] = {
		igt_panthor_sync_op(true, signal, 0),
		igt_panthor_sync_op(false, wait, 0),
	};
	struct drm_panthor_vm_bind_op op = {
		.flags = type,
		.bo_handle = bo,
		.va = va,
		.size = 4096,
	};
	struct drm_panthor_vm_bind b = {
		.vm_id = c->vm,
		.flags = DRM_PANTHOR_VM_BIND_ASYNC,
		.ops = DRM_PANTHOR_OBJ_ARRAY(1, &op),
	};

	igt_panthor_op_syncs(&op, syncs, 2);
	do_ioctl(c->fd, DRM_IOCTL_PANTHOR_VM_BIND, &b);
}

/*
 * Wait up to 2 s for panthor to runtime-suspend the GPU (autosuspend after
 * 50 ms idle: GLB_HALT, then a soft reset). Return: whether it did.
 */
static bool gpu_suspended(void)
{
	const char *path = "/sys/bus/platform/devices/e0000000.gpu/power/runtime_status";
	char buf[32];
	int i;

	for (i = 0; i < 200; i++) {
		FILE *f = fopen(path, "r");
		bool done = false;

		if (f) {
			done = fgets(buf, sizeof(buf), f) &&
			       !strncmp(buf, "suspended", 9);
			fclose(f);
		}
		if (done)
			return true;
		usleep(10 * 1000);
	}
	return false;
}

int igt_main()
{
	struct ctx a, b;
	uint32_t fq;
	int fd = -1;

	igt_fixture() {
		fd = drm_open_driver(DRIVER_PANTHOR);
	}

	igt_subtest("store-readback") {
		uint32_t *data;
		int i;

		ctx_init(&a, fd);
		data = a.data.map;
		for (i = 0; i < 3; i++) {
			const uint64_t s[] = {
				cs_move48(0, DATA_VA + 64 * i),
				cs_move32(2, 0xc0ffee00 + i),
				cs_ldst(true, 2, 0, 0x1, 4),
			};

			igt_assert_eq(run(&a, s, CS_LEN(s)), 0);
			igt_assert_eq_u32(data[16 * i + 1], 0xc0ffee00 + i);
			igt_assert_eq_u32(data[16 * i], 0);
		}
		igt_assert_eq_u32(group_state(fd, a.group, &fq), 0);
		ctx_fini(&a);
	}

	igt_subtest("load-store-copy") {
		uint32_t *data;
		int i;

		ctx_init(&a, fd);
		data = a.data.map;
		for (i = 0; i < 4; i++)
			data[i] = 0x11110000 * (i + 1) + i;
		{
			const uint64_t s[] = {
				cs_move48(0, DATA_VA),
				cs_ldst(false, 4, 0, 0xf, 0),
				cs_move48(0, DATA_VA + 256),
				cs_ldst(true, 4, 0, 0xf, 0),
			};

			igt_assert_eq(run(&a, s, 4), 0);
		}
		for (i = 0; i < 4; i++)
			igt_assert_eq_u32(data[64 + i], 0x11110000 * (i + 1) + i);
		ctx_fini(&a);
	}

	igt_subtest("unknown-opcode-fatal") {
		const uint64_t bad[] = { 0x7fULL << 56 };
		const uint64_t good[] = {
			CS_STORE32(DATA_VA, 0x600d),
		};

		ctx_init(&a, fd);
		ctx_init(&b, fd);
		run(&a, bad, 1);
		igt_assert(group_state(fd, a.group, &fq) & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT);
		igt_assert_eq_u32(fq, 1);
		/* Another group runs on. */
		igt_assert_eq(run(&b, good, CS_LEN(good)), 0);
		igt_assert_eq_u32(((uint32_t *)b.data.map)[0], 0x600d);
		igt_assert_eq_u32(group_state(fd, b.group, &fq), 0);
		ctx_fini(&a);
		ctx_fini(&b);
	}

	igt_subtest("fault-unmapped-va") {
		const uint64_t bad[] = {
			CS_STORE32(HOLE_VA, 0xbad),
		};
		const uint64_t good[] = {
			CS_STORE32(DATA_VA + 8, 0x900d),
		};

		ctx_init(&a, fd);
		ctx_init(&b, fd);
		/* One translation fault, on purpose: the runner counts it. */
		igt_panthor_expect_faults(1, 0);
		run(&a, bad, CS_LEN(bad));
		igt_assert(group_state(fd, a.group, &fq) & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT);
		/* A group on another VM keeps running. */
		igt_assert_eq(run(&b, good, CS_LEN(good)), 0);
		igt_assert_eq_u32(((uint32_t *)b.data.map)[2], 0x900d);
		igt_assert_eq_u32(group_state(fd, b.group, &fq), 0);
		ctx_fini(&a);
		ctx_fini(&b);
	}

	igt_subtest("job-waits-for-bind") {
		const uint64_t st[] = {
			CS_STORE32(LATE_VA, 0x1a7e),
		};
		struct igt_panthor_blocker blk;
		uint32_t bound, done;

		ctx_init(&a, fd);
		igt_panthor_blocker_create(fd, &blk);
		igt_assert_eq(drmSyncobjCreate(fd, 0, &bound), 0);
		igt_assert_eq(drmSyncobjCreate(fd, 0, &done), 0);
		/* The map of LATE_VA waits on the blocker; the job on the map. */
		bind_async(&a, DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, a.data.handle,
			   LATE_VA, blk.syncobj, bound);
		submit(&a, st, CS_LEN(st), bound, done);
		usleep(100 * 1000);
		igt_assert_eq(igt_panthor_syncobj_wait(fd, done, 0, 0), -ETIME);
		igt_assert_eq_u32(((uint32_t *)a.data.map)[0], 0);
		igt_panthor_blocker_signal(&blk);
		igt_assert_eq(igt_panthor_syncobj_wait(fd, done, 0, 5000000000LL), 0);
		/* The store went through the new mapping: no fault, data set. */
		igt_assert_eq_u32(((uint32_t *)a.data.map)[0], 0x1a7e);
		igt_assert_eq_u32(group_state(fd, a.group, &fq), 0);
		drmSyncobjDestroy(fd, bound);
		drmSyncobjDestroy(fd, done);
		igt_panthor_blocker_destroy(&blk);
		ctx_fini(&a);
	}

	igt_subtest("bind-waits-for-job") {
		const uint64_t st[] = {
			CS_STORE32(DATA_VA + 16, 0x10b),
		};
		struct igt_panthor_blocker blk;
		uint32_t done, unmapped;

		ctx_init(&a, fd);
		igt_panthor_blocker_create(fd, &blk);
		igt_assert_eq(drmSyncobjCreate(fd, 0, &done), 0);
		igt_assert_eq(drmSyncobjCreate(fd, 0, &unmapped), 0);
		/* The job waits on the blocker, the unmap of DATA_VA on the job. */
		submit(&a, st, CS_LEN(st), blk.syncobj, done);
		bind_async(&a, DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, 0, DATA_VA, done,
			   unmapped);
		usleep(100 * 1000);
		igt_assert_eq(igt_panthor_syncobj_wait(fd, unmapped, 0, 0), -ETIME);
		igt_panthor_blocker_signal(&blk);
		igt_assert_eq(igt_panthor_syncobj_wait(fd, unmapped, 0, 5000000000LL), 0);
		/* The job ran before the unmap: its store landed. */
		igt_assert_eq_u32(((uint32_t *)a.data.map)[4], 0x10b);
		igt_assert_eq_u32(group_state(fd, a.group, &fq), 0);
		drmSyncobjDestroy(fd, done);
		drmSyncobjDestroy(fd, unmapped);
		igt_panthor_blocker_destroy(&blk);
		ctx_fini(&a);
	}

	igt_subtest("suspend-resume") {
		uint32_t *data;
		int i;

		ctx_init(&a, fd);
		data = a.data.map;
		/*
		 * Each job after a runtime suspend: the MCU boots warm and the
		 * toggles of the events (SYNC_UPDATE) go on from where they were.
		 */
		for (i = 0; i < 4; i++) {
			const uint64_t s[] = {
				CS_STORE32(DATA_VA + 4 * i, 0x5e500 + i),
			};

			igt_assert_f(gpu_suspended(), "not suspended before job %d\n", i);
			igt_assert_eq(run(&a, s, CS_LEN(s)), 0);
			igt_assert_eq_u32(data[i], 0x5e500 + i);
		}
		igt_assert_eq_u32(group_state(fd, a.group, &fq), 0);
		ctx_fini(&a);
	}

	igt_fixture() {
		drm_close_driver(fd);
	}
}
