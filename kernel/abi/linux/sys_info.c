/*
 * sys_info.c - the Linux personality's calls about the system as a whole:
 * sysinfo (uptime, memory, thread count), syslog (the kernel log, what
 * dmesg reads), getrandom (the kernel's generator, kernel/lib/random.h)
 * and reboot (restart, power off, halt: kernel/power.h).
 *
 * syslog hands out printk's ring (kernel/printk.h) in Linux's record
 * format, "<6>[    1.234567] text\n": printk's own header is the same but
 * for the level, which is renumbered to Linux's (ERR 3, WARNING 4, INFO 6,
 * DEBUG 7). SYSLOG_ACTION_CLEAR forgets the lines so far (their time is
 * remembered, the ring keeps them for the monitor's dmesg). READ hands out
 * the lines no READ has returned yet; where Linux blocks while there are
 * none, it returns 0.
 */
#include <stddef.h>
#include <stdint.h>

#include "abi/linux/syscalls.h"
#include "errno.h"
#include "format.h"
#include "lib/random.h"
#include "mm/heap.h"
#include "mm/mm.h"
#include "printk.h"
#include "proc/proc.h"
#include "proc/uaccess.h"
#include "power.h"
#include "sched/sched.h"
#include "sync/mutex.h"
#include "timer/clock.h"

#define GRND_NONBLOCK           0x1
#define GRND_RANDOM             0x2
#define GRND_INSECURE           0x4
#define GETRANDOM_MAX           (32u << 20)     /* Linux hands out at most this much per call */

/* syslog(2)'s actions (linux/syslog.h). */
enum {
    SYSLOG_ACTION_CLOSE, SYSLOG_ACTION_OPEN, SYSLOG_ACTION_READ, SYSLOG_ACTION_READ_ALL,
    SYSLOG_ACTION_READ_CLEAR, SYSLOG_ACTION_CLEAR, SYSLOG_ACTION_CONSOLE_OFF, SYSLOG_ACTION_CONSOLE_ON,
    SYSLOG_ACTION_CONSOLE_LEVEL, SYSLOG_ACTION_SIZE_UNREAD, SYSLOG_ACTION_SIZE_BUFFER,
};

struct linux_sysinfo {
    int64_t uptime;
    uint64_t loads[3];
    uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    uint16_t procs, pad;
    uint64_t totalhigh, freehigh;
    uint32_t mem_unit;
};

_Static_assert(sizeof(struct linux_sysinfo) == 112, "struct sysinfo is 112 bytes on x86_64");

long linux_sys_sysinfo(const uint64_t a[6])
{
    struct linux_sysinfo si = {
        .uptime = (int64_t)((clock_ns() + NS_PER_SEC - 1) / NS_PER_SEC),    /* Linux rounds up */
        .totalram = mm_frames()->managed_frames * PAGE_SIZE,
        .freeram = mm_frames_free() * PAGE_SIZE,
        .procs = (uint16_t)sched_threads(),
        .mem_unit = 1,
    };

    return copy_to_user(a[0], &si, sizeof si);
}

/* --- syslog --- */

static struct mutex syslog_lock = MUTEX_INIT("syslog");
static uint64_t cleared_ns;                 /* lines up to this time are cleared; guarded by syslog_lock */
static uint64_t read_ns;                    /* lines up to this time were returned by READ */
static int saved_console_level = LOG_INFO;

struct syslog_out {
    char *buf;
    size_t len, cap;
    uint64_t after_ns;                      /* only lines later than this */
    uint64_t last_ns;                       /* the newest line taken */
};

/* printk's level as Linux's (KERN_ERR 3, KERN_WARNING 4, KERN_INFO 6, KERN_DEBUG 7). */
static int linux_level(int level)
{
    static const int map[] = { 3, 4, 6, 7 };

    return level >= 0 && level <= LOG_DEBUG ? map[level] : 6;
}

static void take_line(const struct printk_line *l, void *arg)
{
    struct syslog_out *o = arg;
    int n;

    if (l->time_ns <= o->after_ns && o->after_ns)
        return;
    n = format_snprintf(o->buf + o->len, o->cap - o->len, "<%d>[%5llu.%06llu] %.*s\n", linux_level(l->level),
                        (unsigned long long)(l->time_ns / NS_PER_SEC),
                        (unsigned long long)(l->time_ns % NS_PER_SEC / NS_PER_US), (int)l->len, l->text);
    if (n > 0 && (size_t)n < o->cap - o->len) {
        o->len += (size_t)n;
        o->last_ns = l->time_ns;
    }
}

/* The held lines later than after_ns in Linux's format into a new buffer (kfree it); NULL: no memory. */
static char *syslog_text(uint64_t after_ns, size_t *len, uint64_t *last_ns)
{
    char *raw = kmalloc(PRINTK_LOG_SIZE);
    struct syslog_out o = { .cap = PRINTK_LOG_SIZE + PRINTK_LOG_SIZE / 4, .after_ns = after_ns };

    o.buf = kmalloc(o.cap);
    if (!raw || !o.buf) {
        kfree(raw);
        kfree(o.buf);
        return 0;
    }
    printk_log_lines(raw, printk_log_read(raw, PRINTK_LOG_SIZE), take_line, &o);
    kfree(raw);
    *len = o.len;
    *last_ns = o.last_ns > after_ns ? o.last_ns : after_ns;
    return o.buf;
}

/* The newest whole lines of text[0..n) that fit in len bytes, to ubuf: their length or -EFAULT. */
static long copy_tail(uint64_t ubuf, const char *text, size_t n, size_t len)
{
    size_t start = 0;

    while (n - start > len) {                   /* drop whole lines from the front */
        while (start < n && text[start] != '\n')
            start++;
        start++;
    }
    if (start >= n)
        return 0;
    return copy_to_user(ubuf, text + start, n - start) ? -EFAULT : (long)(n - start);
}

static long syslog_read(int type, uint64_t ubuf, int64_t len)
{
    uint64_t last;
    size_t n;
    char *text;
    long r;

    if (!ubuf || len < 0)
        return -EINVAL;
    if (len == 0)
        return 0;
    mutex_lock(&syslog_lock);
    text = syslog_text(type == SYSLOG_ACTION_READ ? (read_ns > cleared_ns ? read_ns : cleared_ns) : cleared_ns,
                       &n, &last);
    if (!text) {
        mutex_unlock(&syslog_lock);
        return -ENOMEM;
    }
    r = copy_tail(ubuf, text, n, (size_t)len);
    if (r >= 0 && type == SYSLOG_ACTION_READ)
        read_ns = last;
    if (r >= 0 && type == SYSLOG_ACTION_READ_CLEAR)
        cleared_ns = last;
    mutex_unlock(&syslog_lock);
    kfree(text);
    return r;
}

static long syslog_unread(void)
{
    uint64_t last;
    size_t n;
    char *text;

    mutex_lock(&syslog_lock);
    text = syslog_text(read_ns > cleared_ns ? read_ns : cleared_ns, &n, &last);
    mutex_unlock(&syslog_lock);
    kfree(text);
    return text ? (long)n : -ENOMEM;
}

/* Linux's console level N shows levels below N: printk's highest level whose Linux number is below N. */
static int console_level_of(int64_t n)
{
    int level = -1;

    for (int l = LOG_ERR; l <= LOG_DEBUG; l++)
        if (linux_level(l) < n)
            level = l;
    return level;
}

long linux_sys_syslog(const uint64_t a[6])
{
    int type = (int)a[0];
    int64_t len = (int)a[2];
    struct proc *p = proc_current();
    int privileged = !p || p->cred.euid == 0;

    switch (type) {
    case SYSLOG_ACTION_CLOSE:
    case SYSLOG_ACTION_OPEN:
        return 0;
    case SYSLOG_ACTION_READ:
    case SYSLOG_ACTION_READ_ALL:
    case SYSLOG_ACTION_READ_CLEAR:
        if (type == SYSLOG_ACTION_READ_CLEAR && !privileged)
            return -EPERM;
        return syslog_read(type, a[1], len);
    case SYSLOG_ACTION_CLEAR:
        if (!privileged)
            return -EPERM;
        mutex_lock(&syslog_lock);
        cleared_ns = clock_ns();
        mutex_unlock(&syslog_lock);
        return 0;
    case SYSLOG_ACTION_CONSOLE_OFF:
    case SYSLOG_ACTION_CONSOLE_ON:
    case SYSLOG_ACTION_CONSOLE_LEVEL:
        if (!privileged)
            return -EPERM;
        if (type == SYSLOG_ACTION_CONSOLE_LEVEL && (len < 1 || len > 8))
            return -EINVAL;
        printk_set_console_level(type == SYSLOG_ACTION_CONSOLE_OFF  ? -1
                                 : type == SYSLOG_ACTION_CONSOLE_ON ? saved_console_level
                                                                    : console_level_of(len));
        if (type == SYSLOG_ACTION_CONSOLE_LEVEL)
            saved_console_level = console_level_of(len);
        return 0;
    case SYSLOG_ACTION_SIZE_UNREAD:
        return syslog_unread();
    case SYSLOG_ACTION_SIZE_BUFFER:
        return PRINTK_LOG_SIZE;
    default:
        return -EINVAL;
    }
}

/* --- getrandom --- */

long linux_sys_getrandom(const uint64_t a[6])
{
    uint8_t chunk[RANDOM_CHUNK];
    uint64_t len = a[1] > GETRANDOM_MAX ? GETRANDOM_MAX : a[1], done = 0;

    if (a[2] & ~(uint64_t)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
        return -EINVAL;
    if ((a[2] & GRND_INSECURE) && (a[2] & GRND_RANDOM))
        return -EINVAL;
    /* Seeded before the first process: never blocks, so GRND_NONBLOCK and GRND_RANDOM change nothing. */
    while (done < len) {
        size_t n = len - done < sizeof chunk ? (size_t)(len - done) : sizeof chunk;

        random_get_bytes(chunk, n);
        if (copy_to_user(a[0] + done, chunk, n)) {
            done = done ? done : (uint64_t)-EFAULT;
            break;
        }
        done += n;
        /* a signal ends a long request early with what it has (Linux: past 256 bytes) */
    }
    for (size_t i = 0; i < sizeof chunk; i++)
        ((volatile uint8_t *)chunk)[i] = 0;
    return (long)done;
}

/* --- reboot --- */

/* linux/reboot.h: the magic numbers (Linus's birthday among them) and the commands. */
#define LINUX_REBOOT_MAGIC1         0xfee1deadu
#define LINUX_REBOOT_MAGIC2         672274793u
#define LINUX_REBOOT_MAGIC2A        85072278u
#define LINUX_REBOOT_MAGIC2B        369367448u
#define LINUX_REBOOT_MAGIC2C        537993216u
#define LINUX_REBOOT_CMD_RESTART    0x01234567u
#define LINUX_REBOOT_CMD_HALT       0xCDEF0123u
#define LINUX_REBOOT_CMD_CAD_ON     0x89ABCDEFu
#define LINUX_REBOOT_CMD_CAD_OFF    0x00000000u
#define LINUX_REBOOT_CMD_POWER_OFF  0x4321FEDCu
#define LINUX_REBOOT_CMD_RESTART2   0xA1B2C3D4u

static int ctrl_alt_del_reboots = 1;        /* kept for CAD_ON/CAD_OFF; the keyboard does not ask yet */

long linux_sys_reboot(const uint64_t a[6])
{
    struct proc *p = proc_current();
    uint32_t m2 = (uint32_t)a[1];

    if (p && p->cred.euid != 0)
        return -EPERM;                      /* Linux: CAP_SYS_BOOT */
    if ((uint32_t)a[0] != LINUX_REBOOT_MAGIC1 || (m2 != LINUX_REBOOT_MAGIC2 && m2 != LINUX_REBOOT_MAGIC2A &&
                                                   m2 != LINUX_REBOOT_MAGIC2B && m2 != LINUX_REBOOT_MAGIC2C))
        return -EINVAL;
    switch ((uint32_t)a[2]) {
    case LINUX_REBOOT_CMD_CAD_ON:
    case LINUX_REBOOT_CMD_CAD_OFF:
        ctrl_alt_del_reboots = (uint32_t)a[2] == LINUX_REBOOT_CMD_CAD_ON;
        return 0;
    case LINUX_REBOOT_CMD_RESTART:
    case LINUX_REBOOT_CMD_RESTART2:         /* its argument string (a firmware hint) is not used */
        printk(LOG_INFO, "[linux] pid %d (%s): reboot: restart\n", p ? p->pid : 0, p ? p->name : "?");
        power_restart(POWER_RESET_ACPI, "linux");
    case LINUX_REBOOT_CMD_POWER_OFF:
        printk(LOG_INFO, "[linux] pid %d (%s): reboot: power off\n", p ? p->pid : 0, p ? p->name : "?");
        power_off("linux");
    case LINUX_REBOOT_CMD_HALT:
        printk(LOG_INFO, "[linux] pid %d (%s): reboot: halt\n", p ? p->pid : 0, p ? p->name : "?");
        power_halt("linux");
    default:
        return -EINVAL;
    }
}
