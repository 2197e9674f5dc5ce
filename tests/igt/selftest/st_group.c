// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/* Harness self-test subject: a fixture skip stays inside its group. */

#include "igt.h"

int igt_main()
{
	igt_subtest_group() {
		igt_fixture() {
			igt_require(0);
		}

		igt_subtest("in-group") {
			igt_info("NOT-REACHED in-group\n");
		}
	}

	igt_subtest("outside") {
		igt_info("BODY outside\n");
	}
}
