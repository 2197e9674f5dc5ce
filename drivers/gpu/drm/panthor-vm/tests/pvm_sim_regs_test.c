// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 *
 * Software GPU KUnit suite "panthor_vm_sim_regs": registers and commands.
 * MMIO access widths, profiles, LOCKADDR decode, the lock log, lock-region
 * stalls, AS_ACTIVE, interrupts, cache flushes and counters. See the DOC
 * in pvm_sim_test.c.
 */

#include <kunit/test.h>

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kthread.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "pvm_sim_test.h"

/* ---- MMIO: only 32-bit accesses exist ---- */

static void pvm_sim_test_mmio_width(struct kunit *test)
{
	struct t_ctx *ctx = pvm_simt_setup(test, &pvm_simt_default_cfg);
	const struct resource *mmio = pvm_sim_mmio(ctx->sim);
	u64 end = PVM_SIM_MMIO_BASE + (u64)PVM_SIM_MMIO_WINDOWS * PVM_SIM_MMIO_WINDOW;

	/* One window of the model's logic_iomem region. */
	KUNIT_EXPECT_EQ(test, resource_size(mmio), PVM_SIM_MMIO_WINDOW);
	KUNIT_EXPECT_GE(test, mmio->start, PVM_SIM_MMIO_BASE);
	KUNIT_EXPECT_LT(test, mmio->start, end);
	KUNIT_EXPECT_EQ(test, (mmio->start - PVM_SIM_MMIO_BASE) % PVM_SIM_MMIO_WINDOW, 0);

	KUNIT_EXPECT_EQ(test, readl(ctx->regs + GPU_ID), 0xa8670000);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 0);

	/* A byte read is a driver error and reads all ones. */
	KUNIT_EXPECT_EQ(test, readb(ctx->regs + GPU_ID), 0xff);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 1);

	/* A byte write is one too, and is dropped. */
	writeb(0xff, ctx->regs + MMU_INT_MASK);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 2);
	KUNIT_EXPECT_EQ(test, readl(ctx->regs + MMU_INT_MASK), 0);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 2);
}

/* ---- LOCKADDR decode ---- */

struct t_lock_case {
	const char *name;
	u32 profile;
	u64 start, size;	/* range, or 0/0 to use @lockaddr as is */
	u64 lockaddr;
	u64 first, last;
	bool ok;
};

static const struct t_lock_case t_lock_cases[] = {
	{ "0x4F000 + 8K (kbase example)", 10, 0x4F000, SZ_8K, 0x40010, 0x40000, 0x5FFFF, true },
	{ "0x10000000 + 4K", 10, 0x10000000, SZ_4K, 0x1000000E, 0x10000000, 0x10007FFF, true },
	{ "0x200000 + 2M", 10, 0x200000, SZ_2M, 0x200014, 0x200000, 0x3FFFFF, true },
	{ "0x1FF000 + 8K straddles 2M", 10, 0x1FF000, SZ_8K, 0x15, 0, 0x3FFFFF, true },
	{ "0x7FFF0000 + 128K straddles 2G", 10, 0x7FFF0000, SZ_128K, 0x1F, 0, 0xFFFFFFFF, true },
	{ "whole space (0, ~0)", 10, 0, ~0ULL, 0x3F, 0, U64_MAX, true },
	{ "base bits below size ignored", 10, 0, 0, 0x12345000 | 15, 0x12340000, 0x1234FFFF, true },
	{ "SIZE 47 = VA size: everything", 10, 0, 0, 0x800000000000ULL | 47, 0, U64_MAX, true },
	{ "SIZE 46: half the VA space", 10, 0, 0, 0x800000000000ULL | 46,
	  0x800000000000ULL, 0xFFFFFFFFFFFFULL, true },
	{ "arch10 4K is below minimum", 10, 0, 0, 0x10000000 | 11, 0x10000000, 0x10007FFF, false },
	{ "arch10 SIZE 0", 10, 0, 0, 0x10003000, 0x10000000, 0x10007FFF, false },
	{ "arch10 skip levels reserved", 10, 0, 0, 0x10000000 | (1 << 6) | 14,
	  0x10000000, 0x10007FFF, false },
	{ "reserved bit 10", 10, 0, 0, 0x10000000 | BIT(10) | 14, 0x10000000, 0x10007FFF, false },
	{ "arch12 4K", 12, 0x10001000, SZ_4K, 0x1000100B, 0x10001000, 0x10001FFF, true },
	{ "arch12 skip levels", 12, 0, 0, 0x10001000 | (0xE << 6) | 11,
	  0x10001000, 0x10001FFF, true },
	{ "arch12 2K below minimum", 12, 0, 0, 0x10001000 | 10, 0x10001000, 0x10001FFF, false },
};

static void t_lock_case_desc(const struct t_lock_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(t_lock, t_lock_cases, t_lock_case_desc);

static void pvm_sim_test_lockaddr(struct kunit *test)
{
	const struct t_lock_case *c = test->param_value;
	struct pvm_sim_config cfg = pvm_simt_default_cfg;
	struct pvm_sim_region r;
	struct t_ctx *ctx;
	u32 skip;

	cfg.profile = c->profile;
	ctx = pvm_simt_setup(test, &cfg);

	if (c->size)
		KUNIT_EXPECT_EQ(test, t_lockaddr(c->start, c->size,
						 c->profile == 12 ? 12 : 15),
				c->lockaddr);
	KUNIT_EXPECT_EQ(test, pvm_sim_lockaddr_decode(ctx->sim, c->lockaddr,
						      &r, &skip), c->ok);
	KUNIT_EXPECT_EQ(test, r.start, c->first);
	KUNIT_EXPECT_EQ(test, r.last, c->last);

	/* Through the registers: a malformed value is a driver error. */
	t_unlock(ctx, c->lockaddr, AS_COMMAND_LOCK);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), c->ok ? 0 : 1);
	KUNIT_EXPECT_TRUE(test, ctx->sim->as[T_AS].locked);
	KUNIT_EXPECT_EQ(test, ctx->sim->as[T_AS].lock.start, c->first);
	KUNIT_EXPECT_EQ(test, ctx->sim->as[T_AS].lock.last, c->last);
}

/* ---- the lock log: the decoded region of every LOCK, in order ---- */

/*
 * UNLOCK (and FLUSH_PT / FLUSH_MEM) must cover the locked region: one
 * that misses part of it is a driver error and leaves the missed part's
 * translations stale.
 */
static void pvm_sim_test_unlock_covers_lock(struct kunit *test)
{
	struct t_ctx *ctx = pvm_simt_setup(test, &pvm_simt_default_cfg);
	u32 fs;

	pvm_simt_build(ctx);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);

	/* LOCK 2 MiB around T_VA, UNLOCK only the 32 KiB around it. */
	t_unlock(ctx, t_lockaddr(T_VA & ~(u64)(SZ_2M - 1), SZ_2M, 15),
		 AS_COMMAND_LOCK);
	t_unlock(ctx, t_lockaddr(T_VA, SZ_4K, 15), AS_COMMAND_UNLOCK);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 1);
	KUNIT_EXPECT_FALSE(test, ctx->sim->as[T_AS].locked);

	/* The same region, and a larger one, are fine. */
	t_unlock(ctx, t_lockaddr(T_VA, SZ_4K, 15), AS_COMMAND_LOCK);
	t_unlock(ctx, t_lockaddr(T_VA, SZ_4K, 15), AS_COMMAND_UNLOCK);
	t_unlock(ctx, t_lockaddr(T_VA, SZ_4K, 15), AS_COMMAND_LOCK);
	t_unlock(ctx, t_lockaddr(0, ~0ULL, 15), AS_COMMAND_FLUSH_MEM);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 1);

	/* A disjoint FLUSH_MEM is an error too. */
	t_unlock(ctx, t_lockaddr(T_VA, SZ_4K, 15), AS_COMMAND_LOCK);
	t_unlock(ctx, t_lockaddr(T_VA + SZ_2M, SZ_4K, 15), AS_COMMAND_FLUSH_MEM);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 2);
}

static void pvm_sim_test_lock_log(struct kunit *test)
{
	struct t_ctx *ctx = pvm_simt_setup(test, &pvm_simt_default_cfg);
	u64 first = T_VA & ~(u64)(SZ_32K - 1);
	struct pvm_sim_lock_rec recs[4] = {};

	/* 4 KiB (rounded up to 32 KiB) on T_AS, then 2 MiB on T_AS + 1. */
	t_as_cmd(ctx, T_AS, t_lockaddr(T_VA, SZ_4K, 15), AS_COMMAND_LOCK);
	t_as_cmd(ctx, T_AS, t_lockaddr(T_VA, SZ_4K, 15), AS_COMMAND_UNLOCK);
	t_as_cmd(ctx, T_AS + 1, t_lockaddr(SZ_2M, SZ_2M, 15), AS_COMMAND_LOCK);
	t_as_cmd(ctx, T_AS + 1, t_lockaddr(SZ_2M, SZ_2M, 15), AS_COMMAND_UNLOCK);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_LOCK), 2);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_UNLOCK), 2);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 0);

	/* UNLOCKs are not logged. */
	KUNIT_ASSERT_EQ(test, pvm_sim_locks(ctx->sim, recs, ARRAY_SIZE(recs)), 2);
	KUNIT_EXPECT_EQ(test, recs[0].seq, 1);
	KUNIT_EXPECT_EQ(test, recs[0].as, T_AS);
	KUNIT_EXPECT_EQ(test, recs[0].start, first);
	KUNIT_EXPECT_EQ(test, recs[0].last, first + SZ_32K - 1);
	KUNIT_EXPECT_EQ(test, recs[1].seq, 2);
	KUNIT_EXPECT_EQ(test, recs[1].as, T_AS + 1);
	KUNIT_EXPECT_EQ(test, recs[1].start, SZ_2M);
	KUNIT_EXPECT_EQ(test, recs[1].last, SZ_4M - 1);

	/* No more records than room for them. */
	memset(recs, 0, sizeof(recs));
	KUNIT_EXPECT_EQ(test, pvm_sim_locks(ctx->sim, recs, 1), 1);
	KUNIT_EXPECT_EQ(test, recs[1].seq, 0);

	/* A reset empties the log, and numbering starts again from 1. */
	pvm_sim_stats_reset(ctx->sim);
	KUNIT_EXPECT_EQ(test, pvm_sim_locks(ctx->sim, recs, ARRAY_SIZE(recs)), 0);
	t_as_cmd(ctx, T_AS, t_lockaddr(0, ~0ULL, 15), AS_COMMAND_LOCK);
	KUNIT_ASSERT_EQ(test, pvm_sim_locks(ctx->sim, recs, ARRAY_SIZE(recs)), 1);
	KUNIT_EXPECT_EQ(test, recs[0].seq, 1);
	KUNIT_EXPECT_EQ(test, recs[0].as, T_AS);
	KUNIT_EXPECT_EQ(test, recs[0].start, 0);
	KUNIT_EXPECT_EQ(test, recs[0].last, U64_MAX);
}

/* ---- lock regions stall accesses until UNLOCK ---- */

struct t_bg_access {
	struct t_ctx *ctx;
	u64 va;
	u8 byte;
	u32 fs;
	int ret;
	struct completion done;
};

static int t_bg_read(void *data)
{
	struct t_bg_access *bg = data;
	u64 fa;

	bg->ret = pvm_sim_gpu_xfer(bg->ctx->sim, T_AS, bg->va, &bg->byte, 1,
				   PVM_SIM_ACCESS_READ, &bg->fs, &fa);
	complete(&bg->done);
	return 0;
}

static struct t_bg_access *t_bg_start(struct t_ctx *ctx, u64 va)
{
	struct t_bg_access *bg = kunit_kzalloc(ctx->test, sizeof(*bg), GFP_KERNEL);
	struct task_struct *t;

	KUNIT_ASSERT_NOT_NULL(ctx->test, bg);
	bg->ctx = ctx;
	bg->va = va;
	init_completion(&bg->done);
	t = kthread_run(t_bg_read, bg, "pvm-sim-test");
	KUNIT_ASSERT_FALSE(ctx->test, IS_ERR(t));
	return bg;
}

static void pvm_sim_test_lock_stall(struct kunit *test)
{
	struct t_ctx *ctx = pvm_simt_setup(test, &pvm_simt_default_cfg);
	struct t_bg_access *bg;
	u64 lock = t_lockaddr(T_VA, SZ_4K, 15);
	u32 fs;

	pvm_simt_build(ctx);
	t_set(ctx, ctx->l3, t_idx(T_VA, 3) + 8, ctx->bus[ctx->data_b] | T_PTE_RW, true);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);

	t_unlock(ctx, lock, AS_COMMAND_LOCK);
	/* Outside the 32 KiB region: not stalled. */
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA + SZ_32K, &fs), T_PATTERN_B);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_STALLS), 0);

	bg = t_bg_start(ctx, T_VA);
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&bg->done,
							  msecs_to_jiffies(100)), 0);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_STALLS), 1);

	/* Remap under the lock, then UNLOCK: the replay sees the new page. */
	t_set(ctx, ctx->l3, t_idx(T_VA, 3), ctx->bus[ctx->data_b] | T_PTE_RW, true);
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&bg->done,
							  msecs_to_jiffies(20)), 0);
	t_wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_UNLOCK);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&bg->done, HZ), 0);
	KUNIT_EXPECT_EQ(test, bg->ret, 0);
	KUNIT_EXPECT_EQ(test, bg->fs, 0);
	KUNIT_EXPECT_EQ(test, bg->byte, T_PATTERN_B);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_STALLS), 1);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_STALE_TRANSLATIONS), 0);
}

/* Switching a stalled AS to UNMAPPED terminates the access. */
static void pvm_sim_test_unmapped(struct kunit *test)
{
	struct t_ctx *ctx = pvm_simt_setup(test, &pvm_simt_default_cfg);
	struct t_bg_access *bg;
	u32 fs, terminated = 0xC0 | FIELD_PREP(AS_FAULTSTATUS_ACCESS_TYPE,
					       PVM_SIM_ACCESS_READ);

	pvm_simt_build(ctx);
	t_wr(ctx, MMU_INT_MASK, ~0);
	t_unlock(ctx, t_lockaddr(0, ~0ULL, 15), AS_COMMAND_LOCK);
	bg = t_bg_start(ctx, T_VA);
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&bg->done,
							  msecs_to_jiffies(50)), 0);

	t_wr64(ctx, AS_TRANSCFG_LO(T_AS), AS_TRANSCFG_ADRMODE_UNMAPPED);
	t_wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_UPDATE);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&bg->done, HZ), 0);
	KUNIT_EXPECT_EQ(test, bg->ret, 0);
	KUNIT_EXPECT_EQ(test, bg->fs, terminated);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), -1);
	KUNIT_EXPECT_EQ(test, fs, terminated);
	/* Terminated, not faulted: nothing latched. */
	KUNIT_EXPECT_EQ(test, t_rd(ctx, MMU_INT_RAWSTAT), 0);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_TERMINATED), 2);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_FAULTS), 0);
}

/* ---- AS_ACTIVE busy time ---- */

static bool t_wait_inactive(struct t_ctx *ctx, u32 as)
{
	int i;

	for (i = 0; i < 1000; i++) {
		if (!(t_rd(ctx, AS_STATUS(as)) & AS_STATUS_ACTIVE))
			return true;
		usleep_range(1000, 2000);
	}
	return false;
}

static void pvm_sim_test_as_active(struct kunit *test)
{
	struct pvm_sim_config cfg = pvm_simt_default_cfg;
	struct t_ctx *ctx;
	u32 fs;

	cfg.as_active_us = 50000;
	ctx = pvm_simt_setup(test, &cfg);
	pvm_simt_build(ctx);
	KUNIT_ASSERT_TRUE(test, t_wait_inactive(ctx, T_AS));
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);
	t_set(ctx, ctx->l3, t_idx(T_VA, 3), ctx->bus[ctx->data_b] | T_PTE_RW, true);

	t_unlock(ctx, t_lockaddr(T_VA, SZ_4K, 15), AS_COMMAND_UNLOCK);
	KUNIT_EXPECT_EQ(test, t_rd(ctx, AS_STATUS(T_AS)), AS_STATUS_ACTIVE);
	/* The invalidation has not happened until the command completes. */
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);

	/* A command while AS_ACTIVE is a driver error and is dropped. */
	t_wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_LOCK);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 1);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_COMMANDS), 3);

	/* Other slots are independent. */
	KUNIT_EXPECT_EQ(test, t_rd(ctx, AS_STATUS(T_AS + 1)), 0);

	KUNIT_ASSERT_TRUE(test, t_wait_inactive(ctx, T_AS));
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_B);
	KUNIT_EXPECT_FALSE(test, ctx->sim->as[T_AS].locked);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_LOCK), 0);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_UNLOCK), 1);

	t_wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_LOCK);
	KUNIT_ASSERT_TRUE(test, t_wait_inactive(ctx, T_AS));
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 1);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_LOCK), 1);
}

/* ---- interrupts: latch, mask, write-1-to-clear, the real IRQ line ---- */

struct t_irq {
	struct t_ctx *ctx;
	atomic_t count;
	u32 stat;
	struct completion done;
};

static irqreturn_t t_mmu_irq(int irq, void *data)
{
	struct t_irq *ti = data;

	/* Like the driver: read STAT, mask everything, handle later. */
	ti->stat = t_rd(ti->ctx, MMU_INT_STAT);
	if (!ti->stat)
		return IRQ_NONE;
	t_wr(ti->ctx, MMU_INT_MASK, 0);
	atomic_inc(&ti->count);
	complete(&ti->done);
	return IRQ_HANDLED;
}

static void t_free_irq(void *data)
{
	struct t_irq *ti = data;

	free_irq(pvm_sim_irq(ti->ctx->sim, PVM_SIM_IRQ_MMU), ti);
}

static void pvm_sim_test_irq(struct kunit *test)
{
	struct t_ctx *ctx = pvm_simt_setup(test, &pvm_simt_default_cfg);
	u32 read = FIELD_PREP(AS_FAULTSTATUS_ACCESS_TYPE, PVM_SIM_ACCESS_READ);
	struct t_irq *ti = kunit_kzalloc(test, sizeof(*ti), GFP_KERNEL);
	u32 fs;

	KUNIT_ASSERT_NOT_NULL(test, ti);
	ti->ctx = ctx;
	init_completion(&ti->done);
	KUNIT_ASSERT_EQ(test, request_irq(pvm_sim_irq(ctx->sim, PVM_SIM_IRQ_MMU),
					  t_mmu_irq, 0, "pvm-sim-test", ti), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_free_irq, ti), 0);
	pvm_simt_build(ctx);

	/* Masked: latched in RAWSTAT, STAT stays 0, line low. */
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA + SZ_4K, &fs), -1);
	KUNIT_EXPECT_EQ(test, t_rd(ctx, MMU_INT_RAWSTAT), BIT(T_AS));
	KUNIT_EXPECT_EQ(test, t_rd(ctx, MMU_INT_STAT), 0);
	KUNIT_EXPECT_FALSE(test, pvm_sim_irq_asserted(ctx->sim, PVM_SIM_IRQ_MMU));
	KUNIT_EXPECT_EQ(test, t_rd(ctx, AS_FAULTSTATUS(T_AS)), 0xC3 | read);
	KUNIT_EXPECT_EQ(test, t_rd64(ctx, AS_FAULTADDRESS_LO(T_AS)), T_VA + SZ_4K);

	/* A second fault while the bit is set is not latched. */
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA ^ BIT_ULL(39), &fs), -1);
	KUNIT_EXPECT_EQ(test, fs, 0xC0 | read);
	KUNIT_EXPECT_EQ(test, t_rd(ctx, AS_FAULTSTATUS(T_AS)), 0xC3 | read);
	KUNIT_EXPECT_EQ(test, t_rd64(ctx, AS_FAULTADDRESS_LO(T_AS)), T_VA + SZ_4K);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_FAULTS), 2);

	/* Unmasking raises the line and the handler runs. */
	t_wr(ctx, MMU_INT_MASK, BIT(T_AS));
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&ti->done, HZ), 0);
	KUNIT_EXPECT_EQ(test, ti->stat, BIT(T_AS));
	KUNIT_EXPECT_EQ(test, t_rd(ctx, MMU_INT_MASK), 0);

	/* W1C: writing another bit clears nothing; FAULTSTATUS stays. */
	t_wr(ctx, MMU_INT_CLEAR, BIT(T_AS + 1));
	KUNIT_EXPECT_EQ(test, t_rd(ctx, MMU_INT_RAWSTAT), BIT(T_AS));
	t_wr(ctx, MMU_INT_CLEAR, BIT(T_AS));
	KUNIT_EXPECT_EQ(test, t_rd(ctx, MMU_INT_RAWSTAT), 0);
	KUNIT_EXPECT_EQ(test, t_rd(ctx, AS_FAULTSTATUS(T_AS)), 0xC3 | read);

	/* Cleared: the next fault latches again and interrupts again. */
	reinit_completion(&ti->done);
	t_wr(ctx, MMU_INT_MASK, BIT(T_AS));
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA ^ BIT_ULL(39), &fs), -1);
	KUNIT_EXPECT_EQ(test, t_rd(ctx, AS_FAULTSTATUS(T_AS)), 0xC0 | read);
	KUNIT_EXPECT_EQ(test, t_rd64(ctx, AS_FAULTADDRESS_LO(T_AS)), T_VA ^ BIT_ULL(39));
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&ti->done, HZ), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ti->count), 2);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_MMU_IRQS), 2);
	t_wr(ctx, MMU_INT_CLEAR, ~0);
	KUNIT_EXPECT_FALSE(test, pvm_sim_irq_asserted(ctx->sim, PVM_SIM_IRQ_MMU));
}

/*
 * The GPU line rising while the MMU line is handled (the MMU handler's
 * write unmasks a latched GPU bit): both handlers run. irq_sim walks its
 * pending bits upwards from the one it handled, so with both lines in one
 * irq_sim domain this spun in hard IRQ context for good.
 */
struct t_irq2 {
	struct t_ctx *ctx;
	struct completion mmu, gpu;
};

static irqreturn_t t_mmu_irq_unmask_gpu(int irq, void *data)
{
	struct t_irq2 *ti = data;

	if (!t_rd(ti->ctx, MMU_INT_STAT))
		return IRQ_NONE;
	t_wr(ti->ctx, MMU_INT_MASK, 0);
	t_wr(ti->ctx, GPU_INT_MASK, GPU_IRQ_CLEAN_CACHES_COMPLETED);
	complete(&ti->mmu);
	return IRQ_HANDLED;
}

static irqreturn_t t_gpu_irq(int irq, void *data)
{
	struct t_irq2 *ti = data;

	if (!t_rd(ti->ctx, GPU_INT_STAT))
		return IRQ_NONE;
	t_wr(ti->ctx, GPU_INT_MASK, 0);
	complete(&ti->gpu);
	return IRQ_HANDLED;
}

static void t_free_irq2(void *data)
{
	struct t_irq2 *ti = data;

	free_irq(pvm_sim_irq(ti->ctx->sim, PVM_SIM_IRQ_MMU), ti);
	free_irq(pvm_sim_irq(ti->ctx->sim, PVM_SIM_IRQ_GPU), ti);
}

static void t_free_gpu_irq(void *data)
{
	struct t_irq2 *ti = data;

	free_irq(pvm_sim_irq(ti->ctx->sim, PVM_SIM_IRQ_GPU), ti);
}

/*
 * A line that rises is delivered by the model's work item, not by an
 * irq_work that waits for the next tick: once that work item has run, the
 * handler has.
 */
static void pvm_sim_test_irq_no_tick(struct kunit *test)
{
	struct t_ctx *ctx = pvm_simt_setup(test, &pvm_simt_default_cfg);
	struct t_irq2 *ti = kunit_kzalloc(test, sizeof(*ti), GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, ti);
	ti->ctx = ctx;
	init_completion(&ti->gpu);
	KUNIT_ASSERT_EQ(test, request_irq(pvm_sim_irq(ctx->sim, PVM_SIM_IRQ_GPU),
					  t_gpu_irq, 0, "pvm-sim-test", ti), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_free_gpu_irq, ti), 0);
	pvm_simt_build(ctx);

	/* Latched while masked, then unmasked: the line rises at that write. */
	t_wr(ctx, GPU_INT_MASK, 0);
	t_wr(ctx, GPU_CMD, FIELD_PREP(GPU_CMD_TYPE, GPU_CMD_FLUSH_CACHES) |
	     FIELD_PREP(GPU_CMD_PAYLOAD, GPU_CACHE_CLEAN | GPU_CACHE_INV));
	for (i = 0; i < 1000 && !t_rd(ctx, GPU_INT_RAWSTAT); i++)
		usleep_range(500, 1000);
	KUNIT_ASSERT_NE(test, t_rd(ctx, GPU_INT_RAWSTAT), 0);
	t_wr(ctx, GPU_INT_MASK, GPU_IRQ_CLEAN_CACHES_COMPLETED);
	flush_work(&ctx->sim->irq_deliver);
	KUNIT_EXPECT_TRUE(test, completion_done(&ti->gpu));
	t_wr(ctx, GPU_INT_CLEAR, ~0);
}

static void pvm_sim_test_irq_cross(struct kunit *test)
{
	struct t_ctx *ctx = pvm_simt_setup(test, &pvm_simt_default_cfg);
	struct t_irq2 *ti = kunit_kzalloc(test, sizeof(*ti), GFP_KERNEL);
	int i;
	u32 fs;

	KUNIT_ASSERT_NOT_NULL(test, ti);
	ti->ctx = ctx;
	init_completion(&ti->mmu);
	init_completion(&ti->gpu);
	KUNIT_ASSERT_EQ(test, request_irq(pvm_sim_irq(ctx->sim, PVM_SIM_IRQ_GPU),
					  t_gpu_irq, 0, "pvm-sim-test", ti), 0);
	if (request_irq(pvm_sim_irq(ctx->sim, PVM_SIM_IRQ_MMU),
			t_mmu_irq_unmask_gpu, 0, "pvm-sim-test", ti)) {
		free_irq(pvm_sim_irq(ctx->sim, PVM_SIM_IRQ_GPU), ti);
		KUNIT_FAIL_AND_ABORT(test, "MMU IRQ request failed");
	}
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_free_irq2, ti), 0);
	pvm_simt_build(ctx);

	/* A GPU bit latched while masked. */
	t_wr(ctx, GPU_INT_MASK, 0);
	t_wr(ctx, GPU_CMD, FIELD_PREP(GPU_CMD_TYPE, GPU_CMD_FLUSH_CACHES) |
	     FIELD_PREP(GPU_CMD_PAYLOAD, GPU_CACHE_CLEAN | GPU_CACHE_INV));
	for (i = 0; i < 1000 && !t_rd(ctx, GPU_INT_RAWSTAT); i++)
		usleep_range(500, 1000);
	KUNIT_ASSERT_EQ(test, t_rd(ctx, GPU_INT_RAWSTAT),
			GPU_IRQ_CLEAN_CACHES_COMPLETED);

	/* A fault raises the MMU line; its handler lets the GPU line rise. */
	t_wr(ctx, MMU_INT_MASK, BIT(T_AS));
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA + SZ_4K, &fs), -1);
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&ti->mmu, HZ), 0);
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&ti->gpu, HZ), 0);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_GPU_IRQS), 1);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_MMU_IRQS), 1);
	t_wr(ctx, MMU_INT_CLEAR, ~0);
	t_wr(ctx, GPU_INT_CLEAR, ~0);
}

/* ---- profiles ---- */

/* pvm_sim_create()'s errno, 0 (after destroying it) if it succeeds. */
static int t_create_error(const struct pvm_sim_config *cfg)
{
	struct pvm_sim *sim = pvm_sim_create(cfg, PVM_SIM_TEST_DEVICE_NAME);

	if (IS_ERR(sim))
		return PTR_ERR(sim);
	pvm_sim_destroy(sim);
	return 0;
}

static void pvm_sim_test_profile_ids(struct kunit *test)
{
	struct pvm_sim_config cfg = pvm_simt_default_cfg;
	struct t_ctx *ctx;

	cfg.as_count = 4;
	ctx = pvm_simt_setup(test, &cfg);
	KUNIT_EXPECT_EQ(test, t_rd(ctx, GPU_ID), 0xa8670000);
	KUNIT_EXPECT_EQ(test, t_rd(ctx, GPU_MMU_FEATURES), 0x2830);
	KUNIT_EXPECT_EQ(test, t_rd(ctx, GPU_AS_PRESENT), 0xf);
	/* Registers of absent slots read 0 and ignore writes. */
	t_wr(ctx, AS_TRANSTAB_LO(5), 0x1000);
	KUNIT_EXPECT_EQ(test, t_rd(ctx, AS_TRANSTAB_LO(5)), 0);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_UNKNOWN_REGS), 1);

	cfg.profile = PVM_SIM_PROFILE_ARCH12;
	ctx = pvm_simt_setup(test, &cfg);
	KUNIT_EXPECT_EQ(test, t_rd(ctx, GPU_ID), 0xc8700000);
	KUNIT_EXPECT_EQ(test, FIELD_GET(GPU_ID_ARCH_MAJOR, t_rd(ctx, GPU_ID)), 12);

	cfg = pvm_simt_default_cfg;
	cfg.profile = 11;
	KUNIT_EXPECT_EQ(test, t_create_error(&cfg), -EINVAL);
	cfg.profile = 10;
	cfg.as_count = 17;
	KUNIT_EXPECT_EQ(test, t_create_error(&cfg), -EINVAL);
	cfg.as_count = 0;
	KUNIT_EXPECT_EQ(test, t_create_error(&cfg), -EINVAL);
	/* The non-coherent walker's sync is a DMA operation of the SMMU. */
	cfg.as_count = 8;
	cfg.noncoherent = true;
	KUNIT_EXPECT_EQ(test, t_create_error(&cfg), -EINVAL);
	cfg.smmu = true;
	KUNIT_EXPECT_EQ(test, t_create_error(&cfg), 0);
}

static void pvm_sim_test_arch10_flush(struct kunit *test)
{
	struct t_ctx *ctx = pvm_simt_setup(test, &pvm_simt_default_cfg);
	u32 fs;

	pvm_simt_build(ctx);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);
	t_set(ctx, ctx->l3, t_idx(T_VA, 3), ctx->bus[ctx->data_b] | T_PTE_RW, true);
	t_unlock(ctx, t_lockaddr(T_VA, SZ_4K, 15), AS_COMMAND_LOCK);
	t_wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_FLUSH_MEM);
	KUNIT_EXPECT_FALSE(test, ctx->sim->as[T_AS].locked);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_B);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_FLUSH_MEM), 1);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 0);

	/* GPU_COMMAND cache flushes also exist on arch 10. */
	t_wr(ctx, GPU_CMD, FIELD_PREP(GPU_CMD_TYPE, GPU_CMD_FLUSH_CACHES) |
	   FIELD_PREP(GPU_CMD_PAYLOAD, GPU_CACHE_CLEAN | GPU_CACHE_INV));
	KUNIT_EXPECT_EQ(test, t_rd(ctx, GPU_INT_RAWSTAT), GPU_IRQ_CLEAN_CACHES_COMPLETED);

	/* A 4 KiB lock region is malformed on arch 10. */
	t_unlock(ctx, T_VA | 11, AS_COMMAND_UNLOCK);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 1);
}

static void pvm_sim_test_arch12_flush(struct kunit *test)
{
	struct pvm_sim_config cfg = pvm_simt_default_cfg;
	struct t_ctx *ctx;
	int i;
	u32 fs;

	cfg.profile = PVM_SIM_PROFILE_ARCH12;
	cfg.as_active_us = 20000;
	ctx = pvm_simt_setup(test, &cfg);
	pvm_simt_build(ctx);
	KUNIT_ASSERT_TRUE(test, t_wait_inactive(ctx, T_AS));
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);
	t_set(ctx, ctx->l3, t_idx(T_VA, 3), ctx->bus[ctx->data_b] | T_PTE_RW, true);

	/* LOCK with a 4 KiB region is fine on arch 12. */
	t_unlock(ctx, t_lockaddr(T_VA, SZ_4K, 12), AS_COMMAND_LOCK);
	KUNIT_ASSERT_TRUE(test, t_wait_inactive(ctx, T_AS));
	KUNIT_EXPECT_EQ(test, ctx->sim->as[T_AS].lock.last - ctx->sim->as[T_AS].lock.start,
			SZ_4K - 1);

	/* FLUSH_PT / FLUSH_MEM are driver errors and do nothing. */
	t_wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_FLUSH_PT);
	t_wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_FLUSH_MEM);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 2);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_FLUSH_PT), 0);
	KUNIT_EXPECT_EQ(test, t_rd(ctx, AS_STATUS(T_AS)), 0);
	KUNIT_EXPECT_TRUE(test, ctx->sim->as[T_AS].locked);

	/* GPU_COMMAND FLUSH_CACHES completes with bit 17 and the GPU IRQ. */
	t_wr(ctx, GPU_INT_MASK, GPU_IRQ_CLEAN_CACHES_COMPLETED);
	t_wr(ctx, GPU_CMD, FIELD_PREP(GPU_CMD_TYPE, GPU_CMD_FLUSH_CACHES) |
	   FIELD_PREP(GPU_CMD_PAYLOAD, GPU_CACHE_CLEAN | GPU_CACHE_INV |
		      ((GPU_CACHE_CLEAN | GPU_CACHE_INV) << 4)));
	KUNIT_EXPECT_EQ(test, t_rd(ctx, GPU_INT_RAWSTAT), 0);
	KUNIT_EXPECT_EQ(test, t_rd(ctx, GPU_STATUS), GPU_STATUS_ACTIVE);
	for (i = 0; i < 1000 && !t_rd(ctx, GPU_INT_RAWSTAT); i++)
		usleep_range(500, 1000);
	KUNIT_EXPECT_EQ(test, t_rd(ctx, GPU_INT_RAWSTAT), GPU_IRQ_CLEAN_CACHES_COMPLETED);
	KUNIT_EXPECT_EQ(test, t_rd(ctx, GPU_INT_STAT), GPU_IRQ_CLEAN_CACHES_COMPLETED);
	KUNIT_EXPECT_TRUE(test, pvm_sim_irq_asserted(ctx->sim, PVM_SIM_IRQ_GPU));
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_CACHE_FLUSH), 1);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_GPU_IRQS), 1);
	t_wr(ctx, GPU_INT_CLEAR, GPU_IRQ_CLEAN_CACHES_COMPLETED);
	KUNIT_EXPECT_FALSE(test, pvm_sim_irq_asserted(ctx->sim, PVM_SIM_IRQ_GPU));

	/* The cache flush neither unlocked nor invalidated: UNLOCK does. */
	KUNIT_EXPECT_TRUE(test, ctx->sim->as[T_AS].locked);
	t_wr(ctx, AS_COMMAND(T_AS), AS_COMMAND_UNLOCK);
	KUNIT_ASSERT_TRUE(test, t_wait_inactive(ctx, T_AS));
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_B);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_DRIVER_ERRORS), 2);
}

/* FLUSH_SKIP_LEVELS keeps the walk cache of skipped levels (arch 12). */
static void pvm_sim_test_skip_levels(struct kunit *test)
{
	struct pvm_sim_config cfg = pvm_simt_default_cfg;
	struct t_ctx *ctx;
	u32 fs;

	cfg.profile = PVM_SIM_PROFILE_ARCH12;
	ctx = pvm_simt_setup(test, &cfg);
	pvm_simt_build(ctx);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);
	/* Drop the L2 table pointer; skipping levels 0-2 keeps it cached. */
	t_set(ctx, ctx->l2, t_idx(T_VA, 2), 0, true);
	t_unlock(ctx, t_lockaddr(T_VA, SZ_4K, 12) |
		 FIELD_PREP(AS_LOCKADDR_FLUSH_SKIP_LEVELS, 0x7), AS_COMMAND_UNLOCK);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), T_PATTERN_A);
	KUNIT_EXPECT_EQ(test, t_stat(ctx, PVM_SIM_STAT_WALK_CACHE_HITS), 1);
	t_unlock(ctx, t_lockaddr(T_VA, SZ_4K, 12), AS_COMMAND_UNLOCK);
	KUNIT_EXPECT_EQ(test, t_read8(ctx, T_VA, &fs), -1);
	KUNIT_EXPECT_EQ(test, fs, 0xC2 | FIELD_PREP(AS_FAULTSTATUS_ACCESS_TYPE,
						    PVM_SIM_ACCESS_READ));
}

/* ---- counters ---- */

static void pvm_sim_test_stats(struct kunit *test)
{
	struct t_ctx *ctx = pvm_simt_setup(test, &pvm_simt_default_cfg);
	static const char * const required[] = {
		"commands", "lock", "unlock", "flush_pt", "flush_mem",
		"cache_flush", "update", "driver_errors", "accesses", "stalls",
		"faults", "tlb_hits", "tlb_misses", "walks",
		"stale_translations", "smmu_faults",
	};
	struct seq_file m = {};
	char line[64];
	u64 v;
	u32 fs;
	int i;

	pvm_simt_build(ctx);
	t_read8(ctx, T_VA, &fs);
	t_read8(ctx, T_VA, &fs);
	KUNIT_EXPECT_EQ(test, pvm_sim_stat_by_name(ctx->sim, "accesses", &v), 0);
	KUNIT_EXPECT_EQ(test, v, 2);
	KUNIT_EXPECT_EQ(test, pvm_sim_stat_by_name(ctx->sim, "update", &v), 0);
	KUNIT_EXPECT_EQ(test, v, 1);
	KUNIT_EXPECT_EQ(test, pvm_sim_stat_by_name(ctx->sim, "nope", &v), -ENOENT);

	m.size = PAGE_SIZE;
	m.buf = kunit_kzalloc(test, m.size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.buf);
	/* A leading newline so that every line can be matched as "\nname v\n". */
	m.buf[0] = '\n';
	m.count = 1;
	pvm_sim_stats_show(ctx->sim, &m);
	KUNIT_ASSERT_LT(test, m.count, m.size);
	for (i = 0; i < ARRAY_SIZE(required); i++) {
		KUNIT_EXPECT_EQ(test, pvm_sim_stat_by_name(ctx->sim, required[i], &v), 0);
		snprintf(line, sizeof(line), "\n%s %llu\n", required[i],
			 (unsigned long long)v);
		KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(m.buf, line),
					  "missing line for %s", required[i]);
	}
	KUNIT_EXPECT_NOT_NULL(test, strstr(m.buf, "\naccesses 2\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m.buf, "\ntlb_hits 1\n"));

	pvm_sim_stats_reset(ctx->sim);
	for (i = 0; i < PVM_SIM_NR_STATS; i++)
		KUNIT_EXPECT_EQ(test, t_stat(ctx, i), 0);

	/* The totals survive the reset: a test cannot hide what it provoked. */
	t_read8(ctx, T_VA, &fs);
	m.count = 1;
	pvm_sim_totals_show(ctx->sim, &m);
	KUNIT_ASSERT_LT(test, m.count, m.size);
	m.buf[m.count] = '\0';
	KUNIT_EXPECT_NOT_NULL(test, strstr(m.buf, "\naccesses 3\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m.buf, "\ntlb_hits 2\n"));
	KUNIT_EXPECT_STREQ(test, pvm_sim_stat_name(PVM_SIM_STAT_SMMU_FAULTS), "smmu_faults");
}

static struct kunit_case pvm_sim_regs_test_cases[] = {
	KUNIT_CASE(pvm_sim_test_mmio_width),
	KUNIT_CASE_PARAM(pvm_sim_test_lockaddr, t_lock_gen_params),
	KUNIT_CASE(pvm_sim_test_lock_log),
	KUNIT_CASE(pvm_sim_test_unlock_covers_lock),
	KUNIT_CASE(pvm_sim_test_lock_stall),
	KUNIT_CASE(pvm_sim_test_unmapped),
	KUNIT_CASE(pvm_sim_test_as_active),
	KUNIT_CASE(pvm_sim_test_irq),
	KUNIT_CASE(pvm_sim_test_irq_cross),
	KUNIT_CASE(pvm_sim_test_irq_no_tick),
	KUNIT_CASE(pvm_sim_test_profile_ids),
	KUNIT_CASE(pvm_sim_test_arch10_flush),
	KUNIT_CASE(pvm_sim_test_arch12_flush),
	KUNIT_CASE(pvm_sim_test_skip_levels),
	KUNIT_CASE(pvm_sim_test_stats),
	{}
};

static struct kunit_suite pvm_sim_regs_test_suite = {
	.name = "panthor_vm_sim_regs",
	.test_cases = pvm_sim_regs_test_cases,
};

kunit_test_suite(pvm_sim_regs_test_suite);
