// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 *
 * Read-only views of the tree: lookups, iteration, counters and the
 * invariant check.
 */

#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/printk.h>
#include <linux/stddef.h>
#include <linux/types.h>

#include "pvm_pt.h"
#include "pvm_pt_priv.h"
#include "pvm_regs.h"

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

	ret = pvm_pt_check_va(pt, va, size);
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
