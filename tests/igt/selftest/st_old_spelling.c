// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/* Harness self-test subject: the IGT <= 2.2 block spelling. */

#define IGT_OLD_BLOCK_SPELLING
#include "igt.h"

igt_main
{
	volatile int v = 0;

	igt_fixture {
		v = 5;
	}

	igt_subtest_group {
		igt_subtest("old") {
			igt_assert_eq(v, 5);
		}
	}
}
