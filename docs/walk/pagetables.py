# pagetables.py - a gdb command that prints the 4-level page-table tree CR3
# points to, read from physical memory, with ranges merged.
#
# Use it from gdb attached to QEMU's gdb stub (make debug-bios, make walk-bios):
#   (gdb) source docs/walk/pagetables.py
#   (gdb) pagetables             the tree of the current CR3
#   (gdb) pagetables 0x24d000    the tree of another PML4 (a physical address)
# `make pagetables-bios` boots build/bios.img and writes the dump of both
# trees Tessera builds (stage2's at the kernel's entry, the kernel's own once
# kmain has its memory) to build/pagetables-bios.txt (docs/paging.md).
#
# How it reads: the tables hold physical addresses, and gdb reads virtual
# ones, through the guest's current page tables. QEMU's stub has a physical
# mode (the packet Qqemu.PhyMemMode:1); the command switches it on for the
# walk and off again. Without it (another stub) it gives up rather than
# guess.
#
# What it prints (Intel SDM vol. 3A, 4.5 "4-Level Paging"): one line per
# table entry that points to a table, indented by level, and under the last
# table level the mappings, merged: neighbouring pages whose virtual and
# physical addresses both follow on, of one size and the same rights, are one
# line. Sibling entries whose tables hold only mappings are one line too
# ("PDPT[0..3] -> 4 PDs"), and so are empty sibling tables. A table two
# entries share is shown once. Rights are those the CPU applies: the AND of
# R/W and U/S over every level, NX if any level sets it (SDM 3A, 4.6 "Access
# Rights"); the cache type is the PAT entry that PWT, PCD and PAT select,
# named as the kernel programs IA32_PAT (kernel/arch/x86_64/paging.h,
# PAT_VALUE; before the kernel runs, entries 0..3 mean the same).

import gdb

PTE_P, PTE_W, PTE_U, PTE_PWT, PTE_PCD = 1 << 0, 1 << 1, 1 << 2, 1 << 3, 1 << 4
PTE_PS, PTE_PAT_4K, PTE_G, PTE_PAT_LARGE = 1 << 7, 1 << 7, 1 << 8, 1 << 12
PTE_NX = 1 << 63
ADDR_MASK = 0x000FFFFFFFFFF000
LEVELS = ("PT", "PD", "PDPT", "PML4")       # index = level: 0 PT .. 3 PML4
PAGE_NAMES = {0: "4K", 1: "2M", 2: "1G"}
PAT_NAMES = ("WB", "WT", "UC-", "UC", "WC", "WT", "UC-", "UC")


def canonical(va):
    """Sign-extend bit 47 (addresses from PML4[256] up are 0xffff8...)."""
    return va | 0xFFFF000000000000 if va & (1 << 47) else va


class PhysReader:
    """Reads whole tables from physical memory through QEMU's gdb stub."""

    def __init__(self):
        self.inferior = gdb.selected_inferior()
        self.cache = {}

    def __enter__(self):
        reply = gdb.execute("maint packet Qqemu.PhyMemMode:1", to_string=True)
        if "OK" not in reply:
            raise gdb.GdbError("pagetables: this gdb stub cannot read physical memory "
                               "(Qqemu.PhyMemMode: %s)" % reply.strip())
        gdb.execute("maint flush dcache", to_string=True)
        return self

    def __exit__(self, *exc):
        gdb.execute("maint packet Qqemu.PhyMemMode:0", to_string=True)
        gdb.execute("maint flush dcache", to_string=True)

    def table(self, phys):
        if phys not in self.cache:
            raw = bytes(self.inferior.read_memory(phys, 4096))
            self.cache[phys] = [int.from_bytes(raw[i:i + 8], "little") for i in range(0, 4096, 8)]
        return self.cache[phys]


class Rights:
    """What the levels so far allow: writable, user, executable."""

    def __init__(self, w=True, u=True, x=True):
        self.w, self.u, self.x = w, u, x

    def through(self, entry):
        return Rights(self.w and bool(entry & PTE_W), self.u and bool(entry & PTE_U),
                      self.x and not entry & PTE_NX)


def leaf_attrs(entry, level, rights):
    """The text that must match for two pages to merge: size, rights, cache."""
    r = rights.through(entry)
    pat_bit = PTE_PAT_4K if level == 0 else PTE_PAT_LARGE
    pat = (1 if entry & PTE_PWT else 0) | (2 if entry & PTE_PCD else 0) | (4 if entry & pat_bit else 0)
    flags = "R" + ("W" if r.w else "-") + ("X" if r.x else "-")
    flags += " user" if r.u else ""
    flags += " global" if entry & PTE_G else ""
    return PAGE_NAMES[level], flags + " " + PAT_NAMES[pat]


class Run:
    """Pages that follow on in virtual and physical memory, alike."""

    def __init__(self, va, pa, size, attrs):
        self.va, self.pa, self.size, self.attrs, self.count = va, pa, size, attrs, 1

    def extend(self, other):
        end = self.size * self.count
        if (other.attrs == self.attrs and other.size == self.size and
                other.va == self.va + end and other.pa == self.pa + end):
            self.count += other.count
            return True
        return False

    def line(self, indent):
        end = self.va + self.size * self.count - 1
        return "%s%016x-%016x -> %#x  %d x %s  %s" % (
            "  " * indent, canonical(self.va), canonical(end), self.pa, self.count,
            self.attrs[0], self.attrs[1])


def merge_alike(items, kind, join):
    """Items in order; one of `kind` after another of `kind` is folded into it
    when join(previous, item) accepts it (Run.extend, Node.absorb)."""
    out = []
    for item in items:
        if isinstance(item, kind) and out and isinstance(out[-1], kind) and join(out[-1], item):
            continue
        out.append(item)
    return out


class Walker:
    """Walks one tree; keeps which tables were seen and how many per level."""

    def __init__(self, reader):
        self.reader = reader
        self.seen = {}                      # table address -> who points to it
        self.counts = [0, 0, 0, 0]

    def node(self, phys, level, va_base, rights, name):
        """One table: its present entries as Runs, Nodes and Shared, merged."""
        self.seen[phys] = name
        self.counts[level] += 1
        items = []
        table = self.reader.table(phys)
        for i, e in enumerate(table):
            if not e & PTE_P:
                continue
            va = va_base + (i << (12 + 9 * level))
            sub = e & ADDR_MASK
            if level == 0 or (level < 3 and e & PTE_PS):
                pa = e & (ADDR_MASK if level == 0 else ADDR_MASK & ~PTE_PAT_LARGE)
                items.append(Run(va, pa, 1 << (12 + 9 * level), leaf_attrs(e, level, rights)))
            elif sub in self.seen:
                items.append(Shared(i, level, va, sub, self.seen[sub]))
            else:
                child = "%s[%d]" % (LEVELS[level], i)
                items.append(Node(i, level, va, sub, self.node(sub, level - 1, va, rights.through(e), child)))
        return merge_alike(merge_alike(items, Run, Run.extend), Node, Node.absorb)


class Node:
    """Entries first..last of a table, each pointing to a table below."""

    def __init__(self, index, level, va, table, items):
        self.first = self.last = index
        self.level, self.va, self.tables, self.items = level, va, [table], items

    def leaves_only(self):
        return all(isinstance(i, Run) for i in self.items)

    def absorb(self, other):
        """Take the next sibling when both hold only mappings (or both none)."""
        if (other.first != self.last + 1 or not self.leaves_only() or not other.leaves_only() or
                bool(self.items) != bool(other.items)):
            return False
        self.last = other.first
        self.tables += other.tables
        self.items = merge_alike(self.items + other.items, Run, Run.extend)
        return True

    def lines(self, indent):
        below = LEVELS[self.level - 1]
        idx = "%d" % self.first if self.first == self.last else "%d..%d" % (self.first, self.last)
        n = len(self.tables)
        if n == 1:
            what = "%s %#x" % (below, self.tables[0])
        elif all(b - a == 4096 for a, b in zip(self.tables, self.tables[1:])):
            what = "%d %ss %#x..%#x" % (n, below, self.tables[0], self.tables[-1])
        else:
            what = "%d %ss %#x, ..." % (n, below, self.tables[0])
        head = "%s%s[%s]" % ("  " * indent, LEVELS[self.level], idx)
        out = ["%-22s %016x -> %s%s" % (head, canonical(self.va), what, "" if self.items else ", empty")]
        for item in self.items:
            out += item.lines(indent + 1) if isinstance(item, (Node, Shared)) else [item.line(indent + 1)]
        return out


class Shared:
    """An entry pointing to a table already shown."""

    def __init__(self, index, level, va, table, owner):
        self.index, self.level, self.va, self.table, self.owner = index, level, va, table, owner

    def lines(self, indent):
        head = "%s%s[%d]" % ("  " * indent, LEVELS[self.level], self.index)
        return ["%-22s %016x -> %s %#x, the table of %s (shown above)" % (
            head, canonical(self.va), LEVELS[self.level - 1], self.table, self.owner)]


class PageTables(gdb.Command):
    """pagetables [PML4]: the 4-level page-table tree of CR3 (or of the PML4 at
physical address PML4), read from physical memory, ranges merged (docs/walk/pagetables.py)."""

    def __init__(self):
        super().__init__("pagetables", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        cr3 = int(gdb.parse_and_eval(arg if arg.strip() else "$cr3")) & 0xFFFFFFFFFFFFFFFF
        pml4 = cr3 & ADDR_MASK
        with PhysReader() as reader:
            walker = Walker(reader)
            items = walker.node(pml4, 3, 0, Rights(), "PML4")
        print("%s %#x: PML4 at %#x" % ("root" if arg.strip() else "CR3", cr3, pml4))
        for item in items:
            for line in (item.lines(0) if isinstance(item, (Node, Shared)) else [item.line(0)]):
                print(line)
        c = walker.counts
        print("tables: %d PML4, %d PDPT, %d PD, %d PT = %d (%d KiB)" % (
            c[3], c[2], c[1], c[0], sum(c), sum(c) * 4))


PageTables()
