// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * Scheduling groups of upstream panthor on the software GPU: create,
 * state, destroy, and the errno of each rejected argument, with nothing
 * created. A group that never runs a job never reaches a CSG slot, so
 * these need the model's firmware interface only for the slot and stream
 * counts it reported at boot (8 and 8 for the arch-10 profile).
 */

#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#include "igt.h"
#include "igt_panthor.h"
#include "panthor_drm.h"

IGT_TEST_DESCRIPTION("GROUP_CREATE / GROUP_DESTROY of upstream panthor");

#define SHADERS		0x50005ULL
#define CS_SLOTS	8

struct group_args {
	struct drm_panthor_group_create g;
	struct drm_panthor_queue_create q[CS_SLOTS + 1];
};

static void group_args_init(struct group_args *a, __u32 vm_id, __u32 queues)
{
	__u32 i;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < queues; i++)
		a->q[i].ringbuf_size = 4096;
	a->g.queues = (struct drm_panthor_obj_array)
		DRM_PANTHOR_OBJ_ARRAY(queues, a->q);
	a->g.max_compute_cores = __builtin_popcountll(SHADERS);
	a->g.max_fragment_cores = __builtin_popcountll(SHADERS);
	a->g.max_tiler_cores = 1;
	a->g.compute_core_mask = SHADERS;
	a->g.fragment_core_mask = SHADERS;
	a->g.tiler_core_mask = 1;
	a->g.vm_id = vm_id;
}

static int group_create(int fd, struct group_args *a)
{
	a->g.queues.array = (uintptr_t)a->q;
	return igt_ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_CREATE, &a->g) ? -errno : 0;
}

static int group_destroy(int fd, __u32 handle)
{
	struct drm_panthor_group_destroy d = { .group_handle = handle };

	return igt_ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &d) ? -errno : 0;
}

static int group_state(int fd, __u32 handle, struct drm_panthor_group_get_state *s)
{
	memset(s, 0, sizeof(*s));
	s->group_handle = handle;
	return igt_ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, s) ? -errno : 0;
}

struct bad_group {
	const char *name;
	void (*edit)(struct group_args *a);
	int err;
};

static void no_queue(struct group_args *a) { a->g.queues.count = 0; }
static void too_many_queues(struct group_args *a) { a->g.queues.count = CS_SLOTS + 1; }
static void group_pad(struct group_args *a) { a->g.pad = 1; }
static void group_prio(struct group_args *a) { a->g.priority = 3; }
static void compute_mask(struct group_args *a) { a->g.compute_core_mask = 1ULL << 1; }
static void fragment_mask(struct group_args *a) { a->g.fragment_core_mask = ~0ULL; }
static void tiler_mask(struct group_args *a) { a->g.tiler_core_mask = 2; }
static void compute_cores(struct group_args *a) { a->g.max_compute_cores = 5; }
static void bad_vm(struct group_args *a) { a->g.vm_id = 1234; }
static void ring_small(struct group_args *a) { a->q[0].ringbuf_size = 2048; }
static void ring_big(struct group_args *a) { a->q[0].ringbuf_size = 128 * 1024; }
static void ring_npot(struct group_args *a) { a->q[0].ringbuf_size = 12288; }
static void queue_prio(struct group_args *a) { a->q[0].priority = 16; }
static void queue_pad(struct group_args *a) { a->q[0].pad[1] = 1; }

static const struct bad_group bad_groups[] = {
	{ "no-queue", no_queue, EINVAL },
	{ "too-many-queues", too_many_queues, EINVAL },
	{ "group-pad", group_pad, EINVAL },
	{ "group-priority", group_prio, EINVAL },
	{ "compute-mask-not-present", compute_mask, EINVAL },
	{ "fragment-mask-not-present", fragment_mask, EINVAL },
	{ "tiler-mask-not-present", tiler_mask, EINVAL },
	{ "more-cores-than-mask", compute_cores, EINVAL },
	{ "unknown-vm", bad_vm, EINVAL },
	{ "ringbuf-below-4k", ring_small, EINVAL },
	{ "ringbuf-above-64k", ring_big, EINVAL },
	{ "ringbuf-not-power-of-two", ring_npot, EINVAL },
	{ "queue-priority", queue_prio, EINVAL },
	{ "queue-pad", queue_pad, EINVAL },
};

int igt_main()
{
	struct drm_panthor_group_get_state st;
	struct group_args a;
	__u32 vm_id = 0;
	int fd = -1;

	igt_fixture() {
		fd = drm_open_driver(DRIVER_PANTHOR);
		igt_panthor_vm_create(fd, &vm_id, 0);
	}

	igt_subtest("create-destroy") {
		__u32 h;

		group_args_init(&a, vm_id, 1);
		igt_assert_eq(group_create(fd, &a), 0);
		h = a.g.group_handle;
		igt_assert(h != 0);
		igt_assert_eq(group_state(fd, h, &st), 0);
		igt_assert_eq_u32(st.state, 0);
		igt_assert_eq_u32(st.fatal_queues, 0);
		igt_assert_eq(group_destroy(fd, h), 0);
		/* Gone: a second destroy and a state query find nothing. */
		igt_assert_eq(group_destroy(fd, h), -EINVAL);
		igt_assert_eq(group_state(fd, h, &st), -EINVAL);
	}

	igt_subtest("create-all-queues") {
		group_args_init(&a, vm_id, CS_SLOTS);
		igt_assert_eq(group_create(fd, &a), 0);
		igt_assert_eq(group_destroy(fd, a.g.group_handle), 0);
	}

	igt_subtest_with_dynamic("create-invalid") {
		unsigned int i;
		__u32 first;

		/* The handle a create gets while no group exists. */
		group_args_init(&a, vm_id, 1);
		igt_assert_eq(group_create(fd, &a), 0);
		first = a.g.group_handle;
		igt_assert_eq(group_destroy(fd, first), 0);

		for (i = 0; i < ARRAY_SIZE(bad_groups); i++) {
			igt_dynamic(bad_groups[i].name) {
				group_args_init(&a, vm_id, 1);
				bad_groups[i].edit(&a);
				igt_assert_eq(group_create(fd, &a), -bad_groups[i].err);
				/*
				 * Nothing was created: a valid create gets the
				 * lowest free handle, the same as before.
				 */
				group_args_init(&a, vm_id, 1);
				igt_assert_eq(group_create(fd, &a), 0);
				igt_assert_eq_u32(a.g.group_handle, first);
				igt_assert_eq(group_destroy(fd, first), 0);
			}
		}
	}

	igt_subtest("destroy-invalid") {
		igt_assert_eq(group_destroy(fd, 0), -EINVAL);
		igt_assert_eq(group_destroy(fd, 12345), -EINVAL);
	}

	igt_subtest("more-groups-than-slots") {
		__u32 h[2 * 8], i;

		/* Groups only take a CSG slot when they run. */
		for (i = 0; i < ARRAY_SIZE(h); i++) {
			group_args_init(&a, vm_id, 2);
			igt_assert_eq(group_create(fd, &a), 0);
			h[i] = a.g.group_handle;
		}
		for (i = 0; i < ARRAY_SIZE(h); i++)
			igt_assert_eq(group_destroy(fd, h[i]), 0);
	}

	igt_subtest("vm-destroyed-first") {
		__u32 vm2;

		igt_panthor_vm_create(fd, &vm2, 0);
		group_args_init(&a, vm2, 1);
		igt_assert_eq(group_create(fd, &a), 0);
		igt_panthor_vm_destroy(fd, vm2, 0);
		/* The group keeps its VM alive until it goes. */
		igt_assert_eq(group_state(fd, a.g.group_handle, &st), 0);
		igt_assert_eq(group_destroy(fd, a.g.group_handle), 0);
	}

	igt_fixture() {
		igt_panthor_vm_destroy(fd, vm_id, 0);
		drm_close_driver(fd);
	}
}
