/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-vm authors
 *
 * Internals of the page-table unit, shared by its files only: pvm_pt.c
 * (walker, table shadows, setup), pvm_pt_map.c (map, repeat),
 * pvm_pt_unmap.c (unmap), pvm_pt_resv.c (reservations, free lists) and
 * pvm_pt_query.c (lookups, checks). Callers use pvm_pt.h.
 */
#ifndef __PVM_PT_PRIV_H__
#define __PVM_PT_PRIV_H__

#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/types.h>

#include "pvm_pt.h"
#include "pvm_regs.h"

#define PT_LEAF_LEVEL		3
#define PT_DESCEND		1
#define PT_TABLE_BYTES		(PVM_PT_ENTRIES * sizeof(u64))

/**
 * struct pvm_pt_table - CPU shadow of one hardware table
 */
struct pvm_pt_table {
	/** @desc: the descriptors, as the device reads them */
	u64 *desc;
	/** @dma: bus address of @desc */
	dma_addr_t dma;
	/** @children: shadow of each table entry (levels above 3 only) */
	struct pvm_pt_table **children;
	/** @next: link on a reservation pool or a free list */
	struct pvm_pt_table *next;
	/** @bytes: VA bytes mapped through this table */
	u64 bytes;
	/** @used: present entries */
	u32 used;
	/** @share: parent entries pointing here; 0 once unlinked */
	u32 share;
	/** @check_gen: pvm_pt_check() visit stamp */
	u32 check_gen;
	/** @check_refs: references counted by pvm_pt_check() */
	u32 check_refs;
	/** @dirty_lo: first entry written in the current visit */
	u16 dirty_lo;
	/** @dirty_hi: one past the last entry written in the current visit */
	u16 dirty_hi;
	/** @level: hardware level, 0 to 3 */
	u8 level;
	/** @copied: the whole table was (re)written and must be synced */
	bool copied;
	/**
	 * @pattern: full of one repeat pattern (a leaf table, or a table of
	 * 2 MiB blocks) or of one child that is; cleared by any write
	 */
	bool pattern;
};

struct pt_walk;

/**
 * struct pt_walk_ops - what one kind of update does to the entries it walks
 */
struct pt_walk_ops {
	/**
	 * @entry: entry @idx of @t (level < 3), covering [@va, @end). Return
	 * 0 when done with it, PT_DESCEND to walk the child table (created or
	 * unshared as needed), or a negative error after setting fail_va.
	 */
	int (*entry)(struct pt_walk *w, struct pvm_pt_table *t, u32 idx,
		     u64 va, u64 end);
	/**
	 * @leaf: entries [@idx, @idx + @n) of level 3 table @t, starting at
	 * @va. Return 0 or a negative error after setting fail_va.
	 */
	int (*leaf)(struct pt_walk *w, struct pvm_pt_table *t, u32 idx, u32 n,
		    u64 va);
	/**
	 * @blocks: optional; entries [@idx, @idx + @n) of @t (level < 3) are
	 * all fully covered by the op from @va on. Handle as many as can be
	 * done without a child table, from @idx on, and return how many; 0
	 * leaves entry @idx to @entry (which then reports an error too).
	 */
	u32 (*blocks)(struct pt_walk *w, struct pvm_pt_table *t, u32 idx,
		      u32 n, u64 va);
};

/**
 * struct pt_walk - state of one update walk
 */
struct pt_walk {
	/** @pt: the table */
	struct pvm_pt *pt;
	/** @ops: callbacks */
	const struct pt_walk_ops *ops;
	/** @resv: where new tables come from (NULL: none may be needed) */
	struct pvm_pt_resv *resv;
	/** @fl: where unlinked tables go */
	struct pvm_pt_free_list *fl;
	/** @attrs: leaf attribute bits, without type and address */
	u64 attrs;
	/** @fail_va: on error, everything below this VA was written by the op */
	u64 fail_va;
	/** @ranges: map source */
	const struct pvm_pt_range *ranges;
	/** @nranges: entries in @ranges */
	u32 nranges;
	/** @ridx: current range */
	u32 ridx;
	/** @cur: next DMA address of the map source */
	dma_addr_t cur;
	/** @left: bytes left in the current range */
	u64 left;
	/** @pat: repeat pattern pages */
	const dma_addr_t *pat;
	/** @pat_mask: pattern pages - 1 */
	u32 pat_mask;
	/** @pat_block: the pattern is one 2 MiB block */
	bool pat_block;
	/** @shared: the shared full table built by this repeat, per level */
	struct pvm_pt_table *shared[PVM_PT_MAX_LEVELS];
};

/**
 * pt_level_size() - VA span of one entry of a table
 * @lvl: level of the table
 *
 * Return: the span in bytes.
 */
static inline u64 pt_level_size(u32 lvl)
{
	return BIT_ULL(PVM_PT_LEVEL_SHIFT(lvl));
}

/**
 * pt_index() - entry of a table that translates an address
 * @va: address
 * @lvl: level of the table
 *
 * Return: the entry index.
 */
static inline u32 pt_index(u64 va, u32 lvl)
{
	return (va >> PVM_PT_LEVEL_SHIFT(lvl)) & (PVM_PT_ENTRIES - 1);
}

/**
 * pt_table_desc() - table descriptor pointing at a table
 * @t: table
 *
 * Return: the descriptor.
 */
static inline u64 pt_table_desc(const struct pvm_pt_table *t)
{
	return (t->dma & PVM_PTE_ADDR) | PVM_PTE_TYPE_TABLE;
}

/**
 * pt_dirty() - note that entries [@lo, @hi) of a table were written
 * @t: table
 * @lo: first entry
 * @hi: one past the last entry
 */
static inline void pt_dirty(struct pvm_pt_table *t, u32 lo, u32 hi)
{
	t->pattern = false;
	if (lo < t->dirty_lo)
		t->dirty_lo = lo;
	if (hi > t->dirty_hi)
		t->dirty_hi = hi;
}

/**
 * pt_write() - store one descriptor, as the device may read it at any time
 * @t: table
 * @idx: entry
 * @desc: descriptor
 */
static inline void pt_write(struct pvm_pt_table *t, u32 idx, u64 desc)
{
	WRITE_ONCE(t->desc[idx], desc);
	pt_dirty(t, idx, idx + 1);
}

/**
 * pt_attrs() - leaf attribute bits for mapping flags
 * @pt: page table
 * @flags: PVM_PT_MAP_* attributes
 *
 * Return: the descriptor bits, without type and output address.
 */
static inline u64 pt_attrs(const struct pvm_pt *pt, u32 flags)
{
	bool nc = flags & PVM_PT_MAP_UNCACHED;
	u64 attrs = PVM_PTE_AF | PVM_PTE_AP_UNPRIV;
	u32 sh;

	/*
	 * Uncached memory is outer shareable. Write-back memory is inner
	 * shareable on a coherent system; on a non-coherent one Mali does
	 * not allow inner/outer shareable write-back memory, so it is
	 * non-shareable there.
	 */
	if (nc)
		sh = PVM_PTE_SH_OS;
	else
		sh = pt->cfg.coherent ? PVM_PTE_SH_IS : PVM_PTE_SH_NS;
	attrs |= FIELD_PREP(PVM_PTE_SH, sh);
	attrs |= FIELD_PREP(PVM_PTE_ATTRINDX, nc ? PVM_ATTR_IDX_NC : PVM_ATTR_IDX_WB);
	if (flags & PVM_PT_MAP_READONLY)
		attrs |= PVM_PTE_AP_RDONLY;
	if (flags & PVM_PT_MAP_NOEXEC)
		attrs |= PVM_PTE_XN | PVM_PTE_PXN;
	return attrs;
}

/**
 * pt_desc_flags() - mapping flags of a leaf descriptor
 * @desc: descriptor
 *
 * Return: the PVM_PT_MAP_* attributes, the inverse of pt_attrs().
 */
static inline u32 pt_desc_flags(u64 desc)
{
	u32 flags = 0;

	if (desc & PVM_PTE_AP_RDONLY)
		flags |= PVM_PT_MAP_READONLY;
	if (desc & PVM_PTE_XN)
		flags |= PVM_PT_MAP_NOEXEC;
	if (FIELD_GET(PVM_PTE_ATTRINDX, desc) == PVM_ATTR_IDX_NC)
		flags |= PVM_PT_MAP_UNCACHED;
	return flags;
}

/**
 * pt_block_ok() - whether a level may hold block (leaf) descriptors
 * @pt: page table
 * @lvl: level
 *
 * Return: true for level 1 or 2 when the page-size bitmap allows its size.
 */
static inline bool pt_block_ok(const struct pvm_pt *pt, u32 lvl)
{
	return lvl >= 1 && lvl < PT_LEAF_LEVEL &&
	       (pt->cfg.pgsize_bitmap & pt_level_size(lvl));
}

struct pvm_pt_table *pvm_pt_table_alloc(struct pvm_pt *pt, bool dir);
void pvm_pt_table_free(struct pvm_pt *pt, struct pvm_pt_table *t);
void pvm_pt_spares_drain(struct pvm_pt *pt);
struct pvm_pt_table *pvm_pt_cache_pop(struct pvm_pt *pt,
				      struct pvm_pt_table **head, u32 *count);
bool pvm_pt_cache_push(struct pvm_pt *pt, struct pvm_pt_table **head,
		       u32 *count, struct pvm_pt_table *t);
struct pvm_pt_table *pvm_pt_table_take(struct pt_walk *w, u32 lvl, bool clear);
void pvm_pt_table_get(struct pvm_pt *pt, struct pvm_pt_table *t, u32 refs);
void pvm_pt_table_put(struct pvm_pt *pt, struct pvm_pt_free_list *fl,
		      struct pvm_pt_table *t);
void pvm_pt_table_sync(struct pvm_pt *pt, struct pvm_pt_table *t);

int pvm_pt_walk(struct pt_walk *w, struct pvm_pt_table *t, u64 va, u64 end);
int pvm_pt_check_va(const struct pvm_pt *pt, u64 va, u64 size);
void pvm_pt_undo(struct pvm_pt *pt, struct pvm_pt_free_list *fl, u64 va,
		 u64 end);

#endif /* __PVM_PT_PRIV_H__ */
