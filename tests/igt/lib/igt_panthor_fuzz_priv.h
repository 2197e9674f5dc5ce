/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * What the files of the fuzzer engine (igt_panthor_fuzz*.c) share: the
 * instance and its model, and the functions one file calls in another.
 * Not an API: tests use igt_panthor_fuzz.h.
 */

#ifndef IGT_PANTHOR_FUZZ_PRIV_H
#define IGT_PANTHOR_FUZZ_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "igt_panthor.h"
#include "igt_panthor_sim.h"
#include "igt_panthor_fuzz.h"

#define FZ_MAX_FILES	2
#define FZ_MAX_VMS	8
#define FZ_MAX_BOS	16
#define FZ_NSO		6	/* binary: 0..2 (0 created signalled), timeline: 3..5 */
#define FZ_MAX_OPS	48
#define FZ_MAX_SYNCS	6
#define FZ_WIN_BASE	(32 * SZ_1M)
#define FZ_WIN_SIZE	(32 * SZ_1M)
#define FZ_BAD_HANDLE	0x40000000u
#define FZ_BAD_PTR	UINT64_C(0x10)
#define FZ_SEC		INT64_C(1000000000)
#define FZ_OP_SIZE	sizeof(struct drm_panthor_vm_bind_op)
#define FZ_OP_V1	IGT_PANTHOR_BIND_OP_STRIDE_V1
#define FZ_MAP		DRM_PANTHOR_VM_BIND_OP_TYPE_MAP
#define FZ_UNMAP	DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP
#define FZ_SYNC_ONLY	DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY
#define FZ_TYPE(fl)	((fl) & DRM_PANTHOR_VM_BIND_OP_TYPE_MASK)
#define FZ_RO		DRM_PANTHOR_VM_BIND_OP_MAP_READONLY
#define FZ_NOEXEC	DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC
#define FZ_UNCACHED	DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED
#define FZ_SPARSE	DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE
#define FZ_REPEAT	DRM_PANTHOR_VM_BIND_OP_MAP_REPEAT
#define FZ_SIGNAL	((uint32_t)DRM_PANTHOR_SYNC_OP_SIGNAL)

enum { PG_HOLE, PG_BO, PG_ZERO, PG_SPARSE };

/* What one 4 KiB page of a VM window maps. */
struct fz_page {
	uint64_t off;		/* BO offset of the page (PG_BO, PG_ZERO) */
	uint32_t seed;		/* pattern seed (PG_BO) */
	uint8_t kind, ro;
};

struct fz_vm {
	uint32_t id;		/* 0: free slot */
	bool shared, unusable;
	uint64_t gen, user_end, base, npages;
	struct fz_page *page;
	uint32_t tl;		/* private timeline: completion of async binds */
	uint64_t tl_point, tl_done;
};

struct fz_bo {
	uint32_t handle, seed, flags;	/* handle 0: free slot; seed 0: zeros */
	uint64_t size, excl_gen;
};

struct fz_so {
	uint32_t handle;
	bool timeline, fence, pend_fence;
	uint64_t max, pend;	/* last point submitted; tentative in a call */
};

struct fz_file {
	int fd;
	bool exclusive;		/* nobody else uses the fd */
	unsigned int nvms;
	struct fz_vm vm[FZ_MAX_VMS];
	struct fz_bo bo[FZ_MAX_BOS];
	struct fz_so so[FZ_NSO];
};

struct igt_panthor_fuzz {
	char name[40];
	int tid;
	uint64_t seed, rng;
	struct igt_panthor_fuzz_cfg cfg;
	struct fz_file file[FZ_MAX_FILES];
	int nfiles;
	struct igt_panthor_fuzz_stats st;
	struct drm_panthor_gpu_info gpu;
	uint64_t full_va, rr_sizes;
	uint32_t op_flags, op_size, next_seed;
	uint32_t *buf;		/* 1 MiB for GPU reads */
	bool failed, clean;
	char msg[1024];
};

/* One op under construction: the op and its sync array. */
struct fz_op {
	struct drm_panthor_vm_bind_op op;
	struct drm_panthor_sync_op sync[FZ_MAX_SYNCS];
	uint32_t nsyncs, sstride;
	uint8_t sbuf[FZ_MAX_SYNCS * 32];
	bool s_tail, s_badptr;
	struct fz_bo *bo;
};

/* ---- igt_panthor_fuzz.c: PRNG, failures, call counting, picking ----- */

uint64_t fz_rnd(struct igt_panthor_fuzz *f);
uint64_t fz_below(struct igt_panthor_fuzz *f, uint64_t n);
bool fz_pm(struct igt_panthor_fuzz *f, unsigned int pm);
bool fz_bad(struct igt_panthor_fuzz *f, unsigned int permille);
__attribute__((format(printf, 2, 3)))
void fz_fail(struct igt_panthor_fuzz *f, const char *fmt, ...);
__attribute__((format(printf, 2, 3)))
void fz_trace(struct igt_panthor_fuzz *f, const char *fmt, ...);
const char *fz_ename(int e);
int fz_ioctl(struct igt_panthor_fuzz *f, int fd, int which,
	     unsigned long req, void *arg);
bool fz_expect_err(struct igt_panthor_fuzz *f, const char *what, int got,
		   int want);
struct fz_vm *fz_pick_vm(struct igt_panthor_fuzz *f, struct fz_file *fl);
struct fz_bo *fz_pick_bo(struct igt_panthor_fuzz *f, struct fz_file *fl);
struct fz_bo *fz_find_bo(struct fz_file *fl, uint32_t handle);
uint32_t fz_bad_handle(struct igt_panthor_fuzz *f);
uint32_t fz_bad_vm_id(struct igt_panthor_fuzz *f);

/* ---- igt_panthor_fuzz_model.c: the shadow model, GPU checks, VMs ---- */

uint64_t fz_win_end(const struct fz_vm *vm);
bool fz_in_win(const struct fz_vm *vm, uint64_t va, uint64_t size);
void fz_model_apply(struct fz_vm *vm, const struct drm_panthor_vm_bind_op *op,
		    const struct fz_bo *bo);
uint32_t fz_page_word(const struct fz_page *pg, uint64_t byte);
int fz_gpu_access(struct igt_panthor_fuzz *f, int fd, int which,
		  struct drm_panthor_sim_gpu_access *a);
void fz_read_run(struct igt_panthor_fuzz *f, struct fz_file *fl,
		 struct fz_vm *vm, uint64_t p, uint64_t n, int which);
void fz_check_pages(struct igt_panthor_fuzz *f, struct fz_file *fl,
		    struct fz_vm *vm, uint64_t p, uint64_t n);
bool fz_check_unusable(struct igt_panthor_fuzz *f, struct fz_file *fl,
		       struct fz_vm *vm);
void fz_check_range(struct igt_panthor_fuzz *f, struct fz_file *fl,
		    struct fz_vm *vm, uint64_t va, uint64_t size);
void fz_check_vm_all(struct igt_panthor_fuzz *f, struct fz_file *fl,
		     struct fz_vm *vm);
void fz_vm_settle(struct igt_panthor_fuzz *f, struct fz_file *fl,
		  struct fz_vm *vm);
void fz_vm_model_init(struct igt_panthor_fuzz *f, struct fz_file *fl,
		      struct fz_vm *vm, uint32_t id, uint64_t user_end,
		      uint64_t base, uint64_t size, bool shared);
void fz_vm_model_fini(struct fz_file *fl, struct fz_vm *vm);
int fz_destroy_id(struct igt_panthor_fuzz *f, struct fz_file *fl, int which,
		  uint32_t id, uint32_t pad);
void fz_vm_create(struct igt_panthor_fuzz *f, struct fz_file *fl);
void fz_vm_destroy(struct igt_panthor_fuzz *f, struct fz_file *fl);
void fz_vm_get_state(struct igt_panthor_fuzz *f, struct fz_file *fl);
void fz_vm_limit(struct igt_panthor_fuzz *f, struct fz_file *fl);

/* ---- igt_panthor_fuzz_bind.c: VM_BIND ------------------------------- */

void fz_bind(struct igt_panthor_fuzz *f, struct fz_file *fl,
	     struct fz_vm *vm);

/* ---- igt_panthor_fuzz_bo.c: BOs and device-level ioctls ------------- */

void fz_bo_close(struct igt_panthor_fuzz *f, struct fz_file *fl,
		 uint32_t handle, int which);
void fz_bo_create(struct igt_panthor_fuzz *f, struct fz_file *fl);
void fz_gem_close(struct igt_panthor_fuzz *f, struct fz_file *fl);
void fz_bo_mmap_offset(struct igt_panthor_fuzz *f, struct fz_file *fl);
void fz_bo_set_label(struct igt_panthor_fuzz *f, struct fz_file *fl);
void fz_bo_query_info(struct igt_panthor_fuzz *f, struct fz_file *fl);
void fz_bo_sync(struct igt_panthor_fuzz *f, struct fz_file *fl);
void fz_set_mmio(struct igt_panthor_fuzz *f, struct fz_file *fl);
void fz_dev_query(struct igt_panthor_fuzz *f, struct fz_file *fl);
void fz_unimplemented(struct igt_panthor_fuzz *f, struct fz_file *fl);

/* ---- igt_panthor_fuzz_sim.c: the software GPU ----------------------- */

void fz_sim_access(struct igt_panthor_fuzz *f, struct fz_file *fl);
void fz_sim_agent(struct igt_panthor_fuzz *f, struct fz_file *fl);
void fz_poison(struct igt_panthor_fuzz *f, struct fz_file *fl);

/* ---- igt_panthor_fuzz_file.c: files --------------------------------- */

void fz_file_init(struct igt_panthor_fuzz *f, struct fz_file *fl, int fd,
		  bool exclusive);
void fz_file_fini(struct igt_panthor_fuzz *f, struct fz_file *fl,
		  bool close_fd);
unsigned int fz_close_with_queued(struct igt_panthor_fuzz *f,
				  struct fz_file *fl);
void fz_reopen(struct igt_panthor_fuzz *f, struct fz_file *fl);

#endif /* IGT_PANTHOR_FUZZ_PRIV_H */
