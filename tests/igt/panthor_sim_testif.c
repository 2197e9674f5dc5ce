// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * The software GPU's own test interface (debugfs panthor-vm-sim/ases and
 * agent), which make compare uses on both drivers: "ases" counts exactly
 * the table pages the walker reaches from a VM's address space, a table
 * shared by a repeat mapping once; the agent reads what a BO holds and
 * rejects any chunk whose words are not (VA >> 2) ^ KEY.
 */

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_panthor_sim.h"
#include "panthor_drm.h"

IGT_TEST_DESCRIPTION("The software GPU's test interface: ases and agent");

#define DIR	"/sys/kernel/debug/panthor-vm-sim/"
#define KEY	0x1badcafeu
#define VA	0x40000000ULL

/* Table pages of address space @as from debugfs ases, -1 if not listed. */
static int ases_tables(int as)
{
	FILE *f = fopen(DIR "ases", "r");
	int a, t, ret = -1;

	igt_assert(f);
	while (fscanf(f, "as %d tables %d\n", &a, &t) == 2) {
		if (a == as)
			ret = t;
	}
	fclose(f);
	return ret;
}

/* The address space a one-VM test runs in: the only one listed. */
static int ases_only(void)
{
	FILE *f = fopen(DIR "ases", "r");
	int a, t, n = 0, as = -1;

	igt_assert(f);
	while (fscanf(f, "as %d tables %d\n", &a, &t) == 2) {
		as = a;
		n++;
	}
	fclose(f);
	igt_assert_eq(n, 1);
	return as;
}

static void agent_cmd(const char *cmd)
{
	FILE *f = fopen(DIR "agent", "w");

	igt_assert(f);
	igt_assert(fputs(cmd, f) >= 0);
	igt_assert_eq(fclose(f), 0);
}

/* Run the agent over [va, va + size) for 50 ms; return its counts. */
static void agent_run(int as, uint64_t va, uint64_t size, uint64_t *reads,
		      uint64_t *bad, uint64_t *faults)
{
	char cmd[96];
	uint64_t errors;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "start %d %llx %llx %x", as,
		 (unsigned long long)va, (unsigned long long)size, KEY);
	agent_cmd(cmd);
	usleep(50 * 1000);
	agent_cmd("stop");
	f = fopen(DIR "agent", "r");
	igt_assert(f);
	igt_assert_eq(fscanf(f, "reads %lu faults %lu bad %lu errors %lu",
			     reads, faults, bad, &errors), 4);
	fclose(f);
	igt_assert_eq_u64(errors, 0);
}

int igt_main()
{
	int fd = -1;

	igt_fixture() {
		fd = drm_open_driver(DRIVER_PANTHOR);
		igt_require_panthor_sim(fd);
		igt_require_f(access(DIR "ases", R_OK) == 0, "no %sases\n", DIR);
	}

	igt_describe("ases counts the table pages reachable from the VM's root, shared ones once");
	igt_subtest("ases-counts-tables") {
		struct panthor_bo bo;
		uint32_t vm;
		int as;

		igt_panthor_vm_create(fd, &vm, 0);
		igt_panthor_bo_create_mapped(fd, &bo, 4096, 0, 0);
		igt_panthor_map(fd, vm, bo.handle, 0, VA, 4096, 0);
		igt_panthor_gpu_read32(fd, vm, VA);
		as = ases_only();
		/* Levels 0 to 3 down to one page. */
		igt_assert_eq(ases_tables(as), 4);
		/* Another 2 MiB range of the same 1 GiB: one more level-3 table. */
		igt_panthor_map(fd, vm, bo.handle, 0, VA + 0x200000, 4096, 0);
		igt_assert_eq(ases_tables(as), 5);
		/* Another 1 GiB: a level-2 and a level-3 table. */
		igt_panthor_map(fd, vm, bo.handle, 0, 2 * VA, 4096, 0);
		igt_assert_eq(ases_tables(as), 7);
		igt_panthor_unmap(fd, vm, VA + 0x200000, 4096);
		igt_assert_eq(ases_tables(as), 6);
		/*
		 * 8 MiB repeating one page in a third 1 GiB: a level-2 table
		 * whose four entries share one level-3 table.
		 */
		igt_panthor_map_repeat(fd, vm, bo.handle, 0, 3 * VA, 8 << 20, 4096);
		igt_assert_eq(ases_tables(as), 8);
		igt_panthor_vm_destroy(fd, vm, 0);
		igt_panthor_free_bo(fd, &bo);
	}

	igt_describe("The agent accepts the BO's contents and rejects a changed word");
	igt_subtest("agent-reads-and-rejects") {
		uint64_t reads, bad, faults;
		struct panthor_bo bo;
		uint32_t *w, vm;
		int as, i;

		igt_panthor_vm_create(fd, &vm, 0);
		igt_panthor_bo_create_mapped(fd, &bo, 0x10000, 0, 0);
		w = bo.map;
		for (i = 0; i < 0x10000 / 4; i++)
			w[i] = (uint32_t)((VA >> 2) + i) ^ KEY;
		igt_panthor_map(fd, vm, bo.handle, 0, VA, 0x10000, 0);
		igt_panthor_gpu_read32(fd, vm, VA);
		as = ases_only();
		agent_run(as, VA, 0x10000, &reads, &bad, &faults);
		igt_assert(reads > 0);
		igt_assert_eq_u64(bad, 0);
		igt_assert_eq_u64(faults, 0);
		w[0x1234 / 4] ^= 1;
		agent_run(as, VA, 0x10000, &reads, &bad, &faults);
		igt_assert(reads > 0);
		igt_assert(bad > 0);
		igt_assert_eq_u64(faults, 0);
		igt_panthor_vm_destroy(fd, vm, 0);
		igt_panthor_free_bo(fd, &bo);
	}

	igt_fixture() {
		drm_close_driver(fd);
	}
}
