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
 *
 * Every query type of uAPI 1.9 is covered: CSIF_INFO (the software GPU's
 * profile values), TIMESTAMP_INFO with and without the 1.8 flags,
 * GROUP_PRIORITIES_INFO, MMU_INFO, and GPU_INFO.selected_coherency against
 * the software GPU's noncoherent parameter.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
	{ "csif-below-min", DRM_PANTHOR_DEV_QUERY_CSIF_INFO,
	  sizeof(struct drm_panthor_csif_info) - 4, PTR_BUFFER, EINVAL },
	{ "timestamp-below-min", DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, 8,
	  PTR_BUFFER, EINVAL },
	{ "priorities-zero", DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO, 0,
	  PTR_BUFFER, EINVAL },
	{ "mmu-info-below-min", DRM_PANTHOR_DEV_QUERY_MMU_INFO, 4,
	  PTR_BUFFER, EINVAL },
	{ "csif-bad-pointer", DRM_PANTHOR_DEV_QUERY_CSIF_INFO,
	  sizeof(struct drm_panthor_csif_info), PTR_BAD, EFAULT },
	{ "timestamp-bad-pointer", DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO,
	  sizeof(struct drm_panthor_timestamp_info), PTR_BAD, EFAULT },
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

struct query_type {
	const char *name;
	__u32 type;
	__u32 size;	/* object size of uAPI 1.9 */
	__u32 min;	/* size of the object's first version */
};

static const struct query_type query_types[] = {
	{ "gpu-info", DRM_PANTHOR_DEV_QUERY_GPU_INFO,
	  sizeof(struct drm_panthor_gpu_info), GPU_INFO_MIN_SIZE },
	{ "csif-info", DRM_PANTHOR_DEV_QUERY_CSIF_INFO,
	  sizeof(struct drm_panthor_csif_info),
	  sizeof(struct drm_panthor_csif_info) },
	{ "timestamp-info", DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO,
	  sizeof(struct drm_panthor_timestamp_info),
	  offsetof(struct drm_panthor_timestamp_info, timestamp_offset) },
	{ "group-priorities-info", DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO,
	  sizeof(struct drm_panthor_group_priorities_info),
	  sizeof(struct drm_panthor_group_priorities_info) },
	{ "mmu-info", DRM_PANTHOR_DEV_QUERY_MMU_INFO,
	  sizeof(struct drm_panthor_mmu_info),
	  sizeof(struct drm_panthor_mmu_info) },
};

#define NSEC 1000000000ULL

/* TIMESTAMP_INFO with @flags; returns -errno. */
static int query_ts(int fd, __u32 flags, struct drm_panthor_timestamp_info *ts)
{
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO,
		.size = sizeof(*ts),
		.pointer = (uintptr_t)ts,
	};
	int err = 0;

	memset(ts, 0, sizeof(*ts));
	ts->flags = flags;
	if (igt_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q))
		err = -errno;
	errno = 0;
	return err;
}

static __u64 clock_ns(clockid_t id)
{
	struct timespec t;

	igt_assert_eq(clock_gettime(id, &t), 0);
	return (__u64)t.tv_sec * NSEC + t.tv_nsec;
}

/* 'Y', 'N', or 0 when the software GPU's parameter is not there. */
static char sim_noncoherent(void)
{
	FILE *f = fopen("/sys/module/panthor_vm_sim/parameters/noncoherent", "r");
	int c;

	if (!f)
		return 0;
	c = fgetc(f);
	fclose(f);
	return c == 'Y' || c == 'N' ? c : 0;
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

	igt_describe("Every query type answers a size-only request with its "
		     "uAPI 1.9 object size");
	igt_subtest_with_dynamic("size-query-all") {
		for (size_t i = 0; i < sizeof(query_types) / sizeof(query_types[0]); i++) {
			const struct query_type *t = &query_types[i];

			igt_dynamic(t->name) {
				struct drm_panthor_dev_query q = {
					.type = t->type, .size = 0xdeadbeef,
				};

				do_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
				igt_assert_eq_u32(q.size, t->size);
			}
		}
	}

	igt_describe("Every query type takes its first-version size, rejects one "
		     "byte less with EINVAL, and zero-fills an oversized tail");
	igt_subtest_with_dynamic("short-and-long-all") {
		for (size_t i = 0; i < sizeof(query_types) / sizeof(query_types[0]); i++) {
			const struct query_type *t = &query_types[i];

			igt_dynamic(t->name) {
				unsigned char buf[256];

				memset(buf, POISON, sizeof(buf));
				igt_panthor_query(fd, t->type, buf, t->min, 0);
				igt_assert_f(all_bytes(buf + t->min,
						       sizeof(buf) - t->min, POISON),
					     "bytes past size %u were written\n",
					     t->min);
				igt_panthor_query(fd, t->type, buf, t->min - 1,
						  EINVAL);
				memset(buf, POISON, sizeof(buf));
				/* TIMESTAMP_INFO is also input: unknown bytes must be 0. */
				if (t->type == DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO)
					memset(buf, 0, t->size + 32);
				igt_panthor_query(fd, t->type, buf, t->size + 32, 0);
				igt_assert_f(all_bytes(buf + t->size, 32, 0),
					     "tail past the object is not zeroed\n");
			}
		}
	}

	igt_describe("CSIF_INFO reports the software GPU's command stream "
		     "interface: 8 groups of 8 streams, 96 registers, 8 "
		     "scoreboards, 4 unpreserved registers");
	igt_subtest("csif-info") {
		struct drm_panthor_csif_info c;

		memset(&c, POISON, sizeof(c));
		igt_panthor_query(fd, DRM_PANTHOR_DEV_QUERY_CSIF_INFO, &c,
				  sizeof(c), 0);
		igt_assert_eq_u32(c.csg_slot_count, 8);
		igt_assert_eq_u32(c.cs_slot_count, 8);
		igt_assert_eq_u32(c.cs_reg_count, 96);
		igt_assert_eq_u32(c.scoreboard_slot_count, 8);
		igt_assert_eq_u32(c.unpreserved_cs_reg_count, 4);
		igt_assert_eq_u32(c.pad, 0);
	}

	igt_describe("TIMESTAMP_INFO without flags (uAPI 1.1 object) reads the "
		     "GPU timestamp, its offset and a 1 GHz frequency, and "
		     "nothing else");
	igt_subtest("timestamp-info") {
		struct drm_panthor_timestamp_info a, b;

		igt_assert_eq(query_ts(fd, 0, &a), 0);
		igt_assert_eq(query_ts(fd, 0, &b), 0);
		igt_assert_eq_u64(a.timestamp_frequency, NSEC);
		igt_assert_neq_u64(a.current_timestamp, 0);
		igt_assert_f(b.current_timestamp > a.current_timestamp,
			     "GPU timestamp did not advance: %llu then %llu\n",
			     (unsigned long long)a.current_timestamp,
			     (unsigned long long)b.current_timestamp);
		igt_assert_eq_u64(a.timestamp_offset, 0);
		igt_assert_eq_u32(a.flags, 0);
		igt_assert_eq_u64(a.cycle_count, 0);
		igt_assert_eq_u64(a.cpu_timestamp_sec, 0);
		igt_assert_eq_u64(a.cpu_timestamp_nsec, 0);
		igt_assert_eq_u32(a.duration_nsec, 0);
	}

	igt_describe("A 24-byte (uAPI 1.1) TIMESTAMP_INFO gets 24 bytes and "
		     "nothing past them; 16 bytes is the smallest accepted");
	igt_subtest("timestamp-info-v1") {
		unsigned char buf[sizeof(struct drm_panthor_timestamp_info)];
		struct drm_panthor_timestamp_info *ts = (void *)buf;
		size_t v1 = offsetof(struct drm_panthor_timestamp_info, flags);

		memset(buf, POISON, sizeof(buf));
		igt_panthor_query(fd, DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, buf,
				  v1, 0);
		igt_assert_eq_u64(ts->timestamp_frequency, NSEC);
		igt_assert_neq_u64(ts->current_timestamp, 0);
		igt_assert_f(all_bytes(buf + v1, sizeof(buf) - v1, POISON),
			     "bytes past the 1.1 object were written\n");
		igt_panthor_query(fd, DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, buf,
				  16, 0);
		igt_panthor_query(fd, DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, buf,
				  15, EINVAL);
	}

	igt_describe("TIMESTAMP_INFO flags (uAPI 1.8) select what is read; "
		     "what is not selected reads 0");
	igt_subtest("timestamp-flags") {
		struct drm_panthor_timestamp_info a, b;
		__u64 before, after, cpu;

		igt_assert_eq(query_ts(fd, DRM_PANTHOR_TIMESTAMP_GPU, &a), 0);
		igt_assert_neq_u64(a.current_timestamp, 0);
		igt_assert_eq_u64(a.timestamp_frequency, 0);
		igt_assert_eq_u64(a.cycle_count, 0);
		igt_assert_eq_u32(a.flags, DRM_PANTHOR_TIMESTAMP_GPU);

		igt_assert_eq(query_ts(fd, DRM_PANTHOR_TIMESTAMP_FREQ, &a), 0);
		igt_assert_eq_u64(a.timestamp_frequency, NSEC);
		igt_assert_eq_u64(a.current_timestamp, 0);

		igt_assert_eq(query_ts(fd, DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT, &a), 0);
		igt_assert_eq(query_ts(fd, DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT, &b), 0);
		igt_assert_neq_u64(a.cycle_count, 0);
		igt_assert_f(b.cycle_count > a.cycle_count,
			     "cycle count did not advance\n");
		igt_assert_eq_u64(a.current_timestamp, 0);

		before = clock_ns(CLOCK_MONOTONIC);
		igt_assert_eq(query_ts(fd, DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC, &a), 0);
		after = clock_ns(CLOCK_MONOTONIC);
		cpu = a.cpu_timestamp_sec * NSEC + a.cpu_timestamp_nsec;
		igt_assert_f(cpu >= before && cpu <= after,
			     "CPU_MONOTONIC %llu outside [%llu, %llu]\n",
			     (unsigned long long)cpu,
			     (unsigned long long)before,
			     (unsigned long long)after);
		igt_assert_lt_u64(a.cpu_timestamp_nsec, NSEC);
		igt_assert_eq_u64(a.current_timestamp, 0);

		igt_assert_eq(query_ts(fd, DRM_PANTHOR_TIMESTAMP_GPU |
				       DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC_RAW |
				       DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT |
				       DRM_PANTHOR_TIMESTAMP_GPU_OFFSET |
				       DRM_PANTHOR_TIMESTAMP_FREQ |
				       DRM_PANTHOR_TIMESTAMP_DURATION, &a), 0);
		igt_assert_neq_u64(a.current_timestamp, 0);
		igt_assert_neq_u64(a.cycle_count, 0);
		igt_assert_eq_u64(a.timestamp_frequency, NSEC);
		igt_assert_f(a.cpu_timestamp_sec || a.cpu_timestamp_nsec,
			     "CPU_MONOTONIC_RAW read as 0\n");
		igt_assert_f(a.duration_nsec < NSEC,
			     "reads took %u ns\n", a.duration_nsec);
		/* The GPU counter is the raw clock, read just before the CPU one. */
		cpu = a.cpu_timestamp_sec * NSEC + a.cpu_timestamp_nsec;
		igt_assert_f(cpu + a.timestamp_offset >= a.current_timestamp &&
			     cpu + a.timestamp_offset - a.current_timestamp < NSEC,
			     "GPU timestamp %llu vs CLOCK_MONOTONIC_RAW %llu\n",
			     (unsigned long long)a.current_timestamp,
			     (unsigned long long)cpu);
	}

	igt_describe("Bad TIMESTAMP_INFO flags are EINVAL, unknown non-zero "
		     "bytes past the object E2BIG, and nothing is written");
	igt_subtest("timestamp-invalid") {
		static const __u32 bad[] = {
			3 << 1, 7 << 1, 1 << 8, 1u << 31,
			DRM_PANTHOR_TIMESTAMP_GPU | (4 << 1),
		};
		unsigned char buf[sizeof(struct drm_panthor_timestamp_info) + 8];
		struct drm_panthor_timestamp_info *ts = (void *)buf;
		struct drm_panthor_dev_query q = {
			.type = DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO,
			.pointer = (uintptr_t)buf,
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			igt_assert_eq(query_ts(fd, bad[i], ts), -EINVAL);
			igt_assert_eq_u64(ts->current_timestamp, 0);
		}

		memset(buf, 0, sizeof(buf));
		buf[sizeof(buf) - 1] = 1;
		q.size = sizeof(buf);
		do_ioctl_err(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q, E2BIG);
		igt_assert_eq_u64(ts->current_timestamp, 0);
	}

	igt_describe("GROUP_PRIORITIES_INFO: LOW and MEDIUM always, HIGH and "
		     "REALTIME for root (CAP_SYS_NICE), nothing above");
	igt_subtest("group-priorities-info") {
		struct drm_panthor_group_priorities_info p;
		__u8 low_med = (1 << PANTHOR_GROUP_PRIORITY_LOW) |
			       (1 << PANTHOR_GROUP_PRIORITY_MEDIUM);

		memset(&p, POISON, sizeof(p));
		igt_panthor_query(fd, DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO,
				  &p, sizeof(p), 0);
		igt_assert_eq_u32(p.allowed_mask & low_med, low_med);
		igt_assert_eq_u32(p.allowed_mask & ~0xfu, 0);
		if (geteuid() == 0)
			igt_assert_eq_u32(p.allowed_mask, 0xf);
		igt_assert(!p.pad[0] && !p.pad[1] && !p.pad[2]);
	}

	igt_describe("MMU_INFO reports 4 KiB pages and 2 MiB blocks");
	igt_subtest("mmu-info") {
		struct drm_panthor_mmu_info m;

		memset(&m, POISON, sizeof(m));
		igt_panthor_query(fd, DRM_PANTHOR_DEV_QUERY_MMU_INFO, &m,
				  sizeof(m), 0);
		igt_assert_eq_u64(m.page_size_bitmap, 0x1000 | 0x200000);
	}

	igt_describe("GPU_INFO.selected_coherency is NONE on a non-coherent "
		     "software GPU and ACE-Lite on a coherent one");
	igt_subtest("selected-coherency") {
		const char *want = getenv("PVM_EXPECT_COHERENT");
		char nc = sim_noncoherent();

		query_gpu_info(fd, &ref);
		/* The run's configuration, from the device's own report. */
		if (want)
			igt_assert_f(ref.selected_coherency ==
				     (want[0] == '1' ?
				      DRM_PANTHOR_GPU_COHERENCY_ACE_LITE :
				      DRM_PANTHOR_GPU_COHERENCY_NONE),
				     "PVM_EXPECT_COHERENT=%s but the device "
				     "reports selected_coherency %u\n", want,
				     ref.selected_coherency);
		igt_require_f(nc, "no panthor_vm_sim noncoherent parameter\n");
		igt_info("noncoherent=%c selected_coherency %u coherency_features %#x\n",
			 nc, ref.selected_coherency, ref.coherency_features);
		igt_assert_eq_u32(ref.selected_coherency, nc == 'Y' ?
				  DRM_PANTHOR_GPU_COHERENCY_NONE :
				  DRM_PANTHOR_GPU_COHERENCY_ACE_LITE);
		igt_assert(ref.coherency_features &
			   (1u << DRM_PANTHOR_GPU_COHERENCY_ACE_LITE));
	}

	igt_describe("The ioctls that need a command stream frontend (groups, "
		     "tiler heaps) are not implemented: -EINVAL, as for an "
		     "unknown ioctl, with the argument left as it was");
	igt_subtest_with_dynamic("no-command-stream") {
		static const struct {
			const char *name;
			unsigned long nr;
		} cs_ioctls[] = {
			{ "group-create", DRM_IOCTL_PANTHOR_GROUP_CREATE },
			{ "group-destroy", DRM_IOCTL_PANTHOR_GROUP_DESTROY },
			{ "group-submit", DRM_IOCTL_PANTHOR_GROUP_SUBMIT },
			{ "group-get-state", DRM_IOCTL_PANTHOR_GROUP_GET_STATE },
			{ "tiler-heap-create", DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE },
			{ "tiler-heap-destroy", DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY },
		};

		for (size_t i = 0; i < sizeof(cs_ioctls) / sizeof(cs_ioctls[0]); i++) {
			igt_dynamic(cs_ioctls[i].name) {
				uint8_t arg[64], copy[64];

				memset(arg, 0, sizeof(arg));
				memcpy(copy, arg, sizeof(arg));
				igt_assert_eq(igt_ioctl(fd, cs_ioctls[i].nr, arg), -1);
				igt_assert_eq(errno, EINVAL);
				igt_assert(!memcmp(arg, copy, sizeof(arg)));
			}
		}
	}

	igt_fixture() {
		drm_close_driver(fd);
	}
}
