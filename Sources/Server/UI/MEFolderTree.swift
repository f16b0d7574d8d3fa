/// A lumisection page's ME list as a folder tree: the names' `/` paths as nested folders, each with the number of
/// MEs under it (as the DQM GUI shows them), the MEs as leaves in name order.
enum MEFolderTree {
    struct Leaf {
        /// The ME's full name.
        let name: String
        /// What the leaf shows after its thumbnail and name.
        let html: String
        let href: String
        /// The histogram's id, which its thumbnail is drawn from.
        let id: Int64
    }

    static func render(_ leaves: [Leaf], id: String) -> String {
        let paths = leaves.sorted { $0.name < $1.name }.map { (Array($0.name.split(separator: "/").map(String.init)), $0) }
        return "<ul class=\"tree\" id=\"\(HTML.escape(id))\">" + level(paths[...], depth: 0) + "</ul>"
    }

    /// The folders and leaves at `depth` of `paths` (sorted, so a folder's MEs are adjacent).
    private static func level(_ paths: ArraySlice<([String], Leaf)>, depth: Int) -> String {
        var out = ""
        var index = paths.startIndex
        while index < paths.endIndex {
            let (parts, leaf) = paths[index]
            if parts.count <= depth + 1 {
                let shown = parts.last ?? leaf.name
                out += "<li class=\"me\"><canvas class=\"thumb\" width=\"96\" height=\"36\" data-id=\"\(leaf.id)\"></canvas>"
                    + "<a class=\"me\" href=\"\(HTML.escape(leaf.href))\" data-me=\"\(HTML.escape(leaf.name))\">\(HTML.escape(shown))</a> \(leaf.html)</li>"
                index += 1
                continue
            }
            let folder = parts[depth]
            var end = index
            while end < paths.endIndex, paths[end].0.count > depth + 1, paths[end].0[depth] == folder { end += 1 }
            out += "<li class=\"folder\"><details open><summary>\(HTML.escape(folder)) <span class=\"count\">\(end - index)</span></summary><ul>"
                + level(paths[index..<end], depth: depth + 1) + "</ul></details></li>"
            index = end
        }
        return out
    }
}
