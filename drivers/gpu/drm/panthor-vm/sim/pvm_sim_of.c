// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-vm authors
 */

#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/platform_device.h>

#include "pvm_sim_priv.h"

/**
 * DOC: Software GPU behind a device-tree GPU node
 *
 * For a driver that finds its GPU in the device tree (upstream panthor,
 * in the "upstream" UML kernel booted with scripts/dts/panthor-sim.dts),
 * the software GPU binds to a ``panthor-vm,software-gpu`` node instead of
 * registering a platform device of its own for the driver:
 *
 * - its ``gpu`` property points at the GPU node, whose ``reg`` must be
 *   the register window the model gets (the first one,
 *   %PVM_SIM_MMIO_BASE, when it is the only software GPU);
 * - its child nodes ``irq-gpu``, ``irq-mmu`` and ``irq-job`` are
 *   interrupt controllers with one line each (``#interrupt-cells = <1>``,
 *   cell 0): the irq domains of the model's lines take their fwnodes, so
 *   the GPU node's ``interrupts-extended`` resolves to them, and
 *   fw_devlink holds the GPU driver back until the model has bound.
 *
 * The model has no system MMU in this set-up (the GPU driver maps memory
 * with its own device, so bus addresses are physical).
 * With such a node in the device tree no boot software GPU is created for
 * panthor-vm.
 */

/* Child nodes of the model's node, one interrupt controller per line. */
static const char *const pvm_sim_of_lines[PVM_SIM_NR_IRQS] = {
	[PVM_SIM_IRQ_GPU] = "irq-gpu",
	[PVM_SIM_IRQ_MMU] = "irq-mmu",
	[PVM_SIM_IRQ_JOB] = "irq-job",
};

#define PVM_SIM_OF_DEVICE_NAME	"panthor-vm-sim-dt"

struct pvm_sim_of {
	struct pvm_sim *sim;
	struct device_node *lines[PVM_SIM_NR_IRQS];
};

static void pvm_sim_of_put_nodes(struct pvm_sim_of *so)
{
	int i;

	for (i = 0; i < PVM_SIM_NR_IRQS; i++)
		of_node_put(so->lines[i]);
}

static int pvm_sim_of_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct pvm_sim_config cfg;
	struct device_node *gpu;
	struct pvm_sim_of *so;
	struct resource res;
	int i, ret;

	so = devm_kzalloc(dev, sizeof(*so), GFP_KERNEL);
	if (!so)
		return -ENOMEM;

	gpu = of_parse_phandle(dev->of_node, "gpu", 0);
	if (!gpu)
		return dev_err_probe(dev, -EINVAL, "no \"gpu\" phandle\n");
	ret = of_address_to_resource(gpu, 0, &res);
	of_node_put(gpu);
	if (ret)
		return dev_err_probe(dev, ret, "GPU node without reg\n");

	pvm_sim_boot_config(&cfg);
	cfg.smmu = false;
	cfg.noncoherent = false;
	ret = -EINVAL;
	for (i = 0; i < PVM_SIM_NR_IRQS; i++) {
		so->lines[i] = of_get_child_by_name(dev->of_node,
						    pvm_sim_of_lines[i]);
		if (!so->lines[i]) {
			dev_err(dev, "no %s node\n", pvm_sim_of_lines[i]);
			goto err_put;
		}
		cfg.irq_fwnode[i] = of_fwnode_handle(so->lines[i]);
	}
	so->sim = pvm_sim_create(&cfg, PVM_SIM_OF_DEVICE_NAME);
	if (IS_ERR(so->sim)) {
		ret = PTR_ERR(so->sim);
		goto err_put;
	}
	if (res.start != so->sim->mmio.start ||
	    resource_size(&res) > resource_size(&so->sim->mmio)) {
		dev_err(dev, "GPU reg %pR is not the model's window %pR\n",
			&res, &so->sim->mmio);
		ret = -EINVAL;
		goto err_sim;
	}
	pvm_sim_debugfs_init(so->sim);
	platform_set_drvdata(pdev, so);
	dev_info(dev, "software GPU (profile %u) at %pR\n", cfg.profile,
		 &so->sim->mmio);
	return 0;

err_sim:
	pvm_sim_destroy(so->sim);
err_put:
	pvm_sim_of_put_nodes(so);
	return ret;
}

static const struct of_device_id pvm_sim_of_match[] = {
	{ .compatible = "panthor-vm,software-gpu" },
	{}
};

/* Built in and never unbound: logic_iomem regions cannot be removed. */
static struct platform_driver pvm_sim_of_driver = {
	.probe = pvm_sim_of_probe,
	.driver = {
		.name = "panthor-vm-sim-of",
		.of_match_table = pvm_sim_of_match,
		.suppress_bind_attrs = true,
	},
};
builtin_platform_driver(pvm_sim_of_driver);

/**
 * pvm_sim_of_present() - whether the device tree has a software GPU node
 *
 * Return: true if a ``panthor-vm,software-gpu`` node exists.
 */
bool pvm_sim_of_present(void)
{
	struct device_node *np;
	bool found;

	np = of_find_compatible_node(NULL, NULL, "panthor-vm,software-gpu");
	found = np;
	of_node_put(np);
	return found;
}
