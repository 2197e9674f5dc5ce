/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * What the tests of upstream panthor's jobs share: command-stream encoders,
 * a VM with a data and a command buffer and a group on it, submission.
 */

#ifndef PANTHOR_UP_H
#define PANTHOR_UP_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <xf86drm.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_panthor_blocker.h"
#include "igt_panthor_sim.h"
#include "panthor_drm.h"

#define SHADERS		0x50005ULL
#define DATA_VA		0x1000000ULL
#define CMD_VA		0x2000000ULL
#define HOLE_VA		0x3000000ULL
#define LATE_VA		0x4000000ULL

/* Command-stream instructions (opcode in bits 63:56). */
static inline uint64_t cs_move48(uint32_t reg, uint64_t imm)
{
	return 1ULL << 56 | (uint64_t)reg << 48 | (imm & ((1ULL << 48) - 1));
}

static inline uint64_t cs_move32(uint32_t reg, uint32_t imm)
{
	return 2ULL << 56 | (uint64_t)reg << 48 | imm;
}

static inline uint64_t cs_add32(uint32_t dst, uint32_t src, int32_t imm)
{
	return 16ULL << 56 | (uint64_t)dst << 48 | (uint64_t)src << 40 |
	       (uint32_t)imm;
}

static inline uint64_t cs_ldst(bool store, uint32_t base, uint32_t addr_reg,
			       uint16_t mask, int16_t offset)
{
	return (store ? 21ULL : 20ULL) << 56 | (uint64_t)base << 48 |
	       (uint64_t)addr_reg << 40 | (uint64_t)mask << 16 | (uint16_t)offset;
}

/*
 * Initializer of the three instructions that store @val at @va (MOVE48 r0,
 * MOVE32 r2, STORE_MULTIPLE r2 to [r0]), what most job tests submit.
 */
#define CS_STORE32(va, val) \
	cs_move48(0, (va)), cs_move32(2, (val)), cs_ldst(true, 2, 0, 0x1, 0)

/* Instructions in the array @s. */
#define CS_LEN(s)	((uint32_t)(sizeof(s) / sizeof((s)[0])))

/* Conditions of BRANCH (signed register against 0) and SYNC_WAIT. */
enum cs_cond {
	CS_LE = 0,
	CS_GT = 1,
	CS_EQ = 2,
	CS_NE = 3,
};

static inline uint64_t cs_branch(uint32_t reg, enum cs_cond cond, int16_t offset)
{
	return 22ULL << 56 | (uint64_t)reg << 40 | (uint64_t)cond << 28 |
	       (uint16_t)offset;
}

/* JUMP to the buffer at reg pair @addr_reg of @size_reg bytes. */
static inline uint64_t cs_jump(uint32_t addr_reg, uint32_t size_reg)
{
	return 33ULL << 56 | (uint64_t)addr_reg << 40 | (uint64_t)size_reg << 32;
}

/* SYNC_ADD32 (37), SYNC_SET32 (38), SYNC_ADD64 (51), SYNC_SET64 (52). */
static inline uint64_t cs_sync(uint32_t op, uint32_t addr_reg, uint32_t val_reg)
{
	return (uint64_t)op << 56 | (uint64_t)addr_reg << 40 |
	       (uint64_t)val_reg << 32;
}

/* SYNC_WAIT32 (@wide false) or SYNC_WAIT64. */
static inline uint64_t cs_sync_wait(bool wide, uint32_t addr_reg, uint32_t val_reg,
				    enum cs_cond cond)
{
	return (wide ? 53ULL : 39ULL) << 56 | (uint64_t)addr_reg << 40 |
	       (uint64_t)val_reg << 32 | (uint64_t)cond << 28;
}

struct ctx {
	int fd;
	uint32_t vm;
	uint32_t group;
	struct panthor_bo data, cmd;
};

/* A group of @queues queues on VM @vm. */
static inline uint32_t group_create(int fd, uint32_t vm, uint32_t queues)
{
	struct drm_panthor_queue_create q[2] = {
		{ .ringbuf_size = 4096 }, { .ringbuf_size = 4096 },
	};
	struct drm_panthor_group_create g = {
		.queues = DRM_PANTHOR_OBJ_ARRAY(queues, q),
		.max_compute_cores = 4,
		.max_fragment_cores = 4,
		.max_tiler_cores = 1,
		.compute_core_mask = SHADERS,
		.fragment_core_mask = SHADERS,
		.tiler_core_mask = 1,
		.vm_id = vm,
	};

	igt_assert(queues <= 2);
	do_ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_CREATE, &g);
	return g.group_handle;
}

static inline void group_destroy(int fd, uint32_t group)
{
	struct drm_panthor_group_destroy d = { .group_handle = group };

	do_ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &d);
}

/* A VM, a 4 KiB data BO at DATA_VA, a 4 KiB command BO at CMD_VA, a group. */
static inline void ctx_init_queues(struct ctx *c, int fd, uint32_t queues)
{
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
	c->group = group_create(fd, c->vm, queues);
}

static inline void ctx_init(struct ctx *c, int fd)
{
	ctx_init_queues(c, fd, 1);
}

static inline void ctx_fini(struct ctx *c)
{
	group_destroy(c->fd, c->group);
	igt_panthor_free_bo(c->fd, &c->data);
	igt_panthor_free_bo(c->fd, &c->cmd);
	igt_panthor_vm_destroy(c->fd, c->vm, 0);
}

static inline int64_t deadline_ns(int64_t from_now)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec + from_now;
}

/*
 * Copy @n instructions to @off in @c->cmd and submit them to queue @queue
 * of @group without waiting: the job waits on @wait (0: none), signals
 * @signal.
 */
static inline void submit_to(struct ctx *c, uint32_t group, uint32_t queue,
			     uint32_t off, const uint64_t *instrs, uint32_t n,
			     uint32_t wait, uint32_t signal)
{
	struct drm_panthor_sync_op syncs[2] = {
		igt_panthor_sync_op(true, signal, 0),
		igt_panthor_sync_op(false, wait, 0),
	};
	struct drm_panthor_queue_submit qs = {
		.queue_index = queue,
		.stream_size = n * 8,
		.stream_addr = CMD_VA + off,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(wait ? 2 : 1, syncs),
	};
	struct drm_panthor_group_submit s = {
		.group_handle = group,
		.queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs),
	};

	memcpy((char *)c->cmd.map + off, instrs, n * 8);
	do_ioctl(c->fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &s);
}

static inline void submit(struct ctx *c, const uint64_t *instrs, uint32_t n,
			  uint32_t wait, uint32_t signal)
{
	submit_to(c, c->group, 0, 0, instrs, n, wait, signal);
}

/* Submit @n instructions to queue 0 and wait up to 5 s for the job's fence. */
static inline int run(struct ctx *c, const uint64_t *instrs, uint32_t n)
{
	uint32_t done;
	int ret;

	igt_assert_eq(drmSyncobjCreate(c->fd, 0, &done), 0);
	submit(c, instrs, n, 0, done);
	ret = drmSyncobjWait(c->fd, &done, 1, deadline_ns(5000000000LL), 0, NULL);
	drmSyncobjDestroy(c->fd, done);
	return ret;
}

static inline uint32_t group_state(int fd, uint32_t group, uint32_t *fatal_queues)
{
	struct drm_panthor_group_get_state st = { .group_handle = group };

	do_ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &st);
	*fatal_queues = st.fatal_queues;
	return st.state;
}

#endif /* PANTHOR_UP_H */
