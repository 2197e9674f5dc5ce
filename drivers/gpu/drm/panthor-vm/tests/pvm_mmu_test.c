// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

/**
 * DOC: MMU unit tests
 *
 * Pure parts: the lock-region encoding (a table including the worked
 * examples of the hardware notes, plus a property check over random
 * ranges), the MEMATTR and TRANSCFG values and the fault decoder.
 */

#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/prandom.h>
#include <linux/sizes.h>

#include "../pvm_mmu.h"
#include "../pvm_regs.h"

struct pvm_lockaddr_case {
	const char *name;
	u64 start;
	u64 size;
	unsigned int min_log2;
	u64 lockaddr;
	u64 region_start;
	u64 region_size;
};

static const struct pvm_lockaddr_case pvm_lockaddr_cases[] = {
	{ "kbase example 8K at 0x4f000", 0x4f000, SZ_8K, 15,
	  0x40010, 0x40000, SZ_128K },
	{ "4K rounds up to 32K", 0x10000000, SZ_4K, 15,
	  0x1000000e, 0x10000000, SZ_32K },
	{ "aligned 2M", 0x200000, SZ_2M, 15, 0x200014, 0x200000, SZ_2M },
	{ "8K across 2M boundary", 0x1ff000, SZ_8K, 15, 0x15, 0, SZ_4M },
	{ "128K across 2G boundary", 0x7fff0000, SZ_128K, 15, 0x1f, 0, SZ_4G },
	{ "everything", 0, U64_MAX, 15, 0x3f, 0, 0 },
	{ "whole 48-bit VA", 0, 1ULL << 48, 15, 0x2f, 0, 1ULL << 48 },
	{ "arch12 4K stays 4K", 0x10000000, SZ_4K, 12,
	  0x1000000b, 0x10000000, SZ_4K },
	{ "arch12 8K at 0x5000", 0x5000, SZ_8K, 12, 0x400d, 0x4000, SZ_16K },
	{ "arch10 8K at 0x5000", 0x5000, SZ_8K, 15, 0xe, 0, SZ_32K },
	{ "min below granule is raised", 0x3000, SZ_4K, 0, 0x300b, 0x3000, SZ_4K },
	{ "size 0 is one byte", 0x1234, 0, 12, 0x100b, 0x1000, SZ_4K },
	{ "range past 2^64 clamps", 0xffffffffffff0000ULL, SZ_1M, 12,
	  0xffffffffffff000fULL, 0xffffffffffff0000ULL, SZ_64K },
	{ "4K in the top 1G", 0xffffc0001000ULL, SZ_4K, 15,
	  0xffffc000000eULL, 0xffffc0000000ULL, SZ_32K },
};

static void pvm_lockaddr_desc(const struct pvm_lockaddr_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pvm_lockaddr, pvm_lockaddr_cases, pvm_lockaddr_desc);

static void pvm_mmu_lockaddr_table(struct kunit *test)
{
	const struct pvm_lockaddr_case *c = test->param_value;
	u64 start = ~0ULL, size = ~0ULL, lockaddr;

	lockaddr = pvm_mmu_lockaddr(c->start, c->size, c->min_log2, &start,
				    &size);
	KUNIT_EXPECT_EQ(test, lockaddr, c->lockaddr);
	KUNIT_EXPECT_EQ(test, start, c->region_start);
	KUNIT_EXPECT_EQ(test, size, c->region_size);
}

/*
 * Over random ranges: the region covers the range, is naturally aligned,
 * a power of two, at least the minimum, and minimal (its aligned halves
 * do not cover the range). The encoding round-trips.
 */
static void pvm_mmu_lockaddr_random(struct kunit *test)
{
	struct rnd_state rnd;
	unsigned int i;

	prandom_seed_state(&rnd, 0x70766d);
	for (i = 0; i < 4096; i++) {
		unsigned int min_log2 = i & 1 ? 12 : 15;
		u64 start = prandom_u32_state(&rnd) |
			    (u64)(prandom_u32_state(&rnd) & 0xffff) << 32;
		u64 size = ((u64)prandom_u32_state(&rnd) >>
			    (prandom_u32_state(&rnd) % 32)) + 1;
		u64 rstart, rsize, lockaddr, half;

		start &= GENMASK_ULL(47, 0);
		lockaddr = pvm_mmu_lockaddr(start, size, min_log2, &rstart,
					    &rsize);
		KUNIT_ASSERT_NE(test, rsize, 0);
		KUNIT_ASSERT_TRUE(test, is_power_of_2(rsize));
		KUNIT_ASSERT_GE(test, rsize, 1ULL << min_log2);
		KUNIT_ASSERT_EQ(test, rstart & (rsize - 1), 0);
		KUNIT_ASSERT_LE(test, rstart, start);
		KUNIT_ASSERT_GE(test, rstart + rsize, start + size);
		KUNIT_ASSERT_EQ(test, FIELD_GET(AS_LOCKADDR_SIZE, lockaddr) + 1,
				(u64)ilog2(rsize));
		KUNIT_ASSERT_EQ(test, lockaddr & AS_LOCKADDR_BASE, rstart);
		KUNIT_ASSERT_EQ(test, lockaddr & AS_LOCKADDR_FLUSH_SKIP_LEVELS, 0);
		if (rsize > (1ULL << min_log2)) {
			half = rsize / 2;
			/* Neither aligned half alone covers the range. */
			KUNIT_ASSERT_TRUE(test, start < rstart + half &&
					  start + size > rstart + half);
		}
	}
}

struct pvm_reg_value_case {
	const char *name;
	bool transcfg;
	unsigned int va_bits;
	bool coherent;
	u64 expected;
};

static const struct pvm_reg_value_case pvm_reg_value_cases[] = {
	/* AS_MEMATTR: byte 0 WB (0x8f / 0x9f), byte 1 NC (0x4c), rest FAULT. */
	{ "memattr non-coherent", false, 0, false, 0xc0c0c0c0c0c04c8fULL },
	{ "memattr coherent", false, 0, true, 0xc0c0c0c0c0c04c9fULL },
	/* AS_TRANSCFG: the values upstream panthor programs. */
	{ "transcfg 48-bit non-coherent", true, 48, false, 0x420001c6ULL },
	{ "transcfg 48-bit coherent", true, 48, true, 0x620001c6ULL },
	{ "transcfg 39-bit non-coherent", true, 39, false, 0x42000406ULL },
};

static void pvm_reg_value_desc(const struct pvm_reg_value_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pvm_reg_value, pvm_reg_value_cases, pvm_reg_value_desc);

static void pvm_mmu_reg_values(struct kunit *test)
{
	const struct pvm_reg_value_case *c = test->param_value;
	u64 val;

	if (c->transcfg)
		val = pvm_mmu_transcfg(c->va_bits, c->coherent);
	else
		val = pvm_mmu_memattr(c->coherent);
	KUNIT_EXPECT_EQ(test, val, c->expected);
}

struct pvm_fault_case {
	u32 status;
	const char *name;
	u8 exception;
	u8 level;
	u8 access;
	u16 source_id;
};

static const struct pvm_fault_case pvm_fault_cases[] = {
	{ 0x123402c1, "TRANSLATION_FAULT", 0xc1, 1,
	  AS_FAULTSTATUS_ACCESS_READ, 0x1234 },
	{ 0x000003c3, "TRANSLATION_FAULT", 0xc3, 3,
	  AS_FAULTSTATUS_ACCESS_WRITE, 0 },
	{ 0x000000c4, "TRANSLATION_FAULT", 0xc4, 4,
	  AS_FAULTSTATUS_ACCESS_ATOMIC, 0 },
	{ 0xffff01cb, "PERMISSION_FAULT", 0xcb, 3,
	  AS_FAULTSTATUS_ACCESS_EXECUTE, 0xffff },
	{ 0x000003c8, "PERMISSION_FAULT", 0xc8, 0,
	  AS_FAULTSTATUS_ACCESS_WRITE, 0 },
	{ 0x000002d2, "TRANSTAB_BUS_FAULT", 0xd2, 2,
	  AS_FAULTSTATUS_ACCESS_READ, 0 },
	{ 0x000002d9, "ACCESS_FLAG_FAULT", 0xd9, 1,
	  AS_FAULTSTATUS_ACCESS_READ, 0 },
	{ 0x000002e0, "ADDRESS_SIZE_FAULT_IN", 0xe0, 0,
	  AS_FAULTSTATUS_ACCESS_READ, 0 },
	{ 0x000002e6, "ADDRESS_SIZE_FAULT_OUT", 0xe6, 2,
	  AS_FAULTSTATUS_ACCESS_READ, 0 },
	{ 0x000003eb, "MEMORY_ATTRIBUTE_FAULT", 0xeb, 3,
	  AS_FAULTSTATUS_ACCESS_WRITE, 0 },
	{ 0x000002ed, "MEMORY_ATTRIBUTE_NONCACHEABLE_FAULT", 0xed, 1,
	  AS_FAULTSTATUS_ACCESS_READ, 0 },
	/* Bit 10 (decoder/slave) is neither access type nor exception. */
	{ 0x000006c2, "TRANSLATION_FAULT", 0xc2, 2,
	  AS_FAULTSTATUS_ACCESS_READ, 0 },
	{ 0x00000080, "UNKNOWN_FAULT", 0x80, 0,
	  AS_FAULTSTATUS_ACCESS_ATOMIC, 0 },
};

static void pvm_fault_desc(const struct pvm_fault_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "0x%08x %s", c->status, c->name);
}

KUNIT_ARRAY_PARAM(pvm_fault, pvm_fault_cases, pvm_fault_desc);

static void pvm_mmu_fault_decode_table(struct kunit *test)
{
	const struct pvm_fault_case *c = test->param_value;
	struct pvm_as_fault f = { .addr = 0x1234, .slot = 3 };

	pvm_mmu_fault_decode(c->status, &f);
	KUNIT_EXPECT_EQ(test, f.status, c->status);
	KUNIT_EXPECT_STREQ(test, f.name, c->name);
	KUNIT_EXPECT_EQ(test, f.exception, c->exception);
	KUNIT_EXPECT_EQ(test, f.level, c->level);
	KUNIT_EXPECT_EQ(test, f.access, c->access);
	KUNIT_EXPECT_EQ(test, f.source_id, c->source_id);
	/* Fields the decoder does not own are left alone. */
	KUNIT_EXPECT_EQ(test, f.addr, 0x1234);
	KUNIT_EXPECT_EQ(test, f.slot, 3);
}

static struct kunit_case pvm_mmu_pure_cases[] = {
	KUNIT_CASE_PARAM(pvm_mmu_lockaddr_table, pvm_lockaddr_gen_params),
	KUNIT_CASE(pvm_mmu_lockaddr_random),
	KUNIT_CASE_PARAM(pvm_mmu_reg_values, pvm_reg_value_gen_params),
	KUNIT_CASE_PARAM(pvm_mmu_fault_decode_table, pvm_fault_gen_params),
	{}
};

static struct kunit_suite pvm_mmu_pure_suite = {
	.name = "pvm_mmu_pure",
	.test_cases = pvm_mmu_pure_cases,
};

kunit_test_suites(&pvm_mmu_pure_suite);
