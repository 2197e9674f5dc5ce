/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-vm authors
 *
 * Userspace harness for pvm_pt*.c: table memory with a separate "device
 * view" that only sync_for_device updates (a non-coherent walker), a
 * hardware-style walker that decodes descriptors from that view, and
 * allocation fault injection.
 */
#ifndef __PT_HARNESS_H__
#define __PT_HARNESS_H__

#include <pvm_shim.h>

#include "pvm_pt.h"

/* Bus addresses of table pages start here (never equal to CPU addresses). */
#define H_DMA_BASE	0x400000000000ULL

/*
 * What table pages hold when allocated, in both views: every u64 a valid
 * descriptor, as the kernel's table pages are handed out uncleared.
 */
#define H_GARBAGE_BYTE	0xa7
#define H_GARBAGE	0xa7a7a7a7a7a7a7a7ULL

struct h_page {
	u64 *cpu;
	u64 *dev;
	bool live;
};

struct h_sync {
	dma_addr_t dma;
	size_t size;
};

struct h_mem {
	struct h_page *pages;
	u32 npages;
	u32 cap;
	bool coherent;
	u64 live;
	u64 allocs;
	u64 frees;
	u64 syncs;
	/* Fail the table allocation with this 1-based number (0: never). */
	u64 fail_at;
	struct h_sync synclog[64];
	u32 nsynclog;
};

extern const struct pvm_pt_mem_ops h_mem_ops;

void h_mem_init(struct h_mem *m, bool coherent);
void h_mem_fini(struct h_mem *m);
int h_pt_init(struct pvm_pt *pt, struct h_mem *m, u32 va_bits, u64 pgsizes);

/*
 * Walk like the GPU, from the device view of the tables: 0 and the output
 * address, -ENOENT for a translation fault, -EFAULT for a walk into a page
 * that is not a live table, -EIO for a malformed descriptor.
 */
int h_walk(struct h_mem *m, const struct pvm_pt *pt, u64 va, u64 *out,
	   u64 *leaf_size, u64 *desc_out);

/* Fail allocations of the shim (kzalloc) with this 1-based number. */
extern u64 h_kzalloc_fail_at;
extern u64 h_kzalloc_count;

#endif
