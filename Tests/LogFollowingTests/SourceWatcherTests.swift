import Foundation
import LogFollowing
import Testing

struct SourceWatcherTests {
    /// awslogs #334: a new stream (a new file matching the glob) must be discovered, and read from its beginning.
    @Test func discoversNewFilesMatchingAGlobAndReadsThemWhole() throws {
        let directory = try TestDirectory("watch")
        directory.write("task-1.log", "old 1\n")
        directory.write("ignored.txt", "not matched\n")
        let watcher = SourceWatcher(sources: [directory.file("*.log")], startPosition: .end, checkpoints: nil)
        let collector = LineCollector()
        let first = collector.poll(watcher)
        #expect(first.newFiles == [directory.file("task-1.log")])
        #expect(collector.texts.isEmpty, "start at end applies to files present at the first start")

        directory.write("task-2.log", "new 1\nnew 2\n")
        #expect(watcher.waitForChange(timeout: .seconds(2)), "inotify reports the new file")
        let second = collector.poll(watcher)
        #expect(second.newFiles == [directory.file("task-2.log")])
        #expect(collector.texts == ["new 1", "new 2"])
        #expect(collector.lines.allSatisfy { $0.path == directory.file("task-2.log") })
        #expect(watcher.followedPaths == [directory.file("task-1.log"), directory.file("task-2.log")])
    }

    @Test func followsDirectoriesRecursivelyIncludingNewSubdirectories() throws {
        let directory = try TestDirectory("watch")
        try directory.makeDirectory("exports/cluster-a")
        directory.write("exports/cluster-a/one.log", "a1\n")
        let watcher = SourceWatcher(
            sources: [directory.file("exports")], startPosition: .beginning, checkpoints: nil,
            options: .init(exclude: ["*.tmp"]))
        let collector = LineCollector()
        collector.poll(watcher)
        #expect(collector.take() == ["a1"])

        try directory.makeDirectory("exports/cluster-b/service")
        collector.poll(watcher)
        directory.write("exports/cluster-b/service/two.log", "b1\n")
        directory.write("exports/cluster-b/service/partial.tmp", "excluded\n")
        #expect(watcher.waitForChange(timeout: .seconds(2)))
        collector.poll(watcher)
        #expect(collector.take() == ["b1"])
        #expect(!watcher.followedPaths.contains { $0.hasSuffix(".tmp") })
    }

    @Test func discoversNewFilesWithoutInotify() throws {
        let directory = try TestDirectory("watch")
        let watcher = SourceWatcher(
            sources: [directory.file("*.log")], startPosition: .end, checkpoints: nil,
            options: .init(usesInotify: false))
        #expect(watcher.inotifyDescriptor == nil)
        #expect(!watcher.isInotifyComplete)
        let collector = LineCollector()
        collector.poll(watcher)
        directory.write("late.log", "x\n")
        #expect(!watcher.waitForChange(timeout: .milliseconds(10)))
        collector.poll(watcher)
        #expect(collector.texts == ["x"])
    }

    @Test func waitForChangeTimesOutQuietly() throws {
        let directory = try TestDirectory("watch")
        directory.write("a.log", "")
        let watcher = SourceWatcher(sources: [directory.file("a.log")], startPosition: .end, checkpoints: nil)
        LineCollector().poll(watcher)
        let clock = ContinuousClock()
        let start = clock.now
        #expect(!watcher.waitForChange(timeout: .milliseconds(50)))
        #expect(clock.now - start >= .milliseconds(40))
        directory.append("a.log", "x\n")
        #expect(watcher.waitForChange(timeout: .seconds(2)), "IN_MODIFY wakes the waiter")
    }

    /// fail2ban #17: a rotated file that also matches the sources must not be read a second time.
    @Test func renamedFileIsNotReadTwice() throws {
        let directory = try TestDirectory("watch")
        directory.write("app.log", "1\n2\n")
        let watcher = SourceWatcher(sources: [directory.path], startPosition: .beginning, checkpoints: nil)
        let collector = LineCollector()
        collector.poll(watcher)
        directory.append("app.log", "3\n")
        directory.rename("app.log", "app.log.1")
        directory.write("app.log", "4\n")
        collector.poll(watcher)
        directory.append("app.log.1", "5 late write to the rotated file\n")
        collector.poll(watcher)
        #expect(collector.texts == ["1", "2", "3", "4", "5 late write to the rotated file"])
        #expect(collector.lines.last?.path == directory.file("app.log.1"))
    }

    /// fail2ban #17: the rotated name is discovered before the old path is recreated: the file is handed over.
    @Test func renamedFileStillHeldIsHandedOver() throws {
        let directory = try TestDirectory("watch")
        directory.write("app.log", "1\npart")
        let watcher = SourceWatcher(sources: [directory.path], startPosition: .beginning, checkpoints: nil)
        let collector = LineCollector()
        collector.poll(watcher)
        directory.rename("app.log", "app.log.1")
        collector.poll(watcher)
        directory.append("app.log.1", "ial\n")
        collector.poll(watcher)
        directory.write("app.log", "2\n")
        collector.poll(watcher)
        #expect(collector.texts == ["1", "partial", "2"])
        #expect(collector.lines.map(\.path) == ["app.log", "app.log.1", "app.log"].map(directory.file))
    }

    @Test func sameFileUnderTwoNamesIsFollowedOnce() throws {
        let directory = try TestDirectory("watch")
        directory.write("app.log", "once\n")
        #expect(link(directory.file("app.log"), directory.file("hardlink.log")) == 0)
        let watcher = SourceWatcher(sources: [directory.file("*.log")], startPosition: .beginning, checkpoints: nil)
        let collector = LineCollector()
        collector.poll(watcher)
        #expect(collector.texts == ["once"])
    }

    /// vector #22954: the file was rotated while the daemon was down: its unread tail is read under the new name,
    /// and the new file at the old name is read from its beginning.
    @Test func rotationWhileStoppedLosesNothing() throws {
        let directory = try TestDirectory("watch")
        directory.write("app.log", "1\n2\n")
        let collector = LineCollector()
        let before = SourceWatcher(sources: [directory.file("app.log*")], startPosition: .end, checkpoints: nil)
        collector.poll(before)
        directory.append("app.log", "2b\n")
        collector.poll(before)
        #expect(collector.texts == ["2b"], "start at end skips only what existed at the first start")
        let saved = before.checkpoints()
        #expect(saved.count == 1)

        directory.append("app.log", "3\n")
        directory.rename("app.log", "app.log.1")
        directory.write("app.log", "4\n")
        directory.write("other.log.unmatched", "x\n")

        collector.lines.removeAll()
        let after = SourceWatcher(sources: [directory.file("app.log*")], startPosition: .end, checkpoints: saved)
        collector.poll(after)
        #expect(collector.texts.sorted() == ["3", "4"])
        #expect(collector.lines.first { $0.text == "3" }?.path == directory.file("app.log.1"))
    }

    /// Restart after a rotation that the daemon saw: the rotated file keeps its checkpoint under its new name, so
    /// the restarted watcher does not read it again (fail2ban #17).
    @Test func rotatedFilesStayCheckpointedAcrossARestart() throws {
        let directory = try TestDirectory("watch")
        let sources = [directory.file("app.log*")]
        directory.write("app.log", "1\n")
        let collector = LineCollector()
        let before = SourceWatcher(sources: sources, startPosition: .beginning, checkpoints: nil)
        collector.poll(before)
        directory.rename("app.log", "app.log.1")
        directory.write("app.log", "2\n")
        collector.poll(before)
        let store = CheckpointStore(path: directory.file("checkpoint.json"))
        try store.save(before.checkpoints())
        #expect(before.checkpoints().map(\.path) == [directory.file("app.log"), directory.file("app.log.1")])

        let after = SourceWatcher(
            sources: sources, startPosition: .beginning, checkpoints: try store.load([FileCheckpoint].self))
        collector.poll(after)
        directory.append("app.log", "3\n")
        directory.append("app.log.1", "1b\n")
        collector.poll(after)
        #expect(collector.texts.sorted() == ["1", "1b", "2", "3"])
    }

    /// fail2ban #17 with numbered rotation (`app.log` → `app.log.1` → `app.log.2`) and every name followed: a file
    /// moving onto a path that already has a follower is continued, not read again.
    @Test func numberedRotationChainReadsEveryLineOnce() throws {
        let directory = try TestDirectory("watch")
        let watcher = SourceWatcher(sources: [directory.path], startPosition: .beginning, checkpoints: nil)
        let collector = LineCollector()
        var expected: [String] = []
        directory.write("app.log", "")
        for generation in 0..<5 {
            for line in 0..<3 {
                directory.append("app.log", "g\(generation) l\(line)\n")
                expected.append("g\(generation) l\(line)")
            }
            collector.poll(watcher)
            // logrotate with rotate 3: shift the numbered files, then move the live file and recreate it.
            if FileManager.default.fileExists(atPath: directory.file("app.log.3")) { directory.remove("app.log.3") }
            for index in stride(from: 2, through: 1, by: -1)
            where FileManager.default.fileExists(atPath: directory.file("app.log.\(index)")) {
                directory.rename("app.log.\(index)", "app.log.\(index + 1)")
            }
            directory.rename("app.log", "app.log.1")
            directory.append("app.log.1", "g\(generation) late\n")
            expected.append("g\(generation) late")
            directory.write("app.log", "")
            collector.poll(watcher)
        }
        #expect(collector.texts.sorted() == expected.sorted())
        #expect(Set(collector.texts).count == collector.texts.count, "no line may be read twice")
    }

    @Test func restartsFromCheckpointsWithoutLossOrRepeats() throws {
        let directory = try TestDirectory("watch")
        var generator = SplitMix64(seed: 5)
        let collector = LineCollector()
        var written: [String] = []
        var saved: [FileCheckpoint]? = nil
        let store = CheckpointStore(path: directory.file("state.json"))
        var watcher = SourceWatcher(sources: [directory.file("*.log")], startPosition: .beginning, checkpoints: nil)
        for step in 0..<120 {
            switch generator.next() % 6 {
            case 0:
                // Restart through the checkpoint file, as the daemon does.
                try store.save(watcher.checkpoints())
                saved = try store.load([FileCheckpoint].self)
                watcher = SourceWatcher(sources: [directory.file("*.log")], startPosition: .end, checkpoints: saved)
            case 1:
                let name = "task-\(generator.next() % 4).log"
                directory.append(name, "s\(step) half ")
                collector.poll(watcher)
                directory.append(name, "done\n")
                written.append("s\(step) half done")
            default:
                let name = "task-\(generator.next() % 4).log"
                directory.append(name, "s\(step)\n")
                written.append("s\(step)")
            }
            collector.poll(watcher)
        }
        #expect(collector.texts.sorted() == written.sorted())
        #expect(Set(collector.texts).count == collector.texts.count)
    }

    @Test func checkpointsOfVanishedFilesExpire() throws {
        let directory = try TestDirectory("watch")
        directory.write("a.log", "a\n")
        directory.write("b.log", "b\n")
        let before = SourceWatcher(sources: [directory.file("*.log")], startPosition: .beginning, checkpoints: nil)
        LineCollector().poll(before)
        let saved = before.checkpoints()
        #expect(saved.map(\.path) == [directory.file("a.log"), directory.file("b.log")])
        directory.remove("b.log")
        let after = SourceWatcher(sources: [directory.file("*.log")], startPosition: .beginning, checkpoints: saved)
        let collector = LineCollector()
        collector.poll(after)
        #expect(collector.texts.isEmpty)
        #expect(after.checkpoints().map(\.path) == [directory.file("a.log")])
    }

    @Test func reportsGzipFilesOnce() throws {
        let directory = try TestDirectory("watch")
        directory.write("export.gz", bytes: [0x1F, 0x8B, 0x08, 0x00, 0x0A])
        let watcher = SourceWatcher(sources: [directory.path], startPosition: .beginning, checkpoints: nil)
        let collector = LineCollector()
        #expect(collector.poll(watcher).gzipFiles == [directory.file("export.gz")])
        #expect(collector.poll(watcher).gzipFiles.isEmpty)
        #expect(collector.lines.isEmpty)
    }

    @Test func limitsTheNumberOfFiles() throws {
        let directory = try TestDirectory("watch")
        for index in 0..<5 { directory.write("f\(index).log", "\(index)\n") }
        let watcher = SourceWatcher(
            sources: [directory.file("*.log")], startPosition: .beginning, checkpoints: nil,
            options: .init(maximumFiles: 3))
        let report = LineCollector().poll(watcher)
        #expect(report.fileLimitReached)
        #expect(watcher.followedPaths.count == 3)
    }

    @Test func ignoresStandardInputAndMissingPaths() throws {
        let directory = try TestDirectory("watch")
        let watcher = SourceWatcher(
            sources: ["-", directory.file("missing.log"), directory.file("nodir/*.log")], startPosition: .end,
            checkpoints: nil)
        let collector = LineCollector()
        #expect(!collector.poll(watcher).didWork)
        directory.write("missing.log", "appeared\n")
        #expect(watcher.waitForChange(timeout: .seconds(2)))
        collector.poll(watcher)
        #expect(collector.texts == ["appeared"])
    }
}
