// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/bitfield.h>
#include <linux/bitops.h>
#include <linux/device.h>
#include <linux/iopoll.h>
#include <linux/jiffies.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/wait.h>

#include "pvm_device.h"
#include "pvm_mmu.h"
#include "pvm_mmu_priv.h"
#include "pvm_regs.h"

/**
 * DOC: AS commands
 *
 * Every AS command first waits for AS_STATUS.AS_ACTIVE to clear and then
 * waits again for the command itself to complete, polling every 10 us for
 * at most 100 ms. A stuck AS_ACTIVE gives -ETIMEDOUT (logged, counted),
 * never a hang or a WARN, and makes the slot dead until the GPU reset it
 * queues (see DOC: Recovery): a dead slot answers -ETIMEDOUT at once.
 * LOCKADDR is always written right before LOCK, UNLOCK and FLUSH_MEM.
 */

/**
 * DOC: Op window
 *
 * pvm_as_op_begin() opens the window of one VM_BIND op: it takes the AS
 * op lock, computes the lock region (pvm_mmu_lockaddr()) and, if the AS is
 * on a slot, issues LOCK, so GPU accesses to the region stall instead of
 * seeing half-written tables. pvm_as_op_begin_locked() does the same for a
 * caller that already holds the op lock because it reads its page table
 * to choose the region: the VM layer widens an op's range to the 2 MiB
 * blocks its edges cut into before the window opens, so that one LOCK
 * covers every table write of the op and its steps only check
 * pvm_as_op_covers(). pvm_as_op_end() issues exactly one flush and one
 * unlock, so an op costs exactly one LOCK, one flush and one UNLOCK:
 *
 * - arch < 12: FLUSH_MEM, which cleans and invalidates the GPU caches,
 *   invalidates the TLB for LOCKADDR and releases the lock;
 * - arch >= 12: GPU_COMMAND FLUSH_CACHES (L2 and LSC clean + invalidate,
 *   other caches invalidate), wait for CLEAN_CACHES_COMPLETED, then AS
 *   UNLOCK.
 *
 * pvm_as_op_expand() still widens an open window, with a second LOCK of
 * the union; the VM layer does not use it.
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

#define PVM_MMU_POLL_US		10
#define PVM_MMU_TIMEOUT_US	100000

#define PVM_MMU_FLUSH_CACHES_CMD \
	(FIELD_PREP(GPU_CMD_TYPE, GPU_CMD_FLUSH_CACHES) | \
	 FIELD_PREP(GPU_CMD_PAYLOAD, \
		    FIELD_PREP(GPU_FLUSH_L2, GPU_CACHE_CLEAN | GPU_CACHE_INV) | \
		    FIELD_PREP(GPU_FLUSH_LSC, GPU_CACHE_CLEAN | GPU_CACHE_INV) | \
		    FIELD_PREP(GPU_FLUSH_OTHER, GPU_CACHE_INV)))

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
 * pvm_mmu_wait_ready() - wait for AS_STATUS.AS_ACTIVE of a slot to clear
 * @mmu: MMU
 * @slot: AS slot
 *
 * Return: 0, or -ETIMEDOUT (logged and counted; the slot is then dead),
 * -ENODEV after pvm_mmu_unplug().
 */
int pvm_mmu_wait_ready(struct pvm_mmu *mmu, int slot)
{
	u32 val;
	int ret;

	lockdep_assert_held(&mmu->slots_lock);
	if (mmu->unplugged)
		return -ENODEV;
	if (mmu->dead_mask & BIT(slot))
		return -ETIMEDOUT;

	ret = read_poll_timeout(pvm_read, val, !(val & AS_STATUS_ACTIVE),
				PVM_MMU_POLL_US, PVM_MMU_TIMEOUT_US, false,
				mmu->pdev, AS_STATUS(slot));
	if (ret) {
		pvm_mmu_count(mmu, PVM_MMU_STAT_TIMEOUTS, 1);
		dev_err_ratelimited(mmu->dev, "AS%d: AS_ACTIVE bit stuck\n",
				    slot);
		pvm_mmu_timed_out(mmu, slot);
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

/**
 * pvm_mmu_as_send() - send one AS command and wait for it
 * @mmu: MMU; &pvm_mmu.slots_lock held
 * @slot: AS slot
 * @cmd: AS_COMMAND_* value
 * @region: the command uses LOCKADDR
 * @lockaddr: AS_LOCKADDR value, written right before @cmd if @region
 *
 * Waits for the slot to be idle, writes LOCKADDR when the command uses
 * it, writes the command and waits for it to complete.
 *
 * Return: 0, or -ETIMEDOUT.
 */
int pvm_mmu_as_send(struct pvm_mmu *mmu, int slot, u32 cmd, bool region,
		    u64 lockaddr)
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

/**
 * pvm_mmu_flush_unlock() - one flush of the GPU caches and TLB, and unlock
 * @mmu: MMU; &pvm_mmu.slots_lock held
 * @slot: AS slot, LOCKed on @lockaddr
 * @lockaddr: AS_LOCKADDR of the locked region
 *
 * FLUSH_MEM on arch < 12; a GPU_COMMAND cache flush, then UNLOCK, on
 * arch >= 12 (see DOC: Op window). Every cache flush of the driver goes
 * through here, so this is also where the copy of LATEST_FLUSH_ID that
 * userspace maps is refreshed.
 *
 * Return: 0, or -ETIMEDOUT.
 */
int pvm_mmu_flush_unlock(struct pvm_mmu *mmu, int slot, u64 lockaddr)
{
	int ret;

	if (mmu->arch_major < 12) {
		ret = pvm_mmu_as_send(mmu, slot, AS_COMMAND_FLUSH_MEM, true,
				      lockaddr);
	} else {
		/* Wait for the AS first: the flush lands after its last command. */
		ret = pvm_mmu_wait_ready(mmu, slot);
		if (!ret)
			ret = pvm_mmu_flush_caches(mmu);
		if (!ret)
			ret = pvm_mmu_as_send(mmu, slot, AS_COMMAND_UNLOCK, true,
					      lockaddr);
	}
	/* Even after a timeout: the flush may have completed late. */
	pvm_flush_id_update(mmu->pdev);
	if (ret == -ETIMEDOUT)
		pvm_mmu_timed_out(mmu, slot);
	return ret;
}

/**
 * pvm_mmu_slot_set_unmapped() - disable a slot's translation
 * @mmu: MMU; &pvm_mmu.slots_lock held
 * @slot: AS slot
 *
 * TRANSTAB 0, TRANSCFG UNMAPPED, then UPDATE, which also drops what the
 * slot cached and ends the slot's stalled transactions.
 *
 * Return: 0, or -ETIMEDOUT.
 */
int pvm_mmu_slot_set_unmapped(struct pvm_mmu *mmu, int slot)
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
	mutex_lock(&as->op_lock);
	return pvm_as_op_begin_locked(as, va, size, false);
}

/**
 * pvm_as_op_begin_locked() - open the op window, the op lock already held
 * @as: AS; the caller holds &pvm_as.op_lock
 * @va: first byte the op will modify
 * @size: bytes the op will modify, not 0
 * @widened: [@va, @va + @size) is wider than the op's own range because
 *	the caller widened it to blocks the op cuts into; counted in
 *	%PVM_MMU_STAT_OPS_WIDENED when @as is resident
 *
 * As pvm_as_op_begin(), for a caller that reads what the op lock protects
 * (its page table) to choose the range. On success the op lock stays held
 * until pvm_as_op_end(); on failure it is released here.
 *
 * Return: 0, -EINVAL for an empty range, -ETIMEDOUT if the LOCK did not
 * complete (the window is then not open, and @as is tainted).
 */
int pvm_as_op_begin_locked(struct pvm_as *as, u64 va, u64 size, bool widened)
{
	struct pvm_mmu *mmu = as->mmu;
	int ret = 0;

	lockdep_assert_held(&as->op_lock);
	if (!size) {
		mutex_unlock(&as->op_lock);
		return -EINVAL;
	}

	pvm_as_set_region(as, va, pvm_range_last(va, size));

	mutex_lock(&mmu->slots_lock);
	/*
	 * Not resident: nothing to lock, see DOC: Op window. Tainted: the
	 * slot takes no command, and pvm_as_op_end() reports the op failed.
	 */
	if (as->slot >= 0 && !as->tainted) {
		ret = pvm_mmu_as_send(mmu, as->slot, AS_COMMAND_LOCK, true,
				      as->lockaddr);
		as->hw_locked = !ret;
	}
	as->in_op = !ret;
	as->op_widened = !ret && widened;
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
	if (as->slot >= 0 && !as->tainted) {
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
 * them, nor release pages the op unmapped, before pvm_as_wait_recovered()
 * says so.
 *
 * Return: 0, -ETIMEDOUT if the GPU did not complete a command of the op
 * or @as was already tainted (see DOC: Recovery).
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
		if (as->op_widened)
			pvm_mmu_count(mmu, PVM_MMU_STAT_OPS_WIDENED, 1);
	}
	if (as->tainted)
		ret = -ETIMEDOUT;
	as->hw_locked = false;
	as->in_op = false;
	as->op_widened = false;
	mutex_unlock(&mmu->slots_lock);

	pvm_mmu_count(mmu, PVM_MMU_STAT_OPS, 1);
	pvm_mmu_count(mmu, PVM_MMU_STAT_LOCK_BYTES,
		      bytes == U64_MAX ? bytes : bytes + 1);
	as->locked_start = 0;
	as->locked_last = 0;
	mutex_unlock(&as->op_lock);
	return ret;
}
