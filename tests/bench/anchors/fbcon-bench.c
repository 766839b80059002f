/*
 * fbcon-bench.c - the Linux fbcon anchor's guest program (built with
 * musl-gcc -static by linux-fbcon.sh, run by the initramfs's init on Linux
 * 6.1 with vesafb at 1024x768x32, 128x48 cells of the 8x16 font): what
 * drawing text on tty1 costs Linux, in guest TSC ticks (instructions under
 * QEMU's -icount shift=0,sleep=off), the same operations as Tessera's
 * bench=term (kernel/test/bench_term.c):
 *
 *   fbcon-bench screen TTY
 *     term_draw_screen   write(TTY) of "ESC [ H" and cols x rows printable
 *                        characters, the page of bench_term.c (no scroll:
 *                        the last one leaves its wrap pending); median of
 *                        21 trials of 2 writes
 *     term_scroll_line   write(TTY) of "\n" with the cursor on the last row
 *                        of a screen full of that page (refilled, untimed,
 *                        before each trial: fbcon's redraw skips cells that
 *                        do not change, so a blank screen would scroll for
 *                        almost nothing); median of 21 trials of 1
 *   fbcon-bench cat TTY LINES
 *     term_cat_line      `cat` of a file of LINES lines of cols characters
 *                        each (line k, column i: '!' + (i + k) % 94, so
 *                        every line differs from the next in every cell) to
 *                        TTY: read() 64 KiB at a time, write() each piece;
 *                        each line is drawn and scrolls the screen by one;
 *                        per line, median of 7 trials after one warm-up
 *   fbcon-bench keys TTY N
 *     N letters typed through the 8042 (ioperm: command D2 puts the scan
 *     code in the controller's output buffer and raises IRQ 1, as
 *     Tessera's bench_keyecho.c does), each read back from TTY in
 *     non-canonical mode with ECHO, then released; and N getppid() calls.
 *     It measures nothing itself: the init's kprobe events (i8042_interrupt
 *     entry, fbcon_putcs return; getppid's entry and return to calibrate
 *     the probes' own cost) are read by linux-fbcon.sh
 *
 * Lines out: "bench: NAME tsc_per_op=N min=N max=N".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#define TRIALS      21
#define CAT_TRIALS  7
#define CAT_CHUNK   65536

static inline uint64_t tsc(void)
{
    uint32_t lo, hi;
    __asm__ __volatile__("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi)::"memory");
    return (uint64_t)hi << 32 | lo;
}

static int cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void report(const char *name, uint64_t *v, int n)
{
    qsort(v, n, sizeof *v, cmp);
    printf("bench: %s tsc_per_op=%llu min=%llu max=%llu\n", name, (unsigned long long)v[n / 2],
           (unsigned long long)v[0], (unsigned long long)v[n - 1]);
    fflush(stdout);
}

static void put(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w <= 0) {
            perror("fbcon-bench: write");
            exit(1);
        }
        s += w, n -= (size_t)w;
    }
}

static int open_tty(const char *path, unsigned *cols, unsigned *rows)
{
    struct winsize ws;
    int fd = open(path, O_RDWR | O_NOCTTY);

    if (fd < 0 || ioctl(fd, TIOCGWINSZ, &ws) < 0) {
        perror(path);
        exit(1);
    }
    *cols = ws.ws_col, *rows = ws.ws_row;
    return fd;
}

static void bench_screen(const char *path)
{
    unsigned cols, rows;
    int fd = open_tty(path, &cols, &rows);
    size_t n = 0, len = (size_t)cols * rows + 3;
    char *page = malloc(len);
    uint64_t v[TRIALS];

    page[n++] = 0x1B, page[n++] = '[', page[n++] = 'H';
    for (unsigned i = 0; i < cols * rows; i++)
        page[n++] = (char)('!' + i * 7 % 94);
    printf("bench: linux screen %ux%u cells\n", cols, rows);
    put(fd, page, len);                         /* warm-up */
    for (int t = 0; t < TRIALS; t++) {
        uint64_t s = tsc();
        put(fd, page, len);
        put(fd, page, len);
        v[t] = (tsc() - s) / 2;
    }
    report("term_draw_screen", v, TRIALS);
    for (int t = 0; t < TRIALS; t++) {
        put(fd, page, len);                     /* the cursor ends on the last row */
        uint64_t s = tsc();
        put(fd, "\n", 1);
        v[t] = tsc() - s;
    }
    report("term_scroll_line", v, TRIALS);
    free(page);
    close(fd);
}

static void bench_cat(const char *path, int lines)
{
    unsigned cols, rows;
    int fd = open_tty(path, &cols, &rows);
    const char *file = "/tmp/lines";
    char *buf = malloc(CAT_CHUNK), *line = malloc(cols + 1);
    uint64_t v[CAT_TRIALS];
    int out = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);

    for (int k = 0; k < lines; k++) {
        for (unsigned i = 0; i < cols; i++)
            line[i] = (char)('!' + (i + (unsigned)k) % 94);
        line[cols] = '\n';
        put(out, line, cols + 1);
    }
    close(out);
    for (int t = -1; t < CAT_TRIALS; t++) {     /* t = -1: the warm-up */
        int in = open(file, O_RDONLY);
        ssize_t n;
        uint64_t s = tsc();
        while ((n = read(in, buf, CAT_CHUNK)) > 0)
            put(fd, buf, (size_t)n);
        uint64_t e = tsc();
        close(in);
        if (t >= 0)
            v[t] = (e - s) / (uint64_t)lines;
    }
    report("term_cat_line", v, CAT_TRIALS);
    free(buf);
    free(line);
    close(fd);
}

/* 'a' s d f g h j k l q w e r t u i o p: set 1 make codes (the controller translates). */
static const struct { char ch; unsigned char make; } letters[] = {
    { 'a', 0x1E }, { 's', 0x1F }, { 'd', 0x20 }, { 'f', 0x21 }, { 'g', 0x22 }, { 'h', 0x23 },
    { 'j', 0x24 }, { 'k', 0x25 }, { 'l', 0x26 }, { 'q', 0x10 }, { 'w', 0x11 }, { 'e', 0x12 },
    { 'r', 0x13 }, { 't', 0x14 }, { 'u', 0x16 }, { 'i', 0x17 }, { 'o', 0x18 }, { 'p', 0x19 },
};

static void inject(unsigned char byte)
{
    for (int i = 0; i < 100000 && (inb(0x64) & 2); i++)
        ;
    outb(0xD2, 0x64);
    for (int i = 0; i < 100000 && (inb(0x64) & 2); i++)
        ;
    outb(byte, 0x60);
}

static void bench_keys(const char *path, int n)
{
    unsigned cols, rows;
    int fd = open_tty(path, &cols, &rows);
    struct termios tio, old;
    int got = 0;

    if (ioperm(0x60, 5, 1) < 0) {
        perror("fbcon-bench: ioperm");
        exit(1);
    }
    tcgetattr(fd, &old);
    tio = old;
    tio.c_lflag &= (tcflag_t)~ICANON;           /* each key read at once; ECHO stays on */
    tio.c_lflag |= ECHO;
    tio.c_cc[VMIN] = 1, tio.c_cc[VTIME] = 0;
    tcsetattr(fd, TCSANOW, &tio);
    put(fd, "\x1b[H\x1b[2J", 7);                /* the echo on row 0, nothing scrolls */
    for (int k = 0; k < n; k++) {
        unsigned char make = letters[k % (int)(sizeof letters / sizeof letters[0])].make;
        char c;
        inject(make);
        if (read(fd, &c, 1) == 1 && c == letters[k % (int)(sizeof letters / sizeof letters[0])].ch)
            got++;
        inject(make | 0x80);
        usleep(20000);
    }
    for (int k = 0; k < n; k++)
        syscall(SYS_getppid);
    tcsetattr(fd, TCSANOW, &old);
    printf("bench: linux keys typed %d, echoed and read back %d\n", n, got);
    fflush(stdout);
    close(fd);
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "screen"))
        bench_screen(argv[2]);
    else if (argc == 4 && !strcmp(argv[1], "cat"))
        bench_cat(argv[2], atoi(argv[3]));
    else if (argc == 4 && !strcmp(argv[1], "keys"))
        bench_keys(argv[2], atoi(argv[3]));
    else {
        fprintf(stderr, "usage: fbcon-bench screen TTY | cat TTY LINES | keys TTY N\n");
        return 2;
    }
    return 0;
}
