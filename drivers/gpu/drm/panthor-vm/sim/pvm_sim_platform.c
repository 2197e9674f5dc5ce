// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/init.h>
#include <linux/ioport.h>
#include <linux/kstrtox.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "pvm_sim_priv.h"

/**
 * DOC: Software GPU platform device
 *
 * Every software GPU is a platform device with three resources: its
 * register window (IORESOURCE_MEM, see pvm_sim_mmio()) and the "gpu" and
 * "mmu" interrupt lines. Its platform data is a &struct pvm_test_port;
 * its fwnode has a "dma-coherent" property unless the page-table walker is
 * non-coherent; with a system MMU its DMA ops are the model's.
 *
 * At boot one software GPU is created under the name %PVM_SIM_DEVICE_NAME,
 * which the driver binds to, configured by the kernel parameters
 * ``panthor_vm_sim.<name>=`` below. It also gets the debugfs directory
 * ``panthor-vm-sim``: ``stats`` (every counter as a "name value" line;
 * writing 0 resets them and the lock log), ``totals`` (the same counters
 * since boot, never reset), ``locks`` (the last LOCKs as "seq as start
 * last" lines, addresses in hex, the region inclusive) and ``stuck``
 * (write "SLOT AFTER": after AFTER more commands, the slot's next AS
 * command hangs until a GPU reset, see pvm_sim_set_stuck(); -1 cancels).
 */

static int pvm_sim_port_gpu_access(void *priv, u32 as, u64 va, void *buf,
				   size_t size, bool write, u32 *fault_status,
				   u64 *fault_address, u32 *leaf_log2)
{
	struct pvm_sim *sim = priv;
	int ret;

	*leaf_log2 = 0;
	ret = pvm_sim_gpu_access(sim, as, va, buf, size, write, fault_status,
				 fault_address);
	if (ret || *fault_status)
		return ret;

	/* What translated @va, read from the tables the GPU walks. */
	if (pvm_sim_leaf_log2(sim, as, va, leaf_log2))
		*leaf_log2 = 0;
	return 0;
}

static struct pvm_test_agent *
pvm_sim_port_agent_start(void *priv, u32 as, u64 va, u64 size, u32 chunk,
			 pvm_test_agent_check_fn check, void *check_priv)
{
	return pvm_sim_agent_start(priv, as, va, size, chunk, check,
				   check_priv);
}

static const struct pvm_test_port_ops pvm_sim_port_ops = {
	.gpu_access = pvm_sim_port_gpu_access,
	.agent_start = pvm_sim_port_agent_start,
	.agent_stop = pvm_sim_agent_stop,
};

static const struct property_entry pvm_sim_coherent_props[] = {
	PROPERTY_ENTRY_BOOL("dma-coherent"),
	{}
};

/**
 * pvm_sim_device_init() - allocate the platform device of a software GPU
 * @sim: software GPU with its register window and interrupts
 * @name: platform device name
 *
 * The device is not added yet: the system MMU installs its DMA ops first.
 *
 * Return: 0 or a negative errno.
 */
int pvm_sim_device_init(struct pvm_sim *sim, const char *name)
{
	struct resource res[] = {
		sim->mmio,
		DEFINE_RES_IRQ_NAMED(sim->irqs[PVM_SIM_IRQ_GPU], "gpu"),
		DEFINE_RES_IRQ_NAMED(sim->irqs[PVM_SIM_IRQ_MMU], "mmu"),
	};
	struct platform_device *pdev;
	int ret;

	pdev = platform_device_alloc(name, PLATFORM_DEVID_AUTO);
	if (!pdev)
		return -ENOMEM;
	sim->pdev = pdev;

	sim->port.ops = &pvm_sim_port_ops;
	sim->port.priv = sim;
	ret = platform_device_add_resources(pdev, res, ARRAY_SIZE(res));
	if (ret)
		return ret;
	ret = platform_device_add_data(pdev, &sim->port, sizeof(sim->port));
	if (ret)
		return ret;
	if (!sim->cfg.noncoherent) {
		ret = device_create_managed_software_node(&pdev->dev,
							  pvm_sim_coherent_props,
							  NULL);
		if (ret)
			return ret;
	}
	pdev->platform_dma_mask = DMA_BIT_MASK(sim->pa_bits);
	pdev->dev.coherent_dma_mask = DMA_BIT_MASK(sim->pa_bits);
	/* The system MMU maps a whole scatter table as one segment. */
	dma_set_max_seg_size(&pdev->dev, UINT_MAX);
	return 0;
}

/**
 * pvm_sim_device_add() - make the software GPU visible to drivers
 * @sim: software GPU
 *
 * Return: 0 or a negative errno.
 */
int pvm_sim_device_add(struct pvm_sim *sim)
{
	int ret = platform_device_add(sim->pdev);

	if (!ret)
		sim->pdev_added = true;
	return ret;
}

/**
 * pvm_sim_device_del() - remove the device, unbinding its driver
 * @sim: software GPU
 */
void pvm_sim_device_del(struct pvm_sim *sim)
{
	if (sim->pdev_added)
		platform_device_del(sim->pdev);
	sim->pdev_added = false;
}

/**
 * pvm_sim_device_put() - free the platform device
 * @sim: software GPU
 */
void pvm_sim_device_put(struct pvm_sim *sim)
{
	platform_device_put(sim->pdev);
	sim->pdev = NULL;
}

/*
 * Kernel parameters of the software GPU the driver binds to:
 * panthor_vm_sim.<name>= on the command line.
 */
static uint profile = PVM_SIM_PROFILE_ARCH10;
module_param(profile, uint, 0444);
MODULE_PARM_DESC(profile, "GPU profile: 10 (G610-like) or 12 (G720-like)");

static bool smmu = true;
module_param(smmu, bool, 0444);
MODULE_PARM_DESC(smmu, "System MMU between GPU and memory (IOVA != physical)");

static bool noncoherent;
module_param(noncoherent, bool, 0444);
MODULE_PARM_DESC(noncoherent, "Page-table walker only sees bytes synced for the device (needs smmu)");

static uint as_active_us = 10;
module_param(as_active_us, uint, 0444);
MODULE_PARM_DESC(as_active_us, "Microseconds AS_ACTIVE stays set after a command");

static uint tlb_entries = 64;
module_param(tlb_entries, uint, 0444);
MODULE_PARM_DESC(tlb_entries, "TLB + walk-cache entries per AS (0 = unbounded, never evicts)");

static bool check_stale;
module_param(check_stale, bool, 0444);
MODULE_PARM_DESC(check_stale, "Compare every cached translation with a fresh walk");

static uint as_count = 8;
module_param(as_count, uint, 0444);
MODULE_PARM_DESC(as_count, "Number of address-space slots (1-16)");

static struct pvm_sim *pvm_sim_boot;

static int pvm_sim_stats_seq_show(struct seq_file *m, void *unused)
{
	pvm_sim_stats_show(m->private, m);
	return 0;
}

static int pvm_sim_stats_open(struct inode *inode, struct file *file)
{
	return single_open(file, pvm_sim_stats_seq_show, inode->i_private);
}

static ssize_t pvm_sim_stats_write(struct file *file, const char __user *buf,
				   size_t len, loff_t *ppos)
{
	struct pvm_sim *sim = file_inode(file)->i_private;
	u64 val;
	int ret;

	ret = kstrtou64_from_user(buf, len, 0, &val);
	if (ret)
		return ret;
	if (val)
		return -EINVAL;

	pvm_sim_stats_reset(sim);
	return len;
}

static const struct file_operations pvm_sim_stats_fops = {
	.owner = THIS_MODULE,
	.open = pvm_sim_stats_open,
	.read = seq_read,
	.write = pvm_sim_stats_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* "SLOT AFTER": see pvm_sim_set_stuck(). */
static ssize_t pvm_sim_stuck_write(struct file *file, const char __user *buf,
				   size_t len, loff_t *ppos)
{
	struct pvm_sim *sim = file_inode(file)->i_private;
	char tmp[32];
	int after;
	u32 slot;
	int ret;

	if (len >= sizeof(tmp))
		return -EINVAL;
	if (copy_from_user(tmp, buf, len))
		return -EFAULT;
	tmp[len] = '\0';
	if (sscanf(tmp, "%u %d", &slot, &after) != 2)
		return -EINVAL;
	ret = pvm_sim_set_stuck(sim, slot, after);
	return ret ?: len;
}

static const struct file_operations pvm_sim_stuck_fops = {
	.owner = THIS_MODULE,
	.write = pvm_sim_stuck_write,
	.llseek = noop_llseek,
};

static int pvm_sim_locks_seq_show(struct seq_file *m, void *unused)
{
	pvm_sim_locks_show(m->private, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pvm_sim_locks_seq);

static int pvm_sim_totals_seq_show(struct seq_file *m, void *unused)
{
	pvm_sim_totals_show(m->private, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pvm_sim_totals_seq);

/**
 * pvm_sim_boot_config() - the configuration the kernel command line gives
 * @cfg: filled from the panthor_vm_sim.<name>= parameters
 *
 * The software GPU the driver binds to at boot is made with it; tests
 * that make their own software GPU start from it, so that a kernel booted
 * with another profile runs them on that profile too.
 */
void pvm_sim_boot_config(struct pvm_sim_config *cfg)
{
	*cfg = (struct pvm_sim_config) {
		.profile = profile,
		.smmu = smmu,
		.noncoherent = noncoherent,
		.check_stale = check_stale,
		.as_active_us = as_active_us,
		.tlb_entries = tlb_entries,
		.as_count = as_count,
	};
}

/**
 * pvm_sim_debugfs_init() - the ``panthor-vm-sim`` debugfs directory
 * @sim: the software GPU a driver is bound to (there is one per kernel)
 */
void pvm_sim_debugfs_init(struct pvm_sim *sim)
{
	struct dentry *dir = debugfs_create_dir("panthor-vm-sim", NULL);

	debugfs_create_file("stats", 0644, dir, sim, &pvm_sim_stats_fops);
	debugfs_create_file("locks", 0444, dir, sim, &pvm_sim_locks_seq_fops);
	debugfs_create_file("totals", 0444, dir, sim, &pvm_sim_totals_seq_fops);
	debugfs_create_file("stuck", 0200, dir, sim, &pvm_sim_stuck_fops);
	pvm_sim_testif_init(sim, dir);
}

static int __init pvm_sim_boot_init(void)
{
	struct pvm_sim_config cfg;
	struct pvm_sim *sim;

	/* The device tree's GPU node gets the software GPU instead. */
	if (pvm_sim_of_present())
		return 0;

	pvm_sim_boot_config(&cfg);

	sim = pvm_sim_create(&cfg, PVM_SIM_DEVICE_NAME);
	if (IS_ERR(sim)) {
		pr_err("panthor-vm-sim: cannot create the software GPU (profile %u, %u AS, smmu %d, noncoherent %d): %pe\n",
		       profile, as_count, smmu, noncoherent, sim);
		return PTR_ERR(sim);
	}
	pvm_sim_boot = sim;
	pvm_sim_debugfs_init(sim);
	return 0;
}
device_initcall(pvm_sim_boot_init);
