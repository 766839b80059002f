/*
 * fat_dir.c - FAT directories: arrays of 32-byte entries (Microsoft FAT
 * specification, section 6) in FAT12/16's fixed root region or in a
 * cluster chain, a long name stored as up to 20 entries just before the
 * short entry it belongs to (section 7).
 *
 * dir_walk visits entries in order, one sector held at a time, and keeps
 * where it is in the chain (struct dir_pos) so a walk that stops and goes
 * on does not follow the chain from its start again. A long name counts
 * only when its entries come in order (N | 0x40, N-1, ..., 1), each with
 * the checksum of the short entry that follows (section 7): anything
 * else is an orphan and the short name is used.
 *
 * An entry's inode number is its byte position on the volume / 32: unique,
 * and found again with one read (fat_node_read). The root has no entry:
 * FAT_ROOT_INO.
 *
 * Adding a name: one walk checks the name is new (long and short names,
 * case-insensitively), collects the ~N tails taken by short names of the
 * same basis, and finds a run of free entries; when there is none the
 * directory grows by zeroed clusters. A run that fits in one sector is
 * taken inside one sector, and every sector is written once, whole: a new
 * name with its long entries (up to 195 characters with 512-byte sectors)
 * appears or disappears in one sector write, so a crash never leaves part
 * of a long name. A longer one spans two sectors, written in order; a crash
 * between them leaves an orphaned long-name part, which fsck.fat removes.
 * Removing marks the same entries free the same way.
 */
#include <string.h>

#include "errno.h"
#include "fs/fat/fat.h"
#include "fs/fat/fat_layout.h"
#include "fs/fat/fat_time.h"

#define WALK_STOP   1
#define WALK_END    2               /* a DIR_END entry: nothing after it */

struct dir_pos {
    uint32_t first;                 /* 0: the fixed root */
    uint32_t index, cluster;        /* cluster `index` of the chain is `cluster` (0: not yet) */
};

typedef int walk_fn(struct fat_volume *v, void *ctx, uint32_t idx, uint8_t *e, uint64_t pos, int *dirty);

struct lfn {
    uint16_t u[LFN_MAX_ENTRIES * LFN_CHARS];
    unsigned total, next;           /* entries in the name; ord expected next (0: complete) */
    int active;
    uint8_t chk;
    uint32_t start;                 /* index of its first entry */
};

void fat_root(const struct fat_volume *v, struct fat_node *out)
{
    memset(out, 0, sizeof(*out));
    out->ino = FAT_ROOT_INO;
    out->attr = ATTR_DIRECTORY;
    out->first_cluster = v->root_cluster;
}

int fat_dir_cluster_of(const struct fat_volume *v, const struct fat_node *dir)
{
    if (dir->ino == FAT_ROOT_INO)
        return 0;                   /* the caller uses v->root_cluster or the fixed root */
    return fat_valid_cluster(v, dir->first_cluster) ? 0 : -EIO;
}

static uint32_t dir_first(const struct fat_volume *v, const struct fat_node *dir)
{
    return dir->ino == FAT_ROOT_INO ? v->root_cluster : dir->first_cluster;
}

/* The sector holding entry idx: 0, -ENOENT past the directory's end, -EIO. */
static int dir_sector(struct fat_volume *v, struct dir_pos *dp, uint32_t idx, uint64_t *sector)
{
    uint32_t byte = idx * DIR_ENTRY_SIZE, ci = byte / v->cluster_size, next;

    if (idx >= DIR_MAX_ENTRIES)
        return -ENOENT;
    if (dp->first == 0) {
        if (byte / v->sector_size >= v->root_sectors)
            return -ENOENT;
        *sector = v->root_start + byte / v->sector_size;
        return 0;
    }
    if (!dp->cluster || ci < dp->index) {
        if (!fat_valid_cluster(v, dp->first))
            return fat_corrupt(v, "directory starts outside the volume", dp->first, 0);
        dp->cluster = dp->first;
        dp->index = 0;
    }
    while (dp->index < ci) {
        int err = fat_get(v, dp->cluster, &next);
        if (err)
            return err;
        if (fat_is_eoc(v, next))
            return -ENOENT;
        if (!fat_valid_cluster(v, next))
            return fat_corrupt(v, "directory chain leaves the volume", dp->first, dp->cluster);
        dp->cluster = next;
        dp->index++;
    }
    *sector = fat_cluster_sector(v, dp->cluster) + (byte % v->cluster_size) / v->sector_size;
    return 0;
}

/* fn on every entry from start on: 0 at the directory's end, fn's positive stop value, or -errno. */
static int dir_walk(struct fat_volume *v, struct dir_pos *dp, uint32_t start, walk_fn *fn, void *ctx)
{
    uint32_t idx = start, bps = v->sector_size;
    uint64_t sector;

    for (;;) {
        int r = dir_sector(v, dp, idx, &sector), dirty = 0;
        if (r)
            return r == -ENOENT ? 0 : r;
        struct fs_buf *b = fs_get(v->io, sector);
        if (!b)
            return -EIO;
        for (uint32_t off = idx * DIR_ENTRY_SIZE % bps; off < bps && !r; off += DIR_ENTRY_SIZE, idx++)
            r = fn(v, ctx, idx, b->data + off, sector * bps + off, &dirty);
        if (dirty)
            fs_dirty(v->io, b);
        fs_put(v->io, b);
        if (r)
            return r;
    }
}

static void lfn_reset(struct lfn *l) { l->active = 0; }

static void lfn_feed(struct lfn *l, const uint8_t *e, uint32_t idx)
{
    static const uint8_t at[LFN_CHARS] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};
    unsigned ord = e[LDIR_Ord] & 0x1F;

    if (e[LDIR_Ord] & LAST_LONG_ENTRY) {
        l->active = ord >= 1 && ord <= LFN_MAX_ENTRIES;
        l->total = ord;
        l->next = ord;
        l->chk = e[LDIR_Chksum];
        l->start = idx;
    }
    if (!l->active || ord != l->next || ord == 0 || e[LDIR_Chksum] != l->chk || (e[LDIR_Ord] & 0x80)) {
        l->active = 0;
        return;
    }
    for (unsigned i = 0; i < LFN_CHARS; i++)
        l->u[(ord - 1) * LFN_CHARS + i] = fat_rd16(e + at[i]);
    l->next = ord - 1;
}

/* The long name that ends at short entry e: its units, or 0 when there is none valid. */
static unsigned lfn_take(struct lfn *l, const uint8_t *e)
{
    unsigned n = 0;

    if (l->active && l->next == 0 && l->chk == fat_checksum(e))
        while (n < l->total * LFN_CHARS && n < LFN_MAX_UNITS && l->u[n] != 0)
            n++;
    l->active = 0;
    return n;
}

static void node_from_entry(const struct fat_volume *v, const uint8_t *e, uint64_t pos, struct fat_node *n)
{
    memset(n, 0, sizeof(*n));
    n->ino = pos / DIR_ENTRY_SIZE;
    n->attr = e[DIR_Attr];
    n->first_cluster = fat_rd16(e + DIR_FstClusLO) | (v->type == 32 ? (uint32_t)fat_rd16(e + DIR_FstClusHI) << 16 : 0);
    n->size = fat_is_dir(n) ? 0 : fat_rd32(e + DIR_FileSize);
    n->ctime = fat_time_from_dos(fat_rd16(e + DIR_CrtDate), fat_rd16(e + DIR_CrtTime), e[DIR_CrtTimeTenth]);
    n->mtime = fat_time_from_dos(fat_rd16(e + DIR_WrtDate), fat_rd16(e + DIR_WrtTime), 0);
    n->atime = fat_time_from_dos(fat_rd16(e + DIR_LstAccDate), 0, 0);
}

static int is_short_entry(const uint8_t *e)
{
    return e[0] != DIR_END && e[0] != DIR_FREE && (e[DIR_Attr] & ATTR_LONG_NAME_MASK) != ATTR_LONG_NAME &&
           !(e[DIR_Attr] & ATTR_VOLUME_ID);
}

static int is_dot(const uint8_t *e) { return e[0] == '.'; }

/* ---- lookup ---- */

struct lookup_ctx {
    const uint16_t *q;
    unsigned qlen;
    uint32_t dir_first;
    struct lfn l;
    struct fat_node *out;
};

/* Does short entry e (with the long name in l, if any) carry the name q? */
static int entry_named(struct lfn *l, const uint8_t *e, const uint16_t *q, unsigned qlen, uint32_t *lfn_start)
{
    uint16_t s[13];
    unsigned n = lfn_take(l, e);

    *lfn_start = n ? l->start : ~0u;
    if (n && fat_name_equal(l->u, n, q, qlen))
        return 1;
    n = fat_short_display(e, s);
    return fat_name_equal(s, n, q, qlen);
}

static int lookup_cb(struct fat_volume *v, void *vc, uint32_t idx, uint8_t *e, uint64_t pos, int *dirty)
{
    struct lookup_ctx *c = vc;
    uint32_t start;

    (void)dirty;
    if (e[0] == DIR_END)
        return WALK_END;
    if (e[0] != DIR_FREE && (e[DIR_Attr] & ATTR_LONG_NAME_MASK) == ATTR_LONG_NAME) {
        lfn_feed(&c->l, e, idx);
        return 0;
    }
    if (!is_short_entry(e) || is_dot(e)) {
        lfn_reset(&c->l);
        return 0;
    }
    if (!entry_named(&c->l, e, c->q, c->qlen, &start))
        return 0;
    node_from_entry(v, e, pos, c->out);
    c->out->dir_cluster = c->dir_first;
    c->out->entry = idx;
    c->out->lfn_entries = start == ~0u ? 0 : idx - start;
    return WALK_STOP;
}

static int lookup_units(struct fat_volume *v, const struct fat_node *dir, const uint16_t *q, unsigned qlen,
                        struct fat_node *out)
{
    struct lookup_ctx c = {.q = q, .qlen = qlen, .dir_first = dir_first(v, dir), .out = out};
    struct dir_pos dp = {.first = c.dir_first};
    int r;

    if (fat_dir_cluster_of(v, dir))
        return -EIO;
    r = dir_walk(v, &dp, 0, lookup_cb, &c);
    return r == WALK_STOP ? 0 : r < 0 ? r : -ENOENT;
}

/* The directory whose first cluster is `cluster` (0 or the root's: the root), found in its parent. */
struct find_ctx {
    uint32_t cluster;
    uint32_t dir_first;
    struct fat_node *out;
};

static int find_cb(struct fat_volume *v, void *vc, uint32_t idx, uint8_t *e, uint64_t pos, int *dirty)
{
    struct find_ctx *c = vc;
    struct fat_node n;

    (void)dirty;
    if (e[0] == DIR_END)
        return WALK_END;
    if (!is_short_entry(e) || is_dot(e) || !(e[DIR_Attr] & ATTR_DIRECTORY))
        return 0;
    node_from_entry(v, e, pos, &n);
    if (n.first_cluster != c->cluster)
        return 0;
    *c->out = n;
    c->out->dir_cluster = c->dir_first;
    c->out->entry = idx;
    return WALK_STOP;
}

/* Read the first cluster that entry 1 ("..") of directory `first` names. */
static int dotdot_cluster(struct fat_volume *v, uint32_t first, uint32_t *parent)
{
    struct fs_buf *b;

    if (!fat_valid_cluster(v, first) || !(b = fs_get(v->io, fat_cluster_sector(v, first))))
        return -EIO;
    const uint8_t *e = b->data + DIR_ENTRY_SIZE;
    int ok = e[0] == '.' && e[1] == '.';
    *parent = fat_rd16(e + DIR_FstClusLO) | (v->type == 32 ? (uint32_t)fat_rd16(e + DIR_FstClusHI) << 16 : 0);
    fs_put(v->io, b);
    return ok ? 0 : fat_corrupt(v, "directory without '..'", first, 0);
}

static int dotdot(struct fat_volume *v, const struct fat_node *dir, struct fat_node *out)
{
    uint32_t pc, gpc;
    int err;

    fat_root(v, out);
    if (dir->ino == FAT_ROOT_INO)
        return 0;
    if ((err = dotdot_cluster(v, dir->first_cluster, &pc)) != 0)
        return err;
    if (pc == 0 || pc == v->root_cluster)
        return 0;                       /* section 6: ".." of the root's children is 0 */
    if ((err = dotdot_cluster(v, pc, &gpc)) != 0)
        return err;
    if (gpc == 0)
        gpc = v->root_cluster;
    struct find_ctx c = {.cluster = pc, .dir_first = gpc, .out = out};
    struct dir_pos dp = {.first = gpc};
    err = dir_walk(v, &dp, 0, find_cb, &c);
    return err == WALK_STOP ? 0 : err < 0 ? err : fat_corrupt(v, "'..' names no directory", dir->first_cluster, pc);
}

int fat_lookup(struct fat_volume *v, const struct fat_node *dir, const char *name, size_t len,
               struct fat_node *out)
{
    uint16_t q[LFN_MAX_UNITS];
    int n;

    if (!fat_is_dir(dir))
        return -ENOTDIR;
    if (len == 1 && name[0] == '.') {
        *out = *dir;
        return 0;
    }
    if (len == 2 && name[0] == '.' && name[1] == '.')
        return dotdot(v, dir, out);
    if ((n = fat_utf8_to_16(name, len, q, LFN_MAX_UNITS)) < 0)
        return n == -EINVAL ? -ENOENT : n;
    return lookup_units(v, dir, q, (unsigned)n, out);
}

int fat_node_read(struct fat_volume *v, uint64_t ino, struct fat_node *out)
{
    uint64_t pos = ino * DIR_ENTRY_SIZE, sector = pos / v->sector_size;
    struct fs_buf *b;
    int ok;

    if (ino == FAT_ROOT_INO) {
        fat_root(v, out);
        return 0;
    }
    if (ino > UINT64_MAX / DIR_ENTRY_SIZE || sector < v->root_start || sector >= v->total_sectors)
        return -ENOENT;
    if (!(b = fs_get(v->io, sector)))
        return -EIO;
    const uint8_t *e = b->data + pos % v->sector_size;
    ok = is_short_entry(e) && !is_dot(e);
    if (ok)
        node_from_entry(v, e, pos, out);
    fs_put(v->io, b);
    return ok ? 0 : -ENOENT;
}

int fat_node_write(struct fat_volume *v, const struct fat_node *n)
{
    uint64_t pos = n->ino * DIR_ENTRY_SIZE;
    uint16_t date, time;
    struct fs_buf *b;

    if (n->ino == FAT_ROOT_INO)
        return 0;
    if (v->read_only)
        return -EROFS;
    if (!(b = fs_get(v->io, pos / v->sector_size)))
        return -EIO;
    uint8_t *e = b->data + pos % v->sector_size;
    uint32_t was_first = fat_rd16(e + DIR_FstClusLO) |
                         (v->type == 32 ? (uint32_t)fat_rd16(e + DIR_FstClusHI) << 16 : 0);
    int grows = n->first_cluster != was_first || (!fat_is_dir(n) && n->size > fat_rd32(e + DIR_FileSize));
    /* Write-before: an entry that comes to point at more clusters (a new first cluster, a larger
     * size) reaches the disk after the FAT that chains them (fat_order.c). The entry's own
     * sector is not the FAT's: holding it meanwhile is safe. */
    if (n->first_cluster && grows) {
        int err = fat_order_table(v);
        if (err) {
            fs_put(v->io, b);
            return err;
        }
    }
    e[DIR_Attr] = n->attr;
    fat_wr16(e + DIR_FstClusLO, (uint16_t)n->first_cluster);
    fat_wr16(e + DIR_FstClusHI, v->type == 32 ? (uint16_t)(n->first_cluster >> 16) : 0);
    fat_wr32(e + DIR_FileSize, fat_is_dir(n) ? 0 : n->size);
    fat_time_to_dos(n->mtime, &date, &time, NULL);
    fat_wr16(e + DIR_WrtDate, date);
    fat_wr16(e + DIR_WrtTime, time);
    fat_time_to_dos(n->atime, &date, &time, NULL);
    fat_wr16(e + DIR_LstAccDate, date);
    fs_dirty(v->io, b);
    fs_put(v->io, b);
    return 0;
}

/* ---- readdir ---- */

struct readdir_ctx {
    struct lfn l;
    uint32_t next;                  /* the index after the entry found */
    uint8_t e[DIR_ENTRY_SIZE];
    uint64_t pos;
    unsigned units;
};

static int readdir_cb(struct fat_volume *v, void *vc, uint32_t idx, uint8_t *e, uint64_t pos, int *dirty)
{
    struct readdir_ctx *c = vc;

    (void)v, (void)dirty;
    if (e[0] == DIR_END)
        return WALK_END;
    if (e[0] != DIR_FREE && (e[DIR_Attr] & ATTR_LONG_NAME_MASK) == ATTR_LONG_NAME) {
        lfn_feed(&c->l, e, idx);
        return 0;
    }
    if (!is_short_entry(e)) {
        lfn_reset(&c->l);
        return 0;
    }
    c->units = lfn_take(&c->l, e);
    if (!c->units)
        c->units = fat_short_display(e, c->l.u);
    memcpy(c->e, e, DIR_ENTRY_SIZE);
    c->pos = pos;
    c->next = idx + 1;
    return WALK_STOP;
}

int fat_readdir(struct fat_volume *v, const struct fat_node *dir, uint64_t *cookie,
                fat_readdir_fn *fn, void *ctx)
{
    int root = dir->ino == FAT_ROOT_INO;
    struct readdir_ctx c;
    struct dir_pos dp = {.first = dir_first(v, dir)};
    char name[LFN_MAX_UNITS * 3 + 1];
    struct fat_node n;
    int r;

    if (fat_dir_cluster_of(v, dir))
        return -EIO;
    for (; root && *cookie < 2; ++*cookie)
        if (fn(ctx, "..", *cookie + 1, FAT_ROOT_INO, 1))
            return 0;
    for (;;) {
        if (*cookie - 2 * root >= DIR_MAX_ENTRIES)
            return 0;
        c.l.active = 0;
        r = dir_walk(v, &dp, (uint32_t)(*cookie - 2 * root), readdir_cb, &c);
        if (r != WALK_STOP)
            return r < 0 ? r : 0;
        node_from_entry(v, c.e, c.pos, &n);
        if (c.e[0] == '.' && c.units <= 2 && (c.units == 1 || c.e[1] == '.')) {
            if (c.units == 2 && (r = dotdot(v, dir, &n)) != 0)
                return r;
            if (c.units == 1)
                n = *dir;
        }
        int len = fat_utf16_to_8(c.l.u, c.units, name, sizeof name);
        if (len > 0 && fn(ctx, name, (size_t)len, n.ino, fat_is_dir(&n)))
            return 0;
        *cookie = c.next + 2 * root;
    }
}

/* ---- is a directory empty ---- */

static int empty_cb(struct fat_volume *v, void *vc, uint32_t idx, uint8_t *e, uint64_t pos, int *dirty)
{
    (void)v, (void)vc, (void)idx, (void)pos, (void)dirty;
    if (e[0] == DIR_END)
        return WALK_END;
    return is_short_entry(e) && !is_dot(e) ? WALK_STOP : 0;
}

int fat_dir_empty(struct fat_volume *v, const struct fat_node *dir)
{
    struct dir_pos dp = {.first = dir_first(v, dir)};
    int r;

    if (fat_dir_cluster_of(v, dir))
        return -EIO;
    r = dir_walk(v, &dp, 0, empty_cb, NULL);
    return r < 0 ? r : r != WALK_STOP;
}

/* ---- adding a name ---- */

#define TAILS_KNOWN 2048            /* ~1 .. ~2047 tracked; past them: -ENOSPC */

struct add_ctx {                    /* in v->scratch: too big for a kernel stack beside the rest */
    const uint16_t *q;
    unsigned qlen, need;
    uint8_t basis[11];
    int exact, exists, ended;
    struct lfn l;
    uint32_t run_start, run_len, found, total;
    uint32_t per_sector;                /* entries in a sector: a run that fits one stays in one */
    uint32_t first_end;                 /* the first DIR_END entry, or ~0 */
    uint8_t used[TAILS_KNOWN / 8];
};

/* The N of a short name "XXX~N" that is basis with tail N, or 0. */
static unsigned tail_of(const uint8_t *e, const uint8_t *basis)
{
    unsigned n = 0, end = 8, at;
    uint8_t try[11];

    while (end > 0 && e[end - 1] == ' ')
        end--;
    for (at = end; at > 0 && e[at - 1] >= '0' && e[at - 1] <= '9'; at--)
        ;
    if (at == 0 || at == end || e[at - 1] != '~' || end - at > 6)
        return 0;
    for (unsigned i = at; i < end; i++)
        n = n * 10 + (e[i] - '0');
    memcpy(try, basis, 11);
    fat_short_with_tail(try, n);
    return memcmp(try, e, 11) == 0 ? n : 0;
}

_Static_assert(sizeof(struct add_ctx) <= sizeof(((struct fat_volume *)0)->scratch), "add_ctx fits the scratch");

void fat_avoid(struct fat_volume *v, uint64_t ino)
{
    v->avoid[v->avoid_next++ % FAT_AVOID] = ino;
}

static int avoided(const struct fat_volume *v, uint64_t ino)
{
    for (unsigned i = 0; i < FAT_AVOID; i++)
        if (v->avoid[i] == ino)
            return 1;
    return 0;
}

static int add_cb(struct fat_volume *v, void *vc, uint32_t idx, uint8_t *e, uint64_t pos, int *dirty)
{
    struct add_ctx *c = vc;
    uint32_t start;

    (void)dirty;
    c->total = idx + 1;
    if (e[0] == DIR_FREE && avoided(v, pos / DIR_ENTRY_SIZE)) {
        c->run_len = 0;                 /* an inode in memory may still be numbered so */
        return 0;
    }
    if (idx % c->per_sector == 0 && c->need <= c->per_sector)
        c->run_len = 0;                 /* a new name is written whole by one sector write */
    if (c->ended || e[0] == DIR_END || e[0] == DIR_FREE) {
        if (e[0] == DIR_END && !c->ended)
            c->first_end = idx;
        c->ended |= e[0] == DIR_END;
        if (c->run_len++ == 0)
            c->run_start = idx;
        if (c->run_len == c->need && c->found == ~0u)
            c->found = c->run_start;
        return 0;
    }
    c->run_len = 0;
    if ((e[DIR_Attr] & ATTR_LONG_NAME_MASK) == ATTR_LONG_NAME) {
        lfn_feed(&c->l, e, idx);
        return 0;
    }
    if (!is_short_entry(e) || is_dot(e)) {
        lfn_reset(&c->l);
        return 0;
    }
    if (entry_named(&c->l, e, c->q, c->qlen, &start)) {
        c->exists = 1;
        return WALK_STOP;
    }
    unsigned n = tail_of(e, c->basis);
    if (n && n < TAILS_KNOWN)
        c->used[n / 8] |= (uint8_t)(1u << (n % 8));
    return 0;
}

/* The long-name entries and the short entry of a new name, in the order they are stored. */
static void make_entries(uint8_t ents[][DIR_ENTRY_SIZE], unsigned nlfn, const uint16_t *q, unsigned qlen,
                         const uint8_t short_name[11])
{
    static const uint8_t at[LFN_CHARS] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};
    uint8_t chk = fat_checksum(short_name);

    for (unsigned k = 0; k < nlfn; k++) {
        unsigned ord = nlfn - k;        /* stored last piece first */
        uint8_t *e = ents[k];
        memset(e, 0, DIR_ENTRY_SIZE);
        e[LDIR_Ord] = (uint8_t)(ord | (k == 0 ? LAST_LONG_ENTRY : 0));
        e[LDIR_Attr] = ATTR_LONG_NAME;
        e[LDIR_Chksum] = chk;
        for (unsigned i = 0; i < LFN_CHARS; i++) {
            unsigned u = (ord - 1) * LFN_CHARS + i;
            fat_wr16(e + at[i], u < qlen ? q[u] : u == qlen ? 0x0000 : 0xFFFF);
        }
    }
}

static void make_short(struct fat_volume *v, uint8_t *e, const uint8_t name[11], uint8_t ntres,
                       const struct fat_node *n)
{
    uint16_t date, time;
    uint8_t tenth;

    memset(e, 0, DIR_ENTRY_SIZE);
    memcpy(e + DIR_Name, name, 11);
    if (e[0] == DIR_FREE)
        e[0] = DIR_KANJI_E5;
    e[DIR_Attr] = n->attr;
    e[DIR_NTRes] = ntres;
    fat_time_to_dos(n->ctime, &date, &time, &tenth);
    e[DIR_CrtTimeTenth] = tenth;
    fat_wr16(e + DIR_CrtDate, date);
    fat_wr16(e + DIR_CrtTime, time);
    fat_time_to_dos(n->atime, &date, &time, NULL);
    fat_wr16(e + DIR_LstAccDate, date);
    fat_time_to_dos(n->mtime, &date, &time, NULL);
    fat_wr16(e + DIR_WrtDate, date);
    fat_wr16(e + DIR_WrtTime, time);
    fat_wr16(e + DIR_FstClusLO, (uint16_t)n->first_cluster);
    fat_wr16(e + DIR_FstClusHI, v->type == 32 ? (uint16_t)(n->first_cluster >> 16) : 0);
    fat_wr32(e + DIR_FileSize, fat_is_dir(n) ? 0 : n->size);
}

/* Entries [first, first + n) set to ents (ents NULL: marked free), one write per sector. */
static int write_entries(struct fat_volume *v, struct dir_pos *dp, uint32_t first,
                         uint8_t (*ents)[DIR_ENTRY_SIZE], uint32_t n)
{
    uint32_t per = v->sector_size / DIR_ENTRY_SIZE;
    uint64_t sector;

    for (uint32_t i = 0; i < n;) {
        int err = dir_sector(v, dp, first + i, &sector);
        struct fs_buf *b = err ? NULL : fs_get(v->io, sector);
        if (!b)
            return err == -ENOENT || !err ? -EIO : err;
        do {
            uint8_t *e = b->data + (first + i) % per * DIR_ENTRY_SIZE;
            if (ents)
                memcpy(e, ents[i], DIR_ENTRY_SIZE);
            else
                e[0] = DIR_FREE;
        } while (++i < n && (first + i) % per != 0);
        fs_dirty(v->io, b);
        fs_put(v->io, b);
    }
    return 0;
}

/* Room for c->need entries at c->found, growing the directory if it has none. */
static int make_room(struct fat_volume *v, struct dir_pos *dp, struct add_ctx *c)
{
    if (c->found != ~0u)
        return 0;
    if (dp->first == 0)
        return -ENOSPC;                 /* FAT12/16's root has a fixed size */
    uint32_t start = c->run_len && c->need > c->per_sector ? c->run_start : c->total;
    uint64_t end = (uint64_t)(start + c->need) * DIR_ENTRY_SIZE, have = (uint64_t)c->total * DIR_ENTRY_SIZE;
    if (start + c->need > DIR_MAX_ENTRIES)
        return -ENOSPC;
    uint64_t sector;
    int err = dir_sector(v, dp, c->total ? c->total - 1 : 0, &sector);     /* dp at the last cluster */
    if (err)
        return err == -ENOENT ? -EIO : err;
    for (; have < end; have += v->cluster_size) {
        uint32_t nc;
        if ((err = fat_alloc(v, dp->cluster, 1, &nc)) != 0)
            return err;
        dp->cluster = nc;
        dp->index++;
    }
    c->found = start;
    return 0;
}

int fat_dir_add(struct fat_volume *v, const struct fat_node *dir, const char *name, size_t len,
                struct fat_node *node)
{
    struct add_ctx *c = (struct add_ctx *)v->scratch;   /* the volume's lock is held */
    uint8_t ents[LFN_MAX_ENTRIES + 1][DIR_ENTRY_SIZE], ntres = 0;
    uint16_t q[LFN_MAX_UNITS];
    int n, err;

    if (v->read_only)
        return -EROFS;
    if (fat_dir_cluster_of(v, dir))
        return -EIO;
    if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
        return -EEXIST;
    if (len == 0 || name[len - 1] == '.' || name[len - 1] == ' ')
        return -EINVAL;                 /* Windows strips them: such a name could not be found again */
    if ((n = fat_utf8_to_16(name, len, q, LFN_MAX_UNITS)) < 0)
        return n;
    memset(c, 0, sizeof(*c));
    c->q = q;
    c->qlen = (unsigned)n;
    c->found = ~0u;
    c->first_end = ~0u;
    c->per_sector = v->sector_size / DIR_ENTRY_SIZE;
    c->exact = fat_short_basis(q, c->qlen, c->basis, &ntres);
    unsigned nlfn = c->exact ? 0 : (c->qlen + LFN_CHARS - 1) / LFN_CHARS;
    c->need = nlfn + 1;
    struct dir_pos dp = {.first = dir_first(v, dir)};
    if ((err = dir_walk(v, &dp, 0, add_cb, c)) < 0)
        return err;
    if (c->exists)
        return -EEXIST;
    if (!c->exact) {
        unsigned t = 1;
        while (t < TAILS_KNOWN && (c->used[t / 8] & (1u << (t % 8))))
            t++;
        if (t == TAILS_KNOWN)
            return -ENOSPC;
        fat_short_with_tail(c->basis, t);
        ntres = 0;
    }
    if ((err = make_room(v, &dp, c)) != 0)
        return err;
    /* Skipped end-of-directory entries before the new name become deleted ones, or it would
     * lie past the end: first, so a crash leaves deleted entries and no name, never a lost one. */
    if (c->first_end < c->found && (err = write_entries(v, &dp, c->first_end, NULL, c->found - c->first_end)) != 0)
        return err;
    /* Write-before: the deleted entries before the name (another sector, maybe), a mkdir's
     * cluster with "." and "..", the FAT that chains a renamed file: on the disk first. */
    if ((c->first_end < c->found || node->first_cluster) && (err = fat_order_all(v)) != 0)
        return err;
    make_entries(ents, nlfn, q, c->qlen, c->basis);
    make_short(v, ents[nlfn], c->basis, ntres, node);
    if ((err = write_entries(v, &dp, c->found, ents, nlfn + 1)) != 0)
        return err;
    uint64_t sector;
    dir_sector(v, &dp, c->found + nlfn, &sector);
    node->ino = (sector * v->sector_size + (c->found + nlfn) * DIR_ENTRY_SIZE % v->sector_size) / DIR_ENTRY_SIZE;
    node->dir_cluster = dp.first;
    node->entry = c->found + nlfn;
    node->lfn_entries = nlfn;
    return 0;
}

int fat_dir_remove(struct fat_volume *v, const struct fat_node *node)
{
    struct dir_pos dp = {.first = node->dir_cluster};

    if (v->read_only)
        return -EROFS;
    return write_entries(v, &dp, node->entry - node->lfn_entries, NULL, node->lfn_entries + 1);
}
