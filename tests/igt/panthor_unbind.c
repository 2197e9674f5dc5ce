// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * Unbinding the platform driver while a client holds its file, a VM with
 * mappings and a queued asynchronous bind, then binding it again: the
 * client's ioctls fail with -ENODEV, the queued bind fails (-ENODEV on its
 * fence) when its wait signals instead of touching the GPU, closing the
 * old file afterwards releases everything, and the rebound device works.
 * KASAN and kmemleak in the debug kernel see use-after-free and leaks.
 */

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_panthor_blocker.h"
#include "igt_panthor_sim.h"
#include "panthor_drm.h"

IGT_TEST_DESCRIPTION("Unbind and rebind with open files and queued binds");

#define VA	UINT64_C(0x1000000)
#define DRV_DIR	"/sys/bus/platform/drivers/panthor-vm"

static int fd = -1;
static char devname[NAME_MAX + 1];

/* The platform device behind a DRM file. */
static void device_name(int dfd, char *out, size_t len)
{
	char link[PATH_MAX], target[PATH_MAX];
	struct stat st;
	ssize_t n;

	igt_assert_eq(fstat(dfd, &st), 0);
	snprintf(link, sizeof(link), "/sys/dev/char/%u:%u/device",
		 major(st.st_rdev), minor(st.st_rdev));
	n = readlink(link, target, sizeof(target) - 1);
	igt_assert_f(n > 0, "readlink %s: %s\n", link, strerror(errno));
	target[n] = '\0';
	snprintf(out, len, "%s", basename(target));
}

static void drv_write(const char *file, const char *name)
{
	char path[PATH_MAX];
	int f;

	snprintf(path, sizeof(path), DRV_DIR "/%s", file);
	f = open(path, O_WRONLY);
	igt_assert_f(f >= 0, "open %s: %s\n", path, strerror(errno));
	igt_assert_f(write(f, name, strlen(name)) == (ssize_t)strlen(name),
		     "%s of %s: %s\n", file, name, strerror(errno));
	close(f);
}

static void check_bo(int dfd, uint32_t vm, uint32_t seed)
{
	uint64_t off;

	for (off = 0; off < SZ_64K; off += SZ_4K)
		igt_assert_eq_u32(igt_panthor_gpu_read32(dfd, vm, VA + off),
				  igt_panthor_pattern(seed, off));
}

static int sync_bind(int dfd, uint32_t vm, uint32_t bo)
{
	struct drm_panthor_vm_bind_op op =
		igt_panthor_op_map(bo, 0, VA + SZ_2M, SZ_4K, 0);

	return __igt_panthor_bind1(dfd, vm, &op);
}

int igt_main()
{
	igt_fixture() {
		fd = drm_open_driver_render(DRIVER_PANTHOR);
		igt_require_panthor_sim(fd);
		device_name(fd, devname, sizeof(devname));
		igt_require_f(access(DRV_DIR "/unbind", W_OK) == 0,
			      "no %s/unbind\n", DRV_DIR);
	}

	igt_describe("Unbind with a mapped VM and a queued bind on an open "
		     "file, rebind, and use the new device.");
	igt_subtest("unbind-rebind-with-queued-binds") {
		struct drm_panthor_vm_bind_op op;
		struct drm_panthor_sync_op syncs[2];
		struct drm_panthor_gpu_info info;
		struct igt_panthor_blocker b;
		uint32_t vm, vm2, bo, bo2, done = 0, count = 1;
		int sf = -1, fd2;

		igt_panthor_vm_create(fd, &vm, 0);
		bo = igt_panthor_pattern_bo(fd, SZ_64K, 81);
		igt_panthor_map(fd, vm, bo, 0, VA, SZ_64K, 0);
		check_bo(fd, vm, 81);

		/* An UNMAP queued behind a fence nobody signals yet. */
		igt_panthor_blocker_create(fd, &b);
		igt_assert_eq(drmSyncobjCreate(fd, 0, &done), 0);
		syncs[0] = igt_panthor_sync_op(false, b.syncobj, 0);
		syncs[1] = igt_panthor_sync_op(true, done, 0);
		op = igt_panthor_op_unmap(VA, SZ_64K);
		igt_panthor_op_syncs(&op, syncs, 2);
		igt_assert_eq(__igt_panthor_vm_bind_ops(fd, vm,
							DRM_PANTHOR_VM_BIND_ASYNC,
							&op, &count, sizeof(op)),
			      0);
		igt_assert_eq(drmSyncobjExportSyncFile(fd, done, &sf), 0);
		igt_assert_eq(igt_panthor_sync_file_status(sf, 0), 0);

		drv_write("unbind", devname);

		/* The old file gets errors, and nothing touches the GPU. */
		igt_panthor_query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, &info,
				  sizeof(info), ENODEV);
		igt_panthor_vm_create(fd, &vm2, ENODEV);
		igt_assert_eq(sync_bind(fd, vm, bo), -ENODEV);
		igt_panthor_bo_mmap_offset(fd, bo, ENODEV);

		/* The queued bind runs when its fence signals, and fails. */
		igt_panthor_blocker_signal(&b);
		igt_assert_eq(igt_panthor_sync_file_status(sf, 5000), -ENODEV);
		close(sf);

		drv_write("bind", devname);
		fd2 = drm_open_driver_render(DRIVER_PANTHOR);
		igt_panthor_vm_create(fd2, &vm2, 0);
		bo2 = igt_panthor_pattern_bo(fd2, SZ_64K, 82);
		igt_panthor_map(fd2, vm2, bo2, 0, VA, SZ_64K, 0);
		check_bo(fd2, vm2, 82);

		/* The old file's release: its VM, BOs and syncobjs go. */
		b.fd = -1;
		igt_panthor_blocker_destroy(&b);
		close(fd);
		fd = fd2;
		igt_panthor_vm_destroy(fd, vm2, 0);
		gem_close(fd, bo2);
	}

	igt_describe("Unbind with a file open and nothing queued; the file's "
		     "release after the rebind frees it.");
	igt_subtest("unbind-with-idle-file") {
		uint32_t vm, bo, vm2;
		int old = fd;

		igt_panthor_vm_create(old, &vm, 0);
		bo = igt_panthor_pattern_bo(old, SZ_64K, 83);
		igt_panthor_map(old, vm, bo, 0, VA, SZ_64K, 0);
		device_name(old, devname, sizeof(devname));
		drv_write("unbind", devname);
		igt_panthor_vm_destroy(old, vm, ENODEV);
		drv_write("bind", devname);
		close(old);

		fd = drm_open_driver_render(DRIVER_PANTHOR);
		igt_panthor_vm_create(fd, &vm2, 0);
		igt_panthor_vm_destroy(fd, vm2, 0);
	}

	igt_fixture() {
		drm_close_driver(fd);
	}
}
