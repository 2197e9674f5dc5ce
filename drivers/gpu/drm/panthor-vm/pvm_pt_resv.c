// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 *
 * Reservations (table pages allocated before an op, sized for its
 * worst case) and the free list of tables an op unlinked.
 */

#include <linux/align.h>
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/spinlock.h>
#include <linux/stddef.h>
#include <linux/types.h>

#include "pvm_pt.h"
#include "pvm_pt_priv.h"
#include "pvm_regs.h"

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
 * never allocate. pvm_pt_resv_release() gives back what was not used: a
 * few such tables (never linked, so still zero and out of the GPU's
 * reach) are kept as spares that the next reservation takes before it
 * allocates, so that a series of small ops, each reserving its worst case,
 * allocates about what it uses.
 *
 * Tables that an op unlinks are not freed: they go on the caller's
 * &struct pvm_pt_free_list, because the GPU may still walk them until its
 * TLB and walk caches are flushed. The caller releases the list with
 * pvm_pt_free_list_release() after that flush. Freed tables are never
 * reused within an op.
 */

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

	if (pvm_pt_check_va(pt, va, size))
		return 0;
	pt_count(pt, va, size, kind, cnt);
	for (lvl = 0; lvl < PVM_PT_MAX_LEVELS; lvl++)
		n += cnt[lvl];
	return n;
}

/* A spare table of a kind, or a new one. */
static struct pvm_pt_table *pt_spare_get(struct pvm_pt *pt, bool dir)
{
	struct pvm_pt_table *t;

	t = pvm_pt_cache_pop(pt, &pt->spares[dir], &pt->nspares[dir]);
	if (!t)
		return pvm_pt_table_alloc(pt, dir);
	t->next = NULL;
	return t;
}

/* An unused reserved table: kept as a spare, or freed. */
static void pt_spare_put(struct pvm_pt *pt, struct pvm_pt_table *t)
{
	bool dir = !!t->children;

	if (!pvm_pt_cache_push(pt, &pt->spares[dir], &pt->nspares[dir], t))
		pvm_pt_table_free(pt, t);
}

/**
 * pvm_pt_spares_drain() - free the spare tables
 * @pt: table
 */
void pvm_pt_spares_drain(struct pvm_pt *pt)
{
	struct pvm_pt_table *t;
	u32 dir;

	for (dir = 0; dir < 2; dir++) {
		while ((t = pt->spares[dir])) {
			pt->spares[dir] = t->next;
			pvm_pt_table_free(pt, t);
		}
		pt->nspares[dir] = 0;
	}
}

/**
 * pvm_pt_spare_pages() - unused reserved tables kept for reuse
 * @pt: table
 *
 * Return: the number of spare tables (at most 2 * %PVM_PT_SPARE_MAX).
 */
u32 pvm_pt_spare_pages(struct pvm_pt *pt)
{
	u32 n;

	spin_lock(&pt->spare_lock);
	n = pt->nspares[0] + pt->nspares[1];
	spin_unlock(&pt->spare_lock);
	return n;
}

/* Fill @resv with @cnt[lvl] tables per level: all of them or none. */
static int pt_resv_fill(struct pvm_pt *pt, struct pvm_pt_resv *resv,
			const u32 cnt[PVM_PT_MAX_LEVELS])
{
	u32 lvl, i, ndirs = 0, nleaves = 0;
	struct pvm_pt_table *t;

	for (lvl = 0; lvl < PVM_PT_MAX_LEVELS; lvl++) {
		bool dir = lvl != PT_LEAF_LEVEL;

		for (i = 0; i < cnt[lvl]; i++) {
			t = pt_spare_get(pt, dir);
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
		pt_spare_put(pt, t);
	}
	for (; nleaves; nleaves--) {
		t = resv->leaves;
		resv->leaves = t->next;
		resv->nleaves--;
		pt_spare_put(pt, t);
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

	/*
	 * One range: a chunk inside the op has a block exactly when the DMA
	 * address is as aligned as the VA, so only the edge chunks can need
	 * a table, or every chunk does.
	 */
	if (nranges == 1 && pt_block_ok(pt, PT_LEAF_LEVEL - 1)) {
		u64 chunks = (ALIGN(end, block) - ALIGN_DOWN(va, block)) >>
			     PVM_PT_LEVEL_SHIFT(PT_LEAF_LEVEL - 1);

		if (!IS_ALIGNED(cur - va, block))
			return chunks;
		if (chunks == 1)
			return !IS_ALIGNED(va, block) || !IS_ALIGNED(end, block);
		return !IS_ALIGNED(va, block) + !IS_ALIGNED(end, block);
	}

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

	ret = pvm_pt_check_va(pt, va, size);
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
	ret = pvm_pt_check_va(pt, va, size);
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
 * pvm_pt_resv_release() - give back what is left of a reservation
 * @pt: table the reservation was made for
 * @resv: reservation, empty afterwards
 *
 * Up to %PVM_PT_SPARE_MAX tables of each kind stay with @pt as spares for
 * the next reservation; the rest are freed.
 */
void pvm_pt_resv_release(struct pvm_pt *pt, struct pvm_pt_resv *resv)
{
	struct pvm_pt_table *t;

	while ((t = resv->dirs)) {
		resv->dirs = t->next;
		pt_spare_put(pt, t);
	}
	while ((t = resv->leaves)) {
		resv->leaves = t->next;
		pt_spare_put(pt, t);
	}
	resv->ndirs = 0;
	resv->nleaves = 0;
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
		pvm_pt_table_free(pt, t);
	}
	fl->count = 0;
}
