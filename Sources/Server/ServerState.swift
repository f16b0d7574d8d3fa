import Catalog
import Pipeline

/// What every handler shares: the catalog, the pipeline settings the index button uses, who may write, the
/// signed-in browser sessions and the request counters.
final class ServerState: Sendable {
    let catalog: Catalog
    let pipeline: PipelineSettings
    let settings: ServerSettings
    let tokens: TokenSet
    let sessions = SessionStore()
    let metrics = RequestMetrics()

    init(catalog: Catalog, pipeline: PipelineSettings, settings: ServerSettings) {
        self.catalog = catalog
        self.pipeline = pipeline
        self.settings = settings
        tokens = TokenSet(settings.tokens)
    }
}
