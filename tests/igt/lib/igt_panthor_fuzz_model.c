// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * The fuzzer's shadow model of its VMs: what each page of a VM window maps,
 * updated by the binds that succeeded, and checked against the VM with
 * GPU reads through SIM_GPU_ACCESS; and the VM ioctls (VM_CREATE,
 * VM_DESTROY, VM_GET_STATE, the per-file VM limit) that create, destroy
 * and query the VMs of the model.
 */

#include <stdlib.h>
#include <string.h>

#include "igt.h"
#include "igt_panthor_fuzz_priv.h"

static uint64_t vm_gen_counter;

/* ---- model pages and GPU checks ------------------------------------- */

uint64_t fz_win_end(const struct fz_vm *vm)
{
	return vm->base + vm->npages * SZ_4K;
}

bool fz_in_win(const struct fz_vm *vm, uint64_t va, uint64_t size)
{
	return va >= vm->base && va <= fz_win_end(vm) && size <= fz_win_end(vm) - va;
}

void fz_model_apply(struct fz_vm *vm, const struct drm_panthor_vm_bind_op *op,
		    const struct fz_bo *bo)
{
	uint32_t type = FZ_TYPE(op->flags);
	uint64_t p0, n;

	if (!op->size || type == FZ_SYNC_ONLY || !fz_in_win(vm, op->va, op->size))
		return;
	p0 = (op->va - vm->base) / SZ_4K;
	n = op->size / SZ_4K;
	for (uint64_t i = 0; i < n; i++) {
		struct fz_page *pg = &vm->page[p0 + i];
		uint64_t d = i * SZ_4K;

		memset(pg, 0, sizeof(*pg));
		if (type == FZ_UNMAP)
			continue;
		pg->ro = !!(op->flags & FZ_RO);
		if (op->flags & FZ_SPARSE) {
			pg->kind = PG_SPARSE;
			continue;
		}
		if (op->flags & FZ_REPEAT)
			d %= op->repeat_range;
		pg->kind = bo->seed ? PG_BO : PG_ZERO;
		pg->seed = bo->seed;
		pg->off = op->bo_offset + d;
	}
}

uint32_t fz_page_word(const struct fz_page *pg, uint64_t byte)
{
	return pg->kind == PG_BO ? igt_panthor_pattern(pg->seed, pg->off + byte) : 0;
}

int fz_gpu_access(struct igt_panthor_fuzz *f, int fd, int which,
		  struct drm_panthor_sim_gpu_access *a)
{
	return fz_ioctl(f, fd, which, DRM_IOCTL_PANTHOR_SIM_GPU_ACCESS, a);
}

/* Read pages [p, p + n) of the window, all mapped, and compare. */
void fz_read_run(struct igt_panthor_fuzz *f, struct fz_file *fl,
		 struct fz_vm *vm, uint64_t p, uint64_t n, int which)
{
	struct drm_panthor_sim_gpu_access a = {
		.vm_id = vm->id, .va = vm->base + p * SZ_4K, .size = n * SZ_4K,
		.data = (uintptr_t)f->buf,
	};
	int ret = fz_gpu_access(f, fl->fd, which, &a);

	if (ret || a.fault_status) {
		fz_fail(f, "GPU read of VM %u at %#" PRIx64 " (+%#" PRIx64
			"): %s, fault status %#x at %#" PRIx64 "; the model says "
			"mapped", vm->id, (uint64_t)a.va, (uint64_t)a.size,
			fz_ename(ret), a.fault_status, (uint64_t)a.fault_address);
		return;
	}
	for (uint64_t i = 0; i < n; i++) {
		const struct fz_page *pg = &vm->page[p + i];
		const uint32_t *w = f->buf + i * (SZ_4K / 4);

		if (pg->kind == PG_SPARSE)
			continue;
		for (unsigned int k = 0; k < SZ_4K / 4; k++) {
			if (w[k] == fz_page_word(pg, k * 4))
				continue;
			fz_fail(f, "GPU read of VM %u at %#" PRIx64 " gave %#x, "
				"the model says %s seed %u offset %#" PRIx64
				" (%#x)", vm->id, vm->base + (p + i) * SZ_4K + k * 4,
				w[k], pg->kind == PG_BO ? "BO" : "zero BO",
				pg->seed, pg->off + k * 4, fz_page_word(pg, k * 4));
			return;
		}
	}
}

/* Check the mapped pages among [p, p + n): holes are never read. */
void fz_check_pages(struct igt_panthor_fuzz *f, struct fz_file *fl,
		    struct fz_vm *vm, uint64_t p, uint64_t n)
{
	uint64_t end = p + n > vm->npages ? vm->npages : p + n;

	while (p < end && !f->failed) {
		uint64_t run = 0;

		if (vm->page[p].kind == PG_HOLE) {
			p++;
			continue;
		}
		while (p + run < end && vm->page[p + run].kind != PG_HOLE &&
		       run < IGT_PANTHOR_SIM_ACCESS_MAX / SZ_4K)
			run++;
		fz_read_run(f, fl, vm, p, run, -1);
		p += run;
	}
}

/* An unusable VM refuses GPU accesses. */
bool fz_check_unusable(struct igt_panthor_fuzz *f, struct fz_file *fl,
		       struct fz_vm *vm)
{
	struct drm_panthor_sim_gpu_access a = {
		.vm_id = vm->id, .va = vm->base, .size = 4,
		.data = (uintptr_t)f->buf,
	};
	struct drm_panthor_vm_get_state s = { .vm_id = vm->id };
	int ret;

	if (!vm->unusable)
		return false;
	ret = fz_ioctl(f, fl->fd, -1, DRM_IOCTL_PANTHOR_VM_GET_STATE, &s);
	if (ret || s.state != DRM_PANTHOR_VM_STATE_UNUSABLE)
		fz_fail(f, "VM %u: GET_STATE %s state %u, the model says "
			"unusable", vm->id, fz_ename(ret), s.state);
	fz_expect_err(f, "GPU access to an unusable VM", fz_gpu_access(f, fl->fd, -1, &a),
		      EINVAL);
	return true;
}

/* Check [va, va + size) and a page on each side, sampled when large. */
void fz_check_range(struct igt_panthor_fuzz *f, struct fz_file *fl,
		    struct fz_vm *vm, uint64_t va, uint64_t size)
{
	uint64_t p0, p1;

	if (fz_check_unusable(f, fl, vm) || !fz_in_win(vm, va, size))
		return;
	p0 = (va - vm->base) / SZ_4K;
	p1 = p0 + (size + SZ_4K - 1) / SZ_4K;
	p0 = p0 ? p0 - 1 : 0;
	p1 = p1 < vm->npages ? p1 + 1 : vm->npages;
	if (p1 - p0 <= 48) {
		fz_check_pages(f, fl, vm, p0, p1 - p0);
		return;
	}
	fz_check_pages(f, fl, vm, p0, 8);
	fz_check_pages(f, fl, vm, p1 - 8, 8);
	for (int i = 0; i < 8; i++)
		fz_check_pages(f, fl, vm, p0 + fz_below(f, p1 - p0), 2);
}

void fz_check_vm_all(struct igt_panthor_fuzz *f, struct fz_file *fl,
		     struct fz_vm *vm)
{
	if (!fz_check_unusable(f, fl, vm))
		fz_check_pages(f, fl, vm, 0, vm->npages);
}

/* Wait for every async bind queued on @vm (the model already has them). */
void fz_vm_settle(struct igt_panthor_fuzz *f, struct fz_file *fl,
		  struct fz_vm *vm)
{
	uint64_t point = vm->tl_point;
	int ret;

	if (vm->tl_done == vm->tl_point)
		return;
	f->st.checks++;
	ret = igt_panthor_syncobj_wait(fl->fd, vm->tl, point, 10 * FZ_SEC);
	if (ret)
		fz_fail(f, "async binds of VM %u not done within 10 s (point %"
			PRIu64 ": %d)", vm->id, point, ret);
	vm->tl_done = point;
}

/* ---- VMs ------------------------------------------------------------ */

static uint64_t rounddown_pow2(uint64_t x)
{
	return UINT64_C(1) << (63 - __builtin_clzll(x));
}

void fz_vm_model_init(struct igt_panthor_fuzz *f, struct fz_file *fl,
		      struct fz_vm *vm, uint32_t id, uint64_t user_end,
		      uint64_t base, uint64_t size, bool shared)
{
	memset(vm, 0, sizeof(*vm));
	vm->id = id;
	vm->shared = shared;
	vm->user_end = user_end;
	vm->base = base;
	vm->npages = size / SZ_4K;
	vm->gen = __atomic_add_fetch(&vm_gen_counter, 1, __ATOMIC_RELAXED);
	vm->page = calloc(vm->npages, sizeof(*vm->page));
	f->st.checks++;
	if (!vm->page || drmSyncobjCreate(fl->fd, 0, &vm->tl))
		fz_fail(f, "cannot set up the model of VM %u", id);
}

void fz_vm_model_fini(struct fz_file *fl, struct fz_vm *vm)
{
	if (vm->tl && fl->fd >= 0)
		drmSyncobjDestroy(fl->fd, vm->tl);
	free(vm->page);
	memset(vm, 0, sizeof(*vm));
}

static struct fz_vm *vm_slot(struct igt_panthor_fuzz *f, struct fz_file *fl)
{
	unsigned int own = 0;

	for (int i = 0; i < FZ_MAX_VMS; i++)
		own += fl->vm[i].id != 0;
	for (int i = 0; own < f->cfg.max_vms && i < FZ_MAX_VMS; i++)
		if (!fl->vm[i].id)
			return &fl->vm[i];
	return NULL;
}

int fz_destroy_id(struct igt_panthor_fuzz *f, struct fz_file *fl, int which,
		  uint32_t id, uint32_t pad)
{
	struct drm_panthor_vm_destroy d = { .id = id, .pad = pad };

	return fz_ioctl(f, fl->fd, which, DRM_IOCTL_PANTHOR_VM_DESTROY, &d);
}

void fz_vm_create(struct igt_panthor_fuzz *f, struct fz_file *fl)
{
	uint64_t full = f->full_va, kmin = 256 * SZ_1M, r = fz_below(f, 100);
	struct drm_panthor_vm_create a = { 0 };
	struct fz_vm *vm;
	uint64_t user, end;
	int want, ret;

	if (r < 55)
		a.user_va_range = 0;
	else if (r < 75)
		a.user_va_range = UINT64_C(1) << (27 + fz_below(f, 21));
	else if (r < 85)
		a.user_va_range = fz_below(f, full - kmin) & ~(SZ_4K - 1);
	else if (r < 95)
		a.user_va_range = full - kmin + SZ_4K * fz_below(f, 3);
	else
		a.user_va_range = fz_pm(f, 500) ? ~UINT64_C(0) : full + fz_below(f, full);
	if (fz_pm(f, 40))
		a.flags = 1u << fz_below(f, 32);
	want = a.flags || a.user_va_range > full - kmin ? EINVAL :
	       fl->exclusive && fl->nvms >= 32 ? EBUSY : 0;
	user = a.user_va_range ? a.user_va_range : full / 2;
	fz_trace(f, "VM_CREATE flags %#x range %#" PRIx64 ": expect %s", a.flags,
		 (uint64_t)a.user_va_range, fz_ename(want));
	ret = fz_ioctl(f, fl->fd, FZ_VM_CREATE, DRM_IOCTL_PANTHOR_VM_CREATE, &a);
	if (!fz_expect_err(f, "VM_CREATE", ret, want) || ret)
		return;
	fl->nvms++;
	end = full - rounddown_pow2(full - user);
	if (a.id < 1 || a.id > 32 || a.user_va_range != end) {
		fz_fail(f, "VM_CREATE gave id %u, kernel VA at %#" PRIx64
			", expected 1..32 and %#" PRIx64, a.id,
			(uint64_t)a.user_va_range, end);
		return;
	}
	for (int i = 0; i < FZ_MAX_VMS; i++)
		if (fl->vm[i].id == a.id)
			fz_fail(f, "VM_CREATE gave id %u, which is alive", a.id);
	vm = vm_slot(f, fl);
	if (!vm) {
		fz_expect_err(f, "VM_DESTROY", fz_destroy_id(f, fl, -1, a.id, 0), 0);
		fl->nvms--;
		return;
	}
	fz_vm_model_init(f, fl, vm, a.id, end, FZ_WIN_BASE, FZ_WIN_SIZE, false);
}

void fz_vm_destroy(struct igt_panthor_fuzz *f, struct fz_file *fl)
{
	struct fz_vm *vm = fz_pick_vm(f, fl);
	struct drm_panthor_vm_get_state s = { 0 };
	uint32_t id;
	int ret;

	if (!vm || vm->shared || !f->cfg.vm_lifecycle || fz_pm(f, 200)) {
		id = fz_bad_vm_id(f);
		fz_trace(f, "VM_DESTROY bad id %u", id);
		fz_expect_err(f, "VM_DESTROY of an unknown id",
			      fz_destroy_id(f, fl, FZ_VM_DESTROY, id, 0), EINVAL);
		return;
	}
	fz_vm_settle(f, fl, vm);
	if (fz_pm(f, 100)) {
		fz_trace(f, "VM_DESTROY %u with a pad", vm->id);
		fz_expect_err(f, "VM_DESTROY with a pad", fz_destroy_id(f, fl, FZ_VM_DESTROY,
			      vm->id, 1 + fz_below(f, 1000)), EINVAL);
		fz_check_range(f, fl, vm, vm->base, vm->npages * SZ_4K);
		return;
	}
	if (fz_pm(f, 300))
		fz_check_vm_all(f, fl, vm);
	id = vm->id;
	fz_trace(f, "VM_DESTROY %u", id);
	ret = fz_destroy_id(f, fl, FZ_VM_DESTROY, id, 0);
	if (!fz_expect_err(f, "VM_DESTROY", ret, 0))
		return;
	fz_vm_model_fini(fl, vm);
	fl->nvms--;
	s.vm_id = id;
	if (fl->exclusive)
		fz_expect_err(f, "VM_GET_STATE after VM_DESTROY",
			      fz_ioctl(f, fl->fd, -1, DRM_IOCTL_PANTHOR_VM_GET_STATE, &s),
			      EINVAL);
}

void fz_vm_get_state(struct igt_panthor_fuzz *f, struct fz_file *fl)
{
	struct fz_vm *vm = fz_pick_vm(f, fl);
	struct drm_panthor_vm_get_state s = { .state = (uint32_t)fz_rnd(f) };
	int ret;

	s.vm_id = vm && fz_pm(f, 850) ? vm->id : fz_bad_vm_id(f);
	ret = fz_ioctl(f, fl->fd, FZ_VM_GET_STATE, DRM_IOCTL_PANTHOR_VM_GET_STATE, &s);
	if (!vm || s.vm_id != vm->id) {
		fz_expect_err(f, "VM_GET_STATE of an unknown id", ret, EINVAL);
		return;
	}
	if (fz_expect_err(f, "VM_GET_STATE", ret, 0) &&
	    s.state != (vm->unusable ? DRM_PANTHOR_VM_STATE_UNUSABLE :
			DRM_PANTHOR_VM_STATE_USABLE))
		fz_fail(f, "VM %u: state %u, the model says %s", vm->id, s.state,
			vm->unusable ? "unusable" : "usable");
}

/* Fill VM slots of an exclusive file up to 32: the 33rd is -EBUSY. */
void fz_vm_limit(struct igt_panthor_fuzz *f, struct fz_file *fl)
{
	uint32_t extra[32];
	unsigned int n = 0;

	if (!fl->exclusive || !f->cfg.vm_lifecycle)
		return;
	while (fl->nvms < 32 && !f->failed) {
		struct drm_panthor_vm_create a = { 0 };

		if (!fz_expect_err(f, "VM_CREATE below the limit", fz_ioctl(f, fl->fd,
				   -1, DRM_IOCTL_PANTHOR_VM_CREATE, &a), 0))
			break;
		extra[n++] = a.id;
		fl->nvms++;
	}
	fz_vm_create(f, fl);
	while (n--) {
		fz_expect_err(f, "VM_DESTROY", fz_destroy_id(f, fl, -1, extra[n], 0), 0);
		fl->nvms--;
	}
}
