import GatewayCore
import GatewayEngine
import FoundationEssentials
import Glibc

/// SIGHUP in service mode: the certificate and key are read again (new connections get the new
/// certificate, open ones keep theirs), and so is the token file (new connections must present the new
/// token). Nobody is disconnected.
extension ServiceLoop {
    /// Returns what could not be reloaded, worded for the log.
    func reload(tls: TLSConfiguration?, tokenFile: String?, tokensList: String? = nil) -> [String] {
        var problems: [String] = []
        if let tls, let runtime {
            if let certificate = try? Data(contentsOf: URL(fileURLWithPath: tls.certificatePath)),
               let key = try? Data(contentsOf: URL(fileURLWithPath: tls.privateKeyPath)) {
                if let refused = runtime.updateCertificate(
                    certificatePath: tls.certificatePath, privateKeyPath: tls.privateKeyPath, certificate: Array(certificate), privateKey: Array(key)) {
                    problems.append("libwebsockets refused the new certificate or key (\(refused))")
                }
            } else {
                problems.append("cannot read \(tls.certificatePath) or \(tls.privateKeyPath)")
            }
        }
        if let tokenFile {
            do {
                let (token, _) = try TokenFile.loadOrCreate(at: tokenFile)
                if token != core.security.token { handle(.tokenReplaced(token)) }
            } catch {
                problems.append("\(error)")
            }
        }
        if let tokensList {
            do {
                handle(.tokenListReplaced(try TokenListFile.load(tokensList)))
            } catch {
                problems.append("\(error)")
            }
        }
        return problems
    }
}
