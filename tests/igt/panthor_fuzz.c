// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * A uAPI fuzzer with a shadow model: random sequences of valid and invalid
 * calls of every ioctl the driver implements (DEV_QUERY, VM_CREATE,
 * VM_DESTROY, VM_BIND sync and ASYNC with MAP / UNMAP / SYNC_ONLY,
 * READONLY / NOEXEC / UNCACHED / MAP_SPARSE / MAP_REPEAT, strides 48, 56,
 * longer and too short, binary and timeline syncobj waits and signals,
 * VM_GET_STATE, BO_CREATE, BO_MMAP_OFFSET, BO_SET_LABEL,
 * SET_USER_MMIO_OFFSET, BO_SYNC, BO_QUERY_INFO, SIM_GPU_ACCESS, SIM_AGENT,
 * GEM_CLOSE) and of the unimplemented GROUP_* / TILER_HEAP_* (-EINVAL).
 * The engine is lib/igt_panthor_fuzz.c: it predicts the documented errno
 * (and ops.count) of every call from its model of the VMs, BOs and
 * syncobjs, applies only what succeeded, and compares the model with GPU
 * reads (every BO holds an offset-dependent pattern, so a read tells which
 * BO byte a VA maps). Unmapped pages are only read on purpose: the read
 * must fault (declared to the runner), and the model then knows the VM is
 * unusable (MAP -EINVAL, UNMAP works, GPU access -EINVAL) until destroyed.
 *
 * Subtests:
 *   single-thread           one instance on two files of its own
 *   threads-one-vm          threads binding in disjoint windows of one VM
 *                           of a shared file, while a GPU agent streams
 *                           reads over a range none of them touches
 *   threads-many-vms        threads on two files with more VMs than the
 *                           GPU has AS slots, and the same agent
 *   close-with-queued-work  files closed with async binds queued on a
 *                           fence that is signalled later or never (the
 *                           binds' fences must still complete)
 *
 * Environment:
 *   PVM_FUZZ_SEED=N      PRNG seed (default: from the clock; printed first).
 *                        Each subtest and thread derives its own from it,
 *                        so `PVM_FUZZ_SEED=N --run-subtest single-thread`
 *                        replays a single-thread run call for call.
 *   PVM_FUZZ_CALLS=N     fuzzed calls of the whole binary (default 25000,
 *                        about 20 s in the boot kernel): single-thread
 *                        makes N / 2, threads-one-vm and threads-many-vms
 *                        N / 5 each (split over their threads), and
 *                        close-with-queued-work the rest (at least 10
 *                        closes, about 25 calls each), so that the binary
 *                        makes at least N calls.
 *   PVM_FUZZ_SECONDS=S   also stop each subtest after S seconds (whichever
 *                        comes first; unset or 0: no time limit).
 *   PVM_FUZZ_TRACE=1     print every call with its expected result.
 *   PVM_FUZZ_FENCE_INFO=0  after closing a file with binds queued, only
 *                        poll() their fences instead of also reading them
 *                        with SYNC_IOC_FILE_INFO (on by default: with the
 *                        VM gone, that read once reached the bind queue's
 *                        freed scheduler, a driver bug the fuzzer found).
 *
 * A call is one ioctl with generated arguments; the ioctls made to check
 * the model (GPU reads, syncobj waits, mmaps) are counted as "checks".
 * Each subtest ends with a "panthor_fuzz summary:" line (calls, calls/s,
 * calls per ioctl and per errno, "model mismatches: 0") and the last one
 * with the total. A mismatch fails the subtest with the seed and the call
 * number.
 */

#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_panthor_blocker.h"
#include "igt_panthor_sim.h"
#include "igt_panthor_fuzz.h"
#include "panthor_drm.h"

IGT_TEST_DESCRIPTION("uAPI fuzzer with a shadow model of every VM");

#define FZ_THREADS	4
/* Windows of threads-one-vm: agent range first, then one per thread. */
#define SHARED_BASE	(64 * SZ_1M)
#define SHARED_WIN	(8 * SZ_1M)
#define AGENT_SIZE	SZ_2M

static int fd = -1;
static uint64_t seed, calls = 25000;
static double seconds;
static bool trace, fence_info;
static struct igt_panthor_fuzz_stats total;
static double total_s;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : def;
}

static uint64_t sub_seed(int subtest, int tid)
{
	uint64_t x = seed + UINT64_C(0x9e3779b97f4a7c15) * (subtest * 64 + tid + 1);

	x ^= x >> 31;
	return x * UINT64_C(0xd6e8feb86659fd93);
}

static struct igt_panthor_fuzz_cfg base_cfg(uint64_t n)
{
	struct igt_panthor_fuzz_cfg c = {
		.calls = n, .seconds = seconds, .faults = true, .poison = true,
		.vm_lifecycle = true, .agent = true, .trace = trace,
		.fence_info = fence_info,
		.max_vms = 4, .init_vms = 2,
	};

	return c;
}

/* Report an instance: its summary line, and fail on a mismatch. */
static void report(const char *what, struct igt_panthor_fuzz **f, int n,
		   double t0)
{
	struct igt_panthor_fuzz_stats s = { 0 };
	const char *msg = NULL;
	double dt = now_s() - t0;

	for (int i = 0; i < n; i++) {
		igt_panthor_fuzz_stats_add(&s, igt_panthor_fuzz_stats(f[i]));
		if (!msg)
			msg = igt_panthor_fuzz_failed(f[i]);
	}
	igt_panthor_fuzz_stats_print(what, seed, &s, dt);
	igt_panthor_fuzz_stats_add(&total, &s);
	total_s += dt;
	if (msg) {
		static char copy[1024];

		snprintf(copy, sizeof(copy), "%s", msg);
		for (int i = 0; i < n; i++)
			igt_panthor_fuzz_free(f[i]);
		igt_assert_f(false, "%s\nreplay: PVM_FUZZ_SEED=%#" PRIx64
			     " %s --run-subtest %s (PVM_FUZZ_TRACE=1 prints the "
			     "calls)\n", copy, seed, "panthor_fuzz", what);
	}
	for (int i = 0; i < n; i++)
		igt_panthor_fuzz_free(f[i]);
}

/* ---- a stable range for a GPU agent ------------------------------------ */

struct agent_range {
	int fd;
	uint32_t vm, bo, seed;
	uint64_t va, user_end;
	uint32_t *expect;
};

/* Map a pattern BO at @va of @vm and start the VM's agent over it. */
static void agent_begin(struct agent_range *a, int afd, uint32_t vm,
			uint64_t va, uint32_t s)
{
	a->fd = afd;
	a->vm = vm;
	a->va = va;
	a->seed = s;
	a->bo = igt_panthor_pattern_bo(afd, AGENT_SIZE, s);
	igt_panthor_map(afd, vm, a->bo, 0, va, AGENT_SIZE, 0);
	a->expect = malloc(AGENT_SIZE);
	igt_assert(a->expect);
	igt_panthor_pattern_fill(a->expect, AGENT_SIZE, s, 0);
	igt_panthor_sim_agent_start(afd, vm, va, AGENT_SIZE, a->expect);
}

/* Stop the agent: it read, never a wrong word, never a fault. */
static void agent_end(struct agent_range *a)
{
	struct drm_panthor_sim_agent r;
	static uint32_t buf[AGENT_SIZE / 4];
	uint64_t bad = 0;

	igt_panthor_sim_agent_stop(a->fd, a->vm, &r);
	igt_info("agent over VM %u %#" PRIx64 "+2M: %" PRIu64 " reads, %"
		 PRIu64 " mismatches, fault %#x\n", a->vm, a->va,
		 (uint64_t)r.reads, (uint64_t)r.mismatches, r.fault_status);
	igt_assert_f(r.reads > 0 && !r.mismatches && !r.fault_status,
		     "the agent over the stable range saw %" PRIu64 " reads, %"
		     PRIu64 " mismatches, fault %#x at %#" PRIx64 "\n",
		     (uint64_t)r.reads, (uint64_t)r.mismatches, r.fault_status,
		     (uint64_t)r.fault_address);
	igt_panthor_gpu_read(a->fd, a->vm, a->va, buf, AGENT_SIZE);
	igt_assert_f(igt_panthor_pattern_check(buf, AGENT_SIZE, a->seed, 0, &bad),
		     "the stable range changed at +%#" PRIx64 "\n", bad);
	free(a->expect);
}

/* ---- threads ------------------------------------------------------------ */

static void *fuzz_thread(void *arg)
{
	igt_panthor_fuzz_run(arg);
	igt_panthor_fuzz_finish(arg);
	return NULL;
}

static void run_threads(struct igt_panthor_fuzz **f, int n)
{
	pthread_t t[FZ_THREADS];

	for (int i = 0; i < n; i++)
		igt_assert_eq(pthread_create(&t[i], NULL, fuzz_thread, f[i]), 0);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
}

int igt_main()
{
	igt_fixture() {
		igt_panthor_skip_on_big_endian();
		fd = drm_open_driver(DRIVER_PANTHOR);
		igt_require_panthor_sim(fd);
		seed = env_u64("PVM_FUZZ_SEED", (uint64_t)time(NULL) * 2654435761u ^
			       (uint64_t)getpid() << 32);
		calls = env_u64("PVM_FUZZ_CALLS", calls);
		seconds = strtod(getenv("PVM_FUZZ_SECONDS") ?: "0", NULL);
		trace = env_u64("PVM_FUZZ_TRACE", 0);
		fence_info = env_u64("PVM_FUZZ_FENCE_INFO", 1);
		igt_info("panthor_fuzz: seed %#" PRIx64 " (PVM_FUZZ_SEED), %" PRIu64
			 " calls (PVM_FUZZ_CALLS), time limit %.0f s "
			 "(PVM_FUZZ_SECONDS, 0: none)\n", seed, calls, seconds);
	}

	igt_describe("Random valid and invalid calls of every ioctl on two "
		     "files, checked against the model after every call");
	igt_subtest("single-thread") {
		struct igt_panthor_fuzz_cfg c = base_cfg(calls / 2);
		struct igt_panthor_fuzz *f;
		double t0 = now_s();

		c.reopen = true;
		f = igt_panthor_fuzz_new("single-thread", 0, sub_seed(0, 0), &c);
		igt_panthor_fuzz_add_file(f, drm_open_driver(DRIVER_PANTHOR), true);
		igt_panthor_fuzz_add_file(f, drm_open_driver(DRIVER_PANTHOR), true);
		igt_panthor_fuzz_run(f);
		igt_panthor_fuzz_finish(f);
		report("single-thread", &f, 1, t0);
	}

	igt_describe("Threads bind in disjoint windows of one VM of a shared "
		     "file (and fuzz the other ioctls) while a GPU agent streams "
		     "reads over a range none of them touches");
	igt_subtest("threads-one-vm") {
		struct igt_panthor_fuzz *f[FZ_THREADS];
		struct agent_range ar;
		uint64_t end = 0;
		int sfd = drm_open_driver(DRIVER_PANTHOR);
		uint32_t vm = igt_panthor_vm_create_range(sfd, &end);
		double t0 = now_s();

		agent_begin(&ar, sfd, vm, SHARED_BASE, 0x5eed);
		for (int i = 0; i < FZ_THREADS; i++) {
			struct igt_panthor_fuzz_cfg c = base_cfg(calls / 5 / FZ_THREADS);
			char name[32];

			/* Its own VMs besides the shared one: faults allowed there. */
			c.max_vms = 2;
			c.init_vms = 1;
			snprintf(name, sizeof(name), "threads-one-vm/%d", i);
			f[i] = igt_panthor_fuzz_new(name, i + 1, sub_seed(1, i), &c);
			igt_panthor_fuzz_add_file(f[i], sfd, false);
			igt_panthor_fuzz_add_shared_vm(f[i], 0, vm, end,
						       SHARED_BASE + AGENT_SIZE +
						       i * SHARED_WIN, SHARED_WIN);
		}
		run_threads(f, FZ_THREADS);
		agent_end(&ar);
		igt_panthor_vm_destroy(sfd, vm, 0);
		gem_close(sfd, ar.bo);
		drm_close_driver(sfd);
		report("threads-one-vm", f, FZ_THREADS, t0);
	}

	igt_describe("Threads on two files, each with VMs of its own, more VMs "
		     "than the GPU has AS slots, while a GPU agent streams reads "
		     "over a stable range of one more VM");
	igt_subtest("threads-many-vms") {
		struct igt_panthor_fuzz *f[FZ_THREADS];
		unsigned int slots = igt_panthor_user_slots(fd);
		unsigned int per = (slots + 4 + FZ_THREADS - 1) / FZ_THREADS;
		int fds[2] = { drm_open_driver(DRIVER_PANTHOR),
			       drm_open_driver(DRIVER_PANTHOR) };
		uint32_t vm = igt_panthor_vm_create_range(fds[0], NULL);
		struct agent_range ar;
		double t0 = now_s();

		igt_require(per <= 6);
		igt_info("%u user AS slots, %u threads with at least %u VMs each\n",
			 slots, FZ_THREADS, per);
		agent_begin(&ar, fds[0], vm, SHARED_BASE, 0x5eee);
		for (int i = 0; i < FZ_THREADS; i++) {
			struct igt_panthor_fuzz_cfg c = base_cfg(calls / 5 / FZ_THREADS);
			char name[32];

			c.init_vms = per;
			c.max_vms = per + 2;
			snprintf(name, sizeof(name), "threads-many-vms/%d", i);
			f[i] = igt_panthor_fuzz_new(name, i + 1, sub_seed(2, i), &c);
			igt_panthor_fuzz_add_file(f[i], fds[i & 1], false);
		}
		run_threads(f, FZ_THREADS);
		agent_end(&ar);
		igt_panthor_vm_destroy(fds[0], vm, 0);
		gem_close(fds[0], ar.bo);
		drm_close_driver(fds[0]);
		drm_close_driver(fds[1]);
		report("threads-many-vms", f, FZ_THREADS, t0);
	}

	igt_describe("Files closed with async binds still queued on a fence "
		     "that is signalled afterwards or never (its timeline is "
		     "closed): the binds' fences complete, nothing leaks");
	igt_subtest("close-with-queued-work") {
		struct igt_panthor_blocker b;
		struct igt_panthor_fuzz_cfg c = base_cfg(0);
		struct igt_panthor_fuzz *f;
		/* The rest of the calls, so that the binary makes at least N. */
		uint64_t share = calls - calls / 2 -
				 2 * (calls / 5 / FZ_THREADS * FZ_THREADS);
		uint64_t r, queued = 0;
		double t0 = now_s();

		/* Skips without sw_sync and vgem: no fence to queue work on. */
		igt_panthor_blocker_create(fd, &b);
		igt_panthor_blocker_destroy(&b);
		f = igt_panthor_fuzz_new("close-with-queued-work", 0, sub_seed(3, 0), &c);
		igt_panthor_fuzz_add_file(f, drm_open_driver(DRIVER_PANTHOR), true);
		for (r = 0; (r < 10 || igt_panthor_fuzz_calls(f) < share) &&
			    !igt_panthor_fuzz_failed(f); r++) {
			/* Some random state, async work in flight, then close. */
			igt_panthor_fuzz_more_calls(f, 20);
			igt_panthor_fuzz_run(f);
			queued += igt_panthor_fuzz_reopen(f, 0);
			if (seconds > 0 && now_s() - t0 > seconds)
				break;
		}
		igt_info("%" PRIu64 " binds were queued on a blocker when their "
			 "file closed\n", queued);
		igt_panthor_fuzz_finish(f);
		report("close-with-queued-work", &f, 1, t0);
		igt_assert_f(queued > 0, "no bind was ever queued on a blocker\n");
	}

	igt_fixture() {
		igt_panthor_fuzz_stats_print("total", seed, &total, total_s);
		drm_close_driver(fd);
	}
}
