// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 *
 * Map and repeat: the walk callbacks that write leaves, and the entry
 * points that check their input and undo a failed op.
 */

#include <linux/align.h>
#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/sizes.h>
#include <linux/stddef.h>
#include <linux/types.h>
#include <asm/barrier.h>

#include "pvm_pt.h"
#include "pvm_pt_priv.h"
#include "pvm_regs.h"

/* No early exit: an OR of every entry costs a load and an OR each. */
static bool pt_any_present(const u64 *d, u32 n)
{
	u64 any = 0;
	u32 i;

	for (i = 0; i < n; i++)
		any |= d[i];
	return any & PVM_PTE_VALID;
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

/*
 * Map, the fast path of pt_map_entry(): a run of fully covered, empty
 * entries behind contiguous, aligned DMA becomes blocks in one loop.
 */
static u32 pt_map_blocks(struct pt_walk *w, struct pvm_pt_table *t, u32 idx,
			 u32 n, u64 va)
{
	u32 shift = PVM_PT_LEVEL_SHIFT(t->level), done = 0, run, i;
	u64 size = BIT_ULL(shift), *d = t->desc + idx;

	if (!pt_block_ok(w->pt, t->level))
		return 0;

	while (done < n && w->left >= size && IS_ALIGNED(w->cur, size)) {
		u64 desc = w->attrs | PVM_PTE_TYPE_BLOCK | (w->cur & PVM_PTE_ADDR);

		run = min_t(u64, n - done, w->left >> shift);
		for (i = 0; i < run && !(d[done + i] & PVM_PTE_VALID); i++)
			WRITE_ONCE(d[done + i], desc + ((u64)i << shift));
		if (!i)
			break;
		pt_dirty(t, idx + done, idx + done + i);
		t->used += i;
		t->bytes += (u64)i << shift;
		pt_src_advance(w, (u64)i << shift);
		done += i;
		/* A present entry: pt_map_entry() reports it. */
		if (i < run)
			break;
	}
	return done;
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
	.blocks = pt_map_blocks,
};

/* Repeat: leaf descriptor of entry @i of any full leaf table. */
static inline u64 pt_pat_desc(const struct pt_walk *w, u32 i)
{
	return w->attrs | PVM_PTE_TYPE_PAGE | w->pat[i & w->pat_mask];
}

/* Repeat: whether the full table of level @lvl holds leaves, not tables. */
static inline bool pt_pat_leaves(const struct pt_walk *w, u32 lvl)
{
	return lvl == PT_LEAF_LEVEL || (lvl == 2 && w->pat_block);
}

/* Repeat: leaf descriptor of entry @i of a full table of level @lvl. */
static inline u64 pt_pat_entry(const struct pt_walk *w, u32 lvl, u32 i)
{
	if (lvl == PT_LEAF_LEVEL)
		return pt_pat_desc(w, i);
	/* One 2 MiB block: every entry maps all of it. */
	return w->attrs | PVM_PTE_TYPE_BLOCK | w->pat[0];
}

/*
 * Repeat: whether @t holds exactly what the full table of its level for
 * this op's pattern holds. A leaf table covers 2 MiB and a pattern at most
 * 2 MiB, so every full leaf table of a pattern is the same; a table above
 * is full of one child that holds the pattern. Tags @t when it does.
 */
static bool pt_holds_pattern(const struct pt_walk *w, struct pvm_pt_table *t)
{
	struct pvm_pt_table *c;
	u32 i;

	if (t->used != PVM_PT_ENTRIES)
		return false;
	if (t == w->shared[t->level])
		return true;
	if (pt_pat_leaves(w, t->level)) {
		for (i = 0; i < PVM_PT_ENTRIES; i++) {
			if (t->desc[i] != pt_pat_entry(w, t->level, i))
				return false;
		}
	} else {
		c = t->children[0];
		if (!c)
			return false;
		/* A tagged table is full of one child. */
		for (i = 1; !t->pattern && i < PVM_PT_ENTRIES; i++) {
			if (t->children[i] != c)
				return false;
		}
		if (!pt_holds_pattern(w, c))
			return false;
	}
	t->pattern = true;
	return true;
}

/* Tagged children of a table that pt_find_shared() compares at most. */
#define PT_SHARED_TRIES		4

/*
 * Repeat: a child of @p, other than @skip, that holds the op's pattern;
 * it becomes the op's shared table of its level. Only @p's children
 * array is scanned (a table on the op's path), and only children tagged
 * as full of some pattern are compared, a few at most.
 */
static struct pvm_pt_table *pt_find_shared(struct pt_walk *w,
					   const struct pvm_pt_table *p,
					   const struct pvm_pt_table *skip)
{
	struct pvm_pt_table *s, *last = NULL;
	u32 i, tries = 0;

	for (i = 0; i < PVM_PT_ENTRIES && tries < PT_SHARED_TRIES; i++) {
		s = p->children[i];
		if (!s || s == skip || s == last || !s->pattern)
			continue;
		last = s;
		tries++;
		if (pt_holds_pattern(w, s)) {
			w->shared[s->level] = s;
			return s;
		}
	}
	return NULL;
}

/*
 * Repeat: the full table of level @lvl for this pattern, shared by every
 * fully covered entry of the op: one already in @p (the parent it goes
 * into, NULL for none) or one built once per op. Returns it with a new
 * reference.
 */
static struct pvm_pt_table *pt_shared(struct pt_walk *w,
				      const struct pvm_pt_table *p, u32 lvl)
{
	struct pvm_pt_table *t = w->shared[lvl], *child;
	u64 desc;
	u32 i;

	if (!t && p)
		t = pt_find_shared(w, p, NULL);
	if (t) {
		pvm_pt_table_get(w->pt, t, 1);
		return t;
	}
	t = pvm_pt_table_take(w, lvl, false);
	if (!t)
		return NULL;

	if (pt_pat_leaves(w, lvl)) {
		/* Blocks at level 2: no child behind any entry. */
		if (t->children)
			memset(t->children, 0,
			       PVM_PT_ENTRIES * sizeof(*t->children));
		for (i = 0; i < PVM_PT_ENTRIES; i++)
			WRITE_ONCE(t->desc[i], pt_pat_entry(w, lvl, i));
		t->bytes = pt_level_size(lvl - 1);
	} else {
		child = pt_shared(w, NULL, lvl + 1);
		if (!child) {
			pvm_pt_table_put(w->pt, w->fl, t);
			return NULL;
		}
		pvm_pt_table_get(w->pt, child, PVM_PT_ENTRIES - 1);
		desc = pt_table_desc(child);
		for (i = 0; i < PVM_PT_ENTRIES; i++) {
			WRITE_ONCE(t->desc[i], desc);
			t->children[i] = child;
		}
		t->bytes = child->bytes * PVM_PT_ENTRIES;
	}
	t->used = PVM_PT_ENTRIES;
	t->copied = true;
	t->pattern = true;
	pvm_pt_table_sync(w->pt, t);
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
			pt_write(t, idx, pt_pat_entry(w, 2, 0));
			t->used++;
			t->bytes += size;
			return 0;
		}
		c = pt_shared(w, t, t->level + 1);
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
		WRITE_ONCE(d[j], pt_pat_desc(w, phase + j));
	return 0;
}

static const struct pt_walk_ops pt_repeat_ops = {
	.entry = pt_repeat_entry,
	.leaf = pt_repeat_leaf,
};

/*
 * Repeat, after a successful walk: the tables on the path to @va (one of
 * the op's two ends, the only tables the op wrote into without covering
 * them) that now hold exactly the pattern are replaced by a table holding
 * the same, from the bottom up. The translations do not change, so the
 * GPU may walk either table; the replaced one goes on the free list, and
 * since its span contains @va, the flush that ends the op drops every
 * walk-cache entry that leads to it.
 */
static void pt_reshare_path(struct pt_walk *w, u64 va)
{
	struct pvm_pt_table *path[PVM_PT_MAX_LEVELS], *t = w->pt->root;
	struct pvm_pt_table *p, *c, *s;
	u32 idx[PVM_PT_MAX_LEVELS], n = 0, i, l;

	while (t->children) {
		i = pt_index(va, t->level);
		if (!t->children[i])
			break;
		path[n] = t;
		idx[n++] = i;
		t = t->children[i];
	}
	while (n--) {
		p = path[n];
		i = idx[n];
		c = p->children[i];
		if (c->share > 1)
			continue;
		if (!pt_holds_pattern(w, c))
			return;
		s = w->shared[c->level];
		/* Built by this op, after it found none in @p: the only one. */
		if (s == c)
			return;
		if (!s)
			s = pt_find_shared(w, p, c);
		if (!s) {
			/* The only one: the other end may share it. */
			w->shared[c->level] = c;
			return;
		}
		pvm_pt_table_get(w->pt, s, 1);
		pt_write(p, i, pt_table_desc(s));
		p->children[i] = s;
		pvm_pt_table_put(w->pt, w->fl, c);
		pvm_pt_table_sync(w->pt, p);
		/* @c may have held the last references to the op's own. */
		for (l = c->level + 1; l < PVM_PT_MAX_LEVELS; l++)
			w->shared[l] = NULL;
	}
}

static int pt_check_oa(const struct pvm_pt *pt, dma_addr_t dma, u64 size)
{
	if (!size || !IS_ALIGNED(dma | size, SZ_4K))
		return -EINVAL;
	if (dma + size < dma || dma + size > BIT_ULL(pt->cfg.pa_bits))
		return -ERANGE;
	return 0;
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
	ret = pvm_pt_check_va(pt, va, size);
	if (ret)
		return ret;

	w.attrs = pt_attrs(pt, flags);
	w.cur = ranges[0].dma;
	w.left = ranges[0].size;
	ret = pvm_pt_walk(&w, pt->root, va, va + size);
	if (ret)
		pvm_pt_undo(pt, fl, va, w.fail_va);
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
	ret = pvm_pt_check_va(pt, va, size);
	if (ret)
		return ret;

	w.pat_block = contig && npages == PVM_PT_REPEAT_MAX_PAGES &&
		      IS_ALIGNED(pages[0], SZ_2M) && pt_block_ok(pt, 2);
	w.attrs = pt_attrs(pt, flags);
	ret = pvm_pt_walk(&w, pt->root, va, va + size);
	if (ret) {
		pvm_pt_undo(pt, fl, va, w.fail_va);
		return ret;
	}
	pt_reshare_path(&w, va);
	pt_reshare_path(&w, va + size - 1);
	return 0;
}
