import Glibc

/// Identifies one file independently of its path: device, inode and a fingerprint of its first bytes.
///
/// Device and inode alone are not enough: when a file is deleted and a new one created, the file system may give the
/// new file the same inode number, and a stale checkpoint would then skip the new file's beginning (vector #23076).
/// The fingerprint (FNV-1a 64 of the first up to ``fingerprintCapacity`` bytes) tells the two apart. Because a file
/// can be fingerprinted while it is still shorter than the capacity, ``fingerprintLength`` records how many bytes
/// were hashed; a later check hashes the same prefix.
public struct FileIdentity: Codable, Hashable, Sendable {
    /// The number of leading bytes that a complete fingerprint covers.
    public static let fingerprintCapacity = 1024

    /// `st_dev` of the file.
    public var device: UInt64
    /// `st_ino` of the file.
    public var inode: UInt64
    /// FNV-1a 64 hash of the first ``fingerprintLength`` bytes.
    public var fingerprint: UInt64
    /// How many leading bytes ``fingerprint`` covers (0 for a file that was empty, at most ``fingerprintCapacity``).
    public var fingerprintLength: Int

    /// Creates an identity from its parts.
    ///
    /// - Parameters:
    ///   - device: `st_dev` of the file.
    ///   - inode: `st_ino` of the file.
    ///   - fingerprint: Hash of the first `fingerprintLength` bytes (see ``hash(_:)``).
    ///   - fingerprintLength: Number of bytes hashed.
    public init(device: UInt64, inode: UInt64, fingerprint: UInt64, fingerprintLength: Int) {
        self.device = device
        self.inode = inode
        self.fingerprint = fingerprint
        self.fingerprintLength = fingerprintLength
    }

    /// Computes the identity of an open file: its device and inode, and a fingerprint of its first bytes.
    ///
    /// - Parameter descriptor: A file descriptor open for reading (the file offset is not changed).
    /// - Returns: The identity, or `nil` if `fstat(2)` fails.
    public init?(descriptor: Int32) {
        guard let info = POSIX.status(of: descriptor) else { return nil }
        let (fingerprint, length) = Self.fingerprint(of: descriptor, length: Self.fingerprintCapacity)
        self.init(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), fingerprint: fingerprint,
            fingerprintLength: length)
    }

    /// Whether `other` names the same device and inode.
    ///
    /// - Parameter other: Another identity.
    public func hasSameInode(as other: FileIdentity) -> Bool {
        device == other.device && inode == other.inode
    }

    /// Whether the open file `descriptor` is the file this identity describes: same device and inode, and its first
    /// ``fingerprintLength`` bytes still hash to ``fingerprint``.
    ///
    /// - Parameter descriptor: A file descriptor open for reading.
    /// - Returns: `false` when the inode differs or the head of the file changed (replaced or rewritten content).
    public func matches(descriptor: Int32) -> Bool {
        guard let info = POSIX.status(of: descriptor),
            UInt64(info.st_dev) == device, UInt64(info.st_ino) == inode
        else { return false }
        return headMatches(descriptor: descriptor)
    }

    /// Whether the first ``fingerprintLength`` bytes of `descriptor` still hash to ``fingerprint``, ignoring the
    /// inode.
    ///
    /// - Parameter descriptor: A file descriptor open for reading.
    public func headMatches(descriptor: Int32) -> Bool {
        let (current, length) = Self.fingerprint(of: descriptor, length: fingerprintLength)
        return length == fingerprintLength && current == fingerprint
    }

    /// FNV-1a 64 of `bytes`: stable across processes and versions, unlike `Hasher`.
    ///
    /// - Parameter bytes: The bytes to hash.
    /// - Returns: The 64-bit hash.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// Hashes up to `length` leading bytes of `descriptor`, returning the hash and the number of bytes hashed.
    static func fingerprint(of descriptor: Int32, length: Int) -> (UInt64, Int) {
        withUnsafeTemporaryAllocation(byteCount: max(length, 1), alignment: 8) { buffer in
            let limited = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<length])
            let count = POSIX.preadFully(descriptor, into: limited, at: 0)
            return (hash(UnsafeRawBufferPointer(rebasing: buffer[0..<count])), count)
        }
    }
}
