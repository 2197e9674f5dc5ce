// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/err.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "pvm_sim_priv.h"

/**
 * DOC: Software GPU agents
 *
 * A GPU agent is a kernel thread that reads a VA range through one
 * address space of the software GPU, chunk by chunk and over and over,
 * exactly as pvm_sim_gpu_xfer() does for any GPU access (lock stalls,
 * TLB, walker, system MMU), and hands every chunk to a check callback.
 * Tests start one while they change mappings and read its counts after
 * stopping it: a fault or a rejected chunk means the GPU saw a state it
 * must never see. Like a GPU job, an agent stops reading at its first
 * fault (and waits to be stopped), so a test knows how many faults it
 * caused.
 */

/**
 * struct pvm_test_agent - a kthread streaming GPU reads over a range
 */
struct pvm_test_agent {
	/** @sim: software GPU */
	struct pvm_sim *sim;
	/** @task: the kthread */
	struct task_struct *task;
	/** @as: address space */
	u32 as;
	/** @chunk: bytes per read */
	u32 chunk;
	/** @va: first VA */
	u64 va;
	/** @size: bytes in the range */
	u64 size;
	/** @check: validates each chunk */
	pvm_test_agent_check_fn check;
	/** @priv: for @check */
	void *priv;
	/** @buf: one chunk */
	void *buf;
	/** @stats: counts, read by pvm_sim_agent_stop() once the thread is gone */
	struct pvm_test_agent_stats stats;
};

static int pvm_sim_agent_fn(void *data)
{
	struct pvm_test_agent *agent = data;
	u64 off;

	while (!kthread_should_stop()) {
		for (off = 0; off < agent->size && !kthread_should_stop();
		     off += agent->chunk) {
			u32 len = min_t(u64, agent->chunk, agent->size - off);
			u64 va = agent->va + off;
			ktime_t started = ktime_get();
			u32 status;
			u64 addr;
			int ret;

			ret = pvm_sim_gpu_xfer(agent->sim, agent->as, va,
					       agent->buf, len,
					       PVM_SIM_ACCESS_READ, &status,
					       &addr);
			if (ret == -EINTR)
				break;
			if (!ret && status) {
				/*
				 * A GPU job stops at its first fault: so does
				 * the agent, which keeps the fault count of a
				 * test exact.
				 */
				agent->stats.faults++;
				agent->stats.first_fault_status = status;
				agent->stats.first_fault_address = addr;
				break;
			}
			if (ret) {
				agent->stats.errors++;
			} else {
				agent->stats.reads++;
				agent->stats.bytes += len;
				if (!agent->check(agent->priv, va, agent->buf,
						  len, started))
					agent->stats.mismatches++;
			}
			cond_resched();
		}
		if (off >= agent->size)
			agent->stats.passes++;
		if (agent->stats.faults)
			break;
	}
	/* Halted by a fault: wait for the stop. */
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

/**
 * pvm_sim_agent_start() - start a GPU agent that streams reads
 * @sim: software GPU
 * @as: address space
 * @va: first VA of the range
 * @size: bytes in the range
 * @chunk: bytes per read, 1 to 1 MiB (reads cross 4 KiB pages as one access)
 * @check: called with every chunk read without a fault
 * @priv: passed to @check
 *
 * The agent reads [@va, @va + @size) again and again until stopped, through
 * the whole access path (so it stalls on locked regions), and counts reads,
 * faults and chunks @check rejected.
 *
 * Return: the agent, or an ERR_PTR().
 */
struct pvm_test_agent *pvm_sim_agent_start(struct pvm_sim *sim, u32 as,
					   u64 va, u64 size, u32 chunk,
					   pvm_test_agent_check_fn check,
					   void *priv)
{
	struct pvm_test_agent *agent;

	if (as >= sim->cfg.as_count || !size || !chunk || chunk > SZ_1M ||
	    !check)
		return ERR_PTR(-EINVAL);

	agent = kzalloc(sizeof(*agent), GFP_KERNEL);
	if (!agent)
		return ERR_PTR(-ENOMEM);

	agent->buf = kvmalloc(chunk, GFP_KERNEL);
	if (!agent->buf) {
		kfree(agent);
		return ERR_PTR(-ENOMEM);
	}

	agent->sim = sim;
	agent->as = as;
	agent->va = va;
	agent->size = size;
	agent->chunk = chunk;
	agent->check = check;
	agent->priv = priv;
	agent->task = kthread_run(pvm_sim_agent_fn, agent, "pvm-sim-agent/%u",
				  as);
	if (IS_ERR(agent->task)) {
		int ret = PTR_ERR(agent->task);

		kvfree(agent->buf);
		kfree(agent);
		return ERR_PTR(ret);
	}
	return agent;
}

/**
 * pvm_sim_agent_stop() - stop a GPU agent and collect what it saw
 * @agent: agent from pvm_sim_agent_start()
 * @stats: returns the counts (may be NULL)
 *
 * Waits for the agent's current access to finish (a stalled access is
 * abandoned) and frees the agent.
 */
void pvm_sim_agent_stop(struct pvm_test_agent *agent,
			struct pvm_test_agent_stats *stats)
{
	kthread_stop(agent->task);
	if (stats)
		*stats = agent->stats;
	kvfree(agent->buf);
	kfree(agent);
}
