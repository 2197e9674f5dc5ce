// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * The debugfs half of igt_panthor_sim.h: the software GPU's sim_stats
 * counters and lock log, its system MMU parameter, the driver's vm_stats
 * and gems files. The device, VM, VM_BIND and GPU access helpers are in
 * igt_panthor_sim.c, the data patterns and the VA window model in
 * igt_panthor_sim_model.c.
 */

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_panthor_sim.h"

#define DEBUGFS_DRI "/sys/kernel/debug/dri"
/* The software GPU's own debugfs directory (it is not part of the driver). */
#define DEBUGFS_SIM "/sys/kernel/debug/panthor-vm-sim"

/* ---- debugfs --------------------------------------------------------- */

static bool file_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* Mount debugfs if nothing is mounted there yet (UML init may not have). */
static void maybe_mount_debugfs(void)
{
	if (file_exists(DEBUGFS_DRI))
		return;
	if (mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL))
		igt_debug("mounting debugfs failed: %s\n", strerror(errno));
	errno = 0;
}

/**
 * igt_panthor_debugfs_dir() - The DRM debugfs directory of @fd's device
 * that holds @file.
 * @fd: DRM file.
 * @file: a file name in that directory ("vm_stats"), or "sim_stats" for
 *	the software GPU's counters, which live in its own directory.
 *
 * Tries the directory named after @fd's minor first, then every directory
 * of /sys/kernel/debug/dri/ that has @file.
 *
 * Return: the directory (static storage), or NULL if none has @file.
 */
const char *igt_panthor_debugfs_dir(int fd, const char *file)
{
	static char dir[PATH_MAX];
	char path[PATH_MAX + 64];
	struct dirent *de;
	struct stat st;
	DIR *d;

	maybe_mount_debugfs();
	if (!strcmp(file, "sim_stats"))
		return file_exists(DEBUGFS_SIM "/stats") ? DEBUGFS_SIM : NULL;

	if (!fstat(fd, &st) && S_ISCHR(st.st_mode)) {
		snprintf(dir, sizeof(dir), DEBUGFS_DRI "/%u", minor(st.st_rdev));
		snprintf(path, sizeof(path), "%s/%s", dir, file);
		if (file_exists(path))
			return dir;
	}

	d = opendir(DEBUGFS_DRI);
	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), DEBUGFS_DRI "/%s", de->d_name);
		snprintf(path, sizeof(path), "%s/%s", dir, file);
		if (file_exists(path)) {
			closedir(d);
			return dir;
		}
	}
	closedir(d);
	return NULL;
}

static FILE *debugfs_open(int fd, const char *file, const char *mode)
{
	const char *dir;
	char path[PATH_MAX + 64];
	FILE *f;

	/* sim_stats is the software GPU's: DEBUGFS_SIM/stats. */
	if (!strcmp(file, "sim_stats")) {
		maybe_mount_debugfs();
		f = fopen(DEBUGFS_SIM "/stats", mode);
		igt_assert_f(f, "cannot open " DEBUGFS_SIM "/stats: %s\n",
			     strerror(errno));
		return f;
	}
	dir = igt_panthor_debugfs_dir(fd, file);

	igt_assert_f(dir, "no %s/*/%s\n", DEBUGFS_DRI, file);
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, mode);
	igt_assert_f(f, "cannot open %s: %s\n", path, strerror(errno));
	return f;
}

/**
 * igt_require_panthor_sim_stats() - Skip unless the sim_stats file exists.
 * @fd: DRM file.
 */
void igt_require_panthor_sim_stats(int fd)
{
	igt_require_f(igt_panthor_debugfs_dir(fd, "sim_stats"),
		      "no %s/stats (debugfs or the software GPU missing)\n",
		      DEBUGFS_SIM);
}

/**
 * igt_panthor_sim_stats_read() - Read every counter of sim_stats.
 * @fd: DRM file.
 * @s: filled with "name value" pairs.
 */
void igt_panthor_sim_stats_read(int fd, struct igt_panthor_sim_stats *s)
{
	FILE *f = debugfs_open(fd, "sim_stats", "r");
	char name[64];
	uint64_t val;

	s->count = 0;
	while (s->count < IGT_PANTHOR_MAX_STATS &&
	       fscanf(f, "%63s %" SCNu64, name, &val) == 2) {
		snprintf(s->name[s->count], sizeof(s->name[0]), "%s", name);
		s->value[s->count++] = val;
	}
	fclose(f);
	igt_assert_f(s->count > 0, "sim_stats holds no counter\n");
}

/**
 * igt_panthor_sim_stat() - One counter of a snapshot; must exist.
 * @s: snapshot.
 * @name: counter name.
 *
 * Return: its value.
 */
uint64_t igt_panthor_sim_stat(const struct igt_panthor_sim_stats *s,
			      const char *name)
{
	for (int i = 0; i < s->count; i++)
		if (!strcmp(s->name[i], name))
			return s->value[i];
	igt_assert_f(false, "sim_stats has no counter \"%s\"\n", name);
	return 0;
}

/**
 * igt_panthor_sim_stats_reset() - Zero every sim_stats counter.
 * @fd: DRM file.
 */
void igt_panthor_sim_stats_reset(int fd)
{
	FILE *f = debugfs_open(fd, "sim_stats", "w");

	igt_assert_f(fputs("0\n", f) >= 0, "writing sim_stats failed\n");
	igt_assert_f(fclose(f) == 0, "resetting sim_stats failed: %s\n",
		     strerror(errno));
}

/**
 * igt_panthor_sim_stats_print() - Log a snapshot at debug level.
 * @s: snapshot.
 */
void igt_panthor_sim_stats_print(const struct igt_panthor_sim_stats *s)
{
	for (int i = 0; i < s->count; i++)
		igt_debug("  %s %" PRIu64 "\n", s->name[i], s->value[i]);
}

/**
 * igt_panthor_sim_locks() - The LOCKs since the last counter reset.
 * @locks: filled with up to @max records, oldest first.
 * @max: room in @locks.
 *
 * Return: number of records read.
 */
int igt_panthor_sim_locks(struct igt_panthor_sim_lock *locks, int max)
{
	FILE *f;
	int n = 0;

	maybe_mount_debugfs();
	f = fopen(DEBUGFS_SIM "/locks", "r");
	igt_assert_f(f, "cannot open " DEBUGFS_SIM "/locks: %s\n",
		     strerror(errno));
	while (n < max &&
	       fscanf(f, "%" SCNu64 " %" SCNu32 " %" SCNx64 " %" SCNx64,
		      &locks[n].seq, &locks[n].as, &locks[n].start,
		      &locks[n].last) == 4)
		n++;
	fclose(f);
	return n;
}

/**
 * igt_panthor_sim_has_smmu() - Tell whether the software GPU has a system MMU.
 *
 * Return: true unless the kernel was booted with panthor_vm_sim.smmu=0.
 */
bool igt_panthor_sim_has_smmu(void)
{
	FILE *f = fopen("/sys/module/panthor_vm_sim/parameters/smmu", "r");
	int c;

	if (!f)
		return false;
	c = fgetc(f);
	fclose(f);
	return c == 'Y' || c == '1';
}

/**
 * igt_panthor_assert_expected_smmu() - Check the system MMU against
 * PVM_EXPECT_SMMU.
 *
 * PVM_EXPECT_SMMU=1 (or 0) fails the caller unless the software GPU does
 * (or does not) have its system MMU, so that a run which silently lost it
 * fails; unset or empty checks nothing. Called from fixtures.
 */
void igt_panthor_assert_expected_smmu(void)
{
	const char *want = getenv("PVM_EXPECT_SMMU");
	bool has = igt_panthor_sim_has_smmu();

	if (!want || !*want)
		return;
	igt_assert_f(!strcmp(want, "0") || !strcmp(want, "1"),
		     "PVM_EXPECT_SMMU=%s: must be 0 or 1\n", want);
	igt_assert_f(has == (want[0] == '1'), "PVM_EXPECT_SMMU=%s, but the "
		     "software GPU has %s system MMU\n", want,
		     has ? "a" : "no");
}

/**
 * igt_require_panthor_vm_stats() - Skip unless the vm_stats file exists.
 * @fd: DRM file.
 */
void igt_require_panthor_vm_stats(int fd)
{
	igt_require_f(igt_panthor_debugfs_dir(fd, "vm_stats"),
		      "no vm_stats in %s\n", DEBUGFS_DRI);
}

/**
 * igt_panthor_vm_stats() - The vm_stats line of this process' VM @vm_id.
 * @fd: DRM file.
 * @vm_id: VM id.
 * @out: filled when found.
 *
 * Lines read "pid P vm V state usable|unusable tables T shared S mapped B
 * faults F slot N resv_pending R". Two DRM files of one process may both have a VM @vm_id: tests
 * that read vm_stats use one file per process.
 *
 * Return: true if a line for (getpid(), @vm_id) exists.
 */
bool igt_panthor_vm_stats(int fd, uint32_t vm_id,
			  struct igt_panthor_vm_stats *out)
{
	FILE *f = debugfs_open(fd, "vm_stats", "r");
	char line[512], state[32];
	bool found = false;

	while (fgets(line, sizeof(line), f)) {
		struct igt_panthor_vm_stats v = { 0 };
		int n = sscanf(line, "pid %d vm %u state %31s tables %" SCNu64
			       " shared %" SCNu64 " mapped %" SCNu64
			       " faults %" SCNu64 " slot %d resv_pending %" SCNu64,
			       &v.pid, &v.vm_id, state, &v.tables, &v.shared,
			       &v.mapped, &v.faults, &v.slot, &v.resv_pending);

		if (n != 9) {
			igt_debug("vm_stats: unparsed line: %s", line);
			continue;
		}
		if (v.pid != getpid() || v.vm_id != vm_id)
			continue;
		igt_assert_f(!strcmp(state, "usable") ||
			     !strcmp(state, "unusable"),
			     "vm_stats: state \"%s\"\n", state);
		v.usable = !strcmp(state, "usable");
		*out = v;
		found = true;
	}
	fclose(f);
	return found;
}

/**
 * igt_require_panthor_gems() - Skip unless the driver's gems file exists.
 * @fd: DRM file.
 */
void igt_require_panthor_gems(int fd)
{
	igt_require_f(igt_panthor_debugfs_dir(fd, "gems"),
		      "no gems in %s\n", DEBUGFS_DRI);
}

/*
 * One line of the gems file: "bo size=S flags=0xF imported=I gpu_pins=P
 * label=L", L being the rest of the line. Return false if @line is not
 * such a line; *label points into @line, without the newline.
 */
static bool gems_parse(char *line, struct igt_panthor_gem_line *g,
		       const char **label)
{
	unsigned int imported = 2;
	size_t len = strlen(line);
	int n = -1;

	if (len && line[len - 1] == '\n')
		line[--len] = '\0';
	if (sscanf(line, "bo size=%" SCNu64 " flags=0x%" SCNx32
		   " imported=%u gpu_pins=%" SCNu32 " label=%n", &g->size,
		   &g->flags, &imported, &g->gpu_pins, &n) != 4 || n < 0 ||
	    imported > 1)
		return false;
	g->imported = imported;
	*label = line + n;
	return true;
}

/**
 * igt_panthor_gems_find() - Find BOs in the gems debugfs file.
 * @fd: DRM file.
 * @label: the whole label the BO must carry, "" for none; NULL: any.
 * @size: the BO size the line must show; 0: any.
 * @out: filled with the last matching line. May be NULL.
 *
 * The file lists every BO of the device, one line each. Tests identify
 * their BOs by a label unique to the process, or by an unusual size.
 *
 * Return: the number of matching lines.
 */
int igt_panthor_gems_find(int fd, const char *label, uint64_t size,
			  struct igt_panthor_gem_line *out)
{
	FILE *f = debugfs_open(fd, "gems", "r");
	size_t cap = 0;
	char *line = NULL;
	int found = 0;

	while (getline(&line, &cap, f) > 0) {
		struct igt_panthor_gem_line g = { 0 };
		const char *l;

		if (!gems_parse(line, &g, &l)) {
			igt_debug("gems: unparsed line: %.80s\n", line);
			continue;
		}
		if ((label && strcmp(l, label)) || (size && g.size != size))
			continue;
		found++;
		if (out)
			*out = g;
	}
	free(line);
	fclose(f);
	return found;
}
