/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-vm authors
 */
#ifndef __PVM_GEM_H__
#define __PVM_GEM_H__

#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/types.h>

#include <drm/drm_gem_shmem_helper.h>
#include <drm/panthor_drm.h>

#include "pvm_pt.h"

/* BO_CREATE flags the driver knows. */
#define PVM_BO_FLAGS (DRM_PANTHOR_BO_NO_MMAP | DRM_PANTHOR_BO_WB_MMAP)

struct dma_buf;
struct dma_buf_attachment;
struct drm_file;
struct pvm_device;
struct seq_file;
struct sg_table;

/*
 * Largest BO: its page array (one pointer per page, allocated by the shmem
 * helpers without __GFP_NOWARN) must stay below kvmalloc()'s INT_MAX.
 */
#define PVM_BO_MAX_SIZE \
	((u64)(INT_MAX / sizeof(struct page *)) << PAGE_SHIFT)

/* Longest BO label, NUL included (upstream's limit). */
#define PVM_BO_LABEL_MAX	4096

/**
 * struct pvm_gem_object - a shmem buffer object
 */
struct pvm_gem_object {
	/** @base: shmem object */
	struct drm_gem_shmem_object base;
	/** @flags: DRM_PANTHOR_BO_* creation flags */
	u32 flags;
	/**
	 * @exclusive_vm_root: resv object of the only VM this BO may be mapped
	 * in (its resv is shared), or NULL. Holds a reference.
	 */
	struct drm_gem_object *exclusive_vm_root;
	/** @gpuva_lock: protects the GEM's gpuva list and vm_bo lifetimes */
	struct mutex gpuva_lock;
	/** @gpu_lock: serialises the first GPU pin and the last unpin */
	struct mutex gpu_lock;
	/** @gpu_pins: mappings that need the pages pinned and DMA-mapped */
	refcount_t gpu_pins;
	/** @sgt: scatter table of the pinned pages, DMA-mapped for the GPU */
	struct sg_table *sgt;
	/** @ranges: the DMA-contiguous runs of @sgt, in BO order */
	struct pvm_pt_range *ranges;
	/** @nranges: entries in @ranges */
	u32 nranges;
	/**
	 * @gpu_attach: for a BO imported from another device, the dma-buf
	 * attachment that maps it for the GPU while it has GPU pins
	 */
	struct dma_buf_attachment *gpu_attach;
	/** @dev_node: entry in &pvm_device.bo_list */
	struct list_head dev_node;
	/** @label_lock: protects @label */
	struct mutex label_lock;
	/** @label: BO_SET_LABEL string (kmalloc'ed), or NULL */
	const char *label;
};

#define to_pvm_bo(obj) container_of(to_drm_gem_shmem_obj(obj), \
				    struct pvm_gem_object, base)

struct drm_gem_object *pvm_gem_create_object(struct drm_device *ddev,
					     size_t size);
struct pvm_gem_object *pvm_gem_create(struct pvm_device *ptdev, u64 size,
				      u32 flags,
				      struct drm_gem_object *exclusive_vm_root);
int pvm_gem_gpu_pin(struct pvm_gem_object *bo);
void pvm_gem_gpu_pin_get(struct pvm_gem_object *bo);
void pvm_gem_gpu_unpin(struct pvm_gem_object *bo);
int pvm_gem_dma_pages(struct pvm_gem_object *bo, u64 offset, u32 npages,
		      dma_addr_t *pages);
struct drm_gem_object *pvm_gem_prime_import(struct drm_device *ddev,
					    struct dma_buf *dma_buf);
void pvm_gem_set_label(struct pvm_gem_object *bo, const char *label);
int pvm_gem_sync(struct pvm_gem_object *bo, u32 type, u64 offset, u64 size);
void pvm_gem_debugfs_show(struct pvm_device *ptdev, struct seq_file *m);

int pvm_ioctl_bo_mmap_offset(struct drm_device *ddev, void *data,
			     struct drm_file *file);
int pvm_ioctl_bo_set_label(struct drm_device *ddev, void *data,
			   struct drm_file *file);
int pvm_ioctl_bo_query_info(struct drm_device *ddev, void *data,
			    struct drm_file *file);
int pvm_ioctl_bo_sync(struct drm_device *ddev, void *data,
		      struct drm_file *file);

#endif /* __PVM_GEM_H__ */
