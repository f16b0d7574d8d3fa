import Catalog
import Foundation

/// `/`: files by status as a bar chart, the recent jobs, and the Index now button with live progress.
enum OverviewPage {
    static func render(_ request: UIRoutes.PageRequest) async throws -> String {
        let catalog = request.state.catalog
        // The page's workspace's files, as `/files?status=X` (the bars' links) lists them.
        let scope = try await Resources.fileIndex.scoping.conditions(try request.apiRequest(query: [:]).readableWorkspace(), catalog: catalog)
        let counts = try await catalog.fileCountsByStatus(conditions: scope)
        let jobs = try await catalog.jobs(limit: 10)
        let button: String
        if let session = request.session {
            button = """
                <button id="index-now" data-csrf="\(HTML.escape(session.csrfToken))">Index now</button>
                <progress id="index-progress" max="1" value="0" hidden></progress> <span id="index-status"></span>
                """
        } else {
            button = "<button id=\"index-now\" disabled>Index now</button> <span>\(HTML.link("/login", "Sign in")) with a token to index.</span>"
        }
        let storage = request.state.pipeline.storageRoots.map(HTML.escape).joined(separator: ", ")
        let rows = jobs.map { job in
            ["#\(job.id)", HTML.escape(job.queue), HTML.escape(job.kind), HTML.badge(job.state.rawValue),
             "\(job.progressDone)/\(job.progressTotal)", HTML.escape(job.result ?? job.error ?? ""),
             HTML.escape(format(job.createdAt))]
        }
        return request.page("Overview", """
            <section><h2>Indexing</h2><p>Storage roots: \(storage.isEmpty ? "none configured" : storage)</p><p>\(button)</p></section>
            <section><h2>Files by status</h2>\(barChart(counts))</section>
            <section><h2>Recent jobs</h2>\(HTML.table(["Job", "Queue", "Kind", "State", "Progress", "Result", "Created"], rows, id: "jobs"))</section>
            """)
    }

    /// Horizontal bars, one per status, as inline SVG (no script needed).
    static func barChart(_ counts: [(status: FileStatus, count: Int64)]) -> String {
        let widest = max(1, counts.map(\.count).max() ?? 1)
        let rowHeight = 28
        var svg = "<svg id=\"status-chart\" class=\"chart\" width=\"700\" height=\"\(counts.count * rowHeight + 10)\" role=\"img\" aria-label=\"files by status\">"
        for (index, entry) in counts.enumerated() {
            let y = index * rowHeight + 5
            let width = Int(Double(entry.count) / Double(widest) * 440)
            let status = HTML.escape(entry.status.rawValue)
            svg += "<text x=\"0\" y=\"\(y + 17)\" class=\"label\">\(status)</text>"
            // Bars start past the longest label, FILE_NOT_AVAILABLE.
            svg += "<a href=\"/files?status=\(status)\"><rect x=\"170\" y=\"\(y)\" width=\"\(max(width, 1))\" height=\"22\" class=\"bar status-\(status)\"></rect></a>"
            svg += "<text x=\"\(178 + width)\" y=\"\(y + 17)\" class=\"value\">\(entry.count)</text>"
        }
        return svg + "</svg>"
    }

    static func format(_ time: Double?) -> String {
        guard let time else { return "" }
        return Date(timeIntervalSince1970: time).formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false))
    }
}
