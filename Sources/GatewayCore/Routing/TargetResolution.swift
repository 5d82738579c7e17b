/// Finds the editor a call names: a client id, or a unique prefix of an id, of the project name or of the
/// project path an editor sent in `identify` (case-insensitive). Only ready, open Godot editors count.
package enum TargetResolution: Equatable {
    case found(clientId: String)
    /// Nothing matched, or more than one editor did; `editors` lists the candidates for the error text.
    case unknown(editors: [String])
    case ambiguous(matches: [String])

    package static func resolve(_ name: String, among editors: [ClientRecord]) -> TargetResolution {
        if let exact = editors.first(where: { $0.id == name }) { return .found(clientId: exact.id) }
        let wanted = name.lowercased()
        guard !wanted.isEmpty else { return .unknown(editors: editors.map(\.displayName)) }
        // An exact project name beats a prefix of another (two projects "game" and "game-tools").
        let exactNames = editors.filter { $0.projectName?.lowercased() == wanted }
        if exactNames.count == 1 { return .found(clientId: exactNames[0].id) }
        let matches = editors.filter { editor in
            [editor.id, editor.projectName, editor.projectPath].contains { $0?.lowercased().hasPrefix(wanted) == true }
        }
        switch matches.count {
        case 1: return .found(clientId: matches[0].id)
        case 0: return .unknown(editors: editors.map(\.displayName))
        default: return .ambiguous(matches: matches.map(\.displayName))
        }
    }
}

extension ClientRecord {
    /// The project name the editor sent in `identify`, if any.
    package var projectName: String? { details["projectName"]?.stringValue }
    /// The project folder the editor sent in `identify` (`res://` made absolute), if any.
    package var projectPath: String? { details["projectPath"]?.stringValue }

    /// How an editor is named in errors: its id, project and path.
    package var displayName: String {
        let project = projectName.map { " \"\($0.prefix(80))\"" } ?? ""
        let path = projectPath.map { " at \($0.prefix(200))" } ?? ""
        return id + project + path
    }
}
