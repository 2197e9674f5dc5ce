// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/bits.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <drm/drm_gem.h>
#include <drm/drm_gpuvm.h>
#include <drm/panthor_drm.h>

#include "pvm_gem.h"
#include "pvm_pt.h"
#include "pvm_vm.h"
#include "pvm_vm_priv.h"

/* repeat_range: a power of two from one GPU page to one 2 MiB block. */
#define PVM_REPEAT_RANGE_MIN	PVM_GPU_PAGE_SIZE
#define PVM_REPEAT_RANGE_MAX	SZ_2M

/**
 * DOC: Op contexts
 *
 * Everything a bind op needs is gathered before its window opens, in a
 * &struct pvm_op_ctx: pvm_vm_check_op() validates the op (every op of an
 * array before the first runs), pvm_op_ctx_prepare() looks up and
 * GPU-pins the BO, reserves every table page the op can need (the plan of
 * pvm_vm_resv_plan(): the unmaps inside the range, the new mapping - from
 * its DMA layout with pvm_pt_resv_add_map() - and the borders of the
 * 2 MiB blocks around it) and preallocates the drm_gpuva objects and the
 * vm_bo. After this nothing can fail for lack of memory. Reservations
 * are made and released outside the op lock: they only read the table's
 * configuration. pvm_op_ctx_cleanup() releases the context after the
 * window closed, with what the op unlinked: only then can the GPU no
 * longer reach it.
 */

/**
 * pvm_vm_check_op() - validate one bind op against a VM
 * @vm: VM
 * @file: DRM file of the caller, to look the BO up
 * @op: the op
 * @bop: returns the BO to map (a reference), or NULL
 *
 * Checks flags per op type, alignment, the range against the user VA
 * range, the BO handle and range, and the exclusive VM of the BO. BOs
 * imported from another device map like any other (pvm_gem_gpu_pin()
 * maps them through a dma-buf attachment).
 *
 * Return: 0 or -EINVAL.
 */
int pvm_vm_check_op(struct pvm_vm *vm, struct drm_file *file,
		    const struct drm_panthor_vm_bind_op *op,
		    struct pvm_gem_object **bop)
{
	u32 type = PVM_BIND_OP_TYPE(op);
	u32 flags = op->flags & ~DRM_PANTHOR_VM_BIND_OP_TYPE_MASK;
	struct drm_gem_object *obj;
	struct pvm_gem_object *bo;
	u64 end;

	*bop = NULL;
	switch (type) {
	case DRM_PANTHOR_VM_BIND_OP_TYPE_MAP:
		if (flags & ~PVM_BIND_OP_MAP_FLAGS)
			return -EINVAL;
		break;
	case DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP:
		if (flags || op->bo_handle || op->bo_offset || op->repeat_range)
			return -EINVAL;
		break;
	case DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY:
		if (flags || op->bo_handle || op->bo_offset || op->va ||
		    op->size || op->repeat_range || !op->syncs.count)
			return -EINVAL;
		return 0;
	default:
		return -EINVAL;
	}

	if (!IS_ALIGNED(op->va | op->size | op->bo_offset, PVM_GPU_PAGE_SIZE))
		return -EINVAL;
	if (check_add_overflow(op->va, op->size, &end) ||
	    end > vm->kernel_va_start)
		return -EINVAL;
	if (type == DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP || !op->size)
		return 0;

	if (flags & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE) {
		if (flags & DRM_PANTHOR_VM_BIND_OP_MAP_REPEAT ||
		    !(flags & DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC) ||
		    op->bo_handle || op->bo_offset || op->repeat_range)
			return -EINVAL;
		return 0;
	}

	if (flags & DRM_PANTHOR_VM_BIND_OP_MAP_REPEAT) {
		if (!is_power_of_2(op->repeat_range) ||
		    op->repeat_range < PVM_REPEAT_RANGE_MIN ||
		    op->repeat_range > PVM_REPEAT_RANGE_MAX ||
		    !IS_ALIGNED(op->va, op->repeat_range))
			return -EINVAL;
	} else if (op->repeat_range) {
		return -EINVAL;
	}

	obj = drm_gem_object_lookup(file, op->bo_handle);
	if (!obj)
		return -EINVAL;
	bo = to_pvm_bo(obj);

	if (flags & DRM_PANTHOR_VM_BIND_OP_MAP_REPEAT)
		end = op->repeat_range;
	else
		end = op->size;
	if (end > obj->size || op->bo_offset > obj->size - end ||
	    (bo->exclusive_vm_root &&
	     bo->exclusive_vm_root != pvm_vm_resv_obj(vm))) {
		drm_gem_object_put(obj);
		return -EINVAL;
	}

	*bop = bo;
	return 0;
}

/**
 * pvm_vm_bind_info() - the VM_BIND extensions, as pvm_vm_check_op() applies them
 * @info: filled for DRM_PANTHOR_DEV_QUERY_PVM_VM_BIND_INFO
 */
void pvm_vm_bind_info(struct drm_panthor_pvm_vm_bind_info *info)
{
	memset(info, 0, sizeof(*info));
	info->op_flags = PVM_BIND_OP_MAP_FLAGS;
	info->op_size = sizeof(struct drm_panthor_vm_bind_op);
	info->repeat_range_sizes = GENMASK_ULL(ilog2(PVM_REPEAT_RANGE_MAX),
					       ilog2(PVM_REPEAT_RANGE_MIN));
}

/**
 * pvm_vm_resv_plan() - the page-table reservations one bind op needs
 * @va: first byte of the op
 * @size: bytes
 * @map: the op maps (else it unmaps)
 * @repeat: the op maps a repeat pattern
 * @items: returns up to %PVM_VM_RESV_PLAN_MAX (range, kind) pairs
 *
 * An op may unmap anything inside its range, widened to the 2 MiB blocks
 * its ends cut into; map its range; and map back the surviving borders of
 * the two cut blocks, plainly or as a repeat pattern depending on the
 * mapping that is cut. Each of these is sized by pvm_pt_resv_add().
 *
 * Return: the number of entries in @items.
 */
unsigned int pvm_vm_resv_plan(u64 va, u64 size, bool map, bool repeat,
			      struct pvm_vm_resv_item *items)
{
	static const enum pvm_pt_op_kind kinds[] = {
		PVM_PT_OP_MAP, PVM_PT_OP_REPEAT,
	};
	u64 wa = ALIGN_DOWN(va, SZ_2M), wb = ALIGN(va + size, SZ_2M);
	unsigned int n = 0, k;

	items[n++] = (struct pvm_vm_resv_item){ wa, wb - wa, PVM_PT_OP_UNMAP };
	if (map)
		items[n++] = (struct pvm_vm_resv_item){
			va, size, repeat ? PVM_PT_OP_REPEAT : PVM_PT_OP_MAP };
	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		if (wa < va)
			items[n++] = (struct pvm_vm_resv_item){
				wa, SZ_2M, kinds[k] };
		if (wb > va + size)
			items[n++] = (struct pvm_vm_resv_item){
				wb - SZ_2M, SZ_2M, kinds[k] };
	}
	return n;
}

/* Reserve for mapping the op's BO range: exact about 2 MiB blocks. */
static int pvm_op_ctx_reserve_map(struct pvm_vm *vm, struct pvm_op_ctx *ctx)
{
	const struct pvm_pt_range *r = ctx->bo->ranges;
	const struct pvm_pt_range *end = r + ctx->bo->nranges;
	u64 off = ctx->bo_offset, left = ctx->size;
	struct pvm_pt_range *ranges;
	u32 n = 0;
	int ret;

	while (r < end && off >= r->size) {
		off -= r->size;
		r++;
	}
	ranges = kvmalloc_array(end - r, sizeof(*ranges), GFP_KERNEL);
	if (!ranges)
		return -ENOMEM;
	for (; r < end && left; r++, off = 0) {
		ranges[n].dma = r->dma + off;
		ranges[n].size = min(r->size - off, left);
		left -= ranges[n++].size;
	}
	ret = left ? -EINVAL :
		     pvm_pt_resv_add_map(&vm->pt, &ctx->resv, ctx->va, ranges, n);
	kvfree(ranges);
	return ret;
}

static int pvm_op_ctx_reserve(struct pvm_vm *vm, struct pvm_op_ctx *ctx)
{
	struct pvm_vm_resv_item items[PVM_VM_RESV_PLAN_MAX];
	unsigned int i, n;
	int ret;

	n = pvm_vm_resv_plan(ctx->va, ctx->size,
			     PVM_BIND_OP_TYPE(ctx) ==
			     DRM_PANTHOR_VM_BIND_OP_TYPE_MAP,
			     ctx->repeat_range, items);
	for (i = 0; i < n; i++) {
		/* The new mapping itself: its DMA layout says where blocks go. */
		if (items[i].kind == PVM_PT_OP_MAP && items[i].va == ctx->va &&
		    items[i].size == ctx->size && !ctx->repeat_range)
			ret = pvm_op_ctx_reserve_map(vm, ctx);
		else
			ret = pvm_pt_resv_add(&vm->pt, &ctx->resv, items[i].va,
					      items[i].size, items[i].kind);
		if (ret)
			return ret;
	}
	return 0;
}

static struct pvm_gem_object *pvm_file_dummy(struct pvm_file *pfile)
{
	struct pvm_gem_object *bo;

	mutex_lock(&pfile->dummy_lock);
	if (!pfile->dummy) {
		bo = pvm_gem_create(pfile->ptdev, PAGE_SIZE,
				    DRM_PANTHOR_BO_NO_MMAP, NULL);
		if (!IS_ERR(bo))
			pfile->dummy = bo;
	}
	bo = pfile->dummy;
	if (bo)
		drm_gem_object_get(&bo->base.base);
	else
		bo = ERR_PTR(-ENOMEM);
	mutex_unlock(&pfile->dummy_lock);
	return bo;
}

/**
 * pvm_op_ctx_prepare() - gather everything a bind op needs
 * @vm: VM
 * @pfile: file of the caller (for the sparse dummy page), or NULL
 * @op: the validated op
 * @bo: the validated BO; the context takes this reference over, even on
 *	error. NULL for unmaps and sparse maps
 * @ctx: context to fill
 *
 * Pins the BO for the GPU, reserves every table page the op can need and
 * preallocates its gpuva objects and vm_bo: afterwards nothing in the op
 * window can fail for lack of memory. Release with pvm_op_ctx_cleanup(),
 * on error too.
 *
 * Return: 0 or a negative errno.
 */
int pvm_op_ctx_prepare(struct pvm_vm *vm, struct pvm_file *pfile,
		       const struct drm_panthor_vm_bind_op *op,
		       struct pvm_gem_object *bo, struct pvm_op_ctx *ctx)
{
	struct drm_gpuvm_bo *vm_bo;
	unsigned int i, nvmas;
	int ret;

	memset(ctx, 0, sizeof(*ctx));
	INIT_LIST_HEAD(&ctx->returned);
	ctx->vm = vm;
	ctx->flags = op->flags;
	ctx->va = op->va;
	ctx->size = op->size;
	ctx->bo = bo;

	if (PVM_BIND_OP_TYPE(op) == DRM_PANTHOR_VM_BIND_OP_TYPE_MAP) {
		if (op->flags & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE) {
			ctx->bo = pvm_file_dummy(pfile);
			if (IS_ERR(ctx->bo)) {
				ret = PTR_ERR(ctx->bo);
				ctx->bo = NULL;
				return ret;
			}
			ctx->repeat_range = PVM_GPU_PAGE_SIZE;
		} else if (op->flags & DRM_PANTHOR_VM_BIND_OP_MAP_REPEAT) {
			ctx->repeat_range = op->repeat_range;
			ctx->bo_offset = op->bo_offset;
		} else {
			ctx->bo_offset = op->bo_offset;
		}

		ret = pvm_gem_gpu_pin(ctx->bo);
		if (ret)
			return ret;
		ctx->pinned = true;

		vm_bo = drm_gpuvm_bo_create(&vm->base, &ctx->bo->base.base);
		if (!vm_bo)
			return -ENOMEM;
		mutex_lock(&ctx->bo->gpuva_lock);
		ctx->vm_bo = drm_gpuvm_bo_obtain_prealloc(vm_bo);
		mutex_unlock(&ctx->bo->gpuva_lock);
		nvmas = 3;
	} else {
		nvmas = 2;
	}

	for (i = 0; i < nvmas; i++) {
		ctx->vmas[i] = kzalloc(sizeof(*ctx->vmas[i]), GFP_KERNEL);
		if (!ctx->vmas[i])
			return -ENOMEM;
	}

	return pvm_op_ctx_reserve(vm, ctx);
}

/* Drop a vm_bo reference under its BO's gpuva lock. */
static void pvm_vm_bo_put(struct drm_gpuvm_bo *vm_bo)
{
	struct drm_gem_object *obj = vm_bo->obj;
	struct pvm_gem_object *bo = to_pvm_bo(obj);

	/* The put may drop the last reference to @obj: keep it alive. */
	drm_gem_object_get(obj);
	mutex_lock(&bo->gpuva_lock);
	drm_gpuvm_bo_put(vm_bo);
	mutex_unlock(&bo->gpuva_lock);
	drm_gem_object_put(obj);
}

/**
 * pvm_op_ctx_init_unmap_all() - an UNMAP of the user range, preallocating nothing
 * @vm: VM
 * @ctx: context to fill
 *
 * The unmap of everything below &pvm_vm.kernel_va_start when the VM is
 * destroyed. Its edges are 0 and a multiple of 256 MiB that no mapping
 * crosses, so it cuts no block and copies no shared table (a repeat never
 * crosses the edge either), and drm_gpuvm hands it only unmap steps,
 * which take no preallocated mapping: it needs no reservation and no
 * preallocation, so teardown allocates nothing and cannot fail for lack of
 * memory. Release with pvm_op_ctx_cleanup().
 */
void pvm_op_ctx_init_unmap_all(struct pvm_vm *vm, struct pvm_op_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	INIT_LIST_HEAD(&ctx->returned);
	ctx->vm = vm;
	ctx->flags = DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP;
	ctx->va = 0;
	ctx->size = vm->kernel_va_start;
}

/**
 * pvm_vma_list_release() - unlink, unpin and free unmapped mappings
 * @list: &pvm_vma.node list of mappings no page table maps any more
 *
 * Only once the GPU can no longer reach their pages: after the flush of
 * the op that unmapped them, or after the reset that followed its timeout.
 */
void pvm_vma_list_release(struct list_head *list)
{
	struct pvm_vma *vma, *tmp;

	list_for_each_entry_safe(vma, tmp, list, node) {
		struct drm_gem_object *obj = vma->base.gem.obj;
		struct pvm_gem_object *bo = to_pvm_bo(obj);

		drm_gem_object_get(obj);
		mutex_lock(&bo->gpuva_lock);
		drm_gpuva_unlink(&vma->base);
		mutex_unlock(&bo->gpuva_lock);
		pvm_gem_gpu_unpin(bo);
		drm_gem_object_put(obj);
		list_del(&vma->node);
		kfree(vma);
	}
}

/**
 * pvm_op_ctx_cleanup() - release what an op context holds
 * @vm: VM
 * @ctx: context, prepared (even partly) by pvm_op_ctx_prepare()
 *
 * Frees the mappings the op removed (unlink, GPU unpin), the unused
 * preallocations and reservation, and the tables the op unlinked. Only
 * call it after the op window closed: the GPU may walk them until then.
 * After a failed flush the removed mappings (their BO pages stay pinned)
 * and the unlinked tables go to the VM's zombie lists instead, released
 * by pvm_vm_destroy() once the GPU was reset (see DOC: Recovery).
 */
void pvm_op_ctx_cleanup(struct pvm_vm *vm, struct pvm_op_ctx *ctx)
{
	unsigned int i;

	if (ctx->flush_failed) {
		mutex_lock(&vm->as.op_lock);
		list_splice_init(&ctx->returned, &vm->zombie_vmas);
		pvm_pt_free_list_splice(&vm->zombies, &ctx->fl);
		mutex_unlock(&vm->as.op_lock);
	}
	pvm_vma_list_release(&ctx->returned);

	for (i = 0; i < ARRAY_SIZE(ctx->vmas); i++)
		kfree(ctx->vmas[i]);

	pvm_pt_free_list_release(&vm->pt, &ctx->fl);
	pvm_pt_resv_release(&vm->pt, &ctx->resv);

	if (ctx->vm_bo)
		pvm_vm_bo_put(ctx->vm_bo);
	if (ctx->pinned)
		pvm_gem_gpu_unpin(ctx->bo);
	if (ctx->bo)
		drm_gem_object_put(&ctx->bo->base.base);
}
