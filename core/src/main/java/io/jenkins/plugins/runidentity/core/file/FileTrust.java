package io.jenkins.plugins.runidentity.core.file;

import io.jenkins.plugins.runidentity.core.StateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Set;

/**
 * Whether a state folder, or a file in it, can be trusted: whoever owns a folder or can write into it can put their
 * own signing key or configuration there, and whoever could read a key file may hold the key. A folder of the
 * current user is tightened to 0700; one of another user is refused, as is a key file another user owns or a key
 * file others could read. Nothing is checked where the file system has no POSIX permissions.
 */
public final class FileTrust {
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");

    private FileTrust() {}

    /** What a folder or file is to the current user. */
    public enum Verdict {
        /** Owned by the current user, no access for group or others. */
        TRUSTED,
        /** A folder owned by the current user that group or others could enter or write: made 0700, then trusted. */
        TIGHTEN,
        /** Owned by another user: they could have put anything there, and can change it. */
        FOREIGN_OWNER,
        /** A secret file group or others could read or write: its secret may be known, or it may not be ours. */
        EXPOSED
    }

    /** The decision, apart from the file system: for a folder ({@code folder}) or a secret file. */
    public static Verdict judge(boolean folder, boolean ownedByCurrentUser, Set<PosixFilePermission> permissions) {
        if (!ownedByCurrentUser) {
            return Verdict.FOREIGN_OWNER;
        }
        if (permissions.stream().noneMatch(GROUP_OR_OTHERS::contains)) {
            return Verdict.TRUSTED;
        }
        return folder ? Verdict.TIGHTEN : Verdict.EXPOSED;
    }

    /**
     * Makes an existing folder of the current user 0700; refuses ({@link StateException}, one line with the fix) a
     * folder another user owns. {@code what} names it for people ("state folder", "key folder").
     */
    public static void secureFolder(Path dir, String what) {
        if (!PrivateFiles.posix(dir) || !Files.isDirectory(dir)) {
            return; // missing: whoever makes it makes it 0700; not a folder: whoever needs it says so
        }
        try {
            UserPrincipal owner = Files.getOwner(dir);
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
            switch (judge(true, ownedByCurrentUser(dir, owner), perms)) {
                case FOREIGN_OWNER -> throw new StateException("the " + what + " " + dir + " belongs to " + owner.getName()
                        + ", not to you (" + currentUserName() + "), and its owner could replace its keys or configuration: use a"
                        + " folder of your own (--home or RUN_IDENTITY_HOME), or have it handed over (chown -R "
                        + currentUserName() + " " + dir + ")");
                case TIGHTEN -> Files.setPosixFilePermissions(dir, DIR);
                default -> { }
            }
        } catch (NoSuchFileException e) {
            // nothing there yet: whoever creates it makes it 0700
        } catch (IOException e) {
            throw new StateException("cannot check the owner and permissions of the " + what + " " + dir + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Refuses a key file that another user owns, or that group or others could read or write, with the fix. A missing
     * file passes (there is nothing to trust yet).
     */
    public static void checkKeyFile(Path file) {
        if (!PrivateFiles.posix(file)) {
            return;
        }
        try {
            UserPrincipal owner = Files.getOwner(file);
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            switch (judge(false, ownedByCurrentUser(file, owner), perms)) {
                case FOREIGN_OWNER -> throw new StateException("the key file " + file + " belongs to " + owner.getName()
                        + ", not to you (" + currentUserName() + "), so it may not hold the key 'run-identity init' made:"
                        + " nothing is signed with it; start over with a new state folder (run-identity init)");
                case EXPOSED -> throw new StateException("the key file " + file + " can be read or written by others ("
                        + PosixFilePermissions.toString(perms) + "), so its private key may be known: nothing is signed with"
                        + " it; start over with a new state folder (run-identity init), or, if you are sure nobody read or"
                        + " changed it, run: chmod 600 " + file);
                default -> { }
            }
        } catch (NoSuchFileException e) {
            // no key yet
        } catch (IOException e) {
            throw new StateException("cannot check the owner and permissions of the key file " + file + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }

    /** Refuses a state file (configuration, audit log) another user owns; a missing file passes. */
    public static void checkOwnFile(Path file, String what) {
        if (!PrivateFiles.posix(file)) {
            return;
        }
        try {
            UserPrincipal owner = Files.getOwner(file);
            if (judge(false, ownedByCurrentUser(file, owner), Set.of()) == Verdict.FOREIGN_OWNER) {
                throw new StateException("the " + what + " " + file + " belongs to " + owner.getName() + ", not to you ("
                        + currentUserName() + "), who could have changed it: start over with a new state folder"
                        + " (run-identity init), or, if you are sure of its content, have it handed over (chown "
                        + currentUserName() + " " + file + ")");
            }
        } catch (NoSuchFileException e) {
            // not made yet
        } catch (IOException e) {
            throw new StateException("cannot check the owner of the " + what + " " + file + ": " + e.getClass().getSimpleName(), e);
        }
    }

    private static boolean ownedByCurrentUser(Path file, UserPrincipal owner) throws IOException {
        Long uid = UID;
        if (uid != null) {
            try {
                Object fileUid = Files.getAttribute(file, "unix:uid");
                if (fileUid instanceof Number n) {
                    return n.longValue() == uid;
                }
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                // no unix view: compare names below
            }
        }
        return owner.getName().equals(currentUserName());
    }

    private static final Long UID = currentUid();

    private static Long currentUid() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid();
        } catch (LinkageError | RuntimeException e) {
            return null;
        }
    }

    private static String currentUserName() {
        return System.getProperty("user.name");
    }
}
