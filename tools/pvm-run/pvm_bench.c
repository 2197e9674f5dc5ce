// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 *
 * pvm-bench: the whole-op part of `make bench`. Runs inside UML against
 * the software GPU and times bind ops through the ioctl, from the call to
 * its return (synchronous) or to the signalled timeline point
 * (asynchronous): maps, remaps and unmaps of 4 KiB to 1 GiB, batches of 16
 * asynchronous ops, sparse binds of 1 GiB to 1 TiB and 4 KiB-page maps of
 * 1 MiB to 256 MiB. Each figure is the median of BENCH_REPEATS repeats,
 * printed with the minimum and maximum as
 * "BENCH <name> <value> <unit>" lines.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pvm_client.h"

#define BENCH_REPEATS	7
/* Where the ops map: 1 TiB up, so 1 GiB and 1 TiB ranges fit. */
#define BENCH_VA	(1ULL << 40)
/*
 * Where a BO stays mapped while it is benchmarked, so that its pages stay
 * pinned and DMA-mapped: the figures are the binds, not the first pin.
 */
#define KEEP_VA		(4ULL << 40)

const char *pvm_prog = "pvm-bench";

static void bind(uint32_t vm, struct drm_panthor_vm_bind_op *ops, uint32_t n,
		 uint32_t flags)
{
	struct drm_panthor_vm_bind b = {
		.vm_id = vm, .flags = flags,
		.ops = DRM_PANTHOR_OBJ_ARRAY(n, ops),
	};

	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &b))
		die("VM_BIND (op %u of %u): %s", b.ops.count, n,
		    strerror(errno));
}

static void bind1(uint32_t vm, struct drm_panthor_vm_bind_op op)
{
	bind(vm, &op, 1, 0);
}

/* One figure: rates of the repeats, printed as median, min and max. */
static void report(const char *name, struct samples *rate, const char *unit)
{
	printf("BENCH %s %.0f %s\n", name, pct(rate, 0.5), unit);
	printf("BENCH %s_min %.0f %s\n", name, pct(rate, 0), unit);
	printf("BENCH %s_max %.0f %s\n", name, pct(rate, 1), unit);
	free(rate->v);
	*rate = (struct samples){ 0 };
}

static const char *size_name(uint64_t size, char *buf, size_t len)
{
	if (size >= GiB)
		snprintf(buf, len, "%lluG", (unsigned long long)(size / GiB));
	else if (size >= MiB)
		snprintf(buf, len, "%lluM", (unsigned long long)(size / MiB));
	else
		snprintf(buf, len, "%lluK", (unsigned long long)(size / KiB));
	return buf;
}

/*
 * Synchronous MAP, MAP over it (drm_gpuvm's remap: the old mapping's
 * unmap and the new map in one op) and UNMAP of @size bytes, @n times per
 * repeat, in ops per second.
 */
static void sync_ops(uint32_t vm, uint64_t size, unsigned int n)
{
	struct samples map = { 0 }, remap = { 0 }, unmap = { 0 };
	uint32_t a = bo_create(size, vm, NULL), b = bo_create(size, vm, NULL);
	double tm, tr, tu, t;
	char name[64], sz[16];
	unsigned int r, i;

	bind1(vm, op_map(a, 0, KEEP_VA, size, 0));
	bind1(vm, op_map(b, 0, KEEP_VA + size, size, 0));
	for (r = 0; r < BENCH_REPEATS; r++) {
		tm = tr = tu = 0;
		for (i = 0; i < n; i++) {
			t = now_us();
			bind1(vm, op_map(a, 0, BENCH_VA, size, 0));
			tm += now_us() - t;
			t = now_us();
			bind1(vm, op_map(b, 0, BENCH_VA, size, 0));
			tr += now_us() - t;
			t = now_us();
			bind1(vm, op_unmap(BENCH_VA, size));
			tu += now_us() - t;
		}
		sample(&map, n * 1e6 / tm);
		sample(&remap, n * 1e6 / tr);
		sample(&unmap, n * 1e6 / tu);
	}
	size_name(size, sz, sizeof(sz));
	snprintf(name, sizeof(name), "sync_map_%s", sz);
	report(name, &map, "ops/s");
	snprintf(name, sizeof(name), "sync_remap_%s", sz);
	report(name, &remap, "ops/s");
	snprintf(name, sizeof(name), "sync_unmap_%s", sz);
	report(name, &unmap, "ops/s");
	bind1(vm, op_unmap(KEEP_VA, 2 * size));
	drmCloseBufferHandle(fd, a);
	drmCloseBufferHandle(fd, b);
}

/*
 * Batches of 16 asynchronous 64 KiB MAPs (then 16 UNMAPs), each batch
 * signalling a timeline point on its last op, timed to the point's
 * signal; ops per second.
 */
static void async_batches(uint32_t vm, unsigned int batches)
{
	struct drm_panthor_vm_bind_op ops[16];
	struct drm_panthor_sync_op sig = {
		.flags = DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ |
			 DRM_PANTHOR_SYNC_OP_SIGNAL,
	};
	struct samples rate = { 0 };
	uint32_t bo = bo_create(16 * 64 * KiB, vm, NULL), tl;
	uint64_t point = 0;
	unsigned int r, i, k;
	double t;

	if (drmSyncobjCreate(fd, 0, &tl))
		die("syncobj: %s", strerror(errno));
	sig.handle = tl;
	bind1(vm, op_map(bo, 0, KEEP_VA, 16 * 64 * KiB, 0));
	for (r = 0; r < BENCH_REPEATS; r++) {
		t = now_us();
		for (i = 0; i < 2 * batches; i++) {
			for (k = 0; k < 16; k++)
				ops[k] = i & 1 ?
					 op_unmap(BENCH_VA + k * 64 * KiB, 64 * KiB) :
					 op_map(bo, k * 64 * KiB,
						BENCH_VA + k * 64 * KiB, 64 * KiB, 0);
			sig.timeline_value = ++point;
			ops[15].syncs = (struct drm_panthor_obj_array)
				DRM_PANTHOR_OBJ_ARRAY(1, &sig);
			bind(vm, ops, 16, DRM_PANTHOR_VM_BIND_ASYNC);
			if (drmSyncobjTimelineWait(fd, &tl, &point, 1, INT64_MAX,
						   DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL,
						   NULL))
				die("timeline wait: %s", strerror(errno));
		}
		sample(&rate, 2 * batches * 16 * 1e6 / (now_us() - t));
	}
	report("async_batch16_64K", &rate, "ops/s");
	bind1(vm, op_unmap(KEEP_VA, 16 * 64 * KiB));
	drmSyncobjDestroy(fd, tl);
	drmCloseBufferHandle(fd, bo);
}

/* Sparse MAP then UNMAP of @size: microseconds per op. */
static void sparse_size(uint32_t vm, uint64_t size)
{
	struct samples map = { 0 }, unmap = { 0 };
	char name[64], sz[16];
	unsigned int r;
	double t;

	for (r = 0; r < BENCH_REPEATS; r++) {
		t = now_us();
		bind1(vm, op_sparse(BENCH_VA, size));
		sample(&map, now_us() - t);
		t = now_us();
		bind1(vm, op_unmap(BENCH_VA, size));
		sample(&unmap, now_us() - t);
	}
	size_name(size, sz, sizeof(sz));
	snprintf(name, sizeof(name), "sparse_map_%s", sz);
	report(name, &map, "us");
	snprintf(name, sizeof(name), "sparse_unmap_%s", sz);
	report(name, &unmap, "us");
}

/*
 * A MAP of @size with 4 KiB pages (the VA is 4 KiB off the BO's 2 MiB
 * alignment on the bus, so no block can form): microseconds per op.
 */
static void page_map_size(uint32_t vm, uint64_t size)
{
	struct samples map = { 0 };
	uint32_t bo = bo_create(size, vm, NULL);
	uint64_t va = BENCH_VA + 4 * KiB;
	char name[64], sz[16];
	unsigned int r;
	double t;

	bind1(vm, op_map(bo, 0, KEEP_VA, size, 0));
	for (r = 0; r < BENCH_REPEATS; r++) {
		t = now_us();
		bind1(vm, op_map(bo, 0, va, size, 0));
		sample(&map, now_us() - t);
		bind1(vm, op_unmap(va, size));
	}
	size_name(size, sz, sizeof(sz));
	snprintf(name, sizeof(name), "page_map_%s", sz);
	report(name, &map, "us");
	bind1(vm, op_unmap(KEEP_VA, size));
	drmCloseBufferHandle(fd, bo);
}

int main(void)
{
	static const uint64_t sync_sizes[] = { 4 * KiB, 64 * KiB, 2 * MiB, GiB };
	static const unsigned int sync_n[] = { 64, 64, 32, 2 };
	drmVersionPtr ver = NULL;
	uint64_t size;
	uint32_t vm;
	unsigned int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open_panthor(&ver);
	if (fd < 0)
		die("no panthor device in /dev/dri");
	drmFreeVersion(ver);
	vm = vm_create();

	for (i = 0; i < sizeof(sync_sizes) / sizeof(sync_sizes[0]); i++)
		sync_ops(vm, sync_sizes[i], sync_n[i]);
	async_batches(vm, 8);
	for (size = GiB; size <= 1024 * GiB; size *= 4)
		sparse_size(vm, size);
	for (size = MiB; size <= 256 * MiB; size *= 4)
		page_map_size(vm, size);
	close(fd);
	return 0;
}
