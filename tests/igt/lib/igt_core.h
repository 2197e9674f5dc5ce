/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The panthor-vm authors
 */
#ifndef IGT_CORE_H
#define IGT_CORE_H

/**
 * DOC: IGT test API without IGT
 *
 * A small re-implementation of the part of IGT's test API (lib/igt_core.h
 * of igt-gpu-tools) that panthor tests use, so that tests written for IGT
 * build here against libdrm alone and, unchanged, inside a real IGT tree.
 *
 * What it owns: the control-flow blocks (igt_main(), igt_fixture(),
 * igt_subtest(), igt_subtest_f(), igt_subtest_with_dynamic(), igt_dynamic(),
 * igt_subtest_group()), the assertions (igt_assert*(), igt_require*(),
 * igt_skip*(), igt_fail*()), logging (igt_info(), igt_debug(), igt_warn()),
 * the command line (--list-subtests, --run-subtest, --dynamic-subtest,
 * --describe, --debug, --help) and the result lines and exit codes:
 *
 * - "Starting subtest: NAME", then "Subtest NAME: SUCCESS|FAIL|SKIP (T.TTTs)";
 *   dynamic subtests print "Starting dynamic subtest: NAME" and
 *   "Dynamic subtest NAME: RESULT (T.TTTs)";
 * - exit 0 when nothing failed and something passed, 77 (IGT_EXIT_SKIP) when
 *   everything skipped, 98 (IGT_EXIT_FAILURE) when anything failed, 79
 *   (IGT_EXIT_INVALID) for a --run-subtest that matches nothing or bad
 *   arguments.
 *
 * How it works (as in IGT): each block is a for statement whose condition
 * calls sigsetjmp(). A failed assertion or a skip prints its report and
 * siglongjmp()s back into that condition, which ends the block; so a
 * failure aborts only the current subtest (or dynamic subtest) and the
 * program continues with the next one. Because of the longjmp, locals
 * changed inside a block and read after it should be volatile, exactly as
 * with IGT; the build uses -Wno-clobbered like IGT's.
 *
 * A failure or skip inside an igt_fixture() makes every later subtest
 * report FAIL or SKIP without running, and later fixtures do not run. An
 * assertion outside any block ends the program with exit 98 (77 for a skip).
 * Fixtures do not run with --list-subtests.
 *
 * Spelling: the blocks use the current IGT spelling, igt_main() and
 * igt_fixture() with parentheses. Tests written for IGT 2.2 and older
 * ("igt_main {", "igt_fixture {", "igt_subtest_group {") build when
 * IGT_OLD_BLOCK_SPELLING is defined before including igt.h; a C macro name
 * cannot be both object-like and function-like, so one has to be chosen.
 *
 * Not thread safe: assertions must run on the main thread.
 */

#include <inttypes.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/** IGT_EXIT_SUCCESS: every selected subtest passed (or none was skipped). */
#define IGT_EXIT_SUCCESS	0
/** IGT_EXIT_SKIP: every selected subtest skipped. */
#define IGT_EXIT_SKIP		77
/** IGT_EXIT_INVALID: bad command line, or no subtest matched. */
#define IGT_EXIT_INVALID	79
/** IGT_EXIT_FAILURE: at least one subtest failed. */
#define IGT_EXIT_FAILURE	98
/** IGT_EXIT_ABORT: the test aborted. */
#define IGT_EXIT_ABORT		112

#ifndef __noreturn
#define __noreturn __attribute__((noreturn))
#endif

#define __igt_tokencat2(x, y) x ## y
/** igt_tokencat() - Paste two tokens after expanding them. */
#define igt_tokencat(x, y) __igt_tokencat2(x, y)
/** igt_unique() - An identifier unique to the source line. */
#define igt_unique(prefix) \
	igt_tokencat(igt_tokencat(__igt_unique__, prefix), __LINE__)

extern sigjmp_buf igt_subtest_jmpbuf;
extern sigjmp_buf igt_dynamic_jmpbuf;

struct option;
/** typedef igt_opt_handler_t - Handler for test-specific options. */
typedef int (*igt_opt_handler_t)(int opt, int opt_index, void *data);
#define IGT_OPT_HANDLER_SUCCESS 0
#define IGT_OPT_HANDLER_ERROR -2

int igt_subtest_init_parse_opts(int *argc, char **argv,
				const char *extra_short_opts,
				const struct option *extra_long_opts,
				const char *help_str,
				igt_opt_handler_t extra_opt_handler,
				void *handler_data);
#define igt_subtest_init(argc, argv) \
	igt_subtest_init_parse_opts(&(argc), (argv), NULL, NULL, NULL, NULL, NULL)

bool __igt_fixture(void);
void __igt_fixture_complete(void);
bool __igt_run_subtest(const char *name, const char *file, int line);
bool __igt_enter_dynamic_container(void);
bool __igt_run_dynamic_subtest(const char *name);
void __igt_subtest_group_save(int *save, int *desc);
void __igt_subtest_group_restore(int save, int desc);

const char *igt_test_name(void);
const char *igt_subtest_name(void);
const char *igt_dynamic_subtest_name(void);
bool igt_only_list_subtests(void);

void igt_success(void);
__noreturn void igt_fail(int exitcode);
__noreturn void igt_exit(void);
__noreturn __attribute__((format(printf, 1, 2)))
void igt_skip(const char *f, ...);
__noreturn __attribute__((format(printf, 5, 6)))
void __igt_skip_check(const char *file, int line, const char *func,
		      const char *check, const char *f, ...);
__noreturn __attribute__((format(printf, 6, 7)))
void __igt_fail_assert(const char *domain, const char *file, int line,
		       const char *func, const char *assertion,
		       const char *f, ...);

__attribute__((format(printf, 1, 2)))
void igt_describe_f(const char *fmt, ...);
/** igt_describe() - Describe the next subtest (shown by --describe). */
#define igt_describe(dsc) igt_describe_f("%s", (dsc))

/**
 * IGT_TEST_DESCRIPTION() - One-line description of the whole test binary.
 * @str: the description.
 */
#define IGT_TEST_DESCRIPTION(str) const char *__igt_test_description = (str)

/** enum igt_log_level - Severity of a log message. */
enum igt_log_level {
	IGT_LOG_DEBUG,
	IGT_LOG_INFO,
	IGT_LOG_WARN,
	IGT_LOG_CRITICAL,
	IGT_LOG_NONE,
};

__attribute__((format(printf, 3, 4)))
void igt_log(const char *domain, enum igt_log_level level, const char *format, ...);
#define igt_debug(f...) igt_log(NULL, IGT_LOG_DEBUG, f)
#define igt_info(f...) igt_log(NULL, IGT_LOG_INFO, f)
#define igt_warn(f...) igt_log(NULL, IGT_LOG_WARN, f)
#define igt_critical(f...) igt_log(NULL, IGT_LOG_CRITICAL, f)

/* ------------------------------------------------------------------------ */
/* Blocks                                                                   */
/* ------------------------------------------------------------------------ */

/**
 * igt_main_args() - Define main() for a test with subtests and own options.
 *
 * Use as "int igt_main_args(...)" followed by the test body in braces: the
 * leading "int" completes a prototype of main().
 */
#define igt_main_args(short_opts, long_opts, help_str, opt_handler, handler_data) \
	main(int argc, char **argv); \
	static void igt_unique(__real_main)(void); \
	int main(int argc, char **argv) \
	{ \
		igt_subtest_init_parse_opts(&argc, argv, short_opts, long_opts, \
					    help_str, opt_handler, handler_data); \
		igt_unique(__real_main)(); \
		igt_exit(); \
	} \
	static void igt_unique(__real_main)(void)

/** igt_subtest() - Run the following block as the subtest @name. */
#define igt_subtest(name) \
	for (; __igt_run_subtest((name), __FILE__, __LINE__) && \
	       (sigsetjmp(igt_subtest_jmpbuf, 1) == 0); \
	     igt_success())

#define __igt_subtest_f(tmp, format...) \
	for (char tmp[256]; \
	     snprintf(tmp, sizeof(tmp), format), \
	     __igt_run_subtest(tmp, __FILE__, __LINE__) && \
	     (sigsetjmp(igt_subtest_jmpbuf, 1) == 0); \
	     igt_success())

/** igt_subtest_f() - igt_subtest() with a printf-formatted name. */
#define igt_subtest_f(f...) __igt_subtest_f(igt_unique(__tmpchar), f)

/**
 * igt_subtest_with_dynamic() - A subtest whose results come from the
 * igt_dynamic() blocks inside it: SKIP if none ran, FAIL if one failed.
 */
#define igt_subtest_with_dynamic(name) \
	for (; __igt_run_subtest((name), __FILE__, __LINE__) && \
	       __igt_enter_dynamic_container() && \
	       (sigsetjmp(igt_subtest_jmpbuf, 1) == 0); \
	     igt_success())

#define __igt_subtest_with_dynamic_f(tmp, format...) \
	for (char tmp[256]; \
	     snprintf(tmp, sizeof(tmp), format), \
	     __igt_run_subtest(tmp, __FILE__, __LINE__) && \
	     __igt_enter_dynamic_container() && \
	     (sigsetjmp(igt_subtest_jmpbuf, 1) == 0); \
	     igt_success())

/** igt_subtest_with_dynamic_f() - printf-formatted igt_subtest_with_dynamic(). */
#define igt_subtest_with_dynamic_f(f...) \
	__igt_subtest_with_dynamic_f(igt_unique(__tmpchar), f)

/** igt_dynamic() - Run the following block as dynamic subtest @name. */
#define igt_dynamic(name) \
	for (; __igt_run_dynamic_subtest((name)) && \
	       (sigsetjmp(igt_dynamic_jmpbuf, 1) == 0); \
	     igt_success())

#define __igt_dynamic_f(tmp, format...) \
	for (char tmp[256]; \
	     snprintf(tmp, sizeof(tmp), format), \
	     __igt_run_dynamic_subtest(tmp) && \
	     (sigsetjmp(igt_dynamic_jmpbuf, 1) == 0); \
	     igt_success())

/** igt_dynamic_f() - igt_dynamic() with a printf-formatted name. */
#define igt_dynamic_f(f...) __igt_dynamic_f(igt_unique(__tmpchar), f)

#define __igt_fixture_block \
	for (volatile int igt_unique(__tmpint) = 0; \
	     igt_unique(__tmpint) < 1 && __igt_fixture() && \
	     (sigsetjmp(igt_subtest_jmpbuf, 1) == 0); \
	     igt_unique(__tmpint)++, __igt_fixture_complete())

#define __igt_subtest_group_block \
	for (int igt_unique(__tmpint) = 0, igt_unique(__save) = 0, \
	     igt_unique(__desc) = 0; \
	     igt_unique(__tmpint) < 1 && \
	     (__igt_subtest_group_save(&igt_unique(__save), \
				       &igt_unique(__desc)), true); \
	     igt_unique(__tmpint)++, \
	     __igt_subtest_group_restore(igt_unique(__save), \
					 igt_unique(__desc)))

#ifdef IGT_OLD_BLOCK_SPELLING
/* IGT <= 2.2: "igt_main {", "igt_fixture {", "igt_subtest_group {". */
#define igt_main \
	static void igt_unique(__real_main)(void); \
	int main(int argc, char **argv) \
	{ \
		igt_subtest_init_parse_opts(&argc, argv, NULL, NULL, NULL, \
					    NULL, NULL); \
		igt_unique(__real_main)(); \
		igt_exit(); \
	} \
	static void igt_unique(__real_main)(void)
#define igt_fixture __igt_fixture_block
#define igt_subtest_group __igt_subtest_group_block
#else
/** igt_main() - Define main(); write "int igt_main() { ... }". */
#define igt_main() igt_main_args(NULL, NULL, NULL, NULL, NULL)
/** igt_fixture() - Setup or teardown code, skipped when only listing. */
#define igt_fixture() __igt_fixture_block
/** igt_subtest_group() - Scope fixture failures to the enclosed subtests. */
#define igt_subtest_group() __igt_subtest_group_block
#endif

/* ------------------------------------------------------------------------ */
/* Assertions                                                               */
/* ------------------------------------------------------------------------ */

/** igt_assert() - Fail the current subtest unless @expr is true. */
#define igt_assert(expr) \
	do { \
		if (!(expr)) \
			__igt_fail_assert(NULL, __FILE__, __LINE__, __func__, \
					  #expr, NULL); \
	} while (0)

/** igt_assert_f() - igt_assert() with a printf-formatted explanation. */
#define igt_assert_f(expr, f...) \
	do { \
		if (!(expr)) \
			__igt_fail_assert(NULL, __FILE__, __LINE__, __func__, \
					  #expr, f); \
	} while (0)

/** igt_fail_on() - Fail the current subtest if @expr is true. */
#define igt_fail_on(expr) igt_assert(!(expr))
/** igt_fail_on_f() - igt_fail_on() with a printf-formatted explanation. */
#define igt_fail_on_f(expr, f...) igt_assert_f(!(expr), f)

#define __igt_assert_cmp(type, fmt, n1, cmp, ncmp, n2) \
	do { \
		type __n1 = (n1), __n2 = (n2); \
		if (!(__n1 cmp __n2)) \
			__igt_fail_assert(NULL, __FILE__, __LINE__, __func__, \
					  #n1 " " #cmp " " #n2, \
					  "error: " fmt " " #ncmp " " fmt "\n", \
					  __n1, __n2); \
	} while (0)

#define igt_assert_cmpint(n1, cmp, ncmp, n2) \
	__igt_assert_cmp(int, "%d", n1, cmp, ncmp, n2)
#define igt_assert_cmpuint(n1, cmp, ncmp, n2) \
	__igt_assert_cmp(unsigned int, "%#x", n1, cmp, ncmp, n2)
#define igt_assert_cmps64(n1, cmp, ncmp, n2) \
	__igt_assert_cmp(int64_t, "%" PRId64, n1, cmp, ncmp, n2)
#define igt_assert_cmpu64(n1, cmp, ncmp, n2) \
	__igt_assert_cmp(uint64_t, "%#" PRIx64, n1, cmp, ncmp, n2)

/** igt_assert_eq() - Fail unless the ints @n1 and @n2 are equal. */
#define igt_assert_eq(n1, n2) igt_assert_cmpint(n1, ==, !=, n2)
#define igt_assert_eq_u32(n1, n2) igt_assert_cmpuint(n1, ==, !=, n2)
#define igt_assert_eq_s64(n1, n2) igt_assert_cmps64(n1, ==, !=, n2)
#define igt_assert_eq_u64(n1, n2) igt_assert_cmpu64(n1, ==, !=, n2)
/** igt_assert_neq() - Fail if the ints @n1 and @n2 are equal. */
#define igt_assert_neq(n1, n2) igt_assert_cmpint(n1, !=, ==, n2)
#define igt_assert_neq_u32(n1, n2) igt_assert_cmpuint(n1, !=, ==, n2)
#define igt_assert_neq_u64(n1, n2) igt_assert_cmpu64(n1, !=, ==, n2)
/** igt_assert_lt() - Fail unless the int @n1 < @n2. */
#define igt_assert_lt(n1, n2) igt_assert_cmpint(n1, <, >=, n2)
/** igt_assert_lte() - Fail unless the int @n1 <= @n2. */
#define igt_assert_lte(n1, n2) igt_assert_cmpint(n1, <=, >, n2)
#define igt_assert_lt_u64(n1, n2) igt_assert_cmpu64(n1, <, >=, n2)
#define igt_assert_lte_u64(n1, n2) igt_assert_cmpu64(n1, <=, >, n2)
#define igt_assert_lt_s64(n1, n2) igt_assert_cmps64(n1, <, >=, n2)
#define igt_assert_lte_s64(n1, n2) igt_assert_cmps64(n1, <=, >, n2)

/** igt_require() - Skip the current subtest unless @expr is true. */
#define igt_require(expr) \
	do { \
		if (!(expr)) \
			__igt_skip_check(__FILE__, __LINE__, __func__, #expr, \
					 NULL); \
	} while (0)

/** igt_require_f() - igt_require() with a printf-formatted explanation. */
#define igt_require_f(expr, f...) \
	do { \
		if (!(expr)) \
			__igt_skip_check(__FILE__, __LINE__, __func__, #expr, f); \
	} while (0)

/** igt_skip_on() - Skip the current subtest if @expr is true. */
#define igt_skip_on(expr) \
	do { \
		if ((expr)) \
			__igt_skip_check(__FILE__, __LINE__, __func__, \
					 "!(" #expr ")", NULL); \
	} while (0)

/** igt_skip_on_f() - igt_skip_on() with a printf-formatted explanation. */
#define igt_skip_on_f(expr, f...) \
	do { \
		if ((expr)) \
			__igt_skip_check(__FILE__, __LINE__, __func__, \
					 "!(" #expr ")", f); \
	} while (0)

/** igt_warn_on() - Log a warning if @cond is true; evaluates to @cond. */
#define igt_warn_on(cond) ({ \
	bool __c = (cond); \
	if (__c) \
		igt_warn("Warning on condition %s in function %s, file %s:%i\n", \
			 #cond, __func__, __FILE__, __LINE__); \
	__c; \
})

/** igt_warn_on_f() - igt_warn_on() with a printf-formatted explanation. */
#define igt_warn_on_f(cond, f...) ({ \
	bool __c = (cond); \
	if (__c) { \
		igt_warn("Warning on condition %s in function %s, file %s:%i\n", \
			 #cond, __func__, __FILE__, __LINE__); \
		igt_warn(f); \
	} \
	__c; \
})

#endif /* IGT_CORE_H */
