// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/* Harness self-test subject: an assertion outside any block ends the test. */

#include "igt.h"

int igt_main()
{
	igt_subtest("before") {
		igt_assert(1);
	}

	if (!igt_only_list_subtests())
		igt_assert_eq(3, 4);

	igt_subtest("after") {
		igt_info("NOT-REACHED after\n");
	}
}
