/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The panthor-vm authors
 */
#ifndef IGT_PANTHOR_H
#define IGT_PANTHOR_H

/**
 * DOC: panthor helpers (IGT's lib/igt_panthor.h names)
 *
 * Thin wrappers around the panthor ioctls with the names and signatures of
 * upstream IGT's igt_panthor helpers. Each takes the errno it expects: 0
 * asserts that the ioctl succeeds, a positive errno asserts that it fails
 * with exactly that errno. VM_BIND helpers issue one synchronous op.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "panthor_drm.h"

/**
 * struct panthor_bo - A buffer object and its optional CPU mapping.
 * @handle: GEM handle.
 * @offset: mmap offset, once queried.
 * @size: size in bytes as returned by BO_CREATE (page-rounded).
 * @map: CPU mapping or NULL.
 */
struct panthor_bo {
	int handle;
	uint64_t offset;
	uint64_t size;
	void *map;
};

void igt_panthor_query(int fd, int32_t type, void *data, size_t size, int err);
void igt_panthor_vm_create(int fd, uint32_t *vm_id, int err);
void igt_panthor_vm_destroy(int fd, uint32_t vm_id, int err);
void igt_panthor_vm_bind_offset(int fd, uint32_t vm_id, uint32_t bo_handle,
				uint64_t va, uint64_t size, uint64_t offset,
				uint32_t flags, int err);
void igt_panthor_bo_create(int fd, struct panthor_bo *bo, uint64_t size,
			   uint32_t flags, int err);
uint64_t igt_panthor_bo_mmap_offset(int fd, uint32_t handle, int err);
void *igt_panthor_mmap_bo(int fd, uint32_t handle, uint64_t size,
			  unsigned int prot, uint64_t offset);
void igt_panthor_bo_create_mapped(int fd, struct panthor_bo *bo, uint64_t size,
				  uint32_t flags, int err);
void igt_panthor_free_bo(int fd, struct panthor_bo *bo);
void igt_panthor_skip_on_big_endian(void);

/**
 * igt_panthor_vm_bind() - Synchronously map or unmap one range, BO offset 0.
 * @fd: DRM file.
 * @vm_id: VM id.
 * @bo_handle: BO handle (0 for UNMAP).
 * @va: GPU virtual address.
 * @size: size in bytes.
 * @flags: drm_panthor_vm_bind_op flags, including the op type.
 * @err: expected errno, 0 for success.
 */
static inline void igt_panthor_vm_bind(int fd, uint32_t vm_id,
				       uint32_t bo_handle, uint64_t va,
				       uint64_t size, uint32_t flags, int err)
{
	igt_panthor_vm_bind_offset(fd, vm_id, bo_handle, va, size, 0, flags,
				   err);
}

#endif /* IGT_PANTHOR_H */
