/// `/login`: sign in with one of the server's tokens; the session cookie then lets the UI write.
enum LoginPage {
    static func render(_ request: UIRoutes.PageRequest, failed: Bool) -> String {
        request.page("Sign in", """
            \(failed ? "<p class=\"error\" id=\"login-error\">That token is not accepted.</p>" : "")
            <form id="login" method="post" action="/login">
            <label>Token <input type="password" name="token" autocomplete="current-password" required></label>
            <button type="submit">Sign in</button></form>
            <p>Tokens are set when the server starts (<code>--token</code> or <code>MLP_API_TOKENS</code>).</p>
            """)
    }
}
