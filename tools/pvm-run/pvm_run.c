// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 *
 * pvm-run: the `make run` client. Runs inside UML against the software
 * GPU: prints what the device reports, then plays a Vulkan-like session
 * (immediate maps, a 64 GiB sparse resource with 64 KiB residency tiles
 * bound in and out asynchronously, remaps of a 2 MiB block under a
 * streaming GPU agent, unmaps), checks every GPU-visible result, and
 * prints the figures a driver developer asks for.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "panthor_drm.h"
#include "panthor_vm_sim.h"
#include "pvm_client.h"

const char *pvm_prog = "pvm-run";
static int failures;
static char dbg_dir[320];

#define check(cond, ...) do {					\
	if (!(cond)) {						\
		fprintf(stderr, "pvm-run: CHECK FAILED %s:%d: ",	\
			__FILE__, __LINE__);			\
		fprintf(stderr, __VA_ARGS__);			\
		fputc('\n', stderr);				\
		failures++;					\
	}							\
} while (0)

/* ---- debugfs counters --------------------------------------------- */

static void find_debugfs(void)
{
	DIR *d = opendir("/sys/kernel/debug/dri");
	struct dirent *e;
	char p[320];

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "/sys/kernel/debug/dri/%s/vm_stats",
			 e->d_name);
		if (!access(p, R_OK)) {
			snprintf(dbg_dir, sizeof(dbg_dir),
				 "/sys/kernel/debug/dri/%s", e->d_name);
			break;
		}
	}
	closedir(d);
}

/* The driver's debugfs files, or the software GPU's counters ("sim_stats"). */
static void dbg_path(char *path, size_t len, const char *file)
{
	if (!strcmp(file, "sim_stats"))
		snprintf(path, len, "/sys/kernel/debug/panthor-vm-sim/stats");
	else
		snprintf(path, len, "%s/%s", dbg_dir, file);
}

/* Value of "name value" or "name: value" in a debugfs file, or 0. */
static uint64_t dbg_value(const char *file, const char *name)
{
	char path[384], line[256], key[128];
	unsigned long long v;
	uint64_t ret = 0;
	FILE *f;

	dbg_path(path, sizeof(path), file);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%127[^: ]%*[: ]%llu", key, &v) == 2 &&
		    !strcmp(key, name)) {
			ret = v;
			break;
		}
	}
	fclose(f);
	return ret;
}

static void dbg_reset(const char *file)
{
	char path[384];
	FILE *f;

	dbg_path(path, sizeof(path), file);
	f = fopen(path, "w");
	if (f) {
		fputs("0\n", f);
		fclose(f);
	}
}

/* tables/shared of one of our VMs, from vm_stats. */
static void vm_tables(uint32_t vm, uint64_t *tables, uint64_t *shared)
{
	char path[384], line[512];
	unsigned long long t, s;
	unsigned int id;
	int pid;
	FILE *f;

	*tables = *shared = 0;
	snprintf(path, sizeof(path), "%s/vm_stats", dbg_dir);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "pid %d vm %u state %*s tables %llu shared %llu",
			   &pid, &id, &t, &s) == 4 && pid == getpid() &&
		    id == vm) {
			*tables = t;
			*shared = s;
		}
	}
	fclose(f);
}

/* ---- uAPI wrappers ------------------------------------------------- */

struct bo {
	uint32_t handle;
	uint64_t size;
	uint32_t *map;
};

static struct bo bo_new(uint64_t size, uint32_t vm, uint32_t seed)
{
	struct drm_panthor_bo_mmap_offset o = { 0 };
	struct bo bo;
	uint64_t i;

	bo.handle = bo_create(size, vm, &bo.size);
	o.handle = bo.handle;
	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &o))
		die("BO_MMAP_OFFSET: %s", strerror(errno));
	bo.map = mmap(NULL, bo.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		      o.offset);
	if (bo.map == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	for (i = 0; i < size / 4; i++)
		bo.map[i] = seed ^ (uint32_t)(i * 2654435761u);
	return bo;
}

static uint32_t bo_word(const struct bo *bo, uint64_t off)
{
	return bo->map[off / 4];
}

struct op_counts {
	unsigned int map, unmap, sparse, sync_only, ioctls;
	uint64_t bytes;
};

static struct op_counts ops_done;
static struct samples lat_sync, lat_async;

static void count_ops(const struct drm_panthor_vm_bind_op *ops, uint32_t n)
{
	uint32_t i;

	ops_done.ioctls++;
	for (i = 0; i < n; i++) {
		switch (ops[i].flags & DRM_PANTHOR_VM_BIND_OP_TYPE_MASK) {
		case DRM_PANTHOR_VM_BIND_OP_TYPE_MAP:
			if (ops[i].flags & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE)
				ops_done.sparse++;
			else
				ops_done.map++;
			ops_done.bytes += ops[i].size;
			break;
		case DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP:
			ops_done.unmap++;
			break;
		default:
			ops_done.sync_only++;
		}
	}
}

/* Immediate (synchronous) bind, timed. */
static void bind_sync(uint32_t vm, struct drm_panthor_vm_bind_op *ops,
		      uint32_t n)
{
	struct drm_panthor_vm_bind b = {
		.vm_id = vm,
		.ops = DRM_PANTHOR_OBJ_ARRAY(n, ops),
	};
	double t = now_us();

	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &b))
		die("sync VM_BIND (op %u): %s", b.ops.count, strerror(errno));
	sample(&lat_sync, (now_us() - t) / n);
	count_ops(ops, n);
}

/* Asynchronous bind signalling @point of timeline @syncobj on its last op. */
static void bind_async(uint32_t vm, struct drm_panthor_vm_bind_op *ops,
		       uint32_t n, uint32_t syncobj, uint64_t point)
{
	struct drm_panthor_sync_op sig = {
		.flags = DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ |
			 DRM_PANTHOR_SYNC_OP_SIGNAL,
		.handle = syncobj, .timeline_value = point,
	};
	struct drm_panthor_vm_bind b = {
		.vm_id = vm, .flags = DRM_PANTHOR_VM_BIND_ASYNC,
		.ops = DRM_PANTHOR_OBJ_ARRAY(n, ops),
	};
	uint64_t avail = point;
	double t = now_us();

	ops[n - 1].syncs = (struct drm_panthor_obj_array)
		DRM_PANTHOR_OBJ_ARRAY(1, &sig);
	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &b))
		die("async VM_BIND (op %u): %s", b.ops.count, strerror(errno));
	/* Mesa relies on the fence being attached when the ioctl returns. */
	check(!drmSyncobjTimelineWait(fd, &syncobj, &avail, 1, 0,
				      DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE,
				      NULL),
	      "signal fence not attached on return");
	if (drmSyncobjTimelineWait(fd, &syncobj, &point, 1, INT64_MAX,
				   DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, NULL))
		die("waiting for bind point %" PRIu64 ": %s", point,
		    strerror(errno));
	sample(&lat_async, (now_us() - t) / n);
	count_ops(ops, n);
}

/*
 * Where an asynchronous op's time goes: the same one-page remap, signalled
 * through a binary syncobj (the job's fence itself) and through a timeline
 * point (a dma_fence_chain node, which signals from irq_work), @n times
 * each, submission to the wait returning.
 */
static struct samples lat_binary, lat_timeline;

static void signal_paths(uint32_t vm, uint32_t handle, uint64_t va,
			 uint32_t timeline, uint64_t *point, unsigned int n)
{
	struct drm_panthor_vm_bind_op op;
	struct drm_panthor_sync_op sig = {
		.flags = DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ |
			 DRM_PANTHOR_SYNC_OP_SIGNAL,
	};
	struct drm_panthor_vm_bind b = {
		.vm_id = vm, .flags = DRM_PANTHOR_VM_BIND_ASYNC,
		.ops = DRM_PANTHOR_OBJ_ARRAY(1, &op),
	};
	uint32_t binary;
	unsigned int i;
	double t;

	if (drmSyncobjCreate(fd, 0, &binary))
		die("syncobj: %s", strerror(errno));
	for (i = 0; i < 2 * n; i++) {
		bool tl = i & 1;

		op = op_map(handle, 0, va, 4 * KiB,
			    DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
		op.syncs = (struct drm_panthor_obj_array)
			DRM_PANTHOR_OBJ_ARRAY(1, &sig);
		sig.flags = DRM_PANTHOR_SYNC_OP_SIGNAL |
			    (tl ? DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ :
				  DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ);
		sig.handle = tl ? timeline : binary;
		sig.timeline_value = tl ? ++*point : 0;
		t = now_us();
		if (drmIoctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &b))
			die("async VM_BIND: %s", strerror(errno));
		if (tl ? drmSyncobjTimelineWait(fd, &timeline, point, 1, INT64_MAX,
						DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL,
						NULL) :
			 drmSyncobjWait(fd, &binary, 1, INT64_MAX, 0, NULL))
			die("waiting for the bind: %s", strerror(errno));
		sample(tl ? &lat_timeline : &lat_binary, now_us() - t);
		count_ops(&op, 1);
		if (!tl && drmSyncobjReset(fd, &binary, 1))
			die("syncobj reset: %s", strerror(errno));
	}
	drmSyncobjDestroy(fd, binary);
}

static void print_latency(const char *what, struct samples *s)
{
	printf("  %-34s p50 %.0f us, p99 %.0f us (%zu ops)\n", what,
	       pct(s, 0.5), pct(s, 0.99), s->n);
}

static uint32_t last_leaf_log2;

static int gpu_access(uint32_t vm, uint64_t va, void *buf, uint64_t size,
		      bool write, uint32_t *fault)
{
	struct drm_panthor_sim_gpu_access a = {
		.vm_id = vm, .flags = write ? DRM_PANTHOR_SIM_GPU_ACCESS_WRITE : 0,
		.va = va, .size = size, .data = (uintptr_t)buf,
	};

	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_SIM_GPU_ACCESS, &a))
		return -errno;
	*fault = a.fault_status;
	last_leaf_log2 = a.leaf_log2;
	return 0;
}

/* Whether the software GPU has its system MMU (panthor_vm_sim.smmu). */
static bool has_smmu(void)
{
	FILE *f = fopen("/sys/module/panthor_vm_sim/parameters/smmu", "r");
	int c;

	if (!f)
		return false;
	c = fgetc(f);
	fclose(f);
	return c == 'Y' || c == '1';
}

/* Size (log2) of the translation the GPU uses at @va. */
static uint32_t gpu_leaf_log2(uint32_t vm, uint64_t va)
{
	uint32_t v, fault = 0;
	int ret = gpu_access(vm, va, &v, 4, false, &fault);

	check(!ret && !fault, "GPU read at %#" PRIx64 ": ret %d fault %#x",
	      va, ret, fault);
	return last_leaf_log2;
}

static uint32_t gpu_read32(uint32_t vm, uint64_t va)
{
	uint32_t v = 0, fault = 0;
	int ret = gpu_access(vm, va, &v, 4, false, &fault);

	check(!ret && !fault, "GPU read at %#" PRIx64 ": ret %d fault %#x",
	      va, ret, fault);
	return v;
}

static void gpu_check_range(uint32_t vm, uint64_t va, const struct bo *bo,
			    uint64_t off, uint64_t size)
{
	static uint32_t buf[256 * 1024];
	uint64_t done, chunk, i;
	uint32_t fault = 0;

	for (done = 0; done < size; done += chunk) {
		chunk = size - done < sizeof(buf) ? size - done : sizeof(buf);
		if (gpu_access(vm, va + done, buf, chunk, false, &fault) ||
		    fault) {
			check(0, "GPU read of %#" PRIx64 " faulted (%#x)",
			      va + done, fault);
			return;
		}
		for (i = 0; i < chunk / 4; i++)
			if (buf[i] != bo_word(bo, off + done + i * 4)) {
				check(0, "GPU read %#x at %#" PRIx64
				      ", BO has %#x", buf[i],
				      va + done + i * 4,
				      bo_word(bo, off + done + i * 4));
				return;
			}
	}
}

/* ---- the session ---------------------------------------------------- */

#define SPARSE_VA	(4 * GiB)
#define SPARSE_SIZE	(64 * GiB)
#define TILE		(64 * KiB)
#define NTILES		256

int main(void)
{
	struct drm_panthor_gpu_info gpu = { 0 };
	struct drm_panthor_mmu_info mmu = { 0 };
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO,
		.size = sizeof(gpu), .pointer = (uintptr_t)&gpu,
	};
	struct drm_panthor_vm_bind_op ops[16];
	struct drm_panthor_sim_agent agent = { 0 };
	unsigned int blocks_before = 0, blocks_cut = 0;
	uint64_t widened;
	uint32_t vm, syncobj, fault = 0, tile_slot[NTILES];
	uint64_t point = 0, tables, shared, i, t0;
	struct bo bo_small, bo_shader, bo_block, bo_block2, bo_tiles;
	double pte_tables, pages_naive;
	drmVersionPtr ver = NULL;
	unsigned int slots, n;
	uint64_t locks, unlocks, flush_mem, cache_flush, stale, gpu_faults;
	uint64_t drv_err, mmu_ops, mmu_res, mmu_flush, lock_bytes, stalls;
	uint64_t tile_ops, tile_lock, tables0, shared0;
	double t_start = now_us();

	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open_panthor(&ver);
	if (fd < 0)
		die("no panthor device in /dev/dri");
	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q))
		die("DEV_QUERY(GPU_INFO): %s", strerror(errno));
	q.type = DRM_PANTHOR_DEV_QUERY_MMU_INFO;
	q.size = sizeof(mmu);
	q.pointer = (uintptr_t)&mmu;
	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q))
		die("DEV_QUERY(MMU_INFO): %s", strerror(errno));
	slots = __builtin_popcount(gpu.as_present);

	printf("panthor-vm device report\n");
	printf("  %-22s %s %d.%d.%d (%s)\n", "driver", ver->name,
	       ver->version_major, ver->version_minor, ver->version_patchlevel,
	       ver->desc);
	printf("  %-22s 0x%08x (arch %u.%u r%u, product major %u)\n", "GPU id",
	       gpu.gpu_id, gpu.gpu_id >> 28, (gpu.gpu_id >> 24) & 0xf,
	       (gpu.gpu_id >> 20) & 0xf, (gpu.gpu_id >> 16) & 0xf);
	printf("  %-22s %u bits (%llu GiB)\n", "GPU VA", gpu.mmu_features & 0xff,
	       (1ULL << (gpu.mmu_features & 0xff)) >> 30);
	printf("  %-22s %u bits\n", "GPU PA (bus)", (gpu.mmu_features >> 8) & 0xff);
	printf("  %-22s %u (mask 0x%x; slot 0 is the MCU's, %u for user VMs)\n",
	       "address-space slots", slots, gpu.as_present, slots ? slots - 1 : 0);
	printf("  %-22s %s%s\n", "page sizes",
	       mmu.page_size_bitmap & (4 * KiB) ? "4K " : "",
	       mmu.page_size_bitmap & (2 * MiB) ? "2M" : "");

	find_debugfs();
	if (!dbg_dir[0])
		die("no vm_stats in /sys/kernel/debug/dri (debugfs mounted?)");
	if (access("/sys/kernel/debug/panthor-vm-sim/stats", R_OK))
		die("no /sys/kernel/debug/panthor-vm-sim/stats (software GPU missing?)");
	dbg_reset("sim_stats");
	t0 = dbg_value("mmu", "ops");
	mmu_res = dbg_value("mmu", "ops_resident");
	mmu_flush = dbg_value("mmu", "flushes");
	lock_bytes = dbg_value("mmu", "lock_bytes");

	/* 1. Immediate maps of a few BOs, as panvk does at vkAllocateMemory. */
	vm = vm_create();
	if (drmSyncobjCreate(fd, 0, &syncobj))
		die("syncobj: %s", strerror(errno));
	bo_small = bo_new(64 * KiB, vm, 0x1111);
	bo_shader = bo_new(256 * KiB, vm, 0x2222);
	bo_block = bo_new(2 * MiB, vm, 0x3333);
	bo_block2 = bo_new(2 * MiB, vm, 0x4444);
	bo_tiles = bo_new(NTILES * TILE, vm, 0x5555);
	ops[0] = op_map(bo_small.handle, 0, 32 * MiB, bo_small.size,
			DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	bind_sync(vm, ops, 1);
	ops[0] = op_map(bo_shader.handle, 0, 34 * MiB, bo_shader.size,
			DRM_PANTHOR_VM_BIND_OP_MAP_READONLY);
	bind_sync(vm, ops, 1);
	ops[0] = op_map(bo_block.handle, 0, 64 * MiB, bo_block.size,
			DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	bind_sync(vm, ops, 1);
	gpu_check_range(vm, 32 * MiB, &bo_small, 0, bo_small.size);
	gpu_check_range(vm, 34 * MiB, &bo_shader, 0, bo_shader.size);
	gpu_check_range(vm, 64 * MiB, &bo_block, 0, bo_block.size);

	/* 2. A 64 GiB sparse resource: bound to the dummy, tiles in and out. */
	ops[0] = op_sparse(SPARSE_VA, SPARSE_SIZE);
	bind_async(vm, ops, 1, syncobj, ++point);
	vm_tables(vm, &tables0, &shared0);
	srand(1);
	tile_ops = dbg_value("mmu", "ops_resident");
	tile_lock = dbg_value("mmu", "lock_bytes");
	for (i = 0; i < NTILES; i++)
		tile_slot[i] = (uint32_t)rand() % (SPARSE_SIZE / TILE);
	for (i = 0; i < NTILES; i += n) {
		for (n = 0; n < 16 && i + n < NTILES; n++)
			ops[n] = op_map(bo_tiles.handle, (i + n) * TILE,
					SPARSE_VA + (uint64_t)tile_slot[i + n] * TILE,
					TILE, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
		bind_async(vm, ops, n, syncobj, ++point);
	}
	tile_ops = dbg_value("mmu", "ops_resident") - tile_ops;
	tile_lock = dbg_value("mmu", "lock_bytes") - tile_lock;
	/* Later tiles may land on earlier slots: check the last owner. */
	for (i = 0; i < NTILES; i++) {
		uint64_t j, last = i;

		for (j = i + 1; j < NTILES; j++)
			if (tile_slot[j] == tile_slot[i])
				last = j;
		if (last == i)
			gpu_check_range(vm, SPARSE_VA + (uint64_t)tile_slot[i] * TILE,
					&bo_tiles, i * TILE, TILE);
	}
	/* Non-resident pages read the dummy: write one, read it elsewhere. */
	{
		uint32_t magic = 0xfeedc0de, v;
		uint64_t a = SPARSE_VA + SPARSE_SIZE - 4 * KiB;

		check(!gpu_access(vm, a, &magic, 4, true, &fault) && !fault,
		      "GPU write to the sparse dummy faulted");
		for (i = 0; i < 64; i++) {
			uint64_t slot = (uint64_t)rand() % (SPARSE_SIZE / TILE);
			bool resident = false;
			uint64_t j;

			for (j = 0; j < NTILES; j++)
				resident |= tile_slot[j] == slot;
			if (resident)
				continue;
			v = gpu_read32(vm, SPARSE_VA + slot * TILE);
			check(v == magic, "sparse page reads %#x, not the dummy", v);
		}
	}
	/* Residency out: bind the dummy back over every tile. */
	for (i = 0; i < NTILES; i += n) {
		for (n = 0; n < 16 && i + n < NTILES; n++)
			ops[n] = op_sparse(SPARSE_VA + (uint64_t)tile_slot[i + n] * TILE,
					   TILE);
		bind_async(vm, ops, n, syncobj, ++point);
	}
	check(gpu_read32(vm, SPARSE_VA + (uint64_t)tile_slot[0] * TILE) ==
	      0xfeedc0de, "an unbound tile does not read the dummy");
	vm_tables(vm, &tables, &shared);
	check(tables == tables0 && shared == shared0,
	      "%" PRIu64 " table pages (%" PRIu64 " shared) after the tiles went "
	      "back, %" PRIu64 " (%" PRIu64 ") before", tables, shared, tables0,
	      shared0);

	/*
	 * 3. Cut a 2M block with a 4K remap while a GPU agent streams reads,
	 * 64 times: map the block BO back over the range (one 2M block
	 * again), then remap a 4K piece of another BO into it.
	 */
	agent.vm_id = vm;
	agent.op = DRM_PANTHOR_SIM_AGENT_START;
	agent.va = 64 * MiB;
	agent.size = 2 * MiB;
	agent.expect = (uintptr_t)bo_block2.map;
	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_SIM_AGENT, &agent))
		die("SIM_AGENT start: %s", strerror(errno));
	widened = dbg_value("mmu", "ops_widened");
	for (i = 0; i < 64; i++) {
		uint64_t off = ((uint64_t)rand() % 512) * 4 * KiB;
		uint64_t other = 64 * MiB + ((off + MiB) % (2 * MiB));

		ops[0] = op_map(bo_block.handle, 0, 64 * MiB, bo_block.size,
				DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
		bind_sync(vm, ops, 1);
		if (gpu_leaf_log2(vm, other) == 21)
			blocks_before++;
		ops[0] = op_map(bo_block2.handle, off, 64 * MiB + off, 4 * KiB,
				DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
		bind_sync(vm, ops, 1);
		if (gpu_leaf_log2(vm, other) == 12)
			blocks_cut++;
	}
	widened = dbg_value("mmu", "ops_widened") - widened;
	if (has_smmu()) {
		check(blocks_before == 64, "only %u of 64 remaps found a 2 MiB block",
		      blocks_before);
		check(blocks_cut == 64, "only %u of 64 remaps left 4 KiB pages",
		      blocks_cut);
		check(widened == 64, "%" PRIu64 " of 64 block cuts widened their lock",
		      widened);
	}
	usleep(20000);
	agent.op = DRM_PANTHOR_SIM_AGENT_STOP;
	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_SIM_AGENT, &agent))
		die("SIM_AGENT stop: %s", strerror(errno));
	check(agent.reads > 0, "the agent read nothing");
	check(!agent.mismatches, "agent saw %llu torn or foreign words",
	      (unsigned long long)agent.mismatches);
	check(!agent.fault_status, "agent faulted: %#x at %#llx",
	      agent.fault_status, (unsigned long long)agent.fault_address);

	/* 4. One async op at a time: binary syncobj against timeline point. */
	signal_paths(vm, bo_small.handle, 32 * MiB, syncobj, &point, 32);
	gpu_check_range(vm, 32 * MiB, &bo_small, 0, bo_small.size);

	/* 5. Unmap everything, including never-bound holes, as panvk does. */
	ops[0] = op_unmap(SPARSE_VA, SPARSE_SIZE);
	ops[1] = op_unmap(32 * MiB, 64 * MiB);
	bind_sync(vm, ops, 2);
	{
		struct drm_panthor_vm_get_state st = { .vm_id = vm };

		check(!drmIoctl(fd, DRM_IOCTL_PANTHOR_VM_GET_STATE, &st) &&
		      st.state == DRM_PANTHOR_VM_STATE_USABLE,
		      "VM not usable at the end");
	}

	locks = dbg_value("sim_stats", "lock");
	unlocks = dbg_value("sim_stats", "unlock");
	flush_mem = dbg_value("sim_stats", "flush_mem");
	cache_flush = dbg_value("sim_stats", "cache_flush");
	stale = dbg_value("sim_stats", "stale_translations");
	gpu_faults = dbg_value("sim_stats", "faults");
	drv_err = dbg_value("sim_stats", "driver_errors");
	stalls = dbg_value("sim_stats", "stalls");
	mmu_ops = dbg_value("mmu", "ops") - t0;
	mmu_res = dbg_value("mmu", "ops_resident") - mmu_res;
	mmu_flush = dbg_value("mmu", "flushes") - mmu_flush;
	lock_bytes = dbg_value("mmu", "lock_bytes") - lock_bytes;
	check(!stale, "%" PRIu64 " stale translations", stale);
	check(!gpu_faults, "%" PRIu64 " GPU faults", gpu_faults);
	check(!drv_err, "%" PRIu64 " driver errors seen by the GPU", drv_err);
	check(mmu_flush == mmu_res, "%" PRIu64 " flushes for %" PRIu64
	      " ops on a resident VM", mmu_flush, mmu_res);
	check(locks == mmu_res, "%" PRIu64 " LOCKs for %" PRIu64
	      " ops on a resident VM", locks, mmu_res);

	/* One PTE per 4K page over the sparse range: L3 + L2 + L1 tables. */
	pages_naive = SPARSE_SIZE / (2 * MiB) + SPARSE_SIZE / GiB + 1;
	pte_tables = pages_naive * 4.0 / 1024;

	printf("\nsession: %u bind ioctls, %.1f s\n", ops_done.ioctls,
	       (now_us() - t_start) / 1e6);
	printf("  %-34s %u map, %u sparse map, %u unmap\n", "ops by type",
	       ops_done.map, ops_done.sparse, ops_done.unmap);
	printf("  %-34s %.1f GiB\n", "bytes mapped (sum of MAP sizes)",
	       ops_done.bytes / (double)GiB);
	printf("  %-34s %" PRIu64 " (%" PRIu64 " on a resident VM)\n",
	       "MMU op windows", mmu_ops, mmu_res);
	printf("  %-34s %.2f (%" PRIu64 " LOCK, %" PRIu64 " FLUSH_MEM, %" PRIu64
	       " GPU cache flush, %" PRIu64 " UNLOCK)\n", "flushes per resident op",
	       mmu_res ? (double)mmu_flush / mmu_res : 0.0, locks, flush_mem,
	       cache_flush, unlocks);
	printf("  %-34s %.0f KiB (all ops: %.1f GiB locked in total)\n",
	       "lock region per 64 KiB tile op",
	       tile_ops ? tile_lock / (double)tile_ops / 1024 : 0.0,
	       lock_bytes / (double)GiB);
	printf("  %-34s %" PRIu64 " total, %" PRIu64 " shared\n",
	       "table pages, 64 GiB sparse bound", tables0, shared0);
	printf("  %-34s %" PRIu64 " total, %" PRIu64 " shared\n",
	       "  after 256 tiles in and out", tables, shared);
	printf("  %-34s %.0f pages (%.1f MiB)\n",
	       "same range, one PTE per 4K page", pages_naive, pte_tables);
	printf("  %-34s %" PRIu64 "\n", "GPU faults", gpu_faults);
	printf("  %-34s %" PRIu64 "\n", "stale translations", stale);
	printf("  %-34s %" PRIu64 "\n", "GPU accesses stalled by a lock", stalls);
	if (has_smmu())
		printf("  %-34s %u of 64 (each op: 1 LOCK, widened to the block: %" PRIu64 " ops)\n",
		       "2 MiB blocks cut under the agent", blocks_cut, widened);
	else
		printf("  %-34s none: no system MMU, BO pages are not contiguous on the bus\n",
		       "2 MiB blocks cut under the agent");
	printf("  %-34s %llu reads, %llu torn, fault %#x\n",
	       "agent during 64 block cuts", (unsigned long long)agent.reads,
	       (unsigned long long)agent.mismatches, agent.fault_status);
	printf("  %-34s p50 %.0f us, p99 %.0f us (%zu ops)\n",
	       "sync bind latency per op", pct(&lat_sync, 0.5),
	       pct(&lat_sync, 0.99), lat_sync.n);
	printf("  %-34s p50 %.0f us, p99 %.0f us (%zu batches)\n",
	       "async bind latency per op", pct(&lat_async, 0.5),
	       pct(&lat_async, 0.99), lat_async.n);
	print_latency("one async op, binary syncobj", &lat_binary);
	print_latency("one async op, timeline point", &lat_timeline);
	printf("\n%s\n", failures ? "RESULT: FAILED" : "RESULT: all GPU-visible checks passed");

	drmFreeVersion(ver);
	close(fd);
	return failures ? 1 : 0;
}
