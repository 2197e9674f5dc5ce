/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-vm authors
 */
#ifndef __PVM_DEVICE_H__
#define __PVM_DEVICE_H__

#include <linux/io.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include <drm/drm_device.h>

#include "pvm_mmu.h"

struct page;
struct workqueue_struct;

/**
 * struct pvm_gpu_props - identification read from the GPU at probe
 */
struct pvm_gpu_props {
	/** @gpu_id: GPU_ID */
	u32 gpu_id;
	/** @gpu_rev: revision (0 when the GPU does not report one) */
	u32 gpu_rev;
	/** @csf_id: GPU_CSF_ID */
	u32 csf_id;
	/** @l2_features: GPU_L2_FEATURES */
	u32 l2_features;
	/** @tiler_features: GPU_TILER_FEATURES */
	u32 tiler_features;
	/** @mem_features: GPU_MEM_FEATURES */
	u32 mem_features;
	/** @mmu_features: GPU_MMU_FEATURES */
	u32 mmu_features;
	/** @as_present: GPU_AS_PRESENT */
	u32 as_present;
	/** @core_features: GPU_CORE_FEATURES */
	u32 core_features;
	/** @thread_features: GPU_THREAD_FEATURES */
	u32 thread_features;
	/** @max_threads: GPU_THREAD_MAX_THREADS */
	u32 max_threads;
	/** @thread_max_workgroup_size: GPU_THREAD_MAX_WORKGROUP_SIZE */
	u32 thread_max_workgroup_size;
	/** @thread_max_barrier_size: GPU_THREAD_MAX_BARRIER_SIZE */
	u32 thread_max_barrier_size;
	/** @coherency_features: GPU_COHERENCY_FEATURES */
	u32 coherency_features;
	/** @texture_features: GPU_TEXTURE_FEATURES0..3 */
	u32 texture_features[4];
	/** @shader_present: shader core mask */
	u64 shader_present;
	/** @l2_present: L2 slice mask */
	u64 l2_present;
	/** @tiler_present: tiler mask */
	u64 tiler_present;
	/** @csg_slot_count: command stream group slots (PVM_FWIF_CSG_SLOTS) */
	u32 csg_slot_count;
	/** @cs_slot_count: command streams per group (PVM_FWIF_CS_SLOTS) */
	u32 cs_slot_count;
	/** @cs_reg_count: registers per stream (PVM_FWIF_CS_WORK_REGS) */
	u32 cs_reg_count;
	/** @scoreboard_slot_count: scoreboards (PVM_FWIF_CS_SCOREBOARDS) */
	u32 scoreboard_slot_count;
};

/**
 * struct pvm_device - one panthor-vm GPU
 */
struct pvm_device {
	/** @base: DRM device */
	struct drm_device base;
	/** @iomem: MMIO registers */
	void __iomem *iomem;
	/**
	 * @coherent: the GPU's page-table walker snoops CPU caches, so
	 * page-table writes need no dma_sync_single_for_device()
	 */
	bool coherent;
	/** @props: GPU identification */
	struct pvm_gpu_props props;
	/**
	 * @mmu: AS slots, lock regions, flushes and faults; embedded, so it
	 * lives as long as the DRM device, which every VM holds a reference
	 * on (its IRQs and registers go at unbind, see pvm_mmu_unplug())
	 */
	struct pvm_mmu mmu;
	/** @vm_list_lock: protects @vm_list */
	struct mutex vm_list_lock;
	/** @vm_list: every VM of every file, for debugfs */
	struct list_head vm_list;
	/** @bo_list_lock: protects @bo_list */
	struct mutex bo_list_lock;
	/** @bo_list: every BO of the device (&pvm_gem_object.dev_node) */
	struct list_head bo_list;
	/**
	 * @flush_id_page: the page userspace maps at the user MMIO offset,
	 * holding a copy of CSF_GPU_LATEST_FLUSH_ID (see DOC: User MMIO);
	 * NULL in a device built by a KUnit test
	 */
	struct page *flush_id_page;
	/** @flush_id: CPU address of the copy in @flush_id_page */
	u32 *flush_id;
};

#define to_pvm_device(drm) container_of(drm, struct pvm_device, base)

extern struct workqueue_struct *pvm_wq;

u32 pvm_va_bits(struct pvm_device *ptdev);
u32 pvm_pa_bits(struct pvm_device *ptdev);
void pvm_flush_id_update(struct pvm_device *ptdev);

/**
 * pvm_read() - read a GPU register
 * @pdev: device
 * @reg: register offset
 *
 * Return: the register value.
 */
static inline u32 pvm_read(struct pvm_device *pdev, u32 reg)
{
	return readl(pdev->iomem + reg);
}

/**
 * pvm_write() - write a GPU register
 * @pdev: device
 * @reg: register offset
 * @val: value
 */
static inline void pvm_write(struct pvm_device *pdev, u32 reg, u32 val)
{
	writel(val, pdev->iomem + reg);
}

/**
 * pvm_read64() - read a LO/HI register pair
 * @pdev: device
 * @reg: offset of the LO half
 *
 * Return: the 64-bit value.
 */
static inline u64 pvm_read64(struct pvm_device *pdev, u32 reg)
{
	return pvm_read(pdev, reg) | ((u64)pvm_read(pdev, reg + 4) << 32);
}

/**
 * pvm_read64_counter() - read a LO/HI pair that counts on its own
 * @pdev: device
 * @reg: offset of the LO half
 *
 * Reads HI, LO, HI again and retries until both HI reads agree, so a
 * carry from LO into HI between the two halves is never seen.
 *
 * Return: the 64-bit value.
 */
static inline u64 pvm_read64_counter(struct pvm_device *pdev, u32 reg)
{
	u32 lo, hi, hi2;

	hi = pvm_read(pdev, reg + 4);
	do {
		hi2 = hi;
		lo = pvm_read(pdev, reg);
		hi = pvm_read(pdev, reg + 4);
	} while (hi != hi2);
	return lo | ((u64)hi << 32);
}

/**
 * pvm_write64() - write a LO/HI register pair, LO first as the GPU expects
 * @pdev: device
 * @reg: offset of the LO half
 * @val: value
 */
static inline void pvm_write64(struct pvm_device *pdev, u32 reg, u64 val)
{
	pvm_write(pdev, reg, lower_32_bits(val));
	pvm_write(pdev, reg + 4, upper_32_bits(val));
}

#endif /* __PVM_DEVICE_H__ */
