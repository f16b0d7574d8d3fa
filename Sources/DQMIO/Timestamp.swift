import Foundation

/// An edm::Timestamp as DQMIO stores BeginTime/EndTime: seconds in the high 32 bits, microseconds in the low.
public struct Timestamp: Sendable, Equatable, Comparable {
    public let raw: UInt64

    public init(raw: UInt64) { self.raw = raw }

    public var seconds: UInt64 { raw >> 32 }
    public var microseconds: UInt64 { raw & 0xFFFF_FFFF }
    public var date: Date { Date(timeIntervalSince1970: Double(seconds) + Double(microseconds) / 1e6) }

    /// ISO 8601 in UTC with microseconds, e.g. 2023-11-14T22:13:43.000000Z.
    public var iso8601: String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let micro = String(microseconds).leftPadded(to: 6)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec) + ".\(micro)Z"
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.raw < rhs.raw }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
