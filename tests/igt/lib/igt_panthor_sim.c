// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * The device, VM, VM_BIND, GPU access and GPU agent helpers of
 * igt_panthor_sim.h. The debugfs counters are in igt_panthor_sim_debugfs.c,
 * the data patterns and the VA window model in igt_panthor_sim_model.c.
 */

#include <time.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_panthor_sim.h"

/* ---- device ---------------------------------------------------------- */

/**
 * igt_panthor_uapi_minor() - The driver's uAPI minor version.
 * @fd: DRM file.
 *
 * Return: version_minor of DRM_IOCTL_VERSION.
 */
int igt_panthor_uapi_minor(int fd)
{
	drmVersionPtr v = drmGetVersion(fd);
	int minor;

	igt_assert_f(v, "DRM_IOCTL_VERSION failed\n");
	minor = v->version_minor;
	drmFreeVersion(v);
	return minor;
}

/**
 * igt_panthor_require_uapi_minor() - Skip unless the driver's uAPI minor is
 * at least @minor.
 * @fd: DRM file.
 * @minor: lowest acceptable minor.
 */
void igt_panthor_require_uapi_minor(int fd, int minor)
{
	int have = igt_panthor_uapi_minor(fd);

	igt_require_f(have >= minor, "uAPI 1.%d needed, driver reports 1.%d\n",
		      minor, have);
}

/**
 * igt_panthor_gpu_info() - Read GPU_INFO.
 * @fd: DRM file.
 * @info: filled.
 */
void igt_panthor_gpu_info(int fd, struct drm_panthor_gpu_info *info)
{
	memset(info, 0, sizeof(*info));
	igt_panthor_query(fd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, info,
			  sizeof(*info), 0);
}

/**
 * igt_panthor_arch_major() - The GPU architecture major (10 or 12 on the sim).
 * @fd: DRM file.
 *
 * Return: GPU_ID >> 28.
 */
unsigned int igt_panthor_arch_major(int fd)
{
	struct drm_panthor_gpu_info info;

	igt_panthor_gpu_info(fd, &info);
	return DRM_PANTHOR_ARCH_MAJOR(info.gpu_id);
}

/**
 * igt_panthor_va_bits() - Width of the GPU virtual address.
 * @fd: DRM file.
 *
 * Return: MMU_FEATURES VA bits.
 */
unsigned int igt_panthor_va_bits(int fd)
{
	struct drm_panthor_gpu_info info;

	igt_panthor_gpu_info(fd, &info);
	return DRM_PANTHOR_MMU_VA_BITS(info.mmu_features);
}

/**
 * igt_panthor_user_slots() - Address-space slots user VMs can have.
 * @fd: DRM file.
 *
 * Return: the slots of GPU_INFO.as_present but AS 0, which the driver
 * keeps for the MCU as upstream does.
 */
unsigned int igt_panthor_user_slots(int fd)
{
	struct drm_panthor_gpu_info info;

	igt_panthor_gpu_info(fd, &info);
	return __builtin_popcount(info.as_present & ~1u);
}

/**
 * igt_panthor_has_sim() - Tell whether the driver runs on the software GPU
 * and implements DRM_IOCTL_PANTHOR_SIM_GPU_ACCESS.
 * @fd: DRM file.
 *
 * Probes with VM id 0, which never exists: the sim ioctl answers -ENOENT,
 * a kernel without it -EINVAL (DRM core's answer to an unknown driver
 * ioctl).
 *
 * Return: true if the ioctl exists.
 */
bool igt_panthor_has_sim(int fd)
{
	uint32_t word = 0;
	struct drm_panthor_sim_gpu_access a = {
		.vm_id = 0,
		.va = 0,
		.size = sizeof(word),
		.data = (uintptr_t)&word,
	};
	int ret = igt_ioctl(fd, DRM_IOCTL_PANTHOR_SIM_GPU_ACCESS, &a);
	bool has = ret == -1 && errno == ENOENT;

	errno = 0;
	return has;
}

/**
 * igt_require_panthor_sim() - Skip unless the software GPU ioctls exist.
 * @fd: DRM file.
 */
void igt_require_panthor_sim(int fd)
{
	igt_require_f(igt_panthor_has_sim(fd),
		      "the driver does not run on the software GPU\n");
}

/* ---- VMs ------------------------------------------------------------- */

/**
 * __igt_panthor_vm_create() - VM_CREATE with flags and a user VA range.
 * @fd: DRM file.
 * @flags: VM_CREATE flags (must be 0 to succeed).
 * @user_va_range: in: the requested range (0: default); out: what the
 *	kernel returned. May be NULL for 0.
 * @vm_id: out: the new VM's id.
 *
 * Return: 0 or a negative errno.
 */
int __igt_panthor_vm_create(int fd, uint32_t flags, uint64_t *user_va_range,
			    uint32_t *vm_id)
{
	struct drm_panthor_vm_create c = {
		.flags = flags,
		.user_va_range = user_va_range ? *user_va_range : 0,
	};
	int err = 0;

	if (igt_ioctl(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &c))
		err = -errno;
	errno = 0;
	if (!err) {
		*vm_id = c.id;
		if (user_va_range)
			*user_va_range = c.user_va_range;
	}
	return err;
}

/**
 * igt_panthor_vm_create_range() - VM_CREATE that must succeed.
 * @fd: DRM file.
 * @user_va_range: in: requested range, 0 for the default; out: the
 *	kernel-VA start the kernel returned. May be NULL.
 *
 * Return: the VM id, non-zero.
 */
uint32_t igt_panthor_vm_create_range(int fd, uint64_t *user_va_range)
{
	uint32_t id = 0;

	igt_assert_eq(__igt_panthor_vm_create(fd, 0, user_va_range, &id), 0);
	igt_assert_f(id != 0, "VM_CREATE returned id 0\n");
	return id;
}

/**
 * __igt_panthor_vm_get_state() - VM_GET_STATE.
 * @fd: DRM file.
 * @vm_id: VM.
 * @state: out: enum drm_panthor_vm_state.
 *
 * Return: 0 or a negative errno.
 */
int __igt_panthor_vm_get_state(int fd, uint32_t vm_id, uint32_t *state)
{
	struct drm_panthor_vm_get_state s = { .vm_id = vm_id, .state = ~0u };
	int err = 0;

	if (igt_ioctl(fd, DRM_IOCTL_PANTHOR_VM_GET_STATE, &s))
		err = -errno;
	errno = 0;
	*state = s.state;
	return err;
}

/**
 * igt_panthor_vm_get_state() - VM_GET_STATE that must succeed.
 * @fd: DRM file.
 * @vm_id: VM.
 *
 * Return: enum drm_panthor_vm_state.
 */
uint32_t igt_panthor_vm_get_state(int fd, uint32_t vm_id)
{
	uint32_t state;

	igt_assert_eq(__igt_panthor_vm_get_state(fd, vm_id, &state), 0);
	igt_assert_f(state == DRM_PANTHOR_VM_STATE_USABLE ||
		     state == DRM_PANTHOR_VM_STATE_UNUSABLE,
		     "VM_GET_STATE returned state %u\n", state);
	return state;
}

/* ---- VM_BIND --------------------------------------------------------- */

/**
 * __igt_panthor_vm_bind_ops() - VM_BIND with an op array of any stride.
 * @fd: DRM file.
 * @vm_id: VM.
 * @flags: VM_BIND flags (DRM_PANTHOR_VM_BIND_ASYNC).
 * @ops: @count elements of @stride bytes.
 * @count: in: number of ops; out: what the kernel wrote back into
 *	ops.count (on a synchronous failure, the index of the failed op).
 * @stride: element size.
 *
 * Return: 0 or a negative errno.
 */
int __igt_panthor_vm_bind_ops(int fd, uint32_t vm_id, uint32_t flags,
			      const void *ops, uint32_t *count, uint32_t stride)
{
	struct drm_panthor_vm_bind b = {
		.vm_id = vm_id,
		.flags = flags,
		.ops = {
			.stride = stride,
			.count = *count,
			.array = (uintptr_t)ops,
		},
	};
	int err = 0;

	if (igt_ioctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &b))
		err = -errno;
	errno = 0;
	*count = b.ops.count;
	return err;
}

/**
 * igt_panthor_vm_bind_ops() - VM_BIND of @count full-size ops that must
 * succeed.
 * @fd: DRM file.
 * @vm_id: VM.
 * @flags: VM_BIND flags.
 * @ops: the ops.
 * @count: number of ops.
 */
void igt_panthor_vm_bind_ops(int fd, uint32_t vm_id, uint32_t flags,
			     struct drm_panthor_vm_bind_op *ops, uint32_t count)
{
	uint32_t n = count;
	int err = __igt_panthor_vm_bind_ops(fd, vm_id, flags, ops, &n,
					    sizeof(*ops));

	igt_assert_f(err == 0, "VM_BIND of %u ops (flags %#x) on VM %u: %s\n",
		     count, flags, vm_id, strerror(-err));
}

/**
 * __igt_panthor_bind1() - Synchronous VM_BIND of one full-size op.
 * @fd: DRM file.
 * @vm_id: VM.
 * @op: the op.
 *
 * Return: 0 or a negative errno.
 */
int __igt_panthor_bind1(int fd, uint32_t vm_id,
			const struct drm_panthor_vm_bind_op *op)
{
	uint32_t n = 1;

	return __igt_panthor_vm_bind_ops(fd, vm_id, 0, op, &n, sizeof(*op));
}

static void bind1(int fd, uint32_t vm_id, struct drm_panthor_vm_bind_op op,
		  const char *what)
{
	int err = __igt_panthor_bind1(fd, vm_id, &op);

	igt_assert_f(err == 0,
		     "%s va %#" PRIx64 " size %#" PRIx64 " bo %u offset %#" PRIx64
		     " flags %#x on VM %u failed: %s\n", what, (uint64_t)op.va,
		     (uint64_t)op.size, op.bo_handle, (uint64_t)op.bo_offset,
		     op.flags, vm_id, strerror(-err));
}

/**
 * igt_panthor_map() - Synchronous MAP that must succeed.
 * @fd: DRM file.
 * @vm_id: VM.
 * @bo_handle: BO.
 * @bo_offset: offset in the BO.
 * @va: GPU VA.
 * @size: bytes.
 * @map_flags: DRM_PANTHOR_VM_BIND_OP_MAP_* flags.
 */
void igt_panthor_map(int fd, uint32_t vm_id, uint32_t bo_handle,
		     uint64_t bo_offset, uint64_t va, uint64_t size,
		     uint32_t map_flags)
{
	bind1(fd, vm_id, igt_panthor_op_map(bo_handle, bo_offset, va, size,
					    map_flags), "MAP");
}

/**
 * igt_panthor_unmap() - Synchronous UNMAP that must succeed.
 * @fd: DRM file.
 * @vm_id: VM.
 * @va: GPU VA.
 * @size: bytes.
 */
void igt_panthor_unmap(int fd, uint32_t vm_id, uint64_t va, uint64_t size)
{
	bind1(fd, vm_id, igt_panthor_op_unmap(va, size), "UNMAP");
}

/**
 * igt_panthor_map_sparse() - Synchronous MAP_SPARSE that must succeed.
 * @fd: DRM file.
 * @vm_id: VM.
 * @va: GPU VA.
 * @size: bytes.
 */
void igt_panthor_map_sparse(int fd, uint32_t vm_id, uint64_t va,
			    uint64_t size)
{
	bind1(fd, vm_id, igt_panthor_op_map(0, 0, va, size,
					    DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE |
					    DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC),
	      "MAP_SPARSE");
}

/**
 * igt_panthor_map_repeat() - Synchronous MAP_REPEAT that must succeed.
 * @fd: DRM file.
 * @vm_id: VM.
 * @bo_handle: BO.
 * @bo_offset: offset of the repeated range in the BO.
 * @va: GPU VA.
 * @size: bytes of VA.
 * @repeat_range: bytes of BO repeated.
 */
void igt_panthor_map_repeat(int fd, uint32_t vm_id, uint32_t bo_handle,
			    uint64_t bo_offset, uint64_t va, uint64_t size,
			    uint64_t repeat_range)
{
	struct drm_panthor_vm_bind_op op =
		igt_panthor_op_map(bo_handle, bo_offset, va, size,
				   DRM_PANTHOR_VM_BIND_OP_MAP_REPEAT);

	op.repeat_range = repeat_range;
	bind1(fd, vm_id, op, "MAP_REPEAT");
}

/* ---- syncobjs -------------------------------------------------------- */

#define NSEC_PER_SEC	INT64_C(1000000000)

/**
 * igt_panthor_syncobj_wait() - Wait for a syncobj point to signal.
 * @fd: DRM file.
 * @handle: syncobj.
 * @point: timeline point, 0 for a binary syncobj.
 * @timeout_ns: how long, from now.
 *
 * Return: 0 once signalled, -ETIME after @timeout_ns, or another negative
 * errno (-EINVAL when no fence is attached yet).
 */
int igt_panthor_syncobj_wait(int fd, uint32_t handle, uint64_t point,
			     int64_t timeout_ns)
{
	struct timespec ts;
	int64_t abs;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	abs = (int64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec + timeout_ns;
	return drmSyncobjTimelineWait(fd, &handle, &point, 1, abs,
				      DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, NULL);
}

/**
 * igt_panthor_assert_available() - Assert that a fence is attached to the
 * point: WAIT_AVAILABLE with a zero timeout succeeds, as Mesa checks right
 * after an async VM_BIND.
 * @fd: DRM file.
 * @handle: syncobj.
 * @point: timeline point, 0 for a binary syncobj.
 * @what: what the caller checks, for the message.
 */
void igt_panthor_assert_available(int fd, uint32_t handle, uint64_t point,
				  const char *what)
{
	uint64_t p = point;
	int ret = drmSyncobjTimelineWait(fd, &handle, &p, 1, 0,
					 DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE,
					 NULL);

	igt_assert_f(ret == 0, "%s: no fence attached to syncobj %u point %"
		     PRIu64 " when VM_BIND returned (%d)\n", what, handle,
		     point, ret);
}

/**
 * igt_panthor_assert_signalled() - Assert that the point signals within
 * 10 s.
 * @fd: DRM file.
 * @handle: syncobj.
 * @point: timeline point, 0 for a binary syncobj.
 * @what: what the caller checks, for the message.
 */
void igt_panthor_assert_signalled(int fd, uint32_t handle, uint64_t point,
				  const char *what)
{
	int ret = igt_panthor_syncobj_wait(fd, handle, point,
					   10 * NSEC_PER_SEC);

	igt_assert_f(ret == 0, "%s: syncobj %u point %" PRIu64 " not signalled "
		     "within 10 s (%d)\n", what, handle, point, ret);
}

/* ---- GPU access ------------------------------------------------------ */

/**
 * __igt_panthor_gpu_access() - One DRM_IOCTL_PANTHOR_SIM_GPU_ACCESS.
 * @fd: DRM file.
 * @vm_id: VM.
 * @va: GPU VA.
 * @buf: source or destination.
 * @size: bytes, at most IGT_PANTHOR_SIM_ACCESS_MAX.
 * @write: write instead of read.
 * @fault_status: out: AS_FAULTSTATUS or 0. May be NULL.
 * @fault_address: out: faulting VA. May be NULL.
 *
 * Return: 0 (check @fault_status) or a negative errno.
 */
int __igt_panthor_gpu_access(int fd, uint32_t vm_id, uint64_t va, void *buf,
			     uint64_t size, bool write, uint32_t *fault_status,
			     uint64_t *fault_address)
{
	struct drm_panthor_sim_gpu_access a = {
		.vm_id = vm_id,
		.flags = write ? DRM_PANTHOR_SIM_GPU_ACCESS_WRITE : 0,
		.va = va,
		.size = size,
		.data = (uintptr_t)buf,
	};
	int err = 0;

	if (igt_ioctl(fd, DRM_IOCTL_PANTHOR_SIM_GPU_ACCESS, &a))
		err = -errno;
	errno = 0;
	if (fault_status)
		*fault_status = a.fault_status;
	if (fault_address)
		*fault_address = a.fault_address;
	return err;
}

/**
 * igt_panthor_gpu_leaf_log2() - Size of the translation the GPU uses at @va.
 * @fd: DRM file.
 * @vm_id: VM.
 * @va: GPU VA, which must be mapped and readable.
 *
 * Reads one byte through the software GPU, which reports the level of the
 * descriptor that translated it, as read from the tables the GPU walks.
 *
 * Return: 12 for a 4 KiB page, 21 for a 2 MiB block.
 */
uint32_t igt_panthor_gpu_leaf_log2(int fd, uint32_t vm_id, uint64_t va)
{
	uint8_t byte;
	struct drm_panthor_sim_gpu_access a = {
		.vm_id = vm_id,
		.va = va,
		.size = 1,
		.data = (uintptr_t)&byte,
	};

	igt_assert_f(igt_ioctl(fd, DRM_IOCTL_PANTHOR_SIM_GPU_ACCESS, &a) == 0,
		     "GPU read at %#" PRIx64 " failed: %s\n", va, strerror(errno));
	igt_assert_f(a.fault_status == 0, "GPU read at %#" PRIx64
		     " faulted: status %#x\n", va, a.fault_status);
	return a.leaf_log2;
}

/**
 * igt_panthor_assert_leaf() - Assert the size of the translation at @va.
 * @fd: DRM file.
 * @vm_id: VM.
 * @va: GPU VA, which must be mapped and readable.
 * @leaf_log2: IGT_PANTHOR_LEAF_PAGE or IGT_PANTHOR_LEAF_BLOCK.
 * @what: what the caller checks, for the message.
 */
void igt_panthor_assert_leaf(int fd, uint32_t vm_id, uint64_t va,
			     uint32_t leaf_log2, const char *what)
{
	uint32_t lg = igt_panthor_gpu_leaf_log2(fd, vm_id, va);

	igt_assert_f(lg == leaf_log2, "%s: the GPU translates %#" PRIx64
		     " with a 2^%u leaf, expected 2^%u\n", what, va, lg,
		     leaf_log2);
}

static void gpu_xfer(int fd, uint32_t vm_id, uint64_t va, void *buf,
		     uint64_t size, bool write)
{
	while (size) {
		uint64_t n = size < IGT_PANTHOR_SIM_ACCESS_MAX ?
			     size : IGT_PANTHOR_SIM_ACCESS_MAX;
		uint32_t fs = 0;
		uint64_t fa = 0;
		int err = __igt_panthor_gpu_access(fd, vm_id, va, buf, n,
						   write, &fs, &fa);

		igt_assert_f(err == 0, "GPU %s of %#" PRIx64 " bytes at %#"
			     PRIx64 " in VM %u: ioctl failed: %s\n",
			     write ? "write" : "read", n, va, vm_id,
			     strerror(-err));
		igt_assert_f(fs == 0, "GPU %s of %#" PRIx64 " bytes at %#"
			     PRIx64 " in VM %u faulted: status %#x at %#"
			     PRIx64 "\n", write ? "write" : "read", n, va,
			     vm_id, fs, fa);
		va += n;
		buf = (char *)buf + n;
		size -= n;
	}
}

/**
 * igt_panthor_gpu_read() - GPU read that must succeed without a fault.
 * @fd: DRM file.
 * @vm_id: VM.
 * @va: GPU VA.
 * @buf: destination.
 * @size: bytes (any size; split in 1 MiB accesses).
 */
void igt_panthor_gpu_read(int fd, uint32_t vm_id, uint64_t va, void *buf,
			  uint64_t size)
{
	gpu_xfer(fd, vm_id, va, buf, size, false);
}

/**
 * igt_panthor_gpu_write() - GPU write that must succeed without a fault.
 * @fd: DRM file.
 * @vm_id: VM.
 * @va: GPU VA.
 * @buf: source.
 * @size: bytes (any size; split in 1 MiB accesses).
 */
void igt_panthor_gpu_write(int fd, uint32_t vm_id, uint64_t va,
			   const void *buf, uint64_t size)
{
	gpu_xfer(fd, vm_id, va, (void *)buf, size, true);
}

/**
 * igt_panthor_gpu_read32() - GPU read of one word that must not fault.
 * @fd: DRM file.
 * @vm_id: VM.
 * @va: GPU VA, 4-byte aligned.
 *
 * Return: the word.
 */
uint32_t igt_panthor_gpu_read32(int fd, uint32_t vm_id, uint64_t va)
{
	uint32_t v = 0;

	gpu_xfer(fd, vm_id, va, &v, sizeof(v), false);
	return v;
}

/**
 * igt_panthor_gpu_write32() - GPU write of one word that must not fault.
 * @fd: DRM file.
 * @vm_id: VM.
 * @va: GPU VA, 4-byte aligned.
 * @val: the word.
 */
void igt_panthor_gpu_write32(int fd, uint32_t vm_id, uint64_t va,
			     uint32_t val)
{
	gpu_xfer(fd, vm_id, va, &val, sizeof(val), true);
}

/**
 * igt_panthor_expect_faults() - Declare faults the test provokes on purpose.
 * @mmu: GPU MMU faults (the software GPU's "faults" counter).
 * @bus: bus faults ("bus_faults").
 *
 * The runner compares what a test binary declared with what the software
 * GPU counted while it ran (scripts/uml-run.sh): any other fault fails the
 * binary. igt_panthor_gpu_fault() declares its own; call this for faults a
 * test provokes otherwise (an agent it expects to fault). The declaration
 * is a "PVM-EXPECT" line on stdout.
 */
void igt_panthor_expect_faults(unsigned int mmu, unsigned int bus)
{
	printf("PVM-EXPECT faults=%u bus_faults=%u\n", mmu, bus);
	fflush(stdout);
}

/**
 * igt_panthor_gpu_fault() - GPU access of one word that must fault.
 * @fd: DRM file.
 * @vm_id: VM.
 * @va: GPU VA.
 * @write: write instead of read.
 * @fault_address: out: the faulting VA the ioctl reported. May be NULL.
 *
 * The VM is unusable afterwards. Declares the fault it provoked (see
 * igt_panthor_expect_faults()).
 *
 * Return: the AS_FAULTSTATUS the ioctl reported, non-zero.
 */
uint32_t igt_panthor_gpu_fault(int fd, uint32_t vm_id, uint64_t va,
			       bool write, uint64_t *fault_address)
{
	uint32_t v = 0x0badf00d, fs = 0;
	uint64_t fa = 0;
	int err = __igt_panthor_gpu_access(fd, vm_id, va, &v, sizeof(v), write,
					   &fs, &fa);

	igt_assert_f(err == 0, "faulting GPU %s at %#" PRIx64
		     " in VM %u: ioctl failed: %s\n", write ? "write" : "read",
		     va, vm_id, strerror(-err));
	igt_assert_f(fs != 0, "GPU %s at %#" PRIx64 " in VM %u did not fault "
		     "(read %#x)\n", write ? "write" : "read", va, vm_id, v);
	if ((fs & 0xff) == IGT_PANTHOR_BUS_FAULT)
		igt_panthor_expect_faults(0, 1);
	else
		igt_panthor_expect_faults(1, 0);
	if (fault_address)
		*fault_address = fa;
	return fs;
}

/**
 * igt_panthor_assert_fault() - GPU access that must fault with exactly
 * @code, the access type of @write and the address @va.
 * @fd: DRM file.
 * @vm_id: VM.
 * @va: GPU VA.
 * @write: write instead of read.
 * @code: expected exception code (e.g. IGT_PANTHOR_FAULT_TRANSLATION | 3).
 */
void igt_panthor_assert_fault(int fd, uint32_t vm_id, uint64_t va,
			      bool write, uint32_t code)
{
	uint64_t fa;
	uint32_t fs = igt_panthor_gpu_fault(fd, vm_id, va, write, &fa);
	uint32_t want = IGT_PANTHOR_FAULTSTATUS(code, write ?
						IGT_PANTHOR_ACCESS_WRITE :
						IGT_PANTHOR_ACCESS_READ);

	igt_assert_f(fs == want, "GPU %s at %#" PRIx64 ": FAULTSTATUS %#x, "
		     "expected %#x (code %#x, access %u)\n",
		     write ? "write" : "read", va, fs, want, code,
		     write ? IGT_PANTHOR_ACCESS_WRITE : IGT_PANTHOR_ACCESS_READ);
	igt_assert_f(fa == va, "fault address %#" PRIx64 ", expected %#" PRIx64
		     "\n", fa, va);
}

/* ---- GPU agents ------------------------------------------------------ */

/**
 * __igt_panthor_sim_agent() - One DRM_IOCTL_PANTHOR_SIM_AGENT.
 * @fd: DRM file.
 * @arg: argument, updated by the kernel.
 *
 * Return: 0 or a negative errno.
 */
int __igt_panthor_sim_agent(int fd, struct drm_panthor_sim_agent *arg)
{
	int err = 0;

	if (igt_ioctl(fd, DRM_IOCTL_PANTHOR_SIM_AGENT, arg))
		err = -errno;
	errno = 0;
	return err;
}

/**
 * igt_panthor_sim_agent_start() - Start the agent of @vm_id; must succeed.
 * @fd: DRM file.
 * @vm_id: VM.
 * @va: first byte of the range.
 * @size: bytes.
 * @expect: the NEW contents, @size bytes.
 */
void igt_panthor_sim_agent_start(int fd, uint32_t vm_id, uint64_t va,
				 uint64_t size, const void *expect)
{
	struct drm_panthor_sim_agent a = {
		.vm_id = vm_id,
		.op = DRM_PANTHOR_SIM_AGENT_START,
		.va = va,
		.size = size,
		.expect = (uintptr_t)expect,
	};
	int err = __igt_panthor_sim_agent(fd, &a);

	igt_assert_f(err == 0, "SIM_AGENT START on VM %u at %#" PRIx64
		     " size %#" PRIx64 ": %s\n", vm_id, va, size,
		     strerror(-err));
}

/**
 * igt_panthor_sim_agent_strict() - From now on the agent of @vm_id only
 * accepts the NEW contents; returns once it read the whole range so.
 * @fd: DRM file.
 * @vm_id: VM.
 */
void igt_panthor_sim_agent_strict(int fd, uint32_t vm_id)
{
	struct drm_panthor_sim_agent a = {
		.vm_id = vm_id,
		.op = DRM_PANTHOR_SIM_AGENT_STRICT,
	};
	int err = __igt_panthor_sim_agent(fd, &a);

	igt_assert_f(err == 0, "SIM_AGENT STRICT on VM %u: %s\n", vm_id,
		     strerror(-err));
}

/**
 * igt_panthor_sim_agent_stop() - Stop the agent of @vm_id; must succeed.
 * @fd: DRM file.
 * @vm_id: VM.
 * @result: out: the STOP answer (reads, mismatches, first fault).
 */
void igt_panthor_sim_agent_stop(int fd, uint32_t vm_id,
				struct drm_panthor_sim_agent *result)
{
	struct drm_panthor_sim_agent a = {
		.vm_id = vm_id,
		.op = DRM_PANTHOR_SIM_AGENT_STOP,
	};
	int err = __igt_panthor_sim_agent(fd, &a);

	igt_assert_f(err == 0, "SIM_AGENT STOP on VM %u: %s\n", vm_id,
		     strerror(-err));
	*result = a;
}
