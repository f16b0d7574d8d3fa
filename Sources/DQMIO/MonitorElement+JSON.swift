/// The JSON-lines form `dump` prints, the format of the fixtures' `*.truth.jsonl` (ROOT's own reading):
/// `run`, `lumi`, `kind`, `name`, `entries`, `x` (and `y` for 2D) as `{bins,min,max[,edges][,labels]}`, and
/// `data` — a list for 1D, rows `data[y][x]` for 2D. Numbers are the stored doubles in their shortest exact
/// spelling (a float32 bin prints as its exact double value).
extension MonitorElement {
    public func jsonLine() -> String {
        var out = "{\"run\":\(run),\"lumi\":\(lumi),\"kind\":"
        JSON.appendString(kind.name, to: &out)
        out += ",\"name\":"
        JSON.appendString(name, to: &out)
        out += ",\"entries\":"
        JSON.appendNumber(entries, to: &out)
        out += ",\"x\":"
        x.appendJSON(to: &out)
        if let y {
            out += ",\"y\":"
            y.appendJSON(to: &out)
        }
        out += ",\"data\":"
        if let y {
            out += "["
            for row in 0..<y.bins {
                out += row == 0 ? "[" : ",["
                appendRange(row * x.bins..<(row + 1) * x.bins, to: &out)
                out += "]"
            }
            out += "]"
        } else {
            out += "["
            appendRange(0..<values.count, to: &out)
            out += "]"
        }
        out += "}"
        return out
    }

    private func appendRange(_ range: Range<Int>, to out: inout String) {
        for i in range {
            if i != range.lowerBound { out += "," }
            JSON.appendNumber(values[i], to: &out)
        }
    }
}

extension Binning {
    func appendJSON(to out: inout String) {
        out += "{\"bins\":\(bins),\"min\":"
        JSON.appendNumber(minimum, to: &out)
        out += ",\"max\":"
        JSON.appendNumber(maximum, to: &out)
        if let edges {
            out += ",\"edges\":"
            JSON.appendList(edges, to: &out, JSON.appendNumber)
        }
        if let labels {
            out += ",\"labels\":"
            JSON.appendList(labels, to: &out, JSON.appendString)
        }
        out += "}"
    }
}

/// Minimal JSON writing for the hot dump path (Foundation's encoder is far slower and re-rounds nothing better).
public enum JSON {
    /// Shortest round-trip spelling; non-finite values as Python's json module writes them.
    public static func appendNumber(_ value: Double, to out: inout String) {
        if value.isFinite {
            out += value.description
        } else {
            out += value.isNaN ? "NaN" : (value < 0 ? "-Infinity" : "Infinity")
        }
    }

    public static func appendList<T>(_ items: [T], to out: inout String, _ appendItem: (T, inout String) -> Void) {
        out += "["
        for (i, item) in items.enumerated() {
            if i > 0 { out += "," }
            appendItem(item, &out)
        }
        out += "]"
    }

    public static func appendString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
