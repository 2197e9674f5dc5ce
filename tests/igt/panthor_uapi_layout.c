// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * Checks that panthor_drm.h keeps the binary layout of upstream panthor
 * uAPI 1.9 plus the panthor-vm extensions, and panthor_vm_sim.h the layout
 * of the software GPU's test ioctls. panthor_uapi_asserts.h fails the
 * build on any size, offset, value or ioctl-number change; the subtests
 * re-check the ioctl numbers and sizes at run time so the check also shows
 * in the test results. Needs no device.
 */

#include <sys/ioctl.h>

#include "igt.h"
#include "panthor_drm.h"
#include "panthor_vm_sim.h"
#include "panthor_uapi_asserts.h"

IGT_TEST_DESCRIPTION("Layout of the panthor uAPI structures and ioctl numbers");

struct ioctl_case {
	const char *name;
	unsigned long cmd;
	unsigned int nr;
	unsigned int size;
	unsigned long generic;	/* number with the generic _IOC encoding */
};

#define IOCTL_CASE(n, id, type, num) \
	{ #n, DRM_IOCTL_PANTHOR_##n, id, sizeof(struct type), num }

static const struct ioctl_case ioctls[] = {
	IOCTL_CASE(DEV_QUERY, 0x00, drm_panthor_dev_query, 0xc0106440),
	IOCTL_CASE(VM_CREATE, 0x01, drm_panthor_vm_create, 0xc0106441),
	IOCTL_CASE(VM_DESTROY, 0x02, drm_panthor_vm_destroy, 0xc0086442),
	IOCTL_CASE(VM_BIND, 0x03, drm_panthor_vm_bind, 0xc0186443),
	IOCTL_CASE(VM_GET_STATE, 0x04, drm_panthor_vm_get_state, 0xc0086444),
	IOCTL_CASE(BO_CREATE, 0x05, drm_panthor_bo_create, 0xc0186445),
	IOCTL_CASE(BO_MMAP_OFFSET, 0x06, drm_panthor_bo_mmap_offset, 0xc0106446),
	IOCTL_CASE(GROUP_CREATE, 0x07, drm_panthor_group_create, 0xc0386447),
	IOCTL_CASE(GROUP_DESTROY, 0x08, drm_panthor_group_destroy, 0xc0086448),
	IOCTL_CASE(GROUP_SUBMIT, 0x09, drm_panthor_group_submit, 0xc0186449),
	IOCTL_CASE(GROUP_GET_STATE, 0x0a, drm_panthor_group_get_state, 0xc010644a),
	IOCTL_CASE(TILER_HEAP_CREATE, 0x0b, drm_panthor_tiler_heap_create, 0xc028644b),
	IOCTL_CASE(TILER_HEAP_DESTROY, 0x0c, drm_panthor_tiler_heap_destroy, 0xc008644c),
	IOCTL_CASE(BO_SET_LABEL, 0x0d, drm_panthor_bo_set_label, 0xc010644d),
	IOCTL_CASE(SET_USER_MMIO_OFFSET, 0x0e, drm_panthor_set_user_mmio_offset, 0xc008644e),
	IOCTL_CASE(BO_SYNC, 0x0f, drm_panthor_bo_sync, 0xc010644f),
	IOCTL_CASE(BO_QUERY_INFO, 0x10, drm_panthor_bo_query_info, 0xc0106450),
	IOCTL_CASE(SIM_GPU_ACCESS, 0x30, drm_panthor_sim_gpu_access, 0xc0386470),
	IOCTL_CASE(SIM_AGENT, 0x31, drm_panthor_sim_agent, 0xc0406471),
};

struct size_case {
	const char *name;
	size_t size;
	size_t expected;
};

#define SIZE_CASE(type, bytes) { #type, sizeof(struct type), bytes }

static const struct size_case sizes[] = {
	SIZE_CASE(drm_panthor_obj_array, 16),
	SIZE_CASE(drm_panthor_sync_op, 16),
	SIZE_CASE(drm_panthor_dev_query, 16),
	SIZE_CASE(drm_panthor_gpu_info, 112),
	SIZE_CASE(drm_panthor_csif_info, 24),
	SIZE_CASE(drm_panthor_timestamp_info, 56),
	SIZE_CASE(drm_panthor_mmu_info, 8),
	SIZE_CASE(drm_panthor_group_priorities_info, 4),
	SIZE_CASE(drm_panthor_vm_create, 16),
	SIZE_CASE(drm_panthor_vm_destroy, 8),
	SIZE_CASE(drm_panthor_vm_bind_op, 56),
	SIZE_CASE(drm_panthor_vm_bind, 24),
	SIZE_CASE(drm_panthor_vm_get_state, 8),
	SIZE_CASE(drm_panthor_bo_create, 24),
	SIZE_CASE(drm_panthor_bo_mmap_offset, 16),
	SIZE_CASE(drm_panthor_queue_create, 8),
	SIZE_CASE(drm_panthor_group_create, 56),
	SIZE_CASE(drm_panthor_group_destroy, 8),
	SIZE_CASE(drm_panthor_queue_submit, 40),
	SIZE_CASE(drm_panthor_group_submit, 24),
	SIZE_CASE(drm_panthor_group_get_state, 16),
	SIZE_CASE(drm_panthor_tiler_heap_create, 40),
	SIZE_CASE(drm_panthor_tiler_heap_destroy, 8),
	SIZE_CASE(drm_panthor_bo_set_label, 16),
	SIZE_CASE(drm_panthor_set_user_mmio_offset, 8),
	SIZE_CASE(drm_panthor_bo_sync_op, 24),
	SIZE_CASE(drm_panthor_bo_sync, 16),
	SIZE_CASE(drm_panthor_bo_query_info, 16),
	SIZE_CASE(drm_panthor_sim_gpu_access, 56),
	SIZE_CASE(drm_panthor_sim_agent, 64),
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

int igt_main()
{
	igt_describe("Every panthor ioctl is DRM_IOWR('d', 0x40 + id) with its "
		     "struct's size, and equals the upstream number");
	igt_subtest("ioctl-numbers") {
		for (size_t i = 0; i < ARRAY_LEN(ioctls); i++) {
			const struct ioctl_case *c = &ioctls[i];

			igt_assert_f(_IOC_TYPE(c->cmd) == 'd' &&
				     _IOC_NR(c->cmd) == 0x40 + c->nr &&
				     _IOC_SIZE(c->cmd) == c->size &&
				     _IOC_DIR(c->cmd) == (_IOC_READ | _IOC_WRITE),
				     "DRM_IOCTL_PANTHOR_%s = %#lx: nr %#x size %u\n",
				     c->name, c->cmd, (unsigned int)_IOC_NR(c->cmd),
				     (unsigned int)_IOC_SIZE(c->cmd));
			if (_IOC_SIZEBITS == 14 && _IOC_DIRBITS == 2)
				igt_assert_f(c->cmd == c->generic,
					     "DRM_IOCTL_PANTHOR_%s = %#lx, upstream %#lx\n",
					     c->name, c->cmd, c->generic);
		}
	}

	igt_describe("Every uAPI structure has the upstream size (vm_bind_op: "
		     "upstream 48 plus repeat_range; sim_gpu_access: 48 plus "
		     "leaf_log2 and pad2 appended)");
	igt_subtest("struct-sizes") {
		for (size_t i = 0; i < ARRAY_LEN(sizes); i++)
			igt_assert_f(sizes[i].size == sizes[i].expected,
				     "sizeof(struct %s) = %zu, expected %zu\n",
				     sizes[i].name, sizes[i].size,
				     sizes[i].expected);
		igt_assert_eq(offsetof(struct drm_panthor_sim_gpu_access,
				       leaf_log2), 48);
		igt_assert_eq(offsetof(struct drm_panthor_sim_gpu_access, pad2),
			      52);
	}

	igt_describe("The upstream part of vm_bind_op ends where panthor-vm's "
		     "repeat_range begins, so a 48-byte stride is a prefix");
	igt_subtest("vm-bind-op-extension") {
		struct drm_panthor_vm_bind_op op = { 0 };
		struct drm_panthor_obj_array arr = DRM_PANTHOR_OBJ_ARRAY(1, &op);

		igt_assert_eq(offsetof(struct drm_panthor_vm_bind_op, syncs) +
			      sizeof(op.syncs), 48);
		igt_assert_eq(offsetof(struct drm_panthor_vm_bind_op,
				       repeat_range), 48);
		igt_assert_eq(arr.stride, 56);
		igt_assert_eq_u32(DRM_PANTHOR_VM_BIND_OP_MAP_REPEAT &
				  (DRM_PANTHOR_VM_BIND_OP_MAP_READONLY |
				   DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC |
				   DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED |
				   DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE |
				   DRM_PANTHOR_VM_BIND_OP_TYPE_MASK), 0);
	}

	igt_describe("gpu_info grew by appending: the 1.0 object ends at "
		     "tiler_present, 1.8 at pad, and gpu_features comes last");
	igt_subtest("gpu-info-growth") {
		igt_assert_eq(offsetof(struct drm_panthor_gpu_info, tiler_present) +
			      sizeof(__u64), 96);
		igt_assert_eq(offsetof(struct drm_panthor_gpu_info, gpu_features),
			      104);
		igt_assert_eq(sizeof(struct drm_panthor_gpu_info), 112);
	}
}
