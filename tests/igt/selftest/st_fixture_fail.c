// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/* Harness self-test subject: a failing fixture fails every later subtest. */

#include "igt.h"

int igt_main()
{
	igt_subtest("first") {
		igt_assert(1);
	}

	igt_fixture() {
		igt_assert_f(0, "setup broke\n");
	}

	igt_subtest("second") {
		igt_info("NOT-REACHED second\n");
	}

	igt_subtest("third") {
		igt_info("NOT-REACHED third\n");
	}
}
