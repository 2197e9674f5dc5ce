// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/ioport.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/irq_sim.h>
#include <linux/ktime.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "pvm_sim_priv.h"

/**
 * DOC: Software GPU
 *
 * With no Mali board the driver binds to this model of a Mali CSF GPU's
 * MMU. It is the hardware for every test, so it is strict: anything the
 * reference says real hardware punishes is either modelled or counted as a
 * driver error. It is not part of the driver: it is built into the kernel
 * on its own Kconfig symbol (%CONFIG_DRM_PANTHOR_VM_SIM), and the driver
 * reaches it only the way it reaches silicon: a platform device with a
 * register window it ioremap()s, two interrupt lines it request_irq()s,
 * and DMA through the DMA API, which the model's system MMU implements.
 *
 * The model is split in five units:
 *
 * - the core (this file): the device. The two GPU profiles, the
 *   interrupt lines (an irq_sim domain), the counters, the log of locked
 *   regions, creation and teardown.
 * - pvm_sim_regs.c: the register file behind the MMIO window, AS commands
 *   with their busy time and GPU_COMMAND cache flushes.
 * - pvm_sim_mmu.c: the address translation. TLB and walk cache, the
 *   AArch64 4 KiB stage-1 walker, faults, lock-region stalls and the GPU
 *   agents that perform accesses.
 * - pvm_sim_smmu.c: the bus. An optional system MMU with an IOVA
 *   allocator and an io-pgtable-arm stage-1 table, installed as the
 *   device's &struct dma_map_ops, and the device-side copy of page-table
 *   pages a non-coherent walker reads.
 * - pvm_sim_platform.c: the platform device, its kernel parameters, its
 *   debugfs files and the test port the driver's test ioctls use.
 */

/**
 * DOC: Software GPU locking
 *
 * One spinlock, &pvm_sim.lock, taken with interrupts disabled, protects the
 * whole register file, the AS slots, their TLBs and the interrupt state.
 * Register callbacks may come from hard-IRQ context or with driver locks
 * held, so nothing under it sleeps or allocates with GFP_KERNEL.
 *
 * Work that must not happen under it is deferred to pvm_sim_post(), which
 * every entry point calls after dropping the lock: waking stalled accesses
 * and asserting interrupt lines (pvm_sim_irq_deliver()).
 *
 * A command keeps AS_ACTIVE set for &pvm_sim_config.as_active_us and takes
 * effect when it completes. Completion is applied lazily, by the first
 * register access or GPU access that sees the deadline passed, and by a
 * per-AS hrtimer so that stalled accesses are released on time even if
 * nobody polls.
 */

/**
 * DOC: Software GPU invariants
 *
 * - TRANSTAB, MEMATTR and TRANSCFG have a programmed copy and a live copy;
 *   only UPDATE copies programmed to live, and it drops every TLB and
 *   walk-cache entry of the AS.
 * - A command written while AS_ACTIVE is set is a driver error and is
 *   ignored. So are FLUSH_PT and FLUSH_MEM on the arch-12 profile, unknown
 *   commands and malformed LOCKADDR values (these still execute, with the
 *   size rounded up to the profile's minimum).
 * - An interrupt line is asserted exactly while its *_INT_STAT is not zero.
 *   The model calls the line's handlers (generic_handle_irq_safe(), from
 *   a work item of its own, so without waiting for a tick) on each rising
 *   edge and, while it stays high, again every millisecond (what a level
 *   interrupt does when the handler returns without lowering it). The
 *   irq_sim domains only provide the interrupt numbers and their masking.
 * - FAULTSTATUS and FAULTADDRESS are written only when the AS's RAWSTAT bit
 *   is clear; clearing the bit does not clear them.
 */

static const struct pvm_sim_profile_desc pvm_sim_profiles[] = {
	{
		.arch = 10,
		.gpu_id = 0xa8670000,
		.csf_id = 0x00010000,
		.l2_features = 0x07120206,
		.core_features = 0x00000000,
		.tiler_features = 0x00000809,
		.mem_features = GPU_MEM_FEATURES_COHERENT,
		.thread_features = 0x04000400,
		.max_threads = 2048,
		.max_workgroup = 1024,
		.max_barrier = 1024,
		.shader_present = 0x50005,
		.lock_min_log2 = AS_LOCK_REGION_MIN_LOG2,
		.as_flush_cmds = true,
		.skip_levels = false,
		.csg_slots = 8,
		.cs_slots = 8,
		.cs_work_regs = 96,
		.cs_scoreboards = 8,
	},
	{
		.arch = 12,
		.gpu_id = 0xc8700000,
		.csf_id = 0x00020000,
		.l2_features = 0x07110206,
		.core_features = 0x00000000,
		.tiler_features = 0x00000809,
		.mem_features = GPU_MEM_FEATURES_COHERENT,
		.thread_features = 0x04000400,
		.max_threads = 2048,
		.max_workgroup = 1024,
		.max_barrier = 1024,
		.shader_present = 0x3f,
		.lock_min_log2 = AS_LOCK_REGION_MIN_LOG2_ARCH12,
		.as_flush_cmds = false,
		.skip_levels = true,
		.csg_slots = 8,
		.cs_slots = 8,
		.cs_work_regs = 96,
		.cs_scoreboards = 8,
	},
};

static const char * const pvm_sim_stat_names[PVM_SIM_NR_STATS] = {
	[PVM_SIM_STAT_COMMANDS] = "commands",
	[PVM_SIM_STAT_LOCK] = "lock",
	[PVM_SIM_STAT_UNLOCK] = "unlock",
	[PVM_SIM_STAT_FLUSH_PT] = "flush_pt",
	[PVM_SIM_STAT_FLUSH_MEM] = "flush_mem",
	[PVM_SIM_STAT_CACHE_FLUSH] = "cache_flush",
	[PVM_SIM_STAT_UPDATE] = "update",
	[PVM_SIM_STAT_DRIVER_ERRORS] = "driver_errors",
	[PVM_SIM_STAT_ACCESSES] = "accesses",
	[PVM_SIM_STAT_STALLS] = "stalls",
	[PVM_SIM_STAT_FAULTS] = "faults",
	[PVM_SIM_STAT_TLB_HITS] = "tlb_hits",
	[PVM_SIM_STAT_TLB_MISSES] = "tlb_misses",
	[PVM_SIM_STAT_WALKS] = "walks",
	[PVM_SIM_STAT_STALE_TRANSLATIONS] = "stale_translations",
	[PVM_SIM_STAT_SMMU_FAULTS] = "smmu_faults",
	[PVM_SIM_STAT_WALK_CACHE_HITS] = "walk_cache_hits",
	[PVM_SIM_STAT_TLB_EVICTIONS] = "tlb_evictions",
	[PVM_SIM_STAT_TLB_CONFLICTS] = "tlb_conflicts",
	[PVM_SIM_STAT_TERMINATED] = "terminated",
	[PVM_SIM_STAT_BUS_FAULTS] = "bus_faults",
	[PVM_SIM_STAT_MMU_IRQS] = "mmu_irqs",
	[PVM_SIM_STAT_GPU_IRQS] = "gpu_irqs",
	[PVM_SIM_STAT_JOB_IRQS] = "job_irqs",
	[PVM_SIM_STAT_CS_FATALS] = "cs_fatals",
	[PVM_SIM_STAT_UNKNOWN_REGS] = "unknown_regs",
	[PVM_SIM_STAT_SMMU_MAPS] = "smmu_maps",
	[PVM_SIM_STAT_SMMU_UNMAPS] = "smmu_unmaps",
	[PVM_SIM_STAT_SYNC_DEVICE_BYTES] = "sync_device_bytes",
	[PVM_SIM_STAT_SYNC_CPU_BYTES] = "sync_cpu_bytes",
	[PVM_SIM_STAT_SOFT_RESETS] = "soft_resets",
	[PVM_SIM_STAT_HUNG_COMMANDS] = "hung_commands",
};

/* Period at which a line that stays asserted is raised again. */
#define PVM_SIM_IRQ_REPEAT_NS	(1 * NSEC_PER_MSEC)

static atomic_t pvm_sim_ids = ATOMIC_INIT(0);

/**
 * pvm_sim_count() - bump a counter
 * @sim: software GPU
 * @id: counter
 */
void pvm_sim_count(struct pvm_sim *sim, enum pvm_sim_stat id)
{
	atomic64_inc(&sim->stats[id]);
	atomic64_inc(&sim->totals[id]);
}

/**
 * pvm_sim_count_add() - add to a counter
 * @sim: software GPU
 * @id: counter
 * @n: amount
 */
void pvm_sim_count_add(struct pvm_sim *sim, enum pvm_sim_stat id, u64 n)
{
	atomic64_add(n, &sim->stats[id]);
	atomic64_add(n, &sim->totals[id]);
}

/**
 * pvm_sim_driver_error() - count and log a programming error
 * @sim: software GPU
 * @fmt: printf format of the explanation
 */
void pvm_sim_driver_error(struct pvm_sim *sim, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	pvm_sim_count(sim, PVM_SIM_STAT_DRIVER_ERRORS);

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_warn_ratelimited("panthor-vm-sim: driver error: %pV\n", &vaf);
	va_end(args);
}

/**
 * pvm_sim_stat_name() - name of a counter, as printed in sim_stats
 * @id: counter
 *
 * Return: the name, or NULL for an unknown id.
 */
const char *pvm_sim_stat_name(enum pvm_sim_stat id)
{
	if (id >= PVM_SIM_NR_STATS)
		return NULL;
	return pvm_sim_stat_names[id];
}

/**
 * pvm_sim_stat() - read one counter
 * @sim: software GPU
 * @id: counter
 *
 * Return: the counter's value, 0 for an unknown id.
 */
u64 pvm_sim_stat(struct pvm_sim *sim, enum pvm_sim_stat id)
{
	if (id >= PVM_SIM_NR_STATS)
		return 0;
	return atomic64_read(&sim->stats[id]);
}

/**
 * pvm_sim_stat_by_name() - read one counter by its sim_stats name
 * @sim: software GPU
 * @name: counter name
 * @val: returns the value
 *
 * Return: 0, or -ENOENT if no counter has that name.
 */
int pvm_sim_stat_by_name(struct pvm_sim *sim, const char *name, u64 *val)
{
	int i;

	i = match_string(pvm_sim_stat_names, PVM_SIM_NR_STATS, name);
	if (i < 0)
		return -ENOENT;
	*val = pvm_sim_stat(sim, i);
	return 0;
}

static void pvm_sim_counters_show(const atomic64_t *counters,
				  struct seq_file *m)
{
	int i;

	for (i = 0; i < PVM_SIM_NR_STATS; i++)
		seq_printf(m, "%s %llu\n", pvm_sim_stat_names[i],
			   (unsigned long long)atomic64_read(&counters[i]));
}

/**
 * pvm_sim_stats_show() - print every counter as a "name value" line
 * @sim: software GPU
 * @m: seq_file to print to
 */
void pvm_sim_stats_show(struct pvm_sim *sim, struct seq_file *m)
{
	pvm_sim_counters_show(sim->stats, m);
}

/**
 * pvm_sim_totals_show() - print every counter since creation
 * @sim: software GPU
 * @m: seq_file to print to
 *
 * The same "name value" lines as pvm_sim_stats_show(), but counted since the
 * software GPU was created: pvm_sim_stats_reset() does not touch them, so a
 * test that resets the counters for its own figures cannot hide a driver
 * error or a fault from whoever reads these before and after it.
 */
void pvm_sim_totals_show(struct pvm_sim *sim, struct seq_file *m)
{
	pvm_sim_counters_show(sim->totals, m);
}

/**
 * pvm_sim_stats_reset() - zero every counter and empty the lock log
 * @sim: software GPU
 */
void pvm_sim_stats_reset(struct pvm_sim *sim)
{
	unsigned long flags;
	int i;

	for (i = 0; i < PVM_SIM_NR_STATS; i++)
		atomic64_set(&sim->stats[i], 0);

	spin_lock_irqsave(&sim->lock, flags);
	sim->lock_seq = 0;
	spin_unlock_irqrestore(&sim->lock, flags);
}

static void pvm_sim_irq_raise(struct pvm_sim *sim, const bool *level)
{
	bool any = false;
	int i;

	for (i = 0; i < PVM_SIM_NR_IRQS; i++)
		any |= level[i];
	if (any)
		queue_work(system_highpri_wq, &sim->irq_deliver);

	if (any && !hrtimer_is_queued(&sim->irq_timer))
		hrtimer_start(&sim->irq_timer, ns_to_ktime(PVM_SIM_IRQ_REPEAT_NS),
			      HRTIMER_MODE_REL);
}

/* Returns the current line levels; counts and reports rising edges. */
static void pvm_sim_irq_levels(struct pvm_sim *sim, bool *level, bool *rising)
{
	static const enum pvm_sim_stat edge_stat[PVM_SIM_NR_IRQS] = {
		[PVM_SIM_IRQ_GPU] = PVM_SIM_STAT_GPU_IRQS,
		[PVM_SIM_IRQ_MMU] = PVM_SIM_STAT_MMU_IRQS,
		[PVM_SIM_IRQ_JOB] = PVM_SIM_STAT_JOB_IRQS,
	};
	int i;

	level[PVM_SIM_IRQ_GPU] = sim->gpu_rawstat & sim->gpu_mask;
	level[PVM_SIM_IRQ_MMU] = sim->mmu_rawstat & sim->mmu_mask;
	level[PVM_SIM_IRQ_JOB] = sim->csf.job_rawstat & sim->csf.job_mask;
	for (i = 0; i < PVM_SIM_NR_IRQS; i++) {
		rising[i] = level[i] && !sim->irq_level[i];
		if (rising[i])
			pvm_sim_count(sim, edge_stat[i]);
		sim->irq_level[i] = level[i];
	}
}

/*
 * Deliver the lines that are high, from the model's own work item: irq_sim
 * would go through an irq_work, which UML runs only at the next tick (up to
 * 10 ms later). A work item runs at once and holds none of the driver's
 * locks, so the handler may take them.
 */
static void pvm_sim_irq_deliver(struct work_struct *work)
{
	struct pvm_sim *sim = container_of(work, struct pvm_sim, irq_deliver);
	bool level[PVM_SIM_NR_IRQS], rising[PVM_SIM_NR_IRQS];
	unsigned long flags;
	int i;

	spin_lock_irqsave(&sim->lock, flags);
	pvm_sim_settle_all(sim);
	pvm_sim_irq_levels(sim, level, rising);
	spin_unlock_irqrestore(&sim->lock, flags);

	for (i = 0; i < PVM_SIM_NR_IRQS; i++) {
		if (level[i])
			generic_handle_irq_safe(sim->irqs[i]);
	}
}

/**
 * pvm_sim_post() - deferred effects of a state change
 * @sim: software GPU
 *
 * Called without &pvm_sim.lock after every register access, command
 * completion and GPU access: wakes stalled accesses and raises interrupt
 * lines that went up.
 */
void pvm_sim_post(struct pvm_sim *sim)
{
	bool level[PVM_SIM_NR_IRQS], rising[PVM_SIM_NR_IRQS];
	unsigned long flags;
	bool wake;

	spin_lock_irqsave(&sim->lock, flags);
	wake = sim->wake;
	sim->wake = false;
	pvm_sim_irq_levels(sim, level, rising);
	spin_unlock_irqrestore(&sim->lock, flags);

	if (wake)
		wake_up_all(&sim->stall_wq);
	pvm_sim_irq_raise(sim, rising);
}

static enum hrtimer_restart pvm_sim_irq_timer_fn(struct hrtimer *t)
{
	struct pvm_sim *sim = container_of(t, struct pvm_sim, irq_timer);
	bool level[PVM_SIM_NR_IRQS], rising[PVM_SIM_NR_IRQS];
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	pvm_sim_settle_all(sim);
	pvm_sim_irq_levels(sim, level, rising);
	spin_unlock_irqrestore(&sim->lock, flags);

	if (level[PVM_SIM_IRQ_GPU] || level[PVM_SIM_IRQ_MMU] ||
	    level[PVM_SIM_IRQ_JOB])
		queue_work(system_highpri_wq, &sim->irq_deliver);
	if (!level[PVM_SIM_IRQ_GPU] && !level[PVM_SIM_IRQ_MMU] &&
	    !level[PVM_SIM_IRQ_JOB])
		return HRTIMER_NORESTART;

	hrtimer_forward_now(t, ns_to_ktime(PVM_SIM_IRQ_REPEAT_NS));
	return HRTIMER_RESTART;
}

/**
 * pvm_sim_irq() - Linux interrupt number of a line
 * @sim: software GPU
 * @line: which line
 *
 * Return: the interrupt number, which a test may request_irq().
 */
int pvm_sim_irq(struct pvm_sim *sim, enum pvm_sim_irq_line line)
{
	return sim->irqs[line];
}

/**
 * pvm_sim_irq_asserted() - modelled level of an interrupt line
 * @sim: software GPU
 * @line: which line
 *
 * Return: true while the line's *_INT_STAT register is not zero.
 */
bool pvm_sim_irq_asserted(struct pvm_sim *sim, enum pvm_sim_irq_line line)
{
	unsigned long flags;
	bool ret;

	spin_lock_irqsave(&sim->lock, flags);
	pvm_sim_settle_all(sim);
	if (line == PVM_SIM_IRQ_GPU)
		ret = sim->gpu_rawstat & sim->gpu_mask;
	else if (line == PVM_SIM_IRQ_MMU)
		ret = sim->mmu_rawstat & sim->mmu_mask;
	else
		ret = sim->csf.job_rawstat & sim->csf.job_mask;
	spin_unlock_irqrestore(&sim->lock, flags);

	pvm_sim_post(sim);
	return ret;
}

static const struct pvm_sim_profile_desc *pvm_sim_find_profile(u32 arch)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(pvm_sim_profiles); i++) {
		if (pvm_sim_profiles[i].arch == arch)
			return &pvm_sim_profiles[i];
	}
	return NULL;
}

/*
 * One irq_sim domain per line, as the device tree gives each line an
 * interrupt controller of its own. (irq_sim's own delivery, not used for
 * raising any more, walks a domain's pending bits upwards without starting
 * over and could spin in hard IRQ context with several lines per domain.)
 */
static int pvm_sim_irq_init(struct pvm_sim *sim)
{
	int i, id, ret;

	for (i = 0; i < PVM_SIM_NR_IRQS; i++) {
		struct fwnode_handle *fwnode = sim->cfg.irq_fwnode[i];

		if (!fwnode) {
			id = atomic_inc_return(&pvm_sim_ids);
			sim->fwnode[i] = irq_domain_alloc_named_id_fwnode("panthor-vm-sim",
									  id);
			if (!sim->fwnode[i])
				return -ENOMEM;
			fwnode = sim->fwnode[i];
		}

		sim->irq_domain[i] = irq_domain_create_sim(fwnode, 1);
		if (IS_ERR(sim->irq_domain[i])) {
			ret = PTR_ERR(sim->irq_domain[i]);
			sim->irq_domain[i] = NULL;
			return ret;
		}

		sim->irqs[i] = irq_create_mapping(sim->irq_domain[i], 0);
		if (!sim->irqs[i])
			return -ENOMEM;
	}
	return 0;
}

static void pvm_sim_irq_fini(struct pvm_sim *sim)
{
	int i;

	if (!sim->irq_domain[0])
		return;

	/*
	 * A retrigger of a disabled line goes through irq_sim's irq_work,
	 * which looks the mapping up; let one queued just before teardown
	 * run first.
	 */
	msleep(20);
	for (i = 0; i < PVM_SIM_NR_IRQS; i++) {
		if (sim->irqs[i])
			irq_dispose_mapping(sim->irqs[i]);
	}
	for (i = 0; i < PVM_SIM_NR_IRQS; i++) {
		if (sim->irq_domain[i])
			irq_domain_remove_sim(sim->irq_domain[i]);
		if (sim->fwnode[i])
			irq_domain_free_fwnode(sim->fwnode[i]);
	}
}

/**
 * pvm_sim_lock_log() - remember a LOCK's region
 * @sim: software GPU
 * @as: address space
 * @r: decoded region
 *
 * Called with &pvm_sim.lock held.
 */
void pvm_sim_lock_log(struct pvm_sim *sim, struct pvm_sim_as *as,
		      const struct pvm_sim_region *r)
{
	struct pvm_sim_lock_rec *rec;

	rec = &sim->lock_log[sim->lock_seq % PVM_SIM_LOCK_LOG];
	rec->seq = ++sim->lock_seq;
	rec->as = as->nr;
	rec->start = r->start;
	rec->last = r->last;
}

/**
 * pvm_sim_locks() - the LOCKs executed since the counters were reset
 * @sim: software GPU
 * @recs: returns up to @max records, the newest ones, oldest first
 * @max: room in @recs
 *
 * Only the last %PVM_SIM_LOCK_LOG LOCKs are remembered; &pvm_sim_lock_rec.seq
 * tells how many there were.
 *
 * Return: number of records written.
 */
unsigned int pvm_sim_locks(struct pvm_sim *sim, struct pvm_sim_lock_rec *recs,
			   unsigned int max)
{
	unsigned long flags;
	unsigned int n, i;
	u64 first;

	spin_lock_irqsave(&sim->lock, flags);
	pvm_sim_settle_all(sim);
	n = min_t(u64, sim->lock_seq, PVM_SIM_LOCK_LOG);
	n = min(n, max);
	first = sim->lock_seq - n;
	for (i = 0; i < n; i++)
		recs[i] = sim->lock_log[(first + i) % PVM_SIM_LOCK_LOG];
	spin_unlock_irqrestore(&sim->lock, flags);
	return n;
}

/**
 * pvm_sim_locks_show() - print the lock log as "seq as start last" lines
 * @sim: software GPU
 * @m: seq_file to print to
 */
void pvm_sim_locks_show(struct pvm_sim *sim, struct seq_file *m)
{
	struct pvm_sim_lock_rec *recs;
	unsigned int i, n;

	recs = kcalloc(PVM_SIM_LOCK_LOG, sizeof(*recs), GFP_KERNEL);
	if (!recs)
		return;
	n = pvm_sim_locks(sim, recs, PVM_SIM_LOCK_LOG);
	for (i = 0; i < n; i++)
		seq_printf(m, "%llu %u 0x%llx 0x%llx\n", recs[i].seq, recs[i].as,
			   recs[i].start, recs[i].last);
	kfree(recs);
}

/**
 * pvm_sim_create() - build a software GPU and its platform device
 * @cfg: configuration
 * @dev_name: name of the platform device: %PVM_SIM_DEVICE_NAME for the
 *	one the driver binds to, %PVM_SIM_TEST_DEVICE_NAME for a test's own
 *
 * The GPU comes out of reset: every AS in ADRMODE_UNMAPPED, all interrupts
 * masked, counters zero. Its platform device (pvm_sim_dev()) carries the
 * register window (pvm_sim_mmio()) and the "gpu" and "mmu" interrupts as
 * resources, the system MMU as its DMA ops, and a "dma-coherent" property
 * unless the walker is non-coherent.
 *
 * Return: the software GPU or an ERR_PTR().
 */
struct pvm_sim *pvm_sim_create(const struct pvm_sim_config *cfg,
			       const char *dev_name)
{
	const struct pvm_sim_profile_desc *prof;
	struct pvm_sim *sim;
	int ret;
	u32 i;

	prof = pvm_sim_find_profile(cfg->profile);
	if (!prof || !cfg->as_count || cfg->as_count > MMU_MAX_AS ||
	    (cfg->noncoherent && !cfg->smmu))
		return ERR_PTR(-EINVAL);

	sim = kzalloc(sizeof(*sim), GFP_KERNEL);
	if (!sim)
		return ERR_PTR(-ENOMEM);

	sim->cfg = *cfg;
	sim->prof = prof;
	sim->va_bits = 48;
	sim->pa_bits = 40;
	spin_lock_init(&sim->lock);
	init_waitqueue_head(&sim->stall_wq);
	hrtimer_init(&sim->irq_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	sim->irq_timer.function = pvm_sim_irq_timer_fn;
	INIT_WORK(&sim->irq_deliver, pvm_sim_irq_deliver);
	pvm_sim_regs_init(sim);
	ret = pvm_sim_csf_init(sim);
	if (ret) {
		kfree(sim);
		return ERR_PTR(ret);
	}

	for (i = 0; i < MMU_MAX_AS; i++) {
		struct pvm_sim_as *as = &sim->as[i];

		as->stuck_in = -1;

		as->sim = sim;
		as->nr = i;
		as->transcfg = AS_TRANSCFG_ADRMODE_UNMAPPED;
		as->live_transcfg = AS_TRANSCFG_ADRMODE_UNMAPPED;
		ret = pvm_sim_tlb_init(as);
		if (ret)
			goto err_destroy;
	}

	ret = pvm_sim_irq_init(sim);
	if (ret)
		goto err_destroy;
	ret = pvm_sim_mmio_init(sim);
	if (ret)
		goto err_destroy;
	ret = pvm_sim_device_init(sim, dev_name);
	if (ret)
		goto err_destroy;
	ret = pvm_sim_smmu_init(sim);
	if (ret)
		goto err_destroy;
	ret = pvm_sim_device_add(sim);
	if (ret)
		goto err_destroy;

	return sim;

err_destroy:
	pvm_sim_destroy(sim);
	return ERR_PTR(ret);
}

/**
 * pvm_sim_destroy() - unregister and free a software GPU
 * @sim: software GPU from pvm_sim_create()
 *
 * Unregisters the platform device first, so a driver bound to it unbinds
 * and undoes its mappings. Every GPU agent must be stopped before; DMA
 * mappings left over after that are reported and dropped.
 */
void pvm_sim_destroy(struct pvm_sim *sim)
{
	u32 i;

	pvm_sim_testif_fini();
	pvm_sim_device_del(sim);

	for (i = 0; i < MMU_MAX_AS; i++)
		hrtimer_cancel(&sim->as[i].timer);
	hrtimer_cancel(&sim->gpu_timer);
	hrtimer_cancel(&sim->irq_timer);
	cancel_work_sync(&sim->irq_deliver);
	pvm_sim_csf_fini(sim);

	pvm_sim_irq_fini(sim);
	pvm_sim_smmu_fini(sim);
	pvm_sim_device_put(sim);
	pvm_sim_mmio_fini(sim);

	for (i = 0; i < MMU_MAX_AS; i++)
		pvm_sim_tlb_fini(&sim->as[i]);
	kfree(sim);
}

/**
 * pvm_sim_dev() - the software GPU's platform device
 * @sim: software GPU
 *
 * Return: the device to map memory for (its DMA ops are the system MMU).
 */
struct device *pvm_sim_dev(struct pvm_sim *sim)
{
	return &sim->pdev->dev;
}

/**
 * pvm_sim_mmio() - the software GPU's register window
 * @sim: software GPU
 *
 * Return: the window's physical range, to ioremap().
 */
const struct resource *pvm_sim_mmio(struct pvm_sim *sim)
{
	return &sim->mmio;
}
