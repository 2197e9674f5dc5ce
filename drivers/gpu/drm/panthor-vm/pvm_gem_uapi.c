// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/err.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/panthor_drm.h>

#include "pvm_gem.h"

/**
 * DOC: BO ioctls
 *
 * MMAP_OFFSET, SET_LABEL (1.4), SYNC and QUERY_INFO (1.7), with upstream's
 * argument rules. Every ioctl checks its arguments before changing
 * anything, except BO_SYNC, which runs its ops in order and stops at the
 * first bad one (a sync changes nothing a client can observe but timing).
 */

/**
 * pvm_ioctl_bo_mmap_offset() - DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET
 * @ddev: DRM device
 * @data: &struct drm_panthor_bo_mmap_offset
 * @file: DRM file
 *
 * Return: 0 on success, -ENOENT for an unknown handle, -EINVAL for a
 * non-zero pad, -EPERM for a %DRM_PANTHOR_BO_NO_MMAP BO.
 */
int pvm_ioctl_bo_mmap_offset(struct drm_device *ddev, void *data,
			     struct drm_file *file)
{
	struct drm_panthor_bo_mmap_offset *args = data;
	struct drm_gem_object *obj;
	int ret;

	if (args->pad)
		return -EINVAL;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;

	if (to_pvm_bo(obj)->flags & DRM_PANTHOR_BO_NO_MMAP) {
		drm_gem_object_put(obj);
		return -EPERM;
	}

	ret = drm_gem_create_mmap_offset(obj);
	if (!ret)
		args->offset = drm_vma_node_offset_addr(&obj->vma_node);
	drm_gem_object_put(obj);
	return ret;
}

/**
 * pvm_ioctl_bo_set_label() - DRM_IOCTL_PANTHOR_BO_SET_LABEL
 * @ddev: DRM device
 * @data: &struct drm_panthor_bo_set_label
 * @file: DRM file
 *
 * A zero label pointer drops the label. The label is shown in the "gems"
 * debugfs file.
 *
 * Return: 0, -EINVAL for a non-zero pad, -ENOENT for an unknown handle,
 * -EFAULT for a bad pointer, -E2BIG for a string longer than
 * %PVM_BO_LABEL_MAX bytes with its NUL, -ENOMEM. On error the previous
 * label stays.
 */
int pvm_ioctl_bo_set_label(struct drm_device *ddev, void *data,
			   struct drm_file *file)
{
	struct drm_panthor_bo_set_label *args = data;
	struct drm_gem_object *obj;
	char *label = NULL;

	if (args->pad)
		return -EINVAL;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;

	if (args->label) {
		label = strndup_user(u64_to_user_ptr(args->label),
				     PVM_BO_LABEL_MAX);
		if (IS_ERR(label)) {
			drm_gem_object_put(obj);
			/* strndup_user() says -EINVAL for a string too long. */
			return PTR_ERR(label) == -EINVAL ? -E2BIG :
							   PTR_ERR(label);
		}
	}

	pvm_gem_set_label(to_pvm_bo(obj), label);
	drm_gem_object_put(obj);
	return 0;
}

/**
 * pvm_ioctl_bo_query_info() - DRM_IOCTL_PANTHOR_BO_QUERY_INFO
 * @ddev: DRM device
 * @data: &struct drm_panthor_bo_query_info
 * @file: DRM file
 *
 * Reports the BO_CREATE flags (0 for an import) and whether the BO comes
 * from another device's dma-buf; one of this device's own dma-bufs
 * imports as the BO itself and is not "imported".
 *
 * Return: 0, or -ENOENT for an unknown handle.
 */
int pvm_ioctl_bo_query_info(struct drm_device *ddev, void *data,
			    struct drm_file *file)
{
	struct drm_panthor_bo_query_info *args = data;
	struct drm_gem_object *obj;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;

	args->create_flags = to_pvm_bo(obj)->flags;
	args->extra_flags = obj->import_attach ? DRM_PANTHOR_BO_IS_IMPORTED : 0;
	args->pad = 0;
	drm_gem_object_put(obj);
	return 0;
}

/* Most ops one BO_SYNC takes, as for VM_BIND. */
#define PVM_BO_SYNC_MAX_OPS	SZ_64K

/**
 * pvm_ioctl_bo_sync() - DRM_IOCTL_PANTHOR_BO_SYNC
 * @ddev: DRM device
 * @data: &struct drm_panthor_bo_sync
 * @file: DRM file
 *
 * Runs each &struct drm_panthor_bo_sync_op with pvm_gem_sync(), in order.
 * Ops are read one at a time, so nothing user-sized is allocated.
 *
 * Return: 0; -EINVAL for a stride below the op size, more than
 * %PVM_BO_SYNC_MAX_OPS ops, or an op pvm_gem_sync() refuses; -ENOENT for
 * an unknown handle; -EFAULT, or -E2BIG for non-zero bytes past the op in
 * a longer stride.
 */
int pvm_ioctl_bo_sync(struct drm_device *ddev, void *data,
		      struct drm_file *file)
{
	struct drm_panthor_bo_sync *args = data;
	struct drm_panthor_bo_sync_op op;
	struct drm_gem_object *obj;
	u32 i;
	int ret;

	if (!args->ops.count)
		return 0;
	if (args->ops.stride < sizeof(op) ||
	    args->ops.count > PVM_BO_SYNC_MAX_OPS)
		return -EINVAL;

	for (i = 0; i < args->ops.count; i++) {
		void __user *p = u64_to_user_ptr(args->ops.array +
						 (u64)i * args->ops.stride);

		ret = copy_struct_from_user(&op, sizeof(op), p,
					    args->ops.stride);
		if (ret)
			return ret;

		obj = drm_gem_object_lookup(file, op.handle);
		if (!obj)
			return -ENOENT;
		ret = pvm_gem_sync(to_pvm_bo(obj), op.type, op.offset, op.size);
		drm_gem_object_put(obj);
		if (ret)
			return ret;
	}
	return 0;
}
