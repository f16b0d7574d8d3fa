import Catalog
import DQMIO
import Foundation
import Synchronization

/// DETL: loads one file's selected per-LS histograms into the catalog, streaming — the reader runs on its own
/// thread and hands over batches of a few MB, at most two waiting, so memory does not grow with the file.
/// Success: FINISHED with counts. Any error: its failure status (ROOTFILE_ERROR, PARSING_ERROR, …; a cancellation:
/// FAILED) with the message; the transaction leaves
/// nothing of the load behind, and the rows (and count) of an earlier load stay.
public struct ETL: Sendable {
    public let catalog: Catalog
    public let settings: PipelineSettings

    public init(catalog: Catalog, settings: PipelineSettings) {
        self.catalog = catalog
        self.settings = settings
    }

    /// Queues the ETL of a file (or returns its queued or running job) and marks the file PENDING (a running load
    /// keeps RUNNING).
    @discardableResult
    public static func enqueue(fileID: Int64, catalog: Catalog) async throws -> JobRecord {
        try await catalog.enqueue(job(fileID: fileID), pendingFile: fileID)
    }

    /// The ETL job of a file: one queued or running at a time.
    static func job(fileID: Int64) -> NewJob {
        NewJob(queue: Queues.etl, kind: Queues.ingestKind, payload: String(fileID), dedupeKey: "ingest:\(fileID)", maxAttempts: 3)
    }

    /// Loads file `fileID`; returns how many MEs were loaded. `progress` hears (done, total).
    public func ingest(fileID: Int64, progress: @escaping @Sendable (Int, Int) async -> Void = { _, _ in }) async throws -> Int {
        guard let record = try await catalog.file(id: fileID) else { throw CatalogError("no file with id \(fileID)") }
        try await catalog.setStatus(fileID: fileID, .started)
        do {
            let dqmio = try DQMIOFile(path: record.path)
            let lumisections = dqmio.lumisections
            let total = record.mes
            let catalog = catalog
            let liveCount = Throttle(interval: .milliseconds(250))
            let (batches, handoff) = Self.batches(dqmio, fileID: fileID, for: catalog.database.dialect, selection: settings.selection,
                                                  threads: settings.readerThreads, batchSize: settings.batchSize, pause: settings.readerPause)
            // A cancelled load stops its reader at once, even when the load itself is stuck (a COPY on a dead
            // connection never asks for the next batch, which is what would otherwise tell the reader).
            return try await withTaskCancellationHandler {
                try await catalog.ingest(fileID: fileID, fingerprint: (record.size, record.mtime), lumisections: lumisections, batches: batches) { batch, done in
                    handoff.release(recycling: batch)
                    await progress(done, total)
                    // Seen by others while the load's transaction is open; the transaction sets the final count.
                    if catalog.database.dialect == .postgres, liveCount.allows(final: false) {
                        try? await catalog.setIngested(fileID: fileID, count: done)
                    }
                }
            } onCancel: {
                handoff.cancel()
            }
        } catch {
            // The load rolled back, so the rows of an earlier load (if any) are what is stored: their count again,
            // over the live progress. Recorded in a task of its own, which a cancellation of this one does not reach.
            // A cancelled load ends in a CancellationError, or in its reader's stop (`Handoff.Cancelled`) when that
            // reaches the loader first: the same interruption, reported as the cancellation it is.
            let interrupted = error is CancellationError || error is Handoff.Cancelled
            let catalog = catalog
            let message = interrupted ? "load interrupted (the worker stopped or gave up on it); nothing of it was kept"
                                      : String(describing: error)
            try await Task {
                try? await catalog.setIngested(fileID: fileID, count: record.mesIngested)
                try await catalog.setStatus(fileID: fileID, interrupted ? .failed : .failure(error), error: message)
            }.value
            throw interrupted ? CancellationError() : error
        }
    }

    /// The selected MEs of `file`, encoded and prepared for `dialect`'s bulk load, in batches of up to `batchSize`
    /// MEs (5,000 by default) or 8 MB of prepared rows, read and prepared on a thread of their own.
    /// The loader hands each batch back to the handoff once stored. (Each batch is two COPY statements; 2,000 MEs per
    /// batch loaded the 100 MB bench file 15 % slower than 5,000, and more gained nothing.)
    static func batches(_ file: DQMIOFile, fileID: Int64, for dialect: SQLDialect, selection: Selection, threads: Int,
                        batchSize: Int, pause: UInt32) -> (AsyncThrowingStream<HistogramBatch, any Error>, Handoff) {
        let (stream, continuation) = AsyncThrowingStream<HistogramBatch, any Error>.makeStream()
        let handoff = Handoff(slots: 2)
        continuation.onTermination = { _ in handoff.cancel() }
        let thread = Thread {
            do {
                let encoder = HistogramBlob.Encoder()
                var batch = HistogramBatch(for: dialect)
                try file.forEachMonitorElement(selection, threads: threads) { element in
                    if handoff.isCancelled { throw Handoff.Cancelled() }
                    if pause > 0 { usleep(pause * 1000) }
                    batch.append(element, fileID: fileID, encoder: encoder)
                    if batch.count >= batchSize || batch.byteCount >= 8 << 20 {
                        try handoff.send(batch, to: continuation)
                        batch = handoff.recycled() ?? HistogramBatch(for: dialect)
                    }
                }
                if !batch.isEmpty { try handoff.send(batch, to: continuation) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        thread.name = "etl-reader"
        thread.start()
        return (stream, handoff)
    }
}

/// Back-pressure between the reader thread and the loader: the reader waits while `slots` batches are unconsumed;
/// a cancelled load stops the reader at its next ME. The loader hands each stored batch back, and the reader
/// fills it again (emptied, its buffers kept) instead of allocating fresh ones: at most one waits to be reused, so
/// memory stays what the slots allow.
final class Handoff: @unchecked Sendable {  // state guarded by `condition`, but for the atomic flag
    private let condition = NSCondition()
    private var free: Int
    private var spare: HistogramBatch?
    /// Atomic, so that the reader can look at it for every ME without the lock; `cancel` still broadcasts under
    /// the lock, so a reader waiting for a slot wakes to see it.
    private let cancelled = Atomic(false)

    var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    struct Cancelled: Error {}

    init(slots: Int) { free = slots }

    func send(_ batch: HistogramBatch, to continuation: AsyncThrowingStream<HistogramBatch, any Error>.Continuation) throws {
        condition.lock()
        while free == 0 && !isCancelled { condition.wait() }
        let stop = isCancelled
        if !stop { free -= 1 }
        condition.unlock()
        if stop { throw Cancelled() }
        continuation.yield(batch)
    }

    func release(recycling batch: HistogramBatch) {
        condition.lock()
        free += 1
        if spare == nil { spare = batch }
        condition.signal()
        condition.unlock()
    }

    /// A stored batch to fill again, emptied; nil when there is none.
    func recycled() -> HistogramBatch? {
        condition.lock()
        var batch = spare
        spare = nil
        condition.unlock()
        batch?.removeAll()
        return batch
    }

    func cancel() {
        cancelled.store(true, ordering: .relaxed)
        condition.lock()
        condition.broadcast()
        condition.unlock()
    }
}
