/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-vm authors
 */
#ifndef __PVM_TEST_PORT_H__
#define __PVM_TEST_PORT_H__

#include <linux/ktime.h>
#include <linux/types.h>

/**
 * DOC: Test port
 *
 * A GPU model may hand its platform device a &struct pvm_test_port as
 * platform data: a debug port through which the driver's test-only ioctls
 * (SIM_GPU_ACCESS, SIM_AGENT, built with %CONFIG_DRM_PANTHOR_VM_SIM) make
 * the GPU access memory through an address-space slot the driver has set
 * up. It is the only thing the driver and the model share besides
 * registers, interrupt lines and the DMA API. A GPU described by the
 * device tree has no test port: the test ioctls then return -ENODEV, and
 * no other path of the driver looks at it.
 */

struct pvm_test_agent;

/**
 * typedef pvm_test_agent_check_fn - checks one chunk read by a GPU agent
 * @priv: the caller's pointer given to &pvm_test_port_ops.agent_start
 * @va: GPU VA of the chunk
 * @data: the bytes the GPU read
 * @size: number of bytes
 * @started: ktime_get() just before the read began
 *
 * Called from the agent's kthread, may sleep.
 *
 * Return: true if the bytes are acceptable, false to count a mismatch.
 */
typedef bool (*pvm_test_agent_check_fn)(void *priv, u64 va, const void *data,
					size_t size, ktime_t started);

/**
 * struct pvm_test_agent_stats - what a GPU agent saw
 */
struct pvm_test_agent_stats {
	/** @reads: chunks read without a fault */
	u64 reads;
	/** @faults: 1 if a read faulted (the agent halts at its first fault) */
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

/**
 * struct pvm_test_port_ops - what a GPU model lets tests do
 */
struct pvm_test_port_ops {
	/**
	 * @gpu_access: read or write @size bytes at GPU VA @va through
	 * address space @as. Returns 0 (with *@fault_status set if the GPU
	 * faulted, and *@leaf_log2 the size of the translation of @va, 12
	 * for a 4 KiB page, 21 for a 2 MiB block) or a negative errno.
	 */
	int (*gpu_access)(void *priv, u32 as, u64 va, void *buf, size_t size,
			  bool write, u32 *fault_status, u64 *fault_address,
			  u32 *leaf_log2);
	/**
	 * @agent_start: start a kernel thread that reads [@va, @va + @size)
	 * through @as in @chunk-byte pieces, over and over, passing each to
	 * @check. Returns the agent or an ERR_PTR().
	 */
	struct pvm_test_agent *(*agent_start)(void *priv, u32 as, u64 va,
					      u64 size, u32 chunk,
					      pvm_test_agent_check_fn check,
					      void *check_priv);
	/** @agent_stop: stop an agent, report what it saw and free it */
	void (*agent_stop)(struct pvm_test_agent *agent,
			   struct pvm_test_agent_stats *stats);
};

/**
 * struct pvm_test_port - platform data of a GPU model
 */
struct pvm_test_port {
	/** @ops: what the port can do */
	const struct pvm_test_port_ops *ops;
	/** @priv: the model, passed to @ops */
	void *priv;
};

#endif /* __PVM_TEST_PORT_H__ */
