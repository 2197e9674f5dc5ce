// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

/**
 * DOC: Page table benchmark
 *
 * Not a test: a KUnit suite that, in one kernel and one run, times our
 * table and io-pgtable-arm's ARM_64_LPAE_S1 (coherent walk) on the same
 * work and prints one "BENCH <name> <value> <unit>" line per figure:
 * ns per 4 KiB page and per 2 MiB block to map and unmap 1 GiB in one call
 * and in 256-page calls, the io-pgtable/ours ratio of each, the memset cost
 * over the same PTE bytes, and repeat mappings of 1 GiB and 1 TiB (table
 * pages and time, against one PTE per page), and how the cost of a 4 KiB
 * map (1 MiB to 64 GiB) and of a repeat (1 GiB to 1 TiB) grows with the
 * size. Each figure is the best of %BENCH_RUNS runs, ours and io-pgtable
 * taking turns to go first. "ours" times the map/unmap calls alone (what
 * runs in the op window; the reservation is made before it), in runs of
 * their own; "ours_with_resv" also the reservation and the releases around
 * each call, since io-pgtable allocates and frees its tables inside map
 * and unmap, and reads the clock only around the whole run, as for
 * io-pgtable. Our table pages
 * come from a pool of freed pages as the driver's do; the 2 MiB cases do
 * their 1 GiB 64 times per timed run, for UML's coarse clock; each figure
 * also has the min and max of the per-run ratios (the spread).
 */

#include <kunit/test.h>
#include <linux/device.h>
#include <linux/io-pgtable.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "../pvm_pt.h"

#define BENCH_RUNS	25
#define BENCH_VA	BIT_ULL(32)
#define BENCH_DMA	BIT_ULL(33)

/*
 * Table pages as the driver hands them out (pvm_vm.c): freed pages go to
 * a pool of up to 64, handed out again as they are (the page table clears
 * a table when it links it); the pool is shared by the runs, as a VM's
 * pool outlives its ops.
 */
#define BENCH_POOL_MAX	64

static LIST_HEAD(bench_pool);
static unsigned int bench_pool_count;

static void *bench_alloc(void *priv, dma_addr_t *dma)
{
	struct page *page = list_first_entry_or_null(&bench_pool, struct page,
						     lru);
	void *p;

	if (page) {
		list_del(&page->lru);
		bench_pool_count--;
		p = page_address(page);
	} else {
		p = (void *)__get_free_page(GFP_KERNEL);
	}
	if (p)
		*dma = virt_to_phys(p);
	return p;
}

static void bench_free(void *priv, void *cpu, dma_addr_t dma)
{
	struct page *page = virt_to_page(cpu);

	if (bench_pool_count < BENCH_POOL_MAX) {
		list_add(&page->lru, &bench_pool);
		bench_pool_count++;
		return;
	}
	__free_page(page);
}

static void bench_pool_drain(void)
{
	struct page *page, *tmp;

	list_for_each_entry_safe(page, tmp, &bench_pool, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
	bench_pool_count = 0;
}

static const struct pvm_pt_mem_ops bench_ops = {
	.alloc_table = bench_alloc,
	.free_table = bench_free,
};

enum bench_op { B_MAP, B_UNMAP };

struct bench_case {
	const char *name;
	u64 pgsize;
	u64 per_call;	/* bytes per call */
	u32 reps;	/* times 1 GiB is done per timed run (UML's clock is coarse) */
};

static const struct bench_case bench_cases[] = {
	{ "4k_1call", SZ_4K, SZ_1G, 1 },
	{ "4k_256", SZ_4K, 256 * SZ_4K, 1 },
	{ "2m_1call", SZ_2M, SZ_1G, 64 },
	{ "2m_256", SZ_2M, 256ULL * SZ_2M, 64 },
};

/* Map (or unmap) all of 1 GiB untimed, between the timed rounds. */
static int ours_all(struct pvm_pt *pt, const struct bench_case *c, u64 dma,
		    enum bench_op op)
{
	struct pvm_pt_range r = { .dma = dma, .size = SZ_1G };
	struct pvm_pt_free_list fl = {};
	struct pvm_pt_resv resv = {};
	int ret;

	if (op == B_MAP) {
		ret = pvm_pt_resv_add_map(pt, &resv, BENCH_VA, &r, 1);
		ret = ret ?: pvm_pt_map(pt, &resv, &fl, BENCH_VA, &r, 1, 0);
	} else {
		ret = pvm_pt_resv_add(pt, &resv, BENCH_VA, SZ_1G,
				      PVM_PT_OP_UNMAP);
		ret = ret ?: pvm_pt_unmap(pt, &resv, &fl, BENCH_VA, SZ_1G);
	}
	pvm_pt_resv_release(pt, &resv);
	pvm_pt_free_list_release(pt, &fl);
	return ret;
}

static int ours_init(struct pvm_pt *pt)
{
	struct pvm_pt_config cfg = {
		.va_bits = 48,
		.pa_bits = 48,
		.pgsize_bitmap = SZ_4K | SZ_2M,
		.coherent = true,
		.ops = &bench_ops,
	};

	return pvm_pt_init(pt, &cfg);
}

/*
 * One timed round of @c with our table: 1 GiB in @c->per_call calls. With
 * @op_ns, the map/unmap calls alone are timed too and added to it; without,
 * nothing is timed inside the round, so that the clock reads do not weigh
 * on the time of the round as a whole.
 */
static int ours_round(struct pvm_pt *pt, const struct bench_case *c, u64 dma,
		      enum bench_op op, u64 *op_ns)
{
	struct pvm_pt_free_list fl = {};
	struct pvm_pt_resv resv = {};
	u64 off, t1 = 0;
	int ret = 0;

	for (off = 0; off < SZ_1G && !ret; off += c->per_call) {
		u64 va = BENCH_VA + off;
		struct pvm_pt_range r = { .dma = dma + off, .size = c->per_call };

		/* As the VM layer does: a map knows its DMA layout. */
		if (op == B_MAP)
			ret = pvm_pt_resv_add_map(pt, &resv, va, &r, 1);
		else
			ret = pvm_pt_resv_add(pt, &resv, va, c->per_call,
					      PVM_PT_OP_UNMAP);
		if (op_ns)
			t1 = ktime_get_ns();
		if (!ret && op == B_MAP)
			ret = pvm_pt_map(pt, &resv, &fl, va, &r, 1, 0);
		else if (!ret)
			ret = pvm_pt_unmap(pt, &resv, &fl, va, c->per_call);
		if (op_ns)
			*op_ns += ktime_get_ns() - t1;
		pvm_pt_resv_release(pt, &resv);
		pvm_pt_free_list_release(pt, &fl);
	}
	return ret;
}

/*
 * Time map (or unmap) of 1 GiB with our table, @c->reps times, in ns,
 * the reservation and the releases around each call included; with
 * @op_ns, also the map/unmap calls alone (what runs in the op window).
 * One table serves every round, as a VM's does; the unmap (map) that
 * resets it between rounds is not timed.
 */
static u64 ours_run(struct kunit *test, const struct bench_case *c,
		    enum bench_op op, u64 *op_ns)
{
	u64 dma = BENCH_DMA + (c->pgsize == SZ_4K ? SZ_4K : 0);
	enum bench_op undo = op == B_MAP ? B_UNMAP : B_MAP;
	struct pvm_pt pt;
	u64 t = 0, t0;
	int ret = 0;
	u32 rep;

	if (op_ns)
		*op_ns = 0;
	KUNIT_ASSERT_EQ(test, ours_init(&pt), 0);
	if (op == B_UNMAP)
		ret = ours_all(&pt, c, dma, B_MAP);
	for (rep = 0; rep < c->reps && !ret; rep++) {
		t0 = ktime_get_ns();
		ret = ours_round(&pt, c, dma, op, op_ns);
		t += ktime_get_ns() - t0;
		if (!ret && rep + 1 < c->reps)
			ret = ours_all(&pt, c, dma, undo);
	}
	KUNIT_EXPECT_EQ(test, ret, 0);
	pvm_pt_fini(&pt);
	return t;
}

/* Map (or unmap) 1 GiB through io-pgtable in @per_call calls. */
static int iop_round(struct io_pgtable_ops *ops, const struct bench_case *c,
		     u64 dma, enum bench_op op, u64 per_call)
{
	int prot = IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE;
	u64 off, done;
	int ret = 0;
	size_t n;

	for (off = 0; off < SZ_1G && !ret; off += per_call) {
		for (done = 0; done < per_call && !ret; done += n) {
			u64 va = BENCH_VA + off + done;
			size_t count = (per_call - done) / c->pgsize;

			n = 0;
			if (op == B_MAP) {
				ret = ops->map_pages(ops, va, dma + off + done,
						     c->pgsize, count, prot,
						     GFP_KERNEL, &n);
			} else {
				n = ops->unmap_pages(ops, va, c->pgsize, count,
						     NULL);
				if (!n)
					ret = -EINVAL;
			}
		}
	}
	return ret;
}

/* The same work through io-pgtable-arm, with one table for every round. */
static u64 iop_run(struct kunit *test, struct device *dev,
		   const struct bench_case *c, enum bench_op op)
{
	struct io_pgtable_cfg cfg = {
		.pgsize_bitmap = SZ_4K | SZ_2M,
		.ias = 48,
		.oas = 48,
		.coherent_walk = true,
		.iommu_dev = dev,
	};
	u64 dma = BENCH_DMA + (c->pgsize == SZ_4K ? SZ_4K : 0);
	enum bench_op undo = op == B_MAP ? B_UNMAP : B_MAP;
	struct io_pgtable_ops *ops;
	u64 t = 0, t0;
	int ret = 0;
	u32 rep;

	ops = alloc_io_pgtable_ops(ARM_64_LPAE_S1, &cfg, NULL);
	KUNIT_ASSERT_NOT_NULL(test, ops);
	if (op == B_UNMAP)
		ret = iop_round(ops, c, dma, B_MAP, SZ_1G);
	for (rep = 0; rep < c->reps && !ret; rep++) {
		t0 = ktime_get_ns();
		ret = iop_round(ops, c, dma, op, c->per_call);
		t += ktime_get_ns() - t0;
		if (!ret && rep + 1 < c->reps)
			ret = iop_round(ops, c, dma, undo, SZ_1G);
	}
	KUNIT_EXPECT_EQ(test, ret, 0);
	free_io_pgtable_ops(ops);
	return t;
}

static u64 best(u64 a, u64 b)
{
	return a < b ? a : b;
}

static void bench_print(const char *name, u64 num, u64 den, const char *unit)
{
	pr_info("BENCH %s %llu.%02llu %s\n", name, num / den,
		(num % den) * 100 / den, unit);
}

/*
 * Best time of a repeat of one 4 KiB page over @size at 1 TiB, its
 * reservation included; @tables: the table pages it took, the root aside.
 */
static u64 repeat_ns(struct kunit *test, u64 size, u64 *tables)
{
	struct pvm_pt_free_list fl = {};
	struct pvm_pt_resv resv = {};
	dma_addr_t pat = BENCH_DMA;
	struct pvm_pt_stats st;
	u64 ns = U64_MAX, t0;
	struct pvm_pt pt;
	u32 r;

	for (r = 0; r < BENCH_RUNS; r++) {
		KUNIT_ASSERT_EQ(test, ours_init(&pt), 0);
		t0 = ktime_get_ns();
		KUNIT_EXPECT_EQ(test, pvm_pt_resv_add(&pt, &resv, 1ULL << 40,
						      size, PVM_PT_OP_REPEAT), 0);
		KUNIT_EXPECT_EQ(test, pvm_pt_repeat(&pt, &resv, &fl, 1ULL << 40,
						    size, &pat, 1, 0), 0);
		pvm_pt_resv_release(&pt, &resv);
		ns = best(ns, ktime_get_ns() - t0);
		pvm_pt_get_stats(&pt, &st);
		*tables = st.tables - 1;
		pvm_pt_fini(&pt);
	}
	return ns;
}

static void pvm_pt_bench_map_unmap(struct kunit *test)
{
	struct device *dev;
	u64 map4k_ns = 0, a;
	u32 i, r, o;

	dev = kunit_kzalloc(test, sizeof(*dev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	set_dev_node(dev, NUMA_NO_NODE);

	for (i = 0; i < ARRAY_SIZE(bench_cases); i++) {
		const struct bench_case *c = &bench_cases[i];
		u64 units = SZ_1G / c->pgsize * c->reps;

		for (o = B_MAP; o <= B_UNMAP; o++) {
			u64 ours = U64_MAX, iop = U64_MAX, all = U64_MAX, op_ns;
			u64 lo = U64_MAX, hi = 0, b = 0;
			const char *unit = c->pgsize == SZ_4K ? "ns/4K-page" :
					   "ns/2M-block";
			char name[64];

			for (r = 0; r < BENCH_RUNS; r++) {
				/* Who runs first alternates. */
				if (r & 1)
					b = iop_run(test, dev, c, o);
				a = ours_run(test, c, o, NULL);
				if (!(r & 1))
					b = iop_run(test, dev, c, o);
				ours_run(test, c, o, &op_ns);
				all = best(all, a);
				ours = best(ours, op_ns);
				iop = best(iop, b);
				/* Spread: per-run ratios, in hundredths. */
				lo = min(lo, div64_u64(b * 100, a ?: 1));
				hi = max(hi, div64_u64(b * 100, a ?: 1));
			}
			snprintf(name, sizeof(name), "%s_%s_ratio_with_resv_min",
				 o == B_MAP ? "map" : "unmap", c->name);
			bench_print(name, lo, 100, "x");
			snprintf(name, sizeof(name), "%s_%s_ratio_with_resv_max",
				 o == B_MAP ? "map" : "unmap", c->name);
			bench_print(name, hi, 100, "x");
			if (i == 0 && o == B_MAP)
				map4k_ns = ours;
			snprintf(name, sizeof(name), "%s_%s_ours",
				 o == B_MAP ? "map" : "unmap", c->name);
			bench_print(name, ours, units, unit);
			snprintf(name, sizeof(name), "%s_%s_ours_with_resv",
				 o == B_MAP ? "map" : "unmap", c->name);
			bench_print(name, all, units, unit);
			snprintf(name, sizeof(name), "%s_%s_iopgtable",
				 o == B_MAP ? "map" : "unmap", c->name);
			bench_print(name, iop, units, unit);
			snprintf(name, sizeof(name), "%s_%s_ratio",
				 o == B_MAP ? "map" : "unmap", c->name);
			bench_print(name, iop, ours ?: 1, "x");
			snprintf(name, sizeof(name), "%s_%s_ratio_with_resv",
				 o == B_MAP ? "map" : "unmap", c->name);
			bench_print(name, iop, all ?: 1, "x");
		}
	}

	/* What one clock read costs (the op-only runs read it twice a call). */
	for (r = 0, a = U64_MAX; r < BENCH_RUNS; r++) {
		u64 t0 = ktime_get_ns();

		for (i = 0; i < 1000; i++)
			ktime_get_ns();
		a = best(a, ktime_get_ns() - t0);
	}
	bench_print("clock_read", a, 1000, "ns");

	/* The physical floor: memset over the PTE bytes of 1 GiB. */
	for (i = 0; i < 2; i++) {
		u64 bytes = (SZ_1G / (i ? SZ_2M : SZ_4K)) * sizeof(u64);
		u64 ns = U64_MAX, t0;
		void *buf = vmalloc(bytes);

		KUNIT_ASSERT_NOT_NULL(test, buf);
		for (r = 0; r < BENCH_RUNS; r++) {
			t0 = ktime_get_ns();
			memset(buf, r + 1, bytes);
			barrier();
			ns = best(ns, ktime_get_ns() - t0);
		}
		vfree(buf);
		bench_print(i ? "memset_2m" : "memset_4k", ns,
			    bytes / sizeof(u64), i ? "ns/2M-block" : "ns/4K-page");
		if (!i)
			bench_print("map_4k_1call_vs_memset", map4k_ns, ns ?: 1, "x");
	}

	/* Repeat mappings of one 4K page over 1 GiB and 1 TiB. */
	for (i = 0; i < 2; i++) {
		u64 size = i ? 1ULL << 40 : SZ_1G, pages = size / SZ_4K;
		u64 tables, ns = repeat_ns(test, size, &tables);

		bench_print(i ? "repeat_1t_ns" : "repeat_1g_ns", ns, 1, "ns");
		bench_print(i ? "repeat_1t_tables" : "repeat_1g_tables", tables,
			    1, "tables");
		/* One PTE per page: the 4K map cost and one table per 2 MiB. */
		bench_print(i ? "repeat_1t_pte_per_page_ns" : "repeat_1g_pte_per_page_ns",
			    map4k_ns * (pages / (SZ_1G / SZ_4K)) +
			    map4k_ns * (pages % (SZ_1G / SZ_4K)) / (SZ_1G / SZ_4K),
			    1, "ns");
		bench_print(i ? "repeat_1t_pte_per_page_tables" :
			    "repeat_1g_pte_per_page_tables",
			    pages / 512 + pages / (512 * 512) + 1, 1, "tables");
	}
}

/*
 * How the cost grows with the size: one map call of 4 KiB pages (the DMA
 * is 4 KiB off 2 MiB, so no block forms), its reservation included, from
 * 1 MiB to 64 GiB, in ns per page (flat when the cost is linear); and a
 * repeat of one page from 1 GiB to 1 TiB, in ns per op (flat when it does
 * not grow with the size).
 */
static void pvm_pt_bench_cost_curve(struct kunit *test)
{
	struct pvm_pt_free_list fl = {};
	struct pvm_pt_resv resv = {};
	u64 size, ns, t0, tables;
	struct pvm_pt pt;
	char name[64];
	u32 r;

	for (size = SZ_1M; size <= 64ULL * SZ_1G; size *= 4) {
		struct pvm_pt_range rg = { .dma = BENCH_DMA + SZ_4K, .size = size };

		ns = U64_MAX;
		for (r = 0; r < BENCH_RUNS; r++) {
			KUNIT_ASSERT_EQ(test, ours_init(&pt), 0);
			t0 = ktime_get_ns();
			KUNIT_EXPECT_EQ(test, pvm_pt_resv_add_map(&pt, &resv,
								  BENCH_VA, &rg, 1), 0);
			KUNIT_EXPECT_EQ(test, pvm_pt_map(&pt, &resv, &fl, BENCH_VA,
							 &rg, 1, 0), 0);
			pvm_pt_resv_release(&pt, &resv);
			ns = best(ns, ktime_get_ns() - t0);
			pvm_pt_fini(&pt);
		}
		snprintf(name, sizeof(name), "curve_map_4k_%lluM", size / SZ_1M);
		bench_print(name, ns, size / SZ_4K, "ns/4K-page");
	}

	for (size = SZ_1G; size <= 1ULL << 40; size *= 4) {
		ns = repeat_ns(test, size, &tables);
		snprintf(name, sizeof(name), "curve_repeat_%lluG", size / SZ_1G);
		bench_print(name, ns, 1, "ns");
	}
}

static struct kunit_case pvm_pt_bench_cases[] = {
	KUNIT_CASE_SLOW(pvm_pt_bench_map_unmap),
	KUNIT_CASE_SLOW(pvm_pt_bench_cost_curve),
	{}
};

static void pvm_pt_bench_exit(struct kunit *test)
{
	bench_pool_drain();
}

static struct kunit_suite pvm_pt_bench_suite = {
	.name = "pvm_pt_bench",
	.exit = pvm_pt_bench_exit,
	.test_cases = pvm_pt_bench_cases,
};

kunit_test_suite(pvm_pt_bench_suite);
