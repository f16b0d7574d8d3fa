/// glibc's malloc raises its mmap threshold to the size of the largest block freed so far. After one of ROOT's
/// 25 MB baskets it serves them all from the heap, whose holes it keeps: peak RSS on a 1 GB file doubled. A fixed
/// threshold (which also turns that adjustment off) keeps big buffers in mmap, returned to the system when freed.
@_silgen_name("mallopt")
private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32

enum MemoryTuning {
    private static let mmapThresholdParameter: Int32 = -3  // M_MMAP_THRESHOLD (malloc.h)

    static func apply() {
        #if os(Linux)
        _ = mallopt(mmapThresholdParameter, 4 << 20)
        #endif
    }
}
