/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The panthor-vm authors
 *
 * Permission is hereby granted, free of charge, to any person obtaining a
 * copy of this software and associated documentation files (the "Software"),
 * to deal in the Software without restriction, including without limitation
 * the rights to use, copy, modify, merge, publish, distribute, sublicense,
 * and/or sell copies of the Software, and to permit persons to whom the
 * Software is furnished to do so, subject to the following conditions:
 *
 * The above copyright notice and this permission notice shall be included in
 * all copies or substantial portions of the Software.
 *
 * THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
 * IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
 * FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL
 * THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
 * LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING
 * FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
 * DEALINGS IN THE SOFTWARE.
 */
#ifndef _PANTHOR_DRM_H_
#define _PANTHOR_DRM_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * DOC: panthor-vm uAPI overview
 *
 * This header describes the ioctls of the "panthor" DRM driver as
 * implemented by panthor-vm. It is binary compatible with the upstream
 * panthor uAPI, version 1.9: every ioctl number, structure size, field
 * offset, flag value and enumerator is the one upstream userspace (Mesa's
 * panthor kmod backend, IGT's panthor tests) was built against, and the
 * names are the upstream names so that such code builds against this file
 * unchanged.
 *
 * On top of upstream 1.9 panthor-vm adds two things, both marked "panthor-vm
 * extension" below:
 *
 * - %DRM_PANTHOR_VM_BIND_OP_MAP_REPEAT and the trailing
 *   &drm_panthor_vm_bind_op.repeat_range field, which map one BO range
 *   cyclically over a larger VA range, and the query that reports them,
 *   %DRM_PANTHOR_DEV_QUERY_PVM_VM_BIND_INFO;
 * - two test-only ioctls of the software GPU, in a header of their own
 *   (panthor_vm_sim.h), at ids far above the upstream ones.
 *
 * How structures evolve:
 *
 * - Every structure has a size that is a multiple of 8 bytes, and every
 *   field sits at an offset aligned to its natural size; explicit ``pad``
 *   fields fill holes and must be zero.
 * - Structures passed directly as the ioctl argument only grow at their end
 *   or by turning padding into a field. A zero in a new field keeps the old
 *   behaviour.
 * - Structures reached through a pointer (query results, the elements of a
 *   &struct drm_panthor_obj_array) carry the size userspace knows, in
 *   &drm_panthor_dev_query.size or &drm_panthor_obj_array.stride. The
 *   kernel zero-fills input fields userspace did not know about, refuses
 *   input bytes it does not know about unless they are zero (-E2BIG), and
 *   copies out no more than userspace asked for.
 * - Ioctl ids, query types and flags are only ever appended; none is
 *   renumbered or reused.
 */

/**
 * DOC: MMIO regions exposed to userspace
 *
 * The driver exposes GPU register pages to userspace through mmap() of the
 * DRM file at fixed, very large offsets that can never collide with a GEM
 * fake offset. The offset depends on the width of the mmap2() page offset of
 * the calling process, so a 32-bit process uses a lower base.
 *
 * %DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET maps the read-only page that holds
 * the LATEST_FLUSH_ID register. Userspace reads it when building a command
 * stream so that redundant cache flushes can be skipped.
 *
 * The base a file uses is %DRM_PANTHOR_USER_MMIO_OFFSET of the kernel (the
 * 32-bit one for a compat process) until DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET
 * changes it; mmap() offsets at or above the base are MMIO, offsets below it
 * are BOs. The flush ID mapping must be MAP_SHARED, exactly one page, and
 * neither PROT_WRITE nor PROT_EXEC; any other mapping at or above the base
 * fails with -EINVAL, and the mapping can never be made writable (mprotect()
 * gives -EACCES).
 */

/** DRM_PANTHOR_USER_MMIO_OFFSET_32BIT: MMIO base offset for 32-bit processes. */
#define DRM_PANTHOR_USER_MMIO_OFFSET_32BIT	((__u64)1 << 43)

/** DRM_PANTHOR_USER_MMIO_OFFSET_64BIT: MMIO base offset for 64-bit processes. */
#define DRM_PANTHOR_USER_MMIO_OFFSET_64BIT	((__u64)1 << 56)

/** DRM_PANTHOR_USER_MMIO_OFFSET: MMIO base offset matching this process' ABI. */
#define DRM_PANTHOR_USER_MMIO_OFFSET	(sizeof(unsigned long) < 8 ? \
					 DRM_PANTHOR_USER_MMIO_OFFSET_32BIT : \
					 DRM_PANTHOR_USER_MMIO_OFFSET_64BIT)

/** DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET: mmap offset of the LATEST_FLUSH_ID page. */
#define DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET	(DRM_PANTHOR_USER_MMIO_OFFSET | 0)

/**
 * enum drm_panthor_ioctl_id - Driver-private ioctl numbers.
 *
 * Each value is added to DRM_COMMAND_BASE to form the ioctl number. Use the
 * DRM_IOCTL_PANTHOR_* macros rather than these values. New ids go at the
 * end; the ids of upstream panthor are never reordered or reused.
 */
enum drm_panthor_ioctl_id {
	/** @DRM_PANTHOR_DEV_QUERY: Read device properties. */
	DRM_PANTHOR_DEV_QUERY = 0,

	/** @DRM_PANTHOR_VM_CREATE: Create a GPU virtual address space. */
	DRM_PANTHOR_VM_CREATE,

	/** @DRM_PANTHOR_VM_DESTROY: Destroy a GPU virtual address space. */
	DRM_PANTHOR_VM_DESTROY,

	/** @DRM_PANTHOR_VM_BIND: Map, unmap or synchronise on a VM. */
	DRM_PANTHOR_VM_BIND,

	/** @DRM_PANTHOR_VM_GET_STATE: Tell whether a VM is still usable. */
	DRM_PANTHOR_VM_GET_STATE,

	/** @DRM_PANTHOR_BO_CREATE: Allocate a buffer object. */
	DRM_PANTHOR_BO_CREATE,

	/** @DRM_PANTHOR_BO_MMAP_OFFSET: Get the mmap() offset of a buffer object. */
	DRM_PANTHOR_BO_MMAP_OFFSET,

	/** @DRM_PANTHOR_GROUP_CREATE: Create a scheduling group. */
	DRM_PANTHOR_GROUP_CREATE,

	/** @DRM_PANTHOR_GROUP_DESTROY: Destroy a scheduling group. */
	DRM_PANTHOR_GROUP_DESTROY,

	/** @DRM_PANTHOR_GROUP_SUBMIT: Queue command streams on a group. */
	DRM_PANTHOR_GROUP_SUBMIT,

	/** @DRM_PANTHOR_GROUP_GET_STATE: Read the state of a group. */
	DRM_PANTHOR_GROUP_GET_STATE,

	/** @DRM_PANTHOR_TILER_HEAP_CREATE: Create a tiler heap. */
	DRM_PANTHOR_TILER_HEAP_CREATE,

	/** @DRM_PANTHOR_TILER_HEAP_DESTROY: Destroy a tiler heap. */
	DRM_PANTHOR_TILER_HEAP_DESTROY,

	/** @DRM_PANTHOR_BO_SET_LABEL: Attach a debug label to a buffer object. */
	DRM_PANTHOR_BO_SET_LABEL,

	/**
	 * @DRM_PANTHOR_SET_USER_MMIO_OFFSET: Choose the MMIO mmap base.
	 *
	 * Lets a process pick %DRM_PANTHOR_USER_MMIO_OFFSET_32BIT or
	 * %DRM_PANTHOR_USER_MMIO_OFFSET_64BIT explicitly, for emulators whose
	 * guest ABI differs from the host process seen by the kernel.
	 */
	DRM_PANTHOR_SET_USER_MMIO_OFFSET,

	/** @DRM_PANTHOR_BO_SYNC: CPU cache maintenance on buffer object ranges. */
	DRM_PANTHOR_BO_SYNC,

	/** @DRM_PANTHOR_BO_QUERY_INFO: Read properties of a buffer object. */
	DRM_PANTHOR_BO_QUERY_INFO,
};

/**
 * DRM_IOCTL_PANTHOR() - Build a panthor ioctl number.
 * @__access: Direction, R, W or WR.
 * @__id: Suffix of a DRM_PANTHOR_* ioctl id.
 * @__type: Suffix of the struct drm_panthor_* argument type.
 *
 * Internal helper; use the DRM_IOCTL_PANTHOR_* definitions.
 */
#define DRM_IOCTL_PANTHOR(__access, __id, __type) \
	DRM_IO ## __access(DRM_COMMAND_BASE + DRM_PANTHOR_ ## __id, \
			   struct drm_panthor_ ## __type)

/** DRM_IOCTL_PANTHOR_DEV_QUERY: Query device information. */
#define DRM_IOCTL_PANTHOR_DEV_QUERY \
	DRM_IOCTL_PANTHOR(WR, DEV_QUERY, dev_query)
/** DRM_IOCTL_PANTHOR_VM_CREATE: Create a VM. */
#define DRM_IOCTL_PANTHOR_VM_CREATE \
	DRM_IOCTL_PANTHOR(WR, VM_CREATE, vm_create)
/** DRM_IOCTL_PANTHOR_VM_DESTROY: Destroy a VM. */
#define DRM_IOCTL_PANTHOR_VM_DESTROY \
	DRM_IOCTL_PANTHOR(WR, VM_DESTROY, vm_destroy)
/** DRM_IOCTL_PANTHOR_VM_BIND: Bind or unbind memory in a VM. */
#define DRM_IOCTL_PANTHOR_VM_BIND \
	DRM_IOCTL_PANTHOR(WR, VM_BIND, vm_bind)
/** DRM_IOCTL_PANTHOR_VM_GET_STATE: Get the state of a VM. */
#define DRM_IOCTL_PANTHOR_VM_GET_STATE \
	DRM_IOCTL_PANTHOR(WR, VM_GET_STATE, vm_get_state)
/** DRM_IOCTL_PANTHOR_BO_CREATE: Create a buffer object. */
#define DRM_IOCTL_PANTHOR_BO_CREATE \
	DRM_IOCTL_PANTHOR(WR, BO_CREATE, bo_create)
/** DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET: Get a buffer object's mmap offset. */
#define DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET \
	DRM_IOCTL_PANTHOR(WR, BO_MMAP_OFFSET, bo_mmap_offset)
/** DRM_IOCTL_PANTHOR_GROUP_CREATE: Create a scheduling group. */
#define DRM_IOCTL_PANTHOR_GROUP_CREATE \
	DRM_IOCTL_PANTHOR(WR, GROUP_CREATE, group_create)
/** DRM_IOCTL_PANTHOR_GROUP_DESTROY: Destroy a scheduling group. */
#define DRM_IOCTL_PANTHOR_GROUP_DESTROY \
	DRM_IOCTL_PANTHOR(WR, GROUP_DESTROY, group_destroy)
/** DRM_IOCTL_PANTHOR_GROUP_SUBMIT: Submit command streams to a group. */
#define DRM_IOCTL_PANTHOR_GROUP_SUBMIT \
	DRM_IOCTL_PANTHOR(WR, GROUP_SUBMIT, group_submit)
/** DRM_IOCTL_PANTHOR_GROUP_GET_STATE: Get the state of a group. */
#define DRM_IOCTL_PANTHOR_GROUP_GET_STATE \
	DRM_IOCTL_PANTHOR(WR, GROUP_GET_STATE, group_get_state)
/** DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE: Create a tiler heap. */
#define DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE \
	DRM_IOCTL_PANTHOR(WR, TILER_HEAP_CREATE, tiler_heap_create)
/** DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY: Destroy a tiler heap. */
#define DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY \
	DRM_IOCTL_PANTHOR(WR, TILER_HEAP_DESTROY, tiler_heap_destroy)
/** DRM_IOCTL_PANTHOR_BO_SET_LABEL: Label a buffer object. */
#define DRM_IOCTL_PANTHOR_BO_SET_LABEL \
	DRM_IOCTL_PANTHOR(WR, BO_SET_LABEL, bo_set_label)
/** DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET: Select the user MMIO offset. */
#define DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET \
	DRM_IOCTL_PANTHOR(WR, SET_USER_MMIO_OFFSET, set_user_mmio_offset)
/** DRM_IOCTL_PANTHOR_BO_SYNC: CPU cache maintenance on buffer objects. */
#define DRM_IOCTL_PANTHOR_BO_SYNC \
	DRM_IOCTL_PANTHOR(WR, BO_SYNC, bo_sync)
/** DRM_IOCTL_PANTHOR_BO_QUERY_INFO: Query buffer object information. */
#define DRM_IOCTL_PANTHOR_BO_QUERY_INFO \
	DRM_IOCTL_PANTHOR(WR, BO_QUERY_INFO, bo_query_info)

/**
 * struct drm_panthor_obj_array - A user array of versioned objects.
 *
 * Passes a variable number of objects whose layout may grow in later
 * versions. @stride is the element size the caller was compiled with: the
 * kernel rejects a stride below the oldest known element size (-EINVAL),
 * zero-fills what a short element lacks, and refuses non-zero bytes beyond
 * the elements it knows (-E2BIG). Fill it with DRM_PANTHOR_OBJ_ARRAY().
 */
struct drm_panthor_obj_array {
	/** @stride: Size in bytes of one element as known by userspace. */
	__u32 stride;

	/** @count: Number of elements; 0 means an empty array. */
	__u32 count;

	/** @array: User pointer to the first element. */
	__u64 array;
};

/**
 * DRM_PANTHOR_OBJ_ARRAY() - Initializer for a &struct drm_panthor_obj_array.
 * @cnt: Number of elements.
 * @ptr: Pointer to the first element; its type gives the stride.
 */
#define DRM_PANTHOR_OBJ_ARRAY(cnt, ptr) \
	{ .stride = sizeof((ptr)[0]), .count = (cnt), .array = (__u64)(uintptr_t)(ptr) }

/**
 * enum drm_panthor_sync_op_flags - Flags of a &struct drm_panthor_sync_op.
 */
enum drm_panthor_sync_op_flags {
	/** @DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK: Bits holding the handle type. */
	DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK = 0xff,

	/** @DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ: The handle is a binary syncobj. */
	DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ = 0,

	/**
	 * @DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ: The handle is a
	 * timeline syncobj; &drm_panthor_sync_op.timeline_value is the point.
	 */
	DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ = 1,

	/** @DRM_PANTHOR_SYNC_OP_WAIT: Wait for the fence before running. */
	DRM_PANTHOR_SYNC_OP_WAIT = 0 << 31,

	/** @DRM_PANTHOR_SYNC_OP_SIGNAL: Attach the job's done fence to the syncobj. */
	DRM_PANTHOR_SYNC_OP_SIGNAL = (int)(1u << 31),
};

/**
 * struct drm_panthor_sync_op - One wait or signal on a syncobj.
 */
struct drm_panthor_sync_op {
	/** @flags: Handle type and direction, enum drm_panthor_sync_op_flags. */
	__u32 flags;

	/** @handle: Syncobj handle. */
	__u32 handle;

	/**
	 * @timeline_value: Point on a timeline syncobj. Must be zero for a
	 * binary syncobj.
	 */
	__u64 timeline_value;
};

/**
 * enum drm_panthor_dev_query_type - What DRM_IOCTL_PANTHOR_DEV_QUERY reads.
 *
 * New types are appended; existing values never change.
 */
enum drm_panthor_dev_query_type {
	/** @DRM_PANTHOR_DEV_QUERY_GPU_INFO: &struct drm_panthor_gpu_info. */
	DRM_PANTHOR_DEV_QUERY_GPU_INFO = 0,

	/** @DRM_PANTHOR_DEV_QUERY_CSIF_INFO: &struct drm_panthor_csif_info. */
	DRM_PANTHOR_DEV_QUERY_CSIF_INFO,

	/** @DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO: &struct drm_panthor_timestamp_info. */
	DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO,

	/**
	 * @DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO:
	 * &struct drm_panthor_group_priorities_info.
	 */
	DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO,

	/** @DRM_PANTHOR_DEV_QUERY_MMU_INFO: &struct drm_panthor_mmu_info (uAPI 1.9). */
	DRM_PANTHOR_DEV_QUERY_MMU_INFO,

	/**
	 * @DRM_PANTHOR_DEV_QUERY_PVM_VM_BIND_INFO:
	 * &struct drm_panthor_pvm_vm_bind_info. panthor-vm extension, not in
	 * upstream panthor, which answers -EINVAL: a client probes for the
	 * VM_BIND extensions with this query. Its value leaves room for
	 * upstream's future types.
	 */
	DRM_PANTHOR_DEV_QUERY_PVM_VM_BIND_INFO = 0x100,
};

/**
 * enum drm_panthor_gpu_coherency - System coherency protocols.
 *
 * &drm_panthor_gpu_info.coherency_features is a mask of BIT(value) for each
 * protocol the GPU implements; &drm_panthor_gpu_info.selected_coherency is
 * the one value in use.
 */
enum drm_panthor_gpu_coherency {
	/** @DRM_PANTHOR_GPU_COHERENCY_ACE_LITE: ACE-Lite, IO coherency. */
	DRM_PANTHOR_GPU_COHERENCY_ACE_LITE = 0,

	/** @DRM_PANTHOR_GPU_COHERENCY_ACE: Full ACE coherency. */
	DRM_PANTHOR_GPU_COHERENCY_ACE = 1,

	/** @DRM_PANTHOR_GPU_COHERENCY_NONE: Not coherent with the CPU. */
	DRM_PANTHOR_GPU_COHERENCY_NONE = 31,
};

/**
 * struct drm_panthor_gpu_info - GPU identification and feature registers.
 *
 * Answer to %DRM_PANTHOR_DEV_QUERY_GPU_INFO. Most fields are copies of the
 * GPU_CONTROL identification registers of the same name.
 */
struct drm_panthor_gpu_info {
	/** @gpu_id: GPU_ID: architecture, product and version. */
	__u32 gpu_id;
#define DRM_PANTHOR_ARCH_MAJOR(x)		((x) >> 28)
#define DRM_PANTHOR_ARCH_MINOR(x)		(((x) >> 24) & 0xf)
#define DRM_PANTHOR_ARCH_REV(x)			(((x) >> 20) & 0xf)
#define DRM_PANTHOR_PRODUCT_MAJOR(x)		(((x) >> 16) & 0xf)
#define DRM_PANTHOR_VERSION_MAJOR(x)		(((x) >> 12) & 0xf)
#define DRM_PANTHOR_VERSION_MINOR(x)		(((x) >> 4) & 0xff)
#define DRM_PANTHOR_VERSION_STATUS(x)		((x) & 0xf)

	/** @gpu_rev: GPU_REVID, the silicon revision. */
	__u32 gpu_rev;

	/** @csf_id: Command stream frontend hardware and MCU versions. */
	__u32 csf_id;
#define DRM_PANTHOR_CSHW_MAJOR(x)		(((x) >> 26) & 0x3f)
#define DRM_PANTHOR_CSHW_MINOR(x)		(((x) >> 20) & 0x3f)
#define DRM_PANTHOR_CSHW_REV(x)			(((x) >> 16) & 0xf)
#define DRM_PANTHOR_MCU_MAJOR(x)		(((x) >> 10) & 0x3f)
#define DRM_PANTHOR_MCU_MINOR(x)		(((x) >> 4) & 0x3f)
#define DRM_PANTHOR_MCU_REV(x)			((x) & 0xf)

	/** @l2_features: L2_FEATURES, L2 cache geometry. */
	__u32 l2_features;

	/** @tiler_features: TILER_FEATURES. */
	__u32 tiler_features;

	/** @mem_features: MEM_FEATURES. */
	__u32 mem_features;

	/** @mmu_features: MMU_FEATURES: VA bits in [7:0], PA bits in [15:8]. */
	__u32 mmu_features;
#define DRM_PANTHOR_MMU_VA_BITS(x)		((x) & 0xff)

	/** @thread_features: THREAD_FEATURES. */
	__u32 thread_features;

	/** @max_threads: THREAD_MAX_THREADS. */
	__u32 max_threads;

	/** @thread_max_workgroup_size: THREAD_MAX_WORKGROUP_SIZE. */
	__u32 thread_max_workgroup_size;

	/** @thread_max_barrier_size: THREAD_MAX_BARRIER_SIZE. */
	__u32 thread_max_barrier_size;

	/**
	 * @coherency_features: Mask of BIT(enum drm_panthor_gpu_coherency)
	 * for each protocol the GPU supports. Which one the platform actually
	 * wires up is in @selected_coherency.
	 */
	__u32 coherency_features;

	/** @texture_features: TEXTURE_FEATURES_0 to TEXTURE_FEATURES_3. */
	__u32 texture_features[4];

	/** @as_present: AS_PRESENT, one bit per MMU address space. */
	__u32 as_present;

	/**
	 * @selected_coherency: The enum drm_panthor_gpu_coherency in use
	 * (uAPI 1.7; a zero pad before that).
	 */
	__u32 selected_coherency;

	/** @shader_present: SHADER_PRESENT, one bit per shader core. */
	__u64 shader_present;

	/** @l2_present: L2_PRESENT, one bit per L2 slice. */
	__u64 l2_present;

	/** @tiler_present: TILER_PRESENT, one bit per tiler. */
	__u64 tiler_present;

	/** @core_features: CORE_FEATURES, the core variant. */
	__u32 core_features;

	/** @pad: Zero. */
	__u32 pad;

	/** @gpu_features: GPU_FEATURES, optional GPU-wide features. */
	__u64 gpu_features;
};

/**
 * struct drm_panthor_csif_info - Command stream interface properties.
 *
 * Answer to %DRM_PANTHOR_DEV_QUERY_CSIF_INFO.
 */
struct drm_panthor_csif_info {
	/** @csg_slot_count: Number of command stream group slots. */
	__u32 csg_slot_count;

	/** @cs_slot_count: Number of command stream slots per group. */
	__u32 cs_slot_count;

	/** @cs_reg_count: Number of registers of a command stream. */
	__u32 cs_reg_count;

	/** @scoreboard_slot_count: Number of scoreboard slots. */
	__u32 scoreboard_slot_count;

	/**
	 * @unpreserved_cs_reg_count: Number of registers at the top of the
	 * register file that the kernel's ring buffer code clobbers when it
	 * calls a user command stream.
	 */
	__u32 unpreserved_cs_reg_count;

	/** @pad: Zero. */
	__u32 pad;
};

/**
 * enum drm_panthor_timestamp_info_flags - Selectors of a timestamp query.
 */
enum drm_panthor_timestamp_info_flags {
	/** @DRM_PANTHOR_TIMESTAMP_GPU: Read the GPU timestamp. */
	DRM_PANTHOR_TIMESTAMP_GPU = 1 << 0,

	/** @DRM_PANTHOR_TIMESTAMP_CPU_NONE: Read no CPU clock. */
	DRM_PANTHOR_TIMESTAMP_CPU_NONE = 0 << 1,

	/** @DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC: Read CLOCK_MONOTONIC. */
	DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC = 1 << 1,

	/** @DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC_RAW: Read CLOCK_MONOTONIC_RAW. */
	DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC_RAW = 2 << 1,

	/** @DRM_PANTHOR_TIMESTAMP_CPU_TYPE_MASK: Bits selecting the CPU clock. */
	DRM_PANTHOR_TIMESTAMP_CPU_TYPE_MASK = 7 << 1,

	/** @DRM_PANTHOR_TIMESTAMP_GPU_OFFSET: Read the GPU timestamp offset. */
	DRM_PANTHOR_TIMESTAMP_GPU_OFFSET = 1 << 4,

	/** @DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT: Read the GPU cycle counter. */
	DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT = 1 << 5,

	/** @DRM_PANTHOR_TIMESTAMP_FREQ: Read the timestamp frequency. */
	DRM_PANTHOR_TIMESTAMP_FREQ = 1 << 6,

	/** @DRM_PANTHOR_TIMESTAMP_DURATION: Report how long the reads took. */
	DRM_PANTHOR_TIMESTAMP_DURATION = 1 << 7,
};

/**
 * struct drm_panthor_timestamp_info - GPU and CPU time.
 *
 * Answer to %DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO. The first three fields
 * are the uAPI 1.1 object; the rest arrived with uAPI 1.8.
 */
struct drm_panthor_timestamp_info {
	/** @timestamp_frequency: Timestamp counter frequency in Hz, 0 if unknown. */
	__u64 timestamp_frequency;

	/** @current_timestamp: GPU timestamp counter value. */
	__u64 current_timestamp;

	/** @timestamp_offset: GPU timestamp offset register. */
	__u64 timestamp_offset;

	/**
	 * @flags: In: enum drm_panthor_timestamp_info_flags selecting what to
	 * read; zero means GPU | GPU_OFFSET | FREQ. Only one CPU clock type
	 * may be selected.
	 */
	__u32 flags;

	/** @duration_nsec: Out: time the reads took, with TIMESTAMP_DURATION. */
	__u32 duration_nsec;

	/** @cycle_count: GPU cycle counter value. */
	__u64 cycle_count;

	/** @cpu_timestamp_sec: Seconds of the selected CPU clock. */
	__u64 cpu_timestamp_sec;

	/** @cpu_timestamp_nsec: Nanoseconds of the selected CPU clock. */
	__u64 cpu_timestamp_nsec;
};

/**
 * struct drm_panthor_mmu_info - GPU MMU properties (uAPI 1.9).
 *
 * Answer to %DRM_PANTHOR_DEV_QUERY_MMU_INFO.
 */
struct drm_panthor_mmu_info {
	/**
	 * @page_size_bitmap: Mask of the mapping sizes the GPU page table
	 * supports: bit N set means 2^N-byte mappings (4 KiB pages and 2 MiB
	 * blocks here).
	 */
	__u64 page_size_bitmap;
};

/**
 * struct drm_panthor_pvm_vm_bind_info - VM_BIND extensions (panthor-vm).
 *
 * Answer to %DRM_PANTHOR_DEV_QUERY_PVM_VM_BIND_INFO. Layout rule of the
 * extensions: an extension adds a flag to &drm_panthor_vm_bind_op.flags
 * and, if it needs arguments, fields appended after
 * &drm_panthor_vm_bind_op.syncs; @op_size says how far the kernel reads,
 * and a client passes a stride of 48 (upstream's element) or of @op_size.
 * Fields beyond the stride read as zero.
 */
struct drm_panthor_pvm_vm_bind_info {
	/**
	 * @op_flags: Every map flag of &drm_panthor_vm_bind_op.flags the
	 * kernel accepts (enum drm_panthor_vm_bind_op_flags, type bits
	 * excluded), %DRM_PANTHOR_VM_BIND_OP_MAP_REPEAT among them.
	 */
	__u32 op_flags;

	/**
	 * @op_size: Size in bytes of &struct drm_panthor_vm_bind_op as the
	 * kernel knows it (56: up to &drm_panthor_vm_bind_op.repeat_range).
	 */
	__u32 op_size;

	/**
	 * @repeat_range_sizes: Mask of the &drm_panthor_vm_bind_op.repeat_range
	 * values %DRM_PANTHOR_VM_BIND_OP_MAP_REPEAT accepts: bit N set means
	 * 2^N bytes.
	 */
	__u64 repeat_range_sizes;
};

/**
 * struct drm_panthor_group_priorities_info - Group priorities this file may use.
 *
 * Answer to %DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO.
 */
struct drm_panthor_group_priorities_info {
	/** @allowed_mask: BIT(enum drm_panthor_group_priority) for each allowed one. */
	__u8 allowed_mask;

	/** @pad: Zero. */
	__u8 pad[3];
};

/**
 * struct drm_panthor_dev_query - Argument of DRM_IOCTL_PANTHOR_DEV_QUERY.
 *
 * With @pointer zero, the kernel only writes the size of the object for
 * @type into @size. Otherwise @size must be at least the size the object
 * had when @type was introduced (-EINVAL); the kernel copies
 * min(@size, its object size) bytes and zero-fills the rest of @size. An
 * unknown @type gets -EINVAL.
 */
struct drm_panthor_dev_query {
	/** @type: The enum drm_panthor_dev_query_type to read. */
	__u32 type;

	/** @size: In: bytes at @pointer. Out, with a zero @pointer: object size. */
	__u32 size;

	/** @pointer: User pointer to the object to fill, or zero. */
	__u64 pointer;
};

/**
 * struct drm_panthor_vm_create - Argument of DRM_IOCTL_PANTHOR_VM_CREATE.
 *
 * The GPU VA space of a VM is split in two: user VA from 0 up to the
 * returned @user_va_range, where VM_BIND may map, and the kernel-reserved
 * range above it, up to 2^VA bits.
 */
struct drm_panthor_vm_create {
	/** @flags: Zero; no flags are defined. */
	__u32 flags;

	/** @id: Out: VM id, non-zero, unique within the DRM file. */
	__u32 id;

	/**
	 * @user_va_range: In: size of the user VA range wanted, or zero for a
	 * default. Out: where the kernel-reserved range starts, which may be
	 * above the requested value since the kernel range is a power of two
	 * placed at the top of the VA space.
	 */
	__u64 user_va_range;
};

/**
 * struct drm_panthor_vm_destroy - Argument of DRM_IOCTL_PANTHOR_VM_DESTROY.
 */
struct drm_panthor_vm_destroy {
	/** @id: VM id from VM_CREATE. */
	__u32 id;

	/** @pad: Zero. */
	__u32 pad;
};

/**
 * enum drm_panthor_vm_bind_op_flags - Type and flags of a VM bind operation.
 *
 * Bits 31:28 hold the operation type; the low bits are flags that only MAP
 * accepts.
 */
enum drm_panthor_vm_bind_op_flags {
	/** @DRM_PANTHOR_VM_BIND_OP_MAP_READONLY: GPU writes to the range fault. */
	DRM_PANTHOR_VM_BIND_OP_MAP_READONLY = 1 << 0,

	/** @DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC: GPU instruction fetches fault. */
	DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC = 1 << 1,

	/** @DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED: Map with the uncached attribute. */
	DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED = 1 << 2,

	/**
	 * @DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE: Back the range with a dummy
	 * object (uAPI 1.9).
	 *
	 * The whole range maps one per-file dummy object cyclically; reads
	 * return unspecified data and writes land in the dummy. bo_handle and
	 * bo_offset must be zero and %DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC must be
	 * set.
	 */
	DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE = 1 << 3,

	/**
	 * @DRM_PANTHOR_VM_BIND_OP_MAP_REPEAT: Repeat a BO range over the VA
	 * range. panthor-vm extension, not in upstream panthor.
	 *
	 * The BO bytes [bo_offset, bo_offset + repeat_range) are mapped at va,
	 * again at va + repeat_range, and so on up to va + size: address a
	 * reads BO byte bo_offset + (a - va) % repeat_range. repeat_range must
	 * be a power of two from 4 KiB to 2 MiB, va a multiple of it, size a
	 * multiple of 4 KiB (the last copy may be partial), bo_offset 4 KiB
	 * aligned and bo_offset + repeat_range within the BO; otherwise
	 * -EINVAL. Splitting the mapping later (partial unmap or an
	 * overlapping MAP) keeps every remaining address on the same BO byte.
	 * Needs a stride that includes &drm_panthor_vm_bind_op.repeat_range.
	 * Cannot be combined with %DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE. A kernel
	 * that does not know this flag rejects it with -EINVAL.
	 */
	DRM_PANTHOR_VM_BIND_OP_MAP_REPEAT = 1 << 4,

	/** @DRM_PANTHOR_VM_BIND_OP_TYPE_MASK: Bits holding the operation type. */
	DRM_PANTHOR_VM_BIND_OP_TYPE_MASK = (int)(0xfu << 28),

	/** @DRM_PANTHOR_VM_BIND_OP_TYPE_MAP: Map BO memory at a VA range. */
	DRM_PANTHOR_VM_BIND_OP_TYPE_MAP = 0 << 28,

	/** @DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP: Unmap whatever is in a VA range. */
	DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP = 1 << 28,

	/**
	 * @DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY: Change nothing, only wait and
	 * signal. va, size, bo_handle and bo_offset must be zero. With
	 * %DRM_PANTHOR_VM_BIND_ASYNC it needs at least one sync op; in a
	 * synchronous bind it must have none and does nothing.
	 */
	DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY = 2 << 28,
};

/**
 * struct drm_panthor_vm_bind_op - One VM bind operation.
 *
 * Element of &drm_panthor_vm_bind.ops. The upstream element is 48 bytes,
 * ending with @syncs; panthor-vm appends @repeat_range, so the kernel
 * accepts a stride of 48 (older userspace; @repeat_range then reads as 0)
 * or 56. va, size and bo_offset must be aligned to the VM page size (4 KiB)
 * and [va, va + size) must lie in the user VA range.
 */
struct drm_panthor_vm_bind_op {
	/** @flags: One DRM_PANTHOR_VM_BIND_OP_TYPE_* ORed with map flags. */
	__u32 flags;

	/** @bo_handle: GEM handle of the BO to map. Zero for UNMAP and SYNC_ONLY. */
	__u32 bo_handle;

	/** @bo_offset: Offset in the BO of the first mapped byte. Zero unless MAP. */
	__u64 bo_offset;

	/** @va: GPU virtual address of the range. Zero for SYNC_ONLY. */
	__u64 va;

	/** @size: Size of the range in bytes. Zero for SYNC_ONLY. */
	__u64 size;

	/**
	 * @syncs: Array of &struct drm_panthor_sync_op. Must be empty unless
	 * the bind is %DRM_PANTHOR_VM_BIND_ASYNC; must not be empty for an
	 * asynchronous SYNC_ONLY.
	 */
	struct drm_panthor_obj_array syncs;

	/**
	 * @repeat_range: Size of the BO range repeated by
	 * %DRM_PANTHOR_VM_BIND_OP_MAP_REPEAT. panthor-vm extension, not in
	 * upstream panthor. Must be zero unless that flag is set (-EINVAL).
	 */
	__u64 repeat_range;
};

/**
 * enum drm_panthor_vm_bind_flags - Flags of a VM_BIND request.
 */
enum drm_panthor_vm_bind_flags {
	/**
	 * @DRM_PANTHOR_VM_BIND_ASYNC: Queue the operations on the VM's bind
	 * queue, in order, instead of running them before the ioctl returns.
	 * Completion is reported through the operations' signal syncs.
	 */
	DRM_PANTHOR_VM_BIND_ASYNC = 1 << 0,
};

/**
 * struct drm_panthor_vm_bind - Argument of DRM_IOCTL_PANTHOR_VM_BIND.
 *
 * In synchronous mode the operations run in order; if one fails, those
 * before it stay applied, it changes nothing, the ioctl returns its error
 * and @ops.count is set to its index.
 */
struct drm_panthor_vm_bind {
	/** @vm_id: VM to operate on. */
	__u32 vm_id;

	/** @flags: Combination of enum drm_panthor_vm_bind_flags. */
	__u32 flags;

	/** @ops: Array of &struct drm_panthor_vm_bind_op. */
	struct drm_panthor_obj_array ops;
};

/**
 * enum drm_panthor_vm_state - State of a VM.
 */
enum drm_panthor_vm_state {
	/** @DRM_PANTHOR_VM_STATE_USABLE: The VM accepts every operation. */
	DRM_PANTHOR_VM_STATE_USABLE,

	/**
	 * @DRM_PANTHOR_VM_STATE_UNUSABLE: An asynchronous bind or a GPU fault
	 * broke the VM. New MAP operations are rejected with -EINVAL, GPU work
	 * on it fails, UNMAP still works. Destroy it and create a new one.
	 */
	DRM_PANTHOR_VM_STATE_UNUSABLE,
};

/**
 * struct drm_panthor_vm_get_state - Argument of DRM_IOCTL_PANTHOR_VM_GET_STATE.
 */
struct drm_panthor_vm_get_state {
	/** @vm_id: VM to query. */
	__u32 vm_id;

	/** @state: Out: an enum drm_panthor_vm_state. */
	__u32 state;
};

/**
 * enum drm_panthor_bo_flags - Flags given at BO creation.
 */
enum drm_panthor_bo_flags {
	/** @DRM_PANTHOR_BO_NO_MMAP: The BO can never be mapped by the CPU. */
	DRM_PANTHOR_BO_NO_MMAP = (1 << 0),

	/**
	 * @DRM_PANTHOR_BO_WB_MMAP: CPU mappings are write-back cached even if
	 * the GPU is not IO coherent (uAPI 1.7). Excludes
	 * %DRM_PANTHOR_BO_NO_MMAP.
	 */
	DRM_PANTHOR_BO_WB_MMAP = (1 << 1),
};

/**
 * struct drm_panthor_bo_create - Argument of DRM_IOCTL_PANTHOR_BO_CREATE.
 */
struct drm_panthor_bo_create {
	/**
	 * @size: In: requested size, non-zero; panthor-vm refuses 1 TiB and
	 * more (-EINVAL), whose page array the kernel could not allocate.
	 * Out: size rounded up to pages.
	 */
	__u64 size;

	/** @flags: Combination of enum drm_panthor_bo_flags. */
	__u32 flags;

	/**
	 * @exclusive_vm_id: Zero, or the id of the only VM this BO may ever be
	 * mapped in. Such a BO shares the VM's reservation object and cannot
	 * be exported.
	 */
	__u32 exclusive_vm_id;

	/** @handle: Out: GEM handle, non-zero. */
	__u32 handle;

	/** @pad: Zero. */
	__u32 pad;
};

/**
 * struct drm_panthor_bo_mmap_offset - Argument of DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET.
 */
struct drm_panthor_bo_mmap_offset {
	/** @handle: GEM handle of the BO. */
	__u32 handle;

	/** @pad: Zero. */
	__u32 pad;

	/** @offset: Out: offset to pass to mmap() on the DRM file. */
	__u64 offset;
};

/**
 * struct drm_panthor_queue_create - One queue of a new group.
 */
struct drm_panthor_queue_create {
	/** @priority: Priority of the queue within its group, 0 to 15. */
	__u8 priority;

	/** @pad: Zero. */
	__u8 pad[3];

	/** @ringbuf_size: Size of the queue's ring buffer, a power of two. */
	__u32 ringbuf_size;
};

/**
 * enum drm_panthor_group_priority - Scheduling priority of a group.
 */
enum drm_panthor_group_priority {
	/** @PANTHOR_GROUP_PRIORITY_LOW: Low priority. */
	PANTHOR_GROUP_PRIORITY_LOW = 0,

	/** @PANTHOR_GROUP_PRIORITY_MEDIUM: Medium priority. */
	PANTHOR_GROUP_PRIORITY_MEDIUM,

	/** @PANTHOR_GROUP_PRIORITY_HIGH: High priority, needs CAP_SYS_NICE or master. */
	PANTHOR_GROUP_PRIORITY_HIGH,

	/** @PANTHOR_GROUP_PRIORITY_REALTIME: Real-time, needs CAP_SYS_NICE or master. */
	PANTHOR_GROUP_PRIORITY_REALTIME,
};

/**
 * struct drm_panthor_group_create - Argument of DRM_IOCTL_PANTHOR_GROUP_CREATE.
 */
struct drm_panthor_group_create {
	/** @queues: Array of &struct drm_panthor_queue_create. */
	struct drm_panthor_obj_array queues;

	/** @max_compute_cores: Compute cores usable at once, <= popcount(mask). */
	__u8 max_compute_cores;

	/** @max_fragment_cores: Fragment cores usable at once, <= popcount(mask). */
	__u8 max_fragment_cores;

	/** @max_tiler_cores: Tilers usable at once, <= popcount(mask). */
	__u8 max_tiler_cores;

	/** @priority: An enum drm_panthor_group_priority. */
	__u8 priority;

	/** @pad: Zero. */
	__u32 pad;

	/** @compute_core_mask: Shader cores allowed for compute work. */
	__u64 compute_core_mask;

	/** @fragment_core_mask: Shader cores allowed for fragment work. */
	__u64 fragment_core_mask;

	/** @tiler_core_mask: Tilers allowed for tiling work. */
	__u64 tiler_core_mask;

	/** @vm_id: VM every queue of the group runs in. */
	__u32 vm_id;

	/** @group_handle: Out: handle of the new group. */
	__u32 group_handle;
};

/**
 * struct drm_panthor_group_destroy - Argument of DRM_IOCTL_PANTHOR_GROUP_DESTROY.
 */
struct drm_panthor_group_destroy {
	/** @group_handle: Group to destroy. */
	__u32 group_handle;

	/** @pad: Zero. */
	__u32 pad;
};

/**
 * struct drm_panthor_queue_submit - One command stream call on one queue.
 */
struct drm_panthor_queue_submit {
	/** @queue_index: Queue of the group, by creation order. */
	__u32 queue_index;

	/**
	 * @stream_size: Bytes of command stream, a multiple of 8. Zero (with a
	 * zero @stream_addr) makes a pure synchronisation point.
	 */
	__u32 stream_size;

	/** @stream_addr: GPU VA of the command stream, 64-byte aligned. */
	__u64 stream_addr;

	/**
	 * @latest_flush: LATEST_FLUSH_ID value read when the stream was
	 * written, letting the kernel skip a redundant cache flush; zero
	 * forces the flush.
	 */
	__u32 latest_flush;

	/** @pad: Zero. */
	__u32 pad;

	/** @syncs: Array of &struct drm_panthor_sync_op. */
	struct drm_panthor_obj_array syncs;
};

/**
 * struct drm_panthor_group_submit - Argument of DRM_IOCTL_PANTHOR_GROUP_SUBMIT.
 */
struct drm_panthor_group_submit {
	/** @group_handle: Group to submit to. */
	__u32 group_handle;

	/** @pad: Zero. */
	__u32 pad;

	/** @queue_submits: Array of &struct drm_panthor_queue_submit. */
	struct drm_panthor_obj_array queue_submits;
};

/**
 * enum drm_panthor_group_state_flags - Bits of &drm_panthor_group_get_state.state.
 */
enum drm_panthor_group_state_flags {
	/** @DRM_PANTHOR_GROUP_STATE_TIMEDOUT: A job timed out; the group is dead. */
	DRM_PANTHOR_GROUP_STATE_TIMEDOUT = 1 << 0,

	/** @DRM_PANTHOR_GROUP_STATE_FATAL_FAULT: A fatal fault; the group is dead. */
	DRM_PANTHOR_GROUP_STATE_FATAL_FAULT = 1 << 1,

	/**
	 * @DRM_PANTHOR_GROUP_STATE_INNOCENT: The group died in a reset caused
	 * by another group. Only with TIMEDOUT and without FATAL_FAULT.
	 */
	DRM_PANTHOR_GROUP_STATE_INNOCENT = 1 << 2,
};

/**
 * struct drm_panthor_group_get_state - Argument of DRM_IOCTL_PANTHOR_GROUP_GET_STATE.
 */
struct drm_panthor_group_get_state {
	/** @group_handle: Group to query. */
	__u32 group_handle;

	/** @state: Out: enum drm_panthor_group_state_flags. */
	__u32 state;

	/** @fatal_queues: Out: mask of queues that hit a fatal fault. */
	__u32 fatal_queues;

	/** @pad: Zero. */
	__u32 pad;
};

/**
 * struct drm_panthor_tiler_heap_create - Argument of DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE.
 */
struct drm_panthor_tiler_heap_create {
	/** @vm_id: VM the heap is mapped in. */
	__u32 vm_id;

	/** @initial_chunk_count: Chunks allocated up front, at least one. */
	__u32 initial_chunk_count;

	/** @chunk_size: Bytes per chunk, page-aligned, 128 KiB to 8 MiB. */
	__u32 chunk_size;

	/** @max_chunks: Upper bound of chunks, at least @initial_chunk_count. */
	__u32 max_chunks;

	/** @target_in_flight: Render passes in flight before tiling waits. */
	__u32 target_in_flight;

	/** @handle: Out: heap handle. */
	__u32 handle;

	/** @tiler_heap_ctx_gpu_va: Out: GPU VA of the heap context. */
	__u64 tiler_heap_ctx_gpu_va;

	/** @first_heap_chunk_gpu_va: Out: GPU VA of the first chunk of the list. */
	__u64 first_heap_chunk_gpu_va;
};

/**
 * struct drm_panthor_tiler_heap_destroy - Argument of DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY.
 */
struct drm_panthor_tiler_heap_destroy {
	/** @handle: Heap handle from TILER_HEAP_CREATE. */
	__u32 handle;

	/** @pad: Zero. */
	__u32 pad;
};

/**
 * struct drm_panthor_bo_set_label - Argument of DRM_IOCTL_PANTHOR_BO_SET_LABEL.
 */
struct drm_panthor_bo_set_label {
	/** @handle: GEM handle of the BO. */
	__u32 handle;

	/** @pad: Zero. */
	__u32 pad;

	/**
	 * @label: User pointer to a NUL-terminated string of at most 4096
	 * bytes including the NUL, or zero to drop the label.
	 */
	__u64 label;
};

/**
 * struct drm_panthor_set_user_mmio_offset - Argument of
 * DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET.
 */
struct drm_panthor_set_user_mmio_offset {
	/**
	 * @offset: %DRM_PANTHOR_USER_MMIO_OFFSET_32BIT or
	 * %DRM_PANTHOR_USER_MMIO_OFFSET_64BIT.
	 */
	__u64 offset;
};

/**
 * enum drm_panthor_bo_sync_op_type - CPU cache operation of a BO sync.
 */
enum drm_panthor_bo_sync_op_type {
	/** @DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH: Write dirty CPU lines back. */
	DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH = 0,

	/**
	 * @DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE: Write back and
	 * drop the CPU lines.
	 */
	DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE = 1,
};

/**
 * struct drm_panthor_bo_sync_op - One range of one BO to sync.
 */
struct drm_panthor_bo_sync_op {
	/** @handle: GEM handle of the BO. */
	__u32 handle;

	/** @type: An enum drm_panthor_bo_sync_op_type. */
	__u32 type;

	/**
	 * @offset: Start of the range. The CPU's cache lines that hold any
	 * byte of [@offset, @offset + @size) are maintained.
	 */
	__u64 offset;

	/** @size: Length of the range, within the BO. Zero does nothing. */
	__u64 size;
};

/**
 * struct drm_panthor_bo_sync - Argument of DRM_IOCTL_PANTHOR_BO_SYNC.
 */
struct drm_panthor_bo_sync {
	/** @ops: Array of &struct drm_panthor_bo_sync_op. */
	struct drm_panthor_obj_array ops;
};

/**
 * enum drm_panthor_bo_extra_flags - BO properties reported by BO_QUERY_INFO.
 */
enum drm_panthor_bo_extra_flags {
	/**
	 * @DRM_PANTHOR_BO_IS_IMPORTED: The BO comes from another device's
	 * dma-buf (this device's own dma-bufs import as the BO itself). Such
	 * BOs are CPU-cached whatever the GPU's coherency, and their cache
	 * maintenance is the exporter's: DRM_IOCTL_PANTHOR_BO_SYNC refuses
	 * them (-EINVAL); use DMA_BUF_IOCTL_SYNC on the dma-buf.
	 */
	DRM_PANTHOR_BO_IS_IMPORTED = (1 << 0),
};

/**
 * struct drm_panthor_bo_query_info - Argument of DRM_IOCTL_PANTHOR_BO_QUERY_INFO.
 */
struct drm_panthor_bo_query_info {
	/** @handle: GEM handle of the BO. */
	__u32 handle;

	/** @extra_flags: Out: enum drm_panthor_bo_extra_flags. */
	__u32 extra_flags;

	/** @create_flags: Out: enum drm_panthor_bo_flags given at creation. */
	__u32 create_flags;

	/** @pad: Out: zero. */
	__u32 pad;
};

#if defined(__cplusplus)
}
#endif

#endif /* _PANTHOR_DRM_H_ */
