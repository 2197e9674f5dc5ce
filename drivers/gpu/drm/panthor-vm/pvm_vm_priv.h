/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-vm authors
 *
 * Shared by the VM units (pvm_vm.c, pvm_bind.c, pvm_sim_uapi.c) only.
 */
#ifndef __PVM_VM_PRIV_H__
#define __PVM_VM_PRIV_H__

#include <linux/list.h>
#include <linux/types.h>

#include <drm/gpu_scheduler.h>
#include <drm/panthor_drm.h>

#include "pvm_pt.h"

struct drm_file;
struct drm_gpuvm_bo;
struct pvm_device;
struct pvm_file;
struct pvm_gem_object;
struct pvm_vm;
struct pvm_vma;

#define PVM_BIND_OP_TYPE(op) ((op)->flags & DRM_PANTHOR_VM_BIND_OP_TYPE_MASK)

/* drm_gpuvm steps: 1 new mapping, plus a prev and a next piece. */
#define PVM_OP_MAX_VMAS 3

/**
 * struct pvm_op_ctx - everything one bind op needs, gathered up front
 */
struct pvm_op_ctx {
	/** @vm: VM */
	struct pvm_vm *vm;
	/** @flags: the op's flags (type and map flags) */
	u32 flags;
	/** @va: first byte */
	u64 va;
	/** @size: bytes */
	u64 size;
	/** @bo: BO to map (a reference), NULL for unmaps */
	struct pvm_gem_object *bo;
	/** @bo_offset: BO offset of @va */
	u64 bo_offset;
	/** @repeat_range: pattern size, 0 for a plain mapping */
	u64 repeat_range;
	/** @pinned: @bo holds a GPU pin not yet handed to a mapping */
	bool pinned;
	/** @vm_bo: the (VM, BO) pair, one reference */
	struct drm_gpuvm_bo *vm_bo;
	/** @resv: reserved table pages */
	struct pvm_pt_resv resv;
	/** @fl: tables unlinked by the op, freed after the flush */
	struct pvm_pt_free_list fl;
	/** @vmas: preallocated mappings */
	struct pvm_vma *vmas[PVM_OP_MAX_VMAS];
	/** @returned: mappings removed by the op, freed after the flush */
	struct list_head returned;
	/** @flush_failed: the op's flush timed out; @fl must wait longer */
	bool flush_failed;
};

extern const struct drm_sched_backend_ops pvm_bind_sched_ops;

int pvm_vm_check_op(struct pvm_vm *vm, struct drm_file *file,
		    const struct drm_panthor_vm_bind_op *op,
		    struct pvm_gem_object **bop);
int pvm_op_ctx_prepare(struct pvm_vm *vm, struct pvm_file *pfile,
		       const struct drm_panthor_vm_bind_op *op,
		       struct pvm_gem_object *bo, struct pvm_op_ctx *ctx);
int pvm_vm_exec_op(struct pvm_vm *vm, struct pvm_op_ctx *ctx);
void pvm_op_ctx_cleanup(struct pvm_vm *vm, struct pvm_op_ctx *ctx);
u64 pvm_vm_full_va(struct pvm_device *ptdev);

#if IS_ENABLED(CONFIG_DRM_PANTHOR_VM_SIM)
void pvm_vm_agent_stop(struct pvm_vm *vm, struct drm_panthor_sim_agent *args);
#else
static inline void pvm_vm_agent_stop(struct pvm_vm *vm,
				     struct drm_panthor_sim_agent *args)
{
}
#endif

#endif /* __PVM_VM_PRIV_H__ */
