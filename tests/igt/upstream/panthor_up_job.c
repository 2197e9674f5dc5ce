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
 * an asynchronous VM_BIND's syncobj runs only once the bind is done.
 */

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_panthor_blocker.h"
#include "igt_panthor_sim.h"
#include "panthor_drm.h"

IGT_TEST_DESCRIPTION("GROUP_SUBMIT of upstream panthor on the software GPU");

#define SHADERS		0x50005ULL
#define DATA_VA		0x1000000ULL
#define CMD_VA		0x2000000ULL
#define HOLE_VA		0x3000000ULL
#define LATE_VA		0x4000000ULL

/* Command-stream instructions (opcode in bits 63:56). */
static uint64_t cs_move48(uint32_t reg, uint64_t imm)
{
	return 1ULL << 56 | (uint64_t)reg << 48 | (imm & ((1ULL << 48) - 1));
}

static uint64_t cs_move32(uint32_t reg, uint32_t imm)
{
	return 2ULL << 56 | (uint64_t)reg << 48 | imm;
}

static uint64_t cs_ldst(bool store, uint32_t base, uint32_t addr_reg,
			uint16_t mask, int16_t offset)
{
	return (store ? 21ULL : 20ULL) << 56 | (uint64_t)base << 48 |
	       (uint64_t)addr_reg << 40 | (uint64_t)mask << 16 | (uint16_t)offset;
}

struct ctx {
	int fd;
	uint32_t vm;
	uint32_t group;
	struct panthor_bo data, cmd;
};

static void ctx_init(struct ctx *c, int fd)
{
	struct drm_panthor_queue_create q = { .ringbuf_size = 4096 };
	struct drm_panthor_group_create g = {
		.queues = DRM_PANTHOR_OBJ_ARRAY(1, &q),
		.max_compute_cores = 4,
		.max_fragment_cores = 4,
		.max_tiler_cores = 1,
		.compute_core_mask = SHADERS,
		.fragment_core_mask = SHADERS,
		.tiler_core_mask = 1,
	};

	memset(c, 0, sizeof(*c));
	c->fd = fd;
	igt_panthor_vm_create(fd, &c->vm, 0);
	igt_panthor_bo_create_mapped(fd, &c->data, 4096, 0, 0);
	igt_panthor_bo_create_mapped(fd, &c->cmd, 4096, 0, 0);
	memset(c->data.map, 0, 4096);
	igt_panthor_vm_bind(fd, c->vm, c->data.handle, DATA_VA, 4096,
			    DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, 0);
	igt_panthor_vm_bind(fd, c->vm, c->cmd.handle, CMD_VA, 4096,
			    DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, 0);
	g.vm_id = c->vm;
	do_ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_CREATE, &g);
	c->group = g.group_handle;
}

static void ctx_fini(struct ctx *c)
{
	struct drm_panthor_group_destroy d = { .group_handle = c->group };

	do_ioctl(c->fd, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &d);
	igt_panthor_free_bo(c->fd, &c->data);
	igt_panthor_free_bo(c->fd, &c->cmd);
	igt_panthor_vm_destroy(c->fd, c->vm, 0);
}

static int64_t deadline_ns(int64_t from_now)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec + from_now;
}

/* Submit @n instructions of @c->cmd and wait for the job's fence. */
static int run(struct ctx *c, const uint64_t *instrs, uint32_t n)
{
	struct drm_panthor_sync_op sync = {
		.flags = DRM_PANTHOR_SYNC_OP_SIGNAL |
			 DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ,
	};
	struct drm_panthor_queue_submit qs = {
		.stream_size = n * 8,
		.stream_addr = CMD_VA,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(1, &sync),
	};
	struct drm_panthor_group_submit s = {
		.group_handle = c->group,
		.queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs),
	};
	int ret;

	memcpy(c->cmd.map, instrs, n * 8);
	igt_assert_eq(drmSyncobjCreate(c->fd, 0, &sync.handle), 0);
	do_ioctl(c->fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &s);
	ret = drmSyncobjWait(c->fd, &sync.handle, 1,
			     deadline_ns(5000000000LL), 0, NULL);
	drmSyncobjDestroy(c->fd, sync.handle);
	return ret;
}

/* Submit without waiting: the job waits on @wait (0: none), signals @signal. */
static void submit(struct ctx *c, const uint64_t *instrs, uint32_t n,
		   uint32_t wait, uint32_t signal)
{
	struct drm_panthor_sync_op syncs[2] = {
		igt_panthor_sync_op(true, signal, 0),
		igt_panthor_sync_op(false, wait, 0),
	};
	struct drm_panthor_queue_submit qs = {
		.stream_size = n * 8,
		.stream_addr = CMD_VA,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(wait ? 2 : 1, syncs),
	};
	struct drm_panthor_group_submit s = {
		.group_handle = c->group,
		.queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs),
	};

	memcpy(c->cmd.map, instrs, n * 8);
	do_ioctl(c->fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &s);
}

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

static uint32_t group_state(struct ctx *c, uint32_t *fatal_queues)
{
	struct drm_panthor_group_get_state st = { .group_handle = c->group };

	do_ioctl(c->fd, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &st);
	*fatal_queues = st.fatal_queues;
	return st.state;
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

			igt_assert_eq(run(&a, s, 3), 0);
			igt_assert_eq_u32(data[16 * i + 1], 0xc0ffee00 + i);
			igt_assert_eq_u32(data[16 * i], 0);
		}
		igt_assert_eq_u32(group_state(&a, &fq), 0);
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
			cs_move48(0, DATA_VA),
			cs_move32(2, 0x600d),
			cs_ldst(true, 2, 0, 0x1, 0),
		};

		ctx_init(&a, fd);
		ctx_init(&b, fd);
		run(&a, bad, 1);
		igt_assert(group_state(&a, &fq) & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT);
		igt_assert_eq_u32(fq, 1);
		/* Another group runs on. */
		igt_assert_eq(run(&b, good, 3), 0);
		igt_assert_eq_u32(((uint32_t *)b.data.map)[0], 0x600d);
		igt_assert_eq_u32(group_state(&b, &fq), 0);
		ctx_fini(&a);
		ctx_fini(&b);
	}

	igt_subtest("fault-unmapped-va") {
		const uint64_t bad[] = {
			cs_move48(0, HOLE_VA),
			cs_move32(2, 0xbad),
			cs_ldst(true, 2, 0, 0x1, 0),
		};
		const uint64_t good[] = {
			cs_move48(0, DATA_VA + 8),
			cs_move32(2, 0x900d),
			cs_ldst(true, 2, 0, 0x1, 0),
		};

		ctx_init(&a, fd);
		ctx_init(&b, fd);
		/* One translation fault, on purpose: the runner counts it. */
		igt_panthor_expect_faults(1, 0);
		run(&a, bad, 3);
		igt_assert(group_state(&a, &fq) & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT);
		/* A group on another VM keeps running. */
		igt_assert_eq(run(&b, good, 3), 0);
		igt_assert_eq_u32(((uint32_t *)b.data.map)[2], 0x900d);
		igt_assert_eq_u32(group_state(&b, &fq), 0);
		ctx_fini(&a);
		ctx_fini(&b);
	}

	igt_subtest("job-waits-for-bind") {
		const uint64_t st[] = {
			cs_move48(0, LATE_VA),
			cs_move32(2, 0x1a7e),
			cs_ldst(true, 2, 0, 0x1, 0),
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
		submit(&a, st, 3, bound, done);
		usleep(100 * 1000);
		igt_assert_eq(igt_panthor_syncobj_wait(fd, done, 0, 0), -ETIME);
		igt_assert_eq_u32(((uint32_t *)a.data.map)[0], 0);
		igt_panthor_blocker_signal(&blk);
		igt_assert_eq(igt_panthor_syncobj_wait(fd, done, 0, 5000000000LL), 0);
		/* The store went through the new mapping: no fault, data set. */
		igt_assert_eq_u32(((uint32_t *)a.data.map)[0], 0x1a7e);
		igt_assert_eq_u32(group_state(&a, &fq), 0);
		drmSyncobjDestroy(fd, bound);
		drmSyncobjDestroy(fd, done);
		igt_panthor_blocker_destroy(&blk);
		ctx_fini(&a);
	}

	igt_fixture() {
		drm_close_driver(fd);
	}
}
