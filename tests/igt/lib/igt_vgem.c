// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <sys/mman.h>

#include "igt.h"
#include "igt_vgem.h"

/* vgem's own ioctls (include/uapi/drm/vgem_drm.h, not shipped by libdrm). */
struct pvm_vgem_fence_attach {
	__u32 handle;
	__u32 flags;
	__u32 out_fence;
	__u32 pad;
};

struct pvm_vgem_fence_signal {
	__u32 fence;
	__u32 flags;
};

#define PVM_VGEM_IOCTL_FENCE_ATTACH \
	DRM_IOWR(DRM_COMMAND_BASE + 0x1, struct pvm_vgem_fence_attach)
#define PVM_VGEM_IOCTL_FENCE_SIGNAL \
	DRM_IOW(DRM_COMMAND_BASE + 0x2, struct pvm_vgem_fence_signal)

static int vgem_ioctl(int fd, unsigned long request, void *arg)
{
	int err = 0;

	if (igt_ioctl(fd, request, arg))
		err = -errno;
	errno = 0;
	return err;
}

/**
 * __vgem_create() - Create a dumb buffer of @bo's width, height and bpp.
 * @fd: vgem fd.
 * @bo: in: width, height, bpp; out: handle, pitch, size.
 *
 * Return: 0 or a negative errno.
 */
int __vgem_create(int fd, struct vgem_bo *bo)
{
	struct drm_mode_create_dumb c = {
		.width = bo->width,
		.height = bo->height,
		.bpp = bo->bpp,
	};
	int err = vgem_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c);

	if (err)
		return err;
	bo->handle = c.handle;
	bo->pitch = c.pitch;
	bo->size = c.size;
	return 0;
}

/**
 * vgem_create() - __vgem_create() that must succeed.
 * @fd: vgem fd.
 * @bo: as for __vgem_create().
 */
void vgem_create(int fd, struct vgem_bo *bo)
{
	int err = __vgem_create(fd, bo);

	igt_assert_f(err == 0, "vgem dumb create %ux%u@%u: %s\n", bo->width,
		     bo->height, bo->bpp, strerror(-err));
}

/**
 * __vgem_mmap() - Map a whole vgem buffer, shared.
 * @fd: vgem fd.
 * @bo: the buffer.
 * @prot: PROT_* bits.
 *
 * Return: the mapping, or NULL.
 */
void *__vgem_mmap(int fd, struct vgem_bo *bo, unsigned int prot)
{
	struct drm_mode_map_dumb m = { .handle = bo->handle };
	void *p;

	if (vgem_ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &m))
		return NULL;
	p = mmap(NULL, bo->size, prot, MAP_SHARED, fd, (off_t)m.offset);
	errno = 0;
	return p == MAP_FAILED ? NULL : p;
}

/**
 * vgem_mmap() - __vgem_mmap() that must succeed.
 * @fd: vgem fd.
 * @bo: the buffer.
 * @prot: PROT_* bits.
 *
 * Return: the mapping (munmap() it with @bo->size).
 */
void *vgem_mmap(int fd, struct vgem_bo *bo, unsigned int prot)
{
	void *p = __vgem_mmap(fd, bo, prot);

	igt_assert_f(p, "mmap of vgem buffer %u failed\n", bo->handle);
	return p;
}

/**
 * vgem_has_fences() - Tell whether the vgem fence ioctls exist.
 * @fd: vgem fd.
 *
 * Signals fence id 0, which never exists: vgem answers ENOENT, a kernel
 * without the ioctl EINVAL (DRM core's answer to an unknown ioctl).
 *
 * Return: true if they do.
 */
bool vgem_has_fences(int fd)
{
	return __vgem_fence_signal(fd, 0) == -ENOENT;
}

/**
 * vgem_fence_attach() - Attach a new unsignalled fence to a vgem buffer.
 * @fd: vgem fd.
 * @bo: the buffer.
 * @flags: 0 (shared) or VGEM_FENCE_WRITE.
 *
 * Return: the fence id for vgem_fence_signal().
 */
uint32_t vgem_fence_attach(int fd, struct vgem_bo *bo, unsigned int flags)
{
	struct pvm_vgem_fence_attach a = {
		.handle = bo->handle,
		.flags = flags,
	};
	int err = vgem_ioctl(fd, PVM_VGEM_IOCTL_FENCE_ATTACH, &a);

	igt_assert_f(err == 0, "vgem fence attach to buffer %u: %s\n",
		     bo->handle, strerror(-err));
	return a.out_fence;
}

/**
 * __vgem_fence_signal() - Signal a vgem fence.
 * @fd: vgem fd.
 * @fence: id from vgem_fence_attach().
 *
 * Return: 0 or a negative errno.
 */
int __vgem_fence_signal(int fd, uint32_t fence)
{
	struct pvm_vgem_fence_signal s = { .fence = fence };

	return vgem_ioctl(fd, PVM_VGEM_IOCTL_FENCE_SIGNAL, &s);
}

/**
 * vgem_fence_signal() - __vgem_fence_signal() that must succeed.
 * @fd: vgem fd.
 * @fence: id from vgem_fence_attach().
 */
void vgem_fence_signal(int fd, uint32_t fence)
{
	int err = __vgem_fence_signal(fd, fence);

	igt_assert_f(err == 0, "vgem fence %u signal: %s\n", fence,
		     strerror(-err));
}
