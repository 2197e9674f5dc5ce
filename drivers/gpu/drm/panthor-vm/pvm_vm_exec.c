// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/bits.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include <drm/drm_gpuvm.h>
#include <drm/drm_print.h>
#include <drm/panthor_drm.h>

#include "pvm_device.h"
#include "pvm_gem.h"
#include "pvm_mmu.h"
#include "pvm_pt.h"
#include "pvm_vm.h"
#include "pvm_vm_priv.h"

/**
 * DOC: Partial blocks
 *
 * The page table never splits a 2 MiB block. When an op's range cuts into
 * a block, the range is widened to the whole block, the block is unmapped
 * and the surviving borders are mapped back with 4 KiB pages from the same
 * backing, all inside the one op window: the GPU stalls on the lock
 * instead of faulting.
 *
 * The lock region covers those blocks from the start. Before it opens the
 * window, pvm_vm_exec_op() widens the op's range to the leaves its first
 * and its last byte fall in (pvm_vm_block_span()), so an op issues exactly
 * one LOCK. Only the op's two ends can cut a block: inside the op
 * everything is unmapped, once, over the whole widened range
 * (pvm_vm_clear_range()), before drm_gpuvm's steps update the VA tree. A
 * clear outside the lock region fails with -EINVAL and the VM becomes
 * unusable: the up-front computation would be wrong.
 */

/**
 * DOC: Repeat mappings
 *
 * Repeat mappings (MAP_REPEAT and MAP_SPARSE) map a power-of-two BO range
 * of R bytes cyclically with the phase fixed by the VA: address a reads BO
 * byte (repeat_offset + a mod R). The op's VA is a multiple of R, so the
 * op's first byte reads repeat_offset, and any piece of a split mapping
 * keeps exactly the bytes it had: splitting needs no offset arithmetic.
 * MAP_SPARSE is a repeat of a per-file zeroed dummy page (R = 4 KiB).
 */

static u32 pvm_pt_flags(u32 op_flags)
{
	u32 f = 0;

	if (op_flags & DRM_PANTHOR_VM_BIND_OP_MAP_READONLY)
		f |= PVM_PT_MAP_READONLY;
	if (op_flags & DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC)
		f |= PVM_PT_MAP_NOEXEC;
	if (op_flags & DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED)
		f |= PVM_PT_MAP_UNCACHED;
	return f;
}

/* Leaf size (log2) at @va, or 0 when nothing is mapped there. */
static u32 pvm_vm_leaf_log2(const struct pvm_pt *pt, u64 va)
{
	struct pvm_pt_mapping m;

	if (pvm_pt_lookup(pt, va, &m))
		return 0;
	return m.leaf_size_log2;
}

/**
 * pvm_vm_block_span() - widen a range to the blocks its ends fall in
 * @pt: page table; the caller keeps it from changing (the op lock)
 * @start: first byte
 * @end: byte after the last, above @start
 * @ws: returns @start, rounded down to the leaf mapped at @start when
 *	that leaf is larger than 4 KiB
 * @we: returns @end, rounded up to the leaf mapped at @end - 1 when that
 *	leaf is larger than 4 KiB
 *
 * [@ws, @we) is what unmapping [@start, @end) rewrites, since the page
 * table never splits a block.
 */
void pvm_vm_block_span(const struct pvm_pt *pt, u64 start, u64 end,
		       u64 *ws, u64 *we)
{
	u32 lg;

	*ws = start;
	*we = end;
	if (end <= start)
		return;

	lg = pvm_vm_leaf_log2(pt, start);
	if (lg > PVM_GPU_PAGE_SHIFT)
		*ws = ALIGN_DOWN(start, BIT_ULL(lg));
	lg = pvm_vm_leaf_log2(pt, end - 1);
	if (lg > PVM_GPU_PAGE_SHIFT)
		*we = ALIGN(end, BIT_ULL(lg));
}

/* Map [va, va + size) to BO bytes from @offset, or to a repeat pattern. */
static int pvm_vm_map_backing(struct pvm_vm *vm, struct pvm_op_ctx *ctx,
			      u64 va, u64 size, struct pvm_gem_object *bo,
			      u64 offset, u64 repeat_range, u64 repeat_offset,
			      u32 flags)
{
	const struct pvm_pt_range *r = bo->ranges, *end = r + bo->nranges;
	struct pvm_pt_range one;
	u32 ptf = pvm_pt_flags(flags);
	u32 n;
	int ret;

	if (repeat_range) {
		n = repeat_range >> PVM_GPU_PAGE_SHIFT;
		ret = pvm_gem_dma_pages(bo, repeat_offset, n, vm->pattern);
		if (ret)
			return ret;
		return pvm_pt_repeat(&vm->pt, &ctx->resv, &ctx->fl, va, size,
				     vm->pattern, n, ptf);
	}

	while (r < end && offset >= r->size) {
		offset -= r->size;
		r++;
	}
	/* The head of the first run, then whole runs, then a tail. */
	while (size) {
		if (r >= end)
			return -EINVAL;
		if (offset || r->size > size) {
			one.dma = r->dma + offset;
			one.size = min(r->size - offset, size);
			ret = pvm_pt_map(&vm->pt, &ctx->resv, &ctx->fl, va,
					 &one, 1, ptf);
			if (ret)
				return ret;
			va += one.size;
			size -= one.size;
			offset = 0;
			r++;
			continue;
		}
		for (n = 0; r + n < end && r[n].size <= size; n++)
			size -= r[n].size;
		ret = pvm_pt_map(&vm->pt, &ctx->resv, &ctx->fl, va, r, n, ptf);
		if (ret)
			return ret;
		while (n--)
			va += (r++)->size;
	}
	return 0;
}

static int pvm_vma_map_part(struct pvm_vm *vm, struct pvm_op_ctx *ctx,
			    struct pvm_vma *vma, u64 va, u64 size)
{
	struct pvm_gem_object *bo = to_pvm_bo(vma->base.gem.obj);

	return pvm_vm_map_backing(vm, ctx, va, size, bo,
				  vma->base.gem.offset + (va - vma->base.va.addr),
				  vma->repeat_range, vma->repeat_offset,
				  vma->flags);
}

/*
 * Clear the page table over the op's range [@start, @end) before its steps
 * run: [@ws, @we) is that range widened to the blocks its ends cut into,
 * the whole lock region. The surviving parts of those blocks are mapped
 * back from the mapping each block belongs to (a block maps one VMA).
 *
 * Clearing once per op rather than once per mapping the op removes keeps
 * the tables the op writes into, and copies when they are shared, to
 * those on the op's two ends, which is what the op reserved for: a table
 * that repeats share again may hold the boundaries of several mappings.
 */
static int pvm_vm_clear_range(struct pvm_vm *vm, struct pvm_op_ctx *ctx,
			      u64 start, u64 end, u64 ws, u64 we)
{
	struct drm_gpuva *va;
	int ret;

	if (!pvm_as_op_covers(&vm->as, ws, we - ws)) {
		drm_err_once(&vm->ptdev->base,
			     "VM %u: [0x%llx, 0x%llx) is outside the op's lock region\n",
			     vm->id, ws, we);
		return -EINVAL;
	}

	ret = pvm_pt_unmap(&vm->pt, &ctx->resv, &ctx->fl, ws, we - ws);
	if (ret)
		return ret;

	if (ws < start) {
		va = drm_gpuva_find_first(&vm->base, ws, start - ws);
		if (!va)
			return -EINVAL;
		ret = pvm_vma_map_part(vm, ctx, to_pvm_vma(va), ws, start - ws);
		if (ret)
			return ret;
	}
	if (end < we) {
		va = drm_gpuva_find_first(&vm->base, end, we - end);
		if (!va)
			return -EINVAL;
		ret = pvm_vma_map_part(vm, ctx, to_pvm_vma(va), end, we - end);
	}
	return ret;
}

static struct pvm_vma *pvm_op_ctx_take_vma(struct pvm_op_ctx *ctx)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ctx->vmas); i++) {
		struct pvm_vma *vma = ctx->vmas[i];

		if (vma) {
			ctx->vmas[i] = NULL;
			return vma;
		}
	}
	return NULL;
}

static void pvm_vma_link(struct pvm_vma *vma, struct drm_gpuvm_bo *vm_bo)
{
	struct pvm_gem_object *bo = to_pvm_bo(vm_bo->obj);

	mutex_lock(&bo->gpuva_lock);
	drm_gpuva_link(&vma->base, vm_bo);
	mutex_unlock(&bo->gpuva_lock);
}

/**
 * pvm_sm_step_map() - &drm_gpuvm_ops.sm_step_map: map the op's new range
 * @op: the step
 * @priv: the &struct pvm_op_ctx of the op
 *
 * Maps the step's range to the op's BO (or repeat pattern), inserts one
 * preallocated mapping into the VA tree and links it to the op's vm_bo,
 * which takes over the op's GPU pin.
 *
 * Return: 0, or the page table's error (the VM is then unusable).
 */
int pvm_sm_step_map(struct drm_gpuva_op *op, void *priv)
{
	struct pvm_op_ctx *ctx = priv;
	struct pvm_vm *vm = ctx->vm;
	struct pvm_vma *vma;
	int ret;

	vma = pvm_op_ctx_take_vma(ctx);
	if (WARN_ON(!vma))
		return -EINVAL;

	vma->flags = ctx->flags & PVM_BIND_OP_MAP_FLAGS;
	vma->repeat_range = ctx->repeat_range;
	vma->repeat_offset = ctx->bo_offset;
	ret = pvm_vm_map_backing(vm, ctx, op->map.va.addr, op->map.va.range,
				 ctx->bo, op->map.gem.offset,
				 ctx->repeat_range, ctx->bo_offset, vma->flags);
	if (ret) {
		kfree(vma);
		return ret;
	}

	drm_gpuva_map(&vm->base, &vma->base, &op->map);
	pvm_vma_link(vma, ctx->vm_bo);
	/* The op's GPU pin now belongs to the mapping. */
	ctx->pinned = false;
	return 0;
}

static struct pvm_vma *pvm_vma_piece(struct pvm_op_ctx *ctx,
				     struct pvm_vma *old)
{
	struct pvm_vma *vma = pvm_op_ctx_take_vma(ctx);

	if (WARN_ON(!vma))
		return NULL;
	vma->flags = old->flags;
	vma->repeat_range = old->repeat_range;
	vma->repeat_offset = old->repeat_offset;
	return vma;
}

/**
 * pvm_sm_step_remap() - &drm_gpuvm_ops.sm_step_remap: cut a mapping
 * @op: the step
 * @priv: the &struct pvm_op_ctx of the op
 *
 * Replaces the old mapping by its surviving pieces in the VA tree, each
 * holding a GPU pin of the BO; pvm_vm_exec_op() already cleared the page
 * table inside the op (see DOC: Partial blocks). The old mapping is freed
 * after the flush.
 *
 * Return: 0, or -EINVAL when a preallocated mapping is missing.
 */
int pvm_sm_step_remap(struct drm_gpuva_op *op, void *priv)
{
	struct pvm_vma *old = to_pvm_vma(op->remap.unmap->va);
	struct drm_gpuvm_bo *vm_bo = old->base.vm_bo;
	struct pvm_op_ctx *ctx = priv;
	struct pvm_vma *prev = NULL, *next = NULL;

	if (op->remap.prev)
		prev = pvm_vma_piece(ctx, old);
	if (op->remap.next)
		next = pvm_vma_piece(ctx, old);
	if ((op->remap.prev && !prev) || (op->remap.next && !next))
		return -EINVAL;

	drm_gpuva_remap(prev ? &prev->base : NULL, next ? &next->base : NULL,
			&op->remap);
	if (prev) {
		pvm_vma_link(prev, vm_bo);
		pvm_gem_gpu_pin_get(to_pvm_bo(vm_bo->obj));
	}
	if (next) {
		pvm_vma_link(next, vm_bo);
		pvm_gem_gpu_pin_get(to_pvm_bo(vm_bo->obj));
	}
	/* Unlinked, unpinned and freed after the flush. */
	list_add_tail(&old->node, &ctx->returned);
	return 0;
}

/**
 * pvm_sm_step_unmap() - &drm_gpuvm_ops.sm_step_unmap: remove a mapping
 * @op: the step
 * @priv: the &struct pvm_op_ctx of the op
 *
 * Removes the mapping from the VA tree; pvm_vm_exec_op() already cleared
 * the page table under it. It is freed after the flush.
 *
 * Return: 0.
 */
int pvm_sm_step_unmap(struct drm_gpuva_op *op, void *priv)
{
	struct pvm_vma *vma = to_pvm_vma(op->unmap.va);
	struct pvm_op_ctx *ctx = priv;

	drm_gpuva_unmap(&op->unmap);
	list_add_tail(&vma->node, &ctx->returned);
	return 0;
}

/**
 * pvm_vm_exec_op() - apply a prepared op inside one op window
 * @vm: VM
 * @ctx: prepared context
 *
 * Opens the op window on the op's range widened to the blocks its edges
 * cut into, clears the page table there (mapping back what survives of
 * those blocks), lets drm_gpuvm split the op into steps on the VA tree
 * (the map step maps the op's range) and closes the window with one
 * flush. Takes the op lock and
 * allocates nothing, so it may run in the fence signalling path.
 *
 * Return: 0, -EINVAL for a MAP on an unusable or destroyed VM, or the
 * error that made the VM unusable.
 */
int pvm_vm_exec_op(struct pvm_vm *vm, struct pvm_op_ctx *ctx)
{
	bool map = PVM_BIND_OP_TYPE(ctx) == DRM_PANTHOR_VM_BIND_OP_TYPE_MAP;
	u64 va = ctx->va, va_end = ctx->va + ctx->size, ws, we;
	int ret, end;

	/*
	 * The lock region is the op's range widened to the blocks its first
	 * and last byte fall in, read from the table under the op lock so
	 * that no other op changes (or frees) those tables in between.
	 * pvm_vm_clear_range() rewrites exactly that region; then the steps
	 * only update the VA tree, but for the map step, which maps the
	 * op's own range (drm_gpuvm never hands out a step beyond it).
	 */
	mutex_lock(&vm->as.op_lock);
	pvm_vm_block_span(&vm->pt, va, va_end, &ws, &we);
	ret = pvm_as_op_begin_locked(&vm->as, ws, we - ws,
				     ws != va || we != va_end);
	if (ret) {
		/* The LOCK timed out: nothing changed, but the GPU is lost. */
		WRITE_ONCE(vm->unusable, true);
		return ret;
	}

	/*
	 * A destroyed VM takes no new mapping: a bind that raced with
	 * VM_DESTROY would otherwise map after its final unmap and keep the
	 * VM alive through its vm_bo forever.
	 */
	if (map && (READ_ONCE(vm->unusable) || READ_ONCE(vm->destroyed))) {
		ret = -EINVAL;
	} else {
		ret = pvm_vm_clear_range(vm, ctx, va, va_end, ws, we);
		if (!ret && map)
			ret = drm_gpuvm_sm_map(&vm->base, ctx, ctx->va,
					       ctx->size, &ctx->bo->base.base,
					       ctx->bo_offset);
		else if (!ret)
			ret = drm_gpuvm_sm_unmap(&vm->base, ctx, ctx->va,
						 ctx->size);
		/*
		 * Validation and the reservation leave nothing that can fail
		 * in the steps: a failure here means the VA tree and the page
		 * table may disagree, so the VM can no longer be trusted.
		 */
		if (ret)
			WRITE_ONCE(vm->unusable, true);
	}

	end = pvm_as_op_end(&vm->as);
	if (end) {
		/*
		 * The GPU may still cache what the op unlinked: keep those
		 * tables and pages until it was reset (DOC: Recovery).
		 */
		ctx->flush_failed = true;
		WRITE_ONCE(vm->unusable, true);
		ret = ret ?: end;
	}
	return ret;
}
