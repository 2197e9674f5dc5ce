// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/dma-mapping.h>
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <drm/drm_debugfs.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/gpu_scheduler.h>
#include <drm/panthor_drm.h>

#include "pvm_device.h"
#include "pvm_gem.h"
#include "pvm_vm.h"
#include "pvm_vm_priv.h"

/**
 * DOC: VM objects and binds
 *
 * A VM is a &struct drm_gpuvm (the VA tree), a driver-owned page table
 * (&struct pvm_pt) and an MMU address-space context (&struct pvm_as). Each
 * open file has up to %PVM_MAX_VMS_PER_FILE of them.
 *
 * One bind op runs top to bottom with no back and forth:
 *
 * 1. validate (every op of the array, before any is applied);
 * 2. prepare an op context: look up and GPU-pin the BO, reserve every
 *    table page the op can need (see pvm_vm_resv_plan(): the unmaps inside
 *    the range, the new mapping - from its DMA layout with
 *    pvm_pt_resv_add_map() - and the borders of the 2 MiB blocks around
 *    it), preallocate the drm_gpuva objects and the vm_bo. After this
 *    nothing can fail for lack of memory. Table pages come from a small
 *    per-VM pool of freed pages when it has some;
 * 3. open the op window (pvm_as_op_begin(): LOCK of the op range if the VM
 *    is resident);
 * 4. let drm_gpuvm split the op into map / remap / unmap steps and apply
 *    each to the page table;
 * 5. close the window (pvm_as_op_end(): one cache flush and UNLOCK);
 * 6. release the page tables the op unlinked and the mappings it removed
 *    (GPU pins, DMA mappings, vm_bo references): only now can the GPU no
 *    longer reach them.
 *
 * Partial 2 MiB blocks: the page table never splits a block. When an
 * unmap range (a remap hole or an unmap) cuts into a block, the range is
 * widened to the whole block, the lock region is widened to match
 * (pvm_as_op_expand()), the block is unmapped and the surviving borders
 * are mapped back with 4 KiB pages from the same backing, all inside the
 * one window: the GPU stalls on the lock instead of faulting.
 *
 * Repeat mappings (MAP_REPEAT and MAP_SPARSE) map a power-of-two BO range
 * of R bytes cyclically with the phase fixed by the VA: address a reads BO
 * byte (repeat_offset + a mod R). The op's VA is a multiple of R, so the
 * op's first byte reads repeat_offset, and any piece of a split mapping
 * keeps exactly the bytes it had: splitting needs no offset arithmetic.
 * MAP_SPARSE is a repeat of a per-file zeroed dummy page (R = 4 KiB).
 *
 * Locking: the op window holds &pvm_as.op_lock, which serialises every
 * change of the VA tree and of the page table. Inside it, a BO's
 * &pvm_gem_object.gpuva_lock protects its gpuva list. Reservations are
 * made and released outside the op lock: they only read the table's
 * configuration. Nothing is allocated with the op lock held, so an
 * asynchronous bind can take it in the fence signalling path.
 */

#define PVM_BIND_OP_MAP_FLAGS (DRM_PANTHOR_VM_BIND_OP_MAP_READONLY | \
			       DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC | \
			       DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED | \
			       DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE | \
			       DRM_PANTHOR_VM_BIND_OP_MAP_REPEAT)

/**
 * struct pvm_vma - one mapping
 */
struct pvm_vma {
	/** @base: the drm_gpuva */
	struct drm_gpuva base;
	/** @node: in &pvm_op_ctx.returned once unmapped */
	struct list_head node;
	/** @flags: DRM_PANTHOR_VM_BIND_OP_MAP_* flags */
	u32 flags;
	/** @repeat_range: pattern size of a repeat mapping, 0 otherwise */
	u64 repeat_range;
	/** @repeat_offset: BO offset of the pattern */
	u64 repeat_offset;
};

#define to_pvm_vma(va) container_of(va, struct pvm_vma, base)
#define to_pvm_vm(gpuvm) container_of(gpuvm, struct pvm_vm, base)

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

/*
 * Page-table memory: one page each, mapped for the GPU through the seam.
 * Freed tables go to a small per-VM pool, still mapped, so that the
 * reservations of small binds pop pages instead of allocating and mapping
 * them. A pooled page's bus address is kept in page->private.
 */
#define PVM_VM_TABLE_POOL_MAX	64

static void *pvm_vm_alloc_table(void *priv, dma_addr_t *dma)
{
	struct pvm_vm *vm = priv;
	struct page *page;

	spin_lock(&vm->pool_lock);
	page = list_first_entry_or_null(&vm->pool, struct page, lru);
	if (page) {
		list_del(&page->lru);
		vm->pool_count--;
	}
	spin_unlock(&vm->pool_lock);

	if (page) {
		*dma = page_private(page);
		set_page_private(page, 0);
		clear_page(page_address(page));
		/* A non-coherent walker must see the zeros before any use. */
		pvm_dma_sync_for_device(&vm->ptdev->dma, *dma, PAGE_SIZE);
		return page_address(page);
	}

	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page)
		return NULL;
	if (pvm_dma_map_page(&vm->ptdev->dma, page, PAGE_SIZE,
			     DMA_TO_DEVICE, dma)) {
		__free_page(page);
		return NULL;
	}
	return page_address(page);
}

static void pvm_vm_free_table(void *priv, void *cpu, dma_addr_t dma)
{
	struct pvm_vm *vm = priv;
	struct page *page = virt_to_page(cpu);

	spin_lock(&vm->pool_lock);
	if (vm->pool_count < PVM_VM_TABLE_POOL_MAX) {
		set_page_private(page, dma);
		list_add(&page->lru, &vm->pool);
		vm->pool_count++;
		page = NULL;
	}
	spin_unlock(&vm->pool_lock);

	if (page) {
		pvm_dma_unmap_page(&vm->ptdev->dma, dma, PAGE_SIZE,
				   DMA_TO_DEVICE);
		__free_page(page);
	}
}

static void pvm_vm_drain_pool(struct pvm_vm *vm)
{
	struct page *page, *tmp;

	list_for_each_entry_safe(page, tmp, &vm->pool, lru) {
		list_del(&page->lru);
		pvm_dma_unmap_page(&vm->ptdev->dma, page_private(page),
				   PAGE_SIZE, DMA_TO_DEVICE);
		set_page_private(page, 0);
		__free_page(page);
	}
	vm->pool_count = 0;
}

static void pvm_vm_sync_table(void *priv, dma_addr_t dma, size_t size)
{
	struct pvm_vm *vm = priv;

	pvm_dma_sync_for_device(&vm->ptdev->dma, dma, size);
}

static const struct pvm_pt_mem_ops pvm_vm_pt_ops = {
	.alloc_table = pvm_vm_alloc_table,
	.free_table = pvm_vm_free_table,
	.sync_for_device = pvm_vm_sync_table,
};

static void pvm_vm_fault(struct pvm_as *as, const struct pvm_as_fault *fault)
{
	struct pvm_vm *vm = container_of(as, struct pvm_vm, as);

	/* A faulted VM stays unusable: jobs on it are lost. */
	WRITE_ONCE(vm->unusable, true);
}

static const struct pvm_as_ops pvm_vm_as_ops = {
	.fault = pvm_vm_fault,
};

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
		n = repeat_range >> PAGE_SHIFT;
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

/* Leaf size (log2) at @va, or 0 when nothing is mapped there. */
static u32 pvm_vm_leaf_log2(struct pvm_vm *vm, u64 va)
{
	struct pvm_pt_mapping m;

	if (pvm_pt_lookup(&vm->pt, va, &m))
		return 0;
	return m.leaf_size_log2;
}

/*
 * Unmap [start, end) of @old's mapping. A block the range only partly
 * covers is unmapped whole and its surviving part mapped back from @old's
 * backing, inside a widened lock region.
 */
static int pvm_vm_unmap_range(struct pvm_vm *vm, struct pvm_op_ctx *ctx,
			      struct pvm_vma *old, u64 start, u64 end)
{
	u64 ws = start, we = end;
	u32 lg;
	int ret;

	lg = pvm_vm_leaf_log2(vm, start);
	if (lg > PAGE_SHIFT)
		ws = ALIGN_DOWN(start, BIT_ULL(lg));
	lg = pvm_vm_leaf_log2(vm, end - 1);
	if (lg > PAGE_SHIFT)
		we = ALIGN(end, BIT_ULL(lg));

	if (ws != start || we != end) {
		ret = pvm_as_op_expand(&vm->as, ws, we - ws);
		if (ret)
			return ret;
	}

	ret = pvm_pt_unmap(&vm->pt, &ctx->resv, &ctx->fl, ws, we - ws);
	if (ret)
		return ret;

	if (ws < start) {
		ret = pvm_vma_map_part(vm, ctx, old, ws, start - ws);
		if (ret)
			return ret;
	}
	if (end < we)
		ret = pvm_vma_map_part(vm, ctx, old, end, we - end);
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

static int pvm_sm_step_map(struct drm_gpuva_op *op, void *priv)
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

static int pvm_sm_step_remap(struct drm_gpuva_op *op, void *priv)
{
	struct pvm_vma *old = to_pvm_vma(op->remap.unmap->va);
	struct drm_gpuvm_bo *vm_bo = old->base.vm_bo;
	struct pvm_op_ctx *ctx = priv;
	struct pvm_vma *prev = NULL, *next = NULL;
	u64 start, range;
	int ret;

	drm_gpuva_op_remap_to_unmap_range(&op->remap, &start, &range);
	ret = pvm_vm_unmap_range(ctx->vm, ctx, old, start, start + range);
	if (ret)
		return ret;

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

static int pvm_sm_step_unmap(struct drm_gpuva_op *op, void *priv)
{
	struct pvm_vma *vma = to_pvm_vma(op->unmap.va);
	struct pvm_op_ctx *ctx = priv;
	int ret;

	ret = pvm_vm_unmap_range(ctx->vm, ctx, vma, vma->base.va.addr,
				 vma->base.va.addr + vma->base.va.range);
	if (ret)
		return ret;

	drm_gpuva_unmap(&op->unmap);
	list_add_tail(&vma->node, &ctx->returned);
	return 0;
}

static void pvm_vm_free(struct drm_gpuvm *gpuvm)
{
	struct pvm_vm *vm = to_pvm_vm(gpuvm);

	/* Every job held a reference: the queue is empty. */
	if (vm->sched.ops) {
		drm_sched_entity_destroy(&vm->entity);
		drm_sched_fini(&vm->sched);
	}
	pvm_as_fini(&vm->as);
	/* Off every slot now: tables whose flush failed can go too. */
	pvm_pt_free_list_release(&vm->pt, &vm->zombies);
	pvm_pt_fini(&vm->pt);
	pvm_vm_drain_pool(vm);
	mutex_destroy(&vm->agent_lock);
	kfree(vm->pattern);
	kfree(vm);
}

static const struct drm_gpuvm_ops pvm_gpuvm_ops = {
	.vm_free = pvm_vm_free,
	.sm_step_map = pvm_sm_step_map,
	.sm_step_remap = pvm_sm_step_remap,
	.sm_step_unmap = pvm_sm_step_unmap,
};

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
 * pvm_op_ctx_cleanup() - release what an op context holds
 * @vm: VM
 * @ctx: context, prepared (even partly) by pvm_op_ctx_prepare()
 *
 * Frees the mappings the op removed (unlink, GPU unpin), the unused
 * preallocations and reservation, and the tables the op unlinked. Only
 * call it after the op window closed: the GPU may walk them until then.
 */
void pvm_op_ctx_cleanup(struct pvm_vm *vm, struct pvm_op_ctx *ctx)
{
	struct pvm_vma *vma, *tmp;
	unsigned int i;

	list_for_each_entry_safe(vma, tmp, &ctx->returned, node) {
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

	for (i = 0; i < ARRAY_SIZE(ctx->vmas); i++)
		kfree(ctx->vmas[i]);

	if (ctx->flush_failed) {
		mutex_lock(&vm->as.op_lock);
		pvm_pt_free_list_splice(&vm->zombies, &ctx->fl);
		mutex_unlock(&vm->as.op_lock);
	}
	pvm_pt_free_list_release(&vm->pt, &ctx->fl);
	pvm_pt_resv_release(&vm->pt, &ctx->resv);

	if (ctx->vm_bo)
		pvm_vm_bo_put(ctx->vm_bo);
	if (ctx->pinned)
		pvm_gem_gpu_unpin(ctx->bo);
	if (ctx->bo)
		drm_gem_object_put(&ctx->bo->base.base);
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
			ctx->repeat_range = PAGE_SIZE;
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

/**
 * pvm_vm_exec_op() - apply a prepared op inside one op window
 * @vm: VM
 * @ctx: prepared context
 *
 * Opens the op window, lets drm_gpuvm split the op into steps applied to
 * the page table, and closes the window with one flush. Takes the op lock
 * and allocates nothing, so it may run in the fence signalling path.
 *
 * Return: 0, -EINVAL for a MAP on an unusable or destroyed VM, or the
 * error that made the VM unusable.
 */
int pvm_vm_exec_op(struct pvm_vm *vm, struct pvm_op_ctx *ctx)
{
	bool map = PVM_BIND_OP_TYPE(ctx) == DRM_PANTHOR_VM_BIND_OP_TYPE_MAP;
	int ret, end;

	ret = pvm_as_op_begin(&vm->as, ctx->va, ctx->size);
	if (ret)
		return ret;

	/*
	 * A destroyed VM takes no new mapping: a bind that raced with
	 * VM_DESTROY would otherwise map after its final unmap and keep the
	 * VM alive through its vm_bo forever.
	 */
	if (map && (READ_ONCE(vm->unusable) || READ_ONCE(vm->destroyed))) {
		ret = -EINVAL;
	} else {
		if (map)
			ret = drm_gpuvm_sm_map(&vm->base, ctx, ctx->va,
					       ctx->size, &ctx->bo->base.base,
					       ctx->bo_offset);
		else
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
		 * tables until the address space is disabled.
		 */
		ctx->flush_failed = true;
		WRITE_ONCE(vm->unusable, true);
		ret = ret ?: end;
	}
	return ret;
}

/**
 * pvm_vm_full_va() - size of the GPU virtual address space
 * @ptdev: device
 *
 * Return: 2^VA_BITS.
 */
u64 pvm_vm_full_va(struct pvm_device *ptdev)
{
	return BIT_ULL(pvm_va_bits(ptdev));
}

/**
 * pvm_vm_check_op() - validate one bind op against a VM
 * @vm: VM
 * @file: DRM file of the caller, to look the BO up
 * @op: the op
 * @bop: returns the BO to map (a reference), or NULL
 *
 * Checks flags per op type, alignment, the range against the user VA
 * range, the BO handle and range, and the exclusive VM of the BO. BOs
 * imported from another device cannot be mapped.
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

	if (!IS_ALIGNED(op->va | op->size | op->bo_offset, PAGE_SIZE))
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
		    op->repeat_range < PAGE_SIZE || op->repeat_range > SZ_2M ||
		    !IS_ALIGNED(op->va, op->repeat_range))
			return -EINVAL;
	} else if (op->repeat_range) {
		return -EINVAL;
	}

	obj = drm_gem_object_lookup(file, op->bo_handle);
	if (!obj)
		return -EINVAL;
	/*
	 * A foreign dma-buf's pages are mapped by its exporter for this
	 * device through the DMA API, not through our DMA seam, and shmem
	 * cannot pin them: such BOs cannot be bound.
	 */
	if (obj->import_attach) {
		drm_gem_object_put(obj);
		return -EINVAL;
	}
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
 * pvm_vm_resv_obj() - the GEM object holding a VM's reservation object
 * @vm: VM
 *
 * Return: the object; BOs exclusive to @vm share its resv.
 */
struct drm_gem_object *pvm_vm_resv_obj(struct pvm_vm *vm)
{
	return vm->base.r_obj;
}

/**
 * pvm_vm_lookup() - find a VM of a file
 * @file: DRM file
 * @id: VM id
 *
 * Return: the VM with a reference (pvm_vm_put()), or NULL.
 */
struct pvm_vm *pvm_vm_lookup(struct drm_file *file, u32 id)
{
	struct pvm_file *pfile = file->driver_priv;
	struct pvm_vm *vm;

	xa_lock(&pfile->vms);
	vm = xa_load(&pfile->vms, id);
	if (vm)
		drm_gpuvm_get(&vm->base);
	xa_unlock(&pfile->vms);
	return vm;
}

/**
 * pvm_vm_put() - drop a VM reference
 * @vm: VM, or NULL
 */
void pvm_vm_put(struct pvm_vm *vm)
{
	if (vm)
		drm_gpuvm_put(&vm->base);
}

static int pvm_vm_init_queue(struct pvm_vm *vm)
{
	const struct drm_sched_init_args args = {
		.ops = &pvm_bind_sched_ops,
		.num_rqs = 1,
		.credit_limit = 1,
		.timeout = MAX_SCHEDULE_TIMEOUT,
		.name = "panthor-vm-bind",
		.dev = vm->ptdev->base.dev,
	};
	struct drm_gpu_scheduler *sched = &vm->sched;
	int ret;

	ret = drm_sched_init(&vm->sched, &args);
	if (ret) {
		memset(&vm->sched, 0, sizeof(vm->sched));
		return ret;
	}

	ret = drm_sched_entity_init(&vm->entity, DRM_SCHED_PRIORITY_KERNEL,
				    &sched, 1, NULL);
	if (ret) {
		drm_sched_fini(&vm->sched);
		memset(&vm->sched, 0, sizeof(vm->sched));
	}
	return ret;
}

static int pvm_vm_create(struct pvm_device *ptdev, u64 user_range,
			 struct pvm_vm **out)
{
	u64 full = pvm_vm_full_va(ptdev), kernel_range;
	struct drm_gem_object *r_obj;
	struct pvm_pt_config cfg;
	struct pvm_vm *vm;
	int ret;

	if (!user_range)
		user_range = full > SZ_4G ? full / 2 : full - PVM_MIN_KERNEL_VA;
	if (user_range > full - PVM_MIN_KERNEL_VA)
		return -EINVAL;
	kernel_range = rounddown_pow_of_two(full - user_range);

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return -ENOMEM;
	vm->pattern = kcalloc(PVM_PT_REPEAT_MAX_PAGES, sizeof(*vm->pattern),
			      GFP_KERNEL);
	if (!vm->pattern) {
		kfree(vm);
		return -ENOMEM;
	}

	vm->ptdev = ptdev;
	INIT_LIST_HEAD(&vm->pool);
	spin_lock_init(&vm->pool_lock);
	vm->kernel_va_start = full - kernel_range;
	vm->pid = task_tgid_nr(current);
	mutex_init(&vm->agent_lock);
	INIT_LIST_HEAD(&vm->node);

	cfg = (struct pvm_pt_config) {
		.va_bits = pvm_va_bits(ptdev),
		.pa_bits = pvm_pa_bits(ptdev),
		.pgsize_bitmap = SZ_4K | SZ_2M,
		.coherent = ptdev->dma.coherent,
		.ops = &pvm_vm_pt_ops,
		.priv = vm,
	};
	ret = pvm_pt_init(&vm->pt, &cfg);
	if (ret) {
		pvm_vm_drain_pool(vm);
		mutex_destroy(&vm->agent_lock);
		kfree(vm->pattern);
		kfree(vm);
		return ret;
	}

	pvm_as_init(ptdev->mmu, &vm->as, pvm_pt_root_dma(&vm->pt),
		    pvm_mmu_transcfg(pvm_va_bits(ptdev), ptdev->dma.coherent),
		    pvm_mmu_memattr(ptdev->dma.coherent), &pvm_vm_as_ops);

	r_obj = drm_gpuvm_resv_object_alloc(&ptdev->base);
	if (!r_obj) {
		pvm_vm_free(&vm->base);
		return -ENOMEM;
	}
	drm_gpuvm_init(&vm->base, "panthor-vm", 0, &ptdev->base, r_obj, 0,
		       full, vm->kernel_va_start, kernel_range, &pvm_gpuvm_ops);
	drm_gem_object_put(r_obj);

	ret = pvm_vm_init_queue(vm);
	if (ret) {
		drm_gpuvm_put(&vm->base);
		return ret;
	}

	mutex_lock(&ptdev->vm_list_lock);
	list_add_tail(&vm->node, &ptdev->vm_list);
	mutex_unlock(&ptdev->vm_list_lock);
	*out = vm;
	return 0;
}

/* Unmap everything and give up the AS slot; the VM dies with its last ref. */
static void pvm_vm_destroy(struct pvm_vm *vm)
{
	struct pvm_device *ptdev = vm->ptdev;
	struct drm_panthor_vm_bind_op op = {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP,
		.va = 0,
		.size = vm->kernel_va_start,
	};
	struct pvm_op_ctx ctx;
	int ret;

	pvm_vm_agent_stop(vm, NULL);
	WRITE_ONCE(vm->destroyed, true);
	/* Let queued binds run first; their successors are refused. */
	drm_sched_entity_flush(&vm->entity, MAX_SCHEDULE_TIMEOUT);

	ret = pvm_op_ctx_prepare(vm, NULL, &op, NULL, &ctx);
	if (!ret)
		ret = pvm_vm_exec_op(vm, &ctx);
	pvm_op_ctx_cleanup(vm, &ctx);
	if (ret)
		drm_err(&ptdev->base, "VM %u: unmapping on destroy failed (%d)\n",
			vm->id, ret);

	mutex_lock(&ptdev->vm_list_lock);
	list_del_init(&vm->node);
	mutex_unlock(&ptdev->vm_list_lock);
	pvm_vm_put(vm);
}

/**
 * pvm_vm_file_open() - set up the VM pool of a new file
 * @ptdev: device
 * @file: DRM file
 *
 * Return: 0 or -ENOMEM.
 */
int pvm_vm_file_open(struct pvm_device *ptdev, struct drm_file *file)
{
	struct pvm_file *pfile;

	pfile = kzalloc(sizeof(*pfile), GFP_KERNEL);
	if (!pfile)
		return -ENOMEM;
	pfile->ptdev = ptdev;
	xa_init_flags(&pfile->vms, XA_FLAGS_ALLOC1);
	mutex_init(&pfile->dummy_lock);
	file->driver_priv = pfile;
	return 0;
}

/**
 * pvm_vm_file_close() - destroy the VMs of a closing file
 * @file: DRM file
 */
void pvm_vm_file_close(struct drm_file *file)
{
	struct pvm_file *pfile = file->driver_priv;
	struct pvm_vm *vm;
	unsigned long id;

	xa_for_each(&pfile->vms, id, vm) {
		xa_erase(&pfile->vms, id);
		pvm_vm_destroy(vm);
	}
	xa_destroy(&pfile->vms);
	if (pfile->dummy)
		drm_gem_object_put(&pfile->dummy->base.base);
	mutex_destroy(&pfile->dummy_lock);
	kfree(pfile);
}

/**
 * pvm_ioctl_vm_create() - DRM_IOCTL_PANTHOR_VM_CREATE
 * @ddev: DRM device
 * @data: &struct drm_panthor_vm_create
 * @file: DRM file
 *
 * Return: 0, -EINVAL for bad flags or range, -EBUSY when the file has
 * %PVM_MAX_VMS_PER_FILE VMs, -ENOMEM.
 */
int pvm_ioctl_vm_create(struct drm_device *ddev, void *data,
			struct drm_file *file)
{
	struct pvm_device *ptdev = to_pvm_device(ddev);
	struct pvm_file *pfile = file->driver_priv;
	struct drm_panthor_vm_create *args = data;
	struct pvm_vm *vm;
	u32 id;
	int ret;

	if (args->flags)
		return -EINVAL;

	ret = pvm_vm_create(ptdev, args->user_va_range, &vm);
	if (ret)
		return ret;

	ret = xa_alloc(&pfile->vms, &id, vm,
		       XA_LIMIT(1, PVM_MAX_VMS_PER_FILE), GFP_KERNEL);
	if (ret) {
		pvm_vm_destroy(vm);
		return ret;
	}
	vm->id = id;
	args->id = id;
	args->user_va_range = vm->kernel_va_start;
	return 0;
}

/**
 * pvm_ioctl_vm_destroy() - DRM_IOCTL_PANTHOR_VM_DESTROY
 * @ddev: DRM device
 * @data: &struct drm_panthor_vm_destroy
 * @file: DRM file
 *
 * Return: 0, or -EINVAL for an unknown id or a non-zero pad.
 */
int pvm_ioctl_vm_destroy(struct drm_device *ddev, void *data,
			 struct drm_file *file)
{
	struct pvm_file *pfile = file->driver_priv;
	struct drm_panthor_vm_destroy *args = data;
	struct pvm_vm *vm;

	if (args->pad)
		return -EINVAL;

	vm = xa_erase(&pfile->vms, args->id);
	if (!vm)
		return -EINVAL;

	pvm_vm_destroy(vm);
	return 0;
}

/**
 * pvm_ioctl_vm_get_state() - DRM_IOCTL_PANTHOR_VM_GET_STATE
 * @ddev: DRM device
 * @data: &struct drm_panthor_vm_get_state
 * @file: DRM file
 *
 * Return: 0, or -EINVAL for an unknown id.
 */
int pvm_ioctl_vm_get_state(struct drm_device *ddev, void *data,
			   struct drm_file *file)
{
	struct drm_panthor_vm_get_state *args = data;
	struct pvm_vm *vm;

	vm = pvm_vm_lookup(file, args->vm_id);
	if (!vm)
		return -EINVAL;

	args->state = READ_ONCE(vm->unusable) ? DRM_PANTHOR_VM_STATE_UNUSABLE :
						DRM_PANTHOR_VM_STATE_USABLE;
	pvm_vm_put(vm);
	return 0;
}

/**
 * pvm_vm_debugfs_show() - one line per VM: owner, state, table counters
 * @ptdev: device
 * @m: seq_file
 */
void pvm_vm_debugfs_show(struct pvm_device *ptdev, struct seq_file *m)
{
	struct pvm_pt_stats st;
	struct pvm_vm *vm;

	mutex_lock(&ptdev->vm_list_lock);
	list_for_each_entry(vm, &ptdev->vm_list, node) {
		/* The counters are read without the op lock: a snapshot. */
		pvm_pt_get_stats(&vm->pt, &st);
		seq_printf(m, "pid %d vm %u state %s tables %llu shared %llu mapped %llu faults %u slot %d\n",
			   vm->pid, vm->id,
			   READ_ONCE(vm->unusable) ? "unusable" : "usable",
			   st.tables, st.shared_tables, st.bytes_mapped,
			   READ_ONCE(vm->as.fault_count), READ_ONCE(vm->as.slot));
	}
	mutex_unlock(&ptdev->vm_list_lock);
}

/**
 * pvm_vm_gpuva_show() - the AS state, last fault and mappings of every VM
 * @ptdev: device
 * @m: seq_file
 */
void pvm_vm_gpuva_show(struct pvm_device *ptdev, struct seq_file *m)
{
	struct pvm_vm *vm;

	mutex_lock(&ptdev->vm_list_lock);
	list_for_each_entry(vm, &ptdev->vm_list, node) {
		seq_printf(m, "pid %d vm %u:\n", vm->pid, vm->id);
		pvm_as_debugfs_show(&vm->as, m);
		mutex_lock(&vm->as.op_lock);
		drm_debugfs_gpuva_info(m, &vm->base);
		mutex_unlock(&vm->as.op_lock);
	}
	mutex_unlock(&ptdev->vm_list_lock);
}
