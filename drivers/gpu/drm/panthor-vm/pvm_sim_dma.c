// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "pvm_dma.h"
#include "pvm_sim_priv.h"

/**
 * DOC: Software GPU bus
 *
 * The driver maps every page the GPU may touch through &struct pvm_dma_ops;
 * the software GPU implements them here and remembers each mapped page by
 * bus page number in &pvm_sim.bus (a reference count per page, as a page
 * may be mapped several times).
 *
 * Without a system MMU the bus address is the physical address, and any
 * physical page may be reached (mapped or not). With one
 * (&pvm_sim_config.smmu) the bus address of a mapped page is its physical
 * address plus %PVM_SIM_SMMU_BUS_OFFSET, and only mapped pages can be
 * reached: any other bus address is a bus fault. A driver that writes a
 * CPU physical address in a PTE or in TRANSTAB therefore faults.
 *
 * With a non-coherent walker (&pvm_sim_config.noncoherent), every page
 * mapped with map_page() (page-table pages) gets a device-side copy, taken
 * at map time and refreshed only by sync_for_device() of the bytes
 * concerned. The walker reads descriptors from that copy, so a PTE written
 * without a sync stays invisible to the GPU. Data accesses go to memory
 * directly (and also update the copy, as device writes reach memory).
 *
 * Locking: mapping and unmapping take the xarray lock and may sleep
 * (GFP_KERNEL), as the driver maps in its preparation phase. Lookups run
 * under RCU inside &pvm_sim.lock; entries and copies are freed after a
 * grace period. Device-side copies are read and written under
 * &pvm_sim.lock.
 */

/**
 * struct pvm_sim_bus_page - one mapped page
 */
struct pvm_sim_bus_page {
	/** @page: the memory */
	struct page *page;
	/** @shadow: device-side copy for a non-coherent walker, or NULL */
	void *shadow;
	/** @refs: mappings of this page */
	unsigned int refs;
	/** @rcu: deferred free */
	struct rcu_head rcu;
};

static u64 pvm_sim_bus_of(struct pvm_sim *sim, phys_addr_t phys)
{
	return phys + pvm_sim_bus_offset(sim);
}

/**
 * pvm_sim_bus_offset() - bus address minus physical address of mapped pages
 * @sim: software GPU
 *
 * Return: %PVM_SIM_SMMU_BUS_OFFSET with a system MMU, else 0.
 */
u64 pvm_sim_bus_offset(struct pvm_sim *sim)
{
	return sim->cfg.smmu ? PVM_SIM_SMMU_BUS_OFFSET : 0;
}

static void pvm_sim_bus_page_free(struct rcu_head *rcu)
{
	struct pvm_sim_bus_page *bp = container_of(rcu, struct pvm_sim_bus_page,
						   rcu);

	if (bp->shadow)
		free_page((unsigned long)bp->shadow);
	kfree(bp);
}

static int pvm_sim_bus_get(struct pvm_sim *sim, struct page *page,
			   bool shadow)
{
	unsigned long idx = pvm_sim_bus_of(sim, page_to_phys(page)) >> PAGE_SHIFT;
	struct pvm_sim_bus_page *bp, *old;
	void *copy = NULL;
	void *src;
	int ret;

	might_sleep();

	if (shadow) {
		copy = (void *)__get_free_page(GFP_KERNEL);
		if (!copy)
			return -ENOMEM;
		src = kmap_local_page(page);
		memcpy(copy, src, PAGE_SIZE);
		kunmap_local(src);
	}

	bp = kzalloc(sizeof(*bp), GFP_KERNEL);
	if (!bp) {
		free_page((unsigned long)copy);
		return -ENOMEM;
	}
	bp->page = page;
	bp->refs = 1;
	bp->shadow = copy;

retry:
	xa_lock(&sim->bus);
	old = xa_load(&sim->bus, idx);
	if (old) {
		unsigned long flags;

		old->refs++;
		if (copy && !old->shadow) {
			spin_lock_irqsave(&sim->lock, flags);
			old->shadow = copy;
			spin_unlock_irqrestore(&sim->lock, flags);
			copy = NULL;
		}
		xa_unlock(&sim->bus);
		free_page((unsigned long)copy);
		kfree(bp);
		return 0;
	}
	/* May drop the lock to allocate: someone may map the page meanwhile. */
	ret = __xa_insert(&sim->bus, idx, bp, GFP_KERNEL);
	xa_unlock(&sim->bus);
	if (ret == -EBUSY)
		goto retry;
	if (ret)
		pvm_sim_bus_page_free(&bp->rcu);
	return ret;
}

static void pvm_sim_bus_put(struct pvm_sim *sim, u64 bus)
{
	unsigned long idx = bus >> PAGE_SHIFT;
	struct pvm_sim_bus_page *bp;

	xa_lock(&sim->bus);
	bp = xa_load(&sim->bus, idx);
	if (!bp) {
		xa_unlock(&sim->bus);
		pvm_sim_driver_error(sim, "unmap of bus address %#llx that is not mapped",
				     bus);
		return;
	}
	if (--bp->refs) {
		xa_unlock(&sim->bus);
		return;
	}
	__xa_erase(&sim->bus, idx);
	xa_unlock(&sim->bus);
	call_rcu(&bp->rcu, pvm_sim_bus_page_free);
}

static dma_addr_t pvm_sim_map_page(void *priv, struct page *page,
				   size_t size, enum dma_data_direction dir)
{
	struct pvm_sim *sim = priv;
	unsigned long pfn = page_to_pfn(page);
	unsigned long i, n = DIV_ROUND_UP(size, PAGE_SIZE);

	for (i = 0; i < n; i++) {
		if (pvm_sim_bus_get(sim, pfn_to_page(pfn + i),
				    sim->cfg.noncoherent)) {
			while (i--)
				pvm_sim_bus_put(sim, pvm_sim_bus_of(sim, PFN_PHYS(pfn + i)));
			return DMA_MAPPING_ERROR;
		}
	}
	return pvm_sim_bus_of(sim, PFN_PHYS(pfn));
}

static void pvm_sim_unmap_page(void *priv, dma_addr_t addr, size_t size,
			       enum dma_data_direction dir)
{
	struct pvm_sim *sim = priv;
	unsigned long i, n = DIV_ROUND_UP(size, PAGE_SIZE);

	for (i = 0; i < n; i++)
		pvm_sim_bus_put(sim, addr + i * PAGE_SIZE);
}

static void pvm_sim_sg_pages(struct scatterlist *sg, unsigned long *pfn,
			     unsigned long *n)
{
	*pfn = page_to_pfn(sg_page(sg)) + (sg->offset >> PAGE_SHIFT);
	*n = DIV_ROUND_UP((sg->offset & ~PAGE_MASK) + sg->length, PAGE_SIZE);
}

static void pvm_sim_put_sg(struct pvm_sim *sim, struct scatterlist *sg,
			   unsigned long npages)
{
	unsigned long pfn, n, j;

	pvm_sim_sg_pages(sg, &pfn, &n);
	for (j = 0; j < min(n, npages); j++)
		pvm_sim_bus_put(sim, pvm_sim_bus_of(sim, PFN_PHYS(pfn + j)));
}

static void pvm_sim_unmap_sgtable(void *priv, struct sg_table *sgt,
				  enum dma_data_direction dir)
{
	struct pvm_sim *sim = priv;
	struct scatterlist *sg;
	int i;

	for_each_sgtable_sg(sgt, sg, i)
		pvm_sim_put_sg(sim, sg, ULONG_MAX);
}

static int pvm_sim_map_sgtable(void *priv, struct sg_table *sgt,
			       enum dma_data_direction dir)
{
	struct pvm_sim *sim = priv;
	struct scatterlist *sg, *done;
	unsigned long pfn, n, j;
	int i, k, ret;

	for_each_sgtable_sg(sgt, sg, i) {
		pvm_sim_sg_pages(sg, &pfn, &n);
		for (j = 0; j < n; j++) {
			ret = pvm_sim_bus_get(sim, pfn_to_page(pfn + j), false);
			if (ret)
				goto err_unwind;
		}
		sg_dma_address(sg) = pvm_sim_bus_of(sim, sg_phys(sg));
		sg_dma_len(sg) = sg->length;
	}
	sgt->nents = sgt->orig_nents;
	return 0;

err_unwind:
	pvm_sim_put_sg(sim, sg, j);
	for_each_sgtable_sg(sgt, done, k) {
		if (done == sg)
			break;
		pvm_sim_put_sg(sim, done, ULONG_MAX);
	}
	return ret;
}

static void pvm_sim_sync_for_device(void *priv, dma_addr_t addr, size_t size,
				    enum dma_data_direction dir)
{
	struct pvm_sim *sim = priv;
	u64 end = addr + size;
	unsigned long flags;

	while (addr < end) {
		size_t off = addr & ~PAGE_MASK;
		size_t len = min_t(u64, end - addr, PAGE_SIZE - off);
		struct pvm_sim_bus_page *bp;

		rcu_read_lock();
		bp = xa_load(&sim->bus, addr >> PAGE_SHIFT);
		if (!bp) {
			rcu_read_unlock();
			pvm_sim_driver_error(sim, "sync of bus address %#llx that is not mapped",
					     (u64)addr);
			return;
		}
		spin_lock_irqsave(&sim->lock, flags);
		if (bp->shadow) {
			void *src = kmap_local_page(bp->page);

			memcpy(bp->shadow + off, src + off, len);
			kunmap_local(src);
		}
		spin_unlock_irqrestore(&sim->lock, flags);
		rcu_read_unlock();
		addr += len;
	}
}

static const struct pvm_dma_ops pvm_sim_dma = {
	.map_page = pvm_sim_map_page,
	.unmap_page = pvm_sim_unmap_page,
	.map_sgtable = pvm_sim_map_sgtable,
	.unmap_sgtable = pvm_sim_unmap_sgtable,
	.sync_for_device = pvm_sim_sync_for_device,
};

/**
 * pvm_sim_dma_ops() - DMA mapping of every software GPU
 *
 * Pass the &struct pvm_sim as the callbacks' priv.
 *
 * Return: the DMA callbacks.
 */
const struct pvm_dma_ops *pvm_sim_dma_ops(void)
{
	return &pvm_sim_dma;
}

/*
 * Find the memory behind a bus address. Returns the page, or NULL for a bus
 * fault; *shadow is the device-side copy, if any. Called under RCU.
 */
static struct page *pvm_sim_bus_lookup(struct pvm_sim *sim, u64 bus,
				       void **shadow)
{
	struct pvm_sim_bus_page *bp = xa_load(&sim->bus, bus >> PAGE_SHIFT);
	unsigned long pfn;

	*shadow = bp ? bp->shadow : NULL;
	if (bp)
		return bp->page;
	if (sim->cfg.smmu)
		return NULL;

	pfn = bus >> PAGE_SHIFT;
	if (!pfn_valid(pfn))
		return NULL;
	return pfn_to_page(pfn);
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
	size_t off = bus & ~PAGE_MASK;
	struct page *page;
	void *shadow, *va;
	int ret = 0;

	rcu_read_lock();
	page = pvm_sim_bus_lookup(sim, bus, &shadow);
	if (!page) {
		ret = -EFAULT;
	} else if (walker && shadow) {
		*val = READ_ONCE(*(u64 *)(shadow + off));
	} else {
		va = kmap_local_page(page);
		*val = READ_ONCE(*(u64 *)(va + off));
		kunmap_local(va);
	}
	rcu_read_unlock();
	return ret;
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
	size_t off = bus & ~PAGE_MASK;
	struct page *page;
	void *shadow, *va;
	int ret = 0;

	rcu_read_lock();
	page = pvm_sim_bus_lookup(sim, bus, &shadow);
	if (!page) {
		ret = -EFAULT;
		goto out;
	}

	va = kmap_local_page(page);
	if (write) {
		memcpy(va + off, buf, size);
		if (shadow)
			memcpy(shadow + off, buf, size);
	} else {
		memcpy(buf, va + off, size);
	}
	kunmap_local(va);
out:
	rcu_read_unlock();
	return ret;
}

/**
 * pvm_sim_bus_init() - set up the bus of a software GPU
 * @sim: software GPU
 */
void pvm_sim_bus_init(struct pvm_sim *sim)
{
	xa_init(&sim->bus);
}

/**
 * pvm_sim_bus_fini() - tear down the bus, dropping leftover mappings
 * @sim: software GPU
 */
void pvm_sim_bus_fini(struct pvm_sim *sim)
{
	struct pvm_sim_bus_page *bp;
	unsigned long idx, leaks = 0;

	xa_for_each(&sim->bus, idx, bp) {
		leaks++;
		xa_erase(&sim->bus, idx);
		call_rcu(&bp->rcu, pvm_sim_bus_page_free);
	}
	if (leaks)
		pr_warn("panthor-vm-sim: %lu pages still mapped at teardown\n",
			leaks);
	xa_destroy(&sim->bus);
	/* The sim is freed next; let the callbacks run first. */
	rcu_barrier();
}
