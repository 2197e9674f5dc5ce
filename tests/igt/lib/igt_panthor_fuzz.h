/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The panthor-vm authors
 */
#ifndef IGT_PANTHOR_FUZZ_H
#define IGT_PANTHOR_FUZZ_H

/**
 * DOC: panthor-vm uAPI fuzzer engine (not in IGT)
 *
 * One fuzzer instance (&struct igt_panthor_fuzz) issues random valid and
 * invalid calls of every panthor ioctl on the DRM files it was given,
 * keeps a shadow model of every VM it owns (what each 4 KiB GPU page of a
 * window maps: which BO seed and BO offset, a zero-filled BO, the sparse
 * dummy, or a hole; repeat mappings resolve to BO offsets), of its BOs and
 * of its syncobjs, predicts the documented result of each call from that
 * model (the errno, &drm_panthor_vm_bind.ops.count, the data the GPU then
 * reads), applies a call to the model only when it succeeded, and checks
 * the VMs with GPU reads through SIM_GPU_ACCESS. Any difference is a
 * "model mismatch": the instance records the first one (with its seed and
 * call number) and stops.
 *
 * The engine never asserts (only the igt_panthor_blocker.h calls it makes
 * do, if a fence or syncobj they need cannot be made or read), so instances
 * can run on several threads; the caller checks igt_panthor_fuzz_failed()
 * on the main thread. Faults it provokes on purpose are declared with
 * igt_panthor_expect_faults().
 */

#include <stdbool.h>
#include <stdint.h>

/** enum igt_panthor_fuzz_ioctl - What the statistics count per call. */
enum igt_panthor_fuzz_ioctl {
	FZ_DEV_QUERY, FZ_VM_CREATE, FZ_VM_DESTROY, FZ_VM_BIND, FZ_VM_GET_STATE,
	FZ_BO_CREATE, FZ_BO_MMAP_OFFSET, FZ_GROUP_CREATE, FZ_GROUP_DESTROY,
	FZ_GROUP_SUBMIT, FZ_GROUP_GET_STATE, FZ_TILER_HEAP_CREATE,
	FZ_TILER_HEAP_DESTROY, FZ_BO_SET_LABEL, FZ_SET_USER_MMIO_OFFSET,
	FZ_BO_SYNC, FZ_BO_QUERY_INFO, FZ_SIM_GPU_ACCESS, FZ_SIM_AGENT,
	FZ_GEM_CLOSE, FZ_NR_IOCTLS
};

/** FZ_NR_ERRNO: errnos counted one by one; larger ones share the last. */
#define FZ_NR_ERRNO 140

/**
 * struct igt_panthor_fuzz_stats - What an instance did.
 * @calls: fuzzed calls (one uAPI ioctl with generated arguments each).
 * @checks: ioctls made to check the model (GPU reads, waits, mmaps).
 * @async_ops: VM_BIND ops queued asynchronously.
 * @faults: GPU faults provoked on purpose (declared).
 * @mismatches: model mismatches (0 or 1: an instance stops at the first).
 * @ioctl: fuzzed calls per enum igt_panthor_fuzz_ioctl.
 * @ioctl_ok: of which succeeded.
 * @err: fuzzed calls per errno (0 = success).
 */
struct igt_panthor_fuzz_stats {
	uint64_t calls, checks, async_ops, faults, mismatches;
	uint64_t ioctl[FZ_NR_IOCTLS], ioctl_ok[FZ_NR_IOCTLS];
	uint64_t err[FZ_NR_ERRNO];
};

/**
 * struct igt_panthor_fuzz_cfg - What an instance may do.
 * @calls: stop after this many fuzzed calls.
 * @seconds: stop after this much time (0: no limit).
 * @faults: may provoke GPU faults (on VMs it owns alone).
 * @poison: may queue an asynchronous MAP beyond the GPU VA space, which
 *	fails when it runs and makes the VM unusable.
 * @vm_lifecycle: may create and destroy VMs of its own.
 * @max_vms: VMs it keeps at most (1 to 8).
 * @init_vms: VMs it creates in each file it is given (with @vm_lifecycle).
 * @reopen: may close a file (with work queued on an igt_panthor_blocker,
 *	whose calls assert: on the main thread only) and open a new one.
 * @agent: may run short SIM_AGENT passes over stable ranges.
 * @trace: print every call.
 * @fence_info: after closing a file with binds queued, read their fences
 *	with SYNC_IOC_FILE_INFO (a kernel use-after-free: the fence's
 *	scheduler is freed with the VM); otherwise only poll() them.
 */
struct igt_panthor_fuzz_cfg {
	uint64_t calls;
	double seconds;
	bool faults, poison, vm_lifecycle, reopen, agent, trace, fence_info;
	unsigned int max_vms, init_vms;
};

struct igt_panthor_fuzz;

struct igt_panthor_fuzz *igt_panthor_fuzz_new(const char *name, int tid,
					      uint64_t seed,
					      const struct igt_panthor_fuzz_cfg *cfg);
void igt_panthor_fuzz_add_file(struct igt_panthor_fuzz *f, int fd, bool own);
void igt_panthor_fuzz_add_shared_vm(struct igt_panthor_fuzz *f, int file,
				    uint32_t vm_id, uint64_t user_end,
				    uint64_t base, uint64_t size);
void igt_panthor_fuzz_run(struct igt_panthor_fuzz *f);
void igt_panthor_fuzz_more_calls(struct igt_panthor_fuzz *f, uint64_t n);
uint64_t igt_panthor_fuzz_calls(const struct igt_panthor_fuzz *f);
unsigned int igt_panthor_fuzz_reopen(struct igt_panthor_fuzz *f, int file);
void igt_panthor_fuzz_finish(struct igt_panthor_fuzz *f);
const char *igt_panthor_fuzz_failed(const struct igt_panthor_fuzz *f);
const struct igt_panthor_fuzz_stats *
igt_panthor_fuzz_stats(const struct igt_panthor_fuzz *f);
void igt_panthor_fuzz_free(struct igt_panthor_fuzz *f);

void igt_panthor_fuzz_stats_add(struct igt_panthor_fuzz_stats *to,
				const struct igt_panthor_fuzz_stats *from);
void igt_panthor_fuzz_stats_print(const char *what, uint64_t seed,
				  const struct igt_panthor_fuzz_stats *s,
				  double seconds);

#endif /* IGT_PANTHOR_FUZZ_H */
