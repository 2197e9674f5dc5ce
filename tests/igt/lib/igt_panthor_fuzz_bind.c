// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * The fuzzer's VM_BIND: random ops (MAP, UNMAP, SYNC_ONLY, with every flag,
 * broken fields, sync arrays and op arrays of every stride), the
 * documented result of the call predicted from the model (errno and
 * ops.count), the call, and the model update and GPU checks after it.
 */

#include <string.h>

#include "igt.h"
#include "igt_panthor_fuzz_priv.h"

/* ---- VM_BIND: prediction -------------------------------------------- */

static struct fz_so *find_so(struct fz_file *fl, struct fz_vm *vm, uint32_t h,
			     struct fz_so *tmp)
{
	for (int i = 0; h && i < FZ_NSO; i++)
		if (fl->so[i].handle == h)
			return &fl->so[i];
	if (vm && h && h == vm->tl) {
		*tmp = (struct fz_so){ .handle = h, .timeline = true,
				       .fence = vm->tl_point > 0,
				       .max = vm->tl_point };
		return tmp;
	}
	return NULL;
}

static bool is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

/* pvm's documented op rules; returns 0 or EINVAL, and the BO to map. */
static int check_op(struct igt_panthor_fuzz *f, struct fz_file *fl,
		    struct fz_vm *vm, const struct drm_panthor_vm_bind_op *op,
		    struct fz_bo **bop)
{
	uint32_t type = FZ_TYPE(op->flags);
	uint32_t flags = op->flags & ~DRM_PANTHOR_VM_BIND_OP_TYPE_MASK;
	struct fz_bo *bo;
	uint64_t end;

	*bop = NULL;
	if (type == FZ_MAP) {
		if (flags & ~f->op_flags)
			return EINVAL;
	} else if (type == FZ_UNMAP) {
		if (flags || op->bo_handle || op->bo_offset || op->repeat_range)
			return EINVAL;
	} else if (type == FZ_SYNC_ONLY) {
		return flags || op->bo_handle || op->bo_offset || op->va ||
		       op->size || op->repeat_range || !op->syncs.count ?
		       EINVAL : 0;
	} else {
		return EINVAL;
	}
	if ((op->va | op->size | op->bo_offset) & (SZ_4K - 1))
		return EINVAL;
	if (op->va + op->size < op->va || op->va + op->size > vm->user_end)
		return EINVAL;
	if (type == FZ_UNMAP || !op->size)
		return 0;
	if (flags & FZ_SPARSE)
		return flags & FZ_REPEAT || !(flags & FZ_NOEXEC) ||
		       op->bo_handle || op->bo_offset || op->repeat_range ?
		       EINVAL : 0;
	if (flags & FZ_REPEAT) {
		if (!is_pow2(op->repeat_range) ||
		    !(f->rr_sizes & op->repeat_range) ||
		    op->va % op->repeat_range)
			return EINVAL;
	} else if (op->repeat_range) {
		return EINVAL;
	}
	bo = fz_find_bo(fl, op->bo_handle);
	if (!bo)
		return EINVAL;
	end = flags & FZ_REPEAT ? op->repeat_range : op->size;
	if (end > bo->size || op->bo_offset > bo->size - end ||
	    (bo->excl_gen && bo->excl_gen != vm->gen))
		return EINVAL;
	*bop = bo;
	return 0;
}

/* The syncs of an async op as the kernel copies and checks them. */
static int check_syncs(struct fz_file *fl, struct fz_vm *vm,
		       const struct fz_op *o)
{
	const struct drm_panthor_obj_array *a = &o->op.syncs;
	struct fz_so tmp;

	if (!a->count)
		return 0;
	if (a->stride < sizeof(struct drm_panthor_sync_op) || a->count > SZ_64K)
		return EINVAL;
	if (o->s_badptr)
		return EFAULT;
	if (o->s_tail)
		return E2BIG;
	for (uint32_t i = 0; i < o->nsyncs; i++) {
		const struct drm_panthor_sync_op *s = &o->sync[i];
		uint32_t type = s->flags & DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK;

		if (s->flags & ~(DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK | FZ_SIGNAL) ||
		    type > 1 || (type == 0 && s->timeline_value) ||
		    !find_so(fl, vm, s->handle, &tmp))
			return EINVAL;
	}
	return 0;
}

/* Does wait @w of op @j resolve: an earlier op's signal, or a fence? */
static bool wait_resolves(struct fz_file *fl, struct fz_vm *vm,
			  const struct fz_op *ops, uint32_t j,
			  const struct drm_panthor_sync_op *w)
{
	struct fz_so tmp, *so;

	for (uint32_t k = 0; k < j; k++)
		for (uint32_t i = 0; i < ops[k].nsyncs; i++)
			if (ops[k].sync[i].flags & FZ_SIGNAL &&
			    ops[k].sync[i].handle == w->handle &&
			    ops[k].sync[i].timeline_value == w->timeline_value)
				return true;
	so = find_so(fl, vm, w->handle, &tmp);
	if (!so->fence)
		return false;
	return !w->timeline_value || (so->timeline && so->max >= w->timeline_value);
}

/* ---- VM_BIND: generation -------------------------------------------- */

static uint64_t rand_pages(struct igt_panthor_fuzz *f, uint64_t max)
{
	uint64_t n;

	if (fz_pm(f, 600))
		n = 1 + fz_below(f, 16);
	else if (fz_pm(f, 750))
		n = 1 + fz_below(f, 256);
	else
		n = 1 + fz_below(f, 2048);
	return n < max ? n : max;
}

static void gen_sync(struct igt_panthor_fuzz *f, struct fz_file *fl,
		     struct fz_vm *vm, struct fz_op *ops, uint32_t j)
{
	struct fz_op *o = &ops[j];
	struct drm_panthor_sync_op *s = &o->sync[o->nsyncs++];
	struct fz_so *so = &fl->so[fz_below(f, FZ_NSO)];

	memset(s, 0, sizeof(*s));
	if (fz_pm(f, 150)) {
		/* Wait on the VM's own timeline, maybe on a future point. */
		s->flags = DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ;
		s->handle = vm->tl;
		s->timeline_value = fz_below(f, vm->tl_point + 2);
	} else if (fz_pm(f, 500)) {
		s->flags = FZ_SIGNAL;
		s->handle = so->handle;
		if (so->timeline) {
			s->flags |= DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ;
			so->pend += 1 + fz_below(f, 2);
			s->timeline_value = so->pend;
		}
	} else if (j && ops[j - 1].nsyncs && fz_pm(f, 300)) {
		/* Wait on what an earlier op of this call signals (or waits). */
		*s = ops[j - 1].sync[fz_below(f, ops[j - 1].nsyncs)];
		s->flags &= ~FZ_SIGNAL;
	} else {
		s->handle = so->handle;
		if (so->timeline) {
			s->flags = DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ;
			s->timeline_value = fz_below(f, so->pend + 3);
		}
	}
	if (!fz_bad(f, 40))
		return;
	switch (fz_below(f, 4)) {
	case 0:
		s->flags |= 1u << (8 + fz_below(f, 23));
		break;
	case 1:
		s->flags = (s->flags & FZ_SIGNAL) | (2 + fz_below(f, 254));
		break;
	case 2:
		s->flags &= FZ_SIGNAL;
		s->timeline_value = 1 + fz_below(f, 5);
		break;
	default:
		s->handle = fz_bad_handle(f);
	}
}

/* Lay the syncs of @o out in its buffer, maybe with a broken array. */
static void layout_syncs(struct igt_panthor_fuzz *f, struct fz_op *o)
{
	struct drm_panthor_obj_array *a = &o->op.syncs;

	o->sstride = sizeof(struct drm_panthor_sync_op);
	o->s_tail = o->s_badptr = false;
	if (o->nsyncs && fz_bad(f, 30))
		o->sstride = fz_pm(f, 500) ? (uint32_t)fz_below(f, 16) : 24 + 8 * fz_below(f, 2);
	memset(o->sbuf, 0, sizeof(o->sbuf));
	for (uint32_t i = 0; i < o->nsyncs; i++)
		memcpy(o->sbuf + i * o->sstride, &o->sync[i],
		       o->sstride < sizeof(o->sync[i]) ? o->sstride : sizeof(o->sync[i]));
	if (o->sstride > 16 && o->nsyncs && fz_pm(f, 400)) {
		o->sbuf[(o->nsyncs - 1) * o->sstride + 16 + fz_below(f, o->sstride - 16)] = 1;
		o->s_tail = true;
	}
	a->stride = o->sstride;
	a->count = o->nsyncs;
	a->array = o->nsyncs ? (uintptr_t)o->sbuf : 0;
	if (o->nsyncs && fz_bad(f, 10)) {
		a->array = FZ_BAD_PTR;
		o->s_badptr = true;
	} else if (fz_bad(f, 5)) {
		a->count = SZ_64K + 1 + fz_below(f, 1000);
	}
}

static void gen_map(struct igt_panthor_fuzz *f, struct fz_file *fl,
		    struct fz_vm *vm, struct drm_panthor_vm_bind_op *op)
{
	struct fz_bo *bo = fz_pick_bo(f, fl);
	uint64_t r = fz_below(f, 100), bp, n, rr;

	op->flags = FZ_MAP | (fz_below(f, 8) & (FZ_RO | FZ_NOEXEC | FZ_UNCACHED));
	if (r < 12 || !bo) {
		op->flags |= FZ_SPARSE | FZ_NOEXEC;
		n = rand_pages(f, vm->npages);
		op->va = vm->base + fz_below(f, vm->npages - n + 1) * SZ_4K;
		op->size = n * SZ_4K;
		return;
	}
	op->bo_handle = bo->handle;
	bp = bo->size / SZ_4K;
	if (r < 30 && (f->op_flags & FZ_REPEAT)) {
		do {
			rr = SZ_4K << fz_below(f, 10);
		} while (rr > bo->size || !(f->rr_sizes & rr));
		op->flags |= FZ_REPEAT;
		op->repeat_range = rr;
		op->bo_offset = fz_below(f, (bo->size - rr) / SZ_4K + 1) * SZ_4K;
		n = rand_pages(f, vm->npages - rr / SZ_4K);
		if (fz_pm(f, 300))
			n = rr / SZ_4K * (1 + fz_below(f, 4)) + fz_below(f, 2);
		if (n * SZ_4K > FZ_WIN_SIZE - rr)
			n = (FZ_WIN_SIZE - rr) / SZ_4K;
		op->size = n * SZ_4K;
		op->va = vm->base + fz_below(f, (vm->npages * SZ_4K - op->size) / rr + 1) * rr;
		return;
	}
	if (r < 40 && bo->size >= SZ_2M) {
		/* 2 MiB aligned on both sides: a block with the system MMU. */
		n = (1 + fz_below(f, bo->size / SZ_2M)) * (SZ_2M / SZ_4K);
		op->bo_offset = fz_below(f, (bp - n) / 512 + 1) * SZ_2M;
		op->va = vm->base + fz_below(f, (vm->npages - n) / 512 + 1) * SZ_2M;
		op->size = n * SZ_4K;
		return;
	}
	n = rand_pages(f, bp);
	op->bo_offset = fz_below(f, bp - n + 1) * SZ_4K;
	op->va = vm->base + fz_below(f, vm->npages - n + 1) * SZ_4K;
	op->size = n * SZ_4K;
}

/* Break one field of a generated op. */
static void mutate_op(struct igt_panthor_fuzz *f, struct fz_vm *vm,
		      struct drm_panthor_vm_bind_op *op)
{
	switch (fz_below(f, 14)) {
	case 0: op->va += 0x800; break;
	case 1: op->size += SZ_4K >> (1 + fz_below(f, 11)); break;
	case 2: op->bo_offset += 0x800; break;
	case 3: op->va = vm->user_end - SZ_4K * fz_below(f, 3); break;
	case 4: op->va = ~UINT64_C(0xffff); op->size = 2 * SZ_64K; break;
	case 5: op->size += SZ_4K * (1 + fz_below(f, 512)); break;
	case 6: op->bo_offset += SZ_4K * (1 + fz_below(f, 1024)); break;
	case 7: op->bo_handle = op->bo_handle ? fz_bad_handle(f) : 1 + fz_below(f, 8); break;
	case 8: op->flags |= 1u << (5 + fz_below(f, 23)); break;
	case 9: op->flags = (op->flags & ~DRM_PANTHOR_VM_BIND_OP_TYPE_MASK) |
			    (uint32_t)(3 + fz_below(f, 13)) << 28; break;
	case 10: op->repeat_range = fz_below(f, 2) ? SZ_4M : fz_below(f, SZ_2M) & ~3ull; break;
	case 11: op->flags ^= FZ_NOEXEC; break;
	case 12: op->flags ^= 1u << fz_below(f, 5); break;
	default: op->va = f->full_va + SZ_4K * fz_below(f, 16); break;
	}
}

static void gen_op(struct igt_panthor_fuzz *f, struct fz_file *fl,
		   struct fz_vm *vm, bool async, struct fz_op *ops, uint32_t j)
{
	struct fz_op *o = &ops[j];
	struct drm_panthor_vm_bind_op *op = &o->op;
	uint64_t r = fz_below(f, 100), n;

	memset(o, 0, offsetof(struct fz_op, sbuf));
	if (r < 55) {
		gen_map(f, fl, vm, op);
	} else if (r < 88) {
		op->flags = FZ_UNMAP;
		n = fz_pm(f, 50) ? vm->npages : rand_pages(f, vm->npages);
		op->va = vm->base + fz_below(f, vm->npages - n + 1) * SZ_4K;
		op->size = n * SZ_4K;
	} else if (r < 96) {
		op->flags = FZ_SYNC_ONLY;
	} else {
		gen_map(f, fl, vm, op);
		op->size = 0;
		if (fz_pm(f, 500))
			op->bo_handle = fz_bad_handle(f);
	}
	if (fz_bad(f, 90))
		mutate_op(f, vm, op);
	if (async) {
		n = FZ_TYPE(op->flags) == FZ_SYNC_ONLY && fz_pm(f, 900) ? 1 : 0;
		n += fz_below(f, 3);
		while (o->nsyncs < n)
			gen_sync(f, fl, vm, ops, j);
	} else if (fz_bad(f, 15)) {
		gen_sync(f, fl, vm, ops, j);
	}
}

/* A valid op must stay in the window; an async MAP beyond the VA space
 * is accepted and poisons the VM: keep it out of the random calls. */
static void guard_op(struct igt_panthor_fuzz *f, struct fz_file *fl,
		     struct fz_vm *vm, bool async, struct fz_op *o)
{
	struct drm_panthor_vm_bind_op *op = &o->op;
	struct fz_bo *bo;

	if (async && op->va >= f->full_va && FZ_TYPE(op->flags) == FZ_MAP)
		op->va = vm->user_end;
	if (!op->size || FZ_TYPE(op->flags) == FZ_SYNC_ONLY ||
	    check_op(f, fl, vm, op, &bo) || fz_in_win(vm, op->va, op->size))
		return;
	if (op->va < vm->base || op->va >= fz_win_end(vm))
		op->va = vm->base;
	if (op->size > fz_win_end(vm) - op->va)
		op->size = fz_win_end(vm) - op->va;
}

/* ---- VM_BIND: the call ---------------------------------------------- */

static void so_begin(struct fz_file *fl)
{
	for (int i = 0; i < FZ_NSO; i++) {
		fl->so[i].pend = fl->so[i].max;
		fl->so[i].pend_fence = fl->so[i].fence;
	}
}

static void so_commit(struct fz_file *fl, struct fz_vm *vm,
		      const struct fz_op *ops, uint32_t n)
{
	struct fz_so tmp, *so;

	for (uint32_t j = 0; j < n; j++) {
		for (uint32_t i = 0; i < ops[j].nsyncs; i++) {
			const struct drm_panthor_sync_op *s = &ops[j].sync[i];

			if (!(s->flags & FZ_SIGNAL))
				continue;
			so = find_so(fl, vm, s->handle, &tmp);
			if (so == &tmp) {
				vm->tl_point = s->timeline_value;
				continue;
			}
			so->fence = true;
			if (so->timeline && s->timeline_value > so->max)
				so->max = s->timeline_value;
		}
	}
}

void fz_bind(struct igt_panthor_fuzz *f, struct fz_file *fl,
	     struct fz_vm *vm)
{
	static __thread struct fz_op ops[FZ_MAX_OPS + 1];
	static __thread uint8_t array[(FZ_MAX_OPS + 1) * 128];
	bool async = fz_pm(f, 400), tail = false, badptr = false;
	uint32_t n, stride = FZ_OP_SIZE, flags = async ? DRM_PANTHOR_VM_BIND_ASYNC : 0;
	uint32_t want_count, applied = 0;
	struct fz_bo *bos[FZ_MAX_OPS + 1] = { 0 };
	int want = 0, ret;

	if (!async || fz_pm(f, 600))
		fz_vm_settle(f, fl, vm);
	so_begin(fl);
	f->clean = fz_pm(f, 500);
	if (fz_pm(f, 250))
		stride = FZ_OP_V1;
	else if (fz_bad(f, 60))
		stride = fz_pm(f, 500) ? (uint32_t)fz_below(f, FZ_OP_V1) : 64 + 8 * fz_below(f, 9);
	n = fz_pm(f, 30) ? 0 : fz_pm(f, 450) ? 1 : fz_pm(f, 800) ? 2 + fz_below(f, 7) :
	    9 + fz_below(f, FZ_MAX_OPS - 9);
	for (uint32_t j = 0; j < n; j++) {
		gen_op(f, fl, vm, async, ops, j);
		/* With stride 48 the kernel reads no repeat_range. */
		if (stride < FZ_OP_SIZE)
			ops[j].op.repeat_range = 0;
		guard_op(f, fl, vm, async, &ops[j]);
	}
	if (async && n && vm->tl) {
		/* Completion: the call's last op signals the VM's timeline. */
		struct fz_op *o = &ops[n - 1];

		if (o->nsyncs == FZ_MAX_SYNCS) {
			o = &ops[n++];
			memset(o, 0, offsetof(struct fz_op, sbuf));
			o->op.flags = FZ_SYNC_ONLY;
		}
		o->sync[o->nsyncs++] = igt_panthor_sync_op(true, vm->tl,
							   vm->tl_point + 1);
	}
	for (uint32_t j = 0; j < n; j++)
		layout_syncs(f, &ops[j]);
	memset(array, 0, n * stride);
	for (uint32_t j = 0; j < n; j++)
		memcpy(array + j * stride, &ops[j].op, stride < FZ_OP_SIZE ? stride : FZ_OP_SIZE);
	if (stride > FZ_OP_SIZE && n && fz_bad(f, 300)) {
		array[fz_below(f, n) * stride + FZ_OP_SIZE +
		      fz_below(f, stride - FZ_OP_SIZE)] = 0x5a;
		tail = true;
	}
	struct drm_panthor_vm_bind b = {
		.vm_id = vm->id, .flags = flags,
		.ops = { .stride = stride, .count = n, .array = (uintptr_t)array },
	};
	if (fz_bad(f, 8)) {
		b.ops.array = FZ_BAD_PTR;
		badptr = true;
	} else if (fz_bad(f, 5)) {
		b.ops.count = SZ_64K + 1 + fz_below(f, UINT32_MAX - SZ_64K - 1);
	}
	if (fz_bad(f, 10))
		b.flags |= 1u << (1 + fz_below(f, 31));
	if (fz_bad(f, 10))
		b.vm_id = fz_bad_vm_id(f);

	/* The documented result. */
	want_count = b.ops.count;
	if (b.flags & ~DRM_PANTHOR_VM_BIND_ASYNC || b.vm_id != vm->id) {
		want = EINVAL;
	} else if (!b.ops.count) {
		want = 0;
	} else if (stride < FZ_OP_V1 || b.ops.count > SZ_64K || badptr || tail) {
		want = stride < FZ_OP_V1 || b.ops.count > SZ_64K ? EINVAL :
		       badptr ? EFAULT : E2BIG;
		want_count = 0;
	} else if (!async) {
		for (uint32_t j = 0; j < n && !want; j++) {
			const struct drm_panthor_vm_bind_op *op = &ops[j].op;

			if (op->syncs.count)
				want = EINVAL;
			else if (FZ_TYPE(op->flags) == FZ_SYNC_ONLY)
				want = op->flags & ~DRM_PANTHOR_VM_BIND_OP_TYPE_MASK ||
				       op->bo_handle || op->bo_offset || op->va ||
				       op->size || op->repeat_range ? EINVAL : 0;
			else
				want = check_op(f, fl, vm, op, &bos[j]);
			want_count = j;
		}
		for (uint32_t j = 0; j < n && !want; j++) {
			if (ops[j].op.size && FZ_TYPE(ops[j].op.flags) == FZ_MAP &&
			    vm->unusable) {
				want = EINVAL;
				want_count = j;
			}
			applied = want ? applied : j + 1;
		}
		if (!want)
			want_count = n;
	} else {
		for (uint32_t j = 0; j < n && !want; j++) {
			const struct drm_panthor_vm_bind_op *op = &ops[j].op;

			want = check_op(f, fl, vm, op, &bos[j]);
			if (!want && FZ_TYPE(op->flags) == FZ_MAP && vm->unusable)
				want = EINVAL;
			if (!want)
				want = check_syncs(fl, vm, &ops[j]);
			want_count = j;
		}
		for (uint32_t j = 0; j < n && !want; j++) {
			for (uint32_t i = 0; i < ops[j].nsyncs && !want; i++)
				if (!(ops[j].sync[i].flags & FZ_SIGNAL) &&
				    !wait_resolves(fl, vm, ops, j, &ops[j].sync[i]))
					want = EINVAL;
			want_count = j;
		}
		if (!want) {
			want_count = n;
			applied = n;
		}
	}

	fz_trace(f, "VM_BIND vm %u%s flags %#x count %u stride %u: expect %s count %u",
		 b.vm_id, async ? " async" : "", b.flags, b.ops.count, stride,
		 fz_ename(want), want_count);
	for (uint32_t j = 0; f->cfg.trace && j < n && j < 8; j++)
		fz_trace(f, "  op %u: flags %#x bo %u off %#" PRIx64 " va %#" PRIx64
			 " size %#" PRIx64 " rr %#" PRIx64 " syncs %u", j,
			 ops[j].op.flags, ops[j].op.bo_handle,
			 (uint64_t)ops[j].op.bo_offset, (uint64_t)ops[j].op.va,
			 (uint64_t)ops[j].op.size, (uint64_t)ops[j].op.repeat_range,
			 ops[j].op.syncs.count);
	ret = fz_ioctl(f, fl->fd, FZ_VM_BIND, DRM_IOCTL_PANTHOR_VM_BIND, &b);
	if (!fz_expect_err(f, "VM_BIND", ret, want))
		return;
	/* ops.count is only defined once the VM and flags were accepted. */
	if (b.vm_id == vm->id && !(b.flags & ~DRM_PANTHOR_VM_BIND_ASYNC) &&
	    b.ops.count != want_count) {
		fz_fail(f, "VM_BIND (%s) wrote back ops.count %u, expected %u",
			fz_ename(ret), b.ops.count, want_count);
		return;
	}
	for (uint32_t j = 0; j < applied; j++)
		fz_model_apply(vm, &ops[j].op, bos[j]);
	if (async && !ret && n) {
		so_commit(fl, vm, ops, n);
		f->st.async_ops += n;
	}
	if (async && fz_pm(f, 700))
		return;
	f->clean = false;
	fz_vm_settle(f, fl, vm);
	for (uint32_t j = 0; j < n && j < 8 && !f->failed; j++)
		fz_check_range(f, fl, vm, ops[j].op.va, ops[j].op.size);
	if (!f->failed && !vm->unusable)
		fz_check_pages(f, fl, vm, fz_below(f, vm->npages), 4);
}
