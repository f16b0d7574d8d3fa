import ArgumentParser
import Foundation
import Pipeline

/// Prints one line on stderr — the file and what is wrong — and exits 1. Every reader error already names
/// its file, key or branch, and offset; names from storage may hold control characters, shown escaped.
func exitWithFailure(_ error: any Error) -> Never {
    FileHandle.standardError.write(Data("mlplayground: \(EscapedText.forTerminal(String(describing: error)))\n".utf8))
    exit(1)
}

/// Runs `body`, turning any error into the one-line failure.
func reportingFailures(_ body: () throws -> Void) {
    do {
        try body()
    } catch let error as CleanExit {
        MLPlayground.exit(withError: error)
    } catch {
        exitWithFailure(error)
    }
}
