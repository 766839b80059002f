/*
 * top.c - top: a view refreshed every -d SECONDS (1 unless told) of each
 * CPU's use, from the changes of /proc/stat's cpuN lines between two
 * reads, and of the busiest processes, from the changes of their CPU time
 * in /proc/N/stat (procs.c; docs/tools.md):
 *   top - up 12.34 s, 5 processes, 1 running, 2 CPUs
 *   cpu0   12.0% [#####                                   ]
 *     PID S  %CPU       TIME CMD
 * The first frame counts since boot (no earlier read to compare), the
 * next ones since the frame before. -n N stops after N frames; -b (batch)
 * writes frames one after another without clearing the screen, for a
 * file or a test; -m N shows the N busiest processes (10).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "procs.h"
#include "tools.h"

#define USER_HZ         100
#define CPUS_MAX        64
#define BAR_WIDTH       40
#define CLEAR_SCREEN    "\033[H\033[J"

struct cpu_times {
    unsigned count;                 /* CPUs found */
    unsigned long long busy[CPUS_MAX], total[CPUS_MAX];
};

struct frame {
    struct cpu_times cpu;
    struct procs_entry *procs;
    unsigned nprocs;
};

static void usage(void)
{
    fprintf(stderr, "usage: top [-b] [-n FRAMES] [-d SECONDS] [-m PROCESSES]\n");
    exit(2);
}

/* Every "cpuN user nice system idle iowait irq softirq steal" line of /proc/stat. */
static void read_cpus(struct cpu_times *c)
{
    char *text = tool_read_proc_or_fail("stat", NULL);

    memset(c, 0, sizeof *c);
    for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        unsigned cpu;
        unsigned long long v[8] = { 0 };
        if (sscanf(line, "cpu%u %llu %llu %llu %llu %llu %llu %llu %llu", &cpu, &v[0], &v[1], &v[2], &v[3], &v[4],
                   &v[5], &v[6], &v[7]) < 5)
            continue;
        if (cpu >= CPUS_MAX)
            continue;
        c->total[cpu] = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
        c->busy[cpu] = c->total[cpu] - v[3] - v[4];
        if (cpu + 1 > c->count)
            c->count = cpu + 1;
    }
    if (c->count == 0)
        tool_fail("%s/stat has no cpuN lines", tool_proc_root());
    free(text);
}

static void print_cpus(const struct cpu_times *now, const struct cpu_times *before)
{
    for (unsigned i = 0; i < now->count; i++) {
        unsigned long long total = now->total[i] - (before ? before->total[i] : 0);
        unsigned long long busy = now->busy[i] - (before ? before->busy[i] : 0);
        double share = total ? 100.0 * (double)busy / (double)total : 0;
        int width = (int)(share * BAR_WIDTH / 100 + 0.5);

        printf("cpu%-3u %5.1f%% [%.*s%*s]\n", i, share, width, "########################################",
               BAR_WIDTH - width, "");
    }
}

/* The CPU ticks process e used since the frame before (all of them in the first frame). */
static unsigned long long used_since(const struct procs_entry *e, const struct frame *before)
{
    if (before)
        for (unsigned i = 0; i < before->nprocs; i++)
            if (before->procs[i].pid == e->pid)
                return e->ticks >= before->procs[i].ticks ? e->ticks - before->procs[i].ticks : 0;
    return e->ticks;
}

struct ranked {
    const struct procs_entry *e;
    unsigned long long used;
};

static int busiest_first(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;

    if (x->used != y->used)
        return x->used < y->used ? 1 : -1;
    return x->e->pid - y->e->pid;
}

static void print_procs(const struct frame *now, const struct frame *before, unsigned shown)
{
    struct ranked *r = calloc(now->nprocs ? now->nprocs : 1, sizeof *r);
    unsigned long long elapsed = now->cpu.total[0] - (before ? before->cpu.total[0] : 0);

    if (!r)
        tool_fail("out of memory");
    for (unsigned i = 0; i < now->nprocs; i++)
        r[i] = (struct ranked){ &now->procs[i], used_since(&now->procs[i], before) };
    qsort(r, now->nprocs, sizeof *r, busiest_first);
    printf("%5s %c %5s %10s %s\n", "PID", 'S', "%CPU", "TIME", "CMD");
    for (unsigned i = 0; i < now->nprocs && i < shown; i++) {
        const struct procs_entry *e = r[i].e;
        printf("%5d %c %5.1f %4llu:%02llu.%02llu %s\n", e->pid, e->state,
               elapsed ? 100.0 * (double)r[i].used / (double)elapsed : 0.0,
               (unsigned long long)(e->ticks / USER_HZ / 60), (unsigned long long)(e->ticks / USER_HZ % 60),
               (unsigned long long)(e->ticks % USER_HZ), e->cmd);
    }
    free(r);
}

static void print_frame(const struct frame *now, const struct frame *before, unsigned shown, int batch)
{
    char *uptime = tool_read_proc("uptime", NULL);
    unsigned running = 0;

    for (unsigned i = 0; i < now->nprocs; i++)
        running += now->procs[i].state == 'R';
    if (!batch)
        fputs(CLEAR_SCREEN, stdout);
    printf("top - up %.*s s, %u processes, %u running, %u CPUs\n", uptime ? (int)strcspn(uptime, " \n") : 1,
           uptime ? uptime : "?", now->nprocs, running, now->cpu.count);
    free(uptime);
    print_cpus(&now->cpu, before ? &before->cpu : NULL);
    print_procs(now, before, shown);
    if (batch)
        putchar('\n');
    fflush(stdout);
}

static void wait_seconds(double seconds)
{
    struct timespec ts = { (time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9) };

    while (nanosleep(&ts, &ts) != 0)
        ;
}

int main(int argc, char **argv)
{
    long frames = -1, shown = 10;
    double delay = 1;
    int batch = 0, opt;
    struct frame before = { 0 }, now;
    char *end;

    tool_name = "top";
    while ((opt = getopt(argc, argv, "bn:d:m:")) != -1) {
        if (opt == 'b')
            batch = 1;
        else if (opt == 'n' && (tool_parse_number(optarg, &frames) != 0 || frames < 1))
            tool_fail("-n wants a number of frames, 1 or more, not \"%s\"", optarg);
        else if (opt == 'm' && (tool_parse_number(optarg, &shown) != 0 || shown < 1))
            tool_fail("-m wants a number of processes, 1 or more, not \"%s\"", optarg);
        else if (opt == 'd' && ((delay = strtod(optarg, &end)) < 0 || *end || end == optarg || delay > 3600))
            tool_fail("-d wants seconds, 0 to 3600, not \"%s\"", optarg);
        else if (opt != 'b' && opt != 'n' && opt != 'm' && opt != 'd')
            usage();
    }
    if (optind != argc)
        usage();
    for (long f = 0; frames < 0 || f < frames; f++) {
        if (f > 0)
            wait_seconds(delay);
        read_cpus(&now.cpu);
        now.procs = procs_list(&now.nprocs);
        print_frame(&now, f > 0 ? &before : NULL, (unsigned)shown, batch);
        free(before.procs);
        before = now;
    }
    free(before.procs);
    return 0;
}
