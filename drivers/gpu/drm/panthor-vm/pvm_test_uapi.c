// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/atomic.h>
#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_file.h>
#include <drm/panthor_drm.h>
#include <drm/panthor_vm_sim.h>

#include "pvm_device.h"
#include "pvm_mmu.h"
#include "pvm_regs.h"
#include "pvm_test_port.h"
#include "pvm_vm.h"
#include "pvm_vm_priv.h"

/**
 * DOC: Test ioctls
 *
 * With %CONFIG_DRM_PANTHOR_VM_SIM, two driver-private ioctls let tests act
 * as the GPU, through the test port of the GPU model (see DOC: Test port;
 * -ENODEV without one): SIM_GPU_ACCESS reads or writes through a VM's address space
 * (the VM is made resident on an AS slot as a job would, and a fault goes
 * through the driver's fault IRQ before the ioctl returns), and SIM_AGENT
 * starts or stops a kernel GPU agent that streams reads over a range while
 * userspace changes the mappings, counting faults and words that are
 * neither the old nor the new contents.
 */

static const struct pvm_test_port *pvm_test_port(struct pvm_device *ptdev)
{
	return dev_get_platdata(ptdev->base.dev);
}

/*
 * An MMU fault raised the GPU's MMU interrupt: wait, bounded, for the
 * driver's own fault handling (the IRQ thread, see DOC: Faults) to mark the
 * VM unusable, so that the VM state is settled when the ioctl returns. A
 * handler that leaves the VM usable is a driver bug the caller then sees.
 */
static void pvm_test_wait_fault_handled(struct pvm_vm *vm)
{
	unsigned long timeout = jiffies + msecs_to_jiffies(1000);

	while (!READ_ONCE(vm->unusable) && time_before(jiffies, timeout))
		usleep_range(50, 100);
}

/**
 * pvm_ioctl_sim_gpu_access() - DRM_IOCTL_PANTHOR_SIM_GPU_ACCESS
 * @ddev: DRM device
 * @data: &struct drm_panthor_sim_gpu_access
 * @file: DRM file
 *
 * Makes the VM resident on an AS slot, as a job would, and accesses GPU
 * memory through the software GPU. An MMU fault goes to the driver's MMU
 * IRQ handler like any other, and this waits (up to a second) for that
 * handler to have marked the VM unusable. A bus fault on the data is only
 * reported: the driver, like upstream, only logs GPU faults.
 *
 * Return: 0 (with the fault fields set if the GPU faulted), -ENOENT for an
 * unknown VM, -EINVAL for bad arguments or an unusable VM, -EFAULT.
 */
int pvm_ioctl_sim_gpu_access(struct drm_device *ddev, void *data,
			     struct drm_file *file)
{
	struct pvm_device *ptdev = to_pvm_device(ddev);
	struct drm_panthor_sim_gpu_access *args = data;
	const struct pvm_test_port *port = pvm_test_port(ptdev);
	bool write = args->flags & DRM_PANTHOR_SIM_GPU_ACCESS_WRITE;
	void __user *ubuf = u64_to_user_ptr(args->data);
	u32 fault_status = 0, leaf_log2 = 0;
	u64 fault_address = 0;
	struct pvm_vm *vm;
	void *buf;
	int ret;

	if (args->flags & ~DRM_PANTHOR_SIM_GPU_ACCESS_WRITE || args->pad ||
	    args->pad2 || !args->size || args->size > SZ_1M)
		return -EINVAL;
	if (!port)
		return -ENODEV;

	vm = pvm_vm_lookup(file, args->vm_id);
	if (!vm)
		return -ENOENT;

	buf = kvmalloc(args->size, GFP_KERNEL);
	if (!buf) {
		ret = -ENOMEM;
		goto out_put;
	}
	if (write && copy_from_user(buf, ubuf, args->size)) {
		ret = -EFAULT;
		goto out_free;
	}

	if (READ_ONCE(vm->unusable)) {
		ret = -EINVAL;
		goto out_free;
	}
	ret = pvm_as_activate(&vm->as);
	if (ret)
		goto out_free;
	ret = port->ops->gpu_access(port->priv, vm->as.slot, args->va, buf,
				    args->size, write, &fault_status,
				    &fault_address, &leaf_log2);
	pvm_as_idle(&vm->as);
	if (ret)
		goto out_free;

	if (fault_status) {
		if (FIELD_GET(AS_FAULTSTATUS_EXCEPTION_TYPE, fault_status) !=
		    GPU_EXC_BUS_FAULT)
			pvm_test_wait_fault_handled(vm);
	} else if (!write && copy_to_user(ubuf, buf, args->size)) {
		ret = -EFAULT;
		goto out_free;
	}
	args->fault_status = fault_status;
	args->fault_address = fault_address;
	args->leaf_log2 = leaf_log2;

out_free:
	kvfree(buf);
out_put:
	pvm_vm_put(vm);
	return ret;
}

/*
 * A GPU agent checking that every word reads old or new contents, and
 * only new contents in reads that started after STRICT.
 */
struct pvm_vm_agent {
	const struct pvm_test_port *port;
	struct pvm_test_agent *agent;
	u64 va;
	u64 size;
	u32 *old;
	u32 *new;
	/* ktime of STRICT, 0 before; written once, then read by the agent */
	ktime_t strict_since;
	/* bytes checked under the strict rule, for STRICT to wait on */
	atomic64_t strict_bytes;
};

static bool pvm_vm_agent_check(void *priv, u64 va, const void *data,
			       size_t size, ktime_t started)
{
	struct pvm_vm_agent *a = priv;
	ktime_t since = READ_ONCE(a->strict_since);
	bool strict = since && ktime_after(started, since);
	const u32 *w = data;
	size_t i, first = (va - a->va) / sizeof(u32);
	bool ok = true;

	for (i = 0; i < size / sizeof(u32) && ok; i++)
		ok = w[i] == a->new[first + i] ||
		     (!strict && w[i] == a->old[first + i]);
	if (strict)
		atomic64_add(size, &a->strict_bytes);
	return ok;
}

/* STRICT: wait until the whole range was read under the strict rule. */
static int pvm_vm_agent_strict(struct pvm_vm *vm)
{
	unsigned long timeout = jiffies + HZ;
	struct pvm_vm_agent *a;
	int ret = 0;

	mutex_lock(&vm->agent_lock);
	a = vm->agent;
	if (!a) {
		ret = -ENOENT;
		goto out_unlock;
	}
	if (!a->strict_since)
		WRITE_ONCE(a->strict_since, ktime_get());
	while (atomic64_read(&a->strict_bytes) < a->size) {
		if (time_after(jiffies, timeout)) {
			ret = -ETIMEDOUT;
			break;
		}
		if (msleep_interruptible(1)) {
			ret = -EINTR;
			break;
		}
	}
out_unlock:
	mutex_unlock(&vm->agent_lock);
	return ret;
}

static void pvm_vm_agent_free(struct pvm_vm_agent *a)
{
	kvfree(a->old);
	kvfree(a->new);
	kfree(a);
}

static int pvm_vm_agent_start(struct pvm_vm *vm,
			      struct drm_panthor_sim_agent *args)
{
	const struct pvm_test_port *port = pvm_test_port(vm->ptdev);
	struct pvm_vm_agent *a;
	u64 off, chunk;
	u32 fs = 0, leaf;
	u64 fa;
	int ret;

	if (!args->size || args->size > SZ_8M ||
	    !IS_ALIGNED(args->va | args->size, sizeof(u32)))
		return -EINVAL;

	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	a->port = port;
	a->va = args->va;
	a->size = args->size;
	a->old = kvmalloc(args->size, GFP_KERNEL);
	a->new = kvmalloc(args->size, GFP_KERNEL);
	if (!a->old || !a->new) {
		ret = -ENOMEM;
		goto err_free;
	}
	if (copy_from_user(a->new, u64_to_user_ptr(args->expect), args->size)) {
		ret = -EFAULT;
		goto err_free;
	}

	ret = pvm_as_activate(&vm->as);
	if (ret)
		goto err_free;

	/* The old contents are what the GPU reads now. */
	for (off = 0; off < a->size && !fs; off += chunk) {
		chunk = min_t(u64, a->size - off, SZ_1M);
		ret = port->ops->gpu_access(port->priv, vm->as.slot,
					    a->va + off, (u8 *)a->old + off,
					    chunk, false, &fs, &fa, &leaf);
		if (ret)
			goto err_idle;
	}
	if (fs) {
		ret = -EINVAL;
		goto err_idle;
	}

	a->agent = port->ops->agent_start(port->priv, vm->as.slot, a->va,
					  a->size, SZ_4K, pvm_vm_agent_check,
					  a);
	if (IS_ERR(a->agent)) {
		ret = PTR_ERR(a->agent);
		goto err_idle;
	}
	vm->agent = a;
	return 0;

err_idle:
	pvm_as_idle(&vm->as);
err_free:
	pvm_vm_agent_free(a);
	return ret;
}

/**
 * pvm_vm_agent_stop() - stop a VM's test agent and report what it saw
 * @vm: VM
 * @args: receives the counts, or NULL
 *
 * Does nothing when no agent runs. Called on STOP and when the VM is
 * destroyed.
 */
void pvm_vm_agent_stop(struct pvm_vm *vm, struct drm_panthor_sim_agent *args)
{
	struct pvm_vm_agent *a;
	struct pvm_test_agent_stats st = {};

	mutex_lock(&vm->agent_lock);
	a = vm->agent;
	vm->agent = NULL;
	mutex_unlock(&vm->agent_lock);
	if (!a)
		return;

	a->port->ops->agent_stop(a->agent, &st);
	pvm_as_idle(&vm->as);
	if (args) {
		args->reads = st.reads;
		args->mismatches = st.mismatches;
		args->fault_status = st.first_fault_status;
		args->fault_address = st.first_fault_address;
	}
	pvm_vm_agent_free(a);
}

/**
 * pvm_ioctl_sim_agent() - DRM_IOCTL_PANTHOR_SIM_AGENT
 * @ddev: DRM device
 * @data: &struct drm_panthor_sim_agent
 * @file: DRM file
 *
 * Return: 0, -ENOENT for an unknown (or destroyed) VM or a STOP or STRICT
 * without agent, -EBUSY for a second START, -EINVAL for bad arguments,
 * -ETIMEDOUT when STRICT saw no full pass within a second.
 */
int pvm_ioctl_sim_agent(struct drm_device *ddev, void *data,
			struct drm_file *file)
{
	struct drm_panthor_sim_agent *args = data;
	struct pvm_device *ptdev = to_pvm_device(ddev);
	struct pvm_vm *vm;
	int ret = 0;

	if (args->pad || (args->op != DRM_PANTHOR_SIM_AGENT_START &&
			  args->op != DRM_PANTHOR_SIM_AGENT_STOP &&
			  args->op != DRM_PANTHOR_SIM_AGENT_STRICT))
		return -EINVAL;
	if (!pvm_test_port(ptdev))
		return -ENODEV;

	vm = pvm_vm_lookup(file, args->vm_id);
	if (!vm)
		return -ENOENT;

	if (args->op == DRM_PANTHOR_SIM_AGENT_START) {
		mutex_lock(&vm->agent_lock);
		/* VM_DESTROY sets destroyed, then stops the agent: see pvm_vm_destroy(). */
		if (READ_ONCE(vm->destroyed))
			ret = -ENOENT;
		else if (vm->agent)
			ret = -EBUSY;
		else if (READ_ONCE(vm->unusable))
			ret = -EINVAL;
		else
			ret = pvm_vm_agent_start(vm, args);
		mutex_unlock(&vm->agent_lock);
	} else if (args->op == DRM_PANTHOR_SIM_AGENT_STRICT) {
		ret = pvm_vm_agent_strict(vm);
	} else {
		if (!READ_ONCE(vm->agent))
			ret = -ENOENT;
		else
			pvm_vm_agent_stop(vm, args);
	}
	pvm_vm_put(vm);
	return ret;
}
