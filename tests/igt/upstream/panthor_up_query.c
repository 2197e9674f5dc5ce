// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * DEV_QUERY of upstream panthor on the software GPU, as Mesa's panthor
 * kmod layer reads it at device open: GPU_INFO (identification, cores,
 * and the thread properties Mesa asserts are non-zero) and CSIF_INFO
 * (what the model's firmware interface reports at MCU boot). The
 * expected values are the arch-10 profile's (G610-like) and must agree
 * with what panthor-vm reports on the same model (tests/igt/
 * panthor_dev_query.c): one model serves both drivers.
 */

#include <string.h>

#include "igt.h"
#include "igt_panthor.h"
#include "panthor_drm.h"

IGT_TEST_DESCRIPTION("DEV_QUERY of upstream panthor on the software GPU");

/* struct drm_panthor_gpu_info of uAPI 1.0 ends with tiler_present. */
#define GPU_INFO_V1_0_SIZE \
	(offsetof(struct drm_panthor_gpu_info, tiler_present) + sizeof(__u64))

static int query(int fd, __u32 type, void *data, __u32 *size)
{
	struct drm_panthor_dev_query q = {
		.type = type,
		.size = *size,
		.pointer = (uintptr_t)data,
	};
	int ret = igt_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q) ? -errno : 0;

	*size = q.size;
	return ret;
}

int igt_main()
{
	int fd = -1;

	igt_fixture() {
		fd = drm_open_driver(DRIVER_PANTHOR);
	}

	igt_subtest("gpu-info-as-mesa") {
		struct drm_panthor_gpu_info gi;
		__u32 size = 0;

		/* Mesa asks for the size first, then for the object. */
		igt_assert_eq(query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, NULL, &size), 0);
		igt_assert(size >= GPU_INFO_V1_0_SIZE && size <= sizeof(gi));
		memset(&gi, 0xa5, sizeof(gi));
		size = sizeof(gi);
		igt_assert_eq(query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, &gi, &size), 0);
		igt_assert_eq_u32(gi.gpu_id, 0xa8670000);
		igt_assert_eq_u32(gi.gpu_id >> 28, 10);
		igt_assert_eq_u32(gi.csf_id, 0x00010000);
		igt_assert_eq_u32(gi.l2_features, 0x07120206);
		igt_assert_eq_u32(gi.tiler_features, 0x00000809);
		igt_assert_eq_u32(gi.as_present, 0xff);
		igt_assert_eq_u64(gi.shader_present, 0x50005);
		igt_assert_eq_u64(gi.l2_present, 1);
		igt_assert_eq_u64(gi.tiler_present, 1);
		/* panthor_dev_query_thread_props() asserts these are set. */
		igt_assert_eq_u32(gi.max_threads, 2048);
		igt_assert_eq_u32(gi.thread_max_workgroup_size, 1024);
		igt_assert_eq_u32(gi.thread_max_barrier_size, 1024);
		igt_assert_eq_u32(gi.thread_features, 0x04000400);
		/* MMU_FEATURES: 48-bit VA, 40-bit PA. */
		igt_assert_eq_u32(gi.mmu_features & 0xff, 48);
		igt_assert_eq_u32((gi.mmu_features >> 8) & 0xff, 40);
	}

	igt_subtest("csif-info") {
		struct drm_panthor_csif_info ci;
		__u32 size = sizeof(ci);

		memset(&ci, 0xa5, sizeof(ci));
		igt_assert_eq(query(fd, DRM_PANTHOR_DEV_QUERY_CSIF_INFO, &ci, &size), 0);
		igt_assert_eq_u32(size, sizeof(ci));
		igt_assert_eq_u32(ci.csg_slot_count, 8);
		igt_assert_eq_u32(ci.cs_slot_count, 8);
		igt_assert_eq_u32(ci.cs_reg_count, 96);
		igt_assert_eq_u32(ci.scoreboard_slot_count, 8);
		igt_assert_eq_u32(ci.unpreserved_cs_reg_count, 4);
		igt_assert_eq_u32(ci.pad, 0);
	}

	igt_subtest("invalid") {
		struct drm_panthor_gpu_info gi;
		__u32 size = 4;

		igt_assert_eq(query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, &gi, &size),
			      -EINVAL);
		size = sizeof(gi);
		igt_assert_eq(query(fd, 0xdead, &gi, &size), -EINVAL);
	}

	igt_fixture() {
		drm_close_driver(fd);
	}
}
