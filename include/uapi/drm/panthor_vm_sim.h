/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The panthor-vm authors
 */
#ifndef _PANTHOR_VM_SIM_H_
#define _PANTHOR_VM_SIM_H_

#include "panthor_drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * DOC: Software GPU test ioctls
 *
 * Two driver-private ioctls of panthor-vm that let tests act as the GPU.
 * They exist only in kernels built with CONFIG_DRM_PANTHOR_VM_SIM and
 * answer -ENODEV on a GPU without a test port (real hardware). Their ids
 * are far above upstream panthor's, so they can never collide with them.
 */

/**
 * enum drm_panthor_sim_ioctl_id - Ioctl IDs of the software GPU's test ioctls.
 */
enum drm_panthor_sim_ioctl_id {
	/** @DRM_PANTHOR_SIM_GPU_ACCESS: Perform a GPU memory access. */
	DRM_PANTHOR_SIM_GPU_ACCESS = 0x30,

	/**
	 * @DRM_PANTHOR_SIM_AGENT: Start or stop a kernel GPU agent that
	 * streams reads over a VA range of a VM.
	 */
	DRM_PANTHOR_SIM_AGENT = 0x31,
};

/** DRM_IOCTL_PANTHOR_SIM_GPU_ACCESS: Software-GPU memory access (test only). */
#define DRM_IOCTL_PANTHOR_SIM_GPU_ACCESS \
	DRM_IOCTL_PANTHOR(WR, SIM_GPU_ACCESS, sim_gpu_access)
/** DRM_IOCTL_PANTHOR_SIM_AGENT: Start or stop a software-GPU agent (test only). */
#define DRM_IOCTL_PANTHOR_SIM_AGENT \
	DRM_IOCTL_PANTHOR(WR, SIM_AGENT, sim_agent)

/** DRM_PANTHOR_SIM_GPU_ACCESS_WRITE: &drm_panthor_sim_gpu_access.flags: write. */
#define DRM_PANTHOR_SIM_GPU_ACCESS_WRITE	0x1

/**
 * struct drm_panthor_sim_gpu_access - Argument of DRM_IOCTL_PANTHOR_SIM_GPU_ACCESS.
 *
 * panthor-vm extension for tests, only implemented by kernels built with
 * CONFIG_DRM_PANTHOR_VM_SIM. The software GPU puts the VM on an address
 * space slot as a job would and reads or writes @size bytes at @va through
 * its MMU (lock regions, TLB, page-table walker, system MMU). A GPU fault is
 * not an ioctl error: the ioctl returns 0 with @fault_status set. An MMU
 * fault goes to the driver's fault IRQ handler as a real one, which makes
 * the VM unusable; the ioctl returns once it has.
 * Errors: -ENOENT for an unknown @vm_id; -EINVAL for unknown @flags, a
 * non-zero @pad or @pad2, a zero @size or one above 1 MiB; -EFAULT for a bad @data.
 */
struct drm_panthor_sim_gpu_access {
	/** @vm_id: VM whose address space is used. */
	__u32 vm_id;

	/** @flags: %DRM_PANTHOR_SIM_GPU_ACCESS_WRITE to write, else read. */
	__u32 flags;

	/** @va: GPU virtual address of the first byte. */
	__u64 va;

	/** @size: Number of bytes, 1 to 1 MiB. */
	__u64 size;

	/** @data: User pointer to the source (write) or destination (read). */
	__u64 data;

	/** @fault_status: Out: AS_FAULTSTATUS if the access faulted, else 0. */
	__u32 fault_status;

	/** @pad: Zero. */
	__u32 pad;

	/** @fault_address: Out: faulting GPU VA, valid when @fault_status != 0. */
	__u64 fault_address;

	/**
	 * @leaf_log2: Out: size (log2) of the translation the GPU used for
	 * @va when the access did not fault: 12 for a 4 KiB page, 21 for a
	 * 2 MiB block; 0 if unknown.
	 */
	__u32 leaf_log2;

	/** @pad2: Zero. */
	__u32 pad2;
};

/**
 * enum drm_panthor_sim_agent_op - What DRM_IOCTL_PANTHOR_SIM_AGENT does.
 */
enum drm_panthor_sim_agent_op {
	/** @DRM_PANTHOR_SIM_AGENT_START: Start the VM's agent. */
	DRM_PANTHOR_SIM_AGENT_START = 1,

	/** @DRM_PANTHOR_SIM_AGENT_STOP: Stop the VM's agent and report. */
	DRM_PANTHOR_SIM_AGENT_STOP = 2,

	/**
	 * @DRM_PANTHOR_SIM_AGENT_STRICT: From now on only the NEW contents
	 * are acceptable: every read that starts after this call and returns
	 * an OLD word counts as a mismatch. Issue it once the op that changes
	 * the range has returned. Returns once the agent has read the whole
	 * range under this rule (-ETIMEDOUT after a second without).
	 */
	DRM_PANTHOR_SIM_AGENT_STRICT = 3,
};

/** DRM_PANTHOR_SIM_AGENT_MAX_SIZE: Largest range an agent reads over. */
#define DRM_PANTHOR_SIM_AGENT_MAX_SIZE	((__u64)8 << 20)

/**
 * struct drm_panthor_sim_agent - Argument of DRM_IOCTL_PANTHOR_SIM_AGENT.
 *
 * panthor-vm extension for tests, only implemented by kernels built with
 * CONFIG_DRM_PANTHOR_VM_SIM. A GPU agent is a kernel thread that reads
 * @size bytes at @va through the software GPU's MMU, as 32-bit words, over
 * and over, while userspace changes the mappings. START first reads the
 * range once through the GPU to snapshot its OLD contents, then streams;
 * every word read must equal the OLD or the NEW (@expect) word at its
 * offset. The agent stops reading at its first fault, as a GPU job
 * would (the fault is handled as a real one: the VM becomes unusable).
 * STOP ends the thread and reports what it saw.
 *
 * One agent per VM at a time. Errors: -EBUSY for START while the VM's
 * agent runs; -ENOENT for STOP without a running agent and for an unknown
 * @vm_id; -EINVAL for an unknown @op, a non-zero @pad, or (START) a zero
 * @size, one above %DRM_PANTHOR_SIM_AGENT_MAX_SIZE, or a @va or @size that
 * is not 4-byte aligned; -EFAULT for a bad @expect.
 */
struct drm_panthor_sim_agent {
	/** @vm_id: VM whose address space the agent reads. */
	__u32 vm_id;

	/** @op: An enum drm_panthor_sim_agent_op. */
	__u32 op;

	/** @va: START: GPU VA of the range, 4-byte aligned. */
	__u64 va;

	/** @size: START: bytes in the range, 4-byte aligned, at most 8 MiB. */
	__u64 size;

	/**
	 * @expect: START: user pointer to @size bytes, the NEW contents of
	 * the range. The OLD contents are snapshotted at START.
	 */
	__u64 expect;

	/** @reads: STOP out: 32-bit words read without a fault. */
	__u64 reads;

	/**
	 * @mismatches: STOP out: chunks with a word equal to neither the OLD
	 * nor the NEW word, or, read after STRICT, not the NEW word.
	 */
	__u64 mismatches;

	/** @fault_status: STOP out: AS_FAULTSTATUS of the first fault, 0 if none. */
	__u32 fault_status;

	/** @pad: Zero. */
	__u32 pad;

	/** @fault_address: STOP out: GPU VA of the first fault, if any. */
	__u64 fault_address;
};

#if defined(__cplusplus)
}
#endif

#endif /* _PANTHOR_VM_SIM_H_ */
