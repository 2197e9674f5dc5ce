// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/bitfield.h>
#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "pvm_sim_priv.h"

/**
 * DOC: Software GPU test interface of its own
 *
 * What a test of any driver bound to the model can use from userspace,
 * whatever the driver (panthor-vm's test uAPI is its own; upstream panthor
 * has none), in the model's debugfs directory:
 *
 * - ``agent``: ``start AS VA SIZE KEY`` starts a GPU agent (see
 *   pvm_sim_agent.c) streaming reads of [VA, VA + SIZE) through address
 *   space AS, which expects every 32-bit word at GPU VA a to hold
 *   (a >> 2) ^ KEY, the contents the test gave the BO mapped there; up to
 *   %PVM_SIM_TESTIF_AGENTS at once. ``stop`` stops them all; reading the
 *   file then gives ``reads R faults F bad B`` summed over them: chunks
 *   read, reads that faulted, chunks that held anything else (a torn or
 *   stale read).
 * - ``ases``: one line per address space the MMU translates with, ``as N
 *   tables T``: the distinct table pages its walker can reach from
 *   TRANSTAB (a table linked from several places counts once).
 */

#define PVM_SIM_TESTIF_AGENTS		4
#define PVM_SIM_TESTIF_CHUNK		256
#define PVM_SIM_TESTIF_MAX_TABLES	8192

struct pvm_sim_testif_agent {
	struct pvm_test_agent *agent;
	u32 key;
};

static struct {
	/* Serialises the agent file's users. */
	struct mutex lock;
	struct pvm_sim_testif_agent agents[PVM_SIM_TESTIF_AGENTS];
	struct pvm_test_agent_stats total;
} pvm_sim_testif = {
	.lock = __MUTEX_INITIALIZER(pvm_sim_testif.lock),
};

/* Count the table pages under @table (level @level) not in @seen yet. */
static int pvm_sim_tables_under(struct pvm_sim *sim, u64 table, u32 level,
				u64 *seen, u32 *n, u32 max)
{
	u32 i;

	for (i = 0; i < *n; i++) {
		if (seen[i] == table)
			return 0;
	}
	if (*n == max)
		return -E2BIG;
	seen[(*n)++] = table;
	if (level == PVM_PT_MAX_LEVELS - 1)
		return 0;
	for (i = 0; i < PVM_PT_ENTRIES; i++) {
		u64 desc;
		int ret;

		if (pvm_sim_bus_read64(sim, table + i * sizeof(u64), true, &desc))
			return -EFAULT;
		if (!(desc & PVM_PTE_VALID) ||
		    (desc & PVM_PTE_TYPE_MASK) != PVM_PTE_TYPE_TABLE)
			continue;
		ret = pvm_sim_tables_under(sim, desc & PVM_PTE_ADDR, level + 1,
					   seen, n, max);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * pvm_sim_as_tables() - table pages the MMU can reach from an AS
 * @sim: software GPU
 * @as_nr: address space
 * @seen: room for @max table addresses
 * @max: how many
 *
 * Walks the tables of the AS's live TRANSTAB as the walker reads them and
 * counts each distinct table page once (a table linked from several
 * places, as repeat mappings share them, counts once).
 *
 * Return: the number of table pages, 0 if the AS translates nothing,
 * -E2BIG past @max, -EFAULT if a table is unreachable.
 */
static int pvm_sim_as_tables(struct pvm_sim *sim, u32 as_nr, u64 *seen, u32 max)
{
	struct pvm_sim_as *as = &sim->as[as_nr];
	unsigned long flags;
	u32 n = 0;
	int ret = 0;

	spin_lock_irqsave(&sim->lock, flags);
	if (FIELD_GET(AS_TRANSCFG_ADRMODE, as->live_transcfg) ==
	    AS_TRANSCFG_ADRMODE_AARCH64_4K)
		ret = pvm_sim_tables_under(sim, as->live_transtab & AS_TRANSTAB_ADDR,
					   pvm_sim_start_level_of(sim, as->live_transcfg),
					   seen, &n, max);
	spin_unlock_irqrestore(&sim->lock, flags);
	return ret ?: n;
}

static bool pvm_sim_testif_check(void *priv, u64 va, const void *data,
				 size_t size, ktime_t started)
{
	const struct pvm_sim_testif_agent *a = priv;
	const u32 *w = data;
	size_t i;

	for (i = 0; i < size / 4; i++) {
		if (w[i] != (lower_32_bits((va >> 2) + i) ^ a->key))
			return false;
	}
	return true;
}

static void pvm_sim_testif_stop_all(void)
{
	struct pvm_test_agent_stats st, *t = &pvm_sim_testif.total;
	int i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < PVM_SIM_TESTIF_AGENTS; i++) {
		struct pvm_sim_testif_agent *a = &pvm_sim_testif.agents[i];

		if (!a->agent)
			continue;
		pvm_sim_agent_stop(a->agent, &st);
		a->agent = NULL;
		t->reads += st.reads;
		t->faults += st.faults;
		t->mismatches += st.mismatches;
		t->errors += st.errors;
	}
}

static int pvm_sim_testif_start(struct pvm_sim *sim, u32 as, u64 va, u64 size,
				u32 key)
{
	struct pvm_sim_testif_agent *a = NULL;
	struct pvm_test_agent *agent;
	int i;

	if (as >= sim->cfg.as_count || !size || (va | size) % PVM_SIM_TESTIF_CHUNK)
		return -EINVAL;
	for (i = 0; i < PVM_SIM_TESTIF_AGENTS && !a; i++) {
		if (!pvm_sim_testif.agents[i].agent)
			a = &pvm_sim_testif.agents[i];
	}
	if (!a)
		return -EBUSY;
	a->key = key;
	agent = pvm_sim_agent_start(sim, as, va, size, PVM_SIM_TESTIF_CHUNK,
				    pvm_sim_testif_check, a);
	if (IS_ERR(agent))
		return PTR_ERR(agent);
	a->agent = agent;
	return 0;
}

static ssize_t pvm_sim_testif_agent_write(struct file *file,
					  const char __user *ubuf, size_t len,
					  loff_t *ppos)
{
	struct pvm_sim *sim = file_inode(file)->i_private;
	char buf[96];
	u64 va, size;
	u32 as, key;
	int ret = 0;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';

	mutex_lock(&pvm_sim_testif.lock);
	if (sysfs_streq(buf, "stop"))
		pvm_sim_testif_stop_all();
	else if (sscanf(buf, "start %u %llx %llx %x", &as, &va, &size, &key) == 4)
		ret = pvm_sim_testif_start(sim, as, va, size, key);
	else
		ret = -EINVAL;
	mutex_unlock(&pvm_sim_testif.lock);
	return ret ?: len;
}

static int pvm_sim_testif_agent_show(struct seq_file *m, void *unused)
{
	const struct pvm_test_agent_stats *t = &pvm_sim_testif.total;

	mutex_lock(&pvm_sim_testif.lock);
	seq_printf(m, "reads %llu faults %llu bad %llu errors %llu\n", t->reads,
		   t->faults, t->mismatches, t->errors);
	mutex_unlock(&pvm_sim_testif.lock);
	return 0;
}

static int pvm_sim_testif_agent_open(struct inode *inode, struct file *file)
{
	return single_open(file, pvm_sim_testif_agent_show, inode->i_private);
}

static const struct file_operations pvm_sim_testif_agent_fops = {
	.owner = THIS_MODULE,
	.open = pvm_sim_testif_agent_open,
	.read = seq_read,
	.write = pvm_sim_testif_agent_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int pvm_sim_testif_ases_show(struct seq_file *m, void *unused)
{
	struct pvm_sim *sim = m->private;
	u64 *seen;
	u32 i;

	seen = kvmalloc_array(PVM_SIM_TESTIF_MAX_TABLES, sizeof(*seen), GFP_KERNEL);
	if (!seen)
		return -ENOMEM;
	for (i = 0; i < sim->cfg.as_count; i++) {
		int n = pvm_sim_as_tables(sim, i, seen, PVM_SIM_TESTIF_MAX_TABLES);

		if (n)
			seq_printf(m, "as %u tables %d\n", i, n);
	}
	kvfree(seen);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pvm_sim_testif_ases);

/**
 * pvm_sim_testif_init() - the ``agent`` and ``ases`` debugfs files
 * @sim: software GPU
 * @dir: its debugfs directory
 */
void pvm_sim_testif_init(struct pvm_sim *sim, struct dentry *dir)
{
	debugfs_create_file("agent", 0644, dir, sim, &pvm_sim_testif_agent_fops);
	debugfs_create_file("ases", 0444, dir, sim, &pvm_sim_testif_ases_fops);
}

/**
 * pvm_sim_testif_fini() - stop the agents the test interface started
 *
 * Called before the software GPU goes away.
 */
void pvm_sim_testif_fini(void)
{
	mutex_lock(&pvm_sim_testif.lock);
	pvm_sim_testif_stop_all();
	mutex_unlock(&pvm_sim_testif.lock);
}
