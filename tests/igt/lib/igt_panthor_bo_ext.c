// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/dma-buf.h>

#include "igt.h"
#include "igt_panthor_bo_ext.h"

static int panthor_ioctl(int fd, unsigned long request, void *arg)
{
	int err = 0;

	if (igt_ioctl(fd, request, arg))
		err = -errno;
	errno = 0;
	return err;
}

/**
 * __igt_panthor_bo_set_label() - BO_SET_LABEL.
 * @fd: DRM file.
 * @handle: BO.
 * @label: NUL-terminated label, or NULL to drop the label.
 *
 * Return: 0 or a negative errno.
 */
int __igt_panthor_bo_set_label(int fd, uint32_t handle, const char *label)
{
	struct drm_panthor_bo_set_label a = {
		.handle = handle,
		.label = (uintptr_t)label,
	};

	return panthor_ioctl(fd, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &a);
}

/**
 * __igt_panthor_bo_query_info() - BO_QUERY_INFO.
 * @fd: DRM file.
 * @handle: BO.
 * @q: out: the answer. Its extra_flags and create_flags are poisoned
 *	before the call, so that an answer which leaves one out shows.
 *
 * Return: 0 or a negative errno.
 */
int __igt_panthor_bo_query_info(int fd, uint32_t handle,
				struct drm_panthor_bo_query_info *q)
{
	memset(q, 0, sizeof(*q));
	q->handle = handle;
	q->extra_flags = 0xdeadbeef;
	q->create_flags = 0xdeadbeef;
	return panthor_ioctl(fd, DRM_IOCTL_PANTHOR_BO_QUERY_INFO, q);
}

/**
 * __igt_panthor_bo_sync() - BO_SYNC of an op array of any stride.
 * @fd: DRM file.
 * @ops: @count elements of @stride bytes.
 * @count: number of ops.
 * @stride: element size.
 *
 * Return: 0 or a negative errno.
 */
int __igt_panthor_bo_sync(int fd, const void *ops, uint32_t count,
			  uint32_t stride)
{
	struct drm_panthor_bo_sync s = {
		.ops = {
			.stride = stride,
			.count = count,
			.array = (uintptr_t)ops,
		},
	};

	return panthor_ioctl(fd, DRM_IOCTL_PANTHOR_BO_SYNC, &s);
}

/**
 * igt_panthor_import_vgem() - Import a new vgem buffer in @fd; skip if
 * there is no vgem device.
 * @fd: panthor DRM file.
 * @im: out: the buffer, its dma-buf and its panthor handle.
 * @size: at least this many bytes (a multiple of 4 KiB).
 */
void igt_panthor_import_vgem(int fd, struct igt_panthor_import *im,
			     uint64_t size)
{
	int ret;

	im->vgem = __drm_open_driver(DRIVER_VGEM);
	igt_require_f(im->vgem >= 0, "no vgem device to import from\n");
	/* 1024 pixels of 32 bits: one 4 KiB line per page. */
	im->vbo = (struct vgem_bo){
		.width = 1024,
		.height = (size + 4095) / 4096,
		.bpp = 32,
	};
	vgem_create(im->vgem, &im->vbo);
	igt_assert_f(im->vbo.size >= size, "vgem buffer of %" PRIu64
		     " bytes for %" PRIu64 "\n", im->vbo.size, size);
	ret = drmPrimeHandleToFD(im->vgem, im->vbo.handle,
				 DRM_CLOEXEC | DRM_RDWR, &im->dmabuf);
	igt_assert_f(ret == 0, "vgem export: %s\n", strerror(errno));
	ret = drmPrimeFDToHandle(fd, im->dmabuf, &im->handle);
	igt_assert_f(ret == 0, "panthor import of a vgem dma-buf: %s\n",
		     strerror(errno));
	errno = 0;
}

/**
 * igt_panthor_import_close() - Close the vgem side of an import.
 * @im: the import. Its panthor handle is the caller's to close.
 */
void igt_panthor_import_close(struct igt_panthor_import *im)
{
	close(im->dmabuf);
	gem_close(im->vgem, im->vbo.handle);
	close(im->vgem);
}

/**
 * igt_dmabuf_sync() - DMA_BUF_IOCTL_SYNC, which must succeed.
 * @dmabuf: dma-buf fd.
 * @flags: DMA_BUF_SYNC_START or _END, with _READ and/or _WRITE.
 */
void igt_dmabuf_sync(int dmabuf, uint64_t flags)
{
	struct dma_buf_sync s = { .flags = flags };

	igt_assert_f(ioctl(dmabuf, DMA_BUF_IOCTL_SYNC, &s) == 0,
		     "DMA_BUF_IOCTL_SYNC %#" PRIx64 ": %s\n", flags,
		     strerror(errno));
	errno = 0;
}
