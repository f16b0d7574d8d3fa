import Catalog
import Logging
import Pipeline

/// `th1/export` and `th2/export`: the list's filters (and workspace), the selected histograms as a NumPy archive or
/// CSV, streamed (`HistogramExport`).
extension Resource {
    static let exportFormat = Parameter(name: "format", kind: .choice(HistogramExport.Format.allCases.map(\.rawValue)),
                                        summary: "npz (default: what numpy.load opens) or csv.")
    static let exportDType = Parameter(name: "dtype", kind: .choice(["float64", "float32"]),
                                       summary: "The data arrays' type (default float64); float32 only for TH*F and TH*S MEs, which it holds exactly.")

    var exportEndpoint: Endpoint? {
        guard let dimension = histogramDimension else { return nil }
        let summary = """
            The histograms the filters select as arrays: npz with `names` and per ME i (name order) `i/data` \
            (float64, shape (n, \(dimension == 1 ? "nx" : "ny, nx"))), `i/run_number`, `i/ls_number`, `i/entries`, \
            `i/dataset_id`, `i/file_id` (rows by dataset id, run, LS), `i/x_edges`\(dimension == 2 ? ", `i/y_edges`" : ""), \
            and labels where an axis has them; or csv, a row per (ME, run, LS). An ME whose binning changes inside the \
            selection is refused (400, naming the runs of each binning).
            """
        let binary = JSONValue.object([("type", .string("string")), ("format", .string("binary"))])
        var endpoint = Endpoint(method: .get, path: "/api/v1/\(name)/export", operationID: "export_\(name)", summary: summary,
                                parameters: [Self.exportFormat, Self.exportDType] + filters.map(\.parameter), response: binary,
                                scoped: scoping.narrows) { request in
            try await export(request, twoDimensional: dimension == 2)
        }
        endpoint.mediaTypes = HistogramExport.Format.allCases.map(\.contentType)
        return endpoint
    }

    private func export(_ request: APIRequest, twoDimensional: Bool) async throws -> Endpoint.Reply {
        let format = try request.value(Self.exportFormat)?.string.flatMap(HistogramExport.Format.init) ?? .npz
        let precision = try request.value(Self.exportDType)?.string.flatMap(HistogramExport.Precision.init) ?? .float64
        let (_, conditions) = try await selection(request)
        let plan: HistogramExport
        do {
            plan = try await HistogramExport.plan(request.state.catalog, selections: [.init(twoDimensional: twoDimensional, conditions: conditions)],
                                                  format: format, precision: precision)
        } catch let error as ExportError {
            throw APIError.badParameter(error.code == .inexactPrecision ? Self.exportDType.name : "selection", error.message)
        }
        let logger = Logger(label: "mlplayground.export")
        return .stream(contentType: format.contentType, filename: Self.filename(name, plan.names, format)) { sink in
            do {
                try await plan.write(to: sink)
            } catch {
                // Headers are gone: the client sees the connection close before the archive's end.
                logger.warning("export of \(name) ended early: \(error)")
                throw error
            }
        }
    }

    /// `th1.npz`, or for one ME `th1_<its name, / as _>.npz`.
    static func filename(_ resource: String, _ names: [String], _ format: HistogramExport.Format) -> String {
        guard names.count == 1, let only = names.first else { return "\(resource).\(format.rawValue)" }
        let safe = String(only.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") ? $0 : "_" }.prefix(120))
        return "\(resource)_\(safe).\(format.rawValue)"
    }
}
