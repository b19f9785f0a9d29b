package io.jenkins.plugins.runidentity.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Revoked token ids, each kept until its token expires (after that the expiry alone rejects it). Rebuilt from
 * the audit log on start; safe for concurrent readers.
 *
 * <p>Compact: the engine's token ids are base64url of 16 random bytes, so each is kept as two {@code long}s plus
 * its expiry as an unsigned 32-bit count of seconds, in an open-addressing table (linear probing, at most 3/4
 * full, grown by half): 20 bytes a slot, 27 to 40 bytes an entry. Ids of any other shape (never made by this
 * engine, but the log is the truth and may hold them) go to an ordinary map. Writers are serialized; readers take
 * no lock: a slot's key is written before its expiry is published with release semantics, slots are never
 * emptied in place (pruning builds a new table), and a grown or pruned table is published whole.
 */
public final class RevocationRegistry {
    private static final VarHandle SLOT_EXPIRY = MethodHandles.arrayElementVarHandle(int[].class);
    private static final int MIN_CAPACITY = 16;

    private volatile Table table = new Table(MIN_CAPACITY);
    private final ConcurrentHashMap<String, Long> otherIds = new ConcurrentHashMap<>();
    private volatile int tableSize;
    // Guarded by this.
    private long nextPrune;

    private static final class Table {
        final int capacity;
        final long[] ids;    // slot i: ids[2i] high, ids[2i+1] low 64 bits of the decoded id
        final int[] expiry;  // slot i: unsigned epoch seconds; 0 marks an empty slot
        final int limit;     // grow before exceeding this many entries

        Table(int capacity) {
            this.capacity = capacity;
            this.ids = new long[2 * capacity];
            this.expiry = new int[capacity];
            this.limit = (int) (capacity * 3L / 4);
        }
    }

    /** Records that {@code jti}, valid until {@code expiresAtEpochSecond}, is revoked. */
    public synchronized void revoke(String jti, long expiresAtEpochSecond) {
        if (!isCompact(jti)) {
            otherIds.put(jti, expiresAtEpochSecond);
            return;
        }
        long hi = half(jti, true);
        long lo = half(jti, false);
        int exp = packExpiry(expiresAtEpochSecond);
        Table t = table;
        if (tableSize + 1 > t.limit) {
            t = resized(t, (int) Math.min(Integer.MAX_VALUE - 8, t.capacity + (long) t.capacity / 2));
            table = t;
        }
        if (insert(t, hi, lo, exp)) {
            tableSize++;
        }
    }

    public boolean isRevoked(String jti) {
        if (!isCompact(jti)) {
            return jti != null && !otherIds.isEmpty() && otherIds.containsKey(jti);
        }
        long hi = half(jti, true);
        long lo = half(jti, false);
        Table t = table;
        int cap = t.capacity;
        for (int i = index(hi, lo, cap), probes = 0; probes < cap; probes++) {
            if ((int) SLOT_EXPIRY.getAcquire(t.expiry, i) == 0) {
                return false;
            }
            if (t.ids[2 * i] == hi && t.ids[2 * i + 1] == lo) {
                return true;
            }
            if (++i == cap) {
                i = 0;
            }
        }
        return false;
    }

    /** Forgets entries whose tokens expired before {@code now} minus {@code graceSeconds}. */
    public synchronized void prune(Instant now, long graceSeconds) {
        long cutoff = now.getEpochSecond() - graceSeconds;
        if (cutoff < nextPrune) {
            return;
        }
        nextPrune = cutoff + 60;
        otherIds.values().removeIf(exp -> exp < cutoff);
        Table t = table;
        int live = 0;
        for (int i = 0; i < t.capacity; i++) {
            int e = t.expiry[i];
            if (e != 0 && Integer.toUnsignedLong(e) >= cutoff) {
                live++;
            }
        }
        if (live == tableSize) {
            return;
        }
        int capacity = MIN_CAPACITY;
        while (capacity * 3L / 4 < live) {
            capacity = capacity + capacity / 2;
        }
        Table fresh = new Table(capacity);
        for (int i = 0; i < t.capacity; i++) {
            int e = t.expiry[i];
            if (e != 0 && Integer.toUnsignedLong(e) >= cutoff) {
                insert(fresh, t.ids[2 * i], t.ids[2 * i + 1], e);
            }
        }
        table = fresh;
        tableSize = live;
    }

    public int size() {
        return tableSize + otherIds.size();
    }

    // ---- the table

    /** Inserts an id, or updates its expiry if present; true if a slot was taken. */
    private static boolean insert(Table t, long hi, long lo, int exp) {
        int cap = t.capacity;
        for (int i = index(hi, lo, cap); ; ) {
            if (t.expiry[i] == 0) {
                t.ids[2 * i] = hi;
                t.ids[2 * i + 1] = lo;
                SLOT_EXPIRY.setRelease(t.expiry, i, exp);
                return true;
            }
            if (t.ids[2 * i] == hi && t.ids[2 * i + 1] == lo) {
                SLOT_EXPIRY.setRelease(t.expiry, i, exp);
                return false;
            }
            if (++i == cap) {
                i = 0;
            }
        }
    }

    private static Table resized(Table t, int capacity) {
        Table fresh = new Table(capacity);
        for (int i = 0; i < t.capacity; i++) {
            if (t.expiry[i] != 0) {
                insert(fresh, t.ids[2 * i], t.ids[2 * i + 1], t.expiry[i]);
            }
        }
        return fresh;
    }

    private static int index(long hi, long lo, int capacity) {
        long h = hi * 0x9E3779B97F4A7C15L ^ lo;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int) (((h >>> 32) * capacity) >>> 32);
    }

    /** Seconds since the epoch as an unsigned int (1970 to 2106); 0 is reserved for empty slots. */
    private static int packExpiry(long epochSecond) {
        return (int) Math.max(1, Math.min(0xFFFF_FFFFL, epochSecond));
    }

    // ---- ids: exactly 22 base64url characters that decode to 16 bytes (the last character's low 4 bits zero)

    private static boolean isCompact(String jti) {
        if (jti == null || jti.length() != 22) {
            return false;
        }
        for (int i = 0; i < 22; i++) {
            if (sextet(jti.charAt(i)) < 0) {
                return false;
            }
        }
        return (sextet(jti.charAt(21)) & 0xF) == 0;
    }

    /** The high or low 64 bits of a compact id: 21 whole sextets, then the top 2 bits of the 22nd. */
    private static long half(String jti, boolean high) {
        long hi = 0, lo = 0;
        for (int i = 0; i < 21; i++) {
            hi = hi << 6 | lo >>> 58;
            lo = lo << 6 | sextet(jti.charAt(i));
        }
        hi = hi << 2 | lo >>> 62;
        lo = lo << 2 | sextet(jti.charAt(21)) >>> 4;
        return high ? hi : lo;
    }

    private static final byte[] SEXTETS = new byte[128];

    static {
        java.util.Arrays.fill(SEXTETS, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < 64; i++) {
            SEXTETS[alphabet.charAt(i)] = (byte) i;
        }
    }

    private static int sextet(char c) {
        return c < 128 ? SEXTETS[c] : -1;
    }
}
