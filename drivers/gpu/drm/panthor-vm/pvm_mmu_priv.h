/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-vm authors
 *
 * Shared by the MMU units (pvm_mmu.c, pvm_mmu_op.c, pvm_mmu_irq.c) only.
 */
#ifndef __PVM_MMU_PRIV_H__
#define __PVM_MMU_PRIV_H__

#include <linux/atomic.h>
#include <linux/types.h>

#include "pvm_mmu.h"

/**
 * pvm_mmu_count() - add to one counter
 * @mmu: MMU
 * @stat: counter
 * @n: amount
 */
static inline void pvm_mmu_count(struct pvm_mmu *mmu, enum pvm_mmu_stat stat,
				 u64 n)
{
	atomic64_add(n, &mmu->stats[stat]);
}

/* GPU soft reset: poll RESET_COMPLETED every 100 us for at most 500 ms. */
#define PVM_MMU_RESET_POLL_US		100
#define PVM_MMU_RESET_TIMEOUT_US	500000

/* pvm_mmu.c */
void pvm_mmu_timed_out(struct pvm_mmu *mmu, int slot);

/* pvm_mmu_op.c: AS commands, &pvm_mmu.slots_lock held */
int pvm_mmu_wait_ready(struct pvm_mmu *mmu, int slot);
int pvm_mmu_as_send(struct pvm_mmu *mmu, int slot, u32 cmd, bool region,
		    u64 lockaddr);
int pvm_mmu_flush_unlock(struct pvm_mmu *mmu, int slot, u64 lockaddr);
int pvm_mmu_slot_set_unmapped(struct pvm_mmu *mmu, int slot);

/* pvm_mmu_irq.c */
const char *pvm_mmu_access_name(u8 access);
void pvm_mmu_slot_clear_fault(struct pvm_mmu *mmu, int slot);
void pvm_mmu_slot_take_pending(struct pvm_mmu *mmu, int slot);
int pvm_mmu_irq_init(struct pvm_mmu *mmu, int mmu_irq, int gpu_irq);
void pvm_mmu_irq_restore(struct pvm_mmu *mmu);
void pvm_mmu_irq_mask_all(struct pvm_mmu *mmu);

#endif /* __PVM_MMU_PRIV_H__ */
