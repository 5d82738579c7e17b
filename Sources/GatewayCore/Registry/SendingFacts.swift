extension ClientRegistry {
    /// What sending a command to an editor of this node needs of its record (`sendingFacts(of:)`), read
    /// where the record is: routing a call copies no record (about twenty reference-counted fields).
    package struct SendingFacts {
        package var id: String
        package var sequence: UInt64
        /// Commands sent to it and not answered.
        package var inFlight: Int
    }
}
