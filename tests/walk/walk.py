# walk.py - gdb's `walk` command: stop at every step of the boot, in order
# (make walk-bios, make walk-uefi; docs/walk.md).
#
# gdb loads this file (-x) after the setup script of debug-bios or
# debug-uefi has loaded the symbols and attached to QEMU's gdb stub, then:
#     walk STEPS CHAIN... [attach=FUNC:VAR]
# reads the steps of those chains from STEPS (docs/walk/steps.txt, the one
# list of the boot's steps) in file order and stops at each:
#   - every symbol is resolved first, in its chain's ELF only (bios:
#     stage1.elf and stage2.elf; uefi: bootx64.so; kernel: kernel.elf),
#     and must be defined in the step's source file: a step the list names
#     but the code lacks ends the walk before it starts;
#   - then one hardware breakpoint at a time (the code is not in memory yet
#     when the walk begins), plus one at the last step: reaching the last
#     step while waiting for another means that step was skipped, and ends
#     the walk with an error; so the order of the list is checked too;
#   - at each stop: name, purpose, file:line and the source line, the CPU
#     mode, CR0/CR3/CR4/EFER, how long the guest ran since the previous
#     stop, what changed (a diff of QEMU's `info registers`: A20, GDT, IDT,
#     CR3, segments, IF...), and the next instructions (16-bit at a
#     real-mode stop: gdb 13 decodes them as 64-bit, so `dis16` of the
#     debug-bios setup decodes them with objdump).
# Then it waits: Enter goes on; anything else is a gdb command run there;
# `q` leaves the walk at the gdb prompt (`walk` alone resumes it).
# WALK=auto in the environment runs through without waiting (the test).
#
# attach=FUNC:VAR is the UEFI walk's start: gdb attached while the first
# step's function waits in FUNC for gdb (bootloader-uefi/debug.c); the walk
# clears VAR and its first stop is where FUNC returns into that function.
#
# The TSC: QEMU's gdb stub and monitor cannot read it (no MSR access), so
# the walk shows the host's time while the guest ran between two stops.
# Under TCG the guest's TSC counts the host's ticks while the machine runs
# and stands still while it is stopped, so that time is the TSC's delta
# in seconds (plus a few ms of gdb stub round trips per stop).
import os
import re
import time

import gdb

OBJFILES = {
    "bios": ("stage1.elf", "stage2.elf"),
    "uefi": ("bootx64.so",),
    "kernel": ("kernel.elf",),
}

CR0_PE = 1 << 0
CR0_PG = 1 << 31
EFER_LMA = 1 << 10
DESC_B = 1 << 22               # segment descriptor D/B: 32-bit code
DESC_L = 1 << 21               # segment descriptor L: 64-bit code
EFLAGS_IF = 1 << 9
REAL_LIMIT = 0xFFFF


class WalkError(Exception):
    pass


class Step:
    def __init__(self, fields, purpose):
        self.chain, self.id, self.symbol, self.source, self.timeline = fields
        self.purpose = purpose
        self.address = None

    def name(self):
        return "%s/%s" % (self.chain, self.id)


def steps_read(path, chains):
    """The steps of CHAINS from PATH, in the file's order."""
    steps = []
    with open(path) as f:
        for line in f:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split(None, 5)
            if len(parts) < 6:
                raise WalkError("walk: %s: a step needs 6 fields: %s" % (path, line.strip()))
            if parts[0] in chains:
                steps.append(Step(parts[:5], parts[5].strip()))
    return steps


def objfile_of(addr):
    sal = gdb.find_pc_line(addr)
    if sal.symtab is None:
        return None
    return os.path.basename(sal.symtab.objfile.filename)


def defined_in(addr, location_source):
    """The files that may claim ADDR: its line's file and each enclosing function's."""
    files = [location_source] if location_source else []
    try:
        block = gdb.block_for_pc(addr)
    except RuntimeError:
        block = None
    while block is not None:
        if block.function is not None and block.function.symtab is not None:
            files.append(block.function.symtab.filename)
        block = block.superblock
    return files


def step_resolve(step):
    """step.address, or a WalkError naming what is missing."""
    if step.symbol.startswith("*"):
        step.address = int(gdb.parse_and_eval(step.symbol[1:]))
        return
    spec = "'%s'" % step.symbol if "." in step.symbol else step.symbol
    try:
        bp = gdb.Breakpoint(spec, internal=True)
    except gdb.error as e:
        raise WalkError("walk: step %s: no symbol %s (%s)" % (step.name(), step.symbol, e))
    found = [(loc.address, loc.source[0] if loc.source else None) for loc in bp.locations
             if objfile_of(loc.address) in OBJFILES[step.chain]]
    bp.delete()
    if not found:
        raise WalkError("walk: step %s: no symbol %s in %s" % (step.name(), step.symbol,
                                                             " ".join(OBJFILES[step.chain])))
    if len(found) != 1:
        raise WalkError("walk: step %s: %s has %d locations in %s, need exactly one"
                        % (step.name(), step.symbol, len(found), " ".join(OBJFILES[step.chain])))
    addr, source = found[0]
    if not any(f.endswith(step.source) for f in defined_in(addr, source)):
        raise WalkError("walk: step %s: %s is in %s, the list says %s"
                        % (step.name(), step.symbol, source, step.source))
    step.address = addr


def return_into(func_addr, callee):
    """The address after the call to CALLEE in the function at FUNC_ADDR."""
    block = gdb.block_for_pc(func_addr)
    while block.function is None:
        block = block.superblock
    arch = gdb.selected_frame().architecture()
    insns = arch.disassemble(block.start, block.end - 1)
    for i, insn in enumerate(insns[:-1]):
        if insn["asm"].startswith("call") and ("<%s>" % callee) in insn["asm"]:
            return insns[i + 1]["addr"]
    raise WalkError("walk: no call to %s in %s" % (callee, block.function.name))


def source_line(path, line):
    try:
        with open(path) as f:
            return f.read().splitlines()[line - 1].strip()
    except (OSError, IndexError):
        return None


# --- the machine's state, from QEMU's monitor (`info registers`) ---

def state_read():
    """QEMU's `info registers` as a dict: A20, CR0.., GDT, segments (sel base limit flags)."""
    text = gdb.execute("monitor info registers", to_string=True)
    st = {}
    m = re.search(r"[ER]FL=([0-9a-f]+) .* CPL=(\d) .*A20=(\d)", text)
    if m:
        st["IF"] = "on" if int(m.group(1), 16) & EFLAGS_IF else "off"
        st["CPL"] = m.group(2)
        st["A20"] = m.group(3)
    for name in ("CR0", "CR3", "CR4", "EFER"):
        m = re.search(r"\b%s=([0-9a-f]+)" % name, text)
        st[name] = int(m.group(1), 16) if m else 0
    for name in ("GDT", "IDT"):
        m = re.search(r"^%s=\s+([0-9a-f]+) ([0-9a-f]+)" % name, text, re.M)
        if m:
            st[name] = "base %#x limit %#x" % (int(m.group(1), 16), int(m.group(2), 16))
    for name in ("CS", "DS", "ES", "SS", "TR"):
        m = re.search(r"^%s\s*=([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+)" % name, text, re.M)
        if m:
            st[name] = tuple(int(g, 16) for g in m.groups())
    return st


def cpu_mode(st):
    cs_flags = st.get("CS", (0, 0, 0, 0))[3]
    if not st["CR0"] & CR0_PE:
        big = [s for s in ("DS", "ES") if st.get(s, (0, 0, 0, 0))[2] > REAL_LIMIT]
        if big:
            return "unreal (real mode, %s limit 4 GiB), 16-bit code" % "/".join(big)
        return "real, 16-bit code"
    paging = ", paging" if st["CR0"] & CR0_PG else ""
    if st["EFER"] & EFER_LMA:
        return "long, 64-bit code" if cs_flags & DESC_L else "long (compatibility mode)"
    return "protected, %s-bit code%s" % ("32" if cs_flags & DESC_B else "16", paging)


def segment_text(seg):
    return "sel %#x base %#x limit %#x flags %#x" % seg


def state_diff(old, new):
    lines = []
    for key in ("A20", "IF", "CPL", "CR0", "CR3", "CR4", "EFER", "GDT", "IDT",
                "CS", "DS", "ES", "SS", "TR"):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if isinstance(b, tuple):
            a, b = segment_text(a) if a else "?", segment_text(b)
        elif isinstance(b, int):
            a, b = "%#x" % a if a is not None else "?", "%#x" % b
        lines.append("%s: %s -> %s" % (key, a, b))
    return lines


def linear_pc(st):
    pc = int(gdb.parse_and_eval("$pc"))
    if st["EFER"] & EFER_LMA:
        return pc
    return st.get("CS", (0, 0, 0, 0))[1] + (pc & 0xFFFFFFFF)


# --- the walk ---

class Walk:
    def __init__(self, steps, attach):
        self.steps = steps
        self.attach = attach
        self.next = 0
        self.state = state_read()

    def hbreak(self, addr):
        bp = gdb.Breakpoint("*%#x" % addr, type=gdb.BP_HARDWARE_BREAKPOINT, internal=True)
        bp.silent = True                # the walk prints its own stop
        return bp

    def run_to(self, i):
        """Continue to step I; the seconds the guest ran."""
        step, last = self.steps[i], self.steps[-1]
        target = step.address
        if i == 0 and self.attach:
            func, var = self.attach
            target = return_into(step.address, func)
            gdb.execute("set var %s = 0" % var, to_string=True)
        bps = [self.hbreak(target)]
        if i < len(self.steps) - 1:
            bps.append(self.hbreak(last.address))
        t0 = time.monotonic()
        try:
            gdb.execute("continue", to_string=True)
        finally:
            ran = time.monotonic() - t0
            for bp in bps:
                bp.delete()
        return target, ran

    def stop(self, i):
        step = self.steps[i]
        target, ran = self.run_to(i)
        st = state_read()
        pc = linear_pc(st)
        if pc != target:
            what = "the last step, %s" % self.steps[-1].name() if pc == self.steps[-1].address \
                else "pc %#x" % pc
            raise WalkError("walk: step %d/%d %s (%s) was skipped: stopped at %s"
                            % (i + 1, len(self.steps), step.name(), step.symbol, what))
        self.report(i, st, ran)
        self.state = st

    def where(self, step):
        """file:line and its text: in the step's function, not in what is inlined there."""
        frame = gdb.newest_frame()
        while (frame.type() == gdb.INLINE_FRAME and frame.function() is not None
               and frame.function().name != step.symbol and frame.older() is not None):
            frame = frame.older()
        sal = frame.find_sal()
        if sal.symtab is None:
            return step.source + " (no line information at this address)", None
        where = "%s:%d" % (sal.symtab.filename, sal.line)
        func = frame.function()
        if (not sal.symtab.filename.endswith(step.source) and func is not None
                and func.symtab is not None and func.symtab.filename.endswith(step.source)):
            # the first instruction belongs to a helper inlined there (arch_rdtsc in kmain)
            return "%s:%d (%s; its first instruction is inlined from %s)" % (
                func.symtab.filename, func.line, func.name, where), None
        return where, source_line(sal.symtab.fullname(), sal.line)

    def report(self, i, st, ran):
        step = self.steps[i]
        where, text = self.where(step)
        timeline = "" if step.timeline == "-" else "  (timeline: %s)" % step.timeline
        print("\nwalk: stop %d/%d %s: %s%s" % (i + 1, len(self.steps), step.name(), step.symbol,
                                              timeline))
        print("  %s" % step.purpose)
        print("  at   %s%s" % (where, "    " + text if text else ""))
        print("  mode %s" % cpu_mode(st))
        print("  CR0=%#x CR3=%#x CR4=%#x EFER=%#x" % (st["CR0"], st["CR3"], st["CR4"], st["EFER"]))
        print("  A20 %s, interrupts %s, GDT %s, IDT %s" % (
            "on" if st.get("A20") == "1" else "off", st.get("IF"), st.get("GDT"), st.get("IDT")))
        print("  ran  %.3f s since the previous stop (host clock while the guest ran: "
              "its TSC delta under TCG)" % ran)
        diff = state_diff(self.state, st)
        print("  changed: %s" % ("nothing that info registers shows" if not diff else diff[0]))
        for line in diff[1:]:
            print("           %s" % line)
        self.code(st)

    def code(self, st):
        cs_flags = st.get("CS", (0, 0, 0, 0))[3]
        if not st["EFER"] & EFER_LMA and not (st["CR0"] & CR0_PE and cs_flags & DESC_B):
            try:
                gdb.execute("dis16 4")
                return
            except gdb.error:
                pass
        print(gdb.execute("x/3i $pc", to_string=True).rstrip())

    def pause(self):
        """Enter: go on; a gdb command: run it; q: leave the walk. False to leave."""
        if os.environ.get("WALK") == "auto":
            return True
        while True:
            try:
                line = input("walk: Enter = next step, q = leave the walk, or a gdb command: ")
            except EOFError:
                return False
            if not line.strip():
                return True
            if line.strip() == "q":
                print("walk: left; `walk` goes on from here")
                return False
            try:
                gdb.execute(line, from_tty=True)
            except gdb.error as e:
                print(e)

    def go(self):
        while self.next < len(self.steps):
            i = self.next
            self.stop(i)
            self.next = i + 1
            if self.next < len(self.steps) and not self.pause():
                return
        print("\nwalk: all %d steps reached, in order" % len(self.steps))


class WalkCommand(gdb.Command):
    """walk STEPS CHAIN... [attach=FUNC:VAR]: stop at every step of CHAIN in STEPS.
walk alone goes on with a walk that was left with q."""

    def __init__(self):
        super().__init__("walk", gdb.COMMAND_RUNNING)
        self.walk = None

    def invoke(self, arg, from_tty):
        self.dont_repeat()
        args = gdb.string_to_argv(arg)
        try:
            if args:
                self.walk = self.start(args)
            if self.walk is None:
                raise WalkError("walk: usage: walk STEPS CHAIN... [attach=FUNC:VAR]")
            self.walk.go()
        except WalkError as e:
            raise gdb.GdbError(str(e))

    def start(self, args):
        attach = None
        chains = []
        for a in args[1:]:
            if a.startswith("attach="):
                attach = tuple(a[len("attach="):].split(":", 1))
            elif a in OBJFILES:
                chains.append(a)
            else:
                raise WalkError("walk: unknown chain %s (%s)" % (a, " ".join(OBJFILES)))
        steps = steps_read(args[0], chains)
        if not steps:
            raise WalkError("walk: no steps for %s in %s" % (" ".join(chains), args[0]))
        gdb.execute("set breakpoint pending off", to_string=True)
        for step in steps:
            step_resolve(step)
        print("walk: %d steps (%s), symbols resolved" % (len(steps), " ".join(chains)))
        return Walk(steps, attach)


WalkCommand()
