/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The panthor-vm authors
 */
#ifndef DRMTEST_H
#define DRMTEST_H

/**
 * DOC: opening DRM devices (IGT's lib/drmtest.h subset)
 *
 * drm_open_driver() walks /dev/dri/card0 to card15, asks each node for its
 * driver name with DRM_IOCTL_VERSION (libdrm's drmGetVersion()) and returns
 * the first whose name belongs to the requested driver mask; when none
 * matches it skips the current block ("No known gpu found"), which in a
 * fixture skips every subtest. drm_open_driver_render() does the same on
 * /dev/dri/renderD128 to renderD143. do_ioctl() and do_ioctl_err() assert
 * the result of an ioctl made through igt_ioctl (drmIoctl(), which restarts
 * on EINTR and EAGAIN).
 */

#include <errno.h>
#include <xf86drm.h>

#include "igt_core.h"

#define DRIVER_INTEL	(1 << 0)
#define DRIVER_VC4	(1 << 1)
#define DRIVER_VGEM	(1 << 2)
#define DRIVER_AMDGPU	(1 << 3)
#define DRIVER_V3D	(1 << 4)
#define DRIVER_PANFROST	(1 << 5)
#define DRIVER_MSM	(1 << 6)
#define DRIVER_XE	(1 << 7)
#define DRIVER_VMWGFX	(1 << 8)
#define DRIVER_PANTHOR	(1 << 11)
/* Any driver but vgem, as in IGT. */
#define DRIVER_ANY	~(DRIVER_VGEM)

extern int (*igt_ioctl)(int fd, unsigned long request, void *arg);

int __drm_open_driver(int chipset);
int __drm_open_driver_render(int chipset);
int drm_open_driver(int chipset);
int drm_open_driver_render(int chipset);
int drm_close_driver(int fd);

/**
 * do_ioctl() - Make an ioctl and fail the current block unless it returns 0.
 * @fd: file descriptor.
 * @ioc: ioctl number.
 * @ioc_data: argument.
 */
#define do_ioctl(fd, ioc, ioc_data) \
	do { \
		igt_assert_eq(igt_ioctl((fd), (ioc), (ioc_data)), 0); \
		errno = 0; \
	} while (0)

/**
 * do_ioctl_err() - Make an ioctl and fail the current block unless it fails
 * with errno @err.
 * @fd: file descriptor.
 * @ioc: ioctl number.
 * @ioc_data: argument.
 * @err: expected errno (positive).
 */
#define do_ioctl_err(fd, ioc, ioc_data, err) \
	do { \
		igt_assert_eq(igt_ioctl((fd), (ioc), (ioc_data)), -1); \
		igt_assert_eq(errno, (err)); \
		errno = 0; \
	} while (0)

#endif /* DRMTEST_H */
