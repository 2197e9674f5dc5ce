// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "drmtest.h"

int (*igt_ioctl)(int fd, unsigned long request, void *arg) = drmIoctl;

static const struct {
	int mask;
	const char *name;
} drivers[] = {
	{ DRIVER_INTEL, "i915" },
	{ DRIVER_VC4, "vc4" },
	{ DRIVER_VGEM, "vgem" },
	{ DRIVER_AMDGPU, "amdgpu" },
	{ DRIVER_V3D, "v3d" },
	{ DRIVER_PANFROST, "panfrost" },
	{ DRIVER_MSM, "msm" },
	{ DRIVER_XE, "xe" },
	{ DRIVER_VMWGFX, "vmwgfx" },
	{ DRIVER_PANTHOR, "panthor" },
};

static bool driver_matches(int chipset, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++)
		if ((chipset & drivers[i].mask) && !strcmp(name, drivers[i].name))
			return true;
	return false;
}

static const char *chipset_name(int chipset)
{
	size_t i;

	if (chipset == DRIVER_ANY)
		return "any";
	for (i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++)
		if (chipset == drivers[i].mask)
			return drivers[i].name;
	return "mixed";
}

static int open_first(int chipset, const char *fmt, int first)
{
	char path[64];
	int i, fd;

	for (i = first; i < first + 16; i++) {
		drmVersionPtr version;
		bool ok;

		snprintf(path, sizeof(path), fmt, i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;

		version = drmGetVersion(fd);
		ok = version && version->name &&
		     driver_matches(chipset, version->name);
		if (version)
			igt_debug("%s: driver \"%s\" %d.%d\n", path,
				  version->name ?: "", version->version_major,
				  version->version_minor);
		drmFreeVersion(version);
		if (ok)
			return fd;
		close(fd);
	}
	return -1;
}

int __drm_open_driver(int chipset)
{
	return open_first(chipset, "/dev/dri/card%d", 0);
}

int __drm_open_driver_render(int chipset)
{
	return open_first(chipset, "/dev/dri/renderD%d", 128);
}

int drm_open_driver(int chipset)
{
	int fd = __drm_open_driver(chipset);

	igt_skip_on_f(fd < 0, "No known gpu found for chipset flags 0x%x (%s)\n",
		      chipset, chipset_name(chipset));
	return fd;
}

int drm_open_driver_render(int chipset)
{
	int fd = __drm_open_driver_render(chipset);

	igt_skip_on_f(fd < 0, "No known gpu found for chipset flags 0x%x (%s)\n",
		      chipset, chipset_name(chipset));
	return fd;
}

int drm_close_driver(int fd)
{
	char link[64], target[256];
	ssize_t len;

	if (fd < 0)
		return -1;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	len = readlink(link, target, sizeof(target) - 1);
	if (len > 0) {
		target[len] = '\0';
		if (strncmp(target, "/dev/dri/card", 13) &&
		    strncmp(target, "/dev/dri/renderD", 16))
			igt_warn("drm_close_driver: fd %d is %s, not a DRM node\n",
				 fd, target);
	}
	return close(fd);
}
