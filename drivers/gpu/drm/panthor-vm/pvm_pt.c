// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/align.h>
#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/types.h>
#include <asm/barrier.h>

#include "pvm_pt.h"
#include "pvm_pt_priv.h"
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
 * All updates go through one range walker, pvm_pt_walk(), which knows the
 * level arithmetic; map, repeat and unmap are small sets of callbacks
 * (&struct pt_walk_ops). Queries use their own read-only descent.
 *
 * The walker, the table shadows and setup are in pvm_pt.c; the callbacks
 * of map and repeat in pvm_pt_map.c, those of unmap in pvm_pt_unmap.c;
 * reservations and free lists in pvm_pt_resv.c; lookups, iteration and
 * pvm_pt_check() in pvm_pt_query.c. pvm_pt_priv.h holds what they share.
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
 * - Sharing again: after a repeat, each table on the paths to the op's two
 *   ends that holds exactly the pattern again (a hole filled back) is
 *   replaced by one that holds the same, from the leaf up: a table of the
 *   same parent tagged &pvm_pt_table.pattern, or the op's own shared one.
 *   Translations do not change, so the GPU may walk either; the replaced
 *   table goes on the free list, and the flush that ends the op drops the
 *   walk-cache entries leading to it (its span contains one of the op's
 *   ends, inside the lock region). Leaves of a 2 MiB block pattern that a
 *   cut turned into pages are not turned back into a block: a block maps
 *   a single mapping, and the refilled range is a mapping of its own.
 * - Non-coherent walkers: after an op touched a table, the written entries
 *   are synced with one &pvm_pt_mem_ops.sync_for_device call per table
 *   visit, covering the contiguous range of entries written (the whole
 *   table for a copy).
 */

/**
 * pvm_pt_table_sync() - end a table visit: sync what was written, then clean
 * @pt: page table
 * @t: table visited
 *
 * Makes one &pvm_pt_mem_ops.sync_for_device call covering the entries
 * written since the last sync (the whole table after a copy), none on a
 * coherent system, and resets the dirty range of @t.
 */
void pvm_pt_table_sync(struct pvm_pt *pt, struct pvm_pt_table *t)
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

/**
 * pvm_pt_cache_pop() - take a table from one of @pt's bounded caches
 * @pt: page table, whose &pvm_pt.spare_lock protects the caches
 * @head: the cache (&pvm_pt.spares or &pvm_pt.shadows of one kind)
 * @count: its length
 *
 * Return: the table, or NULL when the cache is empty.
 */
struct pvm_pt_table *pvm_pt_cache_pop(struct pvm_pt *pt,
				      struct pvm_pt_table **head, u32 *count)
{
	struct pvm_pt_table *t;

	spin_lock(&pt->spare_lock);
	t = *head;
	if (t) {
		*head = t->next;
		(*count)--;
	}
	spin_unlock(&pt->spare_lock);
	return t;
}

/**
 * pvm_pt_cache_push() - keep a table in one of @pt's bounded caches
 * @pt: page table
 * @head: the cache
 * @count: its length, at most %PVM_PT_SPARE_MAX
 * @t: table
 *
 * Return: true if kept, false when the cache is full.
 */
bool pvm_pt_cache_push(struct pvm_pt *pt, struct pvm_pt_table **head,
		       u32 *count, struct pvm_pt_table *t)
{
	bool kept = false;

	spin_lock(&pt->spare_lock);
	if (*count < PVM_PT_SPARE_MAX) {
		t->next = *head;
		*head = t;
		(*count)++;
		kept = true;
	}
	spin_unlock(&pt->spare_lock);
	return kept;
}

/*
 * The shadow of a freed table of this kind, or NULL: cleared but for its
 * children array, which pvm_pt_table_take() clears with the page.
 */
static struct pvm_pt_table *pt_shadow_get(struct pvm_pt *pt, bool dir)
{
	struct pvm_pt_table **children, *t;

	t = pvm_pt_cache_pop(pt, &pt->shadows[dir], &pt->nshadows[dir]);
	if (!t)
		return NULL;
	children = t->children;
	memset(t, 0, sizeof(*t));
	t->children = children;
	return t;
}

/* Keep the shadow of a freed table for the next one, or free it. */
static void pt_shadow_put(struct pvm_pt *pt, struct pvm_pt_table *t)
{
	bool dir = !!t->children;

	if (!pvm_pt_cache_push(pt, &pt->shadows[dir], &pt->nshadows[dir], t)) {
		kfree(t->children);
		kfree(t);
	}
}

static void pt_shadows_drain(struct pvm_pt *pt)
{
	struct pvm_pt_table *t;
	u32 dir;

	for (dir = 0; dir < 2; dir++) {
		while ((t = pt->shadows[dir])) {
			pt->shadows[dir] = t->next;
			kfree(t->children);
			kfree(t);
		}
		pt->nshadows[dir] = 0;
	}
}

/**
 * pvm_pt_table_alloc() - allocate a table page and its shadow
 * @pt: page table
 * @dir: give the shadow a children array (a table above level 3)
 *
 * The table is linked nowhere and has neither a level nor a reference yet.
 * Its page and children array are not cleared: pvm_pt_table_take() does
 * that when an op links it, so that a reserved table the op does not use
 * costs no clearing. May sleep.
 *
 * Return: the table, or NULL when out of memory or when the page's bus
 * address does not fit a descriptor.
 */
struct pvm_pt_table *pvm_pt_table_alloc(struct pvm_pt *pt, bool dir)
{
	struct pvm_pt_table *t;

	t = pt_shadow_get(pt, dir);
	if (!t) {
		t = kzalloc(sizeof(*t), GFP_KERNEL);
		if (!t)
			return NULL;
	}
	if (dir && !t->children) {
		t->children = kmalloc_array(PVM_PT_ENTRIES,
					    sizeof(*t->children), GFP_KERNEL);
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

/**
 * pvm_pt_table_free() - free a table page and its shadow
 * @pt: page table
 * @t: table from pvm_pt_table_alloc() that the GPU can no longer walk
 *
 * The page goes back through &pvm_pt_mem_ops.free_table; a few shadows
 * are kept for the next tables allocated.
 */
void pvm_pt_table_free(struct pvm_pt *pt, struct pvm_pt_table *t)
{
	pt->cfg.ops->free_table(pt->cfg.priv, t->desc, t->dma);
	pt_shadow_put(pt, t);
}

/**
 * pvm_pt_table_take() - take a fresh table from the reservation of a walk
 * @w: walk
 * @lvl: level of the table
 * @clear: clear its descriptors and children; false when the caller writes
 *	   every entry (and child) before the table is linked
 *
 * A cleared table is synced whole at the end of its visit.
 *
 * Return: the table, which starts with one reference, or NULL when the walk
 * has no reservation or none left for @lvl.
 */
struct pvm_pt_table *pvm_pt_table_take(struct pt_walk *w, u32 lvl, bool clear)
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
	if (clear) {
		memset(t->desc, 0, PT_TABLE_BYTES);
		if (t->children)
			memset(t->children, 0,
			       PVM_PT_ENTRIES * sizeof(*t->children));
		t->copied = true;
	}
	t->next = NULL;
	t->level = lvl;
	t->share = 1;
	w->pt->stats.tables++;
	return t;
}

/**
 * pvm_pt_table_get() - add references to a table
 * @pt: page table
 * @t: table
 * @refs: number of new parent entries pointing at @t
 */
void pvm_pt_table_get(struct pvm_pt *pt, struct pvm_pt_table *t, u32 refs)
{
	if (t->share == 1)
		pt->stats.shared_tables++;
	t->share += refs;
}

/**
 * pvm_pt_table_put() - drop one reference to a table
 * @pt: page table
 * @fl: free list that receives @t once unreferenced
 * @t: table
 *
 * An unreferenced table goes on @fl with its subtree, each child losing a
 * reference in turn. Nothing is freed here.
 */
void pvm_pt_table_put(struct pvm_pt *pt, struct pvm_pt_free_list *fl,
		      struct pvm_pt_table *t)
{
	u32 i;

	if (t->share > 1) {
		if (--t->share == 1)
			pt->stats.shared_tables--;
		return;
	}
	t->share = 0;
	/* An empty table has no child: its entries were cleared first. */
	if (t->children && t->used) {
		for (i = 0; i < PVM_PT_ENTRIES; i++) {
			if (t->children[i])
				pvm_pt_table_put(pt, fl, t->children[i]);
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

	t = pvm_pt_table_take(w, old->level, false);
	if (!t)
		return NULL;
	memcpy(t->desc, old->desc, PT_TABLE_BYTES);
	if (old->children) {
		memcpy(t->children, old->children,
		       PVM_PT_ENTRIES * sizeof(*t->children));
		for (i = 0; i < PVM_PT_ENTRIES; i++) {
			if (t->children[i])
				pvm_pt_table_get(w->pt, t->children[i], 1);
		}
	}
	t->used = old->used;
	t->bytes = old->bytes;
	t->copied = true;
	return t;
}

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
		c = pvm_pt_table_take(w, t->level + 1, true);
	else if (c->share > 1)
		c = pt_copy(w, c);
	if (!c) {
		w->fail_va = va;
		return -ENOSPC;
	}

	before = c->bytes;
	ret = pvm_pt_walk(w, c, va, end);
	t->bytes += c->bytes - before;

	if (c == old) {
		if (!c->used) {
			pt_write(t, idx, 0);
			t->children[idx] = NULL;
			t->used--;
			pvm_pt_table_put(pt, w->fl, c);
		}
		return ret;
	}

	if (!c->used) {
		/* Never linked: drop it, and the shared original if any. */
		pvm_pt_table_put(pt, w->fl, c);
		if (old) {
			pt_write(t, idx, 0);
			t->children[idx] = NULL;
			t->used--;
			pvm_pt_table_put(pt, w->fl, old);
		}
		return ret;
	}

	/* Publish the complete (and synced) table, then let go of @old. */
	dma_wmb();
	pt_write(t, idx, pt_table_desc(c));
	t->children[idx] = c;
	if (old)
		pvm_pt_table_put(pt, w->fl, old);
	else
		t->used++;
	return ret;
}

/**
 * pvm_pt_walk() - the range walker behind every update
 * @w: the op: its callbacks and state
 * @t: table to walk
 * @va: first byte
 * @end: one past the last byte; [@va, @end) lies within the span of @t
 *
 * Calls the op's callbacks for every entry of @t that [@va, @end) touches,
 * descending where they ask (a missing child is created, a shared one
 * copied, an emptied one unlinked), then syncs what was written in @t.
 *
 * Return: 0, or the first negative error of a callback, with
 * &pt_walk.fail_va set.
 */
int pvm_pt_walk(struct pt_walk *w, struct pvm_pt_table *t, u64 va, u64 end)
{
	u32 idx = pt_index(va, t->level);
	int ret = 0;

	if (t->level == PT_LEAF_LEVEL) {
		ret = w->ops->leaf(w, t, idx,
				   (end - va) >> PVM_PT_GRANULE_SHIFT, va);
	} else {
		u32 shift = PVM_PT_LEVEL_SHIFT(t->level);
		u64 mask = BIT_ULL(shift) - 1;

		while (va < end) {
			u64 next = min((va | mask) + 1, end);

			/* A run of fully covered entries, in one call. */
			if (w->ops->blocks && next - va == mask + 1) {
				u32 n = w->ops->blocks(w, t, idx,
						       (end - va) >> shift, va);

				if (n) {
					va += (u64)n << shift;
					idx += n;
					continue;
				}
			}
			ret = w->ops->entry(w, t, idx, va, next);
			if (ret == PT_DESCEND)
				ret = pt_descend(w, t, idx, va, next);
			if (ret < 0)
				break;
			va = next;
			idx++;
		}
	}
	pvm_pt_table_sync(w->pt, t);
	return ret;
}

/**
 * pvm_pt_check_va() - check the VA range of an op or a query
 * @pt: page table
 * @va: first byte
 * @size: length
 *
 * Return: 0; -EINVAL for an empty range or one not 4 KiB aligned; -ERANGE
 * for one that wraps or goes beyond va_bits.
 */
int pvm_pt_check_va(const struct pvm_pt *pt, u64 va, u64 size)
{
	if (!size || !IS_ALIGNED(va | size, SZ_4K))
		return -EINVAL;
	if (va + size < va || va + size > BIT_ULL(pt->cfg.va_bits))
		return -ERANGE;
	return 0;
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
	spin_lock_init(&pt->spare_lock);
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
	pt->root = pvm_pt_table_alloc(pt, true);
	if (!pt->root)
		return -ENOMEM;
	memset(pt->root->desc, 0, PT_TABLE_BYTES);
	memset(pt->root->children, 0,
	       PVM_PT_ENTRIES * sizeof(*pt->root->children));
	pt->root->copied = true;
	pvm_pt_table_sync(pt, pt->root);
	pt->root->level = pt->start_level;
	pt->root->share = 1;
	pt->stats.tables = 1;
	return 0;
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
	pvm_pt_table_put(pt, &fl, pt->root);
	pvm_pt_free_list_release(pt, &fl);
	pt->root = NULL;
	pvm_pt_spares_drain(pt);
	pt_shadows_drain(pt);
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
