// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * Asynchronous VM_BIND (DRM_PANTHOR_VM_BIND_ASYNC): ops become jobs on the
 * VM's bind queue and run in submission order; WAIT and SIGNAL sync ops on
 * binary and timeline syncobjs; signal fences attached before the ioctl
 * returns (Mesa checks with WAIT_AVAILABLE and a zero timeout); SYNC_ONLY
 * ops; a 64-deep queue; and a failing job: the ioctl succeeds, the fence
 * carries the error, the VM becomes UNUSABLE, later MAPs are refused and
 * UNMAP still works.
 *
 * To hold the queue, tests wait on a "blocker": an unsignalled fence made
 * by sw_sync (debugfs) or by vgem, imported into a syncobj. Subtests that
 * need one skip when neither exists.
 */

#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <linux/sync_file.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_panthor_blocker.h"
#include "igt_panthor_sim.h"
#include "igt_vgem.h"
#include "panthor_drm.h"

IGT_TEST_DESCRIPTION("Asynchronous VM_BIND with syncobjs");

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define VA	UINT64_C(0x1000000)
#define ASYNC	DRM_PANTHOR_VM_BIND_ASYNC
#define SEC	INT64_C(1000000000)

static int fd = -1;
static bool sim;

/* ---- syncobjs ------------------------------------------------------------ */

static int64_t abs_timeout(int64_t ns)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * SEC + ts.tv_nsec + ns;
}

static uint32_t syncobj_create(void)
{
	uint32_t h = 0;

	igt_assert_eq(drmSyncobjCreate(fd, 0, &h), 0);
	return h;
}

#define sync_op igt_panthor_sync_op
#define op_syncs igt_panthor_op_syncs

/* 0 when (h, point) is signalled within @ns, else -ETIME (or an error). */
static int sync_wait(uint32_t h, uint64_t point, int64_t ns)
{
	return igt_panthor_syncobj_wait(fd, h, point, ns);
}

static void assert_available(uint32_t h, uint64_t point, const char *what)
{
	igt_panthor_assert_available(fd, h, point, what);
}

static void assert_signalled(uint32_t h, uint64_t point, const char *what)
{
	igt_panthor_assert_signalled(fd, h, point, what);
}

static void assert_pending(uint32_t h, uint64_t point, const char *what)
{
	int ret = sync_wait(h, point, 100 * 1000 * 1000);

	igt_assert_f(ret == -ETIME, "%s: syncobj %u point %" PRIu64 " signalled "
		     "(%d) although the queue is blocked\n", what, h, point, ret);
}

/* Status of the fence in a binary syncobj: 1 done, 0 pending, < 0 error. */
static int fence_status(uint32_t h)
{
	struct sync_file_info info = { 0 };
	int sf = -1, ret;

	igt_assert_eq(drmSyncobjExportSyncFile(fd, h, &sf), 0);
	ret = ioctl(sf, SYNC_IOC_FILE_INFO, &info);
	close(sf);
	igt_assert_f(ret == 0, "SYNC_IOC_FILE_INFO: %s\n", strerror(errno));
	return info.status;
}

/* ---- blockers (lib/igt_panthor_blocker.c) ----------------------------------- */

#define blocker igt_panthor_blocker

static void blocker_create(struct blocker *b)
{
	igt_panthor_blocker_create(fd, b);
	igt_assert_f(sync_wait(b->syncobj, 0, 0) == -ETIME,
		     "the blocker fence is already signalled\n");
}

#define blocker_signal igt_panthor_blocker_signal
#define blocker_destroy igt_panthor_blocker_destroy

/* ---- checks -------------------------------------------------------------- */

static void check_word(uint32_t vm, uint64_t va, uint32_t seed, uint64_t off,
		       const char *what)
{
	uint32_t v;

	if (!sim)
		return;
	v = igt_panthor_gpu_read32(fd, vm, va);
	igt_assert_f(v == igt_panthor_pattern(seed, off), "%s: GPU reads %#x "
		     "at %#" PRIx64 ", expected BO seed %u offset %#" PRIx64
		     " (%#x)\n", what, v, va, seed, off,
		     igt_panthor_pattern(seed, off));
}

static int async_bind(uint32_t vm, struct drm_panthor_vm_bind_op *ops,
		      uint32_t n)
{
	uint32_t count = n;

	return __igt_panthor_vm_bind_ops(fd, vm, ASYNC, ops, &count,
					 sizeof(*ops));
}

struct bad_async {
	const char *name;
	uint64_t va, size, bo_offset;
	uint32_t sync_flags;
	uint32_t sync_handle;	/* 0: a valid syncobj */
	uint64_t point;
	uint32_t sync_stride;
	int err, alt_err;
};

static const struct bad_async bad_asyncs[] = {
	{ "va-unaligned", VA + 0x800, SZ_4K, 0, 0, 0, 0, 16, EINVAL, 0 },
	{ "size-unaligned", VA, SZ_4K + 0x800, 0, 0, 0, 0, 16, EINVAL, 0 },
	{ "bo-offset-unaligned", VA, SZ_4K, 0x800, 0, 0, 0, 16, EINVAL, 0 },
	{ "bad-syncobj", VA, SZ_4K, 0, DRM_PANTHOR_SYNC_OP_SIGNAL, 0xdead, 0,
	  16, EINVAL, ENOENT },
	{ "unknown-handle-type", VA, SZ_4K, 0, DRM_PANTHOR_SYNC_OP_SIGNAL | 2,
	  0, 0, 16, EINVAL, 0 },
	{ "unknown-sync-flag", VA, SZ_4K, 0,
	  DRM_PANTHOR_SYNC_OP_SIGNAL | (1u << 8), 0, 0, 16, EINVAL, 0 },
	{ "binary-with-point", VA, SZ_4K, 0, DRM_PANTHOR_SYNC_OP_SIGNAL, 0, 5,
	  16, EINVAL, 0 },
	{ "sync-stride-8", VA, SZ_4K, 0, DRM_PANTHOR_SYNC_OP_SIGNAL, 0, 0, 8,
	  EINVAL, 0 },
};

struct bad_sync_only {
	const char *name;
	uint32_t flags, handle;
	uint64_t bo_offset, va, size;
	bool no_syncs;
};

static const struct bad_sync_only bad_sync_onlys[] = {
	{ "no-syncs", 0, 0, 0, 0, 0, true },
	{ "va", 0, 0, 0, VA, 0, false },
	{ "size", 0, 0, 0, 0, SZ_4K, false },
	{ "va-and-size", 0, 0, 0, VA, SZ_4K, false },
	{ "bo-handle", 0, 1, 0, 0, 0, false },
	{ "bo-offset", 0, 0, SZ_4K, 0, 0, false },
	{ "map-flag", DRM_PANTHOR_VM_BIND_OP_MAP_READONLY, 0, 0, 0, 0, false },
};

/*
 * For the children below: open a sw_sync timeline, then the DRM device, and
 * queue an async MAP waiting on a fence of the timeline. Returns 0 (with
 * the device fd and VM id) or the step that failed.
 */
static int child_blocked_bind(int *dfd_out, uint32_t *vm_out)
{
	struct sw_sync_create_fence_data d = { .value = 1, .name = "pvm" };
	struct drm_panthor_vm_create vc = { 0 };
	struct drm_panthor_bo_create bc = { .size = SZ_64K };
	struct drm_panthor_sync_op so = { 0 };
	struct drm_panthor_vm_bind_op op = { 0 };
	struct drm_panthor_vm_bind vb = { 0 };
	uint32_t syncobj = 0;
	int tl, dfd;

	tl = open("/sys/kernel/debug/sync/sw_sync", O_RDWR);
	if (tl < 0 || ioctl(tl, SW_SYNC_IOC_CREATE_FENCE, &d))
		return 2;
	dfd = __drm_open_driver(DRIVER_PANTHOR);
	if (dfd < 0)
		return 3;
	if (drmIoctl(dfd, DRM_IOCTL_PANTHOR_VM_CREATE, &vc) ||
	    drmIoctl(dfd, DRM_IOCTL_PANTHOR_BO_CREATE, &bc))
		return 4;
	if (drmSyncobjCreate(dfd, 0, &syncobj) ||
	    drmSyncobjImportSyncFile(dfd, syncobj, d.fence))
		return 5;
	so.flags = DRM_PANTHOR_SYNC_OP_WAIT |
		   DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ;
	so.handle = syncobj;
	op.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP;
	op.bo_handle = bc.handle;
	op.va = VA;
	op.size = SZ_64K;
	op.syncs.stride = sizeof(so);
	op.syncs.count = 1;
	op.syncs.array = (uintptr_t)&so;
	vb.vm_id = vc.id;
	vb.flags = ASYNC;
	vb.ops.stride = sizeof(op);
	vb.ops.count = 1;
	vb.ops.array = (uintptr_t)&op;
	if (drmIoctl(dfd, DRM_IOCTL_PANTHOR_VM_BIND, &vb))
		return 6;
	*dfd_out = dfd;
	*vm_out = vc.id;
	return 0;
}

/* Exit with the timeline and the device open. */
static int child_exit_with_blocked_bind(void)
{
	uint32_t vm;
	int dfd;

	return child_blocked_bind(&dfd, &vm);
}

/* VM_DESTROY must return within a second; 10 if it took longer. */
static int child_destroy_with_blocked_bind(void)
{
	struct drm_panthor_vm_destroy vd = { 0 };
	int64_t t;
	int dfd, ret;

	ret = child_blocked_bind(&dfd, &vd.id);
	if (ret)
		return ret;
	t = abs_timeout(0);
	if (drmIoctl(dfd, DRM_IOCTL_PANTHOR_VM_DESTROY, &vd))
		return 7;
	return abs_timeout(0) - t < SEC ? 0 : 10;
}

/*
 * Run @fn in a child and expect it to exit 0 within 10 s; a child still
 * there is killed (a killable wait then ends).
 */
static void run_child(int (*fn)(void), const char *what)
{
	int status = -1;
	pid_t pid = fork();

	igt_assert(pid >= 0);
	if (pid == 0)
		_exit(fn());
	for (int i = 0; i < 100; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		usleep(100 * 1000);
		status = -1;
	}
	if (status == -1)
		kill(pid, SIGKILL);
	igt_assert_f(status != -1, "%s: the child did not finish within 10 s\n",
		     what);
	igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		     "%s: the child failed at step %d\n", what,
		     WEXITSTATUS(status));
}

int igt_main()
{
	igt_fixture() {
		igt_panthor_skip_on_big_endian();
		fd = drm_open_driver(DRIVER_PANTHOR);
		sim = igt_panthor_has_sim(fd);
		igt_require(drmGetCap(fd, DRM_CAP_SYNCOBJ_TIMELINE, &(uint64_t){0}) == 0);
	}

	igt_describe("Async MAP signalling a binary syncobj: the fence is "
		     "attached on return, signals, and the data is mapped");
	igt_subtest("async-signal-binary") {
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t bo = igt_panthor_pattern_bo(fd, SZ_64K, 301), s = syncobj_create();
		struct drm_panthor_sync_op so = sync_op(true, s, 0);
		struct drm_panthor_vm_bind_op op =
			igt_panthor_op_map(bo, 0, VA, SZ_64K, 0);

		op_syncs(&op, &so, 1);
		igt_assert_eq(async_bind(vm, &op, 1), 0);
		assert_available(s, 0, "binary signal");
		assert_signalled(s, 0, "binary signal");
		igt_assert_eq(fence_status(s), 1);
		check_word(vm, VA + SZ_32K, 301, SZ_32K, "after the fence");
		igt_panthor_vm_destroy(fd, vm, 0);
		drmSyncobjDestroy(fd, s);
		gem_close(fd, bo);
	}

	igt_describe("Async MAP signalling a timeline point: available on "
		     "return, then signalled, and the point is reached");
	igt_subtest("async-signal-timeline") {
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t bo = igt_panthor_pattern_bo(fd, SZ_64K, 302), t = syncobj_create();
		struct drm_panthor_sync_op so = sync_op(true, t, 7);
		struct drm_panthor_vm_bind_op op =
			igt_panthor_op_map(bo, 0, VA, SZ_64K, 0);
		uint64_t point = 0;

		op_syncs(&op, &so, 1);
		igt_assert_eq(async_bind(vm, &op, 1), 0);
		assert_available(t, 7, "timeline signal");
		assert_signalled(t, 7, "timeline signal");
		igt_assert_eq(drmSyncobjQuery(fd, &t, &point, 1), 0);
		igt_assert_eq_u64(point, 7);
		check_word(vm, VA + 4, 302, 4, "after the timeline point");
		igt_panthor_vm_destroy(fd, vm, 0);
		drmSyncobjDestroy(fd, t);
		gem_close(fd, bo);
	}

	igt_describe("An op waiting on an unsignalled binary syncobj runs only "
		     "once it signals");
	igt_subtest("async-wait-binary") {
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t bo = igt_panthor_pattern_bo(fd, SZ_64K, 303), out = syncobj_create();
		struct drm_panthor_vm_bind_op op =
			igt_panthor_op_map(bo, 0, VA, SZ_64K, 0);
		struct drm_panthor_sync_op so[2];
		struct blocker b;

		blocker_create(&b);
		so[0] = sync_op(false, b.syncobj, 0);
		so[1] = sync_op(true, out, 0);
		op_syncs(&op, so, 2);
		igt_assert_eq(async_bind(vm, &op, 1), 0);
		assert_available(out, 0, "blocked op");
		assert_pending(out, 0, "blocked op");
		blocker_signal(&b);
		assert_signalled(out, 0, "unblocked op");
		check_word(vm, VA, 303, 0, "unblocked op");
		blocker_destroy(&b);
		igt_panthor_vm_destroy(fd, vm, 0);
		drmSyncobjDestroy(fd, out);
		gem_close(fd, bo);
	}

	igt_describe("VM_DESTROY returns at once while a bind of the VM waits "
		     "on a user fence; the bind still completes when the fence "
		     "signals");
	igt_subtest("destroy-with-blocked-bind") {
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t bo = igt_panthor_pattern_bo(fd, SZ_64K, 305), out = syncobj_create();
		struct drm_panthor_vm_bind_op op =
			igt_panthor_op_map(bo, 0, VA, SZ_64K, 0);
		struct drm_panthor_sync_op so[2];
		struct blocker b;

		/* In a child first: a VM_DESTROY that waits could not return. */
		igt_require_f(access("/sys/kernel/debug/sync/sw_sync", R_OK) == 0,
			      "no sw_sync in debugfs\n");
		run_child(child_destroy_with_blocked_bind, "VM_DESTROY");

		/* Here: the bind still completes once its fence signals. */
		blocker_create(&b);
		so[0] = sync_op(false, b.syncobj, 0);
		so[1] = sync_op(true, out, 0);
		op_syncs(&op, so, 2);
		igt_assert_eq(async_bind(vm, &op, 1), 0);
		assert_pending(out, 0, "blocked op");
		igt_panthor_vm_destroy(fd, vm, 0);
		blocker_signal(&b);
		assert_signalled(out, 0, "bind of a destroyed VM");
		blocker_destroy(&b);
		drmSyncobjDestroy(fd, out);
		gem_close(fd, bo);
	}

	igt_describe("A process that exits with a bind waiting on a sw_sync "
		     "fence, the timeline opened before the device, is reaped");
	igt_subtest("exit-with-blocked-bind") {
		igt_require_f(access("/sys/kernel/debug/sync/sw_sync", R_OK) == 0,
			      "no sw_sync in debugfs\n");
		run_child(child_exit_with_blocked_bind, "exit");
	}

	igt_describe("An op waiting on a timeline point and signalling another "
		     "point of the same timeline");
	igt_subtest("async-wait-timeline") {
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t bo = igt_panthor_pattern_bo(fd, SZ_64K, 304), t = syncobj_create();
		struct drm_panthor_vm_bind_op op =
			igt_panthor_op_map(bo, 0, VA, SZ_64K, 0);
		struct drm_panthor_sync_op so[2];
		struct blocker b;

		blocker_create(&b);
		/* Point 3 of t is the blocker's fence. */
		igt_assert_eq(drmSyncobjTransfer(fd, t, 3, b.syncobj, 0, 0), 0);
		so[0] = sync_op(false, t, 3);
		so[1] = sync_op(true, t, 4);
		op_syncs(&op, so, 2);
		igt_assert_eq(async_bind(vm, &op, 1), 0);
		assert_available(t, 4, "blocked timeline op");
		assert_pending(t, 4, "blocked timeline op");
		blocker_signal(&b);
		assert_signalled(t, 4, "unblocked timeline op");
		check_word(vm, VA + 64, 304, 64, "unblocked timeline op");
		blocker_destroy(&b);
		igt_panthor_vm_destroy(fd, vm, 0);
		drmSyncobjDestroy(fd, t);
		gem_close(fd, bo);
	}

	igt_describe("Ops run in submission order: MAP A (blocked) then MAP B "
		     "at the same VA in a later ioctl; B wins once A runs");
	igt_subtest("async-ordering") {
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t a = igt_panthor_pattern_bo(fd, SZ_64K, 305), bb = igt_panthor_pattern_bo(fd, SZ_64K, 306);
		uint32_t out = syncobj_create();
		struct drm_panthor_vm_bind_op op_a =
			igt_panthor_op_map(a, 0, VA, SZ_64K, 0);
		struct drm_panthor_vm_bind_op op_b =
			igt_panthor_op_map(bb, 0, VA, SZ_64K, 0);
		struct drm_panthor_sync_op wait, sig;
		struct blocker b;

		blocker_create(&b);
		wait = sync_op(false, b.syncobj, 0);
		sig = sync_op(true, out, 0);
		op_syncs(&op_a, &wait, 1);
		op_syncs(&op_b, &sig, 1);
		igt_assert_eq(async_bind(vm, &op_a, 1), 0);
		igt_assert_eq(async_bind(vm, &op_b, 1), 0);
		assert_available(out, 0, "MAP B");
		assert_pending(out, 0, "MAP B queued behind a blocked MAP A");
		blocker_signal(&b);
		assert_signalled(out, 0, "MAP B");
		check_word(vm, VA + SZ_4K, 306, SZ_4K, "MAP A then MAP B");
		blocker_destroy(&b);
		igt_panthor_vm_destroy(fd, vm, 0);
		drmSyncobjDestroy(fd, out);
		gem_close(fd, a);
		gem_close(fd, bb);
	}

	igt_describe("Queued binds are a BOOKKEEP fence of the VM's reservation "
		     "object until they ran");
	igt_subtest("bind-fences-in-vm-resv") {
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t a = igt_panthor_pattern_bo(fd, SZ_64K, 309);
		uint32_t out = syncobj_create();
		struct drm_panthor_vm_bind_op ops[2] = {
			igt_panthor_op_map(a, 0, VA, SZ_64K, 0),
			igt_panthor_op_map(a, 0, VA + SZ_2M, SZ_64K, 0),
		};
		struct drm_panthor_sync_op wait, sig;
		struct igt_panthor_vm_stats st;
		struct blocker b;

		igt_require_panthor_vm_stats(fd);
		blocker_create(&b);
		wait = sync_op(false, b.syncobj, 0);
		sig = sync_op(true, out, 0);
		op_syncs(&ops[0], &wait, 1);
		op_syncs(&ops[1], &sig, 1);
		igt_assert_eq(async_bind(vm, ops, 2), 0);
		/* One fence per queue: the later job's replaces the earlier. */
		igt_assert(igt_panthor_vm_stats(fd, vm, &st));
		igt_assert_eq_u64(st.resv_pending, 1);
		blocker_signal(&b);
		assert_signalled(out, 0, "the second MAP");
		igt_assert(igt_panthor_vm_stats(fd, vm, &st));
		igt_assert_eq_u64(st.resv_pending, 0);
		blocker_destroy(&b);
		igt_panthor_vm_destroy(fd, vm, 0);
		drmSyncobjDestroy(fd, out);
		gem_close(fd, a);
	}

	igt_describe("Closing the GEM handle of a mapped BO while an UNMAP of it "
		     "is queued: the mapping keeps the BO until the UNMAP ran");
	igt_subtest("gem-close-with-queued-unmap") {
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t a = igt_panthor_pattern_bo(fd, 17 * SZ_4K, 310);
		uint32_t out = syncobj_create();
		struct drm_panthor_vm_bind_op op = igt_panthor_op_unmap(VA, SZ_64K);
		struct drm_panthor_sync_op so[2];
		struct igt_panthor_gem_line g;
		struct blocker b;

		igt_require_panthor_gems(fd);
		igt_panthor_map(fd, vm, a, 0, VA, SZ_64K, 0);
		blocker_create(&b);
		so[0] = sync_op(false, b.syncobj, 0);
		so[1] = sync_op(true, out, 0);
		op_syncs(&op, so, 2);
		igt_assert_eq(async_bind(vm, &op, 1), 0);
		gem_close(fd, a);
		check_word(vm, VA + SZ_4K, 310, SZ_4K, "a closed BO still mapped");
		igt_assert_eq(igt_panthor_gems_find(fd, NULL, 17 * SZ_4K, &g), 1);
		igt_assert_eq_u32(g.gpu_pins, 1);
		blocker_signal(&b);
		assert_signalled(out, 0, "the UNMAP");
		igt_assert_eq(fence_status(out), 1);
		/* The job is released after its fence signals: wait for it. */
		for (int i = 0; i < 100 &&
		     igt_panthor_gems_find(fd, NULL, 17 * SZ_4K, &g); i++)
			usleep(10000);
		igt_assert_eq(igt_panthor_gems_find(fd, NULL, 17 * SZ_4K, &g), 0);
		blocker_destroy(&b);
		igt_panthor_vm_destroy(fd, vm, 0);
		drmSyncobjDestroy(fd, out);
	}

	igt_describe("MAP A, UNMAP, MAP B in one async ioctl, each op with its "
		     "own fence: all complete OK in order, B is mapped");
	igt_subtest("async-unmap-remap") {
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t a = igt_panthor_pattern_bo(fd, SZ_64K, 307), bb = igt_panthor_pattern_bo(fd, SZ_64K, 308);
		struct drm_panthor_vm_bind_op ops[3] = {
			igt_panthor_op_map(a, 0, VA, SZ_64K, 0),
			igt_panthor_op_unmap(VA, SZ_64K),
			igt_panthor_op_map(bb, 0, VA, SZ_64K, 0),
		};
		struct drm_panthor_sync_op so[3];
		uint32_t s[3];

		for (int i = 0; i < 3; i++) {
			s[i] = syncobj_create();
			so[i] = sync_op(true, s[i], 0);
			op_syncs(&ops[i], &so[i], 1);
		}
		igt_assert_eq(async_bind(vm, ops, 3), 0);
		for (int i = 0; i < 3; i++) {
			assert_available(s[i], 0, "op of a 3-op ioctl");
			assert_signalled(s[i], 0, "op of a 3-op ioctl");
			igt_assert_f(fence_status(s[i]) == 1,
				     "op %d fence status %d\n", i,
				     fence_status(s[i]));
		}
		check_word(vm, VA + SZ_16K, 308, SZ_16K, "MAP, UNMAP, MAP");
		for (int i = 0; i < 3; i++)
			drmSyncobjDestroy(fd, s[i]);
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, a);
		gem_close(fd, bb);
	}

	igt_describe("64 queued async MAP/UNMAP ioctls behind a blocker, one "
		     "timeline point each: all run in order");
	igt_subtest("async-queue-depth-64") {
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t bos[4], t = syncobj_create();
		uint64_t point = ~0ULL;
		struct blocker b;

		for (int i = 0; i < 4; i++)
			bos[i] = igt_panthor_pattern_bo(fd, SZ_64K, 310 + i);
		blocker_create(&b);
		for (int i = 0; i < 64; i++) {
			struct drm_panthor_vm_bind_op op;
			struct drm_panthor_sync_op so[2];
			int n = 0;

			if (i % 2 == 0 || i == 63)
				op = igt_panthor_op_map(bos[(i / 2) % 4], 0, VA,
							SZ_64K, 0);
			else
				op = igt_panthor_op_unmap(VA, SZ_64K);
			if (i == 0)
				so[n++] = sync_op(false, b.syncobj, 0);
			so[n++] = sync_op(true, t, i + 1);
			op_syncs(&op, so, n);
			igt_assert_f(async_bind(vm, &op, 1) == 0,
				     "async ioctl %d of 64 failed\n", i);
		}
		assert_available(t, 64, "64th queued op");
		igt_assert_eq(drmSyncobjQuery(fd, &t, &point, 1), 0);
		igt_assert_f(point == 0, "timeline at %" PRIu64 " while the "
			     "first op is blocked\n", point);
		blocker_signal(&b);
		assert_signalled(t, 64, "64th queued op");
		igt_assert_eq(drmSyncobjQuery(fd, &t, &point, 1), 0);
		igt_assert_eq_u64(point, 64);
		/* Op 63 mapped bos[(63 / 2) % 4] = bos[3]. */
		check_word(vm, VA + 8, 313, 8, "after 64 queued ops");
		blocker_destroy(&b);
		igt_panthor_vm_destroy(fd, vm, 0);
		drmSyncobjDestroy(fd, t);
		for (int i = 0; i < 4; i++)
			gem_close(fd, bos[i]);
	}

	igt_describe("Async ops without syncs still run in order: a later "
		     "SYNC_ONLY signal covers them");
	igt_subtest("async-no-syncs") {
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t bo = igt_panthor_pattern_bo(fd, SZ_64K, 320), s = syncobj_create();
		struct drm_panthor_vm_bind_op ops[2] = {
			igt_panthor_op_map(bo, 0, VA, SZ_64K, 0),
			{ .flags = DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY },
		};
		struct drm_panthor_sync_op so = sync_op(true, s, 0);

		igt_assert_eq(async_bind(vm, &ops[0], 1), 0);
		op_syncs(&ops[1], &so, 1);
		igt_assert_eq(async_bind(vm, &ops[1], 1), 0);
		assert_available(s, 0, "SYNC_ONLY");
		assert_signalled(s, 0, "SYNC_ONLY");
		check_word(vm, VA + SZ_8K, 320, SZ_8K, "no-sync MAP");
		igt_panthor_vm_destroy(fd, vm, 0);
		drmSyncobjDestroy(fd, s);
		gem_close(fd, bo);
	}

	igt_describe("SYNC_ONLY waits and signals: binary in, timeline out");
	igt_subtest("sync-only") {
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t t = syncobj_create();
		struct drm_panthor_vm_bind_op op = {
			.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY,
		};
		struct drm_panthor_sync_op so[2];
		struct blocker b;

		blocker_create(&b);
		so[0] = sync_op(false, b.syncobj, 0);
		so[1] = sync_op(true, t, 2);
		op_syncs(&op, so, 2);
		igt_assert_eq(async_bind(vm, &op, 1), 0);
		assert_available(t, 2, "SYNC_ONLY");
		assert_pending(t, 2, "SYNC_ONLY behind a blocker");
		blocker_signal(&b);
		assert_signalled(t, 2, "SYNC_ONLY");
		igt_assert_eq_u32(igt_panthor_vm_get_state(fd, vm),
				  DRM_PANTHOR_VM_STATE_USABLE);
		blocker_destroy(&b);
		igt_panthor_vm_destroy(fd, vm, 0);
		drmSyncobjDestroy(fd, t);
	}

	igt_describe("SYNC_ONLY needs syncs and zero va/size/handle/offset/flags");
	igt_subtest_with_dynamic("sync-only-invalid") {
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t s = syncobj_create();

		for (size_t i = 0; i < ARRAY_LEN(bad_sync_onlys); i++) {
			const struct bad_sync_only *c = &bad_sync_onlys[i];

			igt_dynamic(c->name) {
				struct drm_panthor_sync_op so = sync_op(true, s, 0);
				struct drm_panthor_vm_bind_op op = {
					.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY |
						 c->flags,
					.bo_handle = c->handle,
					.bo_offset = c->bo_offset,
					.va = c->va,
					.size = c->size,
				};

				if (!c->no_syncs)
					op_syncs(&op, &so, 1);
				igt_assert_eq(async_bind(vm, &op, 1), -EINVAL);
			}
		}
		igt_assert_eq_u32(igt_panthor_vm_get_state(fd, vm),
				  DRM_PANTHOR_VM_STATE_USABLE);
		igt_panthor_vm_destroy(fd, vm, 0);
		drmSyncobjDestroy(fd, s);
	}

	igt_describe("Async ioctl-time validation: alignment and sync ops");
	igt_subtest_with_dynamic("async-invalid") {
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t bo = igt_panthor_pattern_bo(fd, SZ_64K, 330), s = syncobj_create();

		for (size_t i = 0; i < ARRAY_LEN(bad_asyncs); i++) {
			const struct bad_async *c = &bad_asyncs[i];

			igt_dynamic(c->name) {
				struct drm_panthor_sync_op so = {
					.flags = c->sync_flags,
					.handle = c->sync_handle ? c->sync_handle : s,
					.timeline_value = c->point,
				};
				struct drm_panthor_vm_bind_op op =
					igt_panthor_op_map(bo, c->bo_offset, c->va,
							   c->size, 0);
				int err;

				op_syncs(&op, &so, 1);
				op.syncs.stride = c->sync_stride;
				err = async_bind(vm, &op, 1);
				igt_assert_f(err == -c->err ||
					     (c->alt_err && err == -c->alt_err),
					     "%s: %d, expected -%d\n", c->name,
					     err, c->err);
				igt_assert_f(sync_wait(s, 0, 0) != 0,
					     "%s: a rejected op signalled\n",
					     c->name);
			}
		}
		igt_assert_eq_u32(igt_panthor_vm_get_state(fd, vm),
				  DRM_PANTHOR_VM_STATE_USABLE);
		igt_panthor_vm_destroy(fd, vm, 0);
		drmSyncobjDestroy(fd, s);
		gem_close(fd, bo);
	}

	igt_describe("An async MAP beyond the VA space is accepted, fails in "
		     "the queue with an error on its fence, makes the VM "
		     "UNUSABLE; then MAPs get EINVAL and UNMAP still works");
	igt_subtest("async-failure") {
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t bo = igt_panthor_pattern_bo(fd, SZ_64K, 340);
		uint32_t s_ok = syncobj_create(), s_bad = syncobj_create();
		uint64_t bad_va = UINT64_C(1) << igt_panthor_va_bits(fd);
		struct drm_panthor_vm_bind_op ops[2] = {
			igt_panthor_op_map(bo, 0, VA, SZ_64K, 0),
			igt_panthor_op_map(bo, 0, bad_va, SZ_4K, 0),
		};
		struct drm_panthor_sync_op so[2] = {
			sync_op(true, s_ok, 0), sync_op(true, s_bad, 0),
		};
		uint32_t st;
		int status;

		op_syncs(&ops[0], &so[0], 1);
		op_syncs(&ops[1], &so[1], 1);
		igt_assert_f(async_bind(vm, ops, 2) == 0,
			     "the async ioctl itself must succeed\n");
		assert_signalled(s_ok, 0, "good op");
		assert_signalled(s_bad, 0, "failing op");
		igt_assert_eq(fence_status(s_ok), 1);
		status = fence_status(s_bad);
		igt_assert_f(status < 0, "failing op's fence status %d, expected "
			     "an error\n", status);
		igt_assert_eq(__igt_panthor_vm_get_state(fd, vm, &st), 0);
		igt_assert_f(st == DRM_PANTHOR_VM_STATE_UNUSABLE,
			     "VM state %u after a failed async op\n", st);

		/* Async MAP and sync MAP refused, sync UNMAP fine. */
		{
			struct drm_panthor_vm_bind_op op =
				igt_panthor_op_map(bo, 0, VA + SZ_1M, SZ_4K, 0);

			igt_assert_eq(async_bind(vm, &op, 1), -EINVAL);
		}
		igt_panthor_vm_bind(fd, vm, bo, VA + SZ_1M, SZ_4K,
				    DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, EINVAL);
		igt_panthor_vm_bind(fd, vm, 0, VA, SZ_64K,
				    DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, 0);
		igt_panthor_vm_destroy(fd, vm, 0);
		drmSyncobjDestroy(fd, s_ok);
		drmSyncobjDestroy(fd, s_bad);
		gem_close(fd, bo);
	}

	igt_fixture() {
		drm_close_driver(fd);
	}
}
