// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * What Mesa's panthor kmod backend (src/panfrost/lib/kmod/panthor_kmod.c,
 * used by Gallium panfrost and panvk) asks of the kernel, replayed call by
 * call with every answer checked: device creation (the queries by uAPI
 * minor, SET_USER_MMIO_OFFSET, the flush ID page Mesa cannot start
 * without, the user VA range), Gallium's and panvk's VM_CREATE, BO
 * allocation with labels, IMMEDIATE binds, ASYNC binds on the VM timeline
 * and the deferred unmap, panvk's sparse binding (MAP_SPARSE, the 2 MiB
 * blackhole BO), shared BOs (PRIME between panthor files, vgem imports,
 * BO_QUERY_INFO) and teardown in Mesa's order. Data is checked through
 * the software GPU where it exists.
 */

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/dma-buf.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_panthor_bo_ext.h"
#include "igt_panthor_sim.h"
#include "panthor_drm.h"

IGT_TEST_DESCRIPTION("Mesa's panthor kmod calls, replayed and checked");

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Gallium's PAN_VA_USER_START/END and panvk's PANVK_VA_RESERVE_BOTTOM. */
#define GALLIUM_VA_START	UINT64_C(0x2000000)
#define GALLIUM_VA_END		(UINT64_C(1) << 48)
#define PANVK_VA_START		UINT64_C(0x2000000)
#define PANVK_VA_END		(UINT64_C(1) << 32)
/* The kernel keeps at least this much VA. */
#define KERNEL_VA_MIN		(256 * SZ_1M)
/* panvk's VM_BIND batches. */
#define OPS_PER_IOCTL		16

#define MAP_OP		DRM_PANTHOR_VM_BIND_OP_TYPE_MAP
#define NOEXEC		DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC
#define READONLY	DRM_PANTHOR_VM_BIND_OP_MAP_READONLY
#define ASYNC		DRM_PANTHOR_VM_BIND_ASYNC
#define PERM_L3		(IGT_PANTHOR_FAULT_PERMISSION | 3)
#define SZ_128K		(2 * SZ_64K)
#define SZ_256K		(4 * SZ_64K)

static int fd = -1;
static bool sim, smmu;

/* ---- device ------------------------------------------------------------- */

struct kmod_dev {
	int fd;
	int minor;
	struct drm_panthor_gpu_info gpu;
	struct drm_panthor_csif_info csif;
	uint64_t pgsize_bitmap;
	uint32_t prio_mask;
	void *flush_id;
	unsigned int va_bits;
	uint64_t user_va_end;	/* userspace owns [0, user_va_end) */
};

/* What the fixture's file (Gallium's device) was told. */
static struct kmod_dev dev;

/* panthor_kmod_dev_create(): every step must succeed, in this order. */
static void kmod_dev_create(struct kmod_dev *d, int dfd)
{
	struct drm_panthor_timestamp_info ts = { 0 };
	drmVersionPtr v = drmGetVersion(dfd);

	memset(d, 0, sizeof(*d));
	d->fd = dfd;
	igt_assert_f(v, "DRM_IOCTL_VERSION failed\n");
	igt_assert_f(!strcmp(v->name, "panthor") && v->version_major == 1,
		     "driver \"%s\" %d.%d: Mesa wants panthor 1.x\n", v->name,
		     v->version_major, v->version_minor);
	d->minor = v->version_minor;
	drmFreeVersion(v);

	igt_panthor_query(dfd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, &d->gpu,
			  sizeof(d->gpu), 0);
	igt_assert_neq_u32(d->gpu.gpu_id, 0);
	igt_panthor_query(dfd, DRM_PANTHOR_DEV_QUERY_CSIF_INFO, &d->csif,
			  sizeof(d->csif), 0);
	igt_assert(d->csif.csg_slot_count && d->csif.cs_slot_count);

	d->pgsize_bitmap = SZ_4K | SZ_2M;
	if (d->minor >= 9) {
		struct drm_panthor_mmu_info mmu = { 0 };

		igt_panthor_query(dfd, DRM_PANTHOR_DEV_QUERY_MMU_INFO, &mmu,
				  sizeof(mmu), 0);
		d->pgsize_bitmap = mmu.page_size_bitmap;
	}
	igt_assert_f(d->pgsize_bitmap & SZ_4K, "page sizes %#" PRIx64
		     " without 4 KiB\n", d->pgsize_bitmap);

	if (d->minor >= 1) {
		igt_panthor_query(dfd, DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO,
				  &ts, sizeof(ts), 0);
		igt_assert_neq_u64(ts.timestamp_frequency, 0);
	}
	if (d->minor >= 5) {
		struct drm_panthor_set_user_mmio_offset o = {
			.offset = DRM_PANTHOR_USER_MMIO_OFFSET,
		};

		do_ioctl(dfd, DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET, &o);
	}
	d->flush_id = mmap(NULL, getpagesize(), PROT_READ, MAP_SHARED, dfd,
			   DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET);
	igt_assert_f(d->flush_id != MAP_FAILED, "mmap of the flush ID page: "
		     "%s (Mesa fails device creation)\n", strerror(errno));

	d->prio_mask = 1u << PANTHOR_GROUP_PRIORITY_LOW |
		       1u << PANTHOR_GROUP_PRIORITY_MEDIUM;
	if (d->minor >= 2) {
		struct drm_panthor_group_priorities_info p = { 0 };

		igt_panthor_query(dfd,
				  DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO,
				  &p, sizeof(p), 0);
		igt_assert_f((p.allowed_mask & 3) == 3, "allowed priorities "
			     "%#x lack LOW or MEDIUM\n", p.allowed_mask);
		d->prio_mask = p.allowed_mask;
	}

	d->va_bits = DRM_PANTHOR_MMU_VA_BITS(d->gpu.mmu_features);
	igt_assert_f(d->va_bits >= 32 && d->va_bits <= 64,
		     "%u VA bits: Mesa asserts at least 32\n", d->va_bits);
	/* panthor_kmod_dev_query_user_va_range(). */
	d->user_va_end = d->va_bits == 32 ? UINT64_C(3) << 30 :
			 UINT64_C(1) << (d->va_bits - 1);
	errno = 0;
}

/* A new file as panvk opens it: the render node, else the primary node. */
static int kmod_open(void)
{
	int dfd = __drm_open_driver_render(DRIVER_PANTHOR);

	return dfd >= 0 ? dfd : drm_open_driver(DRIVER_PANTHOR);
}

/* ---- VMs and VA ------------------------------------------------------- */

/*
 * panthor_kmod_vm_create() after pan_clamp_to_usable_va_range(): the user
 * range is [start, end) clamped to [0, @ue); VM_CREATE gets its end.
 * *@kva: what the kernel returned (where its own range starts).
 */
static uint32_t kmod_vm_create(const struct kmod_dev *d, uint64_t end,
			       uint64_t *kva)
{
	uint64_t full = d->va_bits >= 64 ? 0 : UINT64_C(1) << d->va_bits;
	uint64_t want = end < d->user_va_end ? end : d->user_va_end, r = want;
	uint32_t id = 0;
	int err = __igt_panthor_vm_create(d->fd, 0, &r, &id);

	igt_assert_f(err == 0, "VM_CREATE with user_va_range %#" PRIx64
		     ": %s\n", want, strerror(-err));
	igt_assert_neq_u32(id, 0);
	/* The kernel range: a power of two of at least 256 MiB at the top. */
	igt_assert_f(r >= want && (!full || (r <= full - KERNEL_VA_MIN &&
					    !((full - r) & (full - r - 1)))),
		     "VM_CREATE(%#" PRIx64 ") returned %#" PRIx64 "\n", want,
		     r);
	if (kva)
		*kva = r;
	return id;
}

static uint32_t gallium_vm(void)
{
	return kmod_vm_create(&dev, GALLIUM_VA_END, NULL);
}

/* pan_choose_gpu_va_alignment(): the largest page size <= @size. */
static uint64_t va_align(uint64_t size)
{
	uint64_t a = SZ_4K;

	for (int b = 12; b < 63; b++)
		if ((dev.pgsize_bitmap & (UINT64_C(1) << b)) &&
		    (UINT64_C(1) << b) <= size)
			a = UINT64_C(1) << b;
	return a;
}

/* The userspace VA heap (AUTO_VA in Gallium, panvk_as_alloc()). */
struct va_heap {
	uint64_t next, end;
};

static uint64_t va_alloc(struct va_heap *h, uint64_t size)
{
	uint64_t a = va_align(size), va = (h->next + a - 1) & ~(a - 1);

	igt_assert_f(va + size <= h->end, "VA heap exhausted\n");
	h->next = va + size;
	return va;
}

/* ---- BOs --------------------------------------------------------------- */

/* panthor_kmod_bo_alloc(): BO_CREATE; the size comes back page-rounded. */
static uint32_t kmod_bo_alloc(int dfd, uint64_t size, uint32_t flags,
			      uint32_t excl_vm, uint64_t *out)
{
	struct drm_panthor_bo_create c = {
		.size = size,
		.flags = flags,
		.exclusive_vm_id = excl_vm,
	};
	uint64_t pg = getpagesize();

	do_ioctl(dfd, DRM_IOCTL_PANTHOR_BO_CREATE, &c);
	igt_assert_neq_u32(c.handle, 0);
	igt_assert_f(c.size == ((size + pg - 1) & ~(pg - 1)),
		     "BO_CREATE of %#" PRIx64 " bytes returned %#" PRIx64 "\n",
		     size, (uint64_t)c.size);
	if (out)
		*out = c.size;
	return c.handle;
}

/* panthor_kmod_bo_label() (1.4), read back from debugfs if it is there. */
static void kmod_bo_label(uint32_t h, uint64_t size, uint32_t flags, int n)
{
	struct igt_panthor_gem_line g;
	char label[64];

	if (dev.minor < 4)
		return;
	snprintf(label, sizeof(label), "kmod-%d-bo%d", getpid(), n);
	igt_assert_eq(__igt_panthor_bo_set_label(fd, h, label), 0);
	if (!igt_panthor_debugfs_dir(fd, "gems"))
		return;
	igt_assert_eq(igt_panthor_gems_find(fd, label, 0, &g), 1);
	igt_assert_eq_u64(g.size, size);
	igt_assert_eq_u32(g.flags, flags);
}

/* A pattern BO exclusive to @vm (Gallium's private BOs); *@size rounded. */
static uint32_t pattern_bo(int dfd, uint32_t vm, uint64_t *size,
			   uint32_t seed)
{
	uint32_t h = kmod_bo_alloc(dfd, *size, 0, vm, size);
	uint64_t off = igt_panthor_bo_mmap_offset(dfd, h, 0);
	void *p = igt_panthor_mmap_bo(dfd, h, *size, PROT_READ | PROT_WRITE,
				      off);

	igt_assert_f(p, "mmap of BO %u failed\n", h);
	igt_panthor_pattern_fill(p, *size, seed, 0);
	munmap(p, *size);
	return h;
}

/* The GPU reads BO offset @off of pattern @seed at @va (first 64 KiB). */
static void gpu_check(int dfd, uint32_t vm, uint64_t va, uint64_t size,
		      uint32_t seed, uint64_t off)
{
	static uint32_t buf[SZ_64K / 4];
	uint64_t n = size < SZ_64K ? size : SZ_64K, bad = 0;

	if (!sim)
		return;
	igt_panthor_gpu_read(dfd, vm, va, buf, n);
	igt_assert_f(igt_panthor_pattern_check(buf, n, seed, off, &bad),
		     "GPU read at %#" PRIx64 ": %#x, expected BO seed %u "
		     "offset %#" PRIx64 "\n", va + bad, buf[bad / 4], seed,
		     off + bad);
}

/* The GPU reads @want at @va. */
static void gpu_expect32(int dfd, uint32_t vm, uint64_t va, uint32_t want)
{
	if (sim)
		igt_assert_eq_u32(igt_panthor_gpu_read32(dfd, vm, va), want);
}

/* The last check of a subtest: @va faults (the VM is unusable then). */
static void gpu_unmapped(int dfd, uint32_t vm, uint64_t va)
{
	uint32_t fs;

	if (!sim)
		return;
	fs = igt_panthor_gpu_fault(dfd, vm, va, false, NULL);
	igt_assert_f((fs & 0xf8) == IGT_PANTHOR_FAULT_TRANSLATION,
		     "read of unmapped %#" PRIx64 ": FAULTSTATUS %#x\n", va,
		     fs);
}

/* ---- async binds on the VM timeline (TRACK_ACTIVITY) -------------------- */

struct vm_timeline {
	uint32_t syncobj;
	uint64_t point;
	struct drm_panthor_sync_op syncs[OPS_PER_IOCTL][2];
};

/*
 * panthor_kmod_vm_bind() in ASYNC or DEFER_TO_NEXT_IDLE_POINT mode: each
 * op signals ++point; a deferred op first waits on the current point.
 * Mesa then checks that the new point has a fence, with a zero timeout.
 */
static void kmod_bind_async(int dfd, uint32_t vm, struct vm_timeline *t,
			    struct drm_panthor_vm_bind_op *ops, uint32_t n,
			    bool defer)
{
	uint32_t count = n;
	int err;

	igt_assert(n <= OPS_PER_IOCTL);
	for (uint32_t i = 0; i < n; i++) {
		struct drm_panthor_sync_op *s = t->syncs[i];
		int k = 0;

		/* Point 0 has no fence to wait on: nothing ran yet. */
		if (defer && t->point)
			s[k++] = igt_panthor_sync_op(false, t->syncobj,
						     t->point);
		s[k++] = igt_panthor_sync_op(true, t->syncobj, ++t->point);
		igt_panthor_op_syncs(&ops[i], s, k);
	}
	err = __igt_panthor_vm_bind_ops(dfd, vm, ASYNC, ops, &count,
					sizeof(ops[0]));
	igt_assert_f(err == 0, "async VM_BIND of %u ops: %s\n", n,
		     strerror(-err));
	for (uint64_t p = t->point - n + 1; p <= t->point; p++)
		igt_panthor_assert_available(dfd, t->syncobj, p,
					     "VM timeline point");
}

/*
 * panvk_map_to_blackhole(): [va, va + size) as MAPs of the 2 MiB blackhole
 * BO, cut at every 2 MiB boundary, bo_offset = va & (2 MiB - 1). Return
 * the number of ops written to @ops.
 */
static uint32_t blackhole_ops(uint32_t bh, uint64_t va, uint64_t size,
			      struct drm_panthor_vm_bind_op *ops, uint32_t max)
{
	uint32_t n = 0;

	while (size) {
		uint64_t off = va & (SZ_2M - 1);
		uint64_t len = SZ_2M - off < size ? SZ_2M - off : size;

		igt_assert(n < max);
		ops[n++] = igt_panthor_op_map(bh, off, va, len, NOEXEC);
		va += len;
		size -= len;
	}
	return n;
}

int igt_main()
{
	igt_fixture() {
		igt_panthor_skip_on_big_endian();
		fd = drm_open_driver(DRIVER_PANTHOR);
		kmod_dev_create(&dev, fd);
		sim = igt_panthor_has_sim(fd);
		smmu = sim && igt_panthor_sim_has_smmu();
	}

	igt_describe("panthor_kmod_dev_create(): the queries, SET_USER_MMIO_"
		     "OFFSET and the flush ID mmap succeed; VA bits >= 32 and "
		     "the user VA range is the lower half");
	igt_subtest("device-open") {
		struct kmod_dev d;
		int dfd = kmod_open();

		kmod_dev_create(&d, dfd);
		igt_info("panthor 1.%d, GPU %#x, %u VA bits, page sizes %#"
			 PRIx64 ", priorities %#x, flush ID %#x\n", d.minor,
			 d.gpu.gpu_id, d.va_bits, d.pgsize_bitmap, d.prio_mask,
			 *(volatile uint32_t *)d.flush_id);
		igt_assert_eq_u64(d.user_va_end, dev.user_va_end);
		/* Both clients' windows are inside the user range. */
		igt_assert_lt_u64(GALLIUM_VA_START, d.user_va_end);
		igt_assert_lt_u64(PANVK_VA_START, d.user_va_end);
		/* Every open file gets the same answers. */
		igt_assert_eq(d.minor, dev.minor);
		igt_assert_eq_u64(d.pgsize_bitmap, dev.pgsize_bitmap);
		munmap(d.flush_id, getpagesize());
		drm_close_driver(dfd);
	}

	igt_describe("VM_CREATE as Gallium ([32 MiB, 2^(va_bits-1)), "
		     "user_va_range = its end) and panvk (4 GiB) ask for it: "
		     "the returned kernel VA start, binds at both ends of the "
		     "user range, EINVAL in the kernel range");
	igt_subtest("vm-create") {
		uint64_t kva_g = 0, kva_p = 0, size = SZ_64K;
		uint32_t vm_g, vm_p, bo;

		vm_g = kmod_vm_create(&dev, GALLIUM_VA_END, &kva_g);
		vm_p = kmod_vm_create(&dev, PANVK_VA_END, &kva_p);
		igt_info("Gallium: asked %#" PRIx64 ", got %#" PRIx64 "; panvk:"
			 " asked %#" PRIx64 ", got %#" PRIx64 "\n",
			 dev.user_va_end, kva_g, PANVK_VA_END, kva_p);
		if (dev.va_bits == 48) {
			/* The kernel range is the top half either way. */
			igt_assert_eq_u64(kva_g, UINT64_C(1) << 47);
			igt_assert_eq_u64(kva_p, UINT64_C(1) << 47);
		}
		bo = kmod_bo_alloc(fd, size, 0, 0, NULL);
		igt_panthor_map(fd, vm_g, bo, 0, GALLIUM_VA_START, size,
				NOEXEC);
		igt_panthor_map(fd, vm_g, bo, 0, dev.user_va_end - size, size,
				NOEXEC);
		igt_panthor_vm_bind_offset(fd, vm_g, bo, kva_g, size, 0,
					   MAP_OP | NOEXEC, EINVAL);
		igt_panthor_map(fd, vm_p, bo, 0, PANVK_VA_START, size, NOEXEC);
		igt_panthor_map(fd, vm_p, bo, 0, PANVK_VA_END - size, size,
				NOEXEC);
		igt_assert_eq_u32(igt_panthor_vm_get_state(fd, vm_g),
				  DRM_PANTHOR_VM_STATE_USABLE);
		igt_panthor_vm_destroy(fd, vm_g, 0);
		igt_panthor_vm_destroy(fd, vm_p, 0);
		gem_close(fd, bo);
	}

	igt_describe("panthor_kmod_bo_alloc(): exclusive and shareable BOs, "
		     "WB_MMAP (1.7), NO_MMAP, the page-rounded size, labels "
		     "(1.4), MMAP_OFFSET and a shared mapping");
	igt_subtest("bo-alloc") {
		static const struct {
			uint64_t size;
			uint32_t flags;
			bool shared;
		} bos[] = {
			{ 100, 0, false },
			{ 3 * SZ_4K + 1, 0, true },
			{ SZ_2M, 0, false },
			{ SZ_2M + SZ_4K + 1, 0, true },
			{ SZ_64K, DRM_PANTHOR_BO_WB_MMAP, false },
			{ SZ_2M, DRM_PANTHOR_BO_NO_MMAP, false },
		};
		uint32_t vm = gallium_vm(), h[ARRAY_LEN(bos)];

		for (size_t i = 0; i < ARRAY_LEN(bos); i++) {
			uint32_t flags = bos[i].flags, *p;
			uint64_t size = 0, off;

			/* WB_MMAP exists from 1.7 on. */
			if (dev.minor < 7)
				flags &= ~DRM_PANTHOR_BO_WB_MMAP;
			h[i] = kmod_bo_alloc(fd, bos[i].size, flags,
					     bos[i].shared ? 0 : vm, &size);
			kmod_bo_label(h[i], size, flags, i);
			if (flags & DRM_PANTHOR_BO_NO_MMAP)
				continue;
			off = igt_panthor_bo_mmap_offset(fd, h[i], 0);
			p = igt_panthor_mmap_bo(fd, h[i], size,
						PROT_READ | PROT_WRITE, off);
			igt_assert_f(p, "mmap of BO %zu failed\n", i);
			igt_assert_eq_u32(p[size / 4 - 1], 0);
			p[size / 4 - 1] = 0xc0ffee00 + i;
			igt_assert_eq_u32(p[size / 4 - 1], 0xc0ffee00 + i);
			munmap(p, size);
		}
		for (size_t i = 0; i < ARRAY_LEN(bos); i++)
			gem_close(fd, h[i]);
		igt_panthor_vm_destroy(fd, vm, 0);
	}

	igt_describe("IMMEDIATE binds: one synchronous VM_BIND per BO, "
		     "READONLY for shaders, NOEXEC for data, VA aligned to the "
		     "largest page size that fits; the GPU reads the BO");
	igt_subtest("immediate-bind") {
		static const struct {
			uint64_t size;
			uint32_t flags;
		} bos[] = {
			{ SZ_4K, NOEXEC },
			{ SZ_64K + SZ_4K, NOEXEC },
			{ SZ_16K, READONLY },
			{ SZ_2M, NOEXEC },
			{ SZ_8K, NOEXEC | DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED },
			{ SZ_4M + SZ_64K, NOEXEC },
		};
		struct va_heap heap = { GALLIUM_VA_START, dev.user_va_end };
		uint32_t vm = gallium_vm(), h[ARRAY_LEN(bos)];
		uint64_t va[ARRAY_LEN(bos)];

		for (size_t i = 0; i < ARRAY_LEN(bos); i++) {
			uint64_t size = bos[i].size;
			struct drm_panthor_vm_bind_op op;

			h[i] = pattern_bo(fd, vm, &size, 100 + i);
			va[i] = va_alloc(&heap, size);
			if (size >= SZ_2M)
				igt_assert_eq_u64(va[i] % SZ_2M, 0);
			op = igt_panthor_op_map(h[i], 0, va[i], size,
						bos[i].flags);
			igt_panthor_vm_bind_ops(fd, vm, 0, &op, 1);
			gpu_check(fd, vm, va[i], size, 100 + i, 0);
			gpu_check(fd, vm, va[i] + size - SZ_4K, SZ_4K, 100 + i,
				  size - SZ_4K);
			if (smmu && size >= SZ_2M)
				igt_panthor_assert_leaf(fd, vm, va[i],
							IGT_PANTHOR_LEAF_BLOCK,
							"2 MiB aligned BO");
		}
		/* A shader BO is read-only for the GPU. */
		if (sim)
			igt_panthor_assert_fault(fd, vm, va[2], true, PERM_L3);
		igt_panthor_vm_destroy(fd, vm, 0);
		for (size_t i = 0; i < ARRAY_LEN(bos); i++)
			gem_close(fd, h[i]);
	}

	igt_describe("ASYNC binds signal ++vm_point per op with the fence "
		     "attached on return; the deferred UNMAP waits on the "
		     "current point; the freed VA is reused once it signals");
	igt_subtest("async-bind") {
		struct va_heap heap = { GALLIUM_VA_START, dev.user_va_end };
		struct drm_panthor_vm_bind_op ops[3];
		struct vm_timeline t = { 0 };
		uint64_t size[4] = { SZ_64K, SZ_2M, SZ_16K, SZ_64K }, va[3];
		uint32_t vm = gallium_vm(), h[4];

		igt_assert_eq(drmSyncobjCreate(fd, 0, &t.syncobj), 0);
		for (int i = 0; i < 4; i++)
			h[i] = pattern_bo(fd, vm, &size[i], 200 + i);
		for (int i = 0; i < 3; i++) {
			va[i] = va_alloc(&heap, size[i]);
			ops[i] = igt_panthor_op_map(h[i], 0, va[i], size[i],
						    NOEXEC);
		}
		kmod_bind_async(fd, vm, &t, ops, 3, false);
		igt_assert_eq_u64(t.point, 3);
		igt_panthor_assert_signalled(fd, t.syncobj, t.point,
					     "three async MAPs");
		for (int i = 0; i < 3; i++)
			gpu_check(fd, vm, va[i], size[i], 200 + i, 0);

		/* Gallium frees BO 0: DEFER_TO_NEXT_IDLE_POINT. */
		ops[0] = igt_panthor_op_unmap(va[0], size[0]);
		kmod_bind_async(fd, vm, &t, ops, 1, true);
		igt_panthor_assert_signalled(fd, t.syncobj, t.point,
					     "deferred UNMAP");
		gem_close(fd, h[0]);
		/* panthor_kmod_vm_collect_freed_vas(): the VA is free again. */
		igt_panthor_map(fd, vm, h[3], 0, va[0], size[3], NOEXEC);
		gpu_check(fd, vm, va[0], size[3], 203, 0);

		/* Two deferred UNMAPs in one ioctl, both on the timeline. */
		ops[0] = igt_panthor_op_unmap(va[1], size[1]);
		ops[1] = igt_panthor_op_unmap(va[2], size[2]);
		kmod_bind_async(fd, vm, &t, ops, 2, true);
		igt_panthor_assert_signalled(fd, t.syncobj, t.point,
					     "two deferred UNMAPs");
		igt_assert_eq_u64(t.point, 6);
		gpu_check(fd, vm, va[0], size[3], 203, 0);
		gpu_unmapped(fd, vm, va[1]);

		drmSyncobjDestroy(fd, t.syncobj);
		igt_panthor_vm_destroy(fd, vm, 0);
		for (int i = 1; i < 4; i++)
			gem_close(fd, h[i]);
	}

	igt_describe("panvk sparse: MAP_SPARSE (1.9); the 2 MiB NO_MMAP "
		     "blackhole mapped in <= 2 MiB chunks, 16 ops per ioctl, "
		     "bound over without UNMAP, rebound; one UNMAP of a whole "
		     "resource, holes included");
	igt_subtest("sparse-bind") {
		static struct drm_panthor_vm_bind_op ops[64];
		struct va_heap heap = { PANVK_VA_START, PANVK_VA_END };
		struct vm_timeline t = { 0 };
		uint64_t bh_size = 0, sz = SZ_256K, r, rsize = 40 * SZ_1M;
		uint64_t hole_r, mark_va;
		uint32_t vm, bh, bo, n;

		vm = kmod_vm_create(&dev, PANVK_VA_END, NULL);
		igt_assert_eq(drmSyncobjCreate(fd, 0, &t.syncobj), 0);
		bo = pattern_bo(fd, vm, &sz, 300);

		if (dev.minor >= 9) {
			/* A NULL bind then a memory bind, one async ioctl. */
			r = va_alloc(&heap, SZ_4M);
			ops[0] = igt_panthor_op_map(0, 0, r, SZ_4M, NOEXEC |
					DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE);
			ops[1] = igt_panthor_op_map(bo, 0, r + SZ_64K, SZ_64K,
						    NOEXEC);
			kmod_bind_async(fd, vm, &t, ops, 2, false);
			igt_panthor_assert_signalled(fd, t.syncobj, t.point,
						     "sparse binds");
			gpu_check(fd, vm, r + SZ_64K, SZ_64K, 300, 0);
			if (sim)
				(void)igt_panthor_gpu_read32(fd, vm, r + SZ_1M);
			igt_panthor_unmap(fd, vm, r, SZ_4M);
		} else {
			igt_debug("uAPI 1.%d: no MAP_SPARSE\n", dev.minor);
		}

		/* panvk_get_blackhole(): exclusive, NO_MMAP, 2 MiB. */
		bh = kmod_bo_alloc(fd, va_align(SZ_2M), DRM_PANTHOR_BO_NO_MMAP,
				   vm, &bh_size);
		igt_assert_eq_u64(bh_size, SZ_2M);
		/* A residency buffer: VA not 2 MiB aligned, all blackhole. */
		r = va_alloc(&heap, rsize + SZ_2M) + 0x13000;
		n = blackhole_ops(bh, r, rsize, ops, ARRAY_LEN(ops));
		igt_assert_lt(OPS_PER_IOCTL, n);
		/* panvk_vm_binder: <= 16 ops per synchronous ioctl. */
		for (uint32_t i = 0; i < n; i += OPS_PER_IOCTL)
			igt_panthor_vm_bind_ops(fd, vm, 0, ops + i, n - i <
						OPS_PER_IOCTL ? n - i :
						OPS_PER_IOCTL);
		/* Every 2 MiB of the range shows the same blackhole byte. */
		mark_va = r + 5 * SZ_1M + 0x40;
		if (sim)
			igt_panthor_gpu_write32(fd, vm, mark_va, 0x5a5a0001);
		gpu_expect32(fd, vm, mark_va + 2 * SZ_2M, 0x5a5a0001);
		gpu_expect32(fd, vm, mark_va + 4, 0);

		/* vkQueueBindSparse: memory over the blackhole, no UNMAP. */
		ops[0] = igt_panthor_op_map(bo, SZ_64K, r + 3 * SZ_1M, SZ_128K,
					    NOEXEC);
		ops[1] = igt_panthor_op_map(bo, 0, r + 7 * SZ_1M + SZ_4K,
					    SZ_64K, NOEXEC);
		kmod_bind_async(fd, vm, &t, ops, 2, false);
		igt_panthor_assert_signalled(fd, t.syncobj, t.point, "rebind");
		gpu_check(fd, vm, r + 3 * SZ_1M, SZ_128K, 300, SZ_64K);
		gpu_check(fd, vm, r + 7 * SZ_1M + SZ_4K, SZ_64K, 300, 0);

		/* A NULL bind: the blackhole again, in chunks. */
		n = blackhole_ops(bh, r + 3 * SZ_1M, SZ_128K, ops,
				  ARRAY_LEN(ops));
		kmod_bind_async(fd, vm, &t, ops, n, false);
		igt_panthor_assert_signalled(fd, t.syncobj, t.point, "unbind");
		gpu_expect32(fd, vm, r + 3 * SZ_1M, 0);
		gpu_check(fd, vm, r + 7 * SZ_1M + SZ_4K, SZ_64K, 300, 0);
		/* vkDestroyBuffer: one UNMAP of the whole range. */
		igt_panthor_unmap(fd, vm, r, rsize);

		/* A sparse-binding buffer: two binds in 8 MiB of holes. */
		hole_r = va_alloc(&heap, SZ_8M);
		ops[0] = igt_panthor_op_map(bo, 0, hole_r + SZ_1M, SZ_64K,
					    NOEXEC);
		ops[1] = igt_panthor_op_map(bo, SZ_128K, hole_r + 5 * SZ_1M,
					    SZ_128K, NOEXEC);
		kmod_bind_async(fd, vm, &t, ops, 2, false);
		igt_panthor_assert_signalled(fd, t.syncobj, t.point, "binds");
		gpu_check(fd, vm, hole_r + 5 * SZ_1M, SZ_128K, 300, SZ_128K);
		igt_panthor_unmap(fd, vm, hole_r, SZ_8M);
		igt_assert_eq_u32(igt_panthor_vm_get_state(fd, vm),
				  DRM_PANTHOR_VM_STATE_USABLE);
		gpu_unmapped(fd, vm, hole_r + SZ_1M);

		drmSyncobjDestroy(fd, t.syncobj);
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, bh);
		gem_close(fd, bo);
	}

	igt_describe("A shareable BO exported and imported in another panthor "
		     "file is the same object (BO_QUERY_INFO: not imported); a "
		     "vgem buffer imports as IS_IMPORTED, maps IMMEDIATE and "
		     "shows its data");
	igt_subtest("shared-bo") {
		struct dma_buf_export_sync_file es = {
			.flags = DMA_BUF_SYNC_READ,
		};
		struct drm_panthor_bo_query_info q;
		struct igt_panthor_import im;
		struct kmod_dev d2;
		uint32_t vm, vm2, bo, h2 = 0, again = 0, bo_sync = 0;
		uint64_t size = SZ_64K;
		int fd2 = drm_open_driver(DRIVER_PANTHOR), dmabuf = -1;
		void *cpu;

		vm = gallium_vm();
		kmod_dev_create(&d2, fd2);
		vm2 = kmod_vm_create(&d2, GALLIUM_VA_END, NULL);
		bo = pattern_bo(fd, 0, &size, 400);
		igt_panthor_map(fd, vm, bo, 0, GALLIUM_VA_START, size, NOEXEC);
		igt_assert_eq(drmPrimeHandleToFD(fd, bo, DRM_CLOEXEC | DRM_RDWR,
						 &dmabuf), 0);
		/* Shared BO waits go through the dma-buf's sync file. */
		igt_assert_f(!ioctl(dmabuf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE,
				    &es), "dma-buf sync file export: %s\n",
			     strerror(errno));
		igt_assert_eq(drmSyncobjCreate(fd, 0, &bo_sync), 0);
		igt_assert_eq(drmSyncobjImportSyncFile(fd, bo_sync, es.fd), 0);
		close(es.fd);

		/* panthor_kmod_bo_import(): the size is the dma-buf's. */
		igt_assert_eq(drmPrimeFDToHandle(fd2, dmabuf, &h2), 0);
		igt_assert_eq(drmPrimeFDToHandle(fd2, dmabuf, &again), 0);
		igt_assert_eq_u32(again, h2);
		igt_assert_eq_u64(lseek(dmabuf, 0, SEEK_END), size);
		close(dmabuf);
		if (dev.minor >= 7) {
			igt_assert_eq(__igt_panthor_bo_query_info(fd2, h2, &q),
				      0);
			igt_assert_eq_u32(q.extra_flags, 0);
			igt_assert_eq_u32(q.create_flags, 0);
		}
		igt_panthor_map(fd2, vm2, h2, 0, GALLIUM_VA_START, size,
				NOEXEC);
		gpu_check(fd2, vm2, GALLIUM_VA_START, size, 400, 0);
		if (sim)
			igt_panthor_gpu_write32(fd2, vm2, GALLIUM_VA_START + 8,
						0x0b0e0001);
		gpu_expect32(fd, vm, GALLIUM_VA_START + 8, 0x0b0e0001);
		igt_panthor_vm_destroy(fd2, vm2, 0);
		gem_close(fd2, h2);
		munmap(d2.flush_id, getpagesize());
		drm_close_driver(fd2);
		drmSyncobjDestroy(fd, bo_sync);
		gem_close(fd, bo);

		/* A buffer of another device. */
		igt_panthor_import_vgem(fd, &im, SZ_64K);
		cpu = vgem_mmap(im.vgem, &im.vbo, PROT_READ | PROT_WRITE);
		igt_panthor_pattern_fill(cpu, SZ_64K, 401, 0);
		munmap(cpu, im.vbo.size);
		igt_assert_eq_u64(lseek(im.dmabuf, 0, SEEK_END), im.vbo.size);
		if (dev.minor >= 7) {
			igt_assert_eq(__igt_panthor_bo_query_info(fd, im.handle,
								  &q), 0);
			igt_assert_eq_u32(q.extra_flags,
					  DRM_PANTHOR_BO_IS_IMPORTED);
		}
		igt_panthor_map(fd, vm, im.handle, 0, GALLIUM_VA_START + SZ_2M,
				SZ_64K, NOEXEC);
		gpu_check(fd, vm, GALLIUM_VA_START + SZ_2M, SZ_64K, 401, 0);

		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, im.handle);
		igt_panthor_import_close(&im);
	}

	igt_describe("Teardown in Mesa's order: deferred and immediate "
		     "UNMAPs, VM_GET_STATE still USABLE, VM_DESTROY with a "
		     "mapping left, GEM close, close, then munmap of the flush "
		     "ID page");
	igt_subtest("teardown") {
		struct va_heap heap = { GALLIUM_VA_START, 0 };
		struct drm_panthor_vm_bind_op op;
		struct vm_timeline t = { 0 };
		uint64_t size[3] = { SZ_64K, SZ_2M, SZ_16K }, va[3];
		struct kmod_dev d;
		uint32_t vm, h[3], st;
		int dfd = kmod_open();

		kmod_dev_create(&d, dfd);
		heap.end = d.user_va_end;
		vm = kmod_vm_create(&d, GALLIUM_VA_END, NULL);
		igt_assert_eq(drmSyncobjCreate(dfd, 0, &t.syncobj), 0);
		for (int i = 0; i < 3; i++) {
			h[i] = pattern_bo(dfd, vm, &size[i], 500 + i);
			va[i] = va_alloc(&heap, size[i]);
			igt_panthor_map(dfd, vm, h[i], 0, va[i], size[i],
					NOEXEC);
		}
		/* Gallium's BO free, then panvk's vkFreeMemory. */
		op = igt_panthor_op_unmap(va[0], size[0]);
		kmod_bind_async(dfd, vm, &t, &op, 1, true);
		igt_panthor_unmap(dfd, vm, va[1], size[1]);
		/* vk_device check_status. */
		igt_assert_eq_u32(igt_panthor_vm_get_state(dfd, vm),
				  DRM_PANTHOR_VM_STATE_USABLE);
		igt_panthor_assert_signalled(dfd, t.syncobj, t.point,
					     "VM idle");
		gpu_check(dfd, vm, va[2], size[2], 502, 0);

		igt_panthor_vm_destroy(dfd, vm, 0);
		igt_assert_eq(__igt_panthor_vm_get_state(dfd, vm, &st),
			      -EINVAL);
		for (int i = 0; i < 3; i++)
			gem_close(dfd, h[i]);
		drmSyncobjDestroy(dfd, t.syncobj);
		drm_close_driver(dfd);
		/* The page outlives the file; then it goes. */
		igt_info("flush ID after close: %#x\n",
			 *(volatile uint32_t *)d.flush_id);
		igt_assert_eq(munmap(d.flush_id, getpagesize()), 0);
	}

	igt_fixture() {
		drm_close_driver(fd);
	}
}
