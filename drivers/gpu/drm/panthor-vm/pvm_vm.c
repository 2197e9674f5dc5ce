// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <drm/drm_debugfs.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>
#include <drm/gpu_scheduler.h>
#include <drm/panthor_drm.h>

#include "pvm_device.h"
#include "pvm_gem.h"
#include "pvm_vm.h"
#include "pvm_vm_priv.h"

/**
 * DOC: VM objects and binds
 *
 * A VM is a &struct drm_gpuvm (the VA tree), a driver-owned page table
 * (&struct pvm_pt) and an MMU address-space context (&struct pvm_as). Each
 * open file has up to %PVM_MAX_VMS_PER_FILE of them. pvm_vm.c owns their
 * life (VM_CREATE, VM_DESTROY, the end of a file), their table memory and
 * VM_GET_STATE; pvm_vm_op.c prepares bind ops and pvm_vm_exec.c applies
 * them.
 *
 * One bind op runs top to bottom with no back and forth:
 *
 * 1. validate (every op of the array, before any is applied);
 * 2. prepare an op context (see DOC: Op contexts): look up and GPU-pin the
 *    BO, reserve every table page the op can need, preallocate the
 *    drm_gpuva objects and the vm_bo. After this nothing can fail for lack
 *    of memory. Table pages come from a small per-VM pool of freed pages
 *    when it has some;
 * 3. open the op window (pvm_as_op_begin_locked(): one LOCK of the op
 *    range, widened to the 2 MiB blocks its edges cut into, if the VM is
 *    resident; see DOC: Partial blocks);
 * 4. let drm_gpuvm split the op into map / remap / unmap steps and apply
 *    each to the page table;
 * 5. close the window (pvm_as_op_end(): one cache flush and UNLOCK);
 * 6. release the page tables the op unlinked and the mappings it removed
 *    (GPU pins, DMA mappings, vm_bo references): only now can the GPU no
 *    longer reach them.
 *
 * Locking: the op window holds &pvm_as.op_lock, which serialises every
 * change of the VA tree and of the page table, and every read of the
 * table that must not see it change. Inside it, a BO's
 * &pvm_gem_object.gpuva_lock protects its gpuva list. Reservations are
 * made and released outside the op lock: they only read the table's
 * configuration. Nothing is allocated with the op lock held, so an
 * asynchronous bind can take it in the fence signalling path.
 */

#define to_pvm_vm(gpuvm) container_of(gpuvm, struct pvm_vm, base)

/*
 * Page-table memory: one page each, mapped for the GPU with the DMA API.
 * Freed tables go to a small per-VM pool, still mapped, so that the
 * reservations of small binds pop pages instead of allocating and mapping
 * them. A pooled page's bus address is kept in page->private. With
 * CONFIG_DRM_PANTHOR_VM_DEBUG_TABLES a pooled page is poisoned and
 * unmapped instead, and mapped again when reused, still poisoned. Pages
 * are handed out as they are: the page table clears a table (and syncs it
 * for a non-coherent walker) when an op links it, not when it is
 * reserved, since most reserved tables go back unused.
 */
#define PVM_VM_TABLE_POOL_MAX	64

/* Bits [1:0] clear: every descriptor of a poisoned table is invalid. */
#define PVM_VM_TABLE_POISON	0x7c

static bool pvm_vm_pool_unmapped(void)
{
	return IS_ENABLED(CONFIG_DRM_PANTHOR_VM_DEBUG_TABLES);
}

/* Make CPU writes of table bytes visible to a non-coherent walker. */
static void pvm_vm_sync_for_device(struct pvm_vm *vm, dma_addr_t dma,
				   size_t size)
{
	struct pvm_device *ptdev = vm->ptdev;

	if (!ptdev->coherent)
		dma_sync_single_for_device(ptdev->base.dev, dma, size,
					   DMA_TO_DEVICE);
}

static void *pvm_vm_alloc_table(void *priv, dma_addr_t *dma)
{
	struct pvm_vm *vm = priv;
	struct device *dev = vm->ptdev->base.dev;
	struct page *page;

	spin_lock(&vm->pool_lock);
	page = list_first_entry_or_null(&vm->pool, struct page, lru);
	if (page) {
		list_del(&page->lru);
		vm->pool_count--;
	}
	spin_unlock(&vm->pool_lock);

	/* Not cleared: the page table clears a table when it links it. */
	if (page && !pvm_vm_pool_unmapped()) {
		*dma = page_private(page);
		set_page_private(page, 0);
		return page_address(page);
	}

	if (!page)
		page = alloc_page(GFP_KERNEL);
	if (!page)
		return NULL;
	*dma = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, *dma)) {
		/* NULL: the page table reports -ENOMEM. */
		__free_page(page);
		return NULL;
	}
	return page_address(page);
}

static void pvm_vm_free_table(void *priv, void *cpu, dma_addr_t dma)
{
	struct pvm_vm *vm = priv;
	struct page *page = virt_to_page(cpu);

	if (pvm_vm_pool_unmapped()) {
		/* Off the GPU's bus until reused; poisoned for the CPU. */
		memset(cpu, PVM_VM_TABLE_POISON, PAGE_SIZE);
		dma_unmap_page(vm->ptdev->base.dev, dma, PAGE_SIZE,
			       DMA_TO_DEVICE);
		dma = 0;
	}

	spin_lock(&vm->pool_lock);
	if (vm->pool_count < PVM_VM_TABLE_POOL_MAX) {
		set_page_private(page, dma);
		list_add(&page->lru, &vm->pool);
		vm->pool_count++;
		page = NULL;
	}
	spin_unlock(&vm->pool_lock);

	if (page) {
		if (!pvm_vm_pool_unmapped())
			dma_unmap_page(vm->ptdev->base.dev, dma, PAGE_SIZE,
				       DMA_TO_DEVICE);
		__free_page(page);
	}
}

static void pvm_vm_drain_pool(struct pvm_vm *vm)
{
	struct page *page, *tmp;

	list_for_each_entry_safe(page, tmp, &vm->pool, lru) {
		list_del(&page->lru);
		if (!pvm_vm_pool_unmapped())
			dma_unmap_page(vm->ptdev->base.dev, page_private(page),
				       PAGE_SIZE, DMA_TO_DEVICE);
		set_page_private(page, 0);
		__free_page(page);
	}
	vm->pool_count = 0;
}

static void pvm_vm_sync_table(void *priv, dma_addr_t dma, size_t size)
{
	pvm_vm_sync_for_device(priv, dma, size);
}

static const struct pvm_pt_mem_ops pvm_vm_pt_ops = {
	.alloc_table = pvm_vm_alloc_table,
	.free_table = pvm_vm_free_table,
	.sync_for_device = pvm_vm_sync_table,
};

static void pvm_vm_fault(struct pvm_as *as, const struct pvm_as_fault *fault)
{
	struct pvm_vm *vm = container_of(as, struct pvm_vm, as);

	/* A faulted VM stays unusable: jobs on it are lost. */
	WRITE_ONCE(vm->unusable, true);
}

static const struct pvm_as_ops pvm_vm_as_ops = {
	.fault = pvm_vm_fault,
};

static void pvm_vm_free(struct drm_gpuvm *gpuvm)
{
	struct pvm_vm *vm = to_pvm_vm(gpuvm);
	struct pvm_device *ptdev = vm->ptdev;

	/* Every job held a reference: the queue is empty. */
	if (vm->has_queue)
		drm_sched_entity_destroy(&vm->entity);
	if (!pvm_as_fini(&vm->as)) {
		/* Wedged GPU: it may still walk these tables, keep them. */
		drm_err(&ptdev->base, "VM %u: GPU not recovered, its page table is kept\n",
			vm->id);
		return;
	}
	/* Off every slot now: tables whose flush failed can go too. */
	pvm_pt_free_list_release(&vm->pt, &vm->zombies);
	pvm_pt_fini(&vm->pt);
	pvm_vm_drain_pool(vm);
	mutex_destroy(&vm->agent_lock);
	kfree(vm->pattern);
	kfree(vm);
	/* Taken by pvm_vm_create(): the device and the code outlive the VM. */
	drm_dev_put(&ptdev->base);
	module_put(THIS_MODULE);
}

static const struct drm_gpuvm_ops pvm_gpuvm_ops = {
	.vm_free = pvm_vm_free,
	.sm_step_map = pvm_sm_step_map,
	.sm_step_remap = pvm_sm_step_remap,
	.sm_step_unmap = pvm_sm_step_unmap,
};

/**
 * pvm_vm_full_va() - size of the GPU virtual address space
 * @ptdev: device
 *
 * Return: 2^VA_BITS.
 */
u64 pvm_vm_full_va(struct pvm_device *ptdev)
{
	return BIT_ULL(pvm_va_bits(ptdev));
}

/**
 * pvm_vm_resv_obj() - the GEM object holding a VM's reservation object
 * @vm: VM
 *
 * Return: the object; BOs exclusive to @vm share its resv.
 */
struct drm_gem_object *pvm_vm_resv_obj(struct pvm_vm *vm)
{
	return vm->base.r_obj;
}

/**
 * pvm_vm_lookup() - find a VM of a file
 * @file: DRM file
 * @id: VM id
 *
 * Return: the VM with a reference (pvm_vm_put()), or NULL.
 */
struct pvm_vm *pvm_vm_lookup(struct drm_file *file, u32 id)
{
	struct pvm_file *pfile = file->driver_priv;
	struct pvm_vm *vm;

	xa_lock(&pfile->vms);
	vm = xa_load(&pfile->vms, id);
	if (vm)
		drm_gpuvm_get(&vm->base);
	xa_unlock(&pfile->vms);
	return vm;
}

/**
 * pvm_vm_put() - drop a VM reference
 * @vm: VM, or NULL
 */
void pvm_vm_put(struct pvm_vm *vm)
{
	if (vm)
		drm_gpuvm_put(&vm->base);
}

static int pvm_vm_init_queue(struct pvm_vm *vm)
{
	int ret = pvm_bind_entity_init(&vm->entity);

	vm->has_queue = !ret;
	return ret;
}

/**
 * pvm_vm_create() - create a VM with its page table, AS and bind queue
 * @ptdev: device
 * @user_range: bytes of VA for userspace from 0, 0 for the default
 * @out: returns the VM, with one reference
 *
 * VM_CREATE's work without the file: the KUnit tests of the VM layer
 * create their VMs on their own software GPU with it.
 *
 * Return: 0, -EINVAL for a @user_range the GPU cannot give, -ENOMEM.
 */
int pvm_vm_create(struct pvm_device *ptdev, u64 user_range,
		  struct pvm_vm **out)
{
	u64 full = pvm_vm_full_va(ptdev), kernel_range;
	struct drm_gem_object *r_obj;
	struct pvm_pt_config cfg;
	struct pvm_vm *vm;
	int ret;

	if (!user_range)
		user_range = full > SZ_4G ? full / 2 : full - PVM_MIN_KERNEL_VA;
	if (user_range > full - PVM_MIN_KERNEL_VA)
		return -EINVAL;
	kernel_range = rounddown_pow_of_two(full - user_range);

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return -ENOMEM;
	vm->pattern = kcalloc(PVM_PT_REPEAT_MAX_PAGES, sizeof(*vm->pattern),
			      GFP_KERNEL);
	if (!vm->pattern) {
		kfree(vm);
		return -ENOMEM;
	}

	vm->ptdev = ptdev;
	INIT_LIST_HEAD(&vm->pool);
	spin_lock_init(&vm->pool_lock);
	vm->kernel_va_start = full - kernel_range;
	vm->pid = task_tgid_nr(current);
	mutex_init(&vm->agent_lock);
	INIT_LIST_HEAD(&vm->node);
	INIT_LIST_HEAD(&vm->zombie_vmas);

	cfg = (struct pvm_pt_config) {
		.va_bits = pvm_va_bits(ptdev),
		.pa_bits = pvm_pa_bits(ptdev),
		.pgsize_bitmap = SZ_4K | SZ_2M,
		.coherent = ptdev->coherent,
		.ops = &pvm_vm_pt_ops,
		.priv = vm,
	};
	ret = pvm_pt_init(&vm->pt, &cfg);
	if (ret) {
		pvm_vm_drain_pool(vm);
		mutex_destroy(&vm->agent_lock);
		kfree(vm->pattern);
		kfree(vm);
		return ret;
	}

	/*
	 * Queued binds keep a VM alive after its file closed, and after the
	 * device was unbound: it holds the device (and its MMU state) and the
	 * module, both dropped by pvm_vm_free().
	 */
	drm_dev_get(&ptdev->base);
	__module_get(THIS_MODULE);
	pvm_as_init(&ptdev->mmu, &vm->as, pvm_pt_root_dma(&vm->pt),
		    pvm_mmu_transcfg(pvm_va_bits(ptdev), ptdev->coherent),
		    pvm_mmu_memattr(ptdev->coherent), &pvm_vm_as_ops);

	r_obj = drm_gpuvm_resv_object_alloc(&ptdev->base);
	if (!r_obj) {
		pvm_vm_free(&vm->base);
		return -ENOMEM;
	}
	drm_gpuvm_init(&vm->base, "panthor-vm", 0, &ptdev->base, r_obj, 0,
		       full, vm->kernel_va_start, kernel_range, &pvm_gpuvm_ops);
	drm_gem_object_put(r_obj);

	ret = pvm_vm_init_queue(vm);
	if (ret) {
		drm_gpuvm_put(&vm->base);
		return ret;
	}

	mutex_lock(&ptdev->vm_list_lock);
	list_add_tail(&vm->node, &ptdev->vm_list);
	mutex_unlock(&ptdev->vm_list_lock);
	*out = vm;
	return 0;
}

/**
 * pvm_vm_destroy() - unmap everything and drop the creation reference
 * @vm: VM from pvm_vm_create()
 *
 * Does not wait for queued binds (see the comment inside) and allocates
 * nothing; the VM dies with its last reference, and with it its AS slot.
 */
void pvm_vm_destroy(struct pvm_vm *vm)
{
	struct pvm_device *ptdev = vm->ptdev;
	LIST_HEAD(zombies);
	struct pvm_op_ctx ctx;
	bool recovered;
	int ret;

	/*
	 * No wait for queued binds: they may wait on user fences that only
	 * a later close (or never) signals, and this runs at file release
	 * and in VM_DESTROY. Each job holds a VM reference and runs when its
	 * fences signal; a MAP then finds the VM destroyed and is refused,
	 * an UNMAP finds nothing left to unmap.
	 */
	WRITE_ONCE(vm->destroyed, true);
	/*
	 * After destroyed is set: a SIM_AGENT START that looked the VM up
	 * before VM_DESTROY removed it either sees destroyed under the agent
	 * lock and refuses, or started its agent before this stop takes the
	 * lock. No agent outlives the VM's slot.
	 */
	pvm_vm_agent_stop(vm, NULL);

	/*
	 * After an MMU timeout, the reset it queued first (bounded): then the
	 * unmap runs on a GPU that reaches nothing of the VM, and what the
	 * failed ops kept can go (see DOC: Recovery). On a wedged GPU it all
	 * stays, and so does the VM: its mappings hold references on it.
	 */
	recovered = pvm_as_wait_recovered(&vm->as);

	/* Allocates nothing: teardown cannot fail for lack of memory. */
	pvm_op_ctx_init_unmap_all(vm, &ctx);
	ret = pvm_vm_exec_op(vm, &ctx);
	pvm_op_ctx_cleanup(vm, &ctx);
	if (ret && recovered)
		drm_err(&ptdev->base, "VM %u: unmapping on destroy failed (%d)\n",
			vm->id, ret);

	if (recovered && pvm_as_wait_recovered(&vm->as)) {
		mutex_lock(&vm->as.op_lock);
		list_splice_init(&vm->zombie_vmas, &zombies);
		pvm_pt_free_list_release(&vm->pt, &vm->zombies);
		mutex_unlock(&vm->as.op_lock);
		pvm_vma_list_release(&zombies);
	}

	mutex_lock(&ptdev->vm_list_lock);
	list_del_init(&vm->node);
	mutex_unlock(&ptdev->vm_list_lock);
	pvm_vm_put(vm);
}

/**
 * pvm_vm_file_open() - set up the VM pool of a new file
 * @ptdev: device
 * @file: DRM file
 *
 * Return: 0 or -ENOMEM.
 */
int pvm_vm_file_open(struct pvm_device *ptdev, struct drm_file *file)
{
	struct pvm_file *pfile;

	pfile = kzalloc(sizeof(*pfile), GFP_KERNEL);
	if (!pfile)
		return -ENOMEM;
	pfile->ptdev = ptdev;
	xa_init_flags(&pfile->vms, XA_FLAGS_ALLOC1);
	mutex_init(&pfile->dummy_lock);
	file->driver_priv = pfile;
	return 0;
}

/**
 * pvm_vm_file_close() - destroy the VMs of a closing file
 * @file: DRM file
 */
void pvm_vm_file_close(struct drm_file *file)
{
	struct pvm_file *pfile = file->driver_priv;
	struct pvm_vm *vm;
	unsigned long id;

	xa_for_each(&pfile->vms, id, vm) {
		xa_erase(&pfile->vms, id);
		pvm_vm_destroy(vm);
	}
	xa_destroy(&pfile->vms);
	if (pfile->dummy)
		drm_gem_object_put(&pfile->dummy->base.base);
	mutex_destroy(&pfile->dummy_lock);
	kfree(pfile);
}

/**
 * pvm_ioctl_vm_create() - DRM_IOCTL_PANTHOR_VM_CREATE
 * @ddev: DRM device
 * @data: &struct drm_panthor_vm_create
 * @file: DRM file
 *
 * Return: 0, -EINVAL for bad flags or range, -EBUSY when the file has
 * %PVM_MAX_VMS_PER_FILE VMs, -ENOMEM.
 */
int pvm_ioctl_vm_create(struct drm_device *ddev, void *data,
			struct drm_file *file)
{
	struct pvm_device *ptdev = to_pvm_device(ddev);
	struct pvm_file *pfile = file->driver_priv;
	struct drm_panthor_vm_create *args = data;
	struct pvm_vm *vm;
	u32 id;
	int ret;

	if (args->flags)
		return -EINVAL;

	ret = pvm_vm_create(ptdev, args->user_va_range, &vm);
	if (ret)
		return ret;

	ret = xa_alloc(&pfile->vms, &id, vm,
		       XA_LIMIT(1, PVM_MAX_VMS_PER_FILE), GFP_KERNEL);
	if (ret) {
		pvm_vm_destroy(vm);
		return ret;
	}
	vm->id = id;
	args->id = id;
	args->user_va_range = vm->kernel_va_start;
	return 0;
}

/**
 * pvm_ioctl_vm_destroy() - DRM_IOCTL_PANTHOR_VM_DESTROY
 * @ddev: DRM device
 * @data: &struct drm_panthor_vm_destroy
 * @file: DRM file
 *
 * Return: 0, or -EINVAL for an unknown id or a non-zero pad.
 */
int pvm_ioctl_vm_destroy(struct drm_device *ddev, void *data,
			 struct drm_file *file)
{
	struct pvm_file *pfile = file->driver_priv;
	struct drm_panthor_vm_destroy *args = data;
	struct pvm_vm *vm;

	if (args->pad)
		return -EINVAL;

	vm = xa_erase(&pfile->vms, args->id);
	if (!vm)
		return -EINVAL;

	pvm_vm_destroy(vm);
	return 0;
}

/**
 * pvm_ioctl_vm_get_state() - DRM_IOCTL_PANTHOR_VM_GET_STATE
 * @ddev: DRM device
 * @data: &struct drm_panthor_vm_get_state
 * @file: DRM file
 *
 * Return: 0, or -EINVAL for an unknown id.
 */
int pvm_ioctl_vm_get_state(struct drm_device *ddev, void *data,
			   struct drm_file *file)
{
	struct drm_panthor_vm_get_state *args = data;
	struct pvm_vm *vm;

	vm = pvm_vm_lookup(file, args->vm_id);
	if (!vm)
		return -EINVAL;

	args->state = READ_ONCE(vm->unusable) ? DRM_PANTHOR_VM_STATE_UNUSABLE :
						DRM_PANTHOR_VM_STATE_USABLE;
	pvm_vm_put(vm);
	return 0;
}

/* Unsignalled fences of the VM's reservation object: its queued binds. */
static unsigned int pvm_vm_pending_fences(struct pvm_vm *vm)
{
	struct dma_resv_iter cursor;
	struct dma_fence *fence;
	unsigned int n = 0;

	dma_resv_iter_begin(&cursor, pvm_vm_resv_obj(vm)->resv,
			    DMA_RESV_USAGE_BOOKKEEP);
	dma_resv_for_each_fence_unlocked(&cursor, fence) {
		if (!dma_fence_is_signaled(fence))
			n++;
	}
	dma_resv_iter_end(&cursor);
	return n;
}

/**
 * pvm_vm_debugfs_show() - one line per VM: state, tables, slot, pending binds
 * @ptdev: device
 * @m: seq_file
 */
void pvm_vm_debugfs_show(struct pvm_device *ptdev, struct seq_file *m)
{
	struct pvm_pt_stats st;
	struct pvm_vm *vm;

	mutex_lock(&ptdev->vm_list_lock);
	list_for_each_entry(vm, &ptdev->vm_list, node) {
		/* The counters are read without the op lock: a snapshot. */
		pvm_pt_get_stats(&vm->pt, &st);
		seq_printf(m, "pid %d vm %u state %s tables %llu shared %llu mapped %llu faults %u slot %d resv_pending %u\n",
			   vm->pid, vm->id,
			   READ_ONCE(vm->unusable) ? "unusable" : "usable",
			   st.tables, st.shared_tables, st.bytes_mapped,
			   READ_ONCE(vm->as.fault_count), READ_ONCE(vm->as.slot),
			   pvm_vm_pending_fences(vm));
	}
	mutex_unlock(&ptdev->vm_list_lock);
}

/**
 * pvm_vm_gpuva_show() - the AS state, last fault and mappings of every VM
 * @ptdev: device
 * @m: seq_file
 */
void pvm_vm_gpuva_show(struct pvm_device *ptdev, struct seq_file *m)
{
	struct pvm_vm *vm;

	mutex_lock(&ptdev->vm_list_lock);
	list_for_each_entry(vm, &ptdev->vm_list, node) {
		seq_printf(m, "pid %d vm %u:\n", vm->pid, vm->id);
		pvm_as_debugfs_show(&vm->as, m);
		mutex_lock(&vm->as.op_lock);
		drm_debugfs_gpuva_info(m, &vm->base);
		mutex_unlock(&vm->as.op_lock);
	}
	mutex_unlock(&ptdev->vm_list_lock);
}
