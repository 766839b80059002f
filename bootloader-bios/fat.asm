; fat.asm - read files from the FAT16 or FAT32 boot partition.
;
; Layers, bottom up:
;   fat_mount       reads the BPB, decides FAT16/FAT32 by cluster count (as
;                   the Microsoft FAT specification says: < 4085 is FAT12,
;                   < 65525 FAT16, else FAT32), computes where things are;
;   fat_next        the next cluster of a chain, through two 64 KiB windows
;                   of the FAT (FAT_CACHE, FAT_CACHE2; fat_window): one read
;                   per 16384 (FAT32) entries not in either;
;   fat_walk        follows a chain as runs of contiguous clusters and reads
;                   each run with as few INT 13h calls as the 64 KiB bounce
;                   buffer allows, handing each piece to a sink routine;
;   sink_file       copies a piece to its place (anywhere below 4 GiB,
;                   unreal mode), sink_dir looks for an 8.3 name in it;
;   fat_open        walks a path like /boot/kernel.elf, case-insensitively;
;   fat_read        reads a whole file to an address.
; Everything on the disk is checked: cluster numbers stay in range, chains
; end where the size says (neither before nor after), the FAT holds an entry
; for every cluster (in 64-bit arithmetic: no BPB can wrap it round), a FAT32
; volume has at most 0FFFFFF5h clusters, the FAT is never read past its end.

BPB_BYTES_PER_SEC   equ 11          ; u16 (FAT spec, BPB_BytsPerSec)
BPB_SEC_PER_CLUS    equ 13          ; u8
BPB_RSVD_SECS       equ 14          ; u16
BPB_NUM_FATS        equ 16          ; u8
BPB_ROOT_ENTRIES    equ 17          ; u16 (0 on FAT32)
BPB_TOT_SEC16       equ 19          ; u16
BPB_FAT_SZ16        equ 22          ; u16
BPB_TOT_SEC32       equ 32          ; u32
BPB_FAT_SZ32        equ 36          ; u32 (FAT32 only)
BPB_ROOT_CLUS       equ 44          ; u32 (FAT32 only)
FAT12_MAX_CLUSTERS  equ 4085        ; fewer clusters: FAT12
FAT16_MAX_CLUSTERS  equ 65525       ; fewer clusters: FAT16
FAT32_MAX_CLUSTERS  equ 0x0FFFFFF5  ; the most a FAT32 volume may have (FAT spec:
                                    ; cluster numbers 2..0FFFFFF6h, 0FFFFFF7h is BAD)
FIRST_CLUSTER       equ 2           ; FAT entries 0 and 1 are reserved
FAT32_MASK          equ 0x0FFFFFFF  ; FAT32 entries are 28 bits
FAT32_BAD           equ 0x0FFFFFF7
FAT32_EOC           equ 0x0FFFFFF8  ; this and above: end of chain
FAT16_BAD           equ 0xFFF7
FAT16_EOC           equ 0xFFF8
DIR_ENTRY_SIZE      equ 32
DIR_NAME            equ 0           ; 11 bytes, 8.3, space padded
DIR_ATTR            equ 11
DIR_CLUS_HI         equ 20          ; u16 (FAT32)
DIR_CLUS_LO         equ 26          ; u16
DIR_SIZE            equ 28          ; u32
DIR_END             equ 0x00        ; first name byte: no more entries
DIR_FREE            equ 0xE5        ; first name byte: deleted
ATTR_VOLUME_ID      equ 0x08
ATTR_DIRECTORY      equ 0x10
ATTR_LFN            equ 0x0F        ; long-name entry (skipped)
DIR_MAX_CLUSTERS    equ 0x10000     ; a directory longer than this is corrupt

section .data
fat_bits:       db 0                ; 16 or 32
fat_spc:        dd 0                ; sectors per cluster
fat_cluster_bytes: dd 0
fat_lba:        dd 0                ; first sector of the first FAT
fat_size:       dd 0                ; sectors per FAT
fat_root_lba:   dd 0                ; FAT16: fixed root directory
fat_root_secs:  dd 0
fat_data_lba:   dd 0                ; cluster 2
fat_root_clus:  dd 0                ; FAT32: root directory's first cluster
fat_clusters:   dd 0                ; data clusters: valid numbers are 2..n+1
fat_cache_at:   dd 0xFFFFFFFF, 0xFFFFFFFF   ; first FAT sector in each window (none yet)
fat_cache_addr: dd FAT_CACHE, FAT_CACHE2    ; where each window is
fat_cache_old:  dd 0                ; the window used less recently
section .text

; fat_mount: read and check the BPB of the boot partition; print the fat
; line, or halt. clobbers: EAX, EBX, ECX, EDX, ESI, EDI
fat_mount:
    mov eax, [part_lba]
    mov cx, 1
    mov bx, BOUNCE_SEG
    call disk_read
    mov esi, BOUNCE_BUF
    cmp word [esi + MBR_BOOT_SIG], BOOT_SIGNATURE
    jne .bad
    cmp word [esi + BPB_BYTES_PER_SEC], SECTOR_SIZE
    jne .bad
    movzx eax, byte [esi + BPB_SEC_PER_CLUS]
    test eax, eax                   ; a power of two, 1..128
    jz .bad
    lea ecx, [eax - 1]
    test eax, ecx
    jnz .bad
    mov [fat_spc], eax
    shl eax, 9
    mov [fat_cluster_bytes], eax
    movzx eax, word [esi + BPB_RSVD_SECS]
    test eax, eax
    jz .bad
    add eax, [part_lba]
    jc .bad
    mov [fat_lba], eax
    movzx eax, word [esi + BPB_FAT_SZ16]
    test eax, eax
    jnz .fatsz
    mov eax, [esi + BPB_FAT_SZ32]
.fatsz:
    test eax, eax
    jz .bad
    mov [fat_size], eax
    movzx ecx, byte [esi + BPB_NUM_FATS]
    test ecx, ecx
    jz .bad
    mul ecx                         ; EAX = sectors of all FATs
    test edx, edx
    jnz .bad
    add eax, [fat_lba]
    jc .bad
    mov [fat_root_lba], eax
    movzx eax, word [esi + BPB_ROOT_ENTRIES]
    shl eax, 5
    add eax, SECTOR_SIZE - 1
    shr eax, 9
    mov [fat_root_secs], eax
    add eax, [fat_root_lba]
    jc .bad
    mov [fat_data_lba], eax
    movzx ecx, word [esi + BPB_TOT_SEC16]
    test ecx, ecx
    jnz .total
    mov ecx, [esi + BPB_TOT_SEC32]
.total:
    cmp ecx, [part_sectors]
    ja .bad                         ; bigger than its partition
    add ecx, [part_lba]             ; the end of the volume
    jc .bad
    sub ecx, eax
    jbe .bad                        ; no data area
    mov eax, ecx
    xor edx, edx
    div dword [fat_spc]
    mov [fat_clusters], eax
    cmp eax, FAT12_MAX_CLUSTERS
    jb .fat12
    mov byte [fat_bits], 16
    cmp eax, FAT16_MAX_CLUSTERS
    jb .sized
    mov byte [fat_bits], 32
    cmp word [esi + BPB_ROOT_ENTRIES], 0
    jne .bad
.sized:
    call fat_check_size
    cmp byte [fat_bits], 32
    jne .said
    cmp dword [fat_clusters], FAT32_MAX_CLUSTERS
    ja .fat32_max
    mov eax, [esi + BPB_ROOT_CLUS]
    mov [fat_root_clus], eax
    call fat_check_cluster
.said:
    call line_start
    SAY "fat: FAT"
    movzx eax, byte [fat_bits]
    call line_dec
    SAY ", "
    mov eax, [fat_cluster_bytes]
    call line_dec
    SAY " bytes per cluster, "
    mov eax, [fat_clusters]
    call line_dec
    SAY " clusters"
    call line_end
    STEP "fat"
    ret
.fat12:
    FAIL "fat: error, FAT12 is not supported"
.fat32_max:
    FAIL "fat: error, bad BPB: more than 0FFFFFF5h clusters, the FAT32 maximum"
.bad:
    FAIL "fat: error, bad BPB: the partition holds no FAT file system"

; fat_check_size: halt unless the FAT (fat_size sectors) has an entry for
; every cluster, 0 and 1 included. (fat_clusters + 2) * entry bytes is
; worked out in EDX:EAX: a BPB claiming 2^30 clusters must not wrap round
; to a few bytes and pass.
;   clobbers: EAX, ECX, EDX
fat_check_size:
    mov eax, [fat_clusters]
    xor edx, edx
    add eax, FIRST_CLUSTER          ; entries
    adc edx, 0
    movzx ecx, byte [fat_bits]
    shr ecx, 4                      ; 1 (FAT16) or 2 (FAT32): entries to bytes
    shld edx, eax, cl
    shl eax, cl
    add eax, SECTOR_SIZE - 1        ; bytes to sectors, rounded up
    adc edx, 0
    shrd eax, edx, 9
    shr edx, 9
    test edx, edx
    jnz .small
    cmp eax, [fat_size]
    ja .small
    ret
.small:
    FAIL "fat: error, bad BPB: the FAT has fewer entries than the volume has clusters"

; fat_check_cluster: halt unless EAX is a valid data cluster number.
;   clobbers: nothing
fat_check_cluster:
    cmp eax, 2
    jb .bad
    push eax
    sub eax, 2
    cmp eax, [fat_clusters]
    pop eax
    jae .bad
    ret
.bad:
    FAIL "fat: error, bad cluster chain"

; fat_next: the cluster after EAX.
;   in:  EAX = a valid cluster; out: CF = 1 at the end of the chain, else
;   EAX = the next (valid) cluster; clobbers: nothing else
fat_next:
    push ebx
    push ecx
    push edx
    movzx ecx, byte [fat_bits]
    shr ecx, 4                      ; 1 (FAT16) or 2 (FAT32): shift for bytes
    shl eax, cl                     ; byte offset in the FAT
    mov edx, eax
    shr edx, 9                      ; FAT sector
    and eax, SECTOR_SIZE - 1
    cmp edx, [fat_size]
    jae fat_check_cluster.bad
    mov ebx, edx
    and ebx, ~(FAT_CACHE_SECTORS - 1)       ; the window holding it
    call fat_window                 ; ECX = its address
    sub edx, ebx
    shl edx, 9
    add edx, eax
    add edx, ecx
    cmp byte [fat_bits], 32
    jne .fat16
    mov eax, [edx]
    and eax, FAT32_MASK
    cmp eax, FAT32_EOC
    jae .end
    jmp .check
.fat16:
    movzx eax, word [edx]
    cmp eax, FAT16_EOC
    jae .end
.check:
    call fat_check_cluster          ; free (0), bad, out of range: halt
    clc
    jmp .out
.end:
    stc
.out:
    pop edx
    pop ecx
    pop ebx
    ret

; fat_window: where the window of FAT sectors starting at EBX is in memory;
; read into the window used less recently when neither holds it. Two
; windows: a directory's entry and a file's chain may lie in different
; 64 KiB of the FAT (boot.cfg rewritten after the kernel), and each lookup
; starts at the root again.
;   out: ECX = the window's address; clobbers: nothing
fat_window:
    xor ecx, ecx
    cmp ebx, [fat_cache_at]
    je .found
    inc ecx
    cmp ebx, [fat_cache_at + 4]
    je .found
    mov ecx, [fat_cache_old]
    call fat_load_window
.found:
    mov [fat_cache_old], ecx
    xor dword [fat_cache_old], 1    ; the other one is now the older
    mov ecx, [fat_cache_addr + ecx * 4]
    ret

; fat_load_window: read FAT sectors EBX.. (up to 128, not past the FAT)
; into window ECX (0 or 1).
;   clobbers: nothing
fat_load_window:
    pushad
    mov [fat_cache_at + ecx * 4], ebx
    mov esi, [fat_cache_addr + ecx * 4]
    mov ecx, [fat_size]
    sub ecx, ebx
    cmp ecx, FAT_CACHE_SECTORS
    jbe .count
    mov ecx, FAT_CACHE_SECTORS
.count:
    mov eax, [fat_lba]
    add eax, ebx
    shr esi, 4
    mov bx, si                      ; the window's segment
    call disk_read
    popad
    ret

; fat_read_sectors: read ECX sectors from LBA EAX through the bounce buffer,
; at most 128 per call, handing each piece to [fat_sink] (CX = sectors).
; For a file, the whole sectors the file still wants go straight to it
; first when the disk is read by DMA (file_direct); the bounce buffer then
; holds only a last partial sector.
;   out: CF = 1 when the sink asked to stop; clobbers: EAX, ECX, EDX
fat_read_sectors:
    push ebx
    cmp word [fat_sink], sink_file
    jne .piece
    call file_direct
    cmp dword [file_left], 1
    jb .stop                        ; CF: the file is complete
.piece:
    test ecx, ecx
    jz .done
    mov edx, ecx
    cmp edx, BOUNCE_SECTORS
    jbe .read
    mov edx, BOUNCE_SECTORS
.read:
    push ecx
    push eax
    mov cx, dx
    mov bx, BOUNCE_SEG
    call disk_read
    push edx
    call [fat_sink]
    pop edx
    pop eax
    pop ecx
    jc .stop
    add eax, edx
    sub ecx, edx
    jmp .piece
.done:
    clc
.stop:
    pop ebx
    ret

section .data
fat_sink:       dw 0                ; sink_file or sink_dir
walk_left:      dd 0                ; clusters still allowed
walk_dir:       db 0                ; 1: the end of the chain is normal
walk_start:     dd 0                ; current run: first cluster
walk_cur:       dd 0                ; current run: last cluster
walk_len:       dd 0                ; current run: clusters
section .text

; fat_walk: read a cluster chain run by run into [fat_sink].
;   in:  EAX = first cluster, ECX = clusters to read (a file) or the most
;        to read (a directory, walk_dir = 1)
;   out: CF = 1 when the sink stopped the walk; clobbers: EAX, ECX, EDX
fat_walk:
    mov [walk_left], ecx
    call fat_check_cluster
.run:
    mov [walk_start], eax
    mov [walk_cur], eax
    mov dword [walk_len], 1
    dec dword [walk_left]
.extend:
    cmp dword [walk_left], 0
    je .all
    mov eax, [walk_cur]
    call fat_next
    jc .eoc
    mov edx, [walk_cur]
    inc edx
    cmp eax, edx
    jne .flush
    mov [walk_cur], eax
    inc dword [walk_len]
    dec dword [walk_left]
    jmp .extend
.flush:                             ; EAX = first cluster of the next run
    push eax
    call fat_read_run
    pop eax
    jc .stopped
    jmp .run
.eoc:
    cmp byte [walk_dir], 0
    jne .last
    FAIL "fat: error, a cluster chain ends before its file does"
.all:                               ; as many clusters as allowed: the chain must end here
    mov eax, [walk_cur]
    call fat_next
    jnc .longer
.last:
    call fat_read_run
.stopped:
    ret
.longer:
    cmp byte [walk_dir], 0
    jne .dir_long
    FAIL "fat: error, a cluster chain goes on past the end of its file"
.dir_long:
    FAIL "fat: error, a directory's cluster chain is longer than 65536 clusters"

; fat_read_run: read the run walk_start/walk_len into [fat_sink].
;   out: CF from the sink; clobbers: EAX, ECX, EDX
fat_read_run:
    mov eax, [walk_start]
    sub eax, 2
    mul dword [fat_spc]
    add eax, [fat_data_lba]
    push eax
    mov eax, [walk_len]
    mul dword [fat_spc]
    mov ecx, eax
    pop eax
    jmp fat_read_sectors

section .data
file_dest:      dd 0                ; sink_file: where the next byte goes
file_left:      dd 0                ; sink_file: bytes still wanted
section .text

; sink_file: copy CX sectors of the bounce buffer to file_dest, no more than
; file_left bytes. out: CF = 1 when the file is complete; clobbers: nothing
sink_file:
    pushad
    movzx ecx, cx
    shl ecx, 9
    cmp ecx, [file_left]
    jbe .copy
    mov ecx, [file_left]
.copy:
    mov esi, BOUNCE_BUF
    mov edi, [file_dest]
    call mem_copy
    add [file_dest], ecx
    sub [file_left], ecx
    popad
    cmp dword [file_left], 1        ; CF when 0 left
    ret

; file_direct: read the whole sectors of a run that still belong to the
; file straight to file_dest, up to 1 MiB a command (disk_read_direct);
; nothing when the disk is read by INT 13h or the destination is odd.
;   in:  EAX = LBA, ECX = sectors of the run
;   out: EAX, ECX moved past what was read; file_dest, file_left too
;   clobbers: EDX
file_direct:
    push edi
.more:
    mov edx, [file_left]
    shr edx, 9                      ; whole sectors the file still wants
    cmp edx, ecx
    jbe .run
    mov edx, ecx
.run:
    cmp edx, ATA_MAX_SECTORS
    jbe .count
    mov edx, ATA_MAX_SECTORS
.count:
    test edx, edx
    jz .done
    mov edi, [file_dest]
    test edi, 1
    jnz .done
    push ecx
    mov ecx, edx
    call disk_read_direct
    pop ecx
    jc .done                        ; no DMA (now): the bounce buffer
    add eax, edx
    sub ecx, edx
    shl edx, 9
    add [file_dest], edx
    sub [file_left], edx
    jmp .more
.done:
    pop edi
    ret

section .data
dir_name:       times 11 db ' '     ; the 8.3 name looked for
dir_found:      db 0
dir_attr:       db 0
dir_cluster:    dd 0
dir_fsize:      dd 0
section .text

; sink_dir: look for dir_name among CX sectors of directory entries.
;   out: CF = 1 when found or at the end marker (dir_found says which)
;   clobbers: nothing
sink_dir:
    pushad
    movzx ecx, cx
    shl ecx, 4                      ; 16 entries per sector
    mov esi, BOUNCE_BUF
.entry:
    mov al, [esi + DIR_NAME]
    cmp al, DIR_END
    je .end
    cmp al, DIR_FREE
    je .next
    mov al, [esi + DIR_ATTR]
    cmp al, ATTR_LFN
    je .next
    test al, ATTR_VOLUME_ID
    jnz .next
    push ecx
    push esi
    mov edi, dir_name
    mov ecx, 11
    a32 repe cmpsb
    pop esi
    pop ecx
    je .match
.next:
    add esi, DIR_ENTRY_SIZE
    dec ecx
    jnz .entry
    popad
    clc
    ret
.match:
    mov byte [dir_found], 1
    mov al, [esi + DIR_ATTR]
    mov [dir_attr], al
    movzx eax, word [esi + DIR_CLUS_LO]
    cmp byte [fat_bits], 32
    jne .lo
    movzx edx, word [esi + DIR_CLUS_HI]
    shl edx, 16
    or eax, edx
.lo:
    mov [dir_cluster], eax
    mov eax, [esi + DIR_SIZE]
    mov [dir_fsize], eax
.end:
    popad
    stc
    ret

; fat_name83: turn one path component into dir_name ("kernel.elf" ->
; "KERNEL  ELF").
;   in:  ESI = component; out: ESI = after it ('/' or NUL), CF = 1 when it
;   is no 8.3 name; clobbers: EAX, ECX, EDI
fat_name83:
    mov edi, dir_name
    mov ecx, 11
    mov al, ' '
.blank:
    mov [edi + ecx - 1], al
    loop .blank, ecx
    mov ecx, 8                      ; room left in this part
.char:
    mov al, [esi]
    test al, al
    jz .end
    cmp al, '/'
    je .end
    inc esi
    cmp al, '.'
    je .dot
    jecxz .bad
    cmp al, 'a'
    jb .store
    cmp al, 'z'
    ja .store
    sub al, 'a' - 'A'
.store:
    mov [edi], al
    inc edi
    dec ecx
    jmp .char
.dot:
    cmp edi, dir_name + 8
    ja .bad                         ; a second dot
    cmp edi, dir_name
    je .bad                         ; no name before the dot
    mov edi, dir_name + 8
    mov ecx, 3
    jmp .char
.end:
    cmp edi, dir_name
    je .bad
    clc
    ret
.bad:
    stc
    ret

; fat_open: find a file by absolute path, e.g. /boot/kernel.elf.
;   in:  ESI = path; out: CF = 0, EAX = first cluster, ECX = size, or CF = 1
;   (not found, not a file, or not an 8.3 path); clobbers: EDX, EDI
fat_open:
    push esi
    cmp byte [esi], '/'
    jne .missing
    mov eax, [fat_root_clus]        ; 0 on FAT16: the fixed root
.component:
    cmp byte [esi], '/'
    jne .name
    inc esi
    jmp .component
.name:
    push eax
    call fat_name83
    pop eax
    jc .missing
    call fat_find
    jc .missing
    mov eax, [dir_cluster]
    cmp byte [esi], 0
    je .last
    test byte [dir_attr], ATTR_DIRECTORY
    jz .missing
    test eax, eax
    jnz .component
    mov eax, [fat_root_clus]        ; ".." of a top directory is cluster 0
    jmp .component
.last:
    test byte [dir_attr], ATTR_DIRECTORY
    jnz .missing
    mov ecx, [dir_fsize]
    pop esi
    clc
    ret
.missing:
    pop esi
    stc
    ret

; fat_find: look for dir_name in the directory starting at cluster EAX
; (0: the FAT16 root). out: CF = 1 when absent; clobbers: EAX, ECX, EDX
fat_find:
    mov byte [dir_found], 0
    mov word [fat_sink], sink_dir
    test eax, eax
    jnz .chain
    mov eax, [fat_root_lba]
    mov ecx, [fat_root_secs]
    call fat_read_sectors
    jmp .done
.chain:
    mov byte [walk_dir], 1
    mov ecx, DIR_MAX_CLUSTERS
    call fat_walk
.done:
    cmp byte [dir_found], 1         ; CF when 0
    ret

; fat_read: read a whole file.
;   in:  EAX = first cluster, ECX = size, EDI = destination
;   clobbers: EAX, ECX, EDX
fat_read:
    mov [file_dest], edi
    mov [file_left], ecx
    jecxz .done
    mov word [fat_sink], sink_file
    mov byte [walk_dir], 0
    push eax
    mov eax, ecx
    xor edx, edx
    div dword [fat_cluster_bytes]
    add edx, -1                     ; CF when a remainder
    adc eax, 0
    mov ecx, eax
    pop eax
    call fat_walk
.done:
    ret
