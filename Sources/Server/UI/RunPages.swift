import Catalog

/// The browser: `/runs` → `/runs/{run}` (its lumisections) → `/runs/{run}/ls/{ls}` (its MEs) → a histogram.
enum RunPages {
    static func runs(_ request: UIRoutes.PageRequest) async throws -> String {
        let page = try await Resources.runs.list(request.apiRequest())
        let rows = try page.items().map { members -> [String] in
            let item = JSONValue.object(members)
            let run = item["run_number"]?.intValue ?? 0
            return [HTML.link("/runs/\(run)", "\(run)"), item["dataset"]?.cell ?? "", item["ls_count"]?.cell ?? ""]
        }
        return request.page("Runs", HTML.table(["Run", "Dataset", "Lumisections"], rows, id: "runs") + HTML.pager(previous: page.previous, next: page.next))
    }

    static func lumisections(_ request: UIRoutes.PageRequest, run: String?) async throws -> String {
        let run = try PathNumber.parse(run, "run")
        let page = try await Resources.lumisections.list(request.apiRequest(["run_number": String(run), "page_size": request.query["page_size"] ?? "100"]))
        let rows = try page.items().map { members -> [String] in
            let item = JSONValue.object(members)
            let ls = item["ls_number"]?.intValue ?? 0
            return [HTML.link("/runs/\(run)/ls/\(ls)", "\(ls)"), item["dataset"]?.cell ?? "", item["th1_count"]?.cell ?? "", item["th2_count"]?.cell ?? ""]
        }
        return request.page("Run \(run)", HTML.table(["Lumisection", "Dataset", "TH1", "TH2"], rows, id: "lumisections")
            + HTML.pager(previous: page.previous, next: page.next))
    }

    static func histograms(_ request: UIRoutes.PageRequest, run: String?, ls: String?) async throws -> String {
        let run = try PathNumber.parse(run, "run")
        let ls = try PathNumber.parse(ls, "ls")
        var filter = ["run_number": String(run), "ls_number": String(ls), "page_size": "500",
                      "fields": "id,me,me_id,dataset_id,kind,entries"]
        if let pattern = request.query["me__regex"] { filter["me__regex"] = pattern }
        var sections = """
            <form class="filters" method="get"><label>ME name matches <input name="me__regex" value="\(HTML.escape(request.query["me__regex"] ?? ""))"></label>
            <button type="submit">Filter</button></form>
            """
        for resource in [Resources.th1, Resources.th2] {
            // Each table pages on its own; the other's cursor would not fit it.
            var query = filter
            if request.query["table"] == resource.name, let token = request.query["next_token"] { query["next_token"] = token }
            let page = try await resource.list(request.apiRequest(query: query))
            let rows = try page.items().map { members -> [String] in
                let item = JSONValue.object(members)
                let id = item["id"]?.intValue ?? 0
                let overRun = "/runs/\(run)/me/\(resource.name)/\(item["me_id"]?.intValue ?? 0)?dataset_id=\(item["dataset_id"]?.intValue ?? 0)"
                return [HTML.link("/histograms/\(resource.name)/\(id)", item["me"]?.stringValue ?? ""), item["kind"]?.cell ?? "", item["entries"]?.cell ?? "",
                        HTML.link(overRun, "over the run")]
            }
            let pager = HTML.pager(previous: page.previous.map { $0 + "&table=\(resource.name)" }, next: page.next.map { $0 + "&table=\(resource.name)" })
            sections += "<h2>\(resource.name.uppercased())</h2>" + HTML.table(["ME", "Kind", "Entries", ""], rows, id: "\(resource.name)-list") + pager
        }
        return request.page("Run \(run), lumisection \(ls)", "<p>\(HTML.link("/runs/\(run)", "← run \(run)"))</p>" + sections)
    }
}
