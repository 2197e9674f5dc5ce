// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 *
 * pvm-run: the `make run` client. Opens the panthor device inside UML and
 * prints what it reports.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xf86drm.h>

#include "panthor_drm.h"

static int open_panthor(drmVersionPtr *ver)
{
	char path[64];
	int i, fd;

	for (i = 0; i < 16; i++) {
		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		*ver = drmGetVersion(fd);
		if (*ver && !strcmp((*ver)->name, "panthor"))
			return fd;
		if (*ver)
			drmFreeVersion(*ver);
		close(fd);
	}
	return -1;
}

int main(void)
{
	struct drm_panthor_gpu_info gpu = { 0 };
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO,
		.size = sizeof(gpu),
		.pointer = (uint64_t)(uintptr_t)&gpu,
	};
	drmVersionPtr ver = NULL;
	unsigned int slots;
	int fd;

	fd = open_panthor(&ver);
	if (fd < 0) {
		fprintf(stderr, "pvm-run: no panthor device in /dev/dri\n");
		return 1;
	}
	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q)) {
		fprintf(stderr, "pvm-run: DEV_QUERY(GPU_INFO): %s\n", strerror(errno));
		return 1;
	}
	slots = __builtin_popcount(gpu.as_present);

	printf("panthor-vm device report\n");
	printf("  %-22s %s %d.%d.%d (%s)\n", "driver", ver->name,
	       ver->version_major, ver->version_minor, ver->version_patchlevel,
	       ver->desc);
	printf("  %-22s 0x%08x (arch %u.%u r%u, product major %u)\n", "GPU id",
	       gpu.gpu_id, gpu.gpu_id >> 28, (gpu.gpu_id >> 24) & 0xf,
	       (gpu.gpu_id >> 20) & 0xf, (gpu.gpu_id >> 16) & 0xf);
	printf("  %-22s %u bits (%llu GiB)\n", "GPU VA", gpu.mmu_features & 0xff,
	       (1ULL << (gpu.mmu_features & 0xff)) >> 30);
	printf("  %-22s %u bits\n", "GPU PA (bus)", (gpu.mmu_features >> 8) & 0xff);
	printf("  %-22s %u (mask 0x%x; slot 0 is the MCU's, %u for user VMs)\n",
	       "address-space slots", slots, gpu.as_present, slots ? slots - 1 : 0);
	printf("  %-22s 0x%llx\n", "shader cores", (unsigned long long)gpu.shader_present);
	printf("  %-22s 0x%x\n", "coherency features", gpu.coherency_features);

	drmFreeVersion(ver);
	close(fd);
	return 0;
}
