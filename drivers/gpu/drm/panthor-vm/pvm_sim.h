/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-vm authors
 */
#ifndef __PVM_SIM_H__
#define __PVM_SIM_H__

#include <linux/types.h>

struct pvm_sim;
struct seq_file;

/* Name of the software GPU's platform device. */
#define PVM_SIM_DEVICE_NAME "panthor-vm-sim"

#if IS_ENABLED(CONFIG_DRM_PANTHOR_VM_SIM)
int pvm_sim_register(void);
void pvm_sim_unregister(void);
#else
static inline int pvm_sim_register(void) { return 0; }
static inline void pvm_sim_unregister(void) { }
#endif

int pvm_sim_gpu_access(struct pvm_sim *sim, u32 as, u64 va, void *buf,
		       size_t size, bool write, u32 *fault_status,
		       u64 *fault_address);
void pvm_sim_stats_show(struct pvm_sim *sim, struct seq_file *m);
void pvm_sim_stats_reset(struct pvm_sim *sim);

#endif /* __PVM_SIM_H__ */
