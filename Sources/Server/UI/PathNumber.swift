/// A number in a page's path (`/files/{id}`, `/runs/{run}`, `/runs/{run}/ls/{ls}`, `/histograms/…/{id}`): every
/// page refuses a malformed one alike, 400 naming the parameter and what was sent; a well-formed id that names
/// nothing is the page's 404.
enum PathNumber {
    static func parse(_ text: String?, _ name: String) throws(APIError) -> Int64 {
        guard let text, let value = Int64(text), value >= 0 else {
            throw APIError.badParameter(name, "expected a non-negative integer, not \"\(text ?? "")\"")
        }
        return value
    }
}
