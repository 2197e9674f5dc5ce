/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The panthor-vm authors
 */
#ifndef IGT_PANTHOR_SIM_H
#define IGT_PANTHOR_SIM_H

/**
 * DOC: panthor-vm test helpers (not in IGT)
 *
 * Helpers for the panthor-vm IGT tests that upstream IGT has no
 * equivalent of:
 *
 * - the software GPU: GPU reads and writes through a VM
 *   (DRM_IOCTL_PANTHOR_SIM_GPU_ACCESS), GPU agents
 *   (DRM_IOCTL_PANTHOR_SIM_AGENT), the sim_stats, locks, vm_stats and
 *   gems debugfs files, the system MMU parameter;
 * - multi-op VM_BIND with any stride, VM_CREATE with a user VA range,
 *   VM_GET_STATE, the driver's uAPI minor and GPU_INFO;
 * - data patterns: every 32-bit word of a test BO holds a value derived
 *   from the BO's seed and the word's BO offset, so a GPU read of any VA
 *   tells which BO byte it reached;
 * - a page-granular model of a VA window (which BO and BO offset each
 *   page should show, or a hole), checked with GPU reads.
 *
 * Conventions as in igt_panthor.h: functions named igt_*() assert
 * (a failure fails the current subtest); functions named __igt_*() return
 * 0 or a negative errno and assert nothing.
 *
 * Features the running kernel lacks make the caller skip through
 * igt_require_*(), never fail: igt_require_panthor_sim() for the sim
 * ioctls, igt_panthor_debugfs_dir() returning NULL for debugfs.
 *
 * Three files implement this header: igt_panthor_sim.c (device, VMs,
 * VM_BIND, GPU access, agents), igt_panthor_sim_debugfs.c (debugfs files,
 * the system MMU) and igt_panthor_sim_model.c (patterns, the model).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "panthor_drm.h"
#include "panthor_vm_sim.h"

/** SZ_4K etc.: sizes as in IGT and the kernel. */
#ifndef SZ_4K
#define SZ_4K	UINT64_C(0x00001000)
#define SZ_8K	UINT64_C(0x00002000)
#define SZ_16K	UINT64_C(0x00004000)
#define SZ_32K	UINT64_C(0x00008000)
#define SZ_64K	UINT64_C(0x00010000)
#define SZ_1M	UINT64_C(0x00100000)
#define SZ_2M	UINT64_C(0x00200000)
#define SZ_4M	UINT64_C(0x00400000)
#define SZ_8M	UINT64_C(0x00800000)
#define SZ_1G	UINT64_C(0x40000000)
#endif

/** IGT_PANTHOR_SIM_ACCESS_MAX: largest single SIM_GPU_ACCESS transfer. */
#define IGT_PANTHOR_SIM_ACCESS_MAX	SZ_1M

/** IGT_PANTHOR_FAULT_TRANSLATION: AS_FAULTSTATUS translation fault, level 0. */
#define IGT_PANTHOR_FAULT_TRANSLATION	0xc0
/** IGT_PANTHOR_FAULT_PERMISSION: AS_FAULTSTATUS permission fault, level 0. */
#define IGT_PANTHOR_FAULT_PERMISSION	0xc8
/** IGT_PANTHOR_BUS_FAULT: exception code of a bus fault on the data. */
#define IGT_PANTHOR_BUS_FAULT		0x80
/** IGT_PANTHOR_ACCESS_READ: AS_FAULTSTATUS access type of a data read. */
#define IGT_PANTHOR_ACCESS_READ		2
/** IGT_PANTHOR_ACCESS_WRITE: AS_FAULTSTATUS access type of a data write. */
#define IGT_PANTHOR_ACCESS_WRITE	3

/** IGT_PANTHOR_LEAF_PAGE: igt_panthor_gpu_leaf_log2() of a 4 KiB page. */
#define IGT_PANTHOR_LEAF_PAGE		12
/** IGT_PANTHOR_LEAF_BLOCK: igt_panthor_gpu_leaf_log2() of a 2 MiB block. */
#define IGT_PANTHOR_LEAF_BLOCK		21

/**
 * IGT_PANTHOR_FAULTSTATUS() - The AS_FAULTSTATUS the software GPU reports.
 * @code: exception code (0xc0 | level, 0xc8 | level, ...).
 * @access: access type (IGT_PANTHOR_ACCESS_*), bits 9:8.
 */
#define IGT_PANTHOR_FAULTSTATUS(code, access) \
	((uint32_t)(code) | ((uint32_t)(access) << 8))

/* ---- device ---------------------------------------------------------- */

int igt_panthor_uapi_minor(int fd);
void igt_panthor_require_uapi_minor(int fd, int minor);
void igt_panthor_gpu_info(int fd, struct drm_panthor_gpu_info *info);
unsigned int igt_panthor_arch_major(int fd);
unsigned int igt_panthor_va_bits(int fd);
unsigned int igt_panthor_user_slots(int fd);
bool igt_panthor_has_sim(int fd);
void igt_require_panthor_sim(int fd);

/* ---- VMs ------------------------------------------------------------- */

int __igt_panthor_vm_create(int fd, uint32_t flags, uint64_t *user_va_range,
			    uint32_t *vm_id);
uint32_t igt_panthor_vm_create_range(int fd, uint64_t *user_va_range);
int __igt_panthor_vm_get_state(int fd, uint32_t vm_id, uint32_t *state);
uint32_t igt_panthor_vm_get_state(int fd, uint32_t vm_id);

/* ---- VM_BIND --------------------------------------------------------- */

/**
 * IGT_PANTHOR_BIND_OP_STRIDE_V1: stride of the upstream (48-byte) op.
 */
#define IGT_PANTHOR_BIND_OP_STRIDE_V1 \
	(offsetof(struct drm_panthor_vm_bind_op, syncs) + \
	 sizeof(struct drm_panthor_obj_array))

int __igt_panthor_vm_bind_ops(int fd, uint32_t vm_id, uint32_t flags,
			      const void *ops, uint32_t *count, uint32_t stride);
void igt_panthor_vm_bind_ops(int fd, uint32_t vm_id, uint32_t flags,
			     struct drm_panthor_vm_bind_op *ops, uint32_t count);
int __igt_panthor_bind1(int fd, uint32_t vm_id,
			const struct drm_panthor_vm_bind_op *op);
void igt_panthor_map(int fd, uint32_t vm_id, uint32_t bo_handle,
		     uint64_t bo_offset, uint64_t va, uint64_t size,
		     uint32_t map_flags);
void igt_panthor_unmap(int fd, uint32_t vm_id, uint64_t va, uint64_t size);
void igt_panthor_map_sparse(int fd, uint32_t vm_id, uint64_t va,
			    uint64_t size);
void igt_panthor_map_repeat(int fd, uint32_t vm_id, uint32_t bo_handle,
			    uint64_t bo_offset, uint64_t va, uint64_t size,
			    uint64_t repeat_range);

/**
 * igt_panthor_op_map() - Build a MAP op.
 * @bo_handle: BO to map.
 * @bo_offset: offset in the BO.
 * @va: GPU VA.
 * @size: bytes.
 * @map_flags: DRM_PANTHOR_VM_BIND_OP_MAP_* flags.
 *
 * Return: the op, with no syncs and no repeat range.
 */
static inline struct drm_panthor_vm_bind_op
igt_panthor_op_map(uint32_t bo_handle, uint64_t bo_offset, uint64_t va,
		   uint64_t size, uint32_t map_flags)
{
	struct drm_panthor_vm_bind_op op = {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP | map_flags,
		.bo_handle = bo_handle,
		.bo_offset = bo_offset,
		.va = va,
		.size = size,
	};

	return op;
}

/**
 * igt_panthor_op_unmap() - Build an UNMAP op.
 * @va: GPU VA.
 * @size: bytes.
 *
 * Return: the op.
 */
static inline struct drm_panthor_vm_bind_op
igt_panthor_op_unmap(uint64_t va, uint64_t size)
{
	struct drm_panthor_vm_bind_op op = {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP,
		.va = va,
		.size = size,
	};

	return op;
}

/* ---- syncobjs of VM_BIND ------------------------------------------- */

/**
 * igt_panthor_sync_op() - Build a VM_BIND sync op on a syncobj.
 * @signal: SIGNAL instead of WAIT.
 * @handle: syncobj.
 * @point: timeline point; 0 for a binary syncobj.
 *
 * Return: the sync op.
 */
static inline struct drm_panthor_sync_op
igt_panthor_sync_op(bool signal, uint32_t handle, uint64_t point)
{
	struct drm_panthor_sync_op s = {
		.flags = (signal ? DRM_PANTHOR_SYNC_OP_SIGNAL :
			  DRM_PANTHOR_SYNC_OP_WAIT) |
			 (point ? DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ :
			  DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ),
		.handle = handle,
		.timeline_value = point,
	};

	return s;
}

/**
 * igt_panthor_op_syncs() - Attach @n sync ops to a VM_BIND op.
 * @op: the op.
 * @syncs: the sync ops, which must live until the ioctl.
 * @n: number of sync ops.
 */
static inline void igt_panthor_op_syncs(struct drm_panthor_vm_bind_op *op,
					struct drm_panthor_sync_op *syncs,
					uint32_t n)
{
	op->syncs.stride = sizeof(*syncs);
	op->syncs.count = n;
	op->syncs.array = (uintptr_t)syncs;
}

int igt_panthor_syncobj_wait(int fd, uint32_t handle, uint64_t point,
			     int64_t timeout_ns);
void igt_panthor_assert_available(int fd, uint32_t handle, uint64_t point,
				  const char *what);
void igt_panthor_assert_signalled(int fd, uint32_t handle, uint64_t point,
				  const char *what);

/* ---- GPU access through the software GPU ----------------------------- */

int __igt_panthor_gpu_access(int fd, uint32_t vm_id, uint64_t va, void *buf,
			     uint64_t size, bool write, uint32_t *fault_status,
			     uint64_t *fault_address);
void igt_panthor_gpu_read(int fd, uint32_t vm_id, uint64_t va, void *buf,
			  uint64_t size);
void igt_panthor_gpu_write(int fd, uint32_t vm_id, uint64_t va,
			   const void *buf, uint64_t size);
uint32_t igt_panthor_gpu_read32(int fd, uint32_t vm_id, uint64_t va);
void igt_panthor_gpu_write32(int fd, uint32_t vm_id, uint64_t va,
			     uint32_t val);
void igt_panthor_expect_faults(unsigned int mmu, unsigned int bus);
uint32_t igt_panthor_gpu_fault(int fd, uint32_t vm_id, uint64_t va,
			       bool write, uint64_t *fault_address);
void igt_panthor_assert_fault(int fd, uint32_t vm_id, uint64_t va,
			      bool write, uint32_t code);
uint32_t igt_panthor_gpu_leaf_log2(int fd, uint32_t vm_id, uint64_t va);
void igt_panthor_assert_leaf(int fd, uint32_t vm_id, uint64_t va,
			     uint32_t leaf_log2, const char *what);

/* ---- GPU agents ------------------------------------------------------ */

int __igt_panthor_sim_agent(int fd, struct drm_panthor_sim_agent *arg);
void igt_panthor_sim_agent_start(int fd, uint32_t vm_id, uint64_t va,
				 uint64_t size, const void *expect);
void igt_panthor_sim_agent_strict(int fd, uint32_t vm_id);
void igt_panthor_sim_agent_stop(int fd, uint32_t vm_id,
				struct drm_panthor_sim_agent *result);

/* ---- debugfs counters ------------------------------------------------ */

/** IGT_PANTHOR_MAX_STATS: most counters one sim_stats snapshot holds. */
#define IGT_PANTHOR_MAX_STATS 64

/**
 * struct igt_panthor_sim_stats - A snapshot of the sim_stats file.
 * @count: number of counters read.
 * @name: counter names.
 * @value: counter values.
 */
struct igt_panthor_sim_stats {
	int count;
	char name[IGT_PANTHOR_MAX_STATS][64];
	uint64_t value[IGT_PANTHOR_MAX_STATS];
};

const char *igt_panthor_debugfs_dir(int fd, const char *file);
void igt_require_panthor_sim_stats(int fd);
void igt_panthor_sim_stats_read(int fd, struct igt_panthor_sim_stats *s);
uint64_t igt_panthor_sim_stat(const struct igt_panthor_sim_stats *s,
			      const char *name);
void igt_panthor_sim_stats_reset(int fd);
void igt_panthor_sim_stats_print(const struct igt_panthor_sim_stats *s);

/** IGT_PANTHOR_MAX_LOCKS: most records of the lock log (the model keeps 64). */
#define IGT_PANTHOR_MAX_LOCKS 64

/**
 * struct igt_panthor_sim_lock - One LOCK the software GPU executed.
 * @seq: its number since the last counter reset, from 1.
 * @as: address-space slot.
 * @start: first byte of the locked region.
 * @last: last byte of the locked region (inclusive).
 */
struct igt_panthor_sim_lock {
	uint64_t seq;
	uint32_t as;
	uint64_t start;
	uint64_t last;
};

int igt_panthor_sim_locks(struct igt_panthor_sim_lock *locks, int max);
bool igt_panthor_sim_has_smmu(void);
void igt_panthor_assert_expected_smmu(void);

/**
 * struct igt_panthor_vm_stats - One line of the vm_stats debugfs file.
 * @pid: process that owns the VM.
 * @vm_id: VM id in that process' file.
 * @usable: state is "usable".
 * @tables: page-table pages of the VM.
 * @shared: of which shared between repeat copies.
 * @mapped: bytes of VA mapped.
 * @faults: GPU faults the VM took.
 * @slot: AS slot, -1 when not resident.
 * @resv_pending: unsignalled fences of the VM's reservation object (its
 *	queued asynchronous binds, as BOOKKEEP fences).
 */
struct igt_panthor_vm_stats {
	int pid;
	uint32_t vm_id;
	bool usable;
	uint64_t tables;
	uint64_t shared;
	uint64_t mapped;
	uint64_t faults;
	int slot;
	uint64_t resv_pending;
};

void igt_require_panthor_vm_stats(int fd);
bool igt_panthor_vm_stats(int fd, uint32_t vm_id,
			  struct igt_panthor_vm_stats *out);

/**
 * struct igt_panthor_gem_line - One line of the driver's gems debugfs file.
 * @size: BO size in bytes.
 * @flags: the DRM_PANTHOR_BO_* flags it was created with.
 * @imported: a dma-buf of another device.
 * @gpu_pins: pins of its pages for the GPU.
 */
struct igt_panthor_gem_line {
	uint64_t size;
	uint32_t flags;
	bool imported;
	uint32_t gpu_pins;
};

void igt_require_panthor_gems(int fd);
int igt_panthor_gems_find(int fd, const char *label, uint64_t size,
			  struct igt_panthor_gem_line *out);

/* ---- data patterns --------------------------------------------------- */

/**
 * igt_panthor_pattern() - The word a test BO holds at a byte offset.
 * @seed: the BO's seed, non-zero.
 * @offset: byte offset in the BO, a multiple of 4.
 *
 * Return: a 32-bit value unique in practice to (@seed, @offset).
 */
static inline uint32_t igt_panthor_pattern(uint32_t seed, uint64_t offset)
{
	uint64_t x = ((uint64_t)seed << 40) ^ (offset >> 2) ^
		     0x5bd1e9955bd1e995ULL;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return (uint32_t)x;
}

uint32_t igt_panthor_pattern_bo(int fd, uint64_t size, uint32_t seed);
void igt_panthor_pattern_fill(void *buf, uint64_t size, uint32_t seed,
			      uint64_t bo_offset);
bool igt_panthor_pattern_check(const void *buf, uint64_t size, uint32_t seed,
			       uint64_t bo_offset, uint64_t *bad);

/* ---- VA window model ------------------------------------------------- */

/**
 * struct igt_panthor_page - What one 4 KiB page of a modelled window shows.
 * @seed: pattern seed of the BO mapped there, 0 for a hole.
 * @bo_offset: BO offset of the page's first byte.
 */
struct igt_panthor_page {
	uint32_t seed;
	uint64_t bo_offset;
};

/**
 * struct igt_panthor_model - Expected contents of a VA window.
 * @base: GPU VA of the window, 4 KiB aligned.
 * @npages: pages in the window.
 * @page: one entry per page.
 */
struct igt_panthor_model {
	uint64_t base;
	uint64_t npages;
	struct igt_panthor_page *page;
};

void igt_panthor_model_init(struct igt_panthor_model *m, uint64_t base,
			    uint64_t size);
void igt_panthor_model_fini(struct igt_panthor_model *m);
void igt_panthor_model_map(struct igt_panthor_model *m, uint32_t seed,
			   uint64_t bo_offset, uint64_t va, uint64_t size);
void igt_panthor_model_map_repeat(struct igt_panthor_model *m, uint32_t seed,
				  uint64_t bo_offset, uint64_t va,
				  uint64_t size, uint64_t repeat_range);
void igt_panthor_model_unmap(struct igt_panthor_model *m, uint64_t va,
			     uint64_t size);
void igt_panthor_model_check(int fd, uint32_t vm_id,
			     const struct igt_panthor_model *m);
bool igt_panthor_model_hole(const struct igt_panthor_model *m, uint64_t *va);

#endif /* IGT_PANTHOR_SIM_H */
