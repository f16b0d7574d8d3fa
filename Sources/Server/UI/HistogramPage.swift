import Catalog

/// `/histograms/{th1|th2}/{id}`: the plot (bars for 1D, a heatmap for 2D, drawn by app.js from the API item) and
/// links to the same ME in the previous and next lumisection of the run.
enum HistogramPage {
    static func render(_ request: UIRoutes.PageRequest, dimension: String?, id: String?) async throws -> String {
        guard let resource = [Resources.th1, Resources.th2].first(where: { $0.name == dimension }) else {
            throw APIError.notFound("histogram kind \(dimension ?? "")")
        }
        let id = try PathNumber.parse(id, "id")
        // Through the API's detail, so that the page's workspace applies (a histogram outside it is a 404).
        guard let byID = resource.byID else { throw APIError.notFound("histogram kind \(resource.name)") }
        let item = try await resource.item(request.apiRequest(query: [:], pathParameters: [byID.parameter.name: String(id)]), keys: [byID])
        let run = item["run_number"]?.intValue ?? 0
        let ls = item["ls_number"]?.intValue ?? 0
        let me = item["me"]?.stringValue ?? ""
        typealias H = Listing.Histograms
        // Neighbours in the same dataset (a run is in several), so also in the page's workspace, as this ME is.
        let datasetFiles = try await request.state.catalog.fileIDs(inDatasets: [item["dataset_id"]?.intValue ?? 0])
        func neighbour(after: Bool) async throws -> String {
            let page = try await request.state.catalog.page(
                resource.listing, columns: [H.id, H.lsNumber],
                conditions: [Condition(H.meID, .equal(.int(item["me_id"]?.intValue ?? 0))), Condition(H.runNumber, .equal(.int(run))),
                             Condition(H.fileID, .oneOf(datasetFiles)),
                             Condition(H.lsNumber, after ? .atLeast(.int(ls + 1)) : .atMost(.int(ls - 1)))],
                order: [OrderKey(H.lsNumber, descending: !after)], cursor: nil, limit: 1)
            guard let row = page.rows.first, let other = row[H.id]?.int else { return "" }
            let label = after ? "next LS \(row[H.lsNumber]?.int ?? 0) →" : "← previous LS \(row[H.lsNumber]?.int ?? 0)"
            return HTML.link("/histograms/\(resource.name)/\(other)", label, id: after ? "next-ls" : "prev-ls")
        }
        let axes = resource.name == "th1"
            ? "x: \(item["x_bin"]?.cell ?? "") bins in [\(item["x_min"]?.cell ?? ""), \(item["x_max"]?.cell ?? "")]"
            : "x: \(item["x_bin"]?.cell ?? "") bins in [\(item["x_min"]?.cell ?? ""), \(item["x_max"]?.cell ?? "")], "
                + "y: \(item["y_bin"]?.cell ?? "") bins in [\(item["y_min"]?.cell ?? ""), \(item["y_max"]?.cell ?? "")]"
        return request.page(me, """
            <p>\(HTML.link("/runs/\(run)/ls/\(ls)", "run \(run), lumisection \(ls)")) · \(item["kind"]?.cell ?? "") · entries \(item["entries"]?.cell ?? "") · \(axes)
            · \(HTML.link("/runs/\(run)/me/\(resource.name)/\(item["me_id"]?.intValue ?? 0)?dataset_id=\(item["dataset_id"]?.intValue ?? 0)", "this ME over the run", id: "over-run"))</p>
            <p class="pager">\(try await neighbour(after: false)) \(try await neighbour(after: true))</p>
            <canvas id="plot" width="900" height="500" data-src="/api/v1/\(resource.name)/by-id/\(id)"></canvas>
            <p>\(HTML.link("/api/v1/\(resource.name)/by-id/\(id)", "JSON"))</p>
            """)
    }
}
