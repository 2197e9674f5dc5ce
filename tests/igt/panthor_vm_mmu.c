// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * What the GPU MMU sees of VM_BIND, read from the software GPU's counters
 * (debugfs sim_stats) and through GPU reads and agents:
 *
 * - one op = one lock region and one flush: on a VM resident on an AS
 *   slot, each bind op issues exactly one LOCK and one flush (arch 10:
 *   FLUSH_MEM, which unlocks implicitly; arch 12: a GPU_COMMAND cache flush
 *   then UNLOCK), and the model detects no programming error;
 * - zero stale translations: after the op the GPU never uses a cached
 *   translation that disagrees with the page table;
 * - a VM that is not on a slot (never used, or evicted) costs no MMU
 *   command at all;
 * - more VMs than AS slots: every VM keeps reading its own data;
 * - atomicity: a kernel GPU agent streams reads over a 2 MiB block while
 *   userspace remaps 4 KiB pieces of it; it must see no fault and only the
 *   old or the new data.
 *
 * With the software GPU's system MMU, BO A's 2 MiB at BASE is one 2 MiB
 * block: an op whose edge falls inside it still issues one LOCK, which
 * covers the whole block (the block is rewritten as 4 KiB pages inside the
 * op window), and a GPU agent reading a surviving border of the block
 * during the op never faults and only sees the border's own data.
 */

#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_panthor_sim.h"
#include "panthor_drm.h"

IGT_TEST_DESCRIPTION("VM_BIND as the GPU MMU sees it: lock/flush per op, "
		     "stale translations, AS slots, atomicity");

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define BASE	UINT64_C(0x200000)	/* the 2 MiB block of BO A */
#define SEED_A	81
#define SEED_B	82

/* Short names of the leaf sizes igt_panthor_gpu_leaf_log2() reports. */
#define LEAF_PAGE	IGT_PANTHOR_LEAF_PAGE
#define LEAF_BLOCK	IGT_PANTHOR_LEAF_BLOCK
/* Bytes of a surviving border one agent reads. */
#define BORDER		SZ_64K
/* Time the agent streams before and after the op. */
#define AGENT_US	10000

static int fd = -1;
static unsigned int arch;
static bool smmu;	/* the software GPU has its system MMU: 2 MiB blocks */

struct mmu_counts {
	uint64_t commands, lock, unlock, flush_pt, flush_mem, cache_flush;
	uint64_t update, driver_errors, stale;
};

/* SIM_AGENT START from another thread, for agent-start-races-destroy. */
struct agent_race {
	struct drm_panthor_sim_agent arg;
	unsigned int delay_us;
	int ret;
};

static void *agent_race_start(void *data)
{
	struct agent_race *r = data;

	usleep(r->delay_us);
	r->ret = __igt_panthor_sim_agent(fd, &r->arg);
	return NULL;
}

static void read_counts(struct mmu_counts *c)
{
	struct igt_panthor_sim_stats s;

	igt_panthor_sim_stats_read(fd, &s);
	igt_panthor_sim_stats_print(&s);
	c->commands = igt_panthor_sim_stat(&s, "commands");
	c->lock = igt_panthor_sim_stat(&s, "lock");
	c->unlock = igt_panthor_sim_stat(&s, "unlock");
	c->flush_pt = igt_panthor_sim_stat(&s, "flush_pt");
	c->flush_mem = igt_panthor_sim_stat(&s, "flush_mem");
	c->cache_flush = igt_panthor_sim_stat(&s, "cache_flush");
	c->update = igt_panthor_sim_stat(&s, "update");
	c->driver_errors = igt_panthor_sim_stat(&s, "driver_errors");
	c->stale = igt_panthor_sim_stat(&s, "stale_translations");
}

/* @nops bind ops on a resident VM: one lock and one flush each. */
static void assert_op_windows(const char *what, uint64_t nops)
{
	struct mmu_counts c;

	read_counts(&c);
	igt_info("%s: lock %" PRIu64 " unlock %" PRIu64 " flush_pt %" PRIu64
		 " flush_mem %" PRIu64 " cache_flush %" PRIu64 " update %"
		 PRIu64 "\n", what, c.lock, c.unlock, c.flush_pt, c.flush_mem,
		 c.cache_flush, c.update);
	igt_assert_f(c.driver_errors == 0,
		     "%s: the software GPU saw %" PRIu64 " programming errors\n",
		     what, c.driver_errors);
	igt_assert_f(c.lock == nops, "%s: %" PRIu64 " LOCK commands for %"
		     PRIu64 " ops\n", what, c.lock, nops);
	igt_assert_f(c.flush_pt == 0, "%s: %" PRIu64 " FLUSH_PT commands\n",
		     what, c.flush_pt);
	if (arch == 10) {
		igt_assert_f(c.flush_mem == nops, "%s: %" PRIu64 " FLUSH_MEM "
			     "for %" PRIu64 " ops (arch 10)\n", what,
			     c.flush_mem, nops);
		igt_assert_f(c.unlock == 0, "%s: %" PRIu64 " UNLOCK on arch 10, "
			     "where FLUSH_MEM already unlocks\n", what,
			     c.unlock);
		igt_assert_f(c.cache_flush == 0, "%s: %" PRIu64 " extra cache "
			     "flushes on arch 10\n", what, c.cache_flush);
	} else {
		igt_assert_f(c.cache_flush == nops, "%s: %" PRIu64 " cache "
			     "flushes for %" PRIu64 " ops (arch 12)\n", what,
			     c.cache_flush, nops);
		igt_assert_f(c.unlock == nops, "%s: %" PRIu64 " UNLOCK for %"
			     PRIu64 " ops (arch 12)\n", what, c.unlock, nops);
		igt_assert_f(c.flush_mem == 0, "%s: %" PRIu64 " FLUSH_MEM on "
			     "arch 12\n", what, c.flush_mem);
	}
	igt_assert_f(c.update == 0, "%s: %" PRIu64 " UPDATE commands for a VM "
		     "that stayed on its slot\n", what, c.update);
}

static void assert_no_stale(const char *what)
{
	struct mmu_counts c;

	read_counts(&c);
	igt_assert_f(c.stale == 0, "%s: %" PRIu64 " stale translations\n",
		     what, c.stale);
	igt_assert_f(c.driver_errors == 0, "%s: %" PRIu64 " programming "
		     "errors\n", what, c.driver_errors);
}

static void assert_no_commands(const char *what)
{
	struct mmu_counts c;

	read_counts(&c);
	igt_assert_f(c.commands == 0 && c.lock == 0 && c.unlock == 0 &&
		     c.flush_mem == 0 && c.flush_pt == 0 &&
		     c.cache_flush == 0 && c.update == 0,
		     "%s: a VM off its slot got MMU work: commands %" PRIu64
		     " lock %" PRIu64 " unlock %" PRIu64 " flush_mem %" PRIu64
		     " cache_flush %" PRIu64 " update %" PRIu64 "\n", what,
		     c.commands, c.lock, c.unlock, c.flush_mem, c.cache_flush,
		     c.update);
	igt_assert_eq_u64(c.driver_errors, 0);
}

/* ---- one op = one lock + one flush -------------------------------------- */

/* struct op_case.cut when no op cuts into the block at BASE. */
#define NO_CUT	-1

struct op_case {
	const char *name;
	int nops;
	struct { int bo; uint64_t bo_off, va, size; bool unmap; } op[2];
	/* The op whose edge falls inside the block at BASE, or NO_CUT. */
	int cut;
	/* With a cut: BORDER bytes of the block that every op leaves alone. */
	uint64_t border;
};

/* bo: 1 = A (2 MiB), 2 = B (2 MiB). A is mapped at BASE..BASE+2M first. */
static const struct op_case op_cases[] = {
	{ "map-new", 1, { { 2, 0, 0x1000000, SZ_64K, false } }, NO_CUT, 0 },
	{ "map-new-2M-block", 1, { { 2, 0, 0x800000, SZ_2M, false } },
	  NO_CUT, 0 },
	{ "map-over-4K", 1, { { 2, SZ_4K, BASE + 0x20000, SZ_4K, false } },
	  0, BASE + 0x21000 },
	{ "map-over-64K", 1, { { 2, 0, BASE + SZ_1M, SZ_64K, false } },
	  0, BASE + SZ_1M + SZ_64K },
	{ "map-over-whole-block", 1, { { 2, 0, BASE, SZ_2M, false } },
	  NO_CUT, 0 },
	{ "unmap-4K-in-block", 1, { { 0, 0, BASE + 0x101000, SZ_4K, true } },
	  0, BASE + 0x102000 },
	{ "unmap-first-4K", 1, { { 0, 0, BASE, SZ_4K, true } },
	  0, BASE + SZ_4K },
	{ "unmap-whole-block", 1, { { 0, 0, BASE, SZ_2M, true } }, NO_CUT, 0 },
	{ "unmap-across-block-end", 1,
	  { { 0, 0, BASE + SZ_2M - SZ_8K, SZ_64K, true } },
	  0, BASE + SZ_2M - SZ_8K - BORDER },
	{ "two-ops-one-ioctl", 2,
	  { { 2, 0, BASE + SZ_64K, SZ_16K, false },
	    { 0, 0, BASE + SZ_1M, SZ_16K, true } },
	  0, BASE },
};

/* One LOCK per op, each covering its op; the cutting op's the whole block. */
static void assert_op_locks(const struct op_case *c,
			    const struct igt_panthor_sim_lock *locks, int n)
{
	igt_assert_f(n == c->nops, "%s: %d LOCKs in the lock log for %d ops\n",
		     c->name, n, c->nops);
	for (int i = 0; i < n; i++) {
		uint64_t first = c->op[i].va, last = first + c->op[i].size - 1;

		igt_debug("%s: op %d LOCK [%#" PRIx64 ", %#" PRIx64 "]\n",
			  c->name, i, locks[i].start, locks[i].last);
		igt_assert_f(locks[i].start <= first && locks[i].last >= last,
			     "%s: op %d locked [%#" PRIx64 ", %#" PRIx64 "], "
			     "not its own range [%#" PRIx64 ", %#" PRIx64 "]\n",
			     c->name, i, locks[i].start, locks[i].last, first,
			     last);
	}
	if (c->cut == NO_CUT)
		return;
	igt_assert_f(locks[c->cut].start <= BASE &&
		     locks[c->cut].last >= BASE + SZ_2M - 1,
		     "%s: op %d cuts into the block [%#" PRIx64 ", %#" PRIx64
		     "] but locked only [%#" PRIx64 ", %#" PRIx64 "]\n",
		     c->name, c->cut, BASE, BASE + SZ_2M - 1,
		     locks[c->cut].start, locks[c->cut].last);
}

static void run_op_case(const struct op_case *c)
{
	static uint32_t border[BORDER / 4];
	struct igt_panthor_sim_lock locks[IGT_PANTHOR_MAX_LOCKS];
	struct drm_panthor_vm_bind_op ops[2];
	struct drm_panthor_sim_agent r;
	struct igt_panthor_model m;
	uint32_t vm, bo[3];
	bool agent = smmu && c->cut != NO_CUT;
	int nlocks = 0;

	vm = igt_panthor_vm_create_range(fd, NULL);
	bo[1] = igt_panthor_pattern_bo(fd, SZ_2M, SEED_A);
	bo[2] = igt_panthor_pattern_bo(fd, SZ_2M, SEED_B);
	igt_panthor_model_init(&m, 0, 32 * SZ_1M);
	igt_panthor_map(fd, vm, bo[1], 0, BASE, SZ_2M, 0);
	igt_panthor_model_map(&m, SEED_A, 0, BASE, SZ_2M);
	/* Make the VM resident and warm its TLB. */
	igt_panthor_model_check(fd, vm, &m);
	if (smmu)
		igt_panthor_assert_leaf(fd, vm, BASE, LEAF_BLOCK, c->name);
	else
		igt_debug("%s: no system MMU, block checks skipped\n", c->name);

	for (int i = 0; i < c->nops; i++) {
		if (c->op[i].unmap) {
			ops[i] = igt_panthor_op_unmap(c->op[i].va, c->op[i].size);
			igt_panthor_model_unmap(&m, c->op[i].va, c->op[i].size);
		} else {
			uint32_t seed = c->op[i].bo == 1 ? SEED_A : SEED_B;

			ops[i] = igt_panthor_op_map(bo[c->op[i].bo],
						    c->op[i].bo_off, c->op[i].va,
						    c->op[i].size, 0);
			igt_panthor_model_map(&m, seed, c->op[i].bo_off,
					      c->op[i].va, c->op[i].size);
		}
	}

	if (agent) {
		/* Strict: the border's current data and nothing else. */
		igt_panthor_gpu_read(fd, vm, c->border, border, BORDER);
		igt_panthor_sim_agent_start(fd, vm, c->border, BORDER, border);
		usleep(AGENT_US);
	}
	igt_panthor_sim_stats_reset(fd);
	igt_panthor_vm_bind_ops(fd, vm, 0, ops, c->nops);
	if (smmu)
		nlocks = igt_panthor_sim_locks(locks, IGT_PANTHOR_MAX_LOCKS);
	if (agent) {
		/* Stopped before any assertion can leave it running. */
		usleep(AGENT_US);
		igt_panthor_sim_agent_stop(fd, vm, &r);
	}
	assert_op_windows(c->name, c->nops);
	if (smmu)
		assert_op_locks(c, locks, nlocks);
	if (agent) {
		igt_assert_f(r.fault_status == 0 && r.mismatches == 0 &&
			     r.reads > 0, "%s: agent over the border %#" PRIx64
			     "+%#" PRIx64 " during the op: reads %" PRIu64
			     " mismatches %" PRIu64 " fault %#x at %#" PRIx64
			     "\n", c->name, c->border, BORDER,
			     (uint64_t)r.reads, (uint64_t)r.mismatches,
			     r.fault_status, (uint64_t)r.fault_address);
		/* The border was mapped back as 4 KiB pages. */
		igt_panthor_assert_leaf(fd, vm, c->border, LEAF_PAGE, c->name);
		igt_panthor_assert_leaf(fd, vm, c->border + BORDER - SZ_4K,
					LEAF_PAGE, c->name);
	}

	igt_panthor_model_check(fd, vm, &m);
	assert_no_stale(c->name);

	igt_panthor_model_fini(&m);
	igt_panthor_vm_destroy(fd, vm, 0);
	gem_close(fd, bo[1]);
	gem_close(fd, bo[2]);
}

/* ---- atomicity ---------------------------------------------------------- */

static void shuffle(int *v, int n)
{
	for (int i = n - 1; i > 0; i--) {
		int j = rand() % (i + 1), t = v[i];

		v[i] = v[j];
		v[j] = t;
	}
}

int igt_main()
{
	igt_fixture() {
		igt_panthor_skip_on_big_endian();
		fd = drm_open_driver(DRIVER_PANTHOR);
		igt_require_panthor_sim(fd);
		smmu = igt_panthor_sim_has_smmu();
		igt_panthor_assert_expected_smmu();
		arch = igt_panthor_arch_major(fd);
		igt_require_f(arch == 10 || arch == 12, "GPU arch %u\n", arch);
	}

	igt_describe("Every bind op on a resident VM issues exactly one LOCK "
		     "and one flush, and the GPU then sees no stale "
		     "translation; with the system MMU an op cutting into a "
		     "2 MiB block locks the whole block and a GPU agent on its "
		     "surviving border sees no fault and no foreign data");
	igt_subtest_with_dynamic("one-op-one-flush") {
		igt_require_panthor_sim_stats(fd);
		for (size_t i = 0; i < ARRAY_LEN(op_cases); i++) {
			igt_dynamic(op_cases[i].name)
				run_op_case(&op_cases[i]);
		}
	}

	igt_describe("Binds on a VM that was never used by the GPU issue no "
		     "MMU command");
	igt_subtest("non-resident-no-commands") {
		uint32_t vm, bo = igt_panthor_pattern_bo(fd, SZ_2M, SEED_A);

		igt_require_panthor_sim_stats(fd);
		vm = igt_panthor_vm_create_range(fd, NULL);
		igt_panthor_sim_stats_reset(fd);
		igt_panthor_map(fd, vm, bo, 0, BASE, SZ_2M, 0);
		igt_panthor_map(fd, vm, bo, SZ_4K, BASE + SZ_64K, SZ_4K, 0);
		igt_panthor_unmap(fd, vm, BASE + SZ_1M, SZ_8K);
		assert_no_commands("never-used VM");

		/* First use puts it on a slot, and the data is right. */
		igt_assert_eq_u32(igt_panthor_gpu_read32(fd, vm, BASE + SZ_64K),
				  igt_panthor_pattern(SEED_A, SZ_4K));
		igt_assert_eq_u32(igt_panthor_gpu_read32(fd, vm, BASE + 8),
				  igt_panthor_pattern(SEED_A, 8));
		assert_no_stale("after first use");
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("Binds on a VM evicted from its slot issue no MMU command");
	igt_subtest("evicted-no-commands") {
		unsigned int slots = igt_panthor_user_slots(fd);
		uint32_t vm, bo = igt_panthor_pattern_bo(fd, SZ_2M, SEED_A), others[16];

		igt_require_panthor_sim_stats(fd);
		igt_require(slots >= 1 && slots <= 15);
		vm = igt_panthor_vm_create_range(fd, NULL);
		igt_panthor_map(fd, vm, bo, 0, BASE, SZ_2M, 0);
		igt_assert_eq_u32(igt_panthor_gpu_read32(fd, vm, BASE),
				  igt_panthor_pattern(SEED_A, 0));
		/* Use as many other VMs as there are slots: vm is LRU. */
		for (unsigned int i = 0; i < slots; i++) {
			others[i] = igt_panthor_vm_create_range(fd, NULL);
			igt_panthor_map(fd, others[i], bo, 0, BASE, SZ_64K, 0);
			igt_assert_eq_u32(igt_panthor_gpu_read32(fd, others[i],
								 BASE + 4 * i),
					  igt_panthor_pattern(SEED_A, 4 * i));
		}
		igt_panthor_sim_stats_reset(fd);
		igt_panthor_unmap(fd, vm, BASE + SZ_1M, SZ_4K);
		igt_panthor_map(fd, vm, bo, SZ_8K, BASE + SZ_1M, SZ_4K, 0);
		assert_no_commands("evicted VM");
		igt_assert_eq_u32(igt_panthor_gpu_read32(fd, vm, BASE + SZ_1M),
				  igt_panthor_pattern(SEED_A, SZ_8K));
		igt_assert_eq_u32(igt_panthor_gpu_read32(fd, vm, BASE + SZ_1M + SZ_4K),
				  igt_panthor_pattern(SEED_A, SZ_1M + SZ_4K));
		assert_no_stale("evicted VM back on a slot");
		for (unsigned int i = 0; i < slots; i++)
			igt_panthor_vm_destroy(fd, others[i], 0);
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("Random remaps with GPU reads in between leave no stale "
		     "translation and no programming error");
	igt_subtest("zero-stale-random") {
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t bos[2] = { igt_panthor_pattern_bo(fd, SZ_2M, SEED_A),
				    igt_panthor_pattern_bo(fd, SZ_2M, SEED_B) };
		uint32_t seeds[2] = { SEED_A, SEED_B };
		struct igt_panthor_model m;
		const uint64_t win = SZ_8M;

		igt_require_panthor_sim_stats(fd);
		srand(42);
		igt_panthor_model_init(&m, BASE, win);
		for (uint64_t va = BASE; va < BASE + win; va += SZ_2M) {
			igt_panthor_map(fd, vm, bos[0], 0, va, SZ_2M, 0);
			igt_panthor_model_map(&m, SEED_A, 0, va, SZ_2M);
		}
		igt_panthor_model_check(fd, vm, &m);
		igt_panthor_sim_stats_reset(fd);

		for (int it = 0; it < 200; it++) {
			uint64_t pages = 1 + rand() % 64;
			uint64_t page = rand() % (win / SZ_4K - pages);
			uint64_t va = BASE + page * SZ_4K, size = pages * SZ_4K;
			uint64_t off = (page * SZ_4K) % SZ_2M;
			int b = rand() % 2;

			if (off + size > SZ_2M)
				off = 0;
			/* MAP-over only: the whole window stays readable. */
			igt_panthor_map(fd, vm, bos[b], off, va, size, 0);
			igt_panthor_model_map(&m, seeds[b], off, va, size);
			/* Read the change and its neighbours: hit the TLB. */
			for (uint64_t p = page ? page - 1 : 0;
			     p <= page + pages && p < m.npages; p++) {
				const struct igt_panthor_page *pg = &m.page[p];
				uint64_t a = BASE + p * SZ_4K + 12;

				igt_assert_eq_u32(igt_panthor_gpu_read32(fd, vm, a),
						  igt_panthor_pattern(pg->seed,
								      pg->bo_offset + 12));
			}
		}
		igt_panthor_model_check(fd, vm, &m);
		assert_no_stale("200 random remaps");
		igt_panthor_model_fini(&m);
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, bos[0]);
		gem_close(fd, bos[1]);
	}

	igt_describe("More VMs than AS slots, used round-robin: every read "
		     "returns that VM's own data");
	igt_subtest("more-vms-than-slots") {
		unsigned int slots = igt_panthor_user_slots(fd), nvms = 12;
		uint32_t vms[32], bos[32];

		if (nvms < slots + 4)
			nvms = slots + 4;
		igt_require(nvms <= 32);
		igt_info("%u user AS slots, %u VMs\n", slots, nvms);
		for (unsigned int i = 0; i < nvms; i++) {
			vms[i] = igt_panthor_vm_create_range(fd, NULL);
			bos[i] = igt_panthor_pattern_bo(fd, SZ_64K, 200 + i);
			/* Same VA in every VM: only the AS tells them apart. */
			igt_panthor_map(fd, vms[i], bos[i], 0, BASE, SZ_64K, 0);
		}
		for (int round = 0; round < 5; round++) {
			for (unsigned int i = 0; i < nvms; i++) {
				uint64_t off = (round * 4096 + i * 64) % SZ_64K;
				uint32_t v = igt_panthor_gpu_read32(fd, vms[i],
								    BASE + off);

				igt_assert_f(v == igt_panthor_pattern(200 + i, off),
					     "round %d VM %u (#%u) read %#x at +%#"
					     PRIx64 ", expected its BO's %#x\n",
					     round, vms[i], i, v, off,
					     igt_panthor_pattern(200 + i, off));
			}
		}
		if (igt_panthor_debugfs_dir(fd, "sim_stats"))
			assert_no_stale("round-robin over AS slots");
		for (unsigned int i = 0; i < nvms; i++) {
			igt_panthor_vm_destroy(fd, vms[i], 0);
			gem_close(fd, bos[i]);
		}
	}

	igt_describe("SIM_AGENT: bad arguments, one agent per VM, STOP needs a "
		     "START");
	igt_subtest("agent-invalid") {
		static uint32_t expect[SZ_64K / 4];
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t bo = igt_panthor_pattern_bo(fd, SZ_64K, SEED_A);
		struct drm_panthor_sim_agent r;
		struct {
			const char *name;
			uint32_t vm_off, op, pad;
			uint64_t va, size;
			int err;
		} bad[] = {
			{ "stop-without-start", 0, DRM_PANTHOR_SIM_AGENT_STOP, 0,
			  0, 0, ENOENT },
			{ "unknown-vm", 0x1000, DRM_PANTHOR_SIM_AGENT_START, 0,
			  BASE, SZ_64K, ENOENT },
			{ "op-0", 0, 0, 0, BASE, SZ_64K, EINVAL },
			{ "op-4", 0, 4, 0, BASE, SZ_64K, EINVAL },
			{ "strict-without-start", 0,
			  DRM_PANTHOR_SIM_AGENT_STRICT, 0, 0, 0, ENOENT },
			{ "pad", 0, DRM_PANTHOR_SIM_AGENT_START, 1, BASE, SZ_64K,
			  EINVAL },
			{ "size-0", 0, DRM_PANTHOR_SIM_AGENT_START, 0, BASE, 0,
			  EINVAL },
			{ "size-above-8M", 0, DRM_PANTHOR_SIM_AGENT_START, 0,
			  BASE, SZ_8M + 4, EINVAL },
			{ "va-unaligned", 0, DRM_PANTHOR_SIM_AGENT_START, 0,
			  BASE + 2, SZ_4K, EINVAL },
			{ "size-unaligned", 0, DRM_PANTHOR_SIM_AGENT_START, 0,
			  BASE, 6, EINVAL },
		};

		igt_panthor_pattern_fill(expect, SZ_64K, SEED_A, 0);
		igt_panthor_map(fd, vm, bo, 0, BASE, SZ_64K, 0);
		for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
			struct drm_panthor_sim_agent a = {
				.vm_id = vm + bad[i].vm_off,
				.op = bad[i].op,
				.pad = bad[i].pad,
				.va = bad[i].va,
				.size = bad[i].size,
				.expect = (uintptr_t)expect,
			};
			int err = __igt_panthor_sim_agent(fd, &a);

			igt_assert_f(err == -bad[i].err, "%s: %d, expected %d\n",
				     bad[i].name, err, -bad[i].err);
		}

		igt_panthor_sim_agent_start(fd, vm, BASE, SZ_64K, expect);
		{
			struct drm_panthor_sim_agent a = {
				.vm_id = vm,
				.op = DRM_PANTHOR_SIM_AGENT_START,
				.va = BASE,
				.size = SZ_64K,
				.expect = (uintptr_t)expect,
			};

			igt_assert_eq(__igt_panthor_sim_agent(fd, &a), -EBUSY);
		}
		usleep(50 * 1000);
		igt_panthor_sim_agent_stop(fd, vm, &r);
		igt_assert_f(r.reads > 0 && r.mismatches == 0 &&
			     r.fault_status == 0,
			     "idle agent: reads %" PRIu64 " mismatches %" PRIu64
			     " fault %#x\n", (uint64_t)r.reads,
			     (uint64_t)r.mismatches, r.fault_status);
		{
			struct drm_panthor_sim_agent a = {
				.vm_id = vm,
				.op = DRM_PANTHOR_SIM_AGENT_STOP,
			};

			igt_assert_eq(__igt_panthor_sim_agent(fd, &a), -ENOENT);
		}
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("The agent counts a word that is neither old nor new");
	igt_subtest("agent-detects-mismatch") {
		static uint32_t expect[SZ_64K / 4];
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t a = igt_panthor_pattern_bo(fd, SZ_64K, SEED_A), c = igt_panthor_pattern_bo(fd, SZ_64K, 83);
		struct drm_panthor_sim_agent r;

		igt_panthor_map(fd, vm, a, 0, BASE, SZ_64K, 0);
		igt_panthor_pattern_fill(expect, SZ_64K, SEED_B, 0);
		igt_panthor_sim_agent_start(fd, vm, BASE, SZ_64K, expect);
		igt_panthor_map(fd, vm, c, 0, BASE + SZ_16K, SZ_4K, 0);
		usleep(100 * 1000);
		igt_panthor_sim_agent_stop(fd, vm, &r);
		igt_assert_f(r.reads > 0 && r.mismatches > 0 && r.fault_status == 0,
			     "agent over a foreign BO: reads %" PRIu64
			     " mismatches %" PRIu64 " fault %#x\n",
			     (uint64_t)r.reads, (uint64_t)r.mismatches,
			     r.fault_status);
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, a);
		gem_close(fd, c);
	}

	igt_describe("The agent reports the first fault it hits");
	igt_subtest("agent-detects-fault") {
		static uint32_t expect[SZ_64K / 4];
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t a = igt_panthor_pattern_bo(fd, SZ_64K, SEED_A);
		struct drm_panthor_sim_agent r;
		const uint64_t hole = BASE + SZ_32K;

		igt_panthor_map(fd, vm, a, 0, BASE, SZ_64K, 0);
		igt_panthor_pattern_fill(expect, SZ_64K, SEED_A, 0);
		igt_panthor_sim_agent_start(fd, vm, BASE, SZ_64K, expect);
		igt_panthor_unmap(fd, vm, hole, SZ_4K);
		usleep(100 * 1000);
		igt_panthor_sim_agent_stop(fd, vm, &r);
		/* The agent halts at its first fault, as a GPU job does. */
		igt_panthor_expect_faults(1, 0);
		igt_assert_f(r.fault_status ==
			     IGT_PANTHOR_FAULTSTATUS(IGT_PANTHOR_FAULT_TRANSLATION | 3,
						     IGT_PANTHOR_ACCESS_READ),
			     "agent fault status %#x, expected a level-3 read "
			     "translation fault\n", r.fault_status);
		igt_assert_f(r.fault_address >= hole &&
			     r.fault_address < hole + SZ_4K,
			     "agent fault address %#" PRIx64 " outside the "
			     "unmapped page %#" PRIx64 "\n",
			     (uint64_t)r.fault_address, hole);
		igt_assert_eq_u32(igt_panthor_vm_get_state(fd, vm),
				  DRM_PANTHOR_VM_STATE_UNUSABLE);
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, a);
	}

	igt_describe("SIM_AGENT START racing VM_DESTROY from another thread: "
		     "START either runs before the destroy (which stops the "
		     "agent) or finds the VM gone; no agent outlives its VM "
		     "(the runner fails on the WARN of an agent's last put)");
	igt_subtest("agent-start-races-destroy") {
		static uint32_t expect[SZ_64K / 4];
		uint32_t a = igt_panthor_pattern_bo(fd, SZ_64K, SEED_A);
		unsigned int started = 0, gone = 0;

		igt_panthor_pattern_fill(expect, SZ_64K, SEED_A, 0);
		for (int i = 0; i < 200; i++) {
			struct agent_race r = {
				.arg = {
					.vm_id = igt_panthor_vm_create_range(fd, NULL),
					.op = DRM_PANTHOR_SIM_AGENT_START,
					.va = BASE,
					.size = SZ_64K,
					.expect = (uintptr_t)expect,
				},
				/* Some START surely after the destroy, some surely before. */
				.delay_us = i % 3 == 0 ? 2000 : i % 5 * 100,
			};
			pthread_t t;

			igt_panthor_map(fd, r.arg.vm_id, a, 0, BASE, SZ_64K, 0);
			igt_assert_eq(pthread_create(&t, NULL, agent_race_start, &r), 0);
			usleep(i % 3 == 1 ? 2000 : i % 7 * 60);
			igt_panthor_vm_destroy(fd, r.arg.vm_id, 0);
			igt_assert_eq(pthread_join(t, NULL), 0);
			igt_assert_f(r.ret == 0 || r.ret == -ENOENT,
				     "START racing VM_DESTROY: %d\n", r.ret);
			started += !r.ret;
			gone += r.ret == -ENOENT;
			/* Whatever START did, the VM and its agent are gone. */
			r.arg.op = DRM_PANTHOR_SIM_AGENT_STOP;
			igt_assert_eq(__igt_panthor_sim_agent(fd, &r.arg), -ENOENT);
		}
		igt_info("agent START before the destroy %u times, after %u\n",
			 started, gone);
		igt_assert(started && gone);
		/* An agent on a new VM works: no slot holds a stale one. */
		{
			uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
			struct drm_panthor_sim_agent res;

			igt_panthor_map(fd, vm, a, 0, BASE, SZ_64K, 0);
			igt_panthor_sim_agent_start(fd, vm, BASE, SZ_64K, expect);
			usleep(20 * 1000);
			igt_panthor_sim_agent_stop(fd, vm, &res);
			igt_assert(res.reads > 0);
			igt_assert_eq_u64(res.mismatches, 0);
			igt_panthor_vm_destroy(fd, vm, 0);
		}
		gem_close(fd, a);
	}

	igt_describe("Once a bind op has returned, the GPU reads only the new "
		     "data: an agent in strict mode after each op (a 4 KiB "
		     "piece into a 2 MiB block, a 64 KiB piece, the whole "
		     "block) sees no old word and no fault");
	igt_subtest("agent-strict-after-return") {
		static const uint64_t pieces[][2] = {
			{ SZ_64K, SZ_4K }, { SZ_1M, SZ_64K }, { 0, SZ_2M },
		};
		static uint32_t expect[SZ_2M / 4];
		const uint64_t va = UINT64_C(0x40000000);
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t a = igt_panthor_pattern_bo(fd, SZ_2M, SEED_A);
		uint32_t b = igt_panthor_pattern_bo(fd, SZ_2M, SEED_B);
		struct drm_panthor_sim_agent r;

		for (size_t i = 0; i < ARRAY_LEN(pieces); i++) {
			uint64_t off = pieces[i][0], size = pieces[i][1];

			igt_panthor_map(fd, vm, a, 0, va, SZ_2M, 0);
			igt_panthor_pattern_fill(expect, SZ_2M, SEED_A, 0);
			igt_panthor_pattern_fill((char *)expect + off, size,
						 SEED_B, off);
			igt_panthor_sim_agent_start(fd, vm, va, SZ_2M, expect);
			igt_panthor_map(fd, vm, b, off, va + off, size, 0);
			igt_panthor_sim_agent_strict(fd, vm);
			igt_panthor_sim_agent_stop(fd, vm, &r);
			igt_assert_f(r.fault_status == 0 && r.mismatches == 0 &&
				     r.reads > 0, "B over [%#" PRIx64 ", +%#"
				     PRIx64 "): reads %" PRIu64 ", mismatches %"
				     PRIu64 ", fault %#x\n", off, size,
				     (uint64_t)r.reads, (uint64_t)r.mismatches,
				     r.fault_status);
		}
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, a);
		gem_close(fd, b);
	}

	igt_describe("Strict mode bites: with no op, an agent told that the "
		     "new data is due counts the old words it still reads");
	igt_subtest("agent-strict-detects-old") {
		static uint32_t expect[SZ_64K / 4];
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t a = igt_panthor_pattern_bo(fd, SZ_64K, SEED_A);
		struct drm_panthor_sim_agent r;

		igt_panthor_map(fd, vm, a, 0, BASE, SZ_64K, 0);
		igt_panthor_pattern_fill(expect, SZ_64K, SEED_B, 0);
		igt_panthor_sim_agent_start(fd, vm, BASE, SZ_64K, expect);
		igt_panthor_sim_agent_strict(fd, vm);
		igt_panthor_sim_agent_stop(fd, vm, &r);
		igt_assert_f(r.mismatches > 0 && r.fault_status == 0,
			     "strict agent over unchanged data: reads %" PRIu64
			     ", mismatches %" PRIu64 ", fault %#x\n",
			     (uint64_t)r.reads, (uint64_t)r.mismatches,
			     r.fault_status);
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, a);
	}

	igt_describe("A GPU agent streaming reads over a 2 MiB block (a real "
		     "block with the system MMU) while userspace remaps 4 KiB "
		     "pieces of it (single ops and two ops per ioctl) sees no "
		     "fault and only old or new data");
	igt_subtest("atomicity") {
		static uint32_t expect[SZ_2M / 4];
		const uint64_t va = UINT64_C(0x40000000);
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t a = igt_panthor_pattern_bo(fd, SZ_2M, SEED_A), b = igt_panthor_pattern_bo(fd, SZ_2M, SEED_B);
		struct drm_panthor_sim_agent r;
		struct igt_panthor_model m;
		int order[512];
		uint64_t nbinds = 0;

		srand(7);
		igt_panthor_model_init(&m, va, SZ_2M);
		igt_panthor_map(fd, vm, a, 0, va, SZ_2M, 0);
		igt_panthor_model_map(&m, SEED_A, 0, va, SZ_2M);
		/* The agent's range starts as one 2 MiB block. */
		if (smmu)
			igt_panthor_assert_leaf(fd, vm, va, LEAF_BLOCK, "atomicity");
		igt_panthor_pattern_fill(expect, SZ_2M, SEED_B, 0);
		igt_panthor_sim_agent_start(fd, vm, va, SZ_2M, expect);

		for (int round = 0; round < 2; round++) {
			/* 1: B's pieces over A, one sync MAP each. */
			for (int i = 0; i < 512; i++)
				order[i] = i;
			shuffle(order, 512);
			for (int i = 0; i < 512; i++) {
				uint64_t off = order[i] * SZ_4K;

				igt_panthor_map(fd, vm, b, off, va + off, SZ_4K, 0);
				igt_panthor_model_map(&m, SEED_B, off, va + off,
						      SZ_4K);
				nbinds++;
			}
			/* 2: A's pieces back, two MAP ops per ioctl. */
			shuffle(order, 512);
			for (int i = 0; i < 512; i += 2) {
				uint64_t o0 = order[i] * SZ_4K;
				uint64_t o1 = order[i + 1] * SZ_4K;
				struct drm_panthor_vm_bind_op ops[2] = {
					igt_panthor_op_map(a, o0, va + o0, SZ_4K, 0),
					igt_panthor_op_map(a, o1, va + o1, SZ_4K, 0),
				};

				igt_panthor_vm_bind_ops(fd, vm, 0, ops, 2);
				igt_panthor_model_map(&m, SEED_A, o0, va + o0, SZ_4K);
				igt_panthor_model_map(&m, SEED_A, o1, va + o1, SZ_4K);
				nbinds += 2;
			}
			/* 3: the whole block over, then 64 KiB pieces back. */
			igt_panthor_map(fd, vm, b, 0, va, SZ_2M, 0);
			igt_panthor_model_map(&m, SEED_B, 0, va, SZ_2M);
			for (int i = 0; i < 32; i += 2) {
				struct drm_panthor_vm_bind_op ops[2] = {
					igt_panthor_op_map(a, i * SZ_64K,
							   va + i * SZ_64K,
							   SZ_64K, 0),
					igt_panthor_op_map(a, (i + 1) * SZ_64K + SZ_4K,
							   va + (i + 1) * SZ_64K + SZ_4K,
							   SZ_32K, 0),
				};

				igt_panthor_vm_bind_ops(fd, vm, 0, ops, 2);
				igt_panthor_model_map(&m, SEED_A, i * SZ_64K,
						      va + i * SZ_64K, SZ_64K);
				igt_panthor_model_map(&m, SEED_A,
						      (i + 1) * SZ_64K + SZ_4K,
						      va + (i + 1) * SZ_64K + SZ_4K,
						      SZ_32K);
				nbinds += 2;
			}
		}

		igt_panthor_sim_agent_stop(fd, vm, &r);
		igt_info("%" PRIu64 " bind ops under the agent: %" PRIu64
			 " words read, %" PRIu64 " mismatches, fault %#x\n",
			 nbinds, (uint64_t)r.reads, (uint64_t)r.mismatches,
			 r.fault_status);
		igt_assert_f(r.fault_status == 0, "the agent faulted: status "
			     "%#x at %#" PRIx64 ": a remap was visible half-"
			     "done\n", r.fault_status, (uint64_t)r.fault_address);
		igt_assert_f(r.mismatches == 0, "the agent read %" PRIu64
			     " words that were neither old nor new\n",
			     (uint64_t)r.mismatches);
		igt_assert_f(r.reads > 0, "the agent read nothing\n");
		igt_assert_eq_u32(igt_panthor_vm_get_state(fd, vm),
				  DRM_PANTHOR_VM_STATE_USABLE);
		igt_panthor_model_check(fd, vm, &m);
		if (igt_panthor_debugfs_dir(fd, "sim_stats"))
			assert_no_stale("atomicity");

		igt_panthor_model_fini(&m);
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, a);
		gem_close(fd, b);
	}

	igt_fixture() {
		drm_close_driver(fd);
	}
}
