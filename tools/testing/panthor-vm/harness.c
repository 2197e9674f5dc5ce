// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "pvm_regs.h"

unsigned long pvm_shim_warnings;
u64 h_kzalloc_fail_at;
u64 h_kzalloc_count;

void pvm_shim_warn(const char *file, int line)
{
	fprintf(stderr, "WARNING at %s:%d\n", file, line);
	pvm_shim_warnings++;
#ifdef H_ABORT_ON_WARN
	abort();
#endif
}

static bool h_should_fail(size_t size)
{
	(void)size;
	return h_kzalloc_fail_at && ++h_kzalloc_count == h_kzalloc_fail_at;
}

bool (*pvm_shim_should_fail)(size_t size) = h_should_fail;

static void *h_alloc(void *priv, dma_addr_t *dma)
{
	struct h_mem *m = priv;
	struct h_page *p;

	m->allocs++;
	if (m->fail_at && m->allocs == m->fail_at)
		return NULL;
	if (m->npages == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->pages = realloc(m->pages, m->cap * sizeof(*m->pages));
		if (!m->pages)
			abort();
	}
	p = &m->pages[m->npages];
	p->cpu = aligned_alloc(4096, 4096);
	p->dev = m->coherent ? p->cpu : aligned_alloc(4096, 4096);
	if (!p->cpu || !p->dev)
		abort();
	/*
	 * Uncleared, as the driver's pool hands pages out: valid-looking
	 * descriptors in both views, so that a table linked before it was
	 * cleared, or cleared but not synced, shows.
	 */
	memset(p->cpu, H_GARBAGE_BYTE, 4096);
	if (!m->coherent)
		memset(p->dev, H_GARBAGE_BYTE, 4096);
	p->live = true;
	*dma = H_DMA_BASE + (u64)m->npages * 4096;
	m->npages++;
	m->live++;
	return p->cpu;
}

static struct h_page *h_page(struct h_mem *m, dma_addr_t dma)
{
	u64 i;

	if (dma < H_DMA_BASE || (dma & 4095))
		return NULL;
	i = (dma - H_DMA_BASE) / 4096;
	if (i >= m->npages)
		return NULL;
	return &m->pages[i];
}

static void h_free(void *priv, void *cpu, dma_addr_t dma)
{
	struct h_mem *m = priv;
	struct h_page *p = h_page(m, dma);

	if (!p || !p->live || p->cpu != cpu) {
		fprintf(stderr, "bad table free %p %llx\n", cpu, dma);
		abort();
	}
	if (!m->coherent)
		free(p->dev);
	free(p->cpu);
	p->cpu = NULL;
	p->dev = NULL;
	p->live = false;
	m->live--;
	m->frees++;
}

static void h_sync(void *priv, dma_addr_t dma, size_t size)
{
	struct h_mem *m = priv;
	struct h_page *p = h_page(m, dma & ~4095ULL);
	size_t off = dma & 4095;

	if (m->coherent || !p || !p->live || !size || off + size > 4096 ||
	    (off | size) & 7) {
		fprintf(stderr, "bad sync %llx+%zu\n", dma, size);
		abort();
	}
	memcpy((char *)p->dev + off, (char *)p->cpu + off, size);
	m->syncs++;
	if (m->nsynclog < ARRAY_SIZE(m->synclog)) {
		m->synclog[m->nsynclog].dma = dma;
		m->synclog[m->nsynclog].size = size;
	}
	m->nsynclog++;
}

const struct pvm_pt_mem_ops h_mem_ops = {
	.alloc_table = h_alloc,
	.free_table = h_free,
	.sync_for_device = h_sync,
};

void h_mem_init(struct h_mem *m, bool coherent)
{
	memset(m, 0, sizeof(*m));
	m->coherent = coherent;
}

void h_mem_fini(struct h_mem *m)
{
	u32 i;

	for (i = 0; i < m->npages; i++) {
		if (m->pages[i].live) {
			fprintf(stderr, "leaked table page %u\n", i);
			abort();
		}
	}
	free(m->pages);
	m->pages = NULL;
}

int h_pt_init(struct pvm_pt *pt, struct h_mem *m, u32 va_bits, u64 pgsizes)
{
	struct pvm_pt_config cfg = {
		.va_bits = va_bits,
		.pa_bits = 48,
		.pgsize_bitmap = pgsizes,
		.coherent = m->coherent,
		.ops = &h_mem_ops,
		.priv = m,
	};

	return pvm_pt_init(pt, &cfg);
}

int h_walk(struct h_mem *m, const struct pvm_pt *pt, u64 va, u64 *out,
	   u64 *leaf_size, u64 *desc_out)
{
	u32 va_bits = pt->cfg.va_bits;
	u32 levels = (va_bits - 12 + 8) / 9;
	u32 lvl = 4 - levels;
	dma_addr_t table = pvm_pt_root_dma(pt);
	u64 desc, size;

	if (va >> va_bits)
		return -ENOENT;
	for (;; lvl++) {
		struct h_page *p = h_page(m, table);
		u32 shift = PVM_PT_LEVEL_SHIFT(lvl);
		u32 idx = (va >> shift) & 511;

		if (!p || !p->live)
			return -EFAULT;
		desc = p->dev[idx];
		if (!(desc & PVM_PTE_VALID))
			return -ENOENT;
		size = 1ULL << shift;
		if (lvl < 3 && (desc & PVM_PTE_TYPE_MASK) == PVM_PTE_TYPE_TABLE) {
			table = desc & PVM_PTE_ADDR;
			continue;
		}
		if (lvl == 0 || (lvl == 3 && (desc & PVM_PTE_TYPE_MASK) != PVM_PTE_TYPE_PAGE))
			return -EIO;
		if (!(desc & PVM_PTE_AF) || !(desc & PVM_PTE_AP_UNPRIV))
			return -EIO;
		*out = (desc & PVM_PTE_ADDR & ~(size - 1)) | (va & (size - 1));
		if (leaf_size)
			*leaf_size = size;
		if (desc_out)
			*desc_out = desc;
		return 0;
	}
}
