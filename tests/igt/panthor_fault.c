// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * GPU faults on the software GPU: the exact AS_FAULTSTATUS (translation
 * fault at the level of the first invalid descriptor, permission fault on a
 * write to a read-only mapping, access type in bits 9:8) and fault address
 * for accesses through DRM_IOCTL_PANTHOR_SIM_GPU_ACCESS, and what a fault
 * does to the VM: it becomes UNUSABLE, further accesses fail with EINVAL,
 * MAP is refused, UNMAP and destroy still work, and other VMs (of this and
 * of another DRM file) keep working.
 *
 * Page-table levels of a 48-bit VM (4 KiB granule): L0 entries cover
 * 512 GiB, L1 1 GiB, L2 2 MiB, L3 4 KiB. An empty VM has a root table with
 * no valid entry, so any access faults at level 0.
 */

#include <sys/mman.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_panthor_sim.h"
#include "panthor_drm.h"

IGT_TEST_DESCRIPTION("GPU faults: exact FAULTSTATUS, VM state after a fault");

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define MAP_VA	UINT64_C(0x1000)

static int fd = -1;

/* A VM with one 4 KiB page of a pattern BO mapped at MAP_VA. */
static uint32_t vm_with_page(uint32_t *bo, uint32_t seed, uint32_t flags)
{
	uint32_t vm = igt_panthor_vm_create_range(fd, NULL);

	*bo = igt_panthor_pattern_bo(fd, SZ_4K, seed);
	igt_panthor_map(fd, vm, *bo, 0, MAP_VA, SZ_4K, flags);
	igt_assert_eq_u32(igt_panthor_gpu_read32(fd, vm, MAP_VA),
			  igt_panthor_pattern(seed, 0));
	return vm;
}

struct level_case {
	const char *name;
	uint64_t va;		/* accessed address */
	bool map_first;		/* with a 4 KiB page mapped at MAP_VA */
	uint32_t code;
};

static const struct level_case level_cases[] = {
	/* Nothing mapped: the root (L0) entry is invalid. */
	{ "empty-vm", 0x1000, false, IGT_PANTHOR_FAULT_TRANSLATION | 0 },
	{ "empty-vm-high", UINT64_C(0x7ffffffff000), false,
	  IGT_PANTHOR_FAULT_TRANSLATION | 0 },
	/* Next page of the same L3 table: the L3 entry is invalid. */
	{ "level3", 0x2000, true, IGT_PANTHOR_FAULT_TRANSLATION | 3 },
	{ "level3-page0", 0x0, true, IGT_PANTHOR_FAULT_TRANSLATION | 3 },
	{ "level3-end-of-2M", 0x1ff000, true, IGT_PANTHOR_FAULT_TRANSLATION | 3 },
	/* Next 2 MiB of the same 1 GiB: the L2 entry is invalid. */
	{ "level2", 0x200000, true, IGT_PANTHOR_FAULT_TRANSLATION | 2 },
	{ "level2-end-of-1G", 0x3ffff000, true,
	  IGT_PANTHOR_FAULT_TRANSLATION | 2 },
	/* Next 1 GiB of the same 512 GiB: the L1 entry is invalid. */
	{ "level1", UINT64_C(0x40000000), true,
	  IGT_PANTHOR_FAULT_TRANSLATION | 1 },
	/* Next 512 GiB: the L0 entry is invalid. */
	{ "level0", UINT64_C(0x8000000000), true,
	  IGT_PANTHOR_FAULT_TRANSLATION | 0 },
};

struct bad_access {
	const char *name;
	uint32_t vm;		/* 0: use the test VM */
	uint32_t flags;
	uint64_t size;
	uint32_t pad;
	int err;
};

static const struct bad_access bad_accesses[] = {
	{ "unknown-vm", 0xdead, 0, 4, 0, ENOENT },
	{ "vm-zero", ~0u, 0, 4, 0, ENOENT },
	{ "unknown-flags", 0, 2, 4, 0, EINVAL },
	{ "size-zero", 0, 0, 0, 0, EINVAL },
	{ "size-above-1M", 0, 0, SZ_1M + 4, 0, EINVAL },
	{ "pad", 0, 0, 4, 1, EINVAL },
};

int igt_main()
{
	igt_fixture() {
		igt_panthor_skip_on_big_endian();
		fd = drm_open_driver(DRIVER_PANTHOR);
		igt_require_panthor_sim(fd);
		igt_require_f(igt_panthor_va_bits(fd) == 48,
			      "the levels assume a 48-bit GPU VA\n");
	}

	igt_describe("A read of an unmapped VA faults with a read translation "
		     "fault at the level of the first invalid descriptor, and "
		     "reports the VA");
	igt_subtest_with_dynamic("translation-fault-level") {
		for (size_t i = 0; i < ARRAY_LEN(level_cases); i++) {
			const struct level_case *c = &level_cases[i];

			igt_dynamic(c->name) {
				uint32_t vm, bo = 0;

				if (c->map_first) {
					vm = vm_with_page(&bo, 3, 0);
				} else {
					vm = igt_panthor_vm_create_range(fd, NULL);
				}
				igt_panthor_assert_fault(fd, vm, c->va, false,
							 c->code);
				igt_panthor_vm_destroy(fd, vm, 0);
				if (bo)
					gem_close(fd, bo);
			}
		}
	}

	igt_describe("A write of an unmapped VA reports access type write (3)");
	igt_subtest("translation-fault-write") {
		uint32_t bo, vm = vm_with_page(&bo, 4, 0);

		igt_panthor_assert_fault(fd, vm, 0x3000, true,
					 IGT_PANTHOR_FAULT_TRANSLATION | 3);
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("A fault address inside a page is reported exactly");
	igt_subtest("fault-address-in-page") {
		uint32_t bo, vm = vm_with_page(&bo, 5, 0);

		igt_panthor_assert_fault(fd, vm, 0x5abc, false,
					 IGT_PANTHOR_FAULT_TRANSLATION | 3);
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("A read-only mapping reads fine; a GPU write to it is a "
		     "level-3 permission fault (0xcb) with access type write");
	igt_subtest("permission-fault-readonly") {
		uint32_t bo, vm = vm_with_page(&bo, 6,
					       DRM_PANTHOR_VM_BIND_OP_MAP_READONLY);

		igt_panthor_assert_fault(fd, vm, MAP_VA + 0x40, true,
					 IGT_PANTHOR_FAULT_PERMISSION | 3);
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("A read after UNMAP faults (read translation fault)");
	igt_subtest("fault-after-unmap") {
		uint32_t bo, fs, vm = vm_with_page(&bo, 7, 0);
		uint64_t fa = 0;

		igt_panthor_unmap(fd, vm, MAP_VA, SZ_4K);
		fs = igt_panthor_gpu_fault(fd, vm, MAP_VA, false, &fa);
		igt_assert_f((fs & 0xf8) == IGT_PANTHOR_FAULT_TRANSLATION &&
			     ((fs >> 8) & 3) == IGT_PANTHOR_ACCESS_READ,
			     "FAULTSTATUS %#x, expected a read translation "
			     "fault\n", fs);
		igt_assert_eq_u64(fa, MAP_VA);
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("After a fault the VM is UNUSABLE: accesses fail with "
		     "EINVAL, MAP is EINVAL, UNMAP and VM_DESTROY still work");
	igt_subtest("vm-state-after-fault") {
		uint32_t bo, st, vm = vm_with_page(&bo, 8, 0);
		uint32_t word = 0;
		int err;

		igt_assert_eq_u32(igt_panthor_vm_get_state(fd, vm),
				  DRM_PANTHOR_VM_STATE_USABLE);
		igt_panthor_gpu_fault(fd, vm, 0x200000, false, NULL);
		igt_assert_eq(__igt_panthor_vm_get_state(fd, vm, &st), 0);
		igt_assert_f(st == DRM_PANTHOR_VM_STATE_UNUSABLE,
			     "state after a fault: %u\n", st);

		/* Even the mapped page is out of reach now. */
		err = __igt_panthor_gpu_access(fd, vm, MAP_VA, &word, 4, false,
					       NULL, NULL);
		igt_assert_f(err == -EINVAL, "access to an unusable VM: %d\n",
			     err);
		err = __igt_panthor_gpu_access(fd, vm, MAP_VA, &word, 4, true,
					       NULL, NULL);
		igt_assert_f(err == -EINVAL, "write to an unusable VM: %d\n",
			     err);

		igt_panthor_vm_bind(fd, vm, bo, 0x10000, SZ_4K,
				    DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, EINVAL);
		igt_panthor_vm_bind(fd, vm, 0, MAP_VA, SZ_4K,
				    DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, 0);
		igt_assert_eq(__igt_panthor_vm_get_state(fd, vm, &st), 0);
		igt_assert_eq_u32(st, DRM_PANTHOR_VM_STATE_UNUSABLE);
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("A fault in one VM leaves other VMs, of this file and of "
		     "another one, working");
	igt_subtest("other-vms-keep-working") {
		int fd2 = drm_open_driver(DRIVER_PANTHOR);
		uint32_t bo_a, bo_b, vm_a, vm_b, vm_c, bo_c = 0;
		struct panthor_bo c;

		vm_a = vm_with_page(&bo_a, 9, 0);
		vm_b = vm_with_page(&bo_b, 10, 0);

		igt_panthor_bo_create_mapped(fd2, &c, SZ_4K, 0, 0);
		igt_panthor_pattern_fill(c.map, SZ_4K, 11, 0);
		munmap(c.map, c.size);
		bo_c = c.handle;
		vm_c = igt_panthor_vm_create_range(fd2, NULL);
		igt_panthor_map(fd2, vm_c, bo_c, 0, MAP_VA, SZ_4K, 0);
		igt_assert_eq_u32(igt_panthor_gpu_read32(fd2, vm_c, MAP_VA),
				  igt_panthor_pattern(11, 0));

		igt_panthor_assert_fault(fd, vm_a, 0x400000, false,
					 IGT_PANTHOR_FAULT_TRANSLATION | 2);

		for (int round = 0; round < 3; round++) {
			igt_assert_eq_u32(igt_panthor_gpu_read32(fd, vm_b,
								 MAP_VA + 8 * round),
					  igt_panthor_pattern(10, 8 * round));
			igt_assert_eq_u32(igt_panthor_gpu_read32(fd2, vm_c,
								 MAP_VA + 8 * round),
					  igt_panthor_pattern(11, 8 * round));
		}
		igt_assert_eq_u32(igt_panthor_vm_get_state(fd, vm_b),
				  DRM_PANTHOR_VM_STATE_USABLE);
		igt_assert_eq_u32(igt_panthor_vm_get_state(fd2, vm_c),
				  DRM_PANTHOR_VM_STATE_USABLE);

		/* A second fault, in another VM, is reported as well. */
		igt_panthor_assert_fault(fd, vm_b, 0x2000, true,
					 IGT_PANTHOR_FAULT_TRANSLATION | 3);
		igt_assert_eq_u32(igt_panthor_gpu_read32(fd2, vm_c, MAP_VA),
				  igt_panthor_pattern(11, 0));

		igt_panthor_vm_destroy(fd, vm_a, 0);
		igt_panthor_vm_destroy(fd, vm_b, 0);
		gem_close(fd, bo_a);
		gem_close(fd, bo_b);
		drm_close_driver(fd2);
	}

	igt_describe("vm_stats shows the fault: state unusable, faults 1");
	igt_subtest("vm-stats-after-fault") {
		struct igt_panthor_vm_stats st;
		uint32_t bo, vm;

		igt_require_panthor_vm_stats(fd);
		vm = vm_with_page(&bo, 12, 0);
		igt_assert_f(igt_panthor_vm_stats(fd, vm, &st),
			     "no vm_stats line for pid %d vm %u\n", getpid(), vm);
		igt_assert_f(st.usable && st.faults == 0 && st.mapped == SZ_4K,
			     "before: usable %d faults %" PRIu64 " mapped %"
			     PRIu64 "\n", st.usable, st.faults, st.mapped);
		igt_panthor_gpu_fault(fd, vm, 0x8000, false, NULL);
		igt_assert(igt_panthor_vm_stats(fd, vm, &st));
		igt_assert_f(!st.usable && st.faults == 1,
			     "after: usable %d faults %" PRIu64 "\n", st.usable,
			     st.faults);
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("Invalid SIM_GPU_ACCESS arguments are rejected");
	igt_subtest_with_dynamic("access-invalid") {
		uint32_t bo, vm = vm_with_page(&bo, 13, 0);
		static uint8_t buf[SZ_1M + 8];

		for (size_t i = 0; i < ARRAY_LEN(bad_accesses); i++) {
			const struct bad_access *c = &bad_accesses[i];

			igt_dynamic(c->name) {
				struct drm_panthor_sim_gpu_access a = {
					.vm_id = c->vm ? c->vm : vm,
					.flags = c->flags,
					.va = MAP_VA,
					.size = c->size,
					.data = (uintptr_t)buf,
					.pad = c->pad,
				};

				if (c->vm == ~0u)
					a.vm_id = 0;
				do_ioctl_err(fd, DRM_IOCTL_PANTHOR_SIM_GPU_ACCESS,
					     &a, c->err);
				igt_assert_eq_u32(a.fault_status, 0);
			}
		}
		igt_dynamic("bad-pointer") {
			struct drm_panthor_sim_gpu_access a = {
				.vm_id = vm,
				.va = MAP_VA,
				.size = 4,
				.data = 0x10,
			};

			do_ioctl_err(fd, DRM_IOCTL_PANTHOR_SIM_GPU_ACCESS, &a,
				     EFAULT);
		}
		/* None of this broke the VM. */
		igt_assert_eq_u32(igt_panthor_gpu_read32(fd, vm, MAP_VA),
				  igt_panthor_pattern(13, 0));
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_fixture() {
		drm_close_driver(fd);
	}
}
