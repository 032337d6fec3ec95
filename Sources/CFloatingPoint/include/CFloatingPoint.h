#ifndef FLYWHEEL_CFLOATINGPOINT_H
#define FLYWHEEL_CFLOATINGPOINT_H
/// Sets the calling thread's SSE control register to flush denormal results to zero and treat
/// denormal inputs as zero (FTZ + DAZ), as TensorFlow and oneDNN do during training. Arithmetic on
/// denormals is up to 100x slower on x86; values below 1.2e-38 carry no information a network
/// uses. No effect on other architectures.
void fw_flush_denormals_to_zero(void);
/// Whether the calling thread flushes denormals (1) or not (0).
int fw_flushes_denormals(void);
#endif
