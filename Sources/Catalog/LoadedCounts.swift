/// What a load added, per monitor element and per lumisection, counted as the batches go by: the catalog's
/// counters then move by these numbers in two statements, instead of aggregating the file's rows back out of
/// th1 and th2 after loading them (a fifth of a second for 220,000 rows).
struct LoadedCounts {
    private var perMonitorElement: [Int64: Int] = [:]
    private var perLumisection: [HistogramBatch.Lumisection: (th1: Int, th2: Int)] = [:]

    /// Counts `batch`, whose names have the ids `ids`.
    mutating func add(_ batch: HistogramBatch, ids: [Int64]) {
        for name in batch.th1Names { perMonitorElement[ids[name], default: 0] += 1 }
        for name in batch.th2Names { perMonitorElement[ids[name], default: 0] += 1 }
        for (lumisection, counts) in batch.lumisectionCounts {
            perLumisection[lumisection, default: (0, 0)].th1 += counts.th1
            perLumisection[lumisection, default: (0, 0)].th2 += counts.th2
        }
    }

    /// Adds the counts to the ME and lumisection counters.
    func apply(on c: any SQLConnection, dataset: SQLValue) async throws {
        try await Catalog.executeValues("UPDATE monitoring_elements AS m SET count = m.count + v.column2 FROM (",
                                        rows: perMonitorElement.map { [.int($0.key), .of($0.value)] },
                                        ") AS v WHERE m.id = v.column1", on: c)
        try await Catalog.executeValues("""
            UPDATE lumisections AS l SET th1_count = l.th1_count + v.column3, th2_count = l.th2_count + v.column4 FROM (
            """, rows: perLumisection.map { [.of($0.key.run), .of($0.key.lumi), .of($0.value.th1), .of($0.value.th2), dataset] },
            ") AS v WHERE l.dataset_id = v.column5 AND l.run_number = v.column1 AND l.ls_number = v.column2", on: c)
    }
}
