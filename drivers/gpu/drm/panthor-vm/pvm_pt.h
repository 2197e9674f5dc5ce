/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-vm authors
 */
#ifndef __PVM_PT_H__
#define __PVM_PT_H__

#include <linux/bits.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct pvm_pt_table;

/*
 * The GPU's translation granule: 4 KiB pages, 2 MiB blocks. VM_BIND
 * arithmetic (alignment, repeat patterns, bus addresses per GPU page) is
 * in these units, not in the CPU's PAGE_SIZE.
 */
#define PVM_GPU_PAGE_SHIFT	12
#define PVM_GPU_PAGE_SIZE	BIT_ULL(PVM_GPU_PAGE_SHIFT)

/* Leaf attributes of a mapping (map, repeat, queries). */
#define PVM_PT_MAP_READONLY	BIT(0)
#define PVM_PT_MAP_NOEXEC	BIT(1)
#define PVM_PT_MAP_UNCACHED	BIT(2)
#define PVM_PT_MAP_FLAGS	(PVM_PT_MAP_READONLY | PVM_PT_MAP_NOEXEC | \
				 PVM_PT_MAP_UNCACHED)

/* Largest repeat pattern, in 4 KiB pages (one 2 MiB block). */
#define PVM_PT_REPEAT_MAX_PAGES	512

/**
 * enum pvm_pt_op_kind - kinds of table update, for reservation sizing
 * @PVM_PT_OP_MAP: pvm_pt_map() of a range
 * @PVM_PT_OP_REPEAT: pvm_pt_repeat() of a range
 * @PVM_PT_OP_UNMAP: pvm_pt_unmap() of a range
 */
enum pvm_pt_op_kind {
	PVM_PT_OP_MAP,
	PVM_PT_OP_REPEAT,
	PVM_PT_OP_UNMAP,
};

/**
 * struct pvm_pt_mem_ops - how the table reaches memory and the device
 *
 * These callbacks are the only way the page-table unit allocates table
 * pages or talks to the DMA layer. The kernel VM layer implements them with
 * alloc_page() and the DMA API; the userspace tests with plain memory.
 */
struct pvm_pt_mem_ops {
	/**
	 * @alloc_table: allocate one 4 KiB aligned table page, mapped for the
	 * device, whatever it holds: the page table clears it (and syncs it)
	 * before the device can reach it. Return its CPU address and store
	 * its DMA address in @dma, or return NULL. May sleep; only called by
	 * pvm_pt_init() and pvm_pt_resv_add().
	 */
	void *(*alloc_table)(void *priv, dma_addr_t *dma);
	/** @free_table: free a page returned by @alloc_table */
	void (*free_table)(void *priv, void *cpu, dma_addr_t dma);
	/**
	 * @sync_for_device: make CPU writes to [@dma, @dma + @size) of a
	 * table page visible to a non-coherent walker. Never called when
	 * &pvm_pt_config.coherent is set.
	 */
	void (*sync_for_device)(void *priv, dma_addr_t dma, size_t size);
};

/**
 * struct pvm_pt_config - geometry and environment of one page table
 */
struct pvm_pt_config {
	/** @va_bits: input address size, 25 to 48 (MMU_FEATURES.VA_BITS) */
	u32 va_bits;
	/** @pa_bits: output address size, up to 48 (MMU_FEATURES.PA_BITS) */
	u32 pa_bits;
	/** @pgsize_bitmap: leaf sizes allowed: SZ_4K, optionally SZ_2M, SZ_1G */
	u64 pgsize_bitmap;
	/** @coherent: the walker snoops CPU caches; no sync calls are made */
	bool coherent;
	/** @ops: memory callbacks */
	const struct pvm_pt_mem_ops *ops;
	/** @priv: passed to @ops */
	void *priv;
};

/**
 * struct pvm_pt_stats - counters of one page table, for debugfs and tests
 */
struct pvm_pt_stats {
	/** @tables: table pages in the tree, root included (a shared one counts once) */
	u64 tables;
	/** @shared_tables: tables referenced by more than one parent entry */
	u64 shared_tables;
	/** @bytes_mapped: bytes of VA with a present leaf */
	u64 bytes_mapped;
};

/**
 * struct pvm_pt - one GPU page table (one VM)
 *
 * All fields are private to the pvm_pt*.c files; callers use the functions
 * below.
 */
struct pvm_pt {
	/** @cfg: configuration given to pvm_pt_init() */
	struct pvm_pt_config cfg;
	/** @root: the root table; never shared, never freed before pvm_pt_fini() */
	struct pvm_pt_table *root;
	/** @start_level: hardware level of the root (0 for 48-bit, 1 for 32/39-bit) */
	u32 start_level;
	/** @stats: counters */
	struct pvm_pt_stats stats;
	/** @check_gen: generation stamp used by pvm_pt_check() */
	u32 check_gen;
	/**
	 * @spare_lock: protects the spare lists; reservations are made and
	 * released outside the caller's op lock
	 */
	spinlock_t spare_lock;
	/**
	 * @spares: reserved tables a reservation gave back unused (never
	 * linked, still zero), per kind (0: leaves, 1: with children), for
	 * the next reservation; at most %PVM_PT_SPARE_MAX of each
	 */
	struct pvm_pt_table *spares[2];
	/** @nspares: tables on each of @spares */
	u32 nspares[2];
	/**
	 * @shadows: shadows (and children arrays) of freed tables, per kind,
	 * for the next table allocated; at most %PVM_PT_SPARE_MAX of each
	 */
	struct pvm_pt_table *shadows[2];
	/** @nshadows: shadows on each of @shadows */
	u32 nshadows[2];
};

/* Most unused reserved tables of each kind a table keeps for reuse. */
#define PVM_PT_SPARE_MAX	8

/**
 * struct pvm_pt_range - a physically contiguous run of DMA address space
 */
struct pvm_pt_range {
	/** @dma: bus address of the first byte, 4 KiB aligned */
	dma_addr_t dma;
	/** @size: length in bytes, a multiple of 4 KiB */
	u64 size;
};

/**
 * struct pvm_pt_resv - table pages reserved up front for a series of ops
 *
 * Filled by pvm_pt_resv_add(), consumed by map, repeat and unmap, emptied by
 * pvm_pt_resv_release(). Fields are private.
 */
struct pvm_pt_resv {
	/** @dirs: reserved tables with a children array (levels above 3) */
	struct pvm_pt_table *dirs;
	/** @leaves: reserved leaf (level 3) tables */
	struct pvm_pt_table *leaves;
	/** @ndirs: number of tables on @dirs */
	u32 ndirs;
	/** @nleaves: number of tables on @leaves */
	u32 nleaves;
};

/**
 * struct pvm_pt_free_list - tables unlinked by ops, waiting for a TLB flush
 *
 * Owned by the caller, who calls pvm_pt_free_list_release() once the GPU
 * can no longer walk the tables (after the flush that ends the op).
 */
struct pvm_pt_free_list {
	/** @head: first table */
	struct pvm_pt_table *head;
	/** @count: number of tables on the list */
	u32 count;
};

/**
 * struct pvm_pt_mapping - one present translation
 */
struct pvm_pt_mapping {
	/** @va: first byte */
	u64 va;
	/** @size: length in bytes */
	u64 size;
	/** @dma: bus address @va translates to */
	dma_addr_t dma;
	/** @flags: PVM_PT_MAP_* attributes */
	u32 flags;
	/** @leaf_size_log2: log2 of the leaf descriptor size (12, 21 or 30) */
	u32 leaf_size_log2;
};

/**
 * typedef pvm_pt_iter_fn - callback of pvm_pt_for_each()
 * @priv: caller data
 * @m: a run of translations with equal attributes and contiguous DMA
 *
 * Return: 0 to go on, anything else stops the walk and is returned.
 */
typedef int (*pvm_pt_iter_fn)(void *priv, const struct pvm_pt_mapping *m);

int pvm_pt_init(struct pvm_pt *pt, const struct pvm_pt_config *cfg);
void pvm_pt_fini(struct pvm_pt *pt);
dma_addr_t pvm_pt_root_dma(const struct pvm_pt *pt);

u32 pvm_pt_op_pages(const struct pvm_pt *pt, u64 va, u64 size,
		    enum pvm_pt_op_kind kind);
int pvm_pt_resv_add(struct pvm_pt *pt, struct pvm_pt_resv *resv, u64 va,
		    u64 size, enum pvm_pt_op_kind kind);
int pvm_pt_resv_add_map(struct pvm_pt *pt, struct pvm_pt_resv *resv, u64 va,
			const struct pvm_pt_range *ranges, u32 nranges);
u32 pvm_pt_resv_pages(const struct pvm_pt_resv *resv);
u32 pvm_pt_spare_pages(struct pvm_pt *pt);
void pvm_pt_resv_release(struct pvm_pt *pt, struct pvm_pt_resv *resv);
void pvm_pt_free_list_release(struct pvm_pt *pt, struct pvm_pt_free_list *fl);
void pvm_pt_free_list_splice(struct pvm_pt_free_list *dst,
			     struct pvm_pt_free_list *src);

int pvm_pt_map(struct pvm_pt *pt, struct pvm_pt_resv *resv,
	       struct pvm_pt_free_list *fl, u64 va,
	       const struct pvm_pt_range *ranges, u32 nranges, u32 flags);
int pvm_pt_repeat(struct pvm_pt *pt, struct pvm_pt_resv *resv,
		  struct pvm_pt_free_list *fl, u64 va, u64 size,
		  const dma_addr_t *pages, u32 npages, u32 flags);
int pvm_pt_unmap(struct pvm_pt *pt, struct pvm_pt_resv *resv,
		 struct pvm_pt_free_list *fl, u64 va, u64 size);

int pvm_pt_iova_to_phys(const struct pvm_pt *pt, u64 va, dma_addr_t *dma,
			u32 *flags);
int pvm_pt_lookup(const struct pvm_pt *pt, u64 va, struct pvm_pt_mapping *m);
int pvm_pt_for_each(const struct pvm_pt *pt, u64 va, u64 size,
		    pvm_pt_iter_fn fn, void *priv);
void pvm_pt_get_stats(const struct pvm_pt *pt, struct pvm_pt_stats *stats);
int pvm_pt_check(struct pvm_pt *pt);

#endif /* __PVM_PT_H__ */
