// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * In-VM check of the model's MSI-X path through QEMU: binds the first
 * 1d0f:7064 function, enables all MSI-X vectors, then
 *  - sends one FWIO READ and expects vector 0 (firmware),
 *  - runs one UDMA copy whose S2M descriptor has the interrupt bit, with
 *    primary IOFIC group A unmasked, and expects the engine's vector.
 * Results go to the kernel log as "nemu_msix: ok|not ok NAME".
 * Not a driver: test code for emu/tests/vm-msix only.
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/unaligned.h>

#include "../../../hw/v1/address_map.h"
#include "../../../hw/v1/fwio_regs.h"
#include "../../../hw/v1/iofic_regs.h"
#include "../../../hw/model/msix.h"
#include "../../../hw/v1/udma_regs.h"

static atomic_t hits[NEURON_MSIX_VECTORS];

static irqreturn_t on_irq(int irq, void *data)
{
	atomic_inc(&hits[(long)data]);
	return IRQ_HANDLED;
}

static void report(bool ok, const char *name)
{
	pr_info("nemu_msix: %s %s\n", ok ? "ok" : "not ok", name);
}

static bool wait_hit(unsigned int vec)
{
	for (int i = 0; i < 1000 && !atomic_read(&hits[vec]); i++)
		msleep(1);
	return atomic_read(&hits[vec]) > 0;
}

/* CRC-32C, bitwise: this is test code, speed does not matter. */
static u32 crc32c_sw(const u8 *p, size_t n)
{
	u32 c = FWIO_CRC32C_INIT;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? (c >> 1) ^ FWIO_CRC32C_POLY : c >> 1;
	}
	return c ^ FWIO_CRC32C_XOROUT;
}

static int nemu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	const unsigned int eng = V1_ENG_ID(0, V1_H2T_ENGINE), q = V1_H2T_QUEUE;
	void __iomem *bar0, *e;
	dma_addr_t pa;
	u8 *buf;
	int n, ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	pci_set_master(pdev);
	bar0 = pcim_iomap(pdev, 0, 0);
	if (!bar0 || dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(46)))
		return -ENOMEM;
	n = pci_alloc_irq_vectors(pdev, NEURON_MSIX_VECTORS, NEURON_MSIX_VECTORS, PCI_IRQ_MSIX);
	report(n == NEURON_MSIX_VECTORS, "msix-vectors");
	if (n != NEURON_MSIX_VECTORS)
		return n < 0 ? n : -ENODEV;
	for (long v = 0; v < NEURON_MSIX_VECTORS; v++) {
		ret = devm_request_irq(&pdev->dev, pci_irq_vector(pdev, v), on_irq, 0, "nemu_msix",
				       (void *)v);
		if (ret)
			return ret;
	}
	buf = dmam_alloc_coherent(&pdev->dev, 0x4000, &pa, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	/* FWIO READ of misc 0x24: request at +0, response at +0x1000. */
	iowrite32(0x42, bar0 + V1_MISC_RAM_OFFSET + MISC_DEVICE_ID);
	buf[0] = 1;
	buf[1] = FWIO_CMD_READ;
	put_unaligned_le16(16, buf + 2);
	put_unaligned_le32(0, buf + 4);
	put_unaligned_le64(V1_MISC_DEV_ADDR(MISC_DEVICE_ID), buf + 8);
	put_unaligned_le32(crc32c_sw(buf, 16), buf + 4);
	buf[0x1000] = 0;
	iowrite32(upper_32_bits(pa | V1_HOST_PREFIX), bar0 + V1_MISC_RAM_OFFSET + MISC_REQ_ADDR_HI);
	iowrite32(lower_32_bits(pa), bar0 + V1_MISC_RAM_OFFSET + MISC_REQ_ADDR_LO);
	iowrite32(upper_32_bits((pa + 0x1000) | V1_HOST_PREFIX),
		  bar0 + V1_MISC_RAM_OFFSET + MISC_RESP_ADDR_HI);
	iowrite32(lower_32_bits(pa + 0x1000), bar0 + V1_MISC_RAM_OFFSET + MISC_RESP_ADDR_LO);
	wmb();
	iowrite32(1, bar0 + V1_MISC_RAM_OFFSET + MISC_DOORBELL);
	report(wait_hit(NEURON_MSIX_VEC_FWIO), "fwio-vector-0");
	report(READ_ONCE(buf[0x1000]) == 1 && get_unaligned_le32(buf + 0x1004) == 0x42,
	       "fwio-response");

	/* One UDMA copy, interrupt bit on the S2M descriptor. */
	e = bar0 + V1_UDMA_OFFSET(0, V1_H2T_ENGINE);
	iowrite32(UDMA_Q_CFG_RESET_VALUE | UDMA_Q_CFG_ENABLE, e + UDMA_M2S_Q(q) + UDMA_Q_CFG);
	iowrite32(UDMA_Q_CFG_RESET_VALUE | UDMA_Q_CFG_ENABLE, e + UDMA_S2M_Q(q) + UDMA_Q_CFG);
	iowrite32(0, e + IOFIC_GROUP(IOFIC_PRIMARY, IOFIC_GRP_A) + IOFIC_MASK_CLEAR);
	iowrite32(UDMA_Q_SW_CTRL_RST_Q, e + UDMA_M2S_Q(q) + UDMA_M2S_Q_SW_CTRL);
	iowrite32(UDMA_Q_SW_CTRL_RST_Q, e + UDMA_S2M_Q(q) + UDMA_S2M_Q_SW_CTRL);
	iowrite32(lower_32_bits(pa + 0x2000), e + UDMA_M2S_Q(q) + UDMA_Q_RING_BASE_LO);
	iowrite32(upper_32_bits((pa + 0x2000) | V1_HOST_PREFIX), e + UDMA_M2S_Q(q) + UDMA_Q_RING_BASE_HI);
	iowrite32(32, e + UDMA_M2S_Q(q) + UDMA_Q_RING_LEN);
	iowrite32(lower_32_bits(pa + 0x2800), e + UDMA_S2M_Q(q) + UDMA_Q_RING_BASE_LO);
	iowrite32(upper_32_bits((pa + 0x2800) | V1_HOST_PREFIX), e + UDMA_S2M_Q(q) + UDMA_Q_RING_BASE_HI);
	iowrite32(32, e + UDMA_S2M_Q(q) + UDMA_Q_RING_LEN);
	memset(buf + 0x3000, 0x5a, 64);
	put_unaligned_le32(64 | UDMA_DESC_FIRST | UDMA_DESC_LAST | 1u << UDMA_DESC_RING_ID_SHIFT,
			   buf + 0x2000);
	put_unaligned_le32(UDMA_M2S_META_COPY, buf + 0x2004);
	put_unaligned_le64((pa + 0x3000) | V1_HOST_PREFIX, buf + 0x2008);
	put_unaligned_le32(64 | UDMA_DESC_INTERRUPT | 1u << UDMA_DESC_RING_ID_SHIFT, buf + 0x2800);
	put_unaligned_le64((pa + 0x3800) | V1_HOST_PREFIX, buf + 0x2808);
	wmb();
	iowrite32(1, e + UDMA_S2M_Q(q) + UDMA_Q_TAIL_INC);
	iowrite32(1, e + UDMA_M2S_Q(q) + UDMA_Q_TAIL_INC);
	report(wait_hit(NEURON_MSIX_VEC_ENGINE(eng)), "udma-engine-vector");
	report(!memcmp(buf + 0x3800, buf + 0x3000, 64), "udma-data");
	for (int v = 0; v < NEURON_MSIX_VECTORS; v++)
		if (atomic_read(&hits[v]))
			pr_info("nemu_msix: vector %d: %d\n", v, atomic_read(&hits[v]));
	return 0;
}

static void nemu_remove(struct pci_dev *pdev)
{
	pci_free_irq_vectors(pdev);
}

static const struct pci_device_id nemu_ids[] = {
	{ PCI_DEVICE(V1_PCI_VENDOR_AMAZON, V1_PCI_DEVICE_ID0) },
	{ }
};

static struct pci_driver nemu_driver = {
	.name = "nemu_msix",
	.id_table = nemu_ids,
	.probe = nemu_probe,
	.remove = nemu_remove,
};
module_pci_driver(nemu_driver);

MODULE_DESCRIPTION("neuron-emu MSI-X check (test code)");
MODULE_LICENSE("Dual MIT/GPL");
