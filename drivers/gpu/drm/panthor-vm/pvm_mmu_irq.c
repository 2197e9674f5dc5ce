// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/bitfield.h>
#include <linux/bitops.h>
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/mutex.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "pvm_device.h"
#include "pvm_mmu.h"
#include "pvm_mmu_priv.h"
#include "pvm_regs.h"

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

static const char * const pvm_mmu_access_names[] = {
	[AS_FAULTSTATUS_ACCESS_ATOMIC] = "ATOMIC",
	[AS_FAULTSTATUS_ACCESS_EXECUTE] = "EXECUTE",
	[AS_FAULTSTATUS_ACCESS_READ] = "READ",
	[AS_FAULTSTATUS_ACCESS_WRITE] = "WRITE",
};

/**
 * pvm_mmu_access_name() - name of an AS_FAULTSTATUS.ACCESS_TYPE value
 * @access: AS_FAULTSTATUS_ACCESS_* value (two bits)
 *
 * Return: the name, never NULL.
 */
const char *pvm_mmu_access_name(u8 access)
{
	if (access >= ARRAY_SIZE(pvm_mmu_access_names) ||
	    !pvm_mmu_access_names[access])
		return "UNKNOWN";
	return pvm_mmu_access_names[access];
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

static void pvm_mmu_write_irq_mask(struct pvm_mmu *mmu)
{
	lockdep_assert_held(&mmu->slots_lock);
	pvm_write(mmu->pdev, MMU_INT_MASK, mmu->user_slots & ~mmu->fault_mask);
}

/**
 * pvm_mmu_slot_clear_fault() - forget a fault latched on a slot, unmask it
 * @mmu: MMU; &pvm_mmu.slots_lock held
 * @slot: AS slot
 */
void pvm_mmu_slot_clear_fault(struct pvm_mmu *mmu, int slot)
{
	pvm_write(mmu->pdev, MMU_INT_CLEAR, BIT(slot));
	mmu->fault_mask &= ~BIT(slot);
	pvm_mmu_write_irq_mask(mmu);
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
			    pvm_mmu_access_name(fault->access), fault->addr,
			    fault->status, fault->source_id);

	as = mmu->slots[slot];
	if (!as)
		return NULL;
	as->faulty = true;
	as->fault = *fault;
	as->fault_count++;
	/* A dead slot takes no command: the reset will disable it. */
	if (!(mmu->dead_mask & BIT(slot)))
		pvm_mmu_slot_set_unmapped(mmu, slot);
	return as;
}

/**
 * pvm_mmu_slot_take_pending() - hand a slot's unhandled fault to its owner
 * @mmu: MMU; &pvm_mmu.slots_lock held
 * @slot: AS slot about to lose its owner
 *
 * A fault latched on @slot that the IRQ thread has not taken yet belongs
 * to the current owner: once the slot has another owner it would be
 * cleared, and the faulted VM would stay usable. So it is taken here and
 * &pvm_as_ops.fault called at once (see there).
 */
void pvm_mmu_slot_take_pending(struct pvm_mmu *mmu, int slot)
{
	struct pvm_as_fault fault;
	struct pvm_as *as;

	lockdep_assert_held(&mmu->slots_lock);
	if (mmu->unplugged || mmu->fault_mask & BIT(slot) ||
	    !(pvm_read(mmu->pdev, MMU_INT_RAWSTAT) & BIT(slot)))
		return;
	as = pvm_mmu_take_fault(mmu, slot, &fault);
	if (as && as->ops && as->ops->fault)
		as->ops->fault(as, &fault);
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
		/* After the unplug, no register access: the IRQs stay masked. */
		if (mmu->unplugged) {
			mutex_unlock(&mmu->slots_lock);
			break;
		}
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
	}
	return 0;
}

/**
 * pvm_mmu_irq_mask_all() - mask the interrupts the MMU unit unmasked
 * @mmu: MMU
 */
void pvm_mmu_irq_mask_all(struct pvm_mmu *mmu)
{
	pvm_write(mmu->pdev, MMU_INT_MASK, 0);
	if (mmu->gpu_irq >= 0)
		pvm_write(mmu->pdev, GPU_INT_MASK,
			  pvm_read(mmu->pdev, GPU_INT_MASK) &
			  ~GPU_IRQ_CLEAN_CACHES_COMPLETED);
}

/**
 * pvm_mmu_irq_restore() - clear latched faults and unmask the interrupts
 * @mmu: MMU
 *
 * At set-up and after a GPU reset, which clears the masks.
 */
void pvm_mmu_irq_restore(struct pvm_mmu *mmu)
{
	pvm_write(mmu->pdev, MMU_INT_CLEAR, mmu->user_slots);
	pvm_write(mmu->pdev, MMU_INT_MASK, mmu->user_slots);
	if (mmu->gpu_irq >= 0)
		pvm_write(mmu->pdev, GPU_INT_MASK,
			  pvm_read(mmu->pdev, GPU_INT_MASK) |
			  GPU_IRQ_CLEAN_CACHES_COMPLETED);
}

/* Before the IRQs are freed: nothing may queue or run a reset after. */
static void pvm_mmu_irq_stop(void *data)
{
	struct pvm_mmu *mmu = data;

	cancel_work_sync(&mmu->reset_work);
	mutex_lock(&mmu->slots_lock);
	if (!mmu->unplugged)
		pvm_mmu_irq_mask_all(mmu);
	mutex_unlock(&mmu->slots_lock);
}

/**
 * pvm_mmu_irq_init() - request the MMU's IRQ lines and unmask its faults
 * @mmu: MMU being set up by pvm_mmu_init_irqs()
 * @mmu_irq: MMU fault IRQ, or -1
 * @gpu_irq: GPU IRQ (cache flush completion), or -1
 *
 * Every MMU interrupt is masked while the lines are requested; then the
 * user slots' latched faults are cleared and unmasked. The interrupts are
 * masked again when &pvm_mmu.dev's resources are released.
 *
 * Return: 0 or a negative errno.
 */
int pvm_mmu_irq_init(struct pvm_mmu *mmu, int mmu_irq, int gpu_irq)
{
	int ret;

	pvm_write(mmu->pdev, MMU_INT_MASK, 0);
	ret = pvm_mmu_request_irqs(mmu, mmu_irq, gpu_irq);
	if (ret)
		return dev_err_probe(mmu->dev, ret, "MMU IRQs\n");
	ret = devm_add_action_or_reset(mmu->dev, pvm_mmu_irq_stop, mmu);
	if (ret)
		return ret;

	pvm_mmu_irq_restore(mmu);
	return 0;
}
