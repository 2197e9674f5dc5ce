/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-vm authors
 */
#ifndef __PVM_MMU_H__
#define __PVM_MMU_H__

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "pvm_regs.h"

struct device;
struct platform_device;
struct pvm_as;
struct pvm_device;
struct seq_file;

/* AS slot the MCU firmware owns: never given to a user VM. */
#define PVM_MMU_MCU_SLOT	0

/**
 * struct pvm_as_fault - one decoded GPU MMU fault
 */
struct pvm_as_fault {
	/** @status: raw AS_FAULTSTATUS */
	u32 status;
	/** @addr: AS_FAULTADDRESS, the faulting GPU virtual address */
	u64 addr;
	/** @extra: AS_FAULTEXTRA */
	u64 extra;
	/** @exception: AS_FAULTSTATUS.EXCEPTION_TYPE */
	u8 exception;
	/** @level: page-table level encoded in @exception */
	u8 level;
	/** @access: AS_FAULTSTATUS.ACCESS_TYPE (AS_FAULTSTATUS_ACCESS_*) */
	u8 access;
	/** @source_id: AS_FAULTSTATUS.SOURCE_ID */
	u16 source_id;
	/** @slot: AS slot that reported the fault */
	int slot;
	/** @name: name of the exception class, never NULL */
	const char *name;
};

/**
 * struct pvm_as_ops - what the MMU unit calls back into the VM layer
 */
struct pvm_as_ops {
	/**
	 * @fault: the GPU faulted in this address space. The AS is already
	 * disabled (TRANSCFG UNMAPPED) and marked faulty; the next
	 * pvm_as_activate() re-enables it. Called once per fault, from the
	 * MMU IRQ thread with &pvm_mmu.fault_lock held, or, for a fault the
	 * thread had not taken yet when the AS loses its slot (eviction,
	 * release, reset), from there with &pvm_mmu.slots_lock held: it must
	 * not sleep nor take locks. Setting a flag is the intended use.
	 */
	void (*fault)(struct pvm_as *as, const struct pvm_as_fault *fault);
};

/**
 * struct pvm_as - the MMU view of one GPU address space (one VM)
 *
 * Embedded in the VM object and set up with pvm_as_init(). The register
 * values are fixed for the life of the AS.
 */
struct pvm_as {
	/** @mmu: owning MMU */
	struct pvm_mmu *mmu;
	/** @ops: VM callbacks */
	const struct pvm_as_ops *ops;
	/** @transtab: AS_TRANSTAB value (bus address of the root table) */
	u64 transtab;
	/** @transcfg: AS_TRANSCFG value, see pvm_mmu_transcfg() */
	u64 transcfg;
	/** @memattr: AS_MEMATTR value, see pvm_mmu_memattr() */
	u64 memattr;
	/**
	 * @op_lock: held from pvm_as_op_begin() (or from before
	 * pvm_as_op_begin_locked()) to pvm_as_op_end() and by the slow path
	 * of pvm_as_activate(). Taken before &pvm_mmu.slots_lock.
	 */
	struct mutex op_lock;

	/** @slot: AS slot, -1 when not resident; &pvm_mmu.slots_lock */
	int slot;
	/** @active_cnt: active references; &pvm_mmu.slots_lock */
	unsigned int active_cnt;
	/** @lru_node: in &pvm_mmu.lru while idle and resident; &pvm_mmu.slots_lock */
	struct list_head lru_node;
	/** @in_op: inside an op window; written under both locks */
	bool in_op;
	/** @faulty: disabled by a fault until re-activated; &pvm_mmu.slots_lock */
	bool faulty;
	/** @fault_count: faults seen; &pvm_mmu.slots_lock */
	unsigned int fault_count;
	/** @fault: last fault, valid when @fault_count != 0; &pvm_mmu.slots_lock */
	struct pvm_as_fault fault;
	/**
	 * @tainted: a command on @slot timed out while this AS owned it: the
	 * GPU may still reach this AS's tables and pages, whatever they map
	 * now, until the next GPU reset (see DOC: Recovery); &pvm_mmu.slots_lock
	 */
	bool tainted;

	/**
	 * @hw_locked: a LOCK is active on @slot for this op; written under
	 * &pvm_mmu.slots_lock (a reset or an unplug drops the lock)
	 */
	bool hw_locked;
	/**
	 * @op_widened: the caller widened the window beyond its op's range
	 * (pvm_as_op_begin_locked()); @op_lock
	 */
	bool op_widened;
	/** @op_start: first byte the op window covers; @op_lock */
	u64 op_start;
	/** @op_last: last byte the op window covers; @op_lock */
	u64 op_last;
	/** @lockaddr: AS_LOCKADDR of the locked region; @op_lock */
	u64 lockaddr;
	/** @locked_start: first byte of the locked region; @op_lock */
	u64 locked_start;
	/** @locked_last: last byte of the locked region; @op_lock */
	u64 locked_last;
};

/**
 * enum pvm_mmu_stat - per-device counters
 * @PVM_MMU_STAT_OPS: op windows closed
 * @PVM_MMU_STAT_OPS_RESIDENT: of which on a resident AS (locked and flushed)
 * @PVM_MMU_STAT_OPS_WIDENED: of the resident ones, those whose lock region
 *	the caller widened beyond the op's range (an edge inside a block)
 * @PVM_MMU_STAT_LOCKS: AS LOCK commands
 * @PVM_MMU_STAT_FLUSHES: cache flushes (FLUSH_MEM or GPU_COMMAND FLUSH_CACHES)
 * @PVM_MMU_STAT_UNLOCKS: AS UNLOCK commands
 * @PVM_MMU_STAT_UPDATES: AS UPDATE commands
 * @PVM_MMU_STAT_LOCK_BYTES: sum of the locked region sizes of closed ops
 * @PVM_MMU_STAT_ACTIVATIONS: ASes bound to a slot
 * @PVM_MMU_STAT_EVICTIONS: idle ASes evicted from their slot
 * @PVM_MMU_STAT_FAULTS: GPU MMU faults handled
 * @PVM_MMU_STAT_TIMEOUTS: AS_ACTIVE or cache flush timeouts
 * @PVM_MMU_STAT_RESETS: GPU soft resets that completed (see DOC: Recovery)
 * @PVM_MMU_STAT_COUNT: number of counters
 */
enum pvm_mmu_stat {
	PVM_MMU_STAT_OPS,
	PVM_MMU_STAT_OPS_RESIDENT,
	PVM_MMU_STAT_OPS_WIDENED,
	PVM_MMU_STAT_LOCKS,
	PVM_MMU_STAT_FLUSHES,
	PVM_MMU_STAT_UNLOCKS,
	PVM_MMU_STAT_UPDATES,
	PVM_MMU_STAT_LOCK_BYTES,
	PVM_MMU_STAT_ACTIVATIONS,
	PVM_MMU_STAT_EVICTIONS,
	PVM_MMU_STAT_FAULTS,
	PVM_MMU_STAT_TIMEOUTS,
	PVM_MMU_STAT_RESETS,
	PVM_MMU_STAT_COUNT,
};

/**
 * struct pvm_mmu - the AS slots of one GPU
 */
struct pvm_mmu {
	/** @pdev: device whose registers we drive */
	struct pvm_device *pdev;
	/** @dev: device for logging and devm */
	struct device *dev;
	/** @arch_major: GPU_ID arch major; >= 12 flushes through GPU_COMMAND */
	unsigned int arch_major;
	/** @va_bits: GPU VA size (GPU_MMU_FEATURES.VA_BITS) */
	unsigned int va_bits;
	/** @coherent: the page-table walker is IO-coherent */
	bool coherent;
	/** @lock_min_log2: smallest lock region, log2 bytes */
	unsigned int lock_min_log2;
	/** @user_slots: AS slots user VMs may use (AS_PRESENT minus the MCU's) */
	u32 user_slots;
	/** @mmu_irq: "mmu" IRQ line, or -1 (faults then handled by polling) */
	int mmu_irq;
	/** @gpu_irq: "gpu" IRQ line, or -1 (flush completion then polled) */
	int gpu_irq;

	/** @slots_lock: slot table, LRU, AS registers and commands */
	struct mutex slots_lock;
	/** @slots: owner of each slot; @slots_lock */
	struct pvm_as *slots[MMU_MAX_AS];
	/** @alloc_mask: slots with an owner; @slots_lock */
	u32 alloc_mask;
	/** @fault_mask: slots masked after a fault; @slots_lock */
	u32 fault_mask;
	/** @lru: idle resident ASes, least recently used first; @slots_lock */
	struct list_head lru;
	/**
	 * @dead_mask: slots a command timed out on: their state is unknown
	 * and they get no new owner until a reset; @slots_lock
	 */
	u32 dead_mask;
	/**
	 * @wedged: a reset failed: dead slots stay dead and what tainted
	 * ASes reach is never freed; @slots_lock
	 */
	bool wedged;
	/**
	 * @unplugged: pvm_mmu_unplug() ran: no AS holds a slot, none will,
	 * and no register is touched any more; @slots_lock
	 */
	bool unplugged;
	/** @reset_work: the GPU reset queued by a timeout */
	struct work_struct reset_work;

	/** @fault_lock: serialises fault dispatch against pvm_as_fini() */
	struct mutex fault_lock;

	/** @flush_wq: woken when CLEAN_CACHES_COMPLETED arrives */
	wait_queue_head_t flush_wq;
	/** @flush_done: set by the GPU IRQ handler */
	atomic_t flush_done;

	/** @stats: counters, see &enum pvm_mmu_stat */
	atomic64_t stats[PVM_MMU_STAT_COUNT];
};

int pvm_mmu_init(struct pvm_device *pdev, struct platform_device *pldev);
int pvm_mmu_init_irqs(struct pvm_device *pdev, struct device *dev,
		      int mmu_irq, int gpu_irq);
void pvm_mmu_unplug(struct pvm_mmu *mmu);
void pvm_mmu_handle_faults(struct pvm_mmu *mmu);
u64 pvm_mmu_stat(struct pvm_mmu *mmu, enum pvm_mmu_stat stat);
void pvm_mmu_debugfs_show(struct pvm_mmu *mmu, struct seq_file *m);

void pvm_as_init(struct pvm_mmu *mmu, struct pvm_as *as, u64 transtab,
		 u64 transcfg, u64 memattr, const struct pvm_as_ops *ops);
int pvm_as_activate(struct pvm_as *as);
void pvm_as_idle(struct pvm_as *as);
bool pvm_as_fini(struct pvm_as *as);
bool pvm_as_wait_recovered(struct pvm_as *as);
int pvm_as_op_begin(struct pvm_as *as, u64 va, u64 size);
int pvm_as_op_begin_locked(struct pvm_as *as, u64 va, u64 size, bool widened);
int pvm_as_op_expand(struct pvm_as *as, u64 va, u64 size);
int pvm_as_op_end(struct pvm_as *as);
bool pvm_as_op_covers(struct pvm_as *as, u64 va, u64 size);
void pvm_as_debugfs_show(struct pvm_as *as, struct seq_file *m);

u64 pvm_mmu_lockaddr(u64 start, u64 size, unsigned int min_log2,
		     u64 *region_start, u64 *region_size);
u64 pvm_mmu_memattr(bool coherent);
u64 pvm_mmu_transcfg(unsigned int va_bits, bool coherent);
void pvm_mmu_fault_decode(u32 status, struct pvm_as_fault *fault);

#endif /* __PVM_MMU_H__ */
