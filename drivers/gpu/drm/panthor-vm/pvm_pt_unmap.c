// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 *
 * Unmap: the walk callbacks that drop entries and tables, used by
 * pvm_pt_unmap() and to undo a failed map or repeat.
 */

#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/stddef.h>
#include <linux/types.h>

#include "pvm_pt.h"
#include "pvm_pt_priv.h"
#include "pvm_regs.h"

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
		pvm_pt_table_put(w->pt, w->fl, c);
	} else {
		t->bytes -= size;
	}
	return 0;
}

/*
 * Unmap, the fast path of pt_unmap_entry(): a run of fully covered entries
 * without child tables (blocks and holes) is cleared in one loop, or left
 * alone when it holds every present entry of a table about to be unlinked
 * (any but the root).
 */
static u32 pt_unmap_blocks(struct pt_walk *w, struct pvm_pt_table *t,
			   u32 idx, u32 n, u64 va)
{
	u32 shift = PVM_PT_LEVEL_SHIFT(t->level), run, i, present = 0;
	u64 *d = t->desc + idx;

	if (t->children[idx])
		return 0;
	for (run = 0; run < n && !t->children[idx + run]; run++)
		present += d[run] & PVM_PTE_VALID;
	if (!present)
		return run;

	if (present == t->used && t != w->pt->root) {
		t->used = 0;
		t->bytes = 0;
		return run;
	}
	for (i = 0; i < run; i++) {
		if (d[i] & PVM_PTE_VALID)
			WRITE_ONCE(d[i], 0);
	}
	pt_dirty(t, idx, idx + run);
	t->used -= present;
	t->bytes -= (u64)present << shift;
	return run;
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
	.blocks = pt_unmap_blocks,
};

/**
 * pvm_pt_undo() - remove what a failed map or repeat wrote
 * @pt: page table
 * @fl: free list for the tables this unlinks
 * @va: start of the failed op
 * @end: &pt_walk.fail_va of the failed op: it wrote [@va, @end)
 *
 * Unmaps [@va, @end), which takes no table from a reservation. Nothing is
 * done for an empty range.
 */
void pvm_pt_undo(struct pvm_pt *pt, struct pvm_pt_free_list *fl, u64 va,
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
	ret = pvm_pt_walk(&w, pt->root, va, end);
	WARN_ON(ret);
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

	ret = pvm_pt_check_va(pt, va, size);
	if (ret)
		return ret;
	/* No split on unmap: only the two ends can cut a block. */
	if (!pvm_pt_lookup(pt, va, &m) && m.va < va)
		return -EINVAL;
	if (!pvm_pt_lookup(pt, va + size - 1, &m) && m.va + m.size > va + size)
		return -EINVAL;
	return pvm_pt_walk(&w, pt->root, va, va + size);
}
