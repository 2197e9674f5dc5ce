// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * LD_PRELOAD stand-in for a panthor device, used only by the harness
 * self-test to check that panthor_query passes against an implementation of
 * upstream's DEV_QUERY rules and fails against broken ones. It answers
 * /dev/dri/card0 and /dev/dri/renderD128 with DRM_IOCTL_VERSION ("panthor"
 * 1.9), DRM_IOCTL_PANTHOR_DEV_QUERY (GPU_INFO with arch-10 values, and
 * MMU_INFO) and, through fake_vm.c, a model of the VM and BO ioctls.
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
#include <sys/mman.h>
#include <unistd.h>

#include <drm.h>

#include "panthor_drm.h"

static int fake_fds[8] = { -1, -1, -1, -1, -1, -1, -1, -1 };

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

#define MMAP_WRAPPER(fn) \
void *fn(void *addr, size_t len, int prot, int flags, int fd, off_t off) \
{ \
	void *(*real)(void *, size_t, int, int, int, off_t) = \
		dlsym(RTLD_NEXT, #fn); \
	int slot = fd >= 0 ? fake_slot(fd) : -1; \
	int memfd; \
	if (slot < 0) \
		return real(addr, len, prot, flags, fd, off); \
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

static int fake_dev_query(struct drm_panthor_dev_query *q)
{
	struct drm_panthor_gpu_info info = {
		.gpu_id = 0xa8670000,
		.mmu_features = bug("va-bits") ? 0x2827 : 0x2830,
		.as_present = 0xff,
		.shader_present = 0x1,
		.l2_present = 0x1,
		.tiler_present = 0x1,
	};
	size_t min = offsetof(struct drm_panthor_gpu_info, tiler_present) + 8;
	size_t n;

	if (q->type == DRM_PANTHOR_DEV_QUERY_MMU_INFO) {
		struct drm_panthor_mmu_info mmu = {
			.page_size_bitmap = 0x1000 | 0x200000,
		};

		if (!q->pointer) {
			q->size = sizeof(mmu);
			return 0;
		}
		if (q->size < sizeof(mmu)) {
			errno = EINVAL;
			return -1;
		}
		memcpy((void *)(uintptr_t)q->pointer, &mmu, sizeof(mmu));
		return 0;
	}
	if (q->type != DRM_PANTHOR_DEV_QUERY_GPU_INFO) {
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
	{
		int ret;

		if (fake_vm_ioctl(fake_slot(fd), request, arg, &ret))
			return ret;
	}
	errno = ENOTTY;
	return -1;
}
