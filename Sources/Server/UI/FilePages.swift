import Catalog

/// `/files` (the file index with the API's filters and cursors) and `/files/{id}`.
enum FilePages {
    static func list(_ request: UIRoutes.PageRequest) async throws -> String {
        let page = try await Resources.fileIndex.list(request.apiRequest())
        let rows = try page.items().map { members -> [String] in
            let item = JSONValue.object(members)
            let id = item["file_id"]?.intValue ?? 0
            return [HTML.link("/files/\(id)", "\(id)"), item["path"]?.cell ?? "", HTML.badge(item["status"]?.stringValue ?? ""),
                    "\(item["mes_ingested"]?.cell ?? "")/\(item["mes"]?.cell ?? "")", item["file_size"]?.cell ?? "",
                    item["runs"]?.cell ?? "", item["missing"] == .bool(true) ? "missing" : ""]
        }
        return request.page("Files", filterForm(request.query) + HTML.table(["Id", "Path", "Status", "MEs", "Size", "Runs", ""], rows, id: "files")
            + HTML.pager(previous: page.previous, next: page.next))
    }

    private static func filterForm(_ query: [String: String]) -> String {
        func input(_ name: String, _ label: String) -> String {
            "<label>\(label) <input name=\"\(name)\" value=\"\(HTML.escape(query[name] ?? ""))\" size=\"12\"></label>"
        }
        let statuses = ([""] + FileStatus.allCases.map(\.rawValue)).map { status in
            "<option\(query["status"] == status ? " selected" : "")>\(status)</option>"
        }.joined()
        return """
            <form class="filters" method="get" action="/files">\(input("path_contains", "Path contains"))\(input("era", "Era"))
            \(input("primary_dataset", "Primary dataset"))\(input("run_number", "Run"))
            <label>Status <select name="status">\(statuses)</select></label><button type="submit">Filter</button></form>
            """
    }

    static func detail(_ request: UIRoutes.PageRequest, id: String?) async throws -> String {
        let id = try PathNumber.parse(id, "id")
        // Through the API's scope: a file outside the page's workspace is a 404.
        let key = Resource.Key("file_id", "File id.", Listing.Files.id)
        let item = try await Resources.fileIndex.item(request.apiRequest(query: [:], pathParameters: ["file_id": String(id)]), keys: [key])
        guard case .object(let members) = item else { throw APIError.notFound("file \(id)") }
        let rows = members.filter { $0.0 != "runs" && $0.0 != "err_trace" }.map { [HTML.escape($0.0), $0.1.cell] }
        var runs: [String] = []
        if case .array(let numbers) = item["runs"] ?? .null {
            runs = numbers.compactMap(\.intValue).map { HTML.link("/runs/\($0)", "\($0)") }
        }
        let error = item["err_trace"]?.stringValue.map { "<p class=\"error\" id=\"file-error\">\(HTML.escape($0))</p>" } ?? ""
        return request.page("File \(id)", """
            <p>\(HTML.badge(item["status"]?.stringValue ?? ""))</p>\(error)
            \(HTML.table(["Field", "Value"], rows, id: "file"))
            <h2>Runs</h2><p id="runs">\(runs.isEmpty ? "none" : runs.joined(separator: " "))</p>
            """)
    }
}
