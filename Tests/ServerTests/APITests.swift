import Catalog
import Foundation
import Testing
import TestSupport

struct ListAnswer<Item: Decodable>: Decodable {
    let next: String?
    let previous: String?
    let results: [Item]
}

struct HistogramItem: Decodable, Equatable {
    let id: Int64
    let run_number: Int
    let ls_number: Int
    let me: String
    let kind: String
    let file_id: Int64
    let dataset: String
    let dataset_id: Int64
    let me_id: Int64
    /// DIALS's integer (ROOT's double truncated), and ROOT's double.
    let entries: Int64
    let entries_exact: Double
    let x_bin: Int
    let x_min: Double
    let x_max: Double
    let x_edges: [Double]?
    let x_labels: [String]?
    let y_bin: Int?
    let y_min: Double?
    let y_max: Double?
    let y_edges: [Double]?
    let y_labels: [String]?
    let data: HistogramData

    var key: String { "\(run_number)/\(ls_number)/\(kind)/\(me)" }
}

/// 1D: a list of bins; 2D: rows of bins (flattened here as the truth files are).
enum HistogramData: Decodable, Equatable {
    case bins([Double])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flat = try? container.decode([Double].self) {
            self = .bins(flat)
        } else {
            self = .bins(try container.decode([[Double]].self).flatMap { $0 })
        }
    }

    var values: [Double] { if case .bins(let values) = self { values } else { [] } }
}

struct FileItem: Decodable {
    let dataset_id: Int64
    let file_id: Int64
    let path: String
    let logical_file_name: String
    let status: String
    let file_size: Int64
    let runs: [Int]
    let missing: Bool
    let err_trace: String?
}

/// The REST API over real HTTP, on SQLite and on a real PostgreSQL: contents against ROOT's truth, cursors,
/// filters, errors and auth.
@Suite(.serialized) struct APITests {
    /// Every page of a list, following `next`.
    static func all<Item: Decodable>(_ server: RunningServer, _ path: String, headers: [String: String] = [:],
                                     as: Item.Type) async throws -> [Item] {
        var items: [Item] = []
        var next: String? = path
        while let link = next {
            let answer = try await server.request(link, headers: headers)
            guard answer.status == 200 else { throw ServerError("\(link): \(answer.status) \(answer.text)") }
            let page = try answer.decode(ListAnswer<Item>.self)
            items += page.results
            next = page.next
        }
        return items
    }

    @Test(arguments: Backend.available)
    func theAPIServesExactlyWhatROOTReads(_ backend: Backend) async throws {
        let (catalog, url) = try await backend.makeDatabase()
        let server = try await RunningServer.start(databaseURL: url)
        defer { server.stop() }
        let files = try await catalog.files(status: .finished)
        #expect(files.count == Fixtures.good.count)
        for file in files {
            let truth = Dictionary(try TruthRecord.all(besides: file.path).map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
            let items = try await Self.all(server, "/api/v1/th1?file_id=\(file.id)&page_size=13", as: HistogramItem.self)
                + Self.all(server, "/api/v1/th2?file_id=\(file.id)&page_size=13", as: HistogramItem.self)
            #expect(items.count == truth.count, "\(file.path)")
            #expect(Set(items.map(\.key)).count == items.count, "no histogram twice")
            for item in items {
                guard let expected = truth[item.key] else { Issue.record("\(item.key) is not in the truth"); continue }
                #expect(item.data.values == expected.data, "\(item.key) data")
                #expect(item.entries_exact == expected.entries, "\(item.key) entries")
                #expect(item.entries == Int64(expected.entries.rounded(.towardZero)), "\(item.key) entries as DIALS's integer")
                #expect(expected.x.matches(bins: item.x_bin, min: item.x_min, max: item.x_max, edges: item.x_edges, labels: item.x_labels), "\(item.key) x")
                if let y = expected.y {
                    #expect(y.matches(bins: item.y_bin ?? -1, min: item.y_min ?? .nan, max: item.y_max ?? .nan, edges: item.y_edges, labels: item.y_labels), "\(item.key) y")
                } else {
                    #expect(item.y_bin == nil)
                }
                #expect(item.dataset == file.dataset ?? "")
            }
            if let first = items.first {
                let dimension = first.y_bin == nil ? "th1" : "th2"
                let detail = try await server.request("/api/v1/\(dimension)/by-id/\(first.id)").decode(HistogramItem.self)
                #expect(detail == first)
                let path = "\(first.dataset_id)/\(first.run_number)/\(first.ls_number)/\(first.me_id)"
                for slash in ["", "/"] {
                    let byKey = try await server.request("/api/v1/\(dimension)/\(path)\(slash)").decode(HistogramItem.self)
                    #expect(byKey == first, "DIALS's detail path \(path)\(slash)")
                }
            }
        }
    }

    @Test(arguments: Backend.available)
    func cursorsVisitEveryRowOnceForwardAndBack(_ backend: Backend) async throws {
        let (catalog, url) = try await backend.makeDatabase()
        let server = try await RunningServer.start(databaseURL: url)
        defer { server.stop() }
        let total = try await catalog.counts().th1
        var forward: [[Int64]] = []
        var next: String? = "/api/v1/th1?page_size=7&fields=id"
        var last: ListAnswer<HistogramID>?
        while let link = next {
            let page = try await server.request(link).decode(ListAnswer<HistogramID>.self)
            forward.append(page.results.map(\.id))
            next = page.next
            last = page
        }
        let ids = forward.flatMap { $0 }
        #expect(ids.count == total && Set(ids).count == total && ids == ids.sorted())
        // Back from the last page: the same pages in reverse, the first one with no previous link.
        var backward: [[Int64]] = []
        var previous = last?.previous
        while let link = previous {
            let page = try await server.request(link).decode(ListAnswer<HistogramID>.self)
            backward.append(page.results.map(\.id))
            previous = page.previous
        }
        #expect(backward.reversed() == Array(forward.dropLast()))

        let bySize = try await Self.all(server, "/api/v1/file-index?order_by=-file_size&page_size=2", as: FileItem.self)
        #expect(bySize.count == (try await catalog.files()).count)
        #expect(bySize.map(\.file_size) == bySize.map(\.file_size).sorted(by: >))
        // Dates as cursor values: an ISO 8601 field ordered by its column's seconds.
        for order in ["last_modification_date", "-last_modification_date"] {
            let byDate = try await Self.all(server, "/api/v1/file-index/?order_by=\(order)&page_size=2", as: FileItem.self)
            #expect(byDate.count == (try await catalog.files()).count && Set(byDate.map(\.file_id)).count == byDate.count, "\(order)")
        }
        // Paths as cursor values: text, spelled in base64url inside the token (`/`, `-` and `_` among them).
        for order in ["path", "-path"] {
            let byPath = try await Self.all(server, "/api/v1/file-index?order_by=\(order)&page_size=2", as: FileItem.self)
            let paths = byPath.map(\.path)
            #expect(paths.count == (try await catalog.files()).count && Set(paths).count == paths.count)
            #expect(paths == (order == "path" ? paths.sorted() : paths.sorted(by: >)))
        }
    }

    struct HistogramID: Decodable { let id: Int64 }

    @Test(arguments: Backend.available)
    func filtersSelectWhatTheyName(_ backend: Backend) async throws {
        let (catalog, url) = try await backend.makeDatabase()
        let server = try await RunningServer.start(databaseURL: url)
        defer { server.stop() }
        let everything = try await Self.all(server, "/api/v1/th1?page_size=500", as: HistogramItem.self)
        #expect(everything.count == (try await catalog.counts().th1))
        guard let sample = everything.first(where: { $0.ls_number > 1 }) else { Issue.record("no sample"); return }
        func check(_ query: String, _ expected: (HistogramItem) -> Bool) async throws {
            let got = try await Self.all(server, "/api/v1/th1?page_size=50&\(query)", as: HistogramItem.self)
            #expect(Set(got.map(\.id)) == Set(everything.filter(expected).map(\.id)), "\(query)")
            #expect(!got.isEmpty, "\(query) selects something")
        }
        try await check("run_number=\(sample.run_number)") { $0.run_number == sample.run_number }
        try await check("run_number__gte=\(sample.run_number)") { $0.run_number >= sample.run_number }
        try await check("ls_number__lte=\(sample.ls_number)&run_number=\(sample.run_number)") {
            $0.ls_number <= sample.ls_number && $0.run_number == sample.run_number
        }
        let escapedName = sample.me.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? sample.me
        try await check("me=\(escapedName)") { $0.me == sample.me }
        let subsystem = String(sample.me.prefix { $0 != "/" })
        try await check("me__regex=%5E\(subsystem)%2F") { $0.me.hasPrefix(subsystem + "/") }
        try await check("kind=\(sample.kind)") { $0.kind == sample.kind }
        try await check("file_id=\(sample.file_id)") { $0.file_id == sample.file_id }
        let dataset = sample.dataset
        try await check("dataset=\(dataset.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? dataset)") { $0.dataset == dataset }
        try await check("dataset_id=\(sample.dataset_id)") { $0.dataset_id == sample.dataset_id }
        try await check("me_id=\(sample.me_id)") { $0.me_id == sample.me_id }
        try await check("entries__gte=\(sample.entries)") { $0.entries_exact >= Double(sample.entries) }
        try await check("ls_numbet__lte=\(sample.ls_number)") { $0.ls_number <= sample.ls_number }
        let primary = String(dataset.split(separator: "/").first ?? "")
        try await check("dataset__regex=%5E%2F\(primary)%2F") { $0.dataset.hasPrefix("/\(primary)/") }

        let failed = try await Self.all(server, "/api/v1/file-index?status=ROOTFILE_ERROR", as: FileItem.self)
        #expect(failed.count == Fixtures.badNames.count && failed.allSatisfy { $0.err_trace != nil })
        let withRun = try await Self.all(server, "/api/v1/file-index?run_number=\(sample.run_number)", as: FileItem.self)
        #expect(!withRun.isEmpty && withRun.allSatisfy { $0.runs.contains(sample.run_number) })
        let inStore = try await Self.all(server, "/api/v1/file-index?path_contains=%2Fstore%2F&missing=false", as: FileItem.self)
        #expect(inStore.count == Fixtures.good.count)
        // Forms (and Python's requests) send a space as "+", a plus as "%2B".
        #expect(try await server.request("/files?path_contains=no+such%2Bfile").text.contains("value=\"no such+file\""))
        let spaced = try await Self.all(server, "/api/v1/file-index?path_contains=%2Fstore%2F+", as: FileItem.self)
        #expect(spaced.isEmpty, "\"/store/ \" is in no path")
        let big = try await Self.all(server, "/api/v1/file-index?min_size=100000", as: FileItem.self)
        #expect(big.allSatisfy { $0.file_size >= 100_000 })
        #expect(big.count == (try await catalog.files()).filter { $0.size >= 100_000 }.count)

        let projected = try await server.request("/api/v1/th1?page_size=1&fields=id,me").json()
        let item = (projected["results"] as? [[String: Any]])?.first
        #expect(item.map { Set($0.keys) } == ["id", "me"])
        let sameLumisection = { (item: HistogramItem) in
            item.dataset_id == sample.dataset_id && item.run_number == sample.run_number && item.ls_number == sample.ls_number
        }
        let lumisection = try await server.request("/api/v1/lumisection/\(sample.dataset_id)/\(sample.run_number)/\(sample.ls_number)/").json()
        #expect(lumisection["th1_count"] as? Int == everything.filter(sameLumisection).count)
        let run = try await server.request("/api/v1/run/\(sample.dataset_id)/\(sample.run_number)").json()
        #expect((run["ls_count"] as? Int ?? 0) > 0 && run["dataset"] as? String == sample.dataset)
        let runs = try await server.request("/api/v1/run/count/?dataset_id=\(sample.dataset_id)").json()["count"] as? Int
        #expect(runs == Set(everything.filter { $0.dataset_id == sample.dataset_id }.map(\.run_number)).count)
        let byLFN = try await Self.all(server, "/api/v1/file-index/?logical_file_name__regex=%5E%2Fstore%2F", as: FileItem.self)
        #expect(byLFN.count == Fixtures.good.count && byLFN.allSatisfy { $0.path.hasSuffix($0.logical_file_name) })
        let lfn = try #require(byLFN.first(where: { $0.file_id == sample.file_id })?.logical_file_name)
        try await check("logical_file_name=\(lfn.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? lfn)") { $0.file_id == sample.file_id }
        let runMEs = try await server.request("/api/v1/mes/\(sample.dataset_id)/\(sample.run_number)/").json(as: [[String: Any]].self)
        #expect(runMEs.contains { $0["me"] as? String == sample.me })
    }

    @Test(arguments: Backend.available)
    func badInputIsA400NamingTheParameterAndUnknownIdsA404(_ backend: Backend) async throws {
        let (_, url) = try await backend.makeDatabase()
        let server = try await RunningServer.start(databaseURL: url)
        defer { server.stop() }
        var bad: [(String, String)] = [
            ("/api/v1/th1?page_size=0", "page_size"), ("/api/v1/th1?page_size=501", "page_size"),
            ("/api/v1/th1?page_size=ten", "page_size"), ("/api/v1/th1?run_number=-1", "run_number"),
            ("/api/v1/th1?run_number=99999999999999999999999", "run_number"), ("/api/v1/th1?next_token=garbage", "next_token"),
            ("/api/v1/th1?me__regex=%28", "me__regex"), ("/api/v1/th1?me__regex=%28.%2A%29%2A%21", "me__regex"), ("/api/v1/mes?me=a%00b", "me"), ("/api/v1/th1?kind=TH2F", "kind"), ("/api/v1/th1?fields=id,nope", "fields"),
            ("/api/v1/file-index?order_by=bogus", "order_by"), ("/api/v1/file-index?status=DONE", "status"),
            ("/api/v1/file-index?missing=maybe", "missing"), ("/api/v1/jobs?state=lost", "state"), ("/api/v1/th1/by-id/abc", "id"),
            ("/api/v1/th1?run=1", "run"), ("/api/v1/run/?dataset_id__in=1,x", "dataset_id__in"),
            // Well-formed tokens this server never issued: a text, a double and a null for an integer id, a NUL in a path.
            ("/api/v1/file-index?next_token=n.taWQ.tYQ.i0", "next_token"), ("/api/v1/file-index?next_token=n.taWQ.d1.i1", "next_token"),
            ("/api/v1/th1?next_token=n.taWQ.z.z", "next_token"), ("/api/v1/file-index?order_by=path&next_token=n.tcGF0aA.tAGE.i1", "next_token"),
        ]
        // A token is only good for the order_by it was issued for.
        let byID = try await server.request("/api/v1/file-index?page_size=1").json()
        let token = try #require((byID["next"] as? String)?.components(separatedBy: "next_token=").last)
        bad.append(("/api/v1/file-index?order_by=-file_size&next_token=\(token)", "next_token"))
        for (path, parameter) in bad {
            let answer = try await server.request(path)
            #expect(answer.status == 400, "\(path): \(answer.status)")
            #expect(try answer.json()["parameter"] as? String == parameter, "\(path): \(answer.text)")
            #expect(answer.headers["content-type"] == "application/json")
        }
        for path in ["/api/v1/th1/by-id/999999999", "/api/v1/th2/1/1/1/999999999", "/api/v1/file-index/0/999999999", "/api/v1/jobs/999999999",
                     "/api/v1/run/1/1", "/api/v1/mes/999999999", "/api/v1/dataset-index/999999999"] {
            let answer = try await server.request(path)
            #expect(answer.status == 404, "\(path): \(answer.status)")
            #expect(try answer.json()["message"] is String)
        }
    }

    @Test(arguments: Backend.available)
    func writesNeedATokenAndTheUIButtonASessionWithItsCSRFToken(_ backend: Backend) async throws {
        let (_, url) = try await backend.makeDatabase()
        let server = try await RunningServer.start(databaseURL: url)
        defer { server.stop() }
        #expect(try await server.request("/api/v1/file-index/index", method: "POST").status == 401)
        #expect(try await server.request("/api/v1/file-index/index", method: "POST", headers: ["Authorization": "Bearer wrong"]).status == 401)
        let bearer = ["Authorization": "Bearer \(RunningServer.token)"]
        let first = try await server.request("/api/v1/file-index/index", method: "POST", headers: bearer)
        #expect(first.status == 200)
        let job = try first.json()
        #expect(job["queue"] as? String == "dqmio_file_indexer_queue" && job["state"] as? String == "queued")
        let again = try await server.request("/api/v1/file-index/index", method: "POST", headers: bearer).json()
        #expect(again["id"] as? Int == job["id"] as? Int, "a trigger while one is queued returns that job")
        let jobID = job["id"] as? Int ?? 0
        #expect(try await server.request("/api/v1/jobs/\(jobID)").json()["kind"] as? String == "index")

        let file = try #require(try await Self.all(server, "/api/v1/file-index/?status=FINISHED", as: FileItem.self).first)
        let ingestPath = "/api/v1/file-index/\(file.dataset_id)/\(file.file_id)/ingest"
        #expect(try await server.request(ingestPath, method: "POST").status == 401)
        let ingest = try await server.request(ingestPath, method: "POST", headers: bearer)
        #expect(ingest.status == 200)
        #expect(try ingest.json()["queue"] as? String == "dqmio_etl_queue")
        #expect(try await server.request("/api/v1/file-index/\(file.dataset_id)/999999/ingest", method: "POST", headers: bearer).status == 404)
        #expect(try await server.request("/api/v1/file-index/\(file.dataset_id + 1)/\(file.file_id)/ingest", method: "POST", headers: bearer).status == 404,
                "a file is named by its dataset and id")

        // The UI: sign in with the token, then the button's request needs the session's CSRF token.
        let form = ["Content-Type": "application/x-www-form-urlencoded"]
        #expect(try await server.request("/login", method: "POST", headers: form, body: "token=nope").status == 401)
        let signIn = try await server.request("/login", method: "POST", headers: form, body: "token=\(RunningServer.token)")
        #expect(signIn.status == 303)
        let cookie = try #require(signIn.headers["set-cookie"]?.split(separator: ";").first.map(String.init))
        #expect(cookie.hasPrefix("mlp_session="))
        let overview = try await server.request("/", headers: ["Cookie": cookie]).text
        let csrf = try #require(overview.firstMatch(of: /data-csrf="([^"]+)"/)?.1)
        #expect(try await server.request("/ui/index", method: "POST").status == 401)
        #expect(try await server.request("/ui/index", method: "POST", headers: ["Cookie": cookie]).status == 403)
        #expect(try await server.request("/ui/index", method: "POST", headers: ["Cookie": cookie, "X-CSRF-Token": "forged"]).status == 403)
        let pressed = try await server.request("/ui/index", method: "POST", headers: ["Cookie": cookie, "X-CSRF-Token": String(csrf)])
        #expect(pressed.status == 200)
        #expect(try pressed.json()["id"] as? Int == jobID)
        #expect(!server.stop().contains(RunningServer.token), "tokens never appear in the server's output")
    }

    @Test func readsCanRequireAToken() async throws {
        let (_, url) = try await Backend.sqlite.makeDatabase()
        let server = try await RunningServer.start(databaseURL: url, extraArguments: ["--require-token-for-reads"])
        defer { server.stop() }
        #expect(try await server.request("/api/v1/th1").status == 401)
        #expect(try await server.request("/api/v1/th1", headers: ["Authorization": "Bearer \(RunningServer.token)"]).status == 200)
        #expect(try await server.request("/openapi.yaml").text.contains("\"security\""))

        // The UI's pages send visitors without a session to sign in; signed in, pages and the API's reads (which
        // the pages' plots and job progress use) answer, while writes still need the token itself.
        // Signing in leads back to the page asked for, but never off this server.
        for page in ["/", "/files", "/runs", "/histograms/1/1"] {
            let answer = try await server.request(page)
            let next = try #require(page.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
            #expect(answer.status == 303 && answer.headers["location"] == "/login?next=\(next)", "\(page): \(answer.status)")
        }
        let asked = try await server.request("/files?status=FAILED")
        #expect(asked.headers["location"] == "/login?next=%2Ffiles%3Fstatus%3DFAILED")
        #expect(try await server.request("/login?next=%2Ffiles%3Fstatus%3DFAILED").text.contains("name=\"next\" value=\"/files?status=FAILED\""))
        let form = ["Content-Type": "application/x-www-form-urlencoded"]
        for (next, landing) in [("%2Ffiles%3Fstatus%3DFAILED", "/files?status=FAILED"), ("%2F%2Fevil.example%2F", "/"), ("https%3A%2F%2Fevil.example", "/")] {
            let signedIn = try await server.request("/login", method: "POST", headers: form, body: "token=\(RunningServer.token)&next=\(next)")
            #expect(signedIn.status == 303 && signedIn.headers["location"] == landing, "next=\(next)")
        }
        let signIn = try await server.request("/login", method: "POST", headers: form, body: "token=\(RunningServer.token)")
        let cookie = try #require(signIn.headers["set-cookie"]?.split(separator: ";").first.map(String.init))
        #expect(try await server.request("/files", headers: ["Cookie": cookie]).status == 200)
        #expect(try await server.request("/api/v1/th1", headers: ["Cookie": cookie]).status == 200)
        #expect(try await server.request("/api/v1/th1", headers: ["Cookie": "mlp_session=forged"]).status == 401)
        #expect(try await server.request("/api/v1/file-index/index", method: "POST", headers: ["Cookie": cookie]).status == 401)
    }

    @Test(arguments: Backend.available)
    func everyDocumentedListAnswersAsDocumented(_ backend: Backend) async throws {
        let (_, url) = try await backend.makeDatabase()
        let server = try await RunningServer.start(databaseURL: url)
        defer { server.stop() }
        let document = try await server.request("/openapi.json").json()
        #expect(document["openapi"] as? String == "3.1.0")
        let yaml = try await server.request("/openapi.yaml")
        #expect(yaml.status == 200 && yaml.text.hasPrefix("\"openapi\": \"3.1.0\""))
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        #expect(paths.count >= 16)
        for (path, operations) in paths where !path.contains("{") {
            guard let get = operations["get"] as? [String: Any] else { continue }
            let answer = try await server.request(path)
            #expect(answer.status == 200, "\(path)")
            let responses = get["responses"] as? [String: Any]
            let ok = responses?["200"] as? [String: Any]
            // The content's first media type is the default answer's (the exports: npz before csv).
            let mediaTypes = Set((ok?["content"] as? [String: Any])?.keys.map { $0 } ?? [])
            let mediaType = answer.headers["content-type"].flatMap { mediaTypes.contains($0) ? $0 : nil }
            #expect(mediaType != nil, "\(path): \(answer.headers["content-type"] ?? "") among \(mediaTypes)")
            guard mediaType == "application/json", let list = try? answer.json(), list["results"] != nil else { continue }  // bare arrays are checked by schemathesis
            let schema = ((ok?["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any]
            let itemSchema = ((schema?["properties"] as? [String: Any])?["results"] as? [String: Any])?["items"] as? [String: Any]
            let documented = Set((itemSchema?["properties"] as? [String: Any])?.keys.map { $0 } ?? [])
            for item in list["results"] as? [[String: Any]] ?? [] {
                #expect(Set(item.keys) == documented, "\(path): \(Set(item.keys).symmetricDifference(documented))")
            }
        }
        let metrics = try await server.request("/api/v1/metrics").text
        #expect(metrics.contains("mlp_files{status=\"FINISHED\"} \(Fixtures.good.count)"))
        #expect(metrics.contains("mlp_http_requests_total{operation=\"list_th1\",status=\"200\"}"))
        #expect(try await server.request("/api/v1/health").json()["status"] as? String == "ok")
    }
}
