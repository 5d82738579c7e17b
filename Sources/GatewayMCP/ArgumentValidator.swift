import GatewayCore

/// Checks tool arguments against the tool's input schema before anything is forwarded, so a host's
/// mistake comes back at once with the reason, and an editor never sees arguments it did not declare.
/// It covers the JSON Schema subset the tools use (type, properties, required, additionalProperties,
/// items, enum) plus the project rule that every `path` argument is a plain `res://` path.
package enum ArgumentValidator {
    package static let maximumDepth = 32

    /// Returns nil when `arguments` fit `schema`, else what is wrong.
    package static func problem(in arguments: JSONValue, schema: JSONValue) -> String? {
        problem(in: arguments, schema: ArgumentSchema(schema))
    }

    /// The same against a schema read once (`ArgumentSchema`), as every tools/call does.
    package static func problem(in arguments: JSONValue, schema: ArgumentSchema) -> String? {
        problem(arguments, schema, at: "arguments", depth: 0)
    }

    /// `place` is only written out for a problem: arguments that fit (nearly every call) build no text.
    private static func problem(_ value: JSONValue, _ schema: ArgumentSchema, at place: @autoclosure () -> String, depth: Int) -> String? {
        guard depth <= maximumDepth else { return "\(place()) nests too deeply" }
        if let type = schema.type, !value.matches(type: type) {
            return "\(place()) must be \(type == "object" || type == "array" || type == "integer" ? "an" : "a") \(type)"
        }
        if let allowed = schema.allowed, !allowed.contains(value) {
            return "\(place()) must be one of \(JSONValue.array(allowed).jsonText)"
        }
        switch value {
        case .object(let members):
            for name in schema.required where members[name] == nil {
                return "\(place()).\(name) is required"
            }
            func memberProblem(_ name: String, _ member: JSONValue) -> String? {
                if let propertySchema = schema.properties[name] {
                    if let found = problem(member, propertySchema, at: "\(place()).\(name)", depth: depth + 1) { return found }
                } else if schema.closed {
                    return "\(place()) has an unknown field '\(name)'"
                }
                if name == "path", case .string(let path) = member, let found = ResourcePath.problem(path) {
                    return "\(place()).path: \(found)"
                }
                return nil
            }
            // Checked in the dictionary's order first; only arguments with a problem pay for sorting,
            // so the one reported is the first by name, whatever the order.
            guard members.contains(where: { memberProblem($0.key, $0.value) != nil }) else { return nil }
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                if let found = memberProblem(name, member) { return found }
            }
        case .array(let items):
            if let itemSchema = schema.items {
                for (index, item) in items.enumerated() {
                    if let found = problem(item, itemSchema, at: "\(place())[\(index)]", depth: depth + 1) { return found }
                }
            }
        default:
            break
        }
        return nil
    }
}

/// A tool's input schema read once into what `ArgumentValidator` checks (type, enum, properties,
/// required, additionalProperties: false, items). Reading it from the `JSONValue` on every call hashed a
/// key for each of those, at each level: most of the validator's cost.
package final class ArgumentSchema: Sendable {
    let type: String?
    let allowed: [JSONValue]?
    let properties: [String: ArgumentSchema]
    let required: [String]
    let closed: Bool
    let items: ArgumentSchema?
    /// `properties` and `required` with their names as UTF-8 bytes, for `certainlyFits` to compare a
    /// request's argument names with (finding a property by a String made of them hashed it per call);
    /// nil when a name is not ASCII, since such a name can equal an ASCII one as a String (the Kelvin sign
    /// is a K): those schemas take the full check.
    let asciiNames: (properties: [(name: [UInt8], schema: ArgumentSchema)], required: [[UInt8]])?
    /// The kinds of scalar `type` lets through, and whether it lets an object through: read once from
    /// `JSONValue.matches(type:)` (the type rules stay there) for `certainlyFits`, which judged them by
    /// comparing `type` with each type name on every call.
    let scalarKinds: ScalarKinds
    let acceptsObject: Bool

    /// Any JSON is a schema: what is not understood is not checked, as before.
    package init(_ schema: JSONValue) {
        type = schema["type"]?.stringValue
        if case .array(let values)? = schema["enum"] { allowed = values } else { allowed = nil }
        properties = (schema["properties"]?.objectValue ?? [:]).mapValues(ArgumentSchema.init)
        if case .array(let names)? = schema["required"] {
            required = names.compactMap(\.stringValue)
        } else {
            required = []
        }
        closed = schema["additionalProperties"] == .bool(false)
        items = schema["items"].map(ArgumentSchema.init)
        let isASCII = { (name: String) in name.utf8.allSatisfy { $0 < 0x80 } }
        asciiNames = properties.keys.allSatisfy(isASCII) && required.allSatisfy(isASCII)
            ? (properties.map { (Array($0.key.utf8), $0.value) }, required.map { Array($0.utf8) }) : nil
        scalarKinds = ScalarKinds(type: type)
        acceptsObject = type.map { JSONValue.object([:]).matches(type: $0) } ?? true
    }
}

/// Kinds of scalar as `certainlyFits` tells them from a value's first bytes: each stands for the values
/// `JSONValue.matches(type:)` is asked about (a string, true, null, digits alone as 0, a fraction or an
/// exponent as 0.5).
struct ScalarKinds: OptionSet, Sendable {
    let rawValue: UInt8
    static let string = ScalarKinds(rawValue: 1)
    static let boolean = ScalarKinds(rawValue: 2)
    static let null = ScalarKinds(rawValue: 4)
    static let integer = ScalarKinds(rawValue: 8)
    static let fraction = ScalarKinds(rawValue: 16)

    init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The kinds `type` lets through (all of them without a type).
    init(type: String?) {
        var kinds: ScalarKinds = []
        let samples: [(ScalarKinds, JSONValue)] = [
            (.string, .string("")), (.boolean, .bool(true)), (.null, .null), (.integer, .int(0)), (.fraction, .double(0.5)),
        ]
        for (kind, sample) in samples where type.map({ sample.matches(type: $0) }) ?? true { kinds.insert(kind) }
        self = kinds
    }
}

/// The project's rule for file paths an agent names: inside the Godot project only.
package enum ResourcePath {
    /// Judged on the path's bytes, as the editor's file layer reads it. Swift's String operations work on
    /// grapheme clusters, and a backslash or ':' followed by a combining mark is one cluster that is neither:
    /// `res://..\\<U+200D>x` passed, and Godot turns every backslash into '/' (FileAccess::fix_path).
    package static func problem(_ path: String) -> String? {
        let bytes = Array(path.utf8)
        guard bytes.starts(with: "res://".utf8) else { return "must start with res:// (got '\(path)')" }
        let inner = bytes.dropFirst(6)
        if inner.isEmpty { return "names no file" }
        if inner.first == UInt8(ascii: "/") || inner.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: ":") || $0 == 0 }) {
            return "must be a plain res:// path (got '\(path)')"
        }
        for part in inner.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            if part.elementsEqual("..".utf8) || part.elementsEqual(".".utf8) { return "must not contain '.' or '..' segments (got '\(path)')" }
            if part.isEmpty { return "must not contain empty segments (got '\(path)')" }
        }
        return nil
    }
}

extension JSONValue {
    func matches(type: String) -> Bool {
        switch (type, self) {
        case ("string", .string), ("boolean", .bool), ("object", .object), ("array", .array), ("null", .null),
             ("number", .int), ("number", .double), ("integer", .int):
            true
        case ("integer", .double(let number)):
            number.rounded() == number && number.isFinite
        case ("string", _), ("boolean", _), ("object", _), ("array", _), ("null", _), ("number", _), ("integer", _):
            false
        default:
            true
        }
    }
}
