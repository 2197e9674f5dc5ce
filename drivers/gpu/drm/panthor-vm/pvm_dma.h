/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-vm authors
 */
#ifndef __PVM_DMA_H__
#define __PVM_DMA_H__

#include <linux/dma-direction.h>
#include <linux/types.h>

struct device;
struct page;
struct sg_table;

/**
 * struct pvm_dma_ops - a software stand-in for the device's DMA mapping
 *
 * UML has no per-device dma_map_ops, so the software GPU interposes here
 * to model a system MMU (bus address != physical address) and a
 * non-coherent page-table walker (the device sees only synced bytes).
 */
struct pvm_dma_ops {
	/** @map_page: map @size bytes of @page, return the bus address or DMA_MAPPING_ERROR */
	dma_addr_t (*map_page)(void *priv, struct page *page, size_t size,
			       enum dma_data_direction dir);
	/** @unmap_page: undo @map_page */
	void (*unmap_page)(void *priv, dma_addr_t addr, size_t size,
			   enum dma_data_direction dir);
	/** @map_sgtable: map every entry of @sgt, filling its DMA addresses */
	int (*map_sgtable)(void *priv, struct sg_table *sgt,
			   enum dma_data_direction dir);
	/** @unmap_sgtable: undo @map_sgtable */
	void (*unmap_sgtable)(void *priv, struct sg_table *sgt,
			      enum dma_data_direction dir);
	/** @sync_for_device: make CPU writes to [@addr, @addr + @size) visible to the device */
	void (*sync_for_device)(void *priv, dma_addr_t addr, size_t size,
				enum dma_data_direction dir);
};

/**
 * struct pvm_dma - the DMA seam of one GPU
 */
struct pvm_dma {
	/** @dev: the device the DMA API maps for */
	struct device *dev;
	/** @ops: software DMA mapping, or NULL to use the DMA API */
	const struct pvm_dma_ops *ops;
	/** @priv: passed to @ops */
	void *priv;
	/** @coherent: the GPU snoops CPU caches, so no sync is needed */
	bool coherent;
};

int pvm_dma_map_page(struct pvm_dma *dma, struct page *page, size_t size,
		     enum dma_data_direction dir, dma_addr_t *addr);
void pvm_dma_unmap_page(struct pvm_dma *dma, dma_addr_t addr, size_t size,
			enum dma_data_direction dir);
int pvm_dma_map_sgtable(struct pvm_dma *dma, struct sg_table *sgt,
			enum dma_data_direction dir);
void pvm_dma_unmap_sgtable(struct pvm_dma *dma, struct sg_table *sgt,
			   enum dma_data_direction dir);
void pvm_dma_sync_for_device(struct pvm_dma *dma, dma_addr_t addr, size_t size);

#endif /* __PVM_DMA_H__ */
