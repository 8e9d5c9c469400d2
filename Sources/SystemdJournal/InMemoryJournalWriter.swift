import Synchronization

/// A ``JournalWriter`` that records entries in memory and can be made to fail, for tests.
///
/// Set ``failure`` to make every ``send(_:)`` throw that error (simulating, for example, a missing journal
/// socket); set it back to `nil` to make sends succeed again.
public final class InMemoryJournalWriter: JournalWriter {
    private struct State {
        var entries: [[JournalField]] = []
        var failure: JournalError?
        var attempts = 0
    }

    private let state = Mutex(State())

    /// Creates a writer that succeeds until told otherwise.
    ///
    /// - Parameter failure: The error every send throws, or `nil` to accept entries.
    public init(failure: JournalError? = nil) {
        state.withLock { $0.failure = failure }
    }

    /// The entries accepted so far, oldest first.
    public var entries: [[JournalField]] {
        state.withLock { $0.entries }
    }

    /// The number of calls to ``send(_:)``, successful or not.
    public var attempts: Int {
        state.withLock { $0.attempts }
    }

    /// The error every send throws, or `nil` when sends succeed.
    public var failure: JournalError? {
        get { state.withLock { $0.failure } }
        set { state.withLock { $0.failure = newValue } }
    }

    /// Records the entry, or throws ``failure`` when it is set.
    ///
    /// Field names are validated exactly as ``SystemdJournalWriter`` validates them.
    ///
    /// - Parameter fields: The entry's fields.
    public func send(_ fields: [JournalField]) throws(JournalError) {
        try JournalField.validate(fields)
        let failure: JournalError? = state.withLock { state in
            state.attempts += 1
            if let failure = state.failure { return failure }
            state.entries.append(fields)
            return nil
        }
        if let failure { throw failure }
    }
}
