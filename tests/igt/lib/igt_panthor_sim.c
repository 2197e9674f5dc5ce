// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_panthor_sim.h"

#define DEBUGFS_DRI "/sys/kernel/debug/dri"
/* The software GPU's own debugfs directory (it is not part of the driver). */
#define DEBUGFS_SIM "/sys/kernel/debug/panthor-vm-sim"

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
 * igt_panthor_gpu_fault() - GPU access of one word that must fault.
 * @fd: DRM file.
 * @vm_id: VM.
 * @va: GPU VA.
 * @write: write instead of read.
 * @fault_address: out: the faulting VA the ioctl reported. May be NULL.
 *
 * The VM is unusable afterwards.
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

/* ---- debugfs --------------------------------------------------------- */

static bool file_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* Mount debugfs if nothing is mounted there yet (UML init may not have). */
static void maybe_mount_debugfs(void)
{
	if (file_exists(DEBUGFS_DRI))
		return;
	if (mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL))
		igt_debug("mounting debugfs failed: %s\n", strerror(errno));
	errno = 0;
}

/**
 * igt_panthor_debugfs_dir() - The DRM debugfs directory of @fd's device
 * that holds @file.
 * @fd: DRM file.
 * @file: a file name in that directory ("vm_stats"), or "sim_stats" for
 *	the software GPU's counters, which live in its own directory.
 *
 * Tries the directory named after @fd's minor first, then every directory
 * of /sys/kernel/debug/dri/ that has @file.
 *
 * Return: the directory (static storage), or NULL if none has @file.
 */
const char *igt_panthor_debugfs_dir(int fd, const char *file)
{
	static char dir[PATH_MAX];
	char path[PATH_MAX + 64];
	struct dirent *de;
	struct stat st;
	DIR *d;

	maybe_mount_debugfs();
	if (!strcmp(file, "sim_stats"))
		return file_exists(DEBUGFS_SIM "/stats") ? DEBUGFS_SIM : NULL;

	if (!fstat(fd, &st) && S_ISCHR(st.st_mode)) {
		snprintf(dir, sizeof(dir), DEBUGFS_DRI "/%u", minor(st.st_rdev));
		snprintf(path, sizeof(path), "%s/%s", dir, file);
		if (file_exists(path))
			return dir;
	}

	d = opendir(DEBUGFS_DRI);
	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), DEBUGFS_DRI "/%s", de->d_name);
		snprintf(path, sizeof(path), "%s/%s", dir, file);
		if (file_exists(path)) {
			closedir(d);
			return dir;
		}
	}
	closedir(d);
	return NULL;
}

static FILE *debugfs_open(int fd, const char *file, const char *mode)
{
	const char *dir;
	char path[PATH_MAX + 64];
	FILE *f;

	/* sim_stats is the software GPU's: DEBUGFS_SIM/stats. */
	if (!strcmp(file, "sim_stats")) {
		maybe_mount_debugfs();
		f = fopen(DEBUGFS_SIM "/stats", mode);
		igt_assert_f(f, "cannot open " DEBUGFS_SIM "/stats: %s\n",
			     strerror(errno));
		return f;
	}
	dir = igt_panthor_debugfs_dir(fd, file);

	igt_assert_f(dir, "no %s/*/%s\n", DEBUGFS_DRI, file);
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, mode);
	igt_assert_f(f, "cannot open %s: %s\n", path, strerror(errno));
	return f;
}

/**
 * igt_require_panthor_sim_stats() - Skip unless the sim_stats file exists.
 * @fd: DRM file.
 */
void igt_require_panthor_sim_stats(int fd)
{
	igt_require_f(igt_panthor_debugfs_dir(fd, "sim_stats"),
		      "no %s/stats (debugfs or the software GPU missing)\n",
		      DEBUGFS_SIM);
}

/**
 * igt_panthor_sim_stats_read() - Read every counter of sim_stats.
 * @fd: DRM file.
 * @s: filled with "name value" pairs.
 */
void igt_panthor_sim_stats_read(int fd, struct igt_panthor_sim_stats *s)
{
	FILE *f = debugfs_open(fd, "sim_stats", "r");
	char name[64];
	uint64_t val;

	s->count = 0;
	while (s->count < IGT_PANTHOR_MAX_STATS &&
	       fscanf(f, "%63s %" SCNu64, name, &val) == 2) {
		snprintf(s->name[s->count], sizeof(s->name[0]), "%s", name);
		s->value[s->count++] = val;
	}
	fclose(f);
	igt_assert_f(s->count > 0, "sim_stats holds no counter\n");
}

/**
 * igt_panthor_sim_stat() - One counter of a snapshot; must exist.
 * @s: snapshot.
 * @name: counter name.
 *
 * Return: its value.
 */
uint64_t igt_panthor_sim_stat(const struct igt_panthor_sim_stats *s,
			      const char *name)
{
	for (int i = 0; i < s->count; i++)
		if (!strcmp(s->name[i], name))
			return s->value[i];
	igt_assert_f(false, "sim_stats has no counter \"%s\"\n", name);
	return 0;
}

/**
 * igt_panthor_sim_stats_reset() - Zero every sim_stats counter.
 * @fd: DRM file.
 */
void igt_panthor_sim_stats_reset(int fd)
{
	FILE *f = debugfs_open(fd, "sim_stats", "w");

	igt_assert_f(fputs("0\n", f) >= 0, "writing sim_stats failed\n");
	igt_assert_f(fclose(f) == 0, "resetting sim_stats failed: %s\n",
		     strerror(errno));
}

/**
 * igt_panthor_sim_stats_print() - Log a snapshot at debug level.
 * @s: snapshot.
 */
void igt_panthor_sim_stats_print(const struct igt_panthor_sim_stats *s)
{
	for (int i = 0; i < s->count; i++)
		igt_debug("  %s %" PRIu64 "\n", s->name[i], s->value[i]);
}

/**
 * igt_panthor_sim_locks() - The LOCKs since the last counter reset.
 * @locks: filled with up to @max records, oldest first.
 * @max: room in @locks.
 *
 * Return: number of records read.
 */
int igt_panthor_sim_locks(struct igt_panthor_sim_lock *locks, int max)
{
	FILE *f;
	int n = 0;

	maybe_mount_debugfs();
	f = fopen(DEBUGFS_SIM "/locks", "r");
	igt_assert_f(f, "cannot open " DEBUGFS_SIM "/locks: %s\n",
		     strerror(errno));
	while (n < max &&
	       fscanf(f, "%" SCNu64 " %" SCNu32 " %" SCNx64 " %" SCNx64,
		      &locks[n].seq, &locks[n].as, &locks[n].start,
		      &locks[n].last) == 4)
		n++;
	fclose(f);
	return n;
}

/**
 * igt_panthor_sim_has_smmu() - Tell whether the software GPU has a system MMU.
 *
 * Return: true unless the kernel was booted with panthor_vm_sim.smmu=0.
 */
bool igt_panthor_sim_has_smmu(void)
{
	FILE *f = fopen("/sys/module/panthor_vm_sim/parameters/smmu", "r");
	int c;

	if (!f)
		return false;
	c = fgetc(f);
	fclose(f);
	return c == 'Y' || c == '1';
}

/**
 * igt_require_panthor_vm_stats() - Skip unless the vm_stats file exists.
 * @fd: DRM file.
 */
void igt_require_panthor_vm_stats(int fd)
{
	igt_require_f(igt_panthor_debugfs_dir(fd, "vm_stats"),
		      "no vm_stats in %s\n", DEBUGFS_DRI);
}

/**
 * igt_panthor_vm_stats() - The vm_stats line of this process' VM @vm_id.
 * @fd: DRM file.
 * @vm_id: VM id.
 * @out: filled when found.
 *
 * Lines read "pid P vm V state usable|unusable tables T shared S mapped B
 * faults F". Two DRM files of one process may both have a VM @vm_id: tests
 * that read vm_stats use one file per process.
 *
 * Return: true if a line for (getpid(), @vm_id) exists.
 */
bool igt_panthor_vm_stats(int fd, uint32_t vm_id,
			  struct igt_panthor_vm_stats *out)
{
	FILE *f = debugfs_open(fd, "vm_stats", "r");
	char line[512], state[32];
	bool found = false;

	while (fgets(line, sizeof(line), f)) {
		struct igt_panthor_vm_stats v = { 0 };
		int n = sscanf(line, "pid %d vm %u state %31s tables %" SCNu64
			       " shared %" SCNu64 " mapped %" SCNu64
			       " faults %" SCNu64, &v.pid, &v.vm_id, state,
			       &v.tables, &v.shared, &v.mapped, &v.faults);

		if (n != 7) {
			igt_debug("vm_stats: unparsed line: %s", line);
			continue;
		}
		if (v.pid != getpid() || v.vm_id != vm_id)
			continue;
		igt_assert_f(!strcmp(state, "usable") ||
			     !strcmp(state, "unusable"),
			     "vm_stats: state \"%s\"\n", state);
		v.usable = !strcmp(state, "usable");
		*out = v;
		found = true;
	}
	fclose(f);
	return found;
}

/* ---- patterns -------------------------------------------------------- */

/**
 * igt_panthor_pattern_fill() - Fill @buf with the pattern of @seed as it
 * appears from BO offset @bo_offset on.
 * @buf: destination, 4-byte aligned.
 * @size: bytes, a multiple of 4.
 * @seed: BO seed.
 * @bo_offset: BO offset of @buf's first byte, a multiple of 4.
 */
void igt_panthor_pattern_fill(void *buf, uint64_t size, uint32_t seed,
			      uint64_t bo_offset)
{
	uint32_t *w = buf;

	for (uint64_t i = 0; i < size / 4; i++)
		w[i] = igt_panthor_pattern(seed, bo_offset + i * 4);
}

/**
 * igt_panthor_pattern_check() - Check that @buf holds the pattern of @seed
 * from BO offset @bo_offset on.
 * @buf: data read, 4-byte aligned.
 * @size: bytes, a multiple of 4.
 * @seed: BO seed.
 * @bo_offset: BO offset of @buf's first byte.
 * @bad: out: byte offset in @buf of the first wrong word. May be NULL.
 *
 * Return: true if every word matches.
 */
bool igt_panthor_pattern_check(const void *buf, uint64_t size, uint32_t seed,
			       uint64_t bo_offset, uint64_t *bad)
{
	const uint32_t *w = buf;

	for (uint64_t i = 0; i < size / 4; i++) {
		if (w[i] != igt_panthor_pattern(seed, bo_offset + i * 4)) {
			if (bad)
				*bad = i * 4;
			return false;
		}
	}
	return true;
}

/* ---- model ----------------------------------------------------------- */

/**
 * igt_panthor_model_init() - A window of @size bytes at @base, all holes.
 * @m: model.
 * @base: GPU VA, 4 KiB aligned.
 * @size: bytes, 4 KiB aligned.
 */
void igt_panthor_model_init(struct igt_panthor_model *m, uint64_t base,
			    uint64_t size)
{
	m->base = base;
	m->npages = size / SZ_4K;
	m->page = calloc(m->npages, sizeof(*m->page));
	igt_assert(m->page);
}

/**
 * igt_panthor_model_fini() - Free a model.
 * @m: model.
 */
void igt_panthor_model_fini(struct igt_panthor_model *m)
{
	free(m->page);
	m->page = NULL;
	m->npages = 0;
}

/* Clip [va, va + size) to the window; return the first page and count. */
static bool model_clip(const struct igt_panthor_model *m, uint64_t va,
		       uint64_t size, uint64_t *first, uint64_t *count)
{
	uint64_t end = va + size, wend = m->base + m->npages * SZ_4K;

	if (va < m->base)
		va = m->base;
	if (end > wend)
		end = wend;
	if (va >= end)
		return false;
	*first = (va - m->base) / SZ_4K;
	*count = (end - va) / SZ_4K;
	return true;
}

/**
 * igt_panthor_model_map() - Record a MAP (replacing what was there).
 * @m: model.
 * @seed: seed of the BO.
 * @bo_offset: BO offset mapped at @va.
 * @va: GPU VA.
 * @size: bytes.
 */
void igt_panthor_model_map(struct igt_panthor_model *m, uint32_t seed,
			   uint64_t bo_offset, uint64_t va, uint64_t size)
{
	uint64_t first, count;

	if (!model_clip(m, va, size, &first, &count))
		return;
	for (uint64_t i = 0; i < count; i++) {
		uint64_t pva = m->base + (first + i) * SZ_4K;

		m->page[first + i].seed = seed;
		m->page[first + i].bo_offset = bo_offset + (pva - va);
	}
}

/**
 * igt_panthor_model_map_repeat() - Record a MAP_REPEAT.
 * @m: model.
 * @seed: seed of the BO.
 * @bo_offset: BO offset of the repeated range.
 * @va: GPU VA, a multiple of @repeat_range.
 * @size: bytes.
 * @repeat_range: bytes of BO repeated.
 */
void igt_panthor_model_map_repeat(struct igt_panthor_model *m, uint32_t seed,
				  uint64_t bo_offset, uint64_t va,
				  uint64_t size, uint64_t repeat_range)
{
	uint64_t first, count;

	if (!model_clip(m, va, size, &first, &count))
		return;
	for (uint64_t i = 0; i < count; i++) {
		uint64_t pva = m->base + (first + i) * SZ_4K;

		m->page[first + i].seed = seed;
		m->page[first + i].bo_offset = bo_offset +
					       (pva - va) % repeat_range;
	}
}

/**
 * igt_panthor_model_unmap() - Record an UNMAP.
 * @m: model.
 * @va: GPU VA.
 * @size: bytes.
 */
void igt_panthor_model_unmap(struct igt_panthor_model *m, uint64_t va,
			     uint64_t size)
{
	uint64_t first, count;

	if (!model_clip(m, va, size, &first, &count))
		return;
	memset(&m->page[first], 0, count * sizeof(*m->page));
}

/**
 * igt_panthor_model_check() - Read every mapped page of the window through
 * the GPU and compare with the model. Holes are not touched (a read there
 * would fault and break the VM).
 * @fd: DRM file.
 * @vm_id: VM.
 * @m: model.
 */
void igt_panthor_model_check(int fd, uint32_t vm_id,
			     const struct igt_panthor_model *m)
{
	static uint32_t buf[IGT_PANTHOR_SIM_ACCESS_MAX / 4];
	uint64_t i = 0, checked = 0;

	while (i < m->npages) {
		uint64_t run = 0;

		if (!m->page[i].seed) {
			i++;
			continue;
		}
		/* Up to 1 MiB of mapped pages in one GPU read. */
		while (i + run < m->npages && m->page[i + run].seed &&
		       run < IGT_PANTHOR_SIM_ACCESS_MAX / SZ_4K)
			run++;

		igt_panthor_gpu_read(fd, vm_id, m->base + i * SZ_4K, buf,
				     run * SZ_4K);
		for (uint64_t p = 0; p < run; p++) {
			const struct igt_panthor_page *pg = &m->page[i + p];
			uint64_t bad = 0;
			uint64_t va = m->base + (i + p) * SZ_4K;
			const uint32_t *data = buf + p * (SZ_4K / 4);

			igt_assert_f(igt_panthor_pattern_check(data, SZ_4K,
							       pg->seed,
							       pg->bo_offset,
							       &bad),
				     "GPU read at %#" PRIx64 " returned %#x, "
				     "expected BO seed %u offset %#" PRIx64
				     " (%#x)\n", va + bad, data[bad / 4],
				     pg->seed, pg->bo_offset + bad,
				     igt_panthor_pattern(pg->seed,
							 pg->bo_offset + bad));
		}
		checked += run;
		i += run;
	}
	igt_debug("model check: %" PRIu64 " pages read and matched\n", checked);
}

/**
 * igt_panthor_model_hole() - Find a hole of the window.
 * @m: model.
 * @va: out: GPU VA of the first hole page.
 *
 * Return: false if the window has no hole.
 */
bool igt_panthor_model_hole(const struct igt_panthor_model *m, uint64_t *va)
{
	for (uint64_t i = 0; i < m->npages; i++) {
		if (!m->page[i].seed) {
			*va = m->base + i * SZ_4K;
			return true;
		}
	}
	return false;
}

/**
 * igt_panthor_pattern_bo() - A new BO filled with a pattern.
 * @fd: panthor device.
 * @size: size in bytes.
 * @seed: pattern seed (see igt_panthor_pattern_fill()).
 *
 * Fills the BO through a CPU mmap, which is then dropped.
 *
 * Returns: the GEM handle.
 */
uint32_t igt_panthor_pattern_bo(int fd, uint64_t size, uint32_t seed)
{
	struct panthor_bo bo;

	igt_panthor_bo_create_mapped(fd, &bo, size, 0, 0);
	igt_assert_f(bo.map, "mmap of a new BO failed\n");
	igt_panthor_pattern_fill(bo.map, bo.size, seed, 0);
	munmap(bo.map, bo.size);
	return bo.handle;
}
