// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * The fuzzer's DRM files: setting up and tearing down the objects of a
 * file, and closing a file with async binds queued on a blocker
 * (igt_panthor_blocker.h), whose fences must still complete.
 */

#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor_blocker.h"
#include "igt_vgem.h"
#include "igt_panthor_fuzz_priv.h"

/* ---- files ---------------------------------------------------------- */

void fz_file_init(struct igt_panthor_fuzz *f, struct fz_file *fl, int fd,
		  bool exclusive)
{
	memset(fl, 0, sizeof(*fl));
	fl->fd = fd;
	fl->exclusive = exclusive;
	for (int i = 0; i < FZ_NSO; i++) {
		fl->so[i].timeline = i >= 3;
		fl->so[i].fence = i == 0;
		f->st.checks++;
		if (drmSyncobjCreate(fd, i == 0 ? DRM_SYNCOBJ_CREATE_SIGNALED : 0,
				     &fl->so[i].handle))
			fz_fail(f, "syncobj create failed");
	}
}

/* Forget a file's objects; with @close_fd the kernel drops them too. */
void fz_file_fini(struct igt_panthor_fuzz *f, struct fz_file *fl,
		  bool close_fd)
{
	for (int i = 0; i < FZ_MAX_VMS; i++) {
		if (!fl->vm[i].id)
			continue;
		if (!close_fd && !fl->vm[i].shared)
			fz_expect_err(f, "VM_DESTROY", fz_destroy_id(f, fl, -1,
				      fl->vm[i].id, 0), 0);
		fz_vm_model_fini(close_fd ? &(struct fz_file){ .fd = -1 } : fl, &fl->vm[i]);
	}
	for (int i = 0; !close_fd && i < FZ_MAX_BOS; i++)
		if (fl->bo[i].handle)
			fz_bo_close(f, fl, fl->bo[i].handle, -1);
	for (int i = 0; !close_fd && i < FZ_NSO; i++)
		drmSyncobjDestroy(fl->fd, fl->so[i].handle);
	if (close_fd)
		close(fl->fd);
	fl->fd = -1;
}

/*
 * Wait up to 10 s for a sync_file to signal (with or without an error).
 * poll() only: SYNC_IOC_FILE_INFO on the fence of a bind whose VM is gone
 * reads the freed scheduler (KASAN use-after-free in
 * drm_sched_fence_get_timeline_name()); @info asks for it anyway.
 */
static bool sync_file_wait(int sf, bool info)
{
	struct pollfd p = { .fd = sf, .events = POLLIN };

	if (poll(&p, 1, 10000) != 1)
		return false;
	if (info) {
		usleep(100 * 1000);	/* let the job and the VM be freed */
		igt_panthor_sync_file_status(sf, 0);
	}
	return true;
}

/*
 * Can igt_panthor_blocker_create() make a fence? Without one it skips the
 * subtest; the fuzzer then only closes the file, with no work queued.
 */
static bool blocker_source(void)
{
	int vgem;
	bool ok;

	if (!access("/sys/kernel/debug/sync/sw_sync", R_OK | W_OK))
		return true;
	vgem = __drm_open_driver(DRIVER_VGEM);
	ok = vgem >= 0 && vgem_has_fences(vgem);
	if (vgem >= 0)
		close(vgem);
	return ok;
}

/*
 * Queue async binds that wait on a blocker, close the file with them
 * queued, then signal the blocker (or destroy it: an error). The binds'
 * fences, exported before the close, must all signal. Returns the number
 * of binds queued.
 */
unsigned int fz_close_with_queued(struct igt_panthor_fuzz *f,
				  struct fz_file *fl)
{
	struct igt_panthor_blocker b;
	struct fz_vm *vm = fz_pick_vm(f, fl);
	struct fz_bo *bo = fz_pick_bo(f, fl);
	int sf[4] = { -1, -1, -1, -1 };
	unsigned int n = 1 + fz_below(f, 4), queued = 0;

	if (!vm || vm->unusable || !blocker_source())
		return 0;
	igt_panthor_blocker_create(fl->fd, &b);
	fz_vm_settle(f, fl, vm);
	f->st.checks += 2;	/* the blocker's syncobj: create, import */
	for (unsigned int i = 0; i < n && !f->failed; i++) {
		struct drm_panthor_sync_op s[2];
		struct drm_panthor_vm_bind_op op = { 0 };
		uint32_t so = 0, cnt = 1;
		int ret;

		f->st.checks++;
		drmSyncobjCreate(fl->fd, 0, &so);
		s[0] = igt_panthor_sync_op(false, b.syncobj, 0);
		s[1] = igt_panthor_sync_op(true, so, 0);
		if (bo && (!bo->excl_gen || bo->excl_gen == vm->gen) && fz_pm(f, 600))
			op = igt_panthor_op_map(bo->handle, 0, vm->base +
						fz_below(f, vm->npages - bo->size / SZ_4K + 1) *
						SZ_4K, bo->size, 0);
		else
			op = igt_panthor_op_unmap(vm->base, vm->npages * SZ_4K);
		igt_panthor_op_syncs(&op, s, 2);
		ret = __igt_panthor_vm_bind_ops(fl->fd, vm->id,
						DRM_PANTHOR_VM_BIND_ASYNC, &op,
						&cnt, sizeof(op));
		f->st.calls++;
		f->st.ioctl[FZ_VM_BIND]++;
		f->st.ioctl_ok[FZ_VM_BIND] += !ret;
		f->st.err[-ret < FZ_NR_ERRNO ? -ret : FZ_NR_ERRNO - 1]++;
		if (fz_expect_err(f, "async bind waiting on a blocker", -ret, 0)) {
			queued++;
			f->st.async_ops++;
			f->st.checks++;
			if (drmSyncobjExportSyncFile(fl->fd, so, &sf[i]))
				fz_fail(f, "cannot export the bind's fence");
		}
	}
	fz_trace(f, "close file %d with %u binds queued", fl->fd, queued);
	fz_file_fini(f, fl, true);
	b.fd = -1;	/* the syncobj went with the file */
	if (fz_pm(f, 500))
		igt_panthor_blocker_signal(&b);
	igt_panthor_blocker_destroy(&b);
	for (unsigned int i = 0; i < n; i++) {
		if (sf[i] < 0)
			continue;
		f->st.checks++;
		if (!sync_file_wait(sf[i], f->cfg.fence_info))
			fz_fail(f, "a bind queued in a closed file never completed");
		close(sf[i]);
	}
	return queued;
}

void fz_reopen(struct igt_panthor_fuzz *f, struct fz_file *fl)
{
	if (fl->exclusive && f->cfg.reopen)
		igt_panthor_fuzz_reopen(f, fl - f->file);
}
