/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-vm authors
 */
#ifndef __PVM_SIM_H__
#define __PVM_SIM_H__

#include <linux/err.h>
#include <linux/types.h>

struct pvm_dma_ops;
struct pvm_io_ops;
struct pvm_sim;
struct pvm_sim_agent;
struct seq_file;

/* Name of the software GPU's platform device. */
#define PVM_SIM_DEVICE_NAME "panthor-vm-sim"

/*
 * In system-MMU mode a page at physical address P has bus address
 * P + PVM_SIM_SMMU_BUS_OFFSET while it is mapped (below the 40-bit PA
 * range the GPU reports, so the GPU MMU accepts it).
 */
#define PVM_SIM_SMMU_BUS_OFFSET		0x4000000000ULL

/* Longest a GPU access waits on a locked region before giving up. */
#define PVM_SIM_STALL_TIMEOUT_MS	5000

/**
 * enum pvm_sim_profile - the GPU the software model pretends to be
 * @PVM_SIM_PROFILE_ARCH10: G610-like, AS_COMMAND FLUSH_PT/FLUSH_MEM, 32 KiB
 *	minimum lock region
 * @PVM_SIM_PROFILE_ARCH12: G720-like, FLUSH_PT/FLUSH_MEM rejected (cache
 *	maintenance through GPU_COMMAND FLUSH_CACHES), 4 KiB minimum lock region,
 *	FLUSH_SKIP_LEVELS honoured
 */
enum pvm_sim_profile {
	PVM_SIM_PROFILE_ARCH10 = 10,
	PVM_SIM_PROFILE_ARCH12 = 12,
};

/**
 * struct pvm_sim_config - how to build a software GPU
 *
 * The module parameters fill one of these for the platform device; KUnit
 * builds its own with pvm_sim_create().
 */
struct pvm_sim_config {
	/** @profile: &enum pvm_sim_profile */
	u32 profile;
	/** @smmu: put a system MMU between the GPU and memory */
	bool smmu;
	/** @noncoherent: the page-table walker only sees synced bytes */
	bool noncoherent;
	/** @check_stale: compare every cached translation with a fresh walk */
	bool check_stale;
	/** @as_active_us: how long AS_ACTIVE (and GPU_COMMAND) stay busy */
	u32 as_active_us;
	/** @tlb_entries: TLB + walk cache entries per AS, 0 = unbounded */
	u32 tlb_entries;
	/** @as_count: number of address spaces, 1..16 */
	u32 as_count;
};

/**
 * enum pvm_sim_irq_line - interrupt lines of the software GPU
 * @PVM_SIM_IRQ_GPU: GPU_INT_STAT != 0
 * @PVM_SIM_IRQ_MMU: MMU_INT_STAT != 0
 * @PVM_SIM_NR_IRQS: number of lines
 */
enum pvm_sim_irq_line {
	PVM_SIM_IRQ_GPU,
	PVM_SIM_IRQ_MMU,
	PVM_SIM_NR_IRQS,
};

/**
 * enum pvm_sim_access - type of a GPU access, as encoded in
 * AS_FAULTSTATUS.ACCESS_TYPE
 * @PVM_SIM_ACCESS_ATOMIC: read-modify-write (needs read and write rights)
 * @PVM_SIM_ACCESS_EXECUTE: instruction fetch (a read that needs !XN)
 * @PVM_SIM_ACCESS_READ: data read
 * @PVM_SIM_ACCESS_WRITE: data write
 */
enum pvm_sim_access {
	PVM_SIM_ACCESS_ATOMIC = 0,
	PVM_SIM_ACCESS_EXECUTE = 1,
	PVM_SIM_ACCESS_READ = 2,
	PVM_SIM_ACCESS_WRITE = 3,
};

/**
 * enum pvm_sim_stat - counters of the software GPU
 * @PVM_SIM_STAT_COMMANDS: AS_COMMAND writes
 * @PVM_SIM_STAT_LOCK: LOCK commands executed
 * @PVM_SIM_STAT_UNLOCK: UNLOCK commands executed
 * @PVM_SIM_STAT_FLUSH_PT: FLUSH_PT commands executed
 * @PVM_SIM_STAT_FLUSH_MEM: FLUSH_MEM commands executed
 * @PVM_SIM_STAT_CACHE_FLUSH: GPU_COMMAND FLUSH_CACHES completed
 * @PVM_SIM_STAT_UPDATE: UPDATE commands executed
 * @PVM_SIM_STAT_DRIVER_ERRORS: programming errors the model detected
 * @PVM_SIM_STAT_ACCESSES: GPU accesses (one per pvm_sim_gpu_access() call)
 * @PVM_SIM_STAT_STALLS: accesses that waited on a locked region
 * @PVM_SIM_STAT_FAULTS: MMU faults raised (latched or not)
 * @PVM_SIM_STAT_TLB_HITS: translations served by the TLB
 * @PVM_SIM_STAT_TLB_MISSES: translations that needed a walk
 * @PVM_SIM_STAT_WALKS: page-table walks
 * @PVM_SIM_STAT_STALE_TRANSLATIONS: cached translations that differ from
 *	the page table (only counted with &pvm_sim_config.check_stale)
 * @PVM_SIM_STAT_SMMU_FAULTS: bus addresses the system MMU did not know
 * @PVM_SIM_STAT_WALK_CACHE_HITS: walks that started below the root
 * @PVM_SIM_STAT_TLB_EVICTIONS: entries evicted from a bounded TLB
 * @PVM_SIM_STAT_TLB_CONFLICTS: VAs cached at two levels at once
 * @PVM_SIM_STAT_TERMINATED: accesses terminated by ADRMODE_UNMAPPED or an
 *	unsupported address mode
 * @PVM_SIM_STAT_BUS_FAULTS: bus faults on data accesses or table walks
 * @PVM_SIM_STAT_MMU_IRQS: rising edges of the MMU interrupt line
 * @PVM_SIM_STAT_GPU_IRQS: rising edges of the GPU interrupt line
 * @PVM_SIM_STAT_UNKNOWN_REGS: writes to registers the model does not have
 * @PVM_SIM_NR_STATS: number of counters
 */
enum pvm_sim_stat {
	PVM_SIM_STAT_COMMANDS,
	PVM_SIM_STAT_LOCK,
	PVM_SIM_STAT_UNLOCK,
	PVM_SIM_STAT_FLUSH_PT,
	PVM_SIM_STAT_FLUSH_MEM,
	PVM_SIM_STAT_CACHE_FLUSH,
	PVM_SIM_STAT_UPDATE,
	PVM_SIM_STAT_DRIVER_ERRORS,
	PVM_SIM_STAT_ACCESSES,
	PVM_SIM_STAT_STALLS,
	PVM_SIM_STAT_FAULTS,
	PVM_SIM_STAT_TLB_HITS,
	PVM_SIM_STAT_TLB_MISSES,
	PVM_SIM_STAT_WALKS,
	PVM_SIM_STAT_STALE_TRANSLATIONS,
	PVM_SIM_STAT_SMMU_FAULTS,
	PVM_SIM_STAT_WALK_CACHE_HITS,
	PVM_SIM_STAT_TLB_EVICTIONS,
	PVM_SIM_STAT_TLB_CONFLICTS,
	PVM_SIM_STAT_TERMINATED,
	PVM_SIM_STAT_BUS_FAULTS,
	PVM_SIM_STAT_MMU_IRQS,
	PVM_SIM_STAT_GPU_IRQS,
	PVM_SIM_STAT_UNKNOWN_REGS,
	PVM_SIM_NR_STATS,
};

/**
 * typedef pvm_sim_agent_check_fn - checks one chunk read by a GPU agent
 * @priv: the caller's pointer given to pvm_sim_agent_start()
 * @va: GPU VA of the chunk
 * @data: the bytes the GPU read
 * @size: number of bytes
 *
 * Called from the agent's kthread, may sleep.
 *
 * Return: true if the bytes are acceptable, false to count a mismatch.
 */
typedef bool (*pvm_sim_agent_check_fn)(void *priv, u64 va, const void *data,
				       size_t size);

/**
 * struct pvm_sim_agent_stats - what a GPU agent saw
 */
struct pvm_sim_agent_stats {
	/** @reads: chunks read without a fault */
	u64 reads;
	/** @faults: chunks whose read faulted */
	u64 faults;
	/** @mismatches: chunks the check callback rejected */
	u64 mismatches;
	/** @errors: reads that failed with an errno (misuse, stall timeout) */
	u64 errors;
	/** @passes: complete passes over the range */
	u64 passes;
	/** @bytes: bytes read without a fault */
	u64 bytes;
	/** @first_fault_status: fault status of the first fault, 0 if none */
	u32 first_fault_status;
	/** @first_fault_address: GPU VA of the first fault */
	u64 first_fault_address;
};

#if IS_ENABLED(CONFIG_DRM_PANTHOR_VM_SIM)
int pvm_sim_register(void);
void pvm_sim_unregister(void);
#else
static inline int pvm_sim_register(void) { return 0; }
static inline void pvm_sim_unregister(void) { }
#endif

struct pvm_sim *pvm_sim_create(const struct pvm_sim_config *cfg);
void pvm_sim_destroy(struct pvm_sim *sim);
const struct pvm_io_ops *pvm_sim_io_ops(void);
const struct pvm_dma_ops *pvm_sim_dma_ops(void);
int pvm_sim_irq(struct pvm_sim *sim, enum pvm_sim_irq_line line);
bool pvm_sim_irq_asserted(struct pvm_sim *sim, enum pvm_sim_irq_line line);
u64 pvm_sim_bus_offset(struct pvm_sim *sim);

int pvm_sim_gpu_access(struct pvm_sim *sim, u32 as, u64 va, void *buf,
		       size_t size, bool write, u32 *fault_status,
		       u64 *fault_address);
int pvm_sim_gpu_xfer(struct pvm_sim *sim, u32 as, u64 va, void *buf,
		     size_t size, enum pvm_sim_access access,
		     u32 *fault_status, u64 *fault_address);

void pvm_sim_stats_show(struct pvm_sim *sim, struct seq_file *m);
void pvm_sim_stats_reset(struct pvm_sim *sim);
u64 pvm_sim_stat(struct pvm_sim *sim, enum pvm_sim_stat id);
int pvm_sim_stat_by_name(struct pvm_sim *sim, const char *name, u64 *val);
const char *pvm_sim_stat_name(enum pvm_sim_stat id);

struct pvm_sim_agent *pvm_sim_agent_start(struct pvm_sim *sim, u32 as,
					  u64 va, u64 size, u32 chunk,
					  pvm_sim_agent_check_fn check,
					  void *priv);
void pvm_sim_agent_stop(struct pvm_sim_agent *agent,
			struct pvm_sim_agent_stats *stats);

#endif /* __PVM_SIM_H__ */
