// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * The user MMIO page and SET_USER_MMIO_OFFSET (uAPI 1.5), as upstream
 * panthor: mmap of the DRM file at DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET
 * (1 << 56 for a 64-bit process, or 1 << 43 once SET_USER_MMIO_OFFSET
 * selected it) gives one read-only page whose first word is LATEST_FLUSH_ID;
 * it must be shared, exactly one page, not writable and not executable
 * (EINVAL otherwise) and can never be made writable (EACCES). The ID moves
 * when the GPU completes a cache flush, which a bind op on a VM that is
 * resident on an AS slot causes (needs the software GPU).
 */

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_panthor_sim.h"
#include "panthor_drm.h"

IGT_TEST_DESCRIPTION("panthor user MMIO page and SET_USER_MMIO_OFFSET");

#define PG 4096
#define OFF64 DRM_PANTHOR_USER_MMIO_OFFSET_64BIT
#define OFF32 DRM_PANTHOR_USER_MMIO_OFFSET_32BIT
#define TEST_VA 0x10000000ULL

static int set_offset(int fd, uint64_t offset)
{
	struct drm_panthor_set_user_mmio_offset a = { .offset = offset };
	int err = 0;

	if (igt_ioctl(fd, DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET, &a))
		err = -errno;
	errno = 0;
	return err;
}

/* mmap and return the mapping or MAP_FAILED with *err = errno. */
static void *map(int fd, size_t len, int prot, int flags, uint64_t off,
		 int *err)
{
	void *p = mmap(NULL, len, prot, flags, fd, (off_t)off);

	*err = p == MAP_FAILED ? errno : 0;
	errno = 0;
	return p;
}

static volatile uint32_t *map_flush_id(int fd, uint64_t off)
{
	int err;
	void *p = map(fd, PG, PROT_READ, MAP_SHARED, off, &err);

	igt_assert_f(p != MAP_FAILED, "mmap of the flush ID page at %#llx: %s\n",
		     (unsigned long long)off, strerror(err));
	return p;
}

struct bad_map {
	const char *name;
	size_t len;
	int prot;
	int flags;
	uint64_t off;
};

static const struct bad_map bad_maps[] = {
	{ "prot-write", PG, PROT_READ | PROT_WRITE, MAP_SHARED, OFF64 },
	{ "prot-write-only", PG, PROT_WRITE, MAP_SHARED, OFF64 },
	{ "prot-exec", PG, PROT_READ | PROT_EXEC, MAP_SHARED, OFF64 },
	{ "private", PG, PROT_READ, MAP_PRIVATE, OFF64 },
	{ "two-pages", 2 * PG, PROT_READ, MAP_SHARED, OFF64 },
	{ "next-page", PG, PROT_READ, MAP_SHARED, OFF64 + PG },
	{ "far-page", PG, PROT_READ, MAP_SHARED, OFF64 + (1ULL << 20) },
};

int igt_main()
{
	int fd = -1;

	igt_fixture() {
		igt_panthor_skip_on_big_endian();
		fd = drm_open_driver(DRIVER_PANTHOR);
	}

	igt_describe("The flush ID page maps read-only at the 64-bit offset by "
		     "default, and reads the same through two mappings");
	igt_subtest("flush-id-mmap") {
		volatile uint32_t *a = map_flush_id(fd, DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET);
		volatile uint32_t *b = map_flush_id(fd, DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET);

		igt_info("LATEST_FLUSH_ID %#x\n", a[0]);
		igt_assert_eq_u32(a[0], b[0]);
		munmap((void *)a, PG);
		munmap((void *)b, PG);
	}

	igt_describe("Every mapping upstream refuses is EINVAL: writable, "
		     "executable, private, not one page, another offset");
	igt_subtest_with_dynamic("flush-id-mmap-invalid") {
		for (size_t i = 0; i < sizeof(bad_maps) / sizeof(bad_maps[0]); i++) {
			const struct bad_map *c = &bad_maps[i];

			igt_dynamic(c->name) {
				int err;
				void *p = map(fd, c->len, c->prot, c->flags,
					      c->off, &err);

				igt_assert_f(p == MAP_FAILED,
					     "%s: mmap succeeded\n", c->name);
				igt_assert_eq(err, EINVAL);
			}
		}
	}

	igt_describe("A read-only flush ID mapping cannot be made writable "
		     "(EACCES)");
	igt_subtest("flush-id-mprotect") {
		volatile uint32_t *a = map_flush_id(fd, DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET);

		igt_assert_eq(mprotect((void *)a, PG, PROT_READ | PROT_WRITE), -1);
		igt_assert_eq(errno, EACCES);
		errno = 0;
		munmap((void *)a, PG);
	}

	igt_describe("LATEST_FLUSH_ID goes up when a bind op on a resident VM "
		     "flushes the GPU caches");
	igt_subtest("flush-id-changes") {
		volatile uint32_t *id = map_flush_id(fd, DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET);
		struct panthor_bo bo;
		uint32_t vm, before, after;

		igt_require_panthor_sim(fd);
		igt_panthor_vm_create(fd, &vm, 0);
		igt_panthor_bo_create(fd, &bo, 2 * PG, 0, 0);
		igt_panthor_map(fd, vm, bo.handle, 0, TEST_VA, PG, 0);
		/* A GPU access puts the VM on a slot. */
		igt_panthor_gpu_read32(fd, vm, TEST_VA);
		before = id[0];
		igt_panthor_map(fd, vm, bo.handle, PG, TEST_VA + PG, PG, 0);
		after = id[0];
		igt_info("LATEST_FLUSH_ID %#x -> %#x\n", before, after);
		igt_assert_f((int32_t)(after - before) > 0,
			     "LATEST_FLUSH_ID did not move: %#x then %#x\n",
			     before, after);
		igt_panthor_vm_destroy(fd, vm, 0);
		igt_panthor_free_bo(fd, &bo);
		munmap((void *)id, PG);
	}

	igt_describe("SET_USER_MMIO_OFFSET accepts the 32-bit and 64-bit "
		     "offsets only (EINVAL otherwise)");
	igt_subtest("set-offset-invalid") {
		static const uint64_t bad[] = {
			0, 1, PG, OFF32 + PG, OFF64 + PG, OFF32 << 1, OFF64 << 1,
			~0ULL,
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			igt_assert_eq(set_offset(fd, bad[i]), -EINVAL);
		igt_assert_eq(set_offset(fd, OFF64), 0);
		igt_assert_eq(set_offset(fd, OFF32), 0);
		igt_assert_eq(set_offset(fd, OFF64), 0);
	}

	igt_describe("After SET_USER_MMIO_OFFSET(32BIT) the page maps at "
		     "1 << 43 and no longer at 1 << 56, for this file only; "
		     "BO mmaps still work; 64BIT switches back");
	igt_subtest("set-offset-32bit") {
		struct panthor_bo bo;
		volatile uint32_t *a;
		uint32_t *cpu;
		int other, err;
		void *p;

		other = drm_open_driver(DRIVER_PANTHOR);
		igt_assert_eq(set_offset(fd, OFF32), 0);
		a = map_flush_id(fd, OFF32);
		munmap((void *)a, PG);
		p = map(fd, PG, PROT_READ, MAP_SHARED, OFF64, &err);
		igt_assert(p == MAP_FAILED);
		igt_assert_eq(err, EINVAL);

		/* Another file keeps the default. */
		a = map_flush_id(other, OFF64);
		munmap((void *)a, PG);
		p = map(other, PG, PROT_READ, MAP_SHARED, OFF32, &err);
		igt_assert(p == MAP_FAILED);
		igt_assert_eq(err, EINVAL);

		igt_panthor_bo_create(fd, &bo, PG, 0, 0);
		cpu = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			   igt_panthor_bo_mmap_offset(fd, bo.handle, 0));
		igt_assert(cpu != MAP_FAILED);
		cpu[0] = 0x1234;
		igt_assert_eq_u32(cpu[0], 0x1234);
		munmap(cpu, PG);
		igt_panthor_free_bo(fd, &bo);

		igt_assert_eq(set_offset(fd, OFF64), 0);
		a = map_flush_id(fd, OFF64);
		munmap((void *)a, PG);
		p = map(fd, PG, PROT_READ, MAP_SHARED, OFF32, &err);
		igt_assert(p == MAP_FAILED);
		igt_assert_eq(err, EINVAL);
		drm_close_driver(other);
	}

	igt_fixture() {
		drm_close_driver(fd);
	}
}
