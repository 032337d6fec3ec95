#ifndef FLYWHEEL_CHDF5_SHIM_H
#define FLYWHEEL_CHDF5_SHIM_H
// HDF5's C API. Its type and property-list identifiers (H5T_NATIVE_*, H5P_*) and file-access
// flags are macros that call H5open(), which Swift cannot import; each is exposed here as a
// static inline function, which also initialises the library on first use.
#include <hdf5.h>
#include <stdio.h>
#include <string.h>

static inline hid_t fw_h5t_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t fw_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t fw_h5t_native_int32(void) { return H5T_NATIVE_INT32; }
static inline hid_t fw_h5t_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t fw_h5t_native_uint8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t fw_h5t_c_s1(void) { return H5T_C_S1; }
static inline size_t fw_h5t_variable(void) { return H5T_VARIABLE; }
static inline hid_t fw_h5p_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t fw_h5p_file_access(void) { return H5P_FILE_ACCESS; }
static inline hid_t fw_h5p_link_create(void) { return H5P_LINK_CREATE; }
static inline unsigned fw_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned fw_h5f_acc_excl(void) { return H5F_ACC_EXCL; }
static inline unsigned fw_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned fw_h5f_acc_rdwr(void) { return H5F_ACC_RDWR; }
static inline unsigned fw_h5f_obj_all(void) { return H5F_OBJ_ALL; }
static inline hsize_t fw_h5s_unlimited(void) { return H5S_UNLIMITED; }
static inline hid_t fw_h5p_default(void) { return H5P_DEFAULT; }
static inline hid_t fw_h5s_all(void) { return H5S_ALL; }
static inline hid_t fw_h5e_default(void) { return H5E_DEFAULT; }
static inline hid_t fw_h5p_group_create(void) { return H5P_GROUP_CREATE; }
static inline hid_t fw_h5p_file_create(void) { return H5P_FILE_CREATE; }

/// Open HDF5 identifiers of every kind in every file of the process.
static inline ssize_t fw_h5_open_object_count(void) { return H5Fget_obj_count((hid_t)H5F_OBJ_ALL, H5F_OBJ_ALL); }

static herr_t fw_h5_collect_error(unsigned n, const H5E_error2_t *err, void *data) {
    char *out = (char *)data;
    size_t used = strlen(out);
    if (used + 4 >= 1024 || err->desc == NULL) return 0;
    snprintf(out + used, 1024 - used, "%s%s", used ? "; " : "", err->desc);
    return 0;
}

/// HDF5's messages for the current thread's error stack, innermost first, joined by "; " into
/// `out` (1024 bytes). Clears the stack.
static inline void fw_h5_error_messages(char *out) {
    out[0] = 0;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, fw_h5_collect_error, out);
    H5Eclear2(H5E_DEFAULT);
}
#endif
