/// `/login`: sign in with one of the server's tokens; the session cookie then lets the UI write. A `next` page
/// (where a visitor was sent from, when reads need a session) is where signing in leads.
enum LoginPage {
    static func render(_ request: UIRoutes.PageRequest, failed: Bool) -> String {
        let next = request.query["next"].flatMap(localPath).map { "<input type=\"hidden\" name=\"next\" value=\"\(HTML.escape($0))\">" }
        return request.page("Sign in", """
            \(failed ? "<p class=\"error\" id=\"login-error\">That token is not accepted.</p>" : "")
            <form id="login" method="post" action="/login">\(next ?? "")
            <label>Token <input type="password" name="token" autocomplete="current-password" required></label>
            <button type="submit">Sign in</button></form>
            <p>Tokens are set when the server starts (<code>--token</code> or <code>MLP_API_TOKENS</code>).</p>
            """)
    }

    /// `path` when it is a page of this server ("/files?status=FAILED"), nil otherwise: "//host/…" and "/\\host"
    /// lead browsers to other sites.
    static func localPath(_ path: String) -> String? {
        guard path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains("\\"),
              !path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
        return path
    }
}
