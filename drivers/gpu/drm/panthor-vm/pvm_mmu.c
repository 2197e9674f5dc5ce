// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/bitfield.h>
#include <linux/bitops.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/wait.h>

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
 *    dispatches faults, and by pvm_as_fini() so an AS cannot go away while
 *    its fault callback runs;
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
		if (!as->in_op)
			return as;
	}
	return NULL;
}

/* Find a slot for @as, evicting the LRU idle AS if needed; bind it. */
static int pvm_mmu_bind_slot(struct pvm_mmu *mmu, struct pvm_as *as)
{
	u32 free = mmu->user_slots & ~mmu->alloc_mask;
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
	ret = pvm_mmu_slot_enable(mmu, slot, as);
	if (ret) {
		/* The slot's state is unknown: leave it free and unmapped. */
		pvm_mmu_slot_unbind(mmu, as);
		return ret;
	}
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
 * -ETIMEDOUT when the GPU did not complete a command.
 */
int pvm_as_activate(struct pvm_as *as)
{
	struct pvm_mmu *mmu = as->mmu;
	int ret = 0;

	/* Fast path: resident and healthy, nothing to program. */
	mutex_lock(&mmu->slots_lock);
	if (as->slot >= 0 && !as->faulty) {
		pvm_as_get_locked(as);
		mutex_unlock(&mmu->slots_lock);
		return 0;
	}
	mutex_unlock(&mmu->slots_lock);

	mutex_lock(&as->op_lock);
	mutex_lock(&mmu->slots_lock);
	if (as->slot < 0) {
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
 * pvm_as_fini() - release an AS
 * @as: AS, idle and outside any op window
 *
 * If @as holds a slot, the GPU caches are flushed and the slot is set to
 * UNMAPPED + UPDATE before it is freed. Waits for a fault callback on
 * @as that is in flight. The slot is released even if the GPU does not
 * answer (the error is logged).
 */
void pvm_as_fini(struct pvm_as *as)
{
	struct pvm_mmu *mmu = as->mmu;

	mutex_lock(&mmu->fault_lock);
	mutex_lock(&as->op_lock);
	mutex_lock(&mmu->slots_lock);
	WARN_ON(as->active_cnt);
	if (as->slot >= 0) {
		pvm_mmu_slot_disable(mmu, as->slot);
		pvm_mmu_slot_unbind(mmu, as);
	}
	list_del_init(&as->lru_node);
	mutex_unlock(&mmu->slots_lock);
	mutex_unlock(&as->op_lock);
	mutex_unlock(&mmu->fault_lock);
	mutex_destroy(&as->op_lock);
}

/**
 * pvm_mmu_init_irqs() - set up the AS slots of a GPU with given IRQ lines
 * @pdev: device whose registers are used
 * @dev: device that owns the resources (devm)
 * @mmu_irq: MMU fault IRQ, or -1: faults are then only handled when
 *	pvm_mmu_handle_faults() is called
 * @gpu_irq: GPU IRQ (cache flush completion), or -1: completion is polled
 * @out: the MMU, valid until @dev's resources are released
 *
 * Reads GPU_ID (arch major selects the flush method and the minimum lock
 * region), GPU_MMU_FEATURES (VA bits) and GPU_AS_PRESENT (user slots are
 * the present ones except the MCU's slot 0). Coherency is taken from
 * &pvm_device.coherent.
 *
 * Return: 0 or a negative errno.
 */
int pvm_mmu_init_irqs(struct pvm_device *pdev, struct device *dev,
		      int mmu_irq, int gpu_irq, struct pvm_mmu **out)
{
	struct pvm_mmu *mmu;
	u32 gpu_id, as_present;
	int ret;

	mmu = devm_kzalloc(dev, sizeof(*mmu), GFP_KERNEL);
	if (!mmu)
		return -ENOMEM;

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

	ret = devm_mutex_init(dev, &mmu->slots_lock);
	if (ret)
		return ret;
	ret = devm_mutex_init(dev, &mmu->fault_lock);
	if (ret)
		return ret;
	INIT_LIST_HEAD(&mmu->lru);
	init_waitqueue_head(&mmu->flush_wq);

	ret = pvm_mmu_irq_init(mmu, mmu_irq, gpu_irq);
	if (ret)
		return ret;
	*out = mmu;
	return 0;
}

/**
 * pvm_mmu_init() - set up the AS slots of a platform GPU
 * @pdev: device whose registers are used
 * @pldev: platform device that owns the resources (devm) and has the
 *	"mmu" IRQ (required) and the "gpu" IRQ (optional, flush completion
 *	is polled without it)
 * @out: the MMU, valid until @pldev's resources are released
 *
 * See pvm_mmu_init_irqs().
 *
 * Return: 0 or a negative errno.
 */
int pvm_mmu_init(struct pvm_device *pdev, struct platform_device *pldev,
		 struct pvm_mmu **out)
{
	int mmu_irq, gpu_irq;

	mmu_irq = platform_get_irq_byname(pldev, "mmu");
	if (mmu_irq < 0)
		return mmu_irq;
	gpu_irq = platform_get_irq_byname_optional(pldev, "gpu");
	if (gpu_irq < 0 && gpu_irq != -ENXIO)
		return gpu_irq;
	return pvm_mmu_init_irqs(pdev, &pldev->dev, mmu_irq,
				 gpu_irq < 0 ? -1 : gpu_irq, out);
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
	seq_printf(m, "as_slot: %d\nas_active: %u\nas_faulty: %d\nas_faults: %u\n",
		   as->slot, as->active_cnt, as->faulty, as->fault_count);
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
			seq_printf(m, " active %u%s%s", as->active_cnt,
				   as->in_op ? " in_op" : "",
				   as->faulty ? " faulty" : "");
		seq_putc(m, '\n');
	}
	mutex_unlock(&mmu->slots_lock);
}
