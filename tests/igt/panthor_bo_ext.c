// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * The BO ioctls of uAPI 1.4 and 1.7, and binding dma-bufs of another
 * device:
 *
 * - BO_SET_LABEL (1.4): the label shows in the driver's debugfs "gems"
 *   file, one line per BO ("bo size=S flags=0xF imported=I gpu_pins=P
 *   label=L"); a label can be replaced and cleared; pad is checked first
 *   (EINVAL), then the handle (ENOENT), the pointer (EFAULT) and the length
 *   (E2BIG past 4095 characters); a failed call keeps the old label.
 * - BO_QUERY_INFO (1.7): the BO_CREATE flags, and DRM_PANTHOR_BO_IS_IMPORTED
 *   only for a dma-buf of another device (vgem); a panthor BO imported in a
 *   second panthor file is the same object, not an import.
 * - BO_SYNC (1.7): CPU cache maintenance of BO ranges, seen through the
 *   software GPU's sync_device_bytes and sync_cpu_bytes counters, which
 *   move only with the system MMU and only for a CPU-cached BO (coherent
 *   device or WB_MMAP) that is bound in a VM.
 * - vgem-bind: a vgem buffer imported in panthor maps, the GPU reads and
 *   writes it, the system MMU maps its pages once however many GPU
 *   mappings there are and unmaps them with the last one.
 */

#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/dma-buf.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_panthor_bo_ext.h"
#include "igt_panthor_sim.h"
#include "panthor_drm.h"

IGT_TEST_DESCRIPTION("panthor BO labels, BO_QUERY_INFO, BO_SYNC, vgem binds");

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The most label bytes, NUL included. */
#define LABEL_MAX	4096
/* An unusual BO size, to find unlabelled test BOs in the gems file. */
#define ODD_SIZE	(19 * SZ_4K)
#define VA_A		UINT64_C(0x1000000)
#define VA_B		UINT64_C(0x3000000)

#define FLUSH		DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH
#define FLUSH_INV	DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE
#define IS_IMPORTED	DRM_PANTHOR_BO_IS_IMPORTED
#define SET_LABEL	DRM_IOCTL_PANTHOR_BO_SET_LABEL
#define CPU_START	DMA_BUF_SYNC_START
#define CPU_END		DMA_BUF_SYNC_END

static int fd = -1;
static bool sim;
static bool smmu;	/* the sim's system MMU: sync and smmu counters move */
static bool stats;	/* the sim's counters can be read */
static bool coherent;	/* selected_coherency is not NONE */

/* ---- ioctls ------------------------------------------------------------- */

static int set_label(uint32_t handle, const char *label)
{
	return __igt_panthor_bo_set_label(fd, handle, label);
}

static int query_info(int dfd, uint32_t handle,
		      struct drm_panthor_bo_query_info *q)
{
	return __igt_panthor_bo_query_info(dfd, handle, q);
}

static int bo_sync(const void *ops, uint32_t count, uint32_t stride)
{
	return __igt_panthor_bo_sync(fd, ops, count, stride);
}

#define sync_op igt_panthor_bo_sync_op

/* ---- labels ------------------------------------------------------------- */

/* A label unique to this process; @buf holds LABEL_LEN bytes. */
#define LABEL_LEN	64

static const char *label_name(char *buf, const char *tag)
{
	snprintf(buf, LABEL_LEN, "igt-bo-ext-%d-%s", getpid(), tag);
	return buf;
}

/* The gems file shows @label exactly once, on a BO of @size and @flags. */
static void assert_label(const char *label, uint64_t size, uint32_t flags,
			 const char *what)
{
	struct igt_panthor_gem_line g = { 0 };
	int n = igt_panthor_gems_find(fd, label, 0, &g);

	igt_assert_f(n == 1, "%s: label \"%.40s...\" on %d BOs in gems\n",
		     what, label, n);
	igt_assert_f(g.size == size && g.flags == flags && !g.imported,
		     "%s: gems shows size %#" PRIx64 " flags %#x imported %d, "
		     "expected size %#" PRIx64 " flags %#x, not imported\n",
		     what, g.size, g.flags, g.imported, size, flags);
}

static void assert_no_label(const char *label, const char *what)
{
	int n = igt_panthor_gems_find(fd, label, 0, NULL);

	igt_assert_f(n == 0, "%s: label \"%.40s...\" still on %d BOs\n", what,
		     label, n);
}

enum { H_BO, H_ZERO, H_BOGUS };
enum { P_GOOD, P_NULL_PAGE, P_UNMAPPED, P_NO_NUL, P_NO_NUL_EDGE };

struct bad_label {
	const char *name;
	uint32_t pad;
	int handle;
	int ptr;
	int err;
};

static const struct bad_label bad_labels[] = {
	{ "pad", 1, H_BO, P_GOOD, EINVAL },
	{ "pad-high", 1u << 31, H_BO, P_GOOD, EINVAL },
	{ "pad-before-handle", 1, H_BOGUS, P_GOOD, EINVAL },
	{ "pad-before-pointer", 1, H_BO, P_UNMAPPED, EINVAL },
	{ "pad-before-length", 1, H_BO, P_NO_NUL, EINVAL },
	{ "handle-zero", 0, H_ZERO, P_GOOD, ENOENT },
	{ "handle-unknown", 0, H_BOGUS, P_GOOD, ENOENT },
	{ "pointer-first-page", 0, H_BO, P_NULL_PAGE, EFAULT },
	{ "pointer-unmapped", 0, H_BO, P_UNMAPPED, EFAULT },
	{ "no-nul-8K", 0, H_BO, P_NO_NUL, E2BIG },
	{ "no-nul-before-unmapped-page", 0, H_BO, P_NO_NUL_EDGE, E2BIG },
};

/*
 * Five pages: @edge, 4096 bytes without a NUL; @hole, PROT_NONE; @big,
 * 8 KiB without a NUL; then a good label.
 */
struct label_bufs {
	char *map;
	char *hole;
	char *big;
	char *edge;
};

static void label_bufs_init(struct label_bufs *b, const char *good)
{
	b->map = mmap(NULL, 5 * SZ_4K, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(b->map != MAP_FAILED);
	b->edge = b->map;
	b->hole = b->map + SZ_4K;
	b->big = b->map + 2 * SZ_4K;
	memset(b->edge, 'e', SZ_4K);
	memset(b->big, 'b', 2 * SZ_4K);
	snprintf(b->big + 2 * SZ_4K, SZ_4K, "%s", good);
	igt_assert_eq(mprotect(b->hole, SZ_4K, PROT_NONE), 0);
}

static const char *bad_label_ptr(const struct label_bufs *b, int ptr)
{
	switch (ptr) {
	case P_NULL_PAGE:
		return (const char *)(uintptr_t)0x10;
	case P_UNMAPPED:
		return b->hole;
	case P_NO_NUL:
		return b->big;
	case P_NO_NUL_EDGE:
		return b->edge;
	default:
		return b->big + 2 * SZ_4K;
	}
}

/* ---- sync counters ------------------------------------------------------ */

struct sync_bytes {
	uint64_t dev, cpu;
};

static void sync_bytes(struct sync_bytes *b)
{
	struct igt_panthor_sim_stats s;

	b->dev = b->cpu = 0;
	if (!stats)
		return;
	igt_panthor_sim_stats_read(fd, &s);
	b->dev = igt_panthor_sim_stat(&s, "sync_device_bytes");
	b->cpu = igt_panthor_sim_stat(&s, "sync_cpu_bytes");
}

/* Since @before: @dev and @cpu bytes synced (0 without the system MMU). */
static void assert_synced(const struct sync_bytes *before, uint64_t dev,
			  uint64_t cpu, const char *what)
{
	struct sync_bytes now;

	if (!stats)
		return;
	sync_bytes(&now);
	if (!smmu)
		dev = cpu = 0;
	igt_assert_f(now.dev - before->dev == dev &&
		     now.cpu - before->cpu == cpu,
		     "%s: sync_device_bytes +%" PRIu64 " sync_cpu_bytes +%"
		     PRIu64 ", expected +%" PRIu64 " and +%" PRIu64 "\n", what,
		     now.dev - before->dev, now.cpu - before->cpu, dev, cpu);
}

/* Sync [off, off + size) of @bo and check the counters. */
static void sync_check(uint32_t bo, uint32_t type, uint64_t off,
		       uint64_t size, bool counted, const char *what)
{
	struct drm_panthor_bo_sync_op op = sync_op(bo, type, off, size);
	struct sync_bytes before;
	int err;

	sync_bytes(&before);
	err = bo_sync(&op, 1, sizeof(op));
	igt_assert_f(err == 0, "%s: BO_SYNC: %s\n", what, strerror(-err));
	assert_synced(&before, counted ? size : 0,
		      counted && type == FLUSH_INV ? size : 0, what);
}

static uint32_t new_bo(uint64_t size, uint32_t flags)
{
	struct panthor_bo bo;

	igt_panthor_bo_create(fd, &bo, size, flags, 0);
	return bo.handle;
}

/* ---- smmu counters ------------------------------------------------------ */

struct smmu_counts {
	uint64_t maps, unmaps;
};

static void smmu_counts(struct smmu_counts *c)
{
	struct igt_panthor_sim_stats s;

	igt_panthor_sim_stats_read(fd, &s);
	c->maps = igt_panthor_sim_stat(&s, "smmu_maps");
	c->unmaps = igt_panthor_sim_stat(&s, "smmu_unmaps");
}

/*
 * The system MMU's live mappings moved by @maps - @unmaps. Net counts: a
 * bind's table reservation maps pages and gives back the unused ones (the
 * test kernels unmap pooled tables), so gross counts depend on it.
 */
static void assert_smmu(const struct smmu_counts *before, uint64_t maps,
			uint64_t unmaps, const char *what)
{
	struct smmu_counts now;
	int64_t got, want = (int64_t)maps - (int64_t)unmaps;

	if (!smmu || !stats)
		return;
	smmu_counts(&now);
	got = (int64_t)(now.maps - before->maps) -
	      (int64_t)(now.unmaps - before->unmaps);
	igt_assert_f(got == want,
		     "%s: live system-MMU mappings %+" PRId64 " (smmu_maps +%"
		     PRIu64 ", smmu_unmaps +%" PRIu64 "), expected %+" PRId64
		     "\n", what, got, now.maps - before->maps,
		     now.unmaps - before->unmaps, want);
}

/* The GPU reads BO offset @off of the pattern @seed at @va. */
static void check_gpu_pattern(uint32_t vm, uint64_t va, uint64_t size,
			      uint32_t seed, uint64_t off, const char *what)
{
	static uint32_t buf[SZ_64K / 4];
	uint64_t bad = 0;

	igt_assert(size <= sizeof(buf));
	igt_panthor_gpu_read(fd, vm, va, buf, size);
	igt_assert_f(igt_panthor_pattern_check(buf, size, seed, off, &bad),
		     "%s: GPU read at %#" PRIx64 " returned %#x, expected "
		     "%#x\n", what, va + bad, buf[bad / 4],
		     igt_panthor_pattern(seed, off + bad));
}

int igt_main()
{
	igt_fixture() {
		struct drm_panthor_gpu_info info;

		igt_panthor_skip_on_big_endian();
		fd = drm_open_driver(DRIVER_PANTHOR);
		sim = igt_panthor_has_sim(fd);
		smmu = sim && igt_panthor_sim_has_smmu();
		stats = sim && igt_panthor_debugfs_dir(fd, "sim_stats");
		igt_panthor_gpu_info(fd, &info);
		coherent = info.selected_coherency !=
			   DRM_PANTHOR_GPU_COHERENCY_NONE;
		igt_debug("coherent %d, system MMU %d, sim counters %d\n",
			  coherent, smmu, stats);
	}

	igt_describe("A label set on a BO shows in debugfs gems on the line "
		     "of that BO (its size and flags); it can be replaced and "
		     "cleared");
	igt_subtest("set-label") {
		char b1[LABEL_LEN], b2[LABEL_LEN], b3[LABEL_LEN];
		const char *l1 = label_name(b1, "first");
		const char *l2 = label_name(b2, "second");
		const char *l3 = label_name(b3, "no-mmap");
		uint32_t bo, bo2;

		igt_panthor_require_uapi_minor(fd, 4);
		igt_require_panthor_gems(fd);
		bo = new_bo(ODD_SIZE, 0);
		bo2 = new_bo(SZ_64K, DRM_PANTHOR_BO_NO_MMAP);

		igt_assert_eq(set_label(bo, l1), 0);
		assert_label(l1, ODD_SIZE, 0, "set");
		igt_assert_eq(set_label(bo2, l3), 0);
		assert_label(l3, SZ_64K, DRM_PANTHOR_BO_NO_MMAP, "NO_MMAP BO");
		assert_label(l1, ODD_SIZE, 0, "another BO labelled");

		igt_assert_eq(set_label(bo, l2), 0);
		assert_no_label(l1, "replaced");
		assert_label(l2, ODD_SIZE, 0, "replaced");
		/* The same label again is a no-op. */
		igt_assert_eq(set_label(bo, l2), 0);
		assert_label(l2, ODD_SIZE, 0, "set twice");

		igt_assert_eq(set_label(bo, NULL), 0);
		assert_no_label(l2, "cleared");
		igt_assert_f(igt_panthor_gems_find(fd, "", ODD_SIZE, NULL) >= 1,
			     "no unlabelled BO of %#" PRIx64 " bytes in gems "
			     "after clearing\n", ODD_SIZE);
		/* Clearing an unlabelled BO is fine too. */
		igt_assert_eq(set_label(bo, NULL), 0);
		assert_label(l3, SZ_64K, DRM_PANTHOR_BO_NO_MMAP, "untouched");

		gem_close(fd, bo);
		gem_close(fd, bo2);
	}

	igt_describe("BO_SET_LABEL: pad EINVAL (checked first), unknown handle "
		     "ENOENT, bad pointer EFAULT, no NUL in 4096 bytes E2BIG; "
		     "the label stays as it was");
	igt_subtest_with_dynamic("set-label-invalid") {
		char kb[LABEL_LEN], nb[LABEL_LEN];
		const char *keep = label_name(kb, "keep");
		const char *never = label_name(nb, "never");
		struct label_bufs b;
		bool gems;
		uint32_t bo;

		igt_panthor_require_uapi_minor(fd, 4);
		gems = igt_panthor_debugfs_dir(fd, "gems");
		if (!gems)
			igt_debug("no gems in debugfs: label not read back\n");
		bo = new_bo(SZ_4K, 0);
		igt_assert_eq(set_label(bo, keep), 0);
		label_bufs_init(&b, never);

		for (size_t i = 0; i < ARRAY_LEN(bad_labels); i++) {
			const struct bad_label *c = &bad_labels[i];

			igt_dynamic(c->name) {
				struct drm_panthor_bo_set_label a = {
					.handle = bo,
					.pad = c->pad,
				};

				if (c->handle == H_ZERO)
					a.handle = 0;
				else if (c->handle == H_BOGUS)
					a.handle = 0xdeadbeef;
				a.label = (uintptr_t)bad_label_ptr(&b, c->ptr);
				do_ioctl_err(fd, SET_LABEL, &a, c->err);
				if (gems) {
					assert_label(keep, SZ_4K, 0, c->name);
					assert_no_label(never, c->name);
				}
			}
		}
		munmap(b.map, 5 * SZ_4K);
		gem_close(fd, bo);
	}

	igt_describe("A label of 4095 characters is accepted and shown whole; "
		     "4096 characters are E2BIG and keep the old label");
	igt_subtest("set-label-max") {
		char *max = malloc(LABEL_MAX + 1);
		char *over = malloc(LABEL_MAX + 1);
		char lb[LABEL_LEN];
		int n;
		uint32_t bo;

		igt_panthor_require_uapi_minor(fd, 4);
		igt_require_panthor_gems(fd);
		igt_assert(max && over);
		/* Unique to this process: the pid first, then filler. */
		n = snprintf(max, LABEL_MAX, "%s-", label_name(lb, "max"));
		for (int i = n; i < LABEL_MAX - 1; i++)
			max[i] = 'a' + i % 26;
		max[LABEL_MAX - 1] = '\0';
		memcpy(over, max, LABEL_MAX - 1);
		over[LABEL_MAX - 1] = 'z';
		over[LABEL_MAX] = '\0';
		igt_assert_eq((int)strlen(max), LABEL_MAX - 1);
		igt_assert_eq((int)strlen(over), LABEL_MAX);

		bo = new_bo(ODD_SIZE, 0);
		igt_assert_eq(set_label(bo, max), 0);
		assert_label(max, ODD_SIZE, 0, "4095 characters");
		igt_assert_eq(set_label(bo, over), -E2BIG);
		assert_label(max, ODD_SIZE, 0, "after 4096 characters");
		assert_no_label(over, "after 4096 characters");
		/* A shorter one still replaces it. */
		igt_assert_eq(set_label(bo, label_name(lb, "short")), 0);
		assert_no_label(max, "replaced");
		gem_close(fd, bo);
		free(max);
		free(over);
	}

	igt_describe("BO_QUERY_INFO returns the BO_CREATE flags, no extra "
		     "flag for a panthor BO, and ENOENT for an unknown handle");
	igt_subtest("query-info") {
		static const uint32_t flags[] = {
			0, DRM_PANTHOR_BO_NO_MMAP, DRM_PANTHOR_BO_WB_MMAP,
		};
		struct drm_panthor_bo_query_info q;

		igt_panthor_require_uapi_minor(fd, 7);
		for (size_t i = 0; i < ARRAY_LEN(flags); i++) {
			uint32_t bo = new_bo(SZ_64K, flags[i]);

			igt_assert_eq(query_info(fd, bo, &q), 0);
			igt_assert_eq_u32(q.create_flags, flags[i]);
			igt_assert_eq_u32(q.extra_flags, 0);
			igt_assert_eq_u32(q.pad, 0);
			gem_close(fd, bo);
		}
		{
			/* Exclusive to a VM: the same answer. */
			struct drm_panthor_bo_create c = {
				.size = SZ_4K,
				.flags = DRM_PANTHOR_BO_NO_MMAP,
			};
			uint32_t vm;

			igt_panthor_vm_create(fd, &vm, 0);
			c.exclusive_vm_id = vm;
			do_ioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &c);
			igt_assert_eq(query_info(fd, c.handle, &q), 0);
			igt_assert_eq_u32(q.create_flags,
					  DRM_PANTHOR_BO_NO_MMAP);
			igt_assert_eq_u32(q.extra_flags, 0);
			gem_close(fd, c.handle);
			igt_panthor_vm_destroy(fd, vm, 0);
		}
		igt_assert_eq(query_info(fd, 0, &q), -ENOENT);
		igt_assert_eq(query_info(fd, 0xdeadbeef, &q), -ENOENT);
	}

	igt_describe("A panthor BO exported and imported in a second panthor "
		     "file is the same object: not IS_IMPORTED, same flags, "
		     "same data, one line in gems");
	igt_subtest("query-info-prime") {
		static const uint32_t flags[] = { 0, DRM_PANTHOR_BO_WB_MMAP };
		struct drm_panthor_bo_query_info q;
		int fd2;

		igt_panthor_require_uapi_minor(fd, 7);
		fd2 = drm_open_driver(DRIVER_PANTHOR);
		for (size_t i = 0; i < ARRAY_LEN(flags); i++) {
			char lb[LABEL_LEN];
			const char *label = label_name(lb, i ? "prime-wb" :
						       "prime");
			bool gems = igt_panthor_debugfs_dir(fd, "gems");
			struct panthor_bo bo;
			uint32_t h2 = 0;
			uint64_t off, bad = 0;
			int dmabuf = -1;
			void *p;

			igt_panthor_bo_create_mapped(fd, &bo, SZ_64K, flags[i],
						     0);
			igt_assert(bo.map);
			igt_panthor_pattern_fill(bo.map, SZ_64K, 50 + i, 0);
			if (gems)
				igt_assert_eq(set_label(bo.handle, label), 0);
			igt_assert_eq(drmPrimeHandleToFD(fd, bo.handle,
							 DRM_CLOEXEC | DRM_RDWR,
							 &dmabuf), 0);
			igt_assert_eq(drmPrimeFDToHandle(fd2, dmabuf, &h2), 0);
			close(dmabuf);

			igt_assert_eq(query_info(fd2, h2, &q), 0);
			igt_assert_f(!(q.extra_flags & IS_IMPORTED),
				     "a panthor BO in another panthor file "
				     "reports IS_IMPORTED (%#x)\n",
				     q.extra_flags);
			igt_assert_eq_u32(q.create_flags, flags[i]);
			if (gems)
				assert_label(label, SZ_64K, flags[i],
					     "imported in a second file");

			/* The second file maps the same pages. */
			off = igt_panthor_bo_mmap_offset(fd2, h2, 0);
			p = igt_panthor_mmap_bo(fd2, h2, SZ_64K,
						PROT_READ | PROT_WRITE, off);
			igt_assert(p);
			igt_assert_f(igt_panthor_pattern_check(p, SZ_64K,
							       50 + i, 0,
							       &bad),
				     "second file reads other data at +%#"
				     PRIx64 "\n", bad);
			((uint32_t *)p)[7] = 0x600dcafe;
			igt_assert_eq_u32(((uint32_t *)bo.map)[7], 0x600dcafe);
			munmap(p, SZ_64K);
			gem_close(fd2, h2);
			igt_panthor_free_bo(fd, &bo);
		}
		drm_close_driver(fd2);
	}

	igt_describe("A vgem dma-buf imported in panthor is IS_IMPORTED, and "
		     "importing it again gives the same handle");
	igt_subtest("query-info-vgem") {
		struct drm_panthor_bo_query_info q;
		struct igt_panthor_import im;
		uint32_t again = 0;

		igt_panthor_require_uapi_minor(fd, 7);
		igt_panthor_import_vgem(fd, &im, SZ_16K);
		igt_assert_eq(query_info(fd, im.handle, &q), 0);
		igt_assert_eq_u32(q.extra_flags, IS_IMPORTED);
		igt_assert_eq_u32(q.pad, 0);
		igt_info("imported BO: create_flags %#x\n", q.create_flags);
		igt_assert_eq(drmPrimeFDToHandle(fd, im.dmabuf, &again), 0);
		igt_assert_eq_u32(again, im.handle);
		igt_assert_eq(query_info(fd, again, &q), 0);
		igt_assert_eq_u32(q.extra_flags, IS_IMPORTED);
		gem_close(fd, im.handle);
		igt_panthor_import_close(&im);
	}

	igt_describe("BO_SYNC of a CPU-cached BO bound in a VM counts exactly "
		     "its bytes (FLUSH: device, FLUSH_AND_INVALIDATE: device "
		     "and CPU); write-combined and unbound BOs sync nothing");
	igt_subtest("bo-sync") {
		uint32_t vm, wb, plain, nommap, wb2, unbound, was_bound;
		struct drm_panthor_bo_sync_op ops[3];
		struct sync_bytes before;

		igt_panthor_require_uapi_minor(fd, 7);
		if (!stats)
			igt_debug("no sim counters: return values only\n");
		else if (!smmu)
			igt_debug("no system MMU: counters must not move\n");
		vm = igt_panthor_vm_create_range(fd, NULL);
		wb = new_bo(SZ_2M, DRM_PANTHOR_BO_WB_MMAP);
		wb2 = new_bo(SZ_64K, DRM_PANTHOR_BO_WB_MMAP);
		plain = new_bo(SZ_64K, 0);
		nommap = new_bo(SZ_64K, DRM_PANTHOR_BO_NO_MMAP);
		unbound = new_bo(SZ_64K, DRM_PANTHOR_BO_WB_MMAP);
		was_bound = new_bo(SZ_64K, DRM_PANTHOR_BO_WB_MMAP);
		igt_panthor_map(fd, vm, wb, 0, VA_A, SZ_2M, 0);
		igt_panthor_map(fd, vm, wb2, 0, VA_B, SZ_64K, 0);
		igt_panthor_map(fd, vm, plain, 0, VA_B + SZ_1M, SZ_64K, 0);
		igt_panthor_map(fd, vm, nommap, 0, VA_B + SZ_2M, SZ_64K, 0);
		igt_panthor_map(fd, vm, was_bound, 0, VA_B + SZ_4M, SZ_64K, 0);
		igt_panthor_unmap(fd, vm, VA_B + SZ_4M, SZ_64K);

		sync_check(wb, FLUSH, 0, SZ_64K, true, "WB flush");
		sync_check(wb, FLUSH_INV, SZ_4K, SZ_8K, true, "WB flush+inv");
		sync_check(wb, FLUSH, 0, SZ_2M, true, "WB flush, whole BO");
		sync_check(wb, FLUSH_INV, SZ_2M - SZ_4K, SZ_4K, true,
			   "WB flush+inv, last page");
		/* Cached only on a coherent device; else write-combined. */
		sync_check(plain, FLUSH, 0, SZ_64K, coherent,
			   "no WB_MMAP flush");
		sync_check(plain, FLUSH_INV, SZ_16K, SZ_32K, coherent,
			   "no WB_MMAP flush+inv");
		sync_check(nommap, FLUSH_INV, 0, SZ_64K, coherent,
			   "NO_MMAP flush+inv");
		if (coherent)
			igt_debug("coherent device: no write-combined BO\n");
		sync_check(unbound, FLUSH, 0, SZ_64K, false, "never bound");
		sync_check(unbound, FLUSH_INV, 0, SZ_64K, false,
			   "never bound, flush+inv");
		sync_check(was_bound, FLUSH_INV, 0, SZ_64K, false, "unbound");

		/* Several ops of one call add up. */
		ops[0] = sync_op(wb, FLUSH, 0, SZ_4K);
		ops[1] = sync_op(wb, FLUSH_INV, SZ_64K, SZ_16K);
		ops[2] = sync_op(wb2, FLUSH_INV, 0, SZ_64K);
		sync_bytes(&before);
		igt_assert_eq(bo_sync(ops, 3, sizeof(ops[0])), 0);
		assert_synced(&before, SZ_4K + SZ_16K + SZ_64K, SZ_16K + SZ_64K,
			      "three ops");
		ops[1] = sync_op(unbound, FLUSH_INV, 0, SZ_64K);
		ops[2] = sync_op(plain, FLUSH, 0, SZ_32K);
		sync_bytes(&before);
		igt_assert_eq(bo_sync(ops, 3, sizeof(ops[0])), 0);
		assert_synced(&before, SZ_4K + (coherent ? SZ_32K : 0), 0,
			      "three ops, one unbound");

		/* count 0 is a no-op, whatever the array says. */
		sync_bytes(&before);
		igt_assert_eq(bo_sync(ops, 0, sizeof(ops[0])), 0);
		igt_assert_eq(bo_sync(NULL, 0, sizeof(ops[0])), 0);
		assert_synced(&before, 0, 0, "count 0");

		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, wb);
		gem_close(fd, wb2);
		gem_close(fd, plain);
		gem_close(fd, nommap);
		gem_close(fd, unbound);
		gem_close(fd, was_bound);
	}

	igt_describe("BO_SYNC: short stride, too many ops, bad type, range "
		     "overflowing or past the BO, and an imported BO are "
		     "EINVAL; an unknown handle is ENOENT");
	igt_subtest_with_dynamic("bo-sync-invalid") {
		struct drm_panthor_bo_sync_op op;
		struct sync_bytes before;
		uint32_t bo;

		igt_panthor_require_uapi_minor(fd, 7);
		bo = new_bo(SZ_64K, DRM_PANTHOR_BO_WB_MMAP);
		sync_bytes(&before);

		igt_dynamic("stride-short") {
			static const uint32_t strides[] = {
				0, 8, 16, sizeof(op) - 1,
			};

			op = sync_op(bo, FLUSH, 0, SZ_4K);
			for (size_t i = 0; i < ARRAY_LEN(strides); i++)
				igt_assert_eq(bo_sync(&op, 1, strides[i]),
					      -EINVAL);
		}
		igt_dynamic("count-above-65536") {
			static const uint32_t counts[] = {
				65537, 1u << 20, UINT32_MAX,
			};

			op = sync_op(bo, FLUSH, 0, SZ_4K);
			for (size_t i = 0; i < ARRAY_LEN(counts); i++)
				igt_assert_eq(bo_sync(&op, counts[i],
						      sizeof(op)), -EINVAL);
		}
		igt_dynamic("handle-unknown") {
			op = sync_op(0xdeadbeef, FLUSH, 0, SZ_4K);
			igt_assert_eq(bo_sync(&op, 1, sizeof(op)), -ENOENT);
			op.handle = 0;
			igt_assert_eq(bo_sync(&op, 1, sizeof(op)), -ENOENT);
		}
		igt_dynamic("type-unknown") {
			static const uint32_t types[] = { 2, 3, 1u << 31,
							  UINT32_MAX };

			for (size_t i = 0; i < ARRAY_LEN(types); i++) {
				op = sync_op(bo, types[i], 0, SZ_4K);
				igt_assert_eq(bo_sync(&op, 1, sizeof(op)),
					      -EINVAL);
			}
		}
		igt_dynamic("range-overflow") {
			op = sync_op(bo, FLUSH, ~UINT64_C(0) - SZ_4K + 1,
				     SZ_8K);
			igt_assert_eq(bo_sync(&op, 1, sizeof(op)), -EINVAL);
			op = sync_op(bo, FLUSH, SZ_4K, ~UINT64_C(0));
			igt_assert_eq(bo_sync(&op, 1, sizeof(op)), -EINVAL);
		}
		igt_dynamic("range-past-bo") {
			op = sync_op(bo, FLUSH, 0, SZ_64K + SZ_4K);
			igt_assert_eq(bo_sync(&op, 1, sizeof(op)), -EINVAL);
			op = sync_op(bo, FLUSH_INV, SZ_64K, SZ_4K);
			igt_assert_eq(bo_sync(&op, 1, sizeof(op)), -EINVAL);
			op = sync_op(bo, FLUSH, SZ_64K - SZ_4K, SZ_8K);
			igt_assert_eq(bo_sync(&op, 1, sizeof(op)), -EINVAL);
		}
		igt_dynamic("imported") {
			struct igt_panthor_import im;

			igt_panthor_import_vgem(fd, &im, SZ_16K);
			op = sync_op(im.handle, FLUSH, 0, SZ_4K);
			igt_assert_eq(bo_sync(&op, 1, sizeof(op)), -EINVAL);
			op.type = FLUSH_INV;
			igt_assert_eq(bo_sync(&op, 1, sizeof(op)), -EINVAL);
			gem_close(fd, im.handle);
			igt_panthor_import_close(&im);
		}
		assert_synced(&before, 0, 0, "rejected syncs");
		gem_close(fd, bo);
	}

	igt_describe("A vgem buffer imported in panthor binds: the GPU reads "
		     "the vgem data and its writes show through vgem; the "
		     "system MMU maps it once, at the first bind, and unmaps "
		     "it with the last; GEM close keeps the mappings");
	igt_subtest("vgem-bind") {
		static uint32_t buf[SZ_64K / 4];
		struct smmu_counts c0 = { 0 };
		struct igt_panthor_import im;
		uint32_t vm, vm2, fs, primer;
		uint64_t bad = 0, fa = 0;
		void *cpu;

		igt_require_panthor_sim(fd);
		igt_panthor_import_vgem(fd, &im, SZ_64K);
		if (smmu && !stats)
			igt_debug("no sim counters: smmu_maps not checked\n");
		else if (!smmu)
			igt_debug("no system MMU: smmu counters not checked\n");
		cpu = vgem_mmap(im.vgem, &im.vbo, PROT_READ | PROT_WRITE);
		igt_dmabuf_sync(im.dmabuf, CPU_START | DMA_BUF_SYNC_WRITE);
		igt_panthor_pattern_fill(cpu, SZ_64K, 61, 0);
		igt_dmabuf_sync(im.dmabuf, CPU_END | DMA_BUF_SYNC_WRITE);

		vm = igt_panthor_vm_create_range(fd, NULL);
		vm2 = igt_panthor_vm_create_range(fd, NULL);
		/*
		 * Page-table pages are DMA mappings too: a BO kept mapped in
		 * each 2 MiB region used below makes the tables exist first,
		 * so the counters below see the vgem attachment alone.
		 */
		primer = igt_panthor_pattern_bo(fd, SZ_4K, 60);
		igt_panthor_map(fd, vm, primer, 0, VA_A + SZ_1M, SZ_4K, 0);
		igt_panthor_map(fd, vm, primer, 0, VA_B + SZ_1M, SZ_4K, 0);
		igt_panthor_map(fd, vm2, primer, 0, VA_A + SZ_1M, SZ_4K, 0);
		if (smmu && stats)
			smmu_counts(&c0);
		igt_panthor_map(fd, vm, im.handle, 0, VA_A, SZ_64K, 0);
		assert_smmu(&c0, 1, 0, "first bind");
		check_gpu_pattern(vm, VA_A, SZ_64K, 61, 0, "vgem data");

		/* GPU writes show in the vgem mapping. */
		igt_panthor_pattern_fill(buf, SZ_16K, 62, 0);
		igt_panthor_gpu_write(fd, vm, VA_A, buf, SZ_16K);
		igt_dmabuf_sync(im.dmabuf, CPU_START | DMA_BUF_SYNC_READ);
		igt_assert_f(igt_panthor_pattern_check(cpu, SZ_16K, 62, 0,
						       &bad),
			     "vgem mapping misses the GPU write at +%#" PRIx64
			     ": %#x\n", bad, ((uint32_t *)cpu)[bad / 4]);
		igt_assert_f(igt_panthor_pattern_check((char *)cpu + SZ_16K,
						       SZ_16K, 61, SZ_16K,
						       &bad),
			     "the GPU write reached +%#" PRIx64 "\n",
			     SZ_16K + bad);
		igt_dmabuf_sync(im.dmabuf, CPU_END | DMA_BUF_SYNC_READ);

		/* More GPU mappings of the same BO: no new system MMU map. */
		igt_panthor_map(fd, vm, im.handle, SZ_16K, VA_B, SZ_16K, 0);
		igt_panthor_map(fd, vm2, im.handle, 0, VA_A, SZ_64K, 0);
		assert_smmu(&c0, 1, 0, "second and third bind");
		igt_assert_eq_u32(igt_panthor_gpu_read32(fd, vm, VA_B),
				  igt_panthor_pattern(61, SZ_16K));

		/* The handle can go: the mappings keep the attachment. */
		gem_close(fd, im.handle);
		check_gpu_pattern(vm2, VA_A + SZ_16K, SZ_16K, 61, SZ_16K,
				  "after GEM close");
		igt_panthor_unmap(fd, vm, VA_A, SZ_64K);
		igt_panthor_unmap(fd, vm2, VA_A, SZ_64K);
		assert_smmu(&c0, 1, 0, "one mapping left");
		igt_assert_eq_u32(igt_panthor_gpu_read32(fd, vm, VA_B + 4),
				  igt_panthor_pattern(61, SZ_16K + 4));
		igt_panthor_unmap(fd, vm, VA_B, SZ_16K);
		assert_smmu(&c0, 1, 1, "last mapping unbound");

		/* Last, as a fault makes the VM unusable. */
		fs = igt_panthor_gpu_fault(fd, vm, VA_A, false, &fa);
		igt_assert_f((fs & 0xf8) == IGT_PANTHOR_FAULT_TRANSLATION &&
			     ((fs >> 8) & 3) == IGT_PANTHOR_ACCESS_READ,
			     "read of the unbound vgem VA: FAULTSTATUS %#x, "
			     "expected a read translation fault\n", fs);
		igt_assert_eq_u64(fa, VA_A);

		munmap(cpu, im.vbo.size);
		igt_panthor_vm_destroy(fd, vm, 0);
		igt_panthor_vm_destroy(fd, vm2, 0);
		gem_close(fd, primer);
		igt_panthor_import_close(&im);
	}

	igt_fixture() {
		drm_close_driver(fd);
	}
}
