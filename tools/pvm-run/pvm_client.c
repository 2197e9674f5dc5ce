// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pvm_client.h"

int fd = -1;

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "%s: ", pvm_prog);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

void sample(struct samples *s, double us)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (!s->v)
			die("out of memory");
	}
	s->v[s->n++] = us;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The @p quantile (0 to 1) of the samples; sorts them. */
double pct(struct samples *s, double p)
{
	if (!s->n)
		return 0;
	qsort(s->v, s->n, sizeof(*s->v), cmp_double);
	return s->v[(size_t)(p * (s->n - 1))];
}

double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* The first /dev/dri/card* whose driver is "panthor"; @ver is its version. */
int open_panthor(drmVersionPtr *ver)
{
	char path[64];
	int i, f;

	for (i = 0; i < 16; i++) {
		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		f = open(path, O_RDWR | O_CLOEXEC);
		if (f < 0)
			continue;
		*ver = drmGetVersion(f);
		if (*ver && !strcmp((*ver)->name, "panthor"))
			return f;
		if (*ver)
			drmFreeVersion(*ver);
		close(f);
	}
	return -1;
}

uint32_t vm_create(void)
{
	struct drm_panthor_vm_create c = { 0 };

	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &c))
		die("VM_CREATE: %s", strerror(errno));
	return c.id;
}

/* A BO exclusive to @vm (0: shareable); returns its handle. */
uint32_t bo_create(uint64_t size, uint32_t vm, uint64_t *real_size)
{
	struct drm_panthor_bo_create c = { .size = size, .exclusive_vm_id = vm };

	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &c))
		die("BO_CREATE(%llu): %s", (unsigned long long)size,
		    strerror(errno));
	if (real_size)
		*real_size = c.size;
	return c.handle;
}
