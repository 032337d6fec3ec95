#ifndef FLYWHEEL_CBLAS_SHIM_H
#define FLYWHEEL_CBLAS_SHIM_H
// OpenBLAS's CBLAS interface plus its thread-control extensions
// (openblas_set_num_threads, openblas_get_num_threads, openblas_get_corename).
#include <cblas.h>
#endif
