import DQMIO
import Foundation
import ROOTIO

/// Reads `bytes` as a DQMIO file the way `dump` does, through every layer. Any `Error` is the expected outcome
/// of a malformed input; a trap, a sanitizer report or a hang is a bug.
func readEverything(_ bytes: [UInt8]) {
    do {
        let file = try DQMIOFile(root: ROOTFile(source: MemoryByteSource(bytes), path: "fuzz-input"))
        _ = try FileSummary(file)
        try file.forEachMonitorElement(Selection(includeRunLevel: true), threads: 1) { _ = $0.jsonLine() }
    } catch {
    }
}

#if FUZZING
/// libFuzzer's entry point (built with `make fuzz`: -sanitize=fuzzer,address).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    readEverything(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32) -> Int32

/// SwiftPM links an executable's entry point as `<target>_main`; hand control to libFuzzer's driver from there.
@_cdecl("dqmio_fuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments, fuzzOne)
}
#else
/// Without libFuzzer: replays the inputs named on the command line (e.g. a crash file the fuzzer saved).
@main
struct FuzzReplay {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            readEverything([UInt8](data))
            print("read \(path) without a crash")
        }
    }
}
#endif
