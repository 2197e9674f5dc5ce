// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <sys/mman.h>

#include "igt.h"
#include "igt_panthor.h"
/* A uAPI layout change fails the build of every test. */
#include "panthor_uapi_asserts.h"

/* Make the ioctl and check it against the expected errno (0: success). */
static void panthor_ioctl(int fd, unsigned long request, void *arg, int err)
{
	if (err)
		do_ioctl_err(fd, request, arg, err);
	else
		do_ioctl(fd, request, arg);
}

void igt_panthor_skip_on_big_endian(void)
{
	igt_skip_on_f(__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__,
		      "panthor is not supported on big-endian CPUs\n");
}

void igt_panthor_query(int fd, int32_t type, void *data, size_t size, int err)
{
	struct drm_panthor_dev_query query = {
		.type = type,
		.size = size,
		.pointer = (uintptr_t)data,
	};

	panthor_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &query, err);
}

void igt_panthor_vm_create(int fd, uint32_t *vm_id, int err)
{
	struct drm_panthor_vm_create create = { 0 };

	panthor_ioctl(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &create, err);
	if (!err)
		*vm_id = create.id;
}

void igt_panthor_vm_destroy(int fd, uint32_t vm_id, int err)
{
	struct drm_panthor_vm_destroy destroy = { .id = vm_id };

	panthor_ioctl(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &destroy, err);
}

void igt_panthor_vm_bind_offset(int fd, uint32_t vm_id, uint32_t bo_handle,
				uint64_t va, uint64_t size, uint64_t offset,
				uint32_t flags, int err)
{
	struct drm_panthor_vm_bind_op op = {
		.flags = flags,
		.bo_handle = bo_handle,
		.bo_offset = offset,
		.va = va,
		.size = size,
	};
	struct drm_panthor_vm_bind bind = {
		.vm_id = vm_id,
		.ops = DRM_PANTHOR_OBJ_ARRAY(1, &op),
	};

	panthor_ioctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &bind, err);
}

void igt_panthor_bo_create(int fd, struct panthor_bo *bo, uint64_t size,
			   uint32_t flags, int err)
{
	struct drm_panthor_bo_create create = {
		.size = size,
		.flags = flags,
	};

	panthor_ioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &create, err);
	bo->handle = create.handle;
	bo->size = create.size;
	bo->offset = 0;
	bo->map = NULL;
}

uint64_t igt_panthor_bo_mmap_offset(int fd, uint32_t handle, int err)
{
	struct drm_panthor_bo_mmap_offset arg = { .handle = handle };

	panthor_ioctl(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &arg, err);
	return arg.offset;
}

void *igt_panthor_mmap_bo(int fd, uint32_t handle, uint64_t size,
			  unsigned int prot, uint64_t offset)
{
	void *ptr = mmap(NULL, size, prot, MAP_SHARED, fd, offset);

	(void)handle;
	return ptr == MAP_FAILED ? NULL : ptr;
}

void igt_panthor_bo_create_mapped(int fd, struct panthor_bo *bo, uint64_t size,
				  uint32_t flags, int err)
{
	igt_panthor_bo_create(fd, bo, size, flags, err);
	bo->offset = igt_panthor_bo_mmap_offset(fd, bo->handle, err);
	bo->map = igt_panthor_mmap_bo(fd, bo->handle, bo->size,
				      PROT_READ | PROT_WRITE, bo->offset);
}

void igt_panthor_free_bo(int fd, struct panthor_bo *bo)
{
	if (!bo)
		return;
	if (bo->map)
		munmap(bo->map, bo->size);
	bo->map = NULL;
	gem_close(fd, bo->handle);
}
