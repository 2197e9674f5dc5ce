// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * VMs and the uAPI of synchronous VM_BIND: VM_CREATE / VM_DESTROY /
 * VM_GET_STATE rules, one MAP and UNMAP, SYNC_ONLY, every rejected VM_BIND
 * op with its errno (the VM checked unchanged by GPU reads), op-array
 * strides, and partial failure of a multi-op bind. What remaps do to the
 * VA space (MAP over, UNMAP across holes, huge pages) is panthor_vm_remap.
 *
 * GPU reads use the software GPU's SIM_GPU_ACCESS ioctl; without it the
 * errno checks still run and the data checks are skipped.
 */

#include "igt.h"
#include "igt_panthor.h"
#include "igt_panthor_sim.h"
#include "panthor_drm.h"

IGT_TEST_DESCRIPTION("panthor VMs and the synchronous VM_BIND uAPI");

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Where the validation tests keep a reference mapping of BO A. */
#define REF_VA		UINT64_C(0x100000)
#define REF_SIZE	SZ_64K
#define SEED_A		1
#define SEED_B		2

static int fd = -1;
static bool sim;
static uint32_t syncobj;

/* Check the reference mapping of BO A when the software GPU is there. */
static void check_ref(uint32_t vm, const char *after)
{
	static uint32_t buf[REF_SIZE / 4];
	uint64_t bad = 0;

	igt_assert_f(igt_panthor_vm_get_state(fd, vm) ==
		     DRM_PANTHOR_VM_STATE_USABLE,
		     "VM unusable after %s\n", after);
	if (!sim)
		return;
	igt_panthor_gpu_read(fd, vm, REF_VA, buf, REF_SIZE);
	igt_assert_f(igt_panthor_pattern_check(buf, REF_SIZE, SEED_A, 0, &bad),
		     "after %s the reference mapping reads %#x at %#" PRIx64
		     " instead of BO A's %#x: the rejected op changed the VM\n",
		     after, buf[bad / 4], REF_VA + bad,
		     igt_panthor_pattern(SEED_A, bad));
}

/* ---- rejected ops ------------------------------------------------------ */

enum { H_NONE, H_B, H_BOGUS };
/* Symbolic VAs resolved against the VM's user VA end. */
#define VA_USER_END		(~UINT64_C(0))
#define VA_USER_END_M4K		(~UINT64_C(0) - 1)

struct bad_op {
	const char *name;
	uint32_t flags;
	int handle;
	uint64_t bo_offset;
	uint64_t va;
	uint64_t size;
	bool with_sync;
	int err;
	int alt_err;	/* another errno also accepted, 0 if none */
};

#define MAP	DRM_PANTHOR_VM_BIND_OP_TYPE_MAP
#define UNMAP	DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP
#define SYNC_ONLY DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY

static const struct bad_op bad_ops[] = {
	{ "va-unaligned", MAP, H_B, 0, REF_VA + 0x800, SZ_32K, false, EINVAL, 0 },
	{ "size-unaligned", MAP, H_B, 0, REF_VA, SZ_32K + 0x800, false, EINVAL, 0 },
	{ "bo-offset-unaligned", MAP, H_B, 0x800, REF_VA, SZ_32K, false, EINVAL, 0 },
	{ "va-size-overflow", MAP, H_B, 0, UINT64_C(0xffffffffffff0000), SZ_64K * 2,
	  false, EINVAL, 0 },
	{ "va-at-user-end", MAP, H_B, 0, VA_USER_END, SZ_64K, false, EINVAL, 0 },
	{ "va-straddles-user-end", MAP, H_B, 0, VA_USER_END_M4K, SZ_8K, false,
	  EINVAL, 0 },
	{ "size-above-bo", MAP, H_B, 0, REF_VA, SZ_64K * 2, false, EINVAL, 0 },
	{ "offset-plus-size-above-bo", MAP, H_B, SZ_32K, REF_VA, SZ_64K, false,
	  EINVAL, 0 },
	{ "offset-beyond-bo", MAP, H_B, SZ_64K * 2, REF_VA, SZ_4K, false, EINVAL, 0 },
	{ "bad-bo-handle", MAP, H_BOGUS, 0, REF_VA, SZ_4K, false, EINVAL, ENOENT },
	{ "map-no-bo", MAP, H_NONE, 0, REF_VA, SZ_4K, false, EINVAL, ENOENT },
	{ "unknown-map-flag-bit5", MAP | (1u << 5), H_B, 0, REF_VA, SZ_4K, false,
	  EINVAL, 0 },
	{ "unknown-map-flag-bit27", MAP | (1u << 27), H_B, 0, REF_VA, SZ_4K,
	  false, EINVAL, 0 },
	{ "unknown-op-type", 3u << 28, H_NONE, 0, REF_VA, SZ_4K, false, EINVAL, 0 },
	{ "op-type-15", 15u << 28, H_NONE, 0, REF_VA, SZ_4K, false, EINVAL, 0 },
	{ "unmap-with-bo-handle", UNMAP, H_B, 0, REF_VA, SZ_64K, false, EINVAL, 0 },
	{ "unmap-with-bo-offset", UNMAP, H_NONE, SZ_4K, REF_VA, SZ_64K, false,
	  EINVAL, 0 },
	{ "unmap-with-map-flag", UNMAP | DRM_PANTHOR_VM_BIND_OP_MAP_READONLY,
	  H_NONE, 0, REF_VA, SZ_64K, false, EINVAL, 0 },
	{ "unmap-unaligned", UNMAP, H_NONE, 0, REF_VA + 0x800, SZ_4K, false,
	  EINVAL, 0 },
	{ "unmap-beyond-user-end", UNMAP, H_NONE, 0, VA_USER_END, SZ_64K, false,
	  EINVAL, 0 },
	{ "sync-only-on-sync-bind", SYNC_ONLY, H_NONE, 0, 0, 0, true, EINVAL, 0 },
	{ "sync-only-with-range", SYNC_ONLY, H_NONE, 0, REF_VA, SZ_4K, false,
	  EINVAL, 0 },
	{ "syncs-on-sync-map", MAP, H_B, 0, REF_VA, SZ_64K, true, EINVAL, 0 },
	{ "syncs-on-sync-unmap", UNMAP, H_NONE, 0, REF_VA, SZ_64K, true, EINVAL, 0 },
};

static void run_bad_op(const struct bad_op *c, uint32_t vm, uint64_t user_end,
		       uint32_t bo_b)
{
	struct drm_panthor_sync_op sync = {
		.flags = DRM_PANTHOR_SYNC_OP_SIGNAL |
			 DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ,
		.handle = syncobj,
	};
	struct drm_panthor_vm_bind_op op = {
		.flags = c->flags,
		.bo_offset = c->bo_offset,
		.va = c->va,
		.size = c->size,
	};
	uint32_t count = 1;
	int err;

	if (c->handle == H_B)
		op.bo_handle = bo_b;
	else if (c->handle == H_BOGUS)
		op.bo_handle = 0xdeadbeef;
	if (c->va == VA_USER_END)
		op.va = user_end;
	else if (c->va == VA_USER_END_M4K)
		op.va = user_end - SZ_4K;
	if (c->with_sync) {
		op.syncs.stride = sizeof(sync);
		op.syncs.count = 1;
		op.syncs.array = (uintptr_t)&sync;
	}

	err = __igt_panthor_vm_bind_ops(fd, vm, 0, &op, &count, sizeof(op));
	igt_assert_f(err == -c->err || (c->alt_err && err == -c->alt_err),
		     "%s: VM_BIND returned %d (%s), expected -%d%s\n", c->name,
		     err, strerror(-err), c->err, c->alt_err ? " or alt" : "");
	igt_assert_f(count == 0, "%s: ops.count written back as %u, expected 0 "
		     "(index of the failed op)\n", c->name, count);
	check_ref(vm, c->name);
}

/* ---- op arrays with other strides -------------------------------------- */

/* Write op @i of an array of @stride-byte elements (truncating or padding). */
static void put_op(uint8_t *array, uint32_t stride, int i,
		   const struct drm_panthor_vm_bind_op *op)
{
	size_t n = stride < sizeof(*op) ? stride : sizeof(*op);

	memcpy(array + (size_t)i * stride, op, n);
}

/* ---- VM_CREATE user VA range ------------------------------------------- */

struct va_case {
	const char *name;
	uint64_t req;
	int err;
};

#define VA48 (UINT64_C(1) << 48)
#define KMIN (256 * SZ_1M)

static const struct va_case va_cases[] = {
	{ "default", 0, 0 },
	{ "4G", UINT64_C(1) << 32, 0 },
	{ "half", UINT64_C(1) << 47, 0 },
	{ "half-plus-4K", (UINT64_C(1) << 47) + SZ_4K, 0 },
	{ "max", VA48 - KMIN, 0 },
	{ "max-plus-4K", VA48 - KMIN + SZ_4K, EINVAL },
	{ "full", VA48, EINVAL },
	{ "above-full", VA48 * 2, EINVAL },
	{ "all-ones", ~UINT64_C(0), EINVAL },
};

static bool is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

int igt_main()
{
	igt_fixture() {
		igt_panthor_skip_on_big_endian();
		fd = drm_open_driver(DRIVER_PANTHOR);
		sim = igt_panthor_has_sim(fd);
		igt_assert_eq(drmSyncobjCreate(fd, 0, &syncobj), 0);
		igt_require_f(igt_panthor_va_bits(fd) == 48,
			      "the tests assume a 48-bit GPU VA\n");
	}

	igt_describe("VM_CREATE gives a non-zero id, a fresh VM is USABLE, "
		     "VM_DESTROY removes it");
	igt_subtest("vm-create-destroy") {
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL), st;

		igt_assert_eq_u32(igt_panthor_vm_get_state(fd, vm),
				  DRM_PANTHOR_VM_STATE_USABLE);
		igt_panthor_vm_destroy(fd, vm, 0);
		igt_assert_eq(__igt_panthor_vm_get_state(fd, vm, &st), -EINVAL);
		igt_panthor_vm_destroy(fd, vm, EINVAL);
	}

	igt_describe("VM_CREATE with non-zero flags is EINVAL");
	igt_subtest("vm-create-invalid-flags") {
		uint32_t flags[] = { 1, 2, 1u << 31 };

		for (size_t i = 0; i < ARRAY_LEN(flags); i++) {
			uint32_t id = 0;

			igt_assert_eq(__igt_panthor_vm_create(fd, flags[i], NULL,
							      &id), -EINVAL);
		}
	}

	igt_describe("user_va_range: 0 is a default, the kernel returns where "
		     "its power-of-two range starts, < 256 MiB left is EINVAL");
	igt_subtest_with_dynamic("vm-create-user-va-range") {
		for (size_t i = 0; i < ARRAY_LEN(va_cases); i++) {
			const struct va_case *c = &va_cases[i];

			igt_dynamic(c->name) {
				uint64_t r = c->req;
				uint32_t id = 0;
				int err = __igt_panthor_vm_create(fd, 0, &r, &id);

				igt_assert_f(err == -c->err,
					     "user_va_range %#" PRIx64 ": %d, "
					     "expected %d\n", c->req, err, -c->err);
				if (err)
					continue;
				igt_info("requested %#" PRIx64 ", kernel VA "
					 "starts at %#" PRIx64 "\n", c->req, r);
				igt_assert_f(r >= c->req, "returned %#" PRIx64
					     " below the request\n", r);
				igt_assert_f(r <= VA48 - KMIN,
					     "kernel range below 256 MiB\n");
				igt_assert_f(is_pow2(VA48 - r),
					     "kernel range %#" PRIx64 " not a "
					     "power of two\n", VA48 - r);
				if (c->req <= (UINT64_C(1) << 47))
					igt_assert_eq_u64(r, UINT64_C(1) << 47);
				igt_panthor_vm_destroy(fd, id, 0);
			}
		}
	}

	igt_describe("A file has at most 32 VMs, ids 1..32; the 33rd fails and "
		     "destroying one makes room");
	igt_subtest("vm-create-limit") {
		int fd2 = drm_open_driver(DRIVER_PANTHOR);
		uint32_t ids[32], id = 0;
		uint64_t seen = 0;
		int err;

		for (int i = 0; i < 32; i++) {
			err = __igt_panthor_vm_create(fd2, 0, NULL, &ids[i]);
			igt_assert_f(err == 0, "VM %d of 32 failed: %s\n", i + 1,
				     strerror(-err));
			igt_assert_f(ids[i] >= 1 && ids[i] <= 32,
				     "VM id %u outside 1..32\n", ids[i]);
			igt_assert_f(!(seen & (1 << ids[i])),
				     "VM id %u given twice\n", ids[i]);
			seen |= 1 << ids[i];
		}
		err = __igt_panthor_vm_create(fd2, 0, NULL, &id);
		igt_assert_f(err == -EBUSY || err == -ENOMEM || err == -ENOSPC,
			     "33rd VM: %d (%s), expected a failure\n", err,
			     strerror(-err));
		igt_panthor_vm_destroy(fd2, ids[7], 0);
		err = __igt_panthor_vm_create(fd2, 0, NULL, &id);
		igt_assert_f(err == 0, "VM after freeing one failed: %s\n",
			     strerror(-err));
		igt_assert_eq_u32(id, ids[7]);
		drm_close_driver(fd2);
	}

	igt_describe("VM_DESTROY: unknown id or non-zero pad is EINVAL and "
		     "the VM survives a rejected destroy");
	igt_subtest("vm-destroy-invalid") {
		struct drm_panthor_vm_destroy d = { 0 };
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);

		igt_panthor_vm_destroy(fd, 0, EINVAL);
		igt_panthor_vm_destroy(fd, 0xdeadbeef, EINVAL);
		d.id = vm;
		d.pad = 1;
		do_ioctl_err(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &d, EINVAL);
		igt_assert_eq_u32(igt_panthor_vm_get_state(fd, vm),
				  DRM_PANTHOR_VM_STATE_USABLE);
		igt_panthor_vm_destroy(fd, vm, 0);
	}

	igt_describe("VM_GET_STATE of an unknown VM is EINVAL");
	igt_subtest("vm-get-state-invalid") {
		uint32_t st;

		igt_assert_eq(__igt_panthor_vm_get_state(fd, 0, &st), -EINVAL);
		igt_assert_eq(__igt_panthor_vm_get_state(fd, 0xdeadbeef, &st),
			      -EINVAL);
	}

	igt_describe("MAP a BO, read it through the GPU, UNMAP it");
	igt_subtest("vm-bind") {
		static uint32_t buf[SZ_64K / 4];
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t bo = igt_panthor_pattern_bo(fd, SZ_64K, 5);
		uint64_t bad = 0;

		igt_panthor_map(fd, vm, bo, 0, 0x1000, SZ_64K, 0);
		if (sim) {
			igt_panthor_gpu_read(fd, vm, 0x1000, buf, SZ_64K);
			igt_assert_f(igt_panthor_pattern_check(buf, SZ_64K, 5, 0,
							       &bad),
				     "GPU read wrong at +%#" PRIx64 "\n", bad);
		}
		igt_panthor_unmap(fd, vm, 0x1000, SZ_64K);
		/* Unmapping again is an UNMAP of a hole: fine. */
		igt_panthor_unmap(fd, vm, 0x1000, SZ_64K);
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("A synchronous SYNC_ONLY op without syncs is a no-op that "
		     "succeeds, alone or between MAPs (upstream)");
	igt_subtest("vm-bind-sync-only") {
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t bo = igt_panthor_pattern_bo(fd, SZ_64K, SEED_B);
		struct drm_panthor_vm_bind_op ops[3] = {
			igt_panthor_op_map(bo, 0, REF_VA, SZ_4K, 0),
			{ .flags = DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY },
			igt_panthor_op_map(bo, SZ_4K, REF_VA + SZ_4K, SZ_4K, 0),
		};
		uint32_t n = 1;

		igt_assert_eq(__igt_panthor_vm_bind_ops(fd, vm, 0, &ops[1], &n,
							sizeof(ops[0])), 0);
		n = 3;
		igt_assert_eq(__igt_panthor_vm_bind_ops(fd, vm, 0, ops, &n,
							sizeof(ops[0])), 0);
		igt_assert_eq_u32(n, 3);
		igt_assert_eq_u32(igt_panthor_vm_get_state(fd, vm),
				  DRM_PANTHOR_VM_STATE_USABLE);
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, bo);
	}

	igt_describe("Each invalid op fails with its errno, reports ops.count "
		     "0, and leaves the VM unchanged (checked by GPU reads)");
	igt_subtest_with_dynamic("vm-bind-invalid") {
		uint64_t user_end = 0;
		uint32_t vm = igt_panthor_vm_create_range(fd, &user_end);
		uint32_t bo_a = igt_panthor_pattern_bo(fd, REF_SIZE, SEED_A);
		uint32_t bo_b = igt_panthor_pattern_bo(fd, SZ_64K, SEED_B);

		igt_panthor_map(fd, vm, bo_a, 0, REF_VA, REF_SIZE, 0);
		for (size_t i = 0; i < ARRAY_LEN(bad_ops); i++) {
			igt_dynamic(bad_ops[i].name)
				run_bad_op(&bad_ops[i], vm, user_end, bo_b);
		}
		igt_dynamic("bad-vm-id") {
			struct drm_panthor_vm_bind_op op =
				igt_panthor_op_map(bo_b, 0, REF_VA, SZ_4K, 0);
			uint32_t n = 1;

			igt_assert_eq(__igt_panthor_vm_bind_ops(fd, 0xdead, 0,
								&op, &n,
								sizeof(op)),
				      -EINVAL);
			igt_assert_eq(__igt_panthor_vm_bind_ops(fd, 0, 0, &op,
								&n, sizeof(op)),
				      -EINVAL);
			check_ref(vm, "bad-vm-id");
		}
		igt_dynamic("unknown-bind-flags") {
			struct drm_panthor_vm_bind_op op =
				igt_panthor_op_map(bo_b, 0, REF_VA, SZ_4K, 0);
			uint32_t bits[] = { 1u << 1, 1u << 8, 1u << 31 };

			for (size_t k = 0; k < ARRAY_LEN(bits); k++) {
				uint32_t n = 1;

				igt_assert_eq(__igt_panthor_vm_bind_ops(fd, vm,
									bits[k],
									&op, &n,
									sizeof(op)),
					      -EINVAL);
			}
			check_ref(vm, "unknown-bind-flags");
		}
		igt_dynamic("too-many-ops") {
			/* Above the per-ioctl limit: refused before any copy. */
			struct drm_panthor_vm_bind_op op =
				igt_panthor_op_map(bo_b, 0, REF_VA, SZ_4K, 0);
			uint32_t counts[] = { 65537, 38000000, UINT32_MAX };

			for (size_t k = 0; k < ARRAY_LEN(counts); k++) {
				uint32_t n = counts[k];

				igt_assert_eq(__igt_panthor_vm_bind_ops(fd, vm, 0,
									&op, &n,
									sizeof(op)),
					      -EINVAL);
			}
			check_ref(vm, "too-many-ops");
		}
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, bo_a);
		gem_close(fd, bo_b);
	}

	igt_describe("ops.stride: < 48 EINVAL, 48 and 56 accepted, larger with "
		     "a zero tail accepted, a non-zero tail E2BIG; count 0 and "
		     "size-0 ops are no-ops");
	igt_subtest_with_dynamic("vm-bind-array") {
		static uint8_t array[4 * 128];
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t bo_a = igt_panthor_pattern_bo(fd, REF_SIZE, SEED_A);
		uint32_t bo_b = igt_panthor_pattern_bo(fd, SZ_64K, SEED_B);
		struct igt_panthor_model m;

		igt_panthor_map(fd, vm, bo_a, 0, REF_VA, REF_SIZE, 0);
		igt_panthor_model_init(&m, 0x800000, 16 * SZ_1M);

		for (uint32_t stride = 0; stride < 48; stride += 8) {
			igt_dynamic_f("stride-%u", stride) {
				struct drm_panthor_vm_bind_op op =
					igt_panthor_op_map(bo_b, 0, REF_VA,
							   SZ_4K, 0);
				uint32_t n = 1;

				memset(array, 0, sizeof(array));
				put_op(array, stride ? stride : 8, 0, &op);
				igt_assert_eq(__igt_panthor_vm_bind_ops(fd, vm,
									0, array,
									&n, stride),
					      -EINVAL);
				check_ref(vm, "short stride");
			}
		}
		igt_dynamic("stride-47") {
			struct drm_panthor_vm_bind_op op =
				igt_panthor_op_map(bo_b, 0, REF_VA, SZ_4K, 0);
			uint32_t n = 1;

			memset(array, 0, sizeof(array));
			put_op(array, 47, 0, &op);
			igt_assert_eq(__igt_panthor_vm_bind_ops(fd, vm, 0, array,
								&n, 47),
				      -EINVAL);
			check_ref(vm, "stride 47");
		}
		{
			static const uint32_t good[] = { 48, 56, 64, 128 };

			for (size_t k = 0; k < ARRAY_LEN(good); k++) {
				igt_dynamic_f("stride-%u", good[k]) {
					uint32_t stride = good[k], n = 2;
					uint64_t va = 0x800000 + k * SZ_1M;

					memset(array, 0, sizeof(array));
					for (int j = 0; j < 2; j++) {
						struct drm_panthor_vm_bind_op op =
							igt_panthor_op_map(bo_b,
									   j * SZ_16K,
									   va + j * SZ_64K,
									   SZ_16K, 0);

						put_op(array, stride, j, &op);
						igt_panthor_model_map(&m, SEED_B,
								      j * SZ_16K,
								      va + j * SZ_64K,
								      SZ_16K);
					}
					igt_assert_eq(__igt_panthor_vm_bind_ops(fd, vm, 0,
										array,
										&n,
										stride),
						      0);
					if (sim)
						igt_panthor_model_check(fd, vm, &m);
				}
			}
		}
		igt_dynamic("stride-64-nonzero-tail") {
			struct drm_panthor_vm_bind_op op =
				igt_panthor_op_map(bo_b, 0, REF_VA, SZ_4K, 0);
			uint32_t n = 1;

			memset(array, 0, sizeof(array));
			put_op(array, 64, 0, &op);
			array[60] = 1;
			igt_assert_eq(__igt_panthor_vm_bind_ops(fd, vm, 0, array,
								&n, 64),
				      -E2BIG);
			check_ref(vm, "non-zero tail");
		}
		igt_dynamic("count-0") {
			struct drm_panthor_vm_bind_op op =
				igt_panthor_op_map(bo_b, 0, REF_VA, SZ_4K, 0);
			uint32_t n = 0;

			igt_assert_eq(__igt_panthor_vm_bind_ops(fd, vm, 0, &op,
								&n, sizeof(op)),
				      0);
			check_ref(vm, "count 0");
		}
		igt_dynamic("size-0-ops") {
			struct drm_panthor_vm_bind_op ops[2] = {
				igt_panthor_op_map(bo_b, 0, REF_VA, 0, 0),
				igt_panthor_op_unmap(REF_VA, 0),
			};
			uint32_t n = 2;

			igt_assert_eq(__igt_panthor_vm_bind_ops(fd, vm, 0, ops,
								&n, sizeof(ops[0])),
				      0);
			check_ref(vm, "size-0 MAP and UNMAP");
		}
		igt_panthor_model_fini(&m);
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, bo_a);
		gem_close(fd, bo_b);
	}

	igt_describe("A bind whose op 2 is invalid returns its errno and "
		     "ops.count 2; with the software GPU (this driver, which "
		     "validates the array first) no op changed anything");
	igt_subtest("vm-bind-partial-failure") {
		uint32_t vm = igt_panthor_vm_create_range(fd, NULL);
		uint32_t bo_a = igt_panthor_pattern_bo(fd, REF_SIZE, SEED_A);
		uint32_t bo_b = igt_panthor_pattern_bo(fd, SZ_64K, SEED_B);
		struct drm_panthor_vm_bind_op ops[4] = {
			igt_panthor_op_map(bo_b, 0, 0x400000, SZ_16K, 0),
			igt_panthor_op_map(bo_b, SZ_16K, REF_VA, SZ_16K, 0),
			/* Invalid: over the reference, but unaligned size. */
			igt_panthor_op_map(bo_b, 0, REF_VA + SZ_16K,
					   SZ_16K + 0x800, 0),
			igt_panthor_op_map(bo_b, 0, REF_VA + SZ_32K, SZ_16K, 0),
		};
		uint32_t n = 4, v;
		int err;

		igt_panthor_map(fd, vm, bo_a, 0, REF_VA, REF_SIZE, 0);
		err = __igt_panthor_vm_bind_ops(fd, vm, 0, ops, &n,
						sizeof(ops[0]));
		igt_assert_eq(err, -EINVAL);
		igt_assert_f(n == 2, "ops.count written back as %u, expected 2\n",
			     n);
		if (sim) {
			static uint32_t buf[SZ_16K / 4];
			uint64_t bad = 0;

			/*
			 * Upstream runs the ops in order, so op 1 is applied
			 * (B); this driver, the one with the software GPU,
			 * checks the whole array before it runs any op, so
			 * nothing is (A).
			 */
			v = igt_panthor_gpu_read32(fd, vm, REF_VA);
			igt_assert_f(v == igt_panthor_pattern(SEED_A, 0),
				     "op 1's range reads %#x, expected BO A's "
				     "%#x: an op ran before the array was "
				     "validated\n", v,
				     igt_panthor_pattern(SEED_A, 0));
			/* Ops 2 and 3 changed nothing. */
			igt_panthor_gpu_read(fd, vm, REF_VA + SZ_16K, buf,
					     sizeof(buf));
			igt_assert_f(igt_panthor_pattern_check(buf, SZ_16K,
							       SEED_A, SZ_16K,
							       &bad),
				     "the failed op changed the VM\n");
			igt_panthor_gpu_read(fd, vm, REF_VA + SZ_32K, buf,
					     sizeof(buf));
			igt_assert_f(igt_panthor_pattern_check(buf, SZ_16K,
							       SEED_A, SZ_32K,
							       &bad),
				     "an op after the failed one ran\n");
			/* Op 0 did not run either: 0x400000 is another 2M
			 * than REF_VA, an empty level-2 entry. */
			igt_panthor_assert_fault(fd, vm, 0x400000, false,
						 IGT_PANTHOR_FAULT_TRANSLATION | 2);
		}
		igt_panthor_vm_destroy(fd, vm, 0);
		gem_close(fd, bo_a);
		gem_close(fd, bo_b);
	}

	igt_fixture() {
		drmSyncobjDestroy(fd, syncobj);
		drm_close_driver(fd);
	}
}
