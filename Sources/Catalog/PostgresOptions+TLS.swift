import Foundation
import NIOSSL

extension PostgresOptions {
    /// NIOSSL's settings for `mode`, nil when TLS is off. As libpq does: `prefer` and `require` check no certificate
    /// (they only encrypt) unless `sslrootcert` is given, with which `require` checks the chain like `verify-ca`;
    /// `verify-ca` checks the chain, `verify-full` the chain and the host name (an IP address is matched against the
    /// certificate's IP entries).
    func tlsConfiguration(mode: SSLMode) throws -> TLSConfiguration? {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch mode {
        case .disable: return nil
        case .prefer: tls.certificateVerification = .none
        case .require: tls.certificateVerification = sslRootCert == nil ? .none : .noHostnameVerification
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        if let sslRootCert {
            // NIOSSL would only say "no such file" once connecting; say which parameter named it.
            guard FileManager.default.isReadableFile(atPath: sslRootCert) else {
                throw CatalogError("sslrootcert=\(sslRootCert): no readable file there")
            }
            tls.trustRoots = .file(sslRootCert)
        }
        return tls
    }
}
