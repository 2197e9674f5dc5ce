// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/bitfield.h>
#include <linux/bitops.h>
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/iopoll.h>
#include <linux/jiffies.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "pvm_device.h"
#include "pvm_mmu.h"
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
 * Every AS command first waits for AS_STATUS.AS_ACTIVE to clear and then
 * waits again for the command itself to complete, polling every 10 us for
 * at most 100 ms. A stuck AS_ACTIVE gives -ETIMEDOUT (logged, counted),
 * never a hang or a WARN; recovering the GPU is the caller's business.
 * LOCKADDR is always written right before LOCK, UNLOCK and FLUSH_MEM.
 */

/**
 * DOC: Op window
 *
 * pvm_as_op_begin() opens the window of one VM_BIND op: it takes the AS
 * op lock, computes the lock region (pvm_mmu_lockaddr()) and, if the AS is
 * on a slot, issues LOCK, so GPU accesses to the region stall instead of
 * seeing half-written tables. pvm_as_op_expand() widens the region when a
 * step must touch more (a partial unmap of a 2 MiB block rewrites the
 * whole block): a no-op when already covered, else a LOCK of the union,
 * which replaces the previous lock. pvm_as_op_end() issues exactly one
 * flush and one unlock:
 *
 * - arch < 12: FLUSH_MEM, which cleans and invalidates the GPU caches,
 *   invalidates the TLB for LOCKADDR and releases the lock;
 * - arch >= 12: GPU_COMMAND FLUSH_CACHES (L2 and LSC clean + invalidate,
 *   other caches invalidate), wait for CLEAN_CACHES_COMPLETED, then AS
 *   UNLOCK.
 *
 * Page-table pages freed by the op must be released by the caller only
 * after pvm_as_op_end() returned.
 *
 * A VM that is not on a slot is neither locked nor flushed, and that is
 * safe: a non-resident AS has no TLB or walk-cache state anywhere in the
 * GPU (the eviction that took its slot flushed the caches and UPDATEd the
 * slot to UNMAPPED), activation programs the slot and issues UPDATE,
 * which drops whatever the slot cached, and activation cannot happen in
 * the middle of an op because it takes the same op lock. The locked
 * region is still recorded in software so pvm_as_op_covers() answers the
 * same way whether the VM is resident or not.
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

/**
 * DOC: Faults
 *
 * The MMU IRQ hard handler masks every MMU interrupt (MMU_INT_MASK = 0)
 * and wakes the thread. The thread, for every AS bit set in RAWSTAT and
 * not masked as faulty: reads AS_FAULTSTATUS / FAULTADDRESS / FAULTEXTRA,
 * decodes them (pvm_mmu_fault_decode()), clears the bit (MMU_INT_CLEAR,
 * write 1 to clear), masks that slot, logs the fault rate-limited,
 * disables the AS (TRANSCFG UNMAPPED + UPDATE, which terminates its
 * stalled transactions), keeps the fault in &pvm_as.fault for debugfs and
 * calls &pvm_as_ops.fault once. It then unmasks every slot that is not
 * faulty, so other VMs keep working. The faulty slot stays masked until
 * pvm_as_activate() re-enables the AS or the slot changes owner.
 *
 * Without an "mmu" IRQ line (tests) nothing runs on its own:
 * pvm_mmu_handle_faults() is the thread body and may be called directly.
 */

#define PVM_MMU_POLL_US		10
#define PVM_MMU_TIMEOUT_US	100000

#define PVM_MMU_FLUSH_CACHES_CMD \
	(FIELD_PREP(GPU_CMD_TYPE, GPU_CMD_FLUSH_CACHES) | \
	 FIELD_PREP(GPU_CMD_PAYLOAD, \
		    FIELD_PREP(GPU_FLUSH_L2, GPU_CACHE_CLEAN | GPU_CACHE_INV) | \
		    FIELD_PREP(GPU_FLUSH_LSC, GPU_CACHE_CLEAN | GPU_CACHE_INV) | \
		    FIELD_PREP(GPU_FLUSH_OTHER, GPU_CACHE_INV)))

static const char * const pvm_mmu_stat_names[PVM_MMU_STAT_COUNT] = {
	[PVM_MMU_STAT_OPS] = "ops",
	[PVM_MMU_STAT_OPS_RESIDENT] = "ops_resident",
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

static const char * const pvm_mmu_access_names[] = {
	[AS_FAULTSTATUS_ACCESS_ATOMIC] = "ATOMIC",
	[AS_FAULTSTATUS_ACCESS_EXECUTE] = "EXECUTE",
	[AS_FAULTSTATUS_ACCESS_READ] = "READ",
	[AS_FAULTSTATUS_ACCESS_WRITE] = "WRITE",
};

static void pvm_mmu_count(struct pvm_mmu *mmu, enum pvm_mmu_stat stat, u64 n)
{
	atomic64_add(n, &mmu->stats[stat]);
}

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
 * pvm_mmu_lockaddr() - encode a lock region
 * @start: first byte to lock
 * @size: bytes to lock; ranges running past 2^64 are clamped, 0 counts as 1
 * @min_log2: log2 of the smallest region the GPU can lock (raised to 12,
 *	the LOCKADDR base granule)
 * @region_start: out, first byte of the region actually locked
 * @region_size: out, its size in bytes, 0 meaning the whole 2^64 space
 *
 * The GPU locks naturally aligned power-of-two regions only. The region
 * is the smallest one that covers [@start, @start + @size) and is at
 * least 2^@min_log2 bytes: a small range that straddles a high alignment
 * boundary locks a large region (8 KiB across a 2 MiB boundary locks
 * 4 MiB). Pure function.
 *
 * Return: the AS_LOCKADDR value: region base | (log2(region size) - 1).
 */
u64 pvm_mmu_lockaddr(u64 start, u64 size, unsigned int min_log2,
		     u64 *region_start, u64 *region_size)
{
	unsigned int log2;
	u64 last, base;

	if (!size)
		size = 1;
	if (size - 1 > U64_MAX - start)
		last = U64_MAX;
	else
		last = start + size - 1;

	log2 = max_t(unsigned int, fls64(start ^ last),
		     max_t(unsigned int, min_log2, PVM_PT_GRANULE_SHIFT));
	if (log2 >= 64) {
		*region_start = 0;
		*region_size = 0;
		return FIELD_PREP(AS_LOCKADDR_SIZE, 63);
	}

	base = start & ~(BIT_ULL(log2) - 1);
	*region_start = base;
	*region_size = BIT_ULL(log2);
	return base | FIELD_PREP(AS_LOCKADDR_SIZE, log2 - 1);
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

struct pvm_mmu_exc_class {
	u8 code;
	u8 mask;
	const char *name;
};

/* Exception classes: code & mask == code; the bits outside mask are the level. */
static const struct pvm_mmu_exc_class pvm_mmu_exc_classes[] = {
	{ MMU_EXC_TRANSLATION, 0xf8, "TRANSLATION_FAULT" },
	{ MMU_EXC_PERMISSION, 0xf8, "PERMISSION_FAULT" },
	{ MMU_EXC_TRANSTAB_BUS, 0xf8, "TRANSTAB_BUS_FAULT" },
	{ MMU_EXC_ACCESS_FLAG, 0xf8, "ACCESS_FLAG_FAULT" },
	{ MMU_EXC_ADDR_SIZE_IN, 0xfc, "ADDRESS_SIZE_FAULT_IN" },
	{ MMU_EXC_ADDR_SIZE_OUT, 0xfc, "ADDRESS_SIZE_FAULT_OUT" },
	{ MMU_EXC_MEM_ATTR, 0xfc, "MEMORY_ATTRIBUTE_FAULT" },
	{ MMU_EXC_MEM_ATTR + 4, 0xfc, "MEMORY_ATTRIBUTE_NONCACHEABLE_FAULT" },
};

/**
 * pvm_mmu_fault_decode() - decode AS_FAULTSTATUS
 * @status: raw AS_FAULTSTATUS
 * @fault: filled: @status, exception, level, access, source id and name
 *	(the address, extra and slot fields are left alone)
 *
 * Pure function.
 */
void pvm_mmu_fault_decode(u32 status, struct pvm_as_fault *fault)
{
	u8 exc = FIELD_GET(AS_FAULTSTATUS_EXCEPTION_TYPE, status);
	unsigned int i;

	fault->status = status;
	fault->exception = exc;
	fault->access = FIELD_GET(AS_FAULTSTATUS_ACCESS_TYPE, status);
	fault->source_id = FIELD_GET(AS_FAULTSTATUS_SOURCE_ID, status);
	fault->level = 0;
	fault->name = "UNKNOWN_FAULT";
	for (i = 0; i < ARRAY_SIZE(pvm_mmu_exc_classes); i++) {
		const struct pvm_mmu_exc_class *c = &pvm_mmu_exc_classes[i];

		if ((exc & c->mask) == c->code) {
			fault->level = exc & ~c->mask;
			fault->name = c->name;
			break;
		}
	}
}

/* Full-VA lock region, used when a slot is disabled. */
static u64 pvm_mmu_lockaddr_all(struct pvm_mmu *mmu)
{
	u64 start, size;

	return pvm_mmu_lockaddr(0, BIT_ULL(mmu->va_bits), mmu->lock_min_log2,
				&start, &size);
}

static int pvm_mmu_wait_ready(struct pvm_mmu *mmu, int slot)
{
	u32 val;
	int ret;

	ret = read_poll_timeout(pvm_read, val, !(val & AS_STATUS_ACTIVE),
				PVM_MMU_POLL_US, PVM_MMU_TIMEOUT_US, false,
				mmu->pdev, AS_STATUS(slot));
	if (ret) {
		pvm_mmu_count(mmu, PVM_MMU_STAT_TIMEOUTS, 1);
		dev_err_ratelimited(mmu->dev, "AS%d: AS_ACTIVE bit stuck\n",
				    slot);
	}
	return ret;
}

static void pvm_mmu_count_cmd(struct pvm_mmu *mmu, u32 cmd)
{
	switch (cmd) {
	case AS_COMMAND_UPDATE:
		pvm_mmu_count(mmu, PVM_MMU_STAT_UPDATES, 1);
		break;
	case AS_COMMAND_LOCK:
		pvm_mmu_count(mmu, PVM_MMU_STAT_LOCKS, 1);
		break;
	case AS_COMMAND_UNLOCK:
		pvm_mmu_count(mmu, PVM_MMU_STAT_UNLOCKS, 1);
		break;
	case AS_COMMAND_FLUSH_PT:
	case AS_COMMAND_FLUSH_MEM:
		pvm_mmu_count(mmu, PVM_MMU_STAT_FLUSHES, 1);
		break;
	}
}

/*
 * Send one AS command: wait for the slot to be idle, write LOCKADDR when
 * the command uses it, write the command, wait for it to complete.
 */
static int pvm_mmu_as_send(struct pvm_mmu *mmu, int slot, u32 cmd,
			   bool region, u64 lockaddr)
{
	int ret;

	lockdep_assert_held(&mmu->slots_lock);

	ret = pvm_mmu_wait_ready(mmu, slot);
	if (ret)
		return ret;
	if (region)
		pvm_write64(mmu->pdev, AS_LOCKADDR_LO(slot), lockaddr);
	pvm_write(mmu->pdev, AS_COMMAND(slot), cmd);
	pvm_mmu_count_cmd(mmu, cmd);
	return pvm_mmu_wait_ready(mmu, slot);
}

static int pvm_mmu_wait_flush(struct pvm_mmu *mmu)
{
	struct pvm_device *pdev = mmu->pdev;
	u32 raw;
	int ret;

	if (mmu->gpu_irq >= 0) {
		if (wait_event_timeout(mmu->flush_wq,
				       atomic_read(&mmu->flush_done),
				       usecs_to_jiffies(PVM_MMU_TIMEOUT_US)))
			return 0;
		/* The IRQ may have been lost: trust RAWSTAT. */
		raw = pvm_read(pdev, GPU_INT_RAWSTAT);
		ret = raw & GPU_IRQ_CLEAN_CACHES_COMPLETED ? 0 : -ETIMEDOUT;
	} else {
		ret = read_poll_timeout(pvm_read, raw,
					raw & GPU_IRQ_CLEAN_CACHES_COMPLETED,
					PVM_MMU_POLL_US, PVM_MMU_TIMEOUT_US,
					false, pdev, GPU_INT_RAWSTAT);
	}
	if (ret) {
		pvm_mmu_count(mmu, PVM_MMU_STAT_TIMEOUTS, 1);
		dev_err_ratelimited(mmu->dev, "GPU cache flush timed out\n");
		return ret;
	}
	pvm_write(pdev, GPU_INT_CLEAR, GPU_IRQ_CLEAN_CACHES_COMPLETED);
	return 0;
}

/* GPU_CONTROL cache flush (arch >= 12): L2 + LSC clean+inv, others inv. */
static int pvm_mmu_flush_caches(struct pvm_mmu *mmu)
{
	lockdep_assert_held(&mmu->slots_lock);

	atomic_set(&mmu->flush_done, 0);
	pvm_write(mmu->pdev, GPU_INT_CLEAR, GPU_IRQ_CLEAN_CACHES_COMPLETED);
	pvm_write(mmu->pdev, GPU_CMD, PVM_MMU_FLUSH_CACHES_CMD);
	pvm_mmu_count(mmu, PVM_MMU_STAT_FLUSHES, 1);
	return pvm_mmu_wait_flush(mmu);
}

/* One flush of the GPU caches and the TLB for @lockaddr, and unlock. */
static int pvm_mmu_flush_unlock(struct pvm_mmu *mmu, int slot, u64 lockaddr)
{
	int ret;

	if (mmu->arch_major < 12)
		return pvm_mmu_as_send(mmu, slot, AS_COMMAND_FLUSH_MEM, true,
				       lockaddr);

	/* Wait for the AS first so the flush lands after the last command. */
	ret = pvm_mmu_wait_ready(mmu, slot);
	if (!ret)
		ret = pvm_mmu_flush_caches(mmu);
	if (!ret)
		ret = pvm_mmu_as_send(mmu, slot, AS_COMMAND_UNLOCK, true,
				      lockaddr);
	return ret;
}

static void pvm_mmu_write_irq_mask(struct pvm_mmu *mmu)
{
	lockdep_assert_held(&mmu->slots_lock);
	pvm_write(mmu->pdev, MMU_INT_MASK, mmu->user_slots & ~mmu->fault_mask);
}

/* Forget a fault latched on @slot and unmask it. */
static void pvm_mmu_slot_clear_fault(struct pvm_mmu *mmu, int slot)
{
	pvm_write(mmu->pdev, MMU_INT_CLEAR, BIT(slot));
	mmu->fault_mask &= ~BIT(slot);
	pvm_mmu_write_irq_mask(mmu);
}

static int pvm_mmu_slot_set_unmapped(struct pvm_mmu *mmu, int slot)
{
	int ret;

	ret = pvm_mmu_wait_ready(mmu, slot);
	if (ret)
		return ret;
	pvm_write64(mmu->pdev, AS_TRANSTAB_LO(slot), 0);
	pvm_write64(mmu->pdev, AS_TRANSCFG_LO(slot),
		    FIELD_PREP(AS_TRANSCFG_ADRMODE,
			       AS_TRANSCFG_ADRMODE_UNMAPPED));
	return pvm_mmu_as_send(mmu, slot, AS_COMMAND_UPDATE, false, 0);
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

static void pvm_as_set_region(struct pvm_as *as, u64 start, u64 last)
{
	u64 rstart, rsize;

	as->op_start = start;
	as->op_last = last;
	as->lockaddr = pvm_mmu_lockaddr(start, last - start + 1,
					as->mmu->lock_min_log2, &rstart, &rsize);
	as->locked_start = rstart;
	as->locked_last = rsize ? rstart + rsize - 1 : U64_MAX;
}

static u64 pvm_range_last(u64 va, u64 size)
{
	return size - 1 > U64_MAX - va ? U64_MAX : va + size - 1;
}

/**
 * pvm_as_op_begin() - open the op window of one VM_BIND op
 * @as: AS
 * @va: first byte the op will modify
 * @size: bytes the op will modify, not 0
 *
 * Takes the op lock, records the lock region covering [@va, @va + @size)
 * and, if @as is on a slot, LOCKs it before returning, so the caller may
 * write page-table entries of that range right away. On success the op
 * lock stays held until pvm_as_op_end().
 *
 * Return: 0, -EINVAL for an empty range, -ETIMEDOUT if the LOCK did not
 * complete (the window is then not open).
 */
int pvm_as_op_begin(struct pvm_as *as, u64 va, u64 size)
{
	struct pvm_mmu *mmu = as->mmu;
	int ret = 0;

	if (!size)
		return -EINVAL;

	mutex_lock(&as->op_lock);
	pvm_as_set_region(as, va, pvm_range_last(va, size));

	mutex_lock(&mmu->slots_lock);
	/* Not resident: nothing to lock, see DOC: Op window. */
	if (as->slot >= 0) {
		ret = pvm_mmu_as_send(mmu, as->slot, AS_COMMAND_LOCK, true,
				      as->lockaddr);
		as->hw_locked = !ret;
	}
	as->in_op = !ret;
	mutex_unlock(&mmu->slots_lock);

	if (ret)
		mutex_unlock(&as->op_lock);
	return ret;
}

/**
 * pvm_as_op_covers() - is a range inside the locked region of the window
 * @as: AS, inside an op window
 * @va: first byte
 * @size: bytes
 *
 * For the page-table code to check that it only writes what is locked.
 *
 * Return: true if [@va, @va + @size) is inside the locked region.
 */
bool pvm_as_op_covers(struct pvm_as *as, u64 va, u64 size)
{
	lockdep_assert_held(&as->op_lock);

	return as->in_op && size && va >= as->locked_start &&
	       pvm_range_last(va, size) <= as->locked_last;
}

/**
 * pvm_as_op_expand() - widen the locked region of an open op window
 * @as: AS, inside an op window
 * @va: first byte to cover as well
 * @size: bytes to cover as well, not 0
 *
 * A no-op when the range is already inside the locked region. Otherwise
 * the region becomes the one covering the union of everything asked so
 * far, and a resident AS is LOCKed again with it (a LOCK replaces the
 * active lock, and the new region contains the old one).
 *
 * Return: 0, -EINVAL outside an op window or for an empty range,
 * -ETIMEDOUT if the LOCK did not complete (the window stays open).
 */
int pvm_as_op_expand(struct pvm_as *as, u64 va, u64 size)
{
	struct pvm_mmu *mmu = as->mmu;
	int ret = 0;

	lockdep_assert_held(&as->op_lock);
	if (!as->in_op || !size)
		return -EINVAL;
	if (pvm_as_op_covers(as, va, size))
		return 0;

	pvm_as_set_region(as, min(as->op_start, va),
			  max(as->op_last, pvm_range_last(va, size)));

	mutex_lock(&mmu->slots_lock);
	if (as->slot >= 0) {
		ret = pvm_mmu_as_send(mmu, as->slot, AS_COMMAND_LOCK, true,
				      as->lockaddr);
		as->hw_locked = !ret;
	}
	mutex_unlock(&mmu->slots_lock);
	return ret;
}

/**
 * pvm_as_op_end() - close the op window: one flush and one unlock
 * @as: AS, inside an op window
 *
 * On a resident AS, flushes the GPU caches and the TLB for the locked
 * region and releases the lock (see DOC: Op window). Then releases the op
 * lock. Page-table pages the op freed may be reused once this returned 0;
 * after an error the GPU state is unknown and the caller must not reuse
 * them before the GPU is reset.
 *
 * Return: 0, -ETIMEDOUT if the GPU did not complete the flush.
 */
int pvm_as_op_end(struct pvm_as *as)
{
	struct pvm_mmu *mmu = as->mmu;
	u64 bytes = as->locked_last - as->locked_start;
	int ret = 0;

	lockdep_assert_held(&as->op_lock);

	mutex_lock(&mmu->slots_lock);
	if (as->hw_locked) {
		ret = pvm_mmu_flush_unlock(mmu, as->slot, as->lockaddr);
		pvm_mmu_count(mmu, PVM_MMU_STAT_OPS_RESIDENT, 1);
	}
	as->hw_locked = false;
	as->in_op = false;
	mutex_unlock(&mmu->slots_lock);

	pvm_mmu_count(mmu, PVM_MMU_STAT_OPS, 1);
	pvm_mmu_count(mmu, PVM_MMU_STAT_LOCK_BYTES,
		      bytes == U64_MAX ? bytes : bytes + 1);
	as->locked_start = 0;
	as->locked_last = 0;
	mutex_unlock(&as->op_lock);
	return ret;
}

/* Read, clear and log the fault of @slot; disable its AS. Returns it. */
static struct pvm_as *pvm_mmu_take_fault(struct pvm_mmu *mmu, int slot,
					 struct pvm_as_fault *fault)
{
	struct pvm_device *pdev = mmu->pdev;
	struct pvm_as *as;

	lockdep_assert_held(&mmu->slots_lock);

	pvm_mmu_fault_decode(pvm_read(pdev, AS_FAULTSTATUS(slot)), fault);
	fault->addr = pvm_read64(pdev, AS_FAULTADDRESS_LO(slot));
	fault->extra = pvm_read64(pdev, AS_FAULTEXTRA_LO(slot));
	fault->slot = slot;

	pvm_write(pdev, MMU_INT_CLEAR, BIT(slot));
	mmu->fault_mask |= BIT(slot);
	pvm_mmu_count(mmu, PVM_MMU_STAT_FAULTS, 1);

	dev_err_ratelimited(mmu->dev,
			    "AS%d: GPU %s (level %u, code 0x%02x) on %s at 0x%016llx, status 0x%08x, source 0x%04x\n",
			    slot, fault->name, fault->level, fault->exception,
			    pvm_mmu_access_names[fault->access], fault->addr,
			    fault->status, fault->source_id);

	as = mmu->slots[slot];
	if (!as)
		return NULL;
	as->faulty = true;
	as->fault = *fault;
	as->fault_count++;
	pvm_mmu_slot_set_unmapped(mmu, slot);
	return as;
}

/**
 * pvm_mmu_handle_faults() - handle every pending GPU MMU fault
 * @mmu: MMU
 *
 * The body of the MMU IRQ thread (see DOC: Faults): each faulting slot is
 * cleared, masked and disabled, its AS's &pvm_as_ops.fault is called once,
 * and the MMU IRQ is unmasked for every slot that is not faulty. Called
 * directly when there is no IRQ line.
 */
void pvm_mmu_handle_faults(struct pvm_mmu *mmu)
{
	struct pvm_as_fault fault;
	struct pvm_as *as;
	u32 pending;

	mutex_lock(&mmu->fault_lock);
	for (;;) {
		mutex_lock(&mmu->slots_lock);
		pending = pvm_read(mmu->pdev, MMU_INT_RAWSTAT) &
			  mmu->user_slots & ~mmu->fault_mask;
		if (!pending) {
			pvm_mmu_write_irq_mask(mmu);
			mutex_unlock(&mmu->slots_lock);
			break;
		}
		/* Each pass masks one more slot, so this terminates. */
		as = pvm_mmu_take_fault(mmu, __ffs(pending), &fault);
		mutex_unlock(&mmu->slots_lock);

		if (as && as->ops && as->ops->fault)
			as->ops->fault(as, &fault);
	}
	mutex_unlock(&mmu->fault_lock);
}

static irqreturn_t pvm_mmu_irq(int irq, void *data)
{
	struct pvm_mmu *mmu = data;

	if (!pvm_read(mmu->pdev, MMU_INT_STAT))
		return IRQ_NONE;
	pvm_write(mmu->pdev, MMU_INT_MASK, 0);
	return IRQ_WAKE_THREAD;
}

static irqreturn_t pvm_mmu_irq_thread(int irq, void *data)
{
	pvm_mmu_handle_faults(data);
	return IRQ_HANDLED;
}

static irqreturn_t pvm_mmu_gpu_irq(int irq, void *data)
{
	struct pvm_mmu *mmu = data;

	if (!(pvm_read(mmu->pdev, GPU_INT_STAT) &
	      GPU_IRQ_CLEAN_CACHES_COMPLETED))
		return IRQ_NONE;
	pvm_write(mmu->pdev, GPU_INT_CLEAR, GPU_IRQ_CLEAN_CACHES_COMPLETED);
	atomic_set(&mmu->flush_done, 1);
	wake_up_all(&mmu->flush_wq);
	return IRQ_HANDLED;
}

static int pvm_mmu_request_irqs(struct pvm_mmu *mmu, int mmu_irq,
				int gpu_irq)
{
	int ret;

	if (mmu_irq >= 0) {
		ret = devm_request_threaded_irq(mmu->dev, mmu_irq, pvm_mmu_irq,
						pvm_mmu_irq_thread, 0,
						"panthor-vm-mmu", mmu);
		if (ret)
			return ret;
		mmu->mmu_irq = mmu_irq;
	}

	if (gpu_irq >= 0) {
		ret = devm_request_irq(mmu->dev, gpu_irq, pvm_mmu_gpu_irq,
				       IRQF_SHARED, "panthor-vm-gpu", mmu);
		if (ret)
			return ret;
		mmu->gpu_irq = gpu_irq;
		pvm_write(mmu->pdev, GPU_INT_MASK,
			  pvm_read(mmu->pdev, GPU_INT_MASK) |
			  GPU_IRQ_CLEAN_CACHES_COMPLETED);
	}
	return 0;
}

static void pvm_mmu_mask_irqs(void *data)
{
	struct pvm_mmu *mmu = data;

	pvm_write(mmu->pdev, MMU_INT_MASK, 0);
	if (mmu->gpu_irq >= 0)
		pvm_write(mmu->pdev, GPU_INT_MASK,
			  pvm_read(mmu->pdev, GPU_INT_MASK) &
			  ~GPU_IRQ_CLEAN_CACHES_COMPLETED);
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
 * @pdev's DMA seam.
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
	mmu->coherent = pdev->dma.coherent;
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

	pvm_write(pdev, MMU_INT_MASK, 0);
	ret = pvm_mmu_request_irqs(mmu, mmu_irq, gpu_irq);
	if (ret)
		return dev_err_probe(dev, ret, "MMU IRQs\n");
	ret = devm_add_action_or_reset(dev, pvm_mmu_mask_irqs, mmu);
	if (ret)
		return ret;

	pvm_write(pdev, MMU_INT_CLEAR, mmu->user_slots);
	pvm_write(pdev, MMU_INT_MASK, mmu->user_slots);
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
			   pvm_mmu_access_names[f->access], f->addr, f->status,
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
