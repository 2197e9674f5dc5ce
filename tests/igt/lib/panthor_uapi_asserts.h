/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The panthor-vm authors
 */
#ifndef PANTHOR_UAPI_ASSERTS_H
#define PANTHOR_UAPI_ASSERTS_H

/**
 * DOC: panthor uAPI layout assertions
 *
 * Compile-time checks that include/uapi/drm/panthor_drm.h keeps the binary
 * layout of upstream panthor uAPI 1.9 plus the panthor-vm extensions, and
 * that include/uapi/drm/panthor_vm_sim.h keeps the layout of the software
 * GPU's test ioctls: the size of every structure, the offset of every
 * field, the value of every flag and enumerator userspace hard-codes, and
 * the ioctl numbers.
 *
 * Pure C11 (_Static_assert and offsetof), no other dependency, so the same
 * file is included by the IGT compatibility library (lib/igt_panthor.c,
 * linked into every test) and can be included by any kernel compilation
 * unit: a layout break then fails the kernel build and the test build
 * alike. There is no run-time layout test: it could only repeat these.
 * Including it twice is harmless; it declares nothing.
 */

#ifdef __KERNEL__
#include <linux/stddef.h>
#include <linux/ioctl.h>
#include <drm/panthor_drm.h>
#include <drm/panthor_vm_sim.h>
#else
#include <stddef.h>
#include <sys/ioctl.h>
#include "panthor_drm.h"
#include "panthor_vm_sim.h"
#endif

#define PANTHOR_UAPI_SIZE(type, bytes) \
	_Static_assert(sizeof(struct type) == (bytes), \
		       "sizeof(struct " #type ") != " #bytes)

#define PANTHOR_UAPI_OFF(type, field, off) \
	_Static_assert(offsetof(struct type, field) == (off), \
		       "offsetof(struct " #type ", " #field ") != " #off)

#define PANTHOR_UAPI_VAL(expr, val) \
	_Static_assert((unsigned long long)(expr) == (unsigned long long)(val), \
		       #expr " != " #val)

/*
 * Architecture-independent parts of an ioctl number: every panthor ioctl is
 * DRM_IOWR('d', DRM_COMMAND_BASE + id, struct).
 */
#define PANTHOR_UAPI_IOCTL(name, nr, type) \
	_Static_assert(_IOC_TYPE(DRM_IOCTL_PANTHOR_##name) == 'd' && \
		       _IOC_NR(DRM_IOCTL_PANTHOR_##name) == 0x40 + (nr) && \
		       _IOC_SIZE(DRM_IOCTL_PANTHOR_##name) == sizeof(struct type) && \
		       _IOC_DIR(DRM_IOCTL_PANTHOR_##name) == \
				(_IOC_READ | _IOC_WRITE), \
		       "DRM_IOCTL_PANTHOR_" #name " is not DRM_IOWR(0x40 + " #nr \
		       ", struct " #type ")")

/* struct drm_panthor_obj_array */
PANTHOR_UAPI_SIZE(drm_panthor_obj_array, 16);
PANTHOR_UAPI_OFF(drm_panthor_obj_array, stride, 0);
PANTHOR_UAPI_OFF(drm_panthor_obj_array, count, 4);
PANTHOR_UAPI_OFF(drm_panthor_obj_array, array, 8);

/* struct drm_panthor_sync_op */
PANTHOR_UAPI_SIZE(drm_panthor_sync_op, 16);
PANTHOR_UAPI_OFF(drm_panthor_sync_op, flags, 0);
PANTHOR_UAPI_OFF(drm_panthor_sync_op, handle, 4);
PANTHOR_UAPI_OFF(drm_panthor_sync_op, timeline_value, 8);

/* struct drm_panthor_dev_query */
PANTHOR_UAPI_SIZE(drm_panthor_dev_query, 16);
PANTHOR_UAPI_OFF(drm_panthor_dev_query, type, 0);
PANTHOR_UAPI_OFF(drm_panthor_dev_query, size, 4);
PANTHOR_UAPI_OFF(drm_panthor_dev_query, pointer, 8);

/* struct drm_panthor_gpu_info: 104 bytes up to uAPI 1.8, 112 with gpu_features */
PANTHOR_UAPI_SIZE(drm_panthor_gpu_info, 112);
PANTHOR_UAPI_OFF(drm_panthor_gpu_info, gpu_id, 0);
PANTHOR_UAPI_OFF(drm_panthor_gpu_info, gpu_rev, 4);
PANTHOR_UAPI_OFF(drm_panthor_gpu_info, csf_id, 8);
PANTHOR_UAPI_OFF(drm_panthor_gpu_info, l2_features, 12);
PANTHOR_UAPI_OFF(drm_panthor_gpu_info, tiler_features, 16);
PANTHOR_UAPI_OFF(drm_panthor_gpu_info, mem_features, 20);
PANTHOR_UAPI_OFF(drm_panthor_gpu_info, mmu_features, 24);
PANTHOR_UAPI_OFF(drm_panthor_gpu_info, thread_features, 28);
PANTHOR_UAPI_OFF(drm_panthor_gpu_info, max_threads, 32);
PANTHOR_UAPI_OFF(drm_panthor_gpu_info, thread_max_workgroup_size, 36);
PANTHOR_UAPI_OFF(drm_panthor_gpu_info, thread_max_barrier_size, 40);
PANTHOR_UAPI_OFF(drm_panthor_gpu_info, coherency_features, 44);
PANTHOR_UAPI_OFF(drm_panthor_gpu_info, texture_features, 48);
PANTHOR_UAPI_OFF(drm_panthor_gpu_info, as_present, 64);
PANTHOR_UAPI_OFF(drm_panthor_gpu_info, selected_coherency, 68);
PANTHOR_UAPI_OFF(drm_panthor_gpu_info, shader_present, 72);
PANTHOR_UAPI_OFF(drm_panthor_gpu_info, l2_present, 80);
PANTHOR_UAPI_OFF(drm_panthor_gpu_info, tiler_present, 88);
PANTHOR_UAPI_OFF(drm_panthor_gpu_info, core_features, 96);
PANTHOR_UAPI_OFF(drm_panthor_gpu_info, pad, 100);
PANTHOR_UAPI_OFF(drm_panthor_gpu_info, gpu_features, 104);

/* struct drm_panthor_csif_info */
PANTHOR_UAPI_SIZE(drm_panthor_csif_info, 24);
PANTHOR_UAPI_OFF(drm_panthor_csif_info, csg_slot_count, 0);
PANTHOR_UAPI_OFF(drm_panthor_csif_info, cs_slot_count, 4);
PANTHOR_UAPI_OFF(drm_panthor_csif_info, cs_reg_count, 8);
PANTHOR_UAPI_OFF(drm_panthor_csif_info, scoreboard_slot_count, 12);
PANTHOR_UAPI_OFF(drm_panthor_csif_info, unpreserved_cs_reg_count, 16);
PANTHOR_UAPI_OFF(drm_panthor_csif_info, pad, 20);

/* struct drm_panthor_timestamp_info: 24 bytes in uAPI 1.1, 56 since 1.8 */
PANTHOR_UAPI_SIZE(drm_panthor_timestamp_info, 56);
PANTHOR_UAPI_OFF(drm_panthor_timestamp_info, timestamp_frequency, 0);
PANTHOR_UAPI_OFF(drm_panthor_timestamp_info, current_timestamp, 8);
PANTHOR_UAPI_OFF(drm_panthor_timestamp_info, timestamp_offset, 16);
PANTHOR_UAPI_OFF(drm_panthor_timestamp_info, flags, 24);
PANTHOR_UAPI_OFF(drm_panthor_timestamp_info, duration_nsec, 28);
PANTHOR_UAPI_OFF(drm_panthor_timestamp_info, cycle_count, 32);
PANTHOR_UAPI_OFF(drm_panthor_timestamp_info, cpu_timestamp_sec, 40);
PANTHOR_UAPI_OFF(drm_panthor_timestamp_info, cpu_timestamp_nsec, 48);

/* struct drm_panthor_mmu_info */
PANTHOR_UAPI_SIZE(drm_panthor_mmu_info, 8);
PANTHOR_UAPI_OFF(drm_panthor_mmu_info, page_size_bitmap, 0);

/* struct drm_panthor_pvm_vm_bind_info (panthor-vm extension) */
PANTHOR_UAPI_SIZE(drm_panthor_pvm_vm_bind_info, 16);
PANTHOR_UAPI_OFF(drm_panthor_pvm_vm_bind_info, op_flags, 0);
PANTHOR_UAPI_OFF(drm_panthor_pvm_vm_bind_info, op_size, 4);
PANTHOR_UAPI_OFF(drm_panthor_pvm_vm_bind_info, repeat_range_sizes, 8);

/* struct drm_panthor_group_priorities_info */
PANTHOR_UAPI_SIZE(drm_panthor_group_priorities_info, 4);
PANTHOR_UAPI_OFF(drm_panthor_group_priorities_info, allowed_mask, 0);
PANTHOR_UAPI_OFF(drm_panthor_group_priorities_info, pad, 1);

/* struct drm_panthor_vm_create */
PANTHOR_UAPI_SIZE(drm_panthor_vm_create, 16);
PANTHOR_UAPI_OFF(drm_panthor_vm_create, flags, 0);
PANTHOR_UAPI_OFF(drm_panthor_vm_create, id, 4);
PANTHOR_UAPI_OFF(drm_panthor_vm_create, user_va_range, 8);

/* struct drm_panthor_vm_destroy */
PANTHOR_UAPI_SIZE(drm_panthor_vm_destroy, 8);
PANTHOR_UAPI_OFF(drm_panthor_vm_destroy, id, 0);
PANTHOR_UAPI_OFF(drm_panthor_vm_destroy, pad, 4);

/* struct drm_panthor_vm_bind_op: upstream 48 bytes + repeat_range = 56 */
PANTHOR_UAPI_SIZE(drm_panthor_vm_bind_op, 56);
PANTHOR_UAPI_OFF(drm_panthor_vm_bind_op, flags, 0);
PANTHOR_UAPI_OFF(drm_panthor_vm_bind_op, bo_handle, 4);
PANTHOR_UAPI_OFF(drm_panthor_vm_bind_op, bo_offset, 8);
PANTHOR_UAPI_OFF(drm_panthor_vm_bind_op, va, 16);
PANTHOR_UAPI_OFF(drm_panthor_vm_bind_op, size, 24);
PANTHOR_UAPI_OFF(drm_panthor_vm_bind_op, syncs, 32);
PANTHOR_UAPI_OFF(drm_panthor_vm_bind_op, repeat_range, 48);

/* struct drm_panthor_vm_bind */
PANTHOR_UAPI_SIZE(drm_panthor_vm_bind, 24);
PANTHOR_UAPI_OFF(drm_panthor_vm_bind, vm_id, 0);
PANTHOR_UAPI_OFF(drm_panthor_vm_bind, flags, 4);
PANTHOR_UAPI_OFF(drm_panthor_vm_bind, ops, 8);

/* struct drm_panthor_vm_get_state */
PANTHOR_UAPI_SIZE(drm_panthor_vm_get_state, 8);
PANTHOR_UAPI_OFF(drm_panthor_vm_get_state, vm_id, 0);
PANTHOR_UAPI_OFF(drm_panthor_vm_get_state, state, 4);

/* struct drm_panthor_bo_create */
PANTHOR_UAPI_SIZE(drm_panthor_bo_create, 24);
PANTHOR_UAPI_OFF(drm_panthor_bo_create, size, 0);
PANTHOR_UAPI_OFF(drm_panthor_bo_create, flags, 8);
PANTHOR_UAPI_OFF(drm_panthor_bo_create, exclusive_vm_id, 12);
PANTHOR_UAPI_OFF(drm_panthor_bo_create, handle, 16);
PANTHOR_UAPI_OFF(drm_panthor_bo_create, pad, 20);

/* struct drm_panthor_bo_mmap_offset */
PANTHOR_UAPI_SIZE(drm_panthor_bo_mmap_offset, 16);
PANTHOR_UAPI_OFF(drm_panthor_bo_mmap_offset, handle, 0);
PANTHOR_UAPI_OFF(drm_panthor_bo_mmap_offset, pad, 4);
PANTHOR_UAPI_OFF(drm_panthor_bo_mmap_offset, offset, 8);

/* struct drm_panthor_queue_create */
PANTHOR_UAPI_SIZE(drm_panthor_queue_create, 8);
PANTHOR_UAPI_OFF(drm_panthor_queue_create, priority, 0);
PANTHOR_UAPI_OFF(drm_panthor_queue_create, pad, 1);
PANTHOR_UAPI_OFF(drm_panthor_queue_create, ringbuf_size, 4);

/* struct drm_panthor_group_create */
PANTHOR_UAPI_SIZE(drm_panthor_group_create, 56);
PANTHOR_UAPI_OFF(drm_panthor_group_create, queues, 0);
PANTHOR_UAPI_OFF(drm_panthor_group_create, max_compute_cores, 16);
PANTHOR_UAPI_OFF(drm_panthor_group_create, max_fragment_cores, 17);
PANTHOR_UAPI_OFF(drm_panthor_group_create, max_tiler_cores, 18);
PANTHOR_UAPI_OFF(drm_panthor_group_create, priority, 19);
PANTHOR_UAPI_OFF(drm_panthor_group_create, pad, 20);
PANTHOR_UAPI_OFF(drm_panthor_group_create, compute_core_mask, 24);
PANTHOR_UAPI_OFF(drm_panthor_group_create, fragment_core_mask, 32);
PANTHOR_UAPI_OFF(drm_panthor_group_create, tiler_core_mask, 40);
PANTHOR_UAPI_OFF(drm_panthor_group_create, vm_id, 48);
PANTHOR_UAPI_OFF(drm_panthor_group_create, group_handle, 52);

/* struct drm_panthor_group_destroy */
PANTHOR_UAPI_SIZE(drm_panthor_group_destroy, 8);
PANTHOR_UAPI_OFF(drm_panthor_group_destroy, group_handle, 0);
PANTHOR_UAPI_OFF(drm_panthor_group_destroy, pad, 4);

/* struct drm_panthor_queue_submit */
PANTHOR_UAPI_SIZE(drm_panthor_queue_submit, 40);
PANTHOR_UAPI_OFF(drm_panthor_queue_submit, queue_index, 0);
PANTHOR_UAPI_OFF(drm_panthor_queue_submit, stream_size, 4);
PANTHOR_UAPI_OFF(drm_panthor_queue_submit, stream_addr, 8);
PANTHOR_UAPI_OFF(drm_panthor_queue_submit, latest_flush, 16);
PANTHOR_UAPI_OFF(drm_panthor_queue_submit, pad, 20);
PANTHOR_UAPI_OFF(drm_panthor_queue_submit, syncs, 24);

/* struct drm_panthor_group_submit */
PANTHOR_UAPI_SIZE(drm_panthor_group_submit, 24);
PANTHOR_UAPI_OFF(drm_panthor_group_submit, group_handle, 0);
PANTHOR_UAPI_OFF(drm_panthor_group_submit, pad, 4);
PANTHOR_UAPI_OFF(drm_panthor_group_submit, queue_submits, 8);

/* struct drm_panthor_group_get_state */
PANTHOR_UAPI_SIZE(drm_panthor_group_get_state, 16);
PANTHOR_UAPI_OFF(drm_panthor_group_get_state, group_handle, 0);
PANTHOR_UAPI_OFF(drm_panthor_group_get_state, state, 4);
PANTHOR_UAPI_OFF(drm_panthor_group_get_state, fatal_queues, 8);
PANTHOR_UAPI_OFF(drm_panthor_group_get_state, pad, 12);

/* struct drm_panthor_tiler_heap_create */
PANTHOR_UAPI_SIZE(drm_panthor_tiler_heap_create, 40);
PANTHOR_UAPI_OFF(drm_panthor_tiler_heap_create, vm_id, 0);
PANTHOR_UAPI_OFF(drm_panthor_tiler_heap_create, initial_chunk_count, 4);
PANTHOR_UAPI_OFF(drm_panthor_tiler_heap_create, chunk_size, 8);
PANTHOR_UAPI_OFF(drm_panthor_tiler_heap_create, max_chunks, 12);
PANTHOR_UAPI_OFF(drm_panthor_tiler_heap_create, target_in_flight, 16);
PANTHOR_UAPI_OFF(drm_panthor_tiler_heap_create, handle, 20);
PANTHOR_UAPI_OFF(drm_panthor_tiler_heap_create, tiler_heap_ctx_gpu_va, 24);
PANTHOR_UAPI_OFF(drm_panthor_tiler_heap_create, first_heap_chunk_gpu_va, 32);

/* struct drm_panthor_tiler_heap_destroy */
PANTHOR_UAPI_SIZE(drm_panthor_tiler_heap_destroy, 8);
PANTHOR_UAPI_OFF(drm_panthor_tiler_heap_destroy, handle, 0);
PANTHOR_UAPI_OFF(drm_panthor_tiler_heap_destroy, pad, 4);

/* struct drm_panthor_bo_set_label */
PANTHOR_UAPI_SIZE(drm_panthor_bo_set_label, 16);
PANTHOR_UAPI_OFF(drm_panthor_bo_set_label, handle, 0);
PANTHOR_UAPI_OFF(drm_panthor_bo_set_label, pad, 4);
PANTHOR_UAPI_OFF(drm_panthor_bo_set_label, label, 8);

/* struct drm_panthor_set_user_mmio_offset */
PANTHOR_UAPI_SIZE(drm_panthor_set_user_mmio_offset, 8);
PANTHOR_UAPI_OFF(drm_panthor_set_user_mmio_offset, offset, 0);

/* struct drm_panthor_bo_sync_op */
PANTHOR_UAPI_SIZE(drm_panthor_bo_sync_op, 24);
PANTHOR_UAPI_OFF(drm_panthor_bo_sync_op, handle, 0);
PANTHOR_UAPI_OFF(drm_panthor_bo_sync_op, type, 4);
PANTHOR_UAPI_OFF(drm_panthor_bo_sync_op, offset, 8);
PANTHOR_UAPI_OFF(drm_panthor_bo_sync_op, size, 16);

/* struct drm_panthor_bo_sync */
PANTHOR_UAPI_SIZE(drm_panthor_bo_sync, 16);
PANTHOR_UAPI_OFF(drm_panthor_bo_sync, ops, 0);

/* struct drm_panthor_bo_query_info */
PANTHOR_UAPI_SIZE(drm_panthor_bo_query_info, 16);
PANTHOR_UAPI_OFF(drm_panthor_bo_query_info, handle, 0);
PANTHOR_UAPI_OFF(drm_panthor_bo_query_info, extra_flags, 4);
PANTHOR_UAPI_OFF(drm_panthor_bo_query_info, create_flags, 8);
PANTHOR_UAPI_OFF(drm_panthor_bo_query_info, pad, 12);

/* struct drm_panthor_sim_gpu_access (panthor_vm_sim.h, test only) */
PANTHOR_UAPI_SIZE(drm_panthor_sim_gpu_access, 56);
PANTHOR_UAPI_OFF(drm_panthor_sim_gpu_access, vm_id, 0);
PANTHOR_UAPI_OFF(drm_panthor_sim_gpu_access, flags, 4);
PANTHOR_UAPI_OFF(drm_panthor_sim_gpu_access, va, 8);
PANTHOR_UAPI_OFF(drm_panthor_sim_gpu_access, size, 16);
PANTHOR_UAPI_OFF(drm_panthor_sim_gpu_access, data, 24);
PANTHOR_UAPI_OFF(drm_panthor_sim_gpu_access, fault_status, 32);
PANTHOR_UAPI_OFF(drm_panthor_sim_gpu_access, pad, 36);
PANTHOR_UAPI_OFF(drm_panthor_sim_gpu_access, fault_address, 40);
PANTHOR_UAPI_OFF(drm_panthor_sim_gpu_access, leaf_log2, 48);
PANTHOR_UAPI_OFF(drm_panthor_sim_gpu_access, pad2, 52);

/* struct drm_panthor_sim_agent (panthor_vm_sim.h, test only) */
PANTHOR_UAPI_SIZE(drm_panthor_sim_agent, 64);
PANTHOR_UAPI_OFF(drm_panthor_sim_agent, vm_id, 0);
PANTHOR_UAPI_OFF(drm_panthor_sim_agent, op, 4);
PANTHOR_UAPI_OFF(drm_panthor_sim_agent, va, 8);
PANTHOR_UAPI_OFF(drm_panthor_sim_agent, size, 16);
PANTHOR_UAPI_OFF(drm_panthor_sim_agent, expect, 24);
PANTHOR_UAPI_OFF(drm_panthor_sim_agent, reads, 32);
PANTHOR_UAPI_OFF(drm_panthor_sim_agent, mismatches, 40);
PANTHOR_UAPI_OFF(drm_panthor_sim_agent, fault_status, 48);
PANTHOR_UAPI_OFF(drm_panthor_sim_agent, pad, 52);
PANTHOR_UAPI_OFF(drm_panthor_sim_agent, fault_address, 56);

/* Enumerators and flags that userspace hard-codes. */
PANTHOR_UAPI_VAL(DRM_PANTHOR_DEV_QUERY_GPU_INFO, 0);
PANTHOR_UAPI_VAL(DRM_PANTHOR_DEV_QUERY_CSIF_INFO, 1);
PANTHOR_UAPI_VAL(DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, 2);
PANTHOR_UAPI_VAL(DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO, 3);
PANTHOR_UAPI_VAL(DRM_PANTHOR_DEV_QUERY_MMU_INFO, 4);
PANTHOR_UAPI_VAL(DRM_PANTHOR_DEV_QUERY_PVM_VM_BIND_INFO, 0x100);
PANTHOR_UAPI_VAL(DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK, 0xff);
PANTHOR_UAPI_VAL(DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ, 1);
PANTHOR_UAPI_VAL((unsigned int)DRM_PANTHOR_SYNC_OP_SIGNAL, 0x80000000u);
PANTHOR_UAPI_VAL(DRM_PANTHOR_VM_BIND_OP_MAP_READONLY, 0x1);
PANTHOR_UAPI_VAL(DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC, 0x2);
PANTHOR_UAPI_VAL(DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED, 0x4);
PANTHOR_UAPI_VAL(DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE, 0x8);
PANTHOR_UAPI_VAL(DRM_PANTHOR_VM_BIND_OP_MAP_REPEAT, 0x10);
PANTHOR_UAPI_VAL((unsigned int)DRM_PANTHOR_VM_BIND_OP_TYPE_MASK, 0xf0000000u);
PANTHOR_UAPI_VAL(DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, 0);
PANTHOR_UAPI_VAL(DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, 0x10000000);
PANTHOR_UAPI_VAL(DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY, 0x20000000);
PANTHOR_UAPI_VAL(DRM_PANTHOR_VM_BIND_ASYNC, 1);
PANTHOR_UAPI_VAL(DRM_PANTHOR_VM_STATE_USABLE, 0);
PANTHOR_UAPI_VAL(DRM_PANTHOR_VM_STATE_UNUSABLE, 1);
PANTHOR_UAPI_VAL(DRM_PANTHOR_BO_NO_MMAP, 1);
PANTHOR_UAPI_VAL(DRM_PANTHOR_BO_WB_MMAP, 2);
PANTHOR_UAPI_VAL(DRM_PANTHOR_GPU_COHERENCY_NONE, 31);
PANTHOR_UAPI_VAL(PANTHOR_GROUP_PRIORITY_REALTIME, 3);
PANTHOR_UAPI_VAL(DRM_PANTHOR_SIM_GPU_ACCESS_WRITE, 1);
PANTHOR_UAPI_VAL(DRM_PANTHOR_SIM_AGENT_START, 1);
PANTHOR_UAPI_VAL(DRM_PANTHOR_SIM_AGENT_STOP, 2);
PANTHOR_UAPI_VAL(DRM_PANTHOR_USER_MMIO_OFFSET_32BIT, 1ull << 43);
PANTHOR_UAPI_VAL(DRM_PANTHOR_USER_MMIO_OFFSET_64BIT, 1ull << 56);

/* Ioctl ids, direction, type and argument size, on every architecture. */
PANTHOR_UAPI_IOCTL(DEV_QUERY, 0x00, drm_panthor_dev_query);
PANTHOR_UAPI_IOCTL(VM_CREATE, 0x01, drm_panthor_vm_create);
PANTHOR_UAPI_IOCTL(VM_DESTROY, 0x02, drm_panthor_vm_destroy);
PANTHOR_UAPI_IOCTL(VM_BIND, 0x03, drm_panthor_vm_bind);
PANTHOR_UAPI_IOCTL(VM_GET_STATE, 0x04, drm_panthor_vm_get_state);
PANTHOR_UAPI_IOCTL(BO_CREATE, 0x05, drm_panthor_bo_create);
PANTHOR_UAPI_IOCTL(BO_MMAP_OFFSET, 0x06, drm_panthor_bo_mmap_offset);
PANTHOR_UAPI_IOCTL(GROUP_CREATE, 0x07, drm_panthor_group_create);
PANTHOR_UAPI_IOCTL(GROUP_DESTROY, 0x08, drm_panthor_group_destroy);
PANTHOR_UAPI_IOCTL(GROUP_SUBMIT, 0x09, drm_panthor_group_submit);
PANTHOR_UAPI_IOCTL(GROUP_GET_STATE, 0x0a, drm_panthor_group_get_state);
PANTHOR_UAPI_IOCTL(TILER_HEAP_CREATE, 0x0b, drm_panthor_tiler_heap_create);
PANTHOR_UAPI_IOCTL(TILER_HEAP_DESTROY, 0x0c, drm_panthor_tiler_heap_destroy);
PANTHOR_UAPI_IOCTL(BO_SET_LABEL, 0x0d, drm_panthor_bo_set_label);
PANTHOR_UAPI_IOCTL(SET_USER_MMIO_OFFSET, 0x0e, drm_panthor_set_user_mmio_offset);
PANTHOR_UAPI_IOCTL(BO_SYNC, 0x0f, drm_panthor_bo_sync);
PANTHOR_UAPI_IOCTL(BO_QUERY_INFO, 0x10, drm_panthor_bo_query_info);
PANTHOR_UAPI_IOCTL(SIM_GPU_ACCESS, 0x30, drm_panthor_sim_gpu_access);
PANTHOR_UAPI_IOCTL(SIM_AGENT, 0x31, drm_panthor_sim_agent);

/*
 * The literal numbers of appendix A (clients-mesa-igt.md) on architectures
 * with the generic ioctl encoding (x86, arm, arm64, riscv, um).
 */
#if _IOC_SIZEBITS == 14 && _IOC_DIRBITS == 2
PANTHOR_UAPI_VAL(DRM_IOCTL_PANTHOR_DEV_QUERY, 0xc0106440);
PANTHOR_UAPI_VAL(DRM_IOCTL_PANTHOR_VM_CREATE, 0xc0106441);
PANTHOR_UAPI_VAL(DRM_IOCTL_PANTHOR_VM_DESTROY, 0xc0086442);
PANTHOR_UAPI_VAL(DRM_IOCTL_PANTHOR_VM_BIND, 0xc0186443);
PANTHOR_UAPI_VAL(DRM_IOCTL_PANTHOR_VM_GET_STATE, 0xc0086444);
PANTHOR_UAPI_VAL(DRM_IOCTL_PANTHOR_BO_CREATE, 0xc0186445);
PANTHOR_UAPI_VAL(DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, 0xc0106446);
PANTHOR_UAPI_VAL(DRM_IOCTL_PANTHOR_GROUP_CREATE, 0xc0386447);
PANTHOR_UAPI_VAL(DRM_IOCTL_PANTHOR_GROUP_DESTROY, 0xc0086448);
PANTHOR_UAPI_VAL(DRM_IOCTL_PANTHOR_GROUP_SUBMIT, 0xc0186449);
PANTHOR_UAPI_VAL(DRM_IOCTL_PANTHOR_GROUP_GET_STATE, 0xc010644a);
PANTHOR_UAPI_VAL(DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, 0xc028644b);
PANTHOR_UAPI_VAL(DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, 0xc008644c);
PANTHOR_UAPI_VAL(DRM_IOCTL_PANTHOR_BO_SET_LABEL, 0xc010644d);
PANTHOR_UAPI_VAL(DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET, 0xc008644e);
PANTHOR_UAPI_VAL(DRM_IOCTL_PANTHOR_BO_SYNC, 0xc010644f);
PANTHOR_UAPI_VAL(DRM_IOCTL_PANTHOR_BO_QUERY_INFO, 0xc0106450);
PANTHOR_UAPI_VAL(DRM_IOCTL_PANTHOR_SIM_GPU_ACCESS, 0xc0386470);
PANTHOR_UAPI_VAL(DRM_IOCTL_PANTHOR_SIM_AGENT, 0xc0406471);
#endif

#endif /* PANTHOR_UAPI_ASSERTS_H */
