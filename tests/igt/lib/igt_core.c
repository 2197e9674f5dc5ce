// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * The runtime behind igt_core.h: option parsing, subtest selection, result
 * bookkeeping and the non-local exits of failing or skipping blocks. See the
 * DOC comment in igt_core.h for the behaviour it implements.
 */

#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "igt_core.h"

sigjmp_buf igt_subtest_jmpbuf;
sigjmp_buf igt_dynamic_jmpbuf;

extern const char *__igt_test_description __attribute__((weak));

enum block_result { RESULT_NONE, RESULT_SKIP, RESULT_FAIL };

static struct {
	char name[256];
	bool list_subtests;
	bool describe;
	const char *describe_pattern;
	char *run_filter;
	const char *dynamic_filter;
	bool debug;

	/* What is running now. */
	bool in_fixture;
	bool in_subtest;
	bool in_dynamic_container;
	bool in_dynamic;
	char subtest[256];
	char dynamic[256];
	struct timespec subtest_start;
	struct timespec dynamic_start;

	/* A fixture failed or skipped: later subtests of the group report it. */
	enum block_result henceforth;
	bool fixture_failed;

	/* Results. */
	int matched;
	int passed;
	int failed;
	int skipped;
	int dyn_passed;
	int dyn_failed;
	int dyn_skipped;

	char *description;
} igt;

const char *igt_test_name(void)
{
	return igt.name;
}

const char *igt_subtest_name(void)
{
	return igt.in_subtest ? igt.subtest : NULL;
}

const char *igt_dynamic_subtest_name(void)
{
	return igt.in_dynamic ? igt.dynamic : NULL;
}

bool igt_only_list_subtests(void)
{
	return igt.list_subtests || igt.describe;
}

static double elapsed_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) +
	       (now.tv_nsec - start->tv_nsec) / 1e9;
}

void igt_log(const char *domain, enum igt_log_level level, const char *format, ...)
{
	FILE *out = level >= IGT_LOG_WARN ? stderr : stdout;
	va_list ap;

	if (level == IGT_LOG_DEBUG && !igt.debug)
		return;
	if (level == IGT_LOG_NONE)
		return;

	fflush(stdout);
	if (level == IGT_LOG_WARN)
		fprintf(out, "(%s:%d) %s%sWARNING: ", igt.name, getpid(),
			domain ?: "", domain ? "-" : "");
	else if (level == IGT_LOG_CRITICAL)
		fprintf(out, "(%s:%d) %s%sCRITICAL: ", igt.name, getpid(),
			domain ?: "", domain ? "-" : "");
	else if (level == IGT_LOG_DEBUG)
		fprintf(out, "(%s:%d) DEBUG: ", igt.name, getpid());

	va_start(ap, format);
	vfprintf(out, format, ap);
	va_end(ap);
	fflush(out);
}

static bool valid_name(const char *name)
{
	if (!*name)
		return false;
	for (; *name; name++) {
		if (!((*name >= 'a' && *name <= 'z') ||
		      (*name >= 'A' && *name <= 'Z') ||
		      (*name >= '0' && *name <= '9') ||
		      *name == '-' || *name == '_'))
			return false;
	}
	return true;
}

/* Comma-separated list of fnmatch() globs. */
static bool matches(const char *filter, const char *name)
{
	char *copy, *save, *tok;
	bool hit = false;

	if (!filter)
		return true;

	copy = strdup(filter);
	if (!copy)
		abort();
	for (tok = strtok_r(copy, ",", &save); tok && !hit;
	     tok = strtok_r(NULL, ",", &save))
		hit = fnmatch(tok, name, 0) == 0;
	free(copy);
	return hit;
}

static __noreturn void invalid_use(const char *what, const char *name)
{
	igt_critical("Invalid use of the test API: %s%s%s\n", what,
		     name ? ": " : "", name ?: "");
	exit(IGT_EXIT_INVALID);
}

void igt_describe_f(const char *fmt, ...)
{
	va_list ap;

	free(igt.description);
	va_start(ap, fmt);
	if (vasprintf(&igt.description, fmt, ap) < 0)
		igt.description = NULL;
	va_end(ap);
}

static void usage(const char *help_str, const struct option *extra)
{
	fprintf(stdout,
		"Usage: %s [OPTIONS]\n"
		"  --list-subtests\n"
		"  --run-subtest <pattern>[,<pattern>...]\n"
		"  --dynamic-subtest <pattern>[,<pattern>...]\n"
		"  --describe[=<pattern>]\n"
		"  --debug[=<domain>]\n"
		"  --device <filter> (accepted and ignored)\n"
		"  --help|-h\n", igt.name);
	for (; extra && extra->name; extra++)
		fprintf(stdout, "  --%s\n", extra->name);
	if (help_str)
		fprintf(stdout, "%s\n", help_str);
}

enum {
	OPT_LIST = 1000,
	OPT_RUN,
	OPT_DYNAMIC,
	OPT_DESCRIBE,
	OPT_DEBUG,
	OPT_DEVICE,
	OPT_HELP,
};

int igt_subtest_init_parse_opts(int *argc, char **argv,
				const char *extra_short_opts,
				const struct option *extra_long_opts,
				const char *help_str,
				igt_opt_handler_t extra_opt_handler,
				void *handler_data)
{
	static const struct option core_opts[] = {
		{ "list-subtests", no_argument, NULL, OPT_LIST },
		{ "run-subtest", required_argument, NULL, OPT_RUN },
		{ "dynamic-subtest", required_argument, NULL, OPT_DYNAMIC },
		{ "describe", optional_argument, NULL, OPT_DESCRIBE },
		{ "debug", optional_argument, NULL, OPT_DEBUG },
		{ "device", required_argument, NULL, OPT_DEVICE },
		{ "help", no_argument, NULL, OPT_HELP },
	};
	size_t n_core = sizeof(core_opts) / sizeof(core_opts[0]);
	size_t n_extra = 0, i;
	struct option *opts;
	char short_opts[128];
	struct utsname uts;
	int opt, idx;
	char *base;

	base = strdup(argv[0]);
	if (!base)
		abort();
	snprintf(igt.name, sizeof(igt.name), "%s", basename(base));
	free(base);

	while (extra_long_opts && extra_long_opts[n_extra].name)
		n_extra++;
	opts = calloc(n_core + n_extra + 1, sizeof(*opts));
	if (!opts)
		abort();
	memcpy(opts, core_opts, sizeof(core_opts));
	for (i = 0; i < n_extra; i++)
		opts[n_core + i] = extra_long_opts[i];
	snprintf(short_opts, sizeof(short_opts), "h%s", extra_short_opts ?: "");

	if (getenv("IGT_LOG_LEVEL") && !strcmp(getenv("IGT_LOG_LEVEL"), "debug"))
		igt.debug = true;

	optind = 1;
	while ((opt = getopt_long(*argc, argv, short_opts, opts, &idx)) != -1) {
		switch (opt) {
		case OPT_LIST:
			igt.list_subtests = true;
			break;
		case OPT_RUN:
			if (igt.run_filter) {
				char *joined;

				if (asprintf(&joined, "%s,%s", igt.run_filter,
					     optarg) < 0)
					abort();
				free(igt.run_filter);
				igt.run_filter = joined;
			} else {
				igt.run_filter = strdup(optarg);
			}
			break;
		case OPT_DYNAMIC:
			igt.dynamic_filter = optarg;
			break;
		case OPT_DESCRIBE:
			igt.describe = true;
			igt.describe_pattern = optarg;
			break;
		case OPT_DEBUG:
			igt.debug = true;
			break;
		case OPT_DEVICE:
			break;
		case 'h':
		case OPT_HELP:
			usage(help_str, extra_long_opts);
			exit(IGT_EXIT_SUCCESS);
		case '?':
			usage(help_str, extra_long_opts);
			exit(IGT_EXIT_INVALID);
		default:
			if (!extra_opt_handler ||
			    extra_opt_handler(opt, idx, handler_data) ==
			    IGT_OPT_HANDLER_ERROR) {
				usage(help_str, extra_long_opts);
				exit(IGT_EXIT_INVALID);
			}
			break;
		}
	}
	free(opts);

	if (!igt_only_list_subtests()) {
		uname(&uts);
		igt_info("IGT-Version: 2.4-panthor-vm-compat (%s) (Linux: %s %s)\n",
			 uts.machine, uts.release, uts.machine);
		if (&__igt_test_description && __igt_test_description)
			igt_debug("Test description: %s\n", __igt_test_description);
	}
	return 0;
}

bool __igt_fixture(void)
{
	if (igt_only_list_subtests() || igt.henceforth != RESULT_NONE)
		return false;
	if (igt.in_subtest || igt.in_fixture)
		invalid_use("igt_fixture() inside a subtest or fixture", NULL);

	igt.in_fixture = true;
	return true;
}

void __igt_fixture_complete(void)
{
	igt.in_fixture = false;
}

void __igt_subtest_group_save(int *save, int *desc)
{
	*save = igt.henceforth;
	*desc = 0;
}

void __igt_subtest_group_restore(int save, int desc)
{
	(void)desc;
	igt.henceforth = save;
}

bool __igt_run_subtest(const char *name, const char *file, int line)
{
	char *description = igt.description;

	igt.description = NULL;

	if (!valid_name(name))
		invalid_use("invalid subtest name", name);
	if (igt.in_subtest || igt.in_fixture)
		invalid_use("nested subtest", name);

	if (igt.list_subtests) {
		printf("%s\n", name);
		free(description);
		return false;
	}
	if (igt.describe) {
		if (matches(igt.describe_pattern, name))
			printf("SUB %s %s:%d:\n  %s\n\n", name, file, line,
			       description ?: "NO DOCUMENTATION!");
		free(description);
		return false;
	}
	free(description);

	if (!matches(igt.run_filter, name))
		return false;
	igt.matched++;

	if (igt.henceforth != RESULT_NONE) {
		bool skip = igt.henceforth == RESULT_SKIP;

		printf("Subtest %s: %s (0.000s)\n", name, skip ? "SKIP" : "FAIL");
		fflush(stdout);
		if (skip)
			igt.skipped++;
		else
			igt.failed++;
		return false;
	}

	snprintf(igt.subtest, sizeof(igt.subtest), "%s", name);
	igt.in_subtest = true;
	igt.in_dynamic_container = false;
	printf("Starting subtest: %s\n", name);
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &igt.subtest_start);
	return true;
}

bool __igt_enter_dynamic_container(void)
{
	igt.in_dynamic_container = true;
	igt.dyn_passed = 0;
	igt.dyn_failed = 0;
	igt.dyn_skipped = 0;
	return true;
}

bool __igt_run_dynamic_subtest(const char *name)
{
	if (!igt.in_dynamic_container || igt.in_dynamic)
		invalid_use("igt_dynamic() outside igt_subtest_with_dynamic()",
			    name);
	if (!valid_name(name))
		invalid_use("invalid dynamic subtest name", name);
	if (!matches(igt.dynamic_filter, name))
		return false;

	snprintf(igt.dynamic, sizeof(igt.dynamic), "%s", name);
	igt.in_dynamic = true;
	printf("Starting dynamic subtest: %s\n", name);
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &igt.dynamic_start);
	return true;
}

/* Report the running (dynamic) subtest and jump out of its block. */
static __noreturn void exit_block(const char *result)
{
	fflush(stderr);
	if (igt.in_dynamic) {
		printf("Dynamic subtest %s: %s (%.3fs)\n", igt.dynamic, result,
		       elapsed_since(&igt.dynamic_start));
		fflush(stdout);
		if (!strcmp(result, "SUCCESS"))
			igt.dyn_passed++;
		else if (!strcmp(result, "FAIL"))
			igt.dyn_failed++;
		else
			igt.dyn_skipped++;
		igt.in_dynamic = false;
		siglongjmp(igt_dynamic_jmpbuf, 1);
	}

	printf("Subtest %s: %s (%.3fs)\n", igt.subtest, result,
	       elapsed_since(&igt.subtest_start));
	fflush(stdout);
	if (!strcmp(result, "SUCCESS"))
		igt.passed++;
	else if (!strcmp(result, "FAIL"))
		igt.failed++;
	else
		igt.skipped++;
	igt.in_subtest = false;
	igt.in_dynamic_container = false;
	siglongjmp(igt_subtest_jmpbuf, 1);
}

void igt_success(void)
{
	if (igt.in_dynamic)
		exit_block("SUCCESS");
	if (!igt.in_subtest)
		return;
	if (igt.in_dynamic_container) {
		if (igt.dyn_failed)
			exit_block("FAIL");
		if (!igt.dyn_passed)
			exit_block("SKIP");
	}
	exit_block("SUCCESS");
}

/* A fixture failed or skipped: end it, and mark what follows. */
static __noreturn void exit_fixture(enum block_result result)
{
	igt.in_fixture = false;
	igt.henceforth = result;
	if (result == RESULT_FAIL)
		igt.fixture_failed = true;
	siglongjmp(igt_subtest_jmpbuf, 1);
}

void igt_fail(int exitcode)
{
	if (igt.in_dynamic || igt.in_subtest)
		exit_block("FAIL");
	if (igt.in_fixture)
		exit_fixture(RESULT_FAIL);

	igt_critical("Test failed outside of any subtest or fixture\n");
	exit(exitcode ?: IGT_EXIT_FAILURE);
}

static __noreturn void skip_current(void)
{
	if (igt.in_dynamic || igt.in_subtest)
		exit_block("SKIP");
	if (igt.in_fixture)
		exit_fixture(RESULT_SKIP);

	exit(IGT_EXIT_SKIP);
}

void igt_skip(const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	vprintf(f, ap);
	va_end(ap);
	skip_current();
}

void __igt_skip_check(const char *file, int line, const char *func,
		      const char *check, const char *f, ...)
{
	va_list ap;

	printf("Test requirement not met in function %s, file %s:%d:\n"
	       "Test requirement: %s\n", func, file, line, check);
	if (f) {
		va_start(ap, f);
		vprintf(f, ap);
		va_end(ap);
	}
	skip_current();
}

void __igt_fail_assert(const char *domain, const char *file, int line,
		       const char *func, const char *assertion,
		       const char *f, ...)
{
	int err = errno;
	va_list ap;
	char *msg;

	igt_log(domain, IGT_LOG_CRITICAL,
		"Test assertion failure function %s, file %s:%d:\n",
		func, file, line);
	igt_log(domain, IGT_LOG_CRITICAL, "Failed assertion: %s\n", assertion);
	if (err)
		igt_log(domain, IGT_LOG_CRITICAL, "Last errno: %d, %s\n", err,
			strerror(err));
	if (f) {
		va_start(ap, f);
		if (vasprintf(&msg, f, ap) >= 0) {
			igt_log(domain, IGT_LOG_CRITICAL, "%s", msg);
			free(msg);
		}
		va_end(ap);
	}
	if (igt.in_subtest)
		igt_log(domain, IGT_LOG_CRITICAL, "%s %s failed.\n",
			igt.in_dynamic ? "Dynamic subtest" : "Subtest",
			igt.in_dynamic ? igt.dynamic : igt.subtest);

	igt_fail(IGT_EXIT_FAILURE);
}

void igt_exit(void)
{
	int code = IGT_EXIT_SUCCESS;

	fflush(stderr);
	if (igt_only_list_subtests()) {
		fflush(stdout);
		exit(IGT_EXIT_SUCCESS);
	}

	if (igt.run_filter && !igt.matched) {
		fprintf(stderr, "Unknown subtest: %s\n", igt.run_filter);
		code = IGT_EXIT_INVALID;
	} else if (igt.failed || igt.fixture_failed) {
		code = IGT_EXIT_FAILURE;
	} else if (igt.skipped && !igt.passed) {
		code = IGT_EXIT_SKIP;
	}

	free(igt.run_filter);
	free(igt.description);
	fflush(stdout);
	exit(code);
}
