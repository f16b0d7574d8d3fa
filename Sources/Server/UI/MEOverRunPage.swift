import Catalog

/// `/runs/{run}/me/{th1|th2}/{me_id}?dataset_id=D`: one ME over every lumisection of a run, as ML reads it — for 1D
/// a heatmap of LS × bin (the matrix the export gives) under each LS's entries; for 2D the sum over the run's LSs
/// and a slider through them (drawn by app.js from the list endpoint). With the export's links for the same rows.
enum MEOverRunPage {
    static func render(_ request: UIRoutes.PageRequest, run: String?, dimension: String?, me: String?) async throws -> String {
        guard let resource = [Resources.th1, Resources.th2].first(where: { $0.name == dimension }) else {
            throw APIError.notFound("histogram kind \(dimension ?? "")")
        }
        let run = try PathNumber.parse(run, "run")
        let me = try PathNumber.parse(me, "me")
        var selection = ["run_number": String(run), "me_id": String(me)]
        if let dataset = request.query["dataset_id"] {
            guard let id = Int64(dataset), id >= 0 else { throw APIError.badParameter("dataset_id", "expected a dataset id, got \(dataset)") }
            selection["dataset_id"] = String(id)
        }
        // The first row, through the list (and so the page's workspace): the ME's name, and a 404 when it has none here.
        let first = try await resource.list(request.apiRequest(query: selection.merging(["page_size": "1", "fields": "me,kind,dataset"]) { $1 }))
        guard let item = try first.items().first.map(JSONValue.object) else {
            throw APIError.notFound("\(resource.name) ME \(me) in run \(run)")
        }
        let name = item["me"]?.stringValue ?? ""
        let query = selection.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
        let fields = resource.name == "th1" ? "ls_number,entries,data,x_min,x_max,x_bin,x_edges,x_labels"
            : "ls_number,entries,data,x_min,x_max,x_bin,x_edges,x_labels,y_min,y_max,y_bin,y_edges,y_labels"
        let source = "/api/v1/\(resource.name)/?\(query)&page_size=500&fields=\(fields)"
        let exports = ["npz", "csv"].map { HTML.link("/api/v1/\(resource.name)/export/?\(query)&format=\($0)", "export \($0)", id: "export-\($0)") }
        let slider = resource.name == "th2" ? """
            <p><label>Lumisection <input type="range" id="ls-slider" min="0" max="0" value="0"></label>
            <span id="ls-chosen">sum over the run</span></p>
            """ : ""
        return request.page(name, """
            <p>\(HTML.link("/runs/\(run)", "run \(run)")) · \(item["dataset"]?.cell ?? "") · \(item["kind"]?.cell ?? "") · \(exports.joined(separator: " · "))</p>
            \(slider)<canvas id="run-plot" width="960" height="560" data-src="\(HTML.escape(source))" data-me="\(HTML.escape(name))" data-run="\(run)" data-dimension="\(resource.name == "th1" ? 1 : 2)"></canvas>
            <p id="plot-readout" class="readout"></p>
            """)
    }
}
