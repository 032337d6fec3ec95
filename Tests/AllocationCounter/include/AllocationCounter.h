#ifndef FLYWHEEL_ALLOCATION_COUNTER_H
#define FLYWHEEL_ALLOCATION_COUNTER_H
// Counts heap allocations made by the calling thread between start and stop. The test binary
// defines malloc and its relatives (forwarding to glibc's __libc_* entry points), so every
// allocation in the process, Swift's included, passes through here.
void allocation_counter_start(void);
/// Allocations (malloc, calloc, realloc, memalign family) by this thread since start.
long allocation_counter_stop(void);
#endif
