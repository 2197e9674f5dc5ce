// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * Synchronisation and control flow in command streams of upstream panthor
 * on the software GPU: a stream blocked on SYNC_WAIT32 or SYNC_WAIT64 runs
 * on only when a stream of another queue of its group, or of another
 * group, makes the condition true with SYNC_ADD32 or SYNC_SET64 (the job
 * fence of the waiter stays unsignalled and its store does not land until
 * then); BRANCH loops and JUMP leaves a buffer for good.
 */

#include <errno.h>
#include <unistd.h>

#include "panthor_up.h"

IGT_TEST_DESCRIPTION("SYNC_WAIT, SYNC_ADD, BRANCH and JUMP on upstream panthor");

#define SYNC_OFF	0x100	/* sync object in the data BO */
#define MARK_OFF	0x108	/* what the waiter stores once released */

/* The waiter: wait on the sync object at DATA_VA + SYNC_OFF, then store. */
static void waiter(uint64_t *s, bool wide, enum cs_cond cond, uint32_t ref)
{
	s[0] = cs_move48(0, DATA_VA + SYNC_OFF);
	s[1] = cs_move32(2, ref);
	s[2] = cs_move32(3, 0);
	s[3] = cs_sync_wait(wide, 0, 2, cond);
	s[4] = cs_move48(4, DATA_VA + MARK_OFF);
	s[5] = cs_move32(6, 0x5a5a);
	s[6] = cs_ldst(true, 6, 4, 0x1, 0);
}

/*
 * Submit @wait_s to (@wg, @wq), check it stays blocked, then @sig_s to
 * (@sg, @sq), and check both finish and the waiter's store landed.
 */
static void wait_then_signal(struct ctx *c, uint32_t wg, uint32_t wq,
			     const uint64_t *wait_s, uint32_t sg, uint32_t sq,
			     const uint64_t *sig_s, uint32_t sig_n)
{
	uint32_t *data = c->data.map, waited, signalled, fq;

	igt_assert_eq(drmSyncobjCreate(c->fd, 0, &waited), 0);
	igt_assert_eq(drmSyncobjCreate(c->fd, 0, &signalled), 0);
	submit_to(c, wg, wq, 0, wait_s, 7, 0, waited);
	usleep(150 * 1000);
	igt_assert_eq(igt_panthor_syncobj_wait(c->fd, waited, 0, 0), -ETIME);
	igt_assert_eq_u32(data[MARK_OFF / 4], 0);

	submit_to(c, sg, sq, 0x400, sig_s, sig_n, 0, signalled);
	igt_assert_eq(igt_panthor_syncobj_wait(c->fd, signalled, 0, 5000000000LL), 0);
	igt_assert_eq(igt_panthor_syncobj_wait(c->fd, waited, 0, 5000000000LL), 0);
	igt_assert_eq_u32(data[MARK_OFF / 4], 0x5a5a);
	igt_assert_eq_u32(group_state(c->fd, wg, &fq), 0);
	igt_assert_eq_u32(group_state(c->fd, sg, &fq), 0);
	drmSyncobjDestroy(c->fd, waited);
	drmSyncobjDestroy(c->fd, signalled);
}

int igt_main()
{
	struct ctx a;
	int fd = -1;

	igt_fixture() {
		fd = drm_open_driver(DRIVER_PANTHOR);
	}

	igt_describe("SYNC_WAIT32.gt on queue 0, released by SYNC_ADD32 on queue 1");
	igt_subtest("wait32-add32-two-queues") {
		const uint64_t add[] = {
			cs_move48(0, DATA_VA + SYNC_OFF),
			cs_move32(2, 1),
			cs_sync(37, 0, 2),
		};
		uint64_t w[7];

		ctx_init_queues(&a, fd, 2);
		waiter(w, false, CS_GT, 0);
		wait_then_signal(&a, a.group, 0, w, a.group, 1, add, 3);
		igt_assert_eq_u32(((uint32_t *)a.data.map)[SYNC_OFF / 4], 1);
		ctx_fini(&a);
	}

	igt_describe("SYNC_WAIT64.le in one group, released by SYNC_SET64 in another");
	igt_subtest("wait64-set64-two-groups") {
		const uint64_t set[] = {
			cs_move48(0, DATA_VA + SYNC_OFF),
			cs_move32(2, 2),
			cs_move32(3, 0),
			cs_sync(52, 0, 2),
		};
		uint64_t *sync, w[7];
		uint32_t other;

		ctx_init(&a, fd);
		other = group_create(fd, a.vm, 1);
		sync = (uint64_t *)((char *)a.data.map + SYNC_OFF);
		*sync = 1ULL << 32 | 1;
		/* Blocked while the value (2^32 + 1: 1 in 32 bits) is above 3. */
		waiter(w, true, CS_LE, 3);
		wait_then_signal(&a, a.group, 0, w, other, 0, set, 4);
		igt_assert_eq_u64(*sync, 2);
		group_destroy(fd, other);
		ctx_fini(&a);
	}

	igt_describe("BRANCH loops five times, JUMP leaves the buffer for good");
	igt_subtest("branch-loop-jump") {
		const uint64_t s[] = {
			cs_move32(10, 5),
			cs_move32(12, 0),
			cs_add32(12, 12, 3),		/* 2: loop */
			cs_add32(10, 10, -1),
			cs_branch(10, CS_GT, -3),	/* to 2 while r10 > 0 */
			cs_move48(0, DATA_VA + 0x200),
			cs_ldst(true, 12, 0, 0x1, 0),
			cs_branch(10, CS_NE, 1),	/* not taken: r10 == 0 */
			cs_move48(14, CMD_VA + 0x800),
			cs_move32(16, 2 * 8),
			cs_jump(14, 16),
			cs_move32(12, 0xdead),		/* never runs */
			cs_ldst(true, 12, 0, 0x1, 8),
		};
		const uint64_t tail[] = {
			cs_move32(18, 0x7a11),
			cs_ldst(true, 18, 0, 0x1, 4),
		};
		uint32_t *data, fq;

		ctx_init(&a, fd);
		data = a.data.map;
		memcpy((char *)a.cmd.map + 0x800, tail, sizeof(tail));
		igt_assert_eq(run(&a, s, CS_LEN(s)), 0);
		igt_assert_eq_u32(data[0x200 / 4], 15);
		igt_assert_eq_u32(data[0x204 / 4], 0x7a11);
		igt_assert_eq_u32(data[0x208 / 4], 0);
		igt_assert_eq_u32(group_state(fd, a.group, &fq), 0);
		ctx_fini(&a);
	}

	igt_fixture() {
		drm_close_driver(fd);
	}
}
