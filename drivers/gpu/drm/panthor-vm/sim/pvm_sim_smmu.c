// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/dma-map-ops.h>
#include <linux/dma-mapping.h>
#include <linux/highmem.h>
#include <linux/io-pgtable.h>
#include <linux/iommu.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>

#include <drm/drm_mm.h>

#include "pvm_sim_priv.h"

/**
 * DOC: Software GPU system MMU
 *
 * Every access of the software GPU, page-table walk or data, goes to a
 * bus address. Without a system MMU (&pvm_sim_config.smmu off) the device
 * has no DMA ops, the DMA API maps directly, and a bus address is a
 * physical address: any page of memory can be reached.
 *
 * With one, the model installs &pvm_sim_smmu_dma_ops as its platform
 * device's DMA ops, as an IOMMU driver does on a real SoC. A mapping takes
 * one contiguous range of IOVA from a drm_mm allocator in
 * [%PVM_SIM_IOVA_BASE, %PVM_SIM_IOVA_END), 2 MiB aligned when it is
 * 2 MiB or larger (what dma-iommu gives a scatter table), and enters its
 * pages in an io-pgtable-arm ARM_64_LPAE_S1 table. A scatter table thus
 * gets one DMA segment however scattered its pages are, so a 2 MiB-aligned
 * BO can be mapped by the GPU with 2 MiB blocks. Unmapping removes the
 * translations at once (the model has no SMMU TLB, so there is nothing
 * stale to invalidate); a GPU access to an IOVA with no translation is a
 * bus fault the tests see, and so is any physical address, which lies far
 * below the IOVA space.
 *
 * With a non-coherent walker (&pvm_sim_config.noncoherent), every page
 * mapped with dma_map_page() (the driver's page-table pages) gets a
 * device-side copy, taken at map time and refreshed only by
 * dma_sync_single_for_device() of the bytes concerned. The walker reads
 * descriptors from that copy, so a PTE written without a sync stays
 * invisible to the GPU. Data accesses go to memory (and update the copy,
 * as device writes reach memory).
 *
 * Locking: &pvm_sim_smmu.map_lock (a mutex) serialises the IOVA allocator
 * and the table of mappings; mapping may sleep. &pvm_sim_smmu.lock (a
 * spinlock, irqs off) covers every translation: unmapping, and each GPU
 * access from its translation to the end of its copy, so memory is never
 * reached through a translation that is being removed. It nests inside
 * &pvm_sim.lock.
 */

/**
 * struct pvm_sim_smmu - the system MMU of one software GPU
 */
struct pvm_sim_smmu {
	/** @cfg: io-pgtable configuration */
	struct io_pgtable_cfg cfg;
	/** @pgtbl: the stage-1 table */
	struct io_pgtable_ops *pgtbl;
	/** @map_lock: protects @iova and @maps */
	struct mutex map_lock;
	/** @iova: IOVA allocator */
	struct drm_mm iova;
	/** @maps: first IOVA page of a mapping -> &struct pvm_sim_iova */
	struct xarray maps;
	/** @lock: serialises translations against unmapping */
	spinlock_t lock;
	/** @shadows: IOVA page -> device-side copy (non-coherent walker) */
	struct xarray shadows;
};

/**
 * struct pvm_sim_iova - one DMA mapping
 */
struct pvm_sim_iova {
	/** @node: the IOVA range */
	struct drm_mm_node node;
	/** @shadowed: pages have device-side copies */
	bool shadowed;
};

static struct pvm_sim *pvm_sim_of_dev(struct device *dev)
{
	const struct pvm_test_port *port = dev_get_platdata(dev);

	return port->priv;
}

static void pvm_sim_smmu_unmap_range(struct pvm_sim_smmu *smmu, u64 iova,
				     u64 size)
{
	struct io_pgtable_ops *ops = smmu->pgtbl;
	unsigned long flags;
	u64 done = 0;

	spin_lock_irqsave(&smmu->lock, flags);
	while (done < size) {
		size_t n = ops->unmap_pages(ops, iova + done, SZ_4K,
					    (size - done) >> PAGE_SHIFT, NULL);

		if (!n)
			break;
		done += n;
	}
	spin_unlock_irqrestore(&smmu->lock, flags);
}

static void pvm_sim_smmu_drop_shadows(struct pvm_sim_smmu *smmu, u64 iova,
				      u64 size)
{
	u64 idx;

	for (idx = iova >> PAGE_SHIFT; idx < (iova + size) >> PAGE_SHIFT; idx++)
		free_page((unsigned long)xa_erase_irq(&smmu->shadows, idx));
}

/* Remove a mapping whose translations are in place. Takes map_lock. */
static void pvm_sim_smmu_remove(struct pvm_sim *sim, struct pvm_sim_iova *m)
{
	struct pvm_sim_smmu *smmu = sim->smmu;
	u64 start = m->node.start, size = m->node.size;

	pvm_sim_mmu_check_unreachable(sim, start, size);
	pvm_sim_smmu_unmap_range(smmu, start, size);
	if (m->shadowed)
		pvm_sim_smmu_drop_shadows(smmu, start, size);

	mutex_lock(&smmu->map_lock);
	xa_erase(&smmu->maps, start >> PAGE_SHIFT);
	drm_mm_remove_node(&m->node);
	mutex_unlock(&smmu->map_lock);
	kfree(m);
	pvm_sim_count(sim, PVM_SIM_STAT_SMMU_UNMAPS);
}

static struct pvm_sim_iova *pvm_sim_smmu_alloc(struct pvm_sim *sim, u64 size)
{
	struct pvm_sim_smmu *smmu = sim->smmu;
	u64 align = size >= SZ_2M ? SZ_2M : SZ_4K;
	struct pvm_sim_iova *m;
	int ret;

	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return NULL;

	mutex_lock(&smmu->map_lock);
	ret = drm_mm_insert_node_in_range(&smmu->iova, &m->node, size, align,
					  0, PVM_SIM_IOVA_BASE,
					  PVM_SIM_IOVA_END,
					  DRM_MM_INSERT_BEST);
	if (!ret) {
		ret = xa_insert(&smmu->maps, m->node.start >> PAGE_SHIFT, m,
				GFP_KERNEL);
		if (ret)
			drm_mm_remove_node(&m->node);
	}
	mutex_unlock(&smmu->map_lock);
	if (ret) {
		kfree(m);
		return NULL;
	}
	pvm_sim_count(sim, PVM_SIM_STAT_SMMU_MAPS);
	return m;
}

static struct pvm_sim_iova *pvm_sim_smmu_find(struct pvm_sim *sim, u64 iova)
{
	struct pvm_sim_smmu *smmu = sim->smmu;
	struct pvm_sim_iova *m;

	mutex_lock(&smmu->map_lock);
	m = xa_load(&smmu->maps, iova >> PAGE_SHIFT);
	mutex_unlock(&smmu->map_lock);
	if (!m)
		pvm_sim_driver_error(sim, "DMA unmap of %#llx, which is not the start of a mapping",
				     iova);
	return m;
}

/* Enter [phys, phys + size) at iova, 4 KiB pages. */
static int pvm_sim_smmu_enter(struct pvm_sim_smmu *smmu, u64 iova,
			      phys_addr_t phys, u64 size)
{
	struct io_pgtable_ops *ops = smmu->pgtbl;
	u64 done = 0;

	while (done < size) {
		size_t mapped = 0;
		int ret;

		ret = ops->map_pages(ops, iova + done, phys + done, SZ_4K,
				     (size - done) >> PAGE_SHIFT,
				     IOMMU_READ | IOMMU_WRITE, GFP_KERNEL,
				     &mapped);
		done += mapped;
		if (ret)
			return ret;
		if (!mapped)
			return -ENOMEM;
	}
	return 0;
}

static int pvm_sim_smmu_shadow(struct pvm_sim_smmu *smmu, u64 iova,
			       struct page *page, u64 size)
{
	u64 i;

	for (i = 0; i < size >> PAGE_SHIFT; i++) {
		void *copy = (void *)__get_free_page(GFP_KERNEL);
		int ret;

		if (!copy)
			return -ENOMEM;
		memcpy_from_page(copy, nth_page(page, i), 0, PAGE_SIZE);
		ret = xa_err(xa_store_irq(&smmu->shadows,
					  (iova >> PAGE_SHIFT) + i, copy,
					  GFP_KERNEL));
		if (ret) {
			free_page((unsigned long)copy);
			return ret;
		}
	}
	return 0;
}

static dma_addr_t pvm_sim_smmu_map_page(struct device *dev, struct page *page,
					unsigned long offset, size_t size,
					enum dma_data_direction dir,
					unsigned long attrs)
{
	struct pvm_sim *sim = pvm_sim_of_dev(dev);
	u64 len = PAGE_ALIGN(offset_in_page(offset) + size);
	struct pvm_sim_iova *m;

	page = nth_page(page, offset >> PAGE_SHIFT);
	m = pvm_sim_smmu_alloc(sim, len);
	if (!m)
		return DMA_MAPPING_ERROR;

	if (pvm_sim_smmu_enter(sim->smmu, m->node.start, page_to_phys(page),
			       len))
		goto err_remove;
	if (sim->cfg.noncoherent) {
		m->shadowed = true;
		if (pvm_sim_smmu_shadow(sim->smmu, m->node.start, page, len))
			goto err_remove;
	}
	return m->node.start + offset_in_page(offset);

err_remove:
	pvm_sim_smmu_remove(sim, m);
	return DMA_MAPPING_ERROR;
}

static void pvm_sim_smmu_unmap_page(struct device *dev, dma_addr_t addr,
				    size_t size, enum dma_data_direction dir,
				    unsigned long attrs)
{
	struct pvm_sim *sim = pvm_sim_of_dev(dev);
	struct pvm_sim_iova *m = pvm_sim_smmu_find(sim, addr & PAGE_MASK);

	if (!m)
		return;
	if (PAGE_ALIGN(offset_in_page(addr) + size) != m->node.size)
		pvm_sim_driver_error(sim, "DMA unmap of %#llx with size %zu, mapped with %llu",
				     (u64)addr, size, m->node.size);
	pvm_sim_smmu_remove(sim, m);
}

/* Bytes of IOVA a segment takes: whole pages, keeping its page offset. */
static u64 pvm_sim_sg_span(struct scatterlist *sg)
{
	return PAGE_ALIGN(sg->offset + sg->length);
}

static int pvm_sim_smmu_map_sg(struct device *dev, struct scatterlist *sgl,
			       int nents, enum dma_data_direction dir,
			       unsigned long attrs)
{
	struct pvm_sim *sim = pvm_sim_of_dev(dev);
	struct scatterlist *sg, *out = sgl;
	struct pvm_sim_iova *m;
	u64 total = 0, cur = 0;
	int i, count = 0;

	for_each_sg(sgl, sg, nents, i)
		total += pvm_sim_sg_span(sg);
	if (!total)
		return -EINVAL;

	m = pvm_sim_smmu_alloc(sim, total);
	if (!m)
		return -ENOMEM;

	for_each_sg(sgl, sg, nents, i) {
		u64 span = pvm_sim_sg_span(sg);
		dma_addr_t addr = m->node.start + cur + offset_in_page(sg->offset);

		if (pvm_sim_smmu_enter(sim->smmu, m->node.start + cur,
				       sg_phys(sg) & PAGE_MASK, span)) {
			pvm_sim_smmu_remove(sim, m);
			return -ENOMEM;
		}
		/* Extend the previous DMA segment when this one follows it. */
		if (count && sg_dma_address(out) + sg_dma_len(out) == addr) {
			sg_dma_len(out) += sg->length;
		} else {
			if (count)
				out = sg_next(out);
			sg_dma_address(out) = addr;
			sg_dma_len(out) = sg->length;
			count++;
		}
		cur += span;
	}
	for (sg = sg_next(out); sg; sg = sg_next(sg))
		sg_dma_len(sg) = 0;
	return count;
}

static void pvm_sim_smmu_unmap_sg(struct device *dev, struct scatterlist *sgl,
				  int nents, enum dma_data_direction dir,
				  unsigned long attrs)
{
	struct pvm_sim *sim = pvm_sim_of_dev(dev);
	struct pvm_sim_iova *m;

	m = pvm_sim_smmu_find(sim, sg_dma_address(sgl) & PAGE_MASK);
	if (m)
		pvm_sim_smmu_remove(sim, m);
}

/*
 * A sync of [addr, addr + size): every page must be mapped (else a driver
 * error). Towards the device, the bytes are copied into the device-side
 * copy of a shadowed page; towards the CPU there is nothing to copy back,
 * as device writes reach memory at once.
 */
static void pvm_sim_smmu_sync(struct pvm_sim *sim, dma_addr_t addr,
			      size_t size, bool for_device)
{
	struct pvm_sim_smmu *smmu = sim->smmu;
	u64 end = addr + size;
	unsigned long flags;

	pvm_sim_count_add(sim, for_device ? PVM_SIM_STAT_SYNC_DEVICE_BYTES :
			  PVM_SIM_STAT_SYNC_CPU_BYTES, size);
	spin_lock_irqsave(&smmu->lock, flags);
	while (addr < end) {
		size_t off = offset_in_page(addr);
		size_t len = min_t(u64, end - addr, PAGE_SIZE - off);
		phys_addr_t phys = smmu->pgtbl->iova_to_phys(smmu->pgtbl, addr);
		void *shadow = for_device ?
			       xa_load(&smmu->shadows, addr >> PAGE_SHIFT) :
			       NULL;

		if (!phys) {
			spin_unlock_irqrestore(&smmu->lock, flags);
			pvm_sim_driver_error(sim, "sync of bus address %#llx that is not mapped",
					     (u64)addr);
			return;
		}
		if (shadow)
			memcpy_from_page(shadow + off, phys_to_page(phys), off,
					 len);
		addr += len;
	}
	spin_unlock_irqrestore(&smmu->lock, flags);
}

static void pvm_sim_smmu_sync_for_device(struct device *dev, dma_addr_t addr,
					 size_t size,
					 enum dma_data_direction dir)
{
	pvm_sim_smmu_sync(pvm_sim_of_dev(dev), addr, size, true);
}

static void pvm_sim_smmu_sync_for_cpu(struct device *dev, dma_addr_t addr,
				      size_t size, enum dma_data_direction dir)
{
	pvm_sim_smmu_sync(pvm_sim_of_dev(dev), addr, size, false);
}

static u64 pvm_sim_sg_bytes(struct scatterlist *sgl, int nents)
{
	struct scatterlist *sg;
	u64 bytes = 0;
	int i;

	for_each_sg(sgl, sg, nents, i)
		bytes += sg_dma_len(sg);
	return bytes;
}

static void pvm_sim_smmu_sync_sg_for_device(struct device *dev,
					    struct scatterlist *sgl, int nents,
					    enum dma_data_direction dir)
{
	/* BO pages have no device-side copy: the GPU reads memory. */
	pvm_sim_count_add(pvm_sim_of_dev(dev), PVM_SIM_STAT_SYNC_DEVICE_BYTES,
			  pvm_sim_sg_bytes(sgl, nents));
}

static void pvm_sim_smmu_sync_sg_for_cpu(struct device *dev,
					 struct scatterlist *sgl, int nents,
					 enum dma_data_direction dir)
{
	pvm_sim_count_add(pvm_sim_of_dev(dev), PVM_SIM_STAT_SYNC_CPU_BYTES,
			  pvm_sim_sg_bytes(sgl, nents));
}

static const struct dma_map_ops pvm_sim_smmu_dma_ops = {
	.map_page = pvm_sim_smmu_map_page,
	.unmap_page = pvm_sim_smmu_unmap_page,
	.map_sg = pvm_sim_smmu_map_sg,
	.unmap_sg = pvm_sim_smmu_unmap_sg,
	.sync_single_for_device = pvm_sim_smmu_sync_for_device,
	.sync_single_for_cpu = pvm_sim_smmu_sync_for_cpu,
	.sync_sg_for_device = pvm_sim_smmu_sync_sg_for_device,
	.sync_sg_for_cpu = pvm_sim_smmu_sync_sg_for_cpu,
};

/*
 * Find the memory behind a bus address. On success the translation is
 * held (pvm_sim_bus_release() drops it) so the memory cannot be unmapped
 * under the access.
 */
static int pvm_sim_bus_resolve(struct pvm_sim *sim, u64 bus,
			       struct page **page, void **shadow,
			       unsigned long *flags)
{
	struct pvm_sim_smmu *smmu = sim->smmu;
	phys_addr_t phys;

	*shadow = NULL;
	if (!smmu) {
		if (!pfn_valid(PHYS_PFN(bus)))
			return -EFAULT;
		*page = pfn_to_page(PHYS_PFN(bus));
		return 0;
	}

	spin_lock_irqsave(&smmu->lock, *flags);
	phys = smmu->pgtbl->iova_to_phys(smmu->pgtbl, bus);
	if (!phys) {
		spin_unlock_irqrestore(&smmu->lock, *flags);
		return -EFAULT;
	}
	*page = phys_to_page(phys);
	*shadow = xa_load(&smmu->shadows, bus >> PAGE_SHIFT);
	return 0;
}

static void pvm_sim_bus_release(struct pvm_sim *sim, unsigned long flags)
{
	if (sim->smmu)
		spin_unlock_irqrestore(&sim->smmu->lock, flags);
}

/**
 * pvm_sim_bus_read64() - read a descriptor as the GPU sees it
 * @sim: software GPU
 * @bus: bus address, 8-byte aligned
 * @walker: the page-table walker reads (uses the device-side copy)
 * @val: returns the value
 *
 * Called with &pvm_sim.lock held.
 *
 * Return: 0, or -EFAULT for a bus fault.
 */
int pvm_sim_bus_read64(struct pvm_sim *sim, u64 bus, bool walker, u64 *val)
{
	size_t off = offset_in_page(bus);
	unsigned long flags = 0;
	struct page *page;
	void *shadow, *va;
	int ret;

	ret = pvm_sim_bus_resolve(sim, bus, &page, &shadow, &flags);
	if (ret)
		return ret;

	if (walker && shadow) {
		*val = READ_ONCE(*(u64 *)(shadow + off));
	} else {
		va = kmap_local_page(page);
		*val = READ_ONCE(*(u64 *)(va + off));
		kunmap_local(va);
	}
	pvm_sim_bus_release(sim, flags);
	return 0;
}

/**
 * pvm_sim_bus_copy() - GPU data access to memory
 * @sim: software GPU
 * @bus: bus address
 * @buf: source or destination
 * @size: bytes, not crossing a 4 KiB boundary
 * @write: write (else read)
 *
 * Called with &pvm_sim.lock held.
 *
 * Return: 0, or -EFAULT for a bus fault.
 */
int pvm_sim_bus_copy(struct pvm_sim *sim, u64 bus, void *buf, size_t size,
		     bool write)
{
	size_t off = offset_in_page(bus);
	unsigned long flags = 0;
	struct page *page;
	void *shadow;
	int ret;

	ret = pvm_sim_bus_resolve(sim, bus, &page, &shadow, &flags);
	if (ret)
		return ret;

	if (write) {
		memcpy_to_page(page, off, buf, size);
		if (shadow)
			memcpy(shadow + off, buf, size);
	} else {
		memcpy_from_page(buf, page, off, size);
	}
	pvm_sim_bus_release(sim, flags);
	return 0;
}

/**
 * pvm_sim_bus_mapped() - does a bus address reach memory
 * @sim: software GPU
 * @bus: bus address
 *
 * Return: true if a GPU access to @bus would not be a bus fault.
 */
bool pvm_sim_bus_mapped(struct pvm_sim *sim, u64 bus)
{
	unsigned long flags = 0;
	struct page *page;
	void *shadow;

	if (pvm_sim_bus_resolve(sim, bus, &page, &shadow, &flags))
		return false;
	pvm_sim_bus_release(sim, flags);
	return true;
}

/**
 * pvm_sim_smmu_init() - build the system MMU and install it as DMA ops
 * @sim: software GPU whose platform device exists but is not added yet
 *
 * Does nothing without &pvm_sim_config.smmu.
 *
 * Return: 0 or -ENOMEM.
 */
int pvm_sim_smmu_init(struct pvm_sim *sim)
{
	struct device *dev = &sim->pdev->dev;
	struct pvm_sim_smmu *smmu;

	if (!sim->cfg.smmu)
		return 0;

	smmu = kzalloc(sizeof(*smmu), GFP_KERNEL);
	if (!smmu)
		return -ENOMEM;

	smmu->cfg = (struct io_pgtable_cfg) {
		.pgsize_bitmap = SZ_4K | SZ_2M | SZ_1G,
		.ias = ilog2(PVM_SIM_IOVA_END),
		.oas = 48,
		.coherent_walk = true,
		.iommu_dev = dev,
	};
	smmu->pgtbl = alloc_io_pgtable_ops(ARM_64_LPAE_S1, &smmu->cfg, sim);
	if (!smmu->pgtbl) {
		kfree(smmu);
		return -ENOMEM;
	}
	mutex_init(&smmu->map_lock);
	drm_mm_init(&smmu->iova, PVM_SIM_IOVA_BASE,
		    PVM_SIM_IOVA_END - PVM_SIM_IOVA_BASE);
	xa_init(&smmu->maps);
	spin_lock_init(&smmu->lock);
	xa_init_flags(&smmu->shadows, XA_FLAGS_LOCK_IRQ);

	sim->smmu = smmu;
	set_dma_ops(dev, &pvm_sim_smmu_dma_ops);
	return 0;
}

/**
 * pvm_sim_smmu_fini() - tear the system MMU down
 * @sim: software GPU whose platform device is gone
 *
 * Mappings left over are a driver error: they are counted, reported and
 * removed.
 */
void pvm_sim_smmu_fini(struct pvm_sim *sim)
{
	struct pvm_sim_smmu *smmu = sim->smmu;
	struct pvm_sim_iova *m;
	unsigned long idx, leaks = 0;

	if (!smmu)
		return;

	xa_for_each(&smmu->maps, idx, m) {
		leaks++;
		pvm_sim_smmu_remove(sim, m);
	}
	if (leaks)
		pvm_sim_driver_error(sim, "%lu DMA mappings left at teardown",
				     leaks);

	xa_destroy(&smmu->maps);
	xa_destroy(&smmu->shadows);
	drm_mm_takedown(&smmu->iova);
	free_io_pgtable_ops(smmu->pgtbl);
	mutex_destroy(&smmu->map_lock);
	sim->smmu = NULL;
	kfree(smmu);
}
