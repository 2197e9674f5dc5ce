// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>

#include "pvm_dma.h"

/**
 * DOC: DMA seam
 *
 * Every DMA mapping the driver makes (page-table pages and BO pages) and
 * every cache sync of page-table bytes goes through this unit. On hardware
 * it calls the DMA API for the GPU's device. The software GPU installs
 * &struct pvm_dma_ops instead, so that it can hand out bus addresses that
 * differ from physical addresses (a system MMU in front of memory) and keep
 * a device-side copy of page-table bytes that only changes on sync (a
 * non-coherent walker). Nothing else in the driver calls dma_map_*() or
 * dma_sync_*() directly.
 */

/**
 * pvm_dma_map_page() - map a page for the GPU
 * @dma: DMA seam
 * @page: first page to map
 * @size: bytes to map
 * @dir: DMA direction
 * @addr: returns the bus address
 *
 * Return: 0 on success, -ENOMEM if the mapping failed.
 */
int pvm_dma_map_page(struct pvm_dma *dma, struct page *page, size_t size,
		     enum dma_data_direction dir, dma_addr_t *addr)
{
	dma_addr_t a;

	if (dma->ops)
		a = dma->ops->map_page(dma->priv, page, size, dir);
	else
		a = dma_map_page(dma->dev, page, 0, size, dir);

	if (a == DMA_MAPPING_ERROR ||
	    (!dma->ops && dma_mapping_error(dma->dev, a)))
		return -ENOMEM;

	*addr = a;
	return 0;
}

/**
 * pvm_dma_unmap_page() - undo pvm_dma_map_page()
 * @dma: DMA seam
 * @addr: bus address returned by pvm_dma_map_page()
 * @size: bytes mapped
 * @dir: DMA direction
 */
void pvm_dma_unmap_page(struct pvm_dma *dma, dma_addr_t addr, size_t size,
			enum dma_data_direction dir)
{
	if (dma->ops)
		dma->ops->unmap_page(dma->priv, addr, size, dir);
	else
		dma_unmap_page(dma->dev, addr, size, dir);
}

/**
 * pvm_dma_map_sgtable() - map a scatter table for the GPU
 * @dma: DMA seam
 * @sgt: table whose DMA addresses are filled in
 * @dir: DMA direction
 *
 * Return: 0 on success, a negative errno otherwise.
 */
int pvm_dma_map_sgtable(struct pvm_dma *dma, struct sg_table *sgt,
			enum dma_data_direction dir)
{
	if (dma->ops)
		return dma->ops->map_sgtable(dma->priv, sgt, dir);

	return dma_map_sgtable(dma->dev, sgt, dir, 0);
}

/**
 * pvm_dma_unmap_sgtable() - undo pvm_dma_map_sgtable()
 * @dma: DMA seam
 * @sgt: mapped table
 * @dir: DMA direction
 */
void pvm_dma_unmap_sgtable(struct pvm_dma *dma, struct sg_table *sgt,
			   enum dma_data_direction dir)
{
	if (dma->ops)
		dma->ops->unmap_sgtable(dma->priv, sgt, dir);
	else
		dma_unmap_sgtable(dma->dev, sgt, dir, 0);
}

/**
 * pvm_dma_sync_for_device() - publish CPU writes of page-table bytes
 * @dma: DMA seam
 * @addr: bus address of the first byte written
 * @size: bytes written
 *
 * A no-op when the GPU's page-table walker is coherent with the CPU.
 */
void pvm_dma_sync_for_device(struct pvm_dma *dma, dma_addr_t addr, size_t size)
{
	if (dma->coherent)
		return;

	if (dma->ops)
		dma->ops->sync_for_device(dma->priv, addr, size, DMA_TO_DEVICE);
	else
		dma_sync_single_for_device(dma->dev, addr, size, DMA_TO_DEVICE);
}
