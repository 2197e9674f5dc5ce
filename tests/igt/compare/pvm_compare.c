// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * pvm_compare: the same VM_BIND scenarios against whichever panthor-uAPI
 * driver is bound to the software GPU (upstream panthor or panthor-vm),
 * measured the same way for both through the model's own test interface
 * (debugfs panthor-vm-sim: stats, ases, agent). One "ROW" line per
 * scenario (scripts/compare.sh puts the two drivers' rows side by side):
 *
 *   ROW name|ops|lock|flush|unlock|stale|faults|torn|tables|p50|p99|note
 *
 * lock, flush (FLUSH_PT + FLUSH_MEM) and unlock are MMU commands per op,
 * stale the stale translations and faults the GPU faults the model
 * counted, torn the chunks the model's agent read with anything but the
 * BO's contents, tables the table pages the MMU can reach from the VM's
 * address space when the row is done (for a map row: with its mappings in
 * place; for an unmap row: what the driver keeps), p50/p99 the VM_BIND latency in microseconds (ioctl, plus the wait on the
 * signal syncobj for an asynchronous bind).
 *
 * Both drivers put a VM on an address space only when the GPU needs it:
 * for upstream panthor a trivial job runs first and runtime PM is kept from
 * suspending the GPU (which would release the address space); panthor-vm
 * gets one GPU read through its test ioctl, as a job would.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>

#include "panthor_drm.h"
#include "panthor_vm_sim.h"

#define DBG		"/sys/kernel/debug/panthor-vm-sim/"
#define PM_CONTROL	"/sys/bus/platform/devices/e0000000.gpu/power/control"
#define KEY		0x5eed1234u
#define VA_A		0x40000000ULL	/* the 4 MiB BO the agent checks */
#define VA_X		0x80000000ULL	/* map/unmap rows, 4 MiB apart */
#define VA_SPARSE	0x100000000ULL
#define CMD_VA		0x20000000ULL
#define MAX_REPS	64

static int fd;
static int reps = 32;
static uint32_t vm;
static int as = -1;

static void die(const char *what)
{
	fprintf(stderr, "pvm_compare: %s: %s\n", what, strerror(errno));
	printf("Subtest compare: FAIL (0.000s)\n");
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* The model's counter @name (debugfs stats). */
static uint64_t stat(const char *name)
{
	FILE *f = fopen(DBG "stats", "r");
	char n[64];
	uint64_t v, ret = 0;

	if (!f)
		die("open stats");
	while (fscanf(f, "%63s %" SCNu64, n, &v) == 2) {
		if (!strcmp(n, name))
			ret = v;
	}
	fclose(f);
	return ret;
}

/* Table pages of @as_nr, or (as_nr -1) the highest address space listed. */
static int tables(int as_nr, int *found)
{
	FILE *f = fopen(DBG "ases", "r");
	int a, t, ret = 0;

	if (!f)
		die("open ases");
	while (fscanf(f, "as %d tables %d\n", &a, &t) == 2) {
		if (as_nr < 0 || a == as_nr) {
			ret = t;
			if (found)
				*found = a;
		}
	}
	fclose(f);
	return ret;
}

static void write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(s, f) < 0 || fclose(f))
		die(path);
}

static uint32_t bo_create(uint64_t size, void **map)
{
	struct drm_panthor_bo_create c = { .size = size };
	struct drm_panthor_bo_mmap_offset o = { 0 };

	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &c))
		die("BO_CREATE");
	o.handle = c.handle;
	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &o))
		die("BO_MMAP_OFFSET");
	*map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, o.offset);
	if (*map == MAP_FAILED)
		die("mmap");
	return c.handle;
}

/* One VM_BIND op; @sync: a syncobj to signal (asynchronous bind), or 0. */
static int bind(uint32_t flags, uint32_t bo, uint64_t off, uint64_t va,
		uint64_t size, uint32_t sync)
{
	struct drm_panthor_sync_op so = {
		.flags = DRM_PANTHOR_SYNC_OP_SIGNAL |
			 DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ,
		.handle = sync,
	};
	struct drm_panthor_vm_bind_op op = {
		.flags = flags,
		.bo_handle = bo,
		.bo_offset = off,
		.va = va,
		.size = size,
	};
	struct drm_panthor_vm_bind b = {
		.vm_id = vm,
		.flags = sync ? DRM_PANTHOR_VM_BIND_ASYNC : 0,
		.ops = DRM_PANTHOR_OBJ_ARRAY(1, &op),
	};

	if (sync)
		op.syncs = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(1, &so);
	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &b))
		return -errno;
	if (sync && drmSyncobjWait(fd, &sync, 1, INT64_MAX, 0, NULL))
		return -errno;
	if (sync)
		drmSyncobjReset(fd, &sync, 1);
	return 0;
}

#define MAP	DRM_PANTHOR_VM_BIND_OP_TYPE_MAP
#define UNMAP	DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP

struct row {
	const char *name;
	/* Over the row's own ops: lock, flush_pt, flush_mem, unlock, stale, faults. */
	uint64_t c[6];
	int ops;
	uint64_t lat[2 * MAX_REPS];
	char note[64];
};

static const char *const counters[] = {
	"lock", "flush_pt", "flush_mem", "unlock", "stale_translations", "faults",
};

static void row_begin(struct row *r, const char *name)
{
	memset(r, 0, sizeof(*r));
	r->name = name;
}

static void counters_read(uint64_t *c)
{
	int i;

	for (i = 0; i < 6; i++)
		c[i] = stat(counters[i]);
}

/* Time one bind into the row; an error goes into the row's note. */
static int row_bind(struct row *r, uint32_t flags, uint32_t bo, uint64_t off,
		    uint64_t va, uint64_t size, uint32_t sync)
{
	uint64_t t, before[6], after[6];
	int i, ret;

	counters_read(before);
	t = now_ns();
	ret = bind(flags, bo, off, va, size, sync);
	t = now_ns() - t;
	counters_read(after);
	for (i = 0; i < 6; i++)
		r->c[i] += after[i] - before[i];
	if (ret) {
		snprintf(r->note, sizeof(r->note), "%s", strerror(-ret));
		return ret;
	}
	r->lat[r->ops++] = t;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void row_end(struct row *r, int tbl, uint64_t torn)
{
	const uint64_t *d = r->c;
	int n = r->ops ? r->ops : 1;

	qsort(r->lat, r->ops, sizeof(r->lat[0]), cmp_u64);
	printf("ROW %s|%d|%.2f|%.2f|%.2f|%" PRIu64 "|%" PRIu64 "|%" PRIu64 "|%d|%.1f|%.1f|%s\n",
	       r->name, r->ops, (double)d[0] / n, (double)(d[1] + d[2]) / n,
	       (double)d[3] / n, d[4], d[5], torn, tbl,
	       r->ops ? r->lat[r->ops / 2] / 1000.0 : 0,
	       r->ops ? r->lat[(r->ops * 99) / 100] / 1000.0 : 0,
	       r->note[0] ? r->note : "-");
}

/* Map @size at reps VAs, then unmap them: two rows. */
static void map_unmap(uint32_t bo, uint64_t size, const char *map_name,
		      const char *unmap_name, bool async, uint32_t sync)
{
	struct row r;
	int i, tbl;

	row_begin(&r, map_name);
	for (i = 0; i < reps; i++)
		if (row_bind(&r, MAP, bo, 0, VA_X + i * 0x400000ULL, size,
			     async ? sync : 0))
			break;
	tbl = tables(as, NULL);
	row_end(&r, tbl, 0);
	row_begin(&r, unmap_name);
	for (i = 0; i < reps; i++)
		row_bind(&r, UNMAP, 0, 0, VA_X + i * 0x400000ULL, size,
			 async ? sync : 0);
	row_end(&r, tables(as, NULL), 0);
}

/* Agent totals since the last start (debugfs agent after "stop"). */
static uint64_t agent_stop(uint64_t *faults, uint64_t *reads)
{
	FILE *f;
	uint64_t bad = 0, errs;

	write_file(DBG "agent", "stop");
	f = fopen(DBG "agent", "r");
	if (!f || fscanf(f, "reads %" SCNu64 " faults %" SCNu64 " bad %" SCNu64
			 " errors %" SCNu64, reads, faults, &bad, &errs) != 4)
		die("agent");
	fclose(f);
	return bad;
}

static void agent_start(uint64_t va, uint64_t size)
{
	char cmd[96];

	snprintf(cmd, sizeof(cmd), "start %d %" PRIx64 " %" PRIx64 " %x", as,
		 va, size, KEY);
	write_file(DBG "agent", cmd);
}

/* Upstream panthor: run a trivial job so the VM gets an address space. */
static bool activate(void)
{
	struct drm_panthor_queue_create q = { .ringbuf_size = 4096 };
	struct drm_panthor_group_create g = {
		.queues = DRM_PANTHOR_OBJ_ARRAY(1, &q),
		.max_compute_cores = 1,
		.max_fragment_cores = 1,
		.max_tiler_cores = 1,
		.compute_core_mask = 1,
		.fragment_core_mask = 1,
		.tiler_core_mask = 1,
		.vm_id = vm,
	};
	struct drm_panthor_sync_op so = {
		.flags = DRM_PANTHOR_SYNC_OP_SIGNAL |
			 DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ,
	};
	struct drm_panthor_queue_submit qs = {
		.stream_size = 8,
		.stream_addr = CMD_VA,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(1, &so),
	};
	struct drm_panthor_group_submit s = { .queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs) };
	uint64_t *cmd;
	uint32_t bo;

	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_GROUP_CREATE, &g))
		return false;
	write_file(PM_CONTROL, "on");
	bo = bo_create(4096, (void **)&cmd);
	cmd[0] = 0;	/* NOP */
	if (bind(MAP, bo, 0, CMD_VA, 4096, 0) ||
	    drmSyncobjCreate(fd, 0, &so.handle))
		die("job setup");
	s.group_handle = g.group_handle;
	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &s) ||
	    drmSyncobjWait(fd, &so.handle, 1, INT64_MAX, 0, NULL))
		die("job");
	return true;
}

int main(int argc, char **argv)
{
	struct drm_panthor_vm_create vc = { 0 };
	uint64_t faults0, bus0, stale0, derr0, agent_faults, agent_reads, torn;
	uint32_t bo_a, bo_b, sync, *a;
	struct row r;
	bool upstream;
	void *b;
	int i, tbl;

	if (argc > 1)
		reps = atoi(argv[1]);
	if (reps < 1 || reps > MAX_REPS)
		reps = 32;
	/* The first DRM device whose driver calls itself "panthor". */
	for (i = 0, fd = -1; i < 16 && fd < 0; i++) {
		char path[32];
		drmVersionPtr v;

		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		fd = open(path, O_RDWR);
		if (fd < 0)
			continue;
		v = drmGetVersion(fd);
		if (!v || strcmp(v->name, "panthor")) {
			close(fd);
			fd = -1;
		}
		drmFreeVersion(v);
	}
	if (fd < 0)
		die("no panthor DRM device");
	faults0 = stat("faults");
	bus0 = stat("bus_faults");
	stale0 = stat("stale_translations");
	derr0 = stat("driver_errors");
	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &vc))
		die("VM_CREATE");
	vm = vc.id;

	/* The BO the agent checks: word at GPU VA v holds (v >> 2) ^ KEY. */
	bo_a = bo_create(0x400000, (void **)&a);
	for (i = 0; i < 0x400000 / 4; i++)
		a[i] = (uint32_t)((VA_A >> 2) + i) ^ KEY;
	bo_b = bo_create(0x200000, &b);
	if (drmSyncobjCreate(fd, 0, &sync))
		die("syncobj");

	upstream = activate();
	if (bind(MAP, bo_a, 0, VA_A, 0x400000, 0))
		die("map A");
	if (!upstream) {
		/* panthor-vm: one GPU read puts the VM on a slot, as a job would. */
		struct drm_panthor_sim_gpu_access ga = {
			.vm_id = vm,
			.va = VA_A,
			.size = 4,
		};
		uint32_t word;

		ga.data = (uintptr_t)&word;
		if (drmIoctl(fd, DRM_IOCTL_PANTHOR_SIM_GPU_ACCESS, &ga) ||
		    ga.fault_status || word != ((VA_A >> 2) ^ KEY))
			die("GPU read of A");
	}
	tables(-1, &as);
	printf("driver %s, address space %d, %d reps\n",
	       upstream ? "upstream panthor" : "panthor-vm", as, reps);

	map_unmap(bo_b, 0x1000, "map 4K", "unmap 4K", false, 0);
	map_unmap(bo_b, 0x10000, "map 64K", "unmap 64K", false, 0);
	map_unmap(bo_b, 0x200000, "map 2M", "unmap 2M", false, 0);
	map_unmap(bo_b, 0x1000, "async map 4K", "async unmap 4K", true, sync);
	map_unmap(bo_b, 0x10000, "async map 64K", "async unmap 64K", true, sync);
	map_unmap(bo_b, 0x200000, "async map 2M", "async unmap 2M", true, sync);

	/* Remap: a 4 KiB MAP over the middle of a 2 MiB mapping. */
	row_begin(&r, "remap 4K in 2M");
	for (i = 0; i < reps; i++) {
		uint64_t va = VA_X + i * 0x400000ULL;

		if (bind(MAP, bo_b, 0, va, 0x200000, 0))
			die("map 2M");
		if (row_bind(&r, MAP, bo_b, 0, va + 0x100000, 0x1000, 0))
			break;
	}
	tbl = tables(as, NULL);
	row_end(&r, tbl, 0);
	for (i = 0; i < reps; i++)
		bind(UNMAP, 0, 0, VA_X + i * 0x400000ULL, 0x200000, 0);

	/*
	 * A 2 MiB block cut: unmap 64 KiB inside A's first block and map it
	 * back, while the agent reads what survives on both sides.
	 */
	agent_start(VA_A, 0x100000);
	agent_start(VA_A + 0x110000, 0x2f0000);
	row_begin(&r, "cut 2M block, agent");
	for (i = 0; i < reps; i++) {
		row_bind(&r, UNMAP, 0, 0, VA_A + 0x100000, 0x10000, 0);
		row_bind(&r, MAP, bo_a, 0x100000, VA_A + 0x100000, 0x10000, 0);
	}
	torn = agent_stop(&agent_faults, &agent_reads);
	snprintf(r.note, sizeof(r.note), "agent read %" PRIu64 " chunks%s",
		 agent_reads, agent_faults ? ", stopped at a fault" : "");
	row_end(&r, tables(as, NULL), torn);

	/*
	 * A remap in place: MAP the same BO page over itself, which drm_gpuvm
	 * splits into an unmap and a map, while the agent reads that page
	 * and its neighbours. A GPU that sees the page unmapped in between
	 * faults (the agent then stops).
	 */
	agent_start(VA_A + 0x200000, 0x10000);
	row_begin(&r, "remap in place, agent");
	for (i = 0; i < reps; i++)
		row_bind(&r, MAP, bo_a, 0x208000, VA_A + 0x208000, 0x1000, 0);
	torn = agent_stop(&agent_faults, &agent_reads);
	snprintf(r.note, sizeof(r.note), "agent read %" PRIu64 " chunks%s",
		 agent_reads, agent_faults ? ", stopped at a fault" : "");
	row_end(&r, tables(as, NULL), torn);

	/* Sparse: 1 GiB backed by the dummy object (uAPI 1.9). */
	row_begin(&r, "sparse 1G");
	if (row_bind(&r, MAP | DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE |
		     DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC, 0, 0, VA_SPARSE,
		     1ULL << 30, 0) == 0) {
		tbl = tables(as, NULL);
		row_end(&r, tbl, 0);
		bind(UNMAP, 0, 0, VA_SPARSE, 1ULL << 30, 0);
	} else {
		row_end(&r, tables(as, NULL), 0);
	}

	/* What the GPU saw is the measurement here, not a failure. */
	printf("PVM-EXPECT faults=%" PRIu64 " bus_faults=%" PRIu64
	       " stale_translations=%" PRIu64 " driver_errors=%" PRIu64 "\n",
	       stat("faults") - faults0, stat("bus_faults") - bus0,
	       stat("stale_translations") - stale0, stat("driver_errors") - derr0);
	printf("Subtest compare: SUCCESS (0.000s)\n");
	return 0;
}
