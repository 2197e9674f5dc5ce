// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * The fuzzer's use of the software GPU: SIM_GPU_ACCESS reads and writes,
 * faults provoked on purpose (which make the VM unusable), SIM_AGENT
 * passes, and async binds that poison a VM when they run.
 */

#include <unistd.h>

#include "igt.h"
#include "igt_panthor_blocker.h"
#include "igt_panthor_fuzz_priv.h"

/* ---- the software GPU: accesses, faults, agents ---------------------- */

/* A random run of up to @max pages of kinds in @mask; false if none. */
static bool find_run(struct igt_panthor_fuzz *f, struct fz_vm *vm,
		     unsigned int mask, bool rw, uint64_t max, uint64_t *p,
		     uint64_t *n)
{
	for (int tries = 0; tries < 32; tries++) {
		uint64_t s = fz_below(f, vm->npages), k = 0;

		while (s + k < vm->npages && k < max &&
		       mask & (1u << vm->page[s + k].kind) &&
		       !(rw && vm->page[s + k].ro))
			k++;
		if (k) {
			*p = s;
			*n = k;
			return true;
		}
	}
	return false;
}

static void fault_probe(struct igt_panthor_fuzz *f, struct fz_file *fl,
			struct fz_vm *vm)
{
	struct drm_panthor_sim_gpu_access a = {
		.vm_id = vm->id, .size = 4, .data = (uintptr_t)f->buf,
	};
	uint32_t code = IGT_PANTHOR_FAULT_TRANSLATION, acc = IGT_PANTHOR_ACCESS_READ;
	uint64_t p, n;
	int ret;

	if (fz_pm(f, 300) && find_run(f, vm, 1u << PG_BO | 1u << PG_ZERO | 1u << PG_SPARSE,
				      false, 1, &p, &n) && vm->page[p].ro) {
		a.flags = DRM_PANTHOR_SIM_GPU_ACCESS_WRITE;
		code = IGT_PANTHOR_FAULT_PERMISSION;
		acc = IGT_PANTHOR_ACCESS_WRITE;
		f->buf[0] = fz_page_word(&vm->page[p], 0);
	} else if (!find_run(f, vm, 1u << PG_HOLE, false, 1, &p, &n)) {
		return;
	}
	a.va = vm->base + p * SZ_4K + fz_below(f, SZ_4K / 4) * 4;
	fz_trace(f, "fault probe VM %u %s at %#" PRIx64, vm->id,
		 a.flags ? "write" : "read", (uint64_t)a.va);
	ret = fz_gpu_access(f, fl->fd, FZ_SIM_GPU_ACCESS, &a);
	if (!fz_expect_err(f, "faulting GPU access", ret, 0))
		return;
	if (!a.fault_status) {
		fz_fail(f, "GPU %s of VM %u at %#" PRIx64 " did not fault; the "
			"model says %s", a.flags ? "write" : "read", vm->id,
			(uint64_t)a.va, a.flags ? "read-only" : "hole");
		return;
	}
	igt_panthor_expect_faults(1, 0);
	f->st.faults++;
	vm->unusable = true;
	if ((a.fault_status & 0xf8) != code || ((a.fault_status >> 8) & 3) != acc ||
	    a.fault_address != a.va)
		fz_fail(f, "GPU fault in VM %u at %#" PRIx64 ": status %#x at %#"
			PRIx64 ", expected code %#x access %u", vm->id,
			(uint64_t)a.va, a.fault_status, (uint64_t)a.fault_address,
			code, acc);
	fz_check_unusable(f, fl, vm);
}

void fz_sim_access(struct igt_panthor_fuzz *f, struct fz_file *fl)
{
	struct fz_vm *vm = fz_pick_vm(f, fl);
	struct drm_panthor_sim_gpu_access a = { .size = 4, .data = (uintptr_t)f->buf };
	uint64_t r = fz_below(f, 100), p, n;
	int want = 0, ret;

	if (!vm)
		return;
	fz_vm_settle(f, fl, vm);
	a.vm_id = vm->id;
	if (r < 50 && !vm->unusable) {
		/* A valid read or write of mapped pages. */
		bool w = fz_pm(f, 300);

		if (!find_run(f, vm, w ? 1u << PG_BO | 1u << PG_ZERO :
			      1u << PG_BO | 1u << PG_ZERO | 1u << PG_SPARSE,
			      w, 64, &p, &n))
			return;
		if (!w) {
			fz_read_run(f, fl, vm, p, n, FZ_SIM_GPU_ACCESS);
			return;
		}
		for (uint64_t i = 0; i < n; i++)
			for (unsigned int k = 0; k < SZ_4K / 4; k++)
				f->buf[i * SZ_4K / 4 + k] = fz_page_word(&vm->page[p + i], k * 4);
		a.flags = DRM_PANTHOR_SIM_GPU_ACCESS_WRITE;
		a.va = vm->base + p * SZ_4K;
		a.size = n * SZ_4K;
		ret = fz_gpu_access(f, fl->fd, FZ_SIM_GPU_ACCESS, &a);
		if (fz_expect_err(f, "GPU write", ret, 0) && a.fault_status)
			fz_fail(f, "GPU write of VM %u at %#" PRIx64 " faulted (%#x)",
				vm->id, (uint64_t)a.va, a.fault_status);
		fz_check_pages(f, fl, vm, p, n);
		return;
	}
	if (r >= 96 && f->cfg.faults && !vm->shared && !vm->unusable) {
		fault_probe(f, fl, vm);
		return;
	}
	switch (fz_below(f, 7)) {
	case 0: a.flags = 2u << fz_below(f, 30); want = EINVAL; break;
	case 1: a.pad = 1 + (uint32_t)fz_below(f, 100); want = EINVAL; break;
	case 2: a.pad2 = 1 + (uint32_t)fz_below(f, 100); want = EINVAL; break;
	case 3: a.size = fz_pm(f, 500) ? 0 : SZ_1M + 1 + fz_below(f, SZ_1M); want = EINVAL; break;
	case 4: a.vm_id = fz_bad_vm_id(f); want = ENOENT; break;
	case 5: a.flags = DRM_PANTHOR_SIM_GPU_ACCESS_WRITE; a.data = FZ_BAD_PTR;
		want = EFAULT; break;
	default:
		/* Valid arguments on an unusable VM, else a bad write pointer. */
		a.flags = DRM_PANTHOR_SIM_GPU_ACCESS_WRITE;
		if (!vm->unusable)
			a.data = FZ_BAD_PTR;
		want = vm->unusable ? EINVAL : EFAULT;
		if (vm->unusable)
			a.data = (uintptr_t)f->buf;
	}
	ret = fz_gpu_access(f, fl->fd, FZ_SIM_GPU_ACCESS, &a);
	if (fz_expect_err(f, "SIM_GPU_ACCESS", ret, want) && a.fault_status)
		fz_fail(f, "refused SIM_GPU_ACCESS reports a fault");
}

static int agent(struct igt_panthor_fuzz *f, struct fz_file *fl, int which,
		 struct drm_panthor_sim_agent *a)
{
	return fz_ioctl(f, fl->fd, which, DRM_IOCTL_PANTHOR_SIM_AGENT, a);
}

void fz_sim_agent(struct igt_panthor_fuzz *f, struct fz_file *fl)
{
	struct fz_vm *vm = fz_pick_vm(f, fl);
	struct drm_panthor_sim_agent a = { 0 };
	uint64_t p, n;
	int want;

	if (!vm)
		return;
	a.vm_id = vm->id;
	a.op = DRM_PANTHOR_SIM_AGENT_START;
	a.va = vm->base;
	a.size = SZ_4K;
	a.expect = (uintptr_t)f->buf;
	switch (fz_below(f, vm->shared ? 4 : 10)) {
	case 0: a.op = fz_pm(f, 500) ? 0 : 4 + (uint32_t)fz_below(f, 1000); want = EINVAL; break;
	case 1: a.pad = 1 + (uint32_t)fz_below(f, 100); want = EINVAL; break;
	case 2: a.vm_id = fz_bad_vm_id(f); want = ENOENT; break;
	case 3: a.op = fz_pm(f, 500) ? DRM_PANTHOR_SIM_AGENT_STOP : DRM_PANTHOR_SIM_AGENT_STRICT;
		a.vm_id = fz_bad_vm_id(f); want = ENOENT; break;
	case 4: a.op = fz_pm(f, 500) ? DRM_PANTHOR_SIM_AGENT_STOP : DRM_PANTHOR_SIM_AGENT_STRICT;
		want = ENOENT; break;
	case 5: case 6:
		switch (fz_below(f, 3)) {
		case 0: a.size = 0; break;
		case 1: a.size = DRM_PANTHOR_SIM_AGENT_MAX_SIZE + 4 * (1 + fz_below(f, 100)); break;
		default: a.va += 1 + fz_below(f, 3); break;
		}
		want = EINVAL;
		break;
	default:
		if (!f->cfg.agent || vm->unusable ||
		    !find_run(f, vm, 1u << PG_BO | 1u << PG_ZERO, false, 16, &p, &n))
			return;
		/* A pass over a stable range: old == new == the model. */
		fz_vm_settle(f, fl, vm);
		for (uint64_t i = 0; i < n; i++)
			for (unsigned int k = 0; k < SZ_4K / 4; k++)
				f->buf[i * SZ_4K / 4 + k] = fz_page_word(&vm->page[p + i], k * 4);
		a.va = vm->base + p * SZ_4K;
		a.size = n * SZ_4K;
		if (!fz_expect_err(f, "SIM_AGENT START", agent(f, fl, FZ_SIM_AGENT, &a), 0))
			return;
		a.op = DRM_PANTHOR_SIM_AGENT_STRICT;
		fz_expect_err(f, "SIM_AGENT STRICT", agent(f, fl, -1, &a), 0);
		a.op = DRM_PANTHOR_SIM_AGENT_STOP;
		if (fz_expect_err(f, "SIM_AGENT STOP", agent(f, fl, -1, &a), 0) &&
		    (!a.reads || a.mismatches || a.fault_status))
			fz_fail(f, "agent over VM %u %#" PRIx64 "+%#" PRIx64 ": reads %"
				PRIu64 " mismatches %" PRIu64 " fault %#x", vm->id,
				(uint64_t)a.va, (uint64_t)a.size, (uint64_t)a.reads,
				(uint64_t)a.mismatches, a.fault_status);
		return;
	}
	fz_expect_err(f, "SIM_AGENT", agent(f, fl, FZ_SIM_AGENT, &a), want);
}

/* An async MAP beyond the GPU VA space: accepted, fails when it runs. */
void fz_poison(struct igt_panthor_fuzz *f, struct fz_file *fl)
{
	struct fz_vm *vm = fz_pick_vm(f, fl);
	struct fz_bo *bo = fz_pick_bo(f, fl);
	struct drm_panthor_sync_op s;
	struct drm_panthor_vm_bind_op op = { 0 };
	uint32_t so = 0, n = 1;
	int ret, sf = -1;

	if (!vm || !bo || vm->shared || vm->unusable || !f->cfg.poison ||
	    (bo->excl_gen && bo->excl_gen != vm->gen))
		return;
	fz_vm_settle(f, fl, vm);
	f->st.checks++;
	if (drmSyncobjCreate(fl->fd, 0, &so)) {
		fz_fail(f, "syncobj create failed");
		return;
	}
	s = igt_panthor_sync_op(true, so, 0);
	op.flags = FZ_MAP;
	op.bo_handle = bo->handle;
	op.va = f->full_va + SZ_4K * fz_below(f, 1024);
	op.size = SZ_4K * (1 + fz_below(f, bo->size / SZ_4K));
	igt_panthor_op_syncs(&op, &s, 1);
	fz_trace(f, "poison VM %u at %#" PRIx64, vm->id, (uint64_t)op.va);
	ret = __igt_panthor_vm_bind_ops(fl->fd, vm->id, DRM_PANTHOR_VM_BIND_ASYNC,
					&op, &n, sizeof(op));
	f->st.calls++;
	f->st.ioctl[FZ_VM_BIND]++;
	f->st.ioctl_ok[FZ_VM_BIND] += !ret;
	f->st.err[-ret < FZ_NR_ERRNO ? -ret : FZ_NR_ERRNO - 1]++;
	if (fz_expect_err(f, "async MAP beyond the VA space", -ret, 0)) {
		f->st.checks += 2;
		if (igt_panthor_syncobj_wait(fl->fd, so, 0, 10 * FZ_SEC) ||
		    drmSyncobjExportSyncFile(fl->fd, so, &sf) ||
		    igt_panthor_sync_file_status(sf, 0) >= 0)
			fz_fail(f, "the failing bind's fence did not carry an error");
		if (sf >= 0)
			close(sf);
		vm->unusable = true;
		fz_check_unusable(f, fl, vm);
	}
	drmSyncobjDestroy(fl->fd, so);
}
