// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/* Harness self-test subject: a skipping fixture skips every later subtest. */

#include "igt.h"

int igt_main()
{
	igt_fixture() {
		igt_require_f(0, "no device in %s\n", "selftest");
	}

	igt_subtest("a") {
		igt_info("NOT-REACHED a\n");
	}

	igt_subtest("b") {
		igt_info("NOT-REACHED b\n");
	}

	igt_fixture() {
		igt_info("NOT-REACHED teardown\n");
	}
}
