// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/align.h>
#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/printk.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/types.h>
#include <asm/barrier.h>

#include "pvm_pt.h"
#include "pvm_regs.h"

/**
 * DOC: Page table overview
 *
 * This unit owns the GPU page table of one VM in the AArch64 stage-1 format
 * with a 4 KiB granule (TRANSCFG.ADRMODE = AARCH64_4K). The input size comes
 * from &pvm_pt_config.va_bits and fixes the start level (48 bits: level 0,
 * 32 and 39 bits: level 1); every output address is checked against
 * &pvm_pt_config.pa_bits. Leaves are 4 KiB pages at level 3, 2 MiB blocks at
 * level 2 and, when the page-size bitmap allows it, 1 GiB blocks at level 1.
 *
 * Every hardware table has a CPU-side shadow, &struct pvm_pt_table, with a
 * children array (for levels above 3), a count of present entries, the
 * number of VA bytes mapped below it and a share count: the number of parent
 * entries pointing at it. Teardown and sharing follow the shadow and never
 * decode a descriptor back into a pointer. Leaf descriptors, and table
 * descriptors whose shadow child is set, are the only present entries;
 * absent entries are all-zero.
 *
 * All updates go through one range walker, pt_walk(), which knows the level
 * arithmetic; map, repeat and unmap are small sets of callbacks
 * (&struct pt_walk_ops). Queries use their own read-only descent.
 */

/**
 * DOC: Page table invariants
 *
 * - Publish last: a new table (fresh or a private copy of a shared one) is
 *   filled completely, synced for the device and only then linked by a
 *   single 64-bit store of its parent entry, after a dma_wmb(). A walker
 *   never sees a half-built subtree. Every descriptor store is a WRITE_ONCE.
 * - No split on unmap: unmapping part of a block returns -EINVAL before any
 *   entry changes. Map and repeat never overwrite a present entry: they
 *   return -EEXIST and undo what they wrote, so the table is as before.
 * - Empty tables are reclaimed: a table whose last entry goes away is
 *   unlinked from its parent, and so on upwards (the root stays).
 * - Sharing: a table may be referenced by several parent entries (repeat
 *   mappings); such a table is never written. An op that must write into
 *   it copies it first (taking a reference on each of its children), fills
 *   the copy, then swaps the parent entry and drops one reference on the
 *   original. Only the tables on the edges of an op are ever copied.
 * - Non-coherent walkers: after an op touched a table, the written entries
 *   are synced with one &pvm_pt_mem_ops.sync_for_device call per table
 *   visit, covering the contiguous range of entries written (the whole
 *   table for a copy).
 */

/**
 * DOC: Page table memory and locking
 *
 * The unit takes no locks: the caller serialises every call on one
 * &struct pvm_pt (the VM's op lock). Queries may run concurrently with each
 * other but not with an update.
 *
 * Memory only comes from &pvm_pt_mem_ops (table pages) and the slab (the
 * shadows), and only in pvm_pt_init() and pvm_pt_resv_add(). The caller
 * first asks pvm_pt_op_pages() / pvm_pt_resv_add() for the worst case of
 * each op (va, size, kind), before taking any lock the GPU can wait on;
 * map, repeat and unmap then take tables from that &struct pvm_pt_resv and
 * never allocate. pvm_pt_resv_release() frees what was not used.
 *
 * Tables that an op unlinks are not freed: they go on the caller's
 * &struct pvm_pt_free_list, because the GPU may still walk them until its
 * TLB and walk caches are flushed. The caller releases the list with
 * pvm_pt_free_list_release() after that flush. Freed tables are never
 * reused within an op.
 */

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

static inline u64 pt_level_size(u32 lvl)
{
	return BIT_ULL(PVM_PT_LEVEL_SHIFT(lvl));
}

static inline u32 pt_index(u64 va, u32 lvl)
{
	return (va >> PVM_PT_LEVEL_SHIFT(lvl)) & (PVM_PT_ENTRIES - 1);
}

static inline u64 pt_table_desc(const struct pvm_pt_table *t)
{
	return (t->dma & PVM_PTE_ADDR) | PVM_PTE_TYPE_TABLE;
}

static inline void pt_dirty(struct pvm_pt_table *t, u32 lo, u32 hi)
{
	if (lo < t->dirty_lo)
		t->dirty_lo = lo;
	if (hi > t->dirty_hi)
		t->dirty_hi = hi;
}

static inline void pt_write(struct pvm_pt_table *t, u32 idx, u64 desc)
{
	WRITE_ONCE(t->desc[idx], desc);
	pt_dirty(t, idx, idx + 1);
}

/* End of a table visit: one sync for the entries written, then clean. */
static void pt_sync(struct pvm_pt *pt, struct pvm_pt_table *t)
{
	if (!pt->cfg.coherent) {
		if (t->copied)
			pt->cfg.ops->sync_for_device(pt->cfg.priv, t->dma,
						     PT_TABLE_BYTES);
		else if (t->dirty_lo < t->dirty_hi)
			pt->cfg.ops->sync_for_device(pt->cfg.priv,
						     t->dma + t->dirty_lo * sizeof(u64),
						     (t->dirty_hi - t->dirty_lo) *
						     sizeof(u64));
	}
	t->copied = false;
	t->dirty_lo = PVM_PT_ENTRIES;
	t->dirty_hi = 0;
}

static u64 pt_attrs(const struct pvm_pt *pt, u32 flags)
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

static u32 pt_desc_flags(u64 desc)
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

static bool pt_block_ok(const struct pvm_pt *pt, u32 lvl)
{
	return lvl >= 1 && lvl < PT_LEAF_LEVEL &&
	       (pt->cfg.pgsize_bitmap & pt_level_size(lvl));
}

static struct pvm_pt_table *pt_alloc(struct pvm_pt *pt, bool dir)
{
	struct pvm_pt_table *t;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return NULL;
	if (dir) {
		t->children = kcalloc(PVM_PT_ENTRIES, sizeof(*t->children),
				      GFP_KERNEL);
		if (!t->children)
			goto err_free;
	}
	t->desc = pt->cfg.ops->alloc_table(pt->cfg.priv, &t->dma);
	if (!t->desc)
		goto err_free;
	if (t->dma & ~PVM_PTE_ADDR) {
		pt->cfg.ops->free_table(pt->cfg.priv, t->desc, t->dma);
		goto err_free;
	}
	t->dirty_lo = PVM_PT_ENTRIES;
	return t;

err_free:
	kfree(t->children);
	kfree(t);
	return NULL;
}

static void pt_free(struct pvm_pt *pt, struct pvm_pt_table *t)
{
	pt->cfg.ops->free_table(pt->cfg.priv, t->desc, t->dma);
	kfree(t->children);
	kfree(t);
}

/* Take a fresh table from the reservation; it starts with one reference. */
static struct pvm_pt_table *pt_take(struct pt_walk *w, u32 lvl)
{
	struct pvm_pt_resv *resv = w->resv;
	struct pvm_pt_table *t;

	if (!resv)
		return NULL;
	if (lvl == PT_LEAF_LEVEL) {
		t = resv->leaves;
		if (!t)
			return NULL;
		resv->leaves = t->next;
		resv->nleaves--;
	} else {
		t = resv->dirs;
		if (!t)
			return NULL;
		resv->dirs = t->next;
		resv->ndirs--;
	}
	t->next = NULL;
	t->level = lvl;
	t->share = 1;
	w->pt->stats.tables++;
	return t;
}

static void pt_get(struct pvm_pt *pt, struct pvm_pt_table *t, u32 refs)
{
	if (t->share == 1)
		pt->stats.shared_tables++;
	t->share += refs;
}

/* Drop one reference; an unreferenced table goes on @fl with its subtree. */
static void pt_put(struct pvm_pt *pt, struct pvm_pt_free_list *fl,
		   struct pvm_pt_table *t)
{
	u32 i;

	if (t->share > 1) {
		if (--t->share == 1)
			pt->stats.shared_tables--;
		return;
	}
	t->share = 0;
	if (t->children) {
		for (i = 0; i < PVM_PT_ENTRIES; i++) {
			if (t->children[i])
				pt_put(pt, fl, t->children[i]);
		}
	}
	t->next = fl->head;
	fl->head = t;
	fl->count++;
	pt->stats.tables--;
}

/* A private copy of shared table @old, not yet linked anywhere. */
static struct pvm_pt_table *pt_copy(struct pt_walk *w, struct pvm_pt_table *old)
{
	struct pvm_pt_table *t;
	u32 i;

	t = pt_take(w, old->level);
	if (!t)
		return NULL;
	memcpy(t->desc, old->desc, PT_TABLE_BYTES);
	if (old->children) {
		memcpy(t->children, old->children,
		       PVM_PT_ENTRIES * sizeof(*t->children));
		for (i = 0; i < PVM_PT_ENTRIES; i++) {
			if (t->children[i])
				pt_get(w->pt, t->children[i], 1);
		}
	}
	t->used = old->used;
	t->bytes = old->bytes;
	t->copied = true;
	return t;
}

static int pt_walk(struct pt_walk *w, struct pvm_pt_table *t, u64 va, u64 end);

/*
 * Walk the child of entry @idx of @t for [@va, @end). A missing child is
 * created, a shared one is copied; either is linked only once it is
 * complete. A child left empty is unlinked.
 */
static int pt_descend(struct pt_walk *w, struct pvm_pt_table *t, u32 idx,
		      u64 va, u64 end)
{
	struct pvm_pt_table *old = t->children[idx], *c = old;
	struct pvm_pt *pt = w->pt;
	u64 before;
	int ret;

	if (!c)
		c = pt_take(w, t->level + 1);
	else if (c->share > 1)
		c = pt_copy(w, c);
	if (!c) {
		w->fail_va = va;
		return -ENOSPC;
	}

	before = c->bytes;
	ret = pt_walk(w, c, va, end);
	t->bytes += c->bytes - before;

	if (c == old) {
		if (!c->used) {
			pt_write(t, idx, 0);
			t->children[idx] = NULL;
			t->used--;
			pt_put(pt, w->fl, c);
		}
		return ret;
	}

	if (!c->used) {
		/* Never linked: drop it, and the shared original if any. */
		pt_put(pt, w->fl, c);
		if (old) {
			pt_write(t, idx, 0);
			t->children[idx] = NULL;
			t->used--;
			pt_put(pt, w->fl, old);
		}
		return ret;
	}

	/* Publish the complete (and synced) table, then let go of @old. */
	dma_wmb();
	pt_write(t, idx, pt_table_desc(c));
	t->children[idx] = c;
	if (old)
		pt_put(pt, w->fl, old);
	else
		t->used++;
	return ret;
}

/*
 * The range walker: calls the op's callbacks for every entry of @t that
 * [@va, @end) touches, descending where they ask, then syncs what was
 * written in @t. [@va, @end) lies within the span of @t.
 */
static int pt_walk(struct pt_walk *w, struct pvm_pt_table *t, u64 va, u64 end)
{
	u32 idx = pt_index(va, t->level);
	int ret = 0;

	if (t->level == PT_LEAF_LEVEL) {
		ret = w->ops->leaf(w, t, idx,
				   (end - va) >> PVM_PT_GRANULE_SHIFT, va);
	} else {
		u64 mask = pt_level_size(t->level) - 1;

		while (va < end) {
			u64 next = min((va | mask) + 1, end);

			ret = w->ops->entry(w, t, idx, va, next);
			if (ret == PT_DESCEND)
				ret = pt_descend(w, t, idx, va, next);
			if (ret < 0)
				break;
			va = next;
			idx++;
		}
	}
	pt_sync(w->pt, t);
	return ret;
}

static bool pt_any_present(const u64 *d, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		if (d[i] & PVM_PTE_VALID)
			return true;
	}
	return false;
}

/* Map: consume the DMA ranges in order. */
static inline void pt_src_advance(struct pt_walk *w, u64 size)
{
	w->cur += size;
	w->left -= size;
	if (!w->left && ++w->ridx < w->nranges) {
		w->cur = w->ranges[w->ridx].dma;
		w->left = w->ranges[w->ridx].size;
	}
}

static int pt_map_entry(struct pt_walk *w, struct pvm_pt_table *t, u32 idx,
			u64 va, u64 end)
{
	u64 size = pt_level_size(t->level);
	u64 desc = t->desc[idx];

	if (end - va == size) {
		/* A present entry over a fully covered span always overlaps. */
		if (desc & PVM_PTE_VALID)
			goto exists;
		if (pt_block_ok(w->pt, t->level) && w->left >= size &&
		    IS_ALIGNED(w->cur, size)) {
			pt_write(t, idx, w->attrs | PVM_PTE_TYPE_BLOCK |
				 (w->cur & PVM_PTE_ADDR));
			t->used++;
			t->bytes += size;
			pt_src_advance(w, size);
			return 0;
		}
		return PT_DESCEND;
	}
	if ((desc & PVM_PTE_VALID) && !t->children[idx])
		goto exists;
	return PT_DESCEND;

exists:
	w->fail_va = va;
	return -EEXIST;
}

static int pt_map_leaf(struct pt_walk *w, struct pvm_pt_table *t, u32 idx,
		       u32 n, u64 va)
{
	u64 *d = t->desc + idx;
	u32 i, j, run;

	if (t->used && pt_any_present(d, n)) {
		w->fail_va = va;
		return -EEXIST;
	}
	pt_dirty(t, idx, idx + n);
	t->used += n;
	t->bytes += (u64)n << PVM_PT_GRANULE_SHIFT;
	for (i = 0; i < n; i += run) {
		u64 pte = w->attrs | PVM_PTE_TYPE_PAGE | w->cur;

		run = min_t(u64, n - i, w->left >> PVM_PT_GRANULE_SHIFT);
		for (j = 0; j < run; j++)
			WRITE_ONCE(d[i + j], pte + ((u64)j << PVM_PT_GRANULE_SHIFT));
		pt_src_advance(w, (u64)run << PVM_PT_GRANULE_SHIFT);
	}
	return 0;
}

static const struct pt_walk_ops pt_map_ops = {
	.entry = pt_map_entry,
	.leaf = pt_map_leaf,
};

/*
 * Repeat: the full table of level @lvl for this pattern, built once per op
 * and shared by every fully covered entry. Returns it with a new reference.
 */
static struct pvm_pt_table *pt_shared(struct pt_walk *w, u32 lvl)
{
	struct pvm_pt_table *t = w->shared[lvl], *child;
	u64 desc;
	u32 i;

	if (t) {
		pt_get(w->pt, t, 1);
		return t;
	}
	t = pt_take(w, lvl);
	if (!t)
		return NULL;

	if (lvl == PT_LEAF_LEVEL) {
		for (i = 0; i < PVM_PT_ENTRIES; i++)
			WRITE_ONCE(t->desc[i], w->attrs | PVM_PTE_TYPE_PAGE |
				   w->pat[i & w->pat_mask]);
		t->bytes = pt_level_size(lvl - 1);
	} else if (w->pat_block && lvl == 2) {
		desc = w->attrs | PVM_PTE_TYPE_BLOCK | w->pat[0];
		for (i = 0; i < PVM_PT_ENTRIES; i++)
			WRITE_ONCE(t->desc[i], desc);
		t->bytes = pt_level_size(lvl - 1);
	} else {
		child = pt_shared(w, lvl + 1);
		if (!child) {
			pt_put(w->pt, w->fl, t);
			return NULL;
		}
		pt_get(w->pt, child, PVM_PT_ENTRIES - 1);
		desc = pt_table_desc(child);
		for (i = 0; i < PVM_PT_ENTRIES; i++) {
			WRITE_ONCE(t->desc[i], desc);
			t->children[i] = child;
		}
		t->bytes = child->bytes * PVM_PT_ENTRIES;
	}
	t->used = PVM_PT_ENTRIES;
	t->copied = true;
	pt_sync(w->pt, t);
	w->shared[lvl] = t;
	return t;
}

static int pt_repeat_entry(struct pt_walk *w, struct pvm_pt_table *t, u32 idx,
			   u64 va, u64 end)
{
	u64 size = pt_level_size(t->level);
	u64 desc = t->desc[idx];
	struct pvm_pt_table *c;

	if (end - va == size) {
		if (desc & PVM_PTE_VALID)
			goto exists;
		if (t->level == 2 && w->pat_block) {
			pt_write(t, idx, w->attrs | PVM_PTE_TYPE_BLOCK | w->pat[0]);
			t->used++;
			t->bytes += size;
			return 0;
		}
		c = pt_shared(w, t->level + 1);
		if (!c) {
			w->fail_va = va;
			return -ENOSPC;
		}
		dma_wmb();
		pt_write(t, idx, pt_table_desc(c));
		t->children[idx] = c;
		t->used++;
		t->bytes += c->bytes;
		return 0;
	}
	if ((desc & PVM_PTE_VALID) && !t->children[idx])
		goto exists;
	return PT_DESCEND;

exists:
	w->fail_va = va;
	return -EEXIST;
}

static int pt_repeat_leaf(struct pt_walk *w, struct pvm_pt_table *t, u32 idx,
			  u32 n, u64 va)
{
	u32 phase = va >> PVM_PT_GRANULE_SHIFT;
	u64 *d = t->desc + idx;
	u32 j;

	if (t->used && pt_any_present(d, n)) {
		w->fail_va = va;
		return -EEXIST;
	}
	pt_dirty(t, idx, idx + n);
	t->used += n;
	t->bytes += (u64)n << PVM_PT_GRANULE_SHIFT;
	for (j = 0; j < n; j++)
		WRITE_ONCE(d[j], w->attrs | PVM_PTE_TYPE_PAGE |
			   w->pat[(phase + j) & w->pat_mask]);
	return 0;
}

static const struct pt_walk_ops pt_repeat_ops = {
	.entry = pt_repeat_entry,
	.leaf = pt_repeat_leaf,
};

/* Unmap: fully covered entries are dropped whole, subtree and all. */
static int pt_unmap_entry(struct pt_walk *w, struct pvm_pt_table *t, u32 idx,
			  u64 va, u64 end)
{
	u64 size = pt_level_size(t->level);
	struct pvm_pt_table *c = t->children[idx];

	if (!(t->desc[idx] & PVM_PTE_VALID))
		return 0;
	if (end - va != size) {
		if (c)
			return PT_DESCEND;
		/* Part of a block: pvm_pt_unmap() refuses this up front. */
		w->fail_va = va;
		return -EINVAL;
	}
	pt_write(t, idx, 0);
	t->used--;
	if (c) {
		t->bytes -= c->bytes;
		t->children[idx] = NULL;
		pt_put(w->pt, w->fl, c);
	} else {
		t->bytes -= size;
	}
	return 0;
}

static int pt_unmap_leaf(struct pt_walk *w, struct pvm_pt_table *t, u32 idx,
			 u32 n, u64 va)
{
	u64 *d = t->desc + idx;
	u32 i, cleared = 0;

	/*
	 * If the range holds every present entry the table is about to be
	 * unlinked: leave its entries alone, nothing will walk it after the
	 * flush.
	 */
	if (n >= t->used) {
		for (i = 0; i < n; i++)
			cleared += d[i] & PVM_PTE_VALID;
		if (cleared == t->used) {
			t->used = 0;
			t->bytes = 0;
			return 0;
		}
		cleared = 0;
	}
	for (i = 0; i < n; i++) {
		if (d[i] & PVM_PTE_VALID) {
			WRITE_ONCE(d[i], 0);
			cleared++;
		}
	}
	if (cleared)
		pt_dirty(t, idx, idx + n);
	t->used -= cleared;
	t->bytes -= (u64)cleared << PVM_PT_GRANULE_SHIFT;
	return 0;
}

static const struct pt_walk_ops pt_unmap_ops = {
	.entry = pt_unmap_entry,
	.leaf = pt_unmap_leaf,
};

static int pt_check_va(const struct pvm_pt *pt, u64 va, u64 size)
{
	if (!size || !IS_ALIGNED(va | size, SZ_4K))
		return -EINVAL;
	if (va + size < va || va + size > BIT_ULL(pt->cfg.va_bits))
		return -ERANGE;
	return 0;
}

static int pt_check_oa(const struct pvm_pt *pt, dma_addr_t dma, u64 size)
{
	if (!size || !IS_ALIGNED(dma | size, SZ_4K))
		return -EINVAL;
	if (dma + size < dma || dma + size > BIT_ULL(pt->cfg.pa_bits))
		return -ERANGE;
	return 0;
}

/* Undo the part [@va, @end) a failed map or repeat wrote. */
static void pt_undo(struct pvm_pt *pt, struct pvm_pt_free_list *fl, u64 va,
		    u64 end)
{
	struct pt_walk w = {
		.pt = pt,
		.ops = &pt_unmap_ops,
		.fl = fl,
	};
	int ret;

	if (end <= va)
		return;
	/* Everything below @end is private or fully covered: no table needed. */
	ret = pt_walk(&w, pt->root, va, end);
	WARN_ON(ret);
}

/**
 * pvm_pt_init() - create an empty page table
 * @pt: table to initialise
 * @cfg: geometry and memory callbacks (copied)
 *
 * Allocates the root table. May sleep.
 *
 * Return: 0, -EINVAL for a bad configuration, or -ENOMEM.
 */
int pvm_pt_init(struct pvm_pt *pt, const struct pvm_pt_config *cfg)
{
	u32 levels;

	memset(pt, 0, sizeof(*pt));
	if (cfg->va_bits < 25 || cfg->va_bits > 48 || cfg->pa_bits < 32 ||
	    cfg->pa_bits > 48 || !(cfg->pgsize_bitmap & SZ_4K) ||
	    (cfg->pgsize_bitmap & ~(u64)(SZ_4K | SZ_2M | SZ_1G)) ||
	    !cfg->ops || !cfg->ops->alloc_table || !cfg->ops->free_table ||
	    (!cfg->coherent && !cfg->ops->sync_for_device))
		return -EINVAL;

	pt->cfg = *cfg;
	levels = DIV_ROUND_UP(cfg->va_bits - PVM_PT_GRANULE_SHIFT,
			      PVM_PT_BITS_PER_LEVEL);
	pt->start_level = PVM_PT_MAX_LEVELS - levels;
	/* The root is never a leaf table: it always has a children array. */
	pt->root = pt_alloc(pt, true);
	if (!pt->root)
		return -ENOMEM;
	pt->root->level = pt->start_level;
	pt->root->share = 1;
	pt->stats.tables = 1;
	return 0;
}

/**
 * pvm_pt_free_list_splice() - move every table of one free list to another
 * @dst: list that receives the tables
 * @src: list emptied
 *
 * For tables whose release must wait longer than usual, e.g. after a flush
 * that timed out, until the address space is disabled.
 */
void pvm_pt_free_list_splice(struct pvm_pt_free_list *dst,
			     struct pvm_pt_free_list *src)
{
	struct pvm_pt_table *t = src->head;

	if (!t)
		return;
	while (t->next)
		t = t->next;
	t->next = dst->head;
	dst->head = src->head;
	dst->count += src->count;
	src->head = NULL;
	src->count = 0;
}

/**
 * pvm_pt_free_list_release() - free tables unlinked by earlier ops
 * @pt: table they came from
 * @fl: list to empty
 *
 * Call only once the GPU can no longer walk them: after the TLB flush that
 * ended the ops.
 */
void pvm_pt_free_list_release(struct pvm_pt *pt, struct pvm_pt_free_list *fl)
{
	struct pvm_pt_table *t;

	while ((t = fl->head)) {
		fl->head = t->next;
		pt_free(pt, t);
	}
	fl->count = 0;
}

/**
 * pvm_pt_fini() - free a page table and every table in it
 * @pt: table
 *
 * The GPU must no longer use it (its address space disabled and flushed).
 */
void pvm_pt_fini(struct pvm_pt *pt)
{
	struct pvm_pt_free_list fl = {};

	if (!pt->root)
		return;
	pt_put(pt, &fl, pt->root);
	pvm_pt_free_list_release(pt, &fl);
	pt->root = NULL;
}

/**
 * pvm_pt_root_dma() - bus address of the root table, for AS_TRANSTAB
 * @pt: table
 *
 * Return: the DMA address.
 */
dma_addr_t pvm_pt_root_dma(const struct pvm_pt *pt)
{
	return pt->root->dma;
}

/* Worst-case new tables per level for one op. */
static void pt_count(const struct pvm_pt *pt, u64 va, u64 size,
		     enum pvm_pt_op_kind kind, u32 cnt[PVM_PT_MAX_LEVELS])
{
	u64 end = va + size;
	u32 lvl;

	for (lvl = 0; lvl < PVM_PT_MAX_LEVELS; lvl++) {
		u32 shift = PVM_PT_LEVEL_SHIFT(lvl ? lvl - 1 : 0);
		u64 span = BIT_ULL(shift), mask = span - 1;
		u64 first = va >> shift, last = (end - 1) >> shift;
		bool left = va & mask, right = end & mask;
		u32 n;

		cnt[lvl] = 0;
		if (lvl <= pt->start_level)
			continue;
		if (kind == PVM_PT_OP_MAP) {
			/* Any table in the range may be new, or a copy. */
			cnt[lvl] = last - first + 1;
			continue;
		}
		/* Only tables not fully covered are written into. */
		if (first == last)
			n = left || right;
		else
			n = left + right;
		/* One shared full table per level, if any entry is covered. */
		if (kind == PVM_PT_OP_REPEAT && ALIGN(va, span) + span <= end)
			n++;
		cnt[lvl] = n;
	}
}

/**
 * pvm_pt_op_pages() - worst-case table pages one op can need
 * @pt: table
 * @va: start of the op
 * @size: length of the op
 * @kind: map, repeat or unmap
 *
 * Exact or above, whatever the table holds: a map may need a new table at
 * every position it covers; repeat and unmap only write into the tables on
 * the edges of the range (new or unshared copies), plus, for repeat, one
 * shared table per level.
 *
 * Return: the number of pages, 0 for an invalid range.
 */
u32 pvm_pt_op_pages(const struct pvm_pt *pt, u64 va, u64 size,
		    enum pvm_pt_op_kind kind)
{
	u32 cnt[PVM_PT_MAX_LEVELS], lvl, n = 0;

	if (pt_check_va(pt, va, size))
		return 0;
	pt_count(pt, va, size, kind, cnt);
	for (lvl = 0; lvl < PVM_PT_MAX_LEVELS; lvl++)
		n += cnt[lvl];
	return n;
}

/* Allocate @cnt[lvl] tables per level into @resv: all of them or none. */
static int pt_resv_fill(struct pvm_pt *pt, struct pvm_pt_resv *resv,
			const u32 cnt[PVM_PT_MAX_LEVELS])
{
	u32 lvl, i, ndirs = 0, nleaves = 0;
	struct pvm_pt_table *t;

	for (lvl = 0; lvl < PVM_PT_MAX_LEVELS; lvl++) {
		bool dir = lvl != PT_LEAF_LEVEL;

		for (i = 0; i < cnt[lvl]; i++) {
			t = pt_alloc(pt, dir);
			if (!t)
				goto err_undo;
			if (dir) {
				t->next = resv->dirs;
				resv->dirs = t;
				resv->ndirs++;
				ndirs++;
			} else {
				t->next = resv->leaves;
				resv->leaves = t;
				resv->nleaves++;
				nleaves++;
			}
		}
	}
	return 0;

err_undo:
	/* What this call added is at the head of each pool. */
	for (; ndirs; ndirs--) {
		t = resv->dirs;
		resv->dirs = t->next;
		resv->ndirs--;
		pt_free(pt, t);
	}
	for (; nleaves; nleaves--) {
		t = resv->leaves;
		resv->leaves = t->next;
		resv->nleaves--;
		pt_free(pt, t);
	}
	return -ENOMEM;
}

/*
 * Leaf tables a map of @ranges at @va can need: one per 2 MiB chunk that
 * pt_map_entry() will not cover with a block, i.e. a chunk not fully
 * inside the op, or whose first byte is not a 2 MiB aligned DMA address
 * with a whole block left in its range.
 */
static u32 pt_count_map_leaves(const struct pvm_pt *pt, u64 va, u64 size,
			       const struct pvm_pt_range *ranges, u32 nranges)
{
	u64 block = pt_level_size(PT_LEAF_LEVEL - 1), end = va + size;
	u64 c, pos = va, cur = ranges[0].dma, left = ranges[0].size, step;
	u32 r = 0, n = 0;

	for (c = ALIGN_DOWN(va, block); c < end; c += block) {
		u64 cend = min(c + block, end);

		if (!pt_block_ok(pt, PT_LEAF_LEVEL - 1) || c < va ||
		    c + block > end || left < block || !IS_ALIGNED(cur, block))
			n++;
		/* Consume [pos, cend) of the ranges, as the map does. */
		for (step = cend - pos; step; ) {
			u64 take = min(step, left);

			cur += take;
			left -= take;
			step -= take;
			if (!left && ++r < nranges) {
				cur = ranges[r].dma;
				left = ranges[r].size;
			}
		}
		pos = cend;
	}
	return n;
}

/**
 * pvm_pt_resv_add() - reserve the tables one op can need
 * @pt: table
 * @resv: reservation to add to (zero-initialised before first use)
 * @va: start of the op
 * @size: length of the op
 * @kind: map, repeat or unmap
 *
 * Allocates pvm_pt_op_pages() tables. Several ops may add to one
 * reservation and then run in any order. May sleep.
 *
 * Return: 0; -EINVAL or -ERANGE for a bad range; -ENOMEM, in which case
 * @resv is as before.
 */
int pvm_pt_resv_add(struct pvm_pt *pt, struct pvm_pt_resv *resv, u64 va,
		    u64 size, enum pvm_pt_op_kind kind)
{
	u32 cnt[PVM_PT_MAX_LEVELS];
	int ret;

	ret = pt_check_va(pt, va, size);
	if (ret)
		return ret;
	pt_count(pt, va, size, kind, cnt);
	return pt_resv_fill(pt, resv, cnt);
}

/**
 * pvm_pt_resv_add_map() - reserve the tables one pvm_pt_map() can need
 * @pt: table
 * @resv: reservation to add to
 * @va: where the ranges will be mapped
 * @ranges: the DMA ranges pvm_pt_map() will be given
 * @nranges: number of ranges
 *
 * Like pvm_pt_resv_add() with %PVM_PT_OP_MAP, but knowing the DMA layout:
 * the 2 MiB chunks the map will cover with blocks need no leaf table.
 * Mapping 2 MiB aligned, contiguous memory then reserves no leaf tables
 * instead of one per 2 MiB.
 *
 * Return: as pvm_pt_resv_add().
 */
int pvm_pt_resv_add_map(struct pvm_pt *pt, struct pvm_pt_resv *resv, u64 va,
			const struct pvm_pt_range *ranges, u32 nranges)
{
	u32 cnt[PVM_PT_MAX_LEVELS], i;
	u64 size = 0;
	int ret;

	if (!nranges)
		return -EINVAL;
	for (i = 0; i < nranges; i++) {
		if (size + ranges[i].size < size)
			return -ERANGE;
		size += ranges[i].size;
	}
	ret = pt_check_va(pt, va, size);
	if (ret)
		return ret;
	pt_count(pt, va, size, PVM_PT_OP_MAP, cnt);
	cnt[PT_LEAF_LEVEL] = min(cnt[PT_LEAF_LEVEL],
				 pt_count_map_leaves(pt, va, size, ranges,
						     nranges));
	return pt_resv_fill(pt, resv, cnt);
}

/**
 * pvm_pt_resv_pages() - tables left in a reservation
 * @resv: reservation
 *
 * Return: the number of unused reserved tables.
 */
u32 pvm_pt_resv_pages(const struct pvm_pt_resv *resv)
{
	return resv->ndirs + resv->nleaves;
}

/**
 * pvm_pt_resv_release() - free what is left of a reservation
 * @pt: table the reservation was made for
 * @resv: reservation, empty afterwards
 */
void pvm_pt_resv_release(struct pvm_pt *pt, struct pvm_pt_resv *resv)
{
	struct pvm_pt_table *t;

	while ((t = resv->dirs)) {
		resv->dirs = t->next;
		pt_free(pt, t);
	}
	while ((t = resv->leaves)) {
		resv->leaves = t->next;
		pt_free(pt, t);
	}
	resv->ndirs = 0;
	resv->nleaves = 0;
}

/**
 * pvm_pt_map() - map a list of DMA ranges to a VA range
 * @pt: table
 * @resv: reservation holding pvm_pt_op_pages(@va, size, MAP) tables
 * @fl: free list for tables unlinked by the op
 * @va: first byte, 4 KiB aligned
 * @ranges: physically contiguous DMA ranges, mapped back to back from @va
 * @nranges: entries in @ranges
 * @flags: PVM_PT_MAP_* attributes
 *
 * Uses a block wherever the VA span of a level 1 or 2 entry is covered and
 * the DMA run behind it is contiguous and aligned (and the page-size bitmap
 * allows that size), 4 KiB pages elsewhere. Never allocates.
 *
 * Return: 0; -EINVAL (misaligned or empty input, bad flags), -ERANGE (VA
 * beyond va_bits or DMA beyond pa_bits), -EEXIST (something is mapped in
 * the range) or -ENOSPC (reservation too small, a caller bug). On error the
 * translations are as before.
 */
int pvm_pt_map(struct pvm_pt *pt, struct pvm_pt_resv *resv,
	       struct pvm_pt_free_list *fl, u64 va,
	       const struct pvm_pt_range *ranges, u32 nranges, u32 flags)
{
	struct pt_walk w = {
		.pt = pt,
		.ops = &pt_map_ops,
		.resv = resv,
		.fl = fl,
		.ranges = ranges,
		.nranges = nranges,
	};
	u64 size = 0;
	u32 i;
	int ret;

	if (!nranges || (flags & ~PVM_PT_MAP_FLAGS))
		return -EINVAL;
	for (i = 0; i < nranges; i++) {
		ret = pt_check_oa(pt, ranges[i].dma, ranges[i].size);
		if (ret)
			return ret;
		if (size + ranges[i].size < size)
			return -ERANGE;
		size += ranges[i].size;
	}
	ret = pt_check_va(pt, va, size);
	if (ret)
		return ret;

	w.attrs = pt_attrs(pt, flags);
	w.cur = ranges[0].dma;
	w.left = ranges[0].size;
	ret = pt_walk(&w, pt->root, va, va + size);
	if (ret)
		pt_undo(pt, fl, va, w.fail_va);
	return ret;
}

/**
 * pvm_pt_repeat() - map a VA range to a pattern of pages repeated cyclically
 * @pt: table
 * @resv: reservation holding pvm_pt_op_pages(@va, @size, REPEAT) tables
 * @fl: free list for tables unlinked by the op
 * @va: first byte, 4 KiB aligned
 * @size: length, a multiple of 4 KiB
 * @pages: DMA address of each 4 KiB page of the pattern
 * @npages: pattern length, a power of two up to %PVM_PT_REPEAT_MAX_PAGES
 * @flags: PVM_PT_MAP_* attributes
 *
 * VA a maps to byte (a mod pattern size) of the pattern. Every fully
 * covered table has the same contents, so one table per level is built and
 * shared by all of them: the cost grows with the number of levels, not with
 * @size. A contiguous, 2 MiB aligned pattern of 2 MiB is mapped with blocks.
 *
 * Return: as pvm_pt_map().
 */
int pvm_pt_repeat(struct pvm_pt *pt, struct pvm_pt_resv *resv,
		  struct pvm_pt_free_list *fl, u64 va, u64 size,
		  const dma_addr_t *pages, u32 npages, u32 flags)
{
	struct pt_walk w = {
		.pt = pt,
		.ops = &pt_repeat_ops,
		.resv = resv,
		.fl = fl,
		.pat = pages,
		.pat_mask = npages - 1,
	};
	bool contig = true;
	u32 i;
	int ret;

	if (!npages || npages > PVM_PT_REPEAT_MAX_PAGES ||
	    (npages & (npages - 1)) || (flags & ~PVM_PT_MAP_FLAGS))
		return -EINVAL;
	for (i = 0; i < npages; i++) {
		ret = pt_check_oa(pt, pages[i], SZ_4K);
		if (ret)
			return ret;
		if (pages[i] != pages[0] + (u64)i * SZ_4K)
			contig = false;
	}
	ret = pt_check_va(pt, va, size);
	if (ret)
		return ret;

	w.pat_block = contig && npages == PVM_PT_REPEAT_MAX_PAGES &&
		      IS_ALIGNED(pages[0], SZ_2M) && pt_block_ok(pt, 2);
	w.attrs = pt_attrs(pt, flags);
	ret = pt_walk(&w, pt->root, va, va + size);
	if (ret)
		pt_undo(pt, fl, va, w.fail_va);
	return ret;
}

/**
 * pvm_pt_unmap() - remove every translation in a VA range
 * @pt: table
 * @resv: reservation holding pvm_pt_op_pages(@va, @size, UNMAP) tables
 *	  (only needed to unshare tables on the edges; may be NULL when
 *	  nothing in the range is shared)
 * @fl: free list for tables unlinked by the op
 * @va: first byte, 4 KiB aligned
 * @size: length, a multiple of 4 KiB
 *
 * Holes in the range are allowed. Tables left empty are unlinked, parents
 * included. Never allocates.
 *
 * Return: 0; -EINVAL for a misaligned range or one that covers only part
 * of a block (nothing is changed then); -ERANGE beyond va_bits; -ENOSPC if
 * the reservation was too small (a caller bug; the range is then only
 * partly unmapped).
 */
int pvm_pt_unmap(struct pvm_pt *pt, struct pvm_pt_resv *resv,
		 struct pvm_pt_free_list *fl, u64 va, u64 size)
{
	struct pt_walk w = {
		.pt = pt,
		.ops = &pt_unmap_ops,
		.resv = resv,
		.fl = fl,
	};
	struct pvm_pt_mapping m;
	int ret;

	ret = pt_check_va(pt, va, size);
	if (ret)
		return ret;
	/* No split on unmap: only the two ends can cut a block. */
	if (!pvm_pt_lookup(pt, va, &m) && m.va < va)
		return -EINVAL;
	if (!pvm_pt_lookup(pt, va + size - 1, &m) && m.va + m.size > va + size)
		return -EINVAL;
	return pt_walk(&w, pt->root, va, va + size);
}

/**
 * pvm_pt_lookup() - find the leaf translating one address
 * @pt: table
 * @va: address
 * @m: filled with the whole leaf (start, size, DMA address, attributes)
 *
 * Return: 0, -ENOENT if @va is not mapped, -ERANGE beyond va_bits.
 */
int pvm_pt_lookup(const struct pvm_pt *pt, u64 va, struct pvm_pt_mapping *m)
{
	const struct pvm_pt_table *t = pt->root;
	u64 desc, size;
	u32 idx;

	if (va >= BIT_ULL(pt->cfg.va_bits))
		return -ERANGE;
	for (;;) {
		idx = pt_index(va, t->level);
		desc = READ_ONCE(t->desc[idx]);
		if (!(desc & PVM_PTE_VALID))
			return -ENOENT;
		if (t->children && t->children[idx]) {
			t = t->children[idx];
			continue;
		}
		size = pt_level_size(t->level);
		m->va = va & ~(size - 1);
		m->size = size;
		m->dma = desc & PVM_PTE_ADDR & ~(size - 1);
		m->flags = pt_desc_flags(desc);
		m->leaf_size_log2 = PVM_PT_LEVEL_SHIFT(t->level);
		return 0;
	}
}

/**
 * pvm_pt_iova_to_phys() - translate one address like the GPU would
 * @pt: table
 * @va: address
 * @dma: bus address @va translates to
 * @flags: PVM_PT_MAP_* attributes of the translation (may be NULL)
 *
 * Return: 0, -ENOENT if @va is not mapped, -ERANGE beyond va_bits.
 */
int pvm_pt_iova_to_phys(const struct pvm_pt *pt, u64 va, dma_addr_t *dma,
			u32 *flags)
{
	struct pvm_pt_mapping m;
	int ret;

	ret = pvm_pt_lookup(pt, va, &m);
	if (ret)
		return ret;
	*dma = m.dma + (va - m.va);
	if (flags)
		*flags = m.flags;
	return 0;
}

struct pt_iter {
	pvm_pt_iter_fn fn;
	void *priv;
	struct pvm_pt_mapping cur;
	bool have;
};

static int pt_iter_emit(struct pt_iter *it, const struct pvm_pt_mapping *m)
{
	struct pvm_pt_mapping *c = &it->cur;
	int ret;

	if (it->have && c->va + c->size == m->va &&
	    c->dma + c->size == m->dma && c->flags == m->flags &&
	    c->leaf_size_log2 == m->leaf_size_log2) {
		c->size += m->size;
		return 0;
	}
	if (it->have) {
		ret = it->fn(it->priv, c);
		if (ret)
			return ret;
	}
	*c = *m;
	it->have = true;
	return 0;
}

static int pt_iter_walk(struct pt_iter *it, const struct pvm_pt_table *t,
			u64 va, u64 end)
{
	u32 shift = PVM_PT_LEVEL_SHIFT(t->level);
	u64 mask = BIT_ULL(shift) - 1;
	u32 idx = pt_index(va, t->level);
	struct pvm_pt_mapping m;
	int ret;

	for (; va < end; idx++) {
		u64 next = min((va | mask) + 1, end);
		u64 desc = READ_ONCE(t->desc[idx]);

		if (!(desc & PVM_PTE_VALID)) {
			va = next;
			continue;
		}
		if (t->children && t->children[idx]) {
			ret = pt_iter_walk(it, t->children[idx], va, next);
		} else {
			m.va = va;
			m.size = next - va;
			m.dma = (desc & PVM_PTE_ADDR & ~mask) + (va & mask);
			m.flags = pt_desc_flags(desc);
			m.leaf_size_log2 = shift;
			ret = pt_iter_emit(it, &m);
		}
		if (ret)
			return ret;
		va = next;
	}
	return 0;
}

/**
 * pvm_pt_for_each() - call @fn for the present translations in a range
 * @pt: table
 * @va: first byte
 * @size: length
 * @fn: callback, given runs of equal leaf size and attributes whose DMA
 *	addresses are contiguous, in VA order
 * @priv: passed to @fn
 *
 * Return: 0, -EINVAL/-ERANGE for a bad range, or the first non-zero value
 * returned by @fn.
 */
int pvm_pt_for_each(const struct pvm_pt *pt, u64 va, u64 size,
		    pvm_pt_iter_fn fn, void *priv)
{
	struct pt_iter it = { .fn = fn, .priv = priv };
	int ret;

	ret = pt_check_va(pt, va, size);
	if (ret)
		return ret;
	ret = pt_iter_walk(&it, pt->root, va, va + size);
	if (!ret && it.have)
		ret = fn(priv, &it.cur);
	return ret;
}

/**
 * pvm_pt_get_stats() - read the counters
 * @pt: table
 * @stats: filled in
 */
void pvm_pt_get_stats(const struct pvm_pt *pt, struct pvm_pt_stats *stats)
{
	*stats = pt->stats;
	stats->bytes_mapped = pt->root->bytes;
}

static int pt_bad(const struct pvm_pt_table *t, u32 idx, const char *why)
{
	pr_err("pvm_pt: level %u table %pad entry %u: %s\n", t->level, &t->dma,
	       idx, why);
	return -EUCLEAN;
}

/* First pass: descriptors agree with the shadow; count references. */
static int pt_check_table(struct pvm_pt *pt, struct pvm_pt_table *t,
			  u64 *tables)
{
	u32 i, used = 0, shift = PVM_PT_LEVEL_SHIFT(t->level);
	struct pvm_pt_table *c;
	u64 bytes = 0, desc;
	int ret;

	if (t->check_gen == pt->check_gen) {
		t->check_refs++;
		return 0;
	}
	t->check_gen = pt->check_gen;
	t->check_refs = 1;
	(*tables)++;
	if (t->dirty_lo != PVM_PT_ENTRIES || t->dirty_hi || t->copied)
		return pt_bad(t, 0, "left dirty");

	for (i = 0; i < PVM_PT_ENTRIES; i++) {
		desc = t->desc[i];
		c = t->children ? t->children[i] : NULL;
		if (!(desc & PVM_PTE_VALID)) {
			if (desc || c)
				return pt_bad(t, i, "stale invalid entry");
			continue;
		}
		used++;
		if (c) {
			if ((desc & PVM_PTE_TYPE_MASK) != PVM_PTE_TYPE_TABLE ||
			    (desc & ~PVM_PTE_ADDR & ~PVM_PTE_TYPE_MASK) ||
			    (desc & PVM_PTE_ADDR) != c->dma ||
			    c->level != t->level + 1)
				return pt_bad(t, i, "table entry != shadow");
			ret = pt_check_table(pt, c, tables);
			if (ret)
				return ret;
			bytes += c->bytes;
			continue;
		}
		if (t->level == PT_LEAF_LEVEL ?
		    (desc & PVM_PTE_TYPE_MASK) != PVM_PTE_TYPE_PAGE :
		    (desc & PVM_PTE_TYPE_MASK) != PVM_PTE_TYPE_BLOCK ||
		    !pt_block_ok(pt, t->level))
			return pt_bad(t, i, "bad leaf type");
		if (!(desc & PVM_PTE_AF) || !(desc & PVM_PTE_AP_UNPRIV) ||
		    (desc & PVM_PTE_ADDR & (BIT_ULL(shift) - 1)) ||
		    (desc & PVM_PTE_ADDR) >= BIT_ULL(pt->cfg.pa_bits))
			return pt_bad(t, i, "bad leaf bits");
		bytes += BIT_ULL(shift);
	}
	if (used != t->used)
		return pt_bad(t, used, "used count");
	if (bytes != t->bytes)
		return pt_bad(t, 0, "byte count");
	return 0;
}

/* Second pass: share counts equal the references found. */
static int pt_check_refs(struct pvm_pt *pt, struct pvm_pt_table *t,
			 u64 *shared)
{
	u32 i;
	int ret;

	if (t->check_gen == pt->check_gen + 1)
		return 0;
	t->check_gen = pt->check_gen + 1;
	if (t->share != t->check_refs)
		return pt_bad(t, t->share, "share count");
	if (t->share > 1)
		(*shared)++;
	if (!t->children)
		return 0;
	for (i = 0; i < PVM_PT_ENTRIES; i++) {
		if (t->children[i]) {
			ret = pt_check_refs(pt, t->children[i], shared);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/**
 * pvm_pt_check() - verify every invariant of the tree (tests, debugfs)
 * @pt: table
 *
 * Checks that descriptors and shadows agree, invalid entries are zero,
 * present/byte/share counts and the counters are right, and no table is
 * left dirty. Takes time proportional to the number of distinct tables.
 *
 * Return: 0, or -EUCLEAN after logging the first inconsistency.
 */
int pvm_pt_check(struct pvm_pt *pt)
{
	u64 tables = 0, shared = 0;
	int ret;

	pt->check_gen += 2;
	ret = pt_check_table(pt, pt->root, &tables);
	if (!ret)
		ret = pt_check_refs(pt, pt->root, &shared);
	if (ret)
		return ret;
	if (pt->root->share != 1)
		return pt_bad(pt->root, 0, "root shared");
	if (tables != pt->stats.tables || shared != pt->stats.shared_tables) {
		pr_err("pvm_pt: %llu tables (%llu shared), counters say %llu (%llu)\n",
		       tables, shared, pt->stats.tables,
		       pt->stats.shared_tables);
		return -EUCLEAN;
	}
	return 0;
}
