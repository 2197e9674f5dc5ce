/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-vm authors
 */
#ifndef __PVM_SIM_PRIV_H__
#define __PVM_SIM_PRIV_H__

#include <linux/atomic.h>
#include <linux/hrtimer.h>
#include <linux/ioport.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "../pvm_regs.h"
#include "pvm_sim.h"

struct fwnode_handle;
struct io_pgtable_ops;
struct irq_domain;
struct platform_device;
struct pvm_sim_smmu;

/* log2 of the buckets of one AS's TLB + walk-cache hash. */
#define PVM_SIM_TLB_HASH_BITS	8

/**
 * struct pvm_sim_region - an inclusive GPU VA range
 */
struct pvm_sim_region {
	/** @start: first byte */
	u64 start;
	/** @last: last byte (inclusive, so the whole 2^64 space fits) */
	u64 last;
};

/**
 * struct pvm_sim_tlb_entry - one cached translation step
 *
 * A leaf entry is a TLB entry: the block or page descriptor found at
 * @level for the naturally aligned VA block starting at @va. A non-leaf
 * entry is a walk-cache entry: the table descriptor found at @level, so a
 * later walk can start at @level + 1.
 */
struct pvm_sim_tlb_entry {
	/** @hnode: link in &pvm_sim_as.tlb_hash */
	struct hlist_node hnode;
	/** @lru: link in &pvm_sim_as.tlb_lru, most recent first */
	struct list_head lru;
	/** @va: first VA the entry covers */
	u64 va;
	/** @desc: the descriptor as read by the walker */
	u64 desc;
	/** @hier: hierarchical attributes accumulated down to @desc */
	u64 hier;
	/** @level: level of the table @desc was read from */
	u8 level;
	/** @leaf: TLB entry (true) or walk-cache entry (false) */
	bool leaf;
};

/**
 * struct pvm_sim_as - state of one address-space slot
 */
struct pvm_sim_as {
	/** @sim: owner */
	struct pvm_sim *sim;
	/** @nr: slot number */
	u32 nr;
	/** @transtab: AS_TRANSTAB as programmed (shadow) */
	u64 transtab;
	/** @memattr: AS_MEMATTR as programmed (shadow) */
	u64 memattr;
	/** @transcfg: AS_TRANSCFG as programmed (shadow) */
	u64 transcfg;
	/** @live_transtab: AS_TRANSTAB the MMU uses (copied by UPDATE) */
	u64 live_transtab;
	/** @live_memattr: AS_MEMATTR the MMU uses */
	u64 live_memattr;
	/** @live_transcfg: AS_TRANSCFG the MMU uses */
	u64 live_transcfg;
	/** @lockaddr: AS_LOCKADDR */
	u64 lockaddr;
	/** @faultstatus: latched AS_FAULTSTATUS */
	u32 faultstatus;
	/** @faultaddress: latched AS_FAULTADDRESS */
	u64 faultaddress;
	/** @busy: a command is in progress (AS_STATUS.AS_ACTIVE) */
	bool busy;
	/** @pending_cmd: the command in progress */
	u32 pending_cmd;
	/** @pending_lockaddr: LOCKADDR captured when the command was written */
	u64 pending_lockaddr;
	/** @active_until: when the command in progress completes */
	ktime_t active_until;
	/** @timer: completes the command in progress on time */
	struct hrtimer timer;
	/**
	 * @stuck_in: commands that still complete before one hangs with
	 * AS_ACTIVE set until a GPU reset; -1: none hangs (pvm_sim_set_stuck())
	 */
	int stuck_in;
	/** @locked: a lock region is active */
	bool locked;
	/** @lock: the active lock region */
	struct pvm_sim_region lock;
	/** @release_seq: bumped whenever stalled accesses must re-check */
	u32 release_seq;
	/** @tlb_hash: TLB and walk-cache entries by (va, level, leaf) */
	struct hlist_head *tlb_hash;
	/** @tlb_lru: all entries, most recently used first */
	struct list_head tlb_lru;
	/** @tlb_count: number of entries */
	u32 tlb_count;
};

/**
 * struct pvm_sim_profile_desc - identification of a profile
 */
struct pvm_sim_profile_desc {
	/** @arch: architecture major */
	u32 arch;
	/** @gpu_id: GPU_ID */
	u32 gpu_id;
	/** @csf_id: GPU_CSF_ID */
	u32 csf_id;
	/** @l2_features: GPU_L2_FEATURES */
	u32 l2_features;
	/** @core_features: GPU_CORE_FEATURES */
	u32 core_features;
	/** @tiler_features: GPU_TILER_FEATURES */
	u32 tiler_features;
	/** @mem_features: GPU_MEM_FEATURES */
	u32 mem_features;
	/** @thread_features: GPU_THREAD_FEATURES */
	u32 thread_features;
	/** @max_threads: GPU_THREAD_MAX_THREADS */
	u32 max_threads;
	/** @max_workgroup: GPU_THREAD_MAX_WORKGROUP_SIZE */
	u32 max_workgroup;
	/** @max_barrier: GPU_THREAD_MAX_BARRIER_SIZE */
	u32 max_barrier;
	/** @shader_present: GPU_SHADER_PRESENT */
	u64 shader_present;
	/** @lock_min_log2: smallest lock region */
	u32 lock_min_log2;
	/** @as_flush_cmds: AS_COMMAND FLUSH_PT/FLUSH_MEM exist */
	bool as_flush_cmds;
	/** @skip_levels: AS_LOCKADDR.FLUSH_SKIP_LEVELS exists */
	bool skip_levels;
	/** @csg_slots: PVM_FWIF_CSG_SLOTS, command stream group slots */
	u32 csg_slots;
	/** @cs_slots: PVM_FWIF_CS_SLOTS, command streams per group */
	u32 cs_slots;
	/** @cs_work_regs: PVM_FWIF_CS_WORK_REGS, registers per stream */
	u32 cs_work_regs;
	/** @cs_scoreboards: PVM_FWIF_CS_SCOREBOARDS, scoreboard slots */
	u32 cs_scoreboards;
};

/* MCU VA of the CSF shared section, and the doorbell pages. */
#define PVM_SIM_FW_SHARED_VA		0x04000000ULL
#define PVM_SIM_DOORBELL_BASE		0x80000U
#define PVM_SIM_DOORBELL_STRIDE		0x10000U
#define PVM_SIM_DOORBELLS		16

/* Room for the profile's groups and streams in the interface layout. */
#define PVM_SIM_FW_MAX_GROUPS		8
#define PVM_SIM_FW_STREAMS		8
#define PVM_SIM_CS_REGS			128
#define PVM_SIM_CS_CALL_DEPTH		8

/**
 * struct pvm_sim_cs_frame - a buffer a stream CALLed or JUMPed to
 * @pc: GPU VA of the next instruction
 * @end: GPU VA of the end of the buffer
 */
struct pvm_sim_cs_frame {
	u64 pc;
	u64 end;
};

/**
 * struct pvm_sim_stream - execution state of one command stream slot,
 * kept while its group is suspended (pvm_sim_cs.c)
 * @regs: the work registers
 * @frames: the buffers being run, innermost last; the ring is below them
 * @depth: frames in use
 * @waiting: blocked on a SYNC_WAIT that is not satisfied yet
 * @wait64: the SYNC_WAIT compares 64-bit values
 * @wait_gt: it waits for the value to be greater than @wait_value (else
 *	less than or equal)
 * @wait_ptr: GPU VA of the sync object
 * @wait_value: the reference value
 */
struct pvm_sim_stream {
	u32 regs[PVM_SIM_CS_REGS];
	struct pvm_sim_cs_frame frames[PVM_SIM_CS_CALL_DEPTH];
	u32 depth;
	bool waiting;
	bool wait64;
	bool wait_gt;
	u64 wait_ptr;
	u64 wait_value;
};

/**
 * struct pvm_sim_csf - power domains, MCU and JOB interrupts (pvm_sim_csf.c)
 */
struct pvm_sim_csf {
	/** @l2_ready: L2_READY */
	u64 l2_ready;
	/** @shader_ready: SHADER_READY */
	u64 shader_ready;
	/** @tiler_ready: TILER_READY */
	u64 tiler_ready;
	/** @mcu_control: MCU_CONTROL as last written */
	u32 mcu_control;
	/** @mcu_status: MCU_STATUS */
	u32 mcu_status;
	/** @job_rawstat: JOB_INT_RAWSTAT */
	u32 job_rawstat;
	/** @job_mask: JOB_INT_MASK */
	u32 job_mask;
	/** @boot: the MCU was enabled and has not booted yet */
	bool boot;
	/** @doorbells: doorbells rung and not handled yet */
	unsigned long doorbells;
	/**
	 * @kick: streams (bit g * %PVM_SIM_FW_STREAMS + s) to run again: they
	 * used up their share of one pass of the MCU's work
	 */
	u64 kick;
	/** @work: what the MCU does (boot, doorbells), in process context */
	struct work_struct work;
	/*
	 * Touched by the MCU's work only (one at a time): no lock.
	 */
	/** @streams: per group and stream slot, execution state */
	struct pvm_sim_stream *streams;
	/** @idle_groups: groups whose CSG_IDLE event was raised */
	u32 idle_groups;
};

/**
 * struct pvm_sim - the software GPU
 */
struct pvm_sim {
	/** @cfg: configuration */
	struct pvm_sim_config cfg;
	/** @prof: identification of the profile */
	const struct pvm_sim_profile_desc *prof;
	/** @va_bits: MMU_FEATURES.VA_BITS */
	u32 va_bits;
	/** @pa_bits: MMU_FEATURES.PA_BITS */
	u32 pa_bits;
	/**
	 * @lock: protects all register state, the AS slots and their TLBs.
	 * Taken with interrupts off: register callbacks run in any context.
	 */
	spinlock_t lock;
	/** @as: address-space slots */
	struct pvm_sim_as as[MMU_MAX_AS];
	/** @mmu_rawstat: MMU_INT_RAWSTAT */
	u32 mmu_rawstat;
	/** @mmu_mask: MMU_INT_MASK */
	u32 mmu_mask;
	/** @gpu_rawstat: GPU_INT_RAWSTAT */
	u32 gpu_rawstat;
	/** @gpu_mask: GPU_INT_MASK */
	u32 gpu_mask;
	/** @gpu_fault_status: GPU_FAULT_STATUS */
	u32 gpu_fault_status;
	/** @gpu_fault_addr: GPU_FAULT_ADDR */
	u64 gpu_fault_addr;
	/** @gpu_busy: a GPU_COMMAND cache flush is in progress */
	bool gpu_busy;
	/** @gpu_until: when it completes */
	ktime_t gpu_until;
	/** @gpu_timer: completes it on time */
	struct hrtimer gpu_timer;
	/** @latest_flush_id: CSF_GPU_LATEST_FLUSH_ID, +1 per completed flush */
	u32 latest_flush_id;
	/** @timestamp_offset: GPU_TIMESTAMP_OFFSET, added to GPU_TIMESTAMP */
	u64 timestamp_offset;
	/** @cycle_base: CLOCK_MONOTONIC_RAW ns at which GPU_CYCLE_COUNT was 0 */
	u64 cycle_base;
	/** @wake: stalled accesses must re-check (set under @lock) */
	bool wake;
	/** @stall_wq: stalled accesses wait here */
	wait_queue_head_t stall_wq;
	/** @irq_level: modelled level of each interrupt line */
	bool irq_level[PVM_SIM_NR_IRQS];
	/** @irq_timer: re-asserts a line that stays high (level semantics) */
	struct hrtimer irq_timer;
	/** @irq_deliver: calls the handlers of the lines that are high */
	struct work_struct irq_deliver;
	/** @fwnode: names the interrupt domain of each line */
	struct fwnode_handle *fwnode[PVM_SIM_NR_IRQS];
	/** @irq_domain: one irq_sim domain per line (see pvm_sim_irq_init()) */
	struct irq_domain *irq_domain[PVM_SIM_NR_IRQS];
	/** @irqs: Linux interrupt numbers of the lines */
	int irqs[PVM_SIM_NR_IRQS];
	/** @csf: power domains, MCU and JOB interrupts */
	struct pvm_sim_csf csf;
	/** @smmu: the system MMU, NULL without one */
	struct pvm_sim_smmu *smmu;
	/** @stats: counters, zeroed by pvm_sim_stats_reset() */
	atomic64_t stats[PVM_SIM_NR_STATS];
	/** @totals: the same counters since creation, never reset */
	atomic64_t totals[PVM_SIM_NR_STATS];
	/** @lock_log: the last LOCKs, a ring indexed by @lock_seq */
	struct pvm_sim_lock_rec lock_log[PVM_SIM_LOCK_LOG];
	/** @lock_seq: LOCKs since the last reset */
	u64 lock_seq;
	/** @mmio: the register window */
	struct resource mmio;
	/** @mmio_window: index of @mmio in the logic_iomem region */
	unsigned int mmio_window;
	/** @mmio_maps: live ioremap()s of @mmio */
	atomic_t mmio_maps;
	/** @pdev: platform device */
	struct platform_device *pdev;
	/** @pdev_added: @pdev was added (and must be unregistered) */
	bool pdev_added;
	/** @port: test port handed to @pdev as platform data */
	struct pvm_test_port port;
};

/* pvm_sim.c */
void pvm_sim_count(struct pvm_sim *sim, enum pvm_sim_stat id);
void pvm_sim_count_add(struct pvm_sim *sim, enum pvm_sim_stat id, u64 n);
__printf(2, 3)
void pvm_sim_driver_error(struct pvm_sim *sim, const char *fmt, ...);
void pvm_sim_post(struct pvm_sim *sim);
void pvm_sim_lock_log(struct pvm_sim *sim, struct pvm_sim_as *as,
		      const struct pvm_sim_region *r);

/* pvm_sim_regs.c */
void pvm_sim_settle(struct pvm_sim *sim, struct pvm_sim_as *as);
void pvm_sim_settle_all(struct pvm_sim *sim);
bool pvm_sim_lockaddr_decode(const struct pvm_sim *sim, u64 lockaddr,
			     struct pvm_sim_region *r, u32 *skip);
void pvm_sim_regs_init(struct pvm_sim *sim);
int pvm_sim_mmio_init(struct pvm_sim *sim);
void pvm_sim_mmio_fini(struct pvm_sim *sim);

/* pvm_sim_mmu.c */
void pvm_sim_tlb_invalidate(struct pvm_sim_as *as,
			    const struct pvm_sim_region *r, u32 skip_levels);
void pvm_sim_tlb_drop_all(struct pvm_sim_as *as);
void pvm_sim_mmu_check_unreachable(struct pvm_sim *sim, u64 start, u64 size);
u32 pvm_sim_start_level_of(struct pvm_sim *sim, u64 transcfg);
int pvm_sim_tlb_init(struct pvm_sim_as *as);
void pvm_sim_tlb_fini(struct pvm_sim_as *as);

/* pvm_sim_smmu.c */
int pvm_sim_bus_read64(struct pvm_sim *sim, u64 bus, bool walker, u64 *val);
int pvm_sim_bus_copy(struct pvm_sim *sim, u64 bus, void *buf, size_t size,
		     bool write);
int pvm_sim_smmu_init(struct pvm_sim *sim);
void pvm_sim_smmu_fini(struct pvm_sim *sim);

/* pvm_sim_platform.c */
int pvm_sim_device_init(struct pvm_sim *sim, const char *name);
int pvm_sim_device_add(struct pvm_sim *sim);
void pvm_sim_device_del(struct pvm_sim *sim);
void pvm_sim_device_put(struct pvm_sim *sim);
void pvm_sim_debugfs_init(struct pvm_sim *sim);

/* pvm_sim_testif.c */
struct dentry;
void pvm_sim_testif_init(struct pvm_sim *sim, struct dentry *dir);
void pvm_sim_testif_fini(void);

/* pvm_sim_csf.c */
int pvm_sim_csf_init(struct pvm_sim *sim);
void pvm_sim_csf_fini(struct pvm_sim *sim);
void pvm_sim_csf_reset(struct pvm_sim *sim);
bool pvm_sim_csf_read(struct pvm_sim *sim, u32 reg, u32 *val);
bool pvm_sim_csf_write(struct pvm_sim *sim, u32 reg, u32 val);
int pvm_sim_fw_groups(struct pvm_sim *sim);
u32 pvm_sim_fw_io_va(int g, int s, bool out);
void pvm_sim_fw_xfer(struct pvm_sim *sim, u64 va, void *buf, size_t size,
		     bool write, int *err);

/* pvm_sim_cs.c */
void pvm_sim_cs_reset(struct pvm_sim *sim, int g, unsigned long streams);
void pvm_sim_cs_status(struct pvm_sim *sim, int g, int *err);
void pvm_sim_cs_save(struct pvm_sim *sim, int g, u64 buf, bool restore, int *err);
u32 pvm_sim_cs_run(struct pvm_sim *sim, u64 kick);

/* pvm_sim_of.c */
#if IS_ENABLED(CONFIG_OF)
bool pvm_sim_of_present(void);
#else
static inline bool pvm_sim_of_present(void)
{
	return false;
}
#endif

#endif /* __PVM_SIM_PRIV_H__ */
