// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * The data patterns and the VA window model of igt_panthor_sim.h: test BOs
 * whose every word tells its BO offset, and a page-granular record of what
 * a VA window should show, checked with GPU reads.
 */

#include <stdlib.h>
#include <sys/mman.h>

#include "igt.h"
#include "igt_panthor.h"
#include "igt_panthor_sim.h"

/* ---- patterns -------------------------------------------------------- */

/**
 * igt_panthor_pattern_fill() - Fill @buf with the pattern of @seed as it
 * appears from BO offset @bo_offset on.
 * @buf: destination, 4-byte aligned.
 * @size: bytes, a multiple of 4.
 * @seed: BO seed.
 * @bo_offset: BO offset of @buf's first byte, a multiple of 4.
 */
void igt_panthor_pattern_fill(void *buf, uint64_t size, uint32_t seed,
			      uint64_t bo_offset)
{
	uint32_t *w = buf;

	for (uint64_t i = 0; i < size / 4; i++)
		w[i] = igt_panthor_pattern(seed, bo_offset + i * 4);
}

/**
 * igt_panthor_pattern_check() - Check that @buf holds the pattern of @seed
 * from BO offset @bo_offset on.
 * @buf: data read, 4-byte aligned.
 * @size: bytes, a multiple of 4.
 * @seed: BO seed.
 * @bo_offset: BO offset of @buf's first byte.
 * @bad: out: byte offset in @buf of the first wrong word. May be NULL.
 *
 * Return: true if every word matches.
 */
bool igt_panthor_pattern_check(const void *buf, uint64_t size, uint32_t seed,
			       uint64_t bo_offset, uint64_t *bad)
{
	const uint32_t *w = buf;

	for (uint64_t i = 0; i < size / 4; i++) {
		if (w[i] != igt_panthor_pattern(seed, bo_offset + i * 4)) {
			if (bad)
				*bad = i * 4;
			return false;
		}
	}
	return true;
}

/* ---- model ----------------------------------------------------------- */

/**
 * igt_panthor_model_init() - A window of @size bytes at @base, all holes.
 * @m: model.
 * @base: GPU VA, 4 KiB aligned.
 * @size: bytes, 4 KiB aligned.
 */
void igt_panthor_model_init(struct igt_panthor_model *m, uint64_t base,
			    uint64_t size)
{
	m->base = base;
	m->npages = size / SZ_4K;
	m->page = calloc(m->npages, sizeof(*m->page));
	igt_assert(m->page);
}

/**
 * igt_panthor_model_fini() - Free a model.
 * @m: model.
 */
void igt_panthor_model_fini(struct igt_panthor_model *m)
{
	free(m->page);
	m->page = NULL;
	m->npages = 0;
}

/* Clip [va, va + size) to the window; return the first page and count. */
static bool model_clip(const struct igt_panthor_model *m, uint64_t va,
		       uint64_t size, uint64_t *first, uint64_t *count)
{
	uint64_t end = va + size, wend = m->base + m->npages * SZ_4K;

	if (va < m->base)
		va = m->base;
	if (end > wend)
		end = wend;
	if (va >= end)
		return false;
	*first = (va - m->base) / SZ_4K;
	*count = (end - va) / SZ_4K;
	return true;
}

/**
 * igt_panthor_model_map() - Record a MAP (replacing what was there).
 * @m: model.
 * @seed: seed of the BO.
 * @bo_offset: BO offset mapped at @va.
 * @va: GPU VA.
 * @size: bytes.
 */
void igt_panthor_model_map(struct igt_panthor_model *m, uint32_t seed,
			   uint64_t bo_offset, uint64_t va, uint64_t size)
{
	uint64_t first, count;

	if (!model_clip(m, va, size, &first, &count))
		return;
	for (uint64_t i = 0; i < count; i++) {
		uint64_t pva = m->base + (first + i) * SZ_4K;

		m->page[first + i].seed = seed;
		m->page[first + i].bo_offset = bo_offset + (pva - va);
	}
}

/**
 * igt_panthor_model_map_repeat() - Record a MAP_REPEAT.
 * @m: model.
 * @seed: seed of the BO.
 * @bo_offset: BO offset of the repeated range.
 * @va: GPU VA, a multiple of @repeat_range.
 * @size: bytes.
 * @repeat_range: bytes of BO repeated.
 */
void igt_panthor_model_map_repeat(struct igt_panthor_model *m, uint32_t seed,
				  uint64_t bo_offset, uint64_t va,
				  uint64_t size, uint64_t repeat_range)
{
	uint64_t first, count;

	if (!model_clip(m, va, size, &first, &count))
		return;
	for (uint64_t i = 0; i < count; i++) {
		uint64_t pva = m->base + (first + i) * SZ_4K;

		m->page[first + i].seed = seed;
		m->page[first + i].bo_offset = bo_offset +
					       (pva - va) % repeat_range;
	}
}

/**
 * igt_panthor_model_unmap() - Record an UNMAP.
 * @m: model.
 * @va: GPU VA.
 * @size: bytes.
 */
void igt_panthor_model_unmap(struct igt_panthor_model *m, uint64_t va,
			     uint64_t size)
{
	uint64_t first, count;

	if (!model_clip(m, va, size, &first, &count))
		return;
	memset(&m->page[first], 0, count * sizeof(*m->page));
}

/**
 * igt_panthor_model_check() - Read every mapped page of the window through
 * the GPU and compare with the model. Holes are not touched (a read there
 * would fault and break the VM).
 * @fd: DRM file.
 * @vm_id: VM.
 * @m: model.
 */
void igt_panthor_model_check(int fd, uint32_t vm_id,
			     const struct igt_panthor_model *m)
{
	static uint32_t buf[IGT_PANTHOR_SIM_ACCESS_MAX / 4];
	uint64_t i = 0, checked = 0;

	while (i < m->npages) {
		uint64_t run = 0;

		if (!m->page[i].seed) {
			i++;
			continue;
		}
		/* Up to 1 MiB of mapped pages in one GPU read. */
		while (i + run < m->npages && m->page[i + run].seed &&
		       run < IGT_PANTHOR_SIM_ACCESS_MAX / SZ_4K)
			run++;

		igt_panthor_gpu_read(fd, vm_id, m->base + i * SZ_4K, buf,
				     run * SZ_4K);
		for (uint64_t p = 0; p < run; p++) {
			const struct igt_panthor_page *pg = &m->page[i + p];
			uint64_t bad = 0;
			uint64_t va = m->base + (i + p) * SZ_4K;
			const uint32_t *data = buf + p * (SZ_4K / 4);

			igt_assert_f(igt_panthor_pattern_check(data, SZ_4K,
							       pg->seed,
							       pg->bo_offset,
							       &bad),
				     "GPU read at %#" PRIx64 " returned %#x, "
				     "expected BO seed %u offset %#" PRIx64
				     " (%#x)\n", va + bad, data[bad / 4],
				     pg->seed, pg->bo_offset + bad,
				     igt_panthor_pattern(pg->seed,
							 pg->bo_offset + bad));
		}
		checked += run;
		i += run;
	}
	igt_debug("model check: %" PRIu64 " pages read and matched\n", checked);
}

/**
 * igt_panthor_model_hole() - Find a hole of the window.
 * @m: model.
 * @va: out: GPU VA of the first hole page.
 *
 * Return: false if the window has no hole.
 */
bool igt_panthor_model_hole(const struct igt_panthor_model *m, uint64_t *va)
{
	for (uint64_t i = 0; i < m->npages; i++) {
		if (!m->page[i].seed) {
			*va = m->base + i * SZ_4K;
			return true;
		}
	}
	return false;
}

/**
 * igt_panthor_pattern_bo() - A new BO filled with a pattern.
 * @fd: panthor device.
 * @size: size in bytes.
 * @seed: pattern seed (see igt_panthor_pattern_fill()).
 *
 * Fills the BO through a CPU mmap, which is then dropped.
 *
 * Returns: the GEM handle.
 */
uint32_t igt_panthor_pattern_bo(int fd, uint64_t size, uint32_t seed)
{
	struct panthor_bo bo;

	igt_panthor_bo_create_mapped(fd, &bo, size, 0, 0);
	igt_assert_f(bo.map, "mmap of a new BO failed\n");
	igt_panthor_pattern_fill(bo.map, bo.size, seed, 0);
	munmap(bo.map, bo.size);
	return bo.handle;
}
