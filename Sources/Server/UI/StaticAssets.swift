import Foundation
import Hummingbird

/// `/static/app.js` and `/static/app.css`, from the target's resources, read once at start.
enum StaticAssets {
    static func register(on router: RouteRecorder) {
        for (name, contentType) in [("app.js", "text/javascript; charset=utf-8"), ("app.css", "text/css; charset=utf-8")] {
            let text = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Assets")
                .flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? "/* \(name) is missing from the build */"
            router.get(RouterPath("/static/\(name)")) { _, _ in
                var response = HTTPServer.text(text, contentType: contentType)
                response.headers[.cacheControl] = "max-age=300"
                return response
            }
        }
    }
}
