// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * The uAPI fuzzer engine of igt_panthor_fuzz.h: a PRNG, the shadow model of
 * VMs, BOs and syncobjs, one generator per ioctl that builds valid and
 * invalid arguments, the documented result of each call predicted from the
 * model (include/uapi/drm/panthor_drm.h, Documentation/gpu/panthor-vm.rst
 * "uAPI"), and GPU reads that compare the VMs with the model.
 *
 * Nothing here asserts: a difference between a call's result and the
 * prediction, or between a GPU read and the model, is recorded as the
 * instance's mismatch and stops it. Only the shared igt_panthor_blocker.h
 * calls do, if a fence or syncobj they need cannot be made or read.
 *
 * This file is the core of the engine: the PRNG, failures and call
 * counting, picking what a call works on, the loop that chooses the next
 * call, and the API. The calls themselves are in igt_panthor_fuzz_model.c
 * (the shadow model, GPU checks, VMs), igt_panthor_fuzz_bind.c (VM_BIND),
 * igt_panthor_fuzz_bo.c (BOs, device-level ioctls), igt_panthor_fuzz_sim.c
 * (the software GPU) and igt_panthor_fuzz_file.c (files); what they share
 * is in igt_panthor_fuzz_priv.h.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "igt.h"
#include "igt_panthor_fuzz_priv.h"

/* ---- PRNG, time, failures ------------------------------------------- */

uint64_t fz_rnd(struct igt_panthor_fuzz *f)
{
	uint64_t z = (f->rng += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

uint64_t fz_below(struct igt_panthor_fuzz *f, uint64_t n)
{
	return n ? fz_rnd(f) % n : 0;
}

/* True with probability @pm per mille. */
bool fz_pm(struct igt_panthor_fuzz *f, unsigned int pm)
{
	return fz_below(f, 1000) < pm;
}

/* A defect: never in a clean call (half of the VM_BINDs are clean). */
bool fz_bad(struct igt_panthor_fuzz *f, unsigned int permille)
{
	return !f->clean && fz_pm(f, permille);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void fz_fail(struct igt_panthor_fuzz *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (f->failed)
		return;
	f->failed = true;
	f->st.mismatches++;
	n = snprintf(f->msg, sizeof(f->msg), "%s: model mismatch at call %" PRIu64
		     " (seed %#" PRIx64 "): ", f->name, f->st.calls, f->seed);
	va_start(ap, fmt);
	vsnprintf(f->msg + n, sizeof(f->msg) - n, fmt, ap);
	va_end(ap);
}

void fz_trace(struct igt_panthor_fuzz *f, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (!f->cfg.trace)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	igt_info("%s #%" PRIu64 ": %s\n", f->name, f->st.calls, line);
}

const char *fz_ename(int e)
{
	const char *n = e ? strerrorname_np(e) : "0";

	return n ? n : "E?";
}

/* One ioctl; @which >= 0 counts it as the fuzzed call, < 0 as a check. */
int fz_ioctl(struct igt_panthor_fuzz *f, int fd, int which,
	     unsigned long req, void *arg)
{
	int ret = igt_ioctl(fd, req, arg) ? errno : 0;

	errno = 0;
	if (which < 0) {
		f->st.checks++;
		return ret;
	}
	f->st.calls++;
	f->st.ioctl[which]++;
	f->st.ioctl_ok[which] += !ret;
	f->st.err[ret < FZ_NR_ERRNO ? ret : FZ_NR_ERRNO - 1]++;
	return ret;
}

bool fz_expect_err(struct igt_panthor_fuzz *f, const char *what, int got,
		   int want)
{
	if (got != want)
		fz_fail(f, "%s returned %s (%d), expected %s", what, fz_ename(got),
			got, fz_ename(want));
	return got == want;
}

/* ---- picking things ------------------------------------------------- */

static struct fz_file *pick_file(struct igt_panthor_fuzz *f)
{
	return &f->file[fz_below(f, f->nfiles)];
}

struct fz_vm *fz_pick_vm(struct igt_panthor_fuzz *f, struct fz_file *fl)
{
	struct fz_vm *c[FZ_MAX_VMS];
	int n = 0;

	for (int i = 0; i < FZ_MAX_VMS; i++)
		if (fl->vm[i].id)
			c[n++] = &fl->vm[i];
	return n ? c[fz_below(f, n)] : NULL;
}

struct fz_bo *fz_pick_bo(struct igt_panthor_fuzz *f, struct fz_file *fl)
{
	struct fz_bo *c[FZ_MAX_BOS];
	int n = 0;

	for (int i = 0; i < FZ_MAX_BOS; i++)
		if (fl->bo[i].handle)
			c[n++] = &fl->bo[i];
	return n ? c[fz_below(f, n)] : NULL;
}

struct fz_bo *fz_find_bo(struct fz_file *fl, uint32_t handle)
{
	for (int i = 0; handle && i < FZ_MAX_BOS; i++)
		if (fl->bo[i].handle == handle)
			return &fl->bo[i];
	return NULL;
}

/* A handle or id that is never valid: 0 or far above any allocated one. */
uint32_t fz_bad_handle(struct igt_panthor_fuzz *f)
{
	return fz_pm(f, 300) ? 0 : FZ_BAD_HANDLE + (uint32_t)fz_below(f, 1u << 20);
}

uint32_t fz_bad_vm_id(struct igt_panthor_fuzz *f)
{
	return fz_pm(f, 300) ? 0 : 33 + (uint32_t)fz_below(f, 100000);
}

/* ---- the loop ------------------------------------------------------- */

static void fz_step(struct igt_panthor_fuzz *f)
{
	struct fz_file *fl = pick_file(f);
	struct fz_vm *vm = fz_pick_vm(f, fl);
	unsigned int r = fz_below(f, 1000), own = 0;

	for (int i = 0; i < FZ_MAX_VMS; i++)
		own += fl->vm[i].id && !fl->vm[i].shared;
	if (vm && !vm->shared && vm->unusable && fz_pm(f, 200) && f->cfg.vm_lifecycle)
		r = 440;	/* destroy unusable VMs soon */
	if (!vm || (f->cfg.vm_lifecycle && !own && fz_pm(f, 100)))
		r = f->cfg.vm_lifecycle ? 425 : 460;

	if (r < 420)
		fz_bind(f, fl, vm);
	else if (r < 435)
		f->cfg.vm_lifecycle ? fz_vm_create(f, fl) : fz_vm_get_state(f, fl);
	else if (r < 450)
		fz_vm_destroy(f, fl);
	else if (r < 470)
		fz_vm_get_state(f, fl);
	else if (r < 520)
		fz_bo_create(f, fl);
	else if (r < 535)
		fz_gem_close(f, fl);
	else if (r < 575)
		fz_bo_mmap_offset(f, fl);
	else if (r < 605)
		fz_bo_set_label(f, fl);
	else if (r < 645)
		fz_bo_sync(f, fl);
	else if (r < 675)
		fz_bo_query_info(f, fl);
	else if (r < 690)
		fz_set_mmio(f, fl);
	else if (r < 740)
		fz_dev_query(f, fl);
	else if (r < 770)
		fz_unimplemented(f, fl);
	else if (r < 870)
		vm ? fz_sim_access(f, fl) : fz_dev_query(f, fl);
	else if (r < 890)
		vm ? fz_sim_agent(f, fl) : fz_dev_query(f, fl);
	else if (r < 893)
		fz_poison(f, fl);
	else if (r < 894 && fz_pm(f, 300))
		fz_reopen(f, fl);
	else if (r < 895 && fz_pm(f, 100))
		fz_vm_limit(f, fl);
	else
		vm ? fz_bind(f, fl, vm) : fz_bo_create(f, fl);

	/* Now and then the whole window of a VM. */
	if (!(f->st.calls & 511) && (vm = fz_pick_vm(f, fl)) && !f->failed) {
		fz_vm_settle(f, fl, vm);
		fz_check_vm_all(f, fl, vm);
	}
}

/* ---- API ------------------------------------------------------------ */

/**
 * igt_panthor_fuzz_new() - A fuzzer instance.
 * @name: for messages (the subtest, a thread).
 * @tid: thread number, makes BO seeds unique.
 * @seed: PRNG seed.
 * @cfg: what it may do.
 *
 * Return: the instance; add files with igt_panthor_fuzz_add_file().
 */
struct igt_panthor_fuzz *igt_panthor_fuzz_new(const char *name, int tid,
					      uint64_t seed,
					      const struct igt_panthor_fuzz_cfg *cfg)
{
	struct igt_panthor_fuzz *f = calloc(1, sizeof(*f));

	igt_assert(f);
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->tid = tid;
	f->seed = seed;
	f->rng = seed;
	f->cfg = *cfg;
	if (!f->cfg.max_vms || f->cfg.max_vms > FZ_MAX_VMS)
		f->cfg.max_vms = FZ_MAX_VMS;
	f->next_seed = (uint32_t)(tid + 1) << 24 | 1;
	f->buf = malloc(IGT_PANTHOR_SIM_ACCESS_MAX);
	igt_assert(f->buf);
	return f;
}

/**
 * igt_panthor_fuzz_add_file() - Give an instance a DRM file.
 * @f: instance.
 * @fd: panthor file.
 * @exclusive: only this instance uses @fd: it may close and reopen it,
 *	and closes it at the end. Otherwise the caller closes it.
 *
 * Reads the device's properties, creates the file's syncobjs and, if the
 * instance may, a VM and a few BOs.
 */
void igt_panthor_fuzz_add_file(struct igt_panthor_fuzz *f, int fd, bool exclusive)
{
	struct drm_panthor_pvm_vm_bind_info bi = { 0 };
	struct drm_panthor_dev_query q = { .type = DRM_PANTHOR_DEV_QUERY_GPU_INFO,
		.size = sizeof(f->gpu), .pointer = (uintptr_t)&f->gpu };
	struct fz_file *fl = &f->file[f->nfiles++];

	igt_assert(f->nfiles <= FZ_MAX_FILES);
	igt_assert_eq(igt_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q), 0);
	q = (struct drm_panthor_dev_query){ .type = DRM_PANTHOR_DEV_QUERY_PVM_VM_BIND_INFO,
		.size = sizeof(bi), .pointer = (uintptr_t)&bi };
	if (igt_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q))
		bi.op_flags = FZ_RO | FZ_NOEXEC | FZ_UNCACHED | FZ_SPARSE;
	f->op_flags = bi.op_flags;
	f->rr_sizes = bi.repeat_range_sizes;
	f->full_va = UINT64_C(1) << DRM_PANTHOR_MMU_VA_BITS(f->gpu.mmu_features);
	fz_file_init(f, fl, fd, exclusive);
	for (unsigned int i = 0; f->cfg.vm_lifecycle && i < f->cfg.init_vms; i++)
		fz_vm_create(f, fl);
	for (int i = 0; i < 5; i++)
		fz_bo_create(f, fl);
	f->st = (struct igt_panthor_fuzz_stats){ 0 };
}

/**
 * igt_panthor_fuzz_add_shared_vm() - Let an instance bind in part of a VM
 * it does not own (never destroyed, faulted or poisoned by it).
 * @f: instance.
 * @file: index of the file (order of igt_panthor_fuzz_add_file()).
 * @vm_id: the VM.
 * @user_end: its user VA end.
 * @base: start of the window of the VM this instance owns, 2 MiB aligned.
 * @size: bytes of the window.
 */
void igt_panthor_fuzz_add_shared_vm(struct igt_panthor_fuzz *f, int file,
				    uint32_t vm_id, uint64_t user_end,
				    uint64_t base, uint64_t size)
{
	struct fz_file *fl = &f->file[file];

	for (int i = 0; i < FZ_MAX_VMS; i++) {
		if (!fl->vm[i].id) {
			fz_vm_model_init(f, fl, &fl->vm[i], vm_id, user_end, base,
					 size, true);
			return;
		}
	}
	igt_assert(!"no VM slot");
}

/**
 * igt_panthor_fuzz_reopen() - Close an exclusive file with async binds
 * queued on a blocker (signalled afterwards, or destroyed), check that
 * they complete, and open a new file in its place.
 * @f: instance.
 * @file: index of the file.
 *
 * Return: the binds that were queued when the file closed.
 */
unsigned int igt_panthor_fuzz_reopen(struct igt_panthor_fuzz *f, int file)
{
	struct fz_file *fl = &f->file[file];
	unsigned int queued;
	int fd;

	igt_assert(fl->exclusive);
	queued = fz_close_with_queued(f, fl);
	if (fl->fd >= 0)
		fz_file_fini(f, fl, true);
	fd = __drm_open_driver(DRIVER_PANTHOR);
	if (fd < 0)
		fz_fail(f, "cannot reopen the device");
	else
		fz_file_init(f, fl, fd, true);
	for (unsigned int i = 0; fd >= 0 && i < f->cfg.init_vms; i++)
		fz_vm_create(f, fl);
	return queued;
}

/**
 * igt_panthor_fuzz_more_calls() - Let the next run make @n more calls.
 * @f: instance.
 * @n: calls.
 */
void igt_panthor_fuzz_more_calls(struct igt_panthor_fuzz *f, uint64_t n)
{
	f->cfg.calls = f->st.calls + n;
}

/**
 * igt_panthor_fuzz_calls() - Calls the instance made so far.
 * @f: instance.
 *
 * Return: the count.
 */
uint64_t igt_panthor_fuzz_calls(const struct igt_panthor_fuzz *f)
{
	return f->st.calls;
}

/** igt_panthor_fuzz_run() - Run until the call count, time or a mismatch. @f: instance. */
void igt_panthor_fuzz_run(struct igt_panthor_fuzz *f)
{
	double t0 = now_s();

	while (f->st.calls < f->cfg.calls && !f->failed) {
		fz_step(f);
		if (f->cfg.seconds > 0 && !(f->st.calls & 63) &&
		    now_s() - t0 > f->cfg.seconds)
			break;
	}
}

/**
 * igt_panthor_fuzz_finish() - Settle and check every VM, then release
 * everything the instance made (its exclusive files are closed).
 * @f: instance.
 */
void igt_panthor_fuzz_finish(struct igt_panthor_fuzz *f)
{
	for (int i = 0; i < f->nfiles; i++) {
		struct fz_file *fl = &f->file[i];

		for (int k = 0; k < FZ_MAX_VMS && !f->failed; k++) {
			if (!fl->vm[k].id)
				continue;
			fz_vm_settle(f, fl, &fl->vm[k]);
			fz_check_vm_all(f, fl, &fl->vm[k]);
		}
		if (fl->fd >= 0)
			fz_file_fini(f, fl, fl->exclusive);
	}
}

/** igt_panthor_fuzz_failed() - The first mismatch, or NULL. @f: instance. */
const char *igt_panthor_fuzz_failed(const struct igt_panthor_fuzz *f)
{
	return f->failed ? f->msg : NULL;
}

/** igt_panthor_fuzz_stats() - What the instance did. @f: instance. */
const struct igt_panthor_fuzz_stats *
igt_panthor_fuzz_stats(const struct igt_panthor_fuzz *f)
{
	return &f->st;
}

/** igt_panthor_fuzz_free() - Free an instance (after finish). @f: instance. */
void igt_panthor_fuzz_free(struct igt_panthor_fuzz *f)
{
	free(f->buf);
	free(f);
}

/**
 * igt_panthor_fuzz_stats_add() - Add @from to @to.
 * @to: sum.
 * @from: counts to add.
 */
void igt_panthor_fuzz_stats_add(struct igt_panthor_fuzz_stats *to,
				const struct igt_panthor_fuzz_stats *from)
{
	to->calls += from->calls;
	to->checks += from->checks;
	to->async_ops += from->async_ops;
	to->faults += from->faults;
	to->mismatches += from->mismatches;
	for (int i = 0; i < FZ_NR_IOCTLS; i++) {
		to->ioctl[i] += from->ioctl[i];
		to->ioctl_ok[i] += from->ioctl_ok[i];
	}
	for (int i = 0; i < FZ_NR_ERRNO; i++)
		to->err[i] += from->err[i];
}

/**
 * igt_panthor_fuzz_stats_print() - One summary line.
 * @what: subtest or "total".
 * @seed: the seed.
 * @s: counts.
 * @seconds: duration.
 */
void igt_panthor_fuzz_stats_print(const char *what, uint64_t seed,
				  const struct igt_panthor_fuzz_stats *s,
				  double seconds)
{
	static const char *const names[FZ_NR_IOCTLS] = {
		"DEV_QUERY", "VM_CREATE", "VM_DESTROY", "VM_BIND", "VM_GET_STATE",
		"BO_CREATE", "BO_MMAP_OFFSET", "GROUP_CREATE", "GROUP_DESTROY",
		"GROUP_SUBMIT", "GROUP_GET_STATE", "TILER_HEAP_CREATE",
		"TILER_HEAP_DESTROY", "BO_SET_LABEL", "SET_USER_MMIO_OFFSET",
		"BO_SYNC", "BO_QUERY_INFO", "SIM_GPU_ACCESS", "SIM_AGENT",
		"GEM_CLOSE",
	};
	char line[2048];
	int n;

	n = snprintf(line, sizeof(line), "panthor_fuzz summary: %s seed %#" PRIx64
		     " calls %" PRIu64 " (%.0f calls/s, %.1f s) checks %" PRIu64
		     " async-ops %" PRIu64 " faults %" PRIu64 " | ioctls (calls/ok):", what,
		     seed, s->calls, seconds > 0 ? s->calls / seconds : 0.0,
		     seconds, s->checks, s->async_ops, s->faults);
	for (int i = 0; i < FZ_NR_IOCTLS && n < (int)sizeof(line); i++)
		n += snprintf(line + n, sizeof(line) - n, " %s=%" PRIu64 "/%" PRIu64,
			      names[i], s->ioctl[i], s->ioctl_ok[i]);
	n += snprintf(line + n, sizeof(line) - n, " | errno:");
	for (int i = 0; i < FZ_NR_ERRNO && n < (int)sizeof(line); i++)
		if (s->err[i])
			n += snprintf(line + n, sizeof(line) - n, " %s=%" PRIu64,
				      i ? fz_ename(i) : "ok", s->err[i]);
	if (n < (int)sizeof(line))
		snprintf(line + n, sizeof(line) - n, " | model mismatches: %" PRIu64,
			 s->mismatches);
	printf("%s\n", line);
	fflush(stdout);
}
