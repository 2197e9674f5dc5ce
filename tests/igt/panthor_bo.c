// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * Buffer objects: BO_CREATE (size rounding, zeroing, every rejected
 * argument), BO_MMAP_OFFSET, NO_MMAP, exclusive BOs (no PRIME export, no
 * mapping in another VM), PRIME import (a vgem buffer maps and shows its
 * data; our own export comes back as the same BO), CPU and GPU views of
 * the same memory, and GEM close while the BO is still mapped in a VM
 * (the mapping keeps its pages). The uAPI 1.4/1.7 BO ioctls (labels,
 * BO_QUERY_INFO, BO_SYNC) are tested by panthor_bo_ext.
 *
 * GPU-side checks use the software GPU's SIM_GPU_ACCESS ioctl and skip on
 * a kernel without it.
 */

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_panthor_sim.h"
#include "igt_vgem.h"
#include "panthor_drm.h"

IGT_TEST_DESCRIPTION("panthor buffer objects: creation, mmap, exclusivity, lifetime");

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* A VA that no test maps anything else at. */
#define TEST_VA 0x10000000ULL

static int bo_create_raw(int fd, struct drm_panthor_bo_create *c)
{
	int err = 0;

	if (igt_ioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, c))
		err = -errno;
	errno = 0;
	return err;
}

static void *mmap_bo(int fd, uint32_t handle, uint64_t size)
{
	uint64_t off = igt_panthor_bo_mmap_offset(fd, handle, 0);
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);

	igt_assert_f(p != MAP_FAILED, "mmap of BO %u (offset %#" PRIx64
		     ") failed: %s\n", handle, off, strerror(errno));
	return p;
}

static bool all_zero(const void *p, uint64_t size, uint64_t *bad)
{
	const uint64_t *q = p;

	for (uint64_t i = 0; i < size / 8; i++) {
		if (q[i]) {
			*bad = i * 8;
			return false;
		}
	}
	return true;
}

struct size_case {
	const char *name;
	uint64_t in;
	uint64_t out;
};

static const struct size_case size_cases[] = {
	{ "1", 1, SZ_4K },
	{ "4095", 4095, SZ_4K },
	{ "4096", 4096, SZ_4K },
	{ "4097", 4097, SZ_8K },
	{ "5000", 5000, SZ_8K },
	{ "2M-plus-1", SZ_2M + 1, SZ_2M + SZ_4K },
};

enum excl { EXCL_NONE, EXCL_BOGUS, EXCL_DESTROYED };

struct bad_bo_case {
	const char *name;
	uint64_t size;
	uint32_t flags;
	uint32_t pad;
	enum excl excl;
};

static const struct bad_bo_case bad_bo_cases[] = {
	{ "size-zero", 0, 0, 0, EXCL_NONE },
	{ "pad", SZ_4K, 0, 1, EXCL_NONE },
	{ "unknown-flag-bit2", SZ_4K, 1u << 2, 0, EXCL_NONE },
	{ "unknown-flag-bit31", SZ_4K, 1u << 31, 0, EXCL_NONE },
	{ "no-mmap-and-wb-mmap", SZ_4K,
	  DRM_PANTHOR_BO_NO_MMAP | DRM_PANTHOR_BO_WB_MMAP, 0, EXCL_NONE },
	{ "exclusive-vm-bogus", SZ_4K, 0, 0, EXCL_BOGUS },
	{ "exclusive-vm-destroyed", SZ_4K, 0, 0, EXCL_DESTROYED },
	/* Page array beyond kvmalloc()'s INT_MAX: 1 TiB and up. */
	{ "size-1T", UINT64_C(1) << 40, 0, 0, EXCL_NONE },
	{ "size-u64-max", UINT64_MAX, 0, 0, EXCL_NONE },
};

static int fd = -1;
static bool sim;

int igt_main()
{

	igt_fixture() {
		igt_panthor_skip_on_big_endian();
		fd = drm_open_driver(DRIVER_PANTHOR);
		sim = igt_panthor_has_sim(fd);
	}

	igt_describe("BO_CREATE returns a non-zero handle and the page-rounded size");
	igt_subtest("bo-create") {
		struct panthor_bo bo;

		igt_panthor_bo_create(fd, &bo, SZ_64K, 0, 0);
		igt_assert_neq(bo.handle, 0);
		igt_assert_eq_u64(bo.size, SZ_64K);
		igt_panthor_free_bo(fd, &bo);
	}

	igt_describe("BO_CREATE rounds the size up to 4 KiB and writes it back");
	igt_subtest_with_dynamic("bo-create-round-size") {
		for (size_t i = 0; i < ARRAY_LEN(size_cases); i++) {
			igt_dynamic(size_cases[i].name) {
				struct panthor_bo bo;

				igt_panthor_bo_create(fd, &bo, size_cases[i].in,
						      0, 0);
				igt_assert_f(bo.size == size_cases[i].out,
					     "size %#" PRIx64 " came back as %#"
					     PRIx64 ", expected %#" PRIx64 "\n",
					     size_cases[i].in, bo.size,
					     size_cases[i].out);
				igt_panthor_free_bo(fd, &bo);
			}
		}
	}

	igt_describe("Every rejected BO_CREATE argument fails with EINVAL");
	igt_subtest_with_dynamic("bo-create-invalid") {
		for (size_t i = 0; i < ARRAY_LEN(bad_bo_cases); i++) {
			const struct bad_bo_case *c = &bad_bo_cases[i];

			igt_dynamic(c->name) {
				struct drm_panthor_bo_create b = {
					.size = c->size,
					.flags = c->flags,
					.pad = c->pad,
				};
				uint32_t vm;

				if (c->excl == EXCL_BOGUS) {
					b.exclusive_vm_id = 0xdead;
				} else if (c->excl == EXCL_DESTROYED) {
					igt_panthor_vm_create(fd, &vm, 0);
					igt_panthor_vm_destroy(fd, vm, 0);
					b.exclusive_vm_id = vm;
				}
				igt_assert_eq(bo_create_raw(fd, &b), -EINVAL);
				igt_assert_f(b.handle == 0,
					     "rejected BO_CREATE returned handle %u\n",
					     b.handle);
			}
		}
	}

	igt_describe("A BO exclusive to a live VM can be created");
	igt_subtest("bo-create-exclusive") {
		struct drm_panthor_bo_create b = { .size = SZ_64K };
		uint32_t vm;

		igt_panthor_vm_create(fd, &vm, 0);
		b.exclusive_vm_id = vm;
		igt_assert_eq(bo_create_raw(fd, &b), 0);
		igt_assert_neq(b.handle, 0);
		gem_close(fd, b.handle);
		igt_panthor_vm_destroy(fd, vm, 0);
	}

	igt_describe("New BOs read as zero through the CPU, even when the "
		     "memory was just used and freed by another BO");
	igt_subtest("bo-zeroed") {
		struct panthor_bo bo;
		uint64_t bad = 0;
		void *p;

		for (int round = 0; round < 4; round++) {
			igt_panthor_bo_create(fd, &bo, SZ_2M, 0, 0);
			p = mmap_bo(fd, bo.handle, bo.size);
			igt_assert_f(all_zero(p, bo.size, &bad),
				     "round %d: byte %#" PRIx64 " of a new BO "
				     "is not zero\n", round, bad);
			/* Dirty the pages before freeing them. */
			memset(p, 0xa5, bo.size);
			munmap(p, bo.size);
			gem_close(fd, bo.handle);
		}
	}

	igt_describe("New BOs read as zero through the GPU");
	igt_subtest("bo-zeroed-gpu") {
		static uint8_t buf[SZ_64K];
		struct panthor_bo bo;
		uint64_t bad = 0;
		uint32_t vm;

		igt_require_panthor_sim(fd);
		igt_panthor_vm_create(fd, &vm, 0);
		igt_panthor_bo_create(fd, &bo, SZ_64K, DRM_PANTHOR_BO_NO_MMAP, 0);
		igt_panthor_map(fd, vm, bo.handle, 0, TEST_VA, SZ_64K, 0);
		memset(buf, 0xa5, sizeof(buf));
		igt_panthor_gpu_read(fd, vm, TEST_VA, buf, sizeof(buf));
		igt_assert_f(all_zero(buf, sizeof(buf), &bad),
			     "GPU read byte %#" PRIx64 " of a new BO: %#x\n",
			     bad, buf[bad]);
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, bo.handle);
	}

	igt_describe("BO_MMAP_OFFSET returns a non-zero, page-aligned offset");
	igt_subtest("bo-mmap-offset") {
		struct panthor_bo bo;
		uint64_t off;

		igt_panthor_bo_create(fd, &bo, SZ_4K, 0, 0);
		off = igt_panthor_bo_mmap_offset(fd, bo.handle, 0);
		igt_assert_neq_u64(off, 0);
		igt_assert_eq_u64(off % SZ_4K, 0);
		/* Asking twice gives the same offset. */
		igt_assert_eq_u64(igt_panthor_bo_mmap_offset(fd, bo.handle, 0),
				  off);
		igt_panthor_free_bo(fd, &bo);
	}

	igt_describe("BO_MMAP_OFFSET: bad handle is ENOENT, non-zero pad EINVAL");
	igt_subtest("bo-mmap-offset-invalid") {
		struct drm_panthor_bo_mmap_offset a = { .handle = 0xdeadbeef };
		struct panthor_bo bo;

		do_ioctl_err(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &a, ENOENT);
		igt_panthor_bo_create(fd, &bo, SZ_4K, 0, 0);
		a.handle = bo.handle;
		a.pad = 1;
		do_ioctl_err(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &a, EINVAL);
		igt_panthor_free_bo(fd, &bo);
	}

	igt_describe("A NO_MMAP BO gets no mmap offset: BO_MMAP_OFFSET is EPERM");
	igt_subtest("bo-no-mmap") {
		struct panthor_bo bo;

		igt_panthor_bo_create(fd, &bo, SZ_4K, DRM_PANTHOR_BO_NO_MMAP, 0);
		igt_panthor_bo_mmap_offset(fd, bo.handle, EPERM);
		gem_close(fd, bo.handle);
	}

	igt_describe("Data written through a CPU mmap is read back by the GPU "
		     "at its VA, and GPU writes show in the CPU mapping");
	igt_subtest("bo-cpu-gpu") {
		static uint32_t buf[SZ_64K / 4];
		struct panthor_bo bo;
		uint64_t bad = 0;
		uint32_t vm;
		void *p;

		igt_require_panthor_sim(fd);
		igt_panthor_vm_create(fd, &vm, 0);
		igt_panthor_bo_create(fd, &bo, SZ_64K, 0, 0);
		p = mmap_bo(fd, bo.handle, bo.size);

		igt_panthor_pattern_fill(p, SZ_64K, 11, 0);
		igt_panthor_map(fd, vm, bo.handle, 0, TEST_VA, SZ_64K, 0);
		igt_panthor_gpu_read(fd, vm, TEST_VA, buf, SZ_64K);
		igt_assert_f(igt_panthor_pattern_check(buf, SZ_64K, 11, 0, &bad),
			     "GPU read of CPU-written data wrong at +%#" PRIx64
			     "\n", bad);

		igt_panthor_pattern_fill(buf, SZ_64K, 12, 0);
		igt_panthor_gpu_write(fd, vm, TEST_VA, buf, SZ_64K);
		igt_assert_f(igt_panthor_pattern_check(p, SZ_64K, 12, 0, &bad),
			     "CPU read of GPU-written data wrong at +%#" PRIx64
			     "\n", bad);

		/* A CPU write after GPU access is seen by the next GPU read. */
		((uint32_t *)p)[100] = 0xfeedf00d;
		igt_assert_eq_u32(igt_panthor_gpu_read32(fd, vm, TEST_VA + 400),
				  0xfeedf00d);

		munmap(p, bo.size);
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, bo.handle);
	}

	igt_describe("An exclusive BO cannot be PRIME-exported; a shared one can");
	igt_subtest("bo-exclusive-no-export") {
		struct drm_panthor_bo_create b = { .size = SZ_4K };
		struct panthor_bo shared;
		int dmabuf = -1, ret;
		uint32_t vm;

		igt_panthor_vm_create(fd, &vm, 0);
		b.exclusive_vm_id = vm;
		igt_assert_eq(bo_create_raw(fd, &b), 0);
		ret = drmPrimeHandleToFD(fd, b.handle, DRM_CLOEXEC | DRM_RDWR,
					 &dmabuf);
		igt_assert_f(ret != 0 && errno == EINVAL,
			     "export of an exclusive BO: ret %d errno %d\n",
			     ret, errno);
		errno = 0;

		igt_panthor_bo_create(fd, &shared, SZ_4K, 0, 0);
		ret = drmPrimeHandleToFD(fd, shared.handle,
					 DRM_CLOEXEC | DRM_RDWR, &dmabuf);
		igt_assert_f(ret == 0 && dmabuf >= 0,
			     "export of a shared BO failed: %s\n",
			     strerror(errno));
		close(dmabuf);

		gem_close(fd, b.handle);
		igt_panthor_free_bo(fd, &shared);
		igt_panthor_vm_destroy(fd, vm, 0);
	}

	igt_describe("A BO imported from another device (vgem) maps, and the "
		     "GPU reads what the CPU wrote through vgem; our own export "
		     "re-imports as the same BO and maps");
	igt_subtest("bo-import") {
		struct vgem_bo vbo = { .width = 1024, .height = 4, .bpp = 32 };
		static uint32_t buf[SZ_16K / 4];
		struct panthor_bo own;
		uint32_t vm, handle = 0, again = 0;
		uint64_t bad = 0;
		int vgem, dmabuf = -1;
		void *cpu;

		vgem = __drm_open_driver(DRIVER_VGEM);
		igt_require_f(vgem >= 0, "no vgem device to import from\n");

		igt_panthor_vm_create(fd, &vm, 0);
		vgem_create(vgem, &vbo);
		igt_assert_f(vbo.size >= SZ_16K, "vgem buffer of %" PRIu64
			     " bytes\n", vbo.size);
		cpu = vgem_mmap(vgem, &vbo, PROT_READ | PROT_WRITE);
		igt_panthor_pattern_fill(cpu, SZ_16K, 41, 0);
		munmap(cpu, vbo.size);
		igt_assert_eq(drmPrimeHandleToFD(vgem, vbo.handle, DRM_CLOEXEC,
						 &dmabuf), 0);
		igt_assert_eq(drmPrimeFDToHandle(fd, dmabuf, &handle), 0);
		close(dmabuf);
		igt_panthor_vm_bind_offset(fd, vm, handle, 0x200000, SZ_16K, 0,
					   DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, 0);
		igt_assert_eq_u32(igt_panthor_vm_get_state(fd, vm),
				  DRM_PANTHOR_VM_STATE_USABLE);
		if (sim) {
			igt_panthor_gpu_read(fd, vm, 0x200000, buf, SZ_16K);
			igt_assert_f(igt_panthor_pattern_check(buf, SZ_16K, 41,
							       0, &bad),
				     "GPU read of the vgem buffer wrong at +%#"
				     PRIx64 ": %#x\n", bad, buf[bad / 4]);
		}
		igt_panthor_unmap(fd, vm, 0x200000, SZ_16K);
		gem_close(fd, handle);
		gem_close(vgem, vbo.handle);

		/* Our own BO comes back as itself and stays bindable. */
		igt_panthor_bo_create(fd, &own, SZ_4K, 0, 0);
		igt_assert_eq(drmPrimeHandleToFD(fd, own.handle, DRM_CLOEXEC,
						 &dmabuf), 0);
		igt_assert_eq(drmPrimeFDToHandle(fd, dmabuf, &again), 0);
		close(dmabuf);
		igt_assert_eq_u32(again, own.handle);
		igt_panthor_vm_bind_offset(fd, vm, own.handle, 0x200000, SZ_4K,
					   0, DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, 0);

		igt_panthor_free_bo(fd, &own);
		igt_panthor_vm_destroy(fd, vm, 0);
		close(vgem);
	}

	igt_describe("An exclusive BO maps in its VM and nowhere else (EINVAL)");
	igt_subtest("bo-exclusive-other-vm") {
		struct drm_panthor_bo_create b = { .size = SZ_64K };
		uint32_t vm_a, vm_b;

		igt_panthor_vm_create(fd, &vm_a, 0);
		igt_panthor_vm_create(fd, &vm_b, 0);
		b.exclusive_vm_id = vm_a;
		igt_assert_eq(bo_create_raw(fd, &b), 0);

		igt_panthor_vm_bind(fd, vm_b, b.handle, TEST_VA, SZ_64K,
				    DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, EINVAL);
		igt_panthor_vm_bind(fd, vm_a, b.handle, TEST_VA, SZ_64K,
				    DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, 0);
		if (sim) {
			uint32_t w = 0x13572468;

			igt_panthor_gpu_write(fd, vm_a, TEST_VA + SZ_4K, &w, 4);
			igt_assert_eq_u32(igt_panthor_gpu_read32(fd, vm_a,
								 TEST_VA + SZ_4K),
					  w);
		}
		igt_panthor_vm_destroy(fd, vm_a, 0);
		igt_panthor_vm_destroy(fd, vm_b, 0);
		gem_close(fd, b.handle);
	}

	igt_describe("Closing the GEM handle of a mapped BO keeps the mapping "
		     "working: GPU reads still return the BO's data");
	igt_subtest("gem-close-while-mapped") {
		static uint32_t buf[SZ_2M / 4];
		struct panthor_bo bo;
		uint64_t bad = 0;
		uint32_t vm;
		void *p;

		igt_require_panthor_sim(fd);
		igt_panthor_vm_create(fd, &vm, 0);
		igt_panthor_bo_create(fd, &bo, SZ_2M, 0, 0);
		p = mmap_bo(fd, bo.handle, bo.size);
		igt_panthor_pattern_fill(p, SZ_2M, 21, 0);
		munmap(p, bo.size);

		igt_panthor_map(fd, vm, bo.handle, 0, TEST_VA, SZ_2M, 0);
		gem_close(fd, bo.handle);
		/* The handle is gone... */
		igt_assert_eq(__gem_close(fd, bo.handle), -EINVAL);

		/* ...but the pages are not: churn memory, then read. */
		for (int i = 0; i < 8; i++) {
			struct panthor_bo tmp;
			void *q;

			igt_panthor_bo_create(fd, &tmp, SZ_2M, 0, 0);
			q = mmap_bo(fd, tmp.handle, tmp.size);
			memset(q, 0x5a, tmp.size);
			munmap(q, tmp.size);
			gem_close(fd, tmp.handle);
		}
		igt_panthor_gpu_read(fd, vm, TEST_VA, buf, SZ_2M);
		igt_assert_f(igt_panthor_pattern_check(buf, SZ_2M, 21, 0, &bad),
			     "after GEM close the mapping reads %#x at +%#"
			     PRIx64 ", expected %#x\n", buf[bad / 4], bad,
			     igt_panthor_pattern(21, bad));

		/* Unmapping drops the last reference; the VM stays healthy. */
		igt_panthor_unmap(fd, vm, TEST_VA, SZ_2M);
		igt_assert_eq_u32(igt_panthor_vm_get_state(fd, vm),
				  DRM_PANTHOR_VM_STATE_USABLE);
		igt_panthor_vm_destroy(fd, vm, 0);
	}

	igt_describe("Destroying a VM with mappings leaves its BOs usable in "
		     "another VM");
	igt_subtest("vm-destroy-keeps-bo") {
		struct panthor_bo bo;
		uint32_t vm_a, vm_b;
		void *p;

		igt_require_panthor_sim(fd);
		igt_panthor_bo_create(fd, &bo, SZ_64K, 0, 0);
		p = mmap_bo(fd, bo.handle, bo.size);
		igt_panthor_pattern_fill(p, SZ_64K, 31, 0);
		munmap(p, bo.size);

		igt_panthor_vm_create(fd, &vm_a, 0);
		igt_panthor_map(fd, vm_a, bo.handle, 0, TEST_VA, SZ_64K, 0);
		igt_assert_eq_u32(igt_panthor_gpu_read32(fd, vm_a, TEST_VA),
				  igt_panthor_pattern(31, 0));
		igt_panthor_vm_destroy(fd, vm_a, 0);

		igt_panthor_vm_create(fd, &vm_b, 0);
		igt_panthor_map(fd, vm_b, bo.handle, 0, TEST_VA, SZ_64K, 0);
		igt_assert_eq_u32(igt_panthor_gpu_read32(fd, vm_b,
							 TEST_VA + SZ_32K),
				  igt_panthor_pattern(31, SZ_32K));
		igt_panthor_vm_destroy(fd, vm_b, 0);
		gem_close(fd, bo.handle);
	}

	igt_fixture() {
		drm_close_driver(fd);
	}
}
