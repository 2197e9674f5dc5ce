// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/delay.h>
#include <linux/hash.h>
#include <linux/kthread.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "pvm_sim_priv.h"

/**
 * DOC: Software GPU address translation
 *
 * A GPU access to a VA of an AS goes through, in order:
 *
 * 1. the address mode: ADRMODE_UNMAPPED (and any mode the model does not
 *    implement) terminates the access, ADRMODE_IDENTITY uses the VA as the
 *    bus address;
 * 2. the lock region: an access whose VA is inside the AS's active lock
 *    region stalls (sleeps) until a command releases the lock, then is
 *    replayed from step 1;
 * 3. the TLB, then on a miss the walker, which starts below the root if the
 *    walk cache holds a table descriptor for the VA;
 * 4. the permission and memory-attribute checks;
 * 5. the bus (pvm_sim_smmu.c): system MMU, then memory.
 *
 * The walker implements AArch64 stage-1, 4 KiB granule: the input size is
 * 55 - TRANSCFG.INA_BITS (or the VA size when INA_BITS is 0), which also
 * selects the start level; table, block (levels 1 and 2) and page
 * descriptors; output-address size checks against the PA size for every
 * table and leaf address; the access flag (unless DISABLE_AF_FAULT);
 * APTable/XNTable (unless DISABLE_HIER_AP); AP[1] (no access when clear),
 * AP[2] (read only), XN and WXN; and MEMATTR type 3. The GPU is an
 * unprivileged agent, so PXN and PXNTable do not apply to it. SH, NS, nG,
 * DBM, Contiguous, the software bits and PBHA are ignored.
 *
 * Fault priority: address size (input), bus error on a descriptor fetch,
 * translation, address size (output), access flag, permission, memory
 * attribute. A fault is reported with the level of the descriptor that
 * caused it and terminates the access (the model does not keep faulting
 * transactions stalled for a later replay).
 *
 * TLB and walk cache: successful walks leave a leaf entry (TLB) and one
 * entry per table descriptor used (walk cache). Entries stay, even when
 * the page table changes, until UPDATE drops all of the AS's entries or
 * UNLOCK / FLUSH_PT / FLUSH_MEM drop those overlapping the LOCKADDR region.
 * With &pvm_sim_config.tlb_entries not zero the least recently used entry
 * is evicted when full; with 0 nothing is ever evicted, so a missing
 * invalidation is always observed. With &pvm_sim_config.check_stale every
 * translation that used a cached entry is compared with a fresh walk that
 * bypasses the caches, and differences are counted as stale translations.
 */

/* SOURCE_ID the software GPU reports in AS_FAULTSTATUS. */
#define PVM_SIM_SOURCE_ID	0

static unsigned int pvm_sim_level_shift(u32 level)
{
	return PVM_PT_LEVEL_SHIFT(level);
}

static u64 pvm_sim_level_mask(u32 level)
{
	return BIT_ULL(pvm_sim_level_shift(level)) - 1;
}

/**
 * pvm_sim_tlb_init() - allocate the TLB of an AS
 * @as: AS slot
 *
 * Return: 0 or -ENOMEM.
 */
int pvm_sim_tlb_init(struct pvm_sim_as *as)
{
	INIT_LIST_HEAD(&as->tlb_lru);
	as->tlb_hash = kcalloc(1 << PVM_SIM_TLB_HASH_BITS,
			       sizeof(*as->tlb_hash), GFP_KERNEL);
	return as->tlb_hash ? 0 : -ENOMEM;
}

static void pvm_sim_tlb_remove(struct pvm_sim_as *as,
			       struct pvm_sim_tlb_entry *e)
{
	hlist_del(&e->hnode);
	list_del(&e->lru);
	as->tlb_count--;
	kfree(e);
}

/**
 * pvm_sim_tlb_drop_all() - forget every cached translation of an AS
 * @as: AS slot
 */
void pvm_sim_tlb_drop_all(struct pvm_sim_as *as)
{
	struct pvm_sim_tlb_entry *e, *tmp;

	list_for_each_entry_safe(e, tmp, &as->tlb_lru, lru)
		pvm_sim_tlb_remove(as, e);
}

/**
 * pvm_sim_tlb_fini() - free the TLB of an AS
 * @as: AS slot
 */
void pvm_sim_tlb_fini(struct pvm_sim_as *as)
{
	if (!as->tlb_hash)
		return;
	pvm_sim_tlb_drop_all(as);
	kfree(as->tlb_hash);
	as->tlb_hash = NULL;
}

/* First bus address an entry makes the GPU reach, and how many bytes. */
static u64 pvm_sim_tlb_entry_target(const struct pvm_sim_tlb_entry *e,
				    u64 *len)
{
	*len = e->leaf ? BIT_ULL(pvm_sim_level_shift(e->level)) : SZ_4K;
	return e->desc & PVM_PTE_ADDR & ~(*len - 1);
}

/**
 * pvm_sim_mmu_check_unreachable() - a bus range leaving the system MMU must
 * be out of the GPU's reach
 * @sim: software GPU
 * @start: first bus address
 * @size: bytes
 *
 * Memory the driver unmaps for the GPU (page-table pages it frees, BO
 * pages it unpins) must no longer be reachable: not a live AS's root
 * table, not the table or the page of a TLB or walk-cache entry. Hardware
 * would walk or access it later, after the memory went back to the
 * system; here each such entry is a driver error (a table freed or a BO
 * unpinned before the flush that ends its op).
 */
void pvm_sim_mmu_check_unreachable(struct pvm_sim *sim, u64 start, u64 size)
{
	u64 last = start + size - 1;
	unsigned long flags;
	u32 i;

	spin_lock_irqsave(&sim->lock, flags);
	for (i = 0; i < sim->cfg.as_count; i++) {
		struct pvm_sim_as *as = &sim->as[i];
		struct pvm_sim_tlb_entry *e;
		u64 root = as->live_transtab & PVM_PTE_ADDR;

		if (FIELD_GET(AS_TRANSCFG_ADRMODE, as->live_transcfg) ==
		    AS_TRANSCFG_ADRMODE_AARCH64_4K &&
		    root <= last && start <= root + SZ_4K - 1)
			pvm_sim_driver_error(sim, "AS%u: root table %#llx unmapped in use",
					     i, root);

		list_for_each_entry(e, &as->tlb_lru, lru) {
			u64 len, to = pvm_sim_tlb_entry_target(e, &len);

			if (to > last || start > to + len - 1)
				continue;
			pvm_sim_driver_error(sim, "AS%u: %#llx unmapped, cached (VA %#llx L%u %s)",
					     i, to, e->va, e->level,
					     e->leaf ? "TLB" : "walk cache");
			break;
		}
	}
	spin_unlock_irqrestore(&sim->lock, flags);
}

/**
 * pvm_sim_tlb_invalidate() - forget cached translations of a VA range
 * @as: AS slot
 * @r: the range (decoded LOCKADDR)
 * @skip_levels: bit L set keeps entries read from level-L tables
 *
 * Every TLB and walk-cache entry whose VA span overlaps @r is dropped.
 */
void pvm_sim_tlb_invalidate(struct pvm_sim_as *as,
			    const struct pvm_sim_region *r, u32 skip_levels)
{
	struct pvm_sim_tlb_entry *e, *tmp;

	list_for_each_entry_safe(e, tmp, &as->tlb_lru, lru) {
		u64 last = e->va + pvm_sim_level_mask(e->level);

		if (skip_levels & BIT(e->level))
			continue;
		if (e->va <= r->last && r->start <= last)
			pvm_sim_tlb_remove(as, e);
	}
}

static u32 pvm_sim_tlb_bucket(u64 va, u32 level, bool leaf)
{
	return hash_64(va | ((u64)level << 1) | leaf, PVM_SIM_TLB_HASH_BITS);
}

static struct pvm_sim_tlb_entry *
pvm_sim_tlb_find(struct pvm_sim_as *as, u64 va, u32 level, bool leaf)
{
	struct pvm_sim_tlb_entry *e;
	u64 base = va & ~pvm_sim_level_mask(level);

	hlist_for_each_entry(e, &as->tlb_hash[pvm_sim_tlb_bucket(base, level, leaf)],
			     hnode) {
		if (e->va == base && e->level == level && e->leaf == leaf) {
			list_move(&e->lru, &as->tlb_lru);
			return e;
		}
	}
	return NULL;
}

static void pvm_sim_tlb_insert(struct pvm_sim *sim, struct pvm_sim_as *as,
			       u64 va, u32 level, bool leaf, u64 desc, u64 hier)
{
	struct pvm_sim_tlb_entry *e;
	u64 base = va & ~pvm_sim_level_mask(level);

	e = pvm_sim_tlb_find(as, va, level, leaf);
	if (e) {
		e->desc = desc;
		e->hier = hier;
		return;
	}

	if (sim->cfg.tlb_entries && as->tlb_count >= sim->cfg.tlb_entries) {
		pvm_sim_tlb_remove(as, list_last_entry(&as->tlb_lru,
						       struct pvm_sim_tlb_entry,
						       lru));
		pvm_sim_count(sim, PVM_SIM_STAT_TLB_EVICTIONS);
	}

	/* A cache that cannot grow just does not cache. */
	e = kmalloc(sizeof(*e), GFP_ATOMIC | __GFP_NOWARN);
	if (!e)
		return;

	e->va = base;
	e->level = level;
	e->leaf = leaf;
	e->desc = desc;
	e->hier = hier;
	hlist_add_head(&e->hnode,
		       &as->tlb_hash[pvm_sim_tlb_bucket(base, level, leaf)]);
	list_add(&e->lru, &as->tlb_lru);
	as->tlb_count++;
}

/**
 * struct pvm_sim_xlat - result of a translation
 */
struct pvm_sim_xlat {
	/** @desc: leaf descriptor */
	u64 desc;
	/** @hier: hierarchical attributes of the tables above it */
	u64 hier;
	/** @out: bus address of the VA */
	u64 out;
	/** @level: level of the leaf */
	u32 level;
};

static u32 pvm_sim_ias(struct pvm_sim *sim, u64 transcfg)
{
	u32 ina = FIELD_GET(AS_TRANSCFG_INA_BITS, transcfg);
	u32 ias = sim->va_bits;

	/* Like T0SZ: the input size is 55 - INA_BITS, 0 means "VA size". */
	if (ina)
		ias = ina < 30 ? 55 - ina : 25;
	return clamp(ias, 25U, sim->va_bits);
}

static u32 pvm_sim_start_level(u32 ias)
{
	return 4 - DIV_ROUND_UP(ias - PVM_PT_GRANULE_SHIFT,
				PVM_PT_BITS_PER_LEVEL);
}

/**
 * pvm_sim_start_level_of() - level of the root table of a TRANSCFG
 * @sim: software GPU
 * @transcfg: AS_TRANSCFG value
 *
 * Return: the level the walker starts at.
 */
u32 pvm_sim_start_level_of(struct pvm_sim *sim, u64 transcfg)
{
	return pvm_sim_start_level(pvm_sim_ias(sim, transcfg));
}

static void pvm_sim_xlat_leaf(struct pvm_sim_xlat *x, u64 va, u64 desc,
			      u64 hier, u32 level)
{
	u64 mask = pvm_sim_level_mask(level);

	x->desc = desc;
	x->hier = hier;
	x->level = level;
	x->out = (desc & PVM_PTE_ADDR & ~mask) | (va & mask);
}

/*
 * Walk the live page table of @as for @va. With @cached, the walk may start
 * from the walk cache, fills the TLB and walk cache and updates counters;
 * without, it is a side-effect free reference walk.
 *
 * Returns 0 or the MMU exception code. Called with sim->lock held.
 */
static u32 pvm_sim_walk(struct pvm_sim *sim, struct pvm_sim_as *as, u64 va,
			bool cached, struct pvm_sim_xlat *x, bool *used_cache)
{
	u64 transcfg = as->live_transcfg;
	u32 ias = pvm_sim_ias(sim, transcfg);
	u32 start = pvm_sim_start_level(ias);
	u64 table = as->live_transtab & AS_TRANSTAB_ADDR;
	u32 level = start;
	u64 hier = 0;
	int l;

	if (cached) {
		pvm_sim_count(sim, PVM_SIM_STAT_WALKS);
		for (l = PVM_PT_MAX_LEVELS - 2; l >= (int)start; l--) {
			struct pvm_sim_tlb_entry *e;

			e = pvm_sim_tlb_find(as, va, l, false);
			if (!e)
				continue;
			table = e->desc & PVM_PTE_ADDR;
			hier = e->hier;
			level = l + 1;
			*used_cache = true;
			pvm_sim_count(sim, PVM_SIM_STAT_WALK_CACHE_HITS);
			break;
		}
	}

	if (level == start && table >> sim->pa_bits)
		return MMU_EXC(MMU_EXC_ADDR_SIZE_OUT, start);

	for (;; level++) {
		unsigned int shift = pvm_sim_level_shift(level);
		u64 idx = va >> shift;
		u64 desc, next;
		u32 type;

		if (level != start)
			idx &= PVM_PT_ENTRIES - 1;

		if (pvm_sim_bus_read64(sim, table + idx * sizeof(u64), true,
				       &desc)) {
			if (cached) {
				pvm_sim_count(sim, PVM_SIM_STAT_BUS_FAULTS);
				if (sim->cfg.smmu)
					pvm_sim_count(sim, PVM_SIM_STAT_SMMU_FAULTS);
			}
			return MMU_EXC(MMU_EXC_TRANSTAB_BUS, level);
		}

		if (!(desc & PVM_PTE_VALID))
			return MMU_EXC(MMU_EXC_TRANSLATION, level);

		type = desc & PVM_PTE_TYPE_MASK;
		if (level < PVM_PT_MAX_LEVELS - 1 && type == PVM_PTE_TYPE_TABLE) {
			next = desc & PVM_PTE_ADDR;
			if (next >> sim->pa_bits)
				return MMU_EXC(MMU_EXC_ADDR_SIZE_OUT, level);
			if (!(transcfg & AS_TRANSCFG_DISABLE_HIER_AP))
				hier |= desc & PVM_PTE_TABLE_HIER;
			if (cached)
				pvm_sim_tlb_insert(sim, as, va, level, false,
						   desc, hier);
			table = next;
			continue;
		}

		/* Blocks exist at levels 1 and 2, pages (0b11) at level 3. */
		if (level == 0 ||
		    (level == PVM_PT_MAX_LEVELS - 1 && type != PVM_PTE_TYPE_PAGE))
			return MMU_EXC(MMU_EXC_TRANSLATION, level);

		if ((desc & PVM_PTE_ADDR) >> sim->pa_bits)
			return MMU_EXC(MMU_EXC_ADDR_SIZE_OUT, level);

		if (!(desc & PVM_PTE_AF) &&
		    !(transcfg & AS_TRANSCFG_DISABLE_AF_FAULT))
			return MMU_EXC(MMU_EXC_ACCESS_FLAG, level);

		pvm_sim_xlat_leaf(x, va, desc, hier, level);
		if (cached)
			pvm_sim_tlb_insert(sim, as, va, level, true, desc, hier);
		return 0;
	}
}

/* Translate through the TLB, then the walker. Called with sim->lock held. */
static u32 pvm_sim_translate(struct pvm_sim *sim, struct pvm_sim_as *as,
			     u64 va, struct pvm_sim_xlat *x)
{
	struct pvm_sim_tlb_entry *hit = NULL, *e;
	bool used_cache = false;
	u32 code = 0;
	int l, hits = 0;

	if (va >> pvm_sim_ias(sim, as->live_transcfg))
		return MMU_EXC(MMU_EXC_ADDR_SIZE_IN, 0);

	for (l = PVM_PT_MAX_LEVELS - 1; l >= 1; l--) {
		e = pvm_sim_tlb_find(as, va, l, true);
		if (!e)
			continue;
		hits++;
		if (!hit)
			hit = e;
	}

	if (hits > 1) {
		pvm_sim_count(sim, PVM_SIM_STAT_TLB_CONFLICTS);
		pvm_sim_driver_error(sim,
				     "AS%u: TLB conflict at VA %#llx: cached at %d levels (granularity changed without invalidation)",
				     as->nr, va, hits);
	}

	if (hit) {
		pvm_sim_count(sim, PVM_SIM_STAT_TLB_HITS);
		pvm_sim_xlat_leaf(x, va, hit->desc, hit->hier, hit->level);
		used_cache = true;
	} else {
		pvm_sim_count(sim, PVM_SIM_STAT_TLB_MISSES);
		code = pvm_sim_walk(sim, as, va, true, x, &used_cache);
	}

	if (used_cache && sim->cfg.check_stale) {
		struct pvm_sim_xlat fresh = {};
		bool unused = false;
		u32 fresh_code;

		fresh_code = pvm_sim_walk(sim, as, va, false, &fresh, &unused);
		if (fresh_code != code ||
		    (!code && (fresh.desc != x->desc || fresh.hier != x->hier ||
			       fresh.level != x->level))) {
			pvm_sim_count(sim, PVM_SIM_STAT_STALE_TRANSLATIONS);
			pr_warn_ratelimited("panthor-vm-sim: AS%u: stale translation of VA %#llx: cached %#llx (L%u, status %#x), page table %#llx (L%u, status %#x)\n",
					    as->nr, va, x->desc, x->level, code,
					    fresh.desc, fresh.level, fresh_code);
		}
	}

	return code;
}

static u32 pvm_sim_check_access(struct pvm_sim_as *as,
				const struct pvm_sim_xlat *x,
				enum pvm_sim_access access)
{
	u64 d = x->desc, hier = x->hier;
	bool rdonly = (d & PVM_PTE_AP_RDONLY) || (hier & PVM_PTE_TABLE_AP_RDONLY);
	bool unpriv = (d & PVM_PTE_AP_UNPRIV) && !(hier & PVM_PTE_TABLE_AP_NO_UNPRIV);
	bool xn = (d & PVM_PTE_XN) || (hier & PVM_PTE_TABLE_XNTABLE) ||
		  ((as->live_transcfg & AS_TRANSCFG_WXN) && !rdonly);
	u32 idx = FIELD_GET(PVM_PTE_ATTRINDX, d);
	u8 attr = as->live_memattr >> (idx * 8);
	bool perm_ok = unpriv;

	if (access == PVM_SIM_ACCESS_WRITE || access == PVM_SIM_ACCESS_ATOMIC)
		perm_ok &= !rdonly;
	else if (access == PVM_SIM_ACCESS_EXECUTE)
		perm_ok &= !xn;

	if (!perm_ok)
		return MMU_EXC(MMU_EXC_PERMISSION, x->level);

	if (FIELD_GET(AS_MEMATTR_TYPE, attr) == AS_MEMATTR_TYPE_FAULT)
		return MMU_EXC(MMU_EXC_MEM_ATTR, x->level);

	return 0;
}

static u32 pvm_sim_mmu_fault(struct pvm_sim *sim, struct pvm_sim_as *as,
			     u32 code, enum pvm_sim_access access, u64 va)
{
	u32 status = code | FIELD_PREP(AS_FAULTSTATUS_ACCESS_TYPE, access) |
		     FIELD_PREP(AS_FAULTSTATUS_SOURCE_ID, PVM_SIM_SOURCE_ID);

	pvm_sim_count(sim, PVM_SIM_STAT_FAULTS);
	if (!(sim->mmu_rawstat & BIT(as->nr))) {
		as->faultstatus = status;
		as->faultaddress = va;
		sim->mmu_rawstat |= BIT(as->nr);
	}
	return status;
}

static u32 pvm_sim_bus_fault(struct pvm_sim *sim, struct pvm_sim_as *as,
			     enum pvm_sim_access access, u64 bus)
{
	u32 access_bits = FIELD_PREP(GPU_FAULT_STATUS_ACCESS_TYPE, access);

	pvm_sim_count(sim, PVM_SIM_STAT_BUS_FAULTS);
	if (sim->cfg.smmu)
		pvm_sim_count(sim, PVM_SIM_STAT_SMMU_FAULTS);
	if (!(sim->gpu_rawstat & GPU_IRQ_FAULT)) {
		sim->gpu_fault_status = GPU_EXC_BUS_FAULT | access_bits |
					GPU_FAULT_STATUS_ADDRESS_VALID |
					GPU_FAULT_STATUS_JASID_VALID |
					FIELD_PREP(GPU_FAULT_STATUS_JASID, as->nr);
		sim->gpu_fault_addr = bus;
		sim->gpu_rawstat |= GPU_IRQ_FAULT;
	}
	return GPU_EXC_BUS_FAULT | access_bits;
}

static int pvm_sim_data(struct pvm_sim *sim, u64 bus, void *buf, size_t len,
			enum pvm_sim_access access, void *tmp)
{
	int ret;

	switch (access) {
	case PVM_SIM_ACCESS_WRITE:
		return pvm_sim_bus_copy(sim, bus, buf, len, true);
	case PVM_SIM_ACCESS_ATOMIC:
		/* An exchange: memory gets @buf, @buf gets the old bytes. */
		ret = pvm_sim_bus_copy(sim, bus, tmp, len, false);
		if (!ret)
			ret = pvm_sim_bus_copy(sim, bus, buf, len, true);
		if (!ret)
			memcpy(buf, tmp, len);
		return ret;
	default:
		return pvm_sim_bus_copy(sim, bus, buf, len, false);
	}
}

static bool pvm_sim_should_stop(void)
{
	return (current->flags & PF_KTHREAD) && kthread_should_stop();
}

static int pvm_sim_stall_wait(struct pvm_sim *sim, struct pvm_sim_as *as,
			      u32 seq)
{
	long ret;

	ret = wait_event_interruptible_timeout(sim->stall_wq,
					       READ_ONCE(as->release_seq) != seq ||
					       pvm_sim_should_stop(),
					       msecs_to_jiffies(PVM_SIM_STALL_TIMEOUT_MS));
	if (ret < 0 || pvm_sim_should_stop())
		return -EINTR;
	if (!ret)
		return -ETIMEDOUT;
	return 0;
}

/* One access to [va, va + len) within a 4 KiB page. Called with the lock. */
static int pvm_sim_xfer_chunk(struct pvm_sim *sim, struct pvm_sim_as *as,
			      u64 va, void *buf, size_t len,
			      enum pvm_sim_access access, void *tmp,
			      u32 *fault_status, u32 *stall_seq)
{
	struct pvm_sim_xlat x = {};
	u32 code;

	switch (FIELD_GET(AS_TRANSCFG_ADRMODE, as->live_transcfg)) {
	case AS_TRANSCFG_ADRMODE_IDENTITY:
		x.out = va;
		break;
	case AS_TRANSCFG_ADRMODE_AARCH64_4K:
		if (as->locked && va >= as->lock.start && va <= as->lock.last) {
			*stall_seq = as->release_seq;
			return -EAGAIN;
		}
		code = pvm_sim_translate(sim, as, va, &x);
		if (!code)
			code = pvm_sim_check_access(as, &x, access);
		if (code) {
			*fault_status = pvm_sim_mmu_fault(sim, as, code, access,
							  va);
			return 0;
		}
		break;
	default:
		/* UNMAPPED, or a mode the model does not implement. */
		pvm_sim_count(sim, PVM_SIM_STAT_TERMINATED);
		*fault_status = MMU_EXC(MMU_EXC_TRANSLATION, 0) |
				FIELD_PREP(AS_FAULTSTATUS_ACCESS_TYPE, access);
		return 0;
	}

	if (pvm_sim_data(sim, x.out, buf, len, access, tmp))
		*fault_status = pvm_sim_bus_fault(sim, as, access, x.out);
	return 0;
}

/**
 * pvm_sim_gpu_xfer() - perform a GPU access of a given type
 * @sim: software GPU
 * @as: address space
 * @va: GPU virtual address
 * @buf: source (write), destination (read, execute) or both (atomic: the
 *	bytes are exchanged with memory)
 * @size: bytes
 * @access: access type
 * @fault_status: returns 0, or the fault: an AS_FAULTSTATUS value for an MMU
 *	fault (also latched in the AS registers and raising the MMU interrupt
 *	if the AS's RAWSTAT bit was clear); GPU_EXC_BUS_FAULT | access << 8
 *	for a bus error on the data (latched in GPU_FAULT_STATUS with the GPU
 *	interrupt); TRANSLATION_FAULT_0 | access << 8, latched nowhere, when
 *	the AS is in ADRMODE_UNMAPPED
 * @fault_address: returns the faulting VA
 *
 * The access is split at 4 KiB boundaries; each piece goes through the
 * lock check, TLB, walker, system MMU and memory. Pieces before a fault
 * have been performed. An access in a locked region sleeps until the lock
 * is released, then is replayed.
 *
 * Context: process context, may sleep.
 * Return: 0 (check @fault_status), -EINVAL for a bad AS, size or access
 * type, -ENOMEM, -ETIMEDOUT if a stall lasted more than
 * %PVM_SIM_STALL_TIMEOUT_MS, -EINTR on a signal or kthread_stop().
 */
int pvm_sim_gpu_xfer(struct pvm_sim *sim, u32 as, u64 va, void *buf,
		     size_t size, enum pvm_sim_access access,
		     u32 *fault_status, u64 *fault_address)
{
	struct pvm_sim_as *slot;
	unsigned long flags;
	bool stalled = false;
	void *tmp = NULL;
	size_t done = 0;
	int ret = 0;

	might_sleep();
	*fault_status = 0;
	*fault_address = 0;

	if (as >= sim->cfg.as_count || !size || va + (size - 1) < va ||
	    access > PVM_SIM_ACCESS_WRITE)
		return -EINVAL;

	if (access == PVM_SIM_ACCESS_ATOMIC) {
		tmp = kmalloc(SZ_4K, GFP_KERNEL);
		if (!tmp)
			return -ENOMEM;
	}

	slot = &sim->as[as];
	pvm_sim_count(sim, PVM_SIM_STAT_ACCESSES);

	while (done < size) {
		u64 cur = va + done;
		size_t len = min_t(u64, size - done, SZ_4K - (cur & (SZ_4K - 1)));
		u32 status = 0, seq = 0;

		spin_lock_irqsave(&sim->lock, flags);
		pvm_sim_settle(sim, slot);
		ret = pvm_sim_xfer_chunk(sim, slot, cur, buf + done, len,
					 access, tmp, &status, &seq);
		spin_unlock_irqrestore(&sim->lock, flags);
		pvm_sim_post(sim);

		if (ret == -EAGAIN) {
			if (!stalled)
				pvm_sim_count(sim, PVM_SIM_STAT_STALLS);
			stalled = true;
			ret = pvm_sim_stall_wait(sim, slot, seq);
			if (ret)
				break;
			continue;
		}

		if (status) {
			*fault_status = status;
			*fault_address = cur;
			break;
		}
		done += len;
	}

	kfree(tmp);
	return ret;
}

/**
 * pvm_sim_gpu_access() - perform a GPU read or write
 * @sim: software GPU
 * @as: address space
 * @va: GPU virtual address
 * @buf: source or destination
 * @size: bytes
 * @write: write (else read)
 * @fault_status: see pvm_sim_gpu_xfer()
 * @fault_address: see pvm_sim_gpu_xfer()
 *
 * Context: process context, may sleep.
 * Return: see pvm_sim_gpu_xfer().
 */
int pvm_sim_gpu_access(struct pvm_sim *sim, u32 as, u64 va, void *buf,
		       size_t size, bool write, u32 *fault_status,
		       u64 *fault_address)
{
	return pvm_sim_gpu_xfer(sim, as, va, buf, size,
				write ? PVM_SIM_ACCESS_WRITE : PVM_SIM_ACCESS_READ,
				fault_status, fault_address);
}

/**
 * pvm_sim_leaf_log2() - size of the translation the GPU would use for @va
 * @sim: software GPU
 * @as: address space
 * @va: GPU virtual address
 * @log2: returns log2 of the page or block mapping @va: 12 for a 4 KiB
 *	page, 21 for a 2 MiB block, 30 for a 1 GiB block
 *
 * A reference walk of the live page table, as the walker reads it (with a
 * non-coherent walker, the synced bytes), bypassing and leaving alone the
 * TLB and walk cache. Tests use it to tell blocks from pages.
 *
 * Return: 0, -EINVAL for a bad @as or an AS not in AArch64 4K mode,
 * -ENOENT if the walk faults.
 */
int pvm_sim_leaf_log2(struct pvm_sim *sim, u32 as, u64 va, u32 *log2)
{
	struct pvm_sim_xlat x = {};
	struct pvm_sim_as *a;
	unsigned long flags;
	bool used = false;
	int ret = 0;

	if (as >= sim->cfg.as_count)
		return -EINVAL;
	a = &sim->as[as];

	spin_lock_irqsave(&sim->lock, flags);
	pvm_sim_settle_all(sim);
	if (FIELD_GET(AS_TRANSCFG_ADRMODE, a->live_transcfg) !=
	    AS_TRANSCFG_ADRMODE_AARCH64_4K)
		ret = -EINVAL;
	else if (pvm_sim_walk(sim, a, va, false, &x, &used))
		ret = -ENOENT;
	else
		*log2 = pvm_sim_level_shift(x.level);
	spin_unlock_irqrestore(&sim->lock, flags);
	return ret;
}
