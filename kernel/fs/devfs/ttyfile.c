/*
 * ttyfile.c - a terminal as a devfs file (/dev/ttyS0, /dev/tty1, ...): read,
 * write and ioctl go to the terminal layer (kernel/tty/tty.h) unchanged;
 * O_NONBLOCK makes an empty read -EAGAIN. A terminal has no position.
 *
 * /dev/tty (5:0) is the opener's controlling terminal (Linux's
 * drivers/tty/tty_io.c, tty_open_current_tty): its open finds the process's
 * ctty, -ENXIO when it has none, and the file then is that terminal's. So
 * every terminal file keeps its terminal in f->priv, set at open.
 */
#include "errno.h"
#include "fs/devfs/devfs.h"
#include "fs/devfs/devices.h"
#include "ipc/pollwait.h"
#include "proc/proc.h"
#include "tty/tty.h"

static int tty_file_open(struct inode *inode, struct file *f)
{
    f->priv = inode->priv;
    return 0;
}

static int ctty_file_open(struct inode *inode, struct file *f)
{
    struct proc *p = proc_current();

    (void)inode;
    if (!p || !p->ctty)
        return -ENXIO;
    f->priv = p->ctty;
    return 0;
}

static long tty_file_read(struct file *f, void *buf, size_t len, uint64_t *pos)
{
    (void)pos;
    return tty_read(f->priv, buf, len, (f->flags & O_NONBLOCK) != 0);
}

static long tty_file_write(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
    (void)pos;
    return tty_write(f->priv, buf, len);
}

static long tty_file_ioctl(struct file *f, unsigned long cmd, unsigned long arg)
{
    return tty_ioctl(f->priv, cmd, (void *)arg);
}

static unsigned tty_file_poll(struct file *f)
{
    return tty_poll(f->priv);
}

const struct file_ops devfs_tty_fops = {
    .open = tty_file_open,
    .read = tty_file_read,
    .write = tty_file_write,
    .ioctl = tty_file_ioctl,
    .poll = tty_file_poll,
};

const struct file_ops devfs_ctty_fops = {
    .open = ctty_file_open,
    .read = tty_file_read,
    .write = tty_file_write,
    .ioctl = tty_file_ioctl,
    .poll = tty_file_poll,
};

struct tty *devfs_file_tty(const struct file *f)
{
    return f->ops == &devfs_tty_fops || f->ops == &devfs_ctty_fops ? f->priv : NULL;
}
