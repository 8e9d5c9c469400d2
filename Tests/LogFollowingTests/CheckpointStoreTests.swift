import Foundation
import LogFollowing
import Testing

struct CheckpointStoreTests {
    struct DaemonState: Codable, Equatable {
        var files: [FileCheckpoint]
        var note: String
    }

    private let sample = DaemonState(
        files: [
            FileCheckpoint(
                path: "/var/log/ecs/a.log",
                identity: FileIdentity(device: 2049, inode: 131_074, fingerprint: 0xDEAD_BEEF, fingerprintLength: 1024),
                offset: 4096, lineNumber: 17)
        ],
        note: "ünïcode ✓")

    @Test func savesAndLoadsAtomically() throws {
        let directory = try TestDirectory("store")
        let store = CheckpointStore(path: directory.file("checkpoint.json"))
        #expect(try store.load(DaemonState.self) == nil, "no file yet: a first start")
        try store.save(sample)
        #expect(try store.load(DaemonState.self) == sample)

        var changed = sample
        changed.files[0].offset = 8192
        try store.save(changed)
        #expect(try store.load(DaemonState.self) == changed)

        // No temporary file is left behind, and the file is private to the daemon.
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(names == ["checkpoint.json"])
        var info = stat()
        #expect(stat(directory.file("checkpoint.json"), &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)

        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: store.path)))
        let envelope = try #require(object as? [String: Any])
        #expect(envelope["format"] as? String == "ecsdiagd-checkpoint")
        #expect(envelope["version"] as? Int == 1)
        #expect(envelope["savedAt"] is Double)
    }

    /// vector #20753: a torn or garbage file must produce a typed error, not a crash or a silent empty state.
    @Test(arguments: [
        "", "{", "not json at all", "\u{0}\u{1}\u{2}", "[1,2,3]", "{\"format\":\"ecsdiagd-checkpoint\",\"version\":1,\"sta",
    ])
    func corruptFilesAreReported(_ content: String) throws {
        let directory = try TestDirectory("store")
        directory.write("checkpoint.json", content)
        let store = CheckpointStore(path: directory.file("checkpoint.json"))
        #expect {
            _ = try store.load(DaemonState.self)
        } throws: { error in
            guard case .corrupt(let path, _) = error as? CheckpointStoreError else { return false }
            return path == store.path
        }
    }

    @Test func stateOfTheWrongShapeIsCorrupt() throws {
        let directory = try TestDirectory("store")
        directory.write("checkpoint.json", #"{"format":"ecsdiagd-checkpoint","version":1,"savedAt":0,"state":{"files":"x"}}"#)
        let store = CheckpointStore(path: directory.file("checkpoint.json"))
        #expect {
            _ = try store.load(DaemonState.self)
        } throws: { error in
            guard case .corrupt(_, let reason) = error as? CheckpointStoreError else { return false }
            return reason.contains("files")
        }
    }

    @Test func foreignFilesAreReported() throws {
        let directory = try TestDirectory("store")
        let store = CheckpointStore(path: directory.file("checkpoint.json"))
        directory.write("checkpoint.json", #"{"format":"vector-checkpoints","version":1,"state":{}}"#)
        #expect(throws: CheckpointStoreError.foreignFormat(path: store.path, found: "vector-checkpoints")) {
            _ = try store.load(DaemonState.self)
        }
        directory.write("checkpoint.json", #"{"checkpoints":[]}"#)
        #expect(throws: CheckpointStoreError.foreignFormat(path: store.path, found: nil)) {
            _ = try store.load(DaemonState.self)
        }
    }

    @Test func newerVersionsAreReported() throws {
        let directory = try TestDirectory("store")
        let store = CheckpointStore(path: directory.file("checkpoint.json"))
        directory.write("checkpoint.json", #"{"format":"ecsdiagd-checkpoint","version":2,"state":{}}"#)
        #expect(throws: CheckpointStoreError.unsupportedVersion(path: store.path, found: 2)) {
            _ = try store.load(DaemonState.self)
        }
        #expect(CheckpointStoreError.unsupportedVersion(path: store.path, found: 2).description.contains("version 2"))
    }

    @Test func oversizedFilesAreRefused() throws {
        let directory = try TestDirectory("store")
        let store = CheckpointStore(path: directory.file("checkpoint.json"), maximumSize: 100)
        directory.write("checkpoint.json", String(repeating: " ", count: 101))
        #expect(throws: CheckpointStoreError.tooLarge(path: store.path, size: 101)) {
            _ = try store.load(DaemonState.self)
        }
    }

    @Test func ioFailuresAreTyped() throws {
        let directory = try TestDirectory("store")
        let missingDirectory = CheckpointStore(path: directory.file("no/such/dir/checkpoint.json"))
        #expect {
            try missingDirectory.save(sample)
        } throws: { error in
            guard case .io(let operation, _, let code) = error as? CheckpointStoreError else { return false }
            return operation == "open" && code == ENOENT
        }
        try directory.makeDirectory("checkpoint.json")
        let isDirectory = CheckpointStore(path: directory.file("checkpoint.json"))
        #expect(throws: CheckpointStoreError.self) { _ = try isDirectory.load(DaemonState.self) }
        #expect(throws: CheckpointStoreError.self) { try isDirectory.save(sample) }
    }
}
