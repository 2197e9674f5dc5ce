// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The panthor-vm authors
 */

/*
 * A userspace model of the panthor-vm VM uAPI for the harness self-test,
 * linked into fake_panthor.so: BOs (memfd-backed, mmap-able), VMs with
 * synchronous VM_BIND (MAP, UNMAP, MAP_SPARSE, MAP_REPEAT and the
 * validation rules of the brief), VM_GET_STATE, SIM_GPU_ACCESS with
 * translation faults at the level of the first empty table (tables freed
 * when empty), permission faults, a 4 KiB leaf for every access (no
 * system MMU, so no 2 MiB blocks), UNUSABLE VMs, PRIME export and import
 * of its own BOs (in any file: the same BO), the argument checks of
 * BO_SET_LABEL, BO_QUERY_INFO and BO_SYNC, and a stub syncobj
 * create/destroy. It exists so that the IGT tests can be run, and their
 * own logic checked, before the kernel side lands. No async binds, no
 * agents, no debugfs, no vgem: those subtests skip or are not run here.
 *
 * Mappings are kept as a list of intervals per VM, so a 1 TiB sparse range
 * costs one entry.
 *
 * FAKE_PANTHOR_BUG adds one deliberate bug the tests must catch:
 * split-offset (the right part of a split mapping keeps the old BO
 * offset), repeat-split (a split repeat mapping restarts its cycle at the
 * split), fault-level (every translation fault says level 0), stride-tail
 * (non-zero bytes past a known op are ignored), label-pad-late
 * (BO_SET_LABEL looks the handle up before checking pad), sync-no-range
 * (BO_SYNC does not check the range against the BO).
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <drm.h>

#include "panthor_drm.h"
#include "panthor_vm_sim.h"

#define PG		4096ULL
#define MAX_FILES	8
#define MAX_BOS		1024
#define MAX_VMS		32
#define VA_BITS		48
#define USER_END	(1ULL << 47)

struct fbo {
	int refs;		/* handle + mappings */
	bool live_handle;
	uint64_t size;
	uint32_t flags;
	uint32_t excl_vm;
	int memfd;
	uint8_t *mem;
};

enum kind { K_BO, K_SPARSE, K_REPEAT };

struct fmap {
	uint64_t start, end;
	enum kind kind;
	struct fbo *bo;
	uint64_t bo_off;	/* BO offset at @start (K_BO), or of the range */
	uint64_t range;		/* K_REPEAT */
	uint64_t origin;	/* K_REPEAT: the va of the original op */
	bool ro;
	struct fmap *next;
};

struct fvm {
	bool live, unusable;
	bool resident;		/* the GPU used it: ops flush the caches */
	struct fmap *maps;
};

struct ffile {
	struct fbo *bos[MAX_BOS];	/* index = handle */
	struct fvm vms[MAX_VMS + 1];
	uint8_t *dummy;
	uint32_t next_syncobj;
};

static struct ffile files[MAX_FILES];

/* FAKE_PANTHOR_BUG: see the top of the file. */
static bool vbug(const char *name)
{
	const char *b = getenv("FAKE_PANTHOR_BUG");

	return b && !strcmp(b, name);
}

void fake_flush_id_bump(void);

static int fail(int e)
{
	errno = e;
	return -1;
}

static void bo_put(struct fbo *bo)
{
	if (--bo->refs)
		return;
	munmap(bo->mem, bo->size);
	close(bo->memfd);
	free(bo);
}

void fake_vm_reset(int slot);
void fake_vm_reset(int slot)
{
	struct ffile *f = &files[slot];

	for (int v = 1; v <= MAX_VMS; v++) {
		for (struct fmap *m = f->vms[v].maps, *n; m; m = n) {
			n = m->next;
			if (m->bo)
				bo_put(m->bo);
			free(m);
		}
	}
	for (int h = 1; h < MAX_BOS; h++)
		if (f->bos[h])
			bo_put(f->bos[h]);
	free(f->dummy);
	memset(f, 0, sizeof(*f));
}

/* ---- intervals ------------------------------------------------------------ */

/* Remove [s, e) from the VM, splitting intervals at the edges. */
static void vm_punch(struct fvm *vm, uint64_t s, uint64_t e)
{
	struct fmap **pp = &vm->maps;

	while (*pp) {
		struct fmap *m = *pp;

		if (m->end <= s || m->start >= e) {
			pp = &m->next;
			continue;
		}
		if (m->start < s && m->end > e) {
			struct fmap *r = malloc(sizeof(*r));

			*r = *m;
			r->start = e;
			if (r->kind == K_BO && !vbug("split-offset"))
				r->bo_off = m->bo_off + (e - m->start);
			if (r->kind == K_REPEAT && vbug("repeat-split"))
				r->origin = e;
			if (r->bo)
				r->bo->refs++;
			m->end = s;
			r->next = m->next;
			m->next = r;
			pp = &r->next;
			continue;
		}
		if (m->start < s) {
			m->end = s;
			pp = &m->next;
			continue;
		}
		if (m->end > e) {
			if (m->kind == K_BO)
				m->bo_off += e - m->start;
			if (m->kind == K_REPEAT && vbug("repeat-split"))
				m->origin = e;
			m->start = e;
			pp = &m->next;
			continue;
		}
		*pp = m->next;
		if (m->bo)
			bo_put(m->bo);
		free(m);
	}
}

static struct fmap *vm_find(struct fvm *vm, uint64_t a)
{
	for (struct fmap *m = vm->maps; m; m = m->next)
		if (a >= m->start && a < m->end)
			return m;
	return NULL;
}

static bool vm_any(struct fvm *vm, uint64_t s, uint64_t e)
{
	for (struct fmap *m = vm->maps; m; m = m->next)
		if (m->start < e && m->end > s)
			return true;
	return false;
}

/* Fault level: the first level whose entry covering @a is empty. */
static int fault_level(struct fvm *vm, uint64_t a)
{
	static const int shift[] = { 39, 30, 21, 12 };

	if (vbug("fault-level"))
		return 0;

	for (int l = 0; l < 4; l++) {
		uint64_t s = a >> shift[l] << shift[l];

		if (!vm_any(vm, s, s + (1ULL << shift[l])))
			return l;
	}
	return 3;
}

/* ---- ioctls --------------------------------------------------------------- */

static int bo_create(struct ffile *f, struct drm_panthor_bo_create *c)
{
	uint32_t known = DRM_PANTHOR_BO_NO_MMAP | DRM_PANTHOR_BO_WB_MMAP;
	struct fbo *bo;

	/* panthor-vm's cap: the page array stays below INT_MAX bytes. */
	if (c->size > ((uint64_t)(INT32_MAX / 8) << 12))
		return fail(EINVAL);
	if (!c->size || c->pad || (c->flags & ~known) ||
	    (c->flags & DRM_PANTHOR_BO_NO_MMAP &&
	     c->flags & DRM_PANTHOR_BO_WB_MMAP))
		return fail(EINVAL);
	if (c->exclusive_vm_id &&
	    (c->exclusive_vm_id > MAX_VMS || !f->vms[c->exclusive_vm_id].live))
		return fail(EINVAL);
	for (uint32_t h = 1; h < MAX_BOS; h++) {
		if (f->bos[h])
			continue;
		bo = calloc(1, sizeof(*bo));
		bo->size = (c->size + PG - 1) & ~(PG - 1);
		bo->flags = c->flags;
		bo->excl_vm = c->exclusive_vm_id;
		bo->memfd = memfd_create("fake-bo", 0);
		if (ftruncate(bo->memfd, bo->size))
			return fail(ENOMEM);
		bo->mem = mmap(NULL, bo->size, PROT_READ | PROT_WRITE,
			       MAP_SHARED, bo->memfd, 0);
		bo->refs = 1;
		bo->live_handle = true;
		f->bos[h] = bo;
		c->handle = h;
		c->size = bo->size;
		return 0;
	}
	return fail(ENOMEM);
}

static struct fbo *bo_get(struct ffile *f, uint32_t h)
{
	return h && h < MAX_BOS ? f->bos[h] : NULL;
}

static int vm_bind_op(struct ffile *f, uint32_t vm_id,
		      const struct drm_panthor_vm_bind_op *op, bool check_only)
{
	uint32_t type = op->flags & DRM_PANTHOR_VM_BIND_OP_TYPE_MASK;
	uint32_t mflags = op->flags & ~DRM_PANTHOR_VM_BIND_OP_TYPE_MASK;
	uint32_t known = DRM_PANTHOR_VM_BIND_OP_MAP_READONLY |
			 DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC |
			 DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED |
			 DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE |
			 DRM_PANTHOR_VM_BIND_OP_MAP_REPEAT;
	struct fvm *vm = &f->vms[vm_id];
	bool sparse = mflags & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE;
	bool repeat = mflags & DRM_PANTHOR_VM_BIND_OP_MAP_REPEAT;
	struct fbo *bo = NULL;
	struct fmap *m;

	if ((op->va | op->size | op->bo_offset) & (PG - 1))
		return EINVAL;
	if (op->va + op->size < op->va)
		return EINVAL;
	if (op->syncs.count)
		return EINVAL;
	if (type == DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP) {
		if (mflags || op->bo_handle || op->bo_offset ||
		    op->repeat_range)
			return EINVAL;
		if (op->va + op->size > USER_END)
			return EINVAL;
		if (!check_only && op->size) {
			vm_punch(vm, op->va, op->va + op->size);
			if (vm->resident)
				fake_flush_id_bump();
		}
		return 0;
	}
	/* A synchronous SYNC_ONLY without syncs or range is a no-op. */
	if (type == DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY)
		return mflags || op->bo_handle || op->bo_offset || op->va ||
		       op->size || op->repeat_range ? EINVAL : 0;
	if (type != DRM_PANTHOR_VM_BIND_OP_TYPE_MAP)
		return EINVAL;
	if (mflags & ~known)
		return EINVAL;
	if (op->va + op->size > USER_END)
		return EINVAL;
	if (op->repeat_range && !repeat)
		return EINVAL;
	if (sparse) {
		if (repeat || op->bo_handle || op->bo_offset ||
		    !(mflags & DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC))
			return EINVAL;
	} else {
		bo = bo_get(f, op->bo_handle);
		if (!bo)
			return ENOENT;
		if (bo->excl_vm && bo->excl_vm != vm_id)
			return EINVAL;
		if (repeat) {
			uint64_t r = op->repeat_range;

			if (r < PG || r > (2ULL << 20) || (r & (r - 1)) ||
			    op->va % r || op->bo_offset + r > bo->size)
				return EINVAL;
		} else if (op->size > bo->size ||
			   op->bo_offset > bo->size - op->size) {
			return EINVAL;
		}
	}
	if (vm->unusable)
		return EINVAL;
	if (check_only || !op->size)
		return 0;
	vm_punch(vm, op->va, op->va + op->size);
	if (vm->resident)
		fake_flush_id_bump();
	m = calloc(1, sizeof(*m));
	m->start = op->va;
	m->end = op->va + op->size;
	m->kind = sparse ? K_SPARSE : repeat ? K_REPEAT : K_BO;
	m->bo = bo;
	m->bo_off = op->bo_offset;
	m->range = op->repeat_range;
	m->origin = op->va;
	m->ro = mflags & DRM_PANTHOR_VM_BIND_OP_MAP_READONLY;
	if (bo)
		bo->refs++;
	m->next = vm->maps;
	vm->maps = m;
	return 0;
}

static int vm_bind(struct ffile *f, struct drm_panthor_vm_bind *b)
{
	uint32_t stride = b->ops.stride, n = b->ops.count;
	const uint8_t *arr = (const uint8_t *)(uintptr_t)b->ops.array;
	uint32_t i;
	int err = 0;

	if (!b->vm_id || b->vm_id > MAX_VMS || !f->vms[b->vm_id].live)
		return fail(EINVAL);
	if (b->flags)		/* no async in the fake */
		return fail(EINVAL);
	if (stride < 48 || n > 65536)
		return fail(EINVAL);
	/* Validate everything first, then run. */
	for (i = 0; i < n; i++) {
		struct drm_panthor_vm_bind_op op = { 0 };

		memcpy(&op, arr + (size_t)i * stride,
		       stride < sizeof(op) ? stride : sizeof(op));
		for (uint32_t k = sizeof(op); k < stride && !vbug("stride-tail");
		     k++) {
			if (arr[(size_t)i * stride + k]) {
				b->ops.count = i;
				return fail(E2BIG);
			}
		}
		err = vm_bind_op(f, b->vm_id, &op, true);
		if (err) {
			b->ops.count = i;
			return fail(err);
		}
	}
	for (i = 0; i < n; i++) {
		struct drm_panthor_vm_bind_op op = { 0 };

		memcpy(&op, arr + (size_t)i * stride,
		       stride < sizeof(op) ? stride : sizeof(op));
		vm_bind_op(f, b->vm_id, &op, false);
	}
	return 0;
}

static uint8_t *page_of(struct ffile *f, struct fmap *m, uint64_t a)
{
	uint64_t off;

	if (m->kind == K_SPARSE) {
		if (!f->dummy)
			f->dummy = calloc(1, PG);
		return f->dummy + (a & (PG - 1));
	}
	if (m->kind == K_REPEAT)
		off = m->bo_off + (a - m->origin) % m->range;
	else
		off = m->bo_off + (a - m->start);
	return m->bo->mem + off;
}

static int gpu_access(struct ffile *f, struct drm_panthor_sim_gpu_access *a)
{
	uint8_t *data = (uint8_t *)(uintptr_t)a->data;
	bool write = a->flags & DRM_PANTHOR_SIM_GPU_ACCESS_WRITE;
	struct fvm *vm;

	if (a->flags & ~DRM_PANTHOR_SIM_GPU_ACCESS_WRITE || a->pad ||
	    a->pad2 || !a->size || a->size > (1 << 20))
		return fail(EINVAL);
	if (!a->vm_id || a->vm_id > MAX_VMS || !f->vms[a->vm_id].live)
		return fail(ENOENT);
	vm = &f->vms[a->vm_id];
	if (vm->unusable)
		return fail(EINVAL);
	if (a->data < 4096)
		return fail(EFAULT);
	vm->resident = true;
	a->fault_status = 0;
	a->leaf_log2 = 0;
	/* Fault check first, as the GPU would stop at the first bad page. */
	for (uint64_t p = a->va; p < a->va + a->size; p = (p | (PG - 1)) + 1) {
		struct fmap *m = vm_find(vm, p);

		if (!m || (write && m->ro)) {
			a->fault_status = (m ? 0xc8 | 3 : 0xc0 | fault_level(vm, p)) |
					  ((write ? 3u : 2u) << 8);
			a->fault_address = p;
			vm->unusable = true;
			return 0;
		}
	}
	for (uint64_t i = 0; i < a->size;) {
		uint64_t va = a->va + i;
		uint64_t n = PG - (va & (PG - 1));
		uint8_t *b = page_of(f, vm_find(vm, va), va);

		if (n > a->size - i)
			n = a->size - i;
		if (write)
			memcpy(b, data + i, n);
		else
			memcpy(data + i, b, n);
		i += n;
	}
	/* Every mapping of the model is made of 4 KiB pages. */
	a->leaf_log2 = 12;
	return 0;
}

/* ---- BO ioctls of uAPI 1.4 and 1.7 ------------------------------------ */

/* Whether @n bytes at @p can be read (the fake cannot take a fault). */
static bool readable(const void *p, size_t n)
{
	struct iovec local = { .iov_base = (void *)p, .iov_len = n };
	struct iovec remote = local;
	char buf[4096];

	local.iov_base = buf;
	return n <= sizeof(buf) &&
	       process_vm_readv(getpid(), &local, 1, &remote, 1, 0) ==
	       (ssize_t)n;
}

static int bo_set_label(struct ffile *f, struct drm_panthor_bo_set_label *a)
{
	const char *l = (const char *)(uintptr_t)a->label;

	if (a->pad && !vbug("label-pad-late"))
		return fail(EINVAL);
	if (!bo_get(f, a->handle))
		return fail(ENOENT);
	if (a->pad)
		return fail(EINVAL);
	if (!l)
		return 0;
	/* strndup_user(label, 4096): page by page, up to the NUL. */
	for (size_t i = 0; i < 4096;) {
		size_t n = PG - ((uintptr_t)(l + i) & (PG - 1));

		if (n > 4096 - i)
			n = 4096 - i;
		if (!readable(l + i, n))
			return fail(EFAULT);
		if (memchr(l + i, 0, n))
			return 0;
		i += n;
	}
	return fail(E2BIG);
}

static int bo_query_info(struct ffile *f, struct drm_panthor_bo_query_info *q)
{
	struct fbo *bo = bo_get(f, q->handle);

	if (!bo)
		return fail(ENOENT);
	q->extra_flags = 0;
	q->create_flags = bo->flags;
	q->pad = 0;
	return 0;
}

static int bo_sync(struct ffile *f, struct drm_panthor_bo_sync *s)
{
	const uint8_t *ops = (const uint8_t *)(uintptr_t)s->ops.array;
	struct drm_panthor_bo_sync_op op;

	if (s->ops.stride < sizeof(op) || s->ops.count > 65536)
		return fail(EINVAL);
	for (uint32_t i = 0; i < s->ops.count; i++) {
		struct fbo *bo;

		memcpy(&op, ops + (size_t)i * s->ops.stride, sizeof(op));
		bo = bo_get(f, op.handle);
		if (!bo)
			return fail(ENOENT);
		if (op.type > DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE)
			return fail(EINVAL);
		if (vbug("sync-no-range"))
			continue;
		if (op.offset + op.size < op.offset ||
		    op.offset + op.size > bo->size)
			return fail(EINVAL);
	}
	return 0;
}

/* PRIME import of a fake BO's memfd, in any file: the same BO. */
static int prime_import(struct ffile *f, struct drm_prime_handle *p)
{
	struct stat want, st;
	struct fbo *bo = NULL;

	if (fstat(p->fd, &want))
		return fail(EBADF);
	for (int i = 0; i < MAX_FILES && !bo; i++)
		for (uint32_t h = 1; h < MAX_BOS && !bo; h++)
			if (files[i].bos[h] &&
			    !fstat(files[i].bos[h]->memfd, &st) &&
			    st.st_ino == want.st_ino && st.st_dev == want.st_dev)
				bo = files[i].bos[h];
	if (!bo)
		return fail(EINVAL);
	for (uint32_t h = 1; h < MAX_BOS; h++) {
		if (f->bos[h] == bo) {
			p->handle = h;
			return 0;
		}
	}
	for (uint32_t h = 1; h < MAX_BOS; h++) {
		if (!f->bos[h]) {
			f->bos[h] = bo;
			bo->refs++;
			p->handle = h;
			return 0;
		}
	}
	return fail(ENOMEM);
}

/* Return 1 and set *ret when @req is a VM-model ioctl. */
int fake_vm_ioctl(int slot, unsigned long req, void *arg, int *ret);
int fake_vm_ioctl(int slot, unsigned long req, void *arg, int *ret)
{
	struct ffile *f = &files[slot];

	switch (req) {
	case DRM_IOCTL_PANTHOR_VM_CREATE: {
		struct drm_panthor_vm_create *c = arg;
		uint64_t full = 1ULL << VA_BITS, user = c->user_va_range;
		uint64_t k;

		*ret = 0;
		if (c->flags || user > full - (256ULL << 20)) {
			*ret = fail(EINVAL);
			return 1;
		}
		if (!user)
			user = full / 2;
		k = full - user;
		while (k & (k - 1))
			k &= k - 1;
		for (uint32_t id = 1; id <= MAX_VMS; id++) {
			if (f->vms[id].live)
				continue;
			f->vms[id].live = true;
			f->vms[id].unusable = false;
			f->vms[id].resident = false;
			c->id = id;
			c->user_va_range = full - k;
			return 1;
		}
		*ret = fail(EBUSY);
		return 1;
	}
	case DRM_IOCTL_PANTHOR_VM_DESTROY: {
		struct drm_panthor_vm_destroy *d = arg;

		if (d->pad || !d->id || d->id > MAX_VMS || !f->vms[d->id].live) {
			*ret = fail(EINVAL);
			return 1;
		}
		vm_punch(&f->vms[d->id], 0, ~0ULL);
		f->vms[d->id].live = false;
		*ret = 0;
		return 1;
	}
	case DRM_IOCTL_PANTHOR_VM_GET_STATE: {
		struct drm_panthor_vm_get_state *s = arg;

		if (!s->vm_id || s->vm_id > MAX_VMS || !f->vms[s->vm_id].live) {
			*ret = fail(EINVAL);
			return 1;
		}
		s->state = f->vms[s->vm_id].unusable;
		*ret = 0;
		return 1;
	}
	case DRM_IOCTL_PANTHOR_VM_BIND:
		*ret = vm_bind(f, arg);
		return 1;
	case DRM_IOCTL_PANTHOR_BO_CREATE:
		*ret = bo_create(f, arg);
		return 1;
	case DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET: {
		struct drm_panthor_bo_mmap_offset *o = arg;
		struct fbo *bo = bo_get(f, o->handle);

		if (!bo)
			*ret = fail(ENOENT);
		else if (o->pad)
			*ret = fail(EINVAL);
		else if (bo->flags & DRM_PANTHOR_BO_NO_MMAP)
			*ret = fail(EPERM);
		else
			o->offset = (uint64_t)o->handle << 32, *ret = 0;
		return 1;
	}
	case DRM_IOCTL_GEM_CLOSE: {
		struct drm_gem_close *c = arg;
		struct fbo *bo = bo_get(f, c->handle);

		if (!bo) {
			*ret = fail(EINVAL);
			return 1;
		}
		f->bos[c->handle] = NULL;
		bo_put(bo);
		*ret = 0;
		return 1;
	}
	case DRM_IOCTL_PRIME_HANDLE_TO_FD: {
		struct drm_prime_handle *p = arg;
		struct fbo *bo = bo_get(f, p->handle);

		if (!bo)
			*ret = fail(ENOENT);
		else if (bo->excl_vm)
			*ret = fail(EINVAL);
		else
			p->fd = dup(bo->memfd), *ret = 0;
		return 1;
	}
	case DRM_IOCTL_PRIME_FD_TO_HANDLE:
		*ret = prime_import(f, arg);
		return 1;
	case DRM_IOCTL_PANTHOR_BO_SET_LABEL:
		*ret = bo_set_label(f, arg);
		return 1;
	case DRM_IOCTL_PANTHOR_BO_QUERY_INFO:
		*ret = bo_query_info(f, arg);
		return 1;
	case DRM_IOCTL_PANTHOR_BO_SYNC:
		*ret = bo_sync(f, arg);
		return 1;
	case DRM_IOCTL_SYNCOBJ_CREATE:
		((struct drm_syncobj_create *)arg)->handle = ++f->next_syncobj;
		*ret = 0;
		return 1;
	case DRM_IOCTL_SYNCOBJ_DESTROY:
		*ret = 0;
		return 1;
	case DRM_IOCTL_PANTHOR_SIM_GPU_ACCESS:
		*ret = gpu_access(f, arg);
		return 1;
	}
	return 0;
}

/* The BO behind an mmap offset, as a memfd to map; -1 if none. */
int fake_vm_mmap_fd(int slot, uint64_t offset);
int fake_vm_mmap_fd(int slot, uint64_t offset)
{
	struct fbo *bo = bo_get(&files[slot], offset >> 32);

	if (!bo || (offset & 0xffffffffULL) ||
	    bo->flags & DRM_PANTHOR_BO_NO_MMAP)
		return -1;
	return bo->memfd;
}
