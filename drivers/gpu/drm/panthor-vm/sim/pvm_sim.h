/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-vm authors
 */
#ifndef __PVM_SIM_H__
#define __PVM_SIM_H__

#include <linux/err.h>
#include <linux/types.h>

#include "../pvm_test_port.h"

struct device;
struct pvm_sim;
struct resource;
struct seq_file;

/*
 * Name of the platform device the driver binds to. Software GPUs that
 * tests build for themselves get PVM_SIM_TEST_DEVICE_NAME, which no
 * driver matches.
 */
#define PVM_SIM_DEVICE_NAME		"panthor-vm-sim"
#define PVM_SIM_TEST_DEVICE_NAME	"panthor-vm-sim-test"

/*
 * Register windows: one logic_iomem region of PVM_SIM_MMIO_WINDOWS windows
 * of PVM_SIM_MMIO_WINDOW bytes at PVM_SIM_MMIO_BASE, above UML's memory
 * and below virt-pci's config space.
 */
#define PVM_SIM_MMIO_BASE		0xe0000000ULL
#define PVM_SIM_MMIO_WINDOW		0x200000U
#define PVM_SIM_MMIO_WINDOWS		8

/*
 * The system MMU's IOVA space: bus addresses of mapped memory lie in
 * [PVM_SIM_IOVA_BASE, PVM_SIM_IOVA_END), below the 40-bit PA range the
 * GPU reports and far above any physical address of a UML machine, so a
 * physical address in a GPU descriptor faults.
 */
#define PVM_SIM_IOVA_BASE		0x1000000000ULL
#define PVM_SIM_IOVA_END		0x10000000000ULL

/* Lock regions the model remembers per address space (see pvm_sim_locks()). */
#define PVM_SIM_LOCK_LOG		64

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
 * enum pvm_sim_irq_line - interrupt lines of the software GPU
 * @PVM_SIM_IRQ_GPU: GPU_INT_STAT != 0
 * @PVM_SIM_IRQ_MMU: MMU_INT_STAT != 0
 * @PVM_SIM_IRQ_JOB: JOB_INT_STAT != 0 (the MCU's; panthor-vm has no use for it)
 * @PVM_SIM_NR_IRQS: number of lines
 */
enum pvm_sim_irq_line {
	PVM_SIM_IRQ_GPU,
	PVM_SIM_IRQ_MMU,
	PVM_SIM_IRQ_JOB,
	PVM_SIM_NR_IRQS,
};

/**
 * struct pvm_sim_config - how to build a software GPU
 *
 * The kernel parameters (panthor_vm_sim.<name>=) fill one of these for
 * the software GPU the driver binds to; KUnit builds its own with
 * pvm_sim_create().
 */
struct pvm_sim_config {
	/** @profile: &enum pvm_sim_profile */
	u32 profile;
	/** @smmu: put a system MMU between the GPU and memory */
	bool smmu;
	/**
	 * @noncoherent: the page-table walker only sees synced bytes (needs
	 * @smmu: the sync is a DMA operation of the system MMU)
	 */
	bool noncoherent;
	/** @check_stale: compare every cached translation with a fresh walk */
	bool check_stale;
	/** @as_active_us: how long AS_ACTIVE (and GPU_COMMAND) stay busy */
	u32 as_active_us;
	/** @tlb_entries: TLB + walk cache entries per AS, 0 = unbounded */
	u32 tlb_entries;
	/** @as_count: number of address spaces, 1..16 */
	u32 as_count;
	/**
	 * @irq_fwnode: the fwnode to give each line's interrupt domain (a
	 * device-tree interrupt controller, see pvm_sim_of.c), or NULL for a
	 * name of the model's own
	 */
	struct fwnode_handle *irq_fwnode[PVM_SIM_NR_IRQS];
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
 * @PVM_SIM_STAT_JOB_IRQS: rising edges of the JOB interrupt line
 * @PVM_SIM_STAT_CS_FATALS: command streams stopped by a CS fatal error
 * @PVM_SIM_STAT_UNKNOWN_REGS: writes to registers the model does not have
 * @PVM_SIM_STAT_SMMU_MAPS: DMA mappings made through the system MMU
 * @PVM_SIM_STAT_SMMU_UNMAPS: DMA mappings removed from the system MMU
 * @PVM_SIM_STAT_SYNC_DEVICE_BYTES: bytes of dma_sync_*_for_device() through
 *	the system MMU (CPU caches written back for the GPU)
 * @PVM_SIM_STAT_SOFT_RESETS: GPU_COMMAND soft resets
 * @PVM_SIM_STAT_HUNG_COMMANDS: AS commands that hung (pvm_sim_set_stuck())
 * @PVM_SIM_STAT_SYNC_CPU_BYTES: bytes of dma_sync_*_for_cpu() through the
 *	system MMU (CPU caches dropped after GPU writes)
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
	PVM_SIM_STAT_JOB_IRQS,
	PVM_SIM_STAT_CS_FATALS,
	PVM_SIM_STAT_UNKNOWN_REGS,
	PVM_SIM_STAT_SMMU_MAPS,
	PVM_SIM_STAT_SMMU_UNMAPS,
	PVM_SIM_STAT_SYNC_DEVICE_BYTES,
	PVM_SIM_STAT_SYNC_CPU_BYTES,
	PVM_SIM_STAT_SOFT_RESETS,
	PVM_SIM_STAT_HUNG_COMMANDS,
	PVM_SIM_NR_STATS,
};

/**
 * struct pvm_sim_lock_rec - one LOCK the model executed
 */
struct pvm_sim_lock_rec {
	/** @seq: number of the LOCK since the log was last reset, from 1 */
	u64 seq;
	/** @start: first byte of the locked region */
	u64 start;
	/** @last: last byte of the locked region */
	u64 last;
	/** @as: address space */
	u32 as;
};

struct pvm_sim *pvm_sim_create(const struct pvm_sim_config *cfg,
			       const char *dev_name);
void pvm_sim_destroy(struct pvm_sim *sim);
void pvm_sim_boot_config(struct pvm_sim_config *cfg);
struct device *pvm_sim_dev(struct pvm_sim *sim);
const struct resource *pvm_sim_mmio(struct pvm_sim *sim);
int pvm_sim_irq(struct pvm_sim *sim, enum pvm_sim_irq_line line);
bool pvm_sim_irq_asserted(struct pvm_sim *sim, enum pvm_sim_irq_line line);

int pvm_sim_gpu_access(struct pvm_sim *sim, u32 as, u64 va, void *buf,
		       size_t size, bool write, u32 *fault_status,
		       u64 *fault_address);
int pvm_sim_gpu_xfer(struct pvm_sim *sim, u32 as, u64 va, void *buf,
		     size_t size, enum pvm_sim_access access,
		     u32 *fault_status, u64 *fault_address);
int pvm_sim_leaf_log2(struct pvm_sim *sim, u32 as, u64 va, u32 *log2);
bool pvm_sim_bus_mapped(struct pvm_sim *sim, u64 bus);

void pvm_sim_stats_show(struct pvm_sim *sim, struct seq_file *m);
void pvm_sim_stats_reset(struct pvm_sim *sim);
int pvm_sim_set_stuck(struct pvm_sim *sim, u32 slot, int after);
void pvm_sim_totals_show(struct pvm_sim *sim, struct seq_file *m);
u64 pvm_sim_stat(struct pvm_sim *sim, enum pvm_sim_stat id);
int pvm_sim_stat_by_name(struct pvm_sim *sim, const char *name, u64 *val);
const char *pvm_sim_stat_name(enum pvm_sim_stat id);
unsigned int pvm_sim_locks(struct pvm_sim *sim, struct pvm_sim_lock_rec *recs,
			   unsigned int max);
void pvm_sim_locks_show(struct pvm_sim *sim, struct seq_file *m);

struct pvm_test_agent *pvm_sim_agent_start(struct pvm_sim *sim, u32 as,
					   u64 va, u64 size, u32 chunk,
					   pvm_test_agent_check_fn check,
					   void *priv);
void pvm_sim_agent_stop(struct pvm_test_agent *agent,
			struct pvm_test_agent_stats *stats);

#endif /* __PVM_SIM_H__ */
