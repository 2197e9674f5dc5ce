// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#ifdef CONFIG_ARM_ARCH_TIMER
#include <asm/arch_timer.h>
#endif

#include <linux/capability.h>
#include <linux/irqflags.h>
#include <linux/preempt.h>
#include <linux/sched/clock.h>
#include <linux/sizes.h>
#include <linux/time_namespace.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include <drm/drm_auth.h>
#include <drm/drm_file.h>
#include <drm/panthor_drm.h>

#include "pvm_device.h"
#include "pvm_query.h"
#include "pvm_regs.h"
#include "pvm_vm.h"

/**
 * DOC: Device queries
 *
 * DEV_QUERY answers every query type of panthor 1.9 (upstream's rules: a
 * zero pointer returns the object size, a size below the object's first
 * version is -EINVAL, a shorter size gets a prefix, a longer one a zeroed
 * tail). GPU_INFO and TIMESTAMP_INFO come from GPU registers. CSIF_INFO
 * comes from the firmware's interface on real hardware; the software GPU
 * has no MCU and publishes its profile's values in the PVM_FWIF_*
 * registers instead, and unpreserved_cs_reg_count is upstream's constant.
 * GROUP_PRIORITIES_INFO says which priorities GROUP_CREATE would allow
 * this file (upstream's rule), although groups are not implemented.
 * TIMESTAMP_INFO's frequency is the arch timer's on arm64, as upstream,
 * and %PVM_GPU_TIMESTAMP_FREQ_HZ (the software GPU's counter) elsewhere.
 *
 * PVM_VM_BIND_INFO, panthor-vm's own type (0x100, clear of upstream's
 * numbering), reports the VM_BIND extensions so that a client need not
 * probe for %DRM_PANTHOR_VM_BIND_OP_MAP_REPEAT by trying it.
 */

/* Registers the ring buffer code of upstream clobbers, reported as is. */
#define PVM_UNPRESERVED_CS_REG_COUNT	4

/* Smallest user object accepted for a query: everything up to @field. */
#define PVM_UOBJ_MIN(type, field) offsetofend(type, field)

static int pvm_copy_uobj(u64 usr_ptr, u32 usr_size, u32 min_size,
			 u32 kern_size, const void *in)
{
	void __user *p = u64_to_user_ptr(usr_ptr);

	if (usr_size < min_size)
		return -EINVAL;

	if (copy_to_user(p, in, min(usr_size, kern_size)))
		return -EFAULT;

	/* A newer userspace knows more fields than we do: they read as 0. */
	if (usr_size > kern_size &&
	    clear_user(p + kern_size, usr_size - kern_size))
		return -EFAULT;

	return 0;
}

static void pvm_fill_gpu_info(struct pvm_device *ptdev,
			      struct drm_panthor_gpu_info *info)
{
	const struct pvm_gpu_props *p = &ptdev->props;

	memset(info, 0, sizeof(*info));
	info->gpu_id = p->gpu_id;
	info->gpu_rev = p->gpu_rev;
	info->csf_id = p->csf_id;
	info->l2_features = p->l2_features;
	info->tiler_features = p->tiler_features;
	info->mem_features = p->mem_features;
	info->mmu_features = p->mmu_features;
	info->thread_features = p->thread_features;
	info->max_threads = p->max_threads;
	info->thread_max_workgroup_size = p->thread_max_workgroup_size;
	info->thread_max_barrier_size = p->thread_max_barrier_size;
	info->coherency_features = p->coherency_features;
	memcpy(info->texture_features, p->texture_features,
	       sizeof(info->texture_features));
	info->as_present = p->as_present;
	info->selected_coherency = ptdev->coherent ?
				   DRM_PANTHOR_GPU_COHERENCY_ACE_LITE :
				   DRM_PANTHOR_GPU_COHERENCY_NONE;
	info->shader_present = p->shader_present;
	info->l2_present = p->l2_present;
	info->tiler_present = p->tiler_present;
	info->core_features = p->core_features;
}

static void pvm_fill_csif_info(struct pvm_device *ptdev,
			       struct drm_panthor_csif_info *info)
{
	const struct pvm_gpu_props *p = &ptdev->props;

	memset(info, 0, sizeof(*info));
	info->csg_slot_count = p->csg_slot_count;
	info->cs_slot_count = p->cs_slot_count;
	info->cs_reg_count = p->cs_reg_count;
	info->scoreboard_slot_count = p->scoreboard_slot_count;
	info->unpreserved_cs_reg_count = PVM_UNPRESERVED_CS_REG_COUNT;
}

#define PVM_TIMESTAMP_FLAGS (DRM_PANTHOR_TIMESTAMP_GPU | \
			     DRM_PANTHOR_TIMESTAMP_CPU_TYPE_MASK | \
			     DRM_PANTHOR_TIMESTAMP_GPU_OFFSET | \
			     DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT | \
			     DRM_PANTHOR_TIMESTAMP_FREQ | \
			     DRM_PANTHOR_TIMESTAMP_DURATION)

static u64 pvm_timestamp_frequency(void)
{
#ifdef CONFIG_ARM_ARCH_TIMER
	return arch_timer_get_cntfrq();
#else
	return PVM_GPU_TIMESTAMP_FREQ_HZ;
#endif
}

/*
 * TIMESTAMP_INFO with upstream's rules: flags 0 (an object older than 1.8)
 * means GPU | GPU_OFFSET | FREQ; one CPU clock at most; what was not asked
 * for reads 0. When two clocks are read or the duration is asked for, the
 * reads run with preemption and interrupts off so they are close together.
 */
static int pvm_query_timestamp(struct pvm_device *ptdev,
			       struct drm_panthor_timestamp_info *ts)
{
	u32 flags = ts->flags, cpu;
	struct timespec64 cpu_ts = {};
	unsigned long irqflags = 0;
	unsigned int clocks = 0;
	bool quiet;
	u64 start = 0;

	if (!flags)
		flags = DRM_PANTHOR_TIMESTAMP_GPU |
			DRM_PANTHOR_TIMESTAMP_GPU_OFFSET |
			DRM_PANTHOR_TIMESTAMP_FREQ;

	cpu = flags & DRM_PANTHOR_TIMESTAMP_CPU_TYPE_MASK;
	if (cpu != DRM_PANTHOR_TIMESTAMP_CPU_NONE &&
	    cpu != DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC &&
	    cpu != DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC_RAW)
		return -EINVAL;
	if (flags & ~PVM_TIMESTAMP_FLAGS)
		return -EINVAL;

	clocks += cpu != DRM_PANTHOR_TIMESTAMP_CPU_NONE;
	clocks += !!(flags & DRM_PANTHOR_TIMESTAMP_GPU);
	clocks += !!(flags & DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT);
	quiet = clocks >= 2 || flags & DRM_PANTHOR_TIMESTAMP_DURATION;

	ts->timestamp_frequency = flags & DRM_PANTHOR_TIMESTAMP_FREQ ?
				  pvm_timestamp_frequency() : 0;
	ts->timestamp_offset = flags & DRM_PANTHOR_TIMESTAMP_GPU_OFFSET ?
			       pvm_read64(ptdev, GPU_TIMESTAMP_OFFSET_LO) : 0;

	if (quiet) {
		preempt_disable();
		local_irq_save(irqflags);
	}
	if (flags & DRM_PANTHOR_TIMESTAMP_DURATION)
		start = local_clock();
	ts->current_timestamp = flags & DRM_PANTHOR_TIMESTAMP_GPU ?
				pvm_read64_counter(ptdev, GPU_TIMESTAMP_LO) : 0;
	if (cpu == DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC)
		ktime_get_ts64(&cpu_ts);
	else if (cpu == DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC_RAW)
		ktime_get_raw_ts64(&cpu_ts);
	ts->cycle_count = flags & DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT ?
			  pvm_read64_counter(ptdev, GPU_CYCLE_COUNT_LO) : 0;
	ts->duration_nsec = flags & DRM_PANTHOR_TIMESTAMP_DURATION ?
			    local_clock() - start : 0;
	if (quiet) {
		local_irq_restore(irqflags);
		preempt_enable();
	}

	if (cpu != DRM_PANTHOR_TIMESTAMP_CPU_NONE)
		timens_add_monotonic(&cpu_ts);
	ts->cpu_timestamp_sec = cpu_ts.tv_sec;
	ts->cpu_timestamp_nsec = cpu_ts.tv_nsec;
	return 0;
}

/* Upstream's GROUP_CREATE rule: above MEDIUM needs CAP_SYS_NICE or master. */
static void pvm_fill_priorities(struct drm_file *file,
				struct drm_panthor_group_priorities_info *info)
{
	memset(info, 0, sizeof(*info));
	info->allowed_mask = BIT(PANTHOR_GROUP_PRIORITY_LOW) |
			     BIT(PANTHOR_GROUP_PRIORITY_MEDIUM);
	if (capable(CAP_SYS_NICE) || drm_is_current_master(file))
		info->allowed_mask |= BIT(PANTHOR_GROUP_PRIORITY_HIGH) |
				      BIT(PANTHOR_GROUP_PRIORITY_REALTIME);
}

static int pvm_query_size(u32 type, u32 *size)
{
	switch (type) {
	case DRM_PANTHOR_DEV_QUERY_GPU_INFO:
		*size = sizeof(struct drm_panthor_gpu_info);
		return 0;
	case DRM_PANTHOR_DEV_QUERY_CSIF_INFO:
		*size = sizeof(struct drm_panthor_csif_info);
		return 0;
	case DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO:
		*size = sizeof(struct drm_panthor_timestamp_info);
		return 0;
	case DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO:
		*size = sizeof(struct drm_panthor_group_priorities_info);
		return 0;
	case DRM_PANTHOR_DEV_QUERY_MMU_INFO:
		*size = sizeof(struct drm_panthor_mmu_info);
		return 0;
	case DRM_PANTHOR_DEV_QUERY_PVM_VM_BIND_INFO:
		*size = sizeof(struct drm_panthor_pvm_vm_bind_info);
		return 0;
	default:
		return -EINVAL;
	}
}

/**
 * pvm_ioctl_dev_query() - DRM_IOCTL_PANTHOR_DEV_QUERY
 * @ddev: DRM device
 * @data: &struct drm_panthor_dev_query
 * @file: DRM file
 *
 * Return: 0, -EINVAL for an unknown type or a size below the type's first
 * version, -EFAULT for a bad pointer.
 */
int pvm_ioctl_dev_query(struct drm_device *ddev, void *data,
			struct drm_file *file)
{
	struct pvm_device *ptdev = to_pvm_device(ddev);
	struct drm_panthor_dev_query *args = data;
	struct drm_panthor_group_priorities_info prio;
	struct drm_panthor_timestamp_info ts;
	struct drm_panthor_pvm_vm_bind_info bind;
	struct drm_panthor_mmu_info mmu_info;
	struct drm_panthor_csif_info csif;
	struct drm_panthor_gpu_info gpu;
	int ret;

	if (!args->pointer)
		return pvm_query_size(args->type, &args->size);

	switch (args->type) {
	case DRM_PANTHOR_DEV_QUERY_GPU_INFO:
		pvm_fill_gpu_info(ptdev, &gpu);
		return pvm_copy_uobj(args->pointer, args->size,
				     PVM_UOBJ_MIN(struct drm_panthor_gpu_info,
						  tiler_present),
				     sizeof(gpu), &gpu);
	case DRM_PANTHOR_DEV_QUERY_CSIF_INFO:
		pvm_fill_csif_info(ptdev, &csif);
		return pvm_copy_uobj(args->pointer, args->size,
				     PVM_UOBJ_MIN(struct drm_panthor_csif_info,
						  pad),
				     sizeof(csif), &csif);
	case DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO:
		/* The object is also input: its flags select what to read. */
		ret = copy_struct_from_user(&ts, sizeof(ts),
					    u64_to_user_ptr(args->pointer),
					    args->size);
		if (ret)
			return ret;
		ret = pvm_query_timestamp(ptdev, &ts);
		if (ret)
			return ret;
		return pvm_copy_uobj(args->pointer, args->size,
				     PVM_UOBJ_MIN(struct drm_panthor_timestamp_info,
						  current_timestamp),
				     sizeof(ts), &ts);
	case DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO:
		pvm_fill_priorities(file, &prio);
		return pvm_copy_uobj(args->pointer, args->size,
				     PVM_UOBJ_MIN(struct drm_panthor_group_priorities_info,
						  pad),
				     sizeof(prio), &prio);
	case DRM_PANTHOR_DEV_QUERY_MMU_INFO:
		memset(&mmu_info, 0, sizeof(mmu_info));
		mmu_info.page_size_bitmap = SZ_4K | SZ_2M;
		return pvm_copy_uobj(args->pointer, args->size,
				     sizeof(mmu_info), sizeof(mmu_info),
				     &mmu_info);
	case DRM_PANTHOR_DEV_QUERY_PVM_VM_BIND_INFO:
		pvm_vm_bind_info(&bind);
		return pvm_copy_uobj(args->pointer, args->size, sizeof(bind),
				     sizeof(bind), &bind);
	default:
		return -EINVAL;
	}
}
