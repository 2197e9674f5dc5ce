// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/seq_file.h>
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
 * Imports: a dma-buf exported by this device comes back as the same BO.
 * One from another device (a window-system buffer, vgem in the tests)
 * becomes a BO with an attachment that only identifies the import; its
 * pages are the exporter's and are CPU-cached. The GPU's mapping is an
 * attachment of its own, made and mapped at the first GPU pin and
 * detached at the last unpin, after the flush that ends the op: exporters
 * cache an attachment's mapping until it is detached, so this is what
 * releases the bus addresses when the BO is no longer bound. Exports use
 * dma-buf ops of the driver's own (the DRM helpers' callbacks), which is
 * how an import recognises its own BOs.
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
	struct pvm_device *ptdev = to_pvm_device(obj->dev);

	mutex_lock(&ptdev->bo_list_lock);
	list_del_init(&bo->dev_node);
	mutex_unlock(&ptdev->bo_list_lock);
	kfree(bo->label);
	mutex_destroy(&bo->label_lock);
	mutex_destroy(&bo->gpuva_lock);
	mutex_destroy(&bo->gpu_lock);
	drm_gem_shmem_free(&bo->base);
	/* The shared resv lives in the VM's root object: drop it last. */
	drm_gem_object_put(vm_root);
}

/*
 * List a fully created BO for debugfs. Not done in gem_create_object: the
 * shmem helper kfree()s the object directly when its creation fails.
 */
static void pvm_gem_track(struct pvm_gem_object *bo)
{
	struct pvm_device *ptdev = to_pvm_device(bo->base.base.dev);

	mutex_lock(&ptdev->bo_list_lock);
	list_add_tail(&bo->dev_node, &ptdev->bo_list);
	mutex_unlock(&ptdev->bo_list_lock);
}

/* The DRM helpers' dma-buf callbacks, under ops an import can recognise. */
static const struct dma_buf_ops pvm_dmabuf_ops = {
	.cache_sgt_mapping = true,
	.attach = drm_gem_map_attach,
	.detach = drm_gem_map_detach,
	.map_dma_buf = drm_gem_map_dma_buf,
	.unmap_dma_buf = drm_gem_unmap_dma_buf,
	.release = drm_gem_dmabuf_release,
	.mmap = drm_gem_dmabuf_mmap,
	.vmap = drm_gem_dmabuf_vmap,
	.vunmap = drm_gem_dmabuf_vunmap,
};

static struct dma_buf *pvm_gem_prime_export(struct drm_gem_object *obj,
					    int flags)
{
	struct dma_buf_export_info exp_info = {
		.exp_name = KBUILD_MODNAME,
		.owner = THIS_MODULE,
		.ops = &pvm_dmabuf_ops,
		.size = obj->size,
		.flags = flags,
		.priv = obj,
		.resv = obj->resv,
	};

	/* Exclusive BOs share their VM's resv: they can't leave the VM. */
	if (to_pvm_bo(obj)->exclusive_vm_root)
		return ERR_PTR(-EINVAL);

	return drm_gem_dmabuf_export(obj->dev, &exp_info);
}

/**
 * pvm_gem_prime_import() - &drm_driver.gem_prime_import hook
 * @ddev: DRM device
 * @dma_buf: dma-buf to import
 *
 * A dma-buf of this device is its BO; another device's gets a BO that is
 * attached but not mapped (see DOC: Buffer objects).
 *
 * Return: a GEM object (one reference), or an ERR_PTR().
 */
struct drm_gem_object *pvm_gem_prime_import(struct drm_device *ddev,
					    struct dma_buf *dma_buf)
{
	struct dma_buf_attachment *attach;
	struct drm_gem_object *obj;

	if (dma_buf->ops == &pvm_dmabuf_ops) {
		obj = dma_buf->priv;
		if (obj->dev == ddev) {
			drm_gem_object_get(obj);
			return obj;
		}
	}

	attach = dma_buf_attach(dma_buf, ddev->dev);
	if (IS_ERR(attach))
		return ERR_CAST(attach);
	get_dma_buf(dma_buf);

	/* No scatter table: the GPU maps its own attachment when pinned. */
	obj = drm_gem_shmem_prime_import_sg_table(ddev, attach, NULL);
	if (IS_ERR(obj)) {
		dma_buf_detach(dma_buf, attach);
		dma_buf_put(dma_buf);
		return obj;
	}
	obj->import_attach = attach;
	obj->resv = dma_buf->resv;
	pvm_gem_track(to_pvm_bo(obj));
	return obj;
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
	mutex_init(&bo->label_lock);
	drm_gem_gpuva_set_lock(&bo->base.base, &bo->gpuva_lock);
	INIT_LIST_HEAD(&bo->dev_node);
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
	/* shmem reports a failed inode allocation as -ENOSPC. */
	if (PTR_ERR_OR_ZERO(shmem) == -ENOSPC)
		return ERR_PTR(-ENOMEM);
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
	pvm_gem_track(bo);
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

/* Pin a shmem BO's pages and map them for the GPU, under @gpu_lock. */
static int pvm_gem_map_shmem(struct pvm_gem_object *bo)
{
	struct device *dev = bo->base.base.dev->dev;
	struct sg_table *sgt;
	int ret;

	ret = drm_gem_shmem_pin(&bo->base);
	if (ret)
		return ret;

	sgt = drm_gem_shmem_get_sg_table(&bo->base);
	if (IS_ERR(sgt)) {
		ret = PTR_ERR(sgt);
		goto err_unpin;
	}

	ret = dma_map_sgtable(dev, sgt, DMA_BIDIRECTIONAL, 0);
	if (ret)
		goto err_free_sgt;
	bo->sgt = sgt;
	return 0;

err_free_sgt:
	sg_free_table(sgt);
	kfree(sgt);
err_unpin:
	drm_gem_shmem_unpin(&bo->base);
	return ret;
}

/* Attach an imported BO for the GPU and map the attachment. */
static int pvm_gem_map_import(struct pvm_gem_object *bo)
{
	struct dma_buf *dma_buf = bo->base.base.import_attach->dmabuf;
	struct dma_buf_attachment *attach;
	struct sg_table *sgt;

	attach = dma_buf_attach(dma_buf, bo->base.base.dev->dev);
	if (IS_ERR(attach))
		return PTR_ERR(attach);

	sgt = dma_buf_map_attachment_unlocked(attach, DMA_BIDIRECTIONAL);
	if (IS_ERR(sgt)) {
		dma_buf_detach(dma_buf, attach);
		return PTR_ERR(sgt);
	}
	bo->gpu_attach = attach;
	bo->sgt = sgt;
	return 0;
}

/* Undo pvm_gem_map_shmem() or pvm_gem_map_import(). */
static void pvm_gem_unmap(struct pvm_gem_object *bo)
{
	struct dma_buf_attachment *attach = bo->gpu_attach;

	if (attach) {
		dma_buf_unmap_attachment_unlocked(attach, bo->sgt,
						  DMA_BIDIRECTIONAL);
		dma_buf_detach(attach->dmabuf, attach);
		bo->gpu_attach = NULL;
	} else {
		dma_unmap_sgtable(bo->base.base.dev->dev, bo->sgt,
				  DMA_BIDIRECTIONAL, 0);
		sg_free_table(bo->sgt);
		kfree(bo->sgt);
		drm_gem_shmem_unpin(&bo->base);
	}
	bo->sgt = NULL;
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
	u32 n;
	int ret;

	if (refcount_inc_not_zero(&bo->gpu_pins))
		return 0;

	mutex_lock(&bo->gpu_lock);
	if (refcount_inc_not_zero(&bo->gpu_pins)) {
		mutex_unlock(&bo->gpu_lock);
		return 0;
	}

	if (bo->base.base.import_attach)
		ret = pvm_gem_map_import(bo);
	else
		ret = pvm_gem_map_shmem(bo);
	if (ret)
		goto err_unlock;

	n = pvm_gem_count_ranges(bo->sgt);
	bo->ranges = kvcalloc(n, sizeof(*bo->ranges),
			      GFP_KERNEL | __GFP_NOWARN);
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
	pvm_gem_unmap(bo);
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
	if (!refcount_dec_and_mutex_lock(&bo->gpu_pins, &bo->gpu_lock))
		return;

	kvfree(bo->ranges);
	bo->ranges = NULL;
	bo->nranges = 0;
	pvm_gem_unmap(bo);
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
		offset += PVM_GPU_PAGE_SIZE;
		if (offset >= r->size) {
			offset = 0;
			r++;
		}
	}
	return 0;
}

/**
 * pvm_gem_set_label() - replace a BO's label
 * @bo: BO
 * @label: kmalloc'ed string the BO takes over, or NULL to drop the label
 */
void pvm_gem_set_label(struct pvm_gem_object *bo, const char *label)
{
	const char *old;

	mutex_lock(&bo->label_lock);
	old = bo->label;
	bo->label = label;
	mutex_unlock(&bo->label_lock);
	kfree(old);
}

/**
 * pvm_gem_sync() - CPU cache maintenance of a range of a BO
 * @bo: BO
 * @type: enum drm_panthor_bo_sync_op_type
 * @offset: first byte
 * @size: bytes
 *
 * Writes back (and with FLUSH_AND_INVALIDATE also drops) the CPU's lines
 * of the range through the DMA API, on the bus addresses the GPU uses. A
 * write-combined BO has nothing cached, and a BO that is not mapped for
 * the GPU needs nothing: its first GPU pin maps it, which writes the CPU
 * caches back.
 *
 * Return: 0, or -EINVAL for a range outside the BO, an unknown type or a
 * BO imported from another device (its exporter owns its caching).
 */
int pvm_gem_sync(struct pvm_gem_object *bo, u32 type, u64 offset, u64 size)
{
	struct device *dev = bo->base.base.dev->dev;
	struct scatterlist *sg;
	unsigned int i;

	if (offset + size < offset || offset + size > bo->base.base.size)
		return -EINVAL;
	if (bo->base.base.import_attach)
		return -EINVAL;
	if (type != DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH &&
	    type != DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE)
		return -EINVAL;
	if (bo->base.map_wc || !size)
		return 0;

	mutex_lock(&bo->gpu_lock);
	if (!bo->sgt)
		goto out_unlock;
	for_each_sgtable_dma_sg(bo->sgt, sg, i) {
		u64 len = sg_dma_len(sg);
		dma_addr_t addr;

		if (offset >= len) {
			offset -= len;
			continue;
		}
		addr = sg_dma_address(sg) + offset;
		len = min(len - offset, size);
		dma_sync_single_for_device(dev, addr, len, DMA_TO_DEVICE);
		if (type == DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE)
			dma_sync_single_for_cpu(dev, addr, len,
						DMA_FROM_DEVICE);
		offset = 0;
		size -= len;
		if (!size)
			break;
	}
out_unlock:
	mutex_unlock(&bo->gpu_lock);
	return 0;
}

#if IS_ENABLED(CONFIG_DEBUG_FS)
/**
 * pvm_gem_debugfs_show() - the "gems" debugfs file: one line per BO
 * @ptdev: device
 * @m: seq_file
 *
 * ``bo size=<bytes> flags=0x<create flags> imported=<0|1> gpu_pins=<n>
 * label=<label>``, the label being the rest of the line (empty if none).
 */
void pvm_gem_debugfs_show(struct pvm_device *ptdev, struct seq_file *m)
{
	struct pvm_gem_object *bo;

	mutex_lock(&ptdev->bo_list_lock);
	list_for_each_entry(bo, &ptdev->bo_list, dev_node) {
		mutex_lock(&bo->label_lock);
		seq_printf(m, "bo size=%zu flags=0x%x imported=%d gpu_pins=%u label=%s\n",
			   bo->base.base.size, bo->flags,
			   !!bo->base.base.import_attach,
			   refcount_read(&bo->gpu_pins),
			   bo->label ? bo->label : "");
		mutex_unlock(&bo->label_lock);
	}
	mutex_unlock(&ptdev->bo_list_lock);
}
#endif
