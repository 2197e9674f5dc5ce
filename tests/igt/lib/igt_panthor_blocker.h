/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The panthor-vm authors
 */

#ifndef IGT_PANTHOR_BLOCKER_H
#define IGT_PANTHOR_BLOCKER_H

#include <stdint.h>
#include <sys/ioctl.h>

#include <linux/types.h>

/**
 * struct sw_sync_create_fence_data - SW_SYNC_IOC_CREATE_FENCE argument (the
 * kernel keeps it out of its uAPI headers).
 * @value: timeline point the fence signals at.
 * @name: fence name.
 * @fence: out, sync file fd.
 */
struct sw_sync_create_fence_data {
	__u32 value;
	char name[32];
	__s32 fence;
};

#define SW_SYNC_IOC_CREATE_FENCE \
	_IOWR('W', 0, struct sw_sync_create_fence_data)
#define SW_SYNC_IOC_INC _IOW('W', 1, __u32)

/**
 * struct igt_panthor_blocker - An unsignalled fence in a binary syncobj,
 * signalled when the test says so: what holds a bind queue.
 * @fd: DRM file the syncobj belongs to.
 * @syncobj: binary syncobj holding the fence.
 * @timeline: sw_sync timeline fd the fence comes from, or -1.
 * @vgem: vgem fd the fence comes from, or -1.
 * @vgem_fence: the vgem fence.
 */
struct igt_panthor_blocker {
	int fd;
	uint32_t syncobj;
	int timeline;
	int vgem;
	uint32_t vgem_fence;
};

void igt_panthor_blocker_create(int fd, struct igt_panthor_blocker *b);
void igt_panthor_blocker_signal(struct igt_panthor_blocker *b);
void igt_panthor_blocker_destroy(struct igt_panthor_blocker *b);
int igt_panthor_sync_file_status(int sync_file, int timeout_ms);

#endif /* IGT_PANTHOR_BLOCKER_H */
