// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/bitfield.h>
#include <linux/bitops.h>
#include <linux/device.h>
#include <linux/iopoll.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "pvm_device.h"
#include "pvm_mmu.h"
#include "pvm_mmu_priv.h"
#include "pvm_regs.h"

/**
 * DOC: MMU unit
 *
 * pvm_mmu owns the GPU's address-space (AS) slots and every AS command:
 * binding a VM to a slot (TRANSTAB / MEMATTR / TRANSCFG + UPDATE),
 * disabling a slot, the lock-region encoding, the op window (LOCK before
 * the first page-table write of a VM_BIND op, exactly one cache flush and
 * UNLOCK after the last one), the AS_ACTIVE waits and the MMU fault IRQ.
 * It reaches the GPU only through pvm_read() / pvm_write() and knows
 * nothing of drm_gpuvm or page tables: the VM layer embeds one
 * &struct pvm_as per VM and calls in.
 *
 * Slot 0 belongs to the MCU firmware; user VMs get slots 1..N of
 * GPU_AS_PRESENT. pvm_as_activate() binds an AS on demand, evicting the
 * least recently used idle AS when every slot is taken (-EBUSY when none
 * is idle). pvm_as_idle() drops the active reference but keeps the slot:
 * an idle AS is only disabled when its slot is needed, so re-activating a
 * recently used VM costs nothing.
 *
 * The unit is three files: pvm_mmu.c (slots, activation and eviction,
 * setup, counters and debugfs), pvm_mmu_op.c (AS commands, lock-region
 * encoding and the op window) and pvm_mmu_irq.c (fault decoding, the fault
 * and cache-flush IRQs). pvm_mmu_priv.h holds what they share.
 */

/**
 * DOC: Locking
 *
 * Three mutexes, always taken in this order:
 *
 * 1. &pvm_mmu.fault_lock: held by the fault thread while it handles and
 *    dispatches faults, by pvm_as_fini() so an AS cannot go away while
 *    its fault callback runs, and by the GPU reset;
 * 2. &pvm_as.op_lock: held for a whole op window and by the slow path of
 *    pvm_as_activate(), so a VM is never bound to a slot mid-update;
 * 3. &pvm_mmu.slots_lock: the slot table, the LRU, fault masks and every
 *    AS register write and command (commands on one slot, and the
 *    device-wide GPU cache flush, are thus serialised).
 *
 * &pvm_as.in_op is written with both the op lock and the slots lock held,
 * so the eviction path (slots lock only) never evicts an AS inside an op
 * window. &pvm_as_ops.fault is called with only the fault lock held.
 *
 * The hard IRQ handlers only touch registers and an atomic; they take no
 * lock.
 */

/**
 * DOC: Recovery
 *
 * A command that does not complete (AS_ACTIVE stuck, a cache flush that
 * never signals) leaves the GPU in an unknown state: the slot may still
 * translate with whatever it cached, and the lock may or may not be held.
 * So any timeout makes the slot dead (&pvm_mmu.dead_mask) and its owner
 * tainted (&pvm_as.tainted), and queues a GPU soft reset. Until it
 * completed:
 *
 * - a dead slot gets no new owner and no command; the tainted AS keeps
 *   it, cannot be activated (-EIO), and its op windows open without
 *   touching the GPU and close with -ETIMEDOUT, so the VM layer keeps
 *   every table and BO page such an op unlinked (the GPU may still reach
 *   them), and the VM becomes unusable;
 * - pvm_as_wait_recovered() and pvm_as_fini() wait for the reset (bounded
 *   by the reset's own timeout) before reporting the AS clean.
 *
 * The reset (GPU_COMMAND SOFT_RESET, then RESET_COMPLETED in
 * GPU_INT_RAWSTAT) leaves every slot UNMAPPED with nothing cached, so
 * every AS loses its slot (and re-activates on demand), taints are
 * cleared and the interrupt masks the reset cleared are restored. A reset
 * that does not complete wedges the MMU: dead slots stay dead, tainted
 * ASes stay tainted, and the VM layer never frees what they can reach.
 */

static const char * const pvm_mmu_stat_names[PVM_MMU_STAT_COUNT] = {
	[PVM_MMU_STAT_OPS] = "ops",
	[PVM_MMU_STAT_OPS_RESIDENT] = "ops_resident",
	[PVM_MMU_STAT_OPS_WIDENED] = "ops_widened",
	[PVM_MMU_STAT_LOCKS] = "locks",
	[PVM_MMU_STAT_FLUSHES] = "flushes",
	[PVM_MMU_STAT_UNLOCKS] = "unlocks",
	[PVM_MMU_STAT_UPDATES] = "updates",
	[PVM_MMU_STAT_LOCK_BYTES] = "lock_bytes",
	[PVM_MMU_STAT_ACTIVATIONS] = "activations",
	[PVM_MMU_STAT_EVICTIONS] = "evictions",
	[PVM_MMU_STAT_FAULTS] = "faults",
	[PVM_MMU_STAT_TIMEOUTS] = "timeouts",
	[PVM_MMU_STAT_RESETS] = "resets",
};

/**
 * pvm_mmu_stat() - read one counter
 * @mmu: MMU
 * @stat: counter
 *
 * Return: the counter's value.
 */
u64 pvm_mmu_stat(struct pvm_mmu *mmu, enum pvm_mmu_stat stat)
{
	return atomic64_read(&mmu->stats[stat]);
}

/**
 * pvm_mmu_memattr() - the AS_MEMATTR value of a user VM
 * @coherent: the GPU is IO-coherent with the CPU
 *
 * Index %PVM_ATTR_IDX_WB is write-back with read and write allocation,
 * index %PVM_ATTR_IDX_NC is non-cacheable. Write-back is only
 * CPU-shareable on a coherent system; otherwise it must stay inside the
 * GPU (MIDGARD_INNER), as the Mali specification forbids inner and outer
 * shareable write-back memory when coherency is off. Every other index is
 * FAULT, so a descriptor with a stray AttrIndx faults instead of silently
 * picking an attribute.
 *
 * Return: the 64-bit register value.
 */
u64 pvm_mmu_memattr(bool coherent)
{
	u8 wb = FIELD_PREP(AS_MEMATTR_TYPE, AS_MEMATTR_TYPE_WB) |
		FIELD_PREP(AS_MEMATTR_SH, coherent ? AS_MEMATTR_SH_CPU_INNER :
						     AS_MEMATTR_SH_MIDGARD_INNER) |
		AS_MEMATTR_ALLOC_EXPL_W | AS_MEMATTR_ALLOC_EXPL_R;
	u8 nc = FIELD_PREP(AS_MEMATTR_TYPE, AS_MEMATTR_TYPE_NC) |
		AS_MEMATTR_ALLOC_EXPL_NONE;
	u8 fault = FIELD_PREP(AS_MEMATTR_TYPE, AS_MEMATTR_TYPE_FAULT);
	u64 val = 0;
	unsigned int i;

	for (i = 0; i < 8; i++)
		val |= AS_MEMATTR_BYTE(i, fault);
	val &= ~(AS_MEMATTR_BYTE(PVM_ATTR_IDX_WB, 0xff) |
		 AS_MEMATTR_BYTE(PVM_ATTR_IDX_NC, 0xff));
	return val | AS_MEMATTR_BYTE(PVM_ATTR_IDX_WB, wb) |
	       AS_MEMATTR_BYTE(PVM_ATTR_IDX_NC, nc);
}

/**
 * pvm_mmu_transcfg() - the AS_TRANSCFG value of a user VM
 * @va_bits: VA size of the page table (selects the walk start level)
 * @coherent: the page-table walker snoops CPU caches
 *
 * AArch64 4 KiB granule, INA_BITS = 55 - @va_bits, walks through the L2
 * as write-back with read-allocate, outer-shareable walks only when
 * coherent.
 *
 * Return: the 64-bit register value.
 */
u64 pvm_mmu_transcfg(unsigned int va_bits, bool coherent)
{
	u64 val = FIELD_PREP(AS_TRANSCFG_ADRMODE, AS_TRANSCFG_ADRMODE_AARCH64_4K) |
		  FIELD_PREP(AS_TRANSCFG_INA_BITS, 55 - va_bits) |
		  FIELD_PREP(AS_TRANSCFG_PTW_MEMATTR, AS_TRANSCFG_PTW_MEMATTR_WB) |
		  AS_TRANSCFG_PTW_RA;

	if (coherent)
		val |= FIELD_PREP(AS_TRANSCFG_PTW_SH, AS_TRANSCFG_PTW_SH_OS);
	return val;
}

/* Full-VA lock region, used when a slot is disabled. */
static u64 pvm_mmu_lockaddr_all(struct pvm_mmu *mmu)
{
	u64 start, size;

	return pvm_mmu_lockaddr(0, BIT_ULL(mmu->va_bits), mmu->lock_min_log2,
				&start, &size);
}

/*
 * Take a slot away from its AS: write back and invalidate the caches
 * under a full-VA lock, then UNMAPPED + UPDATE, so nothing of the old VM
 * stays cached once the slot has a new owner.
 */
static int pvm_mmu_slot_disable(struct pvm_mmu *mmu, int slot)
{
	u64 all = pvm_mmu_lockaddr_all(mmu);
	int ret;

	ret = pvm_mmu_as_send(mmu, slot, AS_COMMAND_LOCK, true, all);
	if (!ret)
		ret = pvm_mmu_flush_unlock(mmu, slot, all);
	if (!ret)
		ret = pvm_mmu_slot_set_unmapped(mmu, slot);
	return ret;
}

static int pvm_mmu_slot_enable(struct pvm_mmu *mmu, int slot,
			       struct pvm_as *as)
{
	int ret;

	ret = pvm_mmu_wait_ready(mmu, slot);
	if (ret)
		return ret;
	pvm_write64(mmu->pdev, AS_TRANSTAB_LO(slot), as->transtab);
	pvm_write64(mmu->pdev, AS_MEMATTR_LO(slot), as->memattr);
	pvm_write64(mmu->pdev, AS_TRANSCFG_LO(slot), as->transcfg);
	return pvm_mmu_as_send(mmu, slot, AS_COMMAND_UPDATE, false, 0);
}

static void pvm_mmu_slot_unbind(struct pvm_mmu *mmu, struct pvm_as *as)
{
	int slot = as->slot;

	/* Its last fault is still the old owner's, handled or not. */
	pvm_mmu_slot_take_pending(mmu, slot);
	mmu->slots[slot] = NULL;
	mmu->alloc_mask &= ~BIT(slot);
	as->slot = -1;
	list_del_init(&as->lru_node);
	/* A fault latched for the old owner must not reach the next one. */
	pvm_mmu_slot_clear_fault(mmu, slot);
}

/**
 * pvm_as_init() - set up an address space
 * @mmu: MMU of the GPU
 * @as: AS to set up (embedded in the VM)
 * @transtab: AS_TRANSTAB value
 * @transcfg: AS_TRANSCFG value (pvm_mmu_transcfg())
 * @memattr: AS_MEMATTR value (pvm_mmu_memattr())
 * @ops: VM callbacks, may be NULL
 *
 * The AS starts idle and not resident.
 */
void pvm_as_init(struct pvm_mmu *mmu, struct pvm_as *as, u64 transtab,
		 u64 transcfg, u64 memattr, const struct pvm_as_ops *ops)
{
	memset(as, 0, sizeof(*as));
	as->mmu = mmu;
	as->ops = ops;
	as->transtab = transtab;
	as->transcfg = transcfg;
	as->memattr = memattr;
	as->slot = -1;
	INIT_LIST_HEAD(&as->lru_node);
	mutex_init(&as->op_lock);
}

static struct pvm_as *pvm_mmu_pick_victim(struct pvm_mmu *mmu)
{
	struct pvm_as *as;

	list_for_each_entry(as, &mmu->lru, lru_node) {
		if (!as->in_op && !as->tainted)
			return as;
	}
	return NULL;
}

/* Find a slot for @as, evicting the LRU idle AS if needed; bind it. */
static int pvm_mmu_bind_slot(struct pvm_mmu *mmu, struct pvm_as *as)
{
	u32 free = mmu->user_slots & ~mmu->alloc_mask & ~mmu->dead_mask;
	struct pvm_as *victim;
	int slot, ret;

	lockdep_assert_held(&mmu->slots_lock);

	if (free) {
		slot = __ffs(free);
	} else {
		victim = pvm_mmu_pick_victim(mmu);
		if (!victim)
			return -EBUSY;
		slot = victim->slot;
		ret = pvm_mmu_slot_disable(mmu, slot);
		if (ret)
			return ret;
		pvm_mmu_slot_unbind(mmu, victim);
		pvm_mmu_count(mmu, PVM_MMU_STAT_EVICTIONS, 1);
	}

	mmu->slots[slot] = as;
	mmu->alloc_mask |= BIT(slot);
	as->slot = slot;
	pvm_mmu_slot_clear_fault(mmu, slot);
	/* A timeout leaves the slot dead and @as tainted on it. */
	ret = pvm_mmu_slot_enable(mmu, slot, as);
	if (ret)
		return ret;
	pvm_mmu_count(mmu, PVM_MMU_STAT_ACTIVATIONS, 1);
	return 0;
}

static void pvm_as_get_locked(struct pvm_as *as)
{
	if (!as->active_cnt++)
		list_del_init(&as->lru_node);
}

/**
 * pvm_as_activate() - make an AS usable by the GPU and take an active ref
 * @as: AS
 *
 * Binds @as to a free user slot, or to the slot of the least recently
 * used idle AS that is not inside an op window, programs TRANSTAB,
 * MEMATTR and TRANSCFG and issues UPDATE. An AS disabled by a fault is
 * re-enabled (fault cleared, IRQ unmasked, registers reprogrammed). An
 * active AS is never evicted. Must not be called from inside @as's own
 * op window.
 *
 * Return: 0, -EBUSY when every slot is held by an active or updating AS,
 * -ETIMEDOUT when the GPU did not complete a command, -EIO for an AS
 * tainted by an earlier timeout (see DOC: Recovery), -ENODEV after
 * pvm_mmu_unplug().
 */
int pvm_as_activate(struct pvm_as *as)
{
	struct pvm_mmu *mmu = as->mmu;
	int ret = 0;

	/* Fast path: resident and healthy, nothing to program. */
	mutex_lock(&mmu->slots_lock);
	if (as->slot >= 0 && !as->faulty && !as->tainted) {
		pvm_as_get_locked(as);
		mutex_unlock(&mmu->slots_lock);
		return 0;
	}
	mutex_unlock(&mmu->slots_lock);

	mutex_lock(&as->op_lock);
	mutex_lock(&mmu->slots_lock);
	if (mmu->unplugged) {
		ret = -ENODEV;
	} else if (as->tainted) {
		ret = -EIO;
	} else if (as->slot < 0) {
		ret = pvm_mmu_bind_slot(mmu, as);
	} else if (as->faulty) {
		pvm_mmu_slot_clear_fault(mmu, as->slot);
		ret = pvm_mmu_slot_enable(mmu, as->slot, as);
	}
	if (!ret) {
		as->faulty = false;
		pvm_as_get_locked(as);
	}
	mutex_unlock(&mmu->slots_lock);
	mutex_unlock(&as->op_lock);
	return ret;
}

/**
 * pvm_as_idle() - drop an active reference taken by pvm_as_activate()
 * @as: AS
 *
 * When the last reference goes the AS keeps its slot and goes to the tail
 * of the LRU: it is disabled only when another AS needs the slot.
 */
void pvm_as_idle(struct pvm_as *as)
{
	struct pvm_mmu *mmu = as->mmu;

	mutex_lock(&mmu->slots_lock);
	if (WARN_ON(!as->active_cnt))
		goto out;
	if (!--as->active_cnt && as->slot >= 0)
		list_add_tail(&as->lru_node, &mmu->lru);
out:
	mutex_unlock(&mmu->slots_lock);
}

/**
 * pvm_as_wait_recovered() - wait for the reset a timeout of @as queued
 * @as: AS, outside its op window
 *
 * Return: true when @as is not tainted (any more): the GPU reaches
 * nothing of it but through its slot's current page table, false when the
 * MMU is wedged or unplugged with @as tainted.
 */
bool pvm_as_wait_recovered(struct pvm_as *as)
{
	struct pvm_mmu *mmu = as->mmu;
	bool tainted;

	mutex_lock(&mmu->slots_lock);
	tainted = as->tainted;
	mutex_unlock(&mmu->slots_lock);
	if (!tainted)
		return true;

	flush_work(&mmu->reset_work);
	mutex_lock(&mmu->slots_lock);
	tainted = as->tainted;
	mutex_unlock(&mmu->slots_lock);
	return !tainted;
}

/* Disable and release @as's slot; false if @as is (now) tainted. */
static bool pvm_as_release_slot(struct pvm_as *as)
{
	struct pvm_mmu *mmu = as->mmu;
	bool clean;

	mutex_lock(&mmu->fault_lock);
	mutex_lock(&as->op_lock);
	mutex_lock(&mmu->slots_lock);
	WARN_ON(as->active_cnt);
	if (as->slot >= 0 && !as->tainted &&
	    !pvm_mmu_slot_disable(mmu, as->slot))
		pvm_mmu_slot_unbind(mmu, as);
	clean = !as->tainted;
	if (as->tainted && (mmu->wedged || mmu->unplugged) && as->slot >= 0) {
		/* The slot stays dead; only the owner pointer goes. */
		mmu->slots[as->slot] = NULL;
		as->slot = -1;
	}
	list_del_init(&as->lru_node);
	mutex_unlock(&mmu->slots_lock);
	mutex_unlock(&as->op_lock);
	mutex_unlock(&mmu->fault_lock);
	return clean;
}

/**
 * pvm_as_fini() - release an AS
 * @as: AS, idle and outside any op window
 *
 * If @as holds a slot, the GPU caches are flushed and the slot is set to
 * UNMAPPED + UPDATE before it is freed. Waits for a fault callback on
 * @as that is in flight. If the GPU does not answer, or @as was tainted
 * before, waits for the reset that follows (see DOC: Recovery).
 *
 * Return: true when the GPU can no longer reach anything through @as,
 * false when it may (wedged or unplugged MMU): the caller must then keep
 * every page @as's tables reach, and the tables, forever.
 */
bool pvm_as_fini(struct pvm_as *as)
{
	bool clean = pvm_as_release_slot(as);

	/* A timeout just now or before: once more after the reset. */
	if (!clean && pvm_as_wait_recovered(as))
		clean = pvm_as_release_slot(as);
	if (clean)
		mutex_destroy(&as->op_lock);
	return clean;
}

/*
 * GPU soft reset: every slot comes back UNMAPPED with nothing cached, the
 * interrupt masks cleared.
 */
static int pvm_mmu_soft_reset(struct pvm_mmu *mmu)
{
	struct pvm_device *pdev = mmu->pdev;
	u32 raw;
	int ret;

	lockdep_assert_held(&mmu->slots_lock);

	pvm_write(pdev, GPU_INT_CLEAR, GPU_IRQ_RESET_COMPLETED);
	pvm_write(pdev, GPU_CMD, FIELD_PREP(GPU_CMD_TYPE, GPU_CMD_RESET) |
		  FIELD_PREP(GPU_CMD_PAYLOAD, GPU_CMD_RESET_SOFT));
	ret = read_poll_timeout(pvm_read, raw, raw & GPU_IRQ_RESET_COMPLETED,
				PVM_MMU_RESET_POLL_US, PVM_MMU_RESET_TIMEOUT_US,
				false, pdev, GPU_INT_RAWSTAT);
	if (ret)
		return ret;
	pvm_write(pdev, GPU_INT_CLEAR, GPU_IRQ_RESET_COMPLETED);
	return 0;
}

/* Reset the GPU if a slot is dead; &pvm_mmu.slots_lock held. */
static void pvm_mmu_recover_locked(struct pvm_mmu *mmu)
{
	unsigned int i;

	lockdep_assert_held(&mmu->slots_lock);
	if (!mmu->dead_mask || mmu->wedged || mmu->unplugged)
		return;

	if (pvm_mmu_soft_reset(mmu)) {
		mmu->wedged = true;
		dev_err(mmu->dev, "GPU soft reset timed out: MMU wedged, memory the GPU may reach is kept\n");
		return;
	}

	/* Nothing is mapped or cached any more: every AS loses its slot. */
	for (i = 0; i < MMU_MAX_AS; i++) {
		struct pvm_as *as = mmu->slots[i];

		if (!as)
			continue;
		as->hw_locked = false;
		as->tainted = false;
		as->faulty = false;
		pvm_mmu_slot_unbind(mmu, as);
	}
	mmu->dead_mask = 0;
	mmu->fault_mask = 0;
	pvm_mmu_irq_restore(mmu);
	pvm_mmu_count(mmu, PVM_MMU_STAT_RESETS, 1);
	dev_info(mmu->dev, "GPU soft reset after an MMU timeout\n");
}

static void pvm_mmu_reset_work(struct work_struct *work)
{
	struct pvm_mmu *mmu = container_of(work, struct pvm_mmu, reset_work);

	/* Not while a fault is dispatched: the reset clears fault state. */
	mutex_lock(&mmu->fault_lock);
	mutex_lock(&mmu->slots_lock);
	pvm_mmu_recover_locked(mmu);
	mutex_unlock(&mmu->slots_lock);
	mutex_unlock(&mmu->fault_lock);
}

/**
 * pvm_mmu_timed_out() - a command on a slot did not complete
 * @mmu: MMU; &pvm_mmu.slots_lock held
 * @slot: the slot
 *
 * Marks @slot dead and its owner tainted, and queues the reset (see
 * DOC: Recovery).
 */
void pvm_mmu_timed_out(struct pvm_mmu *mmu, int slot)
{
	lockdep_assert_held(&mmu->slots_lock);

	mmu->dead_mask |= BIT(slot);
	if (mmu->slots[slot]) {
		mmu->slots[slot]->tainted = true;
		mmu->slots[slot]->hw_locked = false;
	}
	queue_work(system_unbound_wq, &mmu->reset_work);
}

/**
 * pvm_mmu_unplug() - the device goes away: no more GPU access
 * @mmu: MMU
 *
 * Called at unbind, after drm_dev_unplug(), while the registers and IRQs
 * are still there. Resets the GPU first if a slot is dead, disables every
 * slot (so the GPU reaches nothing of any VM), masks the MMU interrupts
 * and marks the MMU unplugged: ASes that outlive the device (VMs held by
 * open files or queued jobs) then never touch a register again, their op
 * windows do software updates only and pvm_as_activate() says -ENODEV.
 */
void pvm_mmu_unplug(struct pvm_mmu *mmu)
{
	unsigned int i;

	cancel_work_sync(&mmu->reset_work);
	mutex_lock(&mmu->fault_lock);
	mutex_lock(&mmu->slots_lock);
	pvm_mmu_recover_locked(mmu);
	for (i = 0; i < MMU_MAX_AS; i++) {
		struct pvm_as *as = mmu->slots[i];

		if (!as || as->tainted)
			continue;
		if (pvm_mmu_slot_disable(mmu, i))
			continue;
		as->hw_locked = false;
		pvm_mmu_slot_unbind(mmu, as);
	}
	pvm_mmu_irq_mask_all(mmu);
	mmu->unplugged = true;
	mutex_unlock(&mmu->slots_lock);
	mutex_unlock(&mmu->fault_lock);
	/* A disable that timed out above queued a reset nobody needs now. */
	cancel_work_sync(&mmu->reset_work);
}

/**
 * pvm_mmu_init_irqs() - set up the AS slots of a GPU with given IRQ lines
 * @pdev: device whose registers are used
 * @dev: device that owns the IRQs (devm)
 * @mmu_irq: MMU fault IRQ, or -1: faults are then only handled when
 *	pvm_mmu_handle_faults() is called
 * @gpu_irq: GPU IRQ (cache flush completion), or -1: completion is polled
 *
 * Sets up &pvm_device.mmu, which lives as long as @pdev. Reads GPU_ID
 * (arch major selects the flush method and the minimum lock region),
 * GPU_MMU_FEATURES (VA bits) and GPU_AS_PRESENT (user slots are
 * the present ones except the MCU's slot 0). Coherency is taken from
 * &pvm_device.coherent.
 *
 * Return: 0 or a negative errno.
 */
int pvm_mmu_init_irqs(struct pvm_device *pdev, struct device *dev,
		      int mmu_irq, int gpu_irq)
{
	struct pvm_mmu *mmu = &pdev->mmu;
	u32 gpu_id, as_present;

	memset(mmu, 0, sizeof(*mmu));
	mmu->pdev = pdev;
	mmu->dev = dev;
	mmu->mmu_irq = -1;
	mmu->gpu_irq = -1;
	gpu_id = pvm_read(pdev, GPU_ID);
	mmu->arch_major = FIELD_GET(GPU_ID_ARCH_MAJOR, gpu_id);
	mmu->va_bits = FIELD_GET(GPU_MMU_FEATURES_VA_BITS,
				 pvm_read(pdev, GPU_MMU_FEATURES));
	mmu->coherent = pdev->coherent;
	mmu->lock_min_log2 = mmu->arch_major >= 12 ?
			     AS_LOCK_REGION_MIN_LOG2_ARCH12 :
			     AS_LOCK_REGION_MIN_LOG2;
	as_present = pvm_read(pdev, GPU_AS_PRESENT);
	mmu->user_slots = as_present & GENMASK(MMU_MAX_AS - 1, 0) &
			  ~BIT(PVM_MMU_MCU_SLOT);

	if (mmu->va_bits < 32 || mmu->va_bits > 48) {
		dev_err(dev, "unsupported GPU VA size: %u bits\n", mmu->va_bits);
		return -ENODEV;
	}
	if (!mmu->user_slots) {
		dev_err(dev, "no AS slot for user VMs (AS_PRESENT 0x%x)\n",
			as_present);
		return -ENODEV;
	}

	/* Never destroyed: they live as long as @pdev, as the ASes using them. */
	mutex_init(&mmu->slots_lock);
	mutex_init(&mmu->fault_lock);
	INIT_LIST_HEAD(&mmu->lru);
	init_waitqueue_head(&mmu->flush_wq);
	INIT_WORK(&mmu->reset_work, pvm_mmu_reset_work);

	return pvm_mmu_irq_init(mmu, mmu_irq, gpu_irq);
}

/**
 * pvm_mmu_init() - set up the AS slots of a platform GPU
 * @pdev: device whose registers are used
 * @pldev: platform device that owns the resources (devm) and has the
 *	"mmu" IRQ (required) and the "gpu" IRQ (optional, flush completion
 *	is polled without it)
 *
 * See pvm_mmu_init_irqs().
 *
 * Return: 0 or a negative errno.
 */
int pvm_mmu_init(struct pvm_device *pdev, struct platform_device *pldev)
{
	int mmu_irq, gpu_irq;

	mmu_irq = platform_get_irq_byname(pldev, "mmu");
	if (mmu_irq < 0)
		return mmu_irq;
	gpu_irq = platform_get_irq_byname_optional(pldev, "gpu");
	if (gpu_irq < 0 && gpu_irq != -ENXIO)
		return gpu_irq;
	return pvm_mmu_init_irqs(pdev, &pldev->dev, mmu_irq,
				 gpu_irq < 0 ? -1 : gpu_irq);
}

/**
 * pvm_as_debugfs_show() - print an AS's slot state and last fault
 * @as: AS
 * @m: seq_file
 */
void pvm_as_debugfs_show(struct pvm_as *as, struct seq_file *m)
{
	struct pvm_mmu *mmu = as->mmu;

	mutex_lock(&mmu->slots_lock);
	seq_printf(m, "as_slot: %d\nas_active: %u\nas_faulty: %d\nas_faults: %u\nas_tainted: %d\n",
		   as->slot, as->active_cnt, as->faulty, as->fault_count,
		   as->tainted);
	if (as->fault_count) {
		const struct pvm_as_fault *f = &as->fault;

		seq_printf(m, "last_fault: %s level %u code 0x%02x access %s addr 0x%016llx status 0x%08x source 0x%04x slot %d\n",
			   f->name, f->level, f->exception,
			   pvm_mmu_access_name(f->access), f->addr, f->status,
			   f->source_id, f->slot);
	}
	mutex_unlock(&mmu->slots_lock);
}

/**
 * pvm_mmu_debugfs_show() - print the MMU counters and slot table
 * @mmu: MMU
 * @m: seq_file
 */
void pvm_mmu_debugfs_show(struct pvm_mmu *mmu, struct seq_file *m)
{
	unsigned int i;

	seq_printf(m, "arch_major: %u\nva_bits: %u\ncoherent: %d\nlock_min_log2: %u\nuser_slots: 0x%x\n",
		   mmu->arch_major, mmu->va_bits, mmu->coherent,
		   mmu->lock_min_log2, mmu->user_slots);
	mutex_lock(&mmu->slots_lock);
	seq_printf(m, "dead_slots: 0x%x\nwedged: %d\nunplugged: %d\n",
		   mmu->dead_mask, mmu->wedged, mmu->unplugged);
	mutex_unlock(&mmu->slots_lock);
	for (i = 0; i < PVM_MMU_STAT_COUNT; i++)
		seq_printf(m, "%s: %llu\n", pvm_mmu_stat_names[i],
			   pvm_mmu_stat(mmu, i));

	mutex_lock(&mmu->slots_lock);
	for (i = 0; i < MMU_MAX_AS; i++) {
		struct pvm_as *as = mmu->slots[i];

		if (!(mmu->user_slots & BIT(i)))
			continue;
		seq_printf(m, "slot%u: %s", i, as ? "bound" : "free");
		if (as)
			seq_printf(m, " active %u%s%s%s", as->active_cnt,
				   as->in_op ? " in_op" : "",
				   as->faulty ? " faulty" : "",
				   as->tainted ? " tainted" : "");
		seq_putc(m, '\n');
	}
	mutex_unlock(&mmu->slots_lock);
}
