import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport

/// `mlplayground serve` on a free loopback port, over a catalog the CLI filled: what users and scripts talk to.
final class RunningServer: @unchecked Sendable {
    let url: String
    let process: Process
    let databaseURL: String
    let storage: URL
    static let token = "test-token-\(UUID().uuidString)"

    /// Indexes and loads a copy of the fixture tree (or of `source`) into `databaseURL` with the CLI, then serves it.
    static func start(databaseURL: String, source: URL = Fixtures.root, extraArguments: [String] = []) async throws -> RunningServer {
        let storage = try TemporaryFolder().url.appendingPathComponent("eos")
        try FileManager.default.copyItem(at: source, to: storage)
        let common = ["--database", databaseURL, "--storage", storage.path]
        let indexed = try await Binary.run(["index"] + common)
        guard indexed.status == 0 else { throw ServerError("index failed: \(indexed.stderr)") }
        _ = try await Binary.run(["ingest", "--pending"] + common)  // non-zero: the malformed files fail, as they should
        return try await serve(databaseURL: databaseURL, storage: storage, extraArguments: extraArguments)
    }

    static func serve(databaseURL: String, storage: URL, extraArguments: [String] = []) async throws -> RunningServer {
        let process = try Binary.start(["serve", "--port", "0", "--database", databaseURL, "--storage", storage.path,
                                        "--token", token] + extraArguments, capture: true)
        guard let output = (process.standardOutput as? Pipe)?.fileHandleForReading else { throw ServerError("no stdout") }
        // The first line names the bound address (read off the cooperative pool: it waits for the server).
        let text = try await Binary.offPool {
            var line = Data()
            while let byte = try output.read(upToCount: 1), let first = byte.first, first != UInt8(ascii: "\n") { line.append(first) }
            return String(decoding: line, as: UTF8.self)
        }
        guard let range = text.range(of: #"http://[0-9.]+:[0-9]+"#, options: .regularExpression) else {
            process.terminate()
            throw ServerError("server did not start: \(text)")
        }
        return RunningServer(url: String(text[range]), process: process, databaseURL: databaseURL, storage: storage)
    }

    private init(url: String, process: Process, databaseURL: String, storage: URL) {
        self.url = url
        self.process = process
        self.databaseURL = databaseURL
        self.storage = storage
    }

    /// Stops the server (again: no-op) and returns everything it printed after its first line.
    @discardableResult
    func stop() -> String {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        let out = (process.standardOutput as? Pipe)?.fileHandleForReading.readDataToEndOfFile() ?? Data()
        let err = (process.standardError as? Pipe)?.fileHandleForReading.readDataToEndOfFile() ?? Data()
        return String(decoding: out + err, as: UTF8.self)
    }

    struct Answer: Sendable {
        let status: Int
        let headers: [String: String]
        let body: Data

        var text: String { String(decoding: body, as: UTF8.self) }

        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else { throw ServerError("not a JSON object: \(text.prefix(200))") }
            return object
        }

        /// A bare JSON array of objects (DIALS's `mes/`).
        func json(as: [[String: Any]].Type) throws -> [[String: Any]] {
            guard let array = try JSONSerialization.jsonObject(with: body) as? [[String: Any]] else { throw ServerError("not a JSON array: \(text.prefix(200))") }
            return array
        }

        func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(type, from: body) }
    }

    /// One request; redirects are not followed (the tests look at them).
    func request(_ pathOrURL: String, method: String = "GET", headers: [String: String] = [:], body: String? = nil) async throws -> Answer {
        guard let target = URL(string: pathOrURL.hasPrefix("http") ? pathOrURL : url + pathOrURL) else { throw ServerError("bad URL \(pathOrURL)") }
        var request = URLRequest(url: target)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body.map { Data($0.utf8) }
        let (data, response) = try await Self.session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw ServerError("not HTTP") }
        var fields: [String: String] = [:]
        for (key, value) in http.allHeaderFields { fields[String(describing: key).lowercased()] = String(describing: value) }
        return Answer(status: http.statusCode, headers: fields, body: data)
    }

    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        return URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }()
}

private final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}

struct ServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
