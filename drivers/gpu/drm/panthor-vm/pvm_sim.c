// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/ioport.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/irq_sim.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "pvm_device.h"
#include "pvm_sim_priv.h"

/**
 * DOC: Software GPU
 *
 * With no Mali board the driver binds to this model of a Mali CSF GPU's
 * MMU. It is the hardware for every test, so it is strict: anything the
 * reference says real hardware punishes is either modelled or counted as a
 * driver error.
 *
 * The model is split in three units:
 *
 * - pvm_sim.c (this file): the device. Module parameters, the two GPU
 *   profiles, the register file behind &struct pvm_io_ops, AS commands
 *   with their busy time, GPU_COMMAND cache flushes, the interrupt lines
 *   (an irq_sim domain) and the counters. It registers the
 *   "panthor-vm-sim" platform device.
 * - pvm_sim_mmu.c: the address translation. TLB and walk cache, the
 *   AArch64 4 KiB stage-1 walker, faults, lock-region stalls and the GPU
 *   agents that perform accesses.
 * - pvm_sim_dma.c: the bus. The &struct pvm_dma_ops the driver maps
 *   memory with, the optional system MMU (bus address = physical address
 *   plus %PVM_SIM_SMMU_BUS_OFFSET, only while mapped) and the device-side
 *   copy of page-table pages a non-coherent walker reads.
 */

/**
 * DOC: Software GPU locking
 *
 * One spinlock, &pvm_sim.lock, taken with interrupts disabled, protects the
 * whole register file, the AS slots, their TLBs and the interrupt state.
 * Register callbacks may come from hard-IRQ context or with driver locks
 * held, so nothing under it sleeps or allocates with GFP_KERNEL.
 *
 * Work that must not happen under it is deferred to pvm_sim_post(), which
 * every entry point calls after dropping the lock: waking stalled accesses
 * and asserting interrupt lines through irq_sim.
 *
 * A command keeps AS_ACTIVE set for &pvm_sim_config.as_active_us and takes
 * effect when it completes. Completion is applied lazily, by the first
 * register access or GPU access that sees the deadline passed, and by a
 * per-AS hrtimer so that stalled accesses are released on time even if
 * nobody polls.
 */

/**
 * DOC: Software GPU invariants
 *
 * - TRANSTAB, MEMATTR and TRANSCFG have a programmed copy and a live copy;
 *   only UPDATE copies programmed to live, and it drops every TLB and
 *   walk-cache entry of the AS.
 * - A command written while AS_ACTIVE is set is a driver error and is
 *   ignored. So are FLUSH_PT and FLUSH_MEM on the arch-12 profile, unknown
 *   commands and malformed LOCKADDR values (these still execute, with the
 *   size rounded up to the profile's minimum).
 * - An interrupt line is asserted exactly while its *_INT_STAT is not zero.
 *   irq_sim only knows edges, so the model raises the line on each rising
 *   edge and, while it stays high, again every millisecond (what a level
 *   interrupt does when the handler returns without lowering it).
 * - FAULTSTATUS and FAULTADDRESS are written only when the AS's RAWSTAT bit
 *   is clear; clearing the bit does not clear them.
 */

static const struct pvm_sim_profile_desc pvm_sim_profiles[] = {
	{
		.arch = 10,
		.gpu_id = 0xa8670000,
		.csf_id = 0x00010000,
		.l2_features = 0x07120206,
		.core_features = 0x00000000,
		.tiler_features = 0x00000809,
		.mem_features = GPU_MEM_FEATURES_COHERENT,
		.thread_features = 0x04000400,
		.max_threads = 2048,
		.max_workgroup = 1024,
		.max_barrier = 1024,
		.shader_present = 0x50005,
		.lock_min_log2 = AS_LOCK_REGION_MIN_LOG2,
		.as_flush_cmds = true,
		.skip_levels = false,
	},
	{
		.arch = 12,
		.gpu_id = 0xc8700000,
		.csf_id = 0x00020000,
		.l2_features = 0x07110206,
		.core_features = 0x00000000,
		.tiler_features = 0x00000809,
		.mem_features = GPU_MEM_FEATURES_COHERENT,
		.thread_features = 0x04000400,
		.max_threads = 2048,
		.max_workgroup = 1024,
		.max_barrier = 1024,
		.shader_present = 0x3f,
		.lock_min_log2 = AS_LOCK_REGION_MIN_LOG2_ARCH12,
		.as_flush_cmds = false,
		.skip_levels = true,
	},
};

static const char * const pvm_sim_stat_names[PVM_SIM_NR_STATS] = {
	[PVM_SIM_STAT_COMMANDS] = "commands",
	[PVM_SIM_STAT_LOCK] = "lock",
	[PVM_SIM_STAT_UNLOCK] = "unlock",
	[PVM_SIM_STAT_FLUSH_PT] = "flush_pt",
	[PVM_SIM_STAT_FLUSH_MEM] = "flush_mem",
	[PVM_SIM_STAT_CACHE_FLUSH] = "cache_flush",
	[PVM_SIM_STAT_UPDATE] = "update",
	[PVM_SIM_STAT_DRIVER_ERRORS] = "driver_errors",
	[PVM_SIM_STAT_ACCESSES] = "accesses",
	[PVM_SIM_STAT_STALLS] = "stalls",
	[PVM_SIM_STAT_FAULTS] = "faults",
	[PVM_SIM_STAT_TLB_HITS] = "tlb_hits",
	[PVM_SIM_STAT_TLB_MISSES] = "tlb_misses",
	[PVM_SIM_STAT_WALKS] = "walks",
	[PVM_SIM_STAT_STALE_TRANSLATIONS] = "stale_translations",
	[PVM_SIM_STAT_SMMU_FAULTS] = "smmu_faults",
	[PVM_SIM_STAT_WALK_CACHE_HITS] = "walk_cache_hits",
	[PVM_SIM_STAT_TLB_EVICTIONS] = "tlb_evictions",
	[PVM_SIM_STAT_TLB_CONFLICTS] = "tlb_conflicts",
	[PVM_SIM_STAT_TERMINATED] = "terminated",
	[PVM_SIM_STAT_BUS_FAULTS] = "bus_faults",
	[PVM_SIM_STAT_MMU_IRQS] = "mmu_irqs",
	[PVM_SIM_STAT_GPU_IRQS] = "gpu_irqs",
	[PVM_SIM_STAT_UNKNOWN_REGS] = "unknown_regs",
};

/* Period at which a line that stays asserted is raised again. */
#define PVM_SIM_IRQ_REPEAT_NS	(1 * NSEC_PER_MSEC)

static atomic_t pvm_sim_ids = ATOMIC_INIT(0);

/**
 * pvm_sim_count() - bump a counter
 * @sim: software GPU
 * @id: counter
 */
void pvm_sim_count(struct pvm_sim *sim, enum pvm_sim_stat id)
{
	atomic64_inc(&sim->stats[id]);
}

/**
 * pvm_sim_driver_error() - count and log a programming error
 * @sim: software GPU
 * @fmt: printf format of the explanation
 */
void pvm_sim_driver_error(struct pvm_sim *sim, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	pvm_sim_count(sim, PVM_SIM_STAT_DRIVER_ERRORS);

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_warn_ratelimited("panthor-vm-sim: driver error: %pV\n", &vaf);
	va_end(args);
}

/**
 * pvm_sim_stat_name() - name of a counter, as printed in sim_stats
 * @id: counter
 *
 * Return: the name, or NULL for an unknown id.
 */
const char *pvm_sim_stat_name(enum pvm_sim_stat id)
{
	if (id >= PVM_SIM_NR_STATS)
		return NULL;
	return pvm_sim_stat_names[id];
}

/**
 * pvm_sim_stat() - read one counter
 * @sim: software GPU
 * @id: counter
 *
 * Return: the counter's value, 0 for an unknown id.
 */
u64 pvm_sim_stat(struct pvm_sim *sim, enum pvm_sim_stat id)
{
	if (id >= PVM_SIM_NR_STATS)
		return 0;
	return atomic64_read(&sim->stats[id]);
}

/**
 * pvm_sim_stat_by_name() - read one counter by its sim_stats name
 * @sim: software GPU
 * @name: counter name
 * @val: returns the value
 *
 * Return: 0, or -ENOENT if no counter has that name.
 */
int pvm_sim_stat_by_name(struct pvm_sim *sim, const char *name, u64 *val)
{
	int i;

	i = match_string(pvm_sim_stat_names, PVM_SIM_NR_STATS, name);
	if (i < 0)
		return -ENOENT;
	*val = pvm_sim_stat(sim, i);
	return 0;
}

/**
 * pvm_sim_stats_show() - print every counter as a "name value" line
 * @sim: software GPU
 * @m: seq_file to print to
 */
void pvm_sim_stats_show(struct pvm_sim *sim, struct seq_file *m)
{
	int i;

	for (i = 0; i < PVM_SIM_NR_STATS; i++)
		seq_printf(m, "%s %llu\n", pvm_sim_stat_names[i],
			   (unsigned long long)atomic64_read(&sim->stats[i]));
}

/**
 * pvm_sim_stats_reset() - zero every counter
 * @sim: software GPU
 */
void pvm_sim_stats_reset(struct pvm_sim *sim)
{
	int i;

	for (i = 0; i < PVM_SIM_NR_STATS; i++)
		atomic64_set(&sim->stats[i], 0);
}

/**
 * pvm_sim_lockaddr_decode() - decode AS_LOCKADDR as the hardware does
 * @sim: software GPU (for its profile and VA size)
 * @lockaddr: register value
 * @r: returns the region
 * @skip: returns FLUSH_SKIP_LEVELS (0 when the profile has none)
 *
 * The region is the naturally aligned 2^(SIZE + 1) bytes block containing
 * BASE; base bits below the size are ignored. A size below the profile's
 * minimum is rounded up; a size reaching the VA size covers the whole
 * address space.
 *
 * Return: true if @lockaddr is well formed, false if the size is below the
 * minimum or reserved bits are set.
 */
bool pvm_sim_lockaddr_decode(const struct pvm_sim *sim, u64 lockaddr,
			     struct pvm_sim_region *r, u32 *skip)
{
	u32 log2 = FIELD_GET(AS_LOCKADDR_SIZE, lockaddr) + 1;
	u64 reserved = GENMASK_ULL(11, 10);
	bool ok = true;

	*skip = 0;
	if (sim->prof->skip_levels)
		*skip = FIELD_GET(AS_LOCKADDR_FLUSH_SKIP_LEVELS, lockaddr);
	else
		reserved |= AS_LOCKADDR_FLUSH_SKIP_LEVELS;

	if (lockaddr & reserved)
		ok = false;

	if (log2 < sim->prof->lock_min_log2) {
		log2 = sim->prof->lock_min_log2;
		ok = false;
	}

	if (log2 >= sim->va_bits) {
		r->start = 0;
		r->last = U64_MAX;
	} else {
		r->start = lockaddr & AS_LOCKADDR_BASE & ~(BIT_ULL(log2) - 1);
		r->last = r->start + BIT_ULL(log2) - 1;
	}

	return ok;
}

static bool pvm_sim_cmd_uses_lockaddr(u32 cmd)
{
	return cmd == AS_COMMAND_LOCK || cmd == AS_COMMAND_UNLOCK ||
	       cmd == AS_COMMAND_FLUSH_PT || cmd == AS_COMMAND_FLUSH_MEM;
}

static bool pvm_sim_adrmode_supported(u64 transcfg)
{
	switch (FIELD_GET(AS_TRANSCFG_ADRMODE, transcfg)) {
	case AS_TRANSCFG_ADRMODE_UNMAPPED:
	case AS_TRANSCFG_ADRMODE_IDENTITY:
	case AS_TRANSCFG_ADRMODE_AARCH64_4K:
		return true;
	default:
		return false;
	}
}

static void pvm_sim_release_stalled(struct pvm_sim *sim, struct pvm_sim_as *as)
{
	as->release_seq++;
	sim->wake = true;
}

/* Apply a completed AS command. Called with sim->lock held. */
static void pvm_sim_as_execute(struct pvm_sim *sim, struct pvm_sim_as *as,
			       u32 cmd, u64 lockaddr)
{
	struct pvm_sim_region r;
	u32 skip;

	switch (cmd) {
	case AS_COMMAND_UPDATE:
		as->live_transtab = as->transtab;
		as->live_memattr = as->memattr;
		as->live_transcfg = as->transcfg;
		pvm_sim_tlb_drop_all(as);
		pvm_sim_count(sim, PVM_SIM_STAT_UPDATE);
		if (!pvm_sim_adrmode_supported(as->live_transcfg))
			pvm_sim_driver_error(sim, "AS%u: UPDATE with unsupported TRANSCFG %#llx",
					     as->nr, as->live_transcfg);
		/* Stalled accesses of an AS switched to UNMAPPED terminate. */
		pvm_sim_release_stalled(sim, as);
		break;
	case AS_COMMAND_LOCK:
		pvm_sim_lockaddr_decode(sim, lockaddr, &r, &skip);
		as->locked = true;
		as->lock = r;
		pvm_sim_count(sim, PVM_SIM_STAT_LOCK);
		break;
	case AS_COMMAND_UNLOCK:
	case AS_COMMAND_FLUSH_PT:
	case AS_COMMAND_FLUSH_MEM:
		pvm_sim_lockaddr_decode(sim, lockaddr, &r, &skip);
		pvm_sim_tlb_invalidate(as, &r, skip);
		as->locked = false;
		pvm_sim_release_stalled(sim, as);
		if (cmd == AS_COMMAND_UNLOCK)
			pvm_sim_count(sim, PVM_SIM_STAT_UNLOCK);
		else if (cmd == AS_COMMAND_FLUSH_PT)
			pvm_sim_count(sim, PVM_SIM_STAT_FLUSH_PT);
		else
			pvm_sim_count(sim, PVM_SIM_STAT_FLUSH_MEM);
		break;
	}
}

static void pvm_sim_gpu_settle(struct pvm_sim *sim, ktime_t now)
{
	if (!sim->gpu_busy || ktime_before(now, sim->gpu_until))
		return;

	sim->gpu_busy = false;
	sim->gpu_rawstat |= GPU_IRQ_CLEAN_CACHES_COMPLETED;
	pvm_sim_count(sim, PVM_SIM_STAT_CACHE_FLUSH);
}

static void pvm_sim_as_settle(struct pvm_sim *sim, struct pvm_sim_as *as,
			      ktime_t now)
{
	if (!as->busy || ktime_before(now, as->active_until))
		return;

	as->busy = false;
	pvm_sim_as_execute(sim, as, as->pending_cmd, as->pending_lockaddr);
}

/**
 * pvm_sim_settle() - complete commands whose busy time has passed
 * @sim: software GPU
 * @as: the AS to settle
 *
 * Called with &pvm_sim.lock held, settles @as and GPU_COMMAND.
 */
void pvm_sim_settle(struct pvm_sim *sim, struct pvm_sim_as *as)
{
	ktime_t now = ktime_get();

	pvm_sim_as_settle(sim, as, now);
	pvm_sim_gpu_settle(sim, now);
}

static void pvm_sim_settle_all(struct pvm_sim *sim)
{
	ktime_t now = ktime_get();
	u32 i;

	for (i = 0; i < sim->cfg.as_count; i++)
		pvm_sim_as_settle(sim, &sim->as[i], now);
	pvm_sim_gpu_settle(sim, now);
}

static void pvm_sim_as_command(struct pvm_sim *sim, struct pvm_sim_as *as,
			       u32 cmd)
{
	struct pvm_sim_region r;
	u32 skip;

	pvm_sim_count(sim, PVM_SIM_STAT_COMMANDS);

	if (as->busy) {
		pvm_sim_driver_error(sim,
				     "AS%u: command %u written while AS_ACTIVE (command %u in progress)",
				     as->nr, cmd, as->pending_cmd);
		return;
	}

	switch (cmd) {
	case AS_COMMAND_NOP:
		return;
	case AS_COMMAND_UPDATE:
	case AS_COMMAND_LOCK:
	case AS_COMMAND_UNLOCK:
		break;
	case AS_COMMAND_FLUSH_PT:
	case AS_COMMAND_FLUSH_MEM:
		if (!sim->prof->as_flush_cmds) {
			pvm_sim_driver_error(sim,
					     "AS%u: %s does not exist on arch %u, use GPU_COMMAND FLUSH_CACHES + UNLOCK",
					     as->nr,
					     cmd == AS_COMMAND_FLUSH_PT ? "FLUSH_PT" : "FLUSH_MEM",
					     sim->prof->arch);
			return;
		}
		break;
	default:
		pvm_sim_driver_error(sim, "AS%u: unknown command %u", as->nr, cmd);
		return;
	}

	if (pvm_sim_cmd_uses_lockaddr(cmd) &&
	    !pvm_sim_lockaddr_decode(sim, as->lockaddr, &r, &skip))
		pvm_sim_driver_error(sim, "AS%u: malformed LOCKADDR %#llx for command %u",
				     as->nr, as->lockaddr, cmd);

	if (!sim->cfg.as_active_us) {
		pvm_sim_as_execute(sim, as, cmd, as->lockaddr);
		return;
	}

	as->busy = true;
	as->pending_cmd = cmd;
	as->pending_lockaddr = as->lockaddr;
	as->active_until = ktime_add_us(ktime_get(), sim->cfg.as_active_us);
	hrtimer_start(&as->timer, ns_to_ktime((u64)sim->cfg.as_active_us * NSEC_PER_USEC),
		      HRTIMER_MODE_REL);
}

static void pvm_sim_gpu_command(struct pvm_sim *sim, u32 val)
{
	switch (FIELD_GET(GPU_CMD_TYPE, val)) {
	case GPU_CMD_NOP:
		return;
	case GPU_CMD_FLUSH_CACHES:
		if (sim->gpu_busy) {
			pvm_sim_driver_error(sim,
					     "GPU_COMMAND %#x written while a cache flush is in progress",
					     val);
			return;
		}
		if (!sim->cfg.as_active_us) {
			sim->gpu_rawstat |= GPU_IRQ_CLEAN_CACHES_COMPLETED;
			pvm_sim_count(sim, PVM_SIM_STAT_CACHE_FLUSH);
			return;
		}
		sim->gpu_busy = true;
		sim->gpu_until = ktime_add_us(ktime_get(), sim->cfg.as_active_us);
		hrtimer_start(&sim->gpu_timer,
			      ns_to_ktime((u64)sim->cfg.as_active_us * NSEC_PER_USEC),
			      HRTIMER_MODE_REL);
		return;
	case GPU_CMD_CLEAR_FAULT:
		sim->gpu_fault_status = 0;
		sim->gpu_fault_addr = 0;
		return;
	default:
		pvm_sim_count(sim, PVM_SIM_STAT_UNKNOWN_REGS);
		pr_debug("panthor-vm-sim: GPU_COMMAND %#x not modelled\n", val);
		return;
	}
}

static void pvm_sim_set_lo(u64 *reg, u32 val)
{
	*reg = (*reg & GENMASK_ULL(63, 32)) | val;
}

static void pvm_sim_set_hi(u64 *reg, u32 val)
{
	*reg = (*reg & GENMASK_ULL(31, 0)) | ((u64)val << 32);
}

static bool pvm_sim_as_reg(struct pvm_sim *sim, u32 reg, u32 *as, u32 *off)
{
	if (reg < MMU_AS_BASE ||
	    reg >= MMU_AS_BASE + sim->cfg.as_count * MMU_AS_STRIDE)
		return false;
	*as = (reg - MMU_AS_BASE) / MMU_AS_STRIDE;
	*off = (reg - MMU_AS_BASE) % MMU_AS_STRIDE;
	return true;
}

static u32 pvm_sim_as_read(struct pvm_sim *sim, struct pvm_sim_as *as,
			   u32 off)
{
	switch (off) {
	case AS_TRANSTAB_LO(0):
		return lower_32_bits(as->transtab);
	case AS_TRANSTAB_HI(0):
		return upper_32_bits(as->transtab);
	case AS_MEMATTR_LO(0):
		return lower_32_bits(as->memattr);
	case AS_MEMATTR_HI(0):
		return upper_32_bits(as->memattr);
	case AS_LOCKADDR_LO(0):
		return lower_32_bits(as->lockaddr);
	case AS_LOCKADDR_HI(0):
		return upper_32_bits(as->lockaddr);
	case AS_FAULTSTATUS(0):
		return as->faultstatus;
	case AS_FAULTADDRESS_LO(0):
		return lower_32_bits(as->faultaddress);
	case AS_FAULTADDRESS_HI(0):
		return upper_32_bits(as->faultaddress);
	case AS_STATUS(0):
		return as->busy ? AS_STATUS_ACTIVE : 0;
	case AS_TRANSCFG_LO(0):
		return lower_32_bits(as->transcfg);
	case AS_TRANSCFG_HI(0):
		return upper_32_bits(as->transcfg);
	default:
		/* COMMAND is write-only, FAULTEXTRA is not modelled. */
		return 0;
	}
}

static u32 pvm_sim_read_locked(struct pvm_sim *sim, u32 reg)
{
	const struct pvm_sim_profile_desc *p = sim->prof;
	u32 as, off;

	if (pvm_sim_as_reg(sim, reg, &as, &off))
		return pvm_sim_as_read(sim, &sim->as[as], MMU_AS(0) + off);

	switch (reg) {
	case GPU_ID:
		return p->gpu_id;
	case GPU_L2_FEATURES:
		return p->l2_features;
	case GPU_CORE_FEATURES:
		return p->core_features;
	case GPU_TILER_FEATURES:
		return p->tiler_features;
	case GPU_MEM_FEATURES:
		return p->mem_features;
	case GPU_MMU_FEATURES:
		return FIELD_PREP(GPU_MMU_FEATURES_VA_BITS, sim->va_bits) |
		       FIELD_PREP(GPU_MMU_FEATURES_PA_BITS, sim->pa_bits);
	case GPU_AS_PRESENT:
		return GENMASK(sim->cfg.as_count - 1, 0);
	case GPU_CSF_ID:
		return p->csf_id;
	case GPU_INT_RAWSTAT:
		return sim->gpu_rawstat;
	case GPU_INT_MASK:
		return sim->gpu_mask;
	case GPU_INT_STAT:
		return sim->gpu_rawstat & sim->gpu_mask;
	case GPU_STATUS:
		return sim->gpu_busy ? GPU_STATUS_ACTIVE : 0;
	case GPU_FAULT_STATUS:
		return sim->gpu_fault_status;
	case GPU_FAULT_ADDR_LO:
		return lower_32_bits(sim->gpu_fault_addr);
	case GPU_FAULT_ADDR_HI:
		return upper_32_bits(sim->gpu_fault_addr);
	case GPU_THREAD_MAX_THREADS:
		return p->max_threads;
	case GPU_THREAD_MAX_WORKGROUP_SIZE:
		return p->max_workgroup;
	case GPU_THREAD_MAX_BARRIER_SIZE:
		return p->max_barrier;
	case GPU_THREAD_FEATURES:
		return p->thread_features;
	case GPU_SHADER_PRESENT_LO:
		return lower_32_bits(p->shader_present);
	case GPU_SHADER_PRESENT_LO + 4:
		return upper_32_bits(p->shader_present);
	case GPU_TILER_PRESENT_LO:
	case GPU_L2_PRESENT_LO:
		return 1;
	case GPU_COHERENCY_FEATURES:
		return GPU_COHERENCY_ACE_LITE;
	case MMU_INT_RAWSTAT:
		return sim->mmu_rawstat;
	case MMU_INT_MASK:
		return sim->mmu_mask;
	case MMU_INT_STAT:
		return sim->mmu_rawstat & sim->mmu_mask;
	default:
		return 0;
	}
}

static u32 pvm_sim_read(void *priv, u32 reg)
{
	struct pvm_sim *sim = priv;
	unsigned long flags;
	u32 val;

	spin_lock_irqsave(&sim->lock, flags);
	pvm_sim_settle_all(sim);
	val = pvm_sim_read_locked(sim, reg);
	spin_unlock_irqrestore(&sim->lock, flags);

	pvm_sim_post(sim);
	return val;
}

static void pvm_sim_unknown_write(struct pvm_sim *sim, u32 reg, u32 val)
{
	pvm_sim_count(sim, PVM_SIM_STAT_UNKNOWN_REGS);
	pr_debug("panthor-vm-sim: write %#x to unmodelled register %#x\n",
		 val, reg);
}

static void pvm_sim_as_write(struct pvm_sim *sim, struct pvm_sim_as *as,
			     u32 off, u32 val)
{
	switch (off) {
	case AS_TRANSTAB_LO(0):
		pvm_sim_set_lo(&as->transtab, val);
		break;
	case AS_TRANSTAB_HI(0):
		pvm_sim_set_hi(&as->transtab, val);
		break;
	case AS_MEMATTR_LO(0):
		pvm_sim_set_lo(&as->memattr, val);
		break;
	case AS_MEMATTR_HI(0):
		pvm_sim_set_hi(&as->memattr, val);
		break;
	case AS_LOCKADDR_LO(0):
		pvm_sim_set_lo(&as->lockaddr, val);
		break;
	case AS_LOCKADDR_HI(0):
		pvm_sim_set_hi(&as->lockaddr, val);
		break;
	case AS_COMMAND(0):
		pvm_sim_as_command(sim, as, val);
		break;
	case AS_TRANSCFG_LO(0):
		pvm_sim_set_lo(&as->transcfg, val);
		break;
	case AS_TRANSCFG_HI(0):
		pvm_sim_set_hi(&as->transcfg, val);
		break;
	default:
		pvm_sim_unknown_write(sim, MMU_AS(as->nr) + off, val);
		break;
	}
}

static void pvm_sim_write_locked(struct pvm_sim *sim, u32 reg, u32 val)
{
	u32 as, off;

	if (pvm_sim_as_reg(sim, reg, &as, &off)) {
		pvm_sim_as_write(sim, &sim->as[as], MMU_AS(0) + off, val);
		return;
	}

	switch (reg) {
	case GPU_INT_CLEAR:
		sim->gpu_rawstat &= ~val;
		break;
	case GPU_INT_MASK:
		sim->gpu_mask = val;
		break;
	case GPU_CMD:
		pvm_sim_gpu_command(sim, val);
		break;
	case MMU_INT_CLEAR:
		sim->mmu_rawstat &= ~val;
		break;
	case MMU_INT_MASK:
		sim->mmu_mask = val;
		break;
	default:
		pvm_sim_unknown_write(sim, reg, val);
		break;
	}
}

static void pvm_sim_write(void *priv, u32 reg, u32 val)
{
	struct pvm_sim *sim = priv;
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	pvm_sim_settle_all(sim);
	pvm_sim_write_locked(sim, reg, val);
	spin_unlock_irqrestore(&sim->lock, flags);

	pvm_sim_post(sim);
}

static const struct pvm_io_ops pvm_sim_io = {
	.read = pvm_sim_read,
	.write = pvm_sim_write,
};

/**
 * pvm_sim_io_ops() - the register file of every software GPU
 *
 * Pass the &struct pvm_sim as the callbacks' priv.
 *
 * Return: the register callbacks.
 */
const struct pvm_io_ops *pvm_sim_io_ops(void)
{
	return &pvm_sim_io;
}

static void pvm_sim_irq_raise(struct pvm_sim *sim, const bool *level)
{
	bool any = false;
	int i;

	for (i = 0; i < PVM_SIM_NR_IRQS; i++) {
		if (!level[i])
			continue;
		any = true;
		irq_set_irqchip_state(sim->irqs[i], IRQCHIP_STATE_PENDING,
				      true);
	}

	if (any && !hrtimer_is_queued(&sim->irq_timer))
		hrtimer_start(&sim->irq_timer, ns_to_ktime(PVM_SIM_IRQ_REPEAT_NS),
			      HRTIMER_MODE_REL);
}

/* Returns the current line levels; counts and reports rising edges. */
static void pvm_sim_irq_levels(struct pvm_sim *sim, bool *level, bool *rising)
{
	static const enum pvm_sim_stat edge_stat[PVM_SIM_NR_IRQS] = {
		[PVM_SIM_IRQ_GPU] = PVM_SIM_STAT_GPU_IRQS,
		[PVM_SIM_IRQ_MMU] = PVM_SIM_STAT_MMU_IRQS,
	};
	int i;

	level[PVM_SIM_IRQ_GPU] = sim->gpu_rawstat & sim->gpu_mask;
	level[PVM_SIM_IRQ_MMU] = sim->mmu_rawstat & sim->mmu_mask;
	for (i = 0; i < PVM_SIM_NR_IRQS; i++) {
		rising[i] = level[i] && !sim->irq_level[i];
		if (rising[i])
			pvm_sim_count(sim, edge_stat[i]);
		sim->irq_level[i] = level[i];
	}
}

/**
 * pvm_sim_post() - deferred effects of a state change
 * @sim: software GPU
 *
 * Called without &pvm_sim.lock after every register access, command
 * completion and GPU access: wakes stalled accesses and raises interrupt
 * lines that went up.
 */
void pvm_sim_post(struct pvm_sim *sim)
{
	bool level[PVM_SIM_NR_IRQS], rising[PVM_SIM_NR_IRQS];
	unsigned long flags;
	bool wake;

	spin_lock_irqsave(&sim->lock, flags);
	wake = sim->wake;
	sim->wake = false;
	pvm_sim_irq_levels(sim, level, rising);
	spin_unlock_irqrestore(&sim->lock, flags);

	if (wake)
		wake_up_all(&sim->stall_wq);
	pvm_sim_irq_raise(sim, rising);
}

static enum hrtimer_restart pvm_sim_irq_timer_fn(struct hrtimer *t)
{
	struct pvm_sim *sim = container_of(t, struct pvm_sim, irq_timer);
	bool level[PVM_SIM_NR_IRQS], rising[PVM_SIM_NR_IRQS];
	unsigned long flags;
	int i;

	spin_lock_irqsave(&sim->lock, flags);
	pvm_sim_settle_all(sim);
	pvm_sim_irq_levels(sim, level, rising);
	spin_unlock_irqrestore(&sim->lock, flags);

	for (i = 0; i < PVM_SIM_NR_IRQS; i++) {
		if (level[i])
			irq_set_irqchip_state(sim->irqs[i],
					      IRQCHIP_STATE_PENDING, true);
	}
	if (!level[PVM_SIM_IRQ_GPU] && !level[PVM_SIM_IRQ_MMU])
		return HRTIMER_NORESTART;

	hrtimer_forward_now(t, ns_to_ktime(PVM_SIM_IRQ_REPEAT_NS));
	return HRTIMER_RESTART;
}

static enum hrtimer_restart pvm_sim_as_timer_fn(struct hrtimer *t)
{
	struct pvm_sim_as *as = container_of(t, struct pvm_sim_as, timer);
	struct pvm_sim *sim = as->sim;
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	pvm_sim_settle(sim, as);
	spin_unlock_irqrestore(&sim->lock, flags);

	pvm_sim_post(sim);
	return HRTIMER_NORESTART;
}

static enum hrtimer_restart pvm_sim_gpu_timer_fn(struct hrtimer *t)
{
	struct pvm_sim *sim = container_of(t, struct pvm_sim, gpu_timer);
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	pvm_sim_gpu_settle(sim, ktime_get());
	spin_unlock_irqrestore(&sim->lock, flags);

	pvm_sim_post(sim);
	return HRTIMER_NORESTART;
}

/**
 * pvm_sim_irq() - Linux interrupt number of a line
 * @sim: software GPU
 * @line: which line
 *
 * Return: the interrupt number, which a test may request_irq().
 */
int pvm_sim_irq(struct pvm_sim *sim, enum pvm_sim_irq_line line)
{
	return sim->irqs[line];
}

/**
 * pvm_sim_irq_asserted() - modelled level of an interrupt line
 * @sim: software GPU
 * @line: which line
 *
 * Return: true while the line's *_INT_STAT register is not zero.
 */
bool pvm_sim_irq_asserted(struct pvm_sim *sim, enum pvm_sim_irq_line line)
{
	unsigned long flags;
	bool ret;

	spin_lock_irqsave(&sim->lock, flags);
	pvm_sim_settle_all(sim);
	if (line == PVM_SIM_IRQ_GPU)
		ret = sim->gpu_rawstat & sim->gpu_mask;
	else
		ret = sim->mmu_rawstat & sim->mmu_mask;
	spin_unlock_irqrestore(&sim->lock, flags);

	pvm_sim_post(sim);
	return ret;
}

static const struct pvm_sim_profile_desc *pvm_sim_find_profile(u32 arch)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(pvm_sim_profiles); i++) {
		if (pvm_sim_profiles[i].arch == arch)
			return &pvm_sim_profiles[i];
	}
	return NULL;
}

static int pvm_sim_irq_init(struct pvm_sim *sim)
{
	int i;

	sim->fwnode = irq_domain_alloc_named_id_fwnode("panthor-vm-sim",
						       atomic_inc_return(&pvm_sim_ids));
	if (!sim->fwnode)
		return -ENOMEM;

	sim->irq_domain = irq_domain_create_sim(sim->fwnode, PVM_SIM_NR_IRQS);
	if (IS_ERR(sim->irq_domain)) {
		int ret = PTR_ERR(sim->irq_domain);

		sim->irq_domain = NULL;
		irq_domain_free_fwnode(sim->fwnode);
		return ret;
	}

	for (i = 0; i < PVM_SIM_NR_IRQS; i++) {
		sim->irqs[i] = irq_create_mapping(sim->irq_domain, i);
		if (!sim->irqs[i])
			return -ENOMEM;
	}
	return 0;
}

static void pvm_sim_irq_fini(struct pvm_sim *sim)
{
	int i;

	if (!sim->irq_domain)
		return;

	/*
	 * irq_sim delivers through an irq_work that looks the mapping up;
	 * let a raise queued just before teardown run first.
	 */
	msleep(20);
	for (i = 0; i < PVM_SIM_NR_IRQS; i++) {
		if (sim->irqs[i])
			irq_dispose_mapping(sim->irqs[i]);
	}
	irq_domain_remove_sim(sim->irq_domain);
	irq_domain_free_fwnode(sim->fwnode);
}

/**
 * pvm_sim_create() - build a standalone software GPU
 * @cfg: configuration
 *
 * The GPU comes out of reset: every AS in ADRMODE_UNMAPPED, all interrupts
 * masked, counters zero. No platform device is registered; use
 * pvm_sim_io_ops() and pvm_sim_dma_ops() with the returned pointer as priv.
 *
 * Return: the software GPU or an ERR_PTR().
 */
struct pvm_sim *pvm_sim_create(const struct pvm_sim_config *cfg)
{
	const struct pvm_sim_profile_desc *prof;
	struct pvm_sim *sim;
	int ret;
	u32 i;

	prof = pvm_sim_find_profile(cfg->profile);
	if (!prof || !cfg->as_count || cfg->as_count > MMU_MAX_AS)
		return ERR_PTR(-EINVAL);

	sim = kzalloc(sizeof(*sim), GFP_KERNEL);
	if (!sim)
		return ERR_PTR(-ENOMEM);

	sim->cfg = *cfg;
	sim->prof = prof;
	sim->va_bits = 48;
	sim->pa_bits = 40;
	spin_lock_init(&sim->lock);
	init_waitqueue_head(&sim->stall_wq);
	hrtimer_init(&sim->gpu_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	sim->gpu_timer.function = pvm_sim_gpu_timer_fn;
	hrtimer_init(&sim->irq_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	sim->irq_timer.function = pvm_sim_irq_timer_fn;
	pvm_sim_bus_init(sim);

	for (i = 0; i < MMU_MAX_AS; i++) {
		struct pvm_sim_as *as = &sim->as[i];

		as->sim = sim;
		as->nr = i;
		as->transcfg = AS_TRANSCFG_ADRMODE_UNMAPPED;
		as->live_transcfg = AS_TRANSCFG_ADRMODE_UNMAPPED;
		hrtimer_init(&as->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
		as->timer.function = pvm_sim_as_timer_fn;
		ret = pvm_sim_tlb_init(as);
		if (ret)
			goto err_destroy;
	}

	ret = pvm_sim_irq_init(sim);
	if (ret)
		goto err_destroy;

	return sim;

err_destroy:
	pvm_sim_destroy(sim);
	return ERR_PTR(ret);
}

/**
 * pvm_sim_destroy() - free a software GPU
 * @sim: software GPU from pvm_sim_create()
 *
 * Every GPU agent must be stopped, every interrupt freed and every DMA
 * mapping undone before (leftover mappings are reported and dropped).
 */
void pvm_sim_destroy(struct pvm_sim *sim)
{
	u32 i;

	for (i = 0; i < MMU_MAX_AS; i++)
		hrtimer_cancel(&sim->as[i].timer);
	hrtimer_cancel(&sim->gpu_timer);
	hrtimer_cancel(&sim->irq_timer);

	pvm_sim_irq_fini(sim);

	for (i = 0; i < MMU_MAX_AS; i++)
		pvm_sim_tlb_fini(&sim->as[i]);
	pvm_sim_bus_fini(sim);
	kfree(sim);
}

/*
 * Module parameters: the module is panthor-vm, so on the kernel command
 * line these are panthor_vm.sim_<name>=.
 */
static uint sim_profile = PVM_SIM_PROFILE_ARCH10;
module_param(sim_profile, uint, 0444);
MODULE_PARM_DESC(sim_profile, "Software GPU profile: 10 (G610-like) or 12 (G720-like)");

static bool sim_smmu;
module_param(sim_smmu, bool, 0444);
MODULE_PARM_DESC(sim_smmu, "Software GPU: system MMU between GPU and memory (bus != physical)");

static bool sim_noncoherent;
module_param(sim_noncoherent, bool, 0444);
MODULE_PARM_DESC(sim_noncoherent, "Software GPU: page-table walker only sees bytes synced for the device");

static uint sim_as_active_us = 10;
module_param(sim_as_active_us, uint, 0444);
MODULE_PARM_DESC(sim_as_active_us, "Software GPU: microseconds AS_ACTIVE stays set after a command");

static uint sim_tlb_entries = 64;
module_param(sim_tlb_entries, uint, 0444);
MODULE_PARM_DESC(sim_tlb_entries, "Software GPU: TLB + walk-cache entries per AS (0 = unbounded, never evicts)");

static bool sim_check_stale;
module_param(sim_check_stale, bool, 0444);
MODULE_PARM_DESC(sim_check_stale, "Software GPU: compare every cached translation with a fresh walk");

static uint sim_as_count = 8;
module_param(sim_as_count, uint, 0444);
MODULE_PARM_DESC(sim_as_count, "Software GPU: number of address-space slots (1-16)");

static struct pvm_sim *pvm_sim_global;

/**
 * pvm_sim_register() - create the software GPU and its platform device
 *
 * Called from the driver's module init after platform_driver_register(),
 * so the driver probes the "panthor-vm-sim" device right away.
 *
 * Return: 0 or a negative errno.
 */
int pvm_sim_register(void)
{
	struct pvm_sim_config cfg = {
		.profile = sim_profile,
		.smmu = sim_smmu,
		.noncoherent = sim_noncoherent,
		.check_stale = sim_check_stale,
		.as_active_us = sim_as_active_us,
		.tlb_entries = sim_tlb_entries,
		.as_count = sim_as_count,
	};
	struct pvm_platform_data pdata = {};
	struct platform_device_info info = {};
	struct resource res[PVM_SIM_NR_IRQS];
	struct platform_device *pdev;
	struct pvm_sim *sim;

	sim = pvm_sim_create(&cfg);
	if (IS_ERR(sim)) {
		pr_err("panthor-vm-sim: bad configuration (profile %u, %u AS)\n",
		       sim_profile, sim_as_count);
		return PTR_ERR(sim);
	}

	res[PVM_SIM_IRQ_GPU] = DEFINE_RES_IRQ_NAMED(sim->irqs[PVM_SIM_IRQ_GPU], "gpu");
	res[PVM_SIM_IRQ_MMU] = DEFINE_RES_IRQ_NAMED(sim->irqs[PVM_SIM_IRQ_MMU], "mmu");

	pdata.io_ops = pvm_sim_io_ops();
	pdata.io_priv = sim;
	pdata.dma_ops = pvm_sim_dma_ops();
	pdata.dma_priv = sim;
	pdata.coherent = !cfg.noncoherent;
	pdata.sim = sim;

	info.name = PVM_SIM_DEVICE_NAME;
	info.id = PLATFORM_DEVID_NONE;
	info.res = res;
	info.num_res = ARRAY_SIZE(res);
	info.data = &pdata;
	info.size_data = sizeof(pdata);

	pdev = platform_device_register_full(&info);
	if (IS_ERR(pdev)) {
		pvm_sim_destroy(sim);
		return PTR_ERR(pdev);
	}

	sim->pdev = pdev;
	pvm_sim_global = sim;
	return 0;
}

/**
 * pvm_sim_unregister() - undo pvm_sim_register()
 */
void pvm_sim_unregister(void)
{
	struct pvm_sim *sim = pvm_sim_global;

	if (!sim)
		return;

	platform_device_unregister(sim->pdev);
	pvm_sim_global = NULL;
	pvm_sim_destroy(sim);
}
