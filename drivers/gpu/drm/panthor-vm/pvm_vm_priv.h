/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-vm authors
 *
 * Shared by the VM units (pvm_vm.c, pvm_vm_op.c, pvm_vm_exec.c, pvm_bind.c,
 * pvm_test_uapi.c) only.
 */
#ifndef __PVM_VM_PRIV_H__
#define __PVM_VM_PRIV_H__

#include <linux/list.h>
#include <linux/types.h>

#include <drm/drm_gpuvm.h>
#include <drm/gpu_scheduler.h>
#include <drm/panthor_drm.h>

#include "pvm_pt.h"

struct drm_file;
struct drm_panthor_sim_agent;
struct pvm_device;
struct pvm_file;
struct pvm_gem_object;
struct pvm_vm;

#define PVM_BIND_OP_TYPE(op) ((op)->flags & DRM_PANTHOR_VM_BIND_OP_TYPE_MASK)

#define PVM_BIND_OP_MAP_FLAGS (DRM_PANTHOR_VM_BIND_OP_MAP_READONLY | \
			       DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC | \
			       DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED | \
			       DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE | \
			       DRM_PANTHOR_VM_BIND_OP_MAP_REPEAT)

/**
 * struct pvm_vma - one mapping
 */
struct pvm_vma {
	/** @base: the drm_gpuva */
	struct drm_gpuva base;
	/** @node: in &pvm_op_ctx.returned once unmapped */
	struct list_head node;
	/** @flags: DRM_PANTHOR_VM_BIND_OP_MAP_* flags */
	u32 flags;
	/** @repeat_range: pattern size of a repeat mapping, 0 otherwise */
	u64 repeat_range;
	/** @repeat_offset: BO offset of the pattern */
	u64 repeat_offset;
};

#define to_pvm_vma(va) container_of(va, struct pvm_vma, base)

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

/* pvm_bind.c */
int pvm_bind_entity_init(struct drm_sched_entity *entity);

/* pvm_vm.c */
u64 pvm_vm_full_va(struct pvm_device *ptdev);
int pvm_vm_create(struct pvm_device *ptdev, u64 user_range,
		  struct pvm_vm **out);
void pvm_vm_destroy(struct pvm_vm *vm);

/* pvm_vm_op.c */
int pvm_vm_check_op(struct pvm_vm *vm, struct drm_file *file,
		    const struct drm_panthor_vm_bind_op *op,
		    struct pvm_gem_object **bop);
int pvm_op_ctx_prepare(struct pvm_vm *vm, struct pvm_file *pfile,
		       const struct drm_panthor_vm_bind_op *op,
		       struct pvm_gem_object *bo, struct pvm_op_ctx *ctx);
void pvm_op_ctx_init_unmap_all(struct pvm_vm *vm, struct pvm_op_ctx *ctx);
void pvm_op_ctx_cleanup(struct pvm_vm *vm, struct pvm_op_ctx *ctx);
void pvm_vma_list_release(struct list_head *list);

/* pvm_vm_exec.c */
int pvm_sm_step_map(struct drm_gpuva_op *op, void *priv);
int pvm_sm_step_remap(struct drm_gpuva_op *op, void *priv);
int pvm_sm_step_unmap(struct drm_gpuva_op *op, void *priv);
int pvm_vm_exec_op(struct pvm_vm *vm, struct pvm_op_ctx *ctx);

#if IS_ENABLED(CONFIG_DRM_PANTHOR_VM_SIM)
void pvm_vm_agent_stop(struct pvm_vm *vm, struct drm_panthor_sim_agent *args);
#else
static inline void pvm_vm_agent_stop(struct pvm_vm *vm,
				     struct drm_panthor_sim_agent *args)
{
}
#endif

#endif /* __PVM_VM_PRIV_H__ */
