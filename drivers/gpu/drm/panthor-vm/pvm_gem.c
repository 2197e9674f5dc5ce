// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_prime.h>
#include <drm/panthor_drm.h>

#include "pvm_device.h"
#include "pvm_gem.h"

/**
 * DOC: Buffer objects
 *
 * BOs are shmem objects. A BO created with an exclusive VM shares that VM's
 * reservation object, can only be mapped in that VM and cannot be
 * exported.
 *
 * CPU mappings (mmap and vmap) are write-combined when the GPU is not IO
 * coherent, so CPU writes reach memory without cache maintenance, unless
 * the BO was created with %DRM_PANTHOR_BO_WB_MMAP; they are write-back on a
 * coherent GPU, as upstream. A %DRM_PANTHOR_BO_NO_MMAP BO gets no mmap
 * offset (-EPERM).
 *
 * GPU pins: every VMA that maps a BO holds one GPU pin. The first pin pins
 * the shmem pages, builds a scatter table and maps it for the GPU through
 * the DMA seam (so page-table entries hold bus addresses); the last unpin,
 * which the VM layer only does after the TLB flush that ends an op, undoes
 * it. So closing the GEM handle of a mapped BO leaves its pages pinned and
 * mapped until the last mapping goes.
 *
 * Locking: @gpu_lock serialises the first pin and the last unpin; the
 * gpuva list of the GEM (and the lifetime of its drm_gpuvm_bo objects) is
 * protected by @gpuva_lock, which the VM layer takes inside its op lock.
 */

static void pvm_gem_free(struct drm_gem_object *obj)
{
	struct pvm_gem_object *bo = to_pvm_bo(obj);
	struct drm_gem_object *vm_root = bo->exclusive_vm_root;

	mutex_destroy(&bo->gpuva_lock);
	mutex_destroy(&bo->gpu_lock);
	drm_gem_shmem_free(&bo->base);
	/* The shared resv lives in the VM's root object: drop it last. */
	drm_gem_object_put(vm_root);
}

static struct dma_buf *pvm_gem_prime_export(struct drm_gem_object *obj,
					    int flags)
{
	/* Exclusive BOs share their VM's resv: they can't leave the VM. */
	if (to_pvm_bo(obj)->exclusive_vm_root)
		return ERR_PTR(-EINVAL);

	return drm_gem_prime_export(obj, flags);
}

static int pvm_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	if (to_pvm_bo(obj)->flags & DRM_PANTHOR_BO_NO_MMAP)
		return -EINVAL;

	return drm_gem_shmem_object_mmap(obj, vma);
}

static const struct drm_gem_object_funcs pvm_gem_funcs = {
	.free = pvm_gem_free,
	.print_info = drm_gem_shmem_object_print_info,
	.pin = drm_gem_shmem_object_pin,
	.unpin = drm_gem_shmem_object_unpin,
	.get_sg_table = drm_gem_shmem_object_get_sg_table,
	.vmap = drm_gem_shmem_object_vmap,
	.vunmap = drm_gem_shmem_object_vunmap,
	.mmap = pvm_gem_mmap,
	.export = pvm_gem_prime_export,
	.vm_ops = &drm_gem_shmem_vm_ops,
};

/**
 * pvm_gem_create_object() - &drm_driver.gem_create_object hook
 * @ddev: DRM device
 * @size: object size
 *
 * Return: the GEM object embedded in a new &struct pvm_gem_object, or an
 * ERR_PTR().
 */
struct drm_gem_object *pvm_gem_create_object(struct drm_device *ddev,
					     size_t size)
{
	struct pvm_gem_object *bo;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);

	bo->base.base.funcs = &pvm_gem_funcs;
	mutex_init(&bo->gpuva_lock);
	mutex_init(&bo->gpu_lock);
	drm_gem_gpuva_set_lock(&bo->base.base, &bo->gpuva_lock);
	return &bo->base.base;
}

/**
 * pvm_gem_create() - create a BO
 * @ptdev: device
 * @size: size in bytes, rounded up to a page
 * @flags: DRM_PANTHOR_BO_* flags
 * @exclusive_vm_root: resv object of the exclusive VM, or NULL
 *
 * Return: the new BO (one reference), or an ERR_PTR().
 */
struct pvm_gem_object *pvm_gem_create(struct pvm_device *ptdev, u64 size,
				      u32 flags,
				      struct drm_gem_object *exclusive_vm_root)
{
	struct drm_gem_shmem_object *shmem;
	struct pvm_gem_object *bo;

	shmem = drm_gem_shmem_create(&ptdev->base, size);
	if (IS_ERR(shmem))
		return ERR_CAST(shmem);

	bo = container_of(shmem, struct pvm_gem_object, base);
	bo->flags = flags;
	shmem->map_wc = !ptdev->coherent && !(flags & DRM_PANTHOR_BO_WB_MMAP);
	if (exclusive_vm_root) {
		drm_gem_object_get(exclusive_vm_root);
		bo->exclusive_vm_root = exclusive_vm_root;
		bo->base.base.resv = exclusive_vm_root->resv;
	}
	return bo;
}

/* Number of DMA-contiguous runs in a mapped scatter table. */
static u32 pvm_gem_count_ranges(struct sg_table *sgt)
{
	struct scatterlist *sg;
	dma_addr_t next = 0;
	unsigned int i;
	u32 n = 0;

	for_each_sgtable_dma_sg(sgt, sg, i) {
		if (!n || sg_dma_address(sg) != next)
			n++;
		next = sg_dma_address(sg) + sg_dma_len(sg);
	}
	return n;
}

static void pvm_gem_fill_ranges(struct pvm_gem_object *bo)
{
	struct pvm_pt_range *r = NULL;
	struct scatterlist *sg;
	unsigned int i;

	for_each_sgtable_dma_sg(bo->sgt, sg, i) {
		if (!r || r->dma + r->size != sg_dma_address(sg)) {
			r = r ? r + 1 : bo->ranges;
			r->dma = sg_dma_address(sg);
			r->size = 0;
		}
		r->size += sg_dma_len(sg);
	}
}

/**
 * pvm_gem_gpu_pin() - pin a BO's pages and map them for the GPU
 * @bo: BO
 *
 * Takes one GPU pin; may sleep and allocate.
 *
 * Return: 0 on success, a negative errno otherwise.
 */
int pvm_gem_gpu_pin(struct pvm_gem_object *bo)
{
	struct pvm_device *ptdev = to_pvm_device(bo->base.base.dev);
	struct sg_table *sgt;
	u32 n;
	int ret;

	if (refcount_inc_not_zero(&bo->gpu_pins))
		return 0;

	mutex_lock(&bo->gpu_lock);
	if (refcount_inc_not_zero(&bo->gpu_pins)) {
		mutex_unlock(&bo->gpu_lock);
		return 0;
	}

	ret = drm_gem_shmem_pin(&bo->base);
	if (ret)
		goto err_unlock;

	sgt = drm_gem_shmem_get_sg_table(&bo->base);
	if (IS_ERR(sgt)) {
		ret = PTR_ERR(sgt);
		goto err_unpin;
	}

	ret = dma_map_sgtable(ptdev->base.dev, sgt, DMA_BIDIRECTIONAL, 0);
	if (ret)
		goto err_free_sgt;

	bo->sgt = sgt;
	n = pvm_gem_count_ranges(sgt);
	bo->ranges = kvcalloc(n, sizeof(*bo->ranges), GFP_KERNEL);
	if (!bo->ranges) {
		ret = -ENOMEM;
		goto err_unmap;
	}
	bo->nranges = n;
	pvm_gem_fill_ranges(bo);
	refcount_set(&bo->gpu_pins, 1);
	mutex_unlock(&bo->gpu_lock);
	return 0;

err_unmap:
	dma_unmap_sgtable(ptdev->base.dev, sgt, DMA_BIDIRECTIONAL, 0);
	bo->sgt = NULL;
err_free_sgt:
	sg_free_table(sgt);
	kfree(sgt);
err_unpin:
	drm_gem_shmem_unpin(&bo->base);
err_unlock:
	mutex_unlock(&bo->gpu_lock);
	return ret;
}

/**
 * pvm_gem_gpu_pin_get() - take another GPU pin on an already pinned BO
 * @bo: BO with at least one GPU pin
 *
 * Never sleeps nor fails: used when a mapping is split in the op window.
 */
void pvm_gem_gpu_pin_get(struct pvm_gem_object *bo)
{
	refcount_inc(&bo->gpu_pins);
}

/**
 * pvm_gem_gpu_unpin() - drop a GPU pin
 * @bo: BO
 *
 * The last unpin unmaps the pages from the GPU and unpins them, so it must
 * only run once the GPU can no longer reach them (after the TLB flush).
 */
void pvm_gem_gpu_unpin(struct pvm_gem_object *bo)
{
	struct pvm_device *ptdev = to_pvm_device(bo->base.base.dev);

	if (!refcount_dec_and_mutex_lock(&bo->gpu_pins, &bo->gpu_lock))
		return;

	kvfree(bo->ranges);
	bo->ranges = NULL;
	bo->nranges = 0;
	dma_unmap_sgtable(ptdev->base.dev, bo->sgt, DMA_BIDIRECTIONAL, 0);
	sg_free_table(bo->sgt);
	kfree(bo->sgt);
	bo->sgt = NULL;
	drm_gem_shmem_unpin(&bo->base);
	mutex_unlock(&bo->gpu_lock);
}

/**
 * pvm_gem_dma_pages() - bus addresses of consecutive pages of a pinned BO
 * @bo: BO with a GPU pin
 * @offset: byte offset of the first page, page aligned
 * @npages: number of pages
 * @pages: returns one bus address per page
 *
 * Return: 0, or -EINVAL if the pages are not all inside the BO.
 */
int pvm_gem_dma_pages(struct pvm_gem_object *bo, u64 offset, u32 npages,
		      dma_addr_t *pages)
{
	const struct pvm_pt_range *r = bo->ranges, *end = r + bo->nranges;
	u32 i;

	while (r < end && offset >= r->size) {
		offset -= r->size;
		r++;
	}
	for (i = 0; i < npages; i++) {
		if (r >= end)
			return -EINVAL;
		pages[i] = r->dma + offset;
		offset += PAGE_SIZE;
		if (offset >= r->size) {
			offset = 0;
			r++;
		}
	}
	return 0;
}

/**
 * pvm_ioctl_bo_mmap_offset() - DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET
 * @ddev: DRM device
 * @data: &struct drm_panthor_bo_mmap_offset
 * @file: DRM file
 *
 * Return: 0 on success, -ENOENT for an unknown handle, -EINVAL for a
 * non-zero pad, -EPERM for a %DRM_PANTHOR_BO_NO_MMAP BO.
 */
int pvm_ioctl_bo_mmap_offset(struct drm_device *ddev, void *data,
			     struct drm_file *file)
{
	struct drm_panthor_bo_mmap_offset *args = data;
	struct drm_gem_object *obj;
	int ret;

	if (args->pad)
		return -EINVAL;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;

	if (to_pvm_bo(obj)->flags & DRM_PANTHOR_BO_NO_MMAP) {
		drm_gem_object_put(obj);
		return -EPERM;
	}

	ret = drm_gem_create_mmap_offset(obj);
	if (!ret)
		args->offset = drm_vma_node_offset_addr(&obj->vma_node);
	drm_gem_object_put(obj);
	return ret;
}
