// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/* Harness self-test subject: passing, failing and skipping blocks. */

#include <errno.h>

#include "igt.h"

static void helper_that_fails(void)
{
	igt_assert_eq_u32(0xf00, 0xba5);
}

int igt_main()
{
	volatile int fixture_value = 0;

	igt_fixture() {
		igt_info("FIXTURE-RAN\n");
		fixture_value = 42;
	}

	igt_describe("passes");
	igt_subtest("pass-a") {
		igt_assert_eq(fixture_value, 42);
		igt_info("BODY pass-a\n");
	}

	igt_subtest("fail-eq") {
		int a = 1;

		igt_assert_eq(a, 2);
		igt_info("NOT-REACHED fail-eq\n");
	}

	igt_subtest("fail-errno") {
		errno = EINVAL;
		igt_assert_f(fixture_value == 0, "custom message %d\n", 7);
	}

	igt_subtest("skip-req") {
		igt_require(fixture_value == 0);
		igt_info("NOT-REACHED skip-req\n");
	}

	igt_subtest("skip-on-f") {
		igt_skip_on_f(fixture_value == 42, "because %s\n", "reasons");
	}

	igt_subtest("pass-after-fail") {
		igt_assert(fixture_value);
		igt_assert_neq(fixture_value, 0);
		igt_assert_lte(42, fixture_value);
		igt_info("BODY pass-after-fail\n");
	}

	igt_subtest_f("fmt-%d", 3) {
		igt_assert_lt(1, 2);
	}

	igt_subtest("helper-fail") {
		helper_that_fails();
		igt_info("NOT-REACHED helper-fail\n");
	}

	igt_subtest_with_dynamic("dyn") {
		igt_dynamic("d-pass") {
			igt_assert(1);
		}
		igt_dynamic("d-fail") {
			igt_assert_eq_u64(1, 2);
		}
		igt_dynamic("d-skip") {
			igt_require(0);
		}
		igt_dynamic_f("d-after-%s", "x") {
			igt_info("BODY d-after\n");
		}
	}

	igt_subtest_with_dynamic("dyn-none") {
	}

	igt_subtest_with_dynamic("dyn-all-pass") {
		igt_dynamic("only") {
			igt_assert(1);
		}
	}

	igt_fixture() {
		igt_info("TEARDOWN-RAN\n");
	}
}
