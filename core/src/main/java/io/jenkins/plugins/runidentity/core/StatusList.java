package io.jenkins.plugins.runidentity.core;

import com.nimbusds.jose.util.Base64URL;
import java.io.ByteArrayOutputStream;
import java.util.BitSet;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The bit list of a Token Status List (draft-ietf-oauth-status-list-20, §4): one status per token, packed from the
 * least significant bit of byte 0, compressed with DEFLATE in the ZLIB format and base64url-encoded ({@code lst}).
 * Run identities use one bit per token: 0 valid, 1 invalid (revoked).
 */
public final class StatusList {
    /** Tokens per list. Every list is served at full size, so its length says nothing about how many tokens exist. */
    public static final int CAPACITY = 1 << 16;
    /** Bits per status in the lists this engine serves. */
    public static final int BITS = 1;
    /** Status type values (draft §7.1). */
    public static final int VALID = 0x00, INVALID = 0x01;
    /** A decompressed list larger than this is refused (a relying party must not be made to inflate a bomb). */
    public static final int MAX_DECOMPRESSED_BYTES = 16 * 1024 * 1024;
    /** The {@code ttl} of a status list token: how long relying parties may cache it before fetching it again. */
    public static final int TTL_SECONDS = 60;
    /** How long after {@code iat} a status list token expires ({@code exp}). */
    public static final java.time.Duration VALIDITY = java.time.Duration.ofMinutes(5);
    /** The JOSE {@code typ} of a status list token, and (with {@code application/}) its media type. */
    public static final String TYPE = "statuslist+jwt";

    private StatusList() {}

    /** Encodes a one-bit list of {@code capacity} entries whose set bits are {@code invalid}. */
    public static String encode(BitSet invalid, int capacity) {
        byte[] raw = new byte[(capacity + 7) / 8];
        for (int i = invalid.nextSetBit(0); i >= 0 && i < capacity; i = invalid.nextSetBit(i + 1)) {
            raw[i >>> 3] |= (byte) (1 << (i & 7));
        }
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION); // ZLIB wrapper, as the draft requires
        try {
            deflater.setInput(raw);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            while (!deflater.finished()) {
                out.write(buf, 0, deflater.deflate(buf));
            }
            return Base64URL.encode(out.toByteArray()).toString();
        } finally {
            deflater.end();
        }
    }

    /**
     * The status at {@code index} in an encoded list.
     *
     * @throws IllegalArgumentException if the list cannot be decoded or the index is outside it
     */
    public static int valueAt(String lst, int bits, long index) {
        if (bits != 1 && bits != 2 && bits != 4 && bits != 8) {
            throw new IllegalArgumentException("bits must be 1, 2, 4 or 8, found " + bits);
        }
        if (index < 0) {
            throw new IllegalArgumentException("a status index cannot be negative");
        }
        byte[] raw = inflate(new Base64URL(lst).decode());
        long bit = index * bits;
        if (bit / 8 >= raw.length) {
            throw new IllegalArgumentException("index " + index + " is outside the status list of " + (raw.length * 8L / bits) + " entries");
        }
        int b = raw[(int) (bit / 8)] & 0xff;
        return (b >>> (int) (bit % 8)) & ((1 << bits) - 1);
    }

    private static byte[] inflate(byte[] compressed) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("the status list is truncated");
                }
                out.write(buf, 0, n);
                if (out.size() > MAX_DECOMPRESSED_BYTES) {
                    throw new IllegalArgumentException("the status list decompresses to more than " + MAX_DECOMPRESSED_BYTES + " bytes");
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("the status list is not ZLIB/DEFLATE data");
        } finally {
            inflater.end();
        }
    }
}
