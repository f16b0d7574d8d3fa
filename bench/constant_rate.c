/*
 * constant_rate: GET one URL at a constant rate with evenly spaced requests, over keep-alive connections, and
 * print latency percentiles. `hey -q R -c C` starts its C workers together, so its requests arrive in bursts of C
 * every C/R seconds; here connection i of C sends at t0 + i/R + k*C/R, so one request leaves every 1/R seconds.
 * Latency is measured from the time a request was due, not when it left: a connection still waiting for its last
 * answer makes the next one late, and that wait counts (no coordinated omission, as in wrk2).
 *
 *   constant_rate HOST PORT PATH RATE SECONDS CONNECTIONS
 *
 * Prints: requests, achieved req/s, errors, then p50/p90/p99/p99.9/max in ms. Loopback use only (bench_api.sh).
 */
#define _GNU_SOURCE /* strcasestr */
#include <arpa/inet.h>
#include <netdb.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    int index;
    double *latencies; /* seconds */
    long count, capacity, errors;
} worker_t;

static const char *host, *path;
static int port, connections;
static double rate, seconds, start;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void sleep_until(double when) {
    struct timespec t = {(time_t)when, (long)((when - (time_t)when) * 1e9)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR) {}
}

static int connect_to_server(void) {
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *found;
    char service[16];
    snprintf(service, sizeof service, "%d", port);
    if (getaddrinfo(host, service, &hints, &found) != 0) return -1;
    int fd = socket(found->ai_family, found->ai_socktype, found->ai_protocol), on = 1;
    if (fd >= 0) setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    if (fd >= 0 && connect(fd, found->ai_addr, found->ai_addrlen) != 0) {
        close(fd);
        fd = -1;
    }
    freeaddrinfo(found);
    return fd;
}

/* One request and its whole answer; 0 when the status is 200 and the body has its Content-Length. */
static int exchange(int fd, const char *request, size_t length, char *buffer, size_t size) {
    if (send(fd, request, length, 0) != (ssize_t)length) return -1;
    size_t have = 0;
    char *end = NULL;
    while (!end) {
        if (have == size - 1) return -1;
        ssize_t n = recv(fd, buffer + have, size - 1 - have, 0);
        if (n <= 0) return -1;
        have += (size_t)n;
        buffer[have] = 0;
        end = strstr(buffer, "\r\n\r\n");
    }
    int ok = strncmp(buffer, "HTTP/1.1 200", 12) == 0;
    char *field = strcasestr(buffer, "\r\ncontent-length:");
    if (!field || field > end) return -1;
    long body = strtol(field + 17, NULL, 10);
    long rest = body - (long)(have - (size_t)(end + 4 - buffer));
    while (rest > 0) {
        ssize_t n = recv(fd, buffer, size - 1 < (size_t)rest ? size - 1 : (size_t)rest, 0);
        if (n <= 0) return -1;
        rest -= n;
    }
    return ok ? 0 : -1;
}

static void *run(void *argument) {
    worker_t *worker = argument;
    char request[2048];
    size_t length = (size_t)snprintf(request, sizeof request, "GET %s HTTP/1.1\r\nHost: %s:%d\r\n\r\n", path, host, port);
    size_t size = 1 << 20;
    char *buffer = malloc(size);
    int fd = connect_to_server();
    double interval = connections / rate;
    for (long k = 0;; k++) {
        double due = start + worker->index / rate + k * interval;
        if (due >= start + seconds) break;
        sleep_until(due);
        if (fd < 0) fd = connect_to_server();
        int failed = fd < 0 || exchange(fd, request, length, buffer, size) != 0;
        double latency = now() - due;
        if (failed) {
            worker->errors++;
            if (fd >= 0) close(fd);
            fd = -1;
            continue;
        }
        if (worker->count == worker->capacity) {
            worker->capacity = worker->capacity ? 2 * worker->capacity : 1024;
            worker->latencies = realloc(worker->latencies, (size_t)worker->capacity * sizeof(double));
        }
        worker->latencies[worker->count++] = latency;
    }
    if (fd >= 0) close(fd);
    free(buffer);
    return NULL;
}

static int ascending(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: %s HOST PORT PATH RATE SECONDS CONNECTIONS\n", argv[0]);
        return 2;
    }
    host = argv[1], port = atoi(argv[2]), path = argv[3];
    rate = atof(argv[4]), seconds = atof(argv[5]), connections = atoi(argv[6]);
    if (port <= 0 || rate <= 0 || seconds <= 0 || connections <= 0) {
        fprintf(stderr, "constant_rate: PORT, RATE, SECONDS and CONNECTIONS must be positive\n");
        return 2;
    }
    worker_t *workers = calloc((size_t)connections, sizeof *workers);
    pthread_t *threads = calloc((size_t)connections, sizeof *threads);
    start = now() + 0.2; /* every connection is open before the first request is due */
    for (int i = 0; i < connections; i++) {
        workers[i].index = i;
        pthread_create(&threads[i], NULL, run, &workers[i]);
    }
    long total = 0, errors = 0;
    for (int i = 0; i < connections; i++) {
        pthread_join(threads[i], NULL);
        total += workers[i].count;
        errors += workers[i].errors;
    }
    double *all = malloc((size_t)(total ? total : 1) * sizeof(double));
    long at = 0;
    for (int i = 0; i < connections; i++) {
        memcpy(all + at, workers[i].latencies, (size_t)workers[i].count * sizeof(double));
        at += workers[i].count;
    }
    qsort(all, (size_t)total, sizeof(double), ascending);
    double elapsed = now() - start;
#define PERCENTILE(p) (total ? all[(long)((p) / 100.0 * (total - 1))] * 1000 : 0)
    printf("requests %ld, %.0f req/s, errors %ld\n", total, total / elapsed, errors);
    printf("latency ms: p50 %.2f, p90 %.2f, p99 %.2f, p99.9 %.2f, max %.2f\n", PERCENTILE(50), PERCENTILE(90),
           PERCENTILE(99), PERCENTILE(99.9), PERCENTILE(100));
    return errors ? 1 : 0;
}
