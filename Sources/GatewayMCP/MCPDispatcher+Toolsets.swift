import GatewayCore

/// `list_toolsets`, `enable_toolset`, `disable_toolset`: this session's choice of what `tools/list` shows.
extension MCPDispatcher {
    /// Every toolset, its tools (those offered now), and whether this session lists it.
    var toolsetsReport: JSONValue {
        let offered = tools().entries.map(\.name)
        let sets: [JSONValue] = Toolsets.all.map { set in
            let names = offered.filter { Toolsets.set(of: $0) == set.name }.sorted()
            return ["name": .string(set.name), "enabled": .bool(toolsets.contains(set.name)), "summary": .string(set.summary),
                    "tools": .array(names.map(JSONValue.string))]
        }
        return ["toolsets": .array(sets), "alwaysListed": .array(Toolsets.alwaysListed.map(JSONValue.string)),
                "note": "Tools of a set that is not enabled can still be called by name."]
    }

    func switchToolset(_ name: String, on: Bool, answer: (String, Bool, String?, String) -> Void) {
        guard Toolsets.names.contains(name) else {
            return answer("Unknown toolset '\(name.prefix(50))'; the toolsets are \(Toolsets.names.joined(separator: ", ")).", true, nil,
                          "invalid_arguments")
        }
        guard toolsets.contains(name) != on else {
            return answer("The toolset \(name) is already \(on ? "enabled" : "disabled").", false, nil, "success")
        }
        if on { toolsets.insert(name) } else { toolsets.remove(name) }
        currentTools = nil
        let listed = ToolCatalog.listed(tools().entries, toolsets: toolsets).count
        answer("The toolset \(name) is \(on ? "enabled" : "disabled"); this session lists \(listed) tools now.", false, nil, "success")
        _ = relay?(toolsetsRequest)
        announceToolListChanged()
    }

    /// A relaying gateway says which toolsets its host lists (its own process announces the change).
    func adoptToolsets(id: String, params: JSONValue) {
        guard case .array(let names)? = params["toolsets"] else {
            return write(JSONRPCLine.error(id: id, code: .invalidParams, message: "needs params.toolsets (an array of names)"))
        }
        toolsets = Set(names.compactMap(\.stringValue).filter(Toolsets.names.contains))
        currentTools = nil
        write(JSONRPCLine.result(id: id, resultJSON: Array("{}".utf8)))
    }
}
