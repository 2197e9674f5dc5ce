// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/bitops.h>
#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/slab.h>

#include "pvm_sim_priv.h"

/**
 * DOC: Software GPU command streams
 *
 * The MCU runs the ring of every started stream of a started group when
 * the group's doorbell (hardware doorbell group + 1) or the stream's
 * doorbell bit in the group interface rings: from the extract offset of
 * the stream's output page up to the insert offset of its input page,
 * instructions of 8 bytes from the ring at ringbuf_base (modulo
 * ringbuf_size), fetched and executed through the group's address space
 * (CSG config), then extract is written back. Every access goes through
 * the model's MMU (TLB, walker, lock stalls, faults): a job is a GPU
 * client of its VM.
 *
 * Instructions (opcode in bits 63:56; registers are the stream's 32-bit
 * work registers, a 64-bit value in an even/odd pair):
 * NOP (0); MOVE48 (1: reg 55:48 = imm 47:0); MOVE32 (2: reg 55:48 =
 * imm 31:0); WAIT (3) and FLUSH_CACHE2 (36): nothing is asynchronous, so
 * they complete at once; ADD_IMMEDIATE32 (16) and ADD_IMMEDIATE64 (17):
 * reg 55:48 = reg 47:40 + signed imm 31:0; LOAD_MULTIPLE (20) and
 * STORE_MULTIPLE (21): the registers reg 55:48 + i for each bit i of the
 * mask 31:16, from or to the address in reg pair 47:40 plus signed offset
 * 15:0, plus 4 * i; CALL (32): runs the buffer at the address in reg pair
 * 47:40 of the size in bytes in reg 39:32 (nesting up to 8), then goes
 * on; SYNC_ADD32/SYNC_SET32 (37/38) and SYNC_ADD64/SYNC_SET64 (51/52):
 * add or store reg 39:32 (a pair for 64) at the address in reg pair 47:40,
 * then signal the group's SYNC_UPDATE event; STORE_STATE (40) and
 * ERROR_BARRIER (47): nothing to do. Anything else, a fetch or access
 * that faults, or a CALL nested too deep, stops the stream with a CS
 * fatal error (CS_FATAL event, the fatal and fatal_info fields, the
 * group's cs_irq_req bit, JOB_INT bit of the group), as the firmware
 * reports it; the stream then stays stopped.
 */

/* Group and stream interface offsets (see pvm_sim_csf.c for the layout). */
#define CSG_IN_REQ			0x00
#define CSG_IN_CONFIG			0x50
#define CSG_OUT_ACK			0x00
#define CSG_OUT_CS_IRQ_REQ		0x0c
#define CS_IN_RINGBUF_BASE		0x10
#define CS_IN_RINGBUF_SIZE		0x18
#define CS_IN_RINGBUF_INPUT		0x30
#define CS_IN_RINGBUF_OUTPUT		0x38
#define CS_OUT_ACK			0x00
#define CS_OUT_FATAL			0x84
#define CS_OUT_FATAL_INFO		0x90

#define CSG_SYNC_UPDATE			BIT(28)
#define CS_FATAL			BIT(30)
#define CS_STATE_START			1
#define CSG_STATE_START			1
#define CSG_STATE_RESUME		3

/* CS fatal exception types the model reports. */
#define CS_EXC_INSTR_INVALID		0x49
#define CS_EXC_BUS_FAULT		0x48
#define CS_EXC_CALL_DEPTH		0x4a

#define PVM_SIM_CS_REGS			128
#define PVM_SIM_CS_CALL_DEPTH		8
/* Instructions one doorbell may run: a runaway ring stops there. */
#define PVM_SIM_CS_BUDGET		BIT(20)

struct pvm_sim_cs_exec {
	struct pvm_sim *sim;
	u32 as;
	u32 regs[PVM_SIM_CS_REGS];
	u32 exception;
	u64 info;
	u32 budget;
	bool sync;
};

static int pvm_sim_cs_mem(struct pvm_sim_cs_exec *x, u64 va, void *buf,
			  size_t size, bool write)
{
	u64 fault_address;
	u32 fault_status;
	int ret;

	ret = pvm_sim_gpu_access(x->sim, x->as, va, buf, size, write,
				 &fault_status, &fault_address);
	if (ret || fault_status) {
		x->exception = CS_EXC_BUS_FAULT;
		x->info = va;
		return -EFAULT;
	}
	return 0;
}

static u64 pvm_sim_cs_reg64(const struct pvm_sim_cs_exec *x, u32 r)
{
	return x->regs[r & (PVM_SIM_CS_REGS - 2)] |
	       (u64)x->regs[(r & (PVM_SIM_CS_REGS - 2)) + 1] << 32;
}

static void pvm_sim_cs_set64(struct pvm_sim_cs_exec *x, u32 r, u64 v)
{
	x->regs[r & (PVM_SIM_CS_REGS - 2)] = lower_32_bits(v);
	x->regs[(r & (PVM_SIM_CS_REGS - 2)) + 1] = upper_32_bits(v);
}

static int pvm_sim_cs_buffer(struct pvm_sim_cs_exec *x, u64 va, u64 size,
			     u32 depth);

/* LOAD_MULTIPLE / STORE_MULTIPLE. */
static int pvm_sim_cs_multiple(struct pvm_sim_cs_exec *x, u64 instr, bool store)
{
	u32 base = (instr >> 48) & 0xff, mask = (instr >> 16) & 0xffff, i;
	u64 addr = pvm_sim_cs_reg64(x, (instr >> 40) & 0xff) + (s16)(instr & 0xffff);

	for (i = 0; i < 16; i++) {
		u32 *r = &x->regs[(base + i) % PVM_SIM_CS_REGS];

		if ((mask & BIT(i)) && pvm_sim_cs_mem(x, addr + 4 * i, r, 4, store))
			return -EFAULT;
	}
	return 0;
}

/* SYNC_ADD / SYNC_SET, 32 or 64 bits. */
static int pvm_sim_cs_sync(struct pvm_sim_cs_exec *x, u64 instr, bool wide,
			   bool add)
{
	u64 addr = pvm_sim_cs_reg64(x, (instr >> 40) & 0xff);
	u32 src = (instr >> 32) & 0xff;
	u64 val = wide ? pvm_sim_cs_reg64(x, src) : x->regs[src % PVM_SIM_CS_REGS];
	u64 old = 0;

	if (add && pvm_sim_cs_mem(x, addr, &old, wide ? 8 : 4, false))
		return -EFAULT;
	val += old;
	if (pvm_sim_cs_mem(x, addr, &val, wide ? 8 : 4, true))
		return -EFAULT;
	x->sync = true;
	return 0;
}

static int pvm_sim_cs_instr(struct pvm_sim_cs_exec *x, u64 instr, u32 depth)
{
	u32 op = instr >> 56, dst = (instr >> 48) & 0xff, src = (instr >> 40) & 0xff;

	switch (op) {
	case 0:		/* NOP */
	case 3:		/* WAIT */
	case 36:	/* FLUSH_CACHE2 */
	case 40:	/* STORE_STATE */
	case 47:	/* ERROR_BARRIER */
		return 0;
	case 1:		/* MOVE48 */
		pvm_sim_cs_set64(x, dst, instr & GENMASK_ULL(47, 0));
		return 0;
	case 2:		/* MOVE32 */
		x->regs[dst % PVM_SIM_CS_REGS] = lower_32_bits(instr);
		return 0;
	case 16:	/* ADD_IMMEDIATE32 */
		x->regs[dst % PVM_SIM_CS_REGS] = x->regs[src % PVM_SIM_CS_REGS] +
						 (s32)lower_32_bits(instr);
		return 0;
	case 17:	/* ADD_IMMEDIATE64 */
		pvm_sim_cs_set64(x, dst, pvm_sim_cs_reg64(x, src) +
				 (s64)(s32)lower_32_bits(instr));
		return 0;
	case 20:	/* LOAD_MULTIPLE */
		return pvm_sim_cs_multiple(x, instr, false);
	case 21:	/* STORE_MULTIPLE */
		return pvm_sim_cs_multiple(x, instr, true);
	case 32:	/* CALL */
		if (depth >= PVM_SIM_CS_CALL_DEPTH) {
			x->exception = CS_EXC_CALL_DEPTH;
			x->info = instr;
			return -EINVAL;
		}
		return pvm_sim_cs_buffer(x, pvm_sim_cs_reg64(x, src),
					 x->regs[((instr >> 32) & 0xff) % PVM_SIM_CS_REGS],
					 depth + 1);
	case 37:	/* SYNC_ADD32 */
		return pvm_sim_cs_sync(x, instr, false, true);
	case 38:	/* SYNC_SET32 */
		return pvm_sim_cs_sync(x, instr, false, false);
	case 51:	/* SYNC_ADD64 */
		return pvm_sim_cs_sync(x, instr, true, true);
	case 52:	/* SYNC_SET64 */
		return pvm_sim_cs_sync(x, instr, true, false);
	}
	x->exception = CS_EXC_INSTR_INVALID;
	x->info = instr;
	return -EINVAL;
}

/* A linear buffer of instructions (a CALL's target). */
static int pvm_sim_cs_buffer(struct pvm_sim_cs_exec *x, u64 va, u64 size,
			     u32 depth)
{
	u64 off, instr;
	int ret;

	for (off = 0; off + 8 <= size; off += 8) {
		if (!x->budget--) {
			x->exception = CS_EXC_INSTR_INVALID;
			x->info = va + off;
			return -E2BIG;
		}
		ret = pvm_sim_cs_mem(x, va + off, &instr, 8, false);
		ret = ret ?: pvm_sim_cs_instr(x, instr, depth);
		if (ret)
			return ret;
	}
	return 0;
}

static u64 pvm_sim_cs_fw_read64(struct pvm_sim *sim, u64 va, int *err)
{
	u64 val = 0;

	pvm_sim_fw_xfer(sim, va, &val, sizeof(val), false, err);
	return val;
}

/*
 * Run stream @s of group @g from extract to insert. Return: JOB_INT bits
 * to raise (the group's for a sync update or a fatal error), or 0.
 */
static u32 pvm_sim_cs_stream_run(struct pvm_sim *sim, int g, int s, u32 as)
{
	u64 in = pvm_sim_fw_io_va(g, s, false), out = pvm_sim_fw_io_va(g, s, true);
	u64 csg_out = pvm_sim_fw_io_va(g, -1, true);
	u64 base, size, input, output, insert, extract, instr;
	struct pvm_sim_cs_exec *x;
	u32 ack, irq = 0;
	int err = 0, ret = 0;

	ack = lower_32_bits(pvm_sim_cs_fw_read64(sim, out + CS_OUT_ACK, &err));
	if (err || (ack & 7) != CS_STATE_START || (ack & CS_FATAL) !=
	    (lower_32_bits(pvm_sim_cs_fw_read64(sim, in, &err)) & CS_FATAL))
		return 0;
	base = pvm_sim_cs_fw_read64(sim, in + CS_IN_RINGBUF_BASE, &err);
	size = lower_32_bits(pvm_sim_cs_fw_read64(sim, in + CS_IN_RINGBUF_SIZE, &err));
	input = pvm_sim_cs_fw_read64(sim, in + CS_IN_RINGBUF_INPUT, &err);
	output = pvm_sim_cs_fw_read64(sim, in + CS_IN_RINGBUF_OUTPUT, &err);
	insert = pvm_sim_cs_fw_read64(sim, input, &err);
	extract = pvm_sim_cs_fw_read64(sim, output, &err);
	if (err || !size || !is_power_of_2(size) || insert == extract)
		return 0;

	x = kzalloc(sizeof(*x), GFP_KERNEL);
	if (!x)
		return 0;
	x->sim = sim;
	x->as = as;
	x->budget = PVM_SIM_CS_BUDGET;
	while (extract < insert && !ret) {
		ret = pvm_sim_cs_mem(x, base + (extract & (size - 1)), &instr, 8,
				     false);
		ret = ret ?: pvm_sim_cs_instr(x, instr, 0);
		if (!ret || ret == -EFAULT || ret == -EINVAL)
			extract += 8;
		if (!ret && !x->budget--) {
			x->exception = CS_EXC_INSTR_INVALID;
			x->info = extract;
			ret = -E2BIG;
		}
	}
	pvm_sim_fw_xfer(sim, output, &extract, sizeof(extract), true, &err);
	if (ret) {
		u32 fatal = x->exception, cs_irq;

		pvm_sim_fw_xfer(sim, out + CS_OUT_FATAL, &fatal, 4, true, &err);
		pvm_sim_fw_xfer(sim, out + CS_OUT_FATAL_INFO, &x->info, 8, true,
				&err);
		ack ^= CS_FATAL;
		pvm_sim_fw_xfer(sim, out + CS_OUT_ACK, &ack, 4, true, &err);
		cs_irq = lower_32_bits(pvm_sim_cs_fw_read64(sim, csg_out +
							   CSG_OUT_CS_IRQ_REQ, &err));
		cs_irq ^= BIT(s);
		pvm_sim_fw_xfer(sim, csg_out + CSG_OUT_CS_IRQ_REQ, &cs_irq, 4,
				true, &err);
		irq = BIT(g);
		pvm_sim_count(sim, PVM_SIM_STAT_CS_FATALS);
	}
	if (x->sync) {
		u32 csg_ack = lower_32_bits(pvm_sim_cs_fw_read64(sim, csg_out +
								CSG_OUT_ACK, &err));

		csg_ack ^= CSG_SYNC_UPDATE;
		pvm_sim_fw_xfer(sim, csg_out + CSG_OUT_ACK, &csg_ack, 4, true,
				&err);
		irq = BIT(g);
	}
	kfree(x);
	if (err)
		pvm_sim_driver_error(sim, "MCU: stream interface of group %d unreachable", g);
	return err ? 0 : irq;
}

/**
 * pvm_sim_cs_group_run() - run the started streams of a started group
 * @sim: software GPU
 * @g: group (CSG slot)
 * @streams: the streams whose doorbell rang
 *
 * Context: the MCU's work (process context).
 * Return: JOB_INT bits to raise.
 */
u32 pvm_sim_cs_group_run(struct pvm_sim *sim, int g, unsigned long streams)
{
	u64 csg_in = pvm_sim_fw_io_va(g, -1, false);
	u64 csg_out = pvm_sim_fw_io_va(g, -1, true);
	u32 ack, as, irq = 0;
	int s, err = 0;

	ack = lower_32_bits(pvm_sim_cs_fw_read64(sim, csg_out + CSG_OUT_ACK, &err));
	as = lower_32_bits(pvm_sim_cs_fw_read64(sim, csg_in + CSG_IN_CONFIG, &err));
	if (err || ((ack & 7) != CSG_STATE_START && (ack & 7) != CSG_STATE_RESUME) ||
	    as >= sim->cfg.as_count)
		return 0;
	for_each_set_bit(s, &streams, BITS_PER_LONG)
		irq |= pvm_sim_cs_stream_run(sim, g, s, as);
	return irq;
}
