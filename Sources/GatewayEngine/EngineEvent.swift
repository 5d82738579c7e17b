import GatewayCore
import GatewayMCP

/// Everything the world does to the gateway, as the socket layer (or a test) reports it to
/// `GatewayEngine.handle`. Nothing here carries a socket, a file descriptor or a callback.
package enum EngineEvent {
    // The MCP host on stdio.
    /// Bytes the host wrote to stdin, as one read returned them (cut into newline-delimited messages
    /// and size-capped by the engine).
    case hostBytes([UInt8])
    /// stdin reached its end: the host closed it, or the gateway does at exit.
    case hostInputEnded
    /// stdout was written; `pending` answer bytes still wait for the host to read them.
    case hostOutputFlushed(pending: Int)
    /// stdout can no longer be written: the host is gone.
    case hostOutputGone

    // HTTP and WebSocket peers.
    /// A request arrived; `upgrade`: it asks for a WebSocket. Answered by `.admitted`.
    case requestArrived(ConnectionRequest, upgrade: Bool)
    /// A plain HTTP request that passed admission. Answered by `.httpResponse`.
    case httpRequest(ConnectionRequest, path: String, isPost: Bool, overTLS: Bool)
    /// An upgrade completed. Answered by `.accepted`.
    case connectionOpened(ConnectionRequest)
    /// Events about a connection carry its handle (`.accepted` gave it): the core finds the client by
    /// slot, not by hashing its id, and ignores an event about a connection whose slot moved on.
    case textMessage(client: ClientHandle, bytes: [UInt8])
    case binaryMessage(client: ClientHandle, byteCount: Int)
    /// A message passed the size cap while it arrived; `head` is its beginning.
    case messageTooLarge(client: ClientHandle, limit: Int, head: [UInt8])
    case pong(client: ClientHandle)
    /// The peer let more than its share of output pile up unread; the socket layer is dropping it.
    case clientNotReading(client: ClientHandle, queuedBytes: Int)
    /// `closeCode`: the code of the close frame the peer sent, if it sent one (1000/1001: it left on purpose).
    case connectionClosed(client: ClientHandle, closeCode: UInt16? = nil)

    // Time and the process.
    /// The deadline the last `.wakeAt` named has come.
    case timerDue
    /// A signal or the host asked the gateway to stop.
    case stopRequested(reason: String)
    /// A reload read the access token (`--token-file`) or the token list (`--tokens`) again.
    case tokenReplaced(String)
    case tokenListReplaced([NamedToken])

    // Other gateways.
    /// A JSON-RPC message for this process's host from the gateway it relays through.
    case fromOwnerGateway(JSONValue)
    /// The link to the gateway this process relays through broke: calls sent through it end now, clearly.
    case ownerGatewayLost
    /// Another cluster node forwarded a call here; its answer goes back by `.clusterReply` to `replyTo`.
    case clusterCall(bytes: [UInt8], replyTo: String)
    case clusterAnswer(bytes: [UInt8])
    case clusterPresence(bytes: [UInt8])
    case clusterNodeLeft(String)
    case clusterLink(connected: Bool)
}
