// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/compat.h>
#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include <drm/drm_debugfs.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>
#include <drm/panthor_drm.h>
#include <drm/panthor_vm_sim.h>

#include "pvm_device.h"
#include "pvm_gem.h"
#include "pvm_mmu.h"
#include "pvm_query.h"
#include "pvm_regs.h"
#include "pvm_vm.h"

/**
 * DOC: Driver
 *
 * pvm_drv owns the platform driver, the DRM driver (named "panthor" so
 * that Mesa's panthor backend and IGT's panthor tests pick it), the ioctl
 * table, SET_USER_MMIO_OFFSET and the user MMIO mmap. DEV_QUERY is in
 * pvm_query, the BO ioctls in pvm_gem_uapi. The device is any platform device with the GPU's
 * registers as its first MEM resource, "gpu" and "mmu" interrupts and DMA
 * through the DMA API; the walker is coherent if the firmware says so
 * (``dma-coherent``). Registers are reached with readl() / writel() only.
 *
 * Only the GPU's MMU is in scope: power, clocks, regulators, reset and the
 * MCU firmware of a real board are not handled here, and probing a real
 * Mali without them can hang its bus. So the driver matches no device-tree
 * compatible: it binds only to the software GPU's platform device
 * ("panthor-vm-sim"), and the arm64 build is a portability check.
 */

/*
 * Upstream panthor's uAPI history; what panthor-vm implements of each
 * version is in Documentation/gpu/panthor-vm.rst:
 * 1.1 TIMESTAMP_INFO, 1.2 GROUP_PRIORITIES_INFO and the REALTIME priority,
 * 1.3 GROUP_STATE_INNOCENT, 1.4 BO_SET_LABEL, 1.5 SET_USER_MMIO_OFFSET,
 * 1.6 GLB_COUNTER_EN (firmware), 1.7 BO_WB_MMAP, BO_SYNC, BO_QUERY_INFO and
 * GPU_INFO.selected_coherency, 1.8 TIMESTAMP_INFO flags, 1.9 MAP_SPARSE and
 * MMU_INFO.
 */
#define PVM_DRIVER_MAJOR	1
#define PVM_DRIVER_MINOR	9

/* DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET: upstream's two values only. */
static int pvm_ioctl_set_user_mmio_offset(struct drm_device *ddev, void *data,
					  struct drm_file *file)
{
	struct drm_panthor_set_user_mmio_offset *args = data;
	struct pvm_file *pfile = file->driver_priv;

	if (args->offset != DRM_PANTHOR_USER_MMIO_OFFSET_32BIT &&
	    args->offset != DRM_PANTHOR_USER_MMIO_OFFSET_64BIT)
		return -EINVAL;

	WRITE_ONCE(pfile->user_mmio_offset, args->offset);
	return 0;
}

/*
 * DRM_IOCTL_PANTHOR_BO_CREATE: here rather than in pvm_gem, because an
 * exclusive BO needs its VM looked up and pvm_gem must not depend on
 * pvm_vm (which depends on it).
 *
 * Returns 0, -EINVAL on bad arguments, another negative errno otherwise.
 */
static int pvm_ioctl_bo_create(struct drm_device *ddev, void *data,
			       struct drm_file *file)
{
	struct drm_panthor_bo_create *args = data;
	struct drm_gem_object *vm_root = NULL;
	struct pvm_gem_object *bo;
	struct pvm_vm *vm = NULL;
	u32 handle;
	int ret;

	if (!args->size || args->pad || args->flags & ~PVM_BO_FLAGS ||
	    (args->flags & DRM_PANTHOR_BO_NO_MMAP &&
	     args->flags & DRM_PANTHOR_BO_WB_MMAP))
		return -EINVAL;
	if (args->size > PVM_BO_MAX_SIZE)
		return -EINVAL;

	if (args->exclusive_vm_id) {
		vm = pvm_vm_lookup(file, args->exclusive_vm_id);
		if (!vm)
			return -EINVAL;
		vm_root = pvm_vm_resv_obj(vm);
	}

	bo = pvm_gem_create(to_pvm_device(ddev), PAGE_ALIGN(args->size),
			    args->flags, vm_root);
	pvm_vm_put(vm);
	if (IS_ERR(bo))
		return PTR_ERR(bo);

	ret = drm_gem_handle_create(file, &bo->base.base, &handle);
	drm_gem_object_put(&bo->base.base);
	if (ret)
		return ret;

	args->handle = handle;
	args->size = bo->base.base.size;
	return 0;
}

/*
 * The ioctls that reach the GPU (registers, AS commands, the software
 * GPU's test port) run inside drm_dev_enter(): an unbind waits for the
 * ones running, and the ones that start after it get -ENODEV.
 */
#define PVM_HW_IOCTL(func)						\
static int pvm_ioctl_##func##_hw(struct drm_device *ddev, void *data,	\
				 struct drm_file *file)			\
{									\
	int idx, ret;							\
									\
	if (!drm_dev_enter(ddev, &idx))					\
		return -ENODEV;						\
	ret = pvm_ioctl_##func(ddev, data, file);			\
	drm_dev_exit(idx);						\
	return ret;							\
}

PVM_HW_IOCTL(dev_query)
PVM_HW_IOCTL(vm_destroy)
PVM_HW_IOCTL(vm_bind)
#if IS_ENABLED(CONFIG_DRM_PANTHOR_VM_SIM)
PVM_HW_IOCTL(sim_gpu_access)
PVM_HW_IOCTL(sim_agent)
#endif

#define PVM_IOCTL(n, func, flags) \
	DRM_IOCTL_DEF_DRV(PANTHOR_##n, pvm_ioctl_##func, flags)

static const struct drm_ioctl_desc pvm_ioctls[] = {
	PVM_IOCTL(DEV_QUERY, dev_query_hw, DRM_RENDER_ALLOW),
	PVM_IOCTL(VM_CREATE, vm_create, DRM_RENDER_ALLOW),
	PVM_IOCTL(VM_DESTROY, vm_destroy_hw, DRM_RENDER_ALLOW),
	PVM_IOCTL(VM_BIND, vm_bind_hw, DRM_RENDER_ALLOW),
	PVM_IOCTL(VM_GET_STATE, vm_get_state, DRM_RENDER_ALLOW),
	PVM_IOCTL(BO_CREATE, bo_create, DRM_RENDER_ALLOW),
	PVM_IOCTL(BO_MMAP_OFFSET, bo_mmap_offset, DRM_RENDER_ALLOW),
	PVM_IOCTL(BO_SET_LABEL, bo_set_label, DRM_RENDER_ALLOW),
	PVM_IOCTL(SET_USER_MMIO_OFFSET, set_user_mmio_offset, DRM_RENDER_ALLOW),
	PVM_IOCTL(BO_SYNC, bo_sync, DRM_RENDER_ALLOW),
	PVM_IOCTL(BO_QUERY_INFO, bo_query_info, DRM_RENDER_ALLOW),
#if IS_ENABLED(CONFIG_DRM_PANTHOR_VM_SIM)
	DRM_IOCTL_DEF_DRV(PANTHOR_SIM_GPU_ACCESS, pvm_ioctl_sim_gpu_access_hw,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(PANTHOR_SIM_AGENT, pvm_ioctl_sim_agent_hw,
			  DRM_RENDER_ALLOW),
#endif
};

/**
 * DOC: User MMIO
 *
 * mmap() of the DRM file at or above the file's user MMIO offset
 * (%DRM_PANTHOR_USER_MMIO_OFFSET by default, the 32-bit one for a compat
 * process, changed by SET_USER_MMIO_OFFSET) maps GPU register pages
 * instead of a BO. As upstream, only the LATEST_FLUSH_ID page exists
 * (offset %DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET), and the mapping must be
 * shared, exactly one page, neither writable nor executable; anything else
 * is -EINVAL, and the mapping can never become writable or executable.
 * Offsets below the user MMIO offset are GEM fake offsets.
 *
 * On hardware, upstream maps the register page itself (the physical
 * address of CSF_GPU_LATEST_FLUSH_ID, uncached). The software GPU's
 * registers are logic_iomem: they have no physical address and cannot be
 * mapped into a process. So the page a process maps is a kernel page that
 * holds a copy of the register, and the driver refreshes the copy after
 * every cache flush it issues (pvm_mmu_flush_unlock(), the only place
 * that flushes), since the register only moves on a completed flush.
 * Between the completion of a flush and the refresh the copy shows the
 * previous ID; that is the safe direction, as an older flush ID only
 * makes the kernel flush again.
 */

/**
 * pvm_flush_id_update() - publish LATEST_FLUSH_ID in the user MMIO page
 * @ptdev: device; a device without the page (KUnit) is left alone
 *
 * Called after each cache flush of the driver, see DOC: User MMIO.
 */
void pvm_flush_id_update(struct pvm_device *ptdev)
{
	if (ptdev->flush_id)
		WRITE_ONCE(*ptdev->flush_id,
			   pvm_read(ptdev, CSF_GPU_LATEST_FLUSH_ID));
}

static int pvm_mmap_user_mmio(struct pvm_device *ptdev,
			      struct vm_area_struct *vma, u64 offset)
{
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (offset != DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET -
		      DRM_PANTHOR_USER_MMIO_OFFSET)
		return -EINVAL;
	if (vma->vm_end - vma->vm_start != PAGE_SIZE ||
	    vma->vm_flags & (VM_WRITE | VM_EXEC))
		return -EINVAL;

	vm_flags_clear(vma, VM_MAYWRITE | VM_MAYEXEC);
	vm_flags_set(vma, VM_IO | VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP);
	/* The mapping holds a page reference: it may outlive the device. */
	return vm_insert_page(vma, vma->vm_start, ptdev->flush_id_page);
}

static int pvm_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct drm_file *file = filp->private_data;
	struct pvm_file *pfile = file->driver_priv;
	u64 offset = (u64)vma->vm_pgoff << PAGE_SHIFT;
	u64 user_mmio = READ_ONCE(pfile->user_mmio_offset);
	int ret, cookie;

	if (!drm_dev_enter(file->minor->dev, &cookie))
		return -ENODEV;

	if (offset >= user_mmio)
		ret = pvm_mmap_user_mmio(pfile->ptdev, vma, offset - user_mmio);
	else
		ret = drm_gem_mmap(filp, vma);

	drm_dev_exit(cookie);
	return ret;
}

static const struct file_operations pvm_drm_fops = {
	.owner = THIS_MODULE,
	.open = drm_open,
	.release = drm_release,
	.unlocked_ioctl = drm_ioctl,
	.compat_ioctl = drm_compat_ioctl,
	.poll = drm_poll,
	.read = drm_read,
	.llseek = noop_llseek,
	.mmap = pvm_mmap,
	.fop_flags = FOP_UNSIGNED_OFFSET,
};

#if IS_ENABLED(CONFIG_DEBUG_FS)
static int pvm_vm_stats_show(struct seq_file *m, void *unused)
{
	struct drm_debugfs_entry *entry = m->private;

	pvm_vm_debugfs_show(to_pvm_device(entry->dev), m);
	return 0;
}

static int pvm_gpuva_show(struct seq_file *m, void *unused)
{
	struct drm_debugfs_entry *entry = m->private;

	pvm_vm_gpuva_show(to_pvm_device(entry->dev), m);
	return 0;
}

static int pvm_mmu_show(struct seq_file *m, void *unused)
{
	struct drm_debugfs_entry *entry = m->private;

	pvm_mmu_debugfs_show(&to_pvm_device(entry->dev)->mmu, m);
	return 0;
}

static int pvm_gems_show(struct seq_file *m, void *unused)
{
	struct drm_debugfs_entry *entry = m->private;

	pvm_gem_debugfs_show(to_pvm_device(entry->dev), m);
	return 0;
}

static const struct drm_debugfs_info pvm_debugfs_list[] = {
	{ "gems", pvm_gems_show, 0 },
	{ "vm_stats", pvm_vm_stats_show, 0 },
	{ "gpuva", pvm_gpuva_show, 0 },
	{ "mmu", pvm_mmu_show, 0 },
};

static void pvm_debugfs_init(struct drm_minor *minor)
{
	drm_debugfs_add_files(minor->dev, pvm_debugfs_list,
			      ARRAY_SIZE(pvm_debugfs_list));
}
#else
static void pvm_debugfs_init(struct drm_minor *minor)
{
}
#endif

static int pvm_open(struct drm_device *ddev, struct drm_file *file)
{
	struct pvm_file *pfile;
	int ret;

	ret = pvm_vm_file_open(to_pvm_device(ddev), file);
	if (ret)
		return ret;

	/* A compat process cannot reach the 64-bit offset with mmap2(). */
	pfile = file->driver_priv;
	pfile->user_mmio_offset = in_compat_syscall() ?
				  DRM_PANTHOR_USER_MMIO_OFFSET_32BIT :
				  DRM_PANTHOR_USER_MMIO_OFFSET;
	return 0;
}

static void pvm_postclose(struct drm_device *ddev, struct drm_file *file)
{
	pvm_vm_file_close(file);
}

static const struct drm_driver pvm_drm_driver = {
	.driver_features = DRIVER_RENDER | DRIVER_GEM | DRIVER_SYNCOBJ |
			   DRIVER_SYNCOBJ_TIMELINE | DRIVER_GEM_GPUVA,
	.ioctls = pvm_ioctls,
	.num_ioctls = ARRAY_SIZE(pvm_ioctls),
	.fops = &pvm_drm_fops,
	.open = pvm_open,
	.postclose = pvm_postclose,
	.gem_create_object = pvm_gem_create_object,
	.gem_prime_import = pvm_gem_prime_import,
	.gem_prime_import_sg_table = drm_gem_shmem_prime_import_sg_table,
	.debugfs_init = pvm_debugfs_init,
	.name = "panthor",
	.desc = "Mali CSF GPU VM backend (panthor-vm)",
	.date = "20261121",
	.major = PVM_DRIVER_MAJOR,
	.minor = PVM_DRIVER_MINOR,
};

static void pvm_read_props(struct pvm_device *ptdev)
{
	struct pvm_gpu_props *p = &ptdev->props;
	unsigned int i;

	p->gpu_id = pvm_read(ptdev, GPU_ID);
	p->csf_id = pvm_read(ptdev, GPU_CSF_ID);
	p->l2_features = pvm_read(ptdev, GPU_L2_FEATURES);
	p->core_features = pvm_read(ptdev, GPU_CORE_FEATURES);
	p->tiler_features = pvm_read(ptdev, GPU_TILER_FEATURES);
	p->mem_features = pvm_read(ptdev, GPU_MEM_FEATURES);
	p->mmu_features = pvm_read(ptdev, GPU_MMU_FEATURES);
	p->as_present = pvm_read(ptdev, GPU_AS_PRESENT);
	p->thread_features = pvm_read(ptdev, GPU_THREAD_FEATURES);
	p->max_threads = pvm_read(ptdev, GPU_THREAD_MAX_THREADS);
	p->thread_max_workgroup_size =
		pvm_read(ptdev, GPU_THREAD_MAX_WORKGROUP_SIZE);
	p->thread_max_barrier_size =
		pvm_read(ptdev, GPU_THREAD_MAX_BARRIER_SIZE);
	p->coherency_features = pvm_read(ptdev, GPU_COHERENCY_FEATURES);
	for (i = 0; i < ARRAY_SIZE(p->texture_features); i++)
		p->texture_features[i] =
			pvm_read(ptdev, GPU_TEXTURE_FEATURES(i));
	p->shader_present = pvm_read64(ptdev, GPU_SHADER_PRESENT_LO);
	p->tiler_present = pvm_read64(ptdev, GPU_TILER_PRESENT_LO);
	p->l2_present = pvm_read64(ptdev, GPU_L2_PRESENT_LO);
	p->csg_slot_count = pvm_read(ptdev, PVM_FWIF_CSG_SLOTS);
	p->cs_slot_count = pvm_read(ptdev, PVM_FWIF_CS_SLOTS);
	p->cs_reg_count = pvm_read(ptdev, PVM_FWIF_CS_WORK_REGS);
	p->scoreboard_slot_count = pvm_read(ptdev, PVM_FWIF_CS_SCOREBOARDS);
}

/**
 * pvm_va_bits() - GPU virtual address width
 * @ptdev: device
 *
 * Return: VA bits from MMU_FEATURES.
 */
u32 pvm_va_bits(struct pvm_device *ptdev)
{
	return FIELD_GET(GPU_MMU_FEATURES_VA_BITS, ptdev->props.mmu_features);
}

/**
 * pvm_pa_bits() - GPU output (bus) address width
 * @ptdev: device
 *
 * Return: PA bits from MMU_FEATURES.
 */
u32 pvm_pa_bits(struct pvm_device *ptdev)
{
	return FIELD_GET(GPU_MMU_FEATURES_PA_BITS, ptdev->props.mmu_features);
}

static int pvm_check_props(struct pvm_device *ptdev)
{
	struct device *dev = ptdev->base.dev;
	u32 va = pvm_va_bits(ptdev), pa = pvm_pa_bits(ptdev);

	if (va < 32 || va > 48 || pa < 32 || pa > 48) {
		dev_err(dev, "unsupported MMU_FEATURES %#x\n",
			ptdev->props.mmu_features);
		return -ENODEV;
	}

	/* Slot 0 belongs to the MCU: a user VM needs at least one more. */
	if (!(ptdev->props.as_present & ~BIT(0))) {
		dev_err(dev, "no address space for user VMs (AS_PRESENT %#x)\n",
			ptdev->props.as_present);
		return -ENODEV;
	}

	return 0;
}

static void pvm_flush_id_page_put(struct drm_device *ddev, void *data)
{
	struct pvm_device *ptdev = data;

	ptdev->flush_id = NULL;
	put_page(ptdev->flush_id_page);
}

static int pvm_flush_id_page_init(struct pvm_device *ptdev)
{
	ptdev->flush_id_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!ptdev->flush_id_page)
		return -ENOMEM;
	ptdev->flush_id = page_address(ptdev->flush_id_page);
	pvm_flush_id_update(ptdev);
	return drmm_add_action_or_reset(&ptdev->base, pvm_flush_id_page_put,
					ptdev);
}

static int pvm_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct pvm_device *ptdev;
	int ret;

	ptdev = devm_drm_dev_alloc(dev, &pvm_drm_driver, struct pvm_device,
				   base);
	if (IS_ERR(ptdev))
		return PTR_ERR(ptdev);

	ptdev->iomem = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(ptdev->iomem))
		return PTR_ERR(ptdev->iomem);
	/* DT and ACPI say it with their DMA attribute, software nodes with the property. */
	ptdev->coherent = device_get_dma_attr(dev) == DEV_DMA_COHERENT ||
			  device_property_read_bool(dev, "dma-coherent");

	pvm_read_props(ptdev);
	ret = pvm_check_props(ptdev);
	if (ret)
		return ret;

	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(pvm_pa_bits(ptdev)));
	if (ret)
		return ret;

	ret = pvm_flush_id_page_init(ptdev);
	if (ret)
		return ret;

	platform_set_drvdata(pdev, ptdev);
	INIT_LIST_HEAD(&ptdev->vm_list);
	ret = drmm_mutex_init(&ptdev->base, &ptdev->vm_list_lock);
	if (ret)
		return ret;
	INIT_LIST_HEAD(&ptdev->bo_list);
	ret = drmm_mutex_init(&ptdev->base, &ptdev->bo_list_lock);
	if (ret)
		return ret;

	ret = pvm_mmu_init(ptdev, pdev);
	if (ret)
		return ret;

	ret = drm_dev_register(&ptdev->base, 0);
	if (ret)
		return ret;

	drm_info(&ptdev->base, "Mali GPU %#010x arch %lu, %u-bit VA, %u-bit PA, AS %#x, %scoherent\n",
		 ptdev->props.gpu_id,
		 FIELD_GET(GPU_ID_ARCH_MAJOR, ptdev->props.gpu_id),
		 pvm_va_bits(ptdev), pvm_pa_bits(ptdev),
		 ptdev->props.as_present, ptdev->coherent ? "" : "non-");
	return 0;
}

/**
 * DOC: Teardown
 *
 * A file's release and VM_DESTROY unmap at once and wait for nothing a
 * user controls (queued binds keep the VM alive until their fences
 * signal, see DOC: Asynchronous binds). Every VM holds a reference on the
 * DRM device and on the module, so a VM that outlives its file, or the
 * device's unbind, still has its MMU state (embedded in &struct
 * pvm_device, freed with the DRM device) and its code.
 *
 * Unbinding the platform device: drm_dev_unplug() waits for the ioctls
 * and bind jobs inside drm_dev_enter() and makes later ones fail with
 * -ENODEV; pvm_mmu_unplug() then disables every AS slot, masks the MMU
 * interrupts and stops all register access, so what outlives the unbind
 * only updates page tables in memory the GPU no longer reaches; and the
 * driver's workqueue (the bind jobs' release) is drained. The IRQs and
 * the register mapping go with the platform device's devm resources
 * right after. The workqueue lives as long as the module: a bind job
 * that runs after the unbind is released on it, and the module's exit
 * waits for it.
 */
static void pvm_remove(struct platform_device *pdev)
{
	struct pvm_device *ptdev = platform_get_drvdata(pdev);

	drm_dev_unplug(&ptdev->base);
	pvm_mmu_unplug(&ptdev->mmu);
	flush_workqueue(pvm_wq);
}

/*
 * The software GPU's platform device. Real Malis are not matched: see
 * DOC: Driver.
 */
static const struct platform_device_id pvm_id_table[] = {
	{ .name = "panthor-vm-sim" },
	{}
};
MODULE_DEVICE_TABLE(platform, pvm_id_table);

static struct platform_driver pvm_platform_driver = {
	.probe = pvm_probe,
	.remove = pvm_remove,
	.id_table = pvm_id_table,
	.driver = {
		.name = "panthor-vm",
	},
};

/* Bind job release; see DOC: Teardown. */
struct workqueue_struct *pvm_wq;

static int __init pvm_init(void)
{
	int ret;

	pvm_wq = alloc_workqueue("panthor-vm", WQ_UNBOUND, 0);
	if (!pvm_wq)
		return -ENOMEM;
	ret = pvm_bind_sched_init();
	if (ret)
		goto err_wq;
	ret = platform_driver_register(&pvm_platform_driver);
	if (ret)
		goto err_sched;
	return 0;

err_sched:
	pvm_bind_sched_fini();
err_wq:
	destroy_workqueue(pvm_wq);
	return ret;
}
module_init(pvm_init);

static void __exit pvm_exit(void)
{
	platform_driver_unregister(&pvm_platform_driver);
	/* Drains it: the last bind jobs' release runs before the code goes. */
	destroy_workqueue(pvm_wq);
	pvm_bind_sched_fini();
}
module_exit(pvm_exit);

MODULE_AUTHOR("The panthor-vm authors");
MODULE_DESCRIPTION("Mali CSF GPU VM backend (panthor-vm)");
MODULE_LICENSE("GPL");
