// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/bitops.h>
#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/log2.h>

#include "pvm_sim_priv.h"

/**
 * DOC: Software GPU command streams
 *
 * The MCU runs the ring of every started stream of a started (or resumed)
 * group when it is kicked: by the group's doorbell (hardware doorbell
 * group + 1), the stream's doorbell bit in the group interface, the start
 * or resume of its group, or a sync operation of any stream while it waits
 * on a SYNC_WAIT. It runs from the extract offset of the stream's output
 * page up to the insert offset of its input page, instructions of 8 bytes
 * from the ring at ringbuf_base (modulo ringbuf_size), fetched and executed
 * through the group's address space (CSG config), and writes extract back.
 * Every access goes through the model's MMU (TLB, walker, lock stalls,
 * faults): a job is a GPU client of its VM. The registers, the stack of
 * CALLed buffers and a pending SYNC_WAIT of each stream slot stay while
 * the group is suspended; a start of the stream or of its group clears
 * them.
 *
 * Instructions (opcode in bits 63:56; registers are the stream's 32-bit
 * work registers, a 64-bit value in an even/odd pair):
 * NOP (0); MOVE48 (1: reg 55:48 = imm 47:0); MOVE32 (2: reg 55:48 =
 * imm 31:0); WAIT (3) and FLUSH_CACHE2 (36): nothing is asynchronous, no
 * scoreboard slot is ever busy, so they complete at once; ADD_IMMEDIATE32
 * (16) and ADD_IMMEDIATE64 (17): reg 55:48 = reg 47:40 + signed imm 31:0;
 * LOAD_MULTIPLE (20) and STORE_MULTIPLE (21): the registers reg 55:48 + i
 * for each bit i of the mask 31:16, from or to the address in reg pair
 * 47:40 plus signed offset 15:0, plus 4 * i; BRANCH (22): if signed reg
 * 47:40 compared with 0 meets condition 31:28 (le, gt, eq, ne, lt, ge,
 * always), skip signed offset 15:0 instructions; CALL (32): run the buffer
 * at the address in reg pair 47:40 of the size in bytes in reg 39:32
 * (nesting up to 8), then go on; JUMP (33): the same, without coming back;
 * SYNC_ADD32/SYNC_SET32 (37/38) and SYNC_ADD64/SYNC_SET64 (51/52): add or
 * store reg 39:32 (a pair for 64) at the address in reg pair 47:40, then
 * signal the group's SYNC_UPDATE event; SYNC_WAIT32/SYNC_WAIT64 (39/53):
 * block until the value at the address in reg pair 47:40 is less than or
 * equal (condition 0) or greater than (condition 1) reg 39:32 (a pair for
 * 64), unsigned; STORE_STATE (40) and ERROR_BARRIER (47): nothing to do.
 * BRANCH and JUMP act in CALLed buffers only: the ring is the kernel's job
 * wrapper. Anything else, a fetch or access that faults, or a CALL nested
 * too deep, stops the stream with a CS fatal error (CS_FATAL event, the
 * fatal and fatal_info fields, the group's cs_irq_req bit, JOB_INT bit of
 * the group), as the firmware reports it; the stream then stays stopped.
 *
 * The stream status fields (blocked reason, the sync wait's pointer,
 * value and condition, scoreboards 0) and the group's idle state are
 * written before a STATUS_UPDATE request is acked and after every run; a
 * group whose streams are all idle (nothing left in the ring) or blocked
 * on a SYNC_WAIT raises a CSG_IDLE event once. A CPU write to a sync
 * object alone wakes no SYNC_WAIT: the model does not poll memory.
 */

/* Group and stream interface offsets (see pvm_sim_csf.c for the layout). */
#define CSG_IN_CONFIG			0x50
#define CSG_OUT_ACK			0x00
#define CSG_OUT_CS_IRQ_REQ		0x0c
#define CSG_OUT_STATUS_STATE		0x18
#define CS_IN_RINGBUF_BASE		0x10
#define CS_IN_RINGBUF_SIZE		0x18
#define CS_IN_RINGBUF_INPUT		0x30
#define CS_IN_RINGBUF_OUTPUT		0x38
#define CS_OUT_ACK			0x00
#define CS_OUT_STATUS_CMD_PTR		0x40
#define CS_OUT_STATUS_WAIT		0x48
#define CS_OUT_STATUS_WAIT_SYNC_PTR	0x50
#define CS_OUT_STATUS_WAIT_SYNC_VALUE	0x58
#define CS_OUT_STATUS_SCOREBOARDS	0x5c
#define CS_OUT_STATUS_BLOCKED_REASON	0x60
#define CS_OUT_STATUS_WAIT_SYNC_HI	0x64
#define CS_OUT_FATAL			0x84
#define CS_OUT_FATAL_INFO		0x90

#define CSG_SYNC_UPDATE			BIT(28)
#define CSG_IDLE			BIT(29)
#define CSG_STATUS_STATE_IS_IDLE	BIT(0)
#define CS_FATAL			BIT(30)
#define CS_STATE_START			1
#define CSG_STATE_START			1
#define CSG_STATE_RESUME		3
#define CS_STATUS_WAIT_SYNC_GT		BIT(24)
#define CS_STATUS_WAIT_SYNC_64B		BIT(30)
#define CS_STATUS_WAIT_SYNC		BIT(31)
#define CS_BLOCKED_SYNC_WAIT		3

/* CS fatal exception types the model reports. */
#define CS_EXC_INSTR_INVALID		0x49
#define CS_EXC_BUS_FAULT		0x48
#define CS_EXC_CALL_DEPTH		0x4a

/* Instructions a stream runs per kick before it lets the others run. */
#define PVM_SIM_CS_BUDGET		BIT(14)
/* Rounds of waking SYNC_WAITs after sync operations, per pass. */
#define PVM_SIM_CS_ROUNDS		16

/* Instruction results besides 0 and a fatal error. */
#define PVM_SIM_CS_BLOCKED		1

struct pvm_sim_cs_exec {
	struct pvm_sim *sim;
	struct pvm_sim_stream *st;
	u32 as;
	u32 exception;
	u64 info;
	bool sync;
};

static struct pvm_sim_stream *pvm_sim_cs_stream(struct pvm_sim *sim, int g,
						int s)
{
	return &sim->csf.streams[g * PVM_SIM_FW_STREAMS + s];
}

static int pvm_sim_cs_fatal(struct pvm_sim_cs_exec *x, u32 exception, u64 info)
{
	x->exception = exception;
	x->info = info;
	return -EINVAL;
}

static int pvm_sim_cs_mem(struct pvm_sim_cs_exec *x, u64 va, void *buf,
			  size_t size, bool write)
{
	u64 fault_address;
	u32 fault_status;
	int ret;

	ret = pvm_sim_gpu_access(x->sim, x->as, va, buf, size, write,
				 &fault_status, &fault_address);
	if (ret || fault_status)
		return pvm_sim_cs_fatal(x, CS_EXC_BUS_FAULT, va);
	return 0;
}

static u32 *pvm_sim_cs_reg(struct pvm_sim_cs_exec *x, u32 r)
{
	return &x->st->regs[r % PVM_SIM_CS_REGS];
}

static u64 pvm_sim_cs_reg64(const struct pvm_sim_cs_exec *x, u32 r)
{
	const u32 *regs = x->st->regs;

	r &= PVM_SIM_CS_REGS - 2;
	return regs[r] | (u64)regs[r + 1] << 32;
}

static void pvm_sim_cs_set64(struct pvm_sim_cs_exec *x, u32 r, u64 v)
{
	r &= PVM_SIM_CS_REGS - 2;
	x->st->regs[r] = lower_32_bits(v);
	x->st->regs[r + 1] = upper_32_bits(v);
}

/* LOAD_MULTIPLE / STORE_MULTIPLE. */
static int pvm_sim_cs_multiple(struct pvm_sim_cs_exec *x, u64 instr, bool store)
{
	u32 base = (instr >> 48) & 0xff, mask = (instr >> 16) & 0xffff, i;
	u64 addr = pvm_sim_cs_reg64(x, (instr >> 40) & 0xff) + (s16)(instr & 0xffff);

	for (i = 0; i < 16; i++) {
		if ((mask & BIT(i)) &&
		    pvm_sim_cs_mem(x, addr + 4 * i, pvm_sim_cs_reg(x, base + i), 4,
				   store))
			return -EINVAL;
	}
	return 0;
}

/* SYNC_ADD / SYNC_SET, 32 or 64 bits. */
static int pvm_sim_cs_sync(struct pvm_sim_cs_exec *x, u64 instr, bool wide,
			   bool add)
{
	u64 addr = pvm_sim_cs_reg64(x, (instr >> 40) & 0xff);
	u32 src = (instr >> 32) & 0xff;
	u64 val = wide ? pvm_sim_cs_reg64(x, src) : *pvm_sim_cs_reg(x, src);
	u64 old = 0;

	if (add && pvm_sim_cs_mem(x, addr, &old, wide ? 8 : 4, false))
		return -EINVAL;
	val += old;
	if (pvm_sim_cs_mem(x, addr, &val, wide ? 8 : 4, true))
		return -EINVAL;
	x->sync = true;
	return 0;
}

/* Whether the stream's pending SYNC_WAIT is satisfied. */
static int pvm_sim_cs_wait_check(struct pvm_sim_cs_exec *x)
{
	struct pvm_sim_stream *st = x->st;
	u64 val = 0;

	if (pvm_sim_cs_mem(x, st->wait_ptr, &val, st->wait64 ? 8 : 4, false))
		return -EINVAL;
	if (st->wait_gt ? val > st->wait_value : val <= st->wait_value) {
		st->waiting = false;
		return 0;
	}
	st->waiting = true;
	return PVM_SIM_CS_BLOCKED;
}

/* SYNC_WAIT32 / SYNC_WAIT64. */
static int pvm_sim_cs_sync_wait(struct pvm_sim_cs_exec *x, u64 instr, bool wide)
{
	struct pvm_sim_stream *st = x->st;
	u32 cond = (instr >> 28) & 0xf, ref = (instr >> 32) & 0xff;

	if (cond > 1)
		return pvm_sim_cs_fatal(x, CS_EXC_INSTR_INVALID, instr);
	st->wait_ptr = pvm_sim_cs_reg64(x, (instr >> 40) & 0xff);
	st->wait_value = wide ? pvm_sim_cs_reg64(x, ref) : *pvm_sim_cs_reg(x, ref);
	st->wait64 = wide;
	st->wait_gt = cond == 1;
	return pvm_sim_cs_wait_check(x);
}

/* BRANCH: within the buffer being run. */
static int pvm_sim_cs_branch(struct pvm_sim_cs_exec *x, u64 instr)
{
	s32 v = *pvm_sim_cs_reg(x, (instr >> 40) & 0xff);
	u32 cond = (instr >> 28) & 0xf;
	bool taken;

	switch (cond) {
	case 0:
		taken = v <= 0;
		break;
	case 1:
		taken = v > 0;
		break;
	case 2:
		taken = v == 0;
		break;
	case 3:
		taken = v != 0;
		break;
	case 4:
		taken = v < 0;
		break;
	case 5:
		taken = v >= 0;
		break;
	case 6:
		taken = true;
		break;
	default:
		return pvm_sim_cs_fatal(x, CS_EXC_INSTR_INVALID, instr);
	}
	if (taken)
		x->st->frames[x->st->depth - 1].pc += (s64)(s16)(instr & 0xffff) * 8;
	return 0;
}

/* CALL (push a frame) or JUMP (replace the innermost one). */
static int pvm_sim_cs_call(struct pvm_sim_cs_exec *x, u64 instr, bool jump)
{
	struct pvm_sim_stream *st = x->st;
	u64 va = pvm_sim_cs_reg64(x, (instr >> 40) & 0xff);
	u32 size = *pvm_sim_cs_reg(x, (instr >> 32) & 0xff);

	if (jump)
		st->depth--;
	else if (st->depth >= PVM_SIM_CS_CALL_DEPTH)
		return pvm_sim_cs_fatal(x, CS_EXC_CALL_DEPTH, instr);
	st->frames[st->depth].pc = va;
	st->frames[st->depth].end = va + (size & ~7U);
	st->depth++;
	return 0;
}

static int pvm_sim_cs_instr(struct pvm_sim_cs_exec *x, u64 instr)
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
		*pvm_sim_cs_reg(x, dst) = lower_32_bits(instr);
		return 0;
	case 16:	/* ADD_IMMEDIATE32 */
		*pvm_sim_cs_reg(x, dst) = *pvm_sim_cs_reg(x, src) +
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
	case 22:	/* BRANCH */
		if (!x->st->depth)
			break;
		return pvm_sim_cs_branch(x, instr);
	case 32:	/* CALL */
		return pvm_sim_cs_call(x, instr, false);
	case 33:	/* JUMP */
		if (!x->st->depth)
			break;
		return pvm_sim_cs_call(x, instr, true);
	case 37:	/* SYNC_ADD32 */
		return pvm_sim_cs_sync(x, instr, false, true);
	case 38:	/* SYNC_SET32 */
		return pvm_sim_cs_sync(x, instr, false, false);
	case 39:	/* SYNC_WAIT32 */
		return pvm_sim_cs_sync_wait(x, instr, false);
	case 51:	/* SYNC_ADD64 */
		return pvm_sim_cs_sync(x, instr, true, true);
	case 52:	/* SYNC_SET64 */
		return pvm_sim_cs_sync(x, instr, true, false);
	case 53:	/* SYNC_WAIT64 */
		return pvm_sim_cs_sync_wait(x, instr, true);
	}
	return pvm_sim_cs_fatal(x, CS_EXC_INSTR_INVALID, instr);
}

static u64 pvm_sim_cs_fw_read64(struct pvm_sim *sim, u64 va, int *err)
{
	u64 val = 0;

	pvm_sim_fw_xfer(sim, va, &val, sizeof(val), false, err);
	return val;
}

static u32 pvm_sim_cs_fw_read32(struct pvm_sim *sim, u64 va, int *err)
{
	return lower_32_bits(pvm_sim_cs_fw_read64(sim, va, err));
}

static void pvm_sim_cs_fw_write32(struct pvm_sim *sim, u64 va, u32 val, int *err)
{
	pvm_sim_fw_xfer(sim, va, &val, sizeof(val), true, err);
}

/* The address space of group @g if it runs (started or resumed), else -1. */
static int pvm_sim_cs_group_as(struct pvm_sim *sim, int g, int *err)
{
	u32 ack = pvm_sim_cs_fw_read32(sim, pvm_sim_fw_io_va(g, -1, true) +
				       CSG_OUT_ACK, err);
	u32 as = pvm_sim_cs_fw_read32(sim, pvm_sim_fw_io_va(g, -1, false) +
				      CSG_IN_CONFIG, err);

	if (*err || ((ack & 7) != CSG_STATE_START && (ack & 7) != CSG_STATE_RESUME) ||
	    as >= sim->cfg.as_count)
		return -1;
	return as;
}

/* Whether stream @s of group @g is started and not stopped by a fatal error. */
static bool pvm_sim_cs_started(struct pvm_sim *sim, int g, int s, u32 *ack,
			       int *err)
{
	u32 req = pvm_sim_cs_fw_read32(sim, pvm_sim_fw_io_va(g, s, false), err);

	*ack = pvm_sim_cs_fw_read32(sim, pvm_sim_fw_io_va(g, s, true) + CS_OUT_ACK,
				    err);
	return !*err && (*ack & 7) == CS_STATE_START &&
	       (*ack & CS_FATAL) == (req & CS_FATAL);
}

/* Report a CS fatal error of stream @s of group @g. */
static void pvm_sim_cs_report_fatal(struct pvm_sim *sim, int g, int s, u32 ack,
				    const struct pvm_sim_cs_exec *x, int *err)
{
	u64 out = pvm_sim_fw_io_va(g, s, true), csg_out = pvm_sim_fw_io_va(g, -1, true);
	u32 cs_irq;

	pvm_sim_cs_fw_write32(sim, out + CS_OUT_FATAL, x->exception, err);
	pvm_sim_fw_xfer(sim, out + CS_OUT_FATAL_INFO, (void *)&x->info, 8, true, err);
	pvm_sim_cs_fw_write32(sim, out + CS_OUT_ACK, ack ^ CS_FATAL, err);
	cs_irq = pvm_sim_cs_fw_read32(sim, csg_out + CSG_OUT_CS_IRQ_REQ, err);
	pvm_sim_cs_fw_write32(sim, csg_out + CSG_OUT_CS_IRQ_REQ, cs_irq ^ BIT(s), err);
	pvm_sim_count(sim, PVM_SIM_STAT_CS_FATALS);
}

/*
 * Run stream @s of group @g in address space @as: a pending SYNC_WAIT, the
 * CALLed buffers, then the ring up to insert. Return: JOB_INT bits (the
 * group's for a fatal error); *@busy if it ran an instruction, *@sync if
 * it ran a sync operation, *@more if it used up its budget with work left.
 */
static u32 pvm_sim_cs_stream_run(struct pvm_sim *sim, int g, int s, u32 as,
				 bool *busy, bool *sync, bool *more)
{
	u64 in = pvm_sim_fw_io_va(g, s, false);
	struct pvm_sim_cs_exec x = {
		.sim = sim,
		.st = pvm_sim_cs_stream(sim, g, s),
		.as = as,
	};
	struct pvm_sim_stream *st = x.st;
	u64 base, size, output, insert, extract, va, instr;
	u32 ack, budget = PVM_SIM_CS_BUDGET;
	int err = 0, ret = 0;
	bool ran = false;

	if (!pvm_sim_cs_started(sim, g, s, &ack, &err))
		return 0;
	base = pvm_sim_cs_fw_read64(sim, in + CS_IN_RINGBUF_BASE, &err);
	size = pvm_sim_cs_fw_read32(sim, in + CS_IN_RINGBUF_SIZE, &err);
	insert = pvm_sim_cs_fw_read64(sim, pvm_sim_cs_fw_read64(sim, in +
				      CS_IN_RINGBUF_INPUT, &err), &err);
	output = pvm_sim_cs_fw_read64(sim, in + CS_IN_RINGBUF_OUTPUT, &err);
	extract = pvm_sim_cs_fw_read64(sim, output, &err);
	if (err || !size || !is_power_of_2(size))
		return 0;

	if (st->waiting)
		ret = pvm_sim_cs_wait_check(&x);
	while (!ret) {
		if (!budget--) {
			*more = true;
			break;
		}
		if (st->depth) {
			struct pvm_sim_cs_frame *f = &st->frames[st->depth - 1];

			if (f->pc >= f->end) {
				st->depth--;
				continue;
			}
			va = f->pc;
			f->pc += 8;
		} else {
			if (extract >= insert)
				break;
			va = base + (extract & (size - 1));
			extract += 8;
		}
		ran = true;
		ret = pvm_sim_cs_mem(&x, va, &instr, 8, false) ?:
		      pvm_sim_cs_instr(&x, instr);
	}
	pvm_sim_fw_xfer(sim, output, &extract, sizeof(extract), true, &err);
	*busy |= ran;
	*sync |= x.sync;
	if (ret < 0) {
		st->depth = 0;
		st->waiting = false;
		pvm_sim_cs_report_fatal(sim, g, s, ack, &x, &err);
	}
	if (err)
		pvm_sim_driver_error(sim, "MCU: stream interface of group %d unreachable", g);
	return ret < 0 && !err ? BIT(g) : 0;
}

/* Whether stream @s of group @g has nothing to run now. */
static bool pvm_sim_cs_idle(struct pvm_sim *sim, int g, int s, int *err)
{
	const struct pvm_sim_stream *st = pvm_sim_cs_stream(sim, g, s);
	u64 in = pvm_sim_fw_io_va(g, s, false);
	u64 insert, extract;
	u32 ack;

	if (!pvm_sim_cs_started(sim, g, s, &ack, err) || st->waiting)
		return true;
	insert = pvm_sim_cs_fw_read64(sim, pvm_sim_cs_fw_read64(sim, in +
				      CS_IN_RINGBUF_INPUT, err), err);
	extract = pvm_sim_cs_fw_read64(sim, pvm_sim_cs_fw_read64(sim, in +
				       CS_IN_RINGBUF_OUTPUT, err), err);
	return !st->depth && extract >= insert;
}

/**
 * pvm_sim_cs_status() - write the status fields of a group and its streams
 * @sim: software GPU
 * @g: group (CSG slot)
 * @err: first error of the MCU's accesses
 *
 * Context: the MCU's work.
 */
void pvm_sim_cs_status(struct pvm_sim *sim, int g, int *err)
{
	bool idle = true;
	int s;

	for (s = 0; s < PVM_SIM_FW_STREAMS; s++) {
		const struct pvm_sim_stream *st = pvm_sim_cs_stream(sim, g, s);
		u64 out = pvm_sim_fw_io_va(g, s, true);
		u32 wait = 0;

		if (st->waiting)
			wait = CS_STATUS_WAIT_SYNC |
			       (st->wait64 ? CS_STATUS_WAIT_SYNC_64B : 0) |
			       (st->wait_gt ? CS_STATUS_WAIT_SYNC_GT : 0);
		pvm_sim_fw_xfer(sim, out + CS_OUT_STATUS_CMD_PTR,
				(void *)(st->depth ? &st->frames[st->depth - 1].pc :
					 &st->wait_ptr), 8, true, err);
		pvm_sim_cs_fw_write32(sim, out + CS_OUT_STATUS_WAIT, wait, err);
		pvm_sim_fw_xfer(sim, out + CS_OUT_STATUS_WAIT_SYNC_PTR,
				(void *)&st->wait_ptr, 8, true, err);
		pvm_sim_cs_fw_write32(sim, out + CS_OUT_STATUS_WAIT_SYNC_VALUE,
				      lower_32_bits(st->wait_value), err);
		pvm_sim_cs_fw_write32(sim, out + CS_OUT_STATUS_WAIT_SYNC_HI,
				      upper_32_bits(st->wait_value), err);
		pvm_sim_cs_fw_write32(sim, out + CS_OUT_STATUS_SCOREBOARDS, 0, err);
		pvm_sim_cs_fw_write32(sim, out + CS_OUT_STATUS_BLOCKED_REASON,
				      st->waiting ? CS_BLOCKED_SYNC_WAIT : 0, err);
		idle &= pvm_sim_cs_idle(sim, g, s, err);
	}
	pvm_sim_cs_fw_write32(sim, pvm_sim_fw_io_va(g, -1, true) + CSG_OUT_STATUS_STATE,
			      idle ? CSG_STATUS_STATE_IS_IDLE : 0, err);
}

/* Toggle event @bit in the ack of group @g. */
static void pvm_sim_cs_group_event(struct pvm_sim *sim, int g, u32 bit, int *err)
{
	u64 ack = pvm_sim_fw_io_va(g, -1, true) + CSG_OUT_ACK;

	pvm_sim_cs_fw_write32(sim, ack, pvm_sim_cs_fw_read32(sim, ack, err) ^ bit, err);
}

/**
 * pvm_sim_cs_reset() - clear the execution state of streams
 * @sim: software GPU
 * @g: group (CSG slot)
 * @streams: which of its streams
 *
 * Context: the MCU's work (a start of the streams or of their group).
 */
void pvm_sim_cs_reset(struct pvm_sim *sim, int g, unsigned long streams)
{
	int s;

	for_each_set_bit(s, &streams, PVM_SIM_FW_STREAMS)
		memset(pvm_sim_cs_stream(sim, g, s), 0, sizeof(struct pvm_sim_stream));
	sim->csf.idle_groups &= ~BIT(g);
}

/**
 * pvm_sim_cs_save() - save or restore the execution state of a group's streams
 * @sim: software GPU
 * @g: group (CSG slot)
 * @buf: MCU VA of the group's suspend buffer (CSG suspend_buf)
 * @restore: restore (a resume), else save (a suspend)
 * @err: first error of the MCU's accesses
 *
 * A suspended group may be resumed in another slot: what its streams were
 * doing travels in its suspend buffer, as the firmware keeps it.
 *
 * Context: the MCU's work.
 */
void pvm_sim_cs_save(struct pvm_sim *sim, int g, u64 buf, bool restore, int *err)
{
	pvm_sim_fw_xfer(sim, buf, pvm_sim_cs_stream(sim, g, 0),
			PVM_SIM_FW_STREAMS * sizeof(struct pvm_sim_stream),
			!restore, err);
	if (*err)
		pvm_sim_cs_reset(sim, g, GENMASK(PVM_SIM_FW_STREAMS - 1, 0));
}

/**
 * pvm_sim_cs_run() - run kicked streams
 * @sim: software GPU
 * @kick: the streams, bit g * %PVM_SIM_FW_STREAMS + s
 *
 * Runs them; while they run sync operations, runs again the streams that
 * wait on a SYNC_WAIT. Raises SYNC_UPDATE in the groups that ran one and
 * CSG_IDLE in the groups that went idle. Streams that used up their budget
 * are left in &pvm_sim_csf.kick.
 *
 * Context: the MCU's work.
 * Return: JOB_INT bits to raise.
 */
u32 pvm_sim_cs_run(struct pvm_sim *sim, u64 kick)
{
	int groups = pvm_sim_fw_groups(sim), g, s, as, round, err = 0;
	u32 irq = 0, synced = 0, ran = 0, busy = 0;
	u64 more = 0;

	for (round = 0; kick && round < PVM_SIM_CS_ROUNDS; round++) {
		bool sync = false;

		for (g = 0; g < groups; g++) {
			if (!(kick >> (g * PVM_SIM_FW_STREAMS) & 0xff))
				continue;
			as = pvm_sim_cs_group_as(sim, g, &err);
			if (as < 0)
				continue;
			ran |= BIT(g);
			for (s = 0; s < PVM_SIM_FW_STREAMS; s++) {
				u32 bit = g * PVM_SIM_FW_STREAMS + s;
				bool synced_here = false, left = false, ran_here = false;

				if (!(kick & BIT_ULL(bit)))
					continue;
				irq |= pvm_sim_cs_stream_run(sim, g, s, as, &ran_here,
							     &synced_here, &left);
				if (ran_here)
					busy |= BIT(g);
				if (synced_here)
					synced |= BIT(g);
				if (left)
					more |= BIT_ULL(bit);
				sync |= synced_here;
			}
		}
		/* A sync operation may release any waiting stream. */
		kick = 0;
		for (g = 0; sync && g < groups; g++) {
			for (s = 0; s < PVM_SIM_FW_STREAMS; s++) {
				if (pvm_sim_cs_stream(sim, g, s)->waiting)
					kick |= BIT_ULL(g * PVM_SIM_FW_STREAMS + s);
			}
		}
	}
	more |= kick;

	for (g = 0; g < groups; g++) {
		bool idle;
		u32 state;

		if (!(ran & BIT(g)))
			continue;
		/* It had work: it goes idle (again) when that is done. */
		if (busy & BIT(g))
			sim->csf.idle_groups &= ~BIT(g);
		if (synced & BIT(g))
			pvm_sim_cs_group_event(sim, g, CSG_SYNC_UPDATE, &err);
		pvm_sim_cs_status(sim, g, &err);
		state = pvm_sim_cs_fw_read32(sim, pvm_sim_fw_io_va(g, -1, true) +
					     CSG_OUT_STATUS_STATE, &err);
		idle = state & CSG_STATUS_STATE_IS_IDLE;
		if (idle && !(sim->csf.idle_groups & BIT(g))) {
			pvm_sim_cs_group_event(sim, g, CSG_IDLE, &err);
			irq |= BIT(g);
		}
		if (synced & BIT(g))
			irq |= BIT(g);
		if (idle)
			sim->csf.idle_groups |= BIT(g);
		else
			sim->csf.idle_groups &= ~BIT(g);
	}
	if (err) {
		pvm_sim_driver_error(sim, "MCU: group interface unreachable through AS 0 (%d)",
				     err);
		return 0;
	}
	if (more) {
		unsigned long flags;

		spin_lock_irqsave(&sim->lock, flags);
		sim->csf.kick |= more;
		spin_unlock_irqrestore(&sim->lock, flags);
	}
	return irq;
}
