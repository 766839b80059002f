/*
 * ext2_disk.h - the on-disk layout of ext2 revision 0 and 1: the
 * superblock, the group descriptors, the inode, the directory entry, and
 * the feature flags (Poirier, "The Second Extended File System", sections
 * "Superblock", "Block Group Descriptor Table", "Inode Table", "Linked
 * Directories"). docs/files-ext2.md draws them.
 *
 * Every number on the disk is little-endian; Tessera runs on x86-64, so the
 * structs below are read and written in place. Every layout is checked
 * against the byte offsets of the spec at compile time.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define EXT2_SUPER_OFFSET       1024        /* bytes from the start of the volume */
#define EXT2_SUPER_MAGIC        0xEF53
#define EXT2_ROOT_INO           2
#define EXT2_GOOD_OLD_FIRST_INO 11          /* revision 0: the first inode for files */
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_GOOD_OLD_REV       0
#define EXT2_DYNAMIC_REV        1
#define EXT2_N_BLOCKS           15          /* i_block: 12 direct, single, double, triple */
#define EXT2_NDIR_BLOCKS        12
#define EXT2_IND_BLOCK          12
#define EXT2_DIND_BLOCK         13
#define EXT2_TIND_BLOCK         14

/* s_state */
#define EXT2_VALID_FS           1           /* cleanly unmounted */
#define EXT2_ERROR_FS           2           /* errors detected */

/* Features (Poirier, "s_feature_compat", "s_feature_incompat", "s_feature_ro_compat"). */
#define EXT2_FEATURE_COMPAT_DIR_INDEX       0x0020  /* hashed directories: look linear to us */
#define EXT2_FEATURE_INCOMPAT_FILETYPE      0x0002  /* directory entries hold the file type */
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER 0x0001  /* backups only in groups 0, 1, 3^n, 5^n, 7^n */
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE   0x0002  /* i_size_high in use: files over 2 GiB */
#define EXT2_INCOMPAT_SUPPORTED  EXT2_FEATURE_INCOMPAT_FILETYPE
#define EXT2_RO_COMPAT_SUPPORTED (EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | \
                                  EXT2_FEATURE_RO_COMPAT_LARGE_FILE)

struct ext2_super {
    uint32_t s_inodes_count;
    uint32_t s_blocks_count;
    uint32_t s_r_blocks_count;
    uint32_t s_free_blocks_count;
    uint32_t s_free_inodes_count;
    uint32_t s_first_data_block;
    uint32_t s_log_block_size;          /* block size = 1024 << this */
    uint32_t s_log_frag_size;
    uint32_t s_blocks_per_group;
    uint32_t s_frags_per_group;
    uint32_t s_inodes_per_group;
    uint32_t s_mtime;
    uint32_t s_wtime;
    uint16_t s_mnt_count;
    int16_t  s_max_mnt_count;
    uint16_t s_magic;
    uint16_t s_state;
    uint16_t s_errors;
    uint16_t s_minor_rev_level;
    uint32_t s_lastcheck;
    uint32_t s_checkinterval;
    uint32_t s_creator_os;
    uint32_t s_rev_level;
    uint16_t s_def_resuid;
    uint16_t s_def_resgid;
    /* EXT2_DYNAMIC_REV */
    uint32_t s_first_ino;
    uint16_t s_inode_size;
    uint16_t s_block_group_nr;
    uint32_t s_feature_compat;
    uint32_t s_feature_incompat;
    uint32_t s_feature_ro_compat;
    uint8_t  s_uuid[16];
    char     s_volume_name[16];
    char     s_last_mounted[64];
    uint32_t s_algo_bitmap;
    uint8_t  s_rest[1024 - 204];        /* performance hints, journaling, hashes: kept as read */
};
_Static_assert(sizeof(struct ext2_super) == 1024, "superblock is 1024 bytes");
_Static_assert(offsetof(struct ext2_super, s_magic) == 56, "s_magic at 56");
_Static_assert(offsetof(struct ext2_super, s_first_ino) == 84, "s_first_ino at 84");
_Static_assert(offsetof(struct ext2_super, s_feature_ro_compat) == 100, "ro_compat at 100");
_Static_assert(offsetof(struct ext2_super, s_algo_bitmap) == 200, "s_algo_bitmap at 200");

struct ext2_group_desc {
    uint32_t bg_block_bitmap;
    uint32_t bg_inode_bitmap;
    uint32_t bg_inode_table;
    uint16_t bg_free_blocks_count;
    uint16_t bg_free_inodes_count;
    uint16_t bg_used_dirs_count;
    uint16_t bg_pad;
    uint8_t  bg_reserved[12];
};
_Static_assert(sizeof(struct ext2_group_desc) == 32, "group descriptor is 32 bytes");

/* The first 128 bytes of an inode (a 256-byte inode's rest is kept as it is on the disk). */
struct ext2_inode {
    uint16_t i_mode;
    uint16_t i_uid;
    uint32_t i_size;                    /* low 32 bits */
    uint32_t i_atime;
    uint32_t i_ctime;
    uint32_t i_mtime;
    uint32_t i_dtime;                   /* deletion time: 0 while in use */
    uint16_t i_gid;
    uint16_t i_links_count;
    uint32_t i_blocks;                  /* 512-byte units: data, indirect and xattr blocks */
    uint32_t i_flags;
    uint32_t i_osd1;
    uint32_t i_block[EXT2_N_BLOCKS];
    uint32_t i_generation;
    uint32_t i_file_acl;                /* an extended-attribute block, or 0 */
    uint32_t i_size_high;               /* i_dir_acl in revision 0; high 32 bits of a file's size */
    uint32_t i_faddr;
    uint8_t  i_frag, i_fsize;
    uint16_t i_pad1;
    uint16_t i_uid_high;
    uint16_t i_gid_high;
    uint32_t i_reserved2;
};
_Static_assert(sizeof(struct ext2_inode) == 128, "inode is 128 bytes");
_Static_assert(offsetof(struct ext2_inode, i_block) == 40, "i_block at 40");
_Static_assert(offsetof(struct ext2_inode, i_size_high) == 108, "i_size_high at 108");

/* i_flags */
#define EXT2_INDEX_FL           0x00001000  /* hashed directory: cleared when we change it */
#define EXT2_FL_UNSUPPORTED     0x00080000  /* EXT4_EXTENTS_FL: not ext2's block map */

/* A directory entry (Poirier, "Linked Directory Entry Structure"). */
struct ext2_dirent {
    uint32_t inode;                     /* 0: unused */
    uint16_t rec_len;                   /* to the next entry: a multiple of 4 */
    uint8_t  name_len;
    uint8_t  file_type;                 /* EXT2_FT_*, with the FILETYPE feature; else name_len's high byte */
    char     name[];
};
_Static_assert(sizeof(struct ext2_dirent) == 8, "directory entry header is 8 bytes");

#define EXT2_DIRENT_LEN(name_len)   ((8u + (name_len) + 3u) & ~3u)
#define EXT2_NAME_LEN               255

#define EXT2_FT_UNKNOWN     0
#define EXT2_FT_REG_FILE    1
#define EXT2_FT_DIR         2
#define EXT2_FT_CHRDEV      3
#define EXT2_FT_BLKDEV      4
#define EXT2_FT_FIFO        5
#define EXT2_FT_SOCK        6
#define EXT2_FT_SYMLINK     7

/* i_mode's type bits (Poirier, "i_mode"): the same values as Linux's S_IF*. */
#define EXT2_S_IFMT     0170000
#define EXT2_S_IFSOCK   0140000
#define EXT2_S_IFLNK    0120000
#define EXT2_S_IFREG    0100000
#define EXT2_S_IFBLK    0060000
#define EXT2_S_IFDIR    0040000
#define EXT2_S_IFCHR    0020000
#define EXT2_S_IFIFO    0010000
#define EXT2_ISDIR(m)   (((m) & EXT2_S_IFMT) == EXT2_S_IFDIR)
#define EXT2_ISREG(m)   (((m) & EXT2_S_IFMT) == EXT2_S_IFREG)
#define EXT2_ISLNK(m)   (((m) & EXT2_S_IFMT) == EXT2_S_IFLNK)

/* The extended-attribute block's header: only its reference count matters to us. */
#define EXT2_XATTR_MAGIC    0xEA020000
struct ext2_xattr_header {
    uint32_t h_magic;
    uint32_t h_refcount;
};
