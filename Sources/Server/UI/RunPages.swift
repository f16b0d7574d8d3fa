import Foundation
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
            let leaves = try page.items().map { members -> MEFolderTree.Leaf in
                let item = JSONValue.object(members)
                let overRun = "/runs/\(run)/me/\(resource.name)/\(item["me_id"]?.intValue ?? 0)?dataset_id=\(item["dataset_id"]?.intValue ?? 0)"
                let details = "<span class=\"muted\">\(item["kind"]?.cell ?? "") · entries \(item["entries"]?.cell ?? "")</span> · "
                    + HTML.link(overRun, "over the run")
                let id = item["id"]?.intValue ?? 0
                return MEFolderTree.Leaf(name: item["me"]?.stringValue ?? "", html: details, href: "/histograms/\(resource.name)/\(id)", id: id)
            }
            let pager = HTML.pager(previous: page.previous.map { $0 + "&table=\(resource.name)" }, next: page.next.map { $0 + "&table=\(resource.name)" })
            // The thumbnails' data: the same page of the list, with the bins (app.js draws each by id).
            var thumbnails = query
            thumbnails["fields"] = "id,data,x_bin" + (resource.name == "th2" ? ",y_bin" : "")
            let source = "/api/v1/\(resource.name)/?" + thumbnails.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.escapeQuery($0.value))" }.joined(separator: "&")
            sections += "<h2>\(resource.name.uppercased()) <span class=\"count\">\(leaves.count)\(page.next == nil ? "" : "+")</span></h2>"
                + "<div class=\"thumbs\" data-thumbs-src=\"\(HTML.escape(source))\" data-dimension=\"\(resource.name == "th1" ? 1 : 2)\">"
                + MEFolderTree.render(leaves, id: "\(resource.name)-list") + "</div>" + pager
        }
        return request.page("Run \(run), lumisection \(ls)", "<p>\(HTML.link("/runs/\(run)", "← run \(run)"))</p>" + sections)
    }

    /// A query value percent-encoded (regular expressions hold `&`, `+`, `#`).
    private static func escapeQuery(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}
