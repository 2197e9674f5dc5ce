// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * The fuzzer's BO and device-level ioctls: BO_CREATE (BOs filled with a
 * pattern), GEM_CLOSE, BO_MMAP_OFFSET, BO_SET_LABEL, BO_QUERY_INFO,
 * BO_SYNC, SET_USER_MMIO_OFFSET, DEV_QUERY and the unimplemented GROUP_* and
 * TILER_HEAP_* ioctls, each with its documented result.
 */

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "igt.h"
#include "igt_panthor_fuzz_priv.h"

/* ---- BOs ------------------------------------------------------------ */

static void bo_fill(struct igt_panthor_fuzz *f, struct fz_file *fl,
		    struct fz_bo *bo)
{
	struct drm_panthor_bo_mmap_offset mo = { .handle = bo->handle };
	void *map;

	if (bo->flags & DRM_PANTHOR_BO_NO_MMAP)
		return;
	bo->seed = f->next_seed++;
	if (fz_ioctl(f, fl->fd, -1, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo)) {
		fz_fail(f, "BO_MMAP_OFFSET of BO %u failed", bo->handle);
		return;
	}
	map = mmap(NULL, bo->size, PROT_READ | PROT_WRITE, MAP_SHARED, fl->fd,
		   mo.offset);
	if (map == MAP_FAILED) {
		fz_fail(f, "mmap of BO %u failed: %s", bo->handle, strerror(errno));
		return;
	}
	igt_panthor_pattern_fill(map, bo->size, bo->seed, 0);
	munmap(map, bo->size);
}

void fz_bo_close(struct igt_panthor_fuzz *f, struct fz_file *fl,
		 uint32_t handle, int which)
{
	struct drm_gem_close c = { .handle = handle };

	fz_expect_err(f, "GEM_CLOSE", fz_ioctl(f, fl->fd, which,
		      DRM_IOCTL_GEM_CLOSE, &c), 0);
}

void fz_bo_create(struct igt_panthor_fuzz *f, struct fz_file *fl)
{
	struct drm_panthor_bo_create a = { 0 };
	struct fz_vm *vm = fz_pick_vm(f, fl);
	uint64_t r = fz_below(f, 100), excl_gen = 0;
	struct fz_bo *slot = NULL;
	bool huge = false;
	int want = 0, ret;

	for (int i = 0; i < FZ_MAX_BOS && !slot; i++)
		if (!fl->bo[i].handle)
			slot = &fl->bo[i];
	a.size = r < 55 ? 1 + fz_below(f, SZ_64K) : r < 85 ? 1 + fz_below(f, SZ_1M) :
		 r < 97 ? SZ_2M * (1 + fz_below(f, 2)) : 0;
	if (!a.size) {
		a.size = UINT64_C(1) << (30 + fz_below(f, 8));
		huge = true;
	}
	r = fz_below(f, 100);
	a.flags = r < 60 ? 0 : r < 75 ? DRM_PANTHOR_BO_NO_MMAP : DRM_PANTHOR_BO_WB_MMAP;
	if (vm && fz_pm(f, 150)) {
		a.exclusive_vm_id = vm->id;
		excl_gen = vm->gen;
	}
	switch (fz_pm(f, 120) ? fz_below(f, 6) : 6) {
	case 0: a.size = 0; want = EINVAL; break;
	case 1: a.pad = 1 + (uint32_t)fz_below(f, 100); want = EINVAL; break;
	case 2: a.flags |= 4u << fz_below(f, 30); want = EINVAL; break;
	case 3: a.flags = DRM_PANTHOR_BO_NO_MMAP | DRM_PANTHOR_BO_WB_MMAP;
		want = EINVAL; break;
	case 4: a.size = (UINT64_C(1) << 40) + fz_below(f, UINT64_C(1) << 40);
		want = EINVAL; break;
	case 5: a.exclusive_vm_id = fz_bad_vm_id(f); want = a.exclusive_vm_id ? EINVAL : 0;
		excl_gen = 0; break;
	}
	fz_trace(f, "BO_CREATE size %#" PRIx64 " flags %#x excl %u pad %u: expect %s",
		 (uint64_t)a.size, a.flags, a.exclusive_vm_id, a.pad, fz_ename(want));
	ret = fz_ioctl(f, fl->fd, FZ_BO_CREATE, DRM_IOCTL_PANTHOR_BO_CREATE, &a);
	if (!fz_expect_err(f, "BO_CREATE", ret, want) || ret)
		return;
	if (!a.handle || fz_find_bo(fl, a.handle) ||
	    a.size != ((a.size + SZ_4K - 1) & ~(SZ_4K - 1)) || !a.size) {
		fz_fail(f, "BO_CREATE gave handle %u size %#" PRIx64, a.handle,
			(uint64_t)a.size);
		return;
	}
	if (huge || !slot) {
		fz_bo_close(f, fl, a.handle, -1);
		return;
	}
	*slot = (struct fz_bo){ .handle = a.handle, .flags = a.flags,
				.size = a.size, .excl_gen = excl_gen };
	bo_fill(f, fl, slot);
}

void fz_gem_close(struct igt_panthor_fuzz *f, struct fz_file *fl)
{
	struct fz_bo *bo = fz_pick_bo(f, fl);

	if (!bo || fz_pm(f, 150)) {
		struct drm_gem_close b = { .handle = fz_bad_handle(f) };

		fz_trace(f, "GEM_CLOSE bad %u", b.handle);
		fz_expect_err(f, "GEM_CLOSE of an unknown handle", fz_ioctl(f, fl->fd,
			      FZ_GEM_CLOSE, DRM_IOCTL_GEM_CLOSE, &b), EINVAL);
		return;
	}
	/* Its mappings stay: the model keeps them. */
	fz_trace(f, "GEM_CLOSE %u", bo->handle);
	fz_bo_close(f, fl, bo->handle, FZ_GEM_CLOSE);
	memset(bo, 0, sizeof(*bo));
}

static uint32_t bo_handle_or_bad(struct igt_panthor_fuzz *f, struct fz_file *fl,
				 struct fz_bo **bop)
{
	*bop = fz_pm(f, 880) ? fz_pick_bo(f, fl) : NULL;
	return *bop ? (*bop)->handle : fz_bad_handle(f);
}

void fz_bo_mmap_offset(struct igt_panthor_fuzz *f, struct fz_file *fl)
{
	struct drm_panthor_bo_mmap_offset a = { 0 };
	struct fz_bo *bo;
	uint64_t off;
	uint32_t *map;
	int want, ret;

	a.handle = bo_handle_or_bad(f, fl, &bo);
	if (fz_pm(f, 60))
		a.pad = 1 + (uint32_t)fz_below(f, 1000);
	want = a.pad ? EINVAL : !bo ? ENOENT :
	       bo->flags & DRM_PANTHOR_BO_NO_MMAP ? EPERM : 0;
	fz_trace(f, "BO_MMAP_OFFSET %u pad %u: expect %s", a.handle, a.pad, fz_ename(want));
	ret = fz_ioctl(f, fl->fd, FZ_BO_MMAP_OFFSET, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &a);
	if (!fz_expect_err(f, "BO_MMAP_OFFSET", ret, want) || ret || fz_pm(f, 700))
		return;
	/* The CPU sees the pattern the BO was filled with. */
	off = fz_below(f, bo->size / 4) * 4;
	f->st.checks++;
	map = mmap(NULL, bo->size, PROT_READ, MAP_SHARED, fl->fd, a.offset);
	if (map == MAP_FAILED) {
		fz_fail(f, "mmap of BO %u at %#" PRIx64 ": %s", bo->handle,
			(uint64_t)a.offset, strerror(errno));
		return;
	}
	if (map[off / 4] != igt_panthor_pattern(bo->seed, off))
		fz_fail(f, "CPU read of BO %u at %#" PRIx64 ": %#x, expected %#x",
			bo->handle, off, map[off / 4], igt_panthor_pattern(bo->seed, off));
	munmap(map, bo->size);
}

void fz_bo_set_label(struct igt_panthor_fuzz *f, struct fz_file *fl)
{
	static __thread char label[4200];
	struct drm_panthor_bo_set_label a = { 0 };
	uint64_t r = fz_below(f, 100), len = 0;
	struct fz_bo *bo;
	int want, ret;

	a.handle = bo_handle_or_bad(f, fl, &bo);
	if (fz_pm(f, 50))
		a.pad = 1 + (uint32_t)fz_below(f, 1000);
	if (r < 15) {
		a.label = 0;
	} else if (r < 90) {
		len = r < 85 ? fz_below(f, 48) : fz_pm(f, 500) ? 4095 : 4096 + fz_below(f, 100);
		for (uint64_t i = 0; i < len; i++)
			label[i] = 'a' + fz_below(f, 26);
		label[len] = 0;
		a.label = (uintptr_t)label;
	} else {
		a.label = FZ_BAD_PTR;
	}
	want = a.pad ? EINVAL : !bo ? ENOENT : a.label == FZ_BAD_PTR ? EFAULT :
	       len >= 4096 ? E2BIG : 0;
	fz_trace(f, "BO_SET_LABEL %u pad %u len %" PRIu64 ": expect %s", a.handle,
		 a.pad, len, fz_ename(want));
	ret = fz_ioctl(f, fl->fd, FZ_BO_SET_LABEL, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &a);
	fz_expect_err(f, "BO_SET_LABEL", ret, want);
}

void fz_bo_query_info(struct igt_panthor_fuzz *f, struct fz_file *fl)
{
	struct drm_panthor_bo_query_info a = { 0 };
	struct fz_bo *bo;
	int ret;

	a.handle = bo_handle_or_bad(f, fl, &bo);
	a.extra_flags = (uint32_t)fz_rnd(f);
	a.create_flags = (uint32_t)fz_rnd(f);
	a.pad = (uint32_t)fz_rnd(f);
	ret = fz_ioctl(f, fl->fd, FZ_BO_QUERY_INFO, DRM_IOCTL_PANTHOR_BO_QUERY_INFO, &a);
	if (!fz_expect_err(f, "BO_QUERY_INFO", ret, bo ? 0 : ENOENT) || ret)
		return;
	if (a.create_flags != bo->flags || a.extra_flags || a.pad)
		fz_fail(f, "BO_QUERY_INFO of BO %u: create_flags %#x extra %#x pad "
			"%#x, expected %#x 0 0", bo->handle, a.create_flags,
			a.extra_flags, a.pad, bo->flags);
}

void fz_bo_sync(struct igt_panthor_fuzz *f, struct fz_file *fl)
{
	static __thread uint8_t buf[8 * 32];
	uint32_t n = fz_below(f, 5), stride = 24;
	struct drm_panthor_bo_sync a = { 0 };
	int want = 0, ret, tail_at = -1;
	bool badptr = false;

	if (fz_pm(f, 40))
		stride = fz_below(f, 24);
	else if (fz_pm(f, 100))
		stride = 32;
	if (stride == 32 && n && fz_pm(f, 500))
		tail_at = fz_below(f, n);
	memset(buf, 0, sizeof(buf));
	for (uint32_t i = 0; i < n; i++) {
		struct drm_panthor_bo_sync_op op = { 0 };
		struct fz_bo *bo;
		int e = 0;

		op.handle = bo_handle_or_bad(f, fl, &bo);
		op.type = fz_pm(f, 950) ? fz_below(f, 2) : 2 + fz_below(f, 1000);
		if (bo && fz_pm(f, 880)) {
			op.offset = fz_below(f, bo->size + 1);
			op.size = fz_below(f, bo->size - op.offset + 1);
		} else if (bo) {
			op.offset = fz_pm(f, 500) ? bo->size + 1 + fz_below(f, SZ_1M) :
				    ~0ull - fz_below(f, 8);
			op.size = 1 + fz_below(f, SZ_64K);
		}
		if (stride >= 24)
			memcpy(buf + i * stride, &op, sizeof(op));
		if ((int)i == tail_at) {
			buf[i * stride + 24 + fz_below(f, 8)] = 1;
			e = E2BIG;
		} else if (!bo) {
			e = ENOENT;
		} else if (op.offset + op.size < op.offset ||
			   op.offset + op.size > bo->size || op.type > 1) {
			e = EINVAL;
		}
		if (!want)
			want = e;
	}
	a.ops.stride = stride;
	a.ops.count = n;
	a.ops.array = (uintptr_t)buf;
	if (fz_pm(f, 20)) {
		a.ops.array = FZ_BAD_PTR;
		badptr = true;
	} else if (fz_pm(f, 20)) {
		a.ops.count = SZ_64K + 1 + fz_below(f, 1000);
	}
	if (!a.ops.count)
		want = 0;
	else if (stride < 24 || a.ops.count > SZ_64K)
		want = EINVAL;
	else if (badptr)
		want = EFAULT;
	fz_trace(f, "BO_SYNC count %u stride %u: expect %s", a.ops.count, stride,
		 fz_ename(want));
	ret = fz_ioctl(f, fl->fd, FZ_BO_SYNC, DRM_IOCTL_PANTHOR_BO_SYNC, &a);
	fz_expect_err(f, "BO_SYNC", ret, want);
}

/* ---- device-level ioctls -------------------------------------------- */

void fz_set_mmio(struct igt_panthor_fuzz *f, struct fz_file *fl)
{
	struct drm_panthor_set_user_mmio_offset a = { 0 };
	uint64_t r = fz_below(f, 100);
	uint32_t *page;
	int ret;

	a.offset = r < 40 ? DRM_PANTHOR_USER_MMIO_OFFSET_32BIT :
		   r < 80 ? DRM_PANTHOR_USER_MMIO_OFFSET_64BIT :
		   r < 90 ? UINT64_C(1) << fz_below(f, 64) : fz_rnd(f);
	if (a.offset != DRM_PANTHOR_USER_MMIO_OFFSET_32BIT &&
	    a.offset != DRM_PANTHOR_USER_MMIO_OFFSET_64BIT) {
		fz_expect_err(f, "SET_USER_MMIO_OFFSET", fz_ioctl(f, fl->fd,
			      FZ_SET_USER_MMIO_OFFSET,
			      DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET, &a), EINVAL);
		return;
	}
	/*
	 * The offset is per file: on a file other threads use, one of them
	 * may move it between our ioctl and our mmap, so keep the default.
	 */
	if (!fl->exclusive)
		a.offset = DRM_PANTHOR_USER_MMIO_OFFSET;
	ret = fz_ioctl(f, fl->fd, FZ_SET_USER_MMIO_OFFSET,
		       DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET, &a);
	if (!fz_expect_err(f, "SET_USER_MMIO_OFFSET", ret, 0) || fz_pm(f, 700))
		return;
	/* The flush ID page is at the new base: read-only, shared, one page. */
	f->st.checks += 2;
	page = mmap(NULL, SZ_4K, PROT_READ, MAP_SHARED, fl->fd, a.offset);
	if (page == MAP_FAILED) {
		fz_fail(f, "mmap of the flush ID page at %#" PRIx64 ": %s",
			(uint64_t)a.offset, strerror(errno));
		return;
	}
	if (!page[0])
		fz_fail(f, "LATEST_FLUSH_ID reads 0");
	munmap(page, SZ_4K);
	page = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE, MAP_SHARED, fl->fd, a.offset);
	if (page != MAP_FAILED || errno != EINVAL)
		fz_fail(f, "writable mmap of the flush ID page: %s",
			page == MAP_FAILED ? strerror(errno) : "succeeded");
	if (page != MAP_FAILED)
		munmap(page, SZ_4K);
}

void fz_dev_query(struct igt_panthor_fuzz *f, struct fz_file *fl)
{
	static const uint32_t types[] = { 0, 1, 2, 3, 4, 0x100 };
	static const uint32_t ksize[] = { sizeof(struct drm_panthor_gpu_info),
		sizeof(struct drm_panthor_csif_info),
		sizeof(struct drm_panthor_timestamp_info),
		sizeof(struct drm_panthor_group_priorities_info),
		sizeof(struct drm_panthor_mmu_info),
		sizeof(struct drm_panthor_pvm_vm_bind_info) };
	static const uint32_t kmin[] = {
		offsetof(struct drm_panthor_gpu_info, tiler_present) + 8, 24, 16, 4, 8, 16 };
	static __thread uint8_t buf[512];
	struct drm_panthor_dev_query q = { 0 };
	int t = fz_pm(f, 900) ? (int)fz_below(f, 6) : -1, want = 0, ret;
	uint64_t r = fz_below(f, 100);
	bool badptr = false, ts_tail = false;
	uint32_t ts_flags = 0;

	q.type = t >= 0 ? types[t] : fz_pm(f, 500) ? 5 + fz_below(f, 0xfb) :
		 0x101 + (uint32_t)fz_rnd(f) % 0xfffffeff;
	memset(buf, 0xa5, sizeof(buf));
	if (t < 0 || r < 15) {
		q.size = (uint32_t)fz_rnd(f);
		ret = fz_ioctl(f, fl->fd, FZ_DEV_QUERY, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
		if (fz_expect_err(f, "DEV_QUERY", ret, t < 0 ? EINVAL : 0) && !ret &&
		    q.size != ksize[t])
			fz_fail(f, "DEV_QUERY type %#x size-only: %u, expected %u",
				q.type, q.size, ksize[t]);
		return;
	}
	q.size = r < 60 ? ksize[t] : r < 70 ? fz_below(f, kmin[t]) :
		 r < 80 ? kmin[t] + fz_below(f, ksize[t] - kmin[t] + 1) :
		 ksize[t] + 8 * (1 + fz_below(f, 32));
	q.pointer = (uintptr_t)buf;
	if (fz_pm(f, 30)) {
		q.pointer = FZ_BAD_PTR;
		badptr = true;
	}
	if (q.type == DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO) {
		struct drm_panthor_timestamp_info *ts = (void *)buf;

		memset(buf, 0, sizeof(buf));
		ts_flags = fz_pm(f, 800) ? fz_below(f, 256) & ~0x8u : (uint32_t)fz_rnd(f);
		ts->flags = ts_flags;
		/*
		 * The kernel copies the first q.size bytes: a size that ends
		 * inside flags gives it the low bytes only (little endian).
		 */
		{
			uint32_t at = offsetof(struct drm_panthor_timestamp_info, flags);

			if (q.size <= at)
				ts_flags = 0;
			else if (q.size < at + 4)
				ts_flags &= (1u << (8 * (q.size - at))) - 1;
		}
		if (q.size > ksize[t] && fz_pm(f, 300)) {
			buf[ksize[t] + fz_below(f, q.size - ksize[t])] = 1;
			ts_tail = true;
		}
		if (badptr && q.size)
			want = EFAULT;
		else if (ts_tail)
			want = E2BIG;
		else if ((ts_flags & 0xe) > 4 || ts_flags & ~0xffu)
			want = EINVAL;
	}
	if (!want)
		want = q.size < kmin[t] ? EINVAL : badptr ? EFAULT : 0;
	fz_trace(f, "DEV_QUERY type %#x size %u%s: expect %s", q.type, q.size,
		 badptr ? " bad pointer" : "", fz_ename(want));
	ret = fz_ioctl(f, fl->fd, FZ_DEV_QUERY, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
	if (!fz_expect_err(f, "DEV_QUERY", ret, want) || ret || badptr)
		return;
	for (uint32_t i = ksize[t]; i < q.size; i++)
		if (buf[i]) {
			fz_fail(f, "DEV_QUERY type %#x: byte %u of the tail is %#x",
				q.type, i, buf[i]);
			return;
		}
	if (q.size < sizeof(buf) && q.type != DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO &&
	    buf[q.size] != 0xa5)
		fz_fail(f, "DEV_QUERY type %#x wrote past size %u", q.type, q.size);
	if (!t && memcmp(buf, &f->gpu, q.size < ksize[0] ? q.size : ksize[0]))
		fz_fail(f, "DEV_QUERY GPU_INFO changed");
}

void fz_unimplemented(struct igt_panthor_fuzz *f, struct fz_file *fl)
{
	static const struct {
		unsigned long req;
		int which;
	} u[] = {
		{ DRM_IOCTL_PANTHOR_GROUP_CREATE, FZ_GROUP_CREATE },
		{ DRM_IOCTL_PANTHOR_GROUP_DESTROY, FZ_GROUP_DESTROY },
		{ DRM_IOCTL_PANTHOR_GROUP_SUBMIT, FZ_GROUP_SUBMIT },
		{ DRM_IOCTL_PANTHOR_GROUP_GET_STATE, FZ_GROUP_GET_STATE },
		{ DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, FZ_TILER_HEAP_CREATE },
		{ DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, FZ_TILER_HEAP_DESTROY },
	};
	uint64_t arg[16];
	int i = fz_below(f, 6);

	for (int k = 0; k < 16; k++)
		arg[k] = fz_pm(f, 500) ? 0 : fz_rnd(f);
	fz_expect_err(f, "unimplemented ioctl", fz_ioctl(f, fl->fd, u[i].which,
		      u[i].req, arg), EINVAL);
}
