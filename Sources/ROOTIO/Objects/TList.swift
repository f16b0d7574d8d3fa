/// TList / THashList streaming (core/cont/src/TList.cxx, `TList::Streamer`): version, TObject, name, count, then
/// per element an object pointer and a one-byte-length option string. `element` reads one object of the
/// given class, or returns nil to have it skipped by its byte count.
enum TListReader {
    static func read<Element>(from cursor: inout Cursor, className: String = "TList",
                              element: (inout Cursor, String) throws -> Element?) throws -> [Element] {
        let header = try cursor.versionHeader(className)
        guard header.version > 3 else {
            throw cursor.error(.unsupported, "\(className) version \(header.version)", at: header.start)
        }
        _ = try TObjectMembers(from: &cursor)
        try cursor.skipString()  // fName
        let count = try cursor.count(elementSize: 4, what: "\(className) size")
        var elements: [Element] = []
        for position in 0..<count {
            let start = cursor.index
            switch try cursor.objectTag() {
            case .object(let elementClass, let end):
                if let value = try ROOTError.framed("\(className)[\(position)] \(elementClass)", { try element(&cursor, elementClass) }) {
                    elements.append(value)
                    if let end, cursor.index != end {
                        throw cursor.error(.mismatch, "\(elementClass) read \(cursor.index - start) bytes, its byte count says \(end - start)", at: start)
                    }
                } else if let end {
                    try cursor.seek(to: end)
                } else {
                    throw cursor.error(.unsupported, "cannot skip a \(elementClass) written without a byte count", at: start)
                }
            case .null, .reference:
                break
            }
            let optionLength = Int(try cursor.u8())
            try cursor.skip(optionLength)
        }
        try cursor.expectEnd(of: header, className)
        return elements
    }
}

/// TObjArray streaming (core/cont/src/TObjArray.cxx): version, TObject, name, count, lower bound, then object
/// pointers (null slots allowed).
enum TObjArrayReader {
    /// `element` gets the slot number, the class and the end index; null slots are left out.
    static func read<Element>(from cursor: inout Cursor,
                              element: (inout Cursor, Int, String, Int?) throws -> Element) throws -> [Element] {
        let header = try cursor.versionHeader("TObjArray")
        guard header.version > 2 else {
            throw cursor.error(.unsupported, "TObjArray version \(header.version)", at: header.start)
        }
        _ = try TObjectMembers(from: &cursor)
        try cursor.skipString()  // fName
        let count = try cursor.count(elementSize: 4, what: "TObjArray size")
        _ = try cursor.i32()  // fLowerBound
        var elements: [Element] = []
        elements.reserveCapacity(count)
        for position in 0..<count {
            let start = cursor.index
            if case .object(let className, let end) = try cursor.objectTag() {
                let value = try ROOTError.framed("[\(position)] \(className)") { try element(&cursor, position, className, end) }
                if let end, cursor.index != end {
                    throw cursor.error(.mismatch, "\(className) read \(cursor.index - start) bytes, its byte count says \(end - start)", at: start)
                }
                elements.append(value)
            }
        }
        try cursor.expectEnd(of: header, "TObjArray")
        return elements
    }
}
