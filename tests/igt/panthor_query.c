// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * DEV_QUERY on the software GPU: driver identity, GPU_INFO values, the size
 * query, partial and oversized copies, and rejected input. The rules mirror
 * upstream panthor (panthor_ioctl_dev_query() and panthor_set_uobj()):
 *
 * - pointer == 0: size is set to the kernel's object size, or -EINVAL for a
 *   type the kernel does not know;
 * - pointer != 0: size below the object's first-version size is -EINVAL and
 *   nothing is written; otherwise min(size, object size) bytes are copied and
 *   the rest of size is zeroed; a bad pointer is -EFAULT; an unknown type is
 *   -EINVAL.
 *
 * PVM_EXPECT_GPU_ID (e.g. 0xa8670000 for the arch-10 profile, 0xc8700000 for
 * arch 12) pins the expected GPU_ID; without it the arch major must be 10 or
 * 12.
 */

#include <stdlib.h>
#include <string.h>

#include "igt.h"
#include "igt_panthor.h"
#include "panthor_drm.h"

IGT_TEST_DESCRIPTION("DEV_QUERY answers of the panthor driver");

/* Size of struct drm_panthor_gpu_info in uAPI 1.0, up to tiler_present. */
#define GPU_INFO_MIN_SIZE \
	(offsetof(struct drm_panthor_gpu_info, tiler_present) + sizeof(__u64))

#define POISON 0xa5

struct bad_query {
	const char *name;
	__u32 type;
	__u32 size;
	enum { PTR_NULL, PTR_BUFFER, PTR_BAD } ptr;
	int err;
};

static const struct bad_query bad_queries[] = {
	{ "unknown-type-size-query", 0xdead, 0, PTR_NULL, EINVAL },
	{ "unknown-type", 0xdead, sizeof(struct drm_panthor_gpu_info), PTR_BUFFER, EINVAL },
	{ "type-after-last", DRM_PANTHOR_DEV_QUERY_MMU_INFO + 1, 64, PTR_BUFFER, EINVAL },
	{ "type-all-ones", 0xffffffff, 64, PTR_BUFFER, EINVAL },
	{ "size-zero", DRM_PANTHOR_DEV_QUERY_GPU_INFO, 0, PTR_BUFFER, EINVAL },
	{ "size-four", DRM_PANTHOR_DEV_QUERY_GPU_INFO, 4, PTR_BUFFER, EINVAL },
	{ "size-below-min", DRM_PANTHOR_DEV_QUERY_GPU_INFO, GPU_INFO_MIN_SIZE - 1,
	  PTR_BUFFER, EINVAL },
	{ "bad-pointer", DRM_PANTHOR_DEV_QUERY_GPU_INFO,
	  sizeof(struct drm_panthor_gpu_info), PTR_BAD, EFAULT },
};

static void query_gpu_info(int fd, struct drm_panthor_gpu_info *info)
{
	memset(info, 0, sizeof(*info));
	igt_panthor_query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, info,
			  sizeof(*info), 0);
}

static void check_gpu_info(const struct drm_panthor_gpu_info *info)
{
	const char *expect = getenv("PVM_EXPECT_GPU_ID");
	__u32 va_bits = info->mmu_features & 0xff;
	__u32 pa_bits = (info->mmu_features >> 8) & 0xff;

	igt_info("gpu_id %#x (arch %u.%u, product %#x), mmu_features %#x, as_present %#x\n",
		 info->gpu_id, DRM_PANTHOR_ARCH_MAJOR(info->gpu_id),
		 DRM_PANTHOR_ARCH_MINOR(info->gpu_id), info->gpu_id >> 16,
		 info->mmu_features, info->as_present);

	if (expect && *expect) {
		igt_assert_eq_u32(info->gpu_id, (__u32)strtoul(expect, NULL, 0));
	} else {
		__u32 arch = DRM_PANTHOR_ARCH_MAJOR(info->gpu_id);

		igt_assert_f(arch == 10 || arch == 12,
			     "GPU arch major %u, expected 10 or 12 (gpu_id %#x)\n",
			     arch, info->gpu_id);
	}

	igt_assert_eq_u32(DRM_PANTHOR_MMU_VA_BITS(info->mmu_features), 48);
	igt_assert_eq_u32(va_bits, 48);
	igt_assert_eq_u32(pa_bits, 40);
	igt_assert_neq_u32(info->as_present, 0);
	igt_assert_f(info->as_present & 1, "as_present %#x lacks AS 0\n",
		     info->as_present);
}

static bool all_bytes(const void *p, size_t len, unsigned char v)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i] != v)
			return false;
	return true;
}

int igt_main()
{
	struct drm_panthor_gpu_info ref;
	int fd = -1;

	igt_fixture() {
		fd = drm_open_driver(DRIVER_PANTHOR);
		igt_panthor_skip_on_big_endian();
	}

	igt_describe("The device is the panthor driver, uAPI major 1");
	igt_subtest("driver-version") {
		drmVersionPtr v = drmGetVersion(fd);

		igt_assert(v);
		igt_info("driver %s %d.%d.%d\n", v->name, v->version_major,
			 v->version_minor, v->version_patchlevel);
		igt_assert_f(!strcmp(v->name, "panthor"),
			     "driver name \"%s\"\n", v->name);
		igt_assert_eq(v->version_major, 1);
		drmFreeVersion(v);
	}

	igt_describe("GPU_INFO reports the software GPU's ID, MMU and AS registers");
	igt_subtest("gpu-info") {
		query_gpu_info(fd, &ref);
		check_gpu_info(&ref);
	}

	igt_describe("A NULL pointer returns the object size and copies nothing");
	igt_subtest("size-query") {
		struct drm_panthor_dev_query q = {
			.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO,
			.size = 0xdeadbeef,
			.pointer = 0,
		};

		do_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
		igt_assert_eq_u32(q.size, sizeof(struct drm_panthor_gpu_info));
	}

	igt_describe("A short (first-version) size gets exactly that many bytes");
	igt_subtest("short-copy") {
		unsigned char buf[sizeof(struct drm_panthor_gpu_info)];

		query_gpu_info(fd, &ref);
		memset(buf, POISON, sizeof(buf));
		igt_panthor_query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, buf,
				  GPU_INFO_MIN_SIZE, 0);
		igt_assert(!memcmp(buf, &ref, GPU_INFO_MIN_SIZE));
		igt_assert_f(all_bytes(buf + GPU_INFO_MIN_SIZE,
				       sizeof(buf) - GPU_INFO_MIN_SIZE, POISON),
			     "bytes past size %zu were written\n",
			     (size_t)GPU_INFO_MIN_SIZE);
	}

	igt_describe("A size larger than the object zero-fills the tail");
	igt_subtest("oversized-copy") {
		unsigned char buf[sizeof(struct drm_panthor_gpu_info) + 64];

		query_gpu_info(fd, &ref);
		memset(buf, POISON, sizeof(buf));
		igt_panthor_query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, buf,
				  sizeof(buf), 0);
		igt_assert(!memcmp(buf, &ref, sizeof(ref)));
		igt_assert_f(all_bytes(buf + sizeof(ref), 64, 0),
			     "tail past the object is not zeroed\n");
	}

	igt_describe("Bad DEV_QUERY input is rejected and writes nothing");
	igt_subtest_with_dynamic("invalid") {
		for (size_t i = 0; i < sizeof(bad_queries) / sizeof(bad_queries[0]); i++) {
			const struct bad_query *c = &bad_queries[i];

			igt_dynamic(c->name) {
				unsigned char buf[256];
				struct drm_panthor_dev_query q = {
					.type = c->type,
					.size = c->size,
				};

				memset(buf, POISON, sizeof(buf));
				if (c->ptr == PTR_BUFFER)
					q.pointer = (uintptr_t)buf;
				else if (c->ptr == PTR_BAD)
					q.pointer = 0x10;
				do_ioctl_err(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q,
					     c->err);
				igt_assert_f(all_bytes(buf, sizeof(buf), POISON),
					     "rejected query wrote to the buffer\n");
			}
		}
	}

	igt_describe("The render node answers the same GPU_INFO");
	igt_subtest("render-node") {
		struct drm_panthor_gpu_info info;
		int rfd = drm_open_driver_render(DRIVER_PANTHOR);

		query_gpu_info(fd, &ref);
		query_gpu_info(rfd, &info);
		drm_close_driver(rfd);
		igt_assert(!memcmp(&info, &ref, sizeof(info)));
	}

	igt_fixture() {
		drm_close_driver(fd);
	}
}
