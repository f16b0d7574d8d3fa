import Catalog
import DQMIO
import ROOTIO

extension FileStatus {
    /// The status a file ends in when reading or loading it fails with `error`, named by its cause as DIALS names
    /// them: the system refused the read, the ROOT file is unreadable, or it is ROOT but not DQMIO; anything else
    /// (the database, an interrupted load) is our FAILED.
    public static func failure(_ error: any Error) -> FileStatus {
        switch error {
        case let error as ROOTError: error.code == .io ? .fileNotAvailable : .rootfileError
        case is DQMIOError: .parsingError
        default: .failed
        }
    }
}
