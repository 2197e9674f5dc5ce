/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-vm authors
 *
 * Harness shared by the page-table KUnit suites (tests/pvm_pt_test*.c):
 * test memory with a device copy of every table page, a GPU-style walker
 * and op wrappers. Implemented in pvm_pt_test.c.
 */
#ifndef __PVM_PT_TEST_H__
#define __PVM_PT_TEST_H__

#include <linux/types.h>
#include <linux/xarray.h>

#include "../pvm_pt.h"

struct kunit;

/*
 * Byte the test memory fills table pages with: every u64 of it is a valid
 * descriptor (bits [1:0] set), so a table that reaches the walker without
 * being cleared maps garbage instead of faulting quietly.
 */
#define PVM_PT_TEST_GARBAGE	0xa7

/* One table page: the CPU copy and the copy the device reads. */
struct ptt_page {
	u64 *cpu;
	u64 *dev;
};

/* One sync_for_device call, as recorded by the test memory. */
struct ptt_sync {
	dma_addr_t dma;
	size_t size;
};

/* Test memory behind the table: pages by bus address, counters. */
struct ptt_mem {
	struct xarray pages;
	bool coherent;
	u64 allocs;
	u64 frees;
	u64 live;
	u64 fail_at;
	u32 nsync;
	struct ptt_sync sync[32];
};

/* A page table on test memory, with its reservation and free list. */
struct ptt {
	struct kunit *test;
	struct ptt_mem mem;
	struct pvm_pt pt;
	struct pvm_pt_resv resv;
	struct pvm_pt_free_list fl;
};

struct ptt_page *pvm_ptt_page(struct ptt_mem *m, dma_addr_t dma);
struct ptt *pvm_ptt_create(struct kunit *test, u32 va_bits, u64 pgsizes,
			   bool coherent);
int pvm_ptt_walk(struct ptt *c, u64 va, u64 *out, u64 *leaf);
void pvm_ptt_expect(struct ptt *c, u64 va, dma_addr_t want);
void pvm_ptt_expect_hole(struct ptt *c, u64 va);
u64 pvm_ptt_hash(struct ptt *c);
u64 pvm_ptt_tables(struct ptt *c);
int pvm_ptt_map(struct ptt *c, u64 va, dma_addr_t dma, u64 size, u32 flags);
int pvm_ptt_unmap(struct ptt *c, u64 va, u64 size);
int pvm_ptt_repeat(struct ptt *c, u64 va, u64 size, const dma_addr_t *pat,
		   u32 n);

#endif /* __PVM_PT_TEST_H__ */
