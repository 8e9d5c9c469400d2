import ECSDiagKit
import Foundation
import Testing

struct InputPathsTests {
    @Test func expandsDirectoriesRecursivelyInSortedOrder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecsdiagd-input-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("b/c"), withIntermediateDirectories: true)
        for name in ["z.log", "a.json", "b/c/000000.gz", "b/x.txt", ".hidden", "README.md"] {
            try Data("x\n".utf8).write(to: dir.appendingPathComponent(name))
        }
        let files = try InputPaths.expand([dir.path, "-"]).map(\.path)
        #expect(files == [dir.path + "/a.json", dir.path + "/b/c/000000.gz", dir.path + "/b/x.txt", dir.path + "/z.log", "-"])
    }

    @Test func missingPathIsAnErrorNamingIt() {
        do {
            _ = try InputPaths.expand(["/nonexistent/logs.json"])
            Issue.record("expected an error")
        } catch {
            #expect(error.path == "/nonexistent/logs.json")
            #expect(error.reason == "No such file or directory")
        }
    }
}
