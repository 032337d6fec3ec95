#include "CFloatingPoint.h"
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#define FW_FTZ_DAZ 0x8040u
void fw_flush_denormals_to_zero(void) { _mm_setcsr(_mm_getcsr() | FW_FTZ_DAZ); }
int fw_flushes_denormals(void) { return (_mm_getcsr() & FW_FTZ_DAZ) == FW_FTZ_DAZ; }
#else
void fw_flush_denormals_to_zero(void) {}
int fw_flushes_denormals(void) { return 0; }
#endif
