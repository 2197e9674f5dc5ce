// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "pvm_sim_priv.h"

/**
 * DOC: Software GPU power domains and MCU
 *
 * What a CSF driver that boots the GPU's firmware needs from the GPU
 * beyond the MMU (upstream panthor does; panthor-vm does not touch it):
 *
 * - power domains: a write to L2/SHADER/TILER_PWRON sets the present cores
 *   of the mask in *_READY at once (no transition, *_PWRTRANS reads 0),
 *   PWROFF clears them; a soft reset powers everything off;
 * - the JOB interrupt line: JOB_INT_RAWSTAT/CLEAR/MASK/STAT, a level as the
 *   GPU and MMU lines are;
 * - the MCU: MCU_CONTROL AUTO or ENABLE boots it, DISABLE stops it; a soft
 *   reset disables it. MCU_STATUS reads the state;
 * - doorbells: a write to the page of doorbell i (%PVM_SIM_DOORBELL_BASE)
 *   rings it.
 *
 * The MCU runs no firmware code: its behaviour is the model's, in a work
 * item (process context, as a GPU access may stall on a lock region). At
 * boot it writes the global, group and stream control blocks of the CSF
 * interface at the start of the shared section (MCU VA
 * %PVM_SIM_FW_SHARED_VA, whatever the firmware image says) through AS 0
 * of the MMU, then raises JOB_INT bit 31. A cold boot (the section holds
 * no interface yet: the host loaded it afresh) starts with every ack 0 and
 * no stream state; a warm boot (after a halt, the section kept, as
 * panthor's fast reset does) keeps the acks and the streams' state, so
 * toggles made before the halt stay pending or acked.
 *
 * A ring of doorbell 0 makes it answer the global requests: each request
 * bit (GLB_REQ_MASK) that differs from its ack is copied to the ack, so
 * toggles are acked and state bits mirrored; GLB_HALT set by the host
 * halts the MCU (MCU_STATUS HALT, halt_status 0); JOB_INT bit 31 is raised
 * when anything was acked. Group doorbells (the global doorbell_req bits)
 * are acked the same way: each group's request bits (CSG_REQ_MASK) are
 * mirrored into its ack, and the requests of its streams (CS_REQ_MASK)
 * whose doorbell_req bit rang, or of all of them when the group's state
 * changes; JOB_INT bit i is raised for group i. A status update request
 * gets the group's and its streams' status written first. A group start
 * clears its streams' execution state and a stream start that stream's;
 * a suspend saves it to the group's suspend buffer (CSG suspend_buf,
 * %PVM_SIM_FW_SUSPEND_SIZE bytes), a resume restores it from there (a
 * group may come back in another slot). A stream whose doorbell rings,
 * through its group's doorbell_req bit or the hardware doorbell of its
 * group, and the streams of a started or resumed group run their rings
 * (see pvm_sim_cs.c).
 */

/* Layout of the interface blocks in the shared section (offsets). */
#define PVM_SIM_FW_GLB_CONTROL		0x0000
#define PVM_SIM_FW_GLB_INPUT		0x0100
#define PVM_SIM_FW_GLB_OUTPUT		0x0200
#define PVM_SIM_FW_CSG_CONTROL		0x1000
#define PVM_SIM_FW_CSG_STRIDE		0x0400
#define PVM_SIM_FW_CS_CONTROL		0x0040
#define PVM_SIM_FW_CS_STRIDE		0x0010
#define PVM_SIM_FW_IO_BASE		0x4000
#define PVM_SIM_FW_IO_SIZE		0x0100
/* Room for the execution state of a group's streams. */
#define PVM_SIM_FW_SUSPEND_SIZE		0x2000

/* Global interface fields (byte offsets in each block). */
#define GLB_CONTROL_VERSION		0x00
#define GLB_CONTROL_FEATURES		0x04
#define GLB_CONTROL_INPUT_VA		0x08
#define GLB_CONTROL_OUTPUT_VA		0x0c
#define GLB_CONTROL_GROUP_NUM		0x10
#define GLB_CONTROL_GROUP_STRIDE	0x14
#define GLB_CONTROL_PERFCNT_SIZE	0x18
#define GLB_CONTROL_INSTR_FEATURES	0x1c
#define GLB_INPUT_REQ			0x00
#define GLB_INPUT_DOORBELL_REQ		0x08
#define GLB_OUTPUT_ACK			0x00
#define GLB_OUTPUT_DOORBELL_ACK		0x08
#define GLB_OUTPUT_HALT_STATUS		0x10
#define GLB_REQ_HALT			BIT(0)
#define GLB_REQ_MASK			GENMASK(10, 0)

/* Group and stream interface fields. */
#define CSG_CONTROL_FEATURES		0x00
#define CSG_CONTROL_INPUT_VA		0x04
#define CSG_CONTROL_OUTPUT_VA		0x08
#define CSG_CONTROL_SUSPEND_SIZE	0x0c
#define CSG_CONTROL_PROTM_SUSPEND_SIZE	0x10
#define CSG_CONTROL_STREAM_NUM		0x14
#define CSG_CONTROL_STREAM_STRIDE	0x18
#define CSG_INPUT_REQ			0x00
#define CSG_INPUT_DOORBELL_REQ		0x08
#define CSG_INPUT_SUSPEND_BUF		0x40
#define CSG_OUTPUT_ACK			0x00
#define CSG_OUTPUT_DOORBELL_ACK		0x08
#define CSG_REQ_MASK			(GENMASK(2, 0) | BIT(4) | BIT(5))
#define CS_CONTROL_FEATURES		0x00
#define CS_CONTROL_INPUT_VA		0x04
#define CS_CONTROL_OUTPUT_VA		0x08
#define CS_INPUT_REQ			0x00
#define CS_OUTPUT_ACK			0x00
#define CS_REQ_MASK			(GENMASK(2, 0) | BIT(4) | GENMASK(11, 8))

static_assert(PVM_SIM_FW_STREAMS * sizeof(struct pvm_sim_stream) <=
	      PVM_SIM_FW_SUSPEND_SIZE);

#define PVM_SIM_FW_VERSION		((1 << 24) | (1 << 16))
#define CSG_REQ_STATE			GENMASK(2, 0)
#define CSG_REQ_STATUS_UPDATE		BIT(5)
#define CSG_STATE_START			1
#define CSG_STATE_SUSPEND		2
#define CSG_STATE_RESUME		3
#define CS_REQ_STATE			GENMASK(2, 0)
#define CS_STATE_START			1

#define JOB_INT_GLOBAL_IF		BIT(31)

/**
 * pvm_sim_fw_io_va() - MCU VA of an input or output block
 * @g: group (CSG slot)
 * @s: stream, -1 for the group's own blocks
 * @out: the output block (else the input block)
 *
 * Return: the VA in the shared section.
 */
u32 pvm_sim_fw_io_va(int g, int s, bool out)
{
	u32 per_group = 2 * PVM_SIM_FW_IO_SIZE * (1 + PVM_SIM_FW_STREAMS);

	return PVM_SIM_FW_SHARED_VA + PVM_SIM_FW_IO_BASE + g * per_group +
	       2 * PVM_SIM_FW_IO_SIZE * (s + 1) + out * PVM_SIM_FW_IO_SIZE;
}

/**
 * pvm_sim_fw_groups() - CSG slots of the interface
 * @sim: software GPU
 *
 * Return: GLB_GROUP_NUM, the profile's CSG slots (as PVM_FWIF_CSG_SLOTS
 * says).
 */
int pvm_sim_fw_groups(struct pvm_sim *sim)
{
	return min_t(u32, sim->prof->csg_slots, PVM_SIM_FW_MAX_GROUPS);
}

/**
 * pvm_sim_fw_xfer() - an MCU access to its shared section, through AS 0
 * @sim: software GPU
 * @va: MCU VA
 * @buf: source or destination
 * @size: bytes
 * @write: write (else read)
 * @err: first error of a series of accesses; nothing is done once set
 *
 * A fault is -EFAULT in @err.
 */
void pvm_sim_fw_xfer(struct pvm_sim *sim, u64 va, void *buf, size_t size,
		     bool write, int *err)
{
	u64 fault_address;
	u32 fault_status;

	if (*err)
		return;
	*err = pvm_sim_gpu_access(sim, 0, va, buf, size, write, &fault_status,
				  &fault_address);
	if (!*err && fault_status)
		*err = -EFAULT;
}

static u32 pvm_sim_fw_read(struct pvm_sim *sim, u64 va, int *err)
{
	u32 val = 0;

	pvm_sim_fw_xfer(sim, va, &val, sizeof(val), false, err);
	return val;
}

static void pvm_sim_fw_write(struct pvm_sim *sim, u64 va, u32 val, int *err)
{
	pvm_sim_fw_xfer(sim, va, &val, sizeof(val), true, err);
}

/* Raise bits of JOB_INT_RAWSTAT, from the MCU's work. */
static void pvm_sim_job_irq(struct pvm_sim *sim, u32 bits)
{
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	sim->csf.job_rawstat |= bits;
	spin_unlock_irqrestore(&sim->lock, flags);
	pvm_sim_post(sim);
}

/*
 * Boot: publish the interface. A cold boot (the host loaded the shared
 * section afresh, so it holds no interface yet) starts with nothing acked;
 * a warm boot (after a halt, the section kept as it was) keeps every ack,
 * as the host keeps its requests: a toggle it made before the halt is
 * still pending or still acked.
 */
static void pvm_sim_fw_boot(struct pvm_sim *sim)
{
	const struct pvm_sim_profile_desc *p = sim->prof;
	u64 base = PVM_SIM_FW_SHARED_VA;
	int g, s, err = 0;
	bool warm;

	warm = pvm_sim_fw_read(sim, base + GLB_CONTROL_VERSION, &err) ==
	       PVM_SIM_FW_VERSION;
	if (!warm) {
		memset(sim->csf.streams, 0, PVM_SIM_FW_MAX_GROUPS * PVM_SIM_FW_STREAMS *
		       sizeof(*sim->csf.streams));
		sim->csf.idle_groups = 0;
	}
	pvm_sim_fw_write(sim, base + GLB_CONTROL_VERSION, PVM_SIM_FW_VERSION,
			 &err);
	pvm_sim_fw_write(sim, base + GLB_CONTROL_FEATURES, 0, &err);
	pvm_sim_fw_write(sim, base + GLB_CONTROL_INPUT_VA,
			 base + PVM_SIM_FW_GLB_INPUT, &err);
	pvm_sim_fw_write(sim, base + GLB_CONTROL_OUTPUT_VA,
			 base + PVM_SIM_FW_GLB_OUTPUT, &err);
	pvm_sim_fw_write(sim, base + GLB_CONTROL_GROUP_NUM, pvm_sim_fw_groups(sim),
			 &err);
	pvm_sim_fw_write(sim, base + GLB_CONTROL_GROUP_STRIDE,
			 PVM_SIM_FW_CSG_STRIDE, &err);
	pvm_sim_fw_write(sim, base + GLB_CONTROL_PERFCNT_SIZE, 0, &err);
	pvm_sim_fw_write(sim, base + GLB_CONTROL_INSTR_FEATURES, 0, &err);
	pvm_sim_fw_write(sim, base + PVM_SIM_FW_GLB_OUTPUT +
			 GLB_OUTPUT_HALT_STATUS, 0, &err);
	if (!warm) {
		pvm_sim_fw_write(sim, base + PVM_SIM_FW_GLB_OUTPUT +
				 GLB_OUTPUT_ACK, 0, &err);
		pvm_sim_fw_write(sim, base + PVM_SIM_FW_GLB_OUTPUT +
				 GLB_OUTPUT_DOORBELL_ACK, 0, &err);
	}

	for (g = 0; g < pvm_sim_fw_groups(sim); g++) {
		u64 csg = base + PVM_SIM_FW_CSG_CONTROL + g * PVM_SIM_FW_CSG_STRIDE;

		pvm_sim_fw_write(sim, csg + CSG_CONTROL_FEATURES, 0, &err);
		pvm_sim_fw_write(sim, csg + CSG_CONTROL_INPUT_VA,
				 pvm_sim_fw_io_va(g, -1, false), &err);
		pvm_sim_fw_write(sim, csg + CSG_CONTROL_OUTPUT_VA,
				 pvm_sim_fw_io_va(g, -1, true), &err);
		pvm_sim_fw_write(sim, csg + CSG_CONTROL_SUSPEND_SIZE,
				 PVM_SIM_FW_SUSPEND_SIZE, &err);
		pvm_sim_fw_write(sim, csg + CSG_CONTROL_PROTM_SUSPEND_SIZE,
				 PVM_SIM_FW_SUSPEND_SIZE, &err);
		pvm_sim_fw_write(sim, csg + CSG_CONTROL_STREAM_NUM,
				 min_t(u32, p->cs_slots, PVM_SIM_FW_STREAMS), &err);
		pvm_sim_fw_write(sim, csg + CSG_CONTROL_STREAM_STRIDE,
				 PVM_SIM_FW_CS_STRIDE, &err);
		if (!warm) {
			pvm_sim_fw_write(sim, pvm_sim_fw_io_va(g, -1, true) +
					 CSG_OUTPUT_ACK, 0, &err);
			pvm_sim_fw_write(sim, pvm_sim_fw_io_va(g, -1, true) +
					 CSG_OUTPUT_DOORBELL_ACK, 0, &err);
		}
		for (s = 0; s < PVM_SIM_FW_STREAMS; s++) {
			u64 cs = csg + PVM_SIM_FW_CS_CONTROL + s * PVM_SIM_FW_CS_STRIDE;

			/* Work registers - 1, scoreboards, all iterators. */
			pvm_sim_fw_write(sim, cs + CS_CONTROL_FEATURES,
					 (p->cs_work_regs - 1) |
					 p->cs_scoreboards << 8 | GENMASK(18, 16),
					 &err);
			pvm_sim_fw_write(sim, cs + CS_CONTROL_INPUT_VA,
					 pvm_sim_fw_io_va(g, s, false), &err);
			pvm_sim_fw_write(sim, cs + CS_CONTROL_OUTPUT_VA,
					 pvm_sim_fw_io_va(g, s, true), &err);
			if (!warm)
				pvm_sim_fw_write(sim, pvm_sim_fw_io_va(g, s, true) +
						 CS_OUTPUT_ACK, 0, &err);
		}
	}
	if (err) {
		pvm_sim_driver_error(sim, "MCU boot: shared section %#llx unmapped in AS 0 (%d)",
				     base, err);
		return;
	}
	pvm_sim_job_irq(sim, JOB_INT_GLOBAL_IF);
}

/*
 * Copy the request bits of @mask that differ from the ack at @ack_va into
 * it. Return: the bits that changed, 0 on a fault (in @err).
 */
static u32 pvm_sim_fw_ack(struct pvm_sim *sim, u64 req_va, u64 ack_va, u32 mask,
			  int *err)
{
	u32 req = pvm_sim_fw_read(sim, req_va, err);
	u32 ack = pvm_sim_fw_read(sim, ack_va, err);
	u32 diff = (req ^ ack) & mask;

	if (diff && !*err)
		pvm_sim_fw_write(sim, ack_va, ack ^ diff, err);
	return *err ? 0 : diff;
}

/*
 * Group @g's doorbell: its requests and those of its streams. A start
 * clears the execution state of what starts; a status update request gets
 * the status written first. Streams to run are added to @kick.
 */
static bool pvm_sim_fw_group(struct pvm_sim *sim, int g, u64 *kick, int *err)
{
	u64 in = pvm_sim_fw_io_va(g, -1, false), out = pvm_sim_fw_io_va(g, -1, true);
	u32 req, ack, changed, streams, reqs, all = GENMASK(PVM_SIM_FW_STREAMS - 1, 0);
	int s;

	req = pvm_sim_fw_read(sim, in + CSG_INPUT_REQ, err);
	ack = pvm_sim_fw_read(sim, out + CSG_OUTPUT_ACK, err);
	if ((req ^ ack) & CSG_REQ_STATUS_UPDATE && !*err)
		pvm_sim_cs_status(sim, g, err);
	changed = pvm_sim_fw_ack(sim, in + CSG_INPUT_REQ, out + CSG_OUTPUT_ACK,
				 CSG_REQ_MASK, err);
	if (changed & CSG_REQ_STATE) {
		u64 buf = pvm_sim_fw_read(sim, in + CSG_INPUT_SUSPEND_BUF, err) |
			  (u64)pvm_sim_fw_read(sim, in + CSG_INPUT_SUSPEND_BUF + 4,
					       err) << 32;

		if ((req & CSG_REQ_STATE) == CSG_STATE_START)
			pvm_sim_cs_reset(sim, g, all);
		if ((req & CSG_REQ_STATE) == CSG_STATE_SUSPEND ||
		    (req & CSG_REQ_STATE) == CSG_STATE_RESUME)
			pvm_sim_cs_save(sim, g, buf, (req & CSG_REQ_STATE) ==
					CSG_STATE_RESUME, err);
		if ((req & CSG_REQ_STATE) == CSG_STATE_START ||
		    (req & CSG_REQ_STATE) == CSG_STATE_RESUME) {
			*kick |= (u64)all << (g * PVM_SIM_FW_STREAMS);
			sim->csf.idle_groups &= ~BIT(g);
		}
	}
	streams = pvm_sim_fw_ack(sim, in + CSG_INPUT_DOORBELL_REQ,
				 out + CSG_OUTPUT_DOORBELL_ACK, all, err);
	/*
	 * A group's state change takes the requests of all its streams
	 * (the host stops them when the group leaves a slot, without a ring).
	 */
	reqs = changed & CSG_REQ_STATE ? all : streams;
	for (s = 0; s < PVM_SIM_FW_STREAMS; s++) {
		u64 cs_in = pvm_sim_fw_io_va(g, s, false);
		u32 diff;

		if (!(reqs & BIT(s)))
			continue;
		diff = pvm_sim_fw_ack(sim, cs_in + CS_INPUT_REQ,
				      pvm_sim_fw_io_va(g, s, true) + CS_OUTPUT_ACK,
				      CS_REQ_MASK, err);
		if (diff & CS_REQ_STATE &&
		    (pvm_sim_fw_read(sim, cs_in + CS_INPUT_REQ, err) & CS_REQ_STATE) ==
		    CS_STATE_START)
			pvm_sim_cs_reset(sim, g, BIT(s));
		changed |= diff;
	}
	/* A stream whose doorbell rang runs what its ring holds. */
	*kick |= (u64)streams << (g * PVM_SIM_FW_STREAMS);
	return changed || streams;
}

static void pvm_sim_fw_doorbells(struct pvm_sim *sim, unsigned long rung,
				 u64 kick)
{
	u64 glb_in = PVM_SIM_FW_SHARED_VA + PVM_SIM_FW_GLB_INPUT;
	u64 glb_out = PVM_SIM_FW_SHARED_VA + PVM_SIM_FW_GLB_OUTPUT;
	u32 irq = 0, changed = 0, groups = 0;
	unsigned long flags;
	int g, err = 0;

	/* Doorbell g + 1: the streams of group g. */
	for (g = 0; g < pvm_sim_fw_groups(sim); g++) {
		if (rung & BIT(g + 1))
			kick |= (u64)GENMASK(PVM_SIM_FW_STREAMS - 1, 0) <<
				(g * PVM_SIM_FW_STREAMS);
	}
	if (rung & BIT(0)) {
		changed = pvm_sim_fw_ack(sim, glb_in + GLB_INPUT_REQ,
					 glb_out + GLB_OUTPUT_ACK, GLB_REQ_MASK,
					 &err);
		if (changed)
			irq |= JOB_INT_GLOBAL_IF;
		groups = pvm_sim_fw_ack(sim, glb_in + GLB_INPUT_DOORBELL_REQ,
					glb_out + GLB_OUTPUT_DOORBELL_ACK,
					GENMASK(pvm_sim_fw_groups(sim) - 1, 0), &err);
	}
	for (g = 0; g < pvm_sim_fw_groups(sim); g++) {
		if ((groups & BIT(g)) && pvm_sim_fw_group(sim, g, &kick, &err))
			irq |= BIT(g);
	}
	if (err) {
		pvm_sim_driver_error(sim, "MCU: global interface unreachable through AS 0 (%d)",
				     err);
		return;
	}
	if (kick)
		irq |= pvm_sim_cs_run(sim, kick);
	/* HALT acts when the host sets it, not when it clears it again. */
	if (changed & GLB_REQ_HALT &&
	    pvm_sim_fw_read(sim, glb_out + GLB_OUTPUT_ACK, &err) & GLB_REQ_HALT) {
		spin_lock_irqsave(&sim->lock, flags);
		sim->csf.mcu_status = MCU_STATUS_HALT;
		spin_unlock_irqrestore(&sim->lock, flags);
	}
	if (irq)
		pvm_sim_job_irq(sim, irq);
}

static void pvm_sim_mcu_work(struct work_struct *work)
{
	struct pvm_sim *sim = container_of(work, struct pvm_sim, csf.work);
	unsigned long flags, rung;
	bool boot;
	u64 kick;

	spin_lock_irqsave(&sim->lock, flags);
	boot = sim->csf.boot;
	sim->csf.boot = false;
	rung = sim->csf.doorbells;
	sim->csf.doorbells = 0;
	kick = sim->csf.kick;
	sim->csf.kick = 0;
	if (sim->csf.mcu_status != MCU_STATUS_ENABLED)
		boot = false, rung = 0, kick = 0;
	spin_unlock_irqrestore(&sim->lock, flags);

	if (boot)
		pvm_sim_fw_boot(sim);
	if (rung || kick)
		pvm_sim_fw_doorbells(sim, rung, kick);

	/* Streams with work left after their share run in a later pass. */
	spin_lock_irqsave(&sim->lock, flags);
	if (sim->csf.kick && sim->csf.mcu_status == MCU_STATUS_ENABLED)
		queue_work(system_unbound_wq, &sim->csf.work);
	spin_unlock_irqrestore(&sim->lock, flags);
}

/**
 * pvm_sim_csf_init() - power domains and MCU out of reset
 * @sim: software GPU
 *
 * Return: 0 or -ENOMEM.
 */
int pvm_sim_csf_init(struct pvm_sim *sim)
{
	INIT_WORK(&sim->csf.work, pvm_sim_mcu_work);
	sim->csf.streams = kcalloc(PVM_SIM_FW_MAX_GROUPS * PVM_SIM_FW_STREAMS,
				   sizeof(*sim->csf.streams), GFP_KERNEL);
	return sim->csf.streams ? 0 : -ENOMEM;
}

/**
 * pvm_sim_csf_fini() - stop the MCU's work
 * @sim: software GPU
 */
void pvm_sim_csf_fini(struct pvm_sim *sim)
{
	cancel_work_sync(&sim->csf.work);
	kfree(sim->csf.streams);
	sim->csf.streams = NULL;
}

/**
 * pvm_sim_csf_reset() - a soft reset: MCU disabled, power off, JOB IRQs off
 * @sim: software GPU, &pvm_sim.lock held
 */
void pvm_sim_csf_reset(struct pvm_sim *sim)
{
	struct pvm_sim_csf *csf = &sim->csf;

	csf->l2_ready = 0;
	csf->shader_ready = 0;
	csf->tiler_ready = 0;
	csf->mcu_control = MCU_CONTROL_DISABLE;
	csf->mcu_status = MCU_STATUS_DISABLED;
	csf->job_rawstat = 0;
	csf->job_mask = 0;
	csf->boot = false;
	csf->doorbells = 0;
	csf->kick = 0;
}

/**
 * pvm_sim_csf_read() - read a power, MCU or JOB interrupt register
 * @sim: software GPU, &pvm_sim.lock held
 * @reg: register offset
 * @val: returns the value
 *
 * Return: true if @reg is one of them.
 */
bool pvm_sim_csf_read(struct pvm_sim *sim, u32 reg, u32 *val)
{
	const struct pvm_sim_csf *csf = &sim->csf;

	switch (reg) {
	case SHADER_READY_LO:
		*val = lower_32_bits(csf->shader_ready);
		return true;
	case SHADER_READY_LO + 4:
		*val = upper_32_bits(csf->shader_ready);
		return true;
	case TILER_READY_LO:
		*val = csf->tiler_ready;
		return true;
	case L2_READY_LO:
		*val = csf->l2_ready;
		return true;
	case MCU_CONTROL:
		*val = csf->mcu_control;
		return true;
	case MCU_STATUS:
		*val = csf->mcu_status;
		return true;
	case JOB_INT_RAWSTAT:
		*val = csf->job_rawstat;
		return true;
	case JOB_INT_MASK:
		*val = csf->job_mask;
		return true;
	case JOB_INT_STAT:
		*val = csf->job_rawstat & csf->job_mask;
		return true;
	}
	return false;
}

/**
 * pvm_sim_csf_write() - write a power, MCU, JOB interrupt or doorbell register
 * @sim: software GPU, &pvm_sim.lock held
 * @reg: register offset
 * @val: value
 *
 * Return: true if @reg is one of them.
 */
bool pvm_sim_csf_write(struct pvm_sim *sim, u32 reg, u32 val)
{
	const struct pvm_sim_profile_desc *p = sim->prof;
	struct pvm_sim_csf *csf = &sim->csf;

	if (reg >= PVM_SIM_DOORBELL_BASE &&
	    reg < PVM_SIM_DOORBELL_BASE + PVM_SIM_DOORBELLS * PVM_SIM_DOORBELL_STRIDE) {
		csf->doorbells |= BIT((reg - PVM_SIM_DOORBELL_BASE) /
				      PVM_SIM_DOORBELL_STRIDE);
		queue_work(system_unbound_wq, &csf->work);
		return true;
	}

	switch (reg) {
	case SHADER_PWRON_LO:
		csf->shader_ready |= val & lower_32_bits(p->shader_present);
		return true;
	case SHADER_PWRON_LO + 4:
		csf->shader_ready |= (u64)(val & upper_32_bits(p->shader_present)) << 32;
		return true;
	case SHADER_PWROFF_LO:
		csf->shader_ready &= ~(u64)val;
		return true;
	case SHADER_PWROFF_LO + 4:
		csf->shader_ready &= ~((u64)val << 32);
		return true;
	case TILER_PWRON_LO:
		csf->tiler_ready |= val & 1;
		return true;
	case TILER_PWROFF_LO:
		csf->tiler_ready &= ~val;
		return true;
	case L2_PWRON_LO:
		csf->l2_ready |= val & 1;
		return true;
	case L2_PWROFF_LO:
		csf->l2_ready &= ~val;
		return true;
	case TILER_PWRON_LO + 4:
	case TILER_PWROFF_LO + 4:
	case L2_PWRON_LO + 4:
	case L2_PWROFF_LO + 4:
		return true;
	case MCU_CONTROL:
		csf->mcu_control = val;
		if (val == MCU_CONTROL_AUTO || val == MCU_CONTROL_ENABLE) {
			if (csf->mcu_status != MCU_STATUS_ENABLED) {
				csf->mcu_status = MCU_STATUS_ENABLED;
				csf->boot = true;
				queue_work(system_unbound_wq, &csf->work);
			}
		} else if (val == MCU_CONTROL_DISABLE) {
			csf->mcu_status = MCU_STATUS_DISABLED;
		}
		return true;
	case JOB_INT_CLEAR:
		csf->job_rawstat &= ~val;
		return true;
	case JOB_INT_MASK:
		csf->job_mask = val;
		return true;
	}
	return false;
}
