import Testing
@testable import GatewayCore
@testable import GatewayMCP

@Suite struct ArgumentValidatorTests {
    let schema: JSONValue = [
        "type": "object",
        "properties": ["path": ["type": "string"], "keys": ["type": "array", "items": ["type": "string"]], "x": ["type": "number"]],
        "required": ["path"],
        "additionalProperties": false,
    ]

    @Test func validArgumentsPass() {
        #expect(ArgumentValidator.problem(in: ["path": "res://a/b.gd", "keys": ["W"], "x": 1.5], schema: schema) == nil)
    }

    @Test func mistakesAreNamed() {
        #expect(ArgumentValidator.problem(in: [:], schema: schema) == "arguments.path is required")
        #expect(ArgumentValidator.problem(in: ["path": 3], schema: schema) == "arguments.path must be a string")
        #expect(ArgumentValidator.problem(in: ["path": "res://a", "keys": [1]], schema: schema) == "arguments.keys[0] must be a string")
        #expect(ArgumentValidator.problem(in: ["path": "res://a", "extra": true], schema: schema) == "arguments has an unknown field 'extra'")
    }

    @Test func ofSeveralMistakesTheFirstByNameIsReported() {
        // Members are checked unsorted first; the report must not depend on the dictionary's order.
        let several: JSONValue = ["path": "res://a", "x": "wide", "keys": [1], "zz": true]
        #expect(ArgumentValidator.problem(in: several, schema: schema) == "arguments.keys[0] must be a string")
        #expect(ArgumentValidator.problem(in: ["path": "res://a", "zz": 1, "x": "wide"], schema: schema) == "arguments.x must be a number")
    }

    @Test func enumsAndSchemasItDoesNotUnderstand() {
        let toolset = ArgumentSchema(ToolCatalog.toolsetSchema)
        #expect(ArgumentValidator.problem(in: ["toolset": "nope"], schema: toolset)?.hasPrefix("arguments.toolset must be one of [") == true)
        #expect(ArgumentValidator.problem(in: ["toolset": .string(Toolsets.names[0])], schema: toolset) == nil)
        // What is not a schema checks nothing, as before it was read once.
        #expect(ArgumentValidator.problem(in: ["a": [1, "x"]], schema: ArgumentSchema(.string("free"))) == nil)
        #expect(ArgumentValidator.problem(in: ["a": 1], schema: ArgumentSchema(["type": 3, "required": "a", "properties": [1]])) == nil)
    }

    @Test func pathsStayInsideTheProject() {
        for bad in ["/etc/passwd", "res://../secret", "res://a/../../b", "res:///etc/passwd", "user://x", "res://a//b", "res://c:\\x"] {
            #expect(ArgumentValidator.problem(in: ["path": .string(bad)], schema: schema) != nil, "\(bad)")
        }
        #expect(ResourcePath.problem("res://scenes/main.tscn") == nil)
    }

    /// The rule reads bytes, not grapheme clusters: a backslash or ':' followed by a combining mark is one
    /// cluster that is neither, and Godot turns the backslash into '/' (FileAccess::fix_path).
    @Test func aCombiningMarkDoesNotHideABackslashOrAColon() {
        for bad in ["res://..\\\u{200D}x", "res://C:\u{0338}/x", "res://a/..\u{0301}/../b"] {
            #expect(ResourcePath.problem(bad) != nil, "\(bad.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        // Combining marks inside a name are only a name.
        #expect(ResourcePath.problem("res://e\u{0301}t\u{00E9}/n\u{0303}.tscn") == nil)
    }
}
