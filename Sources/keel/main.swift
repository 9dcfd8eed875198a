// The `keel` launcher. It links no Keel target: it prepares the process environment, loads
// libKeel.so from its own directory and hands over to `keel_main`. Plugins link libKeel.so by
// name, so the loader reuses this one copy and host and plugins share one set of registries.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// OpenBLAS 0.3.21 (Debian 12) does not recognise recent Xeons and falls back to a kernel ~5x
/// slower. It reads OPENBLAS_CORETYPE when the library loads, so it must be set before dlopen.
func chooseOpenBLASCoreType() {
    guard getenv("OPENBLAS_CORETYPE") == nil, cpuHasAVX512() else { return }
    setenv("OPENBLAS_CORETYPE", "SkylakeX", 0)
}

/// One thread count for every kernel: KEEL_NUM_THREADS (a positive integer) is also OpenMP's
/// (Keel's own loops, oneDNN) and OpenBLAS's, unless OMP_NUM_THREADS or OPENBLAS_NUM_THREADS say
/// otherwise. The libraries read them when they load.
func shareThreadCount() {
    guard let text = getenv("KEEL_NUM_THREADS"), atoi(text) > 0 else { return }
    setenv("OMP_NUM_THREADS", text, 0)
    setenv("OPENBLAS_NUM_THREADS", text, 0)
}

/// Debian's default OpenBLAS runs on threads of its own, which spin between calls on the cores
/// oneDNN's and Keel's kernels (OpenMP) need next. Its OpenMP build (libopenblas0-openmp) runs on
/// their thread pool instead; loaded first, it is the libopenblas.so.0 that libKeel.so binds to
/// (the loader matches a library's needs by soname against what is already loaded). Without it,
/// the default build serves.
func preferOpenBLASOnOpenMP() {
    var name = utsname()
    uname(&name)
    let machine = withUnsafeBytes(of: &name.machine) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
    _ = dlopen("/usr/lib/\(machine)-linux-gnu/openblas-openmp/libopenblas.so.0", RTLD_NOW | RTLD_GLOBAL)
}

func cpuHasAVX512() -> Bool {
    guard let file = fopen("/proc/cpuinfo", "r") else { return false }
    defer { fclose(file) }
    var line: UnsafeMutablePointer<CChar>? = nil
    var capacity = 0
    defer { free(line) }
    while getline(&line, &capacity, file) > 0 {
        guard let line else { continue }
        if strncmp(line, "flags", 5) == 0 {
            return strstr(line, " avx512f") != nil
        }
    }
    return false
}

func executableDirectory() -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink("/proc/self/exe", &buffer, Int(PATH_MAX))
    guard count > 0 else { return "." }
    let path = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return String(path[..<slash])
}

func fail(_ message: String) -> Never {
    fputs("keel: \(message)\n", stderr)
    exit(70)
}

chooseOpenBLASCoreType()
shareThreadCount()
// When the pthreads build serves: its idle threads spin for 2^28 cycles after each call by
// default, taking the core that Keel's own parallel kernels need between matrix products; 2^10
// measured ~10% faster steps.
setenv("OPENBLAS_THREAD_TIMEOUT", "10", 0)
// OpenMP's idle threads spin 300,000 times by default before sleeping. 100,000 still hands the
// cores from kernel to kernel without a wake-up, and spins less next to the data pipeline's thread;
// measured only weakly (six W2 runs each, on a machine with slow phases of its own).
setenv("GOMP_SPINCOUNT", "100000", 0)
preferOpenBLASOnOpenMP()
let libraryPath = executableDirectory() + "/libKeel.so"
guard let engine = dlopen(libraryPath, RTLD_NOW | RTLD_GLOBAL) else {
    let reason = dlerror().map { String(cString: $0) } ?? "unknown error"
    fail("cannot load the Keel engine library \(libraryPath) (\(reason)); it is built next to the keel executable by `swift build`.")
}
guard let entry = dlsym(engine, "keel_main") else {
    fail("the engine library \(libraryPath) has no keel_main entry point; rebuild Keel with `swift build`.")
}
typealias KeelMain = @convention(c) (Int32, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32
let keelMain = unsafeBitCast(entry, to: KeelMain.self)
exit(keelMain(CommandLine.argc, CommandLine.unsafeArgv))
