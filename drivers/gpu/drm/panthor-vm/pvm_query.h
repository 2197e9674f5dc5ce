/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-vm authors
 */
#ifndef __PVM_QUERY_H__
#define __PVM_QUERY_H__

struct drm_device;
struct drm_file;

int pvm_ioctl_dev_query(struct drm_device *ddev, void *data,
			struct drm_file *file);

#endif /* __PVM_QUERY_H__ */
