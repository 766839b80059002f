#!/usr/bin/env python3
"""mkseed-fat.py IMAGE SEED - turn a FAT image into fuzz_fat's sparse input
(tests/fuzz/fuzz_fat.c): 4 bytes of sector count, 1 byte of sector size
(512 << b), then a record (4-byte sector number, the sector) for each sector
that is not all zeros. The seeds in tests/fuzz/corpus/fat/ were made with:

  mkfs.fat -C -F 12 fat12.img 200; mmd/mcopy a long name, a folder, two files
  mkfs.fat -C -F 16 -s 1 fat16.img 2200; the same files
  mkfs.fat -C -F 32 -s 1 -f 1 fat32.img 34000; the same files
  mkfs.fat -C -F 16 -S 4096 -s 1 fat16-4k.img 17000; the same files
"""
import sys

img, out = sys.argv[1], sys.argv[2]
data = open(img, 'rb').read()
ss = int.from_bytes(data[11:13], 'little')
shift = {512: 0, 1024: 1, 2048: 2, 4096: 3}[ss]
seed = bytearray((len(data) // ss).to_bytes(4, 'little'))
seed.append(shift)
for s in range(len(data) // ss):
    sector = data[s * ss:(s + 1) * ss]
    if any(sector):
        seed += s.to_bytes(4, 'little') + sector
open(out, 'wb').write(seed)
