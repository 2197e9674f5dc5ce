// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * LD_PRELOAD stand-in for a panthor device, used only by the harness
 * self-test to check that panthor_dev_query passes against an
 * implementation of upstream's DEV_QUERY rules and fails against broken
 * ones. It answers /dev/dri/card0 and /dev/dri/renderD128 with
 * DRM_IOCTL_VERSION ("panthor" 1.9), DRM_IOCTL_PANTHOR_DEV_QUERY (GPU_INFO
 * with arch-10 values, CSIF_INFO, TIMESTAMP_INFO with its 1.8 flags,
 * GROUP_PRIORITIES_INFO, MMU_INFO and PVM_VM_BIND_INFO), SET_USER_MMIO_OFFSET
 * and the read-only flush ID page at the user MMIO offset (a read-only fd of a
 * memfd, so it cannot be made writable) and, through fake_vm.c, a model of
 * the VM and BO ioctls.
 *
 * FAKE_PANTHOR_BUG selects one deliberate bug: no-zero-tail, accept-small,
 * va-bits, size-query, write-on-error, wrong-errno.
 */

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <drm.h>

#include "panthor_drm.h"

static int fake_fds[8] = { -1, -1, -1, -1, -1, -1, -1, -1 };
/* Per slot: the user MMIO offset of the file. */
static uint64_t fake_mmio_off[8];
/* Read-only fd of the one-page memfd that stands for LATEST_FLUSH_ID. */
static int fake_flush_fd = -1;
/* Read-write fd of the same memfd, and the ID it holds. */
static int fake_flush_rw = -1;
static uint32_t fake_flush_id = 1;

static bool bug(const char *name)
{
	const char *b = getenv("FAKE_PANTHOR_BUG");

	return b && !strcmp(b, name);
}

static int fake_open(const char *path)
{
	int (*real_open)(const char *, int, ...) = dlsym(RTLD_NEXT, "open");
	int fd;

	if (strcmp(path, "/dev/dri/card0") && strcmp(path, "/dev/dri/renderD128"))
		return -2;
	fd = real_open("/dev/null", O_RDWR);
	for (size_t i = 0; fd >= 0 && i < 8; i++) {
		if (fake_fds[i] < 0) {
			fake_fds[i] = fd;
			fake_mmio_off[i] = DRM_PANTHOR_USER_MMIO_OFFSET;
			break;
		}
	}
	return fd;
}

#define OPEN_WRAPPER(fn) \
int fn(const char *path, int flags, ...) \
{ \
	int (*real)(const char *, int, ...) = dlsym(RTLD_NEXT, #fn); \
	mode_t mode = 0; \
	va_list ap; \
	int fd = fake_open(path); \
	if (fd != -2) \
		return fd; \
	va_start(ap, flags); \
	if (flags & O_CREAT) \
		mode = va_arg(ap, mode_t); \
	va_end(ap); \
	return real(path, flags, mode); \
}

OPEN_WRAPPER(open)
OPEN_WRAPPER(open64)

/* The VM model of fake_vm.c. */
int fake_vm_ioctl(int slot, unsigned long req, void *arg, int *ret);
int fake_vm_mmap_fd(int slot, uint64_t offset);
void fake_vm_reset(int slot);

static int fake_slot(int fd)
{
	for (int i = 0; i < 8; i++)
		if (fake_fds[i] == fd)
			return i;
	return -1;
}

static bool is_fake(int fd)
{
	return fd >= 0 && fake_slot(fd) >= 0;
}

int close(int fd)
{
	int (*real_close)(int) = dlsym(RTLD_NEXT, "close");
	int slot = fd >= 0 ? fake_slot(fd) : -1;

	if (slot >= 0) {
		fake_vm_reset(slot);
		fake_fds[slot] = -1;
	}
	return real_close(fd);
}

static int flush_id_fd(void)
{
	int (*real_open)(const char *, int, ...) = dlsym(RTLD_NEXT, "open");
	uint32_t one = 1;
	char path[64];
	int m;

	if (fake_flush_fd >= 0)
		return fake_flush_fd;
	m = memfd_create("fake-flush-id", 0);
	if (m < 0 || ftruncate(m, 4096) || pwrite(m, &one, 4, 0) != 4)
		return -1;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", m);
	fake_flush_fd = real_open(path, O_RDONLY);
	fake_flush_rw = m;
	return fake_flush_fd;
}

/* A cache flush completed (fake_vm.c: an op on a VM the GPU used). */
void fake_flush_id_bump(void);
void fake_flush_id_bump(void)
{
	fake_flush_id++;
	if (flush_id_fd() >= 0 &&
	    pwrite(fake_flush_rw, &fake_flush_id, 4, 0) != 4)
		abort();
}

/* Upstream's checks of the user MMIO mapping; -1 when they fail. */
static int user_mmio_fd(size_t len, int prot, int flags, uint64_t rel)
{
	if ((flags & 3) != MAP_SHARED || rel || len != 4096 ||
	    prot & (PROT_WRITE | PROT_EXEC))
		return -1;
	return flush_id_fd();
}

#define MMAP_WRAPPER(fn) \
void *fn(void *addr, size_t len, int prot, int flags, int fd, off_t off) \
{ \
	void *(*real)(void *, size_t, int, int, int, off_t) = \
		dlsym(RTLD_NEXT, #fn); \
	int slot = fd >= 0 ? fake_slot(fd) : -1; \
	int memfd; \
	if (slot < 0) \
		return real(addr, len, prot, flags, fd, off); \
	if ((uint64_t)off >= fake_mmio_off[slot]) { \
		memfd = user_mmio_fd(len, prot, flags, \
				     (uint64_t)off - fake_mmio_off[slot]); \
		if (memfd < 0) { \
			errno = EINVAL; \
			return MAP_FAILED; \
		} \
		return real(addr, len, prot, flags, memfd, 0); \
	} \
	memfd = fake_vm_mmap_fd(slot, (uint64_t)off); \
	if (memfd < 0) { \
		errno = EINVAL; \
		return MAP_FAILED; \
	} \
	return real(addr, len, prot, flags, memfd, 0); \
}

MMAP_WRAPPER(mmap)
MMAP_WRAPPER(mmap64)

static void copy_str(char *dst, __kernel_size_t *len, const char *src)
{
	size_t n = strlen(src);

	if (dst && *len)
		memcpy(dst, src, *len < n ? *len : n);
	*len = n;
}

static int fake_version(struct drm_version *v)
{
	v->version_major = 1;
	v->version_minor = 9;
	v->version_patchlevel = 0;
	copy_str(v->name, &v->name_len, "panthor");
	copy_str(v->date, &v->date_len, "0");
	copy_str(v->desc, &v->desc_len, "fake panthor");
	return 0;
}

/* Upstream's copy-out: size below @min EINVAL, prefix, zeroed tail. */
static int copy_obj(struct drm_panthor_dev_query *q, const void *obj,
		    size_t size, size_t min)
{
	size_t n = q->size < size ? q->size : size;

	if (q->size < min) {
		errno = EINVAL;
		return -1;
	}
	if (q->pointer < 4096) {
		errno = EFAULT;
		return -1;
	}
	memcpy((void *)(uintptr_t)q->pointer, obj, n);
	if (q->size > size)
		memset((char *)(uintptr_t)q->pointer + size, 0, q->size - size);
	return 0;
}

static uint64_t now_ns(clockid_t id, struct drm_panthor_timestamp_info *ts)
{
	struct timespec t;

	clock_gettime(id, &t);
	if (ts) {
		ts->cpu_timestamp_sec = t.tv_sec;
		ts->cpu_timestamp_nsec = t.tv_nsec;
	}
	return (uint64_t)t.tv_sec * 1000000000ULL + t.tv_nsec;
}

static int fake_timestamp(struct drm_panthor_dev_query *q)
{
	const uint32_t known = 0xff;
	struct drm_panthor_timestamp_info ts = { 0 };
	const uint8_t *in = (const uint8_t *)(uintptr_t)q->pointer;
	uint32_t flags, cpu;

	if (q->pointer < 4096) {
		errno = EFAULT;
		return -1;
	}
	memcpy(&ts, in, q->size < sizeof(ts) ? q->size : sizeof(ts));
	for (size_t i = sizeof(ts); i < q->size; i++) {
		if (in[i]) {
			errno = E2BIG;
			return -1;
		}
	}
	flags = ts.flags ? ts.flags : DRM_PANTHOR_TIMESTAMP_GPU |
		DRM_PANTHOR_TIMESTAMP_GPU_OFFSET | DRM_PANTHOR_TIMESTAMP_FREQ;
	cpu = flags & DRM_PANTHOR_TIMESTAMP_CPU_TYPE_MASK;
	if ((flags & ~known) || cpu > DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC_RAW) {
		errno = EINVAL;
		return -1;
	}
	ts.timestamp_frequency = flags & DRM_PANTHOR_TIMESTAMP_FREQ ?
				 1000000000ULL : 0;
	ts.timestamp_offset = 0;
	ts.current_timestamp = flags & DRM_PANTHOR_TIMESTAMP_GPU ?
			       now_ns(CLOCK_MONOTONIC_RAW, NULL) : 0;
	ts.cpu_timestamp_sec = 0;
	ts.cpu_timestamp_nsec = 0;
	if (cpu == DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC)
		now_ns(CLOCK_MONOTONIC, &ts);
	else if (cpu == DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC_RAW)
		now_ns(CLOCK_MONOTONIC_RAW, &ts);
	ts.cycle_count = flags & DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT ?
			 now_ns(CLOCK_MONOTONIC_RAW, NULL) / 2 : 0;
	ts.duration_nsec = flags & DRM_PANTHOR_TIMESTAMP_DURATION ? 1 : 0;
	return copy_obj(q, &ts, sizeof(ts),
			offsetof(struct drm_panthor_timestamp_info,
				 timestamp_offset));
}

static int fake_dev_query(struct drm_panthor_dev_query *q)
{
	struct drm_panthor_gpu_info info = {
		.gpu_id = 0xa8670000,
		.mmu_features = bug("va-bits") ? 0x2827 : 0x2830,
		.coherency_features = 1,
		.as_present = 0xff,
		.shader_present = 0x1,
		.l2_present = 0x1,
		.tiler_present = 0x1,
	};
	struct drm_panthor_csif_info csif = {
		.csg_slot_count = 8, .cs_slot_count = 8, .cs_reg_count = 96,
		.scoreboard_slot_count = 8, .unpreserved_cs_reg_count = 4,
	};
	struct drm_panthor_group_priorities_info prio = {
		.allowed_mask = geteuid() ? 0x3 : 0xf,
	};
	struct drm_panthor_mmu_info mmu = {
		.page_size_bitmap = 0x1000 | 0x200000,
	};
	struct drm_panthor_pvm_vm_bind_info bind = {
		.op_flags = DRM_PANTHOR_VM_BIND_OP_MAP_READONLY |
			    DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC |
			    DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED |
			    DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE |
			    DRM_PANTHOR_VM_BIND_OP_MAP_REPEAT,
		.op_size = sizeof(struct drm_panthor_vm_bind_op),
		.repeat_range_sizes = 0x3ff000,
	};
	size_t min = offsetof(struct drm_panthor_gpu_info, tiler_present) + 8;
	size_t n;

	switch (q->type) {
	case DRM_PANTHOR_DEV_QUERY_CSIF_INFO:
		if (!q->pointer)
			return q->size = sizeof(csif), 0;
		return copy_obj(q, &csif, sizeof(csif), sizeof(csif));
	case DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO:
		if (!q->pointer)
			return q->size = sizeof(struct drm_panthor_timestamp_info), 0;
		return fake_timestamp(q);
	case DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO:
		if (!q->pointer)
			return q->size = sizeof(prio), 0;
		return copy_obj(q, &prio, sizeof(prio), sizeof(prio));
	case DRM_PANTHOR_DEV_QUERY_MMU_INFO:
		if (!q->pointer)
			return q->size = sizeof(mmu), 0;
		return copy_obj(q, &mmu, sizeof(mmu), sizeof(mmu));
	case DRM_PANTHOR_DEV_QUERY_PVM_VM_BIND_INFO:
		if (!q->pointer)
			return q->size = sizeof(bind), 0;
		return copy_obj(q, &bind, sizeof(bind), sizeof(bind));
	case DRM_PANTHOR_DEV_QUERY_GPU_INFO:
		break;
	default:
		if (bug("write-on-error") && q->pointer)
			memset((void *)(uintptr_t)q->pointer, 0, 4);
		errno = bug("wrong-errno") ? ENOENT : EINVAL;
		return -1;
	}
	if (!q->pointer) {
		q->size = bug("size-query") ? min : sizeof(info);
		return 0;
	}
	if (q->size < min && !(bug("accept-small") && q->size)) {
		errno = EINVAL;
		return -1;
	}
	if (q->pointer < 4096) {
		errno = EFAULT;
		return -1;
	}
	n = q->size < sizeof(info) ? q->size : sizeof(info);
	memcpy((void *)(uintptr_t)q->pointer, &info, n);
	if (q->size > sizeof(info) && !bug("no-zero-tail"))
		memset((char *)(uintptr_t)q->pointer + sizeof(info), 0,
		       q->size - sizeof(info));
	return 0;
}

static int fake_set_mmio(int slot, struct drm_panthor_set_user_mmio_offset *a)
{
	if (a->offset != DRM_PANTHOR_USER_MMIO_OFFSET_32BIT &&
	    a->offset != DRM_PANTHOR_USER_MMIO_OFFSET_64BIT) {
		errno = EINVAL;
		return -1;
	}
	fake_mmio_off[slot] = a->offset;
	return 0;
}

int ioctl(int fd, unsigned long request, ...)
{
	int (*real_ioctl)(int, unsigned long, ...) = dlsym(RTLD_NEXT, "ioctl");
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);

	if (!is_fake(fd))
		return real_ioctl(fd, request, arg);
	if (request == DRM_IOCTL_VERSION)
		return fake_version(arg);
	if (request == DRM_IOCTL_PANTHOR_DEV_QUERY)
		return fake_dev_query(arg);
	if (request == DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET)
		return fake_set_mmio(fake_slot(fd), arg);
	{
		int ret;

		if (fake_vm_ioctl(fake_slot(fd), request, arg, &ret))
			return ret;
	}
	/* DRM: an unknown ioctl of the driver's range is -EINVAL. */
	errno = _IOC_TYPE(request) == DRM_IOCTL_BASE &&
		_IOC_NR(request) >= DRM_COMMAND_BASE &&
		_IOC_NR(request) < DRM_COMMAND_END ? EINVAL : ENOTTY;
	return -1;
}
