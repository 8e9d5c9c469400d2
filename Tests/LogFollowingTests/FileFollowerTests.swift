import Foundation
import LogFollowing
import Testing

struct FileFollowerTests {
    @Test func deliversAppendedLinesWithNumbersAndOffsets() throws {
        let directory = try TestDirectory()
        directory.write("app.log", "a\nbb\n")
        let follower = FileFollower(path: directory.file("app.log"))
        let collector = LineCollector()
        let first = collector.poll(follower)
        #expect(first.events == [.opened(offset: 0)])
        #expect(first.linesDelivered == 2 && first.bytesRead == 5)
        directory.append("app.log", "ccc\n")
        collector.poll(follower)
        #expect(collector.texts == ["a", "bb", "ccc"])
        #expect(collector.lines.map(\.info.lineNumber) == [1, 2, 3])
        #expect(collector.lines.map(\.info.offset) == [0, 2, 5])
        #expect(follower.checkpoint?.offset == 9)
        #expect(follower.checkpoint?.lineNumber == 3)
        let idle = collector.poll(follower)
        #expect(idle.bytesRead == 0 && idle.events.isEmpty)
    }

    /// fluent-bit #11265: a partial last line must be neither delivered early nor lost.
    @Test func holdsAPartialLineUntilItsNewline() throws {
        let directory = try TestDirectory()
        directory.write("app.log", "hel")
        let follower = FileFollower(path: directory.file("app.log"))
        let collector = LineCollector()
        collector.poll(follower)
        #expect(collector.texts.isEmpty)
        #expect(follower.checkpoint?.offset == 0)
        directory.append("app.log", "lo\nwor")
        collector.poll(follower)
        #expect(collector.take() == ["hello"])
        #expect(follower.checkpoint?.offset == 6)
        directory.append("app.log", "ld\n")
        collector.poll(follower)
        #expect(collector.take() == ["world"])
    }

    /// fluent-bit #11265: the offset of a partial line is not committed, so a restart reads the line whole.
    @Test func partialLineSurvivesARestart() throws {
        let directory = try TestDirectory()
        directory.write("app.log", "one\ntw")
        let before = FileFollower(path: directory.file("app.log"))
        let collector = LineCollector()
        collector.poll(before)
        let checkpoint = try #require(before.checkpoint)
        #expect(checkpoint.offset == 4 && checkpoint.lineNumber == 1)

        directory.append("app.log", "o\n")
        let after = FileFollower(path: directory.file("app.log"), checkpoint: checkpoint)
        let result = collector.poll(after)
        #expect(result.events == [.resumed(offset: 4)])
        #expect(collector.texts == ["one", "two"])
        #expect(collector.lines.last?.info == LineInfo(lineNumber: 2, offset: 4, isPartial: false))
    }

    /// vector-test-harness file_rotate_create_correctness: after a rename rotation, the old file's tail (written
    /// before and even after the rename) is read before the new file.
    @Test func renameRotationReadsTheOldTailFirst() throws {
        let directory = try TestDirectory()
        directory.write("app.log", "1\n2\n")
        let follower = FileFollower(path: directory.file("app.log"))
        let collector = LineCollector()
        collector.poll(follower)
        directory.append("app.log", "3\n")
        directory.rename("app.log", "app.log.1")
        directory.append("app.log.1", "3b\n")  // the writer still holds the renamed file
        directory.write("app.log", "4\n")
        let result = collector.poll(follower)
        #expect(collector.texts == ["1", "2", "3", "3b", "4"])
        #expect(result.events == [.rotated, .opened(offset: 0)])
        #expect(collector.lines.last?.info == LineInfo(lineNumber: 1, offset: 0, isPartial: false))
        // The old file's final position is handed back so that a watcher of app.log.1 will not re-read it.
        #expect(result.released.count == 1)
        #expect(result.released.first?.offset == 9)
        #expect(result.released.first?.identity.inode == directory.inode("app.log.1"))
        #expect(follower.identity?.inode == directory.inode("app.log"))
    }

    @Test func keepsReadingARenamedFileUntilAReplacementAppears() throws {
        let directory = try TestDirectory()
        directory.write("app.log", "1\n")
        let follower = FileFollower(path: directory.file("app.log"))
        let collector = LineCollector()
        collector.poll(follower)
        directory.rename("app.log", "app.log.1")
        collector.poll(follower)
        #expect(follower.isOpen)
        directory.append("app.log.1", "2\n")
        collector.poll(follower)
        #expect(collector.texts == ["1", "2"])
        directory.append("app.log.1", "3 partial")
        directory.write("app.log", "4\n")
        let result = collector.poll(follower)
        // The unterminated tail of the rotated file can never be completed here: it is flushed as partial.
        #expect(collector.texts == ["1", "2", "3 partial", "4"])
        #expect(collector.lines[2].info.isPartial)
        #expect(result.events.contains(.rotated))
    }

    /// vector-test-harness file_rotate_truncate_correctness, fluent-bit #9580: copytruncate.
    @Test func copytruncateRestartsAtTheBeginning() throws {
        let directory = try TestDirectory()
        directory.write("app.log", "old 1\nold 2\n")
        let follower = FileFollower(path: directory.file("app.log"))
        let collector = LineCollector()
        collector.poll(follower)
        try directory.copy("app.log", "app.log.1")
        directory.truncate("app.log")
        directory.append("app.log", "new 1\n")
        let result = collector.poll(follower)
        #expect(collector.texts == ["old 1", "old 2", "new 1"])
        #expect(result.events == [.truncated(previousOffset: 12)])
        #expect(collector.lines.last?.info.lineNumber == 1)
        #expect(follower.checkpoint?.offset == 6)
    }

    /// vector #23076 (same inode, new content past the old offset): truncated and regrown between two polls.
    @Test func truncateAndRegrowBetweenPollsIsNotSkipped() throws {
        let directory = try TestDirectory()
        directory.write("app.log", "aaaa\n")
        let follower = FileFollower(path: directory.file("app.log"))
        let collector = LineCollector()
        collector.poll(follower)
        directory.truncate("app.log")
        directory.append("app.log", "bbbbbbbbbb\ncc\n")
        let result = collector.poll(follower)
        #expect(collector.texts == ["aaaa", "bbbbbbbbbb", "cc"])
        #expect(result.events == [.contentReplaced])
    }

    @Test func truncationFlushesTheHeldPartialLine() throws {
        let directory = try TestDirectory()
        directory.write("app.log", "done\nhalf")
        let follower = FileFollower(path: directory.file("app.log"))
        let collector = LineCollector()
        collector.poll(follower)
        directory.truncate("app.log")
        collector.poll(follower)
        directory.append("app.log", "fresh\n")
        collector.poll(follower)
        #expect(collector.texts == ["done", "half", "fresh"])
        #expect(collector.lines.map(\.info.isPartial) == [false, true, false])
    }

    @Test func deleteThenRecreateReadsBothFiles() throws {
        let directory = try TestDirectory()
        directory.write("app.log", "old\nold tail")
        let follower = FileFollower(path: directory.file("app.log"))
        let collector = LineCollector()
        collector.poll(follower)
        directory.remove("app.log")
        let deleted = collector.poll(follower)
        #expect(deleted.events == [.deleted])
        #expect(!follower.isOpen, "a deleted file must not stay open")
        #expect(collector.poll(follower).events.isEmpty)
        directory.write("app.log", "new\n")
        let recreated = collector.poll(follower)
        #expect(recreated.events == [.opened(offset: 0)])
        #expect(collector.texts == ["old", "old tail", "new"])
    }

    @Test func deleteAndRecreateBetweenPollsIsARotation() throws {
        let directory = try TestDirectory()
        directory.write("app.log", "old\n")
        let follower = FileFollower(path: directory.file("app.log"))
        let collector = LineCollector()
        collector.poll(follower)
        directory.append("app.log", "old 2\n")
        directory.remove("app.log")
        directory.write("app.log", "new\n")
        collector.poll(follower)
        #expect(collector.texts == ["old", "old 2", "new"])
    }

    /// vector #23076: an inode reused by a new file must not inherit the old file's checkpoint.
    @Test func inodeReuseWithDifferentContentIsReadFromTheBeginning() throws {
        let directory = try TestDirectory()
        directory.write("app.log", "first file\n")
        let before = FileFollower(path: directory.file("app.log"))
        let collector = LineCollector()
        collector.poll(before)
        let checkpoint = try #require(before.checkpoint)
        _ = before.release()

        // Same inode (rewritten in place), new content longer than the old offset.
        directory.write("app.log", "SECOND FILE, much longer\nline two\n")
        #expect(directory.inode("app.log") == checkpoint.identity.inode)
        collector.lines.removeAll()
        let after = FileFollower(path: directory.file("app.log"), startPosition: .end, checkpoint: checkpoint)
        let result = collector.poll(after)
        #expect(collector.texts == ["SECOND FILE, much longer", "line two"])
        guard case .checkpointRejected(let reason) = result.events.first else {
            Issue.record("expected a rejected checkpoint, got \(result.events)")
            return
        }
        #expect(reason.contains("bytes differ"))

        // Delete and recreate: ext4 usually hands out the same inode again; either way the new file is new.
        let second = try #require(after.checkpoint)
        _ = after.release()
        directory.remove("app.log")
        directory.write("app.log", "third file with even more content\n")
        collector.lines.removeAll()
        let third = FileFollower(path: directory.file("app.log"), checkpoint: second)
        let thirdResult = collector.poll(third)
        #expect(collector.texts == ["third file with even more content"])
        #expect(thirdResult.events.first.map { if case .checkpointRejected = $0 { true } else { false } } == true)
    }

    @Test func checkpointBeyondTheFileSizeIsRejected() throws {
        let directory = try TestDirectory()
        directory.write("app.log", "0123456789\n")
        let follower = FileFollower(path: directory.file("app.log"))
        let collector = LineCollector()
        collector.poll(follower)
        var checkpoint = try #require(follower.checkpoint)
        checkpoint.offset = 500
        let restored = FileFollower(path: directory.file("app.log"), checkpoint: checkpoint)
        collector.lines.removeAll()
        let result = collector.poll(restored)
        #expect(collector.texts == ["0123456789"])
        #expect(result.events.first == .checkpointRejected(reason: "file size 11 is below the checkpoint offset 500"))
    }

    /// Simulated restarts at random points: every line is delivered exactly once, in order (fail2ban #17).
    @Test func restartsFromCheckpointsLoseAndRepeatNothing() throws {
        let directory = try TestDirectory()
        var generator = SplitMix64(seed: 99)
        let collector = LineCollector()
        var written = 0
        var checkpoint: FileCheckpoint?
        var follower = FileFollower(path: directory.file("app.log"))
        directory.write("app.log", "")
        for _ in 0..<200 {
            switch generator.next() % 4 {
            case 0:
                // Restart: a new follower from the last checkpoint.
                checkpoint = follower.checkpoint ?? checkpoint
                follower = FileFollower(path: directory.file("app.log"), startPosition: .end, checkpoint: checkpoint)
            case 1:
                // A line split across two writes.
                directory.append("app.log", "line \(written + 1) ")
                collector.poll(follower)
                directory.append("app.log", "end\n")
                written += 1
            default:
                let count = Int(generator.next() % 5)
                for _ in 0..<count {
                    written += 1
                    directory.append("app.log", "line \(written) end\n")
                }
            }
            collector.poll(follower)
        }
        #expect(collector.texts == (1...written).map { "line \($0) end" })
        #expect(collector.lines.map(\.info.lineNumber) == (1...UInt64(written)).map { $0 })
    }

    @Test func startAtEndSkipsExistingLinesButNotAnUnfinishedOne() throws {
        let directory = try TestDirectory()
        directory.write("app.log", "old 1\nold 2\nstill being writ")
        let follower = FileFollower(path: directory.file("app.log"), startPosition: .end)
        let collector = LineCollector()
        let result = collector.poll(follower)
        #expect(result.events == [.opened(offset: 12)])
        directory.append("app.log", "ten\nnew\n")
        collector.poll(follower)
        #expect(collector.texts == ["still being written", "new"])
    }

    @Test func fileThatAppearsLaterIsReadFromTheBeginningEvenWithStartAtEnd() throws {
        let directory = try TestDirectory()
        let follower = FileFollower(path: directory.file("later.log"), startPosition: .end)
        let collector = LineCollector()
        #expect(collector.poll(follower).events.isEmpty)
        directory.write("later.log", "first\nsecond\n")
        collector.poll(follower)
        #expect(collector.texts == ["first", "second"])
    }

    @Test func tenMegabyteLineIsCutAtTheMaximumLength() throws {
        let directory = try TestDirectory()
        let huge = [UInt8](repeating: UInt8(ascii: "x"), count: 10 * 1024 * 1024)
        directory.write("app.log", bytes: Array("before\n".utf8) + huge + Array("\nafter\n".utf8))
        let follower = FileFollower(path: directory.file("app.log"))
        let collector = LineCollector()
        collector.drain(follower)
        #expect(collector.lines.count == 3)
        #expect(collector.lines[0].text == "before")
        #expect(collector.lines[1].bytes.count == LineFramer.Options().maximumLineLength)
        #expect(collector.lines[1].info.isPartial)
        #expect(collector.lines[2].text == "after")
        #expect(collector.lines[2].info == LineInfo(lineNumber: 3, offset: UInt64(7 + huge.count + 1), isPartial: false))
    }

    @Test func tenMegabyteLineIsWholeWhenAllowed() throws {
        let directory = try TestDirectory()
        let huge = [UInt8](repeating: UInt8(ascii: "y"), count: 10 * 1024 * 1024)
        directory.write("app.log", bytes: huge + Array("\nafter\n".utf8))
        let options = FileFollower.Options(framing: .init(maximumLineLength: 16 * 1024 * 1024))
        let follower = FileFollower(path: directory.file("app.log"), options: options)
        let collector = LineCollector()
        collector.drain(follower)
        #expect(collector.lines.count == 2)
        #expect(collector.lines[0].bytes == huge)
        #expect(!collector.lines[0].info.isPartial)
        #expect(collector.lines[1].text == "after")
    }

    @Test func binaryGarbageIsFramedByteExactly() throws {
        let directory = try TestDirectory()
        var generator = SplitMix64(seed: 1234)
        let garbage = (0..<300_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        directory.write("app.log", bytes: garbage)
        let follower = FileFollower(
            path: directory.file("app.log"),
            options: .init(framing: .init(initialCapacity: 4096), maximumBytesPerPoll: 50_000))
        let collector = LineCollector()
        collector.drain(follower)
        let lastNewline = try #require(garbage.lastIndex(of: 0x0A))
        let rejoined = collector.lines.map(\.bytes).joined(separator: [0x0A]) + [0x0A]
        #expect(Array(rejoined) == Array(garbage[...lastNewline]))
        #expect(follower.checkpoint?.offset == UInt64(lastNewline + 1))
    }

    @Test func readBudgetSpreadsLargeBacklogsOverPolls() throws {
        let directory = try TestDirectory()
        directory.write("app.log", String(repeating: "0123456789\n", count: 1_000))
        let follower = FileFollower(path: directory.file("app.log"), options: .init(maximumBytesPerPoll: 1_000))
        let collector = LineCollector()
        var polls = 0
        while collector.poll(follower).hasMoreData { polls += 1 }
        #expect(polls >= 10)
        #expect(collector.lines.count == 1_000)
    }

    @Test func gzipFilesAreReportedOnceAndNotFollowed() throws {
        let directory = try TestDirectory()
        let gzip: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03] + Array("\n\n\n".utf8)
        directory.write("export.gz", bytes: gzip)
        let follower = FileFollower(path: directory.file("export.gz"))
        let collector = LineCollector()
        #expect(collector.poll(follower).events == [.gzipDetected])
        #expect(follower.isGzip)
        #expect(collector.poll(follower).events.isEmpty)
        #expect(collector.lines.isEmpty)
        // After a restart from its checkpoint it is not reported again.
        let checkpoint = try #require(follower.checkpoint)
        #expect(checkpoint.offset == UInt64(gzip.count))
        let restarted = FileFollower(path: directory.file("export.gz"), checkpoint: checkpoint)
        #expect(collector.poll(restarted).events.isEmpty)
        #expect(restarted.isGzip)
    }

    @Test func gzipWrittenIntoAnEmptyFileIsDetected() throws {
        let directory = try TestDirectory()
        directory.write("export.gz", "")
        let follower = FileFollower(path: directory.file("export.gz"))
        let collector = LineCollector()
        collector.poll(follower)
        directory.append("export.gz", bytes: [0x1F, 0x8B, 0x08, 0x0A, 0x0A])
        #expect(collector.poll(follower).events == [.gzipDetected])
        #expect(collector.lines.isEmpty)
    }

    @Test func directoriesAreNotFollowed() throws {
        let directory = try TestDirectory()
        try directory.makeDirectory("sub")
        let follower = FileFollower(path: directory.file("sub"))
        let collector = LineCollector()
        #expect(collector.poll(follower).events == [.notRegularFile])
        #expect(collector.poll(follower).events.isEmpty, "reported once")
    }
}
