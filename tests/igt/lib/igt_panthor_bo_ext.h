/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The panthor-vm authors
 */
#ifndef IGT_PANTHOR_BO_EXT_H
#define IGT_PANTHOR_BO_EXT_H

/**
 * DOC: panthor BO ioctls of uAPI 1.4 and 1.7, and dma-buf imports
 *
 * Raw wrappers for BO_SET_LABEL (1.4), BO_QUERY_INFO and BO_SYNC (1.7),
 * which return 0 or a negative errno and assert nothing, and a vgem
 * buffer imported in a panthor file: "a dma-buf of another device".
 * Callers check the uAPI minor (igt_panthor_require_uapi_minor()).
 */

#include <stdbool.h>
#include <stdint.h>

#include "panthor_drm.h"
#include "igt_vgem.h"

int __igt_panthor_bo_set_label(int fd, uint32_t handle, const char *label);
int __igt_panthor_bo_query_info(int fd, uint32_t handle,
				struct drm_panthor_bo_query_info *q);
int __igt_panthor_bo_sync(int fd, const void *ops, uint32_t count,
			  uint32_t stride);

/**
 * igt_panthor_bo_sync_op() - Build a BO_SYNC op.
 * @handle: BO.
 * @type: enum drm_panthor_bo_sync_op_type (or anything, to test).
 * @offset: start of the range in the BO.
 * @size: bytes.
 *
 * Return: the op.
 */
static inline struct drm_panthor_bo_sync_op
igt_panthor_bo_sync_op(uint32_t handle, uint32_t type, uint64_t offset,
		    uint64_t size)
{
	struct drm_panthor_bo_sync_op op = {
		.handle = handle,
		.type = type,
		.offset = offset,
		.size = size,
	};

	return op;
}

/**
 * struct igt_panthor_import - A vgem buffer imported in a panthor file.
 * @vgem: the vgem fd.
 * @vbo: the vgem buffer.
 * @dmabuf: its dma-buf, still open.
 * @handle: GEM handle in the panthor file.
 */
struct igt_panthor_import {
	int vgem;
	struct vgem_bo vbo;
	int dmabuf;
	uint32_t handle;
};

void igt_panthor_import_vgem(int fd, struct igt_panthor_import *im,
			     uint64_t size);
void igt_panthor_import_close(struct igt_panthor_import *im);
void igt_dmabuf_sync(int dmabuf, uint64_t flags);

#endif /* IGT_PANTHOR_BO_EXT_H */
