/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-vm authors
 */
#ifndef __PVM_VM_H__
#define __PVM_VM_H__

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include <drm/drm_gpuvm.h>
#include <drm/gpu_scheduler.h>

#include "pvm_mmu.h"
#include "pvm_pt.h"

struct drm_file;
struct drm_device;
struct drm_panthor_pvm_vm_bind_info;
struct pvm_device;
struct pvm_gem_object;
struct pvm_vm_agent;
struct seq_file;

/* VMs one file may have at once (ids 1..32), as upstream. */
#define PVM_MAX_VMS_PER_FILE	32

/* The kernel keeps at least this much of the GPU VA space for itself. */
#define PVM_MIN_KERNEL_VA	SZ_256M

/**
 * struct pvm_file - per-open-file state
 */
struct pvm_file {
	/** @ptdev: device */
	struct pvm_device *ptdev;
	/** @vms: VMs by id */
	struct xarray vms;
	/** @dummy_lock: protects @dummy */
	struct mutex dummy_lock;
	/**
	 * @dummy: page every MAP_SPARSE range of this file maps cyclically.
	 * Per file, because GPU writes land in it and must not leak to
	 * other clients.
	 */
	struct pvm_gem_object *dummy;
	/**
	 * @user_mmio_offset: mmap offset of the user MMIO pages for this
	 * file, DRM_PANTHOR_USER_MMIO_OFFSET_32BIT or _64BIT; set at open
	 * and by SET_USER_MMIO_OFFSET, read locklessly by mmap
	 */
	u64 user_mmio_offset;
};

/**
 * struct pvm_vm - one GPU virtual address space
 */
struct pvm_vm {
	/** @base: drm_gpuvm: the VA tree; its refcount is the VM's */
	struct drm_gpuvm base;
	/** @ptdev: device */
	struct pvm_device *ptdev;
	/** @pt: the page table */
	struct pvm_pt pt;
	/** @as: the MMU's view: AS slot, op window, faults */
	struct pvm_as as;
	/** @kernel_va_start: end of the user VA range */
	u64 kernel_va_start;
	/** @id: id in the owning file */
	u32 id;
	/** @pid: thread group of the creator, for debugfs */
	pid_t pid;
	/** @unusable: a fault or a failed bind: MAPs are refused */
	bool unusable;
	/** @destroyed: VM_DESTROY ran */
	bool destroyed;
	/** @pattern: page addresses of a repeat pattern; used under the op lock */
	dma_addr_t *pattern;
	/** @node: in the device's VM list (debugfs) */
	struct list_head node;
	/** @agent: the test agent streaming reads, or NULL; @agent_lock */
	struct pvm_vm_agent *agent;
	/** @agent_lock: protects @agent */
	struct mutex agent_lock;
	/**
	 * @entity: bind queue, an entity of the module's bind scheduler: one
	 * job at a time, in submission order
	 */
	struct drm_sched_entity entity;
	/** @has_queue: @entity was set up */
	bool has_queue;
	/**
	 * @zombies: tables of ops whose flush failed, released once the VM
	 * is off every slot; &pvm_as.op_lock
	 */
	struct pvm_pt_free_list zombies;
	/**
	 * @zombie_vmas: mappings removed by ops whose flush failed, their BO
	 * pages still pinned (&pvm_vma.node); &pvm_as.op_lock
	 */
	struct list_head zombie_vmas;
	/** @pool_lock: protects @pool and @pool_count */
	spinlock_t pool_lock;
	/** @pool: freed table pages kept mapped for reuse */
	struct list_head pool;
	/** @pool_count: pages on @pool */
	unsigned int pool_count;
};

/**
 * struct pvm_vm_resv_item - one page-table reservation of a bind op
 */
struct pvm_vm_resv_item {
	/** @va: first byte */
	u64 va;
	/** @size: bytes */
	u64 size;
	/** @kind: kind of update */
	enum pvm_pt_op_kind kind;
};

/* Most reservations one op needs, see pvm_vm_resv_plan(). */
#define PVM_VM_RESV_PLAN_MAX	6

unsigned int pvm_vm_resv_plan(u64 va, u64 size, bool map, bool repeat,
			      struct pvm_vm_resv_item *items);
void pvm_vm_block_span(const struct pvm_pt *pt, u64 start, u64 end,
		       u64 *ws, u64 *we);

int pvm_bind_sched_init(void);
void pvm_bind_sched_fini(void);
int pvm_vm_file_open(struct pvm_device *ptdev, struct drm_file *file);
void pvm_vm_file_close(struct drm_file *file);
struct pvm_vm *pvm_vm_lookup(struct drm_file *file, u32 id);
void pvm_vm_bind_info(struct drm_panthor_pvm_vm_bind_info *info);
void pvm_vm_put(struct pvm_vm *vm);
struct drm_gem_object *pvm_vm_resv_obj(struct pvm_vm *vm);
void pvm_vm_debugfs_show(struct pvm_device *ptdev, struct seq_file *m);
void pvm_vm_gpuva_show(struct pvm_device *ptdev, struct seq_file *m);

int pvm_ioctl_vm_create(struct drm_device *ddev, void *data,
			struct drm_file *file);
int pvm_ioctl_vm_destroy(struct drm_device *ddev, void *data,
			 struct drm_file *file);
int pvm_ioctl_vm_bind(struct drm_device *ddev, void *data,
		      struct drm_file *file);
int pvm_ioctl_vm_get_state(struct drm_device *ddev, void *data,
			   struct drm_file *file);
int pvm_ioctl_sim_gpu_access(struct drm_device *ddev, void *data,
			     struct drm_file *file);
int pvm_ioctl_sim_agent(struct drm_device *ddev, void *data,
			struct drm_file *file);

#endif /* __PVM_VM_H__ */
