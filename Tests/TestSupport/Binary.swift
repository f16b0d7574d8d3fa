import Foundation

/// The built `mlplayground` executable, run as users run it.
public enum Binary {
    public struct Outcome: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// The products folder holds both the test bundle and the executable.
    public static let url: URL = {
        let bundle = Bundle.main.bundleURL
        let folder = bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : bundle
        return folder.appendingPathComponent("mlplayground")
    }()

    /// Runs to completion and returns what it printed. `stoppedAfter`: terminated after that many seconds — a
    /// bound for a command that might hang, not an ordering (the test then fails on what it printed).
    public static func run(_ arguments: [String], environment: [String: String] = [:], directory: URL? = nil,
                           stoppedAfter seconds: Double? = nil) async throws -> Outcome {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        if let directory { process.currentDirectoryURL = directory }
        return try await capture(process, stoppedAfter: seconds)
    }

    /// Runs `process` to its end and returns what it printed, reading its output and its errors at once (reading
    /// one to its end first deadlocks when the other fills its pipe). The waiting is done on a thread of its own:
    /// on the cooperative pool (two threads here) a few commands at once starved every other test's tasks.
    public static func capture(_ process: Process, stoppedAfter seconds: Double? = nil) async throws -> Outcome {
        try await offPool { try captureBlocking(process, stoppedAfter: seconds) }
    }

    /// Runs `body`, which blocks (waits for a process, reads a pipe), on a thread of its own.
    public static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result(catching: body)) }
        }
    }

    private static func captureBlocking(_ process: Process, stoppedAfter seconds: Double?) throws -> Outcome {
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let watchdog = DispatchWorkItem { process.terminate() }
        if let seconds { DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: watchdog) }
        defer { watchdog.cancel() }
        let errors = PipeReader(err.fileHandleForReading)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.wait()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                       stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Reads a pipe to its end on a thread of its own.
    final class PipeReader: @unchecked Sendable {  // `data` is written before `done` is signalled, and read after
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle) {
            Thread.detachNewThread { [self] in
                data = handle.readDataToEndOfFile()
                done.signal()
            }
        }

        func wait() -> Data {
            done.wait()
            return data
        }
    }

    /// Starts it in the background (output discarded unless captured).
    public static func start(_ arguments: [String], environment: [String: String] = [:], directory: URL? = nil,
                             capture: Bool = false) throws -> Process {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        if let directory { process.currentDirectoryURL = directory }
        if capture {
            process.standardOutput = Pipe()
            process.standardError = Pipe()
        } else {
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        return process
    }
}
