#!/usr/bin/env python3
"""fs-crash-check.py - judge a disk after Tessera's write workload was killed.

    fs-crash-check.py --img COPY --log SERIAL [--clean] [--keep DIR]
    fs-crash-check.py --self-test
    fs-crash-check.py --fixture-test IMG

COPY is the image QEMU wrote to (a copy, tests/qemu/fs-crash.sh), SERIAL the
serial log of that boot with `test=fsstress seed=N` (kernel/fs/fsstress.h
lists its lines). For every file system the workload named (`fsstress: fs
MOUNT type=T source=sdaN ...`: partition N of COPY, sfdisk -J):

  vfat  fsck.fat -n: no problem but the ones a crash may leave by design
        (FAT_ALLOWED below, from docs/files-fat.md); then each synced file
        read with mcopy;
  ext2  e2fsck -fp must repair without asking (exit 0 or 1), then e2fsck -fn
        must be clean; then each synced file read with debugfs;

and every file whose last word in the log is a completed fsync (`fsstress:
synced PATH size=N crc32=HEX`) must be there with that size and that CRC-32
(zlib's). The model of what a later operation may have changed (Expectations)
is conservative: any operation that names a path, or a path that shares its
inode through a hard link, forgets what was synced for it; an operation the
kernel said failed (`fsstress: error ...`) makes its paths unknown for good.
Other file systems (tmpfs) are left out: nothing of theirs outlives QEMU.

Exit status 0 when all holds, 1 otherwise; the last line is one summary.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zlib

# What fsck.fat -n may find after a crash without the file system being wrong:
# the ones docs/files-fat.md ("What a crash may leave") documents. Each is a
# regex over one message (its first line and the indented lines after it).
FAT_ALLOWED = [
    # the volume was in use: FAT[1]'s clean bit, or the boot sector's state byte
    r"Dirty bit is set\. Fs was not properly unmounted.*",
    r"There are differences between boot sector and its backup\.\n"
    r"This is mostly harmless\. Differences: \(offset:original/backup\)\n\s*65:0[01]/0[01]\n.*",
    # clusters allocated before the directory entry that would own them was written
    r"Reclaimed \d+ unused clusters? \(\d+ bytes\)\.",
    # FSInfo's free count and next-free hint are hints (FAT specification, "FSInfo")
    r"Free cluster summary wrong \(\d+ vs\. really \d+\).*",
    r"Free cluster summary uninitialized.*",
    # clusters added to a file's chain (and their data written) before its entry's size grew:
    # the only order in which a crash never leaves a size that points past the chain; fsck.fat
    # cuts the chain back to the size ("> N": the chain is longer, never shorter)
    r"/\S[^\n]*\n\s+File size is \d+ bytes, cluster chain length is > \d+ bytes\.\n"
    r"\s+Truncating file to \d+ bytes\.",
    # the two FAT copies are separate blocks, each alone consistent with the entries on the disk
    # (docs/files-fat.md: fat_order.c's write-before points write both); fsck.fat keeps the first
    r"FATs differ but appear to be intact\.\n\s+Using first FAT\.",
]
# a rename cut short: the new entry and the old one share the file's chain (docs/files-fat.md)
FAT_SHARED = r"/\S[^\n]*  and\n(/\S[^\n]*)\n\s+share clusters\.\n\s+Truncating second to \d+ bytes\."
FAT_CUT_TO_NOTHING = (r"(/\S[^\n]*)\n\s+File size is \d+ bytes, cluster chain length is 0 bytes\.\n"
                      r"\s+Truncating file to 0 bytes\.")
FAT_ALLOWED_CLEAN = 2   # after a finished run and vfs_sync (--clean), only the first ones: still mounted

OPS = {"create", "write", "append", "truncate", "rename", "link", "unlink", "mkdir", "rmdir", "fsync"}
LINE = re.compile(r"^fsstress: (\S+)(?: (.*))?$")


class Expectations:
    """What the log promises about each path: the last synced size and CRC
    of files that no later operation may have changed."""

    def __init__(self):
        self.expect = {}        # path -> (size, crc)
        self.group = {}         # path -> set of paths sharing its inode (hard links)
        self.unknown = set()    # paths an operation that failed may have changed
        self.mounts = {}        # mount path -> (type, source)
        self.ops = 0
        self.synced_lines = 0
        self.last = None        # the last operation line: (op, paths)

    def _forget(self, path):
        for p in self.group.get(path, {path}):
            self.expect.pop(p, None)

    def _detach(self, path):
        g = self.group.pop(path, None)
        if g is not None:
            g.discard(path)

    def _join(self, path, to):
        g = self.group.setdefault(to, {to})
        g.add(path)
        self.group[path] = g

    def _under(self, folder):
        return [p for p in list(self.expect) + list(self.group) if p.startswith(folder + "/")]

    def op(self, op, paths):
        self.ops += 1
        self.last = (op, paths)
        if op == "fsync":               # changes nothing: what was synced stays
            return
        for p in paths:
            self._forget(p)
        if op == "create":
            self._detach(paths[0])
        elif op in ("rename", "link"):
            src, dst = paths
            if op == "rename" and src in self.group and self.group[src] is self.group.get(dst):
                return                  # two names of one inode: POSIX's rename does nothing
            self._forget(dst)
            self._detach(dst)
            self._join(dst, src)
            if op == "rename":
                self._detach(src)
        elif op == "unlink":
            self._detach(paths[0])
        elif op in ("mkdir", "rmdir"):
            for p in self._under(paths[0]):
                self._forget(p)

    def error(self, op, path):
        """The last operation failed: whatever it named is unknown from now on."""
        paths = self.last[1] if self.last and self.last[0] == op else [path]
        for p in paths:
            for q in self.group.get(p, {p}) | set(self._under(p)):
                self.unknown.add(q)
                self.expect.pop(q, None)

    def synced(self, path, size, crc):
        self.synced_lines += 1
        if path not in self.unknown:
            self.expect[path] = (size, crc)

    def feed(self, line):
        m = LINE.match(line)
        if not m:
            return
        word, rest = m.group(1), (m.group(2) or "")
        args = rest.split()
        if word in OPS and args:
            self.op(word, [a for a in args if "=" not in a])
        elif word == "synced":
            kv = dict(a.split("=", 1) for a in args[1:] if "=" in a)
            self.synced(args[0], int(kv["size"]), int(kv["crc32"], 16))
        elif word == "error" and len(args) >= 2:
            self.error(args[0], args[1].rstrip(":"))
        elif word == "fs" and args:
            kv = dict(a.split("=", 1) for a in args[1:] if "=" in a)
            self.mounts[args[0]] = (kv.get("type", "?"), kv.get("source", "?"))

    def read_log(self, text):
        lines = text.split("\n")
        for line in lines[:-1]:         # the last one may be cut short by the kill
            self.feed(line.rstrip("\r"))

    def mount_of(self, path):
        best = None
        for m in self.mounts:
            if path == m or path.startswith(m.rstrip("/") + "/"):
                if best is None or len(m) > len(best):
                    best = m
        return best


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)


def fat_messages(out):
    """fsck.fat's output as messages: a line and the indented lines after it,
    without its banner, its summary and the "Leaving filesystem unchanged"."""
    msgs = []
    for line in out.splitlines():
        if not line.strip() or line.startswith("fsck.fat ") or line.startswith("Leaving filesystem"):
            continue
        if re.match(r"^\S+: \d+ files, \d+/\d+ clusters$", line):
            continue
        if msgs and (line[0].isspace() or line.startswith("This is mostly harmless") or
                     msgs[-1].endswith(" and")):     # "/A  and" then "/B" then "  share clusters."
            msgs[-1] += "\n" + line
        else:
            msgs.append(line)
    return msgs


def fat_not_allowed(msgs, clean):
    """The messages no rule of FAT_ALLOWED (the first FAT_ALLOWED_CLEAN with clean) allows. The
    second of two entries sharing a chain (a rename cut short) may also be found with a chain of
    0 bytes: fsck.fat judges it as if it had already cut it."""
    rules = FAT_ALLOWED[:FAT_ALLOWED_CLEAN] if clean else FAT_ALLOWED
    seconds = set()
    for m in msgs:
        share = re.fullmatch(FAT_SHARED, m, re.S)
        if share and not clean:
            seconds.add(share.group(1))
    bad = []
    for m in msgs:
        if any(re.fullmatch(a, m, re.S) for a in rules) or (not clean and re.fullmatch(FAT_SHARED, m, re.S)):
            continue
        cut = re.fullmatch(FAT_CUT_TO_NOTHING, m, re.S)
        if cut and cut.group(1) in seconds:
            continue
        bad.append(m)
    return bad


def check_fat(part, clean):
    r = run(["fsck.fat", "-n", part])
    bad = fat_not_allowed(fat_messages(r.stdout), clean)
    allowed = len(fat_messages(r.stdout)) - len(bad)
    if r.returncode not in (0, 1) or bad:
        return False, "fsck.fat -n: exit %d, not allowed:\n  %s" % (r.returncode, "\n  ".join(bad) or r.stdout)
    return True, "fsck.fat -n: %d allowed message(s)" % allowed


def check_ext2(part, clean):
    if clean:
        n = run(["e2fsck", "-fn", part])
        if n.returncode != 0:
            return False, "e2fsck -fn after a finished run and vfs_sync: exit %d:\n%s" % (n.returncode, n.stdout)
        return True, "e2fsck -fn: clean"
    p = run(["e2fsck", "-fp", part])
    if p.returncode not in (0, 1):
        return False, "e2fsck -fp: exit %d (not repaired without asking):\n%s" % (p.returncode, p.stdout)
    n = run(["e2fsck", "-fn", part])
    if n.returncode != 0:
        return False, "e2fsck -fn after -fp: exit %d:\n%s" % (n.returncode, n.stdout)
    return True, "e2fsck -fp: exit %d%s" % (p.returncode, " (repaired)" if p.returncode else "")


def read_file(fstype, part, rel, out):
    if fstype == "vfat":
        env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
        subprocess.run(["mcopy", "-n", "-i", part, "::" + rel, out], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    else:
        subprocess.run(["debugfs", "-R", 'dump "%s" %s' % (rel, out), part],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not os.path.exists(out):
        return None
    with open(out, "rb") as f:
        return f.read()


def partitions(img):
    table = json.loads(run(["sfdisk", "-J", img]).stdout)["partitiontable"]
    parts = {}
    for p in table["partitions"]:
        n = int(re.search(r"(\d+)$", p["node"]).group(1))
        parts[n] = (int(p["start"]), int(p["size"]))
    return parts


def check(img, log, keep, clean=False):
    e = Expectations()
    with open(log, errors="replace") as f:
        e.read_log(f.read())
    if not e.mounts:
        print("fs-crash-check: the log names no file system (no 'fsstress: fs' line)")
        return 1
    parts = partitions(img)
    work = keep or tempfile.mkdtemp(prefix="fs-crash-")
    ok, checked, notes = True, 0, []
    for mount, (fstype, source) in sorted(e.mounts.items()):
        m = re.fullmatch(r"sd[a-z](\d+)", source)
        if fstype not in ("vfat", "ext2") or not m:
            notes.append("%s (%s on %s): not on the disk, left out" % (mount, fstype, source))
            continue
        start, size = parts[int(m.group(1))]
        part = os.path.join(work, "part%s.img" % m.group(1))
        with open(img, "rb") as src, open(part, "wb") as dst:
            src.seek(start * 512)
            left = size * 512
            while left:
                chunk = src.read(min(left, 1 << 20))
                dst.write(chunk)
                left -= len(chunk)
        good, what = (check_fat if fstype == "vfat" else check_ext2)(part, clean)
        notes.append("%s (%s on %s): %s" % (mount, fstype, source, what))
        ok &= good
        for path, (want_size, want_crc) in sorted(e.expect.items()):
            if e.mount_of(path) != mount:
                continue
            rel = path[len(mount.rstrip("/")):] or "/"
            data = read_file(fstype, part, rel, os.path.join(work, "file"))
            if os.path.exists(os.path.join(work, "file")):
                os.unlink(os.path.join(work, "file"))
            checked += 1
            if data is None:
                ok = False
                notes.append("  %s: synced (size=%d crc32=%08x) but missing" % (path, want_size, want_crc))
            elif len(data) != want_size or zlib.crc32(data) != want_crc:
                ok = False
                notes.append("  %s: synced size=%d crc32=%08x, on the disk size=%d crc32=%08x" %
                             (path, want_size, want_crc, len(data), zlib.crc32(data)))
    if not any(re.fullmatch(r"sd[a-z]\d+", src) and t in ("vfat", "ext2") for t, src in e.mounts.values()):
        ok = False
        notes.append("no FAT or ext2 partition of the disk was worked on: nothing to judge")
    for n in notes:
        print(n)
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    print("fs-crash-check: %s: %d operations, %d synced lines, %d files checked, %d unknown (failed ops): %s" %
          (os.path.basename(log), e.ops, e.synced_lines, checked, len(e.unknown), "ok" if ok else "FAILED"))
    return 0 if ok else 1


SAMPLE = """\
fsstress: seed=7 ops=0
fsstress: mkdir /fsstress
fsstress: fs / type=ext2 source=sda2 work=/fsstress
fsstress: mkdir /boot/fsstress
fsstress: fs /boot type=vfat source=sda1 work=/boot/fsstress
fsstress: create /fsstress/f1
fsstress: write /fsstress/f1 off=0 len=10
fsstress: fsync /fsstress/f1
fsstress: synced /fsstress/f1 size=10 crc32=0000000a
fsstress: create /fsstress/f2
fsstress: fsync /fsstress/f2
fsstress: synced /fsstress/f2 size=0 crc32=00000000
fsstress: link /fsstress/f2 /fsstress/f3
fsstress: append /fsstress/f3 len=5
fsstress: create /boot/fsstress/f4
fsstress: fsync /boot/fsstress/f4
fsstress: synced /boot/fsstress/f4 size=0 crc32=00000000
fsstress: mkdir /boot/fsstress/d0
fsstress: rename /boot/fsstress/f4 /boot/fsstress/d0/f4
fsstress: fsync /boot/fsstress/d0/f4
fsstress: synced /boot/fsstress/d0/f4 size=0 crc32=00000000
fsstress: create /fsstress/f5
fsstress: fsync /fsstress/f5
fsstress: synced /fsstress/f5 size=0 crc32=00000000
fsstress: truncate /fsstress/f5 size=100
fsstress: error truncate /fsstress/f5: -28
fsstress: fsync /fsstress/f5
fsstress: synced /fsstress/f5 size=0 crc32=00000000
fsstress: create /fsstress/f6
fsstress: fsync /fsstress/f6
fsstress: synced /fsstress/f6 size=0 crc32=00000000
fsstress: write /fsstress/f6 off=0 len=3
fsstress: create /fsstress/g1
fsstress: link /fsstress/g1 /fsstress/g2
fsstress: rename /fsstress/g1 /fsstress/g2
fsstress: fsync /fsstress/g2
fsstress: synced /fsstress/g2 size=0 crc32=00000000
fsstress: write /fsstress/g1 off=0 len=1
fsstress: fsync /fsstress/f1
fsstress: synced /fsstress/f1 size=10 crc32=000000"""


def self_test():
    """The model on a recorded log: what it must expect and what it must not
    (f2 written through its link f3, f5 after a failed truncate, f6 written
    after its sync, g2 written through g1, still its link after a rename of
    one onto the other, which POSIX makes a no-op)."""
    e = Expectations()
    e.read_log(SAMPLE)
    want = {
        "/fsstress/f1": (10, 10),           # synced, then fsync again: the last line is cut short
        "/boot/fsstress/d0/f4": (0, 0),     # synced again after its rename
    }
    fails = []
    if e.expect != want:
        fails.append("expected %r, got %r" % (want, e.expect))
    if e.unknown != {"/fsstress/f5"}:
        fails.append("unknown should be /fsstress/f5 only: %r" % e.unknown)
    if e.mounts != {"/": ("ext2", "sda2"), "/boot": ("vfat", "sda1")}:
        fails.append("mounts: %r" % e.mounts)
    if e.mount_of("/boot/fsstress/d0/f4") != "/boot" or e.mount_of("/fsstress/f1") != "/":
        fails.append("mount_of picks the wrong mount")
    msgs = fat_messages("fsck.fat 4.2 (2021-01-31)\nReclaimed 3 unused clusters (1536 bytes).\n"
                        "Dirty bit is set. Fs was not properly unmounted and some data may be corrupt.\n"
                        " Automatically removing dirty bit.\nFATs differ but appear to be intact.\n  Using first FAT.\n"
                        "/x/f: File size is 0 bytes, cluster chain length is 512 bytes.\n"
                        "  Truncating file to 0 bytes.\n/FSSTRESS/D2/F3\n"
                        "  File size is 74043 bytes, cluster chain length is > 74240 bytes.\n"
                        "  Truncating file to 74043 bytes.\n\nLeaving filesystem unchanged.\nimg: 3 files, 9/80628 clusters\n")
    bad = fat_not_allowed(msgs, False)
    if len(msgs) != 5 or len(bad) != 1 or "/x/f" not in bad[0]:
        fails.append("fsck.fat messages: %r, not allowed %r" % (msgs, bad))
    shared = fat_messages("/FSSTRESS/F1  and\n/FSSTRESS/D0/F2\n  share clusters.\n  Truncating second to 0 bytes.\n"
                          "/FSSTRESS/D0/F2\n  File size is 2000 bytes, cluster chain length is 0 bytes.\n"
                          "  Truncating file to 0 bytes.\n/FSSTRESS/F3\n  File size is 9 bytes, cluster chain "
                          "length is 0 bytes.\n  Truncating file to 0 bytes.\n")
    bad = fat_not_allowed(shared, False)
    if len(shared) != 3 or len(bad) != 1 or "/FSSTRESS/F3" not in bad[0] or len(fat_not_allowed(shared, True)) != 3:
        fails.append("fsck.fat shared chains: %r, not allowed %r" % (shared, bad))
    for f in fails:
        print("self-test: " + f)
    print("fs-crash-check self-test: %s" % ("FAILED" if fails else "ok"))
    return 1 if fails else 0


def fixture_test(img):
    """The checker on a real image (build/bios.img or uefi.img): files put by
    the host's tools where a log says they were synced must pass, and so must
    an ext2 error that e2fsck -p repairs (a link count); a changed byte, a
    missing file and an error e2fsck -p must ask about (a block claimed
    twice) must each fail."""
    work = tempfile.mkdtemp(prefix="fs-crash-fixture-")
    copy, log = os.path.join(work, "disk.img"), os.path.join(work, "serial.log")
    shutil.copyfile(img, copy)
    parts = partitions(copy)
    data = {"/fsstress/f1": os.urandom(70000), "/boot/fsstress/f2": os.urandom(5000)}

    def put_parts(mutate=None):
        for n, (mount, fstype) in ((2, ("/", "ext2")), (1, ("/boot", "vfat"))):
            start, size = parts[n]
            part = os.path.join(work, "p%d" % n)
            with open(copy, "rb") as f:
                f.seek(start * 512)
                open(part, "wb").write(f.read(size * 512))
            for path, blob in data.items():
                if Expectations.mount_of(e, path) != mount:
                    continue
                rel = path[len(mount.rstrip("/")):]
                src = os.path.join(work, "src")
                open(src, "wb").write(blob)
                if fstype == "ext2":
                    subprocess.run(["debugfs", "-w", "-R", "mkdir /fsstress", part], capture_output=True)
                    subprocess.run(["debugfs", "-w", "-R", "write %s %s" % (src, rel), part], capture_output=True)
                    if mutate == "ext2-repairable":         # e2fsck -p fixes a link count
                        subprocess.run(["debugfs", "-w", "-R", "sif %s links_count 3" % rel, part],
                                       capture_output=True)
                    if mutate == "ext2-unrepairable":       # a block of the root folder claimed twice
                        root = subprocess.run(["debugfs", "-R", "blocks /", part], capture_output=True,
                                              text=True).stdout.split()[0]
                        subprocess.run(["debugfs", "-w", "-R", "sif %s block[0] %s" % (rel, root), part],
                                       capture_output=True)
                else:
                    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
                    subprocess.run(["mmd", "-i", part, "::/fsstress"], env=env, capture_output=True)
                    subprocess.run(["mcopy", "-o", "-i", part, src, "::" + rel], env=env, capture_output=True)
            with open(copy, "r+b") as f:
                f.seek(start * 512)
                f.write(open(part, "rb").read())

    e = Expectations()
    e.mounts = {"/": ("ext2", "sda2"), "/boot": ("vfat", "sda1")}
    lines = ["fsstress: fs / type=ext2 source=sda2 work=/fsstress",
             "fsstress: fs /boot type=vfat source=sda1 work=/boot/fsstress"]
    for path, blob in data.items():
        lines += ["fsstress: create " + path, "fsstress: write %s off=0 len=%d" % (path, len(blob)),
                  "fsstress: fsync " + path, "fsstress: synced %s size=%d crc32=%08x" % (path, len(blob), zlib.crc32(blob))]
    open(log, "w").write("\n".join(lines) + "\n")
    results = {}
    for case in ("good", "changed-byte", "missing", "ext2-repairable", "ext2-unrepairable"):
        shutil.copyfile(img, copy)
        saved = dict(data)
        if case == "changed-byte":
            b = bytearray(data["/boot/fsstress/f2"])
            b[4000] ^= 1
            data["/boot/fsstress/f2"] = bytes(b)
        if case == "missing":
            del data["/fsstress/f1"]
        put_parts(case)
        data.clear()
        data.update(saved)
        results[case] = check(copy, log, None)
    shutil.rmtree(work, ignore_errors=True)
    want = {"good": 0, "changed-byte": 1, "missing": 1, "ext2-repairable": 0, "ext2-unrepairable": 1}
    print("fs-crash-check fixture test: %r: %s" % (results, "ok" if results == want else "FAILED"))
    return 0 if results == want else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--img")
    ap.add_argument("--log")
    ap.add_argument("--keep", help="keep the partitions in this folder")
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("--fixture-test", metavar="IMG")
    ap.add_argument("--clean", action="store_true",
                    help="the workload finished and synced: e2fsck -fn must be clean, fsck.fat find only the dirty bit")
    a = ap.parse_args()
    if a.self_test:
        return self_test()
    if a.fixture_test:
        return fixture_test(a.fixture_test)
    if not a.img or not a.log:
        ap.error("--img and --log are required")
    if a.keep:
        os.makedirs(a.keep, exist_ok=True)
    return check(a.img, a.log, a.keep, a.clean)


if __name__ == "__main__":
    sys.exit(main())
