# Sourced by the benchmark scripts: the vector width a run measures, on both sides.
#   WIDTH=64  the JVM's 512-bit vectors (AVX-512) against OpenBLAS's own kernel choice
#   WIDTH=32  -XX:UseAVX=2 -XX:MaxVectorSize=32 (AVX2) against OpenBLAS's Haswell (AVX2) kernels
#   WIDTH=16  -XX:MaxVectorSize=16 (NEON's 128 bits) against OpenBLAS's Nehalem (SSE, 128-bit) kernels
#   WIDTH=    (default) the JVM's and OpenBLAS's own choice
#   BLAS_CORE=NAME  overrides the OpenBLAS kernel (OPENBLAS_CORETYPE); BLAS_CORE= keeps OpenBLAS's choice
# Defines JVM_WIDTH (JVM options), torch_env (runs a command with the PyTorch side's environment:
# OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which this machine may set for old OpenBLAS builds, unset
# there alone, then BLAS_CORE and the thread count) and print_width (prints both sides' width).
WIDTH=${WIDTH:-}
case "$WIDTH" in
  "") JVM_WIDTH=(); BLAS_CORE=${BLAS_CORE-} ;;
  64) JVM_WIDTH=(-XX:MaxVectorSize=64); BLAS_CORE=${BLAS_CORE-} ;;
  32) JVM_WIDTH=(-XX:+IgnoreUnrecognizedVMOptions -XX:UseAVX=2 -XX:MaxVectorSize=32); BLAS_CORE=${BLAS_CORE-Haswell} ;;
  16) JVM_WIDTH=(-XX:MaxVectorSize=16); BLAS_CORE=${BLAS_CORE-Nehalem} ;;
  *) echo "WIDTH must be 16, 32 or 64 (bytes, as -XX:MaxVectorSize), got '$WIDTH'" >&2; exit 2 ;;
esac

torch_env() {
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE ${BLAS_CORE:+OPENBLAS_CORETYPE=$BLAS_CORE} \
    OPENBLAS_NUM_THREADS="$THREADS" OMP_NUM_THREADS="$THREADS" "$@"
}

# print_width JAR: the Java kernels' width and blocks, and the OpenBLAS kernel PyTorch loads.
print_width() {
  local here
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  echo "java:    $(java "${JVM_WIDTH[@]}" --add-modules jdk.incubator.vector -cp "$1" "$here/VectorWidth.java" 2>/dev/null)"
  echo "pytorch: $(torch_env OPENBLAS_VERBOSE=2 "${PYTHON:-/usr/bin/python3}" -c '
import torch
torch.ones(64, 64) @ torch.ones(64, 64)
blas = sorted({l.split()[-1] for l in open("/proc/self/maps") if "blas" in l})
print("torch", torch.__version__, "BLAS", " ".join(blas))' 2>&1 | tr '\n' ' ')"
}
