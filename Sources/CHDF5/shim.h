#ifndef KEEL_CHDF5_SHIM_H
#define KEEL_CHDF5_SHIM_H
#include <hdf5.h>

// HDF5's type and property-list "constants" are macros that expand to function calls
// (H5open() plus a global id), which Swift cannot import. These wrappers make them callable.
static inline hid_t keel_h5t_native_float(void)  { return H5T_NATIVE_FLOAT; }
static inline hid_t keel_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t keel_h5t_native_int8(void)   { return H5T_NATIVE_INT8; }
static inline hid_t keel_h5t_native_uint8(void)  { return H5T_NATIVE_UINT8; }
static inline hid_t keel_h5t_native_int16(void)  { return H5T_NATIVE_INT16; }
static inline hid_t keel_h5t_native_int32(void)  { return H5T_NATIVE_INT32; }
static inline hid_t keel_h5t_native_uint32(void) { return H5T_NATIVE_UINT32; }
static inline hid_t keel_h5t_native_int64(void)  { return H5T_NATIVE_INT64; }
static inline hid_t keel_h5t_native_uint64(void) { return H5T_NATIVE_UINT64; }
static inline hid_t keel_h5t_native_hbool(void)  { return H5T_NATIVE_HBOOL; }
static inline hid_t keel_h5t_c_s1(void)          { return H5T_C_S1; }
static inline hid_t keel_h5t_ieee_f32le(void)    { return H5T_IEEE_F32LE; }
static inline hid_t keel_h5t_ieee_f64le(void)    { return H5T_IEEE_F64LE; }
static inline hid_t keel_h5t_std_i32le(void)     { return H5T_STD_I32LE; }
static inline hid_t keel_h5t_std_i64le(void)     { return H5T_STD_I64LE; }
static inline hid_t keel_h5t_std_u8le(void)      { return H5T_STD_U8LE; }
static inline hid_t keel_h5t_std_i8le(void)      { return H5T_STD_I8LE; }
static inline hid_t keel_h5p_default(void)       { return H5P_DEFAULT; }
static inline hid_t keel_h5p_file_access(void)   { return H5P_FILE_ACCESS; }
static inline hid_t keel_h5p_file_create(void)   { return H5P_FILE_CREATE; }
static inline hid_t keel_h5p_group_create(void)  { return H5P_GROUP_CREATE; }
static inline hid_t keel_h5p_dataset_create(void){ return H5P_DATASET_CREATE; }
static inline hid_t keel_h5s_all(void)           { return H5S_ALL; }
static inline size_t keel_h5t_variable(void)     { return H5T_VARIABLE; }

// HDF5 prints an error stack to stderr by default; Keel reports errors itself.
static inline void keel_h5_silence_errors(void)  { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

// More macros Swift cannot import: flags and property-list classes Keel's HDF5 files need.
static inline unsigned keel_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned keel_h5f_acc_rdwr(void)   { return H5F_ACC_RDWR; }
static inline unsigned keel_h5f_acc_trunc(void)  { return H5F_ACC_TRUNC; }
static inline hid_t keel_h5e_default(void)       { return H5E_DEFAULT; }
static inline hid_t keel_h5p_link_create(void)   { return H5P_LINK_CREATE; }
static inline hid_t keel_h5p_attribute_create(void) { return H5P_ATTRIBUTE_CREATE; }
static inline unsigned keel_h5p_crt_order_tracked_indexed(void) {
    return H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
}
static inline unsigned keel_h5p_crt_order_tracked(void) { return H5P_CRT_ORDER_TRACKED; }

#endif
