// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/bitfield.h>
#include <linux/ioport.h>
#include <linux/ktime.h>
#include <linux/logic_iomem.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

#include "pvm_sim_priv.h"

/**
 * DOC: Software GPU registers
 *
 * The register file: GPU identification, interrupt registers, GPU_COMMAND
 * cache flushes, and per address space TRANSTAB / MEMATTR / TRANSCFG /
 * LOCKADDR / COMMAND / STATUS / FAULTSTATUS / FAULTADDRESS, the time
 * registers and LATEST_FLUSH_ID. It is MMIO to
 * the driver: every software GPU owns one window of a logic_iomem region
 * (%PVM_SIM_MMIO_BASE), so ioremap() of its platform resource returns a
 * cookie whose readl() and writel() land in pvm_sim_mmio_read() and
 * pvm_sim_mmio_write(). Only 32-bit accesses exist, as on the hardware;
 * any other width is a driver error.
 *
 * Time: GPU_TIMESTAMP is CLOCK_MONOTONIC_RAW in nanoseconds (the system
 * counter of the model, %PVM_GPU_TIMESTAMP_FREQ_HZ) plus the writable
 * GPU_TIMESTAMP_OFFSET; GPU_CYCLE_COUNT counts cycles of a 500 MHz GPU
 * clock from the model's creation. Both always count (no
 * CYCLE_COUNT_START needed). CSF_GPU_LATEST_FLUSH_ID starts at 1 and goes
 * up by one at each completed cache flush: AS_COMMAND FLUSH_MEM and
 * GPU_COMMAND FLUSH_CACHES. The PVM_FWIF_* registers publish the
 * profile's command stream interface, which real hardware reports through
 * its firmware (see pvm_regs.h).
 */

/* Nanoseconds per cycle of the model's GPU clock (500 MHz). */
#define PVM_SIM_NS_PER_CYCLE	2

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
		pvm_sim_lock_log(sim, as, &r);
		break;
	case AS_COMMAND_UNLOCK:
	case AS_COMMAND_FLUSH_PT:
	case AS_COMMAND_FLUSH_MEM:
		pvm_sim_lockaddr_decode(sim, lockaddr, &r, &skip);
		/*
		 * Only the region the command names is invalidated: one that
		 * misses part of the locked region leaves stale translations
		 * of what the op changed there.
		 */
		if (as->locked &&
		    (r.start > as->lock.start || r.last < as->lock.last))
			pvm_sim_driver_error(sim,
					     "AS%u: command %u for [%#llx, %#llx] does not cover the locked region [%#llx, %#llx]",
					     as->nr, cmd, r.start, r.last,
					     as->lock.start, as->lock.last);
		pvm_sim_tlb_invalidate(as, &r, skip);
		as->locked = false;
		pvm_sim_release_stalled(sim, as);
		if (cmd == AS_COMMAND_UNLOCK)
			pvm_sim_count(sim, PVM_SIM_STAT_UNLOCK);
		else if (cmd == AS_COMMAND_FLUSH_PT)
			pvm_sim_count(sim, PVM_SIM_STAT_FLUSH_PT);
		else
			pvm_sim_count(sim, PVM_SIM_STAT_FLUSH_MEM);
		if (cmd == AS_COMMAND_FLUSH_MEM)
			sim->latest_flush_id++;
		break;
	}
}

static void pvm_sim_gpu_settle(struct pvm_sim *sim, ktime_t now)
{
	if (!sim->gpu_busy || ktime_before(now, sim->gpu_until))
		return;

	sim->gpu_busy = false;
	sim->gpu_rawstat |= GPU_IRQ_CLEAN_CACHES_COMPLETED;
	sim->latest_flush_id++;
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

/**
 * pvm_sim_settle_all() - complete every command whose busy time has passed
 * @sim: software GPU
 *
 * Called with &pvm_sim.lock held.
 */
void pvm_sim_settle_all(struct pvm_sim *sim)
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

	/* A hung command: AS_ACTIVE until a reset, and no effect. */
	if (!as->stuck_in) {
		as->busy = true;
		as->pending_cmd = cmd;
		as->pending_lockaddr = as->lockaddr;
		as->active_until = KTIME_MAX;
		pvm_sim_count(sim, PVM_SIM_STAT_HUNG_COMMANDS);
		return;
	}
	if (as->stuck_in > 0)
		as->stuck_in--;

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

/*
 * GPU_COMMAND SOFT_RESET (or HARD_RESET, the same here): every AS comes
 * back UNMAPPED with nothing cached or locked and no command in progress,
 * stalled accesses terminate, every interrupt is masked and cleared, and
 * RESET_COMPLETED is raised at once (masked: the driver polls RAWSTAT).
 * Called with sim->lock held.
 */
static void pvm_sim_soft_reset(struct pvm_sim *sim)
{
	u32 i;

	for (i = 0; i < sim->cfg.as_count; i++) {
		struct pvm_sim_as *as = &sim->as[i];

		/* A timer that fires anyway finds nothing busy. */
		hrtimer_try_to_cancel(&as->timer);
		as->busy = false;
		as->stuck_in = -1;
		as->locked = false;
		as->transtab = 0;
		as->memattr = 0;
		as->transcfg = FIELD_PREP(AS_TRANSCFG_ADRMODE,
					  AS_TRANSCFG_ADRMODE_UNMAPPED);
		as->live_transtab = as->transtab;
		as->live_memattr = as->memattr;
		as->live_transcfg = as->transcfg;
		as->lockaddr = 0;
		as->faultstatus = 0;
		as->faultaddress = 0;
		pvm_sim_tlb_drop_all(as);
		pvm_sim_release_stalled(sim, as);
	}
	hrtimer_try_to_cancel(&sim->gpu_timer);
	sim->gpu_busy = false;
	sim->mmu_rawstat = 0;
	sim->mmu_mask = 0;
	sim->gpu_mask = 0;
	sim->gpu_fault_status = 0;
	sim->gpu_fault_addr = 0;
	sim->gpu_rawstat = GPU_IRQ_RESET_COMPLETED;
	pvm_sim_csf_reset(sim);
	pvm_sim_count(sim, PVM_SIM_STAT_SOFT_RESETS);
}

/**
 * pvm_sim_set_stuck() - make a slot's AS commands hang
 * @sim: software GPU
 * @slot: AS slot
 * @after: commands that still complete; the next one keeps AS_ACTIVE set
 *	until a GPU soft reset and has no effect. -1 cancels.
 *
 * What a GPU whose MMU stopped answering looks like to the driver: its
 * waits time out, and only a reset brings the slot back.
 *
 * Return: 0, or -EINVAL for a slot the GPU does not have.
 */
int pvm_sim_set_stuck(struct pvm_sim *sim, u32 slot, int after)
{
	unsigned long flags;

	if (slot >= sim->cfg.as_count || after < -1)
		return -EINVAL;
	spin_lock_irqsave(&sim->lock, flags);
	sim->as[slot].stuck_in = after;
	spin_unlock_irqrestore(&sim->lock, flags);
	return 0;
}

static void pvm_sim_gpu_command(struct pvm_sim *sim, u32 val)
{
	switch (FIELD_GET(GPU_CMD_TYPE, val)) {
	case GPU_CMD_NOP:
		return;
	case GPU_CMD_RESET:
		pvm_sim_soft_reset(sim);
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
			sim->latest_flush_id++;
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

static u64 pvm_sim_timestamp(struct pvm_sim *sim)
{
	/* The counter is CLOCK_MONOTONIC_RAW in ns: a 1 GHz system counter. */
	BUILD_BUG_ON(PVM_GPU_TIMESTAMP_FREQ_HZ != NSEC_PER_SEC);
	return ktime_get_raw_ns() + sim->timestamp_offset;
}

static u64 pvm_sim_cycle_count(struct pvm_sim *sim)
{
	return div_u64(ktime_get_raw_ns() - sim->cycle_base,
		       PVM_SIM_NS_PER_CYCLE);
}

static u32 pvm_sim_read_locked(struct pvm_sim *sim, u32 reg)
{
	const struct pvm_sim_profile_desc *p = sim->prof;
	u32 as, off, val;

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
	case GPU_TIMESTAMP_OFFSET_LO:
		return lower_32_bits(sim->timestamp_offset);
	case GPU_TIMESTAMP_OFFSET_HI:
		return upper_32_bits(sim->timestamp_offset);
	case GPU_CYCLE_COUNT_LO:
		return lower_32_bits(pvm_sim_cycle_count(sim));
	case GPU_CYCLE_COUNT_HI:
		return upper_32_bits(pvm_sim_cycle_count(sim));
	case GPU_TIMESTAMP_LO:
		return lower_32_bits(pvm_sim_timestamp(sim));
	case GPU_TIMESTAMP_HI:
		return upper_32_bits(pvm_sim_timestamp(sim));
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
	case PVM_FWIF_CSG_SLOTS:
		return p->csg_slots;
	case PVM_FWIF_CS_SLOTS:
		return p->cs_slots;
	case PVM_FWIF_CS_WORK_REGS:
		return p->cs_work_regs;
	case PVM_FWIF_CS_SCOREBOARDS:
		return p->cs_scoreboards;
	case CSF_GPU_LATEST_FLUSH_ID:
		return sim->latest_flush_id;
	case MMU_INT_RAWSTAT:
		return sim->mmu_rawstat;
	case MMU_INT_MASK:
		return sim->mmu_mask;
	case MMU_INT_STAT:
		return sim->mmu_rawstat & sim->mmu_mask;
	default:
		return pvm_sim_csf_read(sim, reg, &val) ? val : 0;
	}
}

static u32 pvm_sim_read(struct pvm_sim *sim, u32 reg)
{
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
	case GPU_TIMESTAMP_OFFSET_LO:
		pvm_sim_set_lo(&sim->timestamp_offset, val);
		break;
	case GPU_TIMESTAMP_OFFSET_HI:
		pvm_sim_set_hi(&sim->timestamp_offset, val);
		break;
	case MMU_INT_CLEAR:
		sim->mmu_rawstat &= ~val;
		break;
	case MMU_INT_MASK:
		sim->mmu_mask = val;
		break;
	default:
		if (!pvm_sim_csf_write(sim, reg, val))
			pvm_sim_unknown_write(sim, reg, val);
		break;
	}
}

static void pvm_sim_write(struct pvm_sim *sim, u32 reg, u32 val)
{
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	pvm_sim_settle_all(sim);
	pvm_sim_write_locked(sim, reg, val);
	spin_unlock_irqrestore(&sim->lock, flags);

	pvm_sim_post(sim);
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
 * pvm_sim_regs_init() - reset state of the register file and its timers
 * @sim: software GPU
 */
void pvm_sim_regs_init(struct pvm_sim *sim)
{
	u32 i;

	sim->latest_flush_id = 1;
	sim->timestamp_offset = 0;
	sim->cycle_base = ktime_get_raw_ns();

	hrtimer_init(&sim->gpu_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	sim->gpu_timer.function = pvm_sim_gpu_timer_fn;
	for (i = 0; i < MMU_MAX_AS; i++) {
		hrtimer_init(&sim->as[i].timer, CLOCK_MONOTONIC,
			     HRTIMER_MODE_REL);
		sim->as[i].timer.function = pvm_sim_as_timer_fn;
	}
}

/* ---- MMIO ------------------------------------------------------------ */

static unsigned long pvm_sim_mmio_read(void *priv, unsigned int offset,
				       int size)
{
	struct pvm_sim *sim = priv;

	if (size != 4 || offset & 3) {
		pvm_sim_driver_error(sim, "%d-byte read at register offset %#x",
				     size, offset);
		return ~0UL;
	}
	return pvm_sim_read(sim, offset);
}

static void pvm_sim_mmio_write(void *priv, unsigned int offset, int size,
			       unsigned long val)
{
	struct pvm_sim *sim = priv;

	if (size != 4 || offset & 3) {
		pvm_sim_driver_error(sim, "%d-byte write of %#lx at register offset %#x",
				     size, val, offset);
		return;
	}
	pvm_sim_write(sim, offset, val);
}

static void pvm_sim_mmio_unmap(void *priv)
{
	struct pvm_sim *sim = priv;

	atomic_dec(&sim->mmio_maps);
}

static const struct logic_iomem_ops pvm_sim_mmio_ops = {
	.read = pvm_sim_mmio_read,
	.write = pvm_sim_mmio_write,
	.unmap = pvm_sim_mmio_unmap,
};

static struct resource pvm_sim_mmio_region = {
	.name = "panthor-vm-sim registers",
	.start = PVM_SIM_MMIO_BASE,
	.end = PVM_SIM_MMIO_BASE +
	       (u64)PVM_SIM_MMIO_WINDOWS * PVM_SIM_MMIO_WINDOW - 1,
	.flags = IORESOURCE_MEM,
};

/*
 * pvm_sim_windows_lock protects pvm_sim_windows[]; ioremap() takes it
 * inside logic_iomem's own lock. pvm_sim_region_lock serialises the
 * one-time registration, which takes logic_iomem's lock, so the two are
 * never held together.
 */
static DEFINE_MUTEX(pvm_sim_windows_lock);
static DEFINE_MUTEX(pvm_sim_region_lock);
static struct pvm_sim *pvm_sim_windows[PVM_SIM_MMIO_WINDOWS];
static bool pvm_sim_region_added;

/* Called by ioremap() with logic_iomem's region lock held. */
static long pvm_sim_mmio_map(unsigned long offset, size_t size,
			     const struct logic_iomem_ops **ops, void **priv)
{
	unsigned long idx = offset / PVM_SIM_MMIO_WINDOW;
	unsigned long off = offset % PVM_SIM_MMIO_WINDOW;
	struct pvm_sim *sim;

	if (idx >= PVM_SIM_MMIO_WINDOWS || size > PVM_SIM_MMIO_WINDOW - off)
		return -EINVAL;

	mutex_lock(&pvm_sim_windows_lock);
	sim = pvm_sim_windows[idx];
	if (sim)
		atomic_inc(&sim->mmio_maps);
	mutex_unlock(&pvm_sim_windows_lock);
	if (!sim)
		return -ENODEV;

	*ops = &pvm_sim_mmio_ops;
	*priv = sim;
	return off;
}

static const struct logic_iomem_region_ops pvm_sim_mmio_region_ops = {
	.map = pvm_sim_mmio_map,
};

/**
 * pvm_sim_mmio_init() - give a software GPU its register window
 * @sim: software GPU
 *
 * Registers the logic_iomem region on first use (it stays for the life of
 * the kernel, which is why the software GPU is never a module) and fills
 * &pvm_sim.mmio with a free window.
 *
 * Return: 0, -EBUSY when every window is taken, or -ENOMEM.
 */
int pvm_sim_mmio_init(struct pvm_sim *sim)
{
	unsigned int i;
	int ret = 0;

	mutex_lock(&pvm_sim_region_lock);
	if (!pvm_sim_region_added) {
		ret = logic_iomem_add_region(&pvm_sim_mmio_region,
					     &pvm_sim_mmio_region_ops);
		pvm_sim_region_added = !ret;
	}
	mutex_unlock(&pvm_sim_region_lock);
	if (ret)
		return ret;

	ret = -EBUSY;
	mutex_lock(&pvm_sim_windows_lock);
	for (i = 0; i < PVM_SIM_MMIO_WINDOWS; i++) {
		if (pvm_sim_windows[i])
			continue;
		pvm_sim_windows[i] = sim;
		sim->mmio_window = i;
		sim->mmio = DEFINE_RES_MEM_NAMED(PVM_SIM_MMIO_BASE +
						 (u64)i * PVM_SIM_MMIO_WINDOW,
						 PVM_SIM_MMIO_WINDOW,
						 "registers");
		ret = 0;
		break;
	}
	mutex_unlock(&pvm_sim_windows_lock);
	return ret;
}

/**
 * pvm_sim_mmio_fini() - give the register window back
 * @sim: software GPU whose window nobody has mapped any more
 */
void pvm_sim_mmio_fini(struct pvm_sim *sim)
{
	if (!sim->mmio.flags)
		return;

	if (atomic_read(&sim->mmio_maps))
		pr_warn("panthor-vm-sim: registers still mapped at teardown\n");

	mutex_lock(&pvm_sim_windows_lock);
	pvm_sim_windows[sim->mmio_window] = NULL;
	mutex_unlock(&pvm_sim_windows_lock);
}
