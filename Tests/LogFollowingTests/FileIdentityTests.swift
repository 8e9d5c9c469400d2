import Foundation
import LogFollowing
import Testing

struct FileIdentityTests {
    private func hash(_ text: String) -> UInt64 {
        Array(text.utf8).withUnsafeBytes { FileIdentity.hash($0) }
    }

    @Test func hashIsStandardFNV1a64() {
        // Reference values of FNV-1a 64: the fingerprint must be stable across runs and builds.
        #expect(hash("") == 0xcbf2_9ce4_8422_2325)
        #expect(hash("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(hash("foobar") == 0x8594_4171_f739_67e8)
    }

    @Test func fingerprintsAtMostTheFirstKilobyte() throws {
        let directory = try TestDirectory("identity")
        directory.write("short.log", "hello\n")
        directory.write("long.log", String(repeating: "y", count: 5_000))
        let short = open(directory.file("short.log"), O_RDONLY)
        let long = open(directory.file("long.log"), O_RDONLY)
        defer {
            close(short)
            close(long)
        }
        let shortIdentity = try #require(FileIdentity(descriptor: short))
        let longIdentity = try #require(FileIdentity(descriptor: long))
        #expect(shortIdentity.fingerprintLength == 6)
        #expect(shortIdentity.fingerprint == hash("hello\n"))
        #expect(shortIdentity.inode == directory.inode("short.log"))
        #expect(longIdentity.fingerprintLength == 1_024)
        #expect(longIdentity.fingerprint == hash(String(repeating: "y", count: 1_024)))
        #expect(shortIdentity.matches(descriptor: short))
        #expect(!shortIdentity.matches(descriptor: long))
    }

    @Test func detectsRewrittenHeadOnTheSameInode() throws {
        let directory = try TestDirectory("identity")
        directory.write("app.log", "first\n")
        let descriptor = open(directory.file("app.log"), O_RDONLY)
        defer { close(descriptor) }
        let identity = try #require(FileIdentity(descriptor: descriptor))
        directory.append("app.log", "more\n")
        #expect(identity.matches(descriptor: descriptor), "appending keeps the prefix")
        directory.write("app.log", "FIRST\nmore\n")  // same inode, new content
        #expect(!identity.matches(descriptor: descriptor))
    }

    @Test func roundTripsThroughJSON() throws {
        let identity = FileIdentity(device: .max, inode: 1 << 63 | 12345, fingerprint: .max - 1, fingerprintLength: 1024)
        let checkpoint = FileCheckpoint(path: "/var/log/x.log", identity: identity, offset: 1 << 40, lineNumber: 99)
        let decoded = try JSONDecoder().decode(FileCheckpoint.self, from: JSONEncoder().encode(checkpoint))
        #expect(decoded == checkpoint)
    }
}
