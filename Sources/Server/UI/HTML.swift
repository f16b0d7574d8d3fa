/// Server-rendered pages: escaping, the shared layout and small building blocks. Plots and the live index
/// button are `/static/app.js`; everything works offline (no CDN).
enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A page; `workspaces` (the configured names and the one chosen) adds the picker to the top bar.
    static func page(title: String, signedIn: Bool, csrf: String?, workspaces: (names: [String], chosen: String)? = nil,
                     path: String = "/", body: String) -> String {
        let account = signedIn
            ? "<form method=\"post\" action=\"/logout\" class=\"inline\"><input type=\"hidden\" name=\"csrf\" value=\"\(escape(csrf ?? ""))\"><button type=\"submit\">Sign out</button></form>"
            : "<a id=\"sign-in\" href=\"/login\">Sign in</a>"
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(title)) · MLPlayground</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <link rel="stylesheet" href="/static/app.css"></head>
            <body\(workspaces.map { " data-workspace=\"\(escape($0.chosen))\"" } ?? "")><nav class="top"><a href="/"><b>MLPlayground</b></a><a href="/files">Files</a><a href="/runs">Runs</a>
            <a href="/docs">API</a><span class="spacer"></span>\(workspaces.map { workspacePicker($0.names, chosen: $0.chosen, path: path) } ?? "")\(account)</nav>
            <main><h1>\(escape(title))</h1>
            \(body)
            </main><script src="/static/app.js"></script></body></html>
            """
    }

    /// The top bar's workspace choice: a GET form to `/ui/workspace`, which remembers it in a cookie and comes back.
    static func workspacePicker(_ names: [String], chosen: String, path: String) -> String {
        let options = names.map { "<option\($0 == chosen ? " selected" : "")>\(escape($0))</option>" }.joined()
        return """
            <form method="get" action="/ui/workspace" class="inline"><label>Workspace <select id="workspace-picker" name="name">\(options)</select></label>\
            <input type="hidden" name="next" value="\(escape(path))"><noscript><button type="submit">Show</button></noscript></form>
            """
    }

    /// A table from rows of already-escaped cells.
    static func table(_ headers: [String], _ rows: [[String]], id: String? = nil) -> String {
        let head = headers.map { "<th>\(escape($0))</th>" }.joined()
        let body = rows.map { "<tr>" + $0.map { "<td>\($0)</td>" }.joined() + "</tr>" }.joined(separator: "\n")
        return "<table class=\"list\"\(id.map { " id=\"\($0)\"" } ?? "")><thead><tr>\(head)</tr></thead><tbody>\(body)</tbody></table>"
    }

    static func link(_ href: String, _ text: String, id: String? = nil) -> String {
        "<a href=\"\(escape(href))\"\(id.map { " id=\"\($0)\"" } ?? "")>\(escape(text))</a>"
    }

    static func badge(_ status: String) -> String {
        "<span class=\"badge status-\(escape(status))\">\(escape(status))</span>"
    }

    /// Previous / next links of a list page (the API's cursors, pointed at the page itself).
    static func pager(previous: String?, next: String?) -> String {
        let previousLink = previous.map { link($0, "← previous", id: "previous-page") } ?? ""
        let nextLink = next.map { link($0, "next →", id: "next-page") } ?? ""
        return "<p class=\"pager\">\(previousLink) \(nextLink)</p>"
    }
}

extension JSONValue {
    /// A member of an object, for pages rendered from API items.
    subscript(_ key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// Plain text for a table cell (escaped).
    var cell: String {
        switch self {
        case .null: ""
        case .string(let text): HTML.escape(text)
        // To the digits a person reads (7 significant: a float32's precision): 680.772, not 680.7719999999999;
        // the API keeps every digit.
        case .double(let value) where value.isFinite: String(format: "%.7g", value)
        case .array(let items): HTML.escape(items.map { $0.serialized() }.joined(separator: ", "))
        default: HTML.escape(serialized())
        }
    }

    var intValue: Int64? { if case .int(let value) = self { value } else { nil } }
    var stringValue: String? { if case .string(let value) = self { value } else { nil } }
}
