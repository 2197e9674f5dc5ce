// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * Blockers: unsignalled fences made by sw_sync (debugfs) or, without it,
 * by vgem, imported into a binary syncobj of the device under test. A
 * test makes an asynchronous bind wait on one to hold the bind queue, and
 * signals it when it wants the queue to run.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <linux/sync_file.h>
#include <xf86drm.h>

#include "igt.h"
#include "igt_panthor_blocker.h"
#include "igt_vgem.h"

static bool blocker_sw_sync(struct igt_panthor_blocker *b, int *sync_fd)
{
	struct sw_sync_create_fence_data d = { .value = 1, .name = "pvm" };

	b->timeline = open("/sys/kernel/debug/sync/sw_sync", O_RDWR);
	if (b->timeline < 0)
		return false;
	if (ioctl(b->timeline, SW_SYNC_IOC_CREATE_FENCE, &d)) {
		close(b->timeline);
		b->timeline = -1;
		return false;
	}
	*sync_fd = d.fence;
	return true;
}

static bool blocker_vgem(struct igt_panthor_blocker *b, int *sync_fd)
{
	struct vgem_bo bo = { .width = 16, .height = 16, .bpp = 32 };
	struct dma_buf_export_sync_file exp = { .flags = DMA_BUF_SYNC_WRITE };
	int dmabuf = -1;

	b->vgem = __drm_open_driver(DRIVER_VGEM);
	if (b->vgem < 0)
		return false;
	if (!vgem_has_fences(b->vgem) || __vgem_create(b->vgem, &bo))
		goto fail;
	b->vgem_fence = vgem_fence_attach(b->vgem, &bo, VGEM_FENCE_WRITE);
	if (drmPrimeHandleToFD(b->vgem, bo.handle, DRM_CLOEXEC, &dmabuf))
		goto fail;
	if (ioctl(dmabuf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &exp)) {
		close(dmabuf);
		goto fail;
	}
	close(dmabuf);
	*sync_fd = exp.fd;
	return true;
fail:
	close(b->vgem);
	b->vgem = -1;
	return false;
}

/**
 * igt_panthor_blocker_create() - An unsignalled fence in a new syncobj.
 * @fd: DRM file the syncobj is created on.
 * @b: filled.
 *
 * Skips the subtest when neither sw_sync nor vgem can make the fence.
 */
void igt_panthor_blocker_create(int fd, struct igt_panthor_blocker *b)
{
	int sf = -1;

	b->fd = fd;
	b->timeline = -1;
	b->vgem = -1;
	igt_require_f(blocker_sw_sync(b, &sf) || blocker_vgem(b, &sf),
		      "no sw_sync (debugfs) and no vgem: cannot make an "
		      "unsignalled fence\n");
	b->syncobj = 0;
	igt_assert_eq(drmSyncobjCreate(fd, 0, &b->syncobj), 0);
	igt_assert_eq(drmSyncobjImportSyncFile(fd, b->syncobj, sf), 0);
	igt_assert_eq(igt_panthor_sync_file_status(sf, 0), 0);
	close(sf);
}

/**
 * igt_panthor_blocker_signal() - Signal the blocker's fence.
 * @b: blocker.
 */
void igt_panthor_blocker_signal(struct igt_panthor_blocker *b)
{
	if (b->timeline >= 0) {
		__u32 one = 1;

		igt_assert_eq(ioctl(b->timeline, SW_SYNC_IOC_INC, &one), 0);
	} else {
		vgem_fence_signal(b->vgem, b->vgem_fence);
	}
}

/**
 * igt_panthor_blocker_destroy() - Release the blocker.
 * @b: blocker; an unsignalled sw_sync fence is signalled with an error
 *	when its timeline closes.
 *
 * The syncobj is only destroyed if its file is still usable; a caller
 * whose file is gone clears @b->fd to -1 first.
 */
void igt_panthor_blocker_destroy(struct igt_panthor_blocker *b)
{
	if (b->timeline >= 0)
		close(b->timeline);
	if (b->vgem >= 0)
		close(b->vgem);
	if (b->fd >= 0)
		drmSyncobjDestroy(b->fd, b->syncobj);
}

/**
 * igt_panthor_sync_file_status() - Wait for a sync file and read its state.
 * @sync_file: sync file fd.
 * @timeout_ms: how long to wait for it to signal.
 *
 * Return: 1 signalled without error, 0 not signalled (yet), or the
 * fence's negative error.
 */
int igt_panthor_sync_file_status(int sync_file, int timeout_ms)
{
	struct sync_file_info info;
	struct pollfd p = { .fd = sync_file, .events = POLLIN };

	poll(&p, 1, timeout_ms);
	memset(&info, 0, sizeof(info));
	igt_assert_f(ioctl(sync_file, SYNC_IOC_FILE_INFO, &info) == 0,
		     "SYNC_IOC_FILE_INFO: %s\n", strerror(errno));
	return info.status;
}
