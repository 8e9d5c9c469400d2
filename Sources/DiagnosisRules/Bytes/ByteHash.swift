/// A stable 64-bit FNV-1a hash of bytes.
///
/// Unlike `Hasher`, which is seeded per process, the value is the same in every run, so it can key state that
/// is checkpointed or must order deterministically (for example target-group ARNs seen in ALB logs).
public enum ByteHash {
    /// FNV-1a over `bytes`.
    @inlinable public static func fnv1a(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h &*= 0x0000_0100_0000_01b3
        }
        return h
    }

    /// FNV-1a over the UTF-8 bytes of `text`.
    public static func fnv1a(_ text: String) -> UInt64 {
        var copy = text
        return copy.withUTF8 { fnv1a(UnsafeRawBufferPointer($0)) }
    }
}
