import Catalog
import Pipeline

/// Every endpoint of `/api/v1`: the resources' lists and details, then the actions and service endpoints.
enum APIEndpoints {
    static let all: [Endpoint] = {
        var endpoints: [Endpoint] = [health, triggerIndexing, ingestFile]
        endpoints += Resources.datasetIndex.endpoints
        endpoints += Resources.fileIndex.endpoints
        endpoints += Resources.runs.endpoints
        endpoints += Resources.lumisections.endpoints
        endpoints += Resources.monitorElements.endpoints
        endpoints.append(runMonitorElements)
        endpoints.append(countBySubsystem(Resources.th1, dimension: 1))
        endpoints += Resources.th1.endpoints
        endpoints.append(countBySubsystem(Resources.th2, dimension: 2))
        endpoints += Resources.th2.endpoints
        endpoints += Resources.jobs.endpoints
        endpoints += WorkspaceEndpoints.all
        endpoints.append(metrics)
        return endpoints
    }()

    static let health = Endpoint(
        method: .get, path: "/api/v1/health", operationID: "health", summary: "Liveness, and whether the database answers.",
        parameters: [], response: Schema.object([("status", Schema.choice(["ok"])), ("database", Schema.string)])
    ) { request in
        do {
            _ = try await request.state.catalog.database.query("SELECT 1", [])
        } catch {
            throw APIError(status: .serviceUnavailable, message: "database: \(error)", parameter: nil)
        }
        return .json(.object([("status", .string("ok")), ("database", .string(request.state.catalog.database.dialect == .postgres ? "postgresql" : "sqlite"))]))
    }

    /// `POST file-index/index`: queue an indexing of the server's storage roots, or return the one queued or running.
    static let triggerIndexing = Endpoint(
        method: .post, path: "/api/v1/file-index/index", operationID: "trigger_indexing",
        summary: "Queue an indexing of the storage roots; returns its job (the queued or running one if there is one).",
        parameters: [], response: Resources.jobs.itemSchema, writes: true
    ) { request in .json(try await startIndexing(request.state)) }

    static func startIndexing(_ state: ServerState) async throws -> JSONValue {
        guard !state.pipeline.storageRoots.isEmpty else {
            throw APIError(status: .conflict, message: "the server has no storage roots (start it with --storage or MLP_STORAGE)", parameter: nil)
        }
        let job = try await Indexer.trigger(catalog: state.catalog, storage: state.pipeline.storageRoots)
        return try await jobItem(job.id, state)
    }

    static let ingestFile = Endpoint(
        method: .post, path: "/api/v1/file-index/{dataset_id}/{file_id}/ingest", operationID: "ingest_file",
        summary: "Queue the ETL of one file again; returns its job.",
        parameters: Resources.fileIndex.detail.map(\.parameter), response: Resources.jobs.itemSchema, writes: true, findsByID: true
    ) { request in
        let keys = try Resources.fileIndex.detail.map { key throws(APIError) in
            Condition(key.column, .equal(try request.value(key.parameter)?.sqlValue ?? .null))
        }
        guard let file = try await Resources.fileIndex.item(where: keys, catalog: request.state.catalog),
              case .int(let id)? = file.first(where: { $0.0 == "file_id" })?.1 else {
            throw APIError.notFound("file \(request.pathParameters["file_id"] ?? "") of dataset \(request.pathParameters["dataset_id"] ?? "")")
        }
        let job = try await ETL.enqueue(fileID: id, catalog: request.state.catalog)
        return .json(try await jobItem(job.id, request.state))
    }

    /// `mes/{dataset_id}/{run_number}`: the MEs that run holds in that dataset, as DIALS answers them.
    static let runMonitorElements = Endpoint(
        method: .get, path: "/api/v1/mes/{dataset_id}/{run_number}", operationID: "list_run_mes",
        summary: "The monitor elements a run of a dataset holds (a bare array).",
        parameters: [Parameter.path("dataset_id", "Dataset id."), Parameter.path("run_number", "Run number.")],
        response: Schema.array(Schema.object([("me_id", Schema.integer), ("me", Schema.string), ("dim", Schema.integer)])),
        scoped: true
    ) { request in
        typealias M = Listing.MonitorElements
        let catalog = request.state.catalog
        let dataset = try request.integer(Parameter.path("dataset_id", "")) ?? 0
        let scope = try request.readableWorkspace()
        // A dataset outside the workspace holds none of its MEs; within it, the workspace narrows the MEs as `mes/` does.
        if let inScope = try await scope.datasetIDs(catalog), !inScope.contains(dataset) { return .json(.array([])) }
        let files = try await catalog.fileIDs(inDatasets: [dataset])
        let ids = try await catalog.monitorElementIDs(run: request.integer(Parameter.path("run_number", "")) ?? 0, files: files)
        let conditions = try await Resources.monitorElements.scoping.conditions(scope, catalog: catalog) + [Condition(M.id, .oneOf(ids))]
        let page = try await catalog.page(.monitoringElements, columns: [M.id, M.name, M.dimension], conditions: conditions,
                                          order: [OrderKey(M.id)], cursor: nil, limit: ids.count)
        return .json(.array(page.rows.map { row in
            .object([("me_id", .of(row[position: 0].int)), ("me", .of(row[position: 1].text)), ("dim", .of(row[position: 2].int))])
        }))
    }

    static func jobItem(_ id: Int64, _ state: ServerState) async throws -> JSONValue {
        guard let item = try await Resources.jobs.item(where: [Condition(Listing.Jobs.id, .equal(.int(id)))], catalog: state.catalog) else {
            throw APIError.notFound("job \(id)")
        }
        return .object(item)
    }

    static func countBySubsystem(_ resource: Resource, dimension: Int) -> Endpoint {
        Endpoint(
            method: .get, path: "/api/v1/\(resource.name)/count-by-subsystem", operationID: "count_\(resource.name)_by_subsystem",
            summary: "Loaded \(resource.name) histograms per subsystem (the first component of the ME name), of the workspace's MEs.",
            parameters: [], response: Schema.array(Schema.object([("subsystem", Schema.string), ("count", Schema.integer)])),
            scoped: true
        ) { request in
            let scope = try request.readableWorkspace()
            let ids = scope.selectsEveryME ? nil : Set(try await scope.meIDs(request.state.catalog))
            return .json(.array(try await request.state.catalog.countBySubsystem(dimension: dimension, among: ids).map {
                .object([("subsystem", .string($0.subsystem)), ("count", .int($0.count))])
            }))
        }
    }

    static let metrics = Endpoint(
        method: .get, path: "/api/v1/metrics", operationID: "metrics", summary: "Prometheus metrics: files by status, jobs, requests.",
        parameters: [], response: Schema.string, mediaTypes: ["text/plain; version=0.0.4"]
    ) { request in
        var lines = ["# HELP mlp_files Indexed files by status.", "# TYPE mlp_files gauge"]
        for (status, count) in try await request.state.catalog.fileCountsByStatus(conditions: []) {
            lines.append("mlp_files{status=\"\(status.rawValue)\"} \(count)")
        }
        lines += ["# HELP mlp_jobs Jobs by queue and state.", "# TYPE mlp_jobs gauge"]
        for (queue, state, count) in try await request.state.catalog.jobCounts() {
            lines.append("mlp_jobs{queue=\"\(queue)\",state=\"\(state)\"} \(count)")
        }
        return .text((lines + request.state.metrics.lines()).joined(separator: "\n") + "\n", contentType: "text/plain; version=0.0.4")
    }
}
