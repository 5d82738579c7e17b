/// What the core produced for the engine to act on: effects for the socket layer and the MCP sessions,
/// and replies to the callers of commands, in the order they were made. Kept in one struct so that the
/// engine takes both in one access to the core (each access to a class property is an exclusivity check).
package struct CoreOutput {
    package var effects: [CoreEffect] = []
    package var replies: [(to: ReplyAddress, reply: CommandReply)] = []

    package init() {}
}
