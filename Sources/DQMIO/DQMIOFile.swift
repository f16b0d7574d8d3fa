import ROOTIO

/// A DQMIO file opened for reading: its GUID, its Indices rows, and its per-type trees on demand.
public final class DQMIOFile: Sendable {
    public let root: ROOTFile
    public let guid: String?
    public let indices: [IndexEntry]

    public var path: String { root.path }

    /// Opens `path` and reads its Indices tree (not the histograms). Any error names the file.
    public convenience init(path: String) throws {
        try self.init(root: try ROOTFile(path: path))
    }

    public init(root: ROOTFile) throws {
        self.root = root
        guid = try Self.readGUID(root)
        indices = try IndexEntry.readAll(from: root)
    }

    /// Distinct (run, lumi > 0) in the Indices, lumisections without MEs included, in (run, lumi) order.
    public var lumisections: [(run: UInt32, lumi: UInt32)] {
        Set(indices.filter { !$0.isRunLevel }.map { UInt64($0.run) << 32 | UInt64($0.lumi) })
            .sorted().map { (run: UInt32($0 >> 32), lumi: UInt32($0 & 0xFFFF_FFFF)) }
    }

    /// The `cms::edm::GUID` key: a std::string object (length byte, characters).
    private static func readGUID(_ root: ROOTFile) throws -> String? {
        guard let key = root.root.keys.first(where: { $0.name == "cms::edm::GUID" }) else { return nil }
        return try root.attributing {
            var cursor = try key.payloadCursor(from: root.source)
            return try ROOTError.framed("key cms::edm::GUID") { try cursor.string() }
        }
    }

    /// The tree holding MEs of `kind`.
    public func tree(_ kind: MonitorElementKind) throws -> Tree {
        try Tree.read(named: kind.treeName, from: root)
    }

    /// Reads the selected MEs in Indices order (see `MonitorElementReader`).
    public func forEachMonitorElement(_ selection: Selection = Selection(), threads: Int = defaultThreads,
                                      _ body: (MonitorElement) throws -> Void) throws {
        try MonitorElementReader(file: self, selection: selection, threads: threads).forEach(body)
    }

    public static var defaultThreads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}

import Foundation
