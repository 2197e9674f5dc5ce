// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 *
 * Differential fuzzer: random map / repeat / unmap sequences are applied to
 * pvm_pt and to a flat model of a 4 GiB VA window (one entry per 4 KiB
 * page). After every op the return code, every translation of the touched
 * range (through pvm_pt_lookup() and through a hardware-style walk of the
 * device view of the tables), the tree invariants and the reservation and
 * page accounting are compared; at the end of each input the whole window
 * is compared through pvm_pt_for_each().
 */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "pvm_regs.h"

#define NP		(1u << 20)	/* model pages: a 4 GiB window */
#define MAX_OPS		48
#define CHECK_ALL	4096		/* per-page checks up to this size */

/* Model entry: 0 = unmapped, else dma | flags << 1 | 1. */
static u64 *model;
static u8 *model_lsz;
static u64 model_mapped;
static u32 model_lo = 0, model_hi = NP;
static u64 win_base;

struct src {
	const u8 *p;
	size_t n;
};

static u32 take(struct src *s, u32 bytes)
{
	u32 v = 0;

	while (bytes--) {
		v <<= 8;
		if (s->n) {
			v |= *s->p++;
			s->n--;
		}
	}
	return v;
}

static void fail(const char *what, u64 va, u64 a, u64 b)
{
	fprintf(stderr, "MISMATCH %s at va %#llx: %#llx vs %#llx\n", what, va,
		a, b);
	abort();
}

static u64 ent_dma(u64 e)
{
	return e & PVM_PTE_ADDR;
}

static u32 ent_flags(u64 e)
{
	return (e >> 1) & 7;
}

static void check_page(struct h_mem *m, struct pvm_pt *pt, u32 pg)
{
	u64 va = win_base + ((u64)pg << 12), e = model[pg], out, lsz;
	struct pvm_pt_mapping map;
	int ret;

	ret = pvm_pt_lookup(pt, va, &map);
	if (!e) {
		if (ret != -ENOENT)
			fail("lookup of a hole", va, ret, 0);
		if (h_walk(m, pt, va, &out, NULL, NULL) != -ENOENT)
			fail("walk of a hole", va, 1, 0);
		return;
	}
	if (ret)
		fail("lookup", va, ret, e);
	if (map.dma + (va - map.va) != ent_dma(e))
		fail("lookup dma", va, map.dma + (va - map.va), ent_dma(e));
	if (map.flags != ent_flags(e))
		fail("lookup flags", va, map.flags, ent_flags(e));
	if (map.leaf_size_log2 != model_lsz[pg])
		fail("leaf size", va, map.leaf_size_log2, model_lsz[pg]);
	ret = h_walk(m, pt, va, &out, &lsz, NULL);
	if (ret || out != ent_dma(e))
		fail("hardware walk", va, ret ? (u64)ret : out, ent_dma(e));
	if (lsz != 1ULL << model_lsz[pg])
		fail("hardware leaf size", va, lsz, 1ULL << model_lsz[pg]);
}

static void check_range(struct h_mem *m, struct pvm_pt *pt, u32 first, u32 n)
{
	u32 i, lo = first >= 4 ? first - 4 : 0;
	u32 hi = first + n + 4 < NP ? first + n + 4 : NP;

	if (hi - lo <= CHECK_ALL) {
		for (i = lo; i < hi; i++)
			check_page(m, pt, i);
		return;
	}
	for (i = 0; i < 8; i++) {
		check_page(m, pt, lo + i);
		check_page(m, pt, hi - 1 - i);
	}
	for (i = 0; i < CHECK_ALL; i++)
		check_page(m, pt, lo + (u32)(((u64)rand() << 15 ^ rand()) % (hi - lo)));
}

struct iter_state {
	u64 pages;
};

static int iter_cb(void *priv, const struct pvm_pt_mapping *mp)
{
	struct iter_state *st = priv;
	u64 off;

	for (off = 0; off < mp->size; off += 4096) {
		u32 pg = (mp->va + off - win_base) >> 12;
		u64 e = model[pg];

		if (!e || ent_dma(e) != mp->dma + off ||
		    ent_flags(e) != mp->flags ||
		    model_lsz[pg] != mp->leaf_size_log2)
			fail("iterator", mp->va + off, mp->dma + off, e);
	}
	st->pages += mp->size >> 12;
	return 0;
}

static void check_all(struct pvm_pt *pt)
{
	struct iter_state st = {};
	struct pvm_pt_stats stats;

	if (pvm_pt_for_each(pt, win_base, (u64)NP << 12, iter_cb, &st))
		fail("for_each", win_base, 1, 0);
	if (st.pages != model_mapped)
		fail("mapped pages", win_base, st.pages, model_mapped);
	pvm_pt_get_stats(pt, &stats);
	if (stats.bytes_mapped != model_mapped << 12)
		fail("bytes_mapped", win_base, stats.bytes_mapped,
		     model_mapped << 12);
}

static bool any_mapped(u32 first, u32 n)
{
	u32 i;

	for (i = first; i < first + n; i++)
		if (model[i])
			return true;
	return false;
}

static void model_set(u32 pg, u64 dma, u32 flags, u8 lsz)
{
	if (!model[pg])
		model_mapped++;
	if (pg < model_lo)
		model_lo = pg;
	if (pg >= model_hi)
		model_hi = pg + 1;
	model[pg] = dma | (u64)flags << 1 | 1;
	model_lsz[pg] = lsz;
}

static bool block_ok(u64 bitmap, u64 size)
{
	return bitmap & size;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static const u32 vabits[] = { 48, 39, 32, 48 };
	struct src s = { data, size };
	struct pvm_pt_free_list fl = {};
	struct pvm_pt_stats stats;
	struct pvm_pt pt;
	struct h_mem m;
	u32 cfg, nops, va_bits, last_npat = 0, last_flags = 0;
	u32 last_first = 0, last_n = 0;
	u64 bitmap, last_dma = 0;
	bool last_contig = false;

	if (size < 1)
		return 0;
	if (!model) {
		model = calloc(NP, sizeof(*model));
		model_lsz = calloc(NP, 1);
		if (!model || !model_lsz)
			abort();
	}
	if (model_lo < model_hi) {
		memset(model + model_lo, 0, (model_hi - model_lo) * sizeof(*model));
		memset(model_lsz + model_lo, 0, model_hi - model_lo);
	}
	model_lo = NP;
	model_hi = 0;
	model_mapped = 0;

	cfg = take(&s, 1);
	va_bits = vabits[cfg & 3];
	bitmap = SZ_4K | ((cfg & 8) ? SZ_1G : 0) | ((cfg & 16) ? 0 : SZ_2M);
	/* The window straddles a boundary of the top level. */
	win_base = va_bits == 32 ? 0 : (1ULL << (va_bits == 48 ? 39 : 38)) - (2ULL << 30);
	srand(size);
	h_mem_init(&m, cfg & 4);
	if (h_pt_init(&pt, &m, va_bits, bitmap))
		abort();

	for (nops = 0; nops < MAX_OPS && s.n >= 8; nops++) {
		u32 op = take(&s, 1), pos = take(&s, 3), al = take(&s, 1);
		u32 szc = take(&s, 1), dsel = take(&s, 2);
		u32 kind = op % 5, flags = (op >> 3) & 7, first, n, i;
		struct pvm_pt_resv resv = {};
		struct pvm_pt_range r[3];
		dma_addr_t pat[512];
		u64 va, need, before, dma;
		int ret, expect;
		u32 nr = 1, npat;

		/* Start page and length, biased towards block boundaries. */
		first = pos % NP;
		if ((al & 3) == 1)
			first &= ~511u;
		else if ((al & 3) == 2)
			first &= ~((1u << 18) - 1);
		else if ((al & 3) == 3)
			first = (first & ~511u) - (al >> 2 & 15);
		first %= NP;
		switch (szc & 15) {
		case 0 ... 6:
			n = 1 + (szc >> 4);
			break;
		case 7 ... 9:
			n = 1 + (dsel & 1023);
			break;
		case 10 ... 11:
			n = 512 * (1 + (szc >> 5));
			break;
		case 12:
			/* 1 GiB and more: rare, they are slow to check. */
			n = (szc >> 4) < 2 ? 1u << 18 : 512 * (szc >> 4);
			break;
		case 13:
			n = (szc >> 4) < 2 ? (1u << 18) + 512 * (szc >> 4) + (dsel & 7) :
			    512 * (szc >> 4) + (dsel & 7);
			break;
		default:
			n = 1 + ((u32)dsel << 2);
			break;
		}
		if (first + n > NP)
			n = NP - first;
		/* Some repeats refill the last unmapped range. */
		if (kind == 2 && last_n && (dsel >> 14) == 2) {
			first = last_first;
			n = last_n;
		}
		if (!n)
			continue;
		va = win_base + ((u64)first << 12);

		if (kind == 4 && (cfg & 32)) {
			/* Allocation failure: the reservation fails cleanly. */
			m.fail_at = m.allocs + 1 + (al >> 4);
			ret = pvm_pt_resv_add(&pt, &resv, va, (u64)n << 12,
					      PVM_PT_OP_MAP);
			m.fail_at = 0;
			if (ret && (ret != -ENOMEM || pvm_pt_resv_pages(&resv)))
				fail("failed reservation", va, ret, 0);
			pvm_pt_resv_release(&pt, &resv);
			continue;
		}

		pvm_pt_get_stats(&pt, &stats);
		before = stats.tables;
		need = pvm_pt_op_pages(&pt, va, (u64)n << 12,
				       kind <= 1 ? PVM_PT_OP_MAP :
				       kind == 2 ? PVM_PT_OP_REPEAT :
				       PVM_PT_OP_UNMAP);
		if (need > 4096)
			continue;
		if (kind <= 1) {
			/* Map 1 to 3 DMA runs, 2M aligned or not. */
			u32 left = n, cut;

			dma = ((u64)dsel << 21) + ((op & 0x80) ? (al >> 4) << 12 : 0);
			nr = 1 + (al >> 6) % 3;
			for (i = 0; i < nr; i++) {
				cut = i == nr - 1 || left < 2 ? left : left / 2;
				r[i].dma = dma + ((u64)i << 32);
				r[i].size = (u64)cut << 12;
				left -= cut;
				if (!left) {
					nr = i + 1;
					break;
				}
			}
			/*
			 * Half the maps reserve knowing the DMA layout: never
			 * more than the range-only worst case, always enough.
			 */
			if (al & 1) {
				if (pvm_pt_resv_add_map(&pt, &resv, va, r, nr))
					fail("map reservation", va, need, 0);
				if (pvm_pt_resv_pages(&resv) > need)
					fail("map reservation above worst case", va,
					     pvm_pt_resv_pages(&resv), need);
			} else if (pvm_pt_resv_add(&pt, &resv, va, (u64)n << 12,
						   PVM_PT_OP_MAP)) {
				fail("reservation", va, need, 0);
			}
		} else if (pvm_pt_resv_add(&pt, &resv, va, (u64)n << 12,
					   kind == 2 ? PVM_PT_OP_REPEAT :
					   PVM_PT_OP_UNMAP)) {
			fail("reservation", va, need, 0);
		}

		if (kind <= 1) {
			expect = any_mapped(first, n) ? -EEXIST : 0;
			ret = pvm_pt_map(&pt, &resv, &fl, va, r, nr, flags);
			if (ret != expect)
				fail("map return", va, ret, expect);
			if (!ret) {
				u32 pg = first, ri;

				for (ri = 0; ri < nr; ri++) {
					u64 off = 0, rs = r[ri].size;

					while (off < rs) {
						u64 v = win_base + ((u64)pg << 12);
						u64 d = r[ri].dma + off, bs = 4096;
						u8 l = 12;

						if (block_ok(bitmap, SZ_1G) && !(v & (SZ_1G - 1)) &&
						    !(d & (SZ_1G - 1)) && rs - off >= SZ_1G) {
							bs = SZ_1G;
							l = 30;
						} else if (block_ok(bitmap, SZ_2M) &&
							   !(v & (SZ_2M - 1)) &&
							   !(d & (SZ_2M - 1)) &&
							   rs - off >= SZ_2M) {
							bs = SZ_2M;
							l = 21;
						}
						for (i = 0; i < bs >> 12; i++)
							model_set(pg + i, d + ((u64)i << 12), flags, l);
						pg += bs >> 12;
						off += bs;
					}
				}
			}
		} else if (kind == 2) {
			bool contig = !(op & 0x80);

			npat = 1u << (al % 10);
			dma = (u64)dsel << 21;
			/*
			 * Half the repeats reuse the last pattern (a quarter
			 * over the last hole), so that holes punched into a
			 * repeat are filled with its own pattern again and
			 * tables get shared again.
			 */
			if (last_npat && (dsel >> 14) >= 2) {
				npat = last_npat;
				dma = last_dma;
				contig = last_contig;
				flags = last_flags;
			}
			last_npat = npat;
			last_dma = dma;
			last_contig = contig;
			last_flags = flags;
			for (i = 0; i < npat; i++)
				pat[i] = contig ? dma + ((u64)i << 12) :
					 dma + ((u64)((i * 7) % npat) << 12) + ((u64)i << 30);
			expect = any_mapped(first, n) ? -EEXIST : 0;
			ret = pvm_pt_repeat(&pt, &resv, &fl, va, (u64)n << 12, pat,
					    npat, flags);
			if (ret != expect)
				fail("repeat return", va, ret, expect);
			if (!ret) {
				bool blk = npat == 512 && block_ok(bitmap, SZ_2M) &&
					   contig && !(dma & (SZ_2M - 1));

				for (i = 0; i < n; i++) {
					u64 v = va + ((u64)i << 12);
					u64 b = v & ~(u64)(SZ_2M - 1);
					bool in_blk = blk && b >= va &&
						      b + SZ_2M <= va + ((u64)n << 12);

					model_set(first + i, pat[(v >> 12) & (npat - 1)],
						  flags, in_blk ? 21 : 12);
				}
			}
		} else {
			u32 last = first + n - 1;

			expect = 0;
			if (model[first] && model_lsz[first] > 12 &&
			    ((win_base + ((u64)first << 12)) & ((1ULL << model_lsz[first]) - 1)))
				expect = -EINVAL;
			if (model[last] && model_lsz[last] > 12 &&
			    ((win_base + ((u64)last << 12) + 4096) & ((1ULL << model_lsz[last]) - 1)))
				expect = -EINVAL;
			ret = pvm_pt_unmap(&pt, &resv, &fl, va, (u64)n << 12);
			if (ret != expect)
				fail("unmap return", va, ret, expect);
			if (!ret) {
				last_first = first;
				last_n = n;
				for (i = first; i <= last; i++) {
					if (model[i])
						model_mapped--;
					model[i] = 0;
				}
			}
		}

		/* Accounting: the op stayed within its reservation. */
		pvm_pt_get_stats(&pt, &stats);
		if (need - pvm_pt_resv_pages(&resv) > need)
			fail("reservation underflow", va, need, 0);
		if (stats.tables > before + need)
			fail("tables beyond reservation", va, stats.tables,
			     before + need);
		if (pvm_pt_check(&pt))
			fail("invariants", va, 0, 0);
		pvm_pt_resv_release(&pt, &resv);
		/* "TLB flush", then the unlinked tables may go. */
		pvm_pt_free_list_release(&pt, &fl);
		if (m.live != stats.tables + pvm_pt_spare_pages(&pt))
			fail("live table pages", va, m.live,
			     stats.tables + pvm_pt_spare_pages(&pt));
		check_range(&m, &pt, first, n);
	}
	check_all(&pt);
	pvm_pt_fini(&pt);
	if (m.live)
		fail("pages after fini", 0, m.live, 0);
	h_mem_fini(&m);
	if (pvm_shim_warnings)
		abort();
	return 0;
}
