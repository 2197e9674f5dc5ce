/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-vm authors
 *
 * What the make run and make bench clients share: opening the panthor
 * device, errors, the clock and the uAPI calls both make.
 */
#ifndef PVM_CLIENT_H
#define PVM_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include <xf86drm.h>

#include "panthor_drm.h"

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

/* The open panthor device. */
extern int fd;
/* Name in error messages. */
extern const char *pvm_prog;

/* Latency samples, in microseconds. */
struct samples {
	double *v;
	size_t n, cap;
};

void sample(struct samples *s, double us);
double pct(struct samples *s, double p);

void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
double now_us(void);
int open_panthor(drmVersionPtr *ver);
uint32_t vm_create(void);
uint32_t bo_create(uint64_t size, uint32_t vm, uint64_t *real_size);

static inline struct drm_panthor_vm_bind_op op_map(uint32_t handle,
						   uint64_t off, uint64_t va,
						   uint64_t size, uint32_t flags)
{
	struct drm_panthor_vm_bind_op op = {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP | flags,
		.bo_handle = handle, .bo_offset = off, .va = va, .size = size,
	};

	return op;
}

static inline struct drm_panthor_vm_bind_op op_sparse(uint64_t va,
						      uint64_t size)
{
	return op_map(0, 0, va, size, DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE |
		      DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
}

static inline struct drm_panthor_vm_bind_op op_unmap(uint64_t va,
						     uint64_t size)
{
	struct drm_panthor_vm_bind_op op = {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, .va = va,
		.size = size,
	};

	return op;
}

#endif /* PVM_CLIENT_H */
