/*
 * irq.h - how a driver claims an interrupt line: one API over whichever
 * interrupt controller the machine gives us.
 *
 * irq_init (once, at boot, interrupts off) picks the controller:
 *   APIC mode  the MADT lists IOAPICs and the CPU has a local APIC: the
 *              8259 PICs are remapped and masked for good, each claimed
 *              line gets a vector of its own from VEC_IRQ_BASE..VEC_IRQ_LAST
 *              (0x30..0xEF, idt.h) and its IOAPIC entry is programmed with
 *              the MADT's override for it (an ISA IRQ may arrive on another
 *              GSI, active low or level triggered; QEMU sends the PIT's IRQ
 *              0 to GSI 2);
 *   PIC mode   no MADT (acpi_get() == NULL), no local APIC, or "noapic" on
 *              the command line: ISA IRQ n arrives on vector 0x20 + n
 *              (VEC_PIC_BASE) through the remapped 8259s; GSIs above 15
 *              cannot be claimed.
 * Vectors 0x20..0x2F belong to the PICs, 0xF0..0xFE to the local APIC's
 * own sources (timer, IPIs), 0xFF is its spurious vector.
 *
 * Vectors are per CPU: each CPU has its own table of 0x20..0xEF, so the
 * same vector number may serve one device on CPU 0 and another on CPU 1
 * (an NVMe queue per CPU takes one vector on each, not n of one space).
 * IOAPIC and PIC lines are delivered to the boot CPU (cpu 0);
 * message-signalled vectors (MSI, MSI-X: irq_alloc_msi) to the CPU the
 * caller chose, and to another when that one goes offline (below). Every
 * vector comes from this one allocator.
 *
 * A claimed line runs fn(ctx) with interrupts off, on the interrupted
 * stack; the end of interrupt is sent after fn returns (so a level-
 * triggered device the handler has quietened does not fire again). A line
 * has one owner, unless every claim of it says IRQ_GSI_SHARED (a PCI INTx
 * line, which several functions may drive): then each claim's handler runs
 * on every interrupt of the line, and must check its own device. Any other
 * second claim on the same ISA IRQ or GSI is refused. irq_register_*
 * and irq_alloc_msi give handles >= 0 (not vectors: irq_vector_of says
 * which) or an IRQ_ERR_*; irq_release(handle) frees one: the last handler
 * of a line masks it.
 */
#pragma once

#include <stdint.h>

typedef void irq_handler_fn(void *ctx);

enum irq_mode { IRQ_MODE_NONE, IRQ_MODE_PIC, IRQ_MODE_APIC };

#define IRQ_ERR_BUSY        (-1)    /* the line has an owner */
#define IRQ_ERR_RANGE       (-2)    /* no controller serves that line */
#define IRQ_ERR_NO_VECTOR   (-3)    /* 0x30..0xEF all taken (on that CPU) */
#define IRQ_ERR_NOT_READY   (-4)    /* before irq_init */

#define IRQ_ISA_LINES       16

/* GSI polarity and trigger for irq_register_gsi (ISA lines take theirs from the MADT). */
#define IRQ_GSI_ACTIVE_LOW  1
#define IRQ_GSI_LEVEL       2
#define IRQ_GSI_SHARED      4       /* others may claim the line with the same flags */

#define IRQ_MAX_HANDLES     256     /* claims and message vectors alive at once */
#define IRQ_MSI_MAX_BLOCK   32      /* vectors of one irq_alloc_msi (MSI's limit) */

/* Choose the controller and set it up; force_pic: "noapic" was asked for. */
enum irq_mode irq_init(int force_pic);
enum irq_mode irq_mode(void);

/* Claim ISA IRQ 0..15 (through its MADT override in APIC mode). */
int irq_register_isa(unsigned isa_irq, irq_handler_fn *fn, void *ctx);
/* Claim a GSI with explicit wiring (APIC mode; in PIC mode only 0..15). */
int irq_register_gsi(uint32_t gsi, unsigned gsi_flags, irq_handler_fn *fn, void *ctx);
/*
 * A PCI INTx line as the firmware wrote it in the function's Interrupt
 * Line register (there is no AML interpreter to read the _PRT): in APIC
 * mode the ISA IRQ of that number through the MADT's override when it has
 * one (QEMU's say IRQs 5, 9, 10, 11 are level, active high), else the GSI
 * of that number, level, active low (PCI's wiring); in PIC mode the ISA
 * IRQ. Always shared.
 */
int irq_register_intx(uint8_t line, irq_handler_fn *fn, void *ctx);
/*
 * `count` message-signalled vectors (a power of two up to
 * IRQ_MSI_MAX_BLOCK) on CPU `cpu`, consecutive and aligned to `count` (as
 * multiple-message MSI needs: the device sets the low bits of the vector);
 * their handles in handles[0..count-1], in vector order. No handler yet:
 * irq_set_handler gives it; an interrupt before that is counted and ended.
 * 0 or an IRQ_ERR_*.
 */
int irq_alloc_msi(unsigned cpu, unsigned count, int *handles);
/*
 * What a device writes to raise a message vector: to *address (the local
 * APIC's window 0xFEE00000 with the destination APIC ID in bits 19:12,
 * physical mode; Intel SDM vol. 3A, 10.11.1) the value *data (the vector,
 * fixed delivery, edge; 10.11.2). The same for xAPIC and x2APIC: IDs above
 * 255 would need interrupt remapping, and irq_msi_cpu never picks them.
 * 0, or IRQ_ERR_RANGE for a handle that is not a message vector.
 */
int irq_msi_message(int handle, uint64_t *address, uint32_t *data);
/* CPU n mod the CPUs online, skipping any a message cannot reach or that is offline: where to spread vector n. */
unsigned irq_msi_cpu(unsigned n);
/* Give (or change) a handle's handler: fn(ctx) from the next interrupt on. */
void irq_set_handler(int handle, irq_handler_fn *fn, void *ctx);
void irq_release(int handle);

/* The vector and the CPU a handle's interrupts arrive on, or -1. */
int irq_vector_of(int handle);
int irq_cpu_of(int handle);

/* Interrupts a handle has received (spurious ones not counted); still answered
 * after irq_release, until the handle is given again. */
uint64_t irq_count(int handle);
/* Interrupts with a handler that CPU cpu has served (lines and message vectors). */
uint64_t irq_cpu_count(unsigned cpu);

/*
 * Moving message vectors when a CPU goes offline (kernel/arch/x86_64/
 * smp_offline.c calls irq_cpu_leave on that CPU, in a thread, interrupts
 * on). Each block of message vectors on the CPU is moved by its owner,
 * the mover given with irq_set_mover for the block's first handle
 * (drivers/pci/pci_irq.c: the function's MSI or one MSI-X entry):
 *   1. irq_msi_move_begin(handles, count, flags): the block gets vectors
 *      on the least loaded other active CPU; the handles keep their
 *      numbers, counts and handlers, and irq_msi_message now composes the
 *      new message. A ghost stays at each old vector and runs the handler
 *      for what still arrives there. With IRQ_MOVE_TWO_STEP (a device
 *      that cannot be masked, so writes its data and its address one after
 *      the other): the same vector numbers when the new CPU has them free,
 *      else numbers free on both CPUs, and a second ghost at (old CPU, new
 *      vector), so the half-written message (new data, old address) is
 *      served too. Returns the new CPU, or an IRQ_ERR_*.
 *   2. the owner rewrites the device (masked while it does, or data then
 *      address) and reads it back: from then on it sends the new message;
 *   3. irq_msi_move_end(handles, count), on the old CPU with interrupts
 *      on: waits until no message for an old vector is pending in this
 *      CPU's local APIC (IRR), so each one sent before the rewrite has
 *      been handled, then frees the ghosts.
 * A block with no mover, or no room elsewhere, stays (logged). Returns
 * how many vectors moved. New allocations skip an offline CPU
 * (irq_msi_cpu); moved vectors do not come back when it returns.
 */
typedef void irq_mover_fn(void *ctx, int handle);
#define IRQ_MOVE_TWO_STEP   1
void irq_set_mover(int handle, irq_mover_fn *fn, void *ctx);
int irq_msi_move_begin(const int *handles, unsigned count, unsigned flags);
void irq_msi_move_end(const int *handles, unsigned count);
unsigned irq_cpu_leave(unsigned cpu);
/* The GSI (APIC mode) or ISA IRQ (PIC mode) behind a handle, or -1 (none, or a message vector). */
int64_t irq_line_of(int handle);
