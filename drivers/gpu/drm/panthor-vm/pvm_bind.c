// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/dma-fence-chain.h>
#include <linux/dma-resv.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_syncobj.h>
#include <drm/gpu_scheduler.h>
#include <drm/panthor_drm.h>

#include "pvm_device.h"
#include "pvm_gem.h"
#include "pvm_vm.h"
#include "pvm_vm_priv.h"

/**
 * DOC: Asynchronous binds
 *
 * With %DRM_PANTHOR_VM_BIND_ASYNC each op becomes a job on the VM's bind
 * queue, an entity of the module's bind scheduler (credit limit one), so
 * a VM's jobs run one at a time in submission order. Everything a job needs is
 * allocated in the ioctl: its op context (the same as a synchronous op's),
 * the syncobjs it signals and the timeline chain nodes. The job itself
 * (run_job, in the fence signalling path) only opens the op window,
 * applies the steps and closes it; its context is released in free_job.
 *
 * Wait syncs become scheduler dependencies, resolved in op order so an op
 * may wait on a syncobj point an earlier op of the same ioctl signals (it
 * waits for that op's fence). Signal syncs get the job's finished fence
 * before the ioctl returns. The ioctl is all or nothing: no job is queued
 * and no syncobj changed unless every op was checked, prepared and armed
 * (see pvm_vm_bind_async()). A job that
 * fails sets the error on its fence and makes the VM unusable: later MAPs
 * are refused with -EINVAL, UNMAPs still run.
 *
 * As upstream, an op beyond the GPU's VA space is not rejected by an
 * asynchronous ioctl: it fails when it runs.
 */

#define PVM_BIND_OP_MIN_SIZE offsetofend(struct drm_panthor_vm_bind_op, syncs)

/*
 * Most ops and syncs one VM_BIND takes. The arrays are copied into kernel
 * memory before anything runs; without a bound a user-chosen count would
 * reach kvmalloc()'s INT_MAX limit and its WARN.
 */
#define PVM_BIND_MAX_OPS	SZ_64K
#define PVM_BIND_MAX_SYNCS	SZ_64K

static int pvm_copy_bind_ops(const struct drm_panthor_obj_array *in,
			     struct drm_panthor_vm_bind_op **out)
{
	struct drm_panthor_vm_bind_op *ops;
	u32 i;
	int ret;

	*out = NULL;
	if (!in->count)
		return 0;
	if (in->stride < PVM_BIND_OP_MIN_SIZE || in->count > PVM_BIND_MAX_OPS)
		return -EINVAL;

	ops = kvmalloc_array(in->count, sizeof(*ops), GFP_KERNEL);
	if (!ops)
		return -ENOMEM;

	for (i = 0; i < in->count; i++) {
		void __user *p = u64_to_user_ptr(in->array +
						 (u64)i * in->stride);

		/* Missing fields read as zero; unknown ones must be zero. */
		ret = copy_struct_from_user(&ops[i], sizeof(ops[i]), p,
					    in->stride);
		if (ret) {
			kvfree(ops);
			return ret;
		}
	}
	*out = ops;
	return 0;
}

/*
 * As upstream, a synchronous SYNC_ONLY op has nothing to wait on or
 * signal and does nothing; it must still carry no sync op and no range.
 */
static int pvm_check_sync_only(const struct drm_panthor_vm_bind_op *op)
{
	if (op->flags & ~DRM_PANTHOR_VM_BIND_OP_TYPE_MASK || op->bo_handle ||
	    op->bo_offset || op->va || op->size || op->repeat_range)
		return -EINVAL;
	return 0;
}

static int pvm_vm_bind_sync(struct pvm_vm *vm, struct drm_file *file,
			    struct drm_panthor_vm_bind *args,
			    struct drm_panthor_vm_bind_op *ops)
{
	struct pvm_gem_object **bos;
	struct pvm_op_ctx ctx;
	u32 i, n = args->ops.count;
	int ret = 0;

	bos = kvcalloc(n, sizeof(*bos), GFP_KERNEL);
	if (!bos) {
		args->ops.count = 0;
		return -ENOMEM;
	}

	/* Every op is checked before the first one is applied. */
	for (i = 0; i < n; i++) {
		if (ops[i].syncs.count)
			ret = -EINVAL;
		else if (PVM_BIND_OP_TYPE(&ops[i]) ==
			 DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY)
			ret = pvm_check_sync_only(&ops[i]);
		else
			ret = pvm_vm_check_op(vm, file, &ops[i], &bos[i]);
		if (ret) {
			args->ops.count = i;
			goto out;
		}
	}

	for (i = 0; i < n; i++) {
		if (!ops[i].size)
			continue;
		ret = pvm_op_ctx_prepare(vm, file->driver_priv, &ops[i],
					 bos[i], &ctx);
		/* The context owns the BO reference now, even on error. */
		bos[i] = NULL;
		if (!ret)
			ret = pvm_vm_exec_op(vm, &ctx);
		pvm_op_ctx_cleanup(vm, &ctx);
		if (ret) {
			args->ops.count = i;
			break;
		}
	}

out:
	for (i = 0; i < n; i++)
		if (bos[i])
			drm_gem_object_put(&bos[i]->base.base);
	kvfree(bos);
	return ret;
}

/**
 * struct pvm_bind_signal - one syncobj a bind job signals
 */
struct pvm_bind_signal {
	/** @syncobj: the syncobj (a reference) */
	struct drm_syncobj *syncobj;
	/** @chain: timeline node, NULL for a binary syncobj */
	struct dma_fence_chain *chain;
	/** @point: timeline point */
	u64 point;
};

/**
 * struct pvm_bind_job - one asynchronous bind op
 */
struct pvm_bind_job {
	/** @base: scheduler job */
	struct drm_sched_job base;
	/** @vm: VM (a reference) */
	struct pvm_vm *vm;
	/** @ctx: the op, prepared */
	struct pvm_op_ctx ctx;
	/** @prepared: @ctx holds resources to release */
	bool prepared;
	/** @noop: SYNC_ONLY or empty op: nothing to apply */
	bool noop;
	/** @fail: error the job reports when it runs, 0 if none */
	int fail;
	/** @syncs: the op's sync operations */
	struct drm_panthor_sync_op *syncs;
	/** @nsyncs: entries in @syncs */
	u32 nsyncs;
	/** @signals: syncobjs to signal */
	struct pvm_bind_signal *signals;
	/** @nsignals: entries in @signals */
	u32 nsignals;
	/** @free_work: releases the job outside the scheduler's workqueue */
	struct work_struct free_work;
};

#define to_bind_job(j) container_of(j, struct pvm_bind_job, base)

static void pvm_bind_job_free(struct pvm_bind_job *job)
{
	u32 i;

	if (job->prepared)
		pvm_op_ctx_cleanup(job->vm, &job->ctx);
	else if (job->ctx.bo)
		drm_gem_object_put(&job->ctx.bo->base.base);
	for (i = 0; i < job->nsignals; i++) {
		if (job->signals[i].syncobj)
			drm_syncobj_put(job->signals[i].syncobj);
		dma_fence_chain_free(job->signals[i].chain);
	}
	kvfree(job->signals);
	kvfree(job->syncs);
	pvm_vm_put(job->vm);
	kfree(job);
}

static struct dma_fence *pvm_bind_job_run(struct drm_sched_job *sched_job)
{
	struct pvm_bind_job *job = to_bind_job(sched_job);
	int ret = job->fail, idx;
	bool cookie;

	cookie = dma_fence_begin_signalling();
	/* An unbind waits for a running job; later ones fail. */
	if (!drm_dev_enter(&job->vm->ptdev->base, &idx)) {
		ret = ret ?: -ENODEV;
	} else {
		if (!ret && !job->noop)
			ret = pvm_vm_exec_op(job->vm, &job->ctx);
		drm_dev_exit(idx);
	}
	dma_fence_end_signalling(cookie);

	if (ret) {
		WRITE_ONCE(job->vm->unusable, true);
		return ERR_PTR(ret);
	}
	return NULL;
}

static enum drm_gpu_sched_stat pvm_bind_job_timedout(struct drm_sched_job *j)
{
	/* The queue has no timeout: a bind never hangs on the GPU. */
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

static void pvm_bind_job_free_work(struct work_struct *work)
{
	pvm_bind_job_free(container_of(work, struct pvm_bind_job, free_work));
}

static void pvm_bind_job_free_cb(struct drm_sched_job *sched_job)
{
	struct pvm_bind_job *job = to_bind_job(sched_job);

	drm_sched_job_cleanup(sched_job);
	/*
	 * The job may hold the last VM reference, and freeing the VM stops
	 * this scheduler: do it from the driver's workqueue, which an unbind
	 * drains and the module's exit destroys (so the code is still there).
	 */
	INIT_WORK(&job->free_work, pvm_bind_job_free_work);
	queue_work(pvm_wq, &job->free_work);
}

static const struct drm_sched_backend_ops pvm_bind_sched_ops = {
	.run_job = pvm_bind_job_run,
	.timedout_job = pvm_bind_job_timedout,
	.free_job = pvm_bind_job_free_cb,
};

/*
 * One bind scheduler for every VM of every device, each VM an entity of
 * it: a scheduler's fences point at it (their timeline name is its name),
 * and userspace may keep a bind's fence in a sync_file long after the VM,
 * or the device, is gone. So the scheduler lives as long as the module.
 * Jobs run one at a time; a job waiting for its fences blocks only its
 * own VM's entity.
 */
static struct drm_gpu_scheduler pvm_bind_sched;

/**
 * pvm_bind_sched_init() - start the bind scheduler, at module load
 *
 * Return: 0 or a negative errno.
 */
int pvm_bind_sched_init(void)
{
	const struct drm_sched_init_args args = {
		.ops = &pvm_bind_sched_ops,
		.num_rqs = 1,
		.credit_limit = 1,
		.timeout = MAX_SCHEDULE_TIMEOUT,
		.name = "panthor-vm-bind",
	};

	return drm_sched_init(&pvm_bind_sched, &args);
}

/**
 * pvm_bind_sched_fini() - stop the bind scheduler, at module unload
 *
 * Every VM, and so every entity, is gone by then: each held the module.
 */
void pvm_bind_sched_fini(void)
{
	drm_sched_fini(&pvm_bind_sched);
}

/**
 * pvm_bind_entity_init() - give a VM its bind queue
 * @entity: the VM's entity
 *
 * Return: 0 or a negative errno.
 */
int pvm_bind_entity_init(struct drm_sched_entity *entity)
{
	struct drm_gpu_scheduler *sched = &pvm_bind_sched;

	return drm_sched_entity_init(entity, DRM_SCHED_PRIORITY_KERNEL,
				     &sched, 1, NULL);
}

static int pvm_copy_syncs(const struct drm_panthor_obj_array *in,
			  struct drm_panthor_sync_op **out)
{
	struct drm_panthor_sync_op *syncs;
	u32 i;
	int ret;

	*out = NULL;
	if (!in->count)
		return 0;
	if (in->stride < sizeof(*syncs) || in->count > PVM_BIND_MAX_SYNCS)
		return -EINVAL;

	syncs = kvmalloc_array(in->count, sizeof(*syncs), GFP_KERNEL);
	if (!syncs)
		return -ENOMEM;
	for (i = 0; i < in->count; i++) {
		ret = copy_struct_from_user(&syncs[i], sizeof(syncs[i]),
					    u64_to_user_ptr(in->array +
							    (u64)i * in->stride),
					    in->stride);
		if (ret) {
			kvfree(syncs);
			return ret;
		}
	}
	*out = syncs;
	return 0;
}

#define PVM_SYNC_OP_FLAGS (DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK | \
			   DRM_PANTHOR_SYNC_OP_SIGNAL)

static int pvm_bind_job_prepare_syncs(struct pvm_bind_job *job,
				      struct drm_file *file)
{
	u32 i, n = 0;

	for (i = 0; i < job->nsyncs; i++) {
		const struct drm_panthor_sync_op *op = &job->syncs[i];
		u32 type = op->flags & DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK;
		struct drm_syncobj *syncobj;

		if (op->flags & ~PVM_SYNC_OP_FLAGS ||
		    (type != DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ &&
		     type != DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ) ||
		    (type == DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ &&
		     op->timeline_value))
			return -EINVAL;

		syncobj = drm_syncobj_find(file, op->handle);
		if (!syncobj)
			return -EINVAL;
		if (!(op->flags & DRM_PANTHOR_SYNC_OP_SIGNAL)) {
			drm_syncobj_put(syncobj);
			continue;
		}
		if (!job->signals) {
			job->signals = kvcalloc(job->nsyncs,
						sizeof(*job->signals),
						GFP_KERNEL);
			if (!job->signals) {
				drm_syncobj_put(syncobj);
				return -ENOMEM;
			}
		}
		job->signals[n].syncobj = syncobj;
		job->signals[n].point = op->timeline_value;
		job->nsignals = ++n;
		if (type == DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ) {
			job->signals[n - 1].chain = dma_fence_chain_alloc();
			if (!job->signals[n - 1].chain)
				return -ENOMEM;
		}
	}
	return 0;
}

static int pvm_bind_job_create(struct pvm_vm *vm, struct drm_file *file,
			       const struct drm_panthor_vm_bind_op *op,
			       struct pvm_gem_object *bo,
			       struct pvm_bind_job **out)
{
	u64 full = pvm_vm_full_va(vm->ptdev);
	struct pvm_bind_job *job;
	int ret;

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job) {
		if (bo)
			drm_gem_object_put(&bo->base.base);
		return -ENOMEM;
	}
	drm_gpuvm_get(&vm->base);
	job->vm = vm;
	job->ctx.bo = bo;
	*out = job;

	ret = pvm_copy_syncs(&op->syncs, &job->syncs);
	if (ret)
		return ret;
	job->nsyncs = op->syncs.count;
	ret = pvm_bind_job_prepare_syncs(job, file);
	if (ret)
		return ret;

	if (PVM_BIND_OP_TYPE(op) == DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY ||
	    !op->size) {
		job->noop = true;
	} else if (op->va >= full) {
		job->fail = -EINVAL;
	} else {
		/* The context takes the BO reference over. */
		job->ctx.bo = NULL;
		ret = pvm_op_ctx_prepare(vm, file->driver_priv, op, bo,
					 &job->ctx);
		job->prepared = true;
		if (ret)
			return ret;
	}

	return drm_sched_job_init(&job->base, &vm->entity, 1, vm,
				  file->client_id);
}

/*
 * The fence a wait op of job @j of this ioctl resolves to: that of the last
 * earlier job of the same ioctl that signals the same syncobj point (it is
 * armed already), else the syncobj's.
 */
static int pvm_bind_wait_fence(struct pvm_bind_job **jobs, u32 j,
			       const struct drm_panthor_sync_op *wait,
			       struct drm_file *file, struct dma_fence **fence)
{
	u32 k, i;

	for (k = j; k-- > 0;) {
		for (i = jobs[k]->nsyncs; i-- > 0;) {
			const struct drm_panthor_sync_op *sig = &jobs[k]->syncs[i];

			if ((sig->flags & DRM_PANTHOR_SYNC_OP_SIGNAL) &&
			    sig->handle == wait->handle &&
			    sig->timeline_value == wait->timeline_value) {
				*fence = dma_fence_get(&jobs[k]->base.s_fence->finished);
				return 0;
			}
		}
	}
	return drm_syncobj_find_fence(file, wait->handle, wait->timeline_value,
				      0, fence);
}

/* Resolve the waits of job @j of this ioctl and arm it; cannot be undone. */
static int pvm_bind_job_arm(struct pvm_bind_job **jobs, u32 j,
			    struct drm_file *file)
{
	struct pvm_bind_job *job = jobs[j];
	struct dma_fence *fence;
	u32 i;
	int ret;

	for (i = 0; i < job->nsyncs; i++) {
		const struct drm_panthor_sync_op *op = &job->syncs[i];

		if (op->flags & DRM_PANTHOR_SYNC_OP_SIGNAL)
			continue;
		ret = pvm_bind_wait_fence(jobs, j, op, file, &fence);
		if (ret)
			return ret;
		ret = drm_sched_job_add_dependency(&job->base, fence);
		if (ret)
			return ret;
	}

	drm_sched_job_arm(&job->base);
	return 0;
}

/*
 * Queue an armed job and publish its fence: in the VM's reservation
 * object (@resv, locked, a slot reserved) as BOOKKEEP, and in its signal
 * syncobjs.
 */
static void pvm_bind_job_push(struct pvm_bind_job *job, struct dma_resv *resv)
{
	struct dma_fence *finished;
	u32 i;

	finished = dma_fence_get(&job->base.s_fence->finished);
	dma_resv_add_fence(resv, finished, DMA_RESV_USAGE_BOOKKEEP);
	drm_sched_entity_push_job(&job->base);

	for (i = 0; i < job->nsignals; i++) {
		struct pvm_bind_signal *sig = &job->signals[i];

		if (sig->chain) {
			drm_syncobj_add_point(sig->syncobj, sig->chain,
					      finished, sig->point);
			sig->chain = NULL;
		} else {
			drm_syncobj_replace_fence(sig->syncobj, finished);
		}
	}
	dma_fence_put(finished);
}

/*
 * An asynchronous VM_BIND is all or nothing: every op is checked and its
 * job prepared (allocations, pins, syncobjs), then every job's waits are
 * resolved and the job armed, in op order (a wait on a syncobj point that
 * an earlier op of the same ioctl signals takes that op's fence), and only
 * when nothing can fail any more are the jobs queued and their fences
 * published. A failure before that returns with nothing queued and no
 * syncobj changed, &drm_panthor_vm_bind.ops.count at the failing op (0
 * when the fence slots of the VM's reservation object cannot be had).
 *
 * As upstream, each job's fence goes into the VM's reservation object
 * with DMA_RESV_USAGE_BOOKKEEP: whoever waits for everything that uses
 * the VM (and the BOs private to it, which share that object) waits for
 * its queued binds too, and nobody's implicit sync does. The jobs of a
 * VM share one fence context, so the object holds the latest job's fence.
 */
static int pvm_vm_bind_async(struct pvm_vm *vm, struct drm_file *file,
			     struct drm_panthor_vm_bind *args,
			     struct drm_panthor_vm_bind_op *ops)
{
	u64 full = pvm_vm_full_va(vm->ptdev);
	struct pvm_bind_job **jobs;
	u32 i, n = args->ops.count;
	struct dma_resv *resv = pvm_vm_resv_obj(vm)->resv;
	struct pvm_gem_object *bo;
	int ret = 0;

	if (READ_ONCE(vm->destroyed))
		return -EINVAL;

	jobs = kvcalloc(n, sizeof(*jobs), GFP_KERNEL);
	if (!jobs) {
		args->ops.count = 0;
		return -ENOMEM;
	}

	for (i = 0; i < n; i++) {
		struct drm_panthor_vm_bind_op op = ops[i];

		/* Beyond the VA space: fails when it runs, as upstream. */
		if (op.va >= full && PVM_BIND_OP_TYPE(&op) ==
		    DRM_PANTHOR_VM_BIND_OP_TYPE_MAP) {
			op.va = 0;
			op.size = 0;
		}
		ret = pvm_vm_check_op(vm, file, &op, &bo);
		if (!ret && PVM_BIND_OP_TYPE(&op) ==
		    DRM_PANTHOR_VM_BIND_OP_TYPE_MAP && READ_ONCE(vm->unusable)) {
			/* The job would own the reference: there is none. */
			if (bo)
				drm_gem_object_put(&bo->base.base);
			ret = -EINVAL;
		}
		if (!ret)
			ret = pvm_bind_job_create(vm, file, &ops[i], bo,
						  &jobs[i]);
		if (ret)
			goto err_cleanup;
	}

	for (i = 0; i < n; i++) {
		ret = pvm_bind_job_arm(jobs, i, file);
		if (ret)
			goto err_cleanup;
	}

	dma_resv_lock(resv, NULL);
	ret = dma_resv_reserve_fences(resv, n);
	if (ret) {
		dma_resv_unlock(resv);
		i = 0;
		goto err_cleanup;
	}
	for (i = 0; i < n; i++)
		pvm_bind_job_push(jobs[i], resv);
	dma_resv_unlock(resv);
	kvfree(jobs);
	return 0;

err_cleanup:
	args->ops.count = i;
	for (i = 0; i < n; i++) {
		if (!jobs[i])
			continue;
		if (jobs[i]->base.s_fence)
			drm_sched_job_cleanup(&jobs[i]->base);
		pvm_bind_job_free(jobs[i]);
	}
	kvfree(jobs);
	return ret;
}

/**
 * pvm_ioctl_vm_bind() - DRM_IOCTL_PANTHOR_VM_BIND
 * @ddev: DRM device
 * @data: &struct drm_panthor_vm_bind
 * @file: DRM file
 *
 * Return: 0; on the failure of op N, ops before N stay applied, op N
 * changed nothing, &drm_panthor_vm_bind.ops.count is N and the errno says
 * why.
 */
int pvm_ioctl_vm_bind(struct drm_device *ddev, void *data,
		      struct drm_file *file)
{
	struct drm_panthor_vm_bind *args = data;
	struct drm_panthor_vm_bind_op *ops;
	struct pvm_vm *vm;
	int ret;

	if (args->flags & ~DRM_PANTHOR_VM_BIND_ASYNC)
		return -EINVAL;

	vm = pvm_vm_lookup(file, args->vm_id);
	if (!vm)
		return -EINVAL;

	ret = pvm_copy_bind_ops(&args->ops, &ops);
	if (ret) {
		/* No op was looked at: the failure is before op 0. */
		args->ops.count = 0;
		goto out_put;
	}

	if (!args->ops.count)
		ret = 0;
	else if (args->flags & DRM_PANTHOR_VM_BIND_ASYNC)
		ret = pvm_vm_bind_async(vm, file, args, ops);
	else
		ret = pvm_vm_bind_sync(vm, file, args, ops);

	kvfree(ops);
out_put:
	pvm_vm_put(vm);
	return ret;
}
