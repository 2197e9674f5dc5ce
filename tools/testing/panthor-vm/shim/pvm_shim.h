/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-vm authors
 *
 * Just enough of the kernel API for drivers/gpu/drm/panthor-vm/pvm_pt.c to
 * build and run in userspace, in the spirit of tools/testing/vma. Every
 * linux/ and asm/ header in this directory includes this one file.
 */
#ifndef __PVM_SHIM_H__
#define __PVM_SHIM_H__

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;
typedef long long s64;
typedef u64 dma_addr_t;

/*
 * Linux errno values, defined here because glibc's <errno.h> reaches them
 * through <linux/errno.h>, which this directory shadows.
 */
#define ENOENT		2
#define EIO		5
#define ENOMEM		12
#define EFAULT		14
#define EEXIST		17
#define EINVAL		22
#define ENOSPC		28
#define ERANGE		34
#define EUCLEAN		117

#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))
#define GENMASK(h, l)		(((~0UL) << (l)) & (~0UL >> (63 - (h))))
#define GENMASK_ULL(h, l)	(((~0ULL) << (l)) & (~0ULL >> (63 - (h))))
#define FIELD_PREP(mask, val)	(((u64)(val) << __builtin_ctzll(mask)) & (mask))
#define FIELD_GET(mask, reg)	(((reg) & (mask)) >> __builtin_ctzll(mask))

#define SZ_4K			0x00001000
#define SZ_8K			0x00002000
#define SZ_1M			0x00100000
#define SZ_2M			0x00200000
#define SZ_4M			0x00400000
#define SZ_8M			0x00800000
#define SZ_1G			0x40000000

#define ALIGN(x, a)		(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

#define min(a, b)		({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); \
				   _a < _b ? _a : _b; })
#define max(a, b)		({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); \
				   _a > _b ? _a : _b; })
#define min_t(t, a, b)		min((t)(a), (t)(b))
#define max_t(t, a, b)		max((t)(a), (t)(b))

#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)

#define dma_wmb()		__atomic_thread_fence(__ATOMIC_RELEASE)

/* WARNs count, so a test can fail on them; the fuzzer aborts. */
extern unsigned long pvm_shim_warnings;
void pvm_shim_warn(const char *file, int line);
#define WARN_ON(c)		({ bool _c = !!(c); \
				   if (unlikely(_c)) pvm_shim_warn(__FILE__, __LINE__); \
				   _c; })
#define WARN_ON_ONCE(c)		WARN_ON(c)

#define pr_err(...)		fprintf(stderr, __VA_ARGS__)
#define pr_info(...)		printf(__VA_ARGS__)

typedef unsigned int gfp_t;
#define GFP_KERNEL		0u

/* Allocation failures are injected through this hook (NULL: never fail). */
extern bool (*pvm_shim_should_fail)(size_t size);
static inline void *kzalloc(size_t size, gfp_t gfp)
{
	(void)gfp;
	if (pvm_shim_should_fail && pvm_shim_should_fail(size))
		return NULL;
	return calloc(1, size);
}

static inline void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	return kzalloc(n * size, gfp);
}

/* Not zeroed: filled with garbage, as the kernel's may hold anything. */
static inline void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	void *p;

	(void)gfp;
	if (pvm_shim_should_fail && pvm_shim_should_fail(n * size))
		return NULL;
	p = malloc(n * size);
	if (p)
		memset(p, 0xa7, n * size);
	return p;
}

static inline void kfree(const void *p)
{
	free((void *)p);
}

/* linux/spinlock.h: the userspace build is single-threaded. */
typedef struct { int unused; } spinlock_t;
#define spin_lock_init(l)	((void)(l))
#define spin_lock(l)		((void)(l))
#define spin_unlock(l)		((void)(l))

#endif /* __PVM_SHIM_H__ */
